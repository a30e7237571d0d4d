//! Licences in the store: judged against the system's current access
//! holdings (or an entered number), the organisation's list paged with the
//! overused and idle first and totals, its SQL filter agreeing with the
//! domain's rule; written and audited, the contract checked to be the
//! organisation's; the systems' old licence fields moved by migration 31;
//! and the decommissioning case blocked by a licence that runs on.

use crate::store_decommission::erased;
use chrono::{Days, Utc};
use insyn_domain::access::{AccessProfileDraft, Parties};
use insyn_domain::decommission::*;
use insyn_domain::licence::*;
use insyn_domain::*;
use insyn_store::Store;
use insyn_store::db::Queryable;
use insyn_tests::{Scenario, actor, audit_count, date, dual_test, invalid, not_found};

/// A licence of `quantity` named users counted from the holdings.
pub fn named(name: &str, quantity: i64, cost: i64) -> LicenceDraft {
    LicenceDraft {
        name: name.into(),
        metric: Metric::NamedUser,
        quantity: Some(quantity),
        yearly_cost: Some(cost),
        contract_id: None,
        valid_from: Some(date(2025, 1, 1)),
        valid_until: None,
        in_use_source: InUseSource::Holdings,
        in_use_entered: None,
        notes: Some("Avrop från ramavtal".into()),
    }
}

/// A licence whose number in use is entered.
pub fn entered(name: &str, metric: Metric, quantity: i64, used: i64) -> LicenceDraft {
    LicenceDraft {
        in_use_source: InUseSource::Entered,
        in_use_entered: Some(used),
        metric,
        ..named(name, quantity, 10_000)
    }
}

/// `n` people each granted access to `system`.
async fn users(k: &Scenario, system: SystemId, n: usize) -> anyhow::Result<()> {
    let p = AccessProfileDraft::named("Handläggare");
    let profile = k
        .store
        .create_access_profile(&actor(), k.org, system, p, &Parties::default())
        .await?;
    for i in 0..n {
        let who = k.person(&format!("Person {i}"), None).await?;
        crate::store_roster::grant(k, system, profile.id, who.id).await?;
    }
    Ok(())
}

/// A licence for the full export's organisation, linked to its contract.
pub async fn rich(store: &Store, org: OrgId, system: SystemId) -> anyhow::Result<()> {
    let today = Utc::now().date_naive();
    let contracts = store
        .list_contracts(org, None, Default::default(), PageRequest::default(), today)
        .await?;
    let mut d = named("Treserva användare", 1300, 650_000);
    d.contract_id = contracts.items.first().map(|c| c.id);
    d.valid_until = Some(date(2030, 12, 31));
    store.add_licence(&actor(), org, system, d).await?;
    Ok(())
}

fn names(v: &[LicenceView]) -> Vec<&str> {
    v.iter().map(|l| l.licence.draft.name.as_str()).collect()
}

dual_test!(
    licences_are_judged_and_listed_overused_and_idle_first,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let other = Scenario::new(&store, "grannen").await?;
        let treserva = k.system("Treserva").await;
        let office = k.system("Office").await;
        let theirs = other.system("Grannens").await;
        users(&k, treserva.id, 3).await?;
        let (a, org) = (actor(), k.org);
        let today = Utc::now().date_naive();

        let before = audit_count(&store).await?;
        let over = store
            .add_licence(&a, org, treserva.id, named("Användare", 2, 30_000))
            .await?;
        assert_eq!(audit_count(&store).await?, before + 1, "audited");
        let site = LicenceDraft {
            metric: Metric::Site,
            quantity: None,
            ..named("Kommunlicens", 0, 9_000)
        };
        store.add_licence(&a, org, treserva.id, site).await?;
        let idle = entered("E-post", Metric::NamedUser, 100, 70);
        store.add_licence(&a, org, office.id, idle).await?;
        let fine = entered("Installationer", Metric::Installation, 50, 48);
        store.add_licence(&a, org, office.id, fine).await?;
        let old = LicenceDraft {
            valid_from: Some(date(2020, 1, 1)),
            valid_until: Some(date(2020, 12, 31)),
            ..entered("Gammal", Metric::ConcurrentUser, 10, 30)
        };
        store.add_licence(&a, org, office.id, old).await?;

        // The system's tab: counted from its three current holdings.
        let mine = store.system_licences(org, treserva.id, today).await?;
        assert_eq!(names(&mine), ["Användare", "Kommunlicens"]);
        assert_eq!(mine[0].judged.in_use, Some(3));
        assert_eq!(mine[0].judged.findings, vec![LicenceFinding::Overuse]);
        assert_eq!(mine[0].judged.cost_per_user, Some(10_000));
        assert_eq!(mine[1].judged.cost_per_user, Some(3_000));
        assert_eq!(mine[0].system_name, "Treserva");

        // The organisation's list: overused, idle, the rest (by system), the ended last.
        let all = store
            .list_licences(org, None, PageRequest::default(), today)
            .await?;
        assert_eq!(
            names(&all.page.items),
            [
                "Användare",
                "E-post",
                "Installationer",
                "Kommunlicens",
                "Gammal"
            ]
        );
        let t = &all.totals;
        assert_eq!((t.licences, t.overuse, t.idle, t.ended), (5, 1, 1, 1));
        assert_eq!(
            t.yearly_cost,
            30_000 + 9_000 + 10_000 + 10_000,
            "the ended not counted"
        );
        // The SQL filter agrees with the domain's judgement, finding by finding.
        for f in LicenceFinding::ALL {
            let only = store
                .list_licences(org, Some(*f), PageRequest::default(), today)
                .await?;
            let judged: Vec<&str> = all
                .page
                .items
                .iter()
                .filter(|l| l.judged.findings.contains(f))
                .map(|l| l.licence.draft.name.as_str())
                .collect();
            assert_eq!(names(&only.page.items), judged, "{f}");
            assert_eq!(only.page.total, 1, "{f}");
        }
        let second = store
            .list_licences(org, None, PageRequest::new(Some(2), Some(2)), today)
            .await?;
        assert_eq!(
            names(&second.page.items),
            ["Installationer", "Kommunlicens"]
        );
        assert_eq!(second.page.total, 5);
        let theirs_list = store
            .list_licences(other.org, None, PageRequest::default(), today)
            .await?;
        assert!(
            theirs_list.page.items.is_empty(),
            "kept to the organisation"
        );

        // Refused: the field named; another organisation's system or contract.
        let mut bad = named(" ", 1, 1);
        bad.metric = Metric::Installation;
        let e = invalid(store.add_licence(&a, org, office.id, bad).await);
        assert_eq!(e.get("name"), Some("error-required"));
        assert_eq!(e.get("in_use_source"), Some(HOLDINGS_NOT_FOR_METRIC));
        not_found(
            store
                .add_licence(&a, org, theirs.id, named("X", 1, 1))
                .await,
        );
        let (_, their_contract) =
            crate::store_contracts::fixture(&store, other.org, theirs.id).await?;
        let mut d = named("Användare", 3, 30_000);
        d.contract_id = Some(their_contract);
        let e = invalid(
            store
                .update_licence(&a, org, treserva.id, over.id, d.clone())
                .await,
        );
        assert_eq!(e.get("contract_id"), Some("error-unknown-reference"));
        not_found(store.licence(org, office.id, over.id).await);

        // Corrected: three bought, no longer overused; then removed.
        d.contract_id = None;
        let fixed = store
            .update_licence(&a, org, treserva.id, over.id, d)
            .await?;
        assert_eq!(fixed.draft.quantity, Some(3));
        let mine = store.system_licences(org, treserva.id, today).await?;
        assert!(mine[0].judged.findings.is_empty(), "{:?}", mine[0].judged);
        store.remove_licence(&a, org, treserva.id, over.id).await?;
        not_found(store.licence(org, treserva.id, over.id).await);
        assert_eq!(
            store.system_licences(org, treserva.id, today).await?.len(),
            1
        );
    }
);

dual_test!(
    migration_31_moves_each_systems_licence_fields_to_a_licence,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let (a, org) = (actor(), k.org);
        let mut made = vec![];
        for (name, model, count) in [
            ("Treserva", Some("Per namngiven användare"), Some(1300)),
            ("Citrix", Some("Samtidiga användare"), Some(40)),
            ("Office", Some("Kommunlicens"), None),
            ("Kassa", None, Some(12)),
            ("Inget", None, None),
        ] {
            let mut d = SystemDraft::named(name);
            d.licence_model = model.map(Into::into);
            d.licence_count = count;
            made.push(store.create_system(&a, org, d).await?);
        }
        let mut tx = store.db.begin().await?;
        for sql in [
            "DROP TABLE licences",
            "DELETE FROM schema_migrations WHERE version = 31",
        ] {
            tx.execute(sql, vec![]).await?;
        }
        tx.commit().await?;
        insyn_store::migrate::migrate(&store.db).await?;

        let today = Utc::now().date_naive();
        let mut got = vec![];
        for s in &made {
            for l in store.system_licences(org, s.id, today).await? {
                let d = &l.licence.draft;
                assert_eq!(l.licence.id, s.id.0, "the licence takes its system's id");
                assert_eq!(d.in_use_source, InUseSource::Entered);
                assert_eq!(d.in_use_entered, None, "not known");
                assert!(l.judged.findings.is_empty());
                got.push((s.name.clone(), d.name.clone(), d.metric, d.quantity));
            }
            // The system keeps its old fields for old API clients.
            let again = store.get_system(org, s.id).await?;
            assert_eq!(again.licence_count, s.licence_count);
        }
        let want = [
            (
                "Treserva",
                "Per namngiven användare",
                Metric::NamedUser,
                Some(1300),
            ),
            (
                "Citrix",
                "Samtidiga användare",
                Metric::ConcurrentUser,
                Some(40),
            ),
            ("Office", "Kommunlicens", Metric::Site, None),
            ("Kassa", "Licens", Metric::NamedUser, Some(12)),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(s, n, m, q)| (s.to_string(), n.to_string(), *m, *q))
            .collect();
        assert_eq!(got, want);
    }
);

dual_test!(
    a_licence_running_past_the_planned_date_blocks_the_case,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Gamla ekonomisystemet").await;
        let (a, org) = (actor(), k.org);
        let today = Utc::now().date_naive();
        store.add_erasure(&a, org, s.id, erased("S1")).await?;
        let planned = today + Days::new(60);
        let case = CaseDraft {
            planned_on: Some(planned),
            ..CaseDraft::default()
        };
        store.open_decommission_case(&a, org, s.id, case).await?;
        let open = store
            .add_licence(&a, org, s.id, named("Användare", 10, 1))
            .await?;
        let ends = LicenceDraft {
            valid_until: Some(planned),
            ..named("Rapporter", 5, 1)
        };
        store.add_licence(&a, org, s.id, ends).await?;

        let v = store
            .decommission_case(org, s.id, today)
            .await?
            .expect("open");
        assert_eq!(failing(&v.gates), vec![Gate::LicencesEnded]);
        let gate = v.gates.iter().find(|g| g.gate == Gate::LicencesEnded);
        assert_eq!(gate.unwrap().items, vec!["Användare".to_string()]);
        let close = CloseRequest::default();
        let e = invalid(
            store
                .close_decommission_case(&a, org, s.id, close.clone(), today)
                .await,
        );
        assert_eq!(
            e.get("gates.licences_ended"),
            Some(Gate::LicencesEnded.key())
        );

        // A last day after the planned date still blocks; on it, passes.
        let mut d = named("Användare", 10, 1);
        d.valid_until = Some(planned + Days::new(1));
        store
            .update_licence(&a, org, s.id, open.id, d.clone())
            .await?;
        let v = store
            .decommission_case(org, s.id, today)
            .await?
            .expect("open");
        assert!(!v.ready);
        d.valid_until = Some(planned);
        store.update_licence(&a, org, s.id, open.id, d).await?;
        let v = store
            .decommission_case(org, s.id, today)
            .await?
            .expect("open");
        assert!(v.ready, "{:?}", v.gates);
        store
            .close_decommission_case(&a, org, s.id, close, today)
            .await?;
    }
);
