//! Classification, security plans, operational approvals and field secrecy.

use crate::audit::{self, Actor};
use crate::db::{DbRow, Queryable, Result, now};
use crate::{Store, StoreError, params};
use chrono::Utc;
use insyn_domain::security::*;
use insyn_domain::validation as v;
use insyn_domain::*;
use serde::Serialize;
use std::collections::BTreeMap;
use uuid::Uuid;

/// One level of an organisation's classification scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScaleLevel {
    pub level: i16,
    pub name_sv: String,
    pub name_en: String,
}

/// A decision on whether a system is business-critical, made by the owner and IT together.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriticalDecision {
    pub id: Uuid,
    pub critical: bool,
    pub owner_name: String,
    pub it_name: String,
    pub note: Option<String>,
    pub decided_by: String,
    pub decided_at: chrono::DateTime<Utc>,
}

/// A decision on business-criticality as entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionDraft {
    pub critical: bool,
    /// The system owner who took part.
    pub owner_name: String,
    /// Who took part for IT.
    pub it_name: String,
    pub note: Option<String>,
}

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

const SET_COLS: &str = "id, system_id, name, description, personal_data, sensitive_personal_data";
const CLASS_COLS: &str = "id, information_set_id, confidentiality, integrity, availability, \
    traceability, justification, classified_by, classified_at, valid_until";
const PLAN_COLS: &str = "id, system_id, version, status, sections, created_by, created_at, \
    submitted_at, approved_by, approved_at";
pub(crate) const APPROVAL_COLS: &str = "id, system_id, baseline, measures, classification_id, plan_id, \
    plan_version, owner_signed_by, owner_signed_at, it_signed_by, it_signed_at, created_by, created_at";

fn level(r: &dyn DbRow, col: &str) -> Result<i16> {
    Ok(r.i32(col)? as i16)
}

fn classification(r: &dyn DbRow) -> Result<Classification> {
    Ok(Classification {
        id: r.uuid("id")?,
        information_set_id: r.uuid("information_set_id")?,
        confidentiality: level(r, "confidentiality")?,
        integrity: level(r, "integrity")?,
        availability: level(r, "availability")?,
        traceability: r.opt_i32("traceability")?.map(|l| l as i16),
        justification: r.text("justification")?,
        classified_by: r.text("classified_by")?,
        classified_at: r.ts("classified_at")?,
        valid_until: r.opt_date("valid_until")?,
    })
}

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

/// The system must be this organisation's.
pub(crate) async fn check_system(
    q: &mut impl Queryable,
    org: OrgId,
    system: SystemId,
) -> Result<()> {
    let n = q
        .count(
            "SELECT COUNT(*) AS n FROM systems WHERE org_id = $1 AND id = $2",
            params![org.0, system.0],
        )
        .await?;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

async fn sets_of(
    q: &mut impl Queryable,
    org: OrgId,
    system: SystemId,
) -> Result<Vec<InformationSet>> {
    let mut sets = q
        .all(
            &format!(
                "SELECT {SET_COLS} FROM information_sets WHERE org_id = $1 AND system_id = $2 \
                 AND archived = FALSE ORDER BY name"
            ),
            params![org.0, system.0],
            |r| {
                Ok(InformationSet {
                    id: r.uuid("id")?,
                    system_id: SystemId(r.uuid("system_id")?),
                    name: r.text("name")?,
                    description: r.opt_text("description")?,
                    personal_data: r.bool("personal_data")?,
                    sensitive_personal_data: r.bool("sensitive_personal_data")?,
                    current: None,
                })
            },
        )
        .await?;
    // The newest classification of each set.
    let current = q
        .all(
            &format!(
                "SELECT {CLASS_COLS} FROM classifications c WHERE c.org_id = $1 AND c.seq IN \
                 (SELECT MAX(x.seq) FROM classifications x JOIN information_sets s ON s.id = x.information_set_id \
                  WHERE s.system_id = $2 GROUP BY x.information_set_id)"
            ),
            params![org.0, system.0],
            classification,
        )
        .await?;
    for s in &mut sets {
        s.current = current
            .iter()
            .find(|c| c.information_set_id == s.id)
            .cloned();
    }
    Ok(sets)
}

/// The newest classification among the system's active information sets.
async fn newest_classification(
    q: &mut impl Queryable,
    org: OrgId,
    system: SystemId,
) -> Result<Option<Uuid>> {
    q.opt(
        "SELECT c.id FROM classifications c JOIN information_sets s ON s.id = c.information_set_id \
         WHERE c.org_id = $1 AND s.system_id = $2 AND s.archived = FALSE ORDER BY c.seq DESC LIMIT 1",
        params![org.0, system.0],
        |r| r.uuid("id"),
    )
    .await
}

async fn plans_of(
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

async fn fetch_plan(
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

async fn with_status(q: &mut impl Queryable, org: OrgId, mut a: Approval) -> Result<Approval> {
    let b = basis(q, org, a.system_id).await?;
    let (status, reasons) = approval_status(&a, b, Utc::now().date_naive());
    a.status = status;
    a.renewal_reasons = reasons;
    Ok(a)
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
    pub async fn classification_scale(&self, org: OrgId) -> Result<(Vec<ScaleLevel>, bool)> {
        let mut read = self.db.read();
        let levels = read
            .all(
                "SELECT level, name_sv, name_en FROM classification_levels WHERE org_id = $1 ORDER BY level",
                params![org.0],
                |r| {
                    Ok(ScaleLevel {
                        level: level(r, "level")?,
                        name_sv: r.text("name_sv")?,
                        name_en: r.text("name_en")?,
                    })
                },
            )
            .await?;
        let trace = read
            .one(
                "SELECT traceability_required FROM organisations WHERE id = $1",
                params![org.0],
                |r| r.bool("traceability_required"),
            )
            .await?;
        Ok((levels, trace))
    }

    /// Renames the levels (the number of levels stays) and sets whether
    /// traceability is classified.
    pub async fn set_classification_scale(
        &self,
        actor: &Actor,
        org: OrgId,
        levels: &[ScaleLevel],
        traceability_required: bool,
    ) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let mut e = FieldErrors::new();
        for l in levels {
            if l.name_sv.trim().is_empty() || l.name_en.trim().is_empty() {
                e.add("levels", v::REQUIRED);
                break;
            }
        }
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        let (before, _) = self.classification_scale(org).await?;
        for l in levels {
            let n = tx
                .execute(
                    "UPDATE classification_levels SET name_sv = $3, name_en = $4 WHERE org_id = $1 AND level = $2",
                    params![org.0, i64::from(l.level), l.name_sv.trim(), l.name_en.trim()],
                )
                .await?;
            if n == 0 {
                return Err(StoreError::Invalid(FieldErrors::single(
                    "levels",
                    v::UNKNOWN_CHOICE,
                )));
            }
        }
        tx.execute(
            "UPDATE organisations SET traceability_required = $2, updated_at = $3 WHERE id = $1",
            params![org.0, traceability_required, now()],
        )
        .await?;
        audit::record(
            &mut tx,
            actor,
            Some(org),
            "update",
            "classification_scale",
            org.0,
            serde_json::json!({
                "levels": { "old": before, "new": levels },
                "traceability_required": { "new": traceability_required },
            }),
        )
        .await?;
        tx.commit().await
    }

    pub async fn information_sets(
        &self,
        org: OrgId,
        system: SystemId,
    ) -> Result<Vec<InformationSet>> {
        let mut read = self.db.read();
        check_system(&mut read, org, system).await?;
        sets_of(&mut read, org, system).await
    }

    pub async fn create_information_set(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        draft: InformationSetDraft,
    ) -> Result<InformationSet> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        check_system(&mut tx, org, system).await?;
        let id = Uuid::now_v7();
        let at = now();
        tx.execute(
            "INSERT INTO information_sets (id, org_id, system_id, name, description, personal_data, \
             sensitive_personal_data, archived, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, FALSE, $8, $8)",
            params![id, org.0, system.0, d.name.as_str(), d.description.clone(), d.personal_data, d.sensitive_personal_data, at],
        )
        .await?;
        let created = sets_of(&mut tx, org, system)
            .await?
            .into_iter()
            .find(|s| s.id == id)
            .ok_or(StoreError::NotFound)?;
        audit::record(
            &mut tx,
            actor,
            Some(org),
            "create",
            "information_set",
            id,
            audit::diff(None, Some(&created)),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    pub async fn update_information_set(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        id: Uuid,
        draft: InformationSetDraft,
    ) -> Result<InformationSet> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        let before = sets_of(&mut tx, org, system)
            .await?
            .into_iter()
            .find(|s| s.id == id)
            .ok_or(StoreError::NotFound)?;
        tx.execute(
            "UPDATE information_sets SET name = $3, description = $4, personal_data = $5, \
             sensitive_personal_data = $6, updated_at = $7 WHERE org_id = $1 AND id = $2",
            params![
                org.0,
                id,
                d.name.as_str(),
                d.description.clone(),
                d.personal_data,
                d.sensitive_personal_data,
                now()
            ],
        )
        .await?;
        let after = sets_of(&mut tx, org, system)
            .await?
            .into_iter()
            .find(|s| s.id == id)
            .ok_or(StoreError::NotFound)?;
        audit::record(
            &mut tx,
            actor,
            Some(org),
            "update",
            "information_set",
            id,
            audit::diff(Some(&before), Some(&after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Classifies an information set anew; the earlier classifications stay.
    pub async fn classify(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        set: Uuid,
        draft: ClassificationDraft,
    ) -> Result<Classification> {
        let (scale, trace) = self.classification_scale(org).await?;
        let max = scale.iter().map(|l| l.level).max().unwrap_or(MAX_LEVEL);
        let d = draft.validate(max, trace)?;
        // A classification made today is valid until a later day.
        if d.valid_until.is_some_and(|v| v <= now().date_naive()) {
            return Err(StoreError::Invalid(FieldErrors::single(
                "valid_until",
                "error-valid-until-not-after",
            )));
        }
        let mut tx = self.db.begin().await?;
        let exists = sets_of(&mut tx, org, system)
            .await?
            .iter()
            .any(|s| s.id == set);
        if !exists {
            return Err(StoreError::NotFound);
        }
        let id = Uuid::now_v7();
        tx.execute(
            "INSERT INTO classifications (id, org_id, information_set_id, confidentiality, integrity, \
             availability, traceability, justification, classified_by, classified_at, valid_until) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            params![
                id,
                org.0,
                set,
                i64::from(d.confidentiality),
                i64::from(d.integrity),
                i64::from(d.availability),
                d.traceability.map(i64::from),
                d.justification.as_str(),
                actor.name.as_str(),
                now(),
                d.valid_until
            ],
        )
        .await?;
        let c = tx
            .one(
                &format!("SELECT {CLASS_COLS} FROM classifications WHERE id = $1"),
                params![id],
                classification,
            )
            .await?;
        audit::record(
            &mut tx,
            actor,
            Some(org),
            "classify",
            "information_set",
            set,
            audit::diff(None, Some(&c)),
        )
        .await?;
        tx.commit().await?;
        Ok(c)
    }

    /// Every classification of an information set, newest first.
    pub async fn classification_history(
        &self,
        org: OrgId,
        system: SystemId,
        set: Uuid,
    ) -> Result<Vec<Classification>> {
        let mut read = self.db.read();
        if !sets_of(&mut read, org, system)
            .await?
            .iter()
            .any(|s| s.id == set)
        {
            return Err(StoreError::NotFound);
        }
        read.all(
            &format!(
                "SELECT {CLASS_COLS} FROM classifications WHERE org_id = $1 AND information_set_id = $2 ORDER BY seq DESC"
            ),
            params![org.0, set],
            classification,
        )
        .await
    }

    /// Records the decision on business-criticality and sets the system's flag.
    pub async fn decide_business_critical(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        decision: &DecisionDraft,
    ) -> Result<CriticalDecision> {
        let critical = decision.critical;
        let mut e = FieldErrors::new();
        let owner_name = v::required_text(&mut e, "owner_name", &decision.owner_name, 200);
        let it_name = v::required_text(&mut e, "it_name", &decision.it_name, 200);
        let note = v::optional_text(&mut e, "note", decision.note.as_deref(), 2000);
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        let mut tx = self.db.begin().await?;
        let before: bool = tx
            .one(
                "SELECT business_critical FROM systems WHERE org_id = $1 AND id = $2",
                params![org.0, system.0],
                |r| r.bool("business_critical"),
            )
            .await?;
        let id = Uuid::now_v7();
        let at = now();
        tx.execute(
            "INSERT INTO business_critical_decisions (id, org_id, system_id, critical, owner_name, it_name, note, decided_by, decided_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            params![id, org.0, system.0, critical, owner_name.as_str(), it_name.as_str(), note.clone(), actor.name.as_str(), at],
        )
        .await?;
        tx.execute(
            "UPDATE systems SET business_critical = $3, updated_at = $4 WHERE org_id = $1 AND id = $2",
            params![org.0, system.0, critical, at],
        )
        .await?;
        let d = CriticalDecision {
            id,
            critical,
            owner_name,
            it_name,
            note,
            decided_by: actor.name.clone(),
            decided_at: at,
        };
        audit::record(
            &mut tx,
            actor,
            Some(org),
            "decide",
            "system",
            system.0,
            serde_json::json!({
                "business_critical": { "old": before, "new": critical },
                "decided_by_owner": { "new": d.owner_name },
                "decided_by_it": { "new": d.it_name },
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(d)
    }

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
        audit::record(
            &mut tx,
            actor,
            Some(org),
            "create",
            "security_plan",
            id,
            serde_json::json!({ "version": { "new": version } }),
        )
        .await?;
        tx.commit().await?;
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
        let changes = audit::diff(Some(&before.sections), Some(&after.sections));
        audit::record(
            &mut tx,
            actor,
            Some(org),
            "update",
            "security_plan",
            id,
            changes,
        )
        .await?;
        tx.commit().await?;
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
        let Some(to) = plan_transition(before.status, action) else {
            return Err(StoreError::Invalid(FieldErrors::single(
                "status",
                "error-plan-transition",
            )));
        };
        if action == PlanAction::Submit && !before.empty_sections().is_empty() {
            let mut e = FieldErrors::new();
            for s in before.empty_sections() {
                e.add(s, v::REQUIRED);
            }
            return Err(StoreError::Invalid(e));
        }
        let at = now();
        if to == PlanStatus::Approved {
            tx.execute(
                "UPDATE security_plans SET status = 'superseded', updated_at = $3 \
                 WHERE org_id = $1 AND system_id = $2 AND status = 'approved'",
                params![org.0, system.0, at],
            )
            .await?;
        }
        let (submitted, approved_by, approved_at) = match to {
            PlanStatus::Submitted => (Some(at), None, None),
            PlanStatus::Approved => (before.submitted_at, Some(actor.name.clone()), Some(at)),
            _ => (None, None, None),
        };
        tx.execute(
            "UPDATE security_plans SET status = $4, submitted_at = $5, approved_by = $6, approved_at = $7, updated_at = $8 \
             WHERE org_id = $1 AND system_id = $2 AND id = $3",
            params![org.0, system.0, id, to.as_str(), submitted, approved_by, approved_at, at],
        )
        .await?;
        let after = fetch_plan(&mut tx, org, system, id).await?;
        audit::record(
            &mut tx,
            actor,
            Some(org),
            match action {
                PlanAction::Submit => "submit",
                PlanAction::Return => "return",
                PlanAction::Approve => "approve",
                PlanAction::Edit => "update",
            },
            "security_plan",
            id,
            serde_json::json!({ "status": { "old": before.status, "new": to } }),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn approvals(&self, org: OrgId, system: SystemId) -> Result<Vec<Approval>> {
        let mut read = self.db.read();
        check_system(&mut read, org, system).await?;
        let list = read
            .all(
                &format!(
                    "SELECT {APPROVAL_COLS} FROM approvals WHERE org_id = $1 AND system_id = $2 ORDER BY created_at DESC"
                ),
                params![org.0, system.0],
                approval,
            )
            .await?;
        let mut out = Vec::with_capacity(list.len());
        for a in list {
            out.push(with_status(&mut read, org, a).await?);
        }
        Ok(out)
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
        audit::record(
            &mut tx,
            actor,
            Some(org),
            "create",
            "approval",
            id,
            audit::diff(None, Some(&a)),
        )
        .await?;
        tx.commit().await?;
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
        audit::record(
            &mut tx,
            actor,
            Some(org),
            "sign",
            "approval",
            id,
            serde_json::json!({ by: { "old": null, "new": actor.name } }),
        )
        .await?;
        tx.commit().await?;
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
        audit::record(
            &mut tx,
            actor,
            Some(org),
            "update",
            "approval",
            id,
            audit::diff(Some(&before.measures), Some(&after.measures)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

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
                f.kind == insyn_domain::policy::RuleKind::Artefact && f.subject == artefact
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
        let approval = read
            .opt(
                &format!(
                    "SELECT {APPROVAL_COLS} FROM approvals WHERE org_id = $1 AND system_id = $2 ORDER BY created_at DESC LIMIT 1"
                ),
                params![org.0, system.0],
                approval,
            )
            .await?;
        let approval = match approval {
            Some(a) => Some(with_status(&mut read, org, a).await?),
            None => None,
        };
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

    /// Whether each kind of field is secret in this organisation.
    pub async fn field_secrecy(&self, org: OrgId) -> Result<Vec<(String, bool)>> {
        let overrides: Vec<(String, bool)> = self
            .db
            .read()
            .all(
                "SELECT field, secret FROM field_secrecy WHERE org_id = $1",
                params![org.0],
                |r| Ok((r.text("field")?, r.bool("secret")?)),
            )
            .await?;
        Ok(FIELD_SECRECY_DEFAULTS
            .iter()
            .map(|(f, d)| {
                let secret = overrides
                    .iter()
                    .find(|(o, _)| o == f)
                    .map(|(_, s)| *s)
                    .unwrap_or(*d);
                ((*f).to_owned(), secret)
            })
            .collect())
    }

    pub async fn set_field_secrecy(
        &self,
        actor: &Actor,
        org: OrgId,
        fields: &[(String, bool)],
    ) -> Result<Vec<(String, bool)>> {
        if let Some((bad, _)) = fields
            .iter()
            .find(|(f, _)| !FIELD_SECRECY_DEFAULTS.iter().any(|(d, _)| d == f))
        {
            let mut e = FieldErrors::new();
            let known: Vec<&str> = FIELD_SECRECY_DEFAULTS.iter().map(|(f, _)| *f).collect();
            e.add_choice(bad, &known);
            return Err(StoreError::Invalid(e));
        }
        let before = self.field_secrecy(org).await?;
        let mut tx = self.db.begin().await?;
        for (f, secret) in fields {
            tx.execute(
                "DELETE FROM field_secrecy WHERE org_id = $1 AND field = $2",
                params![org.0, f.as_str()],
            )
            .await?;
            tx.execute(
                "INSERT INTO field_secrecy (org_id, field, secret) VALUES ($1, $2, $3)",
                params![org.0, f.as_str(), *secret],
            )
            .await?;
        }
        let changes: serde_json::Map<String, serde_json::Value> = fields
            .iter()
            .filter_map(|(f, s)| {
                let old = before.iter().find(|(b, _)| b == f).map(|(_, o)| *o);
                (old != Some(*s)).then(|| (f.clone(), serde_json::json!({ "old": old, "new": s })))
            })
            .collect();
        audit::record(
            &mut tx,
            actor,
            Some(org),
            "update",
            "field_secrecy",
            org.0,
            serde_json::Value::Object(changes),
        )
        .await?;
        tx.commit().await?;
        self.field_secrecy(org).await
    }

    /// Whether the person with this e-mail currently holds the role with this
    /// code on the system (e.g. the system owner, who approves plans).
    pub async fn holds_role(
        &self,
        org: OrgId,
        system: SystemId,
        email: &str,
        code: &str,
    ) -> Result<bool> {
        let today = Utc::now().date_naive();
        Ok(self
            .db
            .read()
            .count(
                "SELECT COUNT(*) AS n FROM role_assignments ra JOIN role_types rt ON rt.id = ra.role_type_id \
                 JOIN people pe ON pe.id = ra.person_id WHERE ra.org_id = $1 AND ra.system_id = $2 \
                 AND pe.email = $3 AND pe.active = TRUE AND rt.code = $4 AND ra.start_date <= $5 \
                 AND (ra.end_date IS NULL OR ra.end_date >= $5)",
                params![org.0, system.0, email.to_lowercase(), code, today],
            )
            .await?
            > 0)
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
