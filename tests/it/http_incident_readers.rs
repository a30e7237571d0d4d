//! An organisation may let its readers see its incidents (issue 17, Build 5):
//! off by default, set by an administrator on the settings page or through
//! the API, audited. With it on, readers and editors see the list, the
//! pages and the drafts, and still cannot change anything.

use chrono::{Duration, Utc};
use insyn_domain::AppRole;
use insyn_store::Store;
use insyn_tests::{Scenario, audit_count, dual_test, problem};
use serde_json::json;

const API: &str = "/api/v1/orgs/kommunen";

dual_test!(
    readers_see_incidents_only_when_the_organisation_allows,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Treserva").await;
        let coordinator = k
            .signed_in("sara@kommunen.se", AppRole::SecurityCoordinator)
            .await?;
        let admin = k
            .signed_in("ida@kommunen.se", AppRole::Administrator)
            .await?;
        let reader = k.signed_in("rut@kommunen.se", AppRole::Reader).await?;
        let editor = k.signed_in("eje@kommunen.se", AppRole::Editor).await?;
        let created = coordinator
            .post_json_expecting(
                &format!("{API}/incidents"),
                &json!({
                    "title": "Inloggningen nere",
                    "kind": "personal_data",
                    "severity": "medium",
                    "detection": "internal",
                    "aware_at": (Utc::now() - Duration::hours(3)).to_rfc3339(),
                    "system_ids": [s.id],
                    "personal_data": { "categories": "Brukare", "sensitive": false, "subjects": 1 }
                }),
                201,
            )
            .await;
        let id = created["id"].as_str().unwrap().to_owned();
        let page = format!("/o/kommunen/incidents/{id}");
        let api_one = format!("{API}/incidents/{id}");
        let draft = format!("{api_one}/drafts/gdpr-imy");

        // Off by default: the incident does not exist for them.
        let settings = format!("{API}/incident-settings");
        assert_eq!(
            reader.get_json(&settings).await["readers_see_incidents"],
            false
        );
        for who in [&reader, &editor] {
            who.get(&page).await.expect(404);
            who.get(&api_one).await.expect(404);
            let list = who.get_json(&format!("{API}/incidents")).await;
            assert_eq!(list["total"], 0, "{list}");
        }

        // Only an administrator turns it on; the change is audited.
        problem(
            &coordinator
                .put_json(&settings, &json!({ "readers_see_incidents": true }))
                .await,
            403,
        );
        let before = audit_count(&store).await?;
        admin
            .post_form("/o/kommunen/settings/incidents", &[("readers", "on")])
            .await
            .expect(303);
        assert_eq!(audit_count(&store).await?, before + 1);
        let form = admin
            .get("/o/kommunen/settings/incidents")
            .await
            .expect(200);
        assert!(form.body.contains(" checked>"), "{}", form.body);
        assert_eq!(
            reader.get_json(&settings).await["readers_see_incidents"],
            true
        );

        // Now readers and editors see the list, the page and a draft ...
        for who in [&reader, &editor] {
            let list = who.get_text("/o/kommunen/incidents").await;
            assert!(list.contains("Inloggningen nere"), "{list}");
            let one = who.get(&page).await.expect(200);
            one.assert_text_contains("Inloggningen nere");
            assert_eq!(who.get_json(&api_one).await["incident"]["id"], id);
            let api_list = who.get_json(&format!("{API}/incidents")).await;
            assert_eq!(api_list["total"], 1, "{api_list}");
            who.get(&draft).await.expect(200);
            // ... but change nothing.
            who.post_form(&format!("{page}/notes"), &[("text", "Jag var här")])
                .await
                .expect(403);
            problem(
                &who.post_json(
                    &format!("{api_one}/status"),
                    &json!({ "status": "investigating" }),
                )
                .await,
                403,
            );
            // The compilation stays the coordinator's.
            problem(&who.get(&format!("{API}/incident-compilation")).await, 403);
        }

        // Off again, through the API: hidden again.
        admin
            .put_json_expecting(&settings, &json!({ "readers_see_incidents": false }), 200)
            .await;
        reader.get(&page).await.expect(404);
    }
);
