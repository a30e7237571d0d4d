//! The reminders of an access review through a real SMTP server: the
//! reviewer's and, ten days late, the IT-säkerhetssamordnare's, each once,
//! each in the recipient's language (a mail of their own, not the Swedish
//! compliance digest).

use crate::store_access::setup;
use insyn::mail::{Mailer, send_pending};
use insyn_domain::access::*;
use insyn_domain::*;
use insyn_store::Actor;
use insyn_store::Store;
use insyn_store::access::AccessReviewDraft;
use insyn_tests::{SmtpServer, actor, dual_test};

dual_test!(
    review_reminders_arrive_once_each_in_the_recipient_s_language,
    |store: Store| async move {
        let server = SmtpServer::start().await;
        let mailer = Mailer::new(&server.url(), "insyn <insyn@kommunen.se>")?;
        let s = setup(&store).await?;
        s.grant(s.kim.id).await?;
        let today = chrono::Utc::now().date_naive();
        let day = |n: u64| today + chrono::Days::new(n);
        // The reviewer reads English; the coordinator Swedish.
        let eva = s.k.person("Eva Granskare", Some("Eva@kommunen.se")).await?;
        let sara =
            s.k.person("Sara Samordnare", Some("sara@kommunen.se"))
                .await?;
        let unit = insyn_tests::unit(&store, s.k.org, None, "Kommunledningskontoret").await;
        s.k.holds(
            insyn_domain::policy::COORDINATOR,
            &sara,
            insyn_tests::On::Unit(unit.id),
        )
        .await?;
        for (email, lang) in [
            ("eva@kommunen.se", Language::En),
            ("sara@kommunen.se", Language::Sv),
        ] {
            let u = s.k.user(email, email, AppRole::Reader).await?;
            store
                .set_user_language(&Actor::new("test"), u.id, lang)
                .await?;
        }
        store
            .open_access_review(
                &actor(),
                s.k.org,
                AccessReviewDraft {
                    scope: ReviewScope::System,
                    system_id: Some(s.system),
                    unit_id: None,
                    reviewer_id: Some(eva.id),
                    deadline: Some(day(40)),
                },
            )
            .await?;
        // The compliance digest (Swedish, about Treserva's findings) goes
        // out too; only the access-review mails are looked at here.
        let reviews = || {
            server
                .messages()
                .into_iter()
                .filter(|m| {
                    m.subject.contains("access reviews")
                        || m.subject.contains("behörighetskontroller")
                })
                .collect::<Vec<_>>()
        };
        let subjects = || {
            let mut got: Vec<(String, String)> = reviews()
                .into_iter()
                .map(|m| (m.rcpt_to.join(","), m.subject))
                .collect();
            got.sort();
            got
        };

        // Twenty days ahead: the reviewer, once, in English.
        store.queue_reminders(day(20)).await?;
        store.queue_reminders(day(20)).await?;
        send_pending(&store, &mailer, "w1").await?;
        assert_eq!(send_pending(&store, &mailer, "w2").await?, 0);
        assert_eq!(
            subjects(),
            vec![(
                "eva@kommunen.se".into(),
                "insyn: access reviews to do (Org kommunen)".into()
            )]
        );
        let first = &reviews()[0];
        assert!(
            first
                .body
                .contains(&format!("- Access review of Treserva (by {})", day(40))),
            "{}",
            first.body
        );
        assert!(
            !first.body.contains("Behörighetskontroll"),
            "{}",
            first.body
        );

        // Ten days late: the reviewer's late reminder (English) and the
        // coordinator's escalation (Swedish), each once.
        store.queue_reminders(day(50)).await?;
        store.queue_reminders(day(50)).await?;
        send_pending(&store, &mailer, "w1").await?;
        assert_eq!(send_pending(&store, &mailer, "w2").await?, 0);
        let got = reviews();
        assert_eq!(got.len(), 3, "{:?}", subjects());
        let to_sara = got
            .iter()
            .find(|m| m.rcpt_to == ["sara@kommunen.se"])
            .expect("the coordinator's");
        assert!(
            to_sara.body.contains(&format!(
                "- Behörighetskontroll av Treserva är inte signerad av Eva Granskare (försenad sedan {})",
                day(40)
            )),
            "{}",
            to_sara.body
        );
        assert!(
            to_sara
                .subject
                .starts_with("insyn: behörighetskontroller att göra, 1 försenade")
        );
        let late = format!("- Access review of Treserva (overdue since {})", day(40));
        assert_eq!(
            got.iter()
                .filter(|m| m.rcpt_to == ["eva@kommunen.se"] && m.body.contains(&late))
                .count(),
            1,
            "the reviewer's late reminder, once: {:?}",
            subjects()
        );
    }
);
