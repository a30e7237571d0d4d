//! E-services through the API and as pages: an editor records, a reader
//! reads and may not write; strict bodies name the field; the list filters
//! by step and names the findings in Swedish and English; the page shows
//! the step, the systems (as links) and the accessibility statement; the
//! system page lists the e-services it serves; the public register shows
//! only published e-services with their public fields, and its search
//! never finds a secret value.

use insyn_domain::AppRole;
use insyn_store::Store;
use insyn_tests::{App, Scenario, dual_test};
use serde_json::json;

dual_test!(
    an_editor_records_an_eservice_and_a_reader_reads_it,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let sys = k.system("ByggR").await;
        let editor = k.signed_in("eva@kommunen.se", AppRole::Editor).await?;
        let reader = k.signed_in("rut@kommunen.se", AppRole::Reader).await?;
        let list = "/api/v1/orgs/kommunen/e-services";

        let body = json!({
            "name": "Ansökan om bygglov",
            "step": "transaction",
            "target_groups": ["citizens", "businesses"],
            "goal_areas": ["e_service"],
            "system_ids": [sys.id],
            "statement_url": "https://kommunen.se/tillganglighet",
            "statement_date": "2020-01-01",
            "accessibility_status": "partially_compliant",
            "criteria": [{ "criterion": "vision", "verdict": "met" }]
        });
        reader.post_json(list, &body).await.expect(403);
        let long = json!({ "name": "X", "step": "information", "owner": "å".repeat(301) });
        let refused = editor.post_json(list, &long).await.expect(422);
        assert!(refused.body.contains("owner"), "{}", refused.body);
        let bad = json!({ "name": "X", "step": "stairs" });
        editor.post_json(list, &bad).await.expect(422);
        let bad_url = json!({ "name": "X", "step": "information", "url": "kommunen.se" });
        let refused = editor.post_json(list, &bad_url).await.expect(422);
        assert!(refused.body.contains("url"), "{}", refused.body);

        let e = editor.post_json_expecting(list, &body, 201).await;
        let findings = e["findings"].as_array().unwrap();
        assert!(
            findings.contains(&json!("eservice-finding-statement-old")),
            "{e}"
        );
        assert!(
            findings.contains(&json!("eservice-finding-criteria-not-assessed")),
            "{e}"
        );
        assert_eq!(e["published"], false);
        let one = format!("{list}/{}", e["id"].as_str().unwrap());
        assert_eq!(reader.get_json(&one).await["systems"][0]["name"], "ByggR");
        assert_eq!(reader.get_json(list).await["total"], 1);
        assert_eq!(
            reader.get_json(&format!("{list}?step=transaction")).await["total"],
            1
        );
        assert_eq!(
            reader.get_json(&format!("{list}?step=information")).await["total"],
            0
        );
        reader.get(&format!("{list}?step=stairs")).await.expect(422);

        let mut d = body.clone();
        d["step"] = json!("integration");
        let r = editor.put_json_expecting(&one, &d, 200).await;
        assert_eq!(r["step"], "integration");
        reader.put_json(&one, &d).await.expect(403);

        // Which fields are public: read by all, set by administrators.
        let fields = "/api/v1/orgs/kommunen/e-service-public-fields";
        assert_eq!(reader.get_json(fields).await["fields"]["systems"], false);
        let open = json!({ "fields": { "systems": true } });
        editor.put_json(fields, &open).await.expect(403);
        let admin = k
            .signed_in("adam@kommunen.se", AppRole::Administrator)
            .await?;
        let r = admin.put_json_expecting(fields, &open, 200).await;
        assert_eq!(r["fields"]["systems"], true);
        let unknown = json!({ "fields": { "passwords": true } });
        admin.put_json(fields, &unknown).await.expect(422);

        let gone = editor.delete(&one).await;
        assert_eq!(gone.status, 204, "{}", gone.body);
        reader.get(&one).await.expect(404);
    }
);

dual_test!(
    the_pages_show_step_systems_and_statement_and_the_system_lists_its_eservices,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let sys = k.system("ByggR").await;
        let editor = k.signed_in("eva@kommunen.se", AppRole::Editor).await?;
        let base = "/o/kommunen/e-services";

        // A name no system has, and a bad address: refused on their fields.
        let refused = editor
            .post_form(
                base,
                &[
                    ("name", "Ansökan om bygglov"),
                    ("step", "transaction"),
                    ("system", "Finns inte"),
                    ("statement_url", "tillganglighet"),
                ],
            )
            .await
            .expect(422);
        assert!(
            refused.body.contains("e-system_ids-error"),
            "{}",
            refused.body
        );
        assert!(
            refused.body.contains("e-statement_url-error"),
            "{}",
            refused.body
        );
        assert!(
            refused.body.contains(r#"value="Finns inte""#),
            "{}",
            refused.body
        );

        let done = editor
            .post_form(
                base,
                &[
                    ("name", "Ansökan om bygglov"),
                    ("step", "transaction"),
                    ("target_groups", "citizens"),
                    ("goal_areas", "e_service"),
                    ("system", "byggr"),
                    ("statement_url", "https://kommunen.se/tillganglighet"),
                    ("statement_date", "2020-01-01"),
                    ("accessibility_status", "partially_compliant"),
                    ("verdict_vision", "met"),
                    ("note_vision", "Stödjer visionen"),
                    ("published", "on"),
                ],
            )
            .await
            .expect(303);
        let page = editor.get(done.location()).await.expect(200);
        page.assert_text_contains("3 Transaktion");
        page.assert_text_contains("https://kommunen.se/tillganglighet");
        page.assert_text_contains("Delvis förenlig");
        page.assert_text_contains("granskades senast för mer än ett år sedan");
        page.assert_text_contains("Stödjer visionen");
        assert!(
            page.hrefs()
                .contains(&format!("/o/kommunen/systems/{}", sys.id)),
            "the system is a link"
        );
        let edit = editor
            .get(&format!(
                "{}/edit",
                done.location().split('?').next().unwrap()
            ))
            .await
            .expect(200);
        assert!(edit.body.contains(r#"value="ByggR""#), "{}", edit.body);

        let list = editor
            .get(&format!("{base}?step=transaction"))
            .await
            .expect(200);
        list.assert_text_contains("Ansökan om bygglov");
        let none = editor
            .get(&format!("{base}?step=information"))
            .await
            .expect(200);
        assert!(!none.text().contains("Ansökan om bygglov"));
        let en = editor.lang("en").get(base).await.expect(200);
        en.assert_text_contains("last reviewed more than a year ago");

        let system = editor
            .get(&format!("/o/kommunen/systems/{}", sys.id))
            .await
            .expect(200);
        system.assert_text_contains("E-tjänster som systemet används för");
        system.assert_text_contains("Ansökan om bygglov");

        // A reader sees the pages but gets no form; removal is an editor's.
        let reader = k.signed_in("rut@kommunen.se", AppRole::Reader).await?;
        reader.get(base).await.expect(200);
        reader.get(&format!("{base}/new")).await.expect(403);
        reader
            .get("/o/kommunen/settings/e-services")
            .await
            .expect(403);
        let id = done.location().split('?').next().unwrap().to_owned();
        reader.post_empty(&format!("{id}/remove")).await.expect(403);
        editor.post_empty(&format!("{id}/remove")).await.expect(303);
        editor.get(&id).await.expect(404);
    }
);

dual_test!(
    the_public_page_shows_published_eservices_with_public_fields_only,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let sys = k.system("HemligaByggR").await;
        let a = insyn_tests::actor();
        let today = chrono::Utc::now().date_naive();
        let mut d = crate::store_eservices::complete(
            "Ansökan om bygglov",
            insyn_domain::eservice::EServiceStep::Transaction,
            vec![sys.id],
        );
        d.owner = Some("Hemliga Ägaren".into());
        d.published = true;
        store.create_eservice(&a, k.org, d, today).await?;
        let mut hidden = crate::store_eservices::complete(
            "Opublicerad",
            insyn_domain::eservice::EServiceStep::Information,
            vec![],
        );
        hidden.published = false;
        store.create_eservice(&a, k.org, hidden, today).await?;

        let anyone = App::anonymous(&store);
        let page = anyone.get("/public/kommunen/e-services").await.expect(200);
        page.assert_text_contains("Ansökan om bygglov");
        page.assert_text_contains("3 Transaktion");
        page.assert_text_contains("https://kommunen.se/tillganglighet");
        for secret in ["Hemliga", "HemligaByggR", "Opublicerad"] {
            assert!(!page.body.contains(secret), "{secret} leaked");
        }
        let found = anyone
            .get("/public/kommunen/e-services?q=hemligabyggr")
            .await
            .expect(200);
        assert!(
            !found.body.contains("Ansökan om bygglov"),
            "a secret value was searched"
        );
        let found = anyone
            .get("/public/kommunen/e-services?q=bygglov")
            .await
            .expect(200);
        found.assert_text_contains("Ansökan om bygglov");
        // Nor in the systems' register, its search and its exports.
        for uri in [
            "/public/kommunen",
            "/public/kommunen?q=bygglov",
            "/public/kommunen/register.csv",
            "/public/kommunen/register.json",
        ] {
            let r = anyone.get(uri).await;
            assert!(!r.body.contains("Ansökan om bygglov"), "{uri}");
            assert!(!r.body.contains("Hemliga Ägaren"), "{uri}");
        }
        let en = anyone
            .lang("en")
            .get("/public/kommunen/e-services")
            .await
            .expect(200);
        en.assert_text_contains("3 Transaction");
    }
);
