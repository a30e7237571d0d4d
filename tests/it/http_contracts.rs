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

dual_test!(
    the_contract_and_supplier_lists_page_through_the_api_with_strict_parameters,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let editor = k.signed_in("eva@kommunen.se", AppRole::Editor).await?;
        let suppliers = "/api/v1/orgs/kommunen/suppliers";
        let mut ids = vec![];
        for name in ["Atea", "Visma", "Tieto"] {
            let s = editor
                .post_json_expecting(suppliers, &json!({ "name": name }), 201)
                .await;
            ids.push(s["id"].as_str().unwrap().to_owned());
        }
        // Named so that neither the names' order nor the creation's is the
        // notice days' order.
        for (n, months) in [(0, 24), (1, 12), (1, 36)] {
            let body = json!({
                "name": format!("Avtal {}", 100 - months),
                "supplier_id": ids[n],
                "kind": "licence",
                "renewal": "tacit",
                "renewal_months": 12,
                "signed_on": "2029-12-01",
                // Far ahead: no notice day has passed on the day the test runs.
                "start_date": "2030-01-01",
                "initial_months": months,
                "customer_notice_months": 3,
            });
            editor
                .post_json_expecting("/api/v1/orgs/kommunen/contracts", &body, 201)
                .await;
        }
        let list = editor
            .get_json("/api/v1/orgs/kommunen/contracts?sort=notice_day&per_page=1&page=1")
            .await;
        assert_eq!(
            (list["total"].as_i64(), list["per_page"].as_i64()),
            (Some(3), Some(1))
        );
        assert_eq!(list["items"][0]["name"], "Avtal 88", "{list}");
        let last = editor
            .get_json("/api/v1/orgs/kommunen/contracts?per_page=2&page=2")
            .await;
        assert_eq!(last["items"][0]["name"], "Avtal 64", "{last}");
        let theirs = editor
            .get_json(&format!(
                "/api/v1/orgs/kommunen/contracts?supplier={}&sort=name",
                ids[1]
            ))
            .await;
        assert_eq!(theirs["total"], 2);
        assert_eq!(theirs["items"][0]["name"], "Avtal 64");
        // The contract sorts are the contract list's own; the register's
        // are refused there, and a page size over the cap everywhere.
        editor
            .get("/api/v1/orgs/kommunen/contracts?sort=unit")
            .await
            .expect(422);
        editor
            .get("/api/v1/orgs/kommunen/systems?sort=notice_day")
            .await
            .expect(422);
        editor
            .get(&format!("{suppliers}?per_page=501"))
            .await
            .expect(422);
        let page = editor
            .get_json(&format!("{suppliers}?per_page=2&page=2"))
            .await;
        assert_eq!(page["total"], 3);
        assert_eq!(page["items"][0]["name"], "Visma", "{page}");
        let record = editor.get_json(&format!("{suppliers}/{}", ids[1])).await;
        assert_eq!(record["contracts_total"], 2);
        assert_eq!(record["systems_total"], 0);
    }
);
