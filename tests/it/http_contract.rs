//! The API keeps the contract its OpenAPI document states: every error an
//! operation can answer is declared (as a problem document), the query
//! parameters are checked exactly as documented (`per_page` capped at
//! `PageRequest::MAX_SIZE`), and a malformed request is a 4xx problem, never
//! axum's plain-text 400 or a 5xx. `scripts/schemathesis.sh` checks the same
//! contract with generated requests against a running demo.

use axum::http::Method;
use insyn_domain::{PageRequest, Permission};
use insyn_store::Store;
use insyn_tests::{App, assert_problem_fields, dual_test, problem, problem_fields};
use serde_json::{Value, json};

fn document() -> Value {
    serde_json::from_str(&insyn_web::api::openapi_json()).expect("the document is JSON")
}

/// The response a `responses` entry stands for, `$ref`s followed.
fn resolved<'a>(doc: &'a Value, r: &'a Value) -> &'a Value {
    match r["$ref"].as_str() {
        Some(p) => doc
            .pointer(p.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("{p} does not resolve")),
        None => r,
    }
}

/// The document touches no data: one backend is enough (the store only
/// builds the route table).
#[tokio::test]
async fn every_operation_declares_the_errors_it_can_answer() {
    let (store, _dir) = insyn_tests::sqlite_store().await;
    let rules = insyn_web::route_rules(store);
    let perm = |method: &str, path: &str| {
        rules
            .iter()
            .find(|r| r.method.as_str().eq_ignore_ascii_case(method) && r.path == path)
            .unwrap_or_else(|| panic!("{method} {path} is not in the permission table"))
            .perm
    };
    let doc = document();
    let paths = doc["paths"].as_object().expect("paths");
    let mut checked = 0;
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("a path item") {
            let what = format!("{method} {path}");
            let responses = op["responses"].as_object().expect("responses");
            if path == "/healthz" || path == "/readyz" {
                assert_eq!(op["security"], json!([]), "{what}: public, no token");
                continue;
            }
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            let has_query = params.iter().any(|p| p["in"] == "query");
            let has_body = op.get("requestBody").is_some();
            let mut expected = vec!["401"];
            if path.contains('{') {
                expected.push("404");
            }
            if has_body {
                expected.extend(["413", "422"]);
                assert_eq!(op["requestBody"]["required"], true, "{what}");
            }
            if has_query {
                expected.push("422");
            }
            for status in expected {
                assert!(responses.contains_key(status), "{what}: no {status}");
            }
            // Any permission but "signed in" can refuse the caller.
            if perm(method, path) != Permission::Authenticated {
                assert!(responses.contains_key("403"), "{what}: no 403");
            }
            for (status, r) in responses {
                if status.starts_with('4') {
                    let r = resolved(&doc, r);
                    assert_eq!(
                        r["content"]["application/problem+json"]["schema"]["$ref"],
                        "#/components/schemas/Problem",
                        "{what} {status}: not a problem document"
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 60, "only {checked} operations");
}

#[test]
fn the_document_states_caps_formats_and_enumerations() {
    let doc = document();
    let list = &doc["paths"]["/api/v1/orgs/{org}/systems"]["get"]["parameters"];
    let param = |name: &str| -> Value {
        list.as_array()
            .and_then(|ps| ps.iter().find(|p| p["name"] == name))
            .unwrap_or_else(|| panic!("no parameter {name}"))["schema"]
            .clone()
    };
    assert_eq!(param("per_page")["maximum"], PageRequest::MAX_SIZE);
    assert_eq!(param("per_page")["minimum"], 1);
    assert_eq!(param("page")["type"], "integer");
    assert_eq!(param("q")["maxLength"], 200);
    assert_eq!(param("unit")["format"], "uuid");
    assert_eq!(param("changed_since")["format"], "date-time");
    assert_eq!(
        param("lifecycle")["enum"],
        json!(
            insyn_domain::Lifecycle::ALL
                .iter()
                .map(|l| l.as_str())
                .collect::<Vec<_>>()
        )
    );
    // Every list with paging says its cap.
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for p in item["get"]["parameters"].as_array().into_iter().flatten() {
            if p["name"] == "per_page" {
                assert_eq!(p["schema"]["maximum"], PageRequest::MAX_SIZE, "{path}");
            }
        }
    }
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["PlanIn"]["properties"]["sections"]["propertyNames"]["enum"],
        json!(insyn_domain::security::PLAN_SECTIONS)
    );
    let name = &schemas["SystemDraft"]["properties"]["name"];
    assert_eq!(name["minLength"], 1, "{name}");
    assert_eq!(name["maxLength"], 200, "{name}");
    let end = &schemas["AssignmentDraft"]["properties"]["end_date"];
    assert!(
        end["anyOf"]
            .as_array()
            .is_some_and(|a| a.iter().any(|s| s["format"] == "date")),
        "{end}"
    );
    // The stateful link from creating a system to reading it.
    let link = &doc["paths"]["/api/v1/orgs/{org}/systems"]["post"]["responses"]["201"]["links"]["get_system"];
    assert_eq!(
        link["parameters"]["path.id"], "$response.body#/id",
        "{link}"
    );
    assert_eq!(link["parameters"]["path.org"], "$request.path.org");
}

dual_test!(
    malformed_requests_are_problems_and_query_parameters_are_checked_as_documented,
    |store: Store| async move {
        let app = App::new_with_org(&store, "kommunen").await?;
        let list = "/api/v1/orgs/kommunen/systems";

        // The cap on per_page, and no empty or out-of-range numbers.
        let r = app.get(&format!("{list}?per_page=500")).await.expect(200);
        assert_eq!(r.json()["per_page"], PageRequest::MAX_SIZE);
        for (query, field, code) in [
            ("per_page=501", "per_page", "error-out-of-range"),
            ("per_page=0", "per_page", "error-out-of-range"),
            ("per_page=", "per_page", "error-not-a-number"),
            ("page=0", "page", "error-out-of-range"),
            ("lifecycle=%20planned", "lifecycle", "error-unknown-choice"),
            ("desc=maybe", "desc", "error-unknown-choice"),
        ] {
            let r = app.get(&format!("{list}?{query}")).await;
            let fields = problem_fields(&problem(&r, 422));
            assert_eq!(fields, [(field.to_owned(), code.to_owned())], "{query}");
        }
        let q = "a".repeat(201);
        let r = app.get(&format!("{list}?q={q}")).await;
        assert_problem_fields(&r, 422, &[("q", "error-search-too-long")]);
        let r = app
            .get("/api/v1/orgs/kommunen/people?per_page=100000")
            .await;
        problem(&r, 422);

        // A parameter given twice cannot be read: a 422 problem, not axum's plain 400.
        let p = problem(&app.get(&format!("{list}?q=a&q=b")).await, 422);
        assert!(p["detail"].as_str().is_some_and(|d| !d.is_empty()), "{p}");

        // A path segment that is not UTF-8 names nothing.
        problem(&app.get(&format!("{list}/%FF%FE")).await, 404);

        // A body over the limit: 413.
        let big = format!("{{\"name\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
        let r = app
            .send_raw(Method::POST, list, "application/json", big)
            .await;
        problem(&r, 413);

        // 250.0 is an integer to JSON Schema: taken as 250.
        let s = app
            .post_json_expecting(
                list,
                &json!({ "name": "Ekonomi", "user_count": 250.0 }),
                201,
            )
            .await;
        assert_eq!(s["user_count"], 250);

        // A taken name is a conflict with the record that has it.
        let r = app.post_json(list, &json!({ "name": "Ekonomi" })).await;
        assert_problem_fields(&r, 409, &[("name", "error-taken")]);
    }
);
