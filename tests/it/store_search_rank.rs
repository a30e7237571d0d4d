//! The register's search ranked and exact (`store/src/systems/search.rs`):
//! the order of ranks, every match against a naive filter over many random
//! names, results right after writes, organisations apart, and the public
//! register's search blind to secret fields. Alike on both backends, and
//! alike from the index and from SQL.

use insyn_domain::*;
use insyn_store::{SearchedBy, Store};
use insyn_tests::{actor, dual_test, names, org_id, search};

fn q(text: &str) -> SystemFilter {
    SystemFilter {
        q: Some(text.to_owned()),
        ..Default::default()
    }
}

/// The search's ids from the index (asserting it answered) and from SQL,
/// which must agree.
async fn both_ways(store: &Store, org: OrgId, text: &str) -> anyhow::Result<Vec<SystemId>> {
    let (ids, by) = store.search_systems(org, text, false).await?;
    assert_eq!(
        by,
        SearchedBy::Index,
        "a small organisation's index is current"
    );
    assert_eq!(
        store.search_systems_sql(org, text, false).await?,
        ids,
        "index and SQL agree on {text:?}"
    );
    Ok(ids)
}

dual_test!(
    search_ranks_exact_then_prefix_then_word_then_inside_then_elsewhere,
    |store: Store| async move {
        let org = org_id(&store, "stad").await?;
        for (name, description) in [
            ("Lönesystem", Some("Ekonomi för löner")),
            ("Hemekonomi", None),
            ("Stöd-ekonomi", None),
            ("Agresso Ekonomi", None),
            ("Ekonomisystem", None),
            ("Ekonomi-portal", None),
            ("Ekonomi", None),
            ("Personal", None),
        ] {
            let mut d = SystemDraft::named(name);
            d.description = description.map(str::to_owned);
            store.create_system(&actor(), org, d).await?;
        }
        let expected = [
            "Ekonomi",
            "Ekonomi-portal",
            "Ekonomisystem",
            "Agresso Ekonomi",
            "Stöd-ekonomi",
            "Hemekonomi",
            "Lönesystem",
        ];
        assert_eq!(search(&store, org, "ekonomi").await?, expected);
        assert_eq!(search(&store, org, "  EKONOMI ").await?, expected);
        assert_eq!(both_ways(&store, org, "ekonomi").await?.len(), 7);
        // Several words rank as one phrase, and all must match.
        assert_eq!(
            search(&store, org, "ekonomi agresso").await?,
            ["Agresso Ekonomi"]
        );
        assert_eq!(
            search(&store, org, "agresso ekonomi").await?,
            ["Agresso Ekonomi"]
        );
        // Combined with another filter the order is the same.
        let mut f = q("ekonomi");
        f.lifecycle = Some(Lifecycle::InOperation);
        assert_eq!(names(&store, org, &f).await?, expected);
        // Another sort than by name is the register's own.
        let page = store
            .list_systems(
                org,
                &q("ekonomi"),
                SystemSort::Name,
                true,
                PageRequest::new(None, Some(50)),
            )
            .await?;
        let mut by_name_desc = expected.map(str::to_owned).to_vec();
        by_name_desc.sort_by_key(|n| std::cmp::Reverse(insyn_store::name_key(n)));
        assert_eq!(
            page.items.into_iter().map(|r| r.name).collect::<Vec<_>>(),
            by_name_desc
        );
    }
);

/// A deterministic stream of numbers (xorshift), for random names.
struct Rng(u64);

impl Rng {
    fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % below as u64) as usize
    }

    fn word(&mut self) -> String {
        const SYLLABLES: [&str; 12] = [
            "eko", "nomi", "ar", "ende", "lön", "sys", "tem", "skol", "å", "ä-", "pla", "an",
        ];
        (0..1 + self.next(3))
            .map(|_| SYLLABLES[self.next(SYLLABLES.len())])
            .collect()
    }
}

/// What a search must find, computed the naive way: every system whose
/// searchable text holds every word, by rank (whole name, name start, a word
/// of the name's start, inside the name, elsewhere), then name, then id.
fn naive(systems: &[(SystemId, String, String)], query: &str) -> Vec<SystemId> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    if words.is_empty() {
        return vec![];
    }
    let phrase = words.join(" ");
    let mut found: Vec<(u8, String, SystemId)> = systems
        .iter()
        .filter(|(_, _, text)| words.iter().all(|w| text.contains(w.as_str())))
        .map(|(id, name, _)| {
            let n = name.to_lowercase();
            let rank = if n == phrase {
                0
            } else if n.starts_with(&phrase) {
                1
            } else if n.contains(&format!(" {phrase}")) || n.contains(&format!("-{phrase}")) {
                2
            } else if n.contains(&phrase) {
                3
            } else {
                4
            };
            (rank, insyn_store::name_key(name), *id)
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, _, id)| id).collect()
}

dual_test!(
    search_finds_exactly_what_a_naive_filter_finds,
    |store: Store| async move {
        let org = org_id(&store, "stad").await?;
        let mut rng = Rng(0x5eed_1234_abcd_0042);
        let mut systems = vec![];
        let mut taken = std::collections::HashSet::new();
        while systems.len() < 150 {
            let name = format!("{} {}", rng.word(), rng.word());
            if !taken.insert(insyn_store::name_key(&name)) {
                continue;
            }
            let mut d = SystemDraft::named(&name);
            d.description = Some(format!("{} {}", rng.word(), rng.word()));
            let s = store.create_system(&actor(), org, d).await?;
            let text = format!(
                "{} \n {}",
                s.name,
                s.description.clone().unwrap_or_default()
            )
            .to_lowercase();
            systems.push((s.id, s.name, text));
        }
        let mut queries: Vec<String> = ["eko", "ekonomi", "an", "å", "ä-", "lön sys", "xyz"]
            .map(str::to_owned)
            .to_vec();
        for _ in 0..40 {
            queries.push(rng.word());
            let (_, name, _) = &systems[rng.next(systems.len())];
            // A piece of a name, sometimes across a space.
            let chars: Vec<char> = name.to_lowercase().chars().collect();
            let from = rng.next(chars.len());
            let len = 1 + rng.next(chars.len() - from);
            queries.push(chars[from..from + len].iter().collect());
        }
        for text in queries.iter().filter(|t| !t.trim().is_empty()) {
            let expected = naive(&systems, text);
            assert_eq!(both_ways(&store, org, text).await?, expected, "{text:?}");
            let page = store
                .list_systems(
                    org,
                    &q(text),
                    SystemSort::Name,
                    false,
                    PageRequest::new(Some(2), Some(10)),
                )
                .await?;
            assert_eq!(page.total, expected.len() as i64, "{text:?}");
            assert!(!page.total_capped);
            let ids: Vec<SystemId> = page.items.iter().map(|r| r.id).collect();
            let want: Vec<SystemId> = expected.iter().skip(10).take(10).copied().collect();
            assert_eq!(ids, want, "page 2 of {text:?}");
        }
    }
);

dual_test!(
    search_is_current_right_after_each_write,
    |store: Store| async move {
        let org = org_id(&store, "stad").await?;
        store
            .create_system(&actor(), org, SystemDraft::named("Kartverktyg"))
            .await?;
        assert_eq!(search(&store, org, "karta").await?, Vec::<String>::new());
        // The index is built; each write below must be seen at once.
        let s = store
            .create_system(&actor(), org, SystemDraft::named("Karta Pro"))
            .await?;
        assert_eq!(search(&store, org, "karta").await?, ["Karta Pro"]);
        store
            .update_system(&actor(), org, s.id, SystemDraft::named("Geodata"))
            .await?;
        assert_eq!(search(&store, org, "karta").await?, Vec::<String>::new());
        assert_eq!(search(&store, org, "geodata").await?, ["Geodata"]);
        store.archive_system(&actor(), org, s.id).await?;
        assert_eq!(search(&store, org, "geodata").await?, Vec::<String>::new());
        let (all, _) = store.search_systems(org, "geodata", true).await?;
        assert_eq!(all, [s.id], "archived systems when asked for");
        both_ways(&store, org, "kart").await?;
    }
);

dual_test!(
    the_index_is_built_again_only_when_what_it_reads_changes,
    |store: Store| async move {
        let org = org_id(&store, "stad").await?;
        let s = store
            .create_system(&actor(), org, SystemDraft::named("Kartverktyg"))
            .await?;
        both_ways(&store, org, "kart").await?;
        let (v, kept) = store.search_versions(org).await?;
        assert_eq!(kept, Some(v), "the index read is the current one");
        // Writes that leave names, texts and archiving alone keep the index.
        let mut d = SystemDraft::named("Kartverktyg");
        d.user_count = Some(40);
        store.update_system(&actor(), org, s.id, d).await?;
        insyn_tests::Scenario::at(&store, org)
            .person("Anna Ägare", Some("anna@stad.se"))
            .await?;
        assert_eq!(store.search_versions(org).await?, (v, Some(v)));
        // A new description, a new system, an archived one: each moves it.
        let mut d = SystemDraft::named("Kartverktyg");
        d.description = Some("Geodata för planering".into());
        store.update_system(&actor(), org, s.id, d).await?;
        let (v2, _) = store.search_versions(org).await?;
        assert!(v2 > v, "{v2} > {v}");
        assert_eq!(both_ways(&store, org, "planering").await?, [s.id]);
        store
            .create_system(&actor(), org, SystemDraft::named("Karta Pro"))
            .await?;
        let (v3, _) = store.search_versions(org).await?;
        assert!(v3 > v2);
        store.archive_system(&actor(), org, s.id).await?;
        let (v4, _) = store.search_versions(org).await?;
        assert!(v4 > v3);
        assert_eq!(
            search(&store, org, "planering").await?,
            Vec::<String>::new()
        );
        // Another organisation's systems leave this one's version alone.
        let other = org_id(&store, "grannby").await?;
        store
            .create_system(&actor(), other, SystemDraft::named("Karta Pro"))
            .await?;
        assert_eq!(store.search_versions(org).await?.0, v4);
    }
);

dual_test!(
    search_never_shows_another_organisations_systems,
    |store: Store| async move {
        let a = org_id(&store, "stad").await?;
        let b = org_id(&store, "grannkommunen").await?;
        let mine = store
            .create_system(&actor(), a, SystemDraft::named("Ekonomi A"))
            .await?;
        for i in 0..30 {
            store
                .create_system(&actor(), b, SystemDraft::named(&format!("Ekonomi {i}")))
                .await?;
        }
        assert_eq!(both_ways(&store, a, "ekonomi").await?, [mine.id]);
        assert_eq!(search(&store, a, "ekonomi").await?, ["Ekonomi A"]);
        assert_eq!(both_ways(&store, b, "ekonomi").await?.len(), 30);
    }
);

dual_test!(
    the_public_registers_search_finds_nothing_by_a_secret_field,
    |store: Store| async move {
        let org = org_id(&store, "stad").await?;
        let mut d = SystemDraft::named("Ekonomisystem");
        d.purpose = Some("Hemligtsyfte".into());
        store.create_system(&actor(), org, d).await?;
        let page = PageRequest::new(None, Some(50));
        let (found, _) = store
            .public_register(org, Some("hemligtsyfte"), page)
            .await?;
        assert_eq!(found.total, 1, "purpose is public by default");
        store
            .set_field_secrecy(&actor(), org, &[("purpose".to_owned(), true)])
            .await?;
        let (found, _) = store
            .public_register(org, Some("hemligtsyfte"), page)
            .await?;
        assert!(found.items.is_empty() && found.total == 0);
        // The register itself still finds it.
        assert_eq!(
            search(&store, org, "hemligtsyfte").await?,
            ["Ekonomisystem"]
        );
    }
);
