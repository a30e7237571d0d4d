//! Suppliers in the store: created and edited with their audit records,
//! names unique per organisation, organisation numbers checked; a system's
//! supplier set and cleared; the migration that turns the systems'
//! free-text vendors into suppliers; never in the public register.

use insyn_domain::contract::*;
use insyn_domain::*;
use insyn_store::Store;
use insyn_store::db::Queryable as _;
use insyn_tests::{Scenario, actor, audit_count, dual_test, invalid, not_found};

pub fn draft(name: &str) -> SupplierDraft {
    SupplierDraft {
        name: name.into(),
        org_number: Some("2120000142".into()),
        contacts: Some("Kim Kund, kim@leverantor.se".into()),
        support_channel: Some("support.leverantor.se".into()),
        support_hours: Some("Vardagar 8–17".into()),
    }
}

dual_test!(
    a_supplier_is_created_and_edited_each_with_its_audit_record,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let before = audit_count(&store).await?;
        let s = store
            .create_supplier(&actor(), k.org, draft(" Visma "))
            .await?;
        assert_eq!(s.name, "Visma");
        assert_eq!(s.org_number.as_deref(), Some("212000-0142"));
        assert_eq!(audit_count(&store).await?, before + 1);
        let mut d = draft("Visma Enterprise");
        d.support_hours = None;
        let u = store.update_supplier(&actor(), k.org, s.id, d).await?;
        assert_eq!(u.name, "Visma Enterprise");
        assert_eq!(u.support_hours, None);
        assert_eq!(audit_count(&store).await?, before + 2);
        assert_eq!(
            store
                .list_suppliers(k.org, PageRequest::default())
                .await?
                .items
                .len(),
            1
        );

        // Another organisation does not see it.
        let other = Scenario::new(&store, "grannen").await?;
        not_found(store.get_supplier(other.org, s.id).await);
        assert!(
            store
                .list_suppliers(other.org, PageRequest::default())
                .await?
                .items
                .is_empty()
        );
    }
);

dual_test!(
    a_supplier_needs_a_unique_name_and_a_valid_organisation_number,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        store
            .create_supplier(&actor(), k.org, draft("Tieto"))
            .await?;
        let e = invalid(
            store
                .create_supplier(&actor(), k.org, draft(" TIETO"))
                .await,
        );
        assert_eq!(e.get("name"), Some(insyn_domain::validation::TAKEN));
        let mut d = draft("Atea");
        d.org_number = Some("212000-0143".into());
        let e = invalid(store.create_supplier(&actor(), k.org, d).await);
        assert_eq!(e.get("org_number"), Some(INVALID_ORG_NUMBER));
        let mut d = draft("Atea");
        d.name = "x".repeat(201);
        d.contacts = Some("y".repeat(2001));
        let e = invalid(store.create_supplier(&actor(), k.org, d).await);
        assert_eq!(e.get("name"), Some(insyn_domain::validation::TOO_LONG));
        assert_eq!(e.get("contacts"), Some(insyn_domain::validation::TOO_LONG));
    }
);

dual_test!(
    a_systems_supplier_is_set_and_cleared,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let sys = k.system("Ekonomi").await;
        let s = store
            .create_supplier(&actor(), k.org, draft("Visma"))
            .await?;
        let before = audit_count(&store).await?;
        let got = store
            .set_system_supplier(&actor(), k.org, sys.id, Some(s.id))
            .await?;
        assert_eq!(got.map(|g| g.system_count), Some(1));
        assert_eq!(audit_count(&store).await?, before + 1);
        let systems = store
            .supplier_systems(k.org, s.id, PageRequest::default())
            .await?
            .items;
        assert_eq!(
            systems.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
            ["Ekonomi"]
        );
        assert_eq!(
            store.system_supplier(k.org, sys.id).await?.map(|s| s.id),
            Some(s.id)
        );
        store
            .set_system_supplier(&actor(), k.org, sys.id, None)
            .await?;
        assert_eq!(store.system_supplier(k.org, sys.id).await?, None);

        // Another organisation's supplier cannot be chosen.
        let other = Scenario::new(&store, "grannen").await?;
        let theirs = store
            .create_supplier(&actor(), other.org, draft("Visma"))
            .await?;
        let e = invalid(
            store
                .set_system_supplier(&actor(), k.org, sys.id, Some(theirs.id))
                .await,
        );
        assert!(e.get("supplier_id").is_some());
    }
);

dual_test!(
    the_migration_turns_free_text_vendors_into_suppliers_matching_names,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let other = Scenario::new(&store, "grannen").await?;
        let mut made = vec![];
        for (org, name, vendor) in [
            (k.org, "Ekonomi", Some("Visma")),
            (k.org, "Lön", Some("  visma ")),
            (k.org, "Ärende", Some("Tieto Evry")),
            (k.org, "Karta", Some("   ")),
            (k.org, "Egen", None),
            (other.org, "Ekonomi", Some("VISMA")),
        ] {
            let mut d = SystemDraft::named(name);
            d.vendor = vendor.map(str::to_owned);
            made.push(store.create_system(&actor(), org, d).await?);
        }
        // Back to the schema before migration 22 (without the processor
        // agreements of 30, the licences of 31, the IT services of 33 and the
        // records' links to agreements of 36, which refer to its tables), then migrate again.
        let mut tx = store.db.begin().await?;
        for sql in [
            "DROP TABLE processing_record_agreements",
            "DROP TABLE licences",
            "DROP TABLE it_service_follow_ups",
            "DROP TABLE it_service_systems",
            "DROP TABLE it_services",
            "DROP TABLE processor_agreement_systems",
            "DROP TABLE processor_agreements",
            "DROP TABLE contract_settings",
            "DROP TABLE contract_systems",
            "DROP TABLE contracts",
            "DROP TABLE system_suppliers",
            "DROP TABLE suppliers",
            "DELETE FROM schema_migrations WHERE version IN (22, 23, 30, 31, 33, 36)",
        ] {
            tx.execute(sql, vec![]).await?;
        }
        tx.commit().await?;
        insyn_store::migrate::migrate(&store.db).await?;

        let ours = store
            .list_suppliers(k.org, PageRequest::default())
            .await?
            .items;
        let names: Vec<_> = ours
            .iter()
            .map(|s| (s.name.as_str(), s.system_count))
            .collect();
        assert_eq!(names, [("Tieto Evry", 1), ("Visma", 2)]);
        let visma = ours.iter().find(|s| s.name == "Visma").unwrap();
        assert_eq!(
            store
                .system_supplier(k.org, made[1].id)
                .await?
                .map(|s| s.id),
            Some(visma.id)
        );
        assert_eq!(store.system_supplier(k.org, made[3].id).await?, None);
        assert_eq!(store.system_supplier(k.org, made[4].id).await?, None);
        let theirs = store
            .list_suppliers(other.org, PageRequest::default())
            .await?
            .items;
        assert_eq!(theirs.len(), 1);
        assert_eq!(theirs[0].name, "VISMA");
        // The free text stays as it was (trimmed when the system was saved).
        assert_eq!(
            store.get_system(k.org, made[1].id).await?.vendor.as_deref(),
            Some("visma")
        );
    }
);

dual_test!(
    the_public_register_never_shows_a_supplier,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let sys = k.system("Ekonomi").await;
        let mut d = draft("Hemlig leverantör AB");
        d.contacts = Some("Hemlig kontakt".into());
        let s = store.create_supplier(&actor(), k.org, d).await?;
        store
            .set_system_supplier(&actor(), k.org, sys.id, Some(s.id))
            .await?;
        assert_never_public(&store, k.org, "Ekonomi", &["Hemlig", "212000-0142"]).await?;
    }
);

/// The public register shows `shown` and none of `hidden`, and its search
/// finds nothing for the first of them.
pub async fn assert_never_public(
    store: &Store,
    org: OrgId,
    shown: &str,
    hidden: &[&str],
) -> anyhow::Result<()> {
    let (page, _) = store
        .public_register(org, None, PageRequest::default())
        .await?;
    let text = format!("{:?}", page.items);
    assert!(text.contains(shown), "{text}");
    for h in hidden {
        assert!(!text.contains(h), "{h} in {text}");
    }
    let (found, _) = store
        .public_register(org, Some(hidden[0]), PageRequest::default())
        .await?;
    assert!(found.items.is_empty(), "the search finds {}", hidden[0]);
    Ok(())
}
