//! The decommissioning case: open it, change it, and close it against the
//! gates (`insyn_domain::decommission::check_gates`) over the facts read
//! here; closing marks the system decommissioned in the same transaction.

use super::erasures::erasures_of;
use super::{record_types_of, word};
use crate::audit::{Actor, Change};
use crate::db::{DbRow, Queryable, Result, Tx, now};
use crate::security::check_system;
use crate::{Store, StoreError, params};
use chrono::NaiveDate;
use insyn_domain::decommission::*;
use insyn_domain::validation::{FieldErrors, UNKNOWN_REFERENCE, WRONG_TARGET};
use insyn_domain::*;
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

/// A case with its gates as the register shows them now.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseView {
    #[serde(flatten)]
    pub case: Case,
    /// Every gate, in order, with what blocks it.
    pub gates: Vec<GateOutcome>,
    /// Every gate passes: the case may close without an exception.
    pub ready: bool,
}

fn case(r: &dyn DbRow) -> Result<Case> {
    let gates = r.opt_text("exception_gates")?.unwrap_or_default();
    Ok(Case {
        id: r.uuid("id")?,
        system_id: SystemId(r.uuid("system_id")?),
        draft: CaseDraft {
            decided_by: r.opt_text("decided_by")?,
            decided_on: r.opt_date("decided_on")?,
            decision_reference: r.opt_text("decision_reference")?,
            planned_on: r.opt_date("planned_on")?,
            target_system_id: r.opt_uuid("target_system_id")?.map(SystemId),
            note: r.opt_text("note")?,
        },
        status: word(r, "status", CaseStatus::parse)?,
        closed_by: r.opt_text("closed_by")?,
        closed_at: r.opt_ts("closed_at")?,
        exception_reason: r.opt_text("exception_reason")?,
        exception_gates: gates.split(',').filter_map(Gate::parse).collect(),
        created_by: r.text("created_by")?,
        created_at: r.ts("created_at")?,
        updated_at: r.ts("updated_at")?,
    })
}

const COLS: &str = "id, system_id, decided_by, decided_on, decision_reference, planned_on, target_system_id, \
     note, status, closed_by, closed_at, exception_reason, exception_gates, created_by, created_at, updated_at";

async fn case_of(q: &mut impl Queryable, org: OrgId, system: SystemId) -> Result<Option<Case>> {
    q.opt(
        &format!("SELECT {COLS} FROM decommission_cases WHERE org_id = $1 AND system_id = $2"),
        params![org.0, system.0],
        case,
    )
    .await
}

/// What the register shows about the system for the gates: roles and
/// holdings count as ended when they end on or before `cutoff`.
pub(crate) async fn gate_facts(
    q: &mut impl Queryable,
    org: OrgId,
    system: SystemId,
    cutoff: NaiveDate,
) -> Result<GateFacts> {
    let record_types = record_types_of(q, org, system).await?;
    let media = erasures_of(q, org, system).await?;
    let open_roles = q
        .count(
            "SELECT COUNT(*) AS n FROM role_assignments WHERE org_id = $1 AND system_id = $2 \
             AND (end_date IS NULL OR end_date > $3)",
            params![org.0, system.0, cutoff],
        )
        .await?;
    let open_holdings = q
        .count(
            "SELECT COUNT(*) AS n FROM access_holdings WHERE org_id = $1 AND system_id = $2 \
             AND (until IS NULL OR until > $3)",
            params![org.0, system.0, cutoff],
        )
        .await?;
    let integrations = q
        .count(
            "SELECT COUNT(*) AS n FROM integrations WHERE org_id = $1 \
             AND (from_system_id = $2 OR to_system_id = $2)",
            params![org.0, system.0],
        )
        .await?;
    let n = |c: i64| usize::try_from(c).unwrap_or(0);
    let contracts = covering_contracts(q, org, system, cutoff).await?;
    let licences = crate::licences::licences_of(q, org, system).await?;
    Ok(GateFacts {
        record_types: record_types.into_iter().map(|t| t.draft).collect(),
        media: media.into_iter().map(|m| m.draft).collect(),
        open_roles: n(open_roles),
        open_holdings: n(open_holdings),
        integrations: n(integrations),
        contracts,
        licences,
        cutoff,
    })
}

/// The contracts covering the system, their dates on `cutoff`, each marked
/// when it also covers another system not decommissioned.
async fn covering_contracts(
    q: &mut impl Queryable,
    org: OrgId,
    system: SystemId,
    cutoff: NaiveDate,
) -> Result<Vec<CoveringContract>> {
    let mut out = vec![];
    for c in crate::contracts::covering(q, org, system, cutoff).await? {
        let in_use = q
            .count(
                "SELECT COUNT(*) AS n FROM contract_systems l JOIN systems s ON s.id = l.system_id \
                 WHERE l.contract_id = $1 AND l.system_id <> $2 AND s.lifecycle <> $3",
                params![c.id.0, system.0, Lifecycle::Decommissioned.as_str()],
            )
            .await?;
        out.push(CoveringContract {
            name: format!("{} ({})", c.name, c.supplier_name),
            dates: c.dates,
            shared_in_use: in_use > 0,
        });
    }
    Ok(out)
}

/// The target system must be another system of the organisation.
async fn check_target(
    q: &mut impl Queryable,
    org: OrgId,
    system: SystemId,
    d: &CaseDraft,
) -> Result<()> {
    match d.target_system_id {
        Some(t) if t == system => Err(FieldErrors::single("target_system_id", WRONG_TARGET).into()),
        Some(t) if !q.exists_in_org("systems", org.0, t.0).await? => {
            Err(FieldErrors::single("target_system_id", UNKNOWN_REFERENCE).into())
        }
        _ => Ok(()),
    }
}

fn refused(field: &str, code: &'static str) -> StoreError {
    FieldErrors::single(field, code).into()
}

impl Store {
    /// The system's case with its gates (cut-off: its planned date, else
    /// `today`), if a case is open or closed.
    pub async fn decommission_case(
        &self,
        org: OrgId,
        system: SystemId,
        today: NaiveDate,
    ) -> Result<Option<CaseView>> {
        let mut read = self.db.read();
        check_system(&mut read, org, system).await?;
        let Some(c) = case_of(&mut read, org, system).await? else {
            return Ok(None);
        };
        let cutoff = c.draft.planned_on.unwrap_or(today);
        let gates = check_gates(&gate_facts(&mut read, org, system, cutoff).await?);
        let ready = failing(&gates).is_empty();
        Ok(Some(CaseView {
            case: c,
            gates,
            ready,
        }))
    }

    /// Opens the system's decommissioning case (one per system) and moves
    /// the system to "phasing out" (avvecklas), both audited.
    pub async fn open_decommission_case(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        draft: CaseDraft,
    ) -> Result<Case> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        check_system(&mut tx, org, system).await?;
        if case_of(&mut tx, org, system).await?.is_some() {
            return Err(refused("system_id", CASE_EXISTS));
        }
        check_target(&mut tx, org, system, &d).await?;
        let (id, at) = (Uuid::now_v7(), now());
        tx.execute(
            "INSERT INTO decommission_cases (id, org_id, system_id, decided_by, decided_on, decision_reference, \
             planned_on, target_system_id, note, status, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
            params![
                id,
                org.0,
                system.0,
                d.decided_by.clone(),
                d.decided_on,
                d.decision_reference.clone(),
                d.planned_on,
                d.target_system_id.map(|t| t.0),
                d.note.clone(),
                CaseStatus::Open.as_str(),
                actor.name.as_str(),
                at
            ],
        )
        .await?;
        let c = case_of(&mut tx, org, system)
            .await?
            .ok_or(StoreError::NotFound)?;
        set_lifecycle(&mut tx, actor, org, system, Lifecycle::PhasingOut).await?;
        Change::created(Some(org), AuditObject::DecommissionCase, id, &c.draft)
            .commit(tx, actor)
            .await?;
        Ok(c)
    }

    /// Changes an open case's decision, date, target and note.
    pub async fn update_decommission_case(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        draft: CaseDraft,
    ) -> Result<Case> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        let before = case_of(&mut tx, org, system)
            .await?
            .ok_or(StoreError::NotFound)?;
        if before.status != CaseStatus::Open {
            return Err(refused("status", CASE_CLOSED));
        }
        check_target(&mut tx, org, system, &d).await?;
        tx.execute(
            "UPDATE decommission_cases SET decided_by = $2, decided_on = $3, decision_reference = $4, \
             planned_on = $5, target_system_id = $6, note = $7, updated_at = $8 WHERE id = $1",
            params![
                before.id,
                d.decided_by.clone(),
                d.decided_on,
                d.decision_reference.clone(),
                d.planned_on,
                d.target_system_id.map(|t| t.0),
                d.note.clone(),
                now()
            ],
        )
        .await?;
        let after = case_of(&mut tx, org, system)
            .await?
            .ok_or(StoreError::NotFound)?;
        Change::updated(
            Some(org),
            AuditObject::DecommissionCase,
            before.id,
            &before.draft,
            &after.draft,
        )
        .commit(tx, actor)
        .await?;
        Ok(after)
    }

    /// Closes the case when every gate passes on `today`, or with the
    /// exception the actor (the system owner) signs with a reason; refused
    /// with one error per failing gate otherwise. Closing marks the system
    /// decommissioned, in the same transaction, each change audited.
    pub async fn close_decommission_case(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        request: CloseRequest,
        today: NaiveDate,
    ) -> Result<Case> {
        let mut tx = self.db.begin().await?;
        let before = case_of(&mut tx, org, system)
            .await?
            .ok_or(StoreError::NotFound)?;
        let cutoff = before.draft.planned_on.unwrap_or(today);
        let gates = check_gates(&gate_facts(&mut tx, org, system, cutoff).await?);
        let (status, reason, failed) = decide_close(before.status, &gates, &request)?;
        let failed_words: Vec<&str> = failed.iter().map(|g| g.as_str()).collect();
        tx.execute(
            "UPDATE decommission_cases SET status = $2, closed_by = $3, closed_at = $4, \
             exception_reason = $5, exception_gates = $6, updated_at = $4 WHERE id = $1",
            params![
                before.id,
                status.as_str(),
                actor.name.as_str(),
                now(),
                reason,
                (!failed.is_empty()).then(|| failed_words.join(","))
            ],
        )
        .await?;
        set_lifecycle(&mut tx, actor, org, system, Lifecycle::Decommissioned).await?;
        let after = case_of(&mut tx, org, system)
            .await?
            .ok_or(StoreError::NotFound)?;
        let signed = json!({
            "status": after.status,
            "exception_reason": after.exception_reason,
            "exception_gates": after.exception_gates,
        });
        Change::changed(
            Some(org),
            AuditAction::ChangeStatus,
            AuditObject::DecommissionCase,
            before.id,
            &json!({ "status": before.status }),
            &signed,
        )
        .commit(tx, actor)
        .await?;
        Ok(after)
    }
}

/// Moves the system to `to` in the case's transaction, audited as a change
/// of the system; nothing when it is there already.
async fn set_lifecycle(
    tx: &mut Tx,
    actor: &Actor,
    org: OrgId,
    system: SystemId,
    to: Lifecycle,
) -> Result<()> {
    let lifecycle: String = tx
        .one(
            "SELECT lifecycle FROM systems WHERE org_id = $1 AND id = $2",
            params![org.0, system.0],
            |r| r.text("lifecycle"),
        )
        .await?;
    if lifecycle == to.as_str() {
        return Ok(());
    }
    tx.execute(
        "UPDATE systems SET lifecycle = $3, updated_at = $4 WHERE org_id = $1 AND id = $2",
        params![org.0, system.0, to.as_str(), now()],
    )
    .await?;
    Change::changed(
        Some(org),
        AuditAction::Update,
        AuditObject::System,
        system.0,
        &json!({ "lifecycle": lifecycle }),
        &json!({ "lifecycle": to.as_str() }),
    )
    .record(tx, actor)
    .await
}

/// The compliance fact "decommission_gates": systems whose case is closed
/// (on its closing day) or open with every gate passing (today).
pub(crate) async fn gate_artefacts(
    q: &mut impl Queryable,
    org: OrgId,
    only: Option<SystemId>,
    today: NaiveDate,
) -> Result<Vec<(Uuid, NaiveDate)>> {
    let (filter, p) = match only {
        Some(s) => (" AND system_id = $2", params![org.0, s.0]),
        None => ("", params![org.0]),
    };
    let cases = q
        .all(
            &format!("SELECT {COLS} FROM decommission_cases WHERE org_id = $1{filter}"),
            p,
            case,
        )
        .await?;
    let mut out = vec![];
    for c in cases {
        if let Some(at) = c.closed_at {
            out.push((c.system_id.0, at.date_naive()));
            continue;
        }
        let cutoff = c.draft.planned_on.unwrap_or(today);
        let facts = gate_facts(q, org, c.system_id, cutoff).await?;
        if failing(&check_gates(&facts)).is_empty() {
            out.push((c.system_id.0, today));
        }
    }
    Ok(out)
}
