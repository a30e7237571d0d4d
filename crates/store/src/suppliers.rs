//! Suppliers: the register of an organisation's suppliers (each write one
//! transaction with its audit record), the supplier each system has, and
//! the migration that turned the systems' free-text vendors into suppliers.
//! Secret by default: `public.rs` never reads these tables.

use crate::audit::{Actor, Change};
use crate::db::{DbRow, Queryable, Result, Tx, now};
use crate::{Store, StoreError, name_key, name_taken, params};
use insyn_domain::contract::*;
use insyn_domain::validation::FieldErrors;
use insyn_domain::*;
use serde::Serialize;
use std::collections::HashMap;

const COLS: &str = "s.id, s.org_id, s.name, s.org_number, s.contacts, s.support_channel, s.support_hours, \
     s.created_at, s.updated_at, \
     (SELECT COUNT(*) FROM system_suppliers l WHERE l.supplier_id = s.id) AS system_count";

fn supplier(r: &dyn DbRow) -> Result<Supplier> {
    Ok(Supplier {
        id: SupplierId(r.uuid("id")?),
        org_id: OrgId(r.uuid("org_id")?),
        name: r.text("name")?,
        org_number: r.opt_text("org_number")?,
        contacts: r.opt_text("contacts")?,
        support_channel: r.opt_text("support_channel")?,
        support_hours: r.opt_text("support_hours")?,
        system_count: r.i64("system_count")?,
        created_at: r.ts("created_at")?,
        updated_at: r.ts("updated_at")?,
    })
}

async fn fetch(q: &mut impl Queryable, org: OrgId, id: SupplierId) -> Result<Supplier> {
    q.one(
        &format!("SELECT {COLS} FROM suppliers s WHERE s.org_id = $1 AND s.id = $2"),
        params![org.0, id.0],
        supplier,
    )
    .await
}

/// A name another supplier of the organisation has.
async fn check_name(tx: &mut Tx, org: OrgId, id: SupplierId, name: &str) -> Result<()> {
    let n = tx
        .count(
            "SELECT COUNT(*) AS n FROM suppliers WHERE org_id = $1 AND name_key = $2 AND id <> $3",
            params![org.0, name_key(name), id.0],
        )
        .await?;
    if n > 0 {
        return Err(StoreError::Invalid(FieldErrors::single(
            "name",
            insyn_domain::validation::TAKEN,
        )));
    }
    Ok(())
}

/// The systems' free-text vendors as supplier records: one per distinct
/// name of each organisation (trimmed, compared without case), each system
/// linked to its own. Runs once, inside migration 22.
pub(crate) async fn vendors_to_suppliers(tx: &mut Tx) -> Result<()> {
    let rows = tx
        .all(
            "SELECT id, org_id, vendor FROM systems WHERE vendor IS NOT NULL ORDER BY seq",
            vec![],
            |r| Ok((r.uuid("id")?, r.uuid("org_id")?, r.text("vendor")?)),
        )
        .await?;
    let mut made: HashMap<(uuid::Uuid, String), SupplierId> = HashMap::new();
    let at = now();
    for (system, org, vendor) in rows {
        let name = vendor.trim();
        if name.is_empty() {
            continue;
        }
        let key = name_key(name);
        let id = match made.get(&(org, key.clone())) {
            Some(id) => *id,
            None => {
                let id = SupplierId::new();
                tx.execute(
                    "INSERT INTO suppliers (id, org_id, name, name_key, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)",
                    params![id.0, org, name.to_owned(), key.clone(), at],
                )
                .await?;
                made.insert((org, key), id);
                id
            }
        };
        tx.execute(
            "INSERT INTO system_suppliers (system_id, supplier_id, org_id) VALUES ($1, $2, $3)",
            params![system, id.0, org],
        )
        .await?;
    }
    Ok(())
}

/// What the trail records when a system's supplier changes.
#[derive(Serialize)]
struct SystemSupplier {
    supplier_id: Option<SupplierId>,
}

impl Store {
    /// One page of the organisation's suppliers, by name.
    pub async fn list_suppliers(&self, org: OrgId, page: PageRequest) -> Result<Page<Supplier>> {
        let mut read = self.db.read();
        let total = read
            .count(
                "SELECT COUNT(*) AS n FROM suppliers WHERE org_id = $1",
                params![org.0],
            )
            .await?;
        let items = read
            .all(
                &format!(
                    "SELECT {COLS} FROM suppliers s WHERE s.org_id = $1 ORDER BY s.name_key, s.id \
                     LIMIT $2 OFFSET $3"
                ),
                params![org.0, page.limit(), page.offset()],
                supplier,
            )
            .await?;
        Ok(Page::of(items, total, page))
    }

    pub async fn get_supplier(&self, org: OrgId, id: SupplierId) -> Result<Supplier> {
        fetch(&mut self.db.read(), org, id).await
    }

    /// One page of the systems that name the supplier, by name.
    pub async fn supplier_systems(
        &self,
        org: OrgId,
        id: SupplierId,
        page: PageRequest,
    ) -> Result<Page<SystemRef>> {
        let mut read = self.db.read();
        let total = read
            .count(
                "SELECT COUNT(*) AS n FROM system_suppliers WHERE org_id = $1 AND supplier_id = $2",
                params![org.0, id.0],
            )
            .await?;
        let items = read
            .all(
                "SELECT s.id, s.name FROM system_suppliers l JOIN systems s ON s.id = l.system_id \
                 WHERE l.org_id = $1 AND l.supplier_id = $2 ORDER BY s.name_key, s.id LIMIT $3 OFFSET $4",
                params![org.0, id.0, page.limit(), page.offset()],
                |r| {
                    Ok(SystemRef {
                        id: SystemId(r.uuid("id")?),
                        name: r.text("name")?,
                    })
                },
            )
            .await?;
        Ok(Page::of(items, total, page))
    }

    /// The supplier a system has, if any.
    pub async fn system_supplier(&self, org: OrgId, system: SystemId) -> Result<Option<Supplier>> {
        self.db
            .read()
            .opt(
                &format!(
                    "SELECT {COLS} FROM suppliers s JOIN system_suppliers l ON l.supplier_id = s.id \
                     WHERE l.org_id = $1 AND l.system_id = $2"
                ),
                params![org.0, system.0],
                supplier,
            )
            .await
    }

    /// Records a supplier.
    pub async fn create_supplier(
        &self,
        actor: &Actor,
        org: OrgId,
        draft: SupplierDraft,
    ) -> Result<Supplier> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        if !tx.exists("organisations", org.0).await? {
            return Err(StoreError::NotFound);
        }
        let id = SupplierId::new();
        check_name(&mut tx, org, id, &d.name).await?;
        tx.execute(
            "INSERT INTO suppliers (id, org_id, name, name_key, org_number, contacts, support_channel, support_hours, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
            params![id.0, org.0, d.name.clone(), name_key(&d.name), d.org_number.clone(), d.contacts.clone(),
                d.support_channel.clone(), d.support_hours.clone(), now()],
        )
        .await
        .map_err(name_taken)?;
        let created = fetch(&mut tx, org, id).await?;
        Change::created(Some(org), AuditObject::Supplier, id.0, &created)
            .commit(tx, actor)
            .await?;
        Ok(created)
    }

    /// Changes a supplier.
    pub async fn update_supplier(
        &self,
        actor: &Actor,
        org: OrgId,
        id: SupplierId,
        draft: SupplierDraft,
    ) -> Result<Supplier> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id).await?;
        check_name(&mut tx, org, id, &d.name).await?;
        tx.execute(
            "UPDATE suppliers SET name = $3, name_key = $4, org_number = $5, contacts = $6, support_channel = $7, \
             support_hours = $8, updated_at = $9 WHERE org_id = $1 AND id = $2",
            params![org.0, id.0, d.name.clone(), name_key(&d.name), d.org_number.clone(), d.contacts.clone(),
                d.support_channel.clone(), d.support_hours.clone(), now()],
        )
        .await
        .map_err(name_taken)?;
        let after = fetch(&mut tx, org, id).await?;
        Change::updated(Some(org), AuditObject::Supplier, id.0, &before, &after)
            .commit(tx, actor)
            .await?;
        Ok(after)
    }

    /// Sets (or clears) the supplier of one of the organisation's systems.
    pub async fn set_system_supplier(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        supplier_id: Option<SupplierId>,
    ) -> Result<Option<Supplier>> {
        let mut tx = self.db.begin().await?;
        if !tx.exists_in_org("systems", org.0, system.0).await? {
            return Err(StoreError::NotFound);
        }
        if let Some(s) = supplier_id
            && !tx.exists_in_org("suppliers", org.0, s.0).await?
        {
            return Err(StoreError::Invalid(FieldErrors::single(
                "supplier_id",
                insyn_domain::validation::UNKNOWN_CHOICE,
            )));
        }
        let before = tx
            .opt(
                "SELECT supplier_id FROM system_suppliers WHERE system_id = $1",
                params![system.0],
                |r| r.uuid("supplier_id"),
            )
            .await?
            .map(SupplierId);
        tx.execute(
            "DELETE FROM system_suppliers WHERE system_id = $1",
            params![system.0],
        )
        .await?;
        if let Some(s) = supplier_id {
            tx.execute(
                "INSERT INTO system_suppliers (system_id, supplier_id, org_id) VALUES ($1, $2, $3)",
                params![system.0, s.0, org.0],
            )
            .await?;
        }
        let after = match supplier_id {
            Some(s) => Some(fetch(&mut tx, org, s).await?),
            None => None,
        };
        Change::updated(
            Some(org),
            AuditObject::System,
            system.0,
            &SystemSupplier {
                supplier_id: before,
            },
            &SystemSupplier { supplier_id },
        )
        .commit(tx, actor)
        .await?;
        Ok(after)
    }
}
