//! Planned restore tests on both databases: a test planned and not performed
//! shows in the årshjul on its planned month (overdue once its day has
//! passed) and, due or overdue, in "Mina uppgifter" of the system's owner and
//! of the person the test names, and the same in the API's tasks (one
//! source); not in anyone else's; and it leaves both once it is recorded as
//! performed. A planned test is removed from its page (after the
//! confirmation) or with DELETE, with its audit record; a performed one
//! cannot be.

use chrono::{Datelike, Days, NaiveDate};
use insyn_domain::AppRole;
use insyn_store::Store;
use insyn_tests::{App, Scenario, audit_count, dual_test};
use serde_json::{Value, json};

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// The årshjul of `on`'s year: the planned tests' line, its month cell and
/// overdue cell, and the year's list.
async fn cycle(app: &App, on: NaiveDate) -> String {
    html(app, &format!("/o/kommunen/cycle?year={}", on.year())).await
}

/// A page's markup (not its text), to find links by their targets.
async fn html(app: &App, uri: &str) -> String {
    app.get(uri).await.expect(200).body
}

/// The cells of the planned tests' line in the year table.
fn planned_line(page: &str) -> Vec<String> {
    let start = page
        .find("<th scope=\"row\">Planerade återläsningstest</th>")
        .expect("the planned tests' line");
    let line = &page[start..page[start..].find("</tr>").unwrap() + start];
    line.split("<td>")
        .skip(1)
        .map(|c| {
            let c = c.trim_end_matches("</td>");
            // The overdue cell wraps its figure in a span.
            c.rsplit_once("\">")
                .map(|(_, n)| n.trim_end_matches("</span>"))
                .unwrap_or(c)
                .to_owned()
        })
        .collect()
}

/// The ids of the restore tests in the API's tasks, with their state and role.
async fn api_tests(app: &App) -> Vec<(String, String, Value)> {
    let tasks = app.get_json("/api/v1/orgs/kommunen/tasks").await;
    tasks["items"]
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
    a_planned_restore_test_is_in_the_arshjul_and_the_owners_tasks_until_it_is_performed,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Lönesystemet").await;
        k.owner(&s, "Ola Ägare", "ola@kommunen.se").await?;
        let other = k.system("Ärendesystemet").await;
        k.owner(&other, "Eva Annan", "eva@kommunen.se").await?;
        let owner = k.signed_in("ola@kommunen.se", AppRole::Reader).await?;
        let eva = k.signed_in("eva@kommunen.se", AppRole::Reader).await?;
        let bo = k.signed_in("bo@kommunen.se", AppRole::Reader).await?;
        let api = format!("/api/v1/orgs/kommunen/systems/{}/restore-tests", s.id);
        let plan = async |on: NaiveDate, by: Option<&str>| -> String {
            let v = owner
                .post_json_expecting(&api, &json!({ "planned_on": on, "performed_by": by }), 201)
                .await;
            v["id"].as_str().unwrap().to_owned()
        };
        let late_on = today() - Days::new(40);
        let late = plan(late_on, None).await;
        let due = plan(today(), Some("bo@kommunen.se")).await;
        let ahead_on = today() + Days::new(200);
        let ahead = plan(ahead_on, None).await;

        // The årshjul: each on its planned month; the past one overdue.
        let page = cycle(&owner, late_on).await;
        let cells = planned_line(&page);
        assert_eq!(cells.len(), 13, "{cells:?}");
        let expected_in_month = if today().month() == late_on.month() {
            "2"
        } else {
            "1"
        };
        assert_eq!(
            cells[late_on.month0() as usize],
            expected_in_month,
            "{cells:?}"
        );
        assert_eq!(cells[12], "1", "one overdue: {cells:?}");
        assert!(page.contains(&format!(
            "restore-tests/{late}\">Lönesystemet</a>: {late_on}"
        )));
        assert!(page.contains("Försenat"));
        let page = cycle(&owner, ahead_on).await;
        assert!(page.contains(&format!(
            "restore-tests/{ahead}\">Lönesystemet</a>: {ahead_on}"
        )));
        let cells = planned_line(&page);
        assert_ne!(cells[ahead_on.month0() as usize], "", "{cells:?}");

        // The owner's tasks: the overdue and the due one, not the one ahead.
        let tasks = html(&owner, "/o/kommunen/tasks").await;
        assert!(
            tasks.contains("Planerade återläsningstest att genomföra (2)"),
            "{tasks}"
        );
        assert!(tasks.contains(&format!("restore-tests/{late}")));
        assert!(tasks.contains(&format!("restore-tests/{due}")));
        assert!(!tasks.contains(&format!("restore-tests/{ahead}")));
        // The person the test names has the due one; another system's owner nothing.
        let named = html(&bo, "/o/kommunen/tasks").await;
        assert!(named.contains(&format!("restore-tests/{due}")), "{named}");
        assert!(!named.contains(&format!("restore-tests/{late}")));
        assert!(named.contains("Utförare enligt testet"));
        let theirs = html(&eva, "/o/kommunen/tasks").await;
        assert!(!theirs.contains("restore-tests/"), "{theirs}");

        // The API's tasks: the same tests as the page, with their state and role.
        assert_eq!(
            api_tests(&owner).await,
            vec![
                (late.clone(), "overdue".into(), json!("system_owner")),
                (due.clone(), "due".into(), json!("system_owner")),
            ]
        );
        let mut on_page = page_tests(&owner).await;
        on_page.sort();
        let mut both = vec![late.clone(), due.clone()];
        both.sort();
        assert_eq!(on_page, both, "the API and the page agree");
        // Named in the test: no role.
        assert_eq!(
            api_tests(&bo).await,
            vec![(due.clone(), "due".into(), Value::Null)]
        );
        assert_eq!(page_tests(&bo).await, vec![due.clone()]);
        assert!(api_tests(&eva).await.is_empty());
        let all = owner.get_json("/api/v1/orgs/kommunen/tasks").await;
        assert!(
            all["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|t| t["kind"] == "finding")
                .all(|t| t["finding"]["rule_id"].is_string() && t["restore_test"].is_null()),
            "{all}"
        );

        // Recorded as performed, the overdue one leaves both.
        owner
            .put_json_expecting(
                &format!("{api}/{late}"),
                &json!({ "planned_on": late_on, "performed_on": today(),
                    "restore_minutes": 30, "data_loss_minutes": 0 }),
                200,
            )
            .await;
        let tasks = html(&owner, "/o/kommunen/tasks").await;
        assert!(!tasks.contains(&format!("restore-tests/{late}")), "{tasks}");
        assert!(tasks.contains("Planerade återläsningstest att genomföra (1)"));
        let page = cycle(&owner, late_on).await;
        assert!(!page.contains(&format!("restore-tests/{late}")));
        assert_eq!(planned_line(&page)[12], "", "nothing overdue");
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
