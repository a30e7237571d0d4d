//! The organisation's incident setting: whether everyone with an account in
//! it may see (never change) its incidents. Off by default.

use crate::audit::{Actor, Change};
use crate::db::{Queryable, Result, now};
use crate::{Store, params};
use insyn_domain::*;

impl Store {
    /// Whether the organisation lets its readers see every incident.
    pub async fn incident_readers(&self, org: OrgId) -> Result<bool> {
        self.db
            .read()
            .one(
                "SELECT incident_readers FROM organisations WHERE id = $1",
                params![org.0],
                |r| r.bool("incident_readers"),
            )
            .await
    }

    /// Lets the organisation's readers see its incidents, or stops it;
    /// audited with the value before and after.
    pub async fn set_incident_readers(
        &self,
        actor: &Actor,
        org: OrgId,
        allowed: bool,
    ) -> Result<()> {
        let before = self.incident_readers(org).await?;
        let mut tx = self.db.begin().await?;
        tx.execute(
            "UPDATE organisations SET incident_readers = $2, updated_at = $3 WHERE id = $1",
            params![org.0, allowed, now()],
        )
        .await?;
        Change::new(
            Some(org),
            AuditAction::Update,
            AuditObject::Organisation,
            org.0,
            serde_json::json!({ "incident_readers": { "old": before, "new": allowed } }),
        )
        .record(&mut tx, actor)
        .await?;
        tx.commit().await
    }
}
