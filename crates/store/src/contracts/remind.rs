//! Reminders of a contract's last notice day to the holders of its
//! responsible role on the systems it covers (the organisation's
//! IT-säkerhetssamordnare when nobody holds it), in each one's language.
//! Each (contract, notice day, stage, person) is queued once, keyed in
//! `reminders_sent` in the transaction that writes the mail; a changed
//! date gives a new notice day and so a new key.

use crate::audit::{Actor, Change};
use crate::db::{Queryable, Result, now};
use crate::outbox::{OutboxMail, enqueue};
use crate::reminders::{Choices, claim_reminder, mailed_on};
use crate::{Store, StoreError, params};
use chrono::NaiveDate;
use insyn_domain::contract::*;
use insyn_domain::policy::COORDINATOR;
use insyn_domain::validation::FieldErrors;
use insyn_domain::*;
use std::collections::BTreeSet;
use uuid::Uuid;

pub const LEAD_DAYS_OUT_OF_RANGE: &str = "error-contract-lead-days";

/// The addresses of today's holders of the contract's responsible role on
/// its systems, or of the coordinators when there are none. The
/// coordinators are the same for every contract of an organisation on a
/// day: read once into `coordinators` (they were read again for each
/// contract, a pass over every role assignment, on every tasks visit).
async fn recipients(
    tx: &mut impl Queryable,
    org: OrgId,
    c: &Contract,
    day: NaiveDate,
    coordinators: &mut Option<Vec<String>>,
) -> Result<Vec<String>> {
    let current = "AND p.active AND p.email IS NOT NULL AND ra.start_date <= $3 \
                   AND (ra.end_date IS NULL OR ra.end_date >= $3)";
    let mut out = match c.responsible_role_id {
        Some(role) => tx
            .all(
                &format!(
                    "SELECT DISTINCT p.email FROM role_assignments ra JOIN people p ON p.id = ra.person_id \
                     WHERE ra.org_id = $1 AND ra.role_type_id = $2 {current} AND (ra.system_id IN \
                     (SELECT system_id FROM contract_systems WHERE contract_id = $4) \
                     OR NOT EXISTS (SELECT 1 FROM contract_systems WHERE contract_id = $4))"
                ),
                params![org.0, role.0, day, c.id.0],
                |r| r.text("email"),
            )
            .await?,
        None => vec![],
    };
    if out.is_empty() {
        if coordinators.is_none() {
            *coordinators = Some(coordinator_emails(tx, org, day).await?);
        }
        out = coordinators.clone().unwrap_or_default();
    }
    let mut out: Vec<String> = out.into_iter().map(|e| e.trim().to_lowercase()).collect();
    out.sort();
    out.dedup();
    Ok(out)
}

/// The addresses of the organisation's security coordinators on `day`:
/// their assignments through the index on the role type (a handful of
/// rows), then each person. As one statement joining people, PostgreSQL
/// could not tell how few assignments a role code has and read every
/// assignment and person of the organisation (47 ms a tasks visit at
/// 100,000 systems), or with the person as a subquery, estimated so high
/// that it compiled the query (JIT, 190 ms).
async fn coordinator_emails(
    tx: &mut impl Queryable,
    org: OrgId,
    day: NaiveDate,
) -> Result<Vec<String>> {
    let people = tx
        .all(
            "SELECT DISTINCT ra.person_id FROM role_assignments ra WHERE ra.org_id = $1 \
             AND ra.role_type_id = (SELECT id FROM role_types WHERE org_id = $1 AND code = $2) \
             AND ra.start_date <= $3 AND (ra.end_date IS NULL OR ra.end_date >= $3)",
            params![org.0, COORDINATOR, day],
            |r| r.uuid("person_id"),
        )
        .await?;
    let mut out = vec![];
    for person in people {
        out.extend(
            tx.opt(
                "SELECT email FROM people WHERE id = $1 AND active AND email IS NOT NULL",
                params![person],
                |r| r.text("email"),
            )
            .await?,
        );
    }
    Ok(out)
}

impl Store {
    /// How many days before a contract's last notice day its reminders
    /// begin (the organisation's setting, 90 by default).
    pub async fn contract_lead_days(&self, org: OrgId) -> Result<u32> {
        let days = self
            .db
            .read()
            .opt(
                "SELECT lead_days FROM contract_settings WHERE org_id = $1",
                params![org.0],
                |r| r.i64("lead_days"),
            )
            .await?;
        Ok(days
            .and_then(|d| u32::try_from(d).ok())
            .unwrap_or(DEFAULT_LEAD_DAYS))
    }

    /// Sets the organisation's lead time (1–730 days), audited.
    pub async fn set_contract_lead_days(
        &self,
        actor: &Actor,
        org: OrgId,
        days: u32,
    ) -> Result<u32> {
        if !(1..=MAX_LEAD_DAYS).contains(&days) {
            return Err(StoreError::Invalid(FieldErrors::single(
                "lead_days",
                LEAD_DAYS_OUT_OF_RANGE,
            )));
        }
        let before = self.contract_lead_days(org).await?;
        let mut tx = self.db.begin().await?;
        if !tx.exists("organisations", org.0).await? {
            return Err(StoreError::NotFound);
        }
        tx.execute(
            "DELETE FROM contract_settings WHERE org_id = $1",
            params![org.0],
        )
        .await?;
        tx.execute(
            "INSERT INTO contract_settings (org_id, lead_days, updated_at) VALUES ($1, $2, $3)",
            params![org.0, i64::from(days), now()],
        )
        .await?;
        Change::new(
            Some(org),
            AuditAction::Update,
            AuditObject::Organisation,
            org.0,
            serde_json::json!({ "contract_lead_days": { "old": before, "new": days } }),
        )
        .commit(tx, actor)
        .await?;
        Ok(days)
    }

    /// The contracts whose reminder is due on `today` and goes to the
    /// person with this e-mail (the holders of the responsible role on its
    /// systems, or the coordinators): "Mina uppgifter" shows them as the
    /// mails tell them, the nearest last notice day first. Read from the
    /// stored dates within the lead time, at most [`super::REFRESH_BATCH`].
    pub async fn contract_tasks_for(
        &self,
        org: OrgId,
        email: &str,
        today: NaiveDate,
    ) -> Result<Vec<Contract>> {
        let email = email.trim().to_lowercase();
        let lead = self.contract_lead_days(org).await?;
        let until = today
            .checked_add_days(chrono::Days::new(u64::from(lead)))
            .unwrap_or(today);
        let due = self
            .contracts_due_between(org, today, until, None, today)
            .await?;
        let mut read = self.db.read();
        let mut coordinators = None;
        let mut mine = vec![];
        for c in due {
            let s = schedule(&c.draft().term(), today);
            if due_reminder(c.id, &s, lead, today).is_some()
                && recipients(&mut read, org, &c, today, &mut coordinators)
                    .await?
                    .contains(&email)
            {
                mine.push(c);
            }
        }
        Ok(mine)
    }

    /// Queues the contract reminders due on `today` in every organisation,
    /// to each recipient as often as they chose (a notice day not yet
    /// passed is never late, so "only when late" gets none; a held-back
    /// reminder goes when their next mail may, if still due), in their
    /// language, with full links after `public_url` when given; returns how
    /// many mails were queued. Stored dates that may have moved
    /// are refreshed first; then only the contracts whose last notice day
    /// lies within the lead time are read, a batch at a time.
    pub async fn queue_contract_reminders(
        &self,
        today: NaiveDate,
        public_url: Option<&str>,
    ) -> Result<usize> {
        self.refresh_contract_dates(today).await?;
        let mut mails = 0;
        for org in self.list_orgs().await? {
            let lead = self.contract_lead_days(org.id).await?;
            let until = today
                .checked_add_days(chrono::Days::new(u64::from(lead)))
                .unwrap_or(today);
            let mut after = None;
            loop {
                let batch = self
                    .contracts_due_between(org.id, today, until, after, today)
                    .await?;
                let Some(last) = batch.last() else { break };
                after = last.dates.last_notice_day.map(|d| (d, last.id));
                let full = i64::try_from(batch.len()).unwrap_or(i64::MAX) >= super::REFRESH_BATCH;
                mails += self
                    .queue_batch(&org, lead, batch, today, public_url)
                    .await?;
                if !full || after.is_none() {
                    break;
                }
            }
        }
        Ok(mails)
    }

    /// Queues the reminders due on `today` of one batch of an
    /// organisation's contracts, in one transaction with its audit record.
    async fn queue_batch(
        &self,
        org: &Organisation,
        lead: u32,
        batch: Vec<Contract>,
        today: NaiveDate,
        public_url: Option<&str>,
    ) -> Result<usize> {
        let due: Vec<(Contract, ReminderKey, Schedule)> = batch
            .into_iter()
            .filter_map(|c| {
                let s = schedule(&c.draft().term(), today);
                due_reminder(c.id, &s, lead, today).map(|k| (c, k, s))
            })
            .collect();
        if due.is_empty() {
            return Ok(0);
        }
        let mut tx = self.db.begin().await?;
        let mut coordinators = None;
        let mut queued = vec![];
        let mut choices = Choices::default();
        let mut mailed = BTreeSet::new();
        for (c, key, s) in &due {
            for email in recipients(&mut tx, org.id, c, today, &mut coordinators).await? {
                let choice = choices.of(&mut tx, &email).await?;
                let lang = choice.language;
                if !choice.allows(false, today) {
                    continue;
                }
                let k = format!(
                    "contract:{}:{}:{}:{email}",
                    c.id,
                    key.notice_day,
                    key.stage.as_str()
                );
                if !claim_reminder(&mut tx, org.id, &k, &email).await? {
                    continue;
                }
                mailed.insert(email.clone());
                let id = c.id.to_string();
                let facts = ReminderFacts {
                    org_name: &org.name,
                    org_slug: &org.slug,
                    contract_id: &id,
                    contract_name: &c.name,
                    supplier_name: &c.supplier_name,
                    public_url,
                };
                let (subject, body) = reminder(lang, &facts, s, key);
                enqueue(
                    &mut tx,
                    &OutboxMail {
                        org_id: Some(org.id),
                        dedupe_key: k,
                        recipient: email.clone(),
                        subject,
                        body,
                    },
                )
                .await?;
                queued.push(serde_json::json!({
                        "to": email, "contract": c.id, "notice_day": key.notice_day, "stage": key.stage.as_str(),
                    }));
            }
        }
        if queued.is_empty() {
            return Ok(0);
        }
        for to in &mailed {
            mailed_on(&mut tx, to, today).await?;
        }
        let mails = queued.len();
        Change::new(
            Some(org.id),
            AuditAction::Queue,
            AuditObject::Reminders,
            Uuid::now_v7(),
            serde_json::json!({ "contract_mails": { "new": queued } }),
        )
        .commit(tx, &Actor::new("insyn reminders"))
        .await?;
        Ok(mails)
    }
}
