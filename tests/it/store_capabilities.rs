//! The capabilities the organisation's page and "Finns det redan?" list come
//! from counts the database keeps (migration 46): after every kind of write
//! they agree with counting the active systems' capabilities afresh.

use insyn_domain::*;
use insyn_store::Store;
use insyn_store::import::ImportTarget;
use insyn_tests::{Scenario, actor, dual_test};
use std::collections::BTreeMap;

/// What the lists would be counted afresh from `systems`: every capability
/// of the active ones by name, and those of more than one by count.
async fn recount(
    store: &Store,
    org: OrgId,
    systems: &[SystemId],
) -> anyhow::Result<(Vec<String>, Vec<(String, i64)>)> {
    let mut n: BTreeMap<String, i64> = BTreeMap::new();
    for id in systems {
        let s = store.get_system(org, *id).await?;
        if !s.archived {
            for c in s.capabilities {
                *n.entry(c).or_default() += 1;
            }
        }
    }
    let names = n.keys().cloned().collect();
    let mut overlaps: Vec<(String, i64)> = n.into_iter().filter(|(_, k)| *k > 1).collect();
    overlaps.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok((names, overlaps))
}

async fn assert_counts(store: &Store, org: OrgId, systems: &[SystemId]) -> anyhow::Result<()> {
    let (names, overlaps) = recount(store, org, systems).await?;
    assert_eq!(store.capability_names(org, 300).await?, names);
    assert_eq!(store.capability_overlaps(org).await?, overlaps);
    Ok(())
}

fn named(name: &str, capabilities: &[&str]) -> SystemDraft {
    let mut d = SystemDraft::named(name);
    d.capabilities = capabilities.iter().map(|c| (*c).to_owned()).collect();
    d
}

dual_test!(
    the_kept_capability_counts_agree_with_counting_after_create_edit_archive_restore_and_import,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let (a, org) = (actor(), k.org);
        let mut ids = vec![];
        for (name, caps) in [
            ("Alfa", &["ekonomi", "lon"][..]),
            ("Beta", &["ekonomi"][..]),
            ("Gamma", &["arkiv", "ekonomi"][..]),
            ("Delta", &["lon"][..]),
        ] {
            ids.push(store.create_system(&a, org, named(name, caps)).await?.id);
        }
        // Another organisation's systems count there only.
        let grannen = Scenario::new(&store, "grannen").await?;
        let theirs = store
            .create_system(&a, grannen.org, named("Alfa", &["ekonomi", "skola"]))
            .await?;
        assert_counts(&store, org, &ids).await?;
        assert_eq!(
            store.capability_names(grannen.org, 300).await?,
            ["ekonomi", "skola"]
        );

        store.archive_system(&a, org, ids[3]).await?;
        assert_counts(&store, org, &ids).await?;
        store
            .update_system(&a, org, ids[0], named("Alfa", &["arkiv", "skola"]))
            .await?;
        assert_counts(&store, org, &ids).await?;
        // An archived system's edit counts nothing until it is back.
        store
            .update_system(&a, org, ids[3], named("Delta", &["skola", "lon"]))
            .await?;
        assert_counts(&store, org, &ids).await?;
        store.restore_system(&a, org, ids[3]).await?;
        assert_counts(&store, org, &ids).await?;
        assert_eq!(
            store.capability_names(org, 2).await?.len(),
            2,
            "the limit holds"
        );

        // A spreadsheet import writes its rows in bulk.
        let csv = "Systemnamn;Förmågor\nEpsilon;skola\nZeta;ekonomi\n";
        let recs = insyn::parse_spreadsheet("system.csv", csv.as_bytes())?;
        store
            .import(&a, ImportTarget::Org(org), "system.csv", &recs, false)
            .await?;
        for name in ["Epsilon", "Zeta"] {
            ids.push(store.system_named(org, name).await?.expect("imported"));
        }
        assert_counts(&store, org, &ids).await?;
        assert_counts(&store, grannen.org, &[theirs.id]).await?;
    }
);
