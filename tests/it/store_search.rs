//! The register's list: search, filters, sorting and pages, alike on both
//! backends. Search is tested for membership here, its ranking in
//! `store_search_rank.rs`.

use insyn_domain::*;
use insyn_store::Store;
use insyn_tests::{
    On, Scenario, actor, date, dual_test, list, names, org_id, search, search_rows, sorted_names,
    system, unit,
};
use std::time::Duration;

/// A small register for the search tests.
async fn register(store: &Store) -> anyhow::Result<OrgId> {
    let org = org_id(store, "stad").await?;
    let mut d = SystemDraft::named("Ekonomisystem");
    d.vendor = Some("Visma".into());
    d.description = Some("Redovisning, budget och leverantörsfakturor".into());
    d.capabilities = vec!["Ekonomistyrning".into()];
    store.create_system(&actor(), org, d).await?;
    let mut d = SystemDraft::named("Ärendehantering X");
    d.short_name = Some("ÄHX".into());
    d.tags = vec!["Personuppgifter".into()];
    store.create_system(&actor(), org, d).await?;
    let mut d = SystemDraft::named("HR-portalen");
    d.purpose = Some("Lön och personal".into());
    store.create_system(&actor(), org, d).await?;
    let mut d = SystemDraft::named("Driftsättningsplan");
    d.vendor = Some("Egen utveckling".into());
    store.create_system(&actor(), org, d).await?;
    let mut d = SystemDraft::named("Skolplattform");
    d.description = Some("För elever, vårdnadshavare och lärare; 100% webb".into());
    store.create_system(&actor(), org, d).await?;
    Ok(org)
}

dual_test!(
    search_finds_words_inside_words_in_any_case,
    |store: Store| async move {
        let org = register(&store).await?;
        // Inside Swedish compounds, and case-insensitively with å, ä, ö.
        for (q, expected) in [
            ("ekonomi", &["Ekonomisystem"][..]),
            ("EKONOMI", &["Ekonomisystem"][..]),
            ("ÄRENDE", &["Ärendehantering X"][..]),
            ("ärendehantering", &["Ärendehantering X"][..]),
            ("sättning", &["Driftsättningsplan"][..]),
            ("portal", &["HR-portalen"][..]),
            // In other fields: vendor, description, purpose, short name, tags, capabilities.
            ("visma", &["Ekonomisystem"][..]),
            ("leverantörsfakturor", &["Ekonomisystem"][..]),
            ("vårdnadshavare", &["Skolplattform"][..]),
            ("personal", &["HR-portalen"][..]),
            ("ähx", &["Ärendehantering X"][..]),
            ("personuppgifter", &["Ärendehantering X"][..]),
            ("styrning", &["Ekonomisystem"][..]),
            // Short queries work too.
            ("hr", &["HR-portalen"][..]),
            ("X", &["Ärendehantering X"][..]),
            // Several words must all match, in any field and order.
            ("visma ekonomi", &["Ekonomisystem"][..]),
            ("  budget   Ekonomisystem ", &["Ekonomisystem"][..]),
            ("hr lön", &["HR-portalen"][..]),
            ("ekonomi skola", &[][..]),
            ("visma hr", &[][..]),
            // Something absent finds nothing; a word matching several finds them all.
            ("xyzzy", &[][..]),
            ("kvantdator", &[][..]),
            // Best matches first: inside the name, then in other fields.
            (
                "an",
                &["Driftsättningsplan", "Ärendehantering X", "Ekonomisystem"][..],
            ),
        ] {
            assert_eq!(search(&store, org, q).await?, expected, "{q}");
        }
        // An empty or blank query is no filter at all.
        assert_eq!(search(&store, org, "").await?.len(), 5);
        assert_eq!(search(&store, org, "   ").await?.len(), 5);
    }
);

dual_test!(
    search_treats_special_characters_as_text,
    |store: Store| async move {
        let org = register(&store).await?;
        // LIKE wildcards and FTS syntax match themselves, never everything, never an error.
        for (q, expected) in [
            ("100%", &["Skolplattform"][..]),
            ("%", &["Skolplattform"][..]),
            ("_", &[][..]),
            ("e_o", &[][..]),
            ("\\", &[][..]),
        ] {
            assert_eq!(search(&store, org, q).await?, expected, "{q}");
        }
        for q in [
            "\"",
            "\"ekonomi",
            "ekonomi\"",
            "eko\"nomi",
            "ekonomi*",
            "ekonomi OR hr",
            "NOT ekonomi",
            "(ekonomi)",
            "ekonomi:",
            "NEAR(a b)",
            "'; DROP TABLE systems; --",
            "-ekonomi",
            "^eko",
        ] {
            let found = search(&store, org, q).await;
            assert!(found.is_ok(), "search for {q:?} failed: {found:?}");
            assert!(
                found?.len() <= 1,
                "search for {q:?} matched more than it should"
            );
        }
        assert_eq!(list(&store, org, &SystemFilter::default()).await?.total, 5);
    }
);

dual_test!(
    search_follows_changes_and_ignores_archived_systems,
    |store: Store| async move {
        let org = register(&store).await?;
        let id = search_rows(&store, org, "skolplattform").await?[0].id;
        let mut d = SystemDraft::named("Lärplattform");
        d.tags = vec!["Utbildning".into()];
        store.update_system(&actor(), org, id, d).await?;
        for (q, expected) in [
            ("skolplattform", &[][..]),
            ("vårdnadshavare", &[][..]),
            ("lärplatt", &["Lärplattform"][..]),
            ("utbildning", &["Lärplattform"][..]),
        ] {
            assert_eq!(search(&store, org, q).await?, expected, "{q}");
        }

        store.archive_system(&actor(), org, id).await?;
        assert!(search(&store, org, "lärplattform").await?.is_empty());
        let with_archived = SystemFilter {
            q: Some("lärplattform".into()),
            include_archived: true,
            ..Default::default()
        };
        assert_eq!(names(&store, org, &with_archived).await?, ["Lärplattform"]);
    }
);

dual_test!(filters_narrow_the_list, |store: Store| async move {
    let org = org_id(&store, "stad").await?;
    let forvaltning = unit(&store, org, None, "Socialförvaltningen").await;
    let aldre = unit(&store, org, Some(forvaltning.id), "Äldreomsorg").await;
    let hemtjanst = unit(&store, org, Some(aldre.id), "Hemtjänst").await;
    let ifo = unit(&store, org, Some(forvaltning.id), "IFO").await;
    let it = unit(&store, org, None, "IT-enheten").await;

    let make = |name: &str, unit: Option<UnitId>, using: Vec<UnitId>, lifecycle, critical| {
        let mut d = SystemDraft::named(name);
        d.responsible_unit_id = unit;
        d.using_unit_ids = using;
        d.lifecycle = lifecycle;
        d.business_critical = critical;
        d
    };
    use Lifecycle::*;
    for d in [
        make(
            "Förvaltningsportal",
            Some(forvaltning.id),
            vec![],
            InOperation,
            false,
        ),
        make("Omsorgsjournal", Some(aldre.id), vec![], InOperation, true),
        make(
            "Planering hemtjänst",
            Some(hemtjanst.id),
            vec![],
            Procuring,
            true,
        ),
        make("Utredningsstöd", Some(ifo.id), vec![], PhasingOut, false),
        make(
            "Nätverksövervakning",
            Some(it.id),
            vec![],
            InOperation,
            true,
        ),
        make(
            "Larmsystem",
            Some(it.id),
            vec![hemtjanst.id],
            Planned,
            false,
        ),
        make("Utan enhet", None, vec![], Decommissioned, false),
    ] {
        store.create_system(&actor(), org, d).await?;
    }

    let by = |f: SystemFilter| {
        let store = store.clone();
        async move { names(&store, org, &f).await }
    };
    // A unit means that unit and every unit below it, responsible or using.
    assert_eq!(
        by(SystemFilter {
            unit_id: Some(forvaltning.id),
            ..Default::default()
        })
        .await?,
        [
            "Förvaltningsportal",
            "Larmsystem",
            "Omsorgsjournal",
            "Planering hemtjänst",
            "Utredningsstöd"
        ]
    );
    assert_eq!(
        by(SystemFilter {
            unit_id: Some(aldre.id),
            ..Default::default()
        })
        .await?,
        ["Larmsystem", "Omsorgsjournal", "Planering hemtjänst"]
    );
    assert_eq!(
        by(SystemFilter {
            unit_id: Some(hemtjanst.id),
            ..Default::default()
        })
        .await?,
        ["Larmsystem", "Planering hemtjänst"]
    );
    assert_eq!(
        by(SystemFilter {
            unit_id: Some(it.id),
            ..Default::default()
        })
        .await?,
        ["Larmsystem", "Nätverksövervakning"]
    );
    assert!(
        by(SystemFilter {
            unit_id: Some(UnitId::new()),
            ..Default::default()
        })
        .await?
        .is_empty()
    );

    assert_eq!(
        by(SystemFilter {
            lifecycle: Some(InOperation),
            ..Default::default()
        })
        .await?,
        [
            "Förvaltningsportal",
            "Nätverksövervakning",
            "Omsorgsjournal"
        ]
    );
    assert_eq!(
        by(SystemFilter {
            lifecycle: Some(Decommissioned),
            ..Default::default()
        })
        .await?,
        ["Utan enhet"]
    );
    assert_eq!(
        by(SystemFilter {
            business_critical: Some(true),
            ..Default::default()
        })
        .await?,
        [
            "Nätverksövervakning",
            "Omsorgsjournal",
            "Planering hemtjänst"
        ]
    );
    assert_eq!(
        by(SystemFilter {
            business_critical: Some(false),
            ..Default::default()
        })
        .await?
        .len(),
        4
    );
    // Filters combine.
    assert_eq!(
        by(SystemFilter {
            unit_id: Some(aldre.id),
            business_critical: Some(true),
            lifecycle: Some(Procuring),
            ..Default::default()
        })
        .await?,
        ["Planering hemtjänst"]
    );
    assert_eq!(
        by(SystemFilter {
            unit_id: Some(it.id),
            q: Some("larm".into()),
            ..Default::default()
        })
        .await?,
        ["Larmsystem"]
    );
});

dual_test!(
    holder_no_owner_and_changed_since_filters,
    |store: Store| async move {
        let org = org_id(&store, "stad").await?;
        let a = system(&store, org, "Alfa").await;
        let b = system(&store, org, "Beta").await;
        let c = system(&store, org, "Gamma").await;
        let person = |name: &str| PersonDraft {
            name: name.into(),
            email: None,
            title: None,
            unit_id: None,
            active: true,
        };
        let anna = store.create_person(&actor(), org, person("Anna")).await?;
        let bo = store.create_person(&actor(), org, person("Bo")).await?;
        let k = Scenario::at(&store, org);
        let today = chrono::Utc::now().date_naive();
        k.holds_from(SYSTEM_OWNER, anna.id, On::System(a.id), date(2020, 1, 1))
            .await?;
        k.holds_from(
            "system_manager",
            anna.id,
            On::System(b.id),
            date(2020, 1, 1),
        )
        .await?;
        k.holds_from(SYSTEM_OWNER, bo.id, On::System(b.id), date(2020, 1, 1))
            .await?;
        // Past and future roles do not count.
        k.holds_during(
            SYSTEM_OWNER,
            anna.id,
            On::System(c.id),
            date(2019, 1, 1),
            Some(date(2019, 12, 31)),
        )
        .await?;
        k.holds_from(
            SYSTEM_OWNER,
            bo.id,
            On::System(c.id),
            today + chrono::Days::new(30),
        )
        .await?;

        let holder = |p: PersonId| SystemFilter {
            holder_id: Some(p),
            ..Default::default()
        };
        assert_eq!(
            names(&store, org, &holder(anna.id)).await?,
            ["Alfa", "Beta"]
        );
        assert_eq!(names(&store, org, &holder(bo.id)).await?, ["Beta"]);
        assert!(
            names(&store, org, &holder(PersonId::new()))
                .await?
                .is_empty()
        );
        let no_owner = SystemFilter {
            no_owner: true,
            ..Default::default()
        };
        assert_eq!(names(&store, org, &no_owner).await?, ["Gamma"]);
        assert_eq!(
            names(
                &store,
                org,
                &SystemFilter {
                    no_owner: true,
                    holder_id: Some(anna.id),
                    ..Default::default()
                }
            )
            .await?,
            Vec::<String>::new()
        );

        // The list shows the current owners.
        let page = list(&store, org, &SystemFilter::default()).await?;
        let owners: Vec<Vec<&str>> = page
            .items
            .iter()
            .map(|r| r.owners.iter().map(|o| o.1.as_str()).collect())
            .collect();
        assert_eq!(owners, vec![vec!["Anna"], vec!["Bo"], vec![]]);

        // changed_since: only what changed after the instant.
        tokio::time::sleep(Duration::from_millis(20)).await;
        let since = chrono::Utc::now();
        tokio::time::sleep(Duration::from_millis(20)).await;
        let changed = |since| SystemFilter {
            changed_since: Some(since),
            ..Default::default()
        };
        assert!(names(&store, org, &changed(since)).await?.is_empty());
        let mut d = SystemDraft::named("Gamma");
        d.vendor = Some("Tieto".into());
        store.update_system(&actor(), org, c.id, d).await?;
        assert_eq!(names(&store, org, &changed(since)).await?, ["Gamma"]);
        // A change of role holders is a change of the system.
        let bo_c = k
            .holds_from("system_contact", bo.id, On::System(a.id), date(2024, 5, 1))
            .await?;
        assert_eq!(
            names(&store, org, &changed(since)).await?,
            ["Alfa", "Gamma"]
        );
        assert_eq!(
            names(&store, org, &changed(since - chrono::Duration::days(1)))
                .await?
                .len(),
            3
        );
        assert!(
            names(
                &store,
                org,
                &changed(chrono::Utc::now() + chrono::Duration::hours(1))
            )
            .await?
            .is_empty()
        );
        assert_eq!(bo_c.system_id, Some(a.id));
    }
);

dual_test!(
    sorting_by_name_follows_the_swedish_alphabet,
    |store: Store| async move {
        let org = org_id(&store, "stad").await?;
        for n in [
            "Öppen",
            "Zeta",
            "Ärende",
            "alfa",
            "Åtgärd",
            "Beta",
            "Ödla",
            "ärende 2",
            "Äldre",
            "ålder",
        ] {
            system(&store, org, n).await;
        }
        let sorted = |desc| sorted_names(&store, org, SystemSort::Name, desc);
        let expected = [
            "alfa",
            "Beta",
            "Zeta",
            "ålder",
            "Åtgärd",
            "Äldre",
            "Ärende",
            "ärende 2",
            "Ödla",
            "Öppen",
        ];
        assert_eq!(sorted(false).await?, expected);
        let mut reversed = expected;
        reversed.reverse();
        assert_eq!(sorted(true).await?, reversed);
    }
);

dual_test!(
    sorting_by_unit_follows_the_swedish_alphabet,
    |store: Store| async move {
        let org = org_id(&store, "stad").await?;
        for (system_name, unit_name) in [
            ("S1", "Öppna förskolan"),
            ("S2", "Zeta"),
            ("S3", "Ärendeenheten"),
            ("S4", "Åtgärdsenheten"),
            ("S5", "bygglov"),
        ] {
            let u = unit(&store, org, None, unit_name).await;
            let mut d = SystemDraft::named(system_name);
            d.responsible_unit_id = Some(u.id);
            store.create_system(&actor(), org, d).await?;
        }
        system(&store, org, "S0 utan enhet").await;
        let page = store
            .list_systems(
                org,
                &SystemFilter::default(),
                SystemSort::Unit,
                false,
                PageRequest::default(),
            )
            .await?;
        let units: Vec<Option<&str>> = page
            .items
            .iter()
            .map(|r| r.responsible_unit.as_deref())
            .collect();
        assert_eq!(
            units,
            [
                Some("bygglov"),
                Some("Zeta"),
                Some("Åtgärdsenheten"),
                Some("Ärendeenheten"),
                Some("Öppna förskolan"),
                None
            ]
        );
    }
);

dual_test!(other_sort_orders_and_ties, |store: Store| async move {
    let org = org_id(&store, "stad").await?;
    let mk = |name: &str, users: Option<i64>, live: Option<(i32, u32, u32)>| {
        let mut d = SystemDraft::named(name);
        d.user_count = users;
        d.go_live_date = live.map(|(y, m, dd)| date(y, m, dd));
        d
    };
    for d in [
        mk("A", Some(10), Some((2020, 1, 1))),
        mk("B", None, None),
        mk("C", Some(500), Some((2010, 6, 1))),
        mk("D", Some(10), Some((2024, 2, 29))),
    ] {
        store.create_system(&actor(), org, d).await?;
    }
    let order = |sort, desc| sorted_names(&store, org, sort, desc);
    // Empty values last either way; ties by name.
    assert_eq!(order(SystemSort::Users, false).await?, ["A", "D", "C", "B"]);
    assert_eq!(order(SystemSort::Users, true).await?, ["C", "A", "D", "B"]);
    assert_eq!(
        order(SystemSort::GoLive, false).await?,
        ["C", "A", "D", "B"]
    );
    assert_eq!(order(SystemSort::GoLive, true).await?, ["D", "A", "C", "B"]);
    // Updated: the last changed last (first when descending).
    let b = search_rows(&store, org, "b").await?[0].id;
    let mut d = mk("B", Some(1), None);
    d.vendor = Some("Ny".into());
    tokio::time::sleep(Duration::from_millis(5)).await;
    store.update_system(&actor(), org, b, d).await?;
    assert_eq!(order(SystemSort::Updated, true).await?[0], "B");
    assert_eq!(order(SystemSort::Updated, false).await?[3], "B");
});

dual_test!(
    pages_split_the_list_and_keep_the_total,
    |store: Store| async move {
        let org = org_id(&store, "stad").await?;
        let all_names: Vec<String> = (1..=7).map(|i| format!("System {i:02}")).collect();
        for n in all_names.iter().rev() {
            system(&store, org, n).await;
        }
        let page = |n| {
            let store = store.clone();
            async move {
                anyhow::Ok(
                    store
                        .list_systems(
                            org,
                            &SystemFilter::default(),
                            SystemSort::Name,
                            false,
                            PageRequest::new(Some(n), Some(3)),
                        )
                        .await?,
                )
            }
        };
        let (p1, p2, p3, p4) = (
            page(1).await?,
            page(2).await?,
            page(3).await?,
            page(4).await?,
        );
        for (p, n) in [(&p1, 1), (&p2, 2), (&p3, 3), (&p4, 4)] {
            assert_eq!(p.total, 7);
            assert_eq!(p.page, n);
            assert_eq!(p.per_page, 3);
            assert_eq!(p.pages(), 3);
        }
        assert_eq!(p1.items.len(), 3);
        assert_eq!(p2.items.len(), 3);
        assert_eq!(p3.items.len(), 1);
        assert!(p4.items.is_empty());
        let joined: Vec<String> = [p1, p2, p3]
            .into_iter()
            .flat_map(|p| p.items)
            .map(|r| r.name)
            .collect();
        assert_eq!(joined, all_names);

        // The total counts what the filter matches, not what the page shows.
        let filtered = store
            .list_systems(
                org,
                &SystemFilter {
                    q: Some("system 0".into()),
                    ..Default::default()
                },
                SystemSort::Name,
                true,
                PageRequest::new(Some(2), Some(5)),
            )
            .await?;
        assert_eq!(filtered.total, 7);
        assert_eq!(
            filtered
                .items
                .iter()
                .map(|r| r.name.as_str())
                .collect::<Vec<_>>(),
            ["System 02", "System 01"]
        );
    }
);
