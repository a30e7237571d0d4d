//! Restore tests: planned and performed, each performed one judged against
//! the RTO and RPO in force when it was recorded (kept with the test) and
//! recorded as the `restore_test` control in the årshjul on the same
//! transaction; their deviation actions; and the compliance fact of a
//! missed test whose actions are not all done.

use super::requirements_of;
use crate::audit::{Actor, Change};
use crate::db::{DbRow, Queryable, Result, Tx, now};
use crate::incidents::{action, action_change, check_owner};
use crate::policy::{ControlDraft, insert_control};
use crate::security::check_system;
use crate::{Store, StoreError, params};
use chrono::NaiveDate;
use insyn_domain::continuity::*;
use insyn_domain::incident::{ActionDraft, IncidentAction};
use insyn_domain::validation as v;
use insyn_domain::*;
use serde::Serialize;
use std::collections::BTreeMap;
use uuid::Uuid;

/// The control a performed restore test records in the årshjul.
pub const RESTORE_TEST_CONTROL: &str = "restore_test";

/// A restore test with its deviation actions and its judgement.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RestoreTestView {
    #[serde(flatten)]
    pub test: RestoreTest,
    /// Met, not met or cannot be judged, with the figures (none while planned).
    pub judgement: Option<RestoreJudgement>,
    pub actions: Vec<IncidentAction>,
}

const TEST_COLS: &str = "id, system_id, planned_on, performed_on, performed_by, restored, restore_point, \
    restore_minutes, data_loss_minutes, required_rto_minutes, required_rpo_minutes, evidence_url, note, \
    created_by, updated_at";

fn test(r: &dyn DbRow) -> Result<RestoreTest> {
    Ok(RestoreTest {
        id: r.uuid("id")?,
        system_id: SystemId(r.uuid("system_id")?),
        draft: RestoreTestDraft {
            planned_on: r.opt_date("planned_on")?,
            performed_on: r.opt_date("performed_on")?,
            performed_by: r.opt_text("performed_by")?,
            restored: r.opt_text("restored")?,
            restore_point: r.opt_text("restore_point")?,
            restore_minutes: r.opt_i64("restore_minutes")?,
            data_loss_minutes: r.opt_i64("data_loss_minutes")?,
            evidence_url: r.opt_text("evidence_url")?,
            note: r.opt_text("note")?,
        },
        required_rto_minutes: r.opt_i64("required_rto_minutes")?,
        required_rpo_minutes: r.opt_i64("required_rpo_minutes")?,
        created_by: r.text("created_by")?,
        updated_at: r.ts("updated_at")?,
    })
}

/// The tests of a system (or one of them), newest first, with their actions.
pub(super) async fn views(
    q: &mut impl Queryable,
    org: OrgId,
    system: SystemId,
    only: Option<Uuid>,
) -> Result<Vec<RestoreTestView>> {
    let one = if only.is_some() { " AND t.id = $3" } else { "" };
    let p = || {
        let mut p = params![org.0, system.0];
        if let Some(id) = only {
            p.push(id.into());
        }
        p
    };
    let tests = q
        .all(
            &format!(
                "SELECT {TEST_COLS} FROM restore_tests t WHERE org_id = $1 AND system_id = $2{one} \
                 ORDER BY COALESCE(performed_on, planned_on) DESC, id DESC"
            ),
            p(),
            test,
        )
        .await?;
    let mut actions: BTreeMap<Uuid, Vec<IncidentAction>> = BTreeMap::new();
    let rows = q
        .all(
            &format!(
                "SELECT a.test_id, a.id, a.what, a.owner_id, p.name AS owner, a.due_on, a.done_on \
                 FROM restore_test_actions a JOIN restore_tests t ON t.id = a.test_id \
                 LEFT JOIN people p ON p.id = a.owner_id \
                 WHERE t.org_id = $1 AND t.system_id = $2{one} ORDER BY a.id"
            ),
            p(),
            |r| Ok((r.uuid("test_id")?, action(r)?)),
        )
        .await?;
    for (t, a) in rows {
        actions.entry(t).or_default().push(a);
    }
    Ok(tests
        .into_iter()
        .map(|t| RestoreTestView {
            judgement: t.judgement(),
            actions: actions.remove(&t.id).unwrap_or_default(),
            test: t,
        })
        .collect())
}

async fn fetch(tx: &mut Tx, org: OrgId, system: SystemId, id: Uuid) -> Result<RestoreTest> {
    tx.one(
        &format!(
            "SELECT {TEST_COLS} FROM restore_tests WHERE org_id = $1 AND system_id = $2 AND id = $3"
        ),
        params![org.0, system.0, id],
        test,
    )
    .await
}

/// Records the `restore_test` control as performed on the test's day: ok
/// when met, with remarks when not.
async fn record_control(
    tx: &mut Tx,
    actor: &Actor,
    org: OrgId,
    system: SystemId,
    t: &RestoreTest,
) -> Result<()> {
    let Some(on) = t.draft.performed_on else {
        return Ok(());
    };
    let result = match t.verdict() {
        Some(Verdict::NotMet) => "remarks",
        _ => "ok",
    };
    let d = ControlDraft {
        control: RESTORE_TEST_CONTROL.into(),
        performed_on: on,
        result: result.into(),
        note: t.draft.restored.clone(),
    };
    insert_control(tx, actor, org, Some(system), d, None).await?;
    Ok(())
}

impl Store {
    /// A system's restore tests, newest first, each with its actions.
    pub async fn restore_tests(
        &self,
        org: OrgId,
        system: SystemId,
    ) -> Result<Vec<RestoreTestView>> {
        let mut read = self.db.read();
        check_system(&mut read, org, system).await?;
        views(&mut read, org, system, None).await
    }

    pub async fn restore_test(
        &self,
        org: OrgId,
        system: SystemId,
        id: Uuid,
    ) -> Result<RestoreTestView> {
        views(&mut self.db.read(), org, system, Some(id))
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    /// Records a restore test, planned or performed (`today` bounds the
    /// performed date). A performed test keeps the system's RTO and RPO as
    /// they are now and records the restore-test control in the årshjul.
    pub async fn record_restore_test(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        draft: RestoreTestDraft,
        today: NaiveDate,
    ) -> Result<RestoreTest> {
        let d = draft.validate(today)?;
        let mut tx = self.db.begin().await?;
        check_system(&mut tx, org, system).await?;
        let id = Uuid::now_v7();
        let at = now();
        tx.execute(
            "INSERT INTO restore_tests (id, org_id, system_id, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5)",
            params![id, org.0, system.0, actor.name.as_str(), at],
        )
        .await?;
        let t = write(&mut tx, actor, org, system, id, d, None).await?;
        Change::created(Some(org), AuditObject::RestoreTest, id, &t)
            .commit(tx, actor)
            .await?;
        Ok(t)
    }

    /// Changes a restore test; recording a planned one as performed judges it
    /// against the requirements of now and records the control.
    pub async fn update_restore_test(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        id: Uuid,
        draft: RestoreTestDraft,
        today: NaiveDate,
    ) -> Result<RestoreTest> {
        let d = draft.validate(today)?;
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, system, id).await?;
        let t = write(&mut tx, actor, org, system, id, d, Some(&before)).await?;
        Change::updated(Some(org), AuditObject::RestoreTest, id, &before, &t)
            .commit(tx, actor)
            .await?;
        Ok(t)
    }

    /// Adds a deviation action to a restore test; its owner must be one of
    /// the organisation's people.
    pub async fn add_restore_action(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        test: Uuid,
        draft: ActionDraft,
    ) -> Result<Uuid> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        fetch(&mut tx, org, system, test).await?;
        check_owner(&mut tx, org, d.owner_id).await?;
        let id = Uuid::now_v7();
        tx.execute(
            "INSERT INTO restore_test_actions (id, test_id, what, owner_id, due_on, done_on, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
            params![id, test, d.what.as_str(), d.owner_id.map(|p| p.0), d.due_on, d.done_on, now()],
        )
        .await?;
        restore_action_change(AuditAction::Create, org, test, id, &d)
            .commit(tx, actor)
            .await?;
        Ok(id)
    }

    /// Changes a deviation action (e.g. marks it done).
    pub async fn update_restore_action(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        test: Uuid,
        action: Uuid,
        draft: ActionDraft,
    ) -> Result<()> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        fetch(&mut tx, org, system, test).await?;
        check_owner(&mut tx, org, d.owner_id).await?;
        let n = tx
            .execute(
                "UPDATE restore_test_actions SET what = $3, owner_id = $4, due_on = $5, done_on = $6, updated_at = $7 \
                 WHERE test_id = $1 AND id = $2",
                params![test, action, d.what.as_str(), d.owner_id.map(|p| p.0), d.due_on, d.done_on, now()],
            )
            .await?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        restore_action_change(AuditAction::Update, org, test, action, &d)
            .commit(tx, actor)
            .await
    }
}

/// Writes a test's fields; on becoming performed, keeps the requirements of
/// now with it and records the control.
async fn write(
    tx: &mut Tx,
    actor: &Actor,
    org: OrgId,
    system: SystemId,
    id: Uuid,
    d: RestoreTestDraft,
    before: Option<&RestoreTest>,
) -> Result<RestoreTest> {
    let was_performed = before.is_some_and(RestoreTest::performed);
    let (rto, rpo) = match before {
        Some(b) if was_performed => (b.required_rto_minutes, b.required_rpo_minutes),
        _ if d.performed_on.is_some() => {
            let r = requirements_of(tx, system).await?.map(|c| c.requirements);
            (
                r.as_ref().and_then(|r| r.rto_minutes),
                r.as_ref().and_then(|r| r.rpo_minutes),
            )
        }
        _ => (None, None),
    };
    if was_performed && d.performed_on.is_none() {
        return Err(StoreError::Invalid(FieldErrors::single(
            "performed_on",
            v::REQUIRED,
        )));
    }
    tx.execute(
        "UPDATE restore_tests SET planned_on = $2, performed_on = $3, performed_by = $4, restored = $5, \
         restore_point = $6, restore_minutes = $7, data_loss_minutes = $8, required_rto_minutes = $9, \
         required_rpo_minutes = $10, evidence_url = $11, note = $12, updated_at = $13 WHERE id = $1",
        params![id, d.planned_on, d.performed_on, d.performed_by.clone(), d.restored.clone(), d.restore_point.clone(), d.restore_minutes, d.data_loss_minutes, rto, rpo, d.evidence_url.clone(), d.note.clone(), now()],
    )
    .await?;
    let t = fetch(tx, org, system, id).await?;
    if !was_performed {
        record_control(tx, actor, org, system, &t).await?;
    }
    Ok(t)
}

/// The trail's record of an action written, on its restore test.
fn restore_action_change(
    act: AuditAction,
    org: OrgId,
    test: Uuid,
    id: Uuid,
    d: &ActionDraft,
) -> Change {
    Change::new(
        Some(org),
        act,
        AuditObject::RestoreTest,
        test,
        action_change(id, d),
    )
}

/// For compliance: per system, the first day of the earliest performed test
/// that missed its RTO or RPO with its actions not all done (one statement).
pub(crate) async fn failed_restore_tests(
    q: &mut impl Queryable,
    org: OrgId,
    only: Option<SystemId>,
) -> Result<Vec<(SystemId, NaiveDate)>> {
    let mut p = params![org.0];
    let filter = match only {
        Some(s) => {
            p.push(s.0.into());
            " AND t.system_id = $2"
        }
        None => "",
    };
    let rows = q
        .all(
            &format!(
                "SELECT t.system_id, t.performed_on, t.restore_minutes, t.data_loss_minutes, \
                 t.required_rto_minutes, t.required_rpo_minutes, \
                 (SELECT COUNT(*) FROM restore_test_actions a WHERE a.test_id = t.id) AS n, \
                 (SELECT COUNT(*) FROM restore_test_actions a WHERE a.test_id = t.id AND a.done_on IS NOT NULL) AS done \
                 FROM restore_tests t WHERE t.org_id = $1 AND t.performed_on IS NOT NULL{filter}"
            ),
            p,
            |r| {
                let j = judge(
                    r.opt_i64("required_rto_minutes")?,
                    r.opt_i64("required_rpo_minutes")?,
                    r.opt_i64("restore_minutes")?,
                    r.opt_i64("data_loss_minutes")?,
                );
                let gap = open_gap(
                    Some(j.verdict),
                    r.i64("n")? as usize,
                    r.i64("done")? as usize,
                );
                Ok(gap.then_some((SystemId(r.uuid("system_id")?), r.date("performed_on")?)))
            },
        )
        .await?;
    let mut first: BTreeMap<SystemId, NaiveDate> = BTreeMap::new();
    for (s, d) in rows.into_iter().flatten() {
        let e = first.entry(s).or_insert(d);
        *e = (*e).min(d);
    }
    Ok(first.into_iter().collect())
}
