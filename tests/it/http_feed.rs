//! The change feed (`/api/v1/orgs/{org}/changes`, issue 21) as its
//! consumers use it: a series of creates, edits, archivals and removals
//! of systems, people, role assignments and integrations, replayed from 0
//! into a map that must equal what the API's gets and lists return; a
//! second consumer stops half-way and resumes from its cursor with the
//! same result. Bad cursors are a 400; readers never see incidents unless
//! they see them all, and nobody sees accounts or secrets.

use insyn_domain::{AppRole, SYSTEM_OWNER};
use insyn_store::Store;
use insyn_tests::{App, Scenario, dual_test, problem, role_type, unit};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

const API: &str = "/api/v1/orgs/kommunen";

/// What a consumer keeps: each object's fields by (type, id).
type Replica = BTreeMap<(String, String), Map<String, Value>>;

/// Applies one page of events; returns the page's `next` and `has_more`.
fn apply(replica: &mut Replica, page: &Value) -> (i64, bool) {
    let mut last = None;
    for e in page["events"].as_array().expect("events") {
        let seq = e["seq"].as_i64().expect("a seq");
        assert!(last.is_none_or(|l| l < seq), "in order: {page}");
        last = Some(seq);
        let key = (
            e["object_type"].as_str().unwrap_or_default().to_owned(),
            e["object_id"].as_str().unwrap_or_default().to_owned(),
        );
        if e["tombstone"] == true {
            replica.remove(&key);
            continue;
        }
        let fields = replica.entry(key).or_default();
        for (k, v) in e["changes"].as_object().expect("changes") {
            fields.insert(k.clone(), v.clone());
        }
    }
    (
        page["next"].as_i64().expect("next"),
        page["has_more"].as_bool().expect("has_more"),
    )
}

/// Reads the feed from `after` in pages of `limit`, at most `pages` pages.
async fn consume(
    app: &App,
    replica: &mut Replica,
    mut after: i64,
    limit: u32,
    pages: usize,
) -> (i64, bool) {
    let mut more = true;
    for _ in 0..pages {
        let page = app
            .get_json(&format!("{API}/changes?after={after}&limit={limit}"))
            .await;
        let (next, has_more) = apply(replica, &page);
        after = next;
        more = has_more;
        if !has_more {
            break;
        }
    }
    (after, more)
}

/// The objects of one type in the replica, by id.
fn of_type<'a>(replica: &'a Replica, t: &str) -> BTreeMap<&'a str, &'a Map<String, Value>> {
    replica
        .iter()
        .filter(|((ty, _), _)| ty == t)
        .map(|((_, id), m)| (id.as_str(), m))
        .collect()
}

/// Every field the API gives (but its timestamps and what it adds from
/// elsewhere) is the replica's value (null when the feed never gave one).
#[track_caller]
fn same(api: &Value, mine: &Map<String, Value>, fields: Option<&[&str]>) {
    let obj = api.as_object().expect("an object");
    let keys: Vec<&str> = match fields {
        Some(f) => f.to_vec(),
        None => obj
            .keys()
            .map(String::as_str)
            .filter(|k| !["created_at", "updated_at"].contains(k))
            .collect(),
    };
    for k in keys {
        assert_eq!(
            mine.get(k).unwrap_or(&Value::Null),
            obj.get(k).unwrap_or(&Value::Null),
            "field {k}: feed {mine:?} api {api}"
        );
    }
}

const ASSIGNMENT_FIELDS: &[&str] = &[
    "id",
    "org_id",
    "role_type_id",
    "person_id",
    "system_id",
    "unit_id",
    "start_date",
    "end_date",
    "note",
];

/// Creates, edits, archives and removes through the API; returns the ids
/// of the removed integration.
async fn history(store: &Store, app: &App) -> anyhow::Result<String> {
    let k = Scenario::new(store, "kommunen").await?;
    let it = unit(store, k.org, None, "IT-enheten").await;
    let owner = role_type(store, k.org, SYSTEM_OWNER).await?;
    let mut ids = vec![];
    for name in ["Treserva", "Procapita", "Raindance"] {
        let s = app
            .post_json_expecting(&format!("{API}/systems"), &json!({ "name": name }), 201)
            .await;
        ids.push(s["id"].as_str().unwrap_or_default().to_owned());
    }
    app.put_json_expecting(
        &format!("{API}/systems/{}", ids[0]),
        &json!({ "name": "Treserva", "description": "Socialtjänsten", "vendor": "CGI", "responsible_unit_id": it.id }),
        200,
    )
    .await;
    app.post_json_expecting(
        &format!("{API}/systems/{}/archive", ids[1]),
        &json!({}),
        200,
    )
    .await;
    let anna = app
        .post_json_expecting(
            &format!("{API}/people"),
            &json!({ "name": "Anna Andersson", "email": "anna@kommunen.se" }),
            201,
        )
        .await;
    let anna_id = anna["id"].as_str().unwrap_or_default().to_owned();
    app.put_json_expecting(
        &format!("{API}/people/{anna_id}"),
        &json!({ "name": "Anna Berg", "email": "anna@kommunen.se", "title": "Systemförvaltare", "unit_id": it.id, "active": true }),
        200,
    )
    .await;
    let role = app
        .post_json_expecting(
            &format!("{API}/role-assignments"),
            &json!({ "role_type_id": owner.id, "person_id": anna_id, "system_id": ids[0], "start_date": "2024-01-01" }),
            201,
        )
        .await;
    app.post_json_expecting(
        &format!(
            "{API}/role-assignments/{}/end",
            role["id"].as_str().unwrap_or_default()
        ),
        &json!({ "end_date": "2025-06-30" }),
        200,
    )
    .await;
    let flow = app
        .post_json_expecting(
            &format!("{API}/integrations"),
            &json!({ "from_system_id": ids[0], "to_system_id": ids[2], "direction": "one_way",
                     "interface": "REST", "frequency": "daily", "criticality": "high" }),
            201,
        )
        .await;
    let flow_id = flow["id"].as_str().unwrap_or_default().to_owned();
    app.delete(&format!("{API}/integrations/{flow_id}"))
        .await
        .expect(204);
    Ok(flow_id)
}

/// The replica against the API: the same systems (archived ones too),
/// people and role assignments with the same fields; the removed
/// integration gone from both.
async fn check_against_api(app: &App, replica: &Replica, removed: &str) {
    let systems = app
        .get_json(&format!("{API}/systems?include_archived=true&per_page=100"))
        .await;
    let fed = of_type(replica, "system");
    let listed = systems["items"].as_array().expect("items");
    assert_eq!(listed.len(), fed.len(), "{systems}");
    for s in listed {
        let id = s["id"].as_str().unwrap_or_default();
        let one = app.get_json(&format!("{API}/systems/{id}")).await;
        same(
            &one,
            fed.get(id)
                .unwrap_or_else(|| panic!("system {id} in the feed")),
            None,
        );
    }
    assert_eq!(
        fed.values()
            .filter(|m| m.get("archived") == Some(&json!(true)))
            .count(),
        1
    );
    let people = app.get_json(&format!("{API}/people?per_page=100")).await;
    let fed = of_type(replica, "person");
    let listed = people["items"].as_array().expect("items");
    assert_eq!(listed.len(), fed.len(), "{people}");
    for p in listed {
        let id = p["id"].as_str().unwrap_or_default();
        let one = app.get_json(&format!("{API}/people/{id}")).await;
        same(&one, fed[id], None);
        assert_eq!(fed[id]["name"], "Anna Berg");
    }
    let fed = of_type(replica, "role_assignment");
    assert_eq!(fed.len(), 1);
    for (id, m) in &fed {
        let one = app.get_json(&format!("{API}/role-assignments/{id}")).await;
        same(&one, m, Some(ASSIGNMENT_FIELDS));
        assert_eq!(m["end_date"], "2025-06-30");
    }
    assert!(
        of_type(replica, "integration").is_empty(),
        "the tombstone removed it"
    );
    app.get(&format!("{API}/integrations/{removed}"))
        .await
        .expect(404);
}

dual_test!(
    a_consumer_replaying_the_feed_has_what_the_api_has,
    |store: Store| async move {
        let app = App::new(&store).await;
        let removed = history(&store, &app).await?;

        let mut whole = Replica::new();
        let (end, more) = consume(&app, &mut whole, 0, 4, 1000).await;
        assert!(!more);
        check_against_api(&app, &whole, &removed).await;
        // The removal is a tombstone in the feed, with the action's word.
        let all = app.get_json(&format!("{API}/changes?limit=1000")).await;
        let tomb: Vec<&Value> = all["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["tombstone"] == true)
            .collect();
        assert_eq!(tomb.len(), 1, "{all}");
        assert_eq!(
            (tomb[0]["object_type"].as_str(), tomb[0]["action"].as_str()),
            (Some("integration"), Some("remove"))
        );
        assert!(
            all["events"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["action"] == "archive")
        );
        assert_eq!(all["next"].as_i64(), Some(end));

        // Another consumer stops half-way, then resumes from its cursor.
        let mut halves = Replica::new();
        let (cursor, more) = consume(&app, &mut halves, 0, 2, 4).await;
        assert!(
            more && cursor < end,
            "stopped half-way at {cursor} of {end}"
        );
        assert_ne!(halves, whole);
        let (again, more) = consume(&app, &mut halves, cursor, 1000, 10).await;
        assert_eq!((again, more), (end, false));
        assert_eq!(halves, whole);
        // Nothing new: the same cursor back, no events.
        let idle = app.get_json(&format!("{API}/changes?after={end}")).await;
        assert_eq!(
            (
                idle["events"].as_array().map(Vec::len),
                idle["next"].as_i64()
            ),
            (Some(0), Some(end))
        );
    }
);

dual_test!(
    bad_cursors_and_limits_are_a_400_naming_them,
    |store: Store| async move {
        let app = App::new(&store).await;
        Scenario::new(&store, "kommunen").await?;
        for (q, field) in [
            ("after=-1", "after"),
            ("after=abc", "after"),
            ("limit=0", "limit"),
            ("limit=1001", "limit"),
        ] {
            let r = app.get(&format!("{API}/changes?{q}")).await;
            let p = problem(&r, 400);
            assert!(
                p["detail"].as_str().unwrap_or_default().starts_with(field),
                "{q}: {p}"
            );
        }
        app.get(&format!("{API}/changes?limit=1000"))
            .await
            .expect(200);
        app.get("/api/v1/orgs/nowhere/changes").await.expect(404);
    }
);

dual_test!(
    readers_follow_the_register_but_not_incidents_accounts_or_secrets,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let admin = App::new(&store).await;
        let reader = k.signed_in("lasare@kommunen.se", AppRole::Reader).await?;
        let s = admin
            .post_json_expecting(
                &format!("{API}/systems"),
                &json!({ "name": "Treserva" }),
                201,
            )
            .await;
        admin
            .post_json_expecting(
                &format!("{API}/incidents"),
                &json!({ "title": "Intrång", "kind": "personal_data", "severity": "high", "detection": "internal",
                         "aware_at": "2026-01-05T10:00:00Z", "system_ids": [s["id"]] }),
                201,
            )
            .await;
        let types = |page: &Value| -> Vec<String> {
            page["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["object_type"].as_str().unwrap_or_default().to_owned())
                .collect()
        };
        let seen_by_admin = types(&admin.get_json(&format!("{API}/changes?limit=1000")).await);
        let seen_by_reader = types(&reader.get_json(&format!("{API}/changes?limit=1000")).await);
        assert!(
            seen_by_admin.contains(&"incident".to_owned()),
            "{seen_by_admin:?}"
        );
        assert!(
            !seen_by_reader.contains(&"incident".to_owned()),
            "{seen_by_reader:?}"
        );
        assert!(seen_by_reader.contains(&"system".to_owned()));
        let text = reader.get(&format!("{API}/changes?limit=1000")).await.body;
        for secret in [
            "password",
            "token_hash",
            "\"user\"",
            "api_token",
            "lasare@kommunen.se",
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
);
