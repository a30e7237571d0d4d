//! A system chosen by its name, as a form's text field names it: active
//! names are unique per organisation (by their sort key), so one indexed
//! look-up finds it at any size of the register.

use crate::db::{Queryable, Result};
use crate::{Store, name_key, params};
use insyn_domain::*;

impl Store {
    /// The active system of the organisation with this name (in any case).
    pub async fn system_named(&self, org: OrgId, name: &str) -> Result<Option<SystemId>> {
        let key = name_key(name.trim());
        Ok(self
            .db
            .read()
            .opt(
                "SELECT id FROM systems WHERE org_id = $1 AND archived = FALSE AND name_key = $2",
                params![org.0, key],
                |r| r.uuid("id"),
            )
            .await?
            .map(SystemId))
    }
}
