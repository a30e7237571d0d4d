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

dual_test!(
    a_contract_near_its_last_notice_day_is_in_the_tasks_of_those_reminded_of_it,
    |store: Store| async move {
        use chrono::{Days, Months, Utc};
        let k = Scenario::new(&store, "kommunen").await?;
        let sys = k.system("Ekonomisystemet").await;
        let sara = k
            .person("Sara Samordnare", Some("sara@kommunen.se"))
            .await?;
        let unit = insyn_tests::unit(&store, k.org, None, "Kommunledningskontoret").await;
        k.holds(
            insyn_domain::policy::COORDINATOR,
            &sara,
            insyn_tests::On::Unit(unit.id),
        )
        .await?;
        let coordinator = k
            .signed_in("sara@kommunen.se", AppRole::SecurityCoordinator)
            .await?;
        let editor = k.signed_in("eva@kommunen.se", AppRole::Editor).await?;
        let s = editor
            .post_json_expecting(
                "/api/v1/orgs/kommunen/suppliers",
                &json!({ "name": "Visma" }),
                201,
            )
            .await;
        let today = Utc::now().date_naive();
        let contract = |name: &str, end: chrono::NaiveDate| {
            json!({
                "name": name,
                "supplier_id": s["id"],
                "kind": "subscription",
                "signed_on": "2023-12-01",
                "start_date": "2024-01-01",
                "end_date": end,
                "renewal": "tacit",
                "renewal_months": 12,
                "customer_notice_months": 3,
                "system_ids": [sys.id],
            })
        };
        // Its last notice day in three weeks; the other's in a year and more.
        let near_end = today.checked_add_months(Months::new(3)).unwrap() + Days::new(21);
        let near = editor
            .post_json_expecting(
                "/api/v1/orgs/kommunen/contracts",
                &contract("Ekonomisystem SaaS", near_end),
                201,
            )
            .await;
        let far_end = today.checked_add_months(Months::new(18)).unwrap();
        editor
            .post_json_expecting(
                "/api/v1/orgs/kommunen/contracts",
                &contract("Ekonomisystem support", far_end),
                201,
            )
            .await;
        let day = near["dates"]["last_notice_day"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(day.as_str() > today.to_string().as_str());

        let page = coordinator.get("/o/kommunen/tasks").await.expect(200);
        let tasks = page.text();
        assert!(
            tasks.contains("Avtal med sista dag att säga upp snart (1)"),
            "{tasks}"
        );
        let link = format!("/o/kommunen/contracts/{}", near["id"].as_str().unwrap());
        assert!(page.hrefs().contains(&link), "{:?}", page.hrefs());
        assert!(tasks.contains(&format!("Ekonomisystem SaaS Visma {day}")));
        assert!(tasks.contains("säg upp avtalet, annars förlängs det"));
        assert!(!tasks.contains("Ekonomisystem support"));
        // Someone the reminders do not go to has no such task.
        let other = editor.get("/o/kommunen/tasks").await.expect(200).text();
        assert!(!other.contains("Avtal med sista dag att säga upp snart"));

        // The tasks API lists it too, after the other tasks, in the same
        // paging: its contract, supplier, last notice day and what to do.
        let all = coordinator
            .get_json("/api/v1/orgs/kommunen/tasks?per_page=500")
            .await;
        let items = all["items"].as_array().unwrap();
        assert_eq!(all["total"], items.len());
        let contracts: Vec<_> = items.iter().filter(|t| t["kind"] == "contract").collect();
        assert_eq!(contracts.len(), 1, "{all:#}");
        let t = contracts[0];
        assert_eq!(t["contract"]["id"], near["id"]);
        assert_eq!(t["contract"]["name"], "Ekonomisystem SaaS");
        assert_eq!(t["contract"]["supplier"], "Visma");
        assert_eq!(t["contract"]["last_notice_day"], day.as_str());
        assert_eq!(t["contract"]["action"], "give_notice");
        assert_eq!(t["system_id"], json!(sys.id));
        assert_eq!(t["system_name"], "Ekonomisystemet");
        assert!(t["finding"].is_null() && t["restore_test"].is_null());
        assert_eq!(
            items.last().unwrap()["kind"],
            "contract",
            "the contracts come last"
        );
        // The last page holds it alone when the page ends before it.
        let n = items.len();
        assert!(n >= 2, "the coordinator has other tasks too: {all:#}");
        let last = coordinator
            .get_json(&format!(
                "/api/v1/orgs/kommunen/tasks?per_page={}&page=2",
                n - 1
            ))
            .await;
        assert_eq!(last["total"], n);
        assert_eq!(last["items"].as_array().unwrap().len(), 1);
        assert_eq!(last["items"][0]["kind"], "contract");
        let none = editor.get_json("/api/v1/orgs/kommunen/tasks").await;
        assert!(
            none["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|t| t["kind"] != "contract"),
            "{none:#}"
        );
    }
);
