//! Planned restore tests for the årshjul and "Mina uppgifter": the tests of
//! the organisation's active systems with a planned date and no performed
//! date, read in one statement through the systems' index.

use crate::db::{Queryable, Result};
use crate::{Store, params};
use chrono::NaiveDate;
use insyn_domain::policy::PlannedRestore;
use insyn_domain::*;

impl Store {
    /// The organisation's planned, unperformed restore tests planned on or
    /// before `until`, the earliest first.
    pub async fn planned_restore_tests(
        &self,
        org: OrgId,
        until: NaiveDate,
    ) -> Result<Vec<PlannedRestore>> {
        self.db
            .read()
            .all(
                "SELECT t.id, t.system_id, s.name, t.planned_on, t.performed_by \
                 FROM systems s JOIN restore_tests t ON t.system_id = s.id \
                 WHERE s.org_id = $1 AND s.archived = FALSE AND t.org_id = $1 \
                 AND t.performed_on IS NULL AND t.planned_on IS NOT NULL AND t.planned_on <= $2 \
                 ORDER BY t.planned_on, s.name_key, t.id",
                params![org.0, until],
                |r| {
                    Ok(PlannedRestore {
                        test_id: r.uuid("id")?,
                        system_id: SystemId(r.uuid("system_id")?),
                        system_name: r.text("name")?,
                        planned_on: r.date("planned_on")?,
                        performer: r.opt_text("performed_by")?,
                    })
                },
            )
            .await
    }
}
