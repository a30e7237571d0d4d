//! The organisation tree: nämnd → förvaltning → kontor/avdelning → enhet.
//! Level names are data.

use crate::audit::{Actor, Change};
use crate::db::{DbRow, Queryable, Result, Tx, now};
use crate::{Store, StoreError, params};
use insyn_domain::validation as v;
use insyn_domain::*;
use serde::Serialize;

pub(crate) const COLS: &str =
    "id, org_id, parent_id, name, level, manager_id, archived, updated_at";

pub(crate) fn unit(r: &dyn DbRow) -> Result<Unit> {
    Ok(Unit {
        id: UnitId(r.uuid("id")?),
        org_id: OrgId(r.uuid("org_id")?),
        parent_id: r.opt_uuid("parent_id")?.map(UnitId),
        name: r.text("name")?,
        level: r.text("level")?,
        manager_id: r.opt_uuid("manager_id")?.map(PersonId),
        archived: r.bool("archived")?,
        updated_at: r.ts("updated_at")?,
    })
}

/// A unit placed in the tree: its depth and how many systems it is responsible for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitNode {
    pub unit: Unit,
    pub depth: usize,
    pub system_count: i64,
}

/// Orders units depth-first under their parents, names alphabetically.
pub fn tree_order(units: Vec<Unit>) -> Vec<(Unit, usize)> {
    let mut out = Vec::with_capacity(units.len());
    let ids: std::collections::HashSet<UnitId> = units.iter().map(|u| u.id).collect();
    fn visit(
        parent: Option<UnitId>,
        depth: usize,
        units: &[Unit],
        ids: &std::collections::HashSet<UnitId>,
        out: &mut Vec<(Unit, usize)>,
    ) {
        let mut children: Vec<&Unit> = units
            .iter()
            .filter(|u| match parent {
                None => u.parent_id.is_none_or(|p| !ids.contains(&p)),
                Some(p) => u.parent_id == Some(p),
            })
            .collect();
        children.sort_by_key(|u| crate::sort_key(&u.name));
        for c in children {
            out.push((c.clone(), depth));
            if depth < 32 {
                visit(Some(c.id), depth + 1, units, ids, out);
            }
        }
    }
    visit(None, 0, &units, &ids, &mut out);
    out
}

impl Store {
    pub async fn list_units(&self, org: OrgId) -> Result<Vec<Unit>> {
        self.list_units_changed(org, None).await
    }

    /// Units changed after `since` when given (for synchronisation).
    pub async fn list_units_changed(
        &self,
        org: OrgId,
        since: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<Vec<Unit>> {
        let since = since.unwrap_or(chrono::DateTime::<chrono::Utc>::UNIX_EPOCH);
        self.db
            .read()
            .all(
                &format!("SELECT {COLS} FROM units WHERE org_id = $1 AND updated_at > $2 ORDER BY name_key, id"),
                params![org.0, since],
                unit,
            )
            .await
    }

    /// The whole tree with each unit's count of (active) systems it is responsible for.
    pub async fn unit_tree(&self, org: OrgId) -> Result<Vec<UnitNode>> {
        let units = self.list_units(org).await?;
        let counts: std::collections::HashMap<uuid::Uuid, i64> = self
            .db
            .read()
            .all(
                // Kept by triggers (migration 0048): counting the systems read every one.
                "SELECT unit_id AS u, n FROM unit_counts WHERE org_id = $1",
                params![org.0],
                |r| Ok((r.uuid("u")?, r.i64("n")?)),
            )
            .await?
            .into_iter()
            .collect();
        Ok(tree_order(units)
            .into_iter()
            .map(|(u, depth)| UnitNode {
                system_count: counts.get(&u.id.0).copied().unwrap_or(0),
                unit: u,
                depth,
            })
            .collect())
    }

    pub async fn get_unit(&self, org: OrgId, id: UnitId) -> Result<Unit> {
        fetch(&mut self.db.read(), org, id).await
    }

    pub async fn create_unit(&self, actor: &Actor, org: OrgId, draft: UnitDraft) -> Result<Unit> {
        self.create_unit_with_id(actor, org, UnitId::new(), draft)
            .await
    }

    pub async fn create_unit_with_id(
        &self,
        actor: &Actor,
        org: OrgId,
        id: UnitId,
        draft: UnitDraft,
    ) -> Result<Unit> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        check_parent(&mut tx, org, id, d.parent_id).await?;
        check_manager(&mut tx, org, d.manager_id).await?;
        let at = now();
        tx.execute(
            "INSERT INTO units (id, org_id, parent_id, name, name_key, level, manager_id, archived, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, FALSE, $8, $8)",
            params![id.0, org.0, d.parent_id.map(|p| p.0), d.name.as_str(), crate::name_key(&d.name), d.level.as_str(), d.manager_id.map(|m| m.0), at],
        )
        .await?;
        let created = fetch(&mut tx, org, id).await?;
        Change::created(Some(org), AuditObject::Unit, id.0, &created)
            .commit(tx, actor)
            .await?;
        Ok(created)
    }

    pub async fn update_unit(
        &self,
        actor: &Actor,
        org: OrgId,
        id: UnitId,
        draft: UnitDraft,
    ) -> Result<Unit> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id).await?;
        check_parent(&mut tx, org, id, d.parent_id).await?;
        check_manager(&mut tx, org, d.manager_id).await?;
        tx.execute(
            "UPDATE units SET parent_id = $3, name = $4, level = $5, manager_id = $6, updated_at = $7 \
             WHERE org_id = $1 AND id = $2",
            params![
                org.0,
                id.0,
                d.parent_id.map(|p| p.0),
                d.name.as_str(),
                d.level.as_str(),
                d.manager_id.map(|m| m.0),
                now()
            ],
        )
        .await?;
        let after = fetch(&mut tx, org, id).await?;
        Change::updated(Some(org), AuditObject::Unit, id.0, &before, &after)
            .commit(tx, actor)
            .await?;
        Ok(after)
    }

    /// Whether the active person with the e-mail `manager_email` is the
    /// manager (chef) of `person`'s unit: who may order access for them.
    pub async fn manages_person(
        &self,
        org: OrgId,
        manager_email: &str,
        person: PersonId,
    ) -> Result<bool> {
        let n = self
            .db
            .read()
            .count(
                "SELECT COUNT(*) AS n FROM people p JOIN units u ON u.id = p.unit_id \
                 JOIN people m ON m.id = u.manager_id \
                 WHERE p.org_id = $1 AND u.org_id = $1 AND m.org_id = $1 AND p.id = $2 \
                 AND LOWER(m.email) = $3 AND m.active = TRUE",
                params![org.0, person.0, manager_email.trim().to_lowercase()],
            )
            .await?;
        Ok(n > 0)
    }

    /// The people of the units whose manager (chef) is the active person
    /// with the e-mail `manager_email`: whom they may order access for.
    /// One query where [`Store::manages_person`] asks of one person. Every
    /// table is held to the organisation, so that the units are read from
    /// its part of their index, not all organisations' (9,575 in the
    /// national demo: 2-4 ms on each tasks page).
    pub async fn people_managed_by(
        &self,
        org: OrgId,
        manager_email: &str,
    ) -> Result<std::collections::HashSet<PersonId>> {
        let ids = self
            .db
            .read()
            .all(
                "SELECT p.id AS id FROM people p JOIN units u ON u.id = p.unit_id \
                 JOIN people m ON m.id = u.manager_id \
                 WHERE p.org_id = $1 AND u.org_id = $1 AND m.org_id = $1 \
                 AND LOWER(m.email) = $2 AND m.active = TRUE",
                params![org.0, manager_email.trim().to_lowercase()],
                |r| Ok(PersonId(r.uuid("id")?)),
            )
            .await?;
        Ok(ids.into_iter().collect())
    }

    /// Whether the active person with this address is the manager of any
    /// unit of the organisation (so may order for someone, as the manager).
    pub async fn manages_anyone(&self, org: OrgId, manager_email: &str) -> Result<bool> {
        let n = self
            .db
            .read()
            .count(
                "SELECT COUNT(*) AS n FROM units u JOIN people m ON m.id = u.manager_id \
                 WHERE u.org_id = $1 AND LOWER(m.email) = $2 AND m.active = TRUE",
                params![org.0, manager_email.trim().to_lowercase()],
            )
            .await?;
        Ok(n > 0)
    }

    pub async fn archive_unit(&self, actor: &Actor, org: OrgId, id: UnitId) -> Result<Unit> {
        self.archive_row(actor, org, AuditObject::Unit, ("units", COLS), id.0, unit)
            .await
    }
}

async fn fetch(q: &mut impl Queryable, org: OrgId, id: UnitId) -> Result<Unit> {
    q.org_row(COLS, "units", org, id.0, unit).await
}

/// The parent must be a unit of the same organisation, and not the unit itself
/// or one of its descendants.
async fn check_parent(tx: &mut Tx, org: OrgId, id: UnitId, parent: Option<UnitId>) -> Result<()> {
    let Some(mut p) = parent else { return Ok(()) };
    for _ in 0..64 {
        if p == id {
            return Err(StoreError::Invalid(FieldErrors::single(
                "parent_id",
                v::CYCLE,
            )));
        }
        let next = tx
            .opt(
                "SELECT parent_id FROM units WHERE org_id = $1 AND id = $2",
                params![org.0, p.0],
                |r| r.opt_uuid("parent_id"),
            )
            .await?;
        match next {
            None => {
                return Err(StoreError::Invalid(FieldErrors::single(
                    "parent_id",
                    v::UNKNOWN_REFERENCE,
                )));
            }
            Some(None) => return Ok(()),
            Some(Some(up)) => p = UnitId(up),
        }
    }
    Err(StoreError::Invalid(FieldErrors::single(
        "parent_id",
        v::CYCLE,
    )))
}

/// The manager (chef) must be a person of the organisation.
async fn check_manager(tx: &mut Tx, org: OrgId, manager: Option<PersonId>) -> Result<()> {
    match manager {
        Some(m) if !tx.exists_in_org("people", org.0, m.0).await? => Err(StoreError::Invalid(
            FieldErrors::single("manager_id", v::UNKNOWN_REFERENCE),
        )),
        _ => Ok(()),
    }
}

/// Checks that every given unit belongs to the organisation.
pub(crate) async fn check_units(
    tx: &mut Tx,
    org: OrgId,
    field: &str,
    units: &[UnitId],
    errors: &mut FieldErrors,
) -> Result<()> {
    for u in units {
        if !tx.exists_in_org("units", org.0, u.0).await? {
            errors.add(field, v::UNKNOWN_REFERENCE);
            break;
        }
    }
    Ok(())
}
