//! The årshjul with real dates, on both databases: a recorded control shows
//! as done in its month (counted in SQL from the records) and opens its
//! month's list with the system; a control never performed is due in the
//! month it falls due and lists its system; the list filters by control and
//! pages.

use chrono::{Datelike, Months, NaiveDate};
use insyn_domain::policy::MonthState;
use insyn_domain::{PageRequest, SystemId};
use insyn_store::Store;
use insyn_store::policy::ControlDraft;
use insyn_tests::{App, Scenario, actor, dual_test};

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

async fn record(store: &Store, org: insyn_domain::OrgId, s: SystemId, on: NaiveDate) {
    store
        .record_control(
            &actor(),
            org,
            Some(s),
            ControlDraft {
                control: "access_review".into(),
                performed_on: on,
                result: "ok".into(),
                note: None,
            },
        )
        .await
        .expect("recorded");
}

dual_test!(
    a_recorded_review_is_done_in_its_month_and_its_month_lists_the_system,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let done = k.system("Treserva").await;
        let due = k.system("Vårdplanering").await;
        let t = today();
        let last_year = t.checked_sub_months(Months::new(12)).unwrap();
        record(&store, k.org, done.id, t).await;
        record(&store, k.org, done.id, last_year).await;

        // Counted per day in SQL, for this year's rules only.
        let c = store.compliance_snapshot(k.org, t).await?;
        let rules: Vec<_> = c.profile.profile.controls.iter().collect();
        let performed = store.performed_in_year(k.org, &rules, t.year()).await?;
        let access: Vec<_> = performed
            .iter()
            .filter(|p| p.control == "access_review")
            .collect();
        assert_eq!(access.len(), 1, "{performed:?}");
        assert_eq!((access[0].on, access[0].count), (t, 1));
        assert!(!access[0].organisation);
        let plan = c.year_plan_from(&c.snapshot.year_counts(t.year()), &performed, t.year());
        let row = plan.iter().find(|r| r.rule.id == "access-review").unwrap();
        assert_eq!(row.done[t.month0() as usize], 1);
        assert_eq!(row.done.iter().sum::<usize>(), 1);

        // The page links the month's count to its list.
        let admin = App::new(&store).await;
        let m = t.month();
        let y = t.year();
        let page = admin.get("/o/kommunen/cycle").await.expect(200).body;
        let done_link = format!(
            "/o/kommunen/cycle/month?year={y}&#38;month={m}&#38;state=done&#38;control=access-review"
        );
        assert!(
            page.contains(&done_link),
            "{done_link} in {}",
            &page[page.find("<table").unwrap_or(0)..]
        );
        assert!(page.contains("1 gjorda"));
        let list = admin
            .get(&format!(
                "/o/kommunen/cycle/month?year={y}&month={m}&state=done&control=access-review"
            ))
            .await
            .expect(200)
            .body;
        assert!(list.contains(&format!("/o/kommunen/systems/{}\"", done.id)));
        assert!(list.contains("Treserva"));
        assert!(!list.contains("Vårdplanering"), "not performed");
        assert!(list.contains(&format!(
            "/o/kommunen/systems/{}/compliance?control=access_review#controls",
            done.id
        )));

        // Last year's record is in last year's wheel and list.
        let ly = last_year.year();
        let lm = last_year.month();
        let before = admin
            .get(&format!("/o/kommunen/cycle?year={ly}"))
            .await
            .expect(200)
            .body;
        assert!(before.contains(&format!(
            "/o/kommunen/cycle/month?year={ly}&#38;month={lm}&#38;state=done&#38;control=access-review"
        )));

        // The system never reviewed is due now (entered today) and listed as due.
        let due_page = c.snapshot.due_in_month(
            &rules,
            y,
            m,
            MonthState::Due,
            PageRequest::new(Some(1), Some(50)),
        );
        assert!(due_page.items.iter().any(
            |e| e.system.as_ref().map(|s| s.0) == Some(due.id) && e.control == "access_review"
        ));
        assert!(
            !due_page
                .items
                .iter()
                .any(|e| e.system.as_ref().map(|s| s.0) == Some(done.id)
                    && e.control == "access_review"),
            "done today, due next year"
        );
        let due_list = admin
            .lang("en")
            .get(&format!(
                "/o/kommunen/cycle/month?year={y}&month={m}&state=due&control=access-review"
            ))
            .await
            .expect(200)
            .body;
        assert!(due_list.contains("Vårdplanering"));
        assert!(due_list.contains("Do the control"));
        assert!(!due_list.contains(">Treserva<"));

        // Every control's list and an unknown control or state fall back, never fail.
        let all = admin
            .get(&format!(
                "/o/kommunen/cycle/month?year={y}&month={m}&state=bogus&control=nope&page=9"
            ))
            .await
            .expect(200)
            .body;
        assert!(all.contains("Alla kontroller"));
    }
);

dual_test!(the_month_list_pages_by_fifty, |store: Store| async move {
    let k = Scenario::new(&store, "kommunen").await?;
    let t = today();
    for i in 0..51 {
        let s = k.system(&format!("System {i:02}")).await;
        record(&store, k.org, s.id, t).await;
    }
    let c = store.compliance_snapshot(k.org, t).await?;
    let rules: Vec<_> = c
        .profile
        .profile
        .controls
        .iter()
        .filter(|r| r.id == "access-review")
        .collect();
    let first = store
        .performed_in_month(
            k.org,
            &rules,
            t.year(),
            t.month(),
            PageRequest::new(Some(1), Some(50)),
        )
        .await?;
    assert_eq!((first.total, first.items.len()), (51, 50));
    let second = store
        .performed_in_month(
            k.org,
            &rules,
            t.year(),
            t.month(),
            PageRequest::new(Some(2), Some(50)),
        )
        .await?;
    assert_eq!(second.items.len(), 1);
    assert_eq!(second.items[0].system.as_ref().unwrap().1, "System 50");
    let admin = App::new(&store).await;
    let page = admin
        .get(&format!(
            "/o/kommunen/cycle/month?year={}&month={}&state=done",
            t.year(),
            t.month()
        ))
        .await
        .expect(200)
        .body;
    assert!(page.contains("rel=\"next\""));
    assert!(page.contains("51 st."));
});

dual_test!(
    the_api_gives_the_years_counts_and_a_months_systems,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Treserva").await;
        let t = today();
        record(&store, k.org, s.id, t).await;
        let admin = App::new(&store).await;
        let (y, m) = (t.year(), t.month());
        let year = admin
            .get_json(&format!("/api/v1/orgs/kommunen/cycle?year={y}"))
            .await;
        let access = year["controls"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["rule_id"] == "access-review")
            .expect("the access review's line")
            .clone();
        assert_eq!(access["done"][(m - 1) as usize], 1);
        assert_eq!(access["done"].as_array().unwrap().len(), 12);
        let list = admin
            .get_json(&format!(
                "/api/v1/orgs/kommunen/cycle/month?year={y}&month={m}&state=done&control=access-review"
            ))
            .await;
        assert_eq!(list["total"], 1);
        assert_eq!(list["items"][0]["system_id"], s.id.to_string());
        assert_eq!(list["items"][0]["on"], t.to_string());
        // Out of range, unknown or missing: 422 naming the field.
        for (q, field) in [
            ("year=1999&month=1", "year"),
            ("month=13", "month"),
            ("month=1&state=late", "state"),
        ] {
            let r = admin
                .get(&format!("/api/v1/orgs/kommunen/cycle/month?{q}"))
                .await
                .expect(422);
            assert!(r.body.contains(field), "{q}: {}", r.body);
        }
        let r = admin
            .get("/api/v1/orgs/kommunen/cycle/month")
            .await
            .expect(422);
        assert!(r.body.contains("month"), "{}", r.body);
    }
);
