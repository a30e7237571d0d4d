//! A mover's roles (issue 16): when a person changes unit (person page, API
//! or HR file, all through `people::update_person_in`), each role they hold
//! today or are still to hold becomes an item for the manager (chef) of the
//! unit they left, who hands it over to a successor or confirms that it
//! stays (`insyn_domain::access::mover`). Without an active manager with an
//! e-mail address on the old unit, the items fall to the security
//! coordinators and administrators, like a leaver's roles.

use crate::audit::{Actor, Change};
use crate::db::{DbRow, Queryable, Result, Tx, now};
use crate::roles::{VIEW_SQL, assign_in, end_in, view};
use crate::{Store, StoreError, params};
use chrono::NaiveDate;
use insyn_domain::access::{
    HANDOVER_RESOLVED, HandoverState, RoleHandoverDraft, check_successor, handover, transferable,
};
use insyn_domain::*;
use serde::Serialize;
use uuid::Uuid;

/// One role of a mover, and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleHandover {
    pub id: Uuid,
    pub person_id: PersonId,
    pub person_name: String,
    pub assignment_id: AssignmentId,
    pub role_code: String,
    pub role_sv: String,
    pub role_en: String,
    /// The system's or the unit's name the role is on.
    pub target_name: String,
    pub from_unit_id: UnitId,
    pub from_unit_name: String,
    /// The old unit's manager, who is asked (none: the coordinators are).
    pub manager_name: Option<String>,
    #[serde(skip)]
    pub manager_email: Option<String>,
    pub moved_on: NaiveDate,
    pub state: HandoverState,
    pub successor_id: Option<PersonId>,
    pub resolved_by: Option<String>,
}

impl RoleHandover {
    pub fn role_name(&self, lang: &str) -> &str {
        if lang == "en" {
            &self.role_en
        } else {
            &self.role_sv
        }
    }

    /// Whether the user with `email` is asked (it is in their "Mina
    /// uppgifter"): the old unit's manager, or a coordinator
    /// (`coordinates`) when the unit has no manager to ask.
    pub fn asks(&self, email: &str, coordinates: bool) -> bool {
        match &self.manager_email {
            Some(m) => m.trim().eq_ignore_ascii_case(email.trim()),
            None => coordinates,
        }
    }

    /// Whether the user may settle it: the one asked, or any coordinator
    /// (who also hands over leavers' roles).
    pub fn may_settle(&self, email: &str, coordinates: bool) -> bool {
        coordinates || self.asks(email, false)
    }
}

const SELECT: &str = "SELECT h.id, h.person_id, pe.name AS person_name, h.assignment_id, \
    rt.code, rt.name_sv, rt.name_en, COALESCE(s.name, u.name) AS target_name, \
    h.from_unit_id, fu.name AS from_unit_name, \
    CASE WHEN m.active = TRUE AND m.email IS NOT NULL THEN m.name END AS manager_name, \
    CASE WHEN m.active = TRUE THEN m.email END AS manager_email, \
    h.moved_on, h.state, h.successor_id, h.resolved_by \
    FROM role_handovers h JOIN people pe ON pe.id = h.person_id \
    JOIN role_assignments ra ON ra.id = h.assignment_id \
    JOIN role_types rt ON rt.id = ra.role_type_id \
    LEFT JOIN systems s ON s.id = ra.system_id LEFT JOIN units u ON u.id = ra.unit_id \
    JOIN units fu ON fu.id = h.from_unit_id LEFT JOIN people m ON m.id = fu.manager_id";

fn row(r: &dyn DbRow) -> Result<RoleHandover> {
    Ok(RoleHandover {
        id: r.uuid("id")?,
        person_id: PersonId(r.uuid("person_id")?),
        person_name: r.text("person_name")?,
        assignment_id: AssignmentId(r.uuid("assignment_id")?),
        role_code: r.text("code")?,
        role_sv: r.text("name_sv")?,
        role_en: r.text("name_en")?,
        target_name: r.text("target_name")?,
        from_unit_id: UnitId(r.uuid("from_unit_id")?),
        from_unit_name: r.text("from_unit_name")?,
        manager_name: r.opt_text("manager_name")?,
        manager_email: r.opt_text("manager_email")?,
        moved_on: r.date("moved_on")?,
        state: HandoverState::parse(&r.text("state")?).unwrap_or(HandoverState::Open),
        successor_id: r.opt_uuid("successor_id")?.map(PersonId),
        resolved_by: r.opt_text("resolved_by")?,
    })
}

async fn fetch(q: &mut impl Queryable, org: OrgId, id: Uuid) -> Result<RoleHandover> {
    q.opt(
        &format!("{SELECT} WHERE h.org_id = $1 AND h.id = $2"),
        params![org.0, id],
        row,
    )
    .await?
    .ok_or(StoreError::NotFound)
}

/// Opens an item for each role `before` holds today or is still to hold,
/// now that they moved from `before`'s unit to `after`'s; each audited.
pub(crate) async fn open_handovers(
    tx: &mut Tx,
    actor: &Actor,
    before: &Person,
    after: &Person,
) -> Result<()> {
    let Some(from) = before.unit_id else {
        return Ok(());
    };
    let org = before.org_id;
    let today = chrono::Utc::now().date_naive();
    let held = tx
        .all(
            &format!("{VIEW_SQL} WHERE ra.org_id = $1 AND ra.person_id = $2 ORDER BY ra.start_date, ra.id"),
            params![org.0, before.id.0],
            view,
        )
        .await?;
    for a in held.iter().filter(|v| transferable(&v.assignment, today)) {
        let id = Uuid::now_v7();
        tx.execute(
            "INSERT INTO role_handovers (id, org_id, person_id, assignment_id, from_unit_id, to_unit_id, moved_on, state, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            params![id, org.0, before.id.0, a.assignment.id.0, from.0, after.unit_id.map(|u| u.0), today, HandoverState::Open.as_str(), now()],
        )
        .await?;
        let created = fetch(tx, org, id).await?;
        Change::created(Some(org), AuditObject::RoleHandover, id, &created)
            .record(tx, actor)
            .await?;
    }
    Ok(())
}

impl Store {
    /// The organisation's open handover items of movers, oldest move first.
    pub async fn open_role_handovers(&self, org: OrgId) -> Result<Vec<RoleHandover>> {
        self.db
            .read()
            .all(
                &format!(
                    "{SELECT} WHERE h.org_id = $1 AND h.state = 'open' \
                     ORDER BY h.moved_on, pe.name_key, h.id"
                ),
                params![org.0],
                row,
            )
            .await
    }

    /// The open items the user with `email` is asked to settle (a
    /// coordinator, `coordinates`, settles those of units without a manager).
    pub async fn role_handovers_for(
        &self,
        org: OrgId,
        email: &str,
        coordinates: bool,
    ) -> Result<Vec<RoleHandover>> {
        Ok(self
            .open_role_handovers(org)
            .await?
            .into_iter()
            .filter(|h| h.asks(email, coordinates))
            .collect())
    }

    pub async fn role_handover(&self, org: OrgId, id: Uuid) -> Result<RoleHandover> {
        fetch(&mut self.db.read(), org, id).await
    }

    /// Settles one item: the role handed over to the successor (it ends for
    /// the mover and begins for the successor, as a leaver's would) or kept.
    /// One transaction with its audit records.
    pub async fn settle_role_handover(
        &self,
        actor: &Actor,
        org: OrgId,
        id: Uuid,
        d: RoleHandoverDraft,
    ) -> Result<RoleHandover> {
        let (state, successor) = d.outcome().map_err(StoreError::Invalid)?;
        let today = chrono::Utc::now().date_naive();
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id).await?;
        if before.state != HandoverState::Open {
            return Err(StoreError::Invalid(FieldErrors::single(
                "state",
                HANDOVER_RESOLVED,
            )));
        }
        if let Some(to) = successor {
            let mover = tx
                .org_row(
                    crate::people::COLS,
                    "people",
                    org,
                    before.person_id.0,
                    crate::people::person,
                )
                .await?;
            let heir = crate::leavers::successor(&mut tx, org, to).await?;
            let a = tx
                .one(
                    &format!("{VIEW_SQL} WHERE ra.org_id = $1 AND ra.id = $2"),
                    params![org.0, before.assignment_id.0],
                    view,
                )
                .await?
                .assignment;
            let n = usize::from(transferable(&a, today));
            check_successor(&mover, &heir, n).map_err(StoreError::Invalid)?;
            let (end, draft) = handover(&a, heir.id, today);
            end_in(&mut tx, actor, org, a.id, end).await?;
            assign_in(&mut tx, actor, org, draft).await?;
        }
        tx.execute(
            "UPDATE role_handovers SET state = $3, successor_id = $4, resolved_by = $5, resolved_at = $6 \
             WHERE org_id = $1 AND id = $2",
            params![org.0, id, state.as_str(), successor.map(|s| s.0), actor.name.as_str(), now()],
        )
        .await?;
        let after = fetch(&mut tx, org, id).await?;
        Change::updated(Some(org), AuditObject::RoleHandover, id, &before, &after)
            .commit(tx, actor)
            .await?;
        Ok(after)
    }
}
