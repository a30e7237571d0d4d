//! The organisation tree: no cycles, depth-first order, system counts.

use insyn_domain::validation as v;
use insyn_domain::*;
use insyn_store::Store;
use insyn_store::db::Queryable;
use insyn_store::import::ImportTarget;
use insyn_tests::{actor, dual_test, invalid, org_id, search_rows, unit};

fn draft(parent: Option<UnitId>, name: &str) -> UnitDraft {
    UnitDraft {
        parent_id: parent,
        name: name.into(),
        level: "Enhet".into(),
        manager_id: None,
    }
}

dual_test!(
    a_unit_cannot_become_its_own_ancestor,
    |store: Store| async move {
        let org = org_id(&store, "stad").await?;
        let ks = unit(&store, org, None, "Kommunstyrelsen").await;
        let klf = unit(&store, org, Some(ks.id), "Kommunledningsförvaltningen").await;
        let it = unit(&store, org, Some(klf.id), "IT-enheten").await;

        for (id, parent) in [
            (ks.id, ks.id),
            (ks.id, klf.id),
            (ks.id, it.id),
            (klf.id, it.id),
        ] {
            let name = store.get_unit(org, id).await?.name;
            let e = invalid(
                store
                    .update_unit(&actor(), org, id, draft(Some(parent), &name))
                    .await,
            );
            assert_eq!(
                e.get("parent_id"),
                Some(v::CYCLE),
                "{name} under its descendant"
            );
        }
        let e = invalid(
            store
                .create_unit(&actor(), org, draft(Some(UnitId::new()), "Föräldralös"))
                .await,
        );
        assert_eq!(e.get("parent_id"), Some(v::UNKNOWN_REFERENCE));
        let e = invalid(store.create_unit(&actor(), org, draft(None, "  ")).await);
        assert_eq!(e.get("name"), Some(v::REQUIRED));

        // Nothing moved, and no history was written for the refusals.
        assert_eq!(store.get_unit(org, ks.id).await?.parent_id, None);
        assert_eq!(store.get_unit(org, klf.id).await?.parent_id, Some(ks.id));
        assert_eq!(store.history(org, ks.id.0).await?.len(), 1);

        // Moving a unit elsewhere in the tree is fine, and so is making it a root.
        let moved = store
            .update_unit(&actor(), org, it.id, draft(Some(ks.id), "IT-enheten"))
            .await?;
        assert_eq!(moved.parent_id, Some(ks.id));
        let root = store
            .update_unit(
                &actor(),
                org,
                klf.id,
                draft(None, "Kommunledningsförvaltningen"),
            )
            .await?;
        assert_eq!(root.parent_id, None);
        // Now the former grandparent may go under the former child.
        let under = store
            .update_unit(&actor(), org, ks.id, draft(Some(klf.id), "Kommunstyrelsen"))
            .await?;
        assert_eq!(under.parent_id, Some(klf.id));
    }
);

dual_test!(
    the_tree_is_depth_first_with_system_counts,
    |store: Store| async move {
        let org = org_id(&store, "stad").await?;
        let ks = unit(&store, org, None, "Kommunstyrelsen").await;
        let arkiv = unit(&store, org, None, "Arkivnämnden").await;
        let klf = unit(&store, org, Some(ks.id), "Kommunledningsförvaltningen").await;
        let ekonomi = unit(&store, org, Some(klf.id), "Ekonomikontoret").await;
        let bygglov = unit(&store, org, Some(klf.id), "bygglov").await;
        let hr = unit(&store, org, Some(ks.id), "HR-avdelningen").await;

        let with_unit = |name: &str, u: UnitId| {
            let mut d = SystemDraft::named(name);
            d.responsible_unit_id = Some(u);
            d
        };
        for (n, u) in [
            ("Raindance", ekonomi.id),
            ("Hypergene", ekonomi.id),
            ("ByggR", bygglov.id),
            ("Gammalt", bygglov.id),
        ] {
            store.create_system(&actor(), org, with_unit(n, u)).await?;
        }
        // Using a unit is not being responsible for it; archived systems do not count.
        let mut d = with_unit("Heroma", klf.id);
        d.using_unit_ids = vec![hr.id, ekonomi.id];
        store.create_system(&actor(), org, d).await?;
        let old = search_rows(&store, org, "gammalt").await?[0].id;
        store.archive_system(&actor(), org, old).await?;

        let tree = store.unit_tree(org).await?;
        let shown: Vec<(&str, usize, i64)> = tree
            .iter()
            .map(|n| (n.unit.name.as_str(), n.depth, n.system_count))
            .collect();
        assert_eq!(
            shown,
            [
                ("Arkivnämnden", 0, 0),
                ("Kommunstyrelsen", 0, 0),
                ("HR-avdelningen", 1, 0),
                ("Kommunledningsförvaltningen", 1, 1),
                ("bygglov", 2, 1),
                ("Ekonomikontoret", 2, 2),
            ]
        );
        assert!(
            tree.iter()
                .all(|n| n.unit.org_id == org && !n.unit.archived)
        );
        assert_eq!(tree[4].unit.parent_id, Some(klf.id));
        assert_eq!(tree[0].unit.id, arkiv.id);

        // The counts are kept by triggers (migration 0048): they follow a
        // system moved to another unit, one restored, and an import's rows,
        // and agree with counting the systems.
        let raindance = search_rows(&store, org, "raindance").await?[0].id;
        store
            .update_system(&actor(), org, raindance, with_unit("Raindance", hr.id))
            .await?;
        store.restore_system(&actor(), org, old).await?;
        let csv = "Systemnamn;Ansvarig enhet\nEpsilon;HR-avdelningen\nZeta;bygglov\n";
        let recs = insyn::parse_spreadsheet("system.csv", csv.as_bytes())?;
        store
            .import(&actor(), ImportTarget::Org(org), "system.csv", &recs, false)
            .await?;
        let kept: Vec<(UnitId, i64)> = store
            .unit_tree(org)
            .await?
            .iter()
            .map(|n| (n.unit.id, n.system_count))
            .collect();
        for (u, n) in &kept {
            let counted = store
                .db
                .read()
                .count(
                    "SELECT COUNT(*) AS n FROM systems WHERE org_id = $1 AND archived = FALSE AND responsible_unit_id = $2",
                    vec![org.0.into(), u.0.into()],
                )
                .await?;
            assert_eq!(*n, counted, "unit {u:?}");
        }
        let of = |u: UnitId| kept.iter().find(|k| k.0 == u).map(|k| k.1);
        assert_eq!(
            (of(hr.id), of(bygglov.id), of(ekonomi.id)),
            (Some(2), Some(3), Some(1))
        );
    }
);

dual_test!(
    the_tree_sorts_siblings_in_swedish_order,
    |store: Store| async move {
        let org = org_id(&store, "stad").await?;
        let root = unit(&store, org, None, "Kommunen").await;
        for n in [
            "Öppna förskolan",
            "Ärendeenheten",
            "Zeta",
            "Åtgärdsenheten",
            "alfa",
        ] {
            unit(&store, org, Some(root.id), n).await;
        }
        let names: Vec<String> = store
            .unit_tree(org)
            .await?
            .into_iter()
            .skip(1)
            .map(|n| n.unit.name)
            .collect();
        assert_eq!(
            names,
            [
                "alfa",
                "Zeta",
                "Åtgärdsenheten",
                "Ärendeenheten",
                "Öppna förskolan"
            ]
        );
    }
);
