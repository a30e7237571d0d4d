//! The demo municipality: loads in bulk, counts agree, names are
//! deterministic, and both backends answer the same questions alike.

use chrono::{Datelike, Utc};
use insyn_domain::demo::generate;
use insyn_domain::*;
use insyn_store::Store;
use insyn_tests::{dual_test, list, pg_store, sqlite_store};
use std::collections::{BTreeSet, HashSet};

dual_test!(
    the_demo_loads_with_the_promised_counts,
    |store: Store| async move {
        assert!(store.is_empty().await?);
        let data = generate(300);
        let expected = data.clone();
        store.load_demo(data).await?;
        assert!(!store.is_empty().await?);

        let kommun = store.org_by_slug("exempelstad").await?;
        assert_eq!(kommun.name, "Exempelstad kommun");
        assert_eq!(kommun.id, expected.orgs[0].id);
        let bolag = store.org_by_slug("exempelstad-energi").await?;
        assert_eq!(bolag.parent_id, Some(kommun.id));
        assert_eq!(bolag.kind, OrgKind::Company);
        // The kommun first and its company after it (by name alone, "Exempelstad
        // Energi AB" came before "Exempelstad kommun").
        let order: Vec<String> = store
            .list_orgs()
            .await?
            .into_iter()
            .map(|o| o.slug)
            .collect();
        assert_eq!(order, ["exempelstad", "exempelstad-energi"]);

        let page = store
            .list_systems(
                kommun.id,
                &SystemFilter::default(),
                SystemSort::Name,
                false,
                PageRequest::new(Some(1), Some(50)),
            )
            .await?;
        assert_eq!(page.total, 300);
        assert_eq!(page.items.len(), 50);
        assert_eq!(page.pages(), 6);
        let all = list(&store, kommun.id, &SystemFilter::default()).await?;
        assert_eq!(all.total, 300);
        assert_eq!(all.items.len(), 300);
        assert_eq!(
            list(&store, bolag.id, &SystemFilter::default())
                .await?
                .total,
            12
        );

        // The names are exactly the generated ones, and the same for the same n.
        let stored: BTreeSet<String> = all.items.iter().map(|r| r.name.clone()).collect();
        let generated: BTreeSet<String> = expected.orgs[0]
            .systems
            .iter()
            .map(|s| s.1.name.clone())
            .collect();
        assert_eq!(stored, generated);
        assert_eq!(expected.orgs[0].systems[0].1.name, "Treserva");
        let again = generate(300);
        assert_eq!(
            again.orgs[0]
                .systems
                .iter()
                .map(|s| (s.0, s.1.name.as_str()))
                .collect::<Vec<_>>(),
            expected.orgs[0]
                .systems
                .iter()
                .map(|s| (s.0, s.1.name.as_str()))
                .collect::<Vec<_>>()
        );

        // A stored system equals its generated draft.
        let (id, draft) = &expected.orgs[0].systems[0];
        let treserva = store.get_system(kommun.id, *id).await?;
        assert_eq!(treserva.name, draft.name);
        assert_eq!(treserva.responsible_unit_id, draft.responsible_unit_id);
        assert_eq!(treserva.doc_links, draft.doc_links);
        assert_eq!(treserva.capabilities, draft.capabilities);
        assert_eq!(treserva.user_count, draft.user_count);
        assert_eq!(treserva.go_live_date, draft.go_live_date);

        // Counts elsewhere agree with the data.
        let tree = store.unit_tree(kommun.id).await?;
        assert_eq!(tree.len(), expected.orgs[0].units.len());
        assert_eq!(tree.iter().map(|n| n.system_count).sum::<i64>(), 300);
        assert_eq!(
            store
                .list_people(kommun.id, None, PageRequest::default())
                .await?
                .total,
            expected.orgs[0].people.len() as i64
        );
        let today = Utc::now().date_naive();
        let owned: HashSet<SystemId> = expected.orgs[0]
            .assignments
            .iter()
            .filter(|a| a.0 == SYSTEM_OWNER && a.3 <= today)
            .map(|a| a.2)
            .collect();
        let no_owner = list(
            &store,
            kommun.id,
            &SystemFilter {
                no_owner: true,
                ..Default::default()
            },
        )
        .await?;
        assert_eq!(no_owner.total, 300 - owned.len() as i64);
        assert!(
            no_owner.total > 0,
            "the demo shows systems without an owner"
        );
        assert!(
            no_owner
                .items
                .iter()
                .all(|r| r.owners.is_empty() && !owned.contains(&r.id))
        );
        let critical = expected.orgs[0]
            .systems
            .iter()
            .filter(|s| s.1.business_critical)
            .count() as i64;
        assert_eq!(
            list(
                &store,
                kommun.id,
                &SystemFilter {
                    business_critical: Some(true),
                    ..Default::default()
                }
            )
            .await?
            .total,
            critical
        );
        let h = store.history(kommun.id, kommun.id.0).await?;
        assert_eq!(
            h.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
            ["create", "demo"]
        );
        assert_eq!(h[1].changes["systems"], serde_json::json!(300));
    }
);

/// The same questions to the same data on both backends give the same answers.
#[tokio::test]
async fn both_backends_answer_alike_on_the_demo() {
    let (sqlite, _dir) = sqlite_store().await;
    let pg = pg_store().await;
    sqlite.load_demo(generate(400)).await.unwrap();
    pg.load_demo(generate(400)).await.unwrap();
    let org = sqlite.org_by_slug("exempelstad").await.unwrap().id;
    assert_eq!(pg.org_by_slug("exempelstad").await.unwrap().id, org);
    let units = sqlite.list_units(org).await.unwrap();
    let people = sqlite
        .list_people(org, None, PageRequest::default())
        .await
        .unwrap();

    let mut filters: Vec<(String, SystemFilter)> = Vec::new();
    for q in [
        "ekonomi",
        "EKONOMI",
        "system",
        "ab",
        "vård",
        "personuppgifter",
        "treserva",
        "ärende",
        "hantering",
        "e",
        "2",
        "ekonomi visma",
        "stöd för",
        "intranat",
        "xyzzy",
        "ÖVER",
    ] {
        filters.push((
            format!("q={q}"),
            SystemFilter {
                q: Some(q.into()),
                ..Default::default()
            },
        ));
    }
    for u in units.iter().take(8) {
        filters.push((
            format!("unit={}", u.name),
            SystemFilter {
                unit_id: Some(u.id),
                ..Default::default()
            },
        ));
    }
    for l in Lifecycle::ALL {
        filters.push((
            format!("lifecycle={l}"),
            SystemFilter {
                lifecycle: Some(*l),
                ..Default::default()
            },
        ));
    }
    for p in people.items.iter().take(5) {
        filters.push((
            format!("holder={}", p.name),
            SystemFilter {
                holder_id: Some(p.id),
                ..Default::default()
            },
        ));
    }
    filters.push((
        "critical".into(),
        SystemFilter {
            business_critical: Some(true),
            ..Default::default()
        },
    ));
    filters.push((
        "no_owner".into(),
        SystemFilter {
            no_owner: true,
            ..Default::default()
        },
    ));
    filters.push((
        "tag".into(),
        SystemFilter {
            tag: Some("Personuppgifter".into()),
            ..Default::default()
        },
    ));

    for (label, f) in &filters {
        let a = list(&sqlite, org, f).await.unwrap();
        let b = list(&pg, org, f).await.unwrap();
        let ids =
            |p: &Page<insyn_store::SystemRow>| p.items.iter().map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(a.total, b.total, "{label}: totals differ");
        assert_eq!(ids(&a), ids(&b), "{label}: members or order differ");
        // Each load stamps its own time: compare the rows without it.
        let rows = |p: Page<insyn_store::SystemRow>| {
            p.items
                .into_iter()
                .map(|mut r| {
                    r.updated_at = chrono::DateTime::UNIX_EPOCH;
                    r
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(rows(a), rows(b), "{label}: rows differ");
    }
    // A few searches must find something, or the comparison proves little.
    for q in ["ekonomi", "vård", "ab"] {
        let f = SystemFilter {
            q: Some(q.into()),
            ..Default::default()
        };
        assert!(
            list(&sqlite, org, &f).await.unwrap().total > 0,
            "{q} finds nothing"
        );
    }

    // Every sort order, both directions, on the first two pages.
    for sort in SystemSort::ALL {
        for desc in [false, true] {
            for page in [1, 2] {
                let req = PageRequest::new(Some(page), Some(50));
                let f = SystemFilter::default();
                let a = sqlite
                    .list_systems(org, &f, *sort, desc, req)
                    .await
                    .unwrap();
                let b = pg.list_systems(org, &f, *sort, desc, req).await.unwrap();
                let names = |p: &Page<insyn_store::SystemRow>| {
                    p.items.iter().map(|r| r.name.clone()).collect::<Vec<_>>()
                };
                assert_eq!(
                    names(&a),
                    names(&b),
                    "sort {sort:?} desc={desc} page {page} differs"
                );
            }
        }
    }
    insyn_tests::drop_pg_store(pg).await;
}

dual_test!(
    the_demo_shows_access_management_in_use,
    |store: Store| async move {
        insyn::load_demo(&store, 40).await.expect("the demo loads");
        let kommun = store.org_by_slug("exempelstad").await?;
        let count = |state, kind| {
            let store = store.clone();
            async move {
                let filter = insyn_store::access::OrderFilter {
                    state: Some(state),
                    ..Default::default()
                };
                let page = store
                    .access_orders(kommun.id, filter, PageRequest::new(Some(1), Some(500)))
                    .await
                    .expect("orders");
                page.items.iter().filter(|o| o.kind == kind).count()
            }
        };
        use insyn_domain::access::{OrderKind::*, OrderState::*};
        // Holders came in through carried-out orders; orders wait at each
        // step; one was rejected; a leaver's holdings wait to be removed.
        assert!(count(CarriedOut, Grant).await >= 20);
        assert_eq!(count(Ordered, Grant).await, 1);
        assert_eq!(count(Approved, Grant).await, 1);
        assert_eq!(count(Rejected, Grant).await, 1);
        let removals = count(Ordered, Remove).await;
        assert!(removals >= 1, "the leaver has removal orders");
        let filter = insyn_store::access::OrderFilter {
            state: Some(Ordered),
            ..Default::default()
        };
        let page = store
            .access_orders(kommun.id, filter, PageRequest::new(Some(1), Some(500)))
            .await?;
        // One access review is past its deadline.
        let today = Utc::now().date_naive();
        let overdue = store
            .open_access_reviews(kommun.id)
            .await?
            .into_iter()
            .filter(|r| r.is_overdue(today))
            .count();
        assert_eq!(overdue, 1);
        // The removal orders are of two people: a leaver (inactive) and a
        // mover (active, moved to another unit), one for each holding.
        let mut removed: Vec<insyn_domain::PersonId> = page
            .items
            .iter()
            .filter(|o| o.kind == Remove)
            .map(|o| o.person_id)
            .collect();
        removed.sort();
        removed.dedup();
        assert_eq!(removed.len(), 2, "a leaver and a mover");
        let mut leavers = 0;
        for p in &removed {
            let person = store.get_person(kommun.id, *p).await?;
            let waiting = page
                .items
                .iter()
                .filter(|o| o.kind == Remove && o.person_id == *p)
                .count();
            assert_eq!(
                store.holdings_of_person(kommun.id, *p).await?.len(),
                waiting,
                "one removal order for each holding {} still has",
                person.name
            );
            leavers += usize::from(!person.active);
        }
        assert_eq!(leavers, 1);
        // The mover's role waits for a handover; the old unit has no
        // manager, so the coordinators are asked.
        let handovers = store.open_role_handovers(kommun.id).await?;
        assert!(handovers.iter().any(|h| h.role_code == "system_manager"));
        assert!(
            handovers
                .iter()
                .all(|h| h.person_id == handovers[0].person_id)
        );
        assert!(removed.contains(&handovers[0].person_id));
        assert_eq!(
            store
                .role_handovers_for(kommun.id, "sakerhet@exempelstad.se", true)
                .await?
                .len(),
            handovers.len()
        );
    }
);

dual_test!(
    the_national_demo_adds_municipalities_that_follow_the_policy,
    |store: Store| async move {
        insyn::load_demo_orgs(&store, 20, 3)
            .await
            .expect("the demo loads");
        for slug in ["kommun-002", "kommun-003"] {
            let org = store.org_by_slug(slug).await?;
            let systems = store
                .list_systems(
                    org.id,
                    &Default::default(),
                    Default::default(),
                    false,
                    PageRequest::new(Some(1), Some(50)),
                )
                .await?;
            assert_eq!(systems.total, 20, "{slug}");
            assert!(
                !store.profile_versions(org.id).await?.is_empty(),
                "{slug} follows the demo's policy profile"
            );
        }
        assert!(store.org_by_slug("kommun-004").await.is_err());
        // The demo municipality is the one it always was.
        let kommun = store.org_by_slug("exempelstad").await?;
        let treserva = store
            .list_systems(
                kommun.id,
                &SystemFilter {
                    q: Some("Treserva".into()),
                    ..Default::default()
                },
                Default::default(),
                false,
                Default::default(),
            )
            .await?;
        assert_eq!(treserva.total, 1);
    }
);

dual_test!(
    the_demo_shows_incidents_with_a_clock_about_to_run_out,
    |store: Store| async move {
        use insyn_domain::incident::ClockState;
        insyn::load_demo(&store, 40).await.expect("the demo loads");
        let kommun = store.org_by_slug("exempelstad").await?;
        let all = store
            .incidents(
                kommun.id,
                Default::default(),
                PageRequest::new(Some(1), Some(50)),
            )
            .await?;
        assert_eq!(all.total, 3);
        let now = Utc::now();
        let mut running_out = 0;
        let mut closed_with_lessons = 0;
        for i in &all.items {
            let view = store.incident(kommun.id, i.id, now).await?;
            if view.clocks.iter().any(|c| {
                c.deadline.id == "gdpr-imy"
                    && matches!(c.state, ClockState::Running { minutes_left } if minutes_left < 12 * 60)
            }) {
                running_out += 1;
            }
            if !i.status.is_open() && i.lessons.is_some() {
                closed_with_lessons += 1;
            }
        }
        assert_eq!((running_out, closed_with_lessons), (1, 1));
    }
);

dual_test!(
    the_demo_looks_lived_in_and_its_system_owner_has_a_handful_of_tasks,
    |store: Store| async move {
        use insyn_domain::security::ApprovalStatus;
        insyn::load_demo(&store, 40).await.expect("the demo loads");
        let kommun = store.org_by_slug("exempelstad").await?;
        let today = Utc::now().date_naive();
        let c = store.compliance(kommun.id, None, today).await?;
        let coverage = c.coverage_by_rule();
        let percent = |rule: &str| {
            coverage
                .iter()
                .find(|r| r.key == rule)
                .and_then(|r| r.coverage.percent())
                .unwrap_or_else(|| panic!("{rule} applies"))
        };
        // Most systems are classified, not all; the recurring controls and
        // roles are neither never nor always done. (A system the demo
        // entered today is not late for its first annual review yet.)
        let classified = percent("classification");
        assert!(
            (50..100).contains(&classified),
            "classified: {classified} %"
        );
        for rule in [
            "responsible",
            "management-plan",
            "access-review",
            "log-review",
        ] {
            let p = percent(rule);
            assert!((1..100).contains(&p), "{rule}: {p} %");
        }
        // The 2026 baseline's GDPR rules show gaps too.
        assert!(c.gaps().any(|(_, f)| f.rule_id() == "processing-record"));
        // The owner's flagship is kept: in operation, with a systemansvarig,
        // classified (the set the integrations brought too), a
        // förvaltningsplan and its GDPR records.
        let treserva = c
            .systems
            .iter()
            .find(|s| s.name == "Treserva")
            .expect("Treserva");
        assert_eq!(
            store.get_system(kommun.id, treserva.id).await?.lifecycle,
            Lifecycle::InOperation
        );
        for rule in [
            "responsible",
            "classification",
            "management-plan",
            "annual-review",
            "processing-record",
            "processor-agreement",
        ] {
            let f = treserva
                .findings
                .iter()
                .find(|f| f.rule_id() == rule)
                .unwrap_or_else(|| panic!("{rule} applies to Treserva"));
            assert!(f.outcome.complies(), "Treserva {rule}: {:?}", f.outcome);
        }
        // Signed operational approvals, and some to renew.
        let (mut approved, mut renew) = (0, 0);
        let mut done_this_year = 0;
        for s in &c.systems {
            if let Some(a) = store.approvals(kommun.id, s.id).await?.first() {
                approved += usize::from(a.status == ApprovalStatus::Approved);
                renew += usize::from(a.status == ApprovalStatus::NeedsRenewal);
            }
            done_this_year += store
                .control_records(kommun.id, Some(s.id))
                .await?
                .iter()
                .filter(|r| r.performed_on.year() == today.year())
                .count();
        }
        assert!(approved >= 5, "approved: {approved}");
        assert!(renew >= 1, "to renew: {renew}");
        assert!(
            done_this_year >= 20,
            "controls done this year: {done_this_year}"
        );
        // Some classifications were decided years ago and have expired.
        let expired = c
            .findings()
            .filter(|(_, f)| f.rule_id() == "classification" && f.outcome.state() == "expired")
            .count();
        assert!(expired >= 1, "expired classifications: {expired}");
        // The årshjul shows controls done in several months of the past year.
        let rules: Vec<_> = c.profile.profile.controls.iter().collect();
        let mut months = std::collections::BTreeSet::new();
        for year in [today.year() - 1, today.year()] {
            for p in store.performed_in_year(kommun.id, &rules, year).await? {
                assert!(p.count > 0 && p.on <= today);
                if p.on > today - chrono::Days::new(366) {
                    months.insert((p.on.year(), p.on.month()));
                }
            }
        }
        assert!(months.len() >= 4, "months with controls done: {months:?}");
        // The system owner who signs in has a handful of real tasks.
        let owner = store
            .list_users()
            .await?
            .into_iter()
            .find(|u| !insyn::DEMO_LOGINS.iter().any(|d| d.0 == u.email))
            .expect("the demo's system owner");
        let tasks = c.tasks_for(&owner.email);
        assert!(
            (1..=10).contains(&tasks.len()),
            "{} tasks: {tasks:#?}",
            tasks.len()
        );
    }
);

dual_test!(
    the_demo_history_is_written_in_the_order_of_its_days_over_years_and_verifies,
    |store: Store| async move {
        use insyn_store::audit::{self, AuditKeys, Verified, read_checkpoints};
        use insyn_store::db::{DbRow, Queryable};
        let keys = AuditKeys::parse("a-demo-audit-key-of-at-least-32-characters").expect("a key");
        let store = store.with_audit_keys(keys);
        insyn::load_demo(&store, 120).await.expect("the demo loads");
        let kommun = store.org_by_slug("exempelstad").await?;
        let today = Utc::now().date_naive();

        // The trail spans years, in the order it was written.
        let trail = store
            .db
            .read()
            .all(
                "SELECT seq, at FROM audit_events ORDER BY seq",
                vec![],
                |r: &dyn DbRow| Ok((r.i64("seq")?, r.ts("at")?)),
            )
            .await?;
        let (first, last) = (trail[0].1, trail[trail.len() - 1].1);
        assert!(
            last - first > chrono::Duration::days(3 * 365),
            "the trail spans {first} to {last}"
        );
        assert!(last <= Utc::now());
        if let Some(w) = trail.windows(2).find(|w| w[1].1 < w[0].1) {
            panic!(
                "entry {} ({}) is older than entry {} ({})",
                w[1].0, w[1].1, w[0].0, w[0].1
            );
        }
        let days: BTreeSet<_> = trail.iter().map(|(_, at)| at.date_naive()).collect();
        assert!(days.len() > 200, "entries on {} days", days.len());
        // So does a system's own history.
        let systems = list(&store, kommun.id, &SystemFilter::default()).await?;
        let spread = {
            let mut spread = 0;
            for s in &systems.items {
                let h = store.history(kommun.id, s.id.0).await?;
                let days: BTreeSet<_> = h.iter().map(|e| e.at.date_naive()).collect();
                spread += usize::from(days.len() >= 2);
            }
            spread
        };
        assert!(
            spread >= 20,
            "systems whose history spreads over days: {spread}"
        );
        // It verifies, and so does a checkpoint written after it.
        let dir = insyn_tests::TempDirGuard::new();
        let file = dir.path().join("checkpoints.jsonl");
        store.audit_checkpoint(&file).await?.expect("a checkpoint");
        let lines = read_checkpoints(&file).map_err(anyhow::Error::msg)?;
        let report = audit::verify_against(&store.db, &lines).await?;
        assert_eq!(report.verdict, Verified::Intact(trail.len() as u64));
        assert_eq!(report.checkpoints, 1);

        // Contracts: most systems with a supplier have one, a few with their
        // last day to give notice within two months, some expired.
        let contracts = store
            .list_contracts(
                kommun.id,
                None,
                Default::default(),
                PageRequest::new(Some(1), Some(PageRequest::MAX_SIZE)),
                today,
            )
            .await?
            .items;
        let soon = contracts
            .iter()
            .filter(|c| {
                c.dates
                    .last_notice_day
                    .is_some_and(|d| d >= today && d <= today + chrono::Days::new(60))
            })
            .count();
        let expired = contracts
            .iter()
            .filter(|c| c.dates.status == insyn_domain::contract::ContractStatus::Expired)
            .count();
        assert!(
            (40..=110).contains(&contracts.len()),
            "contracts: {}",
            contracts.len()
        );
        assert!(
            (1..=10).contains(&soon),
            "notice day within 60 days: {soon}"
        );
        assert!(expired >= 2, "expired: {expired}");
        // The coordinator is reminded of the near ones' last notice day.
        let mails = store.queue_contract_reminders(today, None).await?;
        assert!(mails >= soon, "contract reminders queued: {mails}");

        // Restore tests: done in past years, some planned soon, some overdue.
        let mut performed_years = BTreeSet::new();
        for s in systems.items.iter().filter(|s| s.business_critical) {
            for t in store.restore_tests(kommun.id, s.id).await? {
                if let Some(d) = t.test.draft.performed_on {
                    performed_years.insert(d.year());
                }
            }
        }
        assert!(
            performed_years.len() >= 3,
            "restore tests performed in {performed_years:?}"
        );
        let planned = store
            .planned_restore_tests(kommun.id, today + chrono::Days::new(30))
            .await?;
        let overdue = planned.iter().filter(|p| p.planned_on < today).count();
        assert!(overdue >= 1, "planned restore tests overdue: {planned:?}");
        assert!(
            planned.len() > overdue,
            "planned restore tests due soon: {planned:?}"
        );
    }
);

dual_test!(
    the_demo_complies_like_a_municipality_three_years_in,
    |store: Store| async move {
        use insyn_store::audit::{self, AuditKeys, Verified};
        use insyn_store::db::{DbRow, Queryable};
        let keys = AuditKeys::parse("a-demo-audit-key-of-at-least-32-characters").expect("a key");
        let store = store.with_audit_keys(keys);
        insyn::load_demo(&store, 300).await.expect("the demo loads");
        let kommun = store.org_by_slug("exempelstad").await?;
        let now = Utc::now();
        let today = now.date_naive();
        let c = store.compliance(kommun.id, None, today).await?;

        // Most systems meet every rule that applies to them; some
        // förvaltningar clearly less than others, none at nothing or all.
        let all = c.coverage_by_division(None);
        let (met, of) = all.iter().fold((0, 0), |(m, n), r| {
            (m + r.coverage.compliant, n + r.coverage.applicable)
        });
        let share = met * 100 / of.max(1);
        assert!((55..=80).contains(&share), "all rules met: {share} %");
        let shares: Vec<u32> = all.iter().filter_map(|r| r.coverage.percent()).collect();
        assert!(
            shares.iter().all(|p| (30..95).contains(p)),
            "per förvaltning: {all:?}"
        );
        let (lo, hi) = (shares.iter().min(), shares.iter().max());
        assert!(
            hi.zip(lo).is_some_and(|(h, l)| h - l >= 15),
            "some förvaltningar clearly worse: {all:?}"
        );
        // The GDPR rules read like the others: most systems with personal
        // data are in a record of processing, with a processor agreement and
        // the DPIA decided; some are late.
        let coverage = c.coverage_by_rule();
        for rule in [
            "processing-record",
            "processor-agreement",
            "dpia-sensitive",
            "dpia-confidential",
        ] {
            let p = coverage
                .iter()
                .find(|r| r.key == rule)
                .and_then(|r| r.coverage.percent())
                .unwrap_or_else(|| panic!("{rule} applies"));
            assert!((65..=92).contains(&p), "{rule}: {p} %");
        }

        // The annual review is done, due soon and overdue in believable
        // shares (at 300 systems: at 40 only a handful of systems are late).
        let reviews: Vec<&str> = c
            .findings()
            .filter(|(_, f)| f.rule_id() == "annual-review")
            .map(|(_, f)| f.outcome.state())
            .collect();
        let count = |st: &str| reviews.iter().filter(|s| **s == st).count();
        let (met, overdue) = (count("met"), count("overdue"));
        assert!(
            met * 3 >= reviews.len() && overdue >= 2 && overdue * 2 < reviews.len(),
            "annual reviews: {reviews:?}"
        );

        // What is late is late by weeks or months, not years.
        let year_ago = today - chrono::Days::new(366);
        let late: Vec<_> = c
            .findings()
            .filter(|(_, f)| matches!(f.outcome.state(), "overdue" | "expired"))
            .map(|(s, f)| (s.map(|s| s.name.clone()), f.rule_id(), f.outcome.date()))
            .collect();
        assert!(late.len() >= 10, "some duties are late: {late:?}");
        let old: Vec<_> = late
            .iter()
            .filter(|(_, _, d)| d.is_none_or(|d| d < year_ago))
            .collect();
        assert!(old.is_empty(), "late for over a year: {old:?}");

        // The trail verifies, and today has at most a few of its entries:
        // the demo's journeys are of the past days.
        let report = audit::verify_against(&store.db, &[]).await?;
        assert!(
            matches!(report.verdict, Verified::Intact(n) if n > 1000),
            "{:?}",
            report.verdict
        );
        let at = store
            .db
            .read()
            .all(
                "SELECT at FROM audit_events ORDER BY seq",
                vec![],
                |r: &dyn DbRow| r.ts("at"),
            )
            .await?;
        let today_entries = at.iter().filter(|t| t.date_naive() == today).count();
        assert!(today_entries <= 5, "entries today: {today_entries}");
        let last_week = at
            .iter()
            .filter(|t| **t > now - chrono::Duration::days(14))
            .count();
        assert!(
            last_week >= 20,
            "entries in the past two weeks: {last_week}"
        );
    }
);

dual_test!(
    the_systems_after_the_lived_in_ones_have_their_governance_too,
    |store: Store| async move {
        // 60 systems beyond the 300 with a history: written in bulk.
        insyn::load_demo(&store, 360).await.expect("the demo loads");
        let kommun = store.org_by_slug("exempelstad").await?;
        let c = store
            .compliance(kommun.id, None, Utc::now().date_naive())
            .await?;
        let after: HashSet<SystemId> = store
            .list_systems(
                kommun.id,
                &SystemFilter::default(),
                Default::default(),
                false,
                PageRequest {
                    page: 2,
                    per_page: 300,
                },
            )
            .await?
            .items
            .iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(after.len(), 60);
        let rest: Vec<_> = c.systems.iter().filter(|s| after.contains(&s.id)).collect();
        // Systems with no gap of the rule (it may not apply to a retired one).
        let met = |rule: &str| {
            rest.iter()
                .filter(|s| {
                    s.findings
                        .iter()
                        .all(|f| f.rule_id() != rule || f.outcome.complies())
                })
                .count()
        };
        assert_eq!(met("responsible"), 60);
        assert_eq!(met("management-plan"), 60);
        let classified = met("classification");
        assert!((40..60).contains(&classified), "classified: {classified}");
        let all = rest
            .iter()
            .filter(|s| s.findings.iter().all(|f| f.outcome.complies()))
            .count();
        assert!((30..55).contains(&all), "all rules met: {all} of 60");
        insyn_store::audit::verify_against(&store.db, &[]).await?;
    }
);
