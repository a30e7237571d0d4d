//! A supplier chosen by its name or organisation number, as a form's text
//! field or an imported spreadsheet's supplier column names it, and the
//! bounded suggestions a form offers for that field.

use crate::db::{Queryable, Result, Tx};
use crate::{Store, name_key, params};
use insyn_domain::contract::normalise_org_number;
use insyn_domain::*;

/// The organisation's suppliers by name key and by organisation number,
/// read once for an import.
pub(crate) struct Suppliers {
    by_name: std::collections::HashMap<String, (SupplierId, String)>,
    by_number: std::collections::HashMap<String, Vec<(SupplierId, String)>>,
}

impl Suppliers {
    pub(crate) async fn load(tx: &mut Tx, org: OrgId) -> Result<Suppliers> {
        let rows = tx
            .all(
                "SELECT id, name, name_key, org_number FROM suppliers WHERE org_id = $1",
                params![org.0],
                |r| {
                    Ok((
                        SupplierId(r.uuid("id")?),
                        r.text("name")?,
                        r.text("name_key")?,
                        r.opt_text("org_number")?,
                    ))
                },
            )
            .await?;
        let mut s = Suppliers {
            by_name: Default::default(),
            by_number: Default::default(),
        };
        for (id, name, key, number) in rows {
            if let Some(n) = number {
                s.by_number.entry(n).or_default().push((id, name.clone()));
            }
            s.by_name.insert(key, (id, name));
        }
        Ok(s)
    }

    /// Adds a supplier the import created, so that later rows find it.
    pub(crate) fn add(&mut self, id: SupplierId, name: &str) {
        self.by_name.insert(name_key(name), (id, name.to_owned()));
    }

    /// The supplier `text` names: by name in any case, else by a valid
    /// organisation number that one supplier alone has.
    pub(crate) fn find(&self, text: &str) -> Option<(SupplierId, String)> {
        if let Some(found) = self.by_name.get(&name_key(text)) {
            return Some(found.clone());
        }
        match self.by_number.get(&normalise_org_number(text)?)?.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        }
    }
}

/// The most supplier names a form suggests.
pub const SUGGESTED_SUPPLIERS: i64 = 200;

impl Store {
    /// The organisation's supplier with this name (in any case) or, when
    /// the text is a valid organisation number, with that number.
    pub async fn supplier_named(&self, org: OrgId, text: &str) -> Result<Option<SupplierId>> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let mut read = self.db.read();
        let by_name = read
            .opt(
                "SELECT id FROM suppliers WHERE org_id = $1 AND name_key = $2",
                params![org.0, name_key(text)],
                |r| r.uuid("id"),
            )
            .await?;
        if let Some(id) = by_name {
            return Ok(Some(SupplierId(id)));
        }
        let Some(number) = normalise_org_number(text) else {
            return Ok(None);
        };
        let ids = read
            .all(
                "SELECT id FROM suppliers WHERE org_id = $1 AND org_number = $2 ORDER BY name_key LIMIT 2",
                params![org.0, number],
                |r| r.uuid("id"),
            )
            .await?;
        // Two suppliers with one number name neither.
        Ok(match ids.as_slice() {
            [one] => Some(SupplierId(*one)),
            _ => None,
        })
    }

    /// Names of the organisation's suppliers for a form's suggestions: those
    /// beginning like `typed` (all when empty), by name, at most
    /// [`SUGGESTED_SUPPLIERS`].
    pub async fn supplier_names(&self, org: OrgId, typed: &str) -> Result<Vec<String>> {
        let prefix = format!("{}%", crate::like_escape(&name_key(typed)));
        self.db
            .read()
            .all(
                "SELECT name FROM suppliers WHERE org_id = $1 AND name_key LIKE $2 ESCAPE '\\' \
                 ORDER BY name_key, id LIMIT $3",
                params![org.0, prefix, SUGGESTED_SUPPLIERS],
                |r| r.text("name"),
            )
            .await
    }
}
