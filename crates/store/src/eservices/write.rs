//! Creating, editing and removing an e-service, and choosing which of the
//! e-services' fields are public: each one transaction with its audit record.

use super::{fetch, joined};
use crate::audit::{Actor, Change, diff};
use crate::db::{Queryable, Result, Tx, now};
use crate::links::replace_links;
use crate::security::secrecy::write_marks;
use crate::{Store, StoreError, params};
use chrono::NaiveDate;
use insyn_domain::eservice::public::{EServiceField, EServiceSecrecy};
use insyn_domain::eservice::*;
use insyn_domain::validation::{FieldErrors, UNKNOWN_REFERENCE};
use insyn_domain::*;
use uuid::Uuid;

const SYSTEMS: (&str, &str, &str) = ("eservice_systems", "eservice_id", "system_id");

/// The unit and the systems are the organisation's.
async fn check(tx: &mut Tx, org: OrgId, d: &EServiceDraft) -> Result<()> {
    if let Some(u) = d.unit_id
        && !tx.exists_in_org("units", org.0, u.0).await?
    {
        return Err(StoreError::Invalid(FieldErrors::single(
            "unit_id",
            UNKNOWN_REFERENCE,
        )));
    }
    for s in &d.system_ids {
        if !tx.exists_in_org("systems", org.0, s.0).await? {
            return Err(StoreError::Invalid(FieldErrors::single(
                "system_ids",
                UNKNOWN_REFERENCE,
            )));
        }
    }
    Ok(())
}

/// Writes the draft onto the e-service's row, its systems and criteria.
async fn write_fields(
    tx: &mut Tx,
    org: OrgId,
    id: EServiceId,
    d: &EServiceDraft,
    actor: &Actor,
) -> Result<()> {
    tx.execute(
        "UPDATE eservices SET unit_id = $3, name = $4, description = $5, url = $6, owner = $7, \
         step = $8, target_groups = $9, other_target_groups = $10, goal_areas = $11, \
         statement_url = $12, statement_date = $13, accessibility_status = $14, \
         statement_reviewed_on = $15, published = $16, updated_by = $17, updated_at = $18 \
         WHERE org_id = $1 AND id = $2",
        params![
            org.0,
            id.0,
            d.unit_id.map(|u| u.0),
            d.name.clone(),
            d.description.clone(),
            d.url.clone(),
            d.owner.clone(),
            d.step.as_str(),
            joined(&d.target_groups, EServiceTargetGroup::as_str),
            d.other_target_groups.clone(),
            joined(&d.goal_areas, EServiceGoalArea::as_str),
            d.statement_url.clone(),
            d.statement_date,
            d.accessibility_status.map(|s| s.as_str()),
            d.statement_reviewed_on,
            d.published,
            actor.name.as_str(),
            now()
        ],
    )
    .await?;
    let systems: Vec<Uuid> = d.system_ids.iter().map(|s| s.0).collect();
    replace_links(tx, SYSTEMS, id.0, org.0, &systems).await?;
    tx.execute(
        "DELETE FROM eservice_criteria WHERE eservice_id = $1",
        params![id.0],
    )
    .await?;
    for c in &d.criteria {
        tx.execute(
            "INSERT INTO eservice_criteria (eservice_id, criterion, org_id, verdict, note) \
             VALUES ($1, $2, $3, $4, $5)",
            params![
                id.0,
                c.criterion.as_str(),
                org.0,
                c.verdict.as_str(),
                c.note.clone()
            ],
        )
        .await?;
    }
    Ok(())
}

impl Store {
    /// Records an e-service of the organisation.
    pub async fn create_eservice(
        &self,
        actor: &Actor,
        org: OrgId,
        draft: EServiceDraft,
        today: NaiveDate,
    ) -> Result<EService> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        if !tx.exists("organisations", org.0).await? {
            return Err(StoreError::NotFound);
        }
        check(&mut tx, org, &d).await?;
        let id = EServiceId::new();
        let at = now();
        tx.execute(
            "INSERT INTO eservices (id, org_id, name, step, target_groups, goal_areas, \
             created_by, created_at, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, '', '', $5, $6, $5, $6)",
            params![
                id.0,
                org.0,
                d.name.clone(),
                d.step.as_str(),
                actor.name.as_str(),
                at
            ],
        )
        .await?;
        write_fields(&mut tx, org, id, &d, actor).await?;
        let created = fetch(&mut tx, org, id, today).await?;
        Change::created(Some(org), AuditObject::EService, id.0, &created.draft)
            .commit(tx, actor)
            .await?;
        Ok(created)
    }

    /// Changes an e-service as a whole.
    pub async fn update_eservice(
        &self,
        actor: &Actor,
        org: OrgId,
        id: EServiceId,
        draft: EServiceDraft,
        today: NaiveDate,
    ) -> Result<EService> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id, today).await?;
        check(&mut tx, org, &d).await?;
        write_fields(&mut tx, org, id, &d, actor).await?;
        let after = fetch(&mut tx, org, id, today).await?;
        Change::updated(
            Some(org),
            AuditObject::EService,
            id.0,
            &before.draft,
            &after.draft,
        )
        .commit(tx, actor)
        .await?;
        Ok(after)
    }

    /// Removes an e-service; the trail keeps what it was.
    pub async fn remove_eservice(&self, actor: &Actor, org: OrgId, id: EServiceId) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id, chrono::NaiveDate::MIN).await?;
        for table in ["eservice_systems", "eservice_criteria"] {
            tx.execute(
                &format!("DELETE FROM {table} WHERE eservice_id = $1"),
                params![id.0],
            )
            .await?;
        }
        tx.execute("DELETE FROM eservices WHERE id = $1", params![id.0])
            .await?;
        Change::new(
            Some(org),
            AuditAction::Remove,
            AuditObject::EService,
            id.0,
            diff(Some(&before.draft), None),
        )
        .commit(tx, actor)
        .await
    }

    /// Which kinds of the e-services' fields the organisation shows the
    /// public: every kind, with whether it is public (defaults filled in).
    pub async fn eservice_public_fields(&self, org: OrgId) -> Result<Vec<(String, bool)>> {
        Ok(EServiceSecrecy::from_marks(&self.eservice_marks(org).await?).marks())
    }

    pub(crate) async fn eservice_marks(&self, org: OrgId) -> Result<Vec<(String, bool)>> {
        self.db
            .read()
            .all(
                "SELECT field, public FROM eservice_public_fields WHERE org_id = $1",
                params![org.0],
                |r| Ok((r.text("field")?, r.bool("public")?)),
            )
            .await
    }

    /// Marks kinds of field public or not; a kind not named keeps its
    /// marking, an unknown one is refused on its own name.
    pub async fn set_eservice_public_fields(
        &self,
        actor: &Actor,
        org: OrgId,
        fields: &[(String, bool)],
    ) -> Result<Vec<(String, bool)>> {
        if let Some((bad, _)) = fields
            .iter()
            .find(|(f, _)| EServiceField::parse(f).is_none())
        {
            let mut e = FieldErrors::new();
            let known: Vec<&str> = EServiceField::ALL.iter().map(|f| f.as_str()).collect();
            e.add_choice(bad, &known);
            return Err(StoreError::Invalid(e));
        }
        let before = self.eservice_public_fields(org).await?;
        let mut tx = self.db.begin().await?;
        if !tx.exists("organisations", org.0).await? {
            return Err(StoreError::NotFound);
        }
        let marks = ("eservice_public_fields", "public");
        let changes = write_marks(&mut tx, marks, org, fields, &before).await?;
        Change::new(
            Some(org),
            AuditAction::Update,
            AuditObject::EServicePublicFields,
            org.0,
            changes,
        )
        .commit(tx, actor)
        .await?;
        self.eservice_public_fields(org).await
    }
}
