//! Planned restore tests in the API's tasks and their removal, on both
//! databases: the API's tasks list the same planned tests as "Mina
//! uppgifter" (one source); a planned test is removed from its page (after
//! the confirmation) or with DELETE, with its audit record, and leaves the
//! årshjul and the tasks; a performed one cannot be removed.

use chrono::{Datelike, Days, NaiveDate};
use insyn_domain::AppRole;
use insyn_store::Store;
use insyn_tests::{App, Scenario, audit_count, dual_test};
use serde_json::{Value, json};

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// The ids of the restore tests in the API's tasks, with their state and role.
async fn api_tests(app: &App) -> Vec<(String, String, Value)> {
    let tasks = app.get_json("/api/v1/orgs/kommunen/tasks").await;
    tasks
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["kind"] == "restore_test")
        .map(|t| {
            let r = &t["restore_test"];
            (
                r["id"].as_str().unwrap().to_owned(),
                r["state"].as_str().unwrap().to_owned(),
                t["as_role"].clone(),
            )
        })
        .collect()
}

/// The ids of the restore tests linked from the tasks page.
async fn page_tests(app: &App) -> Vec<String> {
    let page = app.get("/o/kommunen/tasks").await.expect(200);
    page.hrefs()
        .iter()
        .filter_map(|h| h.split("/restore-tests/").nth(1).map(str::to_owned))
        .collect()
}

dual_test!(
    the_api_tasks_list_the_same_planned_restore_tests_as_the_tasks_page,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Lönesystemet").await;
        k.owner(&s, "Ola Ägare", "ola@kommunen.se").await?;
        let owner = k.signed_in("ola@kommunen.se", AppRole::Reader).await?;
        let bo = k.signed_in("bo@kommunen.se", AppRole::Reader).await?;
        let eva = k.signed_in("eva@kommunen.se", AppRole::Reader).await?;
        let api = format!("/api/v1/orgs/kommunen/systems/{}/restore-tests", s.id);
        let plan = async |on: NaiveDate, by: Option<&str>| -> String {
            let v = owner
                .post_json_expecting(&api, &json!({ "planned_on": on, "performed_by": by }), 201)
                .await;
            v["id"].as_str().unwrap().to_owned()
        };
        let late = plan(today() - Days::new(40), None).await;
        let due = plan(today(), Some("bo@kommunen.se")).await;
        let ahead = plan(today() + Days::new(200), None).await;

        let tests = api_tests(&owner).await;
        assert_eq!(
            tests,
            vec![
                (late.clone(), "overdue".into(), json!("system_owner")),
                (due.clone(), "due".into(), json!("system_owner")),
            ]
        );
        let mut ids: Vec<String> = tests.into_iter().map(|t| t.0).collect();
        let mut on_page = page_tests(&owner).await;
        ids.sort();
        on_page.sort();
        assert_eq!(ids, on_page, "the API and the page agree");
        assert!(!on_page.contains(&ahead));
        // Named in the test: no role.
        assert_eq!(
            api_tests(&bo).await,
            vec![(due.clone(), "due".into(), Value::Null)]
        );
        assert_eq!(page_tests(&bo).await, vec![due]);
        assert!(api_tests(&eva).await.is_empty());
        // The findings keep their shape.
        let all = owner.get_json("/api/v1/orgs/kommunen/tasks").await;
        assert!(
            all.as_array()
                .unwrap()
                .iter()
                .filter(|t| t["kind"] == "finding")
                .all(|t| t["finding"]["rule_id"].is_string() && t["restore_test"].is_null()),
            "{all}"
        );
    }
);

dual_test!(
    a_planned_restore_test_is_removed_with_its_audit_record_but_a_performed_one_stays,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Lönesystemet").await;
        k.owner(&s, "Ola Ägare", "ola@kommunen.se").await?;
        let owner = k.signed_in("ola@kommunen.se", AppRole::Reader).await?;
        let reader = k.signed_in("las@kommunen.se", AppRole::Reader).await?;
        let api = format!("/api/v1/orgs/kommunen/systems/{}/restore-tests", s.id);
        let pages = format!("/o/kommunen/systems/{}/restore-tests", s.id);
        let on = today() - Days::new(3);
        let planned = owner
            .post_json_expecting(&api, &json!({ "planned_on": on }), 201)
            .await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let other = owner
            .post_json_expecting(&api, &json!({ "planned_on": on }), 201)
            .await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let done = owner
            .post_json_expecting(
                &api,
                &json!({ "performed_on": on, "restore_minutes": 30, "data_loss_minutes": 0 }),
                201,
            )
            .await["id"]
            .as_str()
            .unwrap()
            .to_owned();

        // The page offers removal (with its confirmation) to the owner only,
        // and only of a test not performed.
        let page = owner.get(&format!("{pages}/{planned}")).await.expect(200);
        assert!(
            page.body
                .contains(&format!("action=\"{pages}/{planned}/remove\""))
        );
        assert!(page.body.contains("Ja, ta bort testet"));
        let page = reader.get(&format!("{pages}/{planned}")).await.expect(200);
        assert!(!page.body.contains("/remove\""));
        let page = owner.get(&format!("{pages}/{done}")).await.expect(200);
        assert!(!page.body.contains("/remove\""));

        reader.delete(&format!("{api}/{planned}")).await.expect(403);
        reader
            .post_empty(&format!("{pages}/{planned}/remove"))
            .await
            .expect(403);

        let before = audit_count(&store).await?;
        owner.delete(&format!("{api}/{planned}")).await.expect(204);
        assert_eq!(audit_count(&store).await?, before + 1);
        owner.get(&format!("{api}/{planned}")).await.expect(404);
        owner.delete(&format!("{api}/{planned}")).await.expect(404);

        let r = owner
            .post_empty(&format!("{pages}/{other}/remove"))
            .await
            .expect(303);
        assert_eq!(
            r.location(),
            format!("/o/kommunen/systems/{}/continuity?saved=1", s.id)
        );
        assert_eq!(audit_count(&store).await?, before + 2);
        owner.get(&format!("{api}/{other}")).await.expect(404);
        let cycle = owner
            .get(&format!("/o/kommunen/cycle?year={}", on.year()))
            .await
            .expect(200);
        assert!(!cycle.body.contains(&planned) && !cycle.body.contains(&other));
        assert!(api_tests(&owner).await.is_empty());

        let r = owner.delete(&format!("{api}/{done}")).await.expect(422);
        insyn_tests::assert_problem_fields(
            &r,
            422,
            &[("performed_on", "error-restore-test-performed-kept")],
        );
        let r = owner
            .post_empty(&format!("{pages}/{done}/remove"))
            .await
            .expect(422);
        assert!(
            r.body
                .contains("Ett genomfört återläsningstest kan inte tas bort"),
            "{}",
            r.body
        );
        owner.get(&format!("{api}/{done}")).await.expect(200);
        assert_eq!(audit_count(&store).await?, before + 2);
    }
);
