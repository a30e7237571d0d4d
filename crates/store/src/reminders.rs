//! Reminders by e-mail: what falls due or is late under each organisation's
//! profile, and whom to tell. Reminders address roles: the holders of the
//! responsible role today get them (the security coordinators when nobody
//! holds it), so a change of owner moves them.
//!
//! Each reminder (organisation, system, rule, date, stage, person) is queued
//! exactly once, whatever the number of servers: its key goes into
//! `reminders_sent` in the transaction that writes the mail to the outbox,
//! and a key already there is skipped. A person gets one mail per round with
//! their new reminders.

use crate::access::queue_review_mails;
use crate::audit::{Actor, Change};
use crate::db::{Queryable, Result, Tx, now};
use crate::outbox::{OutboxMail, enqueue};
use crate::policy::{Compliance, SystemCompliance};
use crate::{Store, params};
use chrono::NaiveDate;
use insyn_domain::access::Language;
use insyn_domain::policy::{Finding, Outcome};
use insyn_domain::reminder_mail::{
    MailFrequency, ReminderLine, ReminderWhen, mail_link, reminder_mail_text,
};
use insyn_domain::*;
use std::collections::BTreeMap;
use uuid::Uuid;

/// One reminder to one person.
pub(crate) struct Reminder {
    /// What makes it go out once (`reminders_sent`).
    pub(crate) key: String,
    /// Its line in the mail.
    pub(crate) line: ReminderLine,
}

fn stage(o: &Outcome) -> Option<&'static str> {
    match o {
        Outcome::DueSoon { .. } => Some("before"),
        Outcome::Overdue { .. }
        | Outcome::Missing { .. }
        | Outcome::Expired { .. }
        | Outcome::Unknown { .. } => Some("overdue"),
        Outcome::Met { .. } => None,
    }
}

fn line(
    c: &Compliance,
    org: &Organisation,
    public_url: Option<&str>,
    system: Option<&SystemCompliance>,
    f: &Finding,
) -> ReminderLine {
    let (what_sv, what_en) = c
        .profile
        .profile
        .rule(f.rule_id())
        .map(|r| (r.text_sv.to_owned(), r.text_en.to_owned()))
        .unwrap_or_else(|| (f.rule_id().to_string(), f.rule_id().to_string()));
    let when = match (f.outcome, f.outcome.date()) {
        (Outcome::DueSoon { .. }, Some(d)) => ReminderWhen::By(d),
        (Outcome::Expired { .. }, Some(d)) => ReminderWhen::ExpiredOn(d),
        (Outcome::Unknown { fact }, _) => ReminderWhen::FillIn(fact),
        (_, Some(d)) => ReminderWhen::OverdueSince(d),
        (_, None) => ReminderWhen::Missing,
    };
    ReminderLine {
        on: system.map(|s| s.name.clone()),
        what_sv,
        what_en,
        when,
        link: system.map(|s| mail_link(public_url, &format!("/o/{}/systems/{}", org.slug, s.id))),
        overdue: matches!(stage(&f.outcome), Some("overdue")),
    }
}

/// Every reminder due today, grouped by recipient address.
fn due(
    org: &Organisation,
    public_url: Option<&str>,
    c: &Compliance,
) -> BTreeMap<String, Vec<Reminder>> {
    let mut out: BTreeMap<String, Vec<Reminder>> = BTreeMap::new();
    let findings = c
        .systems
        .iter()
        .flat_map(|s| s.findings.iter().map(move |f| (Some(s), f)))
        .chain(c.organisation.iter().map(|f| (None, f)));
    for (system, f) in findings {
        let Some(stage) = stage(&f.outcome) else {
            continue;
        };
        let date = f
            .outcome
            .date()
            .map(|d| d.to_string())
            .unwrap_or_else(|| "-".into());
        let (people, _) = c.responsible_for(system, f);
        for email in people.iter().filter_map(|h| h.email.as_deref()) {
            let email = email.trim().to_lowercase();
            let target = system
                .map(|s| s.id.to_string())
                .unwrap_or_else(|| "org".into());
            out.entry(email.clone()).or_default().push(Reminder {
                key: format!(
                    "{}:{target}:{}:{date}:{stage}:{email}",
                    org.id.0,
                    f.rule_id()
                ),
                line: line(c, org, public_url, system, f),
            });
        }
    }
    out
}

/// What a recipient chose (their account's, if they have one): the mail's
/// language, how often, and when they were last sent reminders. Every kind
/// of reminder (policy, access reviews, incident deadlines, contracts'
/// notice days, processors' reviews) asks it before claiming a reminder: one
/// held back stays unclaimed and goes in the next mail allowed.
pub(crate) struct Choice {
    pub(crate) language: Language,
    frequency: MailFrequency,
    last: Option<NaiveDate>,
}

impl Choice {
    /// Whether a reminder, late or not, may be mailed on `today`.
    pub(crate) fn allows(&self, late: bool, today: NaiveDate) -> bool {
        self.frequency.allows(late, self.last, today)
    }
}

async fn choice_of(tx: &mut Tx, email: &str) -> Result<Choice> {
    let found = tx
        .opt(
            "SELECT language, mail_frequency, reminders_mailed_on FROM users WHERE LOWER(email) = $1",
            params![email.trim().to_lowercase()],
            |r| {
                Ok(Choice {
                    language: Language::parse(&r.text("language")?).unwrap_or_default(),
                    frequency: MailFrequency::parse(&r.text("mail_frequency")?)
                        .unwrap_or_default(),
                    last: r.opt_date("reminders_mailed_on")?,
                })
            },
        )
        .await?;
    Ok(found.unwrap_or(Choice {
        language: Language::default(),
        frequency: MailFrequency::default(),
        last: None,
    }))
}

/// The recipients' choices read in one transaction, each address once.
#[derive(Default)]
pub(crate) struct Choices(BTreeMap<String, Choice>);

impl Choices {
    /// The choice of the person with this (lower-cased) address.
    pub(crate) async fn of(&mut self, tx: &mut Tx, email: &str) -> Result<&Choice> {
        if !self.0.contains_key(email) {
            let c = choice_of(tx, email).await?;
            self.0.insert(email.to_owned(), c);
        }
        Ok(&self.0[email])
    }

    /// The language of an address already read (Swedish otherwise).
    pub(crate) fn language_of(&self, email: &str) -> Language {
        self.0.get(email).map(|c| c.language).unwrap_or_default()
    }
}

/// Notes that `to` was mailed reminders on `today`: their weekly or monthly
/// gap counts from it.
pub(crate) async fn mailed_on(tx: &mut Tx, to: &str, today: NaiveDate) -> Result<()> {
    tx.execute(
        "UPDATE users SET reminders_mailed_on = $2 WHERE LOWER(email) = $1",
        params![to, today],
    )
    .await?;
    Ok(())
}

/// Records that the reminder `key` goes to `to`; false when it already
/// went (so each reminder is queued once, whatever the number of servers).
pub(crate) async fn claim_reminder(tx: &mut Tx, org: OrgId, key: &str, to: &str) -> Result<bool> {
    let n = tx
        .execute(
            "INSERT INTO reminders_sent (reminder_key, org_id, recipient, queued_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (reminder_key) DO NOTHING",
            params![key, org.0, to, now()],
        )
        .await?;
    Ok(n == 1)
}

impl Store {
    /// Queues the reminders due on `today` in every organisation and returns
    /// how many mails were queued (one per person with something new), with
    /// links as paths (see [`Store::queue_reminders_linked`]).
    pub async fn queue_reminders(&self, today: NaiveDate) -> Result<usize> {
        self.queue_reminders_linked(today, None).await
    }

    /// Queues the reminders due on `today`: one mail per person with
    /// something new, in their language and as often as they chose (held
    /// back reminders go in a later mail), with full links after
    /// `public_url` when given. The mail worker calls it before each round
    /// of sending.
    pub async fn queue_reminders_linked(
        &self,
        today: NaiveDate,
        public_url: Option<&str>,
    ) -> Result<usize> {
        let mut mails = 0;
        for org in self.list_orgs().await? {
            // The snapshot: an organisation whose data did not change since
            // the last round is not judged again.
            let c = self.compliance_snapshot(org.id, today).await?;
            let due = due(&org, public_url, &c);
            let mut reviews = self.access_review_reminders(org.id, &c, today).await?;
            if due.is_empty() && reviews.is_empty() {
                continue;
            }
            let mut tx = self.db.begin().await?;
            let mut choices = Choices::default();
            for to in due.keys().chain(reviews.keys()) {
                choices.of(&mut tx, to).await?;
            }
            // Access reviews go to whoever's choice lets mail go today.
            reviews.retain(|to, items| {
                let ch = &choices.0[to];
                items.retain(|r| ch.allows(r.late(), today));
                !items.is_empty()
            });
            let mut queued = vec![];
            let mut mailed = vec![];
            for (to, items) in due {
                let ch = &choices.0[&to];
                let mut new = vec![];
                for r in items {
                    if ch.allows(r.line.overdue, today)
                        && claim_reminder(&mut tx, org.id, &r.key, &to).await?
                    {
                        new.push(r.line);
                    }
                }
                if new.is_empty() {
                    continue;
                }
                let (subject, body) =
                    reminder_mail_text(ch.language, &org.name, &org.slug, public_url, &new);
                let m = OutboxMail {
                    org_id: Some(org.id),
                    dedupe_key: format!("reminders:{}:{to}:{}", org.id.0, Uuid::now_v7()),
                    recipient: to.clone(),
                    subject,
                    body,
                };
                enqueue(&mut tx, &m).await?;
                queued.push(serde_json::json!({
                    "to": to, "reminders": new.len(), "language": ch.language.as_str(),
                }));
                mailed.push(to);
            }
            // Access reviews have their own mail, in the recipient's language.
            let access = queue_review_mails(&mut tx, &org, public_url, &choices, reviews).await?;
            if queued.is_empty() && access.is_empty() {
                continue;
            }
            mailed.extend(
                access
                    .iter()
                    .filter_map(|a| a["to"].as_str().map(str::to_owned)),
            );
            for to in &mailed {
                mailed_on(&mut tx, to, today).await?;
            }
            mails += queued.len() + access.len();
            let mut what = serde_json::json!({ "mails": { "new": queued } });
            if !access.is_empty() {
                what["access_review_mails"] = serde_json::json!({ "new": access });
            }
            Change::new(
                Some(org.id),
                AuditAction::Queue,
                AuditObject::Reminders,
                Uuid::now_v7(),
                what,
            )
            .commit(tx, &Actor::new("insyn reminders"))
            .await?;
        }
        Ok(mails)
    }

    /// How many reminders have been queued for this address (for tests and support).
    pub async fn reminders_queued_for(&self, email: &str) -> Result<i64> {
        self.db
            .read()
            .count(
                "SELECT COUNT(*) AS n FROM reminders_sent WHERE recipient = $1",
                params![email.trim().to_lowercase()],
            )
            .await
    }
}
