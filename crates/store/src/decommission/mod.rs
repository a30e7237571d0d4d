//! Information management and decommissioning per system (issue 20): the
//! record types of the information management plan and the archive
//! responsibility (here), erasure records (`erasures.rs`) and the
//! decommissioning case with its gates (`case.rs`). Every write is one
//! transaction with its audit record; nothing here is read by `public.rs`.

mod case;
mod erasures;

pub use case::CaseView;
pub(crate) use case::gate_artefacts;

use crate::audit::{Actor, Change};
use crate::db::{DbRow, P, Queryable, Result, now};
use crate::security::check_system;
use crate::system_child::{self, SystemChild};
use crate::{Store, StoreError, params};
use insyn_domain::decommission::*;
use insyn_domain::validation::{FieldErrors, UNKNOWN_REFERENCE};
use insyn_domain::*;
use uuid::Uuid;

/// A text column holding one of a text enum's words.
pub(crate) fn word<T>(r: &dyn DbRow, col: &str, parse: fn(&str) -> Option<T>) -> Result<T> {
    let s = r.text(col)?;
    parse(&s).ok_or_else(|| StoreError::Column(col.into(), s))
}

/// An optional text column holding one of a text enum's words.
pub(crate) fn opt_word<T>(
    r: &dyn DbRow,
    col: &str,
    parse: fn(&str) -> Option<T>,
) -> Result<Option<T>> {
    r.opt_text(col)?
        .map(|s| parse(&s).ok_or_else(|| StoreError::Column(col.into(), s)))
        .transpose()
}

fn record_type(r: &dyn DbRow) -> Result<RecordType> {
    Ok(RecordType {
        id: r.uuid("id")?,
        system_id: SystemId(r.uuid("system_id")?),
        draft: RecordTypeDraft {
            name: r.text("name")?,
            disposition: word(r, "disposition", Disposition::parse)?,
            disposal_period: r.opt_text("disposal_period")?,
            decision_reference: r.opt_text("decision_reference")?,
            decision_date: r.opt_date("decision_date")?,
            archive_format: r.opt_text("archive_format")?,
            delivery_deadline: r.opt_date("delivery_deadline")?,
            delivered_on: r.opt_date("delivered_on")?,
            delivery_reference: r.opt_text("delivery_reference")?,
            note: r.opt_text("note")?,
        },
        updated_by: r.text("updated_by")?,
        updated_at: r.ts("updated_at")?,
    })
}

impl SystemChild for RecordType {
    type Draft = RecordTypeDraft;
    const TABLE: &'static str = "record_types";
    const DRAFT_COLS: &'static [&'static str] = &[
        "name",
        "disposition",
        "disposal_period",
        "decision_reference",
        "decision_date",
        "archive_format",
        "delivery_deadline",
        "delivered_on",
        "delivery_reference",
        "note",
    ];
    const ORDER: &'static str = "name, id";
    const OBJECT: AuditObject = AuditObject::RecordType;

    fn validated(d: RecordTypeDraft) -> std::result::Result<RecordTypeDraft, FieldErrors> {
        d.validate()
    }

    fn read(r: &dyn DbRow) -> Result<Self> {
        record_type(r)
    }

    fn draft(&self) -> &RecordTypeDraft {
        &self.draft
    }

    fn values(d: &RecordTypeDraft) -> Vec<P> {
        params![
            d.name.as_str(),
            d.disposition.as_str(),
            d.disposal_period.clone(),
            d.decision_reference.clone(),
            d.decision_date,
            d.archive_format.clone(),
            d.delivery_deadline,
            d.delivered_on,
            d.delivery_reference.clone(),
            d.note.clone()
        ]
    }
}

/// A system's record types, by name.
pub(crate) async fn record_types_of(
    q: &mut impl Queryable,
    org: OrgId,
    system: SystemId,
) -> Result<Vec<RecordType>> {
    system_child::all(q, org, system).await
}

/// The system's archive responsibility, if set.
async fn archive_of(
    q: &mut impl Queryable,
    system: SystemId,
) -> Result<Option<ArchiveResponsibility>> {
    q.opt(
        "SELECT unit_id, role FROM archive_responsibilities WHERE system_id = $1",
        params![system.0],
        |r| {
            Ok(ArchiveResponsibility {
                unit_id: r.opt_uuid("unit_id")?.map(UnitId),
                role: r.opt_text("role")?,
            })
        },
    )
    .await
}

impl Store {
    /// A system's record types (not found for a system not of the organisation).
    pub async fn record_types(&self, org: OrgId, system: SystemId) -> Result<Vec<RecordType>> {
        self.children(org, system).await
    }

    /// One record type of a system.
    pub async fn record_type(&self, org: OrgId, system: SystemId, id: Uuid) -> Result<RecordType> {
        self.child(org, system, id).await
    }

    /// Adds a record type to a system.
    pub async fn add_record_type(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        draft: RecordTypeDraft,
    ) -> Result<RecordType> {
        self.add_child(actor, org, system, draft).await
    }

    /// Changes a record type as a whole.
    pub async fn update_record_type(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        id: Uuid,
        draft: RecordTypeDraft,
    ) -> Result<RecordType> {
        self.update_child(actor, org, system, id, draft).await
    }

    /// Removes a record type (the trail keeps what it was).
    pub async fn remove_record_type(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        id: Uuid,
    ) -> Result<()> {
        self.remove_child::<RecordType>(actor, org, system, id)
            .await
    }

    /// The system's archive responsibility (empty until set).
    pub async fn archive_responsibility(
        &self,
        org: OrgId,
        system: SystemId,
    ) -> Result<ArchiveResponsibility> {
        let mut read = self.db.read();
        check_system(&mut read, org, system).await?;
        Ok(archive_of(&mut read, system).await?.unwrap_or_default())
    }

    /// Sets the system's archive responsibility (a unit of the organisation, a role).
    pub async fn set_archive_responsibility(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        draft: ArchiveResponsibility,
    ) -> Result<ArchiveResponsibility> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        check_system(&mut tx, org, system).await?;
        if let Some(u) = d.unit_id
            && !tx.exists_in_org("units", org.0, u.0).await?
        {
            return Err(FieldErrors::single("unit_id", UNKNOWN_REFERENCE).into());
        }
        let before = archive_of(&mut tx, system).await?;
        let sql = if before.is_some() {
            "UPDATE archive_responsibilities SET unit_id = $3, role = $4, updated_by = $5, updated_at = $6 \
             WHERE system_id = $1 AND org_id = $2"
        } else {
            "INSERT INTO archive_responsibilities (system_id, org_id, unit_id, role, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6)"
        };
        tx.execute(
            sql,
            params![
                system.0,
                org.0,
                d.unit_id.map(|u| u.0),
                d.role.clone(),
                actor.name.as_str(),
                now()
            ],
        )
        .await?;
        let object = AuditObject::ArchiveResponsibility;
        let change = match &before {
            Some(b) => Change::updated(Some(org), object, system.0, b, &d),
            None => Change::created(Some(org), object, system.0, &d),
        };
        change.commit(tx, actor).await?;
        Ok(d)
    }
}
