//! Compliance snapshots (issue 22): the tasks, the dashboard, the årshjul and
//! the compliance API read an organisation's compliance computed once per
//! change of its data. A snapshot is reused only while nothing changed, and
//! it always equals computing the organisation afresh.

use chrono::{Days, Utc};
use insyn_domain::listing::PageRequest;
use insyn_domain::policy::group_by_system;
use insyn_store::Store;
use insyn_store::policy::{Compliance, FindingFilter};
use insyn_tests::{On, Scenario, dual_test, org_id};
use std::sync::Arc;
use std::time::Duration;

fn today() -> chrono::NaiveDate {
    Utc::now().date_naive()
}

/// The findings a filter should pass, worked out the slow way.
fn naive(c: &Compliance, f: &FindingFilter) -> Vec<(String, String)> {
    let duty = |s: &insyn_store::policy::SystemCompliance, x: &insyn_domain::policy::Finding| {
        let Some(email) = &f.responsible else {
            return true;
        };
        let (people, _) = c.responsible_for(Some(s), x);
        x.outcome.is_task()
            && people.iter().any(|p| {
                p.email
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(email))
            })
    };
    c.systems
        .iter()
        .flat_map(|s| s.findings.iter().map(move |x| (s, x)))
        .filter(|(s, x)| {
            f.division
                .as_deref()
                .is_none_or(|d| s.division.as_deref().unwrap_or("") == d)
                && f.rule.as_deref().is_none_or(|r| x.rule_id() == r)
                && f.state.as_deref().is_none_or(|st| match st {
                    "gap" => x.is_gap(),
                    st => x.outcome.state() == st,
                })
                && duty(s, x)
        })
        .map(|(s, x)| (s.name.clone(), x.rule_id().to_string()))
        .collect()
}

dual_test!(
    a_snapshot_is_reused_until_the_data_changes_and_always_equals_a_fresh_computation,
    |store: Store| async move {
        let org = org_id(&store, "stad").await?;
        let k = Scenario::at(&store, org);
        let lon = k.system("Lönesystem").await;
        k.system("Schemaverktyg").await;
        let sara = k.person("Sara Samordnare", Some("sara@stad.se")).await?;
        let it = insyn_tests::unit(&store, org, None, "IT-enheten").await;
        k.holds("security_coordinator", &sara, On::Unit(it.id))
            .await?;

        let a = store.compliance_snapshot(org, today()).await?;
        assert!(a.current);
        assert_eq!(*a, store.compliance(org, None, today()).await?);
        let again = store.compliance_snapshot(org, today()).await?;
        assert!(
            Arc::ptr_eq(&a.snapshot, &again.snapshot),
            "nothing changed: the same snapshot, not a new computation"
        );

        // Another organisation's write leaves this one's snapshot as it is.
        let other = Scenario::new(&store, "grannby").await?;
        other.system("Ekonomisystem").await;
        let still = store.compliance_snapshot(org, today()).await?;
        assert!(Arc::ptr_eq(&a.snapshot, &still.snapshot));

        // A write here: a new snapshot, equal to a fresh computation.
        k.owner(&lon, "Anna Ägare", "anna@stad.se").await?;
        let b = store.compliance_snapshot(org, today()).await?;
        assert!(b.current);
        assert!(b.snapshot.version > a.snapshot.version);
        let fresh = store.compliance(org, None, today()).await?;
        assert_eq!(*b, fresh);
        assert_ne!(*a, fresh, "the owner changed the findings");

        // A person's tasks from the snapshot's index are the full
        // evaluation's, grouped by system as their tasks page shows them.
        for email in [
            "anna@stad.se",
            "ANNA@stad.se ",
            "sara@stad.se",
            "nobody@stad.se",
        ] {
            let grouped: Vec<_> = group_by_system(fresh.tasks_for(email))
                .into_iter()
                .flat_map(|g| g.tasks)
                .collect();
            assert_eq!(b.tasks_for(email), grouped, "{email}");
        }
        assert!(!b.tasks_for("sara@stad.se").is_empty());
        // The tasks page's groups, read a page at a time from the index, are
        // the full evaluation grouped by system; and so are the API's slices.
        for email in ["anna@stad.se", "SARA@stad.se", "nobody@stad.se"] {
            let whole = group_by_system(fresh.tasks_for(email));
            for per in [1, 2, 500] {
                let mut read = vec![];
                for page in 1..=whole.len() as u32 + 1 {
                    let p = b
                        .snapshot
                        .task_groups(email, PageRequest::new(Some(page), Some(per)));
                    assert_eq!(p.total, whole.len() as i64, "{email}");
                    read.extend(p.items);
                }
                assert_eq!(read, whole, "{email}, {per} a page");
            }
            let flat: Vec<_> = whole.into_iter().flat_map(|g| g.tasks).collect();
            assert_eq!(b.snapshot.task_count(email), flat.len(), "{email}");
            assert_eq!(b.snapshot.tasks_slice(email, 0, usize::MAX), flat);
            assert_eq!(
                b.snapshot.tasks_slice(email, 1, 2),
                flat.iter().skip(1).take(2).cloned().collect::<Vec<_>>()
            );
        }
        assert!(
            b.snapshot.task_count("sara@stad.se") >= 2,
            "vacant roles fall to the coordinator"
        );

        // Filters pass exactly what a filter over every finding would.
        let rule = fresh.systems[0].findings[0].rule_id().to_string();
        let filters = [
            FindingFilter::default(),
            FindingFilter {
                state: Some("gap".into()),
                ..Default::default()
            },
            FindingFilter {
                state: Some("missing".into()),
                rule: Some(rule.clone()),
                ..Default::default()
            },
            FindingFilter {
                division: Some(String::new()),
                ..Default::default()
            },
            FindingFilter {
                responsible: Some("SARA@stad.se".into()),
                ..Default::default()
            },
            FindingFilter {
                responsible: Some("anna@stad.se".into()),
                state: Some("gap".into()),
                ..Default::default()
            },
        ];
        for f in &filters {
            let got: Vec<(String, String)> = b
                .snapshot
                .findings_matching(f)
                .map(|(s, x)| (s.name.clone(), x.rule_id().to_string()))
                .collect();
            assert_eq!(got, naive(&fresh, f), "{f:?}");
        }
        assert!(b.snapshot.findings_matching(&filters[4]).count() > 0);

        // Another day: computed again for that day.
        let tomorrow = today() + Days::new(1);
        let t = store.compliance_snapshot(org, tomorrow).await?;
        assert_eq!(t.today, tomorrow);
        assert_eq!(*t, store.compliance(org, None, tomorrow).await?);
    }
);

dual_test!(
    a_slow_organisation_is_served_its_last_snapshot_while_the_next_is_computed,
    |store: Store| async move {
        let org = org_id(&store, "stad").await?;
        let k = Scenario::at(&store, org);
        let lon = k.system("Lönesystem").await;
        let first = store.compliance_snapshot(org, today()).await?;
        // Every computation counts as slow from here on.
        store.set_compliance_sync_budget(Duration::ZERO);
        k.owner(&lon, "Anna Ägare", "anna@stad.se").await?;

        let stale = store.compliance_snapshot(org, today()).await?;
        assert!(
            !stale.current,
            "the data changed: the last snapshot, marked stale"
        );
        assert!(Arc::ptr_eq(&stale.snapshot, &first.snapshot));

        // The background computation catches up within a few seconds.
        let mut caught_up = None;
        for _ in 0..100 {
            tokio::time::sleep(Duration::from_millis(50)).await;
            let s = store.compliance_snapshot(org, today()).await?;
            if s.current {
                caught_up = Some(s);
                break;
            }
        }
        let s = caught_up.expect("a current snapshot within 5 s");
        assert_eq!(*s, store.compliance(org, None, today()).await?);
        assert!(
            s.tasks_for("anna@stad.se")
                .iter()
                .all(|t| t.system.is_some())
        );
    }
);
