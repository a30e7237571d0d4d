//! "Finns det redan?" over HTTP, on both databases: before anything is
//! asked the page lists nothing; a capability (or words) finds the systems
//! of every unit that already serve it, each with its contracts' status and
//! the day it can end at the earliest; an over-long search is refused with
//! the field named; systems without the capability are not listed.

use insyn_domain::{AppRole, SystemDraft};
use insyn_store::Store;
use insyn_tests::{Scenario, actor, dual_test};

dual_test!(
    the_page_finds_the_systems_that_already_serve_a_need_with_their_contracts,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let a = actor();
        let mut systems = vec![];
        for (name, cap) in [
            ("Raindance", "Ekonomiuppföljning"),
            ("Hypergene", "Ekonomiuppföljning"),
            ("Procapita", "Ärendehantering"),
        ] {
            let mut d = SystemDraft::named(name);
            d.capabilities = vec![cap.into()];
            systems.push(store.create_system(&a, k.org, d).await?);
        }
        let visma = store
            .create_supplier(&a, k.org, crate::store_suppliers::draft("CGI"))
            .await?;
        let today = chrono::Utc::now().date_naive();
        store
            .create_contract(
                &a,
                k.org,
                crate::store_contracts::draft("Raindance drift", visma.id, vec![systems[0].id]),
                today,
            )
            .await?;
        // Two other organisations of the installation serve the need too:
        // one shows capabilities in its public register, one keeps them secret.
        for (slug, name, secret) in [
            ("grannen", "Grannekonomi", false),
            ("tysta", "Tystekonomi", true),
        ] {
            let other = Scenario::new(&store, slug).await?;
            let mut d = SystemDraft::named(name);
            d.capabilities = vec!["Ekonomiuppföljning".into()];
            store.create_system(&a, other.org, d).await?;
            if secret {
                store
                    .set_field_secrecy(&a, other.org, &[("capabilities".to_owned(), true)])
                    .await?;
            }
        }
        let reader = k.signed_in("kim@kommunen.se", AppRole::Reader).await?;

        let empty = reader.get_text("/o/kommunen/reuse").await;
        assert!(
            !empty.contains("Raindance"),
            "nothing before a need: {empty}"
        );
        let html = reader.get("/o/kommunen/reuse").await.expect(200).body;
        assert!(
            html.contains(r#"<option value="Ekonomiuppföljning">"#),
            "{html}"
        );

        let found = reader
            .get_text("/o/kommunen/reuse?capability=Ekonomiuppf%C3%B6ljning")
            .await;
        assert!(
            found.contains("Raindance") && found.contains("Hypergene"),
            "{found}"
        );
        assert!(!found.contains("Procapita"), "{found}");
        let html = reader
            .get("/o/kommunen/reuse?capability=Ekonomiuppf%C3%B6ljning")
            .await
            .expect(200)
            .body;
        assert!(html.contains("I andra organisationer"), "{html}");
        assert!(
            html.contains("href=\"/public/grannen?q=Grannekonomi\""),
            "{html}"
        );
        assert!(
            !html.contains("Tystekonomi"),
            "a secret capability is not shown: {html}"
        );
        assert!(found.contains("Raindance drift (CGI)"), "{found}");
        assert!(found.contains("Tidigast möjliga avtalsslut"), "{found}");
        assert!(
            found.contains("Inget registrerat avtal"),
            "Hypergene has none: {found}"
        );

        let words = reader.get_text("/o/kommunen/reuse?need=hypergene").await;
        assert!(
            !words.contains("Grannekonomi"),
            "other organisations only for a capability: {words}"
        );
        assert!(
            words.contains("Hypergene") && !words.contains("Raindance"),
            "{words}"
        );

        let long = ["ord"; 11].join("+");
        let r = reader
            .get(&format!("/o/kommunen/reuse?need={long}"))
            .await
            .expect(422);
        assert!(r.text().contains("Behov eller sökord"), "{}", r.text());
    }
);
