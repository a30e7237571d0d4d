//! Importing a register from a spreadsheet, all or nothing. The import runs
//! in one transaction; a dry run runs the very same steps and rolls back, so
//! what it reports is exactly what a real import would do. The whole import
//! is one audit event that lists every object it created or changed.

mod context;
mod drafts;
pub mod pending;

use context::Context;
use drafts::merged;

use crate::audit::{self, Actor, Change};
use crate::bulk::Bulk;
use crate::db::{Queryable, Result, now};
use crate::systems::update_row;
use crate::{Store, name_key, params};
use insyn_domain::contract::normalise_org_number;
use insyn_domain::import::{Record, Severity};
use insyn_domain::*;
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// Where an import goes: an existing organisation, or a new one created by the import.
#[derive(Debug, Clone)]
pub enum ImportTarget {
    Org(OrgId),
    NewOrg(OrgDraft),
}

/// What an import does with one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    Create,
    Update,
    Unchanged,
    /// Not imported: it has errors, or repeats an earlier row.
    Skip,
}

/// One row of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedRow {
    /// As the spreadsheet numbers it.
    pub row: usize,
    pub name: String,
    pub action: RowAction,
    pub system_id: Option<SystemId>,
    /// The fields an update changes.
    pub changed: Vec<String>,
    /// Errors and warnings: (column title, message key, value, is error).
    pub issues: Vec<(String, String, String, bool)>,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportReport {
    pub dry_run: bool,
    pub rows: Vec<PlannedRow>,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub skipped: usize,
    pub units_created: Vec<String>,
    pub people_created: Vec<String>,
    pub products_created: Vec<String>,
    pub roles_assigned: usize,
    /// Systems whose supplier the import set from the supplier column.
    pub suppliers_linked: usize,
    /// Suppliers the import created from names the register did not know.
    pub suppliers_created: Vec<String>,
}

impl ImportReport {
    pub fn errors(&self) -> usize {
        self.rows
            .iter()
            .flat_map(|r| &r.issues)
            .filter(|i| i.3)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.rows
            .iter()
            .flat_map(|r| &r.issues)
            .filter(|i| !i.3)
            .count()
    }

    /// Whether the import changes anything.
    pub fn changes_anything(&self) -> bool {
        self.created + self.updated + self.roles_assigned + self.suppliers_linked > 0
            || !self.units_created.is_empty()
            || !self.people_created.is_empty()
            || !self.products_created.is_empty()
            || !self.suppliers_created.is_empty()
    }
    /// A row left out: counted, and listed with its reasons.
    fn skip(&mut self, row: PlannedRow) {
        self.skipped += 1;
        self.rows.push(row);
    }
}

/// A row's supplier column names no supplier of the organisation.
pub const UNKNOWN_SUPPLIER: &str = "import-unknown-supplier";

/// A validated draft, or `None` with its errors noted on the row.
fn validated<T>(draft: Result<T, FieldErrors>, row: &mut PlannedRow) -> Option<T> {
    match draft {
        Ok(d) => Some(d),
        Err(e) => {
            for x in e.0 {
                row.issues
                    .push((x.field, x.code.to_owned(), String::new(), true));
            }
            None
        }
    }
}

impl Store {
    /// Imports parsed rows into an organisation. With `dry_run` nothing is
    /// kept; otherwise all of it is kept, or (on any database error) none.
    pub async fn import(
        &self,
        actor: &Actor,
        target: ImportTarget,
        file_name: &str,
        records: &[Record],
        dry_run: bool,
    ) -> Result<ImportReport> {
        let mut tx = self.db.begin().await?;
        let mut log = Map::new();
        let (org, org_created) = match target {
            ImportTarget::Org(o) => (o, false),
            ImportTarget::NewOrg(d) => {
                let d = d.validate()?;
                let o = crate::orgs::insert_org(&mut tx, OrgId::new(), d).await?;
                log.insert(
                    o.id.to_string(),
                    json!({ "type": "organisation", "action": "create", "slug": o.slug }),
                );
                (o.id, true)
            }
        };
        let mut ctx = Context::load(&mut tx, org).await?;
        let mut report = ImportReport {
            dry_run,
            rows: vec![],
            created: 0,
            updated: 0,
            unchanged: 0,
            skipped: 0,
            units_created: vec![],
            people_created: vec![],
            products_created: vec![],
            roles_assigned: 0,
            suppliers_linked: 0,
            suppliers_created: vec![],
        };
        let mut suppliers = crate::supplier_named::Suppliers::load(&mut tx, org).await?;
        let mut links: Vec<(SystemId, SupplierId, String)> = vec![];
        let today = chrono::Utc::now().date_naive();
        // The organisation's active systems by name, looked up once.
        let mut active: HashMap<String, SystemId> = tx
            .all(
                "SELECT id, name_key FROM systems WHERE org_id = $1 AND archived = FALSE",
                params![org.0],
                |r| Ok((r.text("name_key")?, SystemId(r.uuid("id")?))),
            )
            .await?
            .into_iter()
            .collect();
        let mut pending = Bulk::default();
        let mut pending_roles: HashSet<(SystemId, PersonId, RoleTypeId)> = HashSet::new();
        for rec in records {
            let v = &rec.values;
            let name = v.name.clone().unwrap_or_default();
            let mut row = PlannedRow {
                row: rec.row,
                name: name.clone(),
                action: RowAction::Skip,
                system_id: None,
                changed: vec![],
                issues: rec
                    .issues
                    .iter()
                    .map(|i| {
                        (
                            i.column.clone(),
                            i.code.to_owned(),
                            i.value.clone(),
                            i.severity == Severity::Error,
                        )
                    })
                    .collect(),
            };
            if rec.issues.iter().any(|i| i.severity == Severity::Error)
                || rec.duplicate_of.is_some()
            {
                report.skip(row);
                continue;
            }
            // The supplier column names a supplier of the register, by name or
            // organisation number; the system's vendor text becomes its name.
            let mut named = None;
            if let Some(text) = v.vendor.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                match suppliers.find(text) {
                    Some(found) => named = Some(found),
                    // A name the register does not know yet becomes a supplier,
                    // as the free-text vendors did when suppliers came
                    // (migration 22); the report lists it.
                    None if normalise_org_number(text).is_none() && text.chars().count() <= 200 => {
                        let id = SupplierId::new();
                        tx.execute(
                            "INSERT INTO suppliers (id, org_id, name, name_key, created_at, updated_at) \
                             VALUES ($1, $2, $3, $4, $5, $5)",
                            params![id.0, org.0, text.to_owned(), name_key(text), now()],
                        )
                        .await?;
                        log.insert(
                            id.0.to_string(),
                            json!({ "type": "supplier", "action": "create", "name": text }),
                        );
                        suppliers.add(id, text);
                        report.suppliers_created.push(text.to_owned());
                        named = Some((id, text.to_owned()));
                    }
                    // An organisation number alone (or an over-long cell) names
                    // no new supplier.
                    None => {
                        row.issues.push((
                            "vendor".into(),
                            UNKNOWN_SUPPLIER.into(),
                            text.to_owned(),
                            true,
                        ));
                        report.skip(row);
                        continue;
                    }
                }
            }
            let with_name;
            let v = match &named {
                Some((_, name)) => {
                    let mut x = v.clone();
                    x.vendor = Some(name.clone());
                    with_name = x;
                    &with_name
                }
                None => v,
            };
            // Units and product first: the system refers to them.
            let mut path: Vec<(&str, &str)> = vec![];
            if let Some(o) = &v.office {
                path.push((o, "Kontor"));
            }
            if let Some(d) = &v.department {
                path.push((d, "Avdelning"));
            }
            if let Some(u) = &v.unit {
                path.push((u, "Enhet"));
            }
            let unit = ctx
                .unit_path(&mut tx, &path, &mut report.units_created, &mut log)
                .await?;
            let product = match &v.product {
                Some(p) => Some(
                    ctx.product(
                        &mut tx,
                        p,
                        v.vendor.as_deref(),
                        &mut report.products_created,
                        &mut log,
                    )
                    .await?,
                ),
                None => None,
            };
            let existing = active.get(&name_key(&name)).copied();
            let sid = match existing {
                Some(sid) => {
                    if pending.system_ids.contains(&sid) {
                        // Created by an earlier row: write it before reading it.
                        pending.flush(&mut tx).await?;
                    }
                    let before = crate::systems::fetch(&mut tx, org, sid).await?;
                    let mut d = merged(&before, v);
                    if unit.is_some() {
                        d.responsible_unit_id = unit;
                    }
                    if product.is_some() {
                        d.product_id = product;
                    }
                    let d = d
                        .validate()
                        .and_then(|d| guarded_edit(&before, &d).map(|()| d));
                    let Some(d) = validated(d, &mut row) else {
                        report.skip(row);
                        continue;
                    };
                    let changes = audit::diff(Some(&before.draft()), Some(&d));
                    let changed: Vec<String> = changes
                        .as_object()
                        .map(|m| m.keys().cloned().collect())
                        .unwrap_or_default();
                    if changed.is_empty() {
                        row.action = RowAction::Unchanged;
                        report.unchanged += 1;
                    } else {
                        update_row(&mut tx, org, sid, &d).await?;
                        log.insert(sid.to_string(), json!({ "type": "system", "action": "update", "name": name, "changes": changes }));
                        row.action = RowAction::Update;
                        row.changed = changed;
                        report.updated += 1;
                    }
                    sid
                }
                None => {
                    let mut d = v.to_draft();
                    d.responsible_unit_id = unit;
                    d.product_id = product;
                    let Some(d) = validated(d.validate(), &mut row) else {
                        report.skip(row);
                        continue;
                    };
                    let sid = SystemId::new();
                    pending.add_system(org, sid, &d, now());
                    active.insert(name_key(&d.name), sid);
                    log.insert(
                        sid.to_string(),
                        json!({ "type": "system", "action": "create", "name": name }),
                    );
                    row.action = RowAction::Create;
                    report.created += 1;
                    sid
                }
            };
            row.system_id = Some(sid);
            if let Some((supplier, supplier_name)) = named {
                links.push((sid, supplier, supplier_name));
            }
            // Role holders: assigned unless they already hold the role.
            for (code, cell) in &v.people {
                let Some(role) = ctx.roles.get(*code).copied() else {
                    continue;
                };
                let person = ctx
                    .person(
                        &mut pending,
                        cell,
                        unit,
                        &mut report.people_created,
                        &mut log,
                    )
                    .await?;
                // A system or person of this import holds no role yet in the
                // database; what this import assigns is in `pending_roles`.
                let held = if pending_roles.contains(&(sid, person, role)) {
                    1
                } else if pending.system_ids.contains(&sid) {
                    0
                } else {
                    tx.count(
                        "SELECT COUNT(*) AS n FROM role_assignments WHERE system_id = $1 AND person_id = $2 \
                         AND role_type_id = $3 AND (end_date IS NULL OR end_date >= $4)",
                        params![sid.0, person.0, role.0, today],
                    )
                    .await?
                };
                if held == 0 {
                    let id = AssignmentId::new();
                    pending.add_system_role(
                        id,
                        org,
                        role,
                        person,
                        sid,
                        today,
                        Some(format!("Import: {file_name}")),
                        now(),
                    );
                    pending_roles.insert((sid, person, role));
                    log.insert(id.to_string(), json!({ "type": "role_assignment", "action": "create", "role": code, "person": cell.name, "system": name }));
                    report.roles_assigned += 1;
                }
            }
            report.rows.push(row);
        }
        // A system this import creates has no supplier yet: its link is
        // written with the others at once (one COPY on PostgreSQL, where a
        // read, a delete and an insert a system took about 4 of the
        // 10,000-row import's 9 seconds); a system already there is
        // compared first.
        let (fresh, links): (Vec<_>, Vec<_>) = links
            .into_iter()
            .partition(|(sid, _, _)| pending.system_ids.contains(sid));
        pending.flush(&mut tx).await?;
        // A system named on two rows keeps the supplier of the last.
        let mut last = HashMap::new();
        for (sid, supplier, supplier_name) in fresh {
            last.insert(sid, (supplier, supplier_name));
        }
        let mut rows = Vec::with_capacity(last.len());
        for (sid, (supplier, supplier_name)) in last {
            rows.push(params![sid.0, supplier.0, org.0]);
            log.insert(
                format!("{sid}:supplier"),
                json!({ "type": "system_supplier", "action": "update", "system": sid, "supplier": supplier_name }),
            );
            report.suppliers_linked += 1;
        }
        crate::bulk::insert_rows(
            &mut tx,
            "system_suppliers",
            &["system_id", "supplier_id", "org_id"],
            rows,
        )
        .await?;
        for (sid, supplier, supplier_name) in links {
            let now_linked = tx
                .opt(
                    "SELECT supplier_id FROM system_suppliers WHERE system_id = $1",
                    params![sid.0],
                    |r| r.uuid("supplier_id"),
                )
                .await?;
            if now_linked == Some(supplier.0) {
                continue;
            }
            tx.execute(
                "DELETE FROM system_suppliers WHERE system_id = $1",
                params![sid.0],
            )
            .await?;
            tx.execute(
                "INSERT INTO system_suppliers (system_id, supplier_id, org_id) VALUES ($1, $2, $3)",
                params![sid.0, supplier.0, org.0],
            )
            .await?;
            log.insert(
                format!("{sid}:supplier"),
                json!({ "type": "system_supplier", "action": "update", "system": sid, "supplier": supplier_name }),
            );
            report.suppliers_linked += 1;
        }
        if dry_run || (!report.changes_anything() && !org_created) {
            // Dropped: rolled back. A dry run, or nothing to change.
            return Ok(report);
        }
        let event_id = Uuid::now_v7();
        Change::new(
            Some(org),
            AuditAction::Import,
            AuditObject::Organisation,
            org.0,
            json!({
                "file": file_name,
                "import": event_id.to_string(),
                "created": report.created,
                "updated": report.updated,
                "objects": Value::Object(log),
            }),
        )
        .commit(tx, actor)
        .await?;
        Ok(report)
    }
}
