//! The system page's "other systems with the same capability"
//! (`Store::overlapping_systems`): a few named by name, many only counted
//! (capped), archived systems and other organisations left out.

use insyn_domain::*;
use insyn_store::{OVERLAP_COUNT_CAP, Overlap, Store};
use insyn_tests::{actor, dual_test, org_id};

async fn with_capability(
    store: &Store,
    org: OrgId,
    name: &str,
    caps: &[&str],
) -> anyhow::Result<System> {
    let mut d = SystemDraft::named(name);
    d.capabilities = caps.iter().map(|c| (*c).to_owned()).collect();
    Ok(store.create_system(&actor(), org, d).await?)
}

dual_test!(
    a_system_page_names_few_overlaps_and_counts_many,
    |store: Store| async move {
        let org = org_id(&store, "stad").await?;
        let other_org = org_id(&store, "grannen").await?;
        let me = with_capability(&store, org, "Mitt system", &["Ekonomi", "Lön", "Unik"]).await?;
        with_capability(&store, org, "Öppen ekonomi", &["Ekonomi"]).await?;
        with_capability(&store, org, "Agresso", &["Ekonomi"]).await?;
        let gone = with_capability(&store, org, "Gammal ekonomi", &["Ekonomi"]).await?;
        store.archive_system(&actor(), org, gone.id).await?;
        with_capability(&store, other_org, "Grannens ekonomi", &["Ekonomi"]).await?;
        for i in 0..7 {
            with_capability(&store, org, &format!("Lön {i}"), &["Lön"]).await?;
        }
        let found = store
            .overlapping_systems(org, me.id, &me.capabilities)
            .await?;
        let named = |o: &Overlap| o.systems.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>();
        assert_eq!(
            found.len(),
            2,
            "a capability no other system serves is left out"
        );
        assert_eq!(found[0].capability, "Ekonomi");
        assert_eq!(named(&found[0]), ["Agresso", "Öppen ekonomi"]);
        assert_eq!((found[0].others, found[0].capped), (2, false));
        assert_eq!(found[1].capability, "Lön");
        assert!(found[1].systems.is_empty(), "seven are counted, not named");
        assert_eq!((found[1].others, found[1].capped), (7, false));
    }
);

dual_test!(
    a_system_page_stops_counting_overlaps_at_the_cap,
    |store: Store| async move {
        let org = org_id(&store, "stad").await?;
        let me = with_capability(&store, org, "System 0000", &["Vanlig"]).await?;
        for i in 1..=OVERLAP_COUNT_CAP + 2 {
            with_capability(&store, org, &format!("System {i:04}"), &["Vanlig"]).await?;
        }
        let found = store
            .overlapping_systems(org, me.id, &me.capabilities)
            .await?;
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].others, found[0].capped),
            (OVERLAP_COUNT_CAP, true)
        );
        assert!(found[0].systems.is_empty());
    }
);
