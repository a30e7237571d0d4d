//! Outage plans (avbrottsplaner): versions of one document per system, each
//! a draft, submitted, approved by the system owner or superseded, and the
//! continuity facts the policy rules ask about (an approved plan; RTO and RPO
//! set in `system_continuity`).

use crate::audit::{Actor, Change};
use crate::continuity::requirements_of;
use crate::db::{DbRow, Queryable, Result, now};
use crate::security::{Step, check_system};
use crate::{Store, StoreError, params};
use chrono::NaiveDate;
use insyn_domain::outage_plan::*;
use insyn_domain::security::{PlanAction, PlanStatus, plan_transition};
use insyn_domain::*;
use uuid::Uuid;

const COLS: &str = "id, system_id, version, status, sections, created_by, created_at, \
    submitted_at, approved_by, approved_at";

fn row(r: &dyn DbRow) -> Result<OutagePlan> {
    Ok(OutagePlan {
        id: r.uuid("id")?,
        system_id: SystemId(r.uuid("system_id")?),
        version: r.i32("version")?,
        status: PlanStatus::parse(&r.text("status")?).unwrap_or(PlanStatus::Draft),
        sections: serde_json::from_value(r.json("sections")?).unwrap_or_default(),
        created_by: r.text("created_by")?,
        created_at: r.ts("created_at")?,
        submitted_at: r.opt_ts("submitted_at")?,
        approved_by: r.opt_text("approved_by")?,
        approved_at: r.opt_ts("approved_at")?,
    })
}

async fn versions(q: &mut impl Queryable, org: OrgId, system: SystemId) -> Result<Vec<OutagePlan>> {
    q.all(
        &format!(
            "SELECT {COLS} FROM outage_plans WHERE org_id = $1 AND system_id = $2 ORDER BY version DESC"
        ),
        params![org.0, system.0],
        row,
    )
    .await
}

async fn fetch(
    q: &mut impl Queryable,
    org: OrgId,
    system: SystemId,
    version: i32,
) -> Result<OutagePlan> {
    q.one(
        &format!(
            "SELECT {COLS} FROM outage_plans WHERE org_id = $1 AND system_id = $2 AND version = $3"
        ),
        params![org.0, system.0, i64::from(version)],
        row,
    )
    .await
}

fn sections_json(s: &OutagePlanSections) -> serde_json::Value {
    serde_json::to_value(s).unwrap_or_default()
}

impl Store {
    /// Every version of the system's outage plan, newest first.
    pub async fn outage_plans(&self, org: OrgId, system: SystemId) -> Result<Vec<OutagePlan>> {
        let mut read = self.db.read();
        check_system(&mut read, org, system).await?;
        versions(&mut read, org, system).await
    }

    pub async fn outage_plan(
        &self,
        org: OrgId,
        system: SystemId,
        version: i32,
    ) -> Result<OutagePlan> {
        fetch(&mut self.db.read(), org, system, version).await
    }

    /// Starts a new version as a draft: the newest version's texts, or for
    /// the first one the system's fallback routine. Only one draft or
    /// submitted version at a time: that one is returned if there is one.
    pub async fn new_outage_plan(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
    ) -> Result<OutagePlan> {
        let mut tx = self.db.begin().await?;
        check_system(&mut tx, org, system).await?;
        let existing = versions(&mut tx, org, system).await?;
        if let Some(open) = existing
            .iter()
            .find(|p| matches!(p.status, PlanStatus::Draft | PlanStatus::Submitted))
        {
            return Ok(open.clone());
        }
        let fallback = match existing.first() {
            Some(_) => None,
            None => requirements_of(&mut tx, system)
                .await?
                .and_then(|c| c.requirements.fallback_routine),
        };
        let sections = first_texts(existing.first(), fallback.as_deref());
        let version = existing.first().map(|p| p.version + 1).unwrap_or(1);
        let id = Uuid::now_v7();
        tx.execute(
            "INSERT INTO outage_plans (id, org_id, system_id, version, status, sections, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7, $7)",
            params![id, org.0, system.0, i64::from(version), sections_json(&sections), actor.name.as_str(), now()],
        )
        .await?;
        let p = fetch(&mut tx, org, system, version).await?;
        Change::new(
            Some(org),
            AuditAction::Create,
            AuditObject::OutagePlan,
            id,
            serde_json::json!({ "system_id": { "new": system.0 }, "version": { "new": version } }),
        )
        .commit(tx, actor)
        .await?;
        Ok(p)
    }

    /// Writes the sections a draft's change sends (an empty text clears one).
    pub async fn edit_outage_plan(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        version: i32,
        change: OutagePlanSections,
    ) -> Result<OutagePlan> {
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, system, version).await?;
        if plan_transition(before.status, PlanAction::Edit).is_none() {
            return Err(StoreError::Invalid(FieldErrors::single(
                "status",
                "error-plan-not-draft",
            )));
        }
        let sections = before
            .sections
            .merged(change)
            .validate()
            .map_err(StoreError::Invalid)?;
        tx.execute(
            "UPDATE outage_plans SET sections = $4, updated_at = $5 WHERE org_id = $1 AND system_id = $2 AND id = $3",
            params![org.0, system.0, before.id, sections_json(&sections), now()],
        )
        .await?;
        let after = fetch(&mut tx, org, system, version).await?;
        Change::updated(
            Some(org),
            AuditObject::OutagePlan,
            before.id,
            &before.sections,
            &after.sections,
        )
        .commit(tx, actor)
        .await?;
        Ok(after)
    }

    /// Moves a plan: submit (every section written), return to draft, or
    /// approve (the route lets only the system owner). Approving supersedes
    /// the earlier approved version.
    pub async fn move_outage_plan(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        version: i32,
        action: PlanAction,
    ) -> Result<OutagePlan> {
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, system, version).await?;
        let step = Step {
            table: "outage_plans",
            object: AuditObject::OutagePlan,
            org,
            system,
            id: before.id,
            from: before.status,
            submitted_at: before.submitted_at,
        };
        step.take(&mut tx, actor, action, &before.sections.empty())
            .await?;
        let after = fetch(&mut tx, org, system, version).await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// The continuity artefacts of the organisation's systems (or one), for
/// compliance: (system, artefact, since) for an approved outage plan
/// ([`policy::OUTAGE_PLAN`], since its approval) and for RTO and RPO set
/// ([`policy::CONTINUITY_REQUIREMENTS`], since they were last changed).
pub(crate) async fn continuity_artefacts(
    q: &mut impl Queryable,
    org: OrgId,
    only: Option<SystemId>,
) -> Result<Vec<(Uuid, &'static str, NaiveDate)>> {
    let (filter, p) = match only {
        Some(s) => (" AND x.system_id = $2", params![org.0, s.0]),
        None => ("", params![org.0]),
    };
    let mut out = q
        .all(
            &format!(
                "SELECT x.system_id, x.approved_at FROM outage_plans x \
                 WHERE x.org_id = $1 AND x.status = 'approved'{filter}"
            ),
            p.clone(),
            |r| {
                let at = r.opt_ts("approved_at")?.map(|t| t.date_naive());
                Ok((r.uuid("system_id")?, at))
            },
        )
        .await?
        .into_iter()
        .filter_map(|(s, at)| Some((s, policy::OUTAGE_PLAN, at?)))
        .collect::<Vec<_>>();
    let set = q
        .all(
            &format!(
                "SELECT x.system_id, x.updated_at FROM system_continuity x JOIN systems s ON s.id = x.system_id \
                 WHERE s.org_id = $1 AND x.rto_minutes IS NOT NULL AND x.rpo_minutes IS NOT NULL{filter}"
            ),
            p,
            |r| Ok((r.uuid("system_id")?, r.ts("updated_at")?.date_naive())),
        )
        .await?;
    out.extend(
        set.into_iter()
            .map(|(s, on)| (s, policy::CONTINUITY_REQUIREMENTS, on)),
    );
    Ok(out)
}
