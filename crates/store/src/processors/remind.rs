//! Reminders of a processor's next review (tillsyn) to the system owners of
//! the systems the agreement covers (the organisation's
//! IT-säkerhetssamordnare when nobody owns them), in each one's language,
//! from the organisation's contract lead time before the day. Each
//! (agreement, review day, person) is queued once, keyed in
//! `reminders_sent` in the transaction that writes the mail; a new last
//! review gives a new review day and so a new key.

use crate::audit::{Actor, Change};
use crate::db::{Queryable, Result, Tx};
use crate::outbox::{OutboxMail, enqueue};
use crate::reminders::{Choices, claim_reminder, mailed_on};
use crate::{Store, params};
use chrono::NaiveDate;
use insyn_domain::model::SYSTEM_OWNER;
use insyn_domain::policy::COORDINATOR;
use insyn_domain::processor::*;
use insyn_domain::*;
use std::collections::BTreeSet;
use uuid::Uuid;

/// Today's holders of `role` on the agreement's systems (any system: the
/// organisation's holders), lower-cased, sorted and distinct.
async fn holders(
    tx: &mut Tx,
    org: OrgId,
    role: &str,
    on: Option<ProcessorAgreementId>,
    day: NaiveDate,
) -> Result<Vec<String>> {
    let (systems, p) = match on {
        Some(a) => (
            " AND ra.system_id IN (SELECT system_id FROM processor_agreement_systems WHERE agreement_id = $4)",
            params![org.0, role, day, a.0],
        ),
        None => ("", params![org.0, role, day]),
    };
    let mut out: Vec<String> = tx
        .all(
            &format!(
                "SELECT DISTINCT p.email FROM role_assignments ra JOIN role_types rt ON rt.id = ra.role_type_id \
                 JOIN people p ON p.id = ra.person_id WHERE ra.org_id = $1 AND rt.code = $2 AND p.active \
                 AND p.email IS NOT NULL AND ra.start_date <= $3 AND (ra.end_date IS NULL OR ra.end_date >= $3){systems}"
            ),
            p,
            |r| r.text("email"),
        )
        .await?
        .into_iter()
        .map(|e| e.trim().to_lowercase())
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

impl Store {
    /// Queues the processor review reminders due on `today` in every
    /// organisation, to each recipient as often as they chose (a review
    /// day not yet passed is never late, so "only when late" gets none; a
    /// held-back reminder goes when their next mail may, if still due), in
    /// their language, with full links after `public_url` when given;
    /// returns how many mails were queued.
    pub async fn queue_processor_reminders(
        &self,
        today: NaiveDate,
        public_url: Option<&str>,
    ) -> Result<usize> {
        let mut mails = 0;
        for org in self.list_orgs().await? {
            let lead = self.contract_lead_days(org.id).await?;
            let mut due = vec![];
            let mut page = PageRequest::new(Some(1), Some(PageRequest::MAX_SIZE));
            loop {
                let p = self.list_processor_agreements(org.id, page, today).await?;
                let last = p.page >= p.pages();
                due.extend(p.items.into_iter().filter_map(|a| {
                    let day = a.assessment.next_review_on?;
                    (a.assessment.status.covers() && review_reminder_due(day, lead, today))
                        .then_some((a, day))
                }));
                if last {
                    break;
                }
                page.page += 1;
            }
            if due.is_empty() {
                continue;
            }
            let mut tx = self.db.begin().await?;
            let mut queued = vec![];
            let mut choices = Choices::default();
            let mut mailed = BTreeSet::new();
            for (a, day) in &due {
                let mut to = holders(&mut tx, org.id, SYSTEM_OWNER, Some(a.id), today).await?;
                if to.is_empty() {
                    to = holders(&mut tx, org.id, COORDINATOR, None, today).await?;
                }
                for email in to {
                    let choice = choices.of(&mut tx, &email).await?;
                    let lang = choice.language;
                    if !choice.allows(false, today) {
                        continue;
                    }
                    let k = format!("processor:{}:{day}:{email}", a.id);
                    if !claim_reminder(&mut tx, org.id, &k, &email).await? {
                        continue;
                    }
                    mailed.insert(email.clone());
                    let systems: Vec<&str> = a.systems.iter().map(|s| s.name.as_str()).collect();
                    let (subject, body) = review_reminder(
                        lang,
                        public_url,
                        &org.slug,
                        &a.supplier_name,
                        &a.id.to_string(),
                        &systems.join(", "),
                        *day,
                    );
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
                    queued.push(serde_json::json!({ "to": email, "processor_agreement": a.id, "review_day": day }));
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
                serde_json::json!({ "processor_mails": { "new": queued } }),
            )
            .commit(tx, &Actor::new("insyn reminders"))
            .await?;
        }
        Ok(mails)
    }
}
