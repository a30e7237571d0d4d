//! Information classification: the organisation's scale, a system's
//! information sets and their classifications (each kept as history), and
//! the decision on business-criticality.

use super::check_system;
use crate::audit::{self, Actor, Change};
use crate::db::{DbRow, Queryable, Result, now};
use crate::{Store, StoreError, params};
use chrono::Utc;
use insyn_domain::security::*;
use insyn_domain::validation as v;
use insyn_domain::*;
use serde::Serialize;
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

const SET_COLS: &str = "id, system_id, name, description, personal_data, sensitive_personal_data";
const CLASS_COLS: &str = "id, information_set_id, confidentiality, integrity, availability, \
    traceability, justification, classified_by, classified_at, valid_until";

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

pub(super) async fn sets_of(
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

/// One active information set of the system.
async fn set_of(
    q: &mut impl Queryable,
    org: OrgId,
    system: SystemId,
    id: Uuid,
) -> Result<InformationSet> {
    sets_of(q, org, system)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(StoreError::NotFound)
}

/// The newest classification among the system's active information sets.
pub(super) async fn newest_classification(
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
        Change::new(
            Some(org),
            AuditAction::Update,
            AuditObject::ClassificationScale,
            org.0,
            serde_json::json!({
                "levels": { "old": before, "new": levels },
                "traceability_required": { "new": traceability_required },
            }),
        )
        .record(&mut tx, actor)
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
        let created = set_of(&mut tx, org, system, id).await?;
        Change::created(Some(org), AuditObject::InformationSet, id, &created)
            .commit(tx, actor)
            .await?;
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
        let before = set_of(&mut tx, org, system, id).await?;
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
        let after = set_of(&mut tx, org, system, id).await?;
        Change::updated(Some(org), AuditObject::InformationSet, id, &before, &after)
            .commit(tx, actor)
            .await?;
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
        Change::new(
            Some(org),
            AuditAction::Classify,
            AuditObject::InformationSet,
            set,
            audit::diff(None, Some(&c)),
        )
        .commit(tx, actor)
        .await?;
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
    pub async fn decide_critical(
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
        Change::new(
            Some(org),
            AuditAction::Decide,
            AuditObject::System,
            system.0,
            serde_json::json!({
                "business_critical": { "old": before, "new": critical },
                "decided_by_owner": { "new": d.owner_name },
                "decided_by_it": { "new": d.it_name },
            }),
        )
        .commit(tx, actor)
        .await?;
        Ok(d)
    }
}
