//! IT services in the store: defined, changed and removed with their audit
//! records; their follow-ups judged against the levels, a period only once,
//! an import all or nothing that replaces periods already followed up;
//! paged with totals; never in the public register; another organisation's
//! service out of reach.

use insyn_domain::it_service::*;
use insyn_domain::*;
use insyn_store::Store;
use insyn_tests::{Scenario, actor, audit_count, dual_test, invalid, not_found, unit};

/// "Arbetsplatstjänst" from `unit`, behind `systems`: 99.5 %, 4 h and 24 h.
pub fn draft(name: &str, unit: UnitId, systems: Vec<SystemId>) -> ServiceDraft {
    ServiceDraft {
        description: Some("Datorer, skrivare och e-post".into()),
        yearly_cost: Some(1_200_000),
        system_ids: systems,
        levels: ServiceLevels {
            availability_target: Some(99.5),
            support_hours: Some("vardagar 07–17".into()),
            response_hours: Some(4),
            resolution_hours: Some(24),
        },
        ..ServiceDraft::new(name, unit)
    }
}

/// A month's follow-up: `availability` measured, `late` cases past the response time.
pub fn month(m: u32, availability: f64, late: u32) -> FollowUpDraft {
    FollowUpDraft {
        measured_availability: Some(availability),
        response_met: Some(40),
        response_missed: Some(late),
        resolution_met: Some(38),
        resolution_missed: Some(0),
        comment: None,
        ..FollowUpDraft::new(Period::month(2026, m))
    }
}

dual_test!(
    a_service_is_defined_changed_and_removed_with_its_audit,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let sys = k.system("Office").await;
        let it = unit(&store, k.org, None, "IT-enheten").await;
        let ola = k.person("Ola Ägare", None).await?;
        let before = audit_count(&store).await?;
        let mut d = draft("Arbetsplatstjänst", it.id, vec![sys.id]);
        d.owner_id = Some(ola.id);
        let s = store.create_it_service(&actor(), k.org, d).await?;
        assert_eq!(audit_count(&store).await?, before + 1);
        assert_eq!(
            s.delivered_by,
            Deliverer::Unit {
                id: it.id,
                name: "IT-enheten".into()
            }
        );
        assert_eq!(s.owner_name.as_deref(), Some("Ola Ägare"));
        assert_eq!(s.systems[0].name, "Office");
        assert_eq!(s.levels.availability_target, Some(99.5));
        assert_eq!(store.system_it_services(k.org, sys.id).await?[0].id, s.id);

        // Delivered by a supplier instead, with no systems.
        let tieto = store
            .create_supplier(&actor(), k.org, crate::store_suppliers::draft("Tieto"))
            .await?;
        let mut d = s.draft();
        d.unit_id = None;
        d.supplier_id = Some(tieto.id);
        d.system_ids = vec![];
        let t = store.update_it_service(&actor(), k.org, s.id, d).await?;
        assert!(matches!(t.delivered_by, Deliverer::Supplier { ref name, .. } if name == "Tieto"));
        assert!(store.system_it_services(k.org, sys.id).await?.is_empty());
        // The supplier's creation, then the change.
        assert_eq!(audit_count(&store).await?, before + 3);

        // The same name twice, and references the organisation does not have.
        let e = invalid(
            store
                .create_it_service(&actor(), k.org, draft(" arbetsplatstjänst", it.id, vec![]))
                .await,
        );
        assert_eq!(
            (e.0[0].field.as_str(), e.0[0].code),
            ("name", validation::TAKEN)
        );
        let other = Scenario::new(&store, "grannen").await?;
        let theirs = other.system("Deras").await;
        let e = invalid(
            store
                .create_it_service(&actor(), k.org, draft("Drift", it.id, vec![theirs.id]))
                .await,
        );
        assert_eq!(e.0[0].field, "system_ids");
        not_found(store.get_it_service(other.org, s.id).await);

        // The neighbour and its system are audited too: count from here.
        let before = audit_count(&store).await?;
        store
            .add_it_service_follow_up(&actor(), k.org, s.id, month(1, 99.9, 0))
            .await?;
        store.remove_it_service(&actor(), k.org, s.id).await?;
        not_found(store.get_it_service(k.org, s.id).await);
        assert_eq!(audit_count(&store).await?, before + 2);
    }
);

dual_test!(
    follow_ups_are_judged_and_a_period_is_followed_up_once,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let it = unit(&store, k.org, None, "IT-enheten").await;
        let s = store
            .create_it_service(&actor(), k.org, draft("Arbetsplatstjänst", it.id, vec![]))
            .await?;
        let ok = store
            .add_it_service_follow_up(&actor(), k.org, s.id, month(1, 99.8, 0))
            .await?;
        assert!(!ok.judgement.any_missed());
        let bad = store
            .add_it_service_follow_up(&actor(), k.org, s.id, month(2, 98.25, 3))
            .await?;
        assert_eq!(bad.judgement.availability, LevelOutcome::Missed);
        assert_eq!(bad.judgement.response, LevelOutcome::Missed);
        assert_eq!(bad.judgement.resolution, LevelOutcome::Met);
        assert_eq!(bad.draft.measured_availability, Some(98.25));
        let e = invalid(
            store
                .add_it_service_follow_up(&actor(), k.org, s.id, month(2, 99.0, 0))
                .await,
        );
        assert_eq!(
            (e.0[0].field.as_str(), e.0[0].code),
            ("period", PERIOD_TAKEN)
        );

        // Paged, the latest first, with the total.
        let page = store
            .list_it_service_follow_ups(
                k.org,
                s.id,
                PageRequest {
                    page: 1,
                    per_page: 1,
                },
            )
            .await?;
        assert_eq!(page.total, 2);
        assert_eq!(page.items[0].draft.period, Period::month(2026, 2));
        assert_eq!(store.get_it_service(k.org, s.id).await?.follow_ups, 2);

        store
            .remove_it_service_follow_up(&actor(), k.org, s.id, bad.id)
            .await?;
        not_found(
            store
                .remove_it_service_follow_up(&actor(), k.org, s.id, bad.id)
                .await,
        );
        let page = store
            .list_it_service_follow_ups(k.org, s.id, PageRequest::default())
            .await?;
        assert_eq!(page.total, 1);
    }
);

dual_test!(
    an_import_is_all_or_nothing_and_replaces_periods_already_followed_up,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let it = unit(&store, k.org, None, "IT-enheten").await;
        let s = store
            .create_it_service(&actor(), k.org, draft("Arbetsplatstjänst", it.id, vec![]))
            .await?;
        store
            .add_it_service_follow_up(&actor(), k.org, s.id, month(1, 99.0, 0))
            .await?;
        let before = audit_count(&store).await?;

        // A bad row and a period twice: nothing changes, each row named.
        let e = invalid(
            store
                .import_it_service_follow_ups(
                    &actor(),
                    k.org,
                    s.id,
                    vec![
                        (2, month(2, 99.9, 0)),
                        (3, month(3, 101.0, 0)),
                        (4, month(2, 99.0, 0)),
                    ],
                )
                .await,
        );
        let fields: Vec<_> = e.0.iter().map(|f| (f.field.as_str(), f.code)).collect();
        assert_eq!(
            fields,
            [
                ("rows[3].measured_availability", NOT_A_PERCENTAGE),
                ("rows[4].period", PERIOD_TAKEN)
            ]
        );
        assert_eq!(audit_count(&store).await?, before);
        let all = |store: Store| async move {
            store
                .list_it_service_follow_ups(k.org, s.id, PageRequest::default())
                .await
        };
        assert_eq!(all(store.clone()).await?.total, 1);

        let summary = store
            .import_it_service_follow_ups(
                &actor(),
                k.org,
                s.id,
                vec![
                    (2, month(1, 99.95, 0)),
                    (3, month(2, 99.0, 1)),
                    (4, month(3, 99.6, 0)),
                ],
            )
            .await?;
        assert_eq!((summary.added, summary.replaced), (2, 1));
        assert_eq!(audit_count(&store).await?, before + 1);
        let page = all(store.clone()).await?;
        assert_eq!(page.total, 3);
        let jan = page
            .items
            .iter()
            .find(|f| f.draft.period == Period::month(2026, 1));
        assert_eq!(jan.unwrap().draft.measured_availability, Some(99.95));
    }
);

dual_test!(
    the_public_register_never_shows_an_it_service,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let sys = k.system("Office").await;
        let it = unit(&store, k.org, None, "IT-enheten").await;
        let mut d = draft("Hemlig driftstjänst", it.id, vec![sys.id]);
        d.levels.support_hours = Some("dygnet runt via jourtelefon".into());
        let s = store.create_it_service(&actor(), k.org, d).await?;
        let mut f = month(1, 97.0, 0);
        f.comment = Some("Avbrott i serverhallen".into());
        store
            .add_it_service_follow_up(&actor(), k.org, s.id, f)
            .await?;
        crate::store_suppliers::assert_never_public(
            &store,
            k.org,
            "Office",
            &["Hemlig driftstjänst", "jourtelefon", "serverhallen"],
        )
        .await?;
    }
);

/// A service with a follow-up, for the full export's rich organisation.
pub async fn rich(store: &Store, org: OrgId, unit: UnitId, system: SystemId) -> anyhow::Result<()> {
    let s = store
        .create_it_service(
            &actor(),
            org,
            draft("Arbetsplatstjänst", unit, vec![system]),
        )
        .await?;
    store
        .add_it_service_follow_up(&actor(), org, s.id, month(1, 99.7, 1))
        .await?;
    Ok(())
}
