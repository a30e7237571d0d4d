//! Records that belong to one system and are written whole: a system's
//! backups, the record types of its information management plan and the
//! erasure records of its media. One place reads and writes them all: the
//! system checked against the organisation, the draft validated, and the
//! audit record in the same transaction as the row.

use crate::audit::{self, Actor, Change};
use crate::db::{DbRow, P, Queryable, Result, now};
use crate::policy::{ControlDraft, insert_control};
use crate::security::check_system;
use crate::{Store, params};
use insyn_domain::validation::{FieldErrors, MAX_PER_SYSTEM, SYSTEM_FULL};
use insyn_domain::{AuditAction, AuditObject, OrgId, SystemId};
use serde::Serialize;
use uuid::Uuid;

/// A kind of record held per system: its table (with the columns `id`,
/// `org_id`, `system_id`, the draft's columns, `updated_by`, `updated_at`).
pub(crate) trait SystemChild: Sized {
    type Draft: Serialize;
    const TABLE: &'static str;
    /// The draft's columns, in the order `values` gives them.
    const DRAFT_COLS: &'static [&'static str];
    /// How a system's records are listed.
    const ORDER: &'static str;
    const OBJECT: AuditObject;
    fn validated(d: Self::Draft) -> std::result::Result<Self::Draft, FieldErrors>;
    fn read(r: &dyn DbRow) -> Result<Self>;
    fn draft(&self) -> &Self::Draft;
    fn values(d: &Self::Draft) -> Vec<P>;
    /// The årshjul control a new record performs, if any (written in the
    /// same transaction).
    fn control(&self) -> Option<ControlDraft> {
        None
    }
}

fn select<C: SystemChild>() -> String {
    format!(
        "SELECT id, system_id, {}, updated_by, updated_at FROM {} WHERE org_id = $1 AND system_id = $2",
        C::DRAFT_COLS.join(", "),
        C::TABLE
    )
}

/// A system's records of the kind, in their order (at most
/// [`MAX_PER_SYSTEM`]: adding one more is refused).
pub(crate) async fn all<C: SystemChild>(
    q: &mut impl Queryable,
    org: OrgId,
    system: SystemId,
) -> Result<Vec<C>> {
    let sql = format!(
        "{} ORDER BY {} LIMIT {MAX_PER_SYSTEM}",
        select::<C>(),
        C::ORDER
    );
    q.all(&sql, params![org.0, system.0], C::read).await
}

/// One record of the system (not found when it is another system's).
pub(crate) async fn one<C: SystemChild>(
    q: &mut impl Queryable,
    org: OrgId,
    system: SystemId,
    id: Uuid,
) -> Result<C> {
    let sql = format!("{} AND id = $3", select::<C>());
    q.one(&sql, params![org.0, system.0, id], C::read).await
}

/// The draft's values followed by who wrote it and when.
fn written<C: SystemChild>(d: &C::Draft, actor: &Actor) -> Vec<P> {
    [C::values(d), params![actor.name.as_str(), now()]].concat()
}

impl Store {
    /// A system's records of the kind (not found for a system not of the organisation).
    pub(crate) async fn children<C: SystemChild>(
        &self,
        org: OrgId,
        system: SystemId,
    ) -> Result<Vec<C>> {
        let mut read = self.db.read();
        check_system(&mut read, org, system).await?;
        all(&mut read, org, system).await
    }

    pub(crate) async fn child<C: SystemChild>(
        &self,
        org: OrgId,
        system: SystemId,
        id: Uuid,
    ) -> Result<C> {
        one(&mut self.db.read(), org, system, id).await
    }

    pub(crate) async fn add_child<C: SystemChild>(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        draft: C::Draft,
    ) -> Result<C> {
        let d = C::validated(draft)?;
        let mut tx = self.db.begin().await?;
        check_system(&mut tx, org, system).await?;
        let held = tx
            .count(
                &format!(
                    "SELECT COUNT(*) AS n FROM {} WHERE org_id = $1 AND system_id = $2",
                    C::TABLE
                ),
                params![org.0, system.0],
            )
            .await?;
        if held >= MAX_PER_SYSTEM {
            return Err(FieldErrors::single("system_id", SYSTEM_FULL).into());
        }
        let id = Uuid::now_v7();
        let n = C::DRAFT_COLS.len() + 5;
        let sql = format!(
            "INSERT INTO {} (id, org_id, system_id, {}, updated_by, updated_at) VALUES ({})",
            C::TABLE,
            C::DRAFT_COLS.join(", "),
            (1..=n)
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let p = [params![id, org.0, system.0], written::<C>(&d, actor)].concat();
        tx.execute(&sql, p).await?;
        let created: C = one(&mut tx, org, system, id).await?;
        if let Some(c) = created.control() {
            insert_control(&mut tx, actor, org, Some(system), c, None).await?;
        }
        Change::created(Some(org), C::OBJECT, id, created.draft())
            .commit(tx, actor)
            .await?;
        Ok(created)
    }

    /// Replaces a record as a whole.
    pub(crate) async fn update_child<C: SystemChild>(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        id: Uuid,
        draft: C::Draft,
    ) -> Result<C> {
        let d = C::validated(draft)?;
        let mut tx = self.db.begin().await?;
        let before: C = one(&mut tx, org, system, id).await?;
        let sets: Vec<String> = C::DRAFT_COLS
            .iter()
            .chain(&["updated_by", "updated_at"])
            .enumerate()
            .map(|(i, c)| format!("{c} = ${}", i + 2))
            .collect();
        let sql = format!("UPDATE {} SET {} WHERE id = $1", C::TABLE, sets.join(", "));
        tx.execute(&sql, [params![id], written::<C>(&d, actor)].concat())
            .await?;
        let after: C = one(&mut tx, org, system, id).await?;
        Change::updated(Some(org), C::OBJECT, id, before.draft(), after.draft())
            .commit(tx, actor)
            .await?;
        Ok(after)
    }

    /// Removes a record (the trail keeps what it was).
    pub(crate) async fn remove_child<C: SystemChild>(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        id: Uuid,
    ) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let before: C = one(&mut tx, org, system, id).await?;
        tx.execute(
            &format!("DELETE FROM {} WHERE id = $1", C::TABLE),
            params![id],
        )
        .await?;
        Change::new(
            Some(org),
            AuditAction::Remove,
            C::OBJECT,
            id,
            audit::diff(Some(before.draft()), None),
        )
        .commit(tx, actor)
        .await
    }
}
