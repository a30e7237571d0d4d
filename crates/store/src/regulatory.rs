//! Regulatory facts as data (issue 20 item 4): the organisation's entity
//! class under cybersäkerhetslagen (`org_nis`) and each system's AI Act
//! facts (`system_ai_act`), each write audited; and the compliance facts the
//! policy rules read: the entity class, high-risk AI use and its FRIA, and
//! whether a record of processing naming a system has its DPIA decided.
//! Secret by default: `public.rs` never reads these tables.

use crate::audit::{Actor, Change};
use crate::db::{DbRow, Queryable, Result, now, word};
use crate::decommission::opt_word;
use crate::security::check_system;
use crate::{Store, StoreError, params};
use chrono::NaiveDate;
use insyn_domain::policy::{DPIA, FRIA, SystemFacts};
use insyn_domain::regulatory::*;
use insyn_domain::*;
use uuid::Uuid;

fn nis(r: &dyn DbRow) -> Result<NisFacts> {
    Ok(NisFacts {
        draft: NisDraft {
            entity_class: word(r, "entity_class", NisEntityClass::parse)?,
            sector: opt_word(r, "sector", NisSector::parse)?,
            registered_on: r.opt_date("registered_on")?,
            registration_reference: r.opt_text("registration_reference")?,
        },
        updated_by: Some(r.text("updated_by")?),
        updated_at: Some(r.ts("updated_at")?),
    })
}

async fn nis_of(q: &mut impl Queryable, org: OrgId) -> Result<NisFacts> {
    let row = q
        .opt(
            "SELECT entity_class, sector, registered_on, registration_reference, updated_by, updated_at \
             FROM org_nis WHERE org_id = $1",
            params![org.0],
            nis,
        )
        .await?;
    Ok(row.unwrap_or(NisFacts {
        draft: NisDraft::default(),
        updated_by: None,
        updated_at: None,
    }))
}

/// The organisation's entity class (not assessed until set), for the rules.
async fn nis_class(q: &mut impl Queryable, org: OrgId) -> Result<NisEntityClass> {
    Ok(nis_of(q, org).await?.draft.entity_class)
}

fn ai_draft(r: &dyn DbRow) -> Result<AiActDraft> {
    Ok(AiActDraft {
        contains_ai: word(r, "contains_ai", AiActPresence::parse)?,
        risk_class: opt_word(r, "risk_class", AiActRiskClass::parse)?,
        role: opt_word(r, "role", AiActRole::parse)?,
        description: r.opt_text("description")?,
        fria_on: r.opt_date("fria_on")?,
        fria_reference: r.opt_text("fria_reference")?,
    })
}

const AI_COLS: &str = "system_id, contains_ai, risk_class, role, description, fria_on, fria_reference, \
     updated_by, updated_at";

async fn ai_of(q: &mut impl Queryable, system: SystemId) -> Result<AiActFacts> {
    let row = q
        .opt(
            &format!("SELECT {AI_COLS} FROM system_ai_act WHERE system_id = $1"),
            params![system.0],
            |r| Ok((ai_draft(r)?, r.text("updated_by")?, r.ts("updated_at")?)),
        )
        .await?;
    Ok(match row {
        Some((d, by, at)) => AiActFacts::new(system, d, Some((by, at))),
        None => AiActFacts::new(system, AiActDraft::default(), None),
    })
}

/// Each system's AI Act facts as the rules ask them: (system, high-risk use,
/// the FRIA's day).
async fn ai_facts(
    q: &mut impl Queryable,
    org: OrgId,
    only: Option<SystemId>,
) -> Result<Vec<(Uuid, bool, Option<NaiveDate>)>> {
    let (filter, p) = match only {
        Some(s) => (" AND system_id = $2", params![org.0, s.0]),
        None => ("", params![org.0]),
    };
    q.all(
        &format!("SELECT {AI_COLS} FROM system_ai_act WHERE org_id = $1{filter}"),
        p,
        |r| {
            let d = ai_draft(r)?;
            Ok((r.uuid("system_id")?, d.high_risk_use(), d.fria_on))
        },
    )
    .await
}

/// The systems named in a record of processing whose DPIA decision is made
/// (required, with a date and a result; or not required, with a reason),
/// with the day it stands since (the DPIA's date, else the record's last change).
async fn dpia_decided(
    q: &mut impl Queryable,
    org: OrgId,
    only: Option<SystemId>,
) -> Result<Vec<(Uuid, NaiveDate)>> {
    let (filter, p) = match only {
        Some(s) => (" AND l.system_id = $2", params![org.0, s.0]),
        None => ("", params![org.0]),
    };
    q.all(
        &format!(
            "SELECT l.system_id, r.dpia_date, r.updated_at FROM processing_record_systems l \
             JOIN processing_records r ON r.id = l.processing_record_id WHERE l.org_id = $1{filter} \
             AND ((r.dpia_required = 'yes' AND r.dpia_date IS NOT NULL AND TRIM(COALESCE(r.dpia_result, '')) <> '') \
             OR (r.dpia_required = 'no' AND TRIM(COALESCE(r.dpia_reason, '')) <> ''))"
        ),
        p,
        |r| {
            let on = match r.opt_date("dpia_date")? {
                Some(d) => d,
                None => r.ts("updated_at")?.date_naive(),
            };
            Ok((r.uuid("system_id")?, on))
        },
    )
    .await
}

/// One regulatory fact about one system, as the rules read it.
pub(crate) enum Fact {
    /// High-risk AI the organisation deploys.
    HighRiskAi,
    /// A FRIA recorded on this day.
    Fria(NaiveDate),
    /// A record of processing naming the system has its DPIA decided (since).
    Dpia(NaiveDate),
}

impl Fact {
    pub(crate) fn apply(&self, f: &mut SystemFacts) {
        let (artefact, on) = match *self {
            Fact::HighRiskAi => {
                f.ai_high_risk = true;
                return;
            }
            Fact::Fria(on) => (FRIA, on),
            Fact::Dpia(on) => (DPIA, on),
        };
        let e = f.artefacts.entry(artefact.to_owned()).or_insert(on);
        *e = (*e).max(on);
    }
}

/// The organisation's entity class and each system's regulatory facts.
pub(crate) async fn facts(
    q: &mut impl Queryable,
    org: OrgId,
    only: Option<SystemId>,
) -> Result<(NisEntityClass, Vec<(Uuid, Fact)>)> {
    let mut out = vec![];
    for (sid, high_risk, fria) in ai_facts(q, org, only).await? {
        if high_risk {
            out.push((sid, Fact::HighRiskAi));
        }
        if let Some(on) = fria {
            out.push((sid, Fact::Fria(on)));
        }
    }
    for (sid, on) in dpia_decided(q, org, only).await? {
        out.push((sid, Fact::Dpia(on)));
    }
    Ok((nis_class(q, org).await?, out))
}

impl Store {
    /// The organisation's entity class under cybersäkerhetslagen.
    pub async fn nis_facts(&self, org: OrgId) -> Result<NisFacts> {
        let mut read = self.db.read();
        if !read.exists("organisations", org.0).await? {
            return Err(StoreError::NotFound);
        }
        nis_of(&mut read, org).await
    }

    /// Sets the organisation's entity class, audited.
    pub async fn set_nis_facts(
        &self,
        actor: &Actor,
        org: OrgId,
        draft: NisDraft,
        today: NaiveDate,
    ) -> Result<NisFacts> {
        let d = draft.validate(today)?;
        let mut tx = self.db.begin().await?;
        if !tx.exists("organisations", org.0).await? {
            return Err(StoreError::NotFound);
        }
        let before = nis_of(&mut tx, org).await?;
        let at = now();
        tx.execute("DELETE FROM org_nis WHERE org_id = $1", params![org.0])
            .await?;
        tx.execute(
            "INSERT INTO org_nis (org_id, entity_class, sector, registered_on, registration_reference, \
             updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            params![
                org.0,
                d.entity_class.as_str(),
                d.sector.map(NisSector::as_str),
                d.registered_on,
                d.registration_reference.clone(),
                actor.name.as_str(),
                at
            ],
        )
        .await?;
        let object = AuditObject::NisEntityClass;
        let change = match before.updated_at {
            Some(_) => Change::updated(Some(org), object, org.0, &before.draft, &d),
            None => Change::created(Some(org), object, org.0, &d),
        };
        change.commit(tx, actor).await?;
        Ok(NisFacts {
            draft: d,
            updated_by: Some(actor.name.clone()),
            updated_at: Some(at),
        })
    }

    /// A system's AI Act facts (unknown until set).
    pub async fn ai_act(&self, org: OrgId, system: SystemId) -> Result<AiActFacts> {
        let mut read = self.db.read();
        check_system(&mut read, org, system).await?;
        ai_of(&mut read, system).await
    }

    /// Sets a system's AI Act facts, audited.
    pub async fn set_ai_act(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        draft: AiActDraft,
        today: NaiveDate,
    ) -> Result<AiActFacts> {
        let d = draft.validate(today)?;
        let mut tx = self.db.begin().await?;
        check_system(&mut tx, org, system).await?;
        let before = ai_of(&mut tx, system).await?;
        let at = now();
        tx.execute(
            "DELETE FROM system_ai_act WHERE system_id = $1",
            params![system.0],
        )
        .await?;
        tx.execute(
            "INSERT INTO system_ai_act (system_id, org_id, contains_ai, risk_class, role, description, \
             fria_on, fria_reference, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            params![
                system.0,
                org.0,
                d.contains_ai.as_str(),
                d.risk_class.map(AiActRiskClass::as_str),
                d.role.map(AiActRole::as_str),
                d.description.clone(),
                d.fria_on,
                d.fria_reference.clone(),
                actor.name.as_str(),
                at
            ],
        )
        .await?;
        let object = AuditObject::AiActFacts;
        let change = match before.updated_at {
            Some(_) => Change::updated(Some(org), object, system.0, &before.draft, &d),
            None => Change::created(Some(org), object, system.0, &d),
        };
        change.commit(tx, actor).await?;
        Ok(AiActFacts::new(system, d, Some((actor.name.clone(), at))))
    }
}
