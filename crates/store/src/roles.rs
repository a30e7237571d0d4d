//! Role types (data per organisation) and role assignments: person × role ×
//! system or unit, with a start and an end. Ending an assignment keeps it as
//! history; nothing is deleted.

use crate::audit::{Actor, Change};
use crate::db::{DbRow, Queryable, Result, Tx, now};
use crate::{Store, StoreError, params};
use chrono::NaiveDate;
use insyn_domain::validation as v;
use insyn_domain::*;
use serde::Serialize;

const RT_COLS: &str =
    "id, org_id, code, name_sv, name_en, scope, description, sort_order, grants_edit";

fn role_type(r: &dyn DbRow) -> Result<RoleType> {
    Ok(RoleType {
        id: RoleTypeId(r.uuid("id")?),
        org_id: OrgId(r.uuid("org_id")?),
        code: r.text("code")?,
        name_sv: r.text("name_sv")?,
        name_en: r.text("name_en")?,
        scope: RoleScope::parse(&r.text("scope")?).unwrap_or(RoleScope::System),
        description: r.opt_text("description")?,
        sort_order: r.i32("sort_order")?,
        grants_edit: r.bool("grants_edit")?,
    })
}

const RA_COLS: &str = "ra.id, ra.org_id, ra.role_type_id, ra.person_id, ra.system_id, ra.unit_id, \
    ra.start_date, ra.end_date, ra.note";

fn assignment(r: &dyn DbRow) -> Result<RoleAssignment> {
    Ok(RoleAssignment {
        id: AssignmentId(r.uuid("id")?),
        org_id: OrgId(r.uuid("org_id")?),
        role_type_id: RoleTypeId(r.uuid("role_type_id")?),
        person_id: PersonId(r.uuid("person_id")?),
        system_id: r.opt_uuid("system_id")?.map(SystemId),
        unit_id: r.opt_uuid("unit_id")?.map(UnitId),
        start_date: r.date("start_date")?,
        end_date: r.opt_date("end_date")?,
        note: r.opt_text("note")?,
    })
}

/// An assignment with the names a page shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssignmentView {
    pub assignment: RoleAssignment,
    pub role_code: String,
    pub role_sv: String,
    pub role_en: String,
    pub person_name: String,
    pub person_active: bool,
    /// The system's or the unit's name.
    pub target_name: String,
    pub current: bool,
}

impl AssignmentView {
    pub fn role_name(&self, lang: &str) -> &str {
        if lang == "en" {
            &self.role_en
        } else {
            &self.role_sv
        }
    }
}

/// A role someone holds, for the person page.
pub type HeldRole = AssignmentView;

pub(crate) const VIEW_SQL: &str = "SELECT ra.id, ra.org_id, ra.role_type_id, ra.person_id, ra.system_id, ra.unit_id, \
    ra.start_date, ra.end_date, ra.note, rt.code, rt.name_sv, rt.name_en, rt.sort_order, pe.name AS person_name, \
    pe.active AS person_active, COALESCE(s.name, u.name) AS target_name \
    FROM role_assignments ra JOIN role_types rt ON rt.id = ra.role_type_id \
    JOIN people pe ON pe.id = ra.person_id \
    LEFT JOIN systems s ON s.id = ra.system_id LEFT JOIN units u ON u.id = ra.unit_id";

pub(crate) fn view(r: &dyn DbRow) -> Result<AssignmentView> {
    let a = assignment(r)?;
    let current = a.is_current(chrono::Utc::now().date_naive());
    Ok(AssignmentView {
        current,
        assignment: a,
        role_code: r.text("code")?,
        role_sv: r.text("name_sv")?,
        role_en: r.text("name_en")?,
        person_name: r.text("person_name")?,
        person_active: r.bool("person_active")?,
        target_name: r.opt_text("target_name")?.unwrap_or_default(),
    })
}

impl Store {
    pub async fn list_role_types(&self, org: OrgId) -> Result<Vec<RoleType>> {
        self.db
            .read()
            .all(
                &format!("SELECT {RT_COLS} FROM role_types WHERE org_id = $1 ORDER BY sort_order, name_sv"),
                params![org.0],
                role_type,
            )
            .await
    }

    pub async fn get_role_type(&self, org: OrgId, id: RoleTypeId) -> Result<RoleType> {
        self.db
            .read()
            .org_row(RT_COLS, "role_types", org, id.0, role_type)
            .await
    }

    pub async fn create_role_type(
        &self,
        actor: &Actor,
        org: OrgId,
        draft: RoleTypeDraft,
    ) -> Result<RoleType> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        let n = tx
            .count(
                "SELECT COUNT(*) AS n FROM role_types WHERE org_id = $1 AND code = $2",
                params![org.0, d.code.as_str()],
            )
            .await?;
        if n > 0 {
            return Err(StoreError::Invalid(FieldErrors::single("code", v::TAKEN)));
        }
        let id = RoleTypeId::new();
        let at = now();
        tx.execute(
            "INSERT INTO role_types (id, org_id, code, name_sv, name_en, scope, description, sort_order, grants_edit, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
            params![id.0, org.0, d.code.as_str(), d.name_sv.as_str(), d.name_en.as_str(), d.scope.as_str(), d.description.clone(), i64::from(d.sort_order), d.grants_edit, at],
        )
        .await?;
        let created = tx
            .one(
                &format!("SELECT {RT_COLS} FROM role_types WHERE id = $1"),
                params![id.0],
                role_type,
            )
            .await?;
        Change::created(Some(org), AuditObject::RoleType, id.0, &created)
            .commit(tx, actor)
            .await?;
        Ok(created)
    }

    /// Current and past holders of roles on a system: current first.
    pub async fn system_roles(&self, org: OrgId, id: SystemId) -> Result<Vec<AssignmentView>> {
        self.views("ra.system_id", org, id.0).await
    }

    pub async fn unit_roles(&self, org: OrgId, id: UnitId) -> Result<Vec<AssignmentView>> {
        self.views("ra.unit_id", org, id.0).await
    }

    /// Everything a person answers for (and has answered for).
    pub async fn person_roles(&self, org: OrgId, id: PersonId) -> Result<Vec<AssignmentView>> {
        self.views("ra.person_id", org, id.0).await
    }

    async fn views(&self, col: &str, org: OrgId, id: uuid::Uuid) -> Result<Vec<AssignmentView>> {
        let mut v = self
            .db
            .read()
            .all(
                &format!("{VIEW_SQL} WHERE ra.org_id = $1 AND {col} = $2 ORDER BY rt.sort_order, ra.start_date DESC, pe.name"),
                params![org.0, id],
                view,
            )
            .await?;
        // Current first, keeping role order inside each group.
        v.sort_by_key(|a| !a.current);
        Ok(v)
    }

    /// All assignments of an organisation, newest first; changed after
    /// `since` when given (for synchronisation).
    pub async fn list_assignments(
        &self,
        org: OrgId,
        since: Option<chrono::DateTime<chrono::Utc>>,
        page: PageRequest,
    ) -> Result<Page<AssignmentView>> {
        let since = since.unwrap_or(chrono::DateTime::<chrono::Utc>::UNIX_EPOCH);
        let mut read = self.db.read();
        let total = read
            .count(
                "SELECT COUNT(*) AS n FROM role_assignments WHERE org_id = $1 AND updated_at > $2",
                params![org.0, since],
            )
            .await?;
        let items = read
            .all(
                &format!("{VIEW_SQL} WHERE ra.org_id = $1 AND ra.updated_at > $2 ORDER BY ra.start_date DESC, ra.id LIMIT $3 OFFSET $4"),
                params![org.0, since, page.limit(), page.offset()],
                view,
            )
            .await?;
        Ok(Page {
            items,
            total,
            page: page.page,
            per_page: page.per_page,
            total_capped: false,
        })
    }

    pub async fn get_assignment(&self, org: OrgId, id: AssignmentId) -> Result<AssignmentView> {
        self.db
            .read()
            .one(
                &format!("{VIEW_SQL} WHERE ra.org_id = $1 AND ra.id = $2"),
                params![org.0, id.0],
                view,
            )
            .await
    }

    /// Gives a person a role on a system or a unit. Several people may hold
    /// the same role at once.
    pub async fn assign_role(
        &self,
        actor: &Actor,
        org: OrgId,
        draft: AssignmentDraft,
    ) -> Result<RoleAssignment> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        let created = assign_in(&mut tx, actor, org, d).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Ends an assignment: `end` is the last day it is held. Ending it the
    /// day before it started withdraws it (it was never held). It stays as history.
    pub async fn end_assignment(
        &self,
        actor: &Actor,
        org: OrgId,
        id: AssignmentId,
        end: NaiveDate,
    ) -> Result<RoleAssignment> {
        let mut tx = self.db.begin().await?;
        let after = end_in(&mut tx, actor, org, id, end).await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// Gives the role of a validated draft, with its audit record, in `tx`.
pub(crate) async fn assign_in(
    tx: &mut Tx,
    actor: &Actor,
    org: OrgId,
    d: AssignmentDraft,
) -> Result<RoleAssignment> {
    check_refs(tx, org, &d).await?;
    let id = AssignmentId::new();
    let at = now();
    tx.execute(
        "INSERT INTO role_assignments (id, org_id, role_type_id, person_id, system_id, unit_id, start_date, end_date, note, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
        params![id.0, org.0, d.role_type_id.0, d.person_id.0, d.system_id.map(|s| s.0), d.unit_id.map(|u| u.0), d.start_date, d.end_date, d.note.clone(), at],
    )
    .await?;
    let created = fetch(tx, org, id).await?;
    Change::created(Some(org), AuditObject::RoleAssignment, id.0, &created)
        .record(tx, actor)
        .await?;
    touch_target(tx, &created).await?;
    Ok(created)
}

/// Ends an assignment on `end`, with its audit record, in `tx`.
pub(crate) async fn end_in(
    tx: &mut Tx,
    actor: &Actor,
    org: OrgId,
    id: AssignmentId,
    end: NaiveDate,
) -> Result<RoleAssignment> {
    let before = fetch(tx, org, id).await?;
    if end < before.start_date - chrono::Days::new(1) {
        return Err(StoreError::Invalid(FieldErrors::single(
            "end_date",
            v::END_BEFORE_START,
        )));
    }
    tx.execute(
        "UPDATE role_assignments SET end_date = $3, updated_at = $4 WHERE org_id = $1 AND id = $2",
        params![org.0, id.0, end, now()],
    )
    .await?;
    let after = fetch(tx, org, id).await?;
    Change::updated(
        Some(org),
        AuditObject::RoleAssignment,
        id.0,
        &before,
        &after,
    )
    .record(tx, actor)
    .await?;
    touch_target(tx, &after).await?;
    Ok(after)
}

async fn fetch(tx: &mut Tx, org: OrgId, id: AssignmentId) -> Result<RoleAssignment> {
    tx.one(
        &format!("SELECT {RA_COLS} FROM role_assignments ra WHERE ra.org_id = $1 AND ra.id = $2"),
        params![org.0, id.0],
        assignment,
    )
    .await
}

/// A change of role holders is a change of the system: `changed_since` must see it.
async fn touch_target(tx: &mut Tx, a: &RoleAssignment) -> Result<()> {
    if let Some(s) = a.system_id {
        tx.execute(
            "UPDATE systems SET updated_at = $2 WHERE id = $1",
            params![s.0, now()],
        )
        .await?;
    }
    Ok(())
}

async fn check_refs(tx: &mut Tx, org: OrgId, d: &AssignmentDraft) -> Result<()> {
    let mut e = FieldErrors::new();
    let scope = tx
        .opt(
            "SELECT scope FROM role_types WHERE org_id = $1 AND id = $2",
            params![org.0, d.role_type_id.0],
            |r| r.text("scope"),
        )
        .await?;
    match scope.as_deref().and_then(RoleScope::parse) {
        None => e.add("role_type_id", v::UNKNOWN_REFERENCE),
        Some(RoleScope::System) if d.system_id.is_none() => e.add("role_type_id", v::WRONG_TARGET),
        Some(RoleScope::Unit) if d.unit_id.is_none() => e.add("role_type_id", v::WRONG_TARGET),
        _ => {}
    }
    let exists = |table: &'static str, id: uuid::Uuid| {
        (
            format!("SELECT COUNT(*) AS n FROM {table} WHERE org_id = $1 AND id = $2"),
            params![org.0, id],
        )
    };
    let (sql, p) = exists("people", d.person_id.0);
    if tx.count(&sql, p).await? == 0 {
        e.add("person_id", v::UNKNOWN_REFERENCE);
    }
    if let Some(s) = d.system_id {
        let (sql, p) = exists("systems", s.0);
        if tx.count(&sql, p).await? == 0 {
            e.add("system_id", v::UNKNOWN_REFERENCE);
        }
    }
    if let Some(u) = d.unit_id {
        let (sql, p) = exists("units", u.0);
        if tx.count(&sql, p).await? == 0 {
            e.add("unit_id", v::UNKNOWN_REFERENCE);
        }
    }
    if e.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Invalid(e))
    }
}

impl Store {
    /// Whether the person with this e-mail address holds any role in the
    /// organisation today (then their start page is their tasks).
    pub async fn holds_any_role(&self, org: OrgId, email: &str) -> Result<bool> {
        let n = self
            .db
            .read()
            .count(
                &format!("SELECT COUNT(*) AS n FROM {HELD_TODAY}"),
                params![org.0, email.to_lowercase(), chrono::Utc::now().date_naive()],
            )
            .await?;
        Ok(n > 0)
    }

    /// The roles the person with this e-mail holds on the system today, as
    /// the permission rule (`insyn_domain::auth::OnSystem`) needs them: one
    /// query, and a database error is an error, not "holds nothing".
    pub async fn held_on_system(
        &self,
        org: OrgId,
        system: SystemId,
        email: &str,
    ) -> Result<insyn_domain::auth::HeldOnSystem> {
        let held = self.held_today_on(org, system, email).await?;
        Ok(insyn_domain::auth::HeldOnSystem {
            editing: held.iter().any(|(_, edit)| *edit),
            owner: held.iter().any(|(code, _)| code == SYSTEM_OWNER),
        })
    }

    /// The codes of the role types the person with this e-mail holds on
    /// the system today (who may take a step on an access order).
    pub async fn roles_on_system(
        &self,
        org: OrgId,
        system: SystemId,
        email: &str,
    ) -> Result<Vec<String>> {
        let held = self.held_today_on(org, system, email).await?;
        Ok(held.into_iter().map(|(code, _)| code).collect())
    }

    /// [`Store::roles_on_system`] for each of `systems` (those on which the
    /// person holds nothing are left out), in one statement per few hundred.
    pub async fn roles_on_systems(
        &self,
        org: OrgId,
        systems: &[SystemId],
        email: &str,
    ) -> Result<std::collections::HashMap<SystemId, Vec<String>>> {
        let mut head = crate::db::Params::default();
        head.push(org.0);
        head.push(email.to_lowercase());
        head.push(chrono::Utc::now().date_naive());
        let ids: Vec<uuid::Uuid> = systems.iter().map(|s| s.0).collect();
        let held = crate::db::by_ids(
            &mut self.db.read(),
            &head,
            &ids,
            |member| {
                format!(
                    "SELECT ra.system_id AS system_id, rt.code AS code FROM {HELD_TODAY} \
                     AND ra.system_id {member}"
                )
            },
            |r: &dyn DbRow| Ok((SystemId(r.uuid("system_id")?), r.text("code")?)),
        )
        .await?;
        let mut out: std::collections::HashMap<SystemId, Vec<String>> = Default::default();
        for (system, code) in held {
            out.entry(system).or_default().push(code);
        }
        Ok(out)
    }

    /// Each role held today on the system: its type's code, and whether it
    /// lets its holder edit the system.
    async fn held_today_on(
        &self,
        org: OrgId,
        system: SystemId,
        email: &str,
    ) -> Result<Vec<(String, bool)>> {
        self.db
            .read()
            .all(
                &format!(
                    "SELECT rt.code AS code, rt.grants_edit AS grants_edit FROM {HELD_TODAY} \
                     AND ra.system_id = $4"
                ),
                params![
                    org.0,
                    email.to_lowercase(),
                    chrono::Utc::now().date_naive(),
                    system.0
                ],
                |r: &dyn DbRow| Ok((r.text("code")?, r.bool("grants_edit")?)),
            )
            .await
    }
}

/// The role assignments (`ra`, with their type `rt`) that the active person
/// with the e-mail `$2` holds today (`$3`) in the organisation `$1`.
const HELD_TODAY: &str = "role_assignments ra \
     JOIN role_types rt ON rt.id = ra.role_type_id \
     JOIN people pe ON pe.id = ra.person_id \
     WHERE ra.org_id = $1 AND pe.email = $2 AND pe.active = TRUE \
     AND ra.start_date <= $3 AND (ra.end_date IS NULL OR ra.end_date >= $3)";
