//! Organisations are walled off through both interfaces: B's records do not
//! exist under A's address, for reading or for writing, and A cannot refer
//! to them.

use insyn_domain::*;
use insyn_store::Store;
use insyn_tests::{
    App, assert_problem_fields, audit_count, dual_test, org_id, person, problem, problem_fields,
    role_type, system, unit,
};
use serde_json::{Value, json};

dual_test!(
    another_organisations_records_do_not_exist_under_this_ones_address,
    |store: Store| async move {
        let a = org_id(&store, "kommunen").await?;
        let b = org_id(&store, "bolaget").await?;
        let unit_a = unit(&store, a, None, "Kommunledningen").await;
        let unit_b = unit(&store, b, None, "Elnät").await;
        let anna = person(&store, a, "Anna Andersson", Some("anna@kommunen.se")).await?;
        let bo = person(&store, b, "Bo Berg", Some("bo@bolaget.se")).await?;
        let owner_a = role_type(&store, a, SYSTEM_OWNER).await?;
        let owner_b = role_type(&store, b, SYSTEM_OWNER).await?;
        let mine = system(&store, a, "Ekonomisystem").await;
        let app = App::new(&store).await;

        let theirs = app
            .post_json_expecting("/api/v1/orgs/bolaget/systems",
                &json!({ "name": "Elnätssystem", "vendor": "Hitachi", "responsible_unit_id": unit_b.id }), 201).await;
        let tid = theirs["id"].as_str().expect("an id").to_owned();
        let their_role = app
            .post_json_expecting("/api/v1/orgs/bolaget/role-assignments",
                &json!({ "role_type_id": owner_b.id, "person_id": bo.id, "system_id": tid, "start_date": "2024-01-01" }), 201).await;
        let their_role_id = their_role["id"].as_str().expect("an id").to_owned();
        // Assigning a role touches the system: read it as it now is.
        let theirs = app
            .get_json(&format!("/api/v1/orgs/bolaget/systems/{tid}"))
            .await;
        let their_roles = app
            .get_json(&format!("/api/v1/orgs/bolaget/systems/{tid}/roles"))
            .await;
        let audits = audit_count(&store).await?;

        // --- The API under A's address: B's system, unit, person and assignment are not found.
        let sys = format!("/api/v1/orgs/kommunen/systems/{tid}");
        let update = json!({ "name": "Kapad", "vendor": "Någon annan" });
        let mut answers = vec![
            ("GET system", app.get(&sys).await),
            ("PUT system", app.put_json(&sys, &update).await),
            (
                "archive",
                app.post_json(&format!("{sys}/archive"), &json!({})).await,
            ),
            (
                "restore",
                app.post_json(&format!("{sys}/restore"), &json!({})).await,
            ),
            ("roles", app.get(&format!("{sys}/roles")).await),
            ("history", app.get(&format!("{sys}/history")).await),
            (
                "unit",
                app.get(&format!("/api/v1/orgs/kommunen/units/{}", unit_b.id))
                    .await,
            ),
            (
                "PUT unit",
                app.put_json(
                    &format!("/api/v1/orgs/kommunen/units/{}", unit_b.id),
                    &json!({ "name": "Kapad", "level": "Enhet", "parent_id": null }),
                )
                .await,
            ),
            (
                "archive unit",
                app.post_json(
                    &format!("/api/v1/orgs/kommunen/units/{}/archive", unit_b.id),
                    &json!({}),
                )
                .await,
            ),
            (
                "person",
                app.get(&format!("/api/v1/orgs/kommunen/people/{}", bo.id))
                    .await,
            ),
            (
                "PUT person",
                app.put_json(
                    &format!("/api/v1/orgs/kommunen/people/{}", bo.id),
                    &json!({ "name": "Kapad", "email": null, "title": null, "unit_id": null }),
                )
                .await,
            ),
            (
                "person roles",
                app.get(&format!("/api/v1/orgs/kommunen/people/{}/roles", bo.id))
                    .await,
            ),
            (
                "assignment",
                app.get(&format!(
                    "/api/v1/orgs/kommunen/role-assignments/{their_role_id}"
                ))
                .await,
            ),
            (
                "end assignment",
                app.post_json(
                    &format!("/api/v1/orgs/kommunen/role-assignments/{their_role_id}/end"),
                    &json!({ "end_date": "2024-06-30" }),
                )
                .await,
            ),
        ];
        for (what, r) in answers.drain(..) {
            assert_eq!(r.status, 404, "{what}: {}", r.body);
            problem(&r, 404);
        }

        // --- The pages under A's address.
        let page = format!("/o/kommunen/systems/{tid}");
        let form = [
            ("name", "Kapad"),
            ("lifecycle", "in_operation"),
            ("hosting", "internal"),
        ];
        let bad_form = [
            ("name", ""),
            ("lifecycle", "in_operation"),
            ("hosting", "internal"),
        ];
        let anna_email = anna.email.clone().unwrap_or_default();
        let assign = [
            ("role_type_id", owner_a.id.to_string()),
            ("person", anna_email),
            ("start_date", "2024-01-01".to_owned()),
        ];
        let assign: Vec<(&str, &str)> = assign.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let answers = vec![
            ("page", app.get(&page).await),
            ("edit", app.get(&format!("{page}/edit")).await),
            ("update", app.post_form(&page, &form).await),
            ("invalid update", app.post_form(&page, &bad_form).await),
            ("archive", app.post_empty(&format!("{page}/archive")).await),
            ("restore", app.post_empty(&format!("{page}/restore")).await),
            (
                "assign",
                app.post_form(&format!("{page}/roles"), &assign).await,
            ),
            (
                "end assignment",
                app.post_empty(&format!("/o/kommunen/assignments/{their_role_id}/end"))
                    .await,
            ),
            (
                "person page",
                app.get(&format!("/o/kommunen/people/{}", bo.id)).await,
            ),
            (
                "unit page",
                app.get(&format!("/o/kommunen/units/{}", unit_b.id)).await,
            ),
        ];
        for (what, r) in answers {
            assert_eq!(r.status, 404, "{what}: {}", r.body);
            assert_eq!(
                r.header("content-type"),
                "text/html; charset=utf-8",
                "{what}"
            );
            assert!(r.text().contains("Sidan finns inte"), "{what}");
            assert!(!r.body.contains("Elnätssystem"), "{what} shows B's system");
            assert!(!r.body.contains("Bo Berg"), "{what} shows B's person");
        }

        // --- B's system, unit, person and role are as they were, with only their own history.
        assert_eq!(audit_count(&store).await?, audits, "nothing was written");
        let after = app
            .get_json(&format!("/api/v1/orgs/bolaget/systems/{tid}"))
            .await;
        assert_eq!(after, theirs);
        assert_eq!(
            app.get_json(&format!("/api/v1/orgs/bolaget/systems/{tid}/roles"))
                .await,
            their_roles
        );
        let h = app
            .get_json(&format!("/api/v1/orgs/bolaget/systems/{tid}/history"))
            .await;
        assert_eq!(h["total"], 1, "{h}");
        assert_eq!(store.get_unit(b, unit_b.id).await?.name, "Elnät");
        assert_eq!(store.get_person(b, bo.id).await?.name, "Bo Berg");

        // --- A's register never lists B's systems, whatever is asked.
        for q in [
            "",
            "?q=eln%C3%A4t",
            "?q=hitachi",
            "?include_archived=true",
            "?no_owner=true",
            "?per_page=500",
        ] {
            let api = app
                .get_json(&format!("/api/v1/orgs/kommunen/systems{q}"))
                .await;
            let ids: Vec<&Value> = api["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|s| &s["id"])
                .collect();
            assert!(!ids.contains(&&json!(tid)), "API {q} lists B's system");
            assert!(!api.to_string().contains("Elnät"), "API {q}: {api}");
            let html = app
                .get(&format!("/o/kommunen/systems{q}"))
                .await
                .expect(200);
            assert!(!html.body.contains(&tid), "page {q} links B's system");
            assert!(
                !html.body.contains("Elnät"),
                "page {q} shows B's system or unit"
            );
        }
        // A search that finds B's system in B finds nothing in A.
        let in_b = app
            .get_json("/api/v1/orgs/bolaget/systems?q=eln%C3%A4t")
            .await;
        assert_eq!(in_b["total"], 1);
        let in_a = app
            .get_json("/api/v1/orgs/kommunen/systems?q=eln%C3%A4t")
            .await;
        assert_eq!(in_a["total"], 0);
        // A filter on B's unit, asked through A, finds nothing (the page ignores it or finds nothing).
        let by_unit = app
            .get_json(&format!("/api/v1/orgs/kommunen/systems?unit={}", unit_b.id))
            .await;
        assert_eq!(by_unit["total"], 0, "{by_unit}");
        // A's other lists hold nothing of B's.
        for path in ["units", "people", "role-assignments", "role-types"] {
            let r = app
                .get(&format!("/api/v1/orgs/kommunen/{path}"))
                .await
                .expect(200);
            assert!(!r.body.contains("Elnät"), "{path}");
            assert!(!r.body.contains("Bo Berg"), "{path}");
            assert!(!r.body.contains(&owner_b.id.to_string()), "{path}");
        }
        let people = app.get("/o/kommunen/people").await.expect(200);
        assert!(!people.body.contains("Bo Berg"));
        let org_page = app.get("/o/kommunen").await.expect(200);
        assert!(!org_page.body.contains("Elnät"));

        // --- A cannot refer to B's unit, person or role type.
        let r = app
            .post_json(
                "/api/v1/orgs/kommunen/systems",
                &json!({ "name": "Något", "responsible_unit_id": unit_b.id }),
            )
            .await;
        assert_problem_fields(
            &r,
            422,
            &[("responsible_unit_id", "error-unknown-reference")],
        );
        let r = app
            .post_json(
                "/api/v1/orgs/kommunen/systems",
                &json!({ "name": "Något", "using_unit_ids": [unit_a.id, unit_b.id] }),
            )
            .await;
        assert_problem_fields(&r, 422, &[("using_unit_ids", "error-unknown-reference")]);
        let r = app
            .put_json(
                &format!("/api/v1/orgs/kommunen/systems/{}", mine.id),
                &json!({ "name": "Ekonomisystem", "responsible_unit_id": unit_b.id }),
            )
            .await;
        assert_problem_fields(
            &r,
            422,
            &[("responsible_unit_id", "error-unknown-reference")],
        );
        let unit_b_id = unit_b.id.to_string();
        let r = app
            .post_form(
                "/o/kommunen/systems",
                &[
                    ("name", "Något"),
                    ("responsible_unit_id", unit_b_id.as_str()),
                    ("lifecycle", "in_operation"),
                    ("hosting", "internal"),
                ],
            )
            .await
            .expect(422);
        assert_eq!(
            insyn_tests::text_by_id(&r.body, "responsible_unit_id-error").as_deref(),
            Some("Det valda finns inte i den här organisationen.")
        );
        assert!(
            !r.body.contains("Elnät"),
            "the form does not offer B's unit"
        );

        // B's person on A's system: through the API and the page.
        let r = app
            .post_json(
                "/api/v1/orgs/kommunen/role-assignments",
                &json!({ "role_type_id": owner_a.id, "person_id": bo.id, "system_id": mine.id, "start_date": "2024-01-01" }),
            )
            .await;
        let fields = problem_fields(&problem(&r, 422));
        assert!(
            fields
                .iter()
                .any(|(f, c)| f == "person_id" && c == "error-unknown-reference"),
            "{fields:?}"
        );
        // B's role type, or A's role on B's system, neither.
        let r = app
            .post_json(
                "/api/v1/orgs/kommunen/role-assignments",
                &json!({ "role_type_id": owner_b.id, "person_id": anna.id, "system_id": mine.id, "start_date": "2024-01-01" }),
            )
            .await;
        problem(&r, 422);
        let r = app
            .post_json(
                "/api/v1/orgs/kommunen/role-assignments",
                &json!({ "role_type_id": owner_a.id, "person_id": anna.id, "system_id": tid, "start_date": "2024-01-01" }),
            )
            .await;
        problem(&r, 422);
        let owner_a_id = owner_a.id.to_string();
        let bo_id = bo.id.to_string();
        for who in ["bo@bolaget.se", "Bo Berg", bo_id.as_str()] {
            let r = app
                .post_form(
                    &format!("/o/kommunen/systems/{}/roles", mine.id),
                    &[
                        ("role_type_id", owner_a_id.as_str()),
                        ("person", who),
                        ("start_date", "2024-01-01"),
                    ],
                )
                .await
                .expect(422);
            assert_eq!(
                insyn_tests::text_by_id(&r.body, "assign-person-error").as_deref(),
                Some("Det valda finns inte i den här organisationen."),
                "{who}"
            );
        }
        assert!(store.system_roles(a, mine.id).await?.is_empty());
        assert_eq!(audit_count(&store).await?, audits, "nothing was written");
    }
);
