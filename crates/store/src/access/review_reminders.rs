//! The reminders of open access reviews (behörighetskontroller): to the
//! reviewer 20, 10 and 3 days before the deadline and once after it, then
//! to the IT-säkerhetssamordnare (`ReviewReminders`). Each is keyed by the
//! campaign, the reminder and the recipient, so `queue_reminders` queues it
//! once; on a day the worker missed, the latest reminder due is sent.
//! They go in a mail of their own, in the recipient's language (the
//! compliance digest of `reminders.rs` is Swedish).

use super::reviews::AccessReview;
use crate::Store;
use crate::db::{Result, Tx};
use crate::outbox::{OutboxMail, enqueue};
use crate::policy::Compliance;
use crate::reminders::{Choices, claim_reminder};
use chrono::NaiveDate;
use insyn_domain::access::{Reminder, ReviewLine, ReviewReminders, review_reminder_text};
use insyn_domain::policy::COORDINATOR;
use insyn_domain::*;
use std::collections::BTreeMap;
use uuid::Uuid;

/// The reminder due on `today` for the reviewer, if any, and whether the
/// coordinators are to be told.
fn due(r: &AccessReview, today: NaiveDate) -> (Option<Reminder>, bool) {
    let schedule = ReviewReminders::default().schedule(r.opened_on, r.deadline);
    let passed = || schedule.iter().filter(|(day, _)| *day <= today);
    let reviewer = passed()
        .map(|(_, x)| *x)
        .rev()
        .find(|x| *x != Reminder::Escalate);
    let escalate = passed().any(|(_, x)| *x == Reminder::Escalate);
    (reviewer, escalate)
}

fn stage(x: Reminder) -> String {
    match x {
        Reminder::Before(d) => format!("before{d}"),
        Reminder::After(d) => format!("after{d}"),
        Reminder::Escalate => "escalate".into(),
    }
}

/// One access-review reminder to one person: what makes it go out once
/// (`reminders_sent`) and its line in the mail.
pub(crate) struct ReviewReminder {
    key: String,
    line: ReviewLine,
}

impl ReviewReminder {
    /// Past its deadline (a person who wants only what is late gets it).
    pub(crate) fn late(&self) -> bool {
        self.line.late
    }
}

/// Queues on `tx` the reminders of `due` not sent before, one mail per
/// person in their language (`choices` holds every recipient's), with a
/// full link after `public_url` when given; returns what was queued, for
/// the audit record.
pub(crate) async fn queue_review_mails(
    tx: &mut Tx,
    org: &Organisation,
    public_url: Option<&str>,
    choices: &Choices,
    due: BTreeMap<String, Vec<ReviewReminder>>,
) -> Result<Vec<serde_json::Value>> {
    let mut queued = vec![];
    for (to, items) in due {
        let mut lines = vec![];
        for r in items {
            if claim_reminder(tx, org.id, &r.key, &to).await? {
                lines.push(r.line);
            }
        }
        if lines.is_empty() {
            continue;
        }
        let lang = choices.language_of(&to);
        let (subject, body) = review_reminder_text(lang, &org.name, &org.slug, public_url, &lines);
        let mail = OutboxMail {
            org_id: Some(org.id),
            dedupe_key: format!(
                "access-review-reminders:{}:{to}:{}",
                org.id.0,
                Uuid::now_v7()
            ),
            recipient: to.clone(),
            subject,
            body,
        };
        enqueue(tx, &mail).await?;
        queued.push(
            serde_json::json!({ "to": to, "reviews": lines.len(), "language": lang.as_str() }),
        );
    }
    Ok(queued)
}

impl Store {
    /// Every access-review reminder due on `today` in the organisation, by
    /// recipient address (the coordinators from `c`).
    pub(crate) async fn access_review_reminders(
        &self,
        org: OrgId,
        c: &Compliance,
        today: NaiveDate,
    ) -> Result<BTreeMap<String, Vec<ReviewReminder>>> {
        let coordinators: Vec<String> = c
            .org_holders
            .get(COORDINATOR)
            .into_iter()
            .flatten()
            .filter_map(|h| h.email.as_deref())
            .map(|e| e.trim().to_lowercase())
            .collect();
        let mut out: BTreeMap<String, Vec<ReviewReminder>> = BTreeMap::new();
        for r in self.open_access_reviews(org).await? {
            let (reviewer, escalate) = due(&r, today);
            let late = r.deadline < today;
            let mut push = |to: &str, x: Reminder, escalation: Option<Option<String>>| {
                out.entry(to.to_owned()).or_default().push(ReviewReminder {
                    key: format!("{}:access-review:{}:{}:{to}", org.0, r.id.0, stage(x)),
                    line: ReviewLine {
                        subject: r.subject.clone(),
                        deadline: r.deadline,
                        late,
                        escalation,
                    },
                });
            };
            let email = r.reviewer_email.as_deref().map(|e| e.trim().to_lowercase());
            if let Some(x) = reviewer {
                let to = email
                    .clone()
                    .map_or_else(|| coordinators.clone(), |e| vec![e]);
                for to in to {
                    push(&to, x, None);
                }
            }
            if escalate {
                for to in &coordinators {
                    push(to, Reminder::Escalate, Some(r.reviewer_name.clone()));
                }
            }
        }
        Ok(out)
    }
}
