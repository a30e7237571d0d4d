//! Planned restore tests for the årshjul and "Mina uppgifter": the tests of
//! the organisation's active systems with a planned date and no performed
//! date, read in one statement through the systems' index; the tests due
//! or overdue that fall to a person (the one source of the tasks page and
//! the API's tasks); and removing a test that was planned and not
//! performed, with its audit record.

use super::restore::views;
use crate::audit::{Actor, Change};
use crate::db::{Queryable, Result};
use crate::{Store, StoreError, params};
use chrono::NaiveDate;
use insyn_domain::continuity::PERFORMED_KEPT;
use insyn_domain::policy::{Compliance, PlannedRestore, PlannedTask};
use insyn_domain::validation::FieldErrors;
use insyn_domain::*;
use uuid::Uuid;

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

    /// The planned tests due or overdue on the compliance's day that fall
    /// to the person with this e-mail (or name): the tasks page and the
    /// API's tasks both read them here.
    pub async fn planned_restore_tasks(
        &self,
        org: OrgId,
        compliance: &Compliance,
        email: &str,
        name: &str,
    ) -> Result<Vec<PlannedTask>> {
        let until = compliance.today + chrono::Days::new(compliance.restore_remind_days().into());
        let all = self.planned_restore_tests(org, until).await?;
        Ok(compliance.planned_restore_tasks(&all, email, name))
    }

    /// Removes a restore test that was planned and not performed, with any
    /// actions on it (the trail keeps what it was). A performed test stays:
    /// it is the evidence of the restore-test control.
    pub async fn remove_planned_restore_test(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        id: Uuid,
    ) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let before = views(&mut tx, org, system, Some(id))
            .await?
            .pop()
            .ok_or(StoreError::NotFound)?;
        if before.test.performed() {
            return Err(StoreError::Invalid(FieldErrors::single(
                "performed_on",
                PERFORMED_KEPT,
            )));
        }
        tx.execute(
            "DELETE FROM restore_test_actions WHERE test_id = $1",
            params![id],
        )
        .await?;
        tx.execute("DELETE FROM restore_tests WHERE id = $1", params![id])
            .await?;
        Change::new(
            Some(org),
            AuditAction::Remove,
            AuditObject::RestoreTest,
            id,
            crate::audit::diff(Some(&before), None),
        )
        .commit(tx, actor)
        .await
    }
}
