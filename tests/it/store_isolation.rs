//! Organisations are walled off from each other: nothing of B can be read,
//! changed or referenced through A.

use chrono::Utc;
use insyn_domain::validation as v;
use insyn_domain::*;
use insyn_store::Store;
use insyn_tests::{actor, dual_test, invalid, list, not_found, org_id, search, system, unit};

dual_test!(
    an_organisation_never_sees_or_touches_another_ones_systems,
    |store: Store| async move {
        let a = org_id(&store, "kommunen").await?;
        let b = org_id(&store, "bolaget").await?;
        let unit_a = unit(&store, a, None, "Kommunledningen").await;
        let unit_b = unit(&store, b, None, "Elnät").await;
        let mine = system(&store, a, "Ekonomisystem A").await;
        let mut d = SystemDraft::named("Elnätssystem B");
        d.responsible_unit_id = Some(unit_b.id);
        d.vendor = Some("Hitachi".into());
        let theirs = store.create_system(&actor(), b, d).await?;

        // B's unit cannot be referenced from A, neither as responsible nor as using unit.
        let mut d = SystemDraft::named("Något");
        d.responsible_unit_id = Some(unit_b.id);
        let e = invalid(store.create_system(&actor(), a, d).await);
        assert_eq!(e.get("responsible_unit_id"), Some(v::UNKNOWN_REFERENCE));
        let mut d = SystemDraft::named("Något");
        d.responsible_unit_id = Some(unit_a.id);
        d.using_unit_ids = vec![unit_a.id, unit_b.id];
        let e = invalid(store.create_system(&actor(), a, d).await);
        assert_eq!(e.get("using_unit_ids"), Some(v::UNKNOWN_REFERENCE));
        let mut d = SystemDraft::named("Ekonomisystem A");
        d.responsible_unit_id = Some(unit_b.id);
        let e = invalid(store.update_system(&actor(), a, mine.id, d).await);
        assert_eq!(e.get("responsible_unit_id"), Some(v::UNKNOWN_REFERENCE));

        // Through A, B's system does not exist.
        not_found(store.get_system(a, theirs.id).await);
        not_found(
            store
                .update_system(&actor(), a, theirs.id, SystemDraft::named("Kapad"))
                .await,
        );
        not_found(store.archive_system(&actor(), a, theirs.id).await);
        not_found(store.restore_system(&actor(), a, theirs.id).await);
        assert!(store.history(a, theirs.id.0).await?.is_empty());
        assert!(store.system_roles(a, theirs.id).await?.is_empty());

        // … and it is unchanged, with only its own history.
        let after = store.get_system(b, theirs.id).await?;
        assert_eq!(after, theirs);
        let history = store.history(b, theirs.id.0).await?;
        assert_eq!(
            history
                .iter()
                .map(|h| h.action.as_str())
                .collect::<Vec<_>>(),
            ["create"]
        );

        // A's list never includes B's systems, whatever the filter.
        let everything = SystemFilter {
            include_archived: true,
            ..Default::default()
        };
        let page = list(&store, a, &everything).await?;
        assert_eq!(page.total, 1);
        assert_eq!(page.items[0].id, mine.id);
        assert!(search(&store, a, "elnät").await?.is_empty());
        assert!(search(&store, a, "hitachi").await?.is_empty());
        assert_eq!(search(&store, b, "elnät").await?, ["Elnätssystem B"]);
        for f in [
            SystemFilter {
                unit_id: Some(unit_b.id),
                ..Default::default()
            },
            SystemFilter {
                lifecycle: Some(Lifecycle::InOperation),
                ..Default::default()
            },
            SystemFilter {
                business_critical: Some(false),
                ..Default::default()
            },
            SystemFilter {
                no_owner: true,
                ..Default::default()
            },
            SystemFilter {
                changed_since: Some(Utc::now() - chrono::Duration::days(1)),
                ..Default::default()
            },
        ] {
            let ids: Vec<SystemId> = list(&store, a, &f)
                .await?
                .items
                .iter()
                .map(|r| r.id)
                .collect();
            assert!(!ids.contains(&theirs.id), "{f:?} shows B's system to A");
        }
        // A filter on B's unit, asked by A, finds nothing at all.
        let page = list(
            &store,
            a,
            &SystemFilter {
                unit_id: Some(unit_b.id),
                ..Default::default()
            },
        )
        .await?;
        assert_eq!(page.total, 0);

        // B's list is B's alone.
        let page = list(&store, b, &everything).await?;
        assert_eq!(
            page.items.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![theirs.id]
        );
    }
);

dual_test!(
    units_people_and_roles_stay_in_their_organisation,
    |store: Store| async move {
        let a = org_id(&store, "kommunen").await?;
        let b = org_id(&store, "bolaget").await?;
        let unit_b = unit(&store, b, None, "Fjärrvärme").await;

        // A unit cannot hang under another organisation's unit.
        let e = invalid(
            store
                .create_unit(
                    &actor(),
                    a,
                    UnitDraft {
                        parent_id: Some(unit_b.id),
                        name: "Gren".into(),
                        level: "Enhet".into(),
                        manager_id: None,
                    },
                )
                .await,
        );
        assert_eq!(e.get("parent_id"), Some(v::UNKNOWN_REFERENCE));
        not_found(store.get_unit(a, unit_b.id).await);
        assert!(store.unit_tree(a).await?.is_empty());

        // A person cannot belong to another organisation's unit.
        let e = invalid(
            store
                .create_person(
                    &actor(),
                    a,
                    PersonDraft {
                        name: "Anna Andersson".into(),
                        email: None,
                        title: None,
                        unit_id: Some(unit_b.id),
                        active: true,
                    },
                )
                .await,
        );
        assert_eq!(e.get("unit_id"), Some(v::UNKNOWN_REFERENCE));

        // The same e-mail address may exist once in each organisation.
        let person = |unit_id| PersonDraft {
            name: "Erik Eriksson".into(),
            email: Some("Erik.Eriksson@Example.se".into()),
            title: None,
            unit_id,
            active: true,
        };
        let pb = store
            .create_person(&actor(), b, person(Some(unit_b.id)))
            .await?;
        assert_eq!(pb.email.as_deref(), Some("erik.eriksson@example.se"));
        let pa = store.create_person(&actor(), a, person(None)).await?;
        let e = invalid(store.create_person(&actor(), a, person(None)).await);
        assert_eq!(e.get("email"), Some(v::TAKEN));
        not_found(store.get_person(a, pb.id).await);
        assert_eq!(store.get_person(a, pa.id).await?, pa);

        // Role types are per organisation: B's cannot be used in A.
        let sys_a = system(&store, a, "Diariet").await;
        let owner_b = store
            .list_role_types(b)
            .await?
            .into_iter()
            .find(|r| r.code == SYSTEM_OWNER)
            .expect("B has a system owner role type");
        let e = invalid(
            store
                .assign_role(
                    &actor(),
                    a,
                    AssignmentDraft {
                        role_type_id: owner_b.id,
                        person_id: pa.id,
                        system_id: Some(sys_a.id),
                        unit_id: None,
                        start_date: insyn_tests::date(2024, 1, 1),
                        end_date: None,
                        note: None,
                    },
                )
                .await,
        );
        assert_eq!(e.get("role_type_id"), Some(v::UNKNOWN_REFERENCE));
        assert!(store.person_roles(a, pb.id).await?.is_empty());
    }
);
