//! What a user may do on a system is one answer (the domain's `OnSystem`),
//! and when the store cannot give the facts it needs, that is an error
//! (500), never a refusal that looks like a lack of rights.

use insyn_domain::*;
use insyn_store::Store;
use insyn_store::db::Queryable;
use insyn_tests::{App, actor, dual_test, org_id, system};

dual_test!(
    a_store_that_cannot_say_what_the_user_holds_is_an_error_not_a_refusal,
    |store: Store| async move {
        let org = org_id(&store, "kommunen").await?;
        let sys = system(&store, org, "Procapita").await;
        let reader = Grant {
            org_id: Some(org),
            role: AppRole::Reader,
        };
        store
            .create_user(&actor(), "lasare@kommunen.se", "Läsare", None, &[reader])
            .await?;
        let app = App::as_user(&store, "lasare@kommunen.se");
        let sets = format!("/o/kommunen/systems/{}/security/sets", sys.id);
        let page = format!("/o/kommunen/systems/{}", sys.id);

        // A reader who holds no role on the system is refused, and sees its page.
        app.post_form(&sets, &[("name", "Journaler")])
            .await
            .expect(403);
        app.get(&page).await.expect(200);

        // The roles held on systems cannot be read any more.
        let mut tx = store.db.begin().await?;
        tx.execute(
            "ALTER TABLE role_assignments RENAME TO role_assignments_gone",
            vec![],
        )
        .await?;
        tx.commit().await?;

        // Both the permission check and the page say so, instead of refusing.
        app.post_form(&sets, &[("name", "Journaler")])
            .await
            .expect(500);
        app.get(&page).await.expect(500);
    }
);
