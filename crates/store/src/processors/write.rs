//! Recording, changing and removing a processor agreement: each one
//! transaction with its audit record.

use super::fetch;
use crate::audit::{Actor, Change, diff};
use crate::db::{Queryable, Result, Tx, now};
use crate::links::{check_supplier_and_systems, unknown};
use crate::{Store, StoreError, params};
use chrono::NaiveDate;
use insyn_domain::contract::ContractKind;
use insyn_domain::processor::*;
use insyn_domain::*;
use uuid::Uuid;

/// The supplier, the systems and the contract the draft names, each of the
/// organisation; the contract a processor agreement with that supplier.
async fn check(tx: &mut Tx, org: OrgId, d: &ProcessorDraft) -> Result<()> {
    check_supplier_and_systems(tx, org, d.supplier_id, &d.system_ids).await?;
    if let Some(c) = d.contract_id {
        let n = tx
            .count(
                "SELECT COUNT(*) AS n FROM contracts WHERE org_id = $1 AND id = $2 AND kind = $3 AND supplier_id = $4",
                params![org.0, c.0, ContractKind::ProcessorAgreement.as_str(), d.supplier_id.0],
            )
            .await?;
        if n == 0 {
            return Err(unknown("contract_id"));
        }
    }
    Ok(())
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// Writes the draft onto the agreement's row and its systems.
async fn write_fields(
    tx: &mut Tx,
    org: OrgId,
    id: ProcessorAgreementId,
    d: &ProcessorDraft,
) -> Result<()> {
    tx.execute(
        "UPDATE processor_agreements SET supplier_id = $3, contract_id = $4, reference = $5, signed_on = $6, \
         ends_on = $7, terminated_on = $8, sub_processors = $9, transfers = $10, review_interval_months = $11, \
         last_review_on = $12, note = $13, updated_at = $14 WHERE org_id = $1 AND id = $2",
        params![org.0, id.0, d.supplier_id.0, d.contract_id.map(|c| c.0), d.reference.clone(),
            d.signed_on, d.ends_on, d.terminated_on, json(&d.sub_processors), json(&d.transfers),
            d.review_interval_months.map(i64::from), d.last_review_on, d.note.clone(), now()],
    )
    .await?;
    let link = ("processor_agreement_systems", "agreement_id", "system_id");
    let systems: Vec<Uuid> = d.system_ids.iter().map(|s| s.0).collect();
    crate::links::replace_links(tx, link, id.0, org.0, &systems).await
}

impl Store {
    /// Records a processor agreement with one of the organisation's suppliers.
    pub async fn create_processor_agreement(
        &self,
        actor: &Actor,
        org: OrgId,
        draft: ProcessorDraft,
        today: NaiveDate,
    ) -> Result<ProcessorAgreement> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        if !tx.exists("organisations", org.0).await? {
            return Err(StoreError::NotFound);
        }
        check(&mut tx, org, &d).await?;
        let id = ProcessorAgreementId::new();
        tx.execute(
            "INSERT INTO processor_agreements (id, org_id, supplier_id, sub_processors, transfers, created_by, \
             created_at, updated_at) VALUES ($1, $2, $3, '[]', '[]', $4, $5, $5)",
            params![id.0, org.0, d.supplier_id.0, actor.name.as_str(), now()],
        )
        .await?;
        write_fields(&mut tx, org, id, &d).await?;
        let created = fetch(&mut tx, org, id, today).await?;
        Change::created(
            Some(org),
            AuditObject::ProcessorAgreement,
            id.0,
            &created.draft(),
        )
        .commit(tx, actor)
        .await?;
        Ok(created)
    }

    /// Changes a processor agreement.
    pub async fn update_processor_agreement(
        &self,
        actor: &Actor,
        org: OrgId,
        id: ProcessorAgreementId,
        draft: ProcessorDraft,
        today: NaiveDate,
    ) -> Result<ProcessorAgreement> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id, today).await?;
        check(&mut tx, org, &d).await?;
        write_fields(&mut tx, org, id, &d).await?;
        let after = fetch(&mut tx, org, id, today).await?;
        Change::updated(
            Some(org),
            AuditObject::ProcessorAgreement,
            id.0,
            &before.draft(),
            &after.draft(),
        )
        .commit(tx, actor)
        .await?;
        Ok(after)
    }

    /// Removes a processor agreement; the trail keeps what it was.
    pub async fn remove_processor_agreement(
        &self,
        actor: &Actor,
        org: OrgId,
        id: ProcessorAgreementId,
    ) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id, now().date_naive()).await?;
        for sql in [
            "DELETE FROM processor_agreement_systems WHERE agreement_id = $1",
            "DELETE FROM processing_record_agreements WHERE agreement_id = $1",
            "DELETE FROM processor_agreements WHERE id = $1",
        ] {
            tx.execute(sql, params![id.0]).await?;
        }
        Change::new(
            Some(org),
            AuditAction::Remove,
            AuditObject::ProcessorAgreement,
            id.0,
            diff(Some(&before.draft()), None),
        )
        .commit(tx, actor)
        .await
    }
}
