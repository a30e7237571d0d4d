//! The demo's integrations loaded in bulk: one transaction and one audit
//! record for all of them, so that a register of 10,000 systems loads in
//! seconds.

use crate::audit::{Actor, Change};
use crate::db::{Params, Queryable, Result, now};
use crate::{Store, params};
use insyn_domain::integration::*;
use insyn_domain::*;

impl Store {
    /// Every system of the organisation, by name: the demo's register.
    pub async fn demo_system_ids(&self, org: OrgId) -> Result<Vec<SystemId>> {
        self.db
            .read()
            .all(
                "SELECT id FROM systems WHERE org_id = $1 AND NOT archived ORDER BY name_key, id",
                params![org.0],
                |r| Ok(SystemId(r.uuid("id")?)),
            )
            .await
    }

    /// Loads the demo's flows (each valid by itself; the demo's systems and
    /// sets are the organisation's) with one audit record; how many.
    pub async fn load_demo_integrations(
        &self,
        actor: &Actor,
        org: OrgId,
        flows: Vec<IntegrationDraft>,
    ) -> Result<usize> {
        let mut tx = self.db.begin().await?;
        let at = now();
        let mut sets = vec![];
        let n = flows.len();
        // Many rows a statement: a round trip per 500 flows, not per flow.
        for batch in flows.chunks(500) {
            let mut p = Params::default();
            let mut rows = vec![];
            for d in batch {
                let d = d.clone().validate()?;
                let id = IntegrationId::new();
                let values = [
                    p.push(id.0),
                    p.push(org.0),
                    p.push(d.from_system_id.0),
                    p.push(d.to_system_id.0),
                    p.push(d.direction.as_str()),
                    p.push(d.interface),
                    p.push(d.frequency.as_str()),
                    p.push(d.criticality.as_str()),
                    p.push(actor.name.as_str()),
                    p.push(at),
                    p.push(at),
                ];
                rows.push(format!("({})", values.join(", ")));
                sets.extend(d.information_set_ids.into_iter().map(|s| (id, s)));
            }
            let sql = format!(
                "INSERT INTO integrations (id, org_id, from_system_id, to_system_id, direction, interface, frequency, \
                 criticality, created_by, created_at, updated_at) VALUES {}",
                rows.join(", ")
            );
            tx.execute(&sql, p.0).await?;
        }
        for (id, s) in sets {
            tx.execute(
                "INSERT INTO integration_information_sets (integration_id, information_set_id, org_id) VALUES ($1, $2, $3)",
                params![id.0, s, org.0],
            )
            .await?;
        }
        Change::new(
            Some(org),
            AuditAction::Demo,
            AuditObject::Integration,
            org.0,
            serde_json::json!({ "integrations": n }),
        )
        .commit(tx, actor)
        .await?;
        Ok(n)
    }
}
