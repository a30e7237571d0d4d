//! Defining, changing and removing an IT service: each one transaction
//! with its audit record.

use super::fetch;
use crate::audit::{Actor, Change, diff};
use crate::db::{Queryable, Result, Tx, now};
use crate::{Store, StoreError, name_key, name_taken, params};
use insyn_domain::it_service::*;
use insyn_domain::validation::{FieldErrors, UNKNOWN_CHOICE};
use insyn_domain::*;
use uuid::Uuid;

/// What the draft refers to, each of the organisation.
async fn check(tx: &mut Tx, org: OrgId, d: &ServiceDraft) -> Result<()> {
    let refs = [
        ("units", "unit_id", d.unit_id.map(|u| u.0)),
        ("suppliers", "supplier_id", d.supplier_id.map(|s| s.0)),
        ("people", "owner_id", d.owner_id.map(|p| p.0)),
        ("contracts", "contract_id", d.contract_id.map(|c| c.0)),
    ];
    let systems = d
        .system_ids
        .iter()
        .map(|s| ("systems", "system_ids", Some(s.0)));
    for (table, field, id) in refs.into_iter().chain(systems) {
        if let Some(id) = id
            && !tx.exists_in_org(table, org.0, id).await?
        {
            return Err(StoreError::Invalid(FieldErrors::single(
                field,
                UNKNOWN_CHOICE,
            )));
        }
    }
    Ok(())
}

/// Writes the draft onto the service's row and its systems.
async fn write_fields(tx: &mut Tx, org: OrgId, id: ItServiceId, d: &ServiceDraft) -> Result<()> {
    let l = &d.levels;
    tx.execute(
        "UPDATE it_services SET name = $3, name_key = $4, description = $5, unit_id = $6, supplier_id = $7, \
         owner_id = $8, yearly_cost = $9, contract_id = $10, availability_target_milli = $11, \
         support_hours = $12, response_hours = $13, resolution_hours = $14, updated_at = $15 \
         WHERE org_id = $1 AND id = $2",
        params![org.0, id.0, d.name.as_str(), name_key(&d.name), d.description.clone(),
            d.unit_id.map(|u| u.0), d.supplier_id.map(|s| s.0), d.owner_id.map(|p| p.0),
            d.yearly_cost, d.contract_id.map(|c| c.0), l.availability_target.map(milli),
            l.support_hours.clone(), l.response_hours.map(i64::from),
            l.resolution_hours.map(i64::from), now()],
    )
    .await
    .map_err(name_taken)?;
    let link = ("it_service_systems", "service_id", "system_id");
    let systems: Vec<Uuid> = d.system_ids.iter().map(|s| s.0).collect();
    crate::links::replace_links(tx, link, id.0, org.0, &systems).await
}

impl Store {
    /// Defines an IT service of the organisation.
    pub async fn create_it_service(
        &self,
        actor: &Actor,
        org: OrgId,
        draft: ServiceDraft,
    ) -> Result<Service> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        if !tx.exists("organisations", org.0).await? {
            return Err(StoreError::NotFound);
        }
        check(&mut tx, org, &d).await?;
        let id = ItServiceId::new();
        tx.execute(
            "INSERT INTO it_services (id, org_id, name, name_key, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
            params![id.0, org.0, d.name.as_str(), name_key(&d.name), actor.name.as_str(), now()],
        )
        .await
        .map_err(name_taken)?;
        write_fields(&mut tx, org, id, &d).await?;
        let created = fetch(&mut tx, org, id).await?;
        Change::created(Some(org), AuditObject::ItService, id.0, &created.draft())
            .commit(tx, actor)
            .await?;
        Ok(created)
    }

    /// Changes an IT service.
    pub async fn update_it_service(
        &self,
        actor: &Actor,
        org: OrgId,
        id: ItServiceId,
        draft: ServiceDraft,
    ) -> Result<Service> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id).await?;
        check(&mut tx, org, &d).await?;
        write_fields(&mut tx, org, id, &d).await?;
        let after = fetch(&mut tx, org, id).await?;
        Change::updated(
            Some(org),
            AuditObject::ItService,
            id.0,
            &before.draft(),
            &after.draft(),
        )
        .commit(tx, actor)
        .await?;
        Ok(after)
    }

    /// Removes an IT service with its follow-ups; the trail keeps what it was.
    pub async fn remove_it_service(
        &self,
        actor: &Actor,
        org: OrgId,
        id: ItServiceId,
    ) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id).await?;
        for sql in [
            "DELETE FROM it_service_follow_ups WHERE service_id = $1",
            "DELETE FROM it_service_systems WHERE service_id = $1",
            "DELETE FROM it_services WHERE id = $1",
        ] {
            tx.execute(sql, params![id.0]).await?;
        }
        Change::new(
            Some(org),
            AuditAction::Remove,
            AuditObject::ItService,
            id.0,
            diff(Some(&before.draft()), None),
        )
        .commit(tx, actor)
        .await
    }
}
