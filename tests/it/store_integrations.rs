//! Integrations in the store: created, edited and removed with their audit
//! records; the references checked; a system's neighbourhood walked level by
//! level; "if A is down" over the register's facts; never in the public
//! register.

use insyn_domain::integration::*;
use insyn_domain::*;
use insyn_store::Store;
use insyn_store::integrations::IntegrationFilter;
use insyn_tests::{Scenario, actor, audit_count, dual_test, invalid, not_found, unit};

fn draft(from: SystemId, to: SystemId, criticality: Criticality) -> IntegrationDraft {
    IntegrationDraft {
        from_system_id: from,
        to_system_id: to,
        direction: Direction::OneWay,
        interface: Some("REST".into()),
        information_set_ids: vec![],
        frequency: Frequency::Hourly,
        criticality,
        responsible_id: None,
        note: None,
    }
}

dual_test!(
    an_integration_is_created_edited_and_removed_each_with_its_audit_record,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let (a, b) = (k.system("Ekonomi").await, k.system("Lön").await);
        let set = k.information_set(a.id, "Löneunderlag", true, false).await?;
        let ola = k.person("Ola Integration", None).await?;
        let before = audit_count(&store).await?;
        let mut d = draft(a.id, b.id, Criticality::High);
        d.information_set_ids = vec![set.id];
        d.responsible_id = Some(ola.id);
        let i = store.create_integration(&actor(), k.org, d.clone()).await?;
        assert_eq!(i.from_system_name, "Ekonomi");
        assert_eq!(i.to_system_name, "Lön");
        assert_eq!(i.responsible_name.as_deref(), Some("Ola Integration"));
        assert!(i.personal_data());
        assert_eq!(i.information_sets[0].name, "Löneunderlag");
        assert_eq!(audit_count(&store).await?, before + 1);

        d.criticality = Criticality::Critical;
        d.direction = Direction::Both;
        let u = store.update_integration(&actor(), k.org, i.id, d).await?;
        assert_eq!(u.criticality, Criticality::Critical);
        assert_eq!(audit_count(&store).await?, before + 2);
        assert_eq!(store.system_integrations(k.org, b.id).await?.len(), 1);

        store.remove_integration(&actor(), k.org, i.id).await?;
        assert_eq!(audit_count(&store).await?, before + 3);
        not_found(store.get_integration(k.org, i.id).await);
    }
);

dual_test!(
    references_must_be_the_organisations_and_the_sets_of_the_two_systems,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let other = Scenario::new(&store, "grannen").await?;
        let (a, b, c) = (
            k.system("A").await,
            k.system("B").await,
            k.system("C").await,
        );
        let theirs = other.system("Deras").await;
        let e = invalid(
            store
                .create_integration(&actor(), k.org, draft(a.id, theirs.id, Criticality::Low))
                .await,
        );
        assert_eq!(e.get("to_system_id"), Some(validation::UNKNOWN_REFERENCE));
        let e = invalid(
            store
                .create_integration(&actor(), k.org, draft(a.id, a.id, Criticality::Low))
                .await,
        );
        assert_eq!(e.get("to_system_id"), Some(SAME_SYSTEM));
        let set_of_c = k.information_set(c.id, "Elevregister", true, false).await?;
        let mut d = draft(a.id, b.id, Criticality::Low);
        d.information_set_ids = vec![set_of_c.id];
        let e = invalid(store.create_integration(&actor(), k.org, d).await);
        assert_eq!(e.get("information_set_ids"), Some(SET_NOT_OF_SYSTEMS));
        // Another organisation does not reach it.
        let i = store
            .create_integration(&actor(), k.org, draft(a.id, b.id, Criticality::Low))
            .await?;
        not_found(store.get_integration(other.org, i.id).await);
        not_found(store.remove_integration(&actor(), other.org, i.id).await);
    }
);

dual_test!(
    the_list_filters_by_system_and_criticality_and_pages,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let hub = k.system("Nav").await;
        for n in 0..5 {
            let s = k.system(&format!("System {n}")).await;
            let c = if n < 2 {
                Criticality::Critical
            } else {
                Criticality::Low
            };
            store
                .create_integration(&actor(), k.org, draft(hub.id, s.id, c))
                .await?;
        }
        let page = |n, per| PageRequest::new(Some(n), Some(per));
        let all = store
            .list_integrations(k.org, &IntegrationFilter::default(), page(1, 2))
            .await?;
        assert_eq!((all.total, all.items.len(), all.pages()), (5, 2, 3));
        let critical = IntegrationFilter {
            system: Some(hub.id),
            criticality: Some(Criticality::Critical),
            unit: None,
        };
        let found = store
            .list_integrations(k.org, &critical, page(1, 50))
            .await?;
        assert_eq!(found.total, 2);
    }
);

dual_test!(
    if_a_is_down_b_and_c_and_their_units_stop_but_not_d_and_c_is_flagged,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let top = unit(&store, k.org, None, "Barn- och utbildningsnämnden").await;
        let school = unit(&store, k.org, Some(top.id), "Grundskolan").await;
        let (a, b, d) = (
            k.system("A").await,
            k.system("B").await,
            k.system("D").await,
        );
        let mut cd = SystemDraft::named("C");
        cd.responsible_unit_id = Some(school.id);
        let c = store.create_system(&actor(), k.org, cd).await?;
        for (from, to) in [(a.id, b.id), (b.id, c.id), (d.id, b.id)] {
            store
                .create_integration(&actor(), k.org, draft(from, to, Criticality::High))
                .await?;
        }
        let before = audit_count(&store).await?;
        store
            .set_continuity(
                &actor(),
                k.org,
                a.id,
                insyn_domain::continuity::Requirements {
                    rto_minutes: Some(8 * 60),
                    rpo_minutes: None,
                    mtd_minutes: None,
                    ..Default::default()
                },
            )
            .await?;
        store
            .set_continuity(
                &actor(),
                k.org,
                c.id,
                insyn_domain::continuity::Requirements {
                    rto_minutes: Some(2 * 60),
                    rpo_minutes: Some(60),
                    mtd_minutes: None,
                    ..Default::default()
                },
            )
            .await?;
        assert_eq!(audit_count(&store).await?, before + 2);
        let i = store.impact(k.org, a.id).await?;
        let names: Vec<&str> = i.affected.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(names, vec!["B", "C"]);
        assert_eq!(i.units.len(), 1);
        assert_eq!(i.units[0].name, "Grundskolan");
        assert_eq!(i.units[0].top_name, "Barn- och utbildningsnämnden");
        assert_eq!(i.conflicts.len(), 1);
        assert_eq!(i.conflicts[0].system_id, c.id);
        // A cycle back to A ends the walk.
        store
            .create_integration(&actor(), k.org, draft(c.id, a.id, Criticality::Low))
            .await?;
        assert_eq!(store.impact(k.org, a.id).await?.affected.len(), 2);

        let map = store.neighbourhood(k.org, b.id, 1).await?;
        let col = |s: SystemId| map.layout.node(s).map(|n| n.column);
        assert_eq!(
            (col(a.id), col(d.id), col(c.id)),
            (Some(-1), Some(-1), Some(1))
        );
        assert_eq!(map.name(c.id), "C");
        assert_eq!(
            store
                .neighbourhood(k.org, b.id, 3)
                .await?
                .layout
                .nodes
                .len(),
            4
        );
        not_found(store.impact(k.org, SystemId::new()).await);
    }
);

dual_test!(
    the_outage_walk_stops_at_its_bound_nearest_first_and_says_so,
    |store: Store| async move {
        // A → B1..B4 (depth 1), B1 → C1..C3 (depth 2), and a cycle C1 → A.
        let k = Scenario::new(&store, "kommunen").await?;
        let a = k.system("A").await;
        let mut b = vec![];
        for n in 1..=4 {
            let s = k.system(&format!("B{n}")).await;
            store
                .create_integration(&actor(), k.org, draft(a.id, s.id, Criticality::High))
                .await?;
            b.push(s);
        }
        let mut c = vec![];
        for n in 1..=3 {
            let s = k.system(&format!("C{n}")).await;
            store
                .create_integration(&actor(), k.org, draft(b[0].id, s.id, Criticality::High))
                .await?;
            c.push(s);
        }
        store
            .create_integration(&actor(), k.org, draft(c[0].id, a.id, Criticality::Low))
            .await?;
        let depths = |i: &Impact| {
            let mut d: Vec<u32> = i.affected.iter().map(|x| x.depth).collect();
            d.sort_unstable();
            d
        };
        // Room for all seven: complete.
        let all = store.impact_within(k.org, a.id, 7).await?;
        assert!(all.complete);
        assert_eq!(all.affected_total, 7);
        // Room for five: the four nearest and one of the next level, no more,
        // and the analysis says it is not complete.
        let five = store.impact_within(k.org, a.id, 5).await?;
        assert!(!five.complete);
        assert_eq!(five.affected_total, 5);
        assert_eq!(depths(&five), vec![1, 1, 1, 1, 2]);
        // Room for two: two of the first level; and C1, which the upstream
        // walk read (A depends on C1, which depends on B1): every flow read
        // either way counts, none beyond.
        let two = store.impact_within(k.org, a.id, 2).await?;
        assert!(!two.complete);
        assert_eq!(depths(&two), vec![1, 1, 2]);
        assert!(two.affected.iter().any(|x| x.system_id == c[0].id));
        // From C1 (A depends on it, and A's dependants in turn) with room for
        // one: only A.
        let up = store.impact_within(k.org, c[0].id, 1).await?;
        assert!(!up.complete);
        assert_eq!(up.affected_total, 1);
        assert_eq!(up.affected[0].system_id, a.id);
    }
);

dual_test!(
    the_public_register_never_shows_an_integration,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let (a, b) = (k.system("Ekonomi").await, k.system("Lön").await);
        let mut d = draft(a.id, b.id, Criticality::Critical);
        d.interface = Some("Hemligt gränssnitt".into());
        d.note = Some("Redundansbrist".into());
        store.create_integration(&actor(), k.org, d).await?;
        let (page, _) = store
            .public_register(k.org, None, PageRequest::default())
            .await?;
        let shown = format!("{:?}", page.items);
        assert!(shown.contains("Ekonomi"));
        assert!(!shown.contains("Hemligt"), "{shown}");
        assert!(!shown.contains("Redundansbrist"));
        let (found, _) = store
            .public_register(k.org, Some("Hemligt"), PageRequest::default())
            .await?;
        assert!(
            found.items.is_empty(),
            "the search never finds an integration"
        );
    }
);

dual_test!(
    a_systems_flows_are_those_it_sends_and_receives_in_the_order_of_the_organisations_list,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let hub = k.system("Nav").await;
        let mut s = vec![];
        for n in 0..6 {
            s.push(k.system(&format!("System {n}")).await);
        }
        let kinds = [Criticality::Low, Criticality::Critical, Criticality::High];
        for (n, other) in s.iter().enumerate() {
            let c = kinds[n % 3];
            // Sent, received, and (for some) two-way or twice.
            let mut out = draft(hub.id, other.id, c);
            out.direction = if n % 2 == 0 {
                Direction::Both
            } else {
                Direction::OneWay
            };
            store.create_integration(&actor(), k.org, out).await?;
            store
                .create_integration(&actor(), k.org, draft(other.id, hub.id, c))
                .await?;
            if n < 2 {
                store
                    .create_integration(&actor(), k.org, draft(other.id, hub.id, c))
                    .await?;
            }
        }
        // Flows between other systems, and another organisation's.
        store
            .create_integration(&actor(), k.org, draft(s[0].id, s[1].id, kinds[0]))
            .await?;
        let grannen = Scenario::new(&store, "grannen").await?;
        let (x, y) = (grannen.system("X").await, grannen.system("Y").await);
        store
            .create_integration(&actor(), grannen.org, draft(x.id, y.id, kinds[1]))
            .await?;

        let all = store
            .list_integrations(
                k.org,
                &IntegrationFilter::default(),
                PageRequest::new(Some(1), Some(200)),
            )
            .await?;
        assert_eq!(all.total, 15);
        let of_hub: Vec<IntegrationId> = all
            .items
            .iter()
            .filter(|i| i.from_system_id == hub.id || i.to_system_id == hub.id)
            .map(|i| i.id)
            .collect();
        assert_eq!(of_hub.len(), 14);
        let flows = store.system_integrations(k.org, hub.id).await?;
        let ids: Vec<IntegrationId> = flows.iter().map(|i| i.id).collect();
        assert_eq!(ids, of_hub, "the same flows in the same order");

        let filter = |criticality| IntegrationFilter {
            system: Some(hub.id),
            criticality,
            unit: None,
        };
        let page = store
            .list_integrations(k.org, &filter(None), PageRequest::new(Some(2), Some(5)))
            .await?;
        assert_eq!(page.total, 14);
        assert_eq!(
            page.items.iter().map(|i| i.id).collect::<Vec<_>>(),
            of_hub[5..10]
        );
        let critical = store
            .list_integrations(
                k.org,
                &filter(Some(Criticality::Critical)),
                PageRequest::new(Some(1), Some(50)),
            )
            .await?;
        let want: Vec<IntegrationId> = all
            .items
            .iter()
            .filter(|i| of_hub.contains(&i.id) && i.criticality == Criticality::Critical)
            .map(|i| i.id)
            .collect();
        assert_eq!(critical.total, i64::try_from(want.len())?);
        assert_eq!(
            critical.items.iter().map(|i| i.id).collect::<Vec<_>>(),
            want
        );
        // Not another organisation's system.
        assert!(
            store
                .system_integrations(grannen.org, hub.id)
                .await?
                .is_empty()
        );
        assert!(store.system_integrations(k.org, x.id).await?.is_empty());
    }
);
