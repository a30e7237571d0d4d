//! Erasure records: one row per medium that held a system's data.

use super::opt_word;
use crate::audit::Actor;
use crate::db::{DbRow, P, Queryable, Result};
use crate::system_child::{self, SystemChild};
use crate::{Store, params};
use insyn_domain::decommission::*;
use insyn_domain::validation::FieldErrors;
use insyn_domain::*;
use uuid::Uuid;

impl SystemChild for Erasure {
    type Draft = ErasureDraft;
    const TABLE: &'static str = "erasures";
    const DRAFT_COLS: &'static [&'static str] = &[
        "medium_type",
        "serial",
        "method",
        "tool",
        "tool_version",
        "operator",
        "erased_on",
        "verified_by",
        "verification_method",
        "verification_result",
        "certificate_reference",
        "note",
    ];
    const ORDER: &'static str = "id";
    const OBJECT: AuditObject = AuditObject::Erasure;

    fn validated(d: ErasureDraft) -> std::result::Result<ErasureDraft, FieldErrors> {
        d.validate()
    }

    fn read(r: &dyn DbRow) -> Result<Self> {
        erasure(r)
    }

    fn draft(&self) -> &ErasureDraft {
        &self.draft
    }

    fn values(d: &ErasureDraft) -> Vec<P> {
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
            d.note.clone()
        ]
    }
}

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

/// A system's erasure records, in the order entered.
pub(crate) async fn erasures_of(
    q: &mut impl Queryable,
    org: OrgId,
    system: SystemId,
) -> Result<Vec<Erasure>> {
    system_child::all(q, org, system).await
}

impl Store {
    /// A system's erasure records (not found for a system not of the organisation).
    pub async fn erasures(&self, org: OrgId, system: SystemId) -> Result<Vec<Erasure>> {
        self.children(org, system).await
    }

    /// One erasure record.
    pub async fn erasure(&self, org: OrgId, system: SystemId, id: Uuid) -> Result<Erasure> {
        self.child(org, system, id).await
    }

    /// Lists a medium of the system, with its erasure if already done.
    pub async fn add_erasure(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        draft: ErasureDraft,
    ) -> Result<Erasure> {
        self.add_child(actor, org, system, draft).await
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
        self.update_child(actor, org, system, id, draft).await
    }

    /// Removes an erasure record (a medium listed by mistake; the trail keeps it).
    pub async fn remove_erasure(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        id: Uuid,
    ) -> Result<()> {
        self.remove_child::<Erasure>(actor, org, system, id).await
    }
}
