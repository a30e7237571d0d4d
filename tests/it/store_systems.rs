//! Systems: what goes in comes out, and invalid input is refused with the
//! field named.

use insyn_domain::validation as v;
use insyn_domain::*;
use insyn_store::Store;
use insyn_tests::{
    actor, date, default_page, dual_test, invalid, list, not_found, org_id, system, unit,
};

/// Every field of `s` that a draft sets equals the draft's.
#[track_caller]
fn assert_is_draft(s: &System, d: &SystemDraft) {
    assert_eq!(s.name, d.name);
    assert_eq!(s.short_name, d.short_name);
    assert_eq!(s.description, d.description);
    assert_eq!(s.purpose, d.purpose);
    assert_eq!(s.responsible_unit_id, d.responsible_unit_id);
    assert_eq!(s.using_unit_ids, d.using_unit_ids);
    assert_eq!(s.vendor, d.vendor);
    assert_eq!(s.product_id, d.product_id);
    assert_eq!(s.version, d.version);
    assert_eq!(s.hosting, d.hosting);
    assert_eq!(s.user_count, d.user_count);
    assert_eq!(s.business_critical, d.business_critical);
    assert_eq!(s.lifecycle, d.lifecycle);
    assert_eq!(s.go_live_date, d.go_live_date);
    assert_eq!(s.end_date, d.end_date);
    assert_eq!(s.licence_model, d.licence_model);
    assert_eq!(s.licence_count, d.licence_count);
    assert_eq!(s.doc_links, d.doc_links);
    assert_eq!(s.escalation_route, d.escalation_route);
    assert_eq!(s.capabilities, d.capabilities);
    assert_eq!(s.tags, d.tags);
    assert_eq!(s.notes, d.notes);
}

dual_test!(
    creates_and_reads_a_system_with_every_field,
    |store: Store| async move {
        let org = org_id(&store, "sodertalje").await?;
        let socialtjanst = unit(&store, org, None, "Socialtjänsten").await;
        let aldreomsorg = unit(&store, org, Some(socialtjanst.id), "Äldreomsorg").await;
        let hemtjanst = unit(&store, org, Some(socialtjanst.id), "Hemtjänst").await;
        let product = store
            .create_product(
                &actor(),
                ProductDraft {
                    name: "Treserva".into(),
                    vendor: Some("CGI".into()),
                    description: Some("Verksamhetssystem för socialtjänsten".into()),
                },
            )
            .await?;

        let mut using = vec![aldreomsorg.id, hemtjanst.id];
        using.sort();
        let draft = SystemDraft {
            name: "Treserva Äldreomsorg".into(),
            short_name: Some("TRE".into()),
            description: Some(
                "Dokumentation, beslut och verkställighet – med «citat» och 😀.".into(),
            ),
            purpose: Some("Handläggning enligt SoL och LSS".into()),
            responsible_unit_id: Some(socialtjanst.id),
            using_unit_ids: using.clone(),
            vendor: Some("CGI Sverige AB".into()),
            product_id: Some(product.id),
            version: Some("22.1.3".into()),
            hosting: Hosting::Saas,
            user_count: Some(1250),
            business_critical: true,
            lifecycle: Lifecycle::PhasingOut,
            go_live_date: Some(date(2014, 9, 1)),
            end_date: Some(date(2027, 12, 31)),
            licence_model: Some("Per användare".into()),
            licence_count: Some(1300),
            doc_links: vec![
                DocLink {
                    label: "Användarhandledning".into(),
                    url: "https://intranat.sodertalje.se/treserva".into(),
                },
                DocLink {
                    label: "Rutin för felanmälan".into(),
                    url: "https://intranat.sodertalje.se/treserva/fel?x=1&y=2".into(),
                },
            ],
            escalation_route: Some("Servicedesk → systemförvaltaren → CGI".into()),
            capabilities: vec!["Dokumentation".into(), "Ärendehantering".into()],
            tags: vec!["Personuppgifter".into(), "Verksamhetskritisk".into()],
            notes: Some("Avtalet löper ut 2027.".into()),
        };
        // Already normalised, so that the stored system must equal it exactly.
        assert_eq!(draft.clone().validate().unwrap(), draft);

        let created = store.create_system(&actor(), org, draft.clone()).await?;
        assert_is_draft(&created, &draft);
        assert_eq!(created.org_id, org);
        assert!(!created.archived);
        assert_eq!(created.created_at, created.updated_at);

        let read = store.get_system(org, created.id).await?;
        assert_eq!(
            read, created,
            "what was read differs from what create returned"
        );
        assert_is_draft(&read, &draft);

        // The list shows the same system with its unit's name.
        let page = default_page(&store, org).await?;
        assert_eq!(page.total, 1);
        let row = &page.items[0];
        assert_eq!(row.id, created.id);
        assert_eq!(row.name, "Treserva Äldreomsorg");
        assert_eq!(row.short_name.as_deref(), Some("TRE"));
        assert_eq!(row.responsible_unit.as_deref(), Some("Socialtjänsten"));
        assert_eq!(row.hosting, Hosting::Saas);
        assert_eq!(row.lifecycle, Lifecycle::PhasingOut);
        assert!(row.business_critical);
        assert_eq!(row.user_count, Some(1250));
        assert_eq!(row.go_live_date, Some(date(2014, 9, 1)));
        assert_eq!(row.updated_at, created.updated_at);

        // Replacing every field, sets included, round-trips too.
        let mut changed = SystemDraft::named("Treserva");
        changed.using_unit_ids = vec![hemtjanst.id];
        changed.doc_links = vec![DocLink {
            label: "Ny manual".into(),
            url: "http://wiki.example.se/treserva".into(),
        }];
        changed.tags = vec!["Arkiverad data".into()];
        // (Decommissioned only by closing a decommissioning case.)
        changed.lifecycle = Lifecycle::Planned;
        changed.hosting = Hosting::External;
        // Business-criticality changes only through a recorded decision.
        changed.business_critical = created.business_critical;
        let updated = store
            .update_system(&actor(), org, created.id, changed.clone())
            .await?;
        assert_is_draft(&updated, &changed);
        assert_eq!(store.get_system(org, created.id).await?, updated);
        assert_eq!(updated.created_at, created.created_at);
        assert!(updated.updated_at > created.updated_at);
    }
);

dual_test!(
    drafts_are_normalised_before_they_are_stored,
    |store: Store| async move {
        let org = org_id(&store, "stad").await?;
        let mut d = SystemDraft::named("  Procapita  ");
        d.tags = vec![" vård ".into(), "Vård".into(), "".into(), "Omsorg".into()];
        d.capabilities = vec!["ekonomi".into(), "Ekonomi".into()];
        d.short_name = Some("   ".into());
        d.doc_links = vec![DocLink {
            label: " ".into(),
            url: "".into(),
        }];
        let s = store.create_system(&actor(), org, d).await?;
        assert_eq!(s.name, "Procapita");
        assert_eq!(s.tags, vec!["Omsorg", "vård"]);
        assert_eq!(s.capabilities, vec!["ekonomi"]);
        assert_eq!(s.short_name, None);
        assert!(s.doc_links.is_empty());
        assert_eq!(store.get_system(org, s.id).await?, s);
    }
);

dual_test!(invalid_input_names_the_field, |store: Store| async move {
    let org = org_id(&store, "stad").await?;
    let other = org_id(&store, "bolaget").await?;

    let e = invalid(
        store
            .create_system(&actor(), org, SystemDraft::named("   "))
            .await,
    );
    assert_eq!(e.get("name"), Some(v::REQUIRED));

    let mut d = SystemDraft::named("Lönesystem");
    d.user_count = Some(-5);
    d.go_live_date = Some(date(2020, 1, 1));
    d.end_date = Some(date(2019, 1, 1));
    d.doc_links = vec![DocLink {
        label: "Manual".into(),
        url: "\\\\filserver\\manual".into(),
    }];
    let e = invalid(store.create_system(&actor(), org, d).await);
    assert_eq!(e.get("user_count"), Some(v::NEGATIVE));
    assert_eq!(e.get("end_date"), Some(v::END_BEFORE_START));
    assert_eq!(e.get("doc_links"), Some(v::NOT_A_URL));
    assert_eq!(e.get("name"), None);

    let mut d = SystemDraft::named("Lönesystem");
    d.product_id = Some(ProductId::new());
    d.responsible_unit_id = Some(UnitId::new());
    let e = invalid(store.create_system(&actor(), org, d).await);
    assert_eq!(e.get("product_id"), Some(v::UNKNOWN_REFERENCE));
    assert_eq!(e.get("responsible_unit_id"), Some(v::UNKNOWN_REFERENCE));

    // Names are unique per organisation, regardless of case and spaces.
    let first = system(&store, org, "Ekonomisystem").await;
    for dup in ["Ekonomisystem", "EKONOMISYSTEM", "  ekonomisystem "] {
        let e = invalid(
            store
                .create_system(&actor(), org, SystemDraft::named(dup))
                .await,
        );
        assert_eq!(e.get("name"), Some(v::TAKEN), "{dup:?}");
    }
    // Renaming another system to a taken name is refused too; keeping one's own name is fine.
    let second = system(&store, org, "Ekonomisystem 2").await;
    let e = invalid(
        store
            .update_system(
                &actor(),
                org,
                second.id,
                SystemDraft::named("ekonomisystem"),
            )
            .await,
    );
    assert_eq!(e.get("name"), Some(v::TAKEN));
    let mut same = SystemDraft::named("Ekonomisystem");
    same.vendor = Some("Visma".into());
    store.update_system(&actor(), org, first.id, same).await?;

    // The same name in another organisation is fine.
    let theirs = system(&store, other, "Ekonomisystem").await;
    assert_eq!(theirs.org_id, other);

    // Nothing invalid was stored.
    let page = default_page(&store, org).await?;
    let names: Vec<&str> = page.items.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, vec!["Ekonomisystem", "Ekonomisystem 2"]);
});

dual_test!(
    archiving_hides_and_restoring_brings_back,
    |store: Store| async move {
        let org = org_id(&store, "stad").await?;
        let s = system(&store, org, "Diariet").await;
        let archived = store.archive_system(&actor(), org, s.id).await?;
        assert!(archived.archived);
        // Archiving twice changes nothing.
        assert_eq!(store.archive_system(&actor(), org, s.id).await?, archived);

        let all = |include_archived| SystemFilter {
            include_archived,
            ..Default::default()
        };
        let active = list(&store, org, &all(false)).await?;
        assert_eq!(active.total, 0);
        let with_archived = list(&store, org, &all(true)).await?;
        assert_eq!(with_archived.total, 1);
        assert!(with_archived.items[0].archived);

        // Its name is free while it is archived, so restoring it then is refused.
        let successor = system(&store, org, "diariet").await;
        let e = invalid(store.restore_system(&actor(), org, s.id).await);
        assert_eq!(e.get("name"), Some(v::TAKEN));
        assert!(store.get_system(org, s.id).await?.archived);

        store.archive_system(&actor(), org, successor.id).await?;
        let restored = store.restore_system(&actor(), org, s.id).await?;
        assert!(!restored.archived);
        assert!(restored.updated_at > archived.updated_at);
        let active = list(&store, org, &all(false)).await?;
        assert_eq!(
            active.items.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![s.id]
        );
    }
);

dual_test!(an_unknown_system_is_not_found, |store: Store| async move {
    let org = org_id(&store, "stad").await?;
    let nobody = SystemId::new();
    not_found(store.get_system(org, nobody).await);
    not_found(
        store
            .update_system(&actor(), org, nobody, SystemDraft::named("X"))
            .await,
    );
    not_found(store.archive_system(&actor(), org, nobody).await);
    not_found(store.restore_system(&actor(), org, nobody).await);
});

dual_test!(
    concurrent_creates_cannot_both_take_a_name,
    |store: Store| async move {
        let org = org_id(&store, "stad").await?;
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..8 {
            let store = store.clone();
            tasks.spawn(async move {
                store
                    .create_system(&actor(), org, SystemDraft::named("Samma namn"))
                    .await
            });
        }
        let (mut created, mut taken, mut other) = (0, 0, Vec::new());
        while let Some(r) = tasks.join_next().await {
            match r? {
                Ok(_) => created += 1,
                Err(insyn_store::StoreError::Invalid(e)) if e.get("name") == Some(v::TAKEN) => {
                    taken += 1
                }
                Err(e) => other.push(format!("{e:?}")),
            }
        }
        let listed = insyn_tests::names(&store, org, &SystemFilter::default()).await?;
        assert_eq!(
            (created, taken, &other, listed.len()),
            (1, 7, &Vec::<String>::new(), 1),
            "8 concurrent creates of one name: {created} created, {taken} refused as taken, \
         other errors {other:?}, {} stored",
            listed.len()
        );
    }
);
