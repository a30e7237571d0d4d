//! People: search by name or e-mail, in any case, Swedish letters included.

use insyn_domain::*;
use insyn_store::Store;
use insyn_tests::{actor, dual_test, org_id};

dual_test!(
    people_are_found_by_name_or_email_in_any_case,
    |store: Store| async move {
        let org = org_id(&store, "stad").await?;
        for (name, email) in [
            ("Åsa Öberg", Some("asa.oberg@stad.se")),
            ("Ärla Lindström", None),
            ("Erik Eriksson", Some("erik@stad.se")),
        ] {
            store
                .create_person(
                    &actor(),
                    org,
                    PersonDraft {
                        name: name.into(),
                        email: email.map(str::to_owned),
                        title: None,
                        unit_id: None,
                        active: true,
                    },
                )
                .await?;
        }
        let find = |q: &'static str| {
            let store = store.clone();
            async move {
                anyhow::Ok(
                    store
                        .list_people(org, Some(q), PageRequest::default())
                        .await?
                        .items
                        .into_iter()
                        .map(|p| p.name)
                        .collect::<Vec<_>>(),
                )
            }
        };
        assert_eq!(find("erik").await?, ["Erik Eriksson"]);
        assert_eq!(find("ERIK").await?, ["Erik Eriksson"]);
        assert_eq!(find("asa.oberg@").await?, ["Åsa Öberg"]);
        assert_eq!(find("öberg").await?, ["Åsa Öberg"]);
        assert_eq!(find("lindström").await?, ["Ärla Lindström"]);
        assert_eq!(find("LINDSTRÖM").await?, ["Ärla Lindström"]);
        assert_eq!(find("åsa").await?, ["Åsa Öberg"]);
        assert_eq!(find("ärla").await?, ["Ärla Lindström"]);
        assert!(find("zlatan").await?.is_empty());
        assert_eq!(
            store
                .list_people(org, None, PageRequest::default())
                .await?
                .total,
            3
        );
    }
);
