//! Creating, editing and removing an integration: each one transaction with
//! its audit record.

use super::{fetch, unknown};
use crate::audit::{Actor, Change, diff};
use crate::db::{Queryable, Result, Tx, now};
use crate::{Store, StoreError, params};
use insyn_domain::integration::*;
use insyn_domain::validation::FieldErrors;
use insyn_domain::*;

/// The systems, the person and the information sets the draft names, each
/// of the organisation; each set of the from-system or the to-system.
async fn check(tx: &mut Tx, org: OrgId, d: &IntegrationDraft) -> Result<()> {
    for (field, s) in [
        ("from_system_id", d.from_system_id),
        ("to_system_id", d.to_system_id),
    ] {
        if !tx.exists_in_org("systems", org.0, s.0).await? {
            return Err(unknown(field));
        }
    }
    if let Some(p) = d.responsible_id
        && !tx.exists_in_org("people", org.0, p.0).await?
    {
        return Err(unknown("responsible_id"));
    }
    for s in &d.information_set_ids {
        let of = tx
            .opt(
                "SELECT system_id FROM information_sets WHERE org_id = $1 AND id = $2",
                params![org.0, *s],
                |r| r.uuid("system_id"),
            )
            .await?;
        match of {
            None => return Err(unknown("information_set_ids")),
            Some(sys) if sys != d.from_system_id.0 && sys != d.to_system_id.0 => {
                return Err(StoreError::Invalid(FieldErrors::single(
                    "information_set_ids",
                    SET_NOT_OF_SYSTEMS,
                )));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Writes the draft onto the integration's row and its sets.
async fn write_fields(
    tx: &mut Tx,
    org: OrgId,
    id: IntegrationId,
    d: &IntegrationDraft,
) -> Result<()> {
    tx.execute(
        "UPDATE integrations SET from_system_id = $3, to_system_id = $4, direction = $5, interface = $6, frequency = $7, \
         criticality = $8, responsible_id = $9, note = $10, updated_at = $11 WHERE org_id = $1 AND id = $2",
        params![org.0, id.0, d.from_system_id.0, d.to_system_id.0, d.direction.as_str(), d.interface.clone(),
            d.frequency.as_str(), d.criticality.as_str(), d.responsible_id.map(|p| p.0), d.note.clone(), now()],
    )
    .await?;
    tx.execute(
        "DELETE FROM integration_information_sets WHERE integration_id = $1",
        params![id.0],
    )
    .await?;
    for s in &d.information_set_ids {
        tx.execute(
            "INSERT INTO integration_information_sets (integration_id, information_set_id, org_id) VALUES ($1, $2, $3)",
            params![id.0, *s, org.0],
        )
        .await?;
    }
    Ok(())
}

impl Store {
    /// Records an integration between two of the organisation's systems.
    pub async fn create_integration(
        &self,
        actor: &Actor,
        org: OrgId,
        draft: IntegrationDraft,
    ) -> Result<Integration> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        if !tx.exists("organisations", org.0).await? {
            return Err(StoreError::NotFound);
        }
        check(&mut tx, org, &d).await?;
        let id = IntegrationId::new();
        let at = now();
        tx.execute(
            "INSERT INTO integrations (id, org_id, from_system_id, to_system_id, direction, frequency, criticality, \
             created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
            params![id.0, org.0, d.from_system_id.0, d.to_system_id.0, d.direction.as_str(), d.frequency.as_str(),
                d.criticality.as_str(), actor.name.as_str(), at],
        )
        .await?;
        write_fields(&mut tx, org, id, &d).await?;
        let created = fetch(&mut tx, org, id).await?;
        Change::created(Some(org), AuditObject::Integration, id.0, &created)
            .commit(tx, actor)
            .await?;
        Ok(created)
    }

    /// Changes an integration.
    pub async fn update_integration(
        &self,
        actor: &Actor,
        org: OrgId,
        id: IntegrationId,
        draft: IntegrationDraft,
    ) -> Result<Integration> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id).await?;
        check(&mut tx, org, &d).await?;
        write_fields(&mut tx, org, id, &d).await?;
        let after = fetch(&mut tx, org, id).await?;
        Change::updated(Some(org), AuditObject::Integration, id.0, &before, &after)
            .commit(tx, actor)
            .await?;
        Ok(after)
    }

    /// Removes an integration; the trail keeps what it was.
    pub async fn remove_integration(
        &self,
        actor: &Actor,
        org: OrgId,
        id: IntegrationId,
    ) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id).await?;
        tx.execute(
            "DELETE FROM integration_information_sets WHERE integration_id = $1",
            params![id.0],
        )
        .await?;
        tx.execute(
            "DELETE FROM integrations WHERE org_id = $1 AND id = $2",
            params![org.0, id.0],
        )
        .await?;
        Change::new(
            Some(org),
            AuditAction::Remove,
            AuditObject::Integration,
            id.0,
            diff(Some(&before), None),
        )
        .commit(tx, actor)
        .await
    }
}
