//! Regulatory facts over HTTP, on both databases: the entity class under
//! cybersäkerhetslagen read by an auditor (page and API) and set by an
//! administrator only, a refused form naming its field in Swedish and
//! English; a system's AI tab showing high-risk AI without a FRIA in words
//! until one is recorded, through the form and the API, a reader refused;
//! none of it in the public register.

use insyn_domain::AppRole;
use insyn_store::Store;
use insyn_tests::{App, Scenario, dual_test, problem};
use serde_json::json;

dual_test!(
    the_entity_class_is_read_by_an_auditor_and_set_by_an_administrator,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let admin = k
            .signed_in("ada@kommunen.se", AppRole::Administrator)
            .await?;
        let auditor = k.signed_in("rut@kommunen.se", AppRole::Reader).await?;
        let editor = k.signed_in("rolf@kommunen.se", AppRole::Editor).await?;
        let api = "/api/v1/orgs/kommunen/nis-entity-class";

        let v = auditor.get_json(api).await;
        assert_eq!(v["entity_class"], "not_assessed", "{v}");
        let page = auditor.get_text("/o/kommunen/settings/nis").await;
        assert!(page.contains("Inte bedömt"), "{page}");
        assert!(
            !page.contains("<form method=\"post\" class=\"card"),
            "no form for the auditor"
        );
        let body = json!({ "entity_class": "essential", "sector": "public_administration",
            "registered_on": "2026-02-01", "registration_reference": "MCF 2026/4711" });
        problem(&auditor.put_json(api, &body).await, 403);
        problem(&editor.put_json(api, &body).await, 403);
        let v = admin.put_json_expecting(api, &body, 200).await;
        assert_eq!(v["sector"], "public_administration", "{v}");
        let org = auditor.get_text("/o/kommunen").await;
        assert!(org.contains("Väsentlig verksamhetsutövare"), "{org}");
        let en = auditor
            .lang("en")
            .get_text("/o/kommunen/settings/nis")
            .await;
        assert!(
            en.contains("Essential entity") && en.contains("Public administration"),
            "{en}"
        );

        // Through the form; a day in the future refused on its field, in both languages.
        let form = [
            ("entity_class", "important"),
            ("sector", "public_administration"),
            ("registered_on", "2999-01-01"),
            ("registration_reference", "MCF 2026/4711"),
        ];
        let r = editor.post_form("/o/kommunen/settings/nis", &form).await;
        assert_eq!(r.status.as_u16(), 403);
        let r = admin
            .post_form("/o/kommunen/settings/nis", &form)
            .await
            .expect(422);
        assert!(
            r.text().contains("Registrerad hos tillsynsmyndigheten"),
            "{}",
            r.text()
        );
        let r = admin
            .lang("en")
            .post_form("/o/kommunen/settings/nis", &form)
            .await
            .expect(422);
        assert!(
            r.text()
                .contains("Registered with the supervisory authority"),
            "{}",
            r.text()
        );
        let mut ok = form;
        ok[2].1 = "2026-03-01";
        admin
            .post_form("/o/kommunen/settings/nis", &ok)
            .await
            .expect(303);
        assert_eq!(auditor.get_json(api).await["entity_class"], "important");
        let bad = json!({ "entity_class": "huge" });
        problem(&admin.put_json(api, &bad).await, 422);
    }
);

dual_test!(
    high_risk_ai_without_a_fria_is_named_on_the_tab_until_one_is_recorded,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Bidragsstöd").await;
        let editor = k.signed_in("rolf@kommunen.se", AppRole::Editor).await?;
        let reader = k.signed_in("rut@kommunen.se", AppRole::Reader).await?;
        let page = format!("/o/kommunen/systems/{}/ai", s.id);
        let api = format!("/api/v1/orgs/kommunen/systems/{}/ai-act", s.id);

        let tab = reader.get_text(&page).await;
        assert!(
            tab.contains("Ingen har bedömt om systemet innehåller ett AI-system"),
            "{tab}"
        );
        let form = [
            ("contains_ai", "yes"),
            ("risk_class", "high_risk"),
            ("role", "deployer"),
            ("description", "HEMLIG bedömning av bistånd"),
        ];
        let r = reader.post_form(&page, &form).await;
        assert_eq!(r.status.as_u16(), 403);
        editor.post_form(&page, &form).await.expect(303);
        let tab = reader.get_text(&page).await;
        assert!(
            tab.contains("AI-system med hög risk utan konsekvensbedömning"),
            "{tab}"
        );
        let en = reader.lang("en").get_text(&page).await;
        assert!(
            en.contains("High-risk AI system without a fundamental-rights impact assessment"),
            "{en}"
        );

        // Refused: a FRIA for limited risk, named on its field.
        let bad = [
            ("contains_ai", "yes"),
            ("risk_class", "limited"),
            ("fria_on", "2026-03-01"),
        ];
        let r = editor.post_form(&page, &bad).await.expect(422);
        assert!(
            r.text().contains("En FRIA hör till AI-system med hög risk"),
            "{}",
            r.text()
        );

        // The API: read, the FRIA recorded, the finding gone; a reader refused.
        let v = reader.get_json(&api).await;
        assert_eq!(v["findings"], json!(["high_risk_without_fria"]), "{v}");
        let body = json!({ "contains_ai": "yes", "risk_class": "high_risk", "role": "deployer",
            "description": "HEMLIG bedömning av bistånd", "fria_on": "2026-03-01",
            "fria_reference": "FRIA 2026/7" });
        problem(&reader.put_json(&api, &body).await, 403);
        let v = editor.put_json_expecting(&api, &body, 200).await;
        assert_eq!(v["findings"], json!([]), "{v}");
        let tab = reader.get_text(&page).await;
        assert!(
            tab.contains("FRIA 2026/7") && !tab.contains("utan konsekvensbedömning"),
            "{tab}"
        );
        let contradicting = json!({ "contains_ai": "no", "risk_class": "minimal" });
        let p = problem(&editor.put_json(&api, &contradicting).await, 422);
        assert!(p.to_string().contains("risk_class"), "{p}");

        // Nothing of it reaches the public register.
        let anon = App::anonymous(&store);
        let public = anon.get("/public/kommunen").await.expect(200);
        let json = anon.get_json("/public/kommunen/register.json").await;
        let searched = anon.get_text("/public/kommunen?q=HEMLIG").await;
        for body in [&public.body, &json.to_string(), &searched] {
            for secret in ["HEMLIG", "FRIA 2026/7", "high_risk"] {
                assert!(!body.contains(secret), "{secret} leaked: {body}");
            }
        }
    }
);
