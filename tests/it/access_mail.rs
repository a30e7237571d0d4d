//! The notices of access orders, through a real SMTP server: each step
//! tells the next party (the decider after ordering, the executor after
//! approval) or the orderer (after rejection, carrying out, failure), once,
//! in the recipient's language; nobody to tell sends nothing and the step
//! still succeeds.

use insyn::mail::{Mailer, send_pending};
use insyn_domain::access::*;
use insyn_domain::*;
use insyn_store::{Actor, Store};
use insyn_tests::scenario::On;
use insyn_tests::{Scenario, SmtpServer, date, dual_test};

fn order(person: PersonId, profile: AccessProfileId) -> AccessOrderDraft {
    AccessOrderDraft {
        kind: OrderKind::Grant,
        person_id: Some(person),
        new_person: None,
        profile_ids: vec![profile],
        reason: Some("Ny tjänst".into()),
        start_date: date(2026, 12, 7),
        end_date: None,
        ticket: None,
    }
}

fn step(step: OrderStep, comment: Option<&str>) -> OrderStepDraft {
    OrderStepDraft {
        step,
        comment: comment.map(str::to_owned),
        ticket: None,
        done_on: None,
    }
}

dual_test!(
    each_step_s_notice_arrives_once_in_the_recipient_s_language,
    |store: Store| async move {
        let server = SmtpServer::start().await;
        let mailer = Mailer::new(&server.url(), "insyn <insyn@kommunen.se>")?;
        let k = Scenario::new(&store, "kommunen").await?;
        let treserva = k.system("Treserva").await;
        // The system owner decides (English), the förvaltare carries out
        // (Swedish), the manager orders (English).
        let owner = k.person("Olle Ägare", Some("olle@kommunen.se")).await?;
        k.holds("system_owner", &owner, On::System(treserva.id))
            .await?;
        let admin = k
            .person("Sara Förvaltare", Some("Sara@kommunen.se"))
            .await?;
        k.holds("system_manager", &admin, On::System(treserva.id))
            .await?;
        let kim = k.person("Kim Handläggare", Some("kim@kommunen.se")).await?;
        let chef = Actor::new("chef@kommunen.se");
        for (email, lang) in [
            ("olle@kommunen.se", Language::En),
            ("sara@kommunen.se", Language::Sv),
            ("chef@kommunen.se", Language::En),
        ] {
            let u = k.user(email, email, AppRole::Reader).await?;
            store
                .set_user_language(&Actor::new("test"), u.id, lang)
                .await?;
        }
        let profile = store
            .create_access_profile(
                &chef,
                k.org,
                treserva.id,
                AccessProfileDraft::named("Handläggare"),
                &Parties::default(),
            )
            .await?;
        let o = store
            .order_access(&chef, k.org, treserva.id, order(kim.id, profile.id))
            .await?;
        store
            .order_step(
                &Actor::new("olle@kommunen.se"),
                k.org,
                o[0].id,
                step(OrderStep::Approve, None),
            )
            .await?;
        store
            .order_step(
                &Actor::new("sara@kommunen.se"),
                k.org,
                o[0].id,
                step(OrderStep::CarryOut, None),
            )
            .await?;
        // A second order, rejected: the orderer is told why.
        let ann = k.person("Ann Ek", Some("ann@kommunen.se")).await?;
        let o2 = store
            .order_access(&chef, k.org, treserva.id, order(ann.id, profile.id))
            .await?;
        store
            .order_step(
                &Actor::new("olle@kommunen.se"),
                k.org,
                o2[0].id,
                step(OrderStep::Reject, Some("Inget behov")),
            )
            .await?;

        assert_eq!(send_pending(&store, &mailer, "w1").await?, 5);
        assert_eq!(send_pending(&store, &mailer, "w2").await?, 0);
        let mut got: Vec<(String, String)> = server
            .messages()
            .into_iter()
            .map(|m| (m.rcpt_to.join(","), m.subject))
            .collect();
        got.sort();
        assert_eq!(
            got,
            vec![
                (
                    "chef@kommunen.se".into(),
                    "insyn: Access order carried out (Treserva)".into()
                ),
                (
                    "chef@kommunen.se".into(),
                    "insyn: Access order rejected (Treserva)".into()
                ),
                (
                    "olle@kommunen.se".into(),
                    "insyn: Access order to decide (Treserva)".into()
                ),
                (
                    "olle@kommunen.se".into(),
                    "insyn: Access order to decide (Treserva)".into()
                ),
                (
                    "sara@kommunen.se".into(),
                    "insyn: Behörighetsbeställning att utföra (Treserva)".into()
                ),
            ]
        );
        let rejected = server
            .messages()
            .into_iter()
            .find(|m| m.subject.contains("rejected"))
            .expect("the rejection");
        assert!(
            rejected.body.contains(
                "Your order for the access Handläggare in Treserva for Ann Ek has been rejected."
            ),
            "{}",
            rejected.body
        );
        assert!(rejected.body.contains("Comment: Inget behov"));
        let todo = server
            .messages()
            .into_iter()
            .find(|m| m.rcpt_to == ["sara@kommunen.se"])
            .expect("the executor's");
        assert!(todo.body.contains("En beslutad beställning av behörigheten Handläggare i Treserva för Kim Handläggare väntar på att du utför den."), "{}", todo.body);
    }
);

dual_test!(
    nobody_to_tell_sends_nothing_and_the_step_goes_on,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let treserva = k.system("Treserva").await;
        let kim = k.person("Kim Handläggare", Some("kim@kommunen.se")).await?;
        // Decided automatically, carried out by a role nobody holds, ordered
        // by someone who is no user.
        let mut d = AccessProfileDraft::named("Läsare");
        d.decider = Some(Party::Automatic);
        let profile = store
            .create_access_profile(
                &Actor::new("test"),
                k.org,
                treserva.id,
                d,
                &Parties::default(),
            )
            .await?;
        let o = store
            .order_access(
                &Actor::new("test"),
                k.org,
                treserva.id,
                order(kim.id, profile.id),
            )
            .await?;
        assert_eq!(o[0].state, OrderState::Approved);
        let done = store
            .order_step(
                &Actor::new("test"),
                k.org,
                o[0].id,
                step(OrderStep::CarryOut, None),
            )
            .await?;
        assert_eq!(done.state, OrderState::CarriedOut);
        assert_eq!(store.outbox_status(Some(k.org)).await?.pending, 0);
    }
);
