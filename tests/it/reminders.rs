//! Reminders: queued for the holders of the responsible role (the security
//! coordinator when it is vacant), each exactly once, also with two insyn
//! instances reminding and sending at once; they reach a real SMTP server.

use chrono::{Days, Utc};
use insyn::mail::{Mailer, send_pending};
use insyn_domain::*;
use insyn_store::Store;
use insyn_tests::{
    On, REMINDERS_PROFILE, Scenario, SmtpServer, actor, dual_test, org_id, person, url_of,
};

fn today() -> chrono::NaiveDate {
    Utc::now().date_naive()
}

/// Lön (business-critical, owner Anna, no continuity plan, restore test
/// done 350 days ago: due within a month); Schema (no owner: the
/// coordinator Sara is told).
async fn setup(store: &Store) -> anyhow::Result<(OrgId, System)> {
    let org = org_id(store, "stad").await?;
    store
        .save_profile(&actor(), org, REMINDERS_PROFILE, None)
        .await?;
    let mut d = SystemDraft::named("Lönesystem");
    d.business_critical = true;
    let lon = store.create_system(&actor(), org, d).await?;
    // Goes live today: its first restore test is due in a year.
    let mut d = SystemDraft::named("Schemaverktyg");
    d.go_live_date = Some(today());
    store.create_system(&actor(), org, d).await?;
    let anna = person(store, org, "Anna Ägare", Some("anna@stad.se")).await?;
    let sara = person(store, org, "Sara Samordnare", Some("sara@stad.se")).await?;
    let unit = store
        .create_unit(
            &actor(),
            org,
            UnitDraft {
                parent_id: None,
                name: "Kommunledning".into(),
                level: "förvaltning".into(),
                manager_id: None,
            },
        )
        .await?;
    let k = Scenario::at(store, org);
    let since = today() - Days::new(400);
    k.holds_from("system_owner", anna.id, On::System(lon.id), since)
        .await?;
    k.holds_from("security_coordinator", sara.id, On::Unit(unit.id), since)
        .await?;
    store
        .record_control(
            &actor(),
            org,
            Some(lon.id),
            insyn_store::policy::ControlDraft {
                control: "restore_test".into(),
                performed_on: today() - Days::new(350),
                result: "ok".into(),
                note: None,
            },
        )
        .await?;
    Ok((org, lon))
}

dual_test!(
    reminders_reach_the_role_holders_once_also_with_two_instances,
    |store: Store| async move {
        let (_, _) = setup(&store).await?;
        let server = SmtpServer::start().await;
        let mailer = Mailer::new(&server.url(), "insyn@stad.se")?;
        // A second instance: its own pools, the same database.
        let other = Store::open(Some(&url_of(&store))).await?;
        let mut tasks = vec![];
        for (i, s) in [&store, &other, &store, &other].into_iter().enumerate() {
            let (s, mailer) = (s.clone(), mailer.clone());
            tasks.push(tokio::spawn(async move {
                let mut queued = 0;
                for round in 0..3 {
                    queued += s.queue_reminders(today()).await?;
                    send_pending(&s, &mailer, &format!("w{i}-{round}")).await?;
                }
                anyhow::Ok(queued)
            }));
        }
        let mut queued = 0;
        for t in tasks {
            queued += t.await??;
        }
        other.db.close().await;
        assert_eq!(
            queued, 2,
            "one mail to Anna and one to Sara, however many instances"
        );
        let mails = server.messages();
        let mut to: Vec<String> = mails.iter().flat_map(|m| m.rcpt_to.clone()).collect();
        to.sort();
        assert_eq!(to, vec!["anna@stad.se", "sara@stad.se"]);
        let anna = mails
            .iter()
            .find(|m| m.rcpt_to == ["anna@stad.se"])
            .unwrap();
        assert!(anna.subject.contains("2 uppgifter"), "{}", anna.subject);
        assert!(
            anna.body
                .contains("Kontinuitetsplan för verksamhetskritiskt system"),
            "{}",
            anna.body
        );
        assert!(
            anna.body.contains("Återläsning testas varje år"),
            "{}",
            anna.body
        );
        let sara = mails
            .iter()
            .find(|m| m.rcpt_to == ["sara@stad.se"])
            .unwrap();
        assert!(
            sara.body
                .contains("Schemaverktyg: Systemet har en systemägare"),
            "{}",
            sara.body
        );
        assert_eq!(store.reminders_queued_for("anna@stad.se").await?, 2);

        // Nothing new: nothing more, even on the next run.
        assert_eq!(store.queue_reminders(today()).await?, 0);
        assert_eq!(send_pending(&store, &mailer, "again").await?, 0);
        assert_eq!(server.messages().len(), 2);
    }
);

dual_test!(
    a_new_owner_is_reminded_and_the_late_stage_comes_once_more,
    |store: Store| async move {
        let (org, lon) = setup(&store).await?;
        assert_eq!(store.queue_reminders(today()).await?, 2);
        // The owner changes: the new owner is reminded of the same things.
        let bo = person(&store, org, "Bo Bytt", Some("bo@stad.se")).await?;
        let held = store.system_roles(org, lon.id).await?;
        store
            .end_assignment(&actor(), org, held[0].assignment.id, today() - Days::new(1))
            .await?;
        Scenario::at(&store, org)
            .holds_from("system_owner", bo.id, On::System(lon.id), today())
            .await?;
        assert_eq!(store.queue_reminders(today()).await?, 1);
        assert_eq!(store.reminders_queued_for("bo@stad.se").await?, 2);
        // Past the due date the restore test is late: one more reminder, once.
        let later = today() + Days::new(20);
        assert_eq!(store.queue_reminders(later).await?, 1);
        assert_eq!(store.queue_reminders(later).await?, 0);
        assert_eq!(store.reminders_queued_for("bo@stad.se").await?, 3);
    }
);

dual_test!(
    the_reminder_mail_is_in_the_recipient_s_language_with_full_links,
    |store: Store| async move {
        let (org, lon) = setup(&store).await?;
        let anna = Scenario::at(&store, org)
            .user("anna@stad.se", "Anna Ägare", AppRole::Reader)
            .await?;
        store
            .set_user_language(&actor(), anna.id, insyn_domain::access::Language::En)
            .await?;
        let server = SmtpServer::start().await;
        let mailer = Mailer::new(&server.url(), "insyn@stad.se")?
            .with_public_url(Some("https://insyn.stad.se".into()));
        insyn::mail::round(&store, Some(&mailer), "w", true).await?;
        let mails = server.messages();
        let anna = mails
            .iter()
            .find(|m| m.rcpt_to == ["anna@stad.se"])
            .unwrap();
        assert!(anna.subject.contains("2 tasks"), "{}", anna.subject);
        assert!(
            anna.body.contains("Hello,") && anna.body.contains("\"My tasks\""),
            "{}",
            anna.body
        );
        assert!(
            anna.body.contains(&format!(
                "  https://insyn.stad.se/o/stad/systems/{}\n",
                lon.id
            )),
            "{}",
            anna.body
        );
        assert!(
            anna.body.contains("https://insyn.stad.se/o/stad/tasks\n"),
            "{}",
            anna.body
        );
        // Sara has no account: Swedish, the organisation's default.
        let sara = mails
            .iter()
            .find(|m| m.rcpt_to == ["sara@stad.se"])
            .unwrap();
        assert!(sara.body.starts_with("Hej!"), "{}", sara.body);
    }
);

dual_test!(
    never_means_no_reminder_mail_and_monthly_at_most_one_in_30_days,
    |store: Store| async move {
        use insyn_domain::reminder_mail::MailFrequency;
        let (org, lon) = setup(&store).await?;
        let k = Scenario::at(&store, org);
        let anna = k
            .user("anna@stad.se", "Anna Ägare", AppRole::Reader)
            .await?;
        let sara = k
            .user("sara@stad.se", "Sara Samordnare", AppRole::Reader)
            .await?;
        store
            .set_user_mail_frequency(&actor(), sara.id, MailFrequency::Never)
            .await?;
        store
            .set_user_mail_frequency(&actor(), anna.id, MailFrequency::Monthly)
            .await?;
        // The choice is audited like other account changes.
        let trail = store.shared_history(anna.id.0).await?;
        assert!(
            trail
                .iter()
                .any(|e| e.changes["mail_frequency"]["new"] == "monthly"),
            "{trail:?}"
        );
        assert_eq!(store.queue_reminders(today()).await?, 1, "Anna only");
        assert_eq!(store.reminders_queued_for("sara@stad.se").await?, 0);
        assert_eq!(store.reminders_queued_for("anna@stad.se").await?, 2);
        // Anna comes to own another system: its reminders are held back for a month.
        let mut d = SystemDraft::named("Ekonomisystem");
        d.business_critical = true;
        let eko = store.create_system(&actor(), org, d).await?;
        let anna_person = store
            .system_roles(org, lon.id)
            .await?
            .into_iter()
            .find(|h| h.person_name == "Anna Ägare")
            .unwrap()
            .assignment
            .person_id;
        k.holds_from("system_owner", anna_person, On::System(eko.id), today())
            .await?;
        let week = today() + Days::new(7);
        store.queue_reminders(week).await?;
        assert_eq!(
            store.reminders_queued_for("anna@stad.se").await?,
            2,
            "held back"
        );
        assert_eq!(
            store.reminders_queued_for("sara@stad.se").await?,
            0,
            "never"
        );
        // 30 days after the last: the held-back reminders go in one mail.
        let month = today() + Days::new(30);
        store.queue_reminders(month).await?;
        assert!(store.reminders_queued_for("anna@stad.se").await? > 2);
        assert_eq!(
            store.reminders_queued_for("sara@stad.se").await?,
            0,
            "never"
        );
    }
);
