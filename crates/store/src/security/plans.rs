//! System security plans: versions, each a draft, submitted, approved or
//! superseded, with the sections the plan has.

use super::check_system;
use crate::audit::{Actor, Change};
use crate::db::{DbRow, Queryable, Result, Tx, now};
use crate::{Store, StoreError, params};
use insyn_domain::security::*;
use insyn_domain::validation as v;
use insyn_domain::*;
use std::collections::BTreeMap;
use uuid::Uuid;

const PLAN_COLS: &str = "id, system_id, version, status, sections, created_by, created_at, \
    submitted_at, approved_by, approved_at";

fn plan(r: &dyn DbRow) -> Result<SecurityPlan> {
    let sections: BTreeMap<String, String> =
        serde_json::from_value(r.json("sections")?).unwrap_or_default();
    Ok(SecurityPlan {
        id: r.uuid("id")?,
        system_id: SystemId(r.uuid("system_id")?),
        version: r.i32("version")?,
        status: PlanStatus::parse(&r.text("status")?).unwrap_or(PlanStatus::Draft),
        sections,
        created_by: r.text("created_by")?,
        created_at: r.ts("created_at")?,
        submitted_at: r.opt_ts("submitted_at")?,
        approved_by: r.opt_text("approved_by")?,
        approved_at: r.opt_ts("approved_at")?,
    })
}

pub(super) async fn plans_of(
    q: &mut impl Queryable,
    org: OrgId,
    system: SystemId,
) -> Result<Vec<SecurityPlan>> {
    q.all(
        &format!(
            "SELECT {PLAN_COLS} FROM security_plans WHERE org_id = $1 AND system_id = $2 ORDER BY version DESC"
        ),
        params![org.0, system.0],
        plan,
    )
    .await
}

pub(super) async fn fetch_plan(
    q: &mut impl Queryable,
    org: OrgId,
    system: SystemId,
    id: Uuid,
) -> Result<SecurityPlan> {
    q.one(
        &format!(
            "SELECT {PLAN_COLS} FROM security_plans WHERE org_id = $1 AND system_id = $2 AND id = $3"
        ),
        params![org.0, system.0, id],
        plan,
    )
    .await
}

impl Store {
    pub async fn plans(&self, org: OrgId, system: SystemId) -> Result<Vec<SecurityPlan>> {
        let mut read = self.db.read();
        check_system(&mut read, org, system).await?;
        plans_of(&mut read, org, system).await
    }

    pub async fn plan(&self, org: OrgId, system: SystemId, id: Uuid) -> Result<SecurityPlan> {
        fetch_plan(&mut self.db.read(), org, system, id).await
    }

    /// Starts a new version of the plan: a copy of the newest version's
    /// sections, as a draft. Only one draft or submitted version at a time.
    pub async fn new_plan_version(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
    ) -> Result<SecurityPlan> {
        let mut tx = self.db.begin().await?;
        check_system(&mut tx, org, system).await?;
        let existing = plans_of(&mut tx, org, system).await?;
        if let Some(open) = existing
            .iter()
            .find(|p| matches!(p.status, PlanStatus::Draft | PlanStatus::Submitted))
        {
            return Ok(open.clone());
        }
        let version = existing.first().map(|p| p.version + 1).unwrap_or(1);
        let sections = existing
            .first()
            .map(|p| p.sections.clone())
            .unwrap_or_default();
        let id = Uuid::now_v7();
        let at = now();
        tx.execute(
            "INSERT INTO security_plans (id, org_id, system_id, version, status, sections, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7, $7)",
            params![id, org.0, system.0, i64::from(version), serde_json::to_value(&sections).unwrap_or_default(), actor.name.as_str(), at],
        )
        .await?;
        let p = fetch_plan(&mut tx, org, system, id).await?;
        Change::new(
            Some(org),
            AuditAction::Create,
            AuditObject::SecurityPlan,
            id,
            serde_json::json!({ "version": { "new": version } }),
        )
        .commit(tx, actor)
        .await?;
        Ok(p)
    }

    /// Writes a draft's sections (unknown section keys are refused).
    pub async fn edit_plan(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        id: Uuid,
        sections: BTreeMap<String, String>,
    ) -> Result<SecurityPlan> {
        if let Some(bad) = sections
            .keys()
            .find(|k| !PLAN_SECTIONS.contains(&k.as_str()))
        {
            let mut e = FieldErrors::new();
            e.add_choice(bad, PLAN_SECTIONS);
            return Err(StoreError::Invalid(e));
        }
        let mut tx = self.db.begin().await?;
        let before = fetch_plan(&mut tx, org, system, id).await?;
        if plan_transition(before.status, PlanAction::Edit).is_none() {
            return Err(StoreError::Invalid(FieldErrors::single(
                "status",
                "error-plan-not-draft",
            )));
        }
        let mut merged = before.sections.clone();
        for (k, v) in sections {
            merged.insert(k, v.trim().to_owned());
        }
        tx.execute(
            "UPDATE security_plans SET sections = $4, updated_at = $5 WHERE org_id = $1 AND system_id = $2 AND id = $3",
            params![org.0, system.0, id, serde_json::to_value(&merged).unwrap_or_default(), now()],
        )
        .await?;
        let after = fetch_plan(&mut tx, org, system, id).await?;
        Change::updated(
            Some(org),
            AuditObject::SecurityPlan,
            id,
            &before.sections,
            &after.sections,
        )
        .commit(tx, actor)
        .await?;
        Ok(after)
    }

    /// Moves a plan: submit, return to draft, or approve (the caller checks
    /// that an approver is the system owner). Approving supersedes the
    /// earlier approved version.
    pub async fn move_plan(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        id: Uuid,
        action: PlanAction,
    ) -> Result<SecurityPlan> {
        let mut tx = self.db.begin().await?;
        let before = fetch_plan(&mut tx, org, system, id).await?;
        let step = Step {
            table: "security_plans",
            object: AuditObject::SecurityPlan,
            org,
            system,
            id,
            from: before.status,
            submitted_at: before.submitted_at,
        };
        step.take(&mut tx, actor, action, &before.empty_sections())
            .await?;
        let after = fetch_plan(&mut tx, org, system, id).await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// One step in the life of a versioned document of a system (a security
/// plan, an outage plan): draft → submitted → approved, or back to draft;
/// approving supersedes the approved version before it.
pub(crate) struct Step {
    /// The document's table: `id`, `org_id`, `system_id`, `status`,
    /// `submitted_at`, `approved_by`, `approved_at`, `updated_at`.
    pub table: &'static str,
    pub object: AuditObject,
    pub org: OrgId,
    pub system: SystemId,
    pub id: Uuid,
    pub from: PlanStatus,
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl Step {
    /// Takes the step with its audit record on `tx`; a submission needs
    /// every section written (`empty` names those that are not).
    pub(crate) async fn take(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        action: PlanAction,
        empty: &[&str],
    ) -> Result<()> {
        let Some(to) = plan_transition(self.from, action) else {
            return Err(StoreError::Invalid(FieldErrors::single(
                "status",
                "error-plan-transition",
            )));
        };
        if action == PlanAction::Submit && !empty.is_empty() {
            let mut e = FieldErrors::new();
            for s in empty {
                e.add(s, v::REQUIRED);
            }
            return Err(StoreError::Invalid(e));
        }
        let (table, org, system) = (self.table, self.org, self.system);
        let at = now();
        if to == PlanStatus::Approved {
            tx.execute(
                &format!(
                    "UPDATE {table} SET status = 'superseded', updated_at = $3 \
                     WHERE org_id = $1 AND system_id = $2 AND status = 'approved'"
                ),
                params![org.0, system.0, at],
            )
            .await?;
        }
        let (submitted, approved_by, approved_at) = match to {
            PlanStatus::Submitted => (Some(at), None, None),
            PlanStatus::Approved => (self.submitted_at, Some(actor.name.clone()), Some(at)),
            _ => (None, None, None),
        };
        tx.execute(
            &format!(
                "UPDATE {table} SET status = $4, submitted_at = $5, approved_by = $6, approved_at = $7, updated_at = $8 \
                 WHERE org_id = $1 AND system_id = $2 AND id = $3"
            ),
            params![org.0, system.0, self.id, to.as_str(), submitted, approved_by, approved_at, at],
        )
        .await?;
        let audit = match action {
            PlanAction::Submit => AuditAction::Submit,
            PlanAction::Return => AuditAction::Return,
            PlanAction::Approve => AuditAction::Approve,
            PlanAction::Edit => AuditAction::Update,
        };
        let changes = serde_json::json!({ "status": { "old": self.from, "new": to } });
        Change::new(Some(org), audit, self.object, self.id, changes)
            .record(tx, actor)
            .await
    }
}
