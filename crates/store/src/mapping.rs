//! Column mappings of spreadsheet imports, remembered per organisation: the
//! field each column title (normalised with [`insyn_domain::import::header_key`]) goes
//! to, or that it is ignored. The dry-run page saves the mapping the user
//! chose; the next file, from the browser or the command line, starts from it.

use crate::audit::{Actor, Change};
use crate::db::{Queryable, Result, now};
use crate::{Store, params};
use insyn_domain::import::Field;
use insyn_domain::{AuditAction, AuditObject, OrgId};
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// Normalised column title → field (`None`: the column is ignored).
pub type Mapping = HashMap<String, Option<Field>>;

impl Store {
    /// An organisation's remembered mapping. Entries naming a field this
    /// version does not know are left out.
    pub async fn import_mapping(&self, org: OrgId) -> Result<Mapping> {
        let rows = self
            .db
            .read()
            .all(
                "SELECT header_key, field FROM import_mappings WHERE org_id = $1",
                params![org.0],
                |r| Ok((r.text("header_key")?, r.opt_text("field")?)),
            )
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(k, f)| match f {
                None => Some((k, None)),
                Some(f) => Field::parse(&f).map(|f| (k, Some(f))),
            })
            .collect())
    }

    /// Remembers the mapping of some columns (normalised title, field), in
    /// one transaction with one audit record that lists each changed title's
    /// old and new field. Returns how many titles changed; nothing is written
    /// when none did.
    pub async fn save_import_mapping(
        &self,
        actor: &Actor,
        org: OrgId,
        columns: &[(String, Option<Field>)],
    ) -> Result<usize> {
        let mut tx = self.db.begin().await?;
        let before: HashMap<String, Option<String>> = tx
            .all(
                "SELECT header_key, field FROM import_mappings WHERE org_id = $1",
                params![org.0],
                |r| Ok((r.text("header_key")?, r.opt_text("field")?)),
            )
            .await?
            .into_iter()
            .collect();
        let mut changes = Map::new();
        let at = now();
        for (key, field) in columns {
            if key.is_empty() || changes.contains_key(key) {
                continue;
            }
            let new = field.map(|f| f.key().to_owned());
            let old = before.get(key);
            if old == Some(&new) {
                continue;
            }
            tx.execute(
                "INSERT INTO import_mappings (org_id, header_key, field, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (org_id, header_key) DO UPDATE SET field = excluded.field, updated_at = excluded.updated_at",
                params![org.0, key.as_str(), new.clone(), at],
            )
            .await?;
            let shown = |v: Option<&Option<String>>| match v {
                None => Value::Null,
                Some(None) => json!("ignored"),
                Some(Some(f)) => json!(f),
            };
            changes.insert(
                key.clone(),
                json!({ "old": shown(old), "new": shown(Some(&new)) }),
            );
        }
        let n = changes.len();
        if n == 0 {
            return Ok(0);
        }
        Change::new(
            Some(org),
            AuditAction::Update,
            AuditObject::ImportMapping,
            org.0,
            Value::Object(changes),
        )
        .commit(tx, actor)
        .await?;
        Ok(n)
    }
}
