//! Operational approvals (driftgodkännande): the decision resting on the
//! current classification and approved plan, its two signatures (the system
//! owner's and IT's, two different people), its measures, and whether it
//! still holds.

use super::check_system;
use super::classification::newest_classification;
use super::plans::{fetch_plan, plans_of};
use crate::audit::{Actor, Change};
use crate::db::{DbRow, Queryable, Result, now};
use crate::{Store, StoreError, params};
use chrono::Utc;
use insyn_domain::security::*;
use insyn_domain::*;
use uuid::Uuid;

pub(crate) const APPROVAL_COLS: &str = "id, system_id, baseline, measures, classification_id, plan_id, \
    plan_version, owner_signed_by, owner_signed_at, it_signed_by, it_signed_at, created_by, created_at";

pub(crate) fn approval(r: &dyn DbRow) -> Result<Approval> {
    let measures: Vec<Measure> = serde_json::from_value(r.json("measures")?).unwrap_or_default();
    Ok(Approval {
        id: r.uuid("id")?,
        system_id: SystemId(r.uuid("system_id")?),
        baseline: r.text("baseline")?,
        measures,
        classification_id: r.opt_uuid("classification_id")?,
        plan_id: r.opt_uuid("plan_id")?,
        plan_version: r.opt_i32("plan_version")?,
        owner_signed_by: r.opt_text("owner_signed_by")?,
        owner_signed_at: r.opt_ts("owner_signed_at")?,
        it_signed_by: r.opt_text("it_signed_by")?,
        it_signed_at: r.opt_ts("it_signed_at")?,
        created_by: r.text("created_by")?,
        created_at: r.ts("created_at")?,
        status: ApprovalStatus::Unsigned,
        renewal_reasons: vec![],
    })
}

async fn basis(q: &mut impl Queryable, org: OrgId, system: SystemId) -> Result<CurrentBasis> {
    let classification_id = newest_classification(q, org, system).await?;
    let plan_id = plans_of(q, org, system)
        .await?
        .into_iter()
        .find(|p| p.status == PlanStatus::Approved)
        .map(|p| p.id);
    Ok(CurrentBasis {
        classification_id,
        plan_id,
    })
}

pub(super) async fn with_status(
    q: &mut impl Queryable,
    org: OrgId,
    mut a: Approval,
) -> Result<Approval> {
    let b = basis(q, org, a.system_id).await?;
    let (status, reasons) = approval_status(&a, b, Utc::now().date_naive());
    a.status = status;
    a.renewal_reasons = reasons;
    Ok(a)
}

/// A system's approvals, newest first (the `limit` newest, if given), each
/// with its status.
pub(super) async fn approvals_of(
    q: &mut impl Queryable,
    org: OrgId,
    system: SystemId,
    limit: Option<u32>,
) -> Result<Vec<Approval>> {
    let limit = limit.map_or(String::new(), |n| format!(" LIMIT {n}"));
    let list = q
        .all(
            &format!(
                "SELECT {APPROVAL_COLS} FROM approvals WHERE org_id = $1 AND system_id = $2 ORDER BY created_at DESC{limit}"
            ),
            params![org.0, system.0],
            approval,
        )
        .await?;
    let mut out = Vec::with_capacity(list.len());
    for a in list {
        out.push(with_status(q, org, a).await?);
    }
    Ok(out)
}

async fn fetch_approval(
    q: &mut impl Queryable,
    org: OrgId,
    system: SystemId,
    id: Uuid,
) -> Result<Approval> {
    let a = q
        .one(
            &format!(
                "SELECT {APPROVAL_COLS} FROM approvals WHERE org_id = $1 AND system_id = $2 AND id = $3"
            ),
            params![org.0, system.0, id],
            approval,
        )
        .await?;
    with_status(q, org, a).await
}

impl Store {
    pub async fn approvals(&self, org: OrgId, system: SystemId) -> Result<Vec<Approval>> {
        let mut read = self.db.read();
        check_system(&mut read, org, system).await?;
        approvals_of(&mut read, org, system, None).await
    }

    pub async fn approval(&self, org: OrgId, system: SystemId, id: Uuid) -> Result<Approval> {
        fetch_approval(&mut self.db.read(), org, system, id).await
    }

    /// Writes an approval decision resting on the current classification and
    /// the approved plan; both must exist.
    pub async fn create_approval(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        draft: ApprovalDraft,
    ) -> Result<Approval> {
        let d = draft.validate()?;
        // What the approval rests on follows the profile: the approved plan
        // only where the profile asks this system for one.
        let needs_plan = self.profile_asks(org, system, "security_plan").await?;
        let mut tx = self.db.begin().await?;
        check_system(&mut tx, org, system).await?;
        let b = basis(&mut tx, org, system).await?;
        let mut e = FieldErrors::new();
        if b.classification_id.is_none() {
            e.add("classification", "error-missing-classification");
        }
        if b.plan_id.is_none() && needs_plan {
            e.add("plan", "error-missing-approved-plan");
        }
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        let version = match b.plan_id {
            Some(p) => Some(fetch_plan(&mut tx, org, system, p).await?.version),
            None => None,
        };
        let id = Uuid::now_v7();
        let at = now();
        tx.execute(
            "INSERT INTO approvals (id, org_id, system_id, baseline, measures, classification_id, plan_id, plan_version, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
            params![
                id,
                org.0,
                system.0,
                d.baseline.as_str(),
                serde_json::to_value(&d.measures).unwrap_or_default(),
                b.classification_id,
                b.plan_id,
                version.map(i64::from),
                actor.name.as_str(),
                at
            ],
        )
        .await?;
        let a = fetch_approval(&mut tx, org, system, id).await?;
        Change::created(Some(org), AuditObject::Approval, id, &a)
            .commit(tx, actor)
            .await?;
        Ok(a)
    }

    /// Signs an approval as the system owner (`as_owner`) or as IT. The
    /// caller checks who may sign; here the basis must still hold.
    pub async fn sign_approval(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        id: Uuid,
        as_owner: bool,
    ) -> Result<Approval> {
        let mut tx = self.db.begin().await?;
        let before = fetch_approval(&mut tx, org, system, id).await?;
        let b = basis(&mut tx, org, system).await?;
        if b.classification_id != before.classification_id || b.plan_id != before.plan_id {
            return Err(StoreError::Invalid(FieldErrors::single(
                "approval",
                "error-basis-changed",
            )));
        }
        // Separation of duties: the owner's and IT's signatures are two people.
        let other = if as_owner {
            before.it_signed_by.as_deref()
        } else {
            before.owner_signed_by.as_deref()
        };
        if other.is_some_and(|o| signer(o) == signer(&actor.name)) {
            return Err(StoreError::Invalid(FieldErrors::single(
                "approval",
                if as_owner {
                    "error-signed-for-it-already"
                } else {
                    "error-signed-as-owner-already"
                },
            )));
        }
        let (by, at) = if as_owner {
            ("owner_signed_by", "owner_signed_at")
        } else {
            ("it_signed_by", "it_signed_at")
        };
        tx.execute(
            &format!("UPDATE approvals SET {by} = $4, {at} = $5, updated_at = $5 WHERE org_id = $1 AND system_id = $2 AND id = $3"),
            params![org.0, system.0, id, actor.name.as_str(), now()],
        )
        .await?;
        let after = fetch_approval(&mut tx, org, system, id).await?;
        Change::new(
            Some(org),
            AuditAction::Sign,
            AuditObject::Approval,
            id,
            serde_json::json!({ by: { "old": null, "new": actor.name } }),
        )
        .commit(tx, actor)
        .await?;
        Ok(after)
    }

    /// Marks a remaining measure as done (or not).
    pub async fn set_measure_done(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        id: Uuid,
        index: usize,
        done: bool,
    ) -> Result<Approval> {
        let mut tx = self.db.begin().await?;
        let before = fetch_approval(&mut tx, org, system, id).await?;
        let mut measures = before.measures.clone();
        let Some(m) = measures.get_mut(index) else {
            return Err(StoreError::NotFound);
        };
        m.done = done;
        tx.execute(
            "UPDATE approvals SET measures = $4, updated_at = $5 WHERE org_id = $1 AND system_id = $2 AND id = $3",
            params![org.0, system.0, id, serde_json::to_value(&measures).unwrap_or_default(), now()],
        )
        .await?;
        let after = fetch_approval(&mut tx, org, system, id).await?;
        Change::updated(
            Some(org),
            AuditObject::Approval,
            id,
            &before.measures,
            &after.measures,
        )
        .commit(tx, actor)
        .await?;
        Ok(after)
    }
}

/// The person behind an actor name: the e-mail address, without the name of
/// the API token it came through.
fn signer(name: &str) -> String {
    name.split(" (API-token ")
        .next()
        .unwrap_or(name)
        .trim()
        .to_lowercase()
}
