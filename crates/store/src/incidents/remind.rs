//! Reminders of incident clocks: at half the time, at 80 % and when the
//! deadline has passed, to the organisation's IT-säkerhetssamordnare and to
//! the holders of the roles the deadline names on the affected systems.
//! Each (incident, clock, stage, person) is queued once, keyed in
//! `reminders_sent` in the transaction that writes the mail.

use super::{IncidentFilter, Store};
use crate::audit::{Actor, Change};
use crate::db::{Queryable, Result, Tx};
use crate::outbox::{OutboxMail, enqueue};
use crate::params;
use crate::reminders::{Choices, claim_reminder, mailed_on};
use chrono::{DateTime, Utc};
use insyn_domain::access::Language;
use insyn_domain::incident::notice::{ReminderFacts, reminder};
use insyn_domain::incident::*;
use insyn_domain::policy::COORDINATOR;
use insyn_domain::*;
use std::collections::BTreeSet;
use uuid::Uuid;

/// The addresses of the people holding `role` today: in the organisation
/// (any scope), or only on `systems` when given.
async fn holders(
    tx: &mut Tx,
    org: OrgId,
    role: &str,
    systems: Option<&[SystemId]>,
    day: chrono::NaiveDate,
) -> Result<Vec<String>> {
    let rows = tx
        .all(
            "SELECT DISTINCT p.email, ra.system_id FROM role_assignments ra \
             JOIN role_types rt ON rt.id = ra.role_type_id JOIN people p ON p.id = ra.person_id \
             WHERE ra.org_id = $1 AND rt.code = $2 AND p.active AND p.email IS NOT NULL \
             AND ra.start_date <= $3 AND (ra.end_date IS NULL OR ra.end_date >= $3)",
            params![org.0, role, day],
            |r| Ok((r.text("email")?, r.opt_uuid("system_id")?)),
        )
        .await?;
    let mut out: Vec<String> = rows
        .into_iter()
        .filter(|(_, s)| systems.is_none_or(|sys| s.is_some_and(|s| sys.iter().any(|x| x.0 == s))))
        .map(|(e, _)| e.trim().to_lowercase())
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

/// The mail of one reminder; `public_url` makes its link full.
struct Reminding<'a> {
    org: &'a Organisation,
    public_url: Option<&'a str>,
    incident: &'a Incident,
    clock: &'a Clock,
    stage: ClockStage,
}

fn mail(r: &Reminding<'_>, to: &str, lang: Language) -> OutboxMail {
    let (org, i, c, stage) = (r.org, r.incident, r.clock, r.stage);
    let id = i.id.to_string();
    let facts = ReminderFacts {
        org_name: &org.name,
        org_slug: &org.slug,
        incident_id: &id,
        number: i.number,
        title: &i.title,
        public_url: r.public_url,
    };
    let (subject, body) = reminder(lang, &facts, c, stage);
    OutboxMail {
        org_id: Some(org.id),
        dedupe_key: format!(
            "incident:{}:{}:{}:{to}",
            i.id,
            c.deadline.id,
            stage.as_str()
        ),
        recipient: to.to_owned(),
        subject,
        body,
    }
}

impl Store {
    /// Queues the incident-clock reminders due at `now` in every
    /// organisation, to each recipient as often as they chose (a missed
    /// deadline is late; a held-back reminder goes when their next mail
    /// may), in their language, with full links after `public_url` when
    /// given; returns how many mails were queued.
    pub async fn queue_incident_reminders(
        &self,
        at: DateTime<Utc>,
        public_url: Option<&str>,
    ) -> Result<usize> {
        let mut mails = 0;
        for org in self.list_orgs().await? {
            let open = self
                .incidents(
                    org.id,
                    IncidentFilter {
                        open: true,
                        ..Default::default()
                    },
                    PageRequest {
                        page: 1,
                        per_page: 10_000,
                    },
                )
                .await?;
            if open.items.is_empty() {
                continue;
            }
            // Only the clocks are needed, not the whole view of each.
            let all = self.incident_clocks(org.id, &open.items, at).await?;
            let views: Vec<_> = open.items.iter().zip(all).collect();
            let mut tx = self.db.begin().await?;
            let mut queued = vec![];
            let mut choices = Choices::default();
            let mut mailed = BTreeSet::new();
            let today = at.date_naive();
            // The coordinators are the same for every clock of the round.
            let coordinators = holders(&mut tx, org.id, COORDINATOR, None, today).await?;
            for (i, clocks) in &views {
                for c in clocks {
                    let Some(stage) = c.stage(i.aware_at, at) else {
                        continue;
                    };
                    let mut to = coordinators.clone();
                    for role in &c.deadline.notify {
                        to.extend(
                            holders(&mut tx, org.id, role, Some(&i.system_ids), today).await?,
                        );
                    }
                    to.sort();
                    to.dedup();
                    let r = Reminding {
                        org: &org,
                        public_url,
                        incident: i,
                        clock: c,
                        stage,
                    };
                    for email in to {
                        let choice = choices.of(&mut tx, &email).await?;
                        let lang = choice.language;
                        if !choice.allows(matches!(stage, ClockStage::Missed), today) {
                            continue;
                        }
                        let key = format!(
                            "incident:{}:{}:{}:{email}",
                            i.id,
                            c.deadline.id,
                            stage.as_str()
                        );
                        if claim_reminder(&mut tx, org.id, &key, &email).await? {
                            enqueue(&mut tx, &mail(&r, &email, lang)).await?;
                            mailed.insert(email.clone());
                            queued.push(serde_json::json!({
                                "to": email, "incident": i.number, "clock": c.deadline.id, "stage": stage.as_str(),
                            }));
                        }
                    }
                }
            }
            if queued.is_empty() {
                continue;
            }
            for to in &mailed {
                mailed_on(&mut tx, to, today).await?;
            }
            mails += queued.len();
            Change::new(
                Some(org.id),
                AuditAction::Queue,
                AuditObject::Reminders,
                Uuid::now_v7(),
                serde_json::json!({ "incident_mails": { "new": queued } }),
            )
            .commit(tx, &Actor::new("insyn reminders"))
            .await?;
        }
        Ok(mails)
    }
}
