//! Suppliers and contracts through the API: a reader sees, an editor
//! records; a bad organisation number is refused naming the field; a
//! contract answers with its last notice day and the arithmetic in words.

use insyn_domain::AppRole;
use insyn_store::Store;
use insyn_tests::{Scenario, dual_test};
use serde_json::json;

dual_test!(
    an_editor_records_a_supplier_and_a_contract_and_a_reader_sees_the_notice_day,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let sys = k.system("Ekonomisystemet").await;
        let editor = k.signed_in("eva@kommunen.se", AppRole::Editor).await?;
        let reader = k.signed_in("rut@kommunen.se", AppRole::Reader).await?;
        let suppliers = "/api/v1/orgs/kommunen/suppliers";

        let bad = json!({ "name": "Visma", "org_number": "212000-0143" });
        let refused = editor.post_json(suppliers, &bad).await.expect(422);
        assert!(
            refused.body.contains("error-org-number"),
            "{}",
            refused.body
        );
        let body = json!({ "name": "Visma", "org_number": "2120000142" });
        reader.post_json(suppliers, &body).await.expect(403);
        let s = editor.post_json_expecting(suppliers, &body, 201).await;
        assert_eq!(s["org_number"], "212000-0142");
        let sid = s["id"].as_str().unwrap().to_owned();

        let link = format!("/api/v1/orgs/kommunen/systems/{}/supplier", sys.id);
        editor
            .put_json_expecting(&link, &json!({ "supplier_id": sid }), 200)
            .await;
        assert_eq!(reader.get_json(&link).await["supplier"]["name"], "Visma");

        let contract = json!({
            "name": "Ekonomisystem",
            "supplier_id": sid,
            "kind": "subscription",
            "signed_on": "2023-12-01",
            "start_date": "2024-01-01",
            "initial_months": 36,
            "renewal": "tacit",
            "renewal_months": 12,
            "customer_notice_months": 3,
            "customer_notice_end_of": "quarter",
            "system_ids": [sys.id],
        });
        let c = editor
            .post_json_expecting("/api/v1/orgs/kommunen/contracts", &contract, 201)
            .await;
        let got = reader
            .get_json(&format!(
                "/api/v1/orgs/kommunen/contracts/{}",
                c["id"].as_str().unwrap()
            ))
            .await;
        assert!(got["dates"]["last_notice_day"].is_string(), "{got}");
        assert!(
            got["dates"]["explanation_sv"][0]
                .as_str()
                .is_some_and(|l| l.contains("36 månader till och med 2026-12-31")),
            "{got}"
        );
        let list = reader
            .get_json("/api/v1/orgs/kommunen/contracts?sort=name")
            .await;
        assert_eq!(list["total"], 1);
        let record = reader.get_json(&format!("{suppliers}/{sid}")).await;
        assert_eq!(record["systems"][0]["name"], "Ekonomisystemet");
        assert_eq!(record["contracts"][0]["name"], "Ekonomisystem");
    }
);
