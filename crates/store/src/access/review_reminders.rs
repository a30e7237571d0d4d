//! The reminders of open access reviews (behörighetskontroller): to the
//! reviewer 20, 10 and 3 days before the deadline and once after it, then
//! to the IT-säkerhetssamordnare (`ReviewReminders`). Each is keyed by the
//! campaign, the reminder and the recipient, so `queue_reminders` queues it
//! once; on a day the worker missed, the latest reminder due is sent.

use super::reviews::AccessReview;
use crate::Store;
use crate::db::Result;
use crate::policy::Compliance;
use crate::reminders::Reminder as Line;
use chrono::NaiveDate;
use insyn_domain::access::{Reminder, ReviewReminders};
use insyn_domain::policy::COORDINATOR;
use insyn_domain::*;

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

impl Store {
    /// Every access-review reminder due on `today` in the organisation, by
    /// recipient address (the coordinators from `c`).
    pub(crate) async fn access_review_reminders(
        &self,
        org: OrgId,
        c: &Compliance,
        today: NaiveDate,
    ) -> Result<Vec<(String, Line)>> {
        let coordinators: Vec<String> = c
            .org_holders
            .get(COORDINATOR)
            .into_iter()
            .flatten()
            .filter_map(|h| h.email.as_deref())
            .map(|e| e.trim().to_lowercase())
            .collect();
        let mut out = vec![];
        for r in self.open_access_reviews(org).await? {
            let (reviewer, escalate) = due(&r, today);
            let late = r.deadline < today;
            let mut push = |to: &str, x: Reminder, line: String| {
                out.push((
                    to.to_owned(),
                    Line {
                        key: format!("{}:access-review:{}:{}:{to}", org.0, r.id.0, stage(x)),
                        line,
                        overdue: late,
                    },
                ));
            };
            let when = if late {
                format!("försenad sedan {}", r.deadline)
            } else {
                format!("senast {}", r.deadline)
            };
            let email = r.reviewer_email.as_deref().map(|e| e.trim().to_lowercase());
            if let Some(x) = reviewer {
                let to = email
                    .clone()
                    .map_or_else(|| coordinators.clone(), |e| vec![e]);
                for to in to {
                    push(
                        &to,
                        x,
                        format!("- Behörighetskontroll av {} ({when})", r.subject),
                    );
                }
            }
            if escalate {
                let who = r.reviewer_name.as_deref().unwrap_or("ingen granskare");
                for to in &coordinators {
                    push(
                        to,
                        Reminder::Escalate,
                        format!(
                            "- Behörighetskontroll av {} är inte signerad av {who} ({when})",
                            r.subject
                        ),
                    );
                }
            }
        }
        Ok(out)
    }
}
