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
use insyn_domain::policy::{Finding, Outcome};
use insyn_domain::*;
use std::collections::BTreeMap;
use uuid::Uuid;

/// At most this many reminders are listed in one mail; the rest are in
/// "Mina uppgifter".
const LISTED: usize = 40;

/// One reminder to one person.
pub(crate) struct Reminder {
    /// What makes it go out once (`reminders_sent`).
    pub(crate) key: String,
    /// Its line in the mail.
    pub(crate) line: String,
    pub(crate) overdue: bool,
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

fn line(c: &Compliance, system: Option<&SystemCompliance>, f: &Finding) -> String {
    let what = c
        .profile
        .profile
        .rule(&f.rule_id)
        .map(|r| r.text_sv.to_owned())
        .unwrap_or_else(|| f.rule_id.clone());
    let on = system
        .map(|s| s.name.as_str())
        .unwrap_or("hela organisationen");
    let when = match (f.outcome, f.outcome.date()) {
        (Outcome::DueSoon { .. }, Some(d)) => format!("senast {d}"),
        (Outcome::Expired { .. }, Some(d)) => format!("upphörde att gälla {d}"),
        (Outcome::Unknown { fact }, _) => format!("fyll i {}", fact_sv(fact)),
        (_, Some(d)) => format!("försenat sedan {d}"),
        (_, None) => "saknas".to_owned(),
    };
    format!("- {on}: {what} ({when})")
}

/// What to fill in, in the reminder's words.
fn fact_sv(fact: &str) -> &'static str {
    match fact {
        insyn_domain::policy::FACT_USER_COUNT => "antal användare",
        insyn_domain::policy::FACT_GO_LIVE => "driftsättningsdatum",
        _ => "informationsklassningen",
    }
}

/// Every reminder due today, grouped by recipient address.
fn due(org: OrgId, c: &Compliance) -> BTreeMap<String, Vec<Reminder>> {
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
                key: format!("{}:{target}:{}:{date}:{stage}:{email}", org.0, f.rule_id),
                line: line(c, system, f),
                overdue: stage == "overdue",
            });
        }
    }
    out
}

fn mail(org: &Organisation, to: &str, items: &[Reminder]) -> OutboxMail {
    let late = items.iter().filter(|r| r.overdue).count();
    let subject = if late > 0 {
        format!(
            "insyn: {} uppgifter att göra, {late} försenade ({})",
            items.len(),
            org.name
        )
    } else {
        format!("insyn: {} uppgifter snart ({})", items.len(), org.name)
    };
    let mut body = format!(
        "Hej!\n\nDet här är dina nya påminnelser från insyn för {}, utifrån de roller du har:\n\n",
        org.name
    );
    for r in items.iter().take(LISTED) {
        body.push_str(&r.line);
        body.push('\n');
    }
    if items.len() > LISTED {
        body.push_str(&format!("… och {} till.\n", items.len() - LISTED));
    }
    body.push_str(&format!(
        "\nAllt du har att göra finns under \"Mina uppgifter\" i insyn (/o/{}/tasks).\n\
         Du får varje påminnelse en gång: före sista dagen och, om det inte blir gjort, när det är försenat.\n",
        org.slug
    ));
    OutboxMail {
        org_id: Some(org.id),
        dedupe_key: format!("reminders:{}:{to}:{}", org.id.0, Uuid::now_v7()),
        recipient: to.to_owned(),
        subject,
        body,
    }
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
    /// how many mails were queued (one per person with something new). The
    /// mail worker calls it before each round of sending.
    pub async fn queue_reminders(&self, today: NaiveDate) -> Result<usize> {
        let mut mails = 0;
        for org in self.list_orgs().await? {
            // The snapshot: an organisation whose data did not change since
            // the last round is not judged again.
            let c = self.compliance_snapshot(org.id, today).await?;
            let due = due(org.id, &c);
            let reviews = self.access_review_reminders(org.id, &c, today).await?;
            if due.is_empty() && reviews.is_empty() {
                continue;
            }
            let mut tx = self.db.begin().await?;
            let mut queued = vec![];
            for (to, items) in due {
                let mut new = vec![];
                for r in items {
                    if claim_reminder(&mut tx, org.id, &r.key, &to).await? {
                        new.push(r);
                    }
                }
                if new.is_empty() {
                    continue;
                }
                let m = mail(&org, &to, &new);
                enqueue(&mut tx, &m).await?;
                queued.push(serde_json::json!({ "to": to, "reminders": new.len() }));
            }
            // Access reviews have their own mail, in the recipient's language.
            let access = queue_review_mails(&mut tx, &org, reviews).await?;
            if queued.is_empty() && access.is_empty() {
                continue;
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
