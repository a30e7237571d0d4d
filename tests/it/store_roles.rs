//! Role assignments: several holders at once, ending keeps history, and a
//! role goes only where its type allows.

use chrono::{Days, Utc};
use insyn_domain::validation as v;
use insyn_domain::*;
use insyn_store::Store;
use insyn_tests::{actor, date, dual_test, invalid, list, names, not_found, org_id, system, unit};

async fn person(store: &Store, org: OrgId, name: &str) -> anyhow::Result<Person> {
    Ok(store
        .create_person(
            &actor(),
            org,
            PersonDraft {
                name: name.into(),
                email: None,
                title: Some("Handläggare".into()),
                unit_id: None,
                active: true,
            },
        )
        .await?)
}

async fn role(store: &Store, org: OrgId, code: &str) -> anyhow::Result<RoleType> {
    Ok(store
        .list_role_types(org)
        .await?
        .into_iter()
        .find(|r| r.code == code)
        .unwrap_or_else(|| panic!("role type {code} missing")))
}

fn on_system(role: &RoleType, person: &Person, system: SystemId) -> AssignmentDraft {
    AssignmentDraft {
        role_type_id: role.id,
        person_id: person.id,
        system_id: Some(system),
        unit_id: None,
        start_date: date(2023, 1, 1),
        end_date: None,
        note: None,
    }
}

dual_test!(
    every_organisation_gets_the_default_role_types,
    |store: Store| async move {
        let org = org_id(&store, "stad").await?;
        let types = store.list_role_types(org).await?;
        assert_eq!(types.len(), DEFAULT_ROLE_TYPES.len());
        let codes: Vec<&str> = types.iter().map(|t| t.code.as_str()).collect();
        let expected: Vec<&str> = DEFAULT_ROLE_TYPES.iter().map(|t| t.0).collect();
        assert_eq!(codes, expected, "in their sort order");
        let owner = role(&store, org, SYSTEM_OWNER).await?;
        assert_eq!(owner.name_sv, "Systemägare");
        assert_eq!(owner.scope, RoleScope::System);
        assert_eq!(
            role(&store, org, "it_manager").await?.scope,
            RoleScope::Unit
        );
    }
);

dual_test!(
    several_holders_and_ending_keeps_history,
    |store: Store| async move {
        let org = org_id(&store, "stad").await?;
        let sys = system(&store, org, "Procapita").await;
        let owner = role(&store, org, SYSTEM_OWNER).await?;
        let manager = role(&store, org, "system_manager").await?;
        let anna = person(&store, org, "Anna Andersson").await?;
        let bertil = person(&store, org, "Bertil Berg").await?;
        let cecilia = person(&store, org, "Cecilia Ek").await?;

        let no_owner = SystemFilter {
            no_owner: true,
            ..Default::default()
        };
        assert_eq!(names(&store, org, &no_owner).await?, ["Procapita"]);

        let a1 = store
            .assign_role(&actor(), org, on_system(&owner, &anna, sys.id))
            .await?;
        let mut note = on_system(&owner, &bertil, sys.id);
        note.note = Some("  Ersättare under 2025  ".into());
        let a2 = store.assign_role(&actor(), org, note).await?;
        assert_eq!(a2.note.as_deref(), Some("Ersättare under 2025"));
        store
            .assign_role(&actor(), org, on_system(&manager, &cecilia, sys.id))
            .await?;
        assert!(names(&store, org, &no_owner).await?.is_empty());

        // Two owners at once, both current, owners first (role order), then by name.
        let roles = store.system_roles(org, sys.id).await?;
        let shown: Vec<(&str, &str, bool)> = roles
            .iter()
            .map(|r| (r.role_code.as_str(), r.person_name.as_str(), r.current))
            .collect();
        assert_eq!(
            shown,
            [
                (SYSTEM_OWNER, "Anna Andersson", true),
                (SYSTEM_OWNER, "Bertil Berg", true),
                ("system_manager", "Cecilia Ek", true),
            ]
        );
        assert!(roles.iter().all(|r| r.target_name == "Procapita"));
        assert_eq!(roles[0].role_sv, "Systemägare");
        let row = &list(&store, org, &SystemFilter::default()).await?.items[0];
        let owners: Vec<&str> = row.owners.iter().map(|o| o.1.as_str()).collect();
        assert_eq!(owners, ["Anna Andersson", "Bertil Berg"]);

        // Ending Anna's role yesterday keeps it, as not current, after the current ones.
        let yesterday = Utc::now().date_naive() - Days::new(1);
        let ended = store
            .end_assignment(&actor(), org, a1.id, yesterday)
            .await?;
        assert_eq!(ended.end_date, Some(yesterday));
        let roles = store.system_roles(org, sys.id).await?;
        assert_eq!(roles.len(), 3);
        let shown: Vec<(&str, bool)> = roles
            .iter()
            .map(|r| (r.person_name.as_str(), r.current))
            .collect();
        assert_eq!(
            shown,
            [
                ("Bertil Berg", true),
                ("Cecilia Ek", true),
                ("Anna Andersson", false)
            ]
        );
        let annas = store.person_roles(org, anna.id).await?;
        assert_eq!(annas.len(), 1);
        assert!(!annas[0].current);
        assert_eq!(annas[0].assignment.end_date, Some(yesterday));
        assert_eq!(annas[0].target_name, "Procapita");
        let row = &list(&store, org, &SystemFilter::default()).await?.items[0];
        assert_eq!(
            row.owners.iter().map(|o| o.1.as_str()).collect::<Vec<_>>(),
            ["Bertil Berg"]
        );
        assert!(names(&store, org, &no_owner).await?.is_empty());
        // Anna no longer holds anything; Cecilia, only a manager, does.
        let holder = |p: PersonId| SystemFilter {
            holder_id: Some(p),
            ..Default::default()
        };
        assert!(names(&store, org, &holder(anna.id)).await?.is_empty());
        assert_eq!(
            names(&store, org, &holder(cecilia.id)).await?,
            ["Procapita"]
        );

        // An end in the future keeps the role current until then.
        let later = Utc::now().date_naive() + Days::new(30);
        store.end_assignment(&actor(), org, a2.id, later).await?;
        assert!(names(&store, org, &no_owner).await?.is_empty());
        // Ending the last owner today counts today; ending it yesterday leaves the system without one.
        store
            .end_assignment(&actor(), org, a2.id, Utc::now().date_naive())
            .await?;
        assert!(names(&store, org, &no_owner).await?.is_empty());
        store
            .end_assignment(&actor(), org, a2.id, yesterday)
            .await?;
        assert_eq!(names(&store, org, &no_owner).await?, ["Procapita"]);
        assert!(
            store
                .system_roles(org, sys.id)
                .await?
                .iter()
                .filter(|r| r.role_code == SYSTEM_OWNER)
                .all(|r| !r.current)
        );

        // Ending more than a day before the start is refused (the day before
        // withdraws it: never held); ending through another organisation is not found.
        let e = invalid(
            store
                .end_assignment(&actor(), org, a2.id, date(2022, 12, 30))
                .await,
        );
        assert_eq!(e.get("end_date"), Some(v::END_BEFORE_START));
        let other = org_id(&store, "annan").await?;
        not_found(
            store
                .end_assignment(&actor(), other, a2.id, yesterday)
                .await,
        );

        // Each change of an assignment is in its history.
        let h = store.history(org, a2.id.0).await?;
        let actions: Vec<&str> = h.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["create", "update", "update", "update"]);
        assert_eq!(h[0].object_type, "role_assignment");
    }
);

dual_test!(
    a_role_goes_only_where_its_type_allows,
    |store: Store| async move {
        let org = org_id(&store, "stad").await?;
        let other = org_id(&store, "bolaget").await?;
        let sys = system(&store, org, "Procapita").await;
        let it = unit(&store, org, None, "IT-enheten").await;
        let it_manager = role(&store, org, "it_manager").await?;
        let owner = role(&store, org, SYSTEM_OWNER).await?;
        let anna = person(&store, org, "Anna Andersson").await?;
        let stranger = person(&store, other, "Olle Främling").await?;

        // A unit-scoped role type on a system, and a system-scoped one on a unit.
        let e = invalid(
            store
                .assign_role(&actor(), org, on_system(&it_manager, &anna, sys.id))
                .await,
        );
        assert_eq!(e.get("role_type_id"), Some(v::WRONG_TARGET));
        let on_unit = |role: &RoleType, person: &Person| AssignmentDraft {
            role_type_id: role.id,
            person_id: person.id,
            system_id: None,
            unit_id: Some(it.id),
            start_date: date(2024, 1, 1),
            end_date: None,
            note: None,
        };
        let e = invalid(
            store
                .assign_role(&actor(), org, on_unit(&owner, &anna))
                .await,
        );
        assert_eq!(e.get("role_type_id"), Some(v::WRONG_TARGET));
        // Both or neither target.
        let mut both = on_unit(&it_manager, &anna);
        both.system_id = Some(sys.id);
        assert_eq!(
            invalid(store.assign_role(&actor(), org, both).await).get("system_id"),
            Some(v::WRONG_TARGET)
        );
        let mut neither = on_unit(&it_manager, &anna);
        neither.unit_id = None;
        assert_eq!(
            invalid(store.assign_role(&actor(), org, neither).await).get("system_id"),
            Some(v::WRONG_TARGET)
        );

        // People, systems and role types of another organisation, or unknown ones.
        let e = invalid(
            store
                .assign_role(&actor(), org, on_system(&owner, &stranger, sys.id))
                .await,
        );
        assert_eq!(e.get("person_id"), Some(v::UNKNOWN_REFERENCE));
        let e = invalid(
            store
                .assign_role(
                    &actor(),
                    other,
                    on_system(&role(&store, other, SYSTEM_OWNER).await?, &stranger, sys.id),
                )
                .await,
        );
        assert_eq!(e.get("system_id"), Some(v::UNKNOWN_REFERENCE));
        let e = invalid(
            store
                .assign_role(&actor(), org, on_system(&owner, &anna, SystemId::new()))
                .await,
        );
        assert_eq!(e.get("system_id"), Some(v::UNKNOWN_REFERENCE));
        let mut dates = on_system(&owner, &anna, sys.id);
        dates.end_date = Some(date(2022, 1, 1));
        assert_eq!(
            invalid(store.assign_role(&actor(), org, dates).await).get("end_date"),
            Some(v::END_BEFORE_START)
        );

        // Nothing was stored, and the system still has no owner.
        assert!(store.system_roles(org, sys.id).await?.is_empty());
        assert!(store.person_roles(other, stranger.id).await?.is_empty());
        assert!(store.unit_roles(org, it.id).await?.is_empty());
        assert_eq!(store.history(org, sys.id.0).await?.len(), 1);

        // Where they fit, they are stored.
        let a = store
            .assign_role(&actor(), org, on_unit(&it_manager, &anna))
            .await?;
        assert_eq!(a.unit_id, Some(it.id));
        let roles = store.unit_roles(org, it.id).await?;
        assert_eq!(roles.len(), 1);
        assert_eq!(roles[0].target_name, "IT-enheten");
        assert_eq!(roles[0].role_code, "it_manager");
        assert!(roles[0].current);
        let held = store.person_roles(org, anna.id).await?;
        assert_eq!(
            held.iter()
                .map(|r| r.role_code.as_str())
                .collect::<Vec<_>>(),
            ["it_manager"]
        );
    }
);
