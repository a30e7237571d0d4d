//! Planned restore tests on both databases: a test planned and not performed
//! shows in the årshjul on its planned month (overdue once its day has
//! passed) and, due or overdue, in "Mina uppgifter" of the system's owner and
//! of the person the test names; not in anyone else's; and it leaves both
//! once it is recorded as performed.

use chrono::{Datelike, Days, NaiveDate};
use insyn_domain::AppRole;
use insyn_store::Store;
use insyn_tests::{App, Scenario, dual_test};
use serde_json::json;

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
