//! A behörighetskontroll opened for a unit from the unit's page, on both
//! databases: the form only for those who edit the register; without a
//! manager to review it says why; with one it opens the campaign.

use insyn_domain::*;
use insyn_store::Store;
use insyn_tests::{Scenario, actor, dual_test};

dual_test!(
    a_unit_review_is_opened_from_the_unit_page,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let unit = insyn_tests::unit(&store, k.org, None, "Socialkontoret").await;
        let editor = k.signed_in("redaktor@kommunen.se", AppRole::Editor).await?;
        let reader = k.signed_in("lasare@kommunen.se", AppRole::Reader).await?;
        let page = format!("/o/kommunen/units/{}", unit.id);
        let action = format!("{page}/access-reviews");
        editor
            .get(&page)
            .await
            .expect(200)
            .assert_text_contains("Starta behörighetskontroll");
        assert!(
            !reader
                .get(&page)
                .await
                .expect(200)
                .text()
                .contains("Starta behörighetskontroll")
        );
        reader
            .post_form(&action, &[("deadline", "")])
            .await
            .expect(403);

        // A deadline that is no date, and a unit without a manager: refused.
        editor
            .post_form(&action, &[("deadline", "snart")])
            .await
            .expect(422);
        editor
            .post_form(&action, &[("deadline", "")])
            .await
            .expect(422);
        assert!(store.open_access_reviews(k.org).await?.is_empty());

        // With a manager (chef) the campaign opens, for the manager to review.
        let chef = k.person("Cia Chef", Some("cia@kommunen.se")).await?;
        let draft = UnitDraft {
            parent_id: None,
            name: unit.name.clone(),
            level: unit.level.clone(),
            manager_id: Some(chef.id),
        };
        store.update_unit(&actor(), k.org, unit.id, draft).await?;
        let r = editor
            .post_form(&action, &[("deadline", "2099-01-31")])
            .await
            .expect(303);
        assert!(
            r.location().starts_with("/o/kommunen/access-reviews/"),
            "{}",
            r.location()
        );
        let open = store.open_access_reviews(k.org).await?;
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].subject, "Socialkontoret");
    }
);
