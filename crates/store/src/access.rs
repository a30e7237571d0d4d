//! What a person holds on one system: the facts the permission rule
//! (`insyn_domain::auth::OnSystem`) needs besides the application role.

use crate::db::{DbRow, Queryable, Result};
use crate::{Store, params};
use chrono::Utc;
use insyn_domain::auth::HeldOnSystem;
use insyn_domain::*;

impl Store {
    /// The roles the person with this e-mail holds on the system today: one
    /// query, and a database error is an error, not "holds nothing".
    pub async fn held_on_system(
        &self,
        org: OrgId,
        system: SystemId,
        email: &str,
    ) -> Result<HeldOnSystem> {
        let today = Utc::now().date_naive();
        let held = self
            .db
            .read()
            .all(
                "SELECT rt.code AS code, rt.grants_edit AS grants_edit FROM role_assignments ra \
                 JOIN role_types rt ON rt.id = ra.role_type_id \
                 JOIN people pe ON pe.id = ra.person_id \
                 WHERE ra.org_id = $1 AND ra.system_id = $2 AND pe.email = $3 AND pe.active = TRUE \
                 AND ra.start_date <= $4 AND (ra.end_date IS NULL OR ra.end_date >= $4)",
                params![org.0, system.0, email.to_lowercase(), today],
                |r: &dyn DbRow| Ok((r.text("code")?, r.bool("grants_edit")?)),
            )
            .await?;
        Ok(HeldOnSystem {
            editing: held.iter().any(|(_, edit)| *edit),
            owner: held.iter().any(|(code, _)| code == SYSTEM_OWNER),
        })
    }
}
