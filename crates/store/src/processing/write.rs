//! Creating, editing and removing a record of processing: each one
//! transaction with its audit record.

use super::{fetch, yes_no};
use crate::audit::{Actor, Change, diff};
use crate::db::{Queryable, Result, Tx, now};
use crate::links::add_links;
use crate::{Store, StoreError, params};
use insyn_domain::processing::*;
use insyn_domain::validation::{FieldErrors, UNKNOWN_REFERENCE};
use insyn_domain::*;
use uuid::Uuid;

fn unknown(field: &str, code: &'static str) -> StoreError {
    StoreError::Invalid(FieldErrors::single(field, code))
}

/// The unit and systems of the organisation, and each set of one of the
/// named systems.
async fn check(tx: &mut Tx, org: OrgId, d: &ProcessingDraft) -> Result<()> {
    if let Some(u) = d.unit_id
        && !tx.exists_in_org("units", org.0, u.0).await?
    {
        return Err(unknown("unit_id", UNKNOWN_REFERENCE));
    }
    for s in &d.system_ids {
        if !tx.exists_in_org("systems", org.0, s.0).await? {
            return Err(unknown("system_ids", UNKNOWN_REFERENCE));
        }
    }
    for a in &d.processor_agreement_ids {
        if !tx.exists_in_org("processor_agreements", org.0, a.0).await? {
            return Err(unknown("processor_agreement_ids", UNKNOWN_REFERENCE));
        }
    }
    for set in &d.information_set_ids {
        let system = tx
            .opt(
                "SELECT system_id FROM information_sets WHERE org_id = $1 AND id = $2",
                params![org.0, *set],
                |r| r.uuid("system_id"),
            )
            .await?;
        match system {
            None => return Err(unknown("information_set_ids", UNKNOWN_REFERENCE)),
            Some(s) if !d.system_ids.contains(&SystemId(s)) => {
                return Err(unknown("information_set_ids", UNKNOWN_SET));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Writes the draft onto the record's row and its linked rows.
async fn write_fields(
    tx: &mut Tx,
    org: OrgId,
    id: ProcessingRecordId,
    d: &ProcessingDraft,
    actor: &Actor,
) -> Result<()> {
    tx.execute(
        "UPDATE processing_records SET unit_id = $3, name = $4, contact = $5, purposes = $6, \
         legal_basis = $7, legal_reference = $8, data_subjects = $9, data_categories = $10, \
         sensitive_data = $11, offence_data = $12, personal_numbers = $13, recipients = $14, \
         processors = $15, retention = $16, security_measures = $17, dpia_required = $18, \
         dpia_reason = $19, dpia_date = $20, dpia_result = $21, dpia_next_review = $22, \
         updated_by = $23, updated_at = $24 WHERE org_id = $1 AND id = $2",
        params![
            org.0,
            id.0,
            d.unit_id.map(|u| u.0),
            d.name.clone(),
            d.contact.clone(),
            d.purposes.clone(),
            d.legal_basis.map(|b| b.as_str()),
            d.legal_reference.clone(),
            d.data_subjects.clone(),
            d.data_categories.clone(),
            d.sensitive_data,
            d.offence_data,
            d.personal_numbers,
            d.recipients.clone(),
            d.processors.clone(),
            d.retention.clone(),
            d.security_measures.clone(),
            yes_no(d.dpia_required),
            d.dpia_reason.clone(),
            d.dpia_date,
            d.dpia_result.clone(),
            d.dpia_next_review,
            actor.name.as_str(),
            now()
        ],
    )
    .await?;
    clear_links(tx, id).await?;
    let ids: Vec<Uuid> = d.system_ids.iter().map(|s| s.0).collect();
    let systems = (
        "processing_record_systems",
        "processing_record_id",
        "system_id",
    );
    add_links(tx, systems, id.0, org.0, &ids).await?;
    let sets = (
        "processing_record_sets",
        "processing_record_id",
        "information_set_id",
    );
    add_links(tx, sets, id.0, org.0, &d.information_set_ids).await?;
    let agreements = (
        "processing_record_agreements",
        "processing_record_id",
        "agreement_id",
    );
    let ids: Vec<Uuid> = d.processor_agreement_ids.iter().map(|a| a.0).collect();
    add_links(tx, agreements, id.0, org.0, &ids).await?;
    for (i, t) in d.transfers.iter().enumerate() {
        tx.execute(
            "INSERT INTO processing_transfers (processing_record_id, position, org_id, country, mechanism) \
             VALUES ($1, $2, $3, $4, $5)",
            params![id.0, i as i64, org.0, t.country.clone(), t.mechanism.clone()],
        )
        .await?;
    }
    Ok(())
}

async fn clear_links(tx: &mut Tx, id: ProcessingRecordId) -> Result<()> {
    for table in [
        "processing_record_systems",
        "processing_record_sets",
        "processing_record_agreements",
        "processing_transfers",
    ] {
        tx.execute(
            &format!("DELETE FROM {table} WHERE processing_record_id = $1"),
            params![id.0],
        )
        .await?;
    }
    Ok(())
}

impl Store {
    /// Records a processing for a controller of the organisation (a unit, or
    /// the organisation itself).
    pub async fn create_processing_record(
        &self,
        actor: &Actor,
        org: OrgId,
        draft: ProcessingDraft,
    ) -> Result<ProcessingRecord> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        if !tx.exists("organisations", org.0).await? {
            return Err(StoreError::NotFound);
        }
        check(&mut tx, org, &d).await?;
        let id = ProcessingRecordId::new();
        let at = now();
        tx.execute(
            "INSERT INTO processing_records (id, org_id, name, created_by, created_at, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $4, $5)",
            params![id.0, org.0, d.name.clone(), actor.name.as_str(), at],
        )
        .await?;
        write_fields(&mut tx, org, id, &d, actor).await?;
        let created = fetch(&mut tx, org, id).await?;
        Change::created(
            Some(org),
            AuditObject::ProcessingRecord,
            id.0,
            &created.draft,
        )
        .commit(tx, actor)
        .await?;
        Ok(created)
    }

    /// Changes a record of processing as a whole.
    pub async fn update_processing_record(
        &self,
        actor: &Actor,
        org: OrgId,
        id: ProcessingRecordId,
        draft: ProcessingDraft,
    ) -> Result<ProcessingRecord> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id).await?;
        check(&mut tx, org, &d).await?;
        write_fields(&mut tx, org, id, &d, actor).await?;
        let after = fetch(&mut tx, org, id).await?;
        Change::updated(
            Some(org),
            AuditObject::ProcessingRecord,
            id.0,
            &before.draft,
            &after.draft,
        )
        .commit(tx, actor)
        .await?;
        Ok(after)
    }

    /// Removes a record of processing; the trail keeps what it was.
    pub async fn remove_processing_record(
        &self,
        actor: &Actor,
        org: OrgId,
        id: ProcessingRecordId,
    ) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id).await?;
        clear_links(&mut tx, id).await?;
        tx.execute(
            "DELETE FROM processing_records WHERE id = $1",
            params![id.0],
        )
        .await?;
        Change::new(
            Some(org),
            AuditAction::Remove,
            AuditObject::ProcessingRecord,
            id.0,
            diff(Some(&before.draft), None),
        )
        .commit(tx, actor)
        .await
    }
}
