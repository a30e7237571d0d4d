//! Creating, editing and removing a contract: each one transaction with
//! its audit record.

use super::dates::store_dates;
use super::fetch;
use crate::audit::{Actor, Change, diff};
use crate::db::{Queryable, Result, Tx, now};
use crate::links::{check_supplier_and_systems, unknown};
use crate::{Store, StoreError, params};
use chrono::NaiveDate;
use insyn_domain::contract::*;
use insyn_domain::*;
use uuid::Uuid;

/// The supplier, the systems and the role the draft names, each of the
/// organisation.
async fn check(tx: &mut Tx, org: OrgId, d: &ContractDraft) -> Result<()> {
    check_supplier_and_systems(tx, org, d.supplier_id, &d.system_ids).await?;
    if let Some(r) = d.responsible_role_id
        && !tx.exists_in_org("role_types", org.0, r.0).await?
    {
        return Err(unknown("responsible_role_id"));
    }
    Ok(())
}

fn n(m: u32) -> i64 {
    i64::from(m)
}

/// Writes the draft onto the contract's row and its systems.
async fn write_fields(tx: &mut Tx, org: OrgId, id: ContractId, d: &ContractDraft) -> Result<()> {
    tx.execute(
        "UPDATE contracts SET name = $3, supplier_id = $4, kind = $5, reference = $6, diary_number = $7, \
         procurement = $8, procurement_reference = $9, signed_on = $10, start_date = $11, initial_months = $12, \
         end_date = $13, renewal = $14, renewal_months = $15, options_count = $16, options_used = $17, \
         customer_notice_months = $18, customer_notice_end_of = $19, supplier_notice_months = $20, \
         supplier_notice_end_of = $21, notice_given_on = $22, notice_given_by = $23, value_sek = $24, \
         yearly_cost_sek = $25, responsible_role_id = $26, note = $27, updated_at = $28 \
         WHERE org_id = $1 AND id = $2",
        params![org.0, id.0, d.name.clone(), d.supplier_id.0, d.kind.as_str(), d.reference.clone(),
            d.diary_number.clone(), d.procurement.clone(), d.procurement_reference.clone(), d.signed_on,
            d.start_date, d.initial_months.map(n), d.end_date, d.renewal.as_str(), d.renewal_months.map(n),
            n(d.options_count), n(d.options_used), n(d.customer_notice_months), d.customer_notice_end_of.as_str(),
            n(d.supplier_notice_months), d.supplier_notice_end_of.as_str(), d.notice_given_on,
            d.notice_given_by.map(|p| p.as_str()), d.value_sek, d.yearly_cost_sek,
            d.responsible_role_id.map(|r| r.0), d.note.clone(), now()],
    )
    .await?;
    let link = ("contract_systems", "contract_id", "system_id");
    let systems: Vec<Uuid> = d.system_ids.iter().map(|s| s.0).collect();
    crate::links::replace_links(tx, link, id.0, org.0, &systems).await
}

impl Store {
    /// Records a contract with one of the organisation's suppliers.
    pub async fn create_contract(
        &self,
        actor: &Actor,
        org: OrgId,
        draft: ContractDraft,
        today: NaiveDate,
    ) -> Result<Contract> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        if !tx.exists("organisations", org.0).await? {
            return Err(StoreError::NotFound);
        }
        check(&mut tx, org, &d).await?;
        let id = ContractId::new();
        tx.execute(
            "INSERT INTO contracts (id, org_id, name, supplier_id, kind, renewal, options_count, options_used, \
             customer_notice_months, customer_notice_end_of, supplier_notice_months, supplier_notice_end_of, \
             created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'none', 0, 0, 0, 'day', 0, 'day', $6, $7, $7)",
            params![id.0, org.0, d.name.clone(), d.supplier_id.0, d.kind.as_str(), actor.name.as_str(), now()],
        )
        .await?;
        write_fields(&mut tx, org, id, &d).await?;
        let created = fetch(&mut tx, org, id, today).await?;
        store_dates(&mut tx, &created, today).await?;
        Change::created(Some(org), AuditObject::Contract, id.0, &created.draft())
            .commit(tx, actor)
            .await?;
        Ok(created)
    }

    /// Changes a contract; a changed date moves its last notice day and so
    /// re-arms its reminders.
    pub async fn update_contract(
        &self,
        actor: &Actor,
        org: OrgId,
        id: ContractId,
        draft: ContractDraft,
        today: NaiveDate,
    ) -> Result<Contract> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id, today).await?;
        check(&mut tx, org, &d).await?;
        write_fields(&mut tx, org, id, &d).await?;
        let after = fetch(&mut tx, org, id, today).await?;
        store_dates(&mut tx, &after, today).await?;
        Change::updated(
            Some(org),
            AuditObject::Contract,
            id.0,
            &before.draft(),
            &after.draft(),
        )
        .commit(tx, actor)
        .await?;
        Ok(after)
    }

    /// Removes a contract; the trail keeps what it was.
    pub async fn remove_contract(&self, actor: &Actor, org: OrgId, id: ContractId) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id, now().date_naive()).await?;
        for sql in [
            "UPDATE processor_agreements SET contract_id = NULL WHERE contract_id = $1",
            "UPDATE licences SET contract_id = NULL WHERE contract_id = $1",
            "UPDATE it_services SET contract_id = NULL WHERE contract_id = $1",
            "DELETE FROM contract_systems WHERE contract_id = $1",
            "DELETE FROM contracts WHERE id = $1",
        ] {
            tx.execute(sql, params![id.0]).await?;
        }
        Change::new(
            Some(org),
            AuditAction::Remove,
            AuditObject::Contract,
            id.0,
            diff(Some(&before.draft()), None),
        )
        .commit(tx, actor)
        .await
    }
}
