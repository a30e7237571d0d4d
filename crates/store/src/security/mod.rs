//! Classification, security plans, operational approvals and field secrecy,
//! one file each; here the security summary of a system and the checks the
//! others share.

mod approvals;
mod classification;
mod plans;
pub(crate) mod secrecy;

use crate::db::{Queryable, Result};
use crate::{Store, StoreError, params};
use chrono::Utc;
use insyn_domain::security::*;
use insyn_domain::*;
use serde::Serialize;

pub(crate) use approvals::{APPROVAL_COLS, approval};
pub use classification::{CriticalDecision, DecisionDraft, ScaleLevel};
pub(crate) use plans::Step;

use approvals::approvals_of;
use classification::sets_of;
use plans::plans_of;

/// Everything the security summary of a system shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SecurityState {
    pub information_sets: Vec<InformationSet>,
    pub levels: Levels,
    pub suggests_business_critical: bool,
    pub business_critical: bool,
    pub decision: Option<CriticalDecision>,
    pub latest_plan: Option<SecurityPlan>,
    pub approved_plan: Option<SecurityPlan>,
    pub approval: Option<Approval>,
    /// What is missing, as message keys: `missing-classification`, …
    pub missing: Vec<&'static str>,
}

/// The system must be this organisation's.
pub(crate) async fn check_system(
    q: &mut impl Queryable,
    org: OrgId,
    system: SystemId,
) -> Result<()> {
    if q.exists_in_org("systems", org.0, system.0).await? {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

impl Store {
    /// Whether the organisation's profile asks this system for an artefact
    /// today (a rule on it applies, or would if an unknown fact allowed).
    pub async fn profile_asks(&self, org: OrgId, system: SystemId, artefact: &str) -> Result<bool> {
        // Most profiles settle it without the system's facts.
        let profile = self.active_profile(org).await?.profile;
        let rules: Vec<_> = profile
            .artefacts
            .iter()
            .filter(|a| a.artefact == artefact)
            .collect();
        if rules.is_empty() {
            return Ok(false);
        }
        if rules.iter().any(|a| a.when.is_empty()) {
            return Ok(true);
        }
        let c = self
            .compliance(org, Some(system), Utc::now().date_naive())
            .await?;
        Ok(c.systems.iter().any(|s| {
            s.findings.iter().any(|f| {
                f.kind() == insyn_domain::policy::RuleKind::Artefact && f.subject() == artefact
            })
        }))
    }

    /// The security summary of a system.
    pub async fn security_state(&self, org: OrgId, system: SystemId) -> Result<SecurityState> {
        let needs_plan = self.profile_asks(org, system, "security_plan").await?;
        let mut read = self.db.read();
        check_system(&mut read, org, system).await?;
        let sets = sets_of(&mut read, org, system).await?;
        let levels = Levels::of(&sets);
        let business_critical = read
            .one(
                "SELECT business_critical FROM systems WHERE org_id = $1 AND id = $2",
                params![org.0, system.0],
                |r| r.bool("business_critical"),
            )
            .await?;
        let decision = read
            .opt(
                "SELECT id, critical, owner_name, it_name, note, decided_by, decided_at FROM business_critical_decisions \
                 WHERE org_id = $1 AND system_id = $2 ORDER BY decided_at DESC LIMIT 1",
                params![org.0, system.0],
                |r| {
                    Ok(CriticalDecision {
                        id: r.uuid("id")?,
                        critical: r.bool("critical")?,
                        owner_name: r.text("owner_name")?,
                        it_name: r.text("it_name")?,
                        note: r.opt_text("note")?,
                        decided_by: r.text("decided_by")?,
                        decided_at: r.ts("decided_at")?,
                    })
                },
            )
            .await?;
        let plans = plans_of(&mut read, org, system).await?;
        let latest_plan = plans.first().cloned();
        let approved_plan = plans
            .iter()
            .find(|p| p.status == PlanStatus::Approved)
            .cloned();
        let approval = approvals_of(&mut read, org, system, Some(1))
            .await?
            .into_iter()
            .next();
        let mut missing = vec![];
        if sets.is_empty() {
            missing.push("missing-information-sets");
        }
        if sets.iter().any(|s| s.current.is_none()) {
            missing.push("missing-classification");
        }
        if levels.suggests_business_critical() != business_critical && decision.is_none() {
            missing.push("missing-critical-decision");
        }
        if approved_plan.is_none() && needs_plan {
            missing.push("missing-approved-plan");
        }
        match &approval {
            None => missing.push("missing-approval"),
            Some(a) if a.status == ApprovalStatus::Unsigned => missing.push("missing-signatures"),
            Some(a) if a.status == ApprovalStatus::NeedsRenewal => missing.push("missing-renewal"),
            _ => {}
        }
        if levels.needs_separate_analysis() {
            missing.push("missing-separate-analysis");
        }
        Ok(SecurityState {
            suggests_business_critical: levels.suggests_business_critical(),
            information_sets: sets,
            levels,
            business_critical,
            decision,
            latest_plan,
            approved_plan,
            approval,
            missing,
        })
    }
}
