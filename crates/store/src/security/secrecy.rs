//! Which kinds of a system's fields an organisation keeps secret from the
//! public register (the defaults in `insyn_domain::security`).

use crate::audit::{Actor, Change};
use crate::db::{Queryable, Result, Tx};
use crate::{Store, StoreError, params};
use insyn_domain::security::*;
use insyn_domain::*;

impl Store {
    /// Whether each kind of field is secret in this organisation.
    pub async fn field_secrecy(&self, org: OrgId) -> Result<Vec<(String, bool)>> {
        let overrides: Vec<(String, bool)> = self
            .db
            .read()
            .all(
                "SELECT field, secret FROM field_secrecy WHERE org_id = $1",
                params![org.0],
                |r| Ok((r.text("field")?, r.bool("secret")?)),
            )
            .await?;
        Ok(FIELD_SECRECY_DEFAULTS
            .iter()
            .map(|(f, d)| {
                let secret = overrides
                    .iter()
                    .find(|(o, _)| o == f)
                    .map(|(_, s)| *s)
                    .unwrap_or(*d);
                ((*f).to_owned(), secret)
            })
            .collect())
    }

    pub async fn set_field_secrecy(
        &self,
        actor: &Actor,
        org: OrgId,
        fields: &[(String, bool)],
    ) -> Result<Vec<(String, bool)>> {
        if let Some((bad, _)) = fields
            .iter()
            .find(|(f, _)| !FIELD_SECRECY_DEFAULTS.iter().any(|(d, _)| d == f))
        {
            let mut e = FieldErrors::new();
            let known: Vec<&str> = FIELD_SECRECY_DEFAULTS.iter().map(|(f, _)| *f).collect();
            e.add_choice(bad, &known);
            return Err(StoreError::Invalid(e));
        }
        let before = self.field_secrecy(org).await?;
        let mut tx = self.db.begin().await?;
        let marks = ("field_secrecy", "secret");
        let changes = write_marks(&mut tx, marks, org, fields, &before).await?;
        Change::new(
            Some(org),
            AuditAction::Update,
            AuditObject::FieldSecrecy,
            org.0,
            changes,
        )
        .commit(tx, actor)
        .await?;
        self.field_secrecy(org).await
    }
}

/// Writes an organisation's markings of kinds of field into `table`
/// (`org_id`, `field` and the marking's `column`) in the caller's
/// transaction; returns the audit record's changes: each kind whose marking
/// changed, with its old and new value.
pub(crate) async fn write_marks(
    tx: &mut Tx,
    (table, column): (&str, &str),
    org: OrgId,
    fields: &[(String, bool)],
    before: &[(String, bool)],
) -> Result<serde_json::Value> {
    for (f, mark) in fields {
        tx.execute(
            &format!("DELETE FROM {table} WHERE org_id = $1 AND field = $2"),
            params![org.0, f.as_str()],
        )
        .await?;
        tx.execute(
            &format!("INSERT INTO {table} (org_id, field, {column}) VALUES ($1, $2, $3)"),
            params![org.0, f.as_str(), *mark],
        )
        .await?;
    }
    let changes: serde_json::Map<String, serde_json::Value> = fields
        .iter()
        .filter_map(|(f, m)| {
            let old = before.iter().find(|(b, _)| b == f).map(|(_, o)| *o);
            (old != Some(*m)).then(|| (f.clone(), serde_json::json!({ "old": old, "new": m })))
        })
        .collect();
    Ok(serde_json::Value::Object(changes))
}
