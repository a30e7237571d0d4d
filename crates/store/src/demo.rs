//! Loads the generated demo municipality into an empty database, in bulk:
//! 100,000 systems take seconds, not minutes.

use crate::audit::{Actor, Change};
use crate::bulk::{Bulk, insert_rows};
use crate::db::{Queryable, Result, wall_clock};
use crate::{Store, name_key, params};
use insyn_domain::demo::DemoData;
use insyn_domain::*;
use serde_json::json;
use std::collections::HashMap;

impl Store {
    /// Whether any organisation exists yet.
    pub async fn is_empty(&self) -> Result<bool> {
        Ok(self
            .db
            .read()
            .count("SELECT COUNT(*) AS n FROM organisations", vec![])
            .await?
            == 0)
    }

    /// Loads the demo data. Call on an empty database only.
    pub async fn load_demo(&self, data: DemoData) -> Result<()> {
        let actor = Actor::new("insyn demo");
        for (id, p) in data.products {
            self.create_product_with_id(&actor, id, p).await?;
        }
        for org in data.orgs {
            self.create_org_with_id(&actor, org.id, org.draft.clone())
                .await?;
            let roles: HashMap<String, RoleTypeId> = self
                .list_role_types(org.id)
                .await?
                .into_iter()
                .map(|r| (r.code, r.id))
                .collect();
            // The rows entered in bulk are of today, even inside the demo's
            // `demo_dated` (which dates the organisation and the audit
            // entry): only the systems given a history are moved back.
            let at = wall_clock();
            let mut tx = self.db.begin().await?;
            let unit_rows = org
                .units
                .iter()
                .map(|(id, u)| {
                    params![
                        id.0,
                        org.id.0,
                        u.parent_id.map(|p| p.0),
                        u.name.as_str(),
                        name_key(&u.name),
                        u.level.as_str(),
                        false,
                        at,
                        at
                    ]
                })
                .collect();
            insert_rows(
                &mut tx,
                "units",
                &[
                    "id",
                    "org_id",
                    "parent_id",
                    "name",
                    "name_key",
                    "level",
                    "archived",
                    "created_at",
                    "updated_at",
                ],
                unit_rows,
            )
            .await?;
            let mut bulk = Bulk::default();
            for (id, p) in &org.people {
                bulk.add_person(
                    *id,
                    org.id,
                    &p.name,
                    p.email.as_deref(),
                    p.title.as_deref(),
                    p.unit_id,
                    p.active,
                    at,
                );
            }
            for (id, d) in &org.systems {
                bulk.add_system(org.id, *id, d, at);
            }
            for (code, person, system, start) in &org.assignments {
                bulk.add_system_role(
                    AssignmentId::new(),
                    org.id,
                    roles[*code],
                    *person,
                    *system,
                    *start,
                    None,
                    at,
                );
            }
            bulk.flush(&mut tx).await?;
            Change::new(
                Some(org.id),
                AuditAction::Demo,
                AuditObject::Organisation,
                org.id.0,
                json!({
                    "units": org.units.len(),
                    "people": org.people.len(),
                    "systems": org.systems.len(),
                    "role_assignments": org.assignments.len(),
                }),
            )
            .commit(tx, &actor)
            .await?;
        }
        self.analyze().await
    }
}

impl Store {
    /// For the demo only: moves an access review's dates into the past, as
    /// if it had been opened `days_ago` and were `overdue_days` past its
    /// deadline, so the first start shows an overdue review. Audited as the
    /// demo's own change.
    pub async fn demo_backdate_review(
        &self,
        org: OrgId,
        id: ReviewCampaignId,
        days_ago: i64,
        overdue_days: i64,
    ) -> Result<()> {
        let today = chrono::Utc::now().date_naive();
        let opened = today - chrono::Duration::days(days_ago);
        let deadline = today - chrono::Duration::days(overdue_days);
        let mut tx = self.db.begin().await?;
        tx.execute(
            "UPDATE access_reviews SET opened_on = $3, deadline = $4 WHERE org_id = $1 AND id = $2",
            params![org.0, id.0, opened, deadline],
        )
        .await?;
        Change::new(
            Some(org),
            AuditAction::Demo,
            AuditObject::AccessReview,
            id.0,
            json!({ "opened_on": { "old": null, "new": opened }, "deadline": { "old": null, "new": deadline } }),
        )
        .commit(tx, &Actor::new("insyn demo"))
        .await
    }
}
