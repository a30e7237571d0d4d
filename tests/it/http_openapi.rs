//! The OpenAPI document: served as checked in, and complete.

use insyn_tests::App;
use serde_json::Value;
use std::collections::BTreeSet;

const CHECKED_IN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/openapi.json");

/// Every route of `crates/web/src/api/` (`api::routes()`, nested under
/// `/api/v1`) and the health check, with its methods. Add a route there, add
/// it here: the document must describe it.
const ROUTES: &[(&str, &[&str])] = &[
    ("/healthz", &["get"]),
    ("/readyz", &["get"]),
    ("/api/v1/me", &["get"]),
    ("/api/v1/me/language", &["put"]),
    ("/api/v1/orgs", &["get", "post"]),
    ("/api/v1/orgs/{org}/audit", &["get"]),
    ("/api/v1/orgs/{org}/export-full", &["get"]),
    ("/api/v1/orgs/{org}", &["get"]),
    ("/api/v1/orgs/{org}/units", &["get", "post"]),
    ("/api/v1/orgs/{org}/units/{id}", &["get", "put"]),
    ("/api/v1/orgs/{org}/units/{id}/archive", &["post"]),
    ("/api/v1/orgs/{org}/people", &["get", "post"]),
    ("/api/v1/orgs/{org}/people/{id}", &["get", "put"]),
    ("/api/v1/orgs/{org}/people/{id}/roles", &["get"]),
    ("/api/v1/orgs/{org}/people/{id}/transfer-roles", &["post"]),
    ("/api/v1/orgs/{org}/leavers/roles", &["get"]),
    ("/api/v1/products", &["get", "post"]),
    ("/api/v1/products/{id}", &["get", "put"]),
    ("/api/v1/orgs/{org}/systems", &["get", "post"]),
    ("/api/v1/orgs/{org}/systems/{id}", &["get", "put"]),
    ("/api/v1/orgs/{org}/systems/{id}/archive", &["post"]),
    ("/api/v1/orgs/{org}/systems/{id}/restore", &["post"]),
    ("/api/v1/orgs/{org}/systems/{id}/roles", &["get"]),
    ("/api/v1/orgs/{org}/systems/{id}/history", &["get"]),
    ("/api/v1/orgs/{org}/role-types", &["get", "post"]),
    ("/api/v1/orgs/{org}/role-assignments", &["get", "post"]),
    ("/api/v1/orgs/{org}/role-assignments/{id}", &["get"]),
    ("/api/v1/orgs/{org}/role-assignments/{id}/end", &["post"]),
    ("/api/v1/orgs/{org}/systems/{id}/security", &["get"]),
    (
        "/api/v1/orgs/{org}/systems/{id}/information-sets",
        &["get", "post"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/information-sets/{set}",
        &["put"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/information-sets/{set}/classifications",
        &["get", "post"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/business-critical",
        &["post"],
    ),
    ("/api/v1/orgs/{org}/systems/{id}/plans", &["get", "post"]),
    (
        "/api/v1/orgs/{org}/systems/{id}/plans/{plan}",
        &["get", "put"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/plans/{plan}/submit",
        &["post"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/plans/{plan}/return",
        &["post"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/plans/{plan}/approve",
        &["post"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/outage-plans",
        &["get", "post"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/outage-plans/{version}",
        &["get", "put"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/outage-plans/{version}/submit",
        &["post"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/outage-plans/{version}/return",
        &["post"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/outage-plans/{version}/approve",
        &["post"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/approvals",
        &["get", "post"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/approvals/{approval}",
        &["get"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/approvals/{approval}/sign-owner",
        &["post"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/approvals/{approval}/sign-it",
        &["post"],
    ),
    ("/api/v1/orgs/{org}/classification-scale", &["get", "put"]),
    ("/api/v1/orgs/{org}/field-secrecy", &["get", "put"]),
    ("/api/v1/orgs/{org}/policy", &["get", "put"]),
    ("/api/v1/orgs/{org}/compliance", &["get"]),
    ("/api/v1/orgs/{org}/cycle", &["get"]),
    ("/api/v1/orgs/{org}/cycle/month", &["get"]),
    ("/api/v1/orgs/{org}/tasks", &["get"]),
    ("/api/v1/orgs/{org}/systems/{id}/compliance", &["get"]),
    ("/api/v1/orgs/{org}/systems/{id}/documents", &["post"]),
    ("/api/v1/orgs/{org}/systems/{id}/controls", &["post"]),
    ("/api/v1/orgs/{org}/systems/{id}/user-list", &["post"]),
    ("/api/v1/orgs/{org}/people/hr-file", &["post"]),
    (
        "/api/v1/orgs/{org}/systems/{id}/access-profiles",
        &["get", "post"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/access-profiles/{profile}",
        &["get", "put"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/access-profiles/{profile}/archive",
        &["post"],
    ),
    ("/api/v1/orgs/{org}/systems/{id}/holdings", &["get"]),
    (
        "/api/v1/orgs/{org}/systems/{id}/access-orders",
        &["get", "post"],
    ),
    ("/api/v1/orgs/{org}/access-orders/{order}", &["get"]),
    ("/api/v1/orgs/{org}/access-orders/{order}/steps", &["post"]),
    ("/api/v1/orgs/{org}/incidents", &["get", "post"]),
    ("/api/v1/orgs/{org}/incident-compilation", &["get"]),
    ("/api/v1/orgs/{org}/incident-settings", &["get", "put"]),
    ("/api/v1/orgs/{org}/incidents/{incident}", &["get", "put"]),
    ("/api/v1/orgs/{org}/incidents/{incident}/status", &["post"]),
    (
        "/api/v1/orgs/{org}/incidents/{incident}/assessment",
        &["post"],
    ),
    (
        "/api/v1/orgs/{org}/incidents/{incident}/clocks/{deadline}",
        &["post"],
    ),
    ("/api/v1/orgs/{org}/incidents/{incident}/notes", &["post"]),
    ("/api/v1/orgs/{org}/incidents/{incident}/actions", &["post"]),
    (
        "/api/v1/orgs/{org}/incidents/{incident}/actions/{action}",
        &["put"],
    ),
    (
        "/api/v1/orgs/{org}/incidents/{incident}/drafts/{deadline}",
        &["get"],
    ),
    ("/api/v1/orgs/{org}/integrations", &["get", "post"]),
    (
        "/api/v1/orgs/{org}/integrations/{integration}",
        &["get", "put", "delete"],
    ),
    ("/api/v1/orgs/{org}/systems/{id}/neighbourhood", &["get"]),
    ("/api/v1/orgs/{org}/systems/{id}/impact", &["get"]),
    ("/api/v1/orgs/{org}/access-reviews", &["get", "post"]),
    ("/api/v1/orgs/{org}/access-reviews/{campaign}", &["get"]),
    (
        "/api/v1/orgs/{org}/access-reviews/{campaign}/items/{item}",
        &["put"],
    ),
    (
        "/api/v1/orgs/{org}/access-reviews/{campaign}/sign",
        &["post"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/access-reviews",
        &["get", "post"],
    ),
    ("/api/v1/orgs/{org}/access-tasks", &["get"]),
    (
        "/api/v1/orgs/{org}/systems/{id}/continuity",
        &["get", "put"],
    ),
    ("/api/v1/orgs/{org}/systems/{id}/backups", &["get", "post"]),
    (
        "/api/v1/orgs/{org}/systems/{id}/backups/{backup}",
        &["put", "delete"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/restore-tests",
        &["get", "post"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/restore-tests/{test}",
        &["get", "put", "delete"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/restore-tests/{test}/actions",
        &["post"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/restore-tests/{test}/actions/{action}",
        &["put"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/record-types",
        &["get", "post"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/record-types/{record_type}",
        &["put", "delete"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/archive-responsibility",
        &["get", "put"],
    ),
    ("/api/v1/orgs/{org}/systems/{id}/erasures", &["get", "post"]),
    (
        "/api/v1/orgs/{org}/systems/{id}/erasures/{erasure}",
        &["put", "delete"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/decommissioning",
        &["get", "post", "put"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/decommissioning/close",
        &["post"],
    ),
    ("/api/v1/orgs/{org}/role-handovers", &["get"]),
    ("/api/v1/orgs/{org}/role-handovers/{handover}", &["post"]),
    ("/api/v1/orgs/{org}/suppliers", &["get", "post"]),
    ("/api/v1/orgs/{org}/suppliers/{supplier}", &["get", "put"]),
    ("/api/v1/orgs/{org}/systems/{id}/supplier", &["get", "put"]),
    ("/api/v1/orgs/{org}/contracts", &["get", "post"]),
    (
        "/api/v1/orgs/{org}/contracts/{contract}",
        &["get", "put", "delete"],
    ),
    ("/api/v1/orgs/{org}/contract-settings", &["get", "put"]),
    (
        "/api/v1/orgs/{org}/systems/{id}/benefit-assessments",
        &["get", "post"],
    ),
    (
        "/api/v1/orgs/{org}/systems/{id}/benefit-assessments/{assessment}",
        &["put", "delete"],
    ),
    ("/api/v1/orgs/{org}/licences", &["get"]),
    ("/api/v1/orgs/{org}/systems/{id}/licences", &["get", "post"]),
    (
        "/api/v1/orgs/{org}/systems/{id}/licences/{licence}",
        &["get", "put", "delete"],
    ),
    ("/api/v1/orgs/{org}/processing-records", &["get", "post"]),
    (
        "/api/v1/orgs/{org}/processing-records/{record}",
        &["get", "put", "delete"],
    ),
    ("/api/v1/orgs/{org}/processor-agreements", &["get", "post"]),
    (
        "/api/v1/orgs/{org}/processor-agreements/{agreement}",
        &["get", "put", "delete"],
    ),
    ("/api/v1/orgs/{org}/processor-gaps", &["get"]),
    ("/api/v1/orgs/{org}/nis-entity-class", &["get", "put"]),
    ("/api/v1/orgs/{org}/systems/{id}/ai-act", &["get", "put"]),
    ("/api/v1/orgs/{org}/e-services", &["get", "post"]),
    (
        "/api/v1/orgs/{org}/e-services/{eservice}",
        &["get", "put", "delete"],
    ),
    (
        "/api/v1/orgs/{org}/e-service-public-fields",
        &["get", "put"],
    ),
    ("/api/v1/orgs/{org}/services", &["get", "post"]),
    (
        "/api/v1/orgs/{org}/services/{service}",
        &["get", "put", "delete"],
    ),
    (
        "/api/v1/orgs/{org}/services/{service}/follow-ups",
        &["get", "post"],
    ),
    (
        "/api/v1/orgs/{org}/services/{service}/follow-ups/import",
        &["post"],
    ),
    (
        "/api/v1/orgs/{org}/services/{service}/follow-ups/{follow_up}",
        &["delete"],
    ),
    ("/api/v1/orgs/{org}/changes", &["get"]),
    (
        "/api/v1/orgs/{org}/people/by-external-id/{external_id}",
        &["put"],
    ),
    ("/api/v1/orgs/{org}/jobs/{job}", &["get"]),
    ("/api/v1/orgs/{org}/webhooks", &["get", "post"]),
    (
        "/api/v1/orgs/{org}/webhooks/{webhook}",
        &["get", "put", "delete"],
    ),
    (
        "/api/v1/orgs/{org}/webhooks/{webhook}/deliveries/{delivery}/replay",
        &["post"],
    ),
];

const HTTP_METHODS: &[&str] = &[
    "get", "put", "post", "delete", "patch", "head", "options", "trace",
];

/// The document touches no data: one backend is enough.
#[tokio::test]
async fn the_served_document_is_the_checked_in_one() {
    let (store, _dir) = insyn_tests::sqlite_store().await;
    let r = App::new(&store)
        .await
        .get("/api/openapi.json")
        .await
        .expect(200);
    assert_eq!(r.header("content-type"), "application/json");
    let checked_in = std::fs::read_to_string(CHECKED_IN)
        .unwrap_or_else(|e| panic!("cannot read {CHECKED_IN}: {e}"));
    if r.body != checked_in {
        let trailing_newline = format!("{}\n", r.body) == checked_in;
        let line = r
            .body
            .lines()
            .zip(checked_in.lines())
            .position(|(a, b)| a != b)
            .map_or_else(
                || {
                    format!(
                        "the same lines; lengths {} and {} bytes",
                        r.body.len(),
                        checked_in.len()
                    )
                },
                |i| format!("first difference at line {}", i + 1),
            );
        panic!(
            "docs/openapi.json differs from what the server serves at /api/openapi.json ({line}{}). \
             Regenerate it with `cargo run -- openapi > docs/openapi.json` and commit it.",
            if trailing_newline {
                "; only the file's final newline differs: `insyn openapi` prints one that \
                 the served document lacks"
            } else {
                ""
            }
        );
    }
}

#[test]
fn every_api_route_is_in_the_document() {
    let doc: Value =
        serde_json::from_str(&insyn_web::api::openapi_json()).expect("the document is JSON");
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["title"], "insyn");
    let paths = doc["paths"].as_object().expect("paths");
    let documented: BTreeSet<(String, String)> = paths
        .iter()
        .flat_map(|(p, item)| {
            item.as_object()
                .expect("a path item")
                .keys()
                .filter(|m| HTTP_METHODS.contains(&m.as_str()))
                .map(move |m| (p.clone(), m.clone()))
        })
        .collect();
    let routed: BTreeSet<(String, String)> = ROUTES
        .iter()
        .flat_map(|(p, ms)| ms.iter().map(move |m| ((*p).to_owned(), (*m).to_owned())))
        .collect();
    let missing: Vec<_> = routed.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "routes missing from the OpenAPI document: {missing:?}"
    );
    let unknown: Vec<_> = documented.difference(&routed).collect();
    assert!(
        unknown.is_empty(),
        "the document describes routes that ROUTES (from api/) lacks: {unknown:?}"
    );
    // Each operation has an id, a tag and a success response; path parameters are declared.
    for (p, m) in &documented {
        let op = &paths[p][m];
        assert!(op["operationId"].is_string(), "{m} {p}: no operationId");
        assert!(
            op["tags"].as_array().is_some_and(|t| !t.is_empty()),
            "{m} {p}: no tag"
        );
        let responses = op["responses"].as_object().expect("responses");
        assert!(
            responses.keys().any(|k| k.starts_with('2')),
            "{m} {p}: no success response"
        );
        let declared: BTreeSet<&str> = op["parameters"]
            .as_array()
            .map(|ps| {
                ps.iter()
                    .filter(|x| x["in"] == "path")
                    .filter_map(|x| x["name"].as_str())
                    .collect()
            })
            .unwrap_or_default();
        let in_path: BTreeSet<&str> = p
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect();
        assert_eq!(declared, in_path, "{m} {p}: path parameters");
    }
    // Operation ids are unique.
    let ids: Vec<&str> = documented
        .iter()
        .filter_map(|(p, m)| paths[p][m]["operationId"].as_str())
        .collect();
    let unique: BTreeSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate operation ids");
}

/// Every listed route answers through the real router: a method it lacks
/// would be 405; a path without ids that it lacks, the fallback's 404.
#[tokio::test]
async fn every_listed_route_is_routed() {
    let (store, _dir) = insyn_tests::sqlite_store().await;
    insyn_tests::org(&store, "kommunen").await.expect("an org");
    let app = App::new(&store).await;
    for (path, methods) in ROUTES {
        let zero = "00000000-0000-7000-8000-000000000000";
        let uri = path
            .replace("{org}", "kommunen")
            .replace("{id}", zero)
            .replace("{order}", zero);
        for m in *methods {
            let method: axum::http::Method = m.to_uppercase().parse().expect("a method");
            let r = app
                .send_raw(method, &uri, "application/json", "{}".to_owned())
                .await;
            assert_ne!(r.status, 405, "{m} {uri} is not routed: {}", r.body);
            // A path naming a record (any parameter but the organisation)
            // is 404 for a record that does not exist.
            if !path.replace("{org}", "").contains('{') {
                assert_ne!(r.status, 404, "{m} {uri} is not routed: {}", r.body);
            }
        }
    }
}

#[test]
fn the_plan_sections_and_control_results_are_enumerated_in_the_document() {
    // Issue 14 (6): a client learns the plan's section keys and the control
    // results from the document, and they are the ones the server accepts.
    let doc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/openapi.json"))
            .expect("the document is checked in"),
    )
    .expect("JSON");
    let schemas = &doc["components"]["schemas"];
    let mut keys: Vec<&str> = schemas["PlanSectionTexts"]["properties"]
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    keys.sort_unstable();
    let mut sections = insyn_domain::security::PLAN_SECTIONS.to_vec();
    sections.sort_unstable();
    assert_eq!(keys, sections);
    // The plan's input names the same keys, as the names its map may have.
    let mut named: Vec<&str> = schemas["PlanIn"]["properties"]["sections"]["propertyNames"]["enum"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    named.sort_unstable();
    assert_eq!(named, sections);
    let results: Vec<&str> = schemas["ControlResult"]["enum"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(results, insyn_store::policy::CONTROL_RESULTS);
}
