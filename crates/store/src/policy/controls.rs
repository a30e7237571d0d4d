//! Recurring controls recorded as performed, on a system or for the organisation.

use super::system_in_org;
use crate::audit::{Actor, Change};
use crate::db::{DbRow, Queryable, Result, now};
use crate::{Store, StoreError, params};
use chrono::{DateTime, NaiveDate, Utc};
use insyn_domain::policy::*;
use insyn_domain::validation as v;
use insyn_domain::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A recurring control performed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlRecord {
    pub id: Uuid,
    pub system_id: Option<SystemId>,
    pub control: String,
    pub performed_on: NaiveDate,
    /// `ok` or `remarks`.
    pub result: String,
    pub note: Option<String>,
    pub review_id: Option<Uuid>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ControlDraft {
    pub control: String,
    pub performed_on: NaiveDate,
    pub result: String,
    #[serde(default)]
    pub note: Option<String>,
}

pub const CONTROL_RESULTS: &[&str] = &["ok", "remarks"];

fn control_record(r: &dyn DbRow) -> Result<ControlRecord> {
    Ok(ControlRecord {
        id: r.uuid("id")?,
        system_id: r.opt_uuid("system_id")?.map(SystemId),
        control: r.text("control")?,
        performed_on: r.date("performed_on")?,
        result: r.text("result")?,
        note: r.opt_text("note")?,
        review_id: r.opt_uuid("review_id")?,
        recorded_by: r.text("recorded_by")?,
        recorded_at: r.ts("recorded_at")?,
    })
}

const CONTROL_COLS: &str =
    "id, system_id, control, performed_on, result, note, review_id, recorded_by, recorded_at";

impl Store {
    /// Control records of one system, or the organisation's own (`None`).
    pub async fn control_records(
        &self,
        org: OrgId,
        system: Option<SystemId>,
    ) -> Result<Vec<ControlRecord>> {
        let sql = match system {
            Some(_) => format!(
                "SELECT {CONTROL_COLS} FROM control_records WHERE org_id = $1 AND system_id = $2 \
                 ORDER BY performed_on DESC, recorded_at DESC"
            ),
            None => format!(
                "SELECT {CONTROL_COLS} FROM control_records WHERE org_id = $1 AND system_id IS NULL \
                 ORDER BY performed_on DESC, recorded_at DESC"
            ),
        };
        let mut p = params![org.0];
        if let Some(s) = system {
            p.push(s.0.into());
        }
        self.db.read().all(&sql, p, control_record).await
    }

    /// Records a control as performed (on a system, or for the organisation).
    pub async fn record_control(
        &self,
        actor: &Actor,
        org: OrgId,
        system: Option<SystemId>,
        d: ControlDraft,
    ) -> Result<ControlRecord> {
        // Only the profile's controls of that scope; the annual review and the
        // classification review are met through their own workflow.
        let profile = self.active_profile(org).await?;
        let scope = match system {
            Some(_) => ControlScope::System,
            None => ControlScope::Organisation,
        };
        let codes = profile.profile.recordable_controls(scope);
        let code = d.control.trim();
        if !code.is_empty() && !codes.contains(&code) {
            let mut e = FieldErrors::new();
            e.add_choice("control", &codes);
            return Err(StoreError::Invalid(e));
        }
        let mut tx = self.db.begin().await?;
        let r = insert_control(&mut tx, actor, org, system, d, None).await?;
        tx.commit().await?;
        Ok(r)
    }
}

pub(crate) async fn insert_control(
    tx: &mut crate::db::Tx,
    actor: &Actor,
    org: OrgId,
    system: Option<SystemId>,
    d: ControlDraft,
    review: Option<Uuid>,
) -> Result<ControlRecord> {
    let mut e = FieldErrors::new();
    let control = d.control.trim().to_owned();
    if control.is_empty() {
        e.add("control", v::REQUIRED);
    }
    if !CONTROL_RESULTS.contains(&d.result.as_str()) {
        e.add_choice("result", CONTROL_RESULTS);
    }
    let note = v::optional_text(&mut e, "note", d.note.as_deref(), 4000);
    if d.performed_on > Utc::now().date_naive() {
        e.add("performed_on", v::IN_FUTURE);
    }
    if !e.is_empty() {
        return Err(e.into());
    }
    if let Some(s) = system {
        system_in_org(tx, org, s).await?;
    }
    let rec = ControlRecord {
        id: Uuid::now_v7(),
        system_id: system,
        control,
        performed_on: d.performed_on,
        result: d.result,
        note,
        review_id: review,
        recorded_by: actor.name.clone(),
        recorded_at: now(),
    };
    tx.execute(
        "INSERT INTO control_records (id, org_id, system_id, control, performed_on, result, note, review_id, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        params![rec.id, org.0, system.map(|s| s.0), rec.control.as_str(), rec.performed_on, rec.result.as_str(), rec.note.clone(), review, rec.recorded_by.as_str(), rec.recorded_at],
    )
    .await?;
    Change::created(Some(org), AuditObject::ControlRecord, rec.id, &rec)
        .record(tx, actor)
        .await?;
    Ok(rec)
}
