//! What a leaver leaves behind in the register: the roles (systemägare,
//! systemförvaltare …) they still hold, each a task to hand over or end,
//! and the one-step handover of all of them to a named successor. (Their
//! access holdings get removal orders when they leave: `access::holdings`.)

use crate::audit::Actor;
use crate::db::{Queryable, Result, Tx};
use crate::roles::{AssignmentView, VIEW_SQL, assign_in, end_in, view};
use crate::{Store, StoreError, params};
use insyn_domain::access::{RoleTransferDraft, check_successor, handover, transferable};
use insyn_domain::*;

impl Store {
    /// The roles held today or still to come (not withdrawn) by people who
    /// have left: each one must be handed over to a successor or ended (the
    /// security coordinator's tasks), by person and role, one page.
    pub async fn leavers_roles(
        &self,
        org: OrgId,
        page: PageRequest,
    ) -> Result<Page<AssignmentView>> {
        const LEFT: &str = "ra.org_id = $1 AND pe.org_id = $1 AND pe.active = FALSE \
             AND (ra.end_date IS NULL OR (ra.end_date >= $2 AND ra.end_date >= ra.start_date))";
        let today = chrono::Utc::now().date_naive();
        let mut read = self.db.read();
        let total = read
            .count(
                &format!(
                    "SELECT COUNT(*) AS n FROM role_assignments ra \
                     JOIN people pe ON pe.id = ra.person_id WHERE {LEFT}"
                ),
                params![org.0, today],
            )
            .await?;
        // The page's ids first, from the indexes alone; then their rows
        // with the names of what they are on.
        const ORDER: &str = "ORDER BY pe.name_key, pe.id, rt.sort_order, ra.start_date, ra.id";
        let items = read
            .all(
                &format!(
                    "{VIEW_SQL} WHERE ra.id IN (SELECT ra.id FROM role_assignments ra \
                     JOIN people pe ON pe.id = ra.person_id JOIN role_types rt ON rt.id = ra.role_type_id \
                     WHERE {LEFT} {ORDER} LIMIT $3 OFFSET $4) {ORDER}"
                ),
                params![org.0, today, page.limit(), page.offset()],
                view,
            )
            .await?;
        Ok(Page::of(items, total, page))
    }

    /// Hands every role `from` holds today or is still to hold over to the
    /// successor, in one transaction: each assignment ends for `from` (the
    /// day before today, or before it would have begun) and begins for the
    /// successor with the same role, system or unit, end and note; every
    /// change is audited. Returns the successor's new assignments.
    pub async fn transfer_roles(
        &self,
        actor: &Actor,
        org: OrgId,
        from: PersonId,
        draft: RoleTransferDraft,
    ) -> Result<Vec<RoleAssignment>> {
        let today = chrono::Utc::now().date_naive();
        let mut tx = self.db.begin().await?;
        let leaver = tx
            .org_row(PEOPLE_COLS, "people", org, from.0, crate::people::person)
            .await?;
        let successor = successor(&mut tx, org, draft.successor_id).await?;
        let held: Vec<RoleAssignment> = tx
            .all(
                &format!("{VIEW_SQL} WHERE ra.org_id = $1 AND ra.person_id = $2 ORDER BY ra.start_date, ra.id"),
                params![org.0, from.0],
                view,
            )
            .await?
            .into_iter()
            .map(|v| v.assignment)
            .filter(|a| transferable(a, today))
            .collect();
        check_successor(&leaver, &successor, held.len()).map_err(StoreError::Invalid)?;
        let mut given = Vec::with_capacity(held.len());
        for a in &held {
            let (end, d) = handover(a, successor.id, today);
            end_in(&mut tx, actor, org, a.id, end).await?;
            given.push(assign_in(&mut tx, actor, org, d).await?);
        }
        tx.commit().await?;
        Ok(given)
    }
}

const PEOPLE_COLS: &str = crate::people::COLS;

/// The person named to take over a role, or the field error of an unknown
/// one (a leaver's roles, a mover's).
pub(crate) async fn successor(tx: &mut Tx, org: OrgId, id: PersonId) -> Result<Person> {
    tx.opt(
        &format!("SELECT {PEOPLE_COLS} FROM people WHERE org_id = $1 AND id = $2"),
        params![org.0, id.0],
        crate::people::person,
    )
    .await?
    .ok_or_else(|| {
        StoreError::Invalid(FieldErrors::single(
            "successor_id",
            insyn_domain::validation::UNKNOWN_REFERENCE,
        ))
    })
}
