//! The unit's manager (chef) and a leaver's roles through the API and the
//! pages: the manager orders access for their own staff and nobody else's;
//! a leaver's roles are handed over to a successor in one step.

use insyn_domain::AppRole;
use insyn_store::Store;
use insyn_tests::{On, Scenario, assert_problem_fields, dual_test, problem, unit};
use serde_json::json;

dual_test!(
    the_manager_orders_access_for_their_own_staff_and_not_for_others,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Treserva").await;
        let cia = k.person("Cia Chef", Some("cia@kommunen.se")).await?;
        let hem = unit(&store, k.org, None, "Hemtjänsten").await;
        let editor = k.signed_in("redaktor@kommunen.se", AppRole::Editor).await?;
        let units = "/api/v1/orgs/kommunen/units";
        let u = editor
            .put_json_expecting(
                &format!("{units}/{}", hem.id),
                &json!({ "name": "Hemtjänsten", "level": "Enhet", "manager_id": cia.id }),
                200,
            )
            .await;
        assert_eq!(u["manager_id"], json!(cia.id));
        let r = editor
            .post_json(
                units,
                &json!({ "name": "Annan", "level": "Enhet", "manager_id": uuid::Uuid::now_v7() }),
            )
            .await;
        assert_problem_fields(&r, 422, &[("manager_id", "error-unknown-reference")]);
        let staff = editor
            .post_json_expecting(
                "/api/v1/orgs/kommunen/people",
                &json!({ "name": "Sam Personal", "unit_id": hem.id, "active": true }),
                201,
            )
            .await;
        let other = k.person("Olle Annan", None).await?;
        let base = format!("/api/v1/orgs/kommunen/systems/{}", s.id);
        let p = editor
            .post_json_expecting(
                &format!("{base}/access-profiles"),
                &json!({ "name": "Handläggare" }),
                201,
            )
            .await;
        assert_eq!(p["orderer"], "manager");
        let manager = k.signed_in("cia@kommunen.se", AppRole::Reader).await?;
        let order = |person: serde_json::Value| json!({ "kind": "grant", "person_id": person, "profile_ids": [p["id"]], "start_date": "2026-01-01" });
        let placed = manager
            .post_json_expecting(
                &format!("{base}/access-orders"),
                &order(staff["id"].clone()),
                201,
            )
            .await;
        assert_eq!(placed[0]["state"], "ordered");
        let r = manager
            .post_json(&format!("{base}/access-orders"), &order(json!(other.id)))
            .await;
        problem(&r, 403);
        // The unit page names its manager.
        let page = editor
            .get(&format!("/o/kommunen/units/{}", hem.id))
            .await
            .expect(200);
        page.assert_text_contains("Cia Chef");
    }
);

dual_test!(
    a_leavers_roles_are_handed_over_through_the_api_and_the_page,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Treserva").await;
        let ola = k.owner(&s, "Ola Ägare", "ola@kommunen.se").await?;
        let siv = k
            .person("Siv Efterträdare", Some("siv@kommunen.se"))
            .await?;
        let bo = k.person("Bo Tredje", None).await?;
        k.holds("system_manager", &ola, On::System(s.id)).await?;
        let editor = k.signed_in("redaktor@kommunen.se", AppRole::Editor).await?;
        let coordinator = k
            .signed_in("isam@kommunen.se", AppRole::SecurityCoordinator)
            .await?;
        // Ola leaves through the API.
        editor
            .put_json_expecting(
                &format!("/api/v1/orgs/kommunen/people/{}", ola.id),
                &json!({ "name": "Ola Ägare", "email": "ola@kommunen.se", "active": false }),
                200,
            )
            .await;
        let tasks = editor.get_json("/api/v1/orgs/kommunen/leavers/roles").await;
        assert_eq!(tasks["total"], 2, "{tasks}");
        let mine = coordinator.get("/o/kommunen/tasks").await.expect(200);
        mine.assert_text_contains("Ola Ägare");
        let person = editor
            .get(&format!("/o/kommunen/people/{}", ola.id))
            .await
            .expect(200);
        assert!(
            person
                .hrefs()
                .iter()
                .any(|h| h.ends_with("/transfer-roles"))
        );

        // The API refuses the person themself, and a reader may not hand over.
        let uri = format!("/api/v1/orgs/kommunen/people/{}/transfer-roles", ola.id);
        let r = editor
            .post_json(&uri, &json!({ "successor_id": ola.id }))
            .await;
        assert_problem_fields(&r, 422, &[("successor_id", "error-successor-same")]);
        let reader = k.signed_in("lasare@kommunen.se", AppRole::Reader).await?;
        problem(
            &reader
                .post_json(&uri, &json!({ "successor_id": siv.id }))
                .await,
            403,
        );

        // The page: the form, a missing choice, then the handover.
        let page = format!("/o/kommunen/people/{}/transfer-roles", ola.id);
        editor
            .get(&page)
            .await
            .expect(200)
            .assert_text_contains("Siv Efterträdare");
        let again = editor
            .post_form(&page, &[("successor_id", "")])
            .await
            .expect(422);
        assert!(again.body.contains("aria-invalid"));
        let done = editor
            .post_form(&page, &[("successor_id", &siv.id.to_string())])
            .await
            .expect(303);
        assert_eq!(done.location(), format!("/o/kommunen/people/{}", ola.id));
        let held = editor
            .get_json(&format!("/api/v1/orgs/kommunen/people/{}/roles", siv.id))
            .await;
        assert_eq!(held["total"], 2, "{held}");
        assert!(editor.get_json("/api/v1/orgs/kommunen/leavers/roles").await["total"] == 0);
        // Through the API too: Siv's roles on to Bo.
        let uri = format!("/api/v1/orgs/kommunen/people/{}/transfer-roles", siv.id);
        let given = editor
            .post_json_expecting(&uri, &json!({ "successor_id": bo.id }), 200)
            .await;
        assert_eq!(given["total"], 2, "{given}");
        assert!(
            given["items"]
                .as_array()
                .is_some_and(|a| a.iter().all(|x| x["person_id"] == json!(bo.id)))
        );
    }
);
