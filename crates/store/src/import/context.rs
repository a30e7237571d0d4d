//! What an import's rows refer to (units, products, people, role types):
//! looked up by name, and created when missing.

use crate::bulk::Bulk;
use crate::db::{Queryable, Result, Tx, now};
use crate::{name_key, params};
use insyn_domain::*;
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// Looks up, and creates when missing, what rows refer to.
pub(super) struct Context {
    org: OrgId,
    /// (parent, name key) → unit
    units: HashMap<(Option<UnitId>, String), UnitId>,
    /// name key → unit, for names given without a parent
    units_by_name: HashMap<String, UnitId>,
    products: HashMap<String, ProductId>,
    people_by_email: HashMap<String, PersonId>,
    people_by_name: HashMap<String, Vec<PersonId>>,
    pub(super) roles: HashMap<String, RoleTypeId>,
}

impl Context {
    pub(super) async fn load(tx: &mut Tx, org: OrgId) -> Result<Context> {
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
    pub(super) async fn unit_path(
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

    pub(super) async fn product(
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
    pub(super) async fn person(
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
