//! The contract and supplier pages: a reader sees a contract's last day to
//! give notice with the arithmetic in words in their language, the
//! supplier's systems and contracts; another organisation's contract is
//! not found, and no one signed out sees any of it.

use insyn_domain::AppRole;
use insyn_store::Store;
use insyn_tests::{App, Scenario, dual_test};
use serde_json::json;

dual_test!(
    a_reader_sees_a_contracts_notice_day_explained_and_another_org_gets_404,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let sys = k.system("Ekonomisystemet").await;
        let editor = k.signed_in("eva@kommunen.se", AppRole::Editor).await?;
        let reader = k.signed_in("rut@kommunen.se", AppRole::Reader).await?;
        let s = editor
            .post_json_expecting(
                "/api/v1/orgs/kommunen/suppliers",
                &json!({ "name": "Visma", "org_number": "2120000142" }),
                201,
            )
            .await;
        let sid = s["id"].as_str().unwrap().to_owned();
        editor
            .put_json_expecting(
                &format!("/api/v1/orgs/kommunen/systems/{}/supplier", sys.id),
                &json!({ "supplier_id": sid }),
                200,
            )
            .await;
        let c = editor
            .post_json_expecting(
                "/api/v1/orgs/kommunen/contracts",
                &json!({
                    "name": "Ekonomisystem SaaS",
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
                }),
                201,
            )
            .await;
        let id = c["id"].as_str().unwrap().to_owned();
        let day = c["dates"]["last_notice_day"].as_str().unwrap().to_owned();
        let page = format!("/o/kommunen/contracts/{id}");

        let sv = reader.get(&page).await.expect(200).text();
        assert!(
            sv.contains(&format!("Sista dag att säga upp {day}")),
            "{sv}"
        );
        assert!(
            sv.contains(
                "Avtalet började gälla 2024-01-01 med en första avtalsperiod om 36 månader"
            ),
            "{sv}"
        );
        assert!(
            sv.contains("3 månader räknat till utgången av ett kvartal"),
            "{sv}"
        );
        let links = reader.get(&page).await.hrefs();
        assert!(
            links.contains(&format!("/o/kommunen/systems/{}", sys.id)),
            "{links:?}"
        );

        let en = reader.lang("en").get(&page).await.expect(200).text();
        assert!(
            en.contains(&format!("Last day to give notice {day}")),
            "{en}"
        );
        assert!(
            en.contains("The contract started on 2024-01-01 with an initial term of 36 months"),
            "{en}"
        );
        assert!(!en.contains("Avtalet började gälla"), "{en}");

        let list = reader.get("/o/kommunen/contracts").await.expect(200).text();
        assert!(
            list.contains("Ekonomisystem SaaS") && list.contains(&day),
            "{list}"
        );
        for sort in ["name", "supplier", "status", "notice_day", "nonsense"] {
            reader
                .get(&format!("/o/kommunen/contracts?sort={sort}&page=9"))
                .await
                .expect(200);
        }
        let supplier = reader
            .get(&format!("/o/kommunen/suppliers/{sid}"))
            .await
            .expect(200);
        assert!(supplier.text().contains("Ekonomisystemet"));
        assert!(supplier.hrefs().contains(&page), "{:?}", supplier.hrefs());
        let suppliers = reader.get("/o/kommunen/suppliers").await.expect(200).text();
        assert!(suppliers.contains("Visma"), "{suppliers}");

        let other = Scenario::new(&store, "grannby").await?;
        let stranger = other
            .signed_in("ola@grannby.se", AppRole::Administrator)
            .await?;
        stranger
            .get(&format!("/o/grannby/contracts/{id}"))
            .await
            .expect(404);
        stranger
            .get(&format!("/o/grannby/suppliers/{sid}"))
            .await
            .expect(404);
        let out = App::anonymous(&store).get(&page).await;
        assert_ne!(out.status.as_u16(), 200);
        assert!(!out.text().contains("Ekonomisystem SaaS"));
    }
);
