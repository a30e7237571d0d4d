//! Annual reviews (årlig uppföljning): the organisation's checklist copied
//! into a review of one system for one period, answered item by item and
//! signed; signing records the control as performed.

use crate::audit::{Actor, Change};
use crate::db::{DbRow, Queryable, Result, Tx, now};
use crate::policy::{ControlDraft, insert_control, system_in_org};
use crate::{Store, StoreError, params};
use chrono::{DateTime, Utc};
use insyn_domain::policy::ANNUAL_REVIEW;
use insyn_domain::validation as v;
use insyn_domain::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The answers an item can have.
pub const ANSWERS: &[&str] = &["yes", "no", "na"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub id: String,
    pub text_sv: String,
    pub text_en: String,
    #[serde(default)]
    pub cite: Option<String>,
    /// `yes`, `no` or `na`; `None` until answered.
    #[serde(default)]
    pub answer: Option<String>,
    #[serde(default)]
    pub comment: Option<String>,
}

impl ReviewItem {
    pub fn text(&self, lang: &str) -> &str {
        if lang == "en" {
            &self.text_en
        } else {
            &self.text_sv
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    pub id: Uuid,
    pub system_id: SystemId,
    pub control: String,
    /// The year reviewed (`2026`).
    pub period: String,
    pub items: Vec<ReviewItem>,
    /// `open` or `signed`.
    pub status: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub signed_by: Option<String>,
    pub signed_at: Option<DateTime<Utc>>,
}

impl Review {
    pub fn is_signed(&self) -> bool {
        self.status == "signed"
    }

    pub fn unanswered(&self) -> usize {
        self.items.iter().filter(|i| i.answer.is_none()).count()
    }
}

/// One answer as sent from the form or the API.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Answer {
    pub item: String,
    #[serde(default)]
    pub answer: Option<String>,
    #[serde(default)]
    pub comment: Option<String>,
}

const COLS: &str =
    "id, system_id, control, period, items, status, created_by, created_at, signed_by, signed_at";

fn review(r: &dyn DbRow) -> Result<Review> {
    Ok(Review {
        id: r.uuid("id")?,
        system_id: SystemId(r.uuid("system_id")?),
        control: r.text("control")?,
        period: r.text("period")?,
        items: serde_json::from_value(r.json("items")?).unwrap_or_default(),
        status: r.text("status")?,
        created_by: r.text("created_by")?,
        created_at: r.ts("created_at")?,
        signed_by: r.opt_text("signed_by")?,
        signed_at: r.opt_ts("signed_at")?,
    })
}

async fn fetch(q: &mut impl Queryable, org: OrgId, id: Uuid) -> Result<Review> {
    q.org_row(COLS, "reviews", org, id, review).await
}

async fn write_items(tx: &mut Tx, id: Uuid, items: &[ReviewItem]) -> Result<()> {
    tx.execute(
        "UPDATE reviews SET items = $2, updated_at = $3 WHERE id = $1",
        params![id, serde_json::to_value(items).unwrap_or_default(), now()],
    )
    .await?;
    Ok(())
}

impl Store {
    pub async fn reviews(&self, org: OrgId, system: SystemId) -> Result<Vec<Review>> {
        self.db
            .read()
            .all(
                &format!(
                    "SELECT {COLS} FROM reviews WHERE org_id = $1 AND system_id = $2 ORDER BY period DESC"
                ),
                params![org.0, system.0],
                review,
            )
            .await
    }

    pub async fn review(&self, org: OrgId, id: Uuid) -> Result<Review> {
        fetch(&mut self.db.read(), org, id).await
    }

    /// Starts the annual review of a system for a period with the
    /// organisation's checklist as it stands; an existing one is returned.
    pub async fn start_review(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        period: &str,
    ) -> Result<Review> {
        let period = period.trim();
        if period.len() != 4 || !period.chars().all(|c| c.is_ascii_digit()) {
            return Err(FieldErrors::single("period", v::NOT_A_NUMBER).into());
        }
        let profile = self.active_profile(org).await?;
        let mut tx = self.db.begin().await?;
        system_in_org(&mut tx, org, system).await?;
        let existing = tx
            .opt(
                &format!(
                    "SELECT {COLS} FROM reviews WHERE org_id = $1 AND system_id = $2 AND control = $3 AND period = $4"
                ),
                params![org.0, system.0, ANNUAL_REVIEW, period],
                review,
            )
            .await?;
        if let Some(r) = existing {
            return Ok(r);
        }
        let items: Vec<ReviewItem> = profile
            .profile
            .checklist
            .iter()
            .map(|c| ReviewItem {
                id: c.id.clone(),
                text_sv: c.text_sv.clone(),
                text_en: c.text_en.clone(),
                cite: c.cite.clone(),
                answer: None,
                comment: None,
            })
            .collect();
        let id = Uuid::now_v7();
        let at = now();
        tx.execute(
            "INSERT INTO reviews (id, org_id, system_id, control, period, items, status, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $8)",
            params![id, org.0, system.0, ANNUAL_REVIEW, period, serde_json::to_value(&items).unwrap_or_default(), actor.name.as_str(), at],
        )
        .await?;
        let created = fetch(&mut tx, org, id).await?;
        Change::created(Some(org), AuditObject::Review, id, &created)
            .commit(tx, actor)
            .await?;
        Ok(created)
    }

    /// Saves answers to an open review; unknown items and answers are errors.
    pub async fn answer_review(
        &self,
        actor: &Actor,
        org: OrgId,
        id: Uuid,
        answers: Vec<Answer>,
    ) -> Result<Review> {
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id).await?;
        if before.is_signed() {
            return Err(FieldErrors::single("status", v::WRONG_TARGET).into());
        }
        let mut items = before.items.clone();
        let mut e = FieldErrors::new();
        for a in answers {
            let Some(item) = items.iter_mut().find(|i| i.id == a.item) else {
                e.add(&a.item, v::UNKNOWN_REFERENCE);
                continue;
            };
            let answer = v::clean(a.answer.as_deref());
            if answer.as_deref().is_some_and(|x| !ANSWERS.contains(&x)) {
                e.add_choice(&a.item, ANSWERS);
                continue;
            }
            item.answer = answer;
            item.comment = v::optional_text(&mut e, &a.item, a.comment.as_deref(), 2000);
        }
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        write_items(&mut tx, id, &items).await?;
        let after = fetch(&mut tx, org, id).await?;
        Change::updated(Some(org), AuditObject::Review, id, &before, &after)
            .commit(tx, actor)
            .await?;
        Ok(after)
    }

    /// Signs a review whose every item is answered; the control counts as
    /// performed today (with remarks when an item was answered no).
    pub async fn sign_review(&self, actor: &Actor, org: OrgId, id: Uuid) -> Result<Review> {
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id).await?;
        if before.is_signed() {
            return Err(FieldErrors::single("status", v::WRONG_TARGET).into());
        }
        let mut e = FieldErrors::new();
        for i in before.items.iter().filter(|i| i.answer.is_none()) {
            e.add(&i.id, v::INCOMPLETE);
        }
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        let at = now();
        tx.execute(
            "UPDATE reviews SET status = 'signed', signed_by = $2, signed_at = $3, updated_at = $3 WHERE id = $1",
            params![id, actor.name.as_str(), at],
        )
        .await?;
        let remarks = before
            .items
            .iter()
            .any(|i| i.answer.as_deref() == Some("no"));
        insert_control(
            &mut tx,
            actor,
            org,
            Some(before.system_id),
            ControlDraft {
                control: before.control.clone(),
                performed_on: at.date_naive(),
                result: if remarks { "remarks" } else { "ok" }.into(),
                note: None,
            },
            Some(id),
        )
        .await?;
        let after = fetch(&mut tx, org, id).await?;
        Change::changed(
            Some(org),
            AuditAction::Sign,
            AuditObject::Review,
            id,
            &before,
            &after,
        )
        .commit(tx, actor)
        .await?;
        Ok(after)
    }
}
