//! Continuity per system: the requirements (`system_continuity`, the one
//! source of a system's RTO, RPO and MTD), its backups, and its restore tests
//! (`restore.rs`). Every write is one transaction with its audit record.

mod planned;
mod restore;

pub(crate) use restore::failed_restore_tests;
pub use restore::{RESTORE_TEST_CONTROL, RestoreTestView};

use crate::audit::{Actor, Change};
use crate::db::{DbRow, P, Queryable, Result, now};
use crate::security::check_system;
use crate::system_child::SystemChild;
use crate::{Store, params};
use insyn_domain::continuity::*;
use insyn_domain::validation::FieldErrors;
use insyn_domain::*;
use uuid::Uuid;

fn continuity(r: &dyn DbRow) -> Result<Continuity> {
    Ok(Continuity {
        system_id: SystemId(r.uuid("system_id")?),
        requirements: Requirements {
            rto_minutes: r.opt_i64("rto_minutes")?,
            rpo_minutes: r.opt_i64("rpo_minutes")?,
            mtd_minutes: r.opt_i64("mtd_minutes")?,
            critical_periods: r.opt_text("critical_periods")?,
            fallback_routine: r.opt_text("fallback_routine")?,
        },
        updated_by: r.text("updated_by")?,
        updated_at: r.ts("updated_at")?,
    })
}

/// The system's requirements, if any were set.
pub(crate) async fn requirements_of(
    q: &mut impl Queryable,
    system: SystemId,
) -> Result<Option<Continuity>> {
    q.opt(
        "SELECT system_id, rto_minutes, rpo_minutes, mtd_minutes, critical_periods, fallback_routine, \
         updated_by, updated_at FROM system_continuity WHERE system_id = $1",
        params![system.0],
        continuity,
    )
    .await
}

fn backup(r: &dyn DbRow) -> Result<Backup> {
    Ok(Backup {
        id: r.uuid("id")?,
        system_id: SystemId(r.uuid("system_id")?),
        draft: BackupDraft {
            what: r.text("what")?,
            location: r.opt_text("location")?,
            frequency: r.opt_text("frequency")?,
            retention: r.opt_text("retention")?,
            responsible: r.opt_text("responsible")?,
            note: r.opt_text("note")?,
        },
        updated_by: r.text("updated_by")?,
        updated_at: r.ts("updated_at")?,
    })
}

impl SystemChild for Backup {
    type Draft = BackupDraft;
    const TABLE: &'static str = "system_backups";
    const DRAFT_COLS: &'static [&'static str] = &[
        "what",
        "location",
        "frequency",
        "retention",
        "responsible",
        "note",
    ];
    const ORDER: &'static str = "id";
    const OBJECT: AuditObject = AuditObject::Backup;

    fn validated(d: BackupDraft) -> std::result::Result<BackupDraft, FieldErrors> {
        d.validate()
    }

    fn read(r: &dyn DbRow) -> Result<Self> {
        backup(r)
    }

    fn draft(&self) -> &BackupDraft {
        &self.draft
    }

    fn values(d: &BackupDraft) -> Vec<P> {
        params![
            d.what.as_str(),
            d.location.clone(),
            d.frequency.clone(),
            d.retention.clone(),
            d.responsible.clone(),
            d.note.clone()
        ]
    }
}

impl Store {
    /// A system's continuity requirements (none until set).
    pub async fn continuity(&self, org: OrgId, system: SystemId) -> Result<Option<Continuity>> {
        let mut read = self.db.read();
        check_system(&mut read, org, system).await?;
        requirements_of(&mut read, system).await
    }

    /// Sets a system's continuity requirements.
    pub async fn set_continuity(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        draft: Requirements,
    ) -> Result<Continuity> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        check_system(&mut tx, org, system).await?;
        let before = requirements_of(&mut tx, system).await?;
        let at = now();
        let sql = if before.is_some() {
            "UPDATE system_continuity SET rto_minutes = $2, rpo_minutes = $3, mtd_minutes = $4, \
             critical_periods = $5, fallback_routine = $6, updated_by = $7, updated_at = $8 WHERE system_id = $1"
        } else {
            "INSERT INTO system_continuity (system_id, rto_minutes, rpo_minutes, mtd_minutes, \
             critical_periods, fallback_routine, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        };
        tx.execute(
            sql,
            params![
                system.0,
                d.rto_minutes,
                d.rpo_minutes,
                d.mtd_minutes,
                d.critical_periods.clone(),
                d.fallback_routine.clone(),
                actor.name.as_str(),
                at
            ],
        )
        .await?;
        let after = Continuity {
            system_id: system,
            requirements: d,
            updated_by: actor.name.clone(),
            updated_at: at,
        };
        let object = AuditObject::SystemContinuity;
        let change = match &before {
            Some(b) => Change::updated(
                Some(org),
                object,
                system.0,
                &b.requirements,
                &after.requirements,
            ),
            None => Change::created(Some(org), object, system.0, &after.requirements),
        };
        change.commit(tx, actor).await?;
        Ok(after)
    }

    /// A system's backups, in the order entered (not found for a system not
    /// of the organisation).
    pub async fn backups(&self, org: OrgId, system: SystemId) -> Result<Vec<Backup>> {
        self.children(org, system).await
    }

    /// Adds a backup to a system.
    pub async fn add_backup(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        draft: BackupDraft,
    ) -> Result<Backup> {
        self.add_child(actor, org, system, draft).await
    }

    /// Changes a backup.
    pub async fn update_backup(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        id: Uuid,
        draft: BackupDraft,
    ) -> Result<Backup> {
        self.update_child(actor, org, system, id, draft).await
    }

    /// Removes a backup (the trail keeps what it was).
    pub async fn remove_backup(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        id: Uuid,
    ) -> Result<()> {
        self.remove_child::<Backup>(actor, org, system, id).await
    }
}
