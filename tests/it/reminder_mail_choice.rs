//! Every kind of reminder honours the recipient's choice of how often to be
//! mailed (Mitt konto): incident deadlines, contracts' last notice days,
//! processors' reviews and access reviews, like the policy reminders in
//! `reminders.rs`. A reminder held back goes in the next mail allowed; each
//! arrives at a real SMTP server in the recipient's language with a full
//! link under `--public-url`.

use crate::store_suppliers::draft as supplier_draft;
use chrono::{DateTime, Days, Duration, NaiveDate, Utc};
use insyn::mail::{Mailer, send_pending};
use insyn_domain::access::Language;
use insyn_domain::incident::*;
use insyn_domain::reminder_mail::MailFrequency;
use insyn_domain::*;
use insyn_store::Store;
use insyn_tests::{
    On, ReceivedMail, Scenario, SmtpServer, actor, date, dual_test, role_type, unit,
};

const PUBLIC: &str = "https://insyn.kommun.se";

/// An account for `email` reading `lang` and mailed as `often`.
async fn account(
    k: &Scenario,
    email: &str,
    lang: Language,
    often: MailFrequency,
) -> anyhow::Result<()> {
    let u = k.user(email, email, AppRole::Reader).await?;
    k.store.set_user_language(&actor(), u.id, lang).await?;
    k.store
        .set_user_mail_frequency(&actor(), u.id, often)
        .await?;
    Ok(())
}

/// Sends what is queued and returns the mails `to` has received so far.
async fn mails_to(
    store: &Store,
    server: &SmtpServer,
    mailer: &Mailer,
    to: &str,
) -> anyhow::Result<Vec<ReceivedMail>> {
    send_pending(store, mailer, "w").await?;
    Ok(server
        .messages()
        .into_iter()
        .filter(|m| m.rcpt_to == [to])
        .collect())
}

async fn smtp() -> anyhow::Result<(SmtpServer, Mailer)> {
    let server = SmtpServer::start().await;
    let mailer = Mailer::new(&server.url(), "insyn@kommunen.se")?;
    Ok((server, mailer))
}

/// The moment the incident's staff became aware of it.
fn aware_at() -> DateTime<Utc> {
    crate::store_incidents::now()
}

/// A personal-data incident on `system`, judged not significant, so only
/// the 72-hour IMY clock runs (to the coordinator and the system owner).
async fn incident(store: &Store, k: &Scenario, system: SystemId) -> anyhow::Result<Incident> {
    let d = crate::store_incidents::draft(IncidentKind::PersonalData, 0, &[system]);
    let i = store
        .report_incident(&actor(), k.org, d, aware_at())
        .await?;
    let no = SignificanceDraft {
        significant: false,
        reason: "En enskild mottagare".into(),
    };
    store
        .assess_incident(&actor(), k.org, i.id, no, aware_at())
        .await?;
    Ok(i)
}

dual_test!(
    incident_deadline_reminders_honour_each_recipient_s_choice,
    |store: Store| async move {
        let (server, mailer) = smtp().await?;
        let k = Scenario::new(&store, "kommunen").await?;
        let top = unit(&store, k.org, None, "Kommunledning").await;
        let sys = k.system("Treserva").await;
        let sara = k
            .person("Sara Samordnare", Some("sara@kommunen.se"))
            .await?;
        k.holds("security_coordinator", &sara, On::Unit(top.id))
            .await?;
        k.owner(&sys, "Ola Ägare", "ola@kommunen.se").await?;
        // Sara wants only what is late, in English; Ola at most weekly.
        account(
            &k,
            "sara@kommunen.se",
            Language::En,
            MailFrequency::OverdueOnly,
        )
        .await?;
        account(&k, "ola@kommunen.se", Language::Sv, MailFrequency::Weekly).await?;
        let i = incident(&store, &k, sys.id).await?;
        let link = format!("{PUBLIC}/o/kommunen/incidents/{}", i.id);

        // 60 of 72 hours: the 80 % reminder, not late: Ola only.
        let at = aware_at() + Duration::hours(60);
        assert_eq!(store.queue_incident_reminders(at, Some(PUBLIC)).await?, 1);
        let ola = mails_to(&store, &server, &mailer, "ola@kommunen.se").await?;
        assert_eq!(ola.len(), 1);
        assert!(
            ola[0]
                .body
                .contains(&format!("Incidenten finns i insyn: {link}\n")),
            "{}",
            ola[0].body
        );
        assert!(
            mails_to(&store, &server, &mailer, "sara@kommunen.se")
                .await?
                .is_empty()
        );

        // A day later the deadline has passed: Sara is told, in English;
        // Ola's missed-deadline reminder waits for his next weekly mail.
        let at = aware_at() + Duration::hours(84);
        assert_eq!(store.queue_incident_reminders(at, Some(PUBLIC)).await?, 1);
        let sara = mails_to(&store, &server, &mailer, "sara@kommunen.se").await?;
        assert_eq!(sara.len(), 1);
        assert!(
            sara[0]
                .subject
                .starts_with("insyn: the deadline has passed – incident 1"),
            "{}",
            sara[0].subject
        );
        assert!(
            sara[0]
                .body
                .contains(&format!("The incident in insyn: {link}\n")),
            "{}",
            sara[0].body
        );
        assert_eq!(
            mails_to(&store, &server, &mailer, "ola@kommunen.se")
                .await?
                .len(),
            1
        );
        // A week after his last mail: the held-back reminder goes, once.
        let at = aware_at() + Duration::hours(60 + 7 * 24);
        assert_eq!(store.queue_incident_reminders(at, Some(PUBLIC)).await?, 1);
        assert_eq!(store.queue_incident_reminders(at, Some(PUBLIC)).await?, 0);
        let ola = mails_to(&store, &server, &mailer, "ola@kommunen.se").await?;
        assert_eq!(ola.len(), 2);
        // The SMTP server's mails come in no particular order.
        assert!(
            ola.iter()
                .any(|m| m.subject.starts_with("insyn: tidsfristen har passerat")),
            "{ola:?}"
        );
        assert_eq!(
            mails_to(&store, &server, &mailer, "sara@kommunen.se")
                .await?
                .len(),
            1
        );
    }
);

/// A contract with Visma over `systems`, the system owners responsible,
/// started on `start` (36 months, 3 months' notice).
async fn contract(
    k: &Scenario,
    supplier: SupplierId,
    name: &str,
    start: NaiveDate,
    systems: Vec<SystemId>,
) -> anyhow::Result<insyn_domain::contract::Contract> {
    let mut d = crate::store_contracts::draft(name, supplier, systems);
    d.start_date = Some(start);
    d.signed_on = Some(start);
    d.responsible_role_id = Some(role_type(&k.store, k.org, SYSTEM_OWNER).await?.id);
    Ok(k.store
        .create_contract(&actor(), k.org, d, date(2026, 1, 1))
        .await?)
}

dual_test!(
    contract_notice_reminders_honour_each_recipient_s_choice,
    |store: Store| async move {
        let (server, mailer) = smtp().await?;
        let k = Scenario::new(&store, "kommunen").await?;
        let eko = k.system("Ekonomi").await;
        let lon = k.system("Lön").await;
        k.owner(&eko, "Ola Ägare", "ola@kommunen.se").await?;
        k.owner(&lon, "Pia Ägare", "pia@kommunen.se").await?;
        // Ola at most monthly, in English; Pia only what is late, and a
        // notice day not yet passed is never late.
        account(&k, "ola@kommunen.se", Language::En, MailFrequency::Monthly).await?;
        account(
            &k,
            "pia@kommunen.se",
            Language::Sv,
            MailFrequency::OverdueOnly,
        )
        .await?;
        store.set_contract_lead_days(&actor(), k.org, 60).await?;
        let s = store
            .create_supplier(&actor(), k.org, supplier_draft("Visma"))
            .await?;
        let a = contract(
            &k,
            s.id,
            "Ekonomisystem",
            date(2024, 1, 1),
            vec![eko.id, lon.id],
        )
        .await?;
        let b = contract(
            &k,
            s.id,
            "Lönesystem",
            date(2024, 1, 11),
            vec![eko.id, lon.id],
        )
        .await?;
        let ahead =
            |c: &insyn_domain::contract::Contract| c.dates.last_notice_day.unwrap() - Days::new(60);
        assert!(ahead(&b) > ahead(&a) && ahead(&b) < ahead(&a) + Days::new(30));

        assert_eq!(
            store
                .queue_contract_reminders(ahead(&a), Some(PUBLIC))
                .await?,
            1
        );
        let ola = mails_to(&store, &server, &mailer, "ola@kommunen.se").await?;
        assert_eq!(ola.len(), 1);
        assert!(
            ola[0]
                .subject
                .starts_with("insyn: the last day to give notice"),
            "{}",
            ola[0].subject
        );
        assert!(
            ola[0].body.contains(&format!(
                "The contract in insyn: {PUBLIC}/o/kommunen/contracts/{}\n",
                a.id
            )),
            "{}",
            ola[0].body
        );
        // The second contract's reminder falls within Ola's month: held back.
        assert_eq!(
            store
                .queue_contract_reminders(ahead(&b), Some(PUBLIC))
                .await?,
            0
        );
        // 30 days after his last mail it goes, once.
        let month = ahead(&a) + Days::new(30);
        assert_eq!(
            store.queue_contract_reminders(month, Some(PUBLIC)).await?,
            1
        );
        assert_eq!(
            store.queue_contract_reminders(month, Some(PUBLIC)).await?,
            0
        );
        let ola = mails_to(&store, &server, &mailer, "ola@kommunen.se").await?;
        assert_eq!(ola.len(), 2);
        // The SMTP server's mails come in no particular order.
        assert!(
            ola.iter().any(|m| m
                .body
                .contains(&format!("{PUBLIC}/o/kommunen/contracts/{}\n", b.id))),
            "{ola:?}"
        );
        assert!(
            mails_to(&store, &server, &mailer, "pia@kommunen.se")
                .await?
                .is_empty()
        );
        assert_eq!(store.reminders_queued_for("pia@kommunen.se").await?, 0);
    }
);

/// An agreement with `supplier` over `systems`, last reviewed on `last`,
/// reviewed every 12 months.
async fn agreement(
    k: &Scenario,
    supplier: SupplierId,
    last: NaiveDate,
    systems: Vec<SystemId>,
) -> anyhow::Result<insyn_domain::processor::ProcessorAgreement> {
    let mut d = crate::store_processors::draft(supplier, systems);
    d.last_review_on = Some(last);
    Ok(k.store
        .create_processor_agreement(&actor(), k.org, d, date(2026, 1, 1))
        .await?)
}

dual_test!(
    processor_review_reminders_honour_each_recipient_s_choice,
    |store: Store| async move {
        let (server, mailer) = smtp().await?;
        let k = Scenario::new(&store, "kommunen").await?;
        let pro = k.system("Procapita").await;
        let lon = k.system("Lön").await;
        k.owner(&pro, "Ola Ägare", "ola@kommunen.se").await?;
        k.owner(&lon, "Pia Ägare", "pia@kommunen.se").await?;
        // Ola wants no reminder mail; Pia at most weekly, in English.
        account(&k, "ola@kommunen.se", Language::Sv, MailFrequency::Never).await?;
        account(&k, "pia@kommunen.se", Language::En, MailFrequency::Weekly).await?;
        store.set_contract_lead_days(&actor(), k.org, 60).await?;
        let tieto = store
            .create_supplier(&actor(), k.org, supplier_draft("Tieto"))
            .await?;
        let visma = store
            .create_supplier(&actor(), k.org, supplier_draft("Visma"))
            .await?;
        // Reviews due 2026-11-01 and 2026-11-05: reminded from 09-02 and 09-06.
        let a = agreement(&k, tieto.id, date(2025, 11, 1), vec![pro.id, lon.id]).await?;
        let b = agreement(&k, visma.id, date(2025, 11, 5), vec![pro.id, lon.id]).await?;

        assert_eq!(
            store
                .queue_processor_reminders(date(2026, 9, 2), Some(PUBLIC))
                .await?,
            1
        );
        let pia = mails_to(&store, &server, &mailer, "pia@kommunen.se").await?;
        assert_eq!(pia.len(), 1);
        assert!(
            pia[0].subject.starts_with("Review of the processor Tieto"),
            "{}",
            pia[0].subject
        );
        assert!(
            pia[0].body.contains(&format!(
                "the agreement: {PUBLIC}/o/kommunen/processors/{}",
                a.id
            )),
            "{}",
            pia[0].body
        );
        // Visma's reminder falls within Pia's week: held back until 09-09.
        assert_eq!(
            store
                .queue_processor_reminders(date(2026, 9, 6), Some(PUBLIC))
                .await?,
            0
        );
        assert_eq!(
            store
                .queue_processor_reminders(date(2026, 9, 8), Some(PUBLIC))
                .await?,
            0
        );
        assert_eq!(
            store
                .queue_processor_reminders(date(2026, 9, 9), Some(PUBLIC))
                .await?,
            1
        );
        let pia = mails_to(&store, &server, &mailer, "pia@kommunen.se").await?;
        assert_eq!(pia.len(), 2);
        // The SMTP server's mails come in no particular order.
        assert!(
            pia.iter().any(|m| m
                .body
                .contains(&format!("{PUBLIC}/o/kommunen/processors/{}", b.id))),
            "{pia:?}"
        );
        assert!(
            mails_to(&store, &server, &mailer, "ola@kommunen.se")
                .await?
                .is_empty()
        );
        assert_eq!(store.reminders_queued_for("ola@kommunen.se").await?, 0);
    }
);

dual_test!(
    access_review_reminders_honour_the_choice_with_a_full_link,
    |store: Store| async move {
        use insyn_store::access::AccessReviewDraft;
        let (server, mailer) = smtp().await?;
        let s = crate::store_access::setup(&store).await?;
        let today = Utc::now().date_naive();
        let day = |n: u64| today + Days::new(n);
        let eva = s.k.person("Eva Granskare", Some("eva@kommunen.se")).await?;
        // Eva wants only what is late, in English.
        account(
            &s.k,
            "eva@kommunen.se",
            Language::En,
            MailFrequency::OverdueOnly,
        )
        .await?;
        let draft = AccessReviewDraft {
            reviewer_id: Some(eva.id),
            deadline: Some(day(40)),
            ..crate::store_access_reviews::of_system(s.system)
        };
        store.open_access_review(&actor(), s.k.org, draft).await?;
        // Twenty days before the deadline: not late, not mailed.
        store.queue_reminders_linked(day(20), Some(PUBLIC)).await?;
        assert!(
            mails_to(&store, &server, &mailer, "eva@kommunen.se")
                .await?
                .is_empty()
        );
        // Past the deadline: the late reminder, with a full link.
        store.queue_reminders_linked(day(41), Some(PUBLIC)).await?;
        let eva = mails_to(&store, &server, &mailer, "eva@kommunen.se").await?;
        assert_eq!(eva.len(), 1, "{eva:?}");
        assert!(
            eva[0].body.contains(&format!(
                "- Access review of Treserva (overdue since {})",
                day(40)
            )),
            "{}",
            eva[0].body
        );
        assert!(
            eva[0].body.contains(&format!(
                "\"My tasks\" in insyn: {PUBLIC}/o/kommunen/tasks\n"
            )),
            "{}",
            eva[0].body
        );
    }
);
