//! Which kinds of a system's fields an organisation keeps secret from the
//! public register (the defaults in `insyn_domain::security`).

use crate::audit::{Actor, Change};
use crate::db::{Queryable, Result};
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
        for (f, secret) in fields {
            tx.execute(
                "DELETE FROM field_secrecy WHERE org_id = $1 AND field = $2",
                params![org.0, f.as_str()],
            )
            .await?;
            tx.execute(
                "INSERT INTO field_secrecy (org_id, field, secret) VALUES ($1, $2, $3)",
                params![org.0, f.as_str(), *secret],
            )
            .await?;
        }
        let changes: serde_json::Map<String, serde_json::Value> = fields
            .iter()
            .filter_map(|(f, s)| {
                let old = before.iter().find(|(b, _)| b == f).map(|(_, o)| *o);
                (old != Some(*s)).then(|| (f.clone(), serde_json::json!({ "old": old, "new": s })))
            })
            .collect();
        Change::new(
            Some(org),
            AuditAction::Update,
            AuditObject::FieldSecrecy,
            org.0,
            serde_json::Value::Object(changes),
        )
        .commit(tx, actor)
        .await?;
        self.field_secrecy(org).await
    }
}
