//! Erasure records: one row per medium that held a system's data.

use super::opt_word;
use crate::audit::{Actor, Change};
use crate::db::{DbRow, Queryable, Result, now};
use crate::security::check_system;
use crate::{Store, params};
use insyn_domain::decommission::*;
use insyn_domain::*;
use uuid::Uuid;

fn erasure(r: &dyn DbRow) -> Result<Erasure> {
    Ok(Erasure {
        id: r.uuid("id")?,
        system_id: SystemId(r.uuid("system_id")?),
        draft: ErasureDraft {
            medium_type: r.text("medium_type")?,
            serial: r.opt_text("serial")?,
            method: opt_word(r, "method", ErasureMethod::parse)?,
            tool: r.opt_text("tool")?,
            tool_version: r.opt_text("tool_version")?,
            operator: r.opt_text("operator")?,
            erased_on: r.opt_date("erased_on")?,
            verified_by: r.opt_text("verified_by")?,
            verification_method: r.opt_text("verification_method")?,
            verification_result: opt_word(r, "verification_result", VerificationResult::parse)?,
            certificate_reference: r.opt_text("certificate_reference")?,
            note: r.opt_text("note")?,
        },
        updated_by: r.text("updated_by")?,
        updated_at: r.ts("updated_at")?,
    })
}

const COLS: &str = "id, system_id, medium_type, serial, method, tool, tool_version, operator, erased_on, \
     verified_by, verification_method, verification_result, certificate_reference, note, updated_by, updated_at";

/// A system's erasure records, in the order entered.
pub(crate) async fn erasures_of(
    q: &mut impl Queryable,
    org: OrgId,
    system: SystemId,
) -> Result<Vec<Erasure>> {
    q.all(
        &format!("SELECT {COLS} FROM erasures WHERE org_id = $1 AND system_id = $2 ORDER BY id"),
        params![org.0, system.0],
        erasure,
    )
    .await
}

async fn fetch(q: &mut impl Queryable, org: OrgId, system: SystemId, id: Uuid) -> Result<Erasure> {
    q.one(
        &format!("SELECT {COLS} FROM erasures WHERE org_id = $1 AND system_id = $2 AND id = $3"),
        params![org.0, system.0, id],
        erasure,
    )
    .await
}

/// The draft's values after the id, in the order of the columns written.
fn values(d: &ErasureDraft, actor: &Actor) -> Vec<crate::db::P> {
    params![
        d.medium_type.as_str(),
        d.serial.clone(),
        d.method.map(|m| m.as_str()),
        d.tool.clone(),
        d.tool_version.clone(),
        d.operator.clone(),
        d.erased_on,
        d.verified_by.clone(),
        d.verification_method.clone(),
        d.verification_result.map(|v| v.as_str()),
        d.certificate_reference.clone(),
        d.note.clone(),
        actor.name.as_str(),
        now()
    ]
}

impl Store {
    /// A system's erasure records (not found for a system not of the organisation).
    pub async fn erasures(&self, org: OrgId, system: SystemId) -> Result<Vec<Erasure>> {
        let mut read = self.db.read();
        check_system(&mut read, org, system).await?;
        erasures_of(&mut read, org, system).await
    }

    /// One erasure record.
    pub async fn erasure(&self, org: OrgId, system: SystemId, id: Uuid) -> Result<Erasure> {
        fetch(&mut self.db.read(), org, system, id).await
    }

    /// Lists a medium of the system, with its erasure if already done.
    pub async fn add_erasure(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        draft: ErasureDraft,
    ) -> Result<Erasure> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        check_system(&mut tx, org, system).await?;
        let id = Uuid::now_v7();
        let p = [params![id, org.0, system.0], values(&d, actor)].concat();
        tx.execute(
            "INSERT INTO erasures (id, org_id, system_id, medium_type, serial, method, tool, tool_version, \
             operator, erased_on, verified_by, verification_method, verification_result, \
             certificate_reference, note, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
            p,
        )
        .await?;
        let e = fetch(&mut tx, org, system, id).await?;
        Change::created(Some(org), AuditObject::Erasure, id, &e.draft)
            .commit(tx, actor)
            .await?;
        Ok(e)
    }

    /// Changes an erasure record as a whole (e.g. the erasure done and verified).
    pub async fn update_erasure(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        id: Uuid,
        draft: ErasureDraft,
    ) -> Result<Erasure> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, system, id).await?;
        let p = [params![id], values(&d, actor)].concat();
        tx.execute(
            "UPDATE erasures SET medium_type = $2, serial = $3, method = $4, tool = $5, tool_version = $6, \
             operator = $7, erased_on = $8, verified_by = $9, verification_method = $10, \
             verification_result = $11, certificate_reference = $12, note = $13, updated_by = $14, \
             updated_at = $15 WHERE id = $1",
            p,
        )
        .await?;
        let after = fetch(&mut tx, org, system, id).await?;
        Change::updated(
            Some(org),
            AuditObject::Erasure,
            id,
            &before.draft,
            &after.draft,
        )
        .commit(tx, actor)
        .await?;
        Ok(after)
    }

    /// Removes an erasure record (a medium listed by mistake; the trail keeps it).
    pub async fn remove_erasure(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        id: Uuid,
    ) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, system, id).await?;
        tx.execute("DELETE FROM erasures WHERE id = $1", params![id])
            .await?;
        Change::new(
            Some(org),
            AuditAction::Remove,
            AuditObject::Erasure,
            id,
            crate::audit::diff(Some(&before.draft), None),
        )
        .commit(tx, actor)
        .await
    }
}
