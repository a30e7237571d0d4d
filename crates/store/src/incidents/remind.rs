//! Reminders of incident clocks: at half the time, at 80 % and when the
//! deadline has passed, to the organisation's IT-säkerhetssamordnare and to
//! the holders of the roles the deadline names on the affected systems.
//! Each (incident, clock, stage, person) is queued once, keyed in
//! `reminders_sent` in the transaction that writes the mail.

use super::{IncidentFilter, Store};
use crate::audit::{Actor, Change};
use crate::db::{Queryable, Result, Tx, now};
use crate::outbox::{OutboxMail, enqueue};
use crate::params;
use chrono::{DateTime, Utc};
use insyn_domain::access::Language;
use insyn_domain::incident::notice::{ReminderFacts, reminder};
use insyn_domain::incident::*;
use insyn_domain::policy::COORDINATOR;
use insyn_domain::*;
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

fn mail(
    org: &Organisation,
    to: &str,
    lang: Language,
    i: &Incident,
    c: &Clock,
    stage: ClockStage,
) -> OutboxMail {
    let id = i.id.to_string();
    let facts = ReminderFacts {
        org_name: &org.name,
        org_slug: &org.slug,
        incident_id: &id,
        number: i.number,
        title: &i.title,
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

/// The language of the user with this address (Swedish for a person
/// without an account).
pub(crate) async fn language_of(tx: &mut Tx, email: &str) -> Result<Language> {
    let lang = tx
        .opt(
            "SELECT language FROM users WHERE LOWER(email) = $1",
            params![email],
            |r| r.opt_text("language"),
        )
        .await?
        .flatten();
    Ok(lang
        .as_deref()
        .and_then(Language::parse)
        .unwrap_or_default())
}

impl Store {
    /// Queues the incident-clock reminders due at `now` in every
    /// organisation; returns how many mails were queued.
    pub async fn queue_incident_reminders(&self, at: DateTime<Utc>) -> Result<usize> {
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
            // Only the clocks are needed: the deadlines once for the
            // organisation and each incident's clock events, not the whole
            // view (timeline, actions, profile) of every open incident.
            let deadlines = self.incident_deadlines(org.id).await?;
            let mut read = self.db.read();
            let mut views = Vec::with_capacity(open.items.len());
            for i in &open.items {
                let facts = Self::clock_facts(&mut read, i).await?;
                views.push((i, clocks(&deadlines, &facts, at)));
            }
            let mut tx = self.db.begin().await?;
            let mut queued = vec![];
            // The coordinators are the same for every clock of the round.
            let coordinators = holders(&mut tx, org.id, COORDINATOR, None, at.date_naive()).await?;
            for (i, clocks) in &views {
                for c in clocks {
                    let Some(stage) = c.stage(i.aware_at, at) else {
                        continue;
                    };
                    let mut to = coordinators.clone();
                    for role in &c.deadline.notify {
                        to.extend(
                            holders(&mut tx, org.id, role, Some(&i.system_ids), at.date_naive())
                                .await?,
                        );
                    }
                    to.sort();
                    to.dedup();
                    for email in to {
                        let key = format!(
                            "incident:{}:{}:{}:{email}",
                            i.id,
                            c.deadline.id,
                            stage.as_str()
                        );
                        let n = tx
                            .execute(
                                "INSERT INTO reminders_sent (reminder_key, org_id, recipient, queued_at) \
                                 VALUES ($1, $2, $3, $4) ON CONFLICT (reminder_key) DO NOTHING",
                                params![key.as_str(), org.id.0, email.as_str(), now()],
                            )
                            .await?;
                        if n == 1 {
                            let lang = language_of(&mut tx, &email).await?;
                            enqueue(&mut tx, &mail(&org, &email, lang, i, c, stage)).await?;
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
