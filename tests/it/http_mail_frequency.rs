//! The account page's choice of how often reminders come by e-mail: shown
//! in the user's language, saved and audited, an unknown choice refused on
//! the field with nothing changed.

use insyn_domain::reminder_mail::MailFrequency;
use insyn_store::Store;
use insyn_tests::{App, TEST_ADMIN, dual_test};

dual_test!(
    a_user_chooses_how_often_reminders_come_on_the_account_page,
    |store: Store| async move {
        let app = App::new_with_org(&store, "kommunen").await?;
        let page = app.get("/account").await.expect(200);
        page.assert_text_contains("Påminnelser via e-post");
        page.assert_text_contains("När något ska göras eller är försenat");
        app.lang("en")
            .get("/account")
            .await
            .expect(200)
            .assert_text_contains("At most once a month");
        let me = || async { store.user_by_email(TEST_ADMIN).await };
        assert_eq!(me().await?.mail_frequency, MailFrequency::AsDue);
        app.post_form("/account/mail-frequency", &[("mail_frequency", "monthly")])
            .await
            .expect(303);
        let user = me().await?;
        assert_eq!(user.mail_frequency, MailFrequency::Monthly);
        let trail = store.shared_history(user.id.0).await?;
        assert!(
            trail
                .iter()
                .any(|e| e.changes["mail_frequency"]["new"] == "monthly"),
            "{trail:?}"
        );
        assert!(
            app.get("/account")
                .await
                .expect(200)
                .body
                .contains(r#"<option value="monthly" selected>"#)
        );
        let refused = app
            .post_form("/account/mail-frequency", &[("mail_frequency", "hourly")])
            .await
            .expect(422);
        refused.assert_text_contains("Välj ett av alternativen");
        assert_eq!(me().await?.mail_frequency, MailFrequency::Monthly);
    }
);
