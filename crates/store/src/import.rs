//! Importing a register from a spreadsheet, all or nothing. The import runs
//! in one transaction; a dry run runs the very same steps and rolls back, so
//! what it reports is exactly what a real import would do. The whole import
//! is one audit event that lists every object it created or changed.

use crate::audit::{self, Actor, Change};
use crate::bulk::Bulk;
use crate::db::{Queryable, Result, Tx, now};
use crate::systems::update_row;
use crate::{Store, name_key, params};
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
        self.created + self.updated + self.roles_assigned > 0
            || !self.units_created.is_empty()
            || !self.people_created.is_empty()
            || !self.products_created.is_empty()
    }
}

/// Looks up, and creates when missing, what rows refer to.
struct Context {
    org: OrgId,
    /// (parent, name key) → unit
    units: HashMap<(Option<UnitId>, String), UnitId>,
    /// name key → unit, for names given without a parent
    units_by_name: HashMap<String, UnitId>,
    products: HashMap<String, ProductId>,
    people_by_email: HashMap<String, PersonId>,
    people_by_name: HashMap<String, Vec<PersonId>>,
    roles: HashMap<String, RoleTypeId>,
}

impl Context {
    async fn load(tx: &mut Tx, org: OrgId) -> Result<Context> {
        let mut c = Context {
            org,
            units: HashMap::new(),
            units_by_name: HashMap::new(),
            products: HashMap::new(),
            people_by_email: HashMap::new(),
            people_by_name: HashMap::new(),
            roles: HashMap::new(),
        };
        for (id, parent, name) in tx
            .all(
                "SELECT id, parent_id, name FROM units WHERE org_id = $1",
                params![org.0],
                |r| {
                    Ok((
                        UnitId(r.uuid("id")?),
                        r.opt_uuid("parent_id")?.map(UnitId),
                        r.text("name")?,
                    ))
                },
            )
            .await?
        {
            c.units.insert((parent, name_key(&name)), id);
            c.units_by_name.entry(name_key(&name)).or_insert(id);
        }
        for (id, name) in tx
            .all("SELECT id, name FROM products", vec![], |r| {
                Ok((ProductId(r.uuid("id")?), r.text("name")?))
            })
            .await?
        {
            c.products.insert(name_key(&name), id);
        }
        for (id, name, email) in tx
            .all(
                "SELECT id, name, email FROM people WHERE org_id = $1",
                params![org.0],
                |r| {
                    Ok((
                        PersonId(r.uuid("id")?),
                        r.text("name")?,
                        r.opt_text("email")?,
                    ))
                },
            )
            .await?
        {
            if let Some(e) = email {
                c.people_by_email.insert(e.to_lowercase(), id);
            }
            c.people_by_name
                .entry(name_key(&name))
                .or_default()
                .push(id);
        }
        for (id, code) in tx
            .all(
                "SELECT id, code FROM role_types WHERE org_id = $1",
                params![org.0],
                |r| Ok((RoleTypeId(r.uuid("id")?), r.text("code")?)),
            )
            .await?
        {
            c.roles.insert(code, id);
        }
        Ok(c)
    }

    /// The unit at the end of a path of names (office → department → unit),
    /// creating the missing ones. A first name found anywhere in the tree is reused.
    async fn unit_path(
        &mut self,
        tx: &mut Tx,
        path: &[(&str, &str)],
        created: &mut Vec<String>,
        log: &mut Map<String, Value>,
    ) -> Result<Option<UnitId>> {
        let mut parent: Option<UnitId> = None;
        for (i, (name, level)) in path.iter().enumerate() {
            let key = name_key(name);
            let found = self.units.get(&(parent, key.clone())).copied().or_else(|| {
                (i == 0)
                    .then(|| self.units_by_name.get(&key).copied())
                    .flatten()
            });
            let id = match found {
                Some(id) => id,
                None => {
                    let id = UnitId::new();
                    let at = now();
                    tx.execute(
                        "INSERT INTO units (id, org_id, parent_id, name, name_key, level, archived, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, FALSE, $7, $7)",
                        params![id.0, self.org.0, parent.map(|p| p.0), *name, key.as_str(), *level, at],
                    )
                    .await?;
                    self.units.insert((parent, key.clone()), id);
                    self.units_by_name.entry(key).or_insert(id);
                    created.push((*name).to_owned());
                    log.insert(
                        id.to_string(),
                        json!({ "type": "unit", "action": "create", "name": name }),
                    );
                    id
                }
            };
            parent = Some(id);
        }
        Ok(parent)
    }

    async fn product(
        &mut self,
        tx: &mut Tx,
        name: &str,
        vendor: Option<&str>,
        created: &mut Vec<String>,
        log: &mut Map<String, Value>,
    ) -> Result<ProductId> {
        let key = name_key(name);
        if let Some(id) = self.products.get(&key) {
            return Ok(*id);
        }
        let id = ProductId::new();
        let at = now();
        tx.execute(
            "INSERT INTO products (id, name, name_key, vendor, description, created_at, updated_at) VALUES ($1, $2, $3, $4, NULL, $5, $5)",
            params![id.0, name, key.as_str(), vendor, at],
        )
        .await?;
        self.products.insert(key, id);
        created.push(name.to_owned());
        log.insert(
            id.to_string(),
            json!({ "type": "product", "action": "create", "name": name }),
        );
        Ok(id)
    }

    /// The person a cell names: by e-mail, else by a name only one person has; created when missing.
    async fn person(
        &mut self,
        pending: &mut Bulk,
        p: &insyn_domain::import::PersonCell,
        unit: Option<UnitId>,
        created: &mut Vec<String>,
        log: &mut Map<String, Value>,
    ) -> Result<PersonId> {
        if let Some(e) = &p.email
            && let Some(id) = self.people_by_email.get(&e.to_lowercase())
        {
            return Ok(*id);
        }
        if let Some(ids) = self.people_by_name.get(&name_key(&p.name))
            && ids.len() == 1
        {
            return Ok(ids[0]);
        }
        let id = PersonId::new();
        pending.add_person(
            id,
            self.org,
            &p.name,
            p.email.as_deref(),
            p.title.as_deref(),
            unit,
            true,
            now(),
        );
        if let Some(e) = &p.email {
            self.people_by_email.insert(e.to_lowercase(), id);
        }
        self.people_by_name
            .entry(name_key(&p.name))
            .or_default()
            .push(id);
        created.push(p.name.clone());
        log.insert(id.to_string(), json!({ "type": "person", "action": "create", "name": p.name, "title": p.title, "email": p.email }));
        Ok(id)
    }
}

/// The draft an import gives an existing system: the file's values where it
/// has them, the system's own where it has not.
fn merged(existing: &System, v: &insyn_domain::import::Values) -> SystemDraft {
    let mut d = SystemDraft {
        name: existing.name.clone(),
        short_name: v.short_name.clone().or(existing.short_name.clone()),
        description: v.description.clone().or(existing.description.clone()),
        purpose: v.purpose.clone().or(existing.purpose.clone()),
        responsible_unit_id: existing.responsible_unit_id,
        using_unit_ids: existing.using_unit_ids.clone(),
        vendor: v.vendor.clone().or(existing.vendor.clone()),
        product_id: existing.product_id,
        version: v.version.clone().or(existing.version.clone()),
        hosting: v.hosting.unwrap_or(existing.hosting),
        user_count: v.user_count.or(existing.user_count),
        business_critical: v.business_critical.unwrap_or(existing.business_critical),
        lifecycle: v.lifecycle.unwrap_or(existing.lifecycle),
        go_live_date: v.go_live_date.or(existing.go_live_date),
        end_date: v.end_date.or(existing.end_date),
        licence_model: v.licence_model.clone().or(existing.licence_model.clone()),
        licence_count: v.licence_count.or(existing.licence_count),
        doc_links: existing.doc_links.clone(),
        escalation_route: v
            .escalation_route
            .clone()
            .or(existing.escalation_route.clone()),
        capabilities: existing.capabilities.clone(),
        tags: existing.tags.clone(),
        notes: v.notes.clone().or(existing.notes.clone()),
    };
    if !v.doc_links.is_empty() {
        d.doc_links = v
            .doc_links
            .iter()
            .map(|u| DocLink {
                label: String::new(),
                url: u.clone(),
            })
            .collect();
    }
    if !v.capabilities.is_empty() {
        d.capabilities = v.capabilities.clone();
    }
    if !v.tags.is_empty() {
        d.tags = v.tags.clone();
    }
    d
}

fn draft_of(s: &System) -> SystemDraft {
    SystemDraft {
        name: s.name.clone(),
        short_name: s.short_name.clone(),
        description: s.description.clone(),
        purpose: s.purpose.clone(),
        responsible_unit_id: s.responsible_unit_id,
        using_unit_ids: s.using_unit_ids.clone(),
        vendor: s.vendor.clone(),
        product_id: s.product_id,
        version: s.version.clone(),
        hosting: s.hosting,
        user_count: s.user_count,
        business_critical: s.business_critical,
        lifecycle: s.lifecycle,
        go_live_date: s.go_live_date,
        end_date: s.end_date,
        licence_model: s.licence_model.clone(),
        licence_count: s.licence_count,
        doc_links: s.doc_links.clone(),
        escalation_route: s.escalation_route.clone(),
        capabilities: s.capabilities.clone(),
        tags: s.tags.clone(),
        notes: s.notes.clone(),
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
        };
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
                report.skipped += 1;
                report.rows.push(row);
                continue;
            }
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
                    let d = match d.validate() {
                        Ok(d) => d,
                        Err(e) => {
                            for x in e.0 {
                                row.issues
                                    .push((x.field, x.code.to_owned(), String::new(), true));
                            }
                            report.skipped += 1;
                            report.rows.push(row);
                            continue;
                        }
                    };
                    let changes = audit::diff(Some(&draft_of(&before)), Some(&d));
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
                    let d = match d.validate() {
                        Ok(d) => d,
                        Err(e) => {
                            for x in e.0 {
                                row.issues
                                    .push((x.field, x.code.to_owned(), String::new(), true));
                            }
                            report.skipped += 1;
                            report.rows.push(row);
                            continue;
                        }
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
        pending.flush(&mut tx).await?;
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
