//! Incidents through the API, on both databases: anyone reports, the
//! IT-säkerhetssamordnare and the affected system's roles see and handle,
//! the reporter sees their own, and everyone else gets 404; the clocks come
//! back with the incident and a report marks one met.

use chrono::{Duration, Utc};
use insyn_domain::AppRole;
use insyn_store::Store;
use insyn_tests::{App, Scenario, assert_problem_fields, dual_test, problem, problem_fields};
use serde_json::{Value, json};

const BASE: &str = "/api/v1/orgs/kommunen/incidents";

struct Setup {
    system: insyn_domain::SystemId,
    coordinator: App,
    owner: App,
    reporter: App,
    stranger: App,
}

async fn setup(store: &Store) -> anyhow::Result<Setup> {
    let k = Scenario::new(store, "kommunen").await?;
    let s = k.system("Treserva").await;
    k.owner(&s, "Ola Ägare", "ola@kommunen.se").await?;
    let other = k.system("Ekonomisystemet").await;
    k.owner(&other, "Eva Ekonomi", "eva@kommunen.se").await?;
    Ok(Setup {
        system: s.id,
        coordinator: k
            .signed_in("sara@kommunen.se", AppRole::SecurityCoordinator)
            .await?,
        owner: k.signed_in("ola@kommunen.se", AppRole::Reader).await?,
        reporter: k.signed_in("kim@kommunen.se", AppRole::Reader).await?,
        stranger: k.signed_in("eva@kommunen.se", AppRole::Editor).await?,
    })
}

fn report(system: insyn_domain::SystemId, aware_hours_ago: i64) -> Value {
    json!({
        "title": "Beslut skickat till fel mottagare",
        "kind": "personal_data",
        "severity": "high",
        "detection": "internal",
        "aware_at": (Utc::now() - Duration::hours(aware_hours_ago)).to_rfc3339(),
        "system_ids": [system],
        "personal_data": { "categories": "Brukare; personnummer", "sensitive": true, "subjects": 1 }
    })
}

fn clock<'a>(view: &'a Value, id: &str) -> &'a Value {
    view["clocks"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["deadline"]["id"] == id))
        .unwrap_or_else(|| panic!("clock {id} in {view}"))
}

dual_test!(
    an_incident_is_reported_seen_by_those_concerned_and_its_clock_met,
    |store: Store| async move {
        let t = setup(&store).await?;
        let i = t
            .reporter
            .post_json_expecting(BASE, &report(t.system, 70), 201)
            .await;
        assert_eq!(i["number"], 1);
        assert_eq!(i["status"], "new");
        let url = format!("{BASE}/{}", i["id"].as_str().unwrap_or_default());

        // The coordinator, the system's owner and the reporter see it; the
        // owner of another system does not even learn that it exists.
        for who in [&t.coordinator, &t.owner, &t.reporter] {
            let v = who.get_json(&url).await;
            assert_eq!(v["incident"]["title"], "Beslut skickat till fel mottagare");
        }
        problem(&t.stranger.get(&url).await, 404);
        let listed = |v: Value| v["total"].as_i64().unwrap_or(-1);
        assert_eq!(listed(t.coordinator.get_json(BASE).await), 1);
        assert_eq!(listed(t.owner.get_json(BASE).await), 1);
        assert_eq!(listed(t.reporter.get_json(BASE).await), 1);
        assert_eq!(listed(t.stranger.get_json(BASE).await), 0);

        // 70 hours after awareness the IMY clock has 2 hours left (give or
        // take the test's own seconds).
        let v = t.coordinator.get_json(&url).await;
        let imy = clock(&v, "gdpr-imy");
        assert_eq!(imy["state"], "running");
        let left = imy["minutes_left"].as_i64().unwrap_or_default();
        assert!((118..=120).contains(&left), "{imy}");

        // The reporter sees but does not handle; the owner does.
        let notified = json!({ "kind": "reported", "note": "IMY dnr 2026-77" });
        let r = t
            .reporter
            .post_json(&format!("{url}/clocks/gdpr-imy"), &notified)
            .await;
        problem(&r, 403);
        let v = t
            .owner
            .post_json_expecting(&format!("{url}/clocks/gdpr-imy"), &notified, 200)
            .await;
        assert_eq!(clock(&v, "gdpr-imy")["state"], "met");
        assert_eq!(clock(&v, "gdpr-imy")["late"], false);

        let no = json!({ "significant": false, "reason": "En enskild mottagare" });
        let v = t
            .coordinator
            .post_json_expecting(&format!("{url}/assessment"), &no, 200)
            .await;
        assert_eq!(v["significance"]["significant"], false);
        let v = t
            .coordinator
            .post_json_expecting(
                &format!("{url}/notes"),
                &json!({ "text": "Mottagaren har raderat e-posten" }),
                200,
            )
            .await;
        let kinds: Vec<&str> = v["timeline"]
            .as_array()
            .map(|a| a.iter().filter_map(|e| e["kind"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(kinds, ["reported", "clock", "assessment", "note"]);
        let closed = t
            .coordinator
            .post_json_expecting(
                &format!("{url}/status"),
                &json!({ "status": "closed" }),
                200,
            )
            .await;
        assert_eq!(closed["status"], "closed");
        assert_eq!(
            listed(t.coordinator.get_json(&format!("{BASE}?open=true")).await),
            0
        );
    }
);

dual_test!(
    bad_incidents_are_refused_field_by_field,
    |store: Store| async move {
        let t = setup(&store).await?;
        let mut bad = report(t.system, -2);
        bad["title"] = json!(" ");
        let r = t.coordinator.post_json(BASE, &bad).await;
        let v = problem(&r, 422);
        let fields = problem_fields(&v);
        assert!(
            fields.contains(&("title".into(), "error-required".into())),
            "{fields:?}"
        );
        assert!(
            fields.contains(&("aware_at".into(), "error-in-future".into())),
            "{fields:?}"
        );
        let mut long = report(t.system, 1);
        long["title"] = json!("x".repeat(201));
        problem(&t.coordinator.post_json(BASE, &long).await, 422);
        // A struct nested in the body is read from an object only, not from
        // an array of its fields in order (serde's sequence form).
        let mut listed = report(t.system, 1);
        listed["personal_data"] = json!(["Brukare", true, 1, null, null]);
        let r = t.coordinator.post_json(BASE, &listed).await;
        assert_problem_fields(&r, 422, &[("personal_data", "error-wrong-type")]);
        let none = t.coordinator.get_json(BASE).await;
        assert_eq!(none["total"], 0, "a refused report was stored: {none}");
        let r = t.coordinator.get(&format!("{BASE}?open=perhaps")).await;
        problem(&r, 422);
        // Only a clock the profile allows may be set aside.
        let i = t
            .coordinator
            .post_json_expecting(BASE, &report(t.system, 1), 201)
            .await;
        let url = format!("{BASE}/{}", i["id"].as_str().unwrap_or_default());
        let waive = json!({ "kind": "waived", "note": "Ingen risk" });
        let r = t
            .coordinator
            .post_json(&format!("{url}/clocks/csirt-early-warning"), &waive)
            .await;
        let v = problem(&r, 422);
        assert_eq!(
            problem_fields(&v),
            [("kind".to_owned(), "error-incident-not-waivable".to_owned())]
        );
        let v = t
            .coordinator
            .post_json_expecting(&format!("{url}/clocks/gdpr-imy"), &waive, 200)
            .await;
        assert_eq!(clock(&v, "gdpr-imy")["state"], "not_applicable");
        problem(
            &t.coordinator
                .post_json(&format!("{url}/clocks/nope"), &waive)
                .await,
            404,
        );
    }
);

dual_test!(
    the_coordinator_compiles_a_period_and_its_csv_has_the_same_figures,
    |store: Store| async move {
        let t = setup(&store).await?;
        t.reporter
            .post_json_expecting(BASE, &report(t.system, 5), 201)
            .await;
        let url = "/api/v1/orgs/kommunen/incident-compilation";
        let c = t.coordinator.get_json(url).await;
        assert_eq!(c["total"], 1);
        assert_eq!(c["by_system"][0]["key"], "Treserva");
        assert_eq!(c["by_kind"][0]["key"], "personal_data");
        let csv = t
            .coordinator
            .get(&format!("{url}?format=csv"))
            .await
            .expect(200);
        assert!(csv.header("content-type").starts_with("text/csv"));
        let text = csv.body.clone();
        assert!(text.contains("total;incidents;1\n"), "{text}");
        assert!(text.contains("system;Treserva;1\n"), "{text}");
        // The compilation is the coordinator's; others may not, and a bad
        // period is named.
        problem(&t.owner.get(url).await, 403);
        let v = problem(
            &t.coordinator
                .get(&format!("{url}?from=2026-12-31&to=2026-01-01"))
                .await,
            422,
        );
        assert_eq!(
            problem_fields(&v),
            [("to".to_owned(), "error-end-before-start".to_owned())]
        );
    }
);

dual_test!(
    mina_uppgifter_lists_the_open_clocks_of_the_incidents_one_handles,
    |store: Store| async move {
        let t = setup(&store).await?;
        t.reporter
            .post_json_expecting(BASE, &report(t.system, 60), 201)
            .await;
        let imy = "Anmälan av personuppgiftsincident till IMY";
        for who in [&t.coordinator, &t.owner] {
            let page = who.get_text("/o/kommunen/tasks").await;
            assert!(page.contains("Beslut skickat till fel mottagare"), "{page}");
            assert!(page.contains(imy), "{page}");
        }
        // The reporter sees the incident but does not handle it; the owner
        // of another system has nothing to do with it.
        for who in [&t.reporter, &t.stranger] {
            let page = who.get_text("/o/kommunen/tasks").await;
            assert!(!page.contains(imy), "{page}");
        }
    }
);
