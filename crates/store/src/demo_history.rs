//! For the demo's history only: a register that has lived for years. The
//! demo writes its history in the order of its days, each step through the
//! store's ordinary methods inside [`demo_dated`], so every row and audit
//! entry carries the day the step tells of and the trail's sequence stays
//! its time order (the chain is appended to as always, never rewritten, and
//! verifies). What the bulk load cannot date — the systems' entry into the
//! register — is moved back afterwards, one transaction with its audit
//! record as the demo's own change. Nothing here is reachable from a
//! request.

use crate::audit::{Actor, Change};
use crate::bulk::{Bulk, insert_rows};
use crate::db::{DbRow, Queryable, Result, wall_clock};
use crate::{Store, params};
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use insyn_domain::*;
use serde_json::json;
use std::collections::BTreeMap;
use uuid::Uuid;

/// Ids in one `IN (…)` list.
const CHUNK: usize = 500;

fn noon(d: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    d.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default())
        .and_utc()
}

fn demo() -> Actor {
    Actor::new("insyn demo")
}

/// Runs `f` with the store's clock at `at`: every time the store stamps in
/// it (rows' times, the audit entries' `at`) is `at`. For the demo's
/// history only, which calls it with times in the order it writes them, so
/// the trail's sequence order stays its time order; never for a request.
pub async fn demo_dated<F: std::future::Future>(at: DateTime<Utc>, f: F) -> F::Output {
    let at = DateTime::from_timestamp_micros(at.timestamp_micros()).unwrap_or(at);
    crate::db::DATED.scope(at, f).await
}

impl Store {
    /// Moves the systems' entry into the register back to the given days
    /// (grouped by day, `CHUNK` systems a statement).
    pub async fn demo_backdate_systems(
        &self,
        org: OrgId,
        entered: &[(SystemId, NaiveDate)],
    ) -> Result<()> {
        let mut by_day: BTreeMap<NaiveDate, Vec<Uuid>> = BTreeMap::new();
        for (s, d) in entered {
            by_day.entry(*d).or_default().push(s.0);
        }
        let mut tx = self.db.begin().await?;
        for (day, ids) in &by_day {
            for chunk in ids.chunks(CHUNK) {
                let list: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 3)).collect();
                let mut p = params![org.0, noon(*day)];
                p.extend(chunk.iter().map(|id| (*id).into()));
                tx.execute(
                    &format!(
                        "UPDATE systems SET created_at = $2 WHERE org_id = $1 AND id IN ({})",
                        list.join(", ")
                    ),
                    p,
                )
                .await?;
            }
        }
        Change::new(
            Some(org),
            AuditAction::Demo,
            AuditObject::Organisation,
            org.0,
            json!({ "systems_entered_earlier": entered.len() }),
        )
        .commit(tx, &demo())
        .await
    }

    /// For a demo larger than its lived-in systems: every system but those
    /// in `lived_in` (which have a history, or keep their gaps) gets, in bulk and of today (when the bulk
    /// load entered it), a systemansvarig from `people` (in turn), one
    /// information set classified (levels varied) and a förvaltningsplan,
    /// so that its compliance looks like the others' rather than nothing;
    /// one transaction with the demo's audit record. In the `behind` units
    /// one system in three is not classified yet. Returns how many.
    pub async fn demo_bulk_governance(
        &self,
        org: OrgId,
        lived_in: &[SystemId],
        responsible: RoleTypeId,
        people: &[PersonId],
        behind: &[UnitId],
    ) -> Result<usize> {
        if people.is_empty() {
            return Ok(0);
        }
        let at = wall_clock();
        let today = at.date_naive();
        let ids = self
            .db
            .read()
            .all(
                "SELECT id, responsible_unit_id FROM systems WHERE org_id = $1 AND archived = FALSE \
                 ORDER BY name_key, id",
                params![org.0],
                |r: &dyn DbRow| Ok((r.uuid("id")?, r.opt_uuid("responsible_unit_id")?)),
            )
            .await?;
        let lived_in: std::collections::HashSet<Uuid> = lived_in.iter().map(|s| s.0).collect();
        let rest: Vec<_> = ids
            .into_iter()
            .filter(|(id, _)| !lived_in.contains(id))
            .collect();
        if rest.is_empty() {
            return Ok(0);
        }
        let mut tx = self.db.begin().await?;
        let (mut sets, mut classes, mut docs) = (vec![], vec![], vec![]);
        let mut bulk = Bulk::default();
        let level = |i: usize, k: usize| (1 + (i * k + k) % 4) as i64;
        for (i, (system, unit)) in rest.iter().enumerate() {
            bulk.add_system_role(
                AssignmentId::new(),
                org,
                responsible,
                people[(i * 13 + 5) % people.len()],
                SystemId(*system),
                today,
                None,
                at,
            );
            docs.push(params![
                Uuid::new_v4(),
                org.0,
                *system,
                "management_plan",
                format!("Förvaltningsplan {}", today.year()),
                today,
                insyn_domain::demo::DEMO_COORDINATOR,
                at
            ]);
            if i.is_multiple_of(3) && unit.is_some_and(|u| behind.contains(&UnitId(u))) {
                continue;
            }
            let set = Uuid::new_v4();
            sets.push(params![
                set,
                org.0,
                *system,
                "Verksamhetsinformation",
                false,
                false,
                false,
                at,
                at
            ]);
            classes.push(params![
                Uuid::new_v4(),
                org.0,
                set,
                level(i, 7),
                level(i, 3),
                level(i, 5),
                "Klassad enligt KLASSA tillsammans med verksamheten.",
                insyn_domain::demo::DEMO_COORDINATOR,
                at
            ]);
        }
        bulk.flush(&mut tx).await?;
        let set_cols = [
            "id",
            "org_id",
            "system_id",
            "name",
            "personal_data",
            "sensitive_personal_data",
            "archived",
            "created_at",
            "updated_at",
        ];
        insert_rows(&mut tx, "information_sets", &set_cols, sets).await?;
        let class_cols = [
            "id",
            "org_id",
            "information_set_id",
            "confidentiality",
            "integrity",
            "availability",
            "justification",
            "classified_by",
            "classified_at",
        ];
        insert_rows(&mut tx, "classifications", &class_cols, classes).await?;
        let doc_cols = [
            "id",
            "org_id",
            "system_id",
            "kind",
            "title",
            "dated",
            "recorded_by",
            "recorded_at",
        ];
        insert_rows(&mut tx, "system_documents", &doc_cols, docs).await?;
        Change::new(
            Some(org),
            AuditAction::Demo,
            AuditObject::Organisation,
            org.0,
            json!({ "systems_given_governance": rest.len() }),
        )
        .commit(tx, &demo())
        .await?;
        Ok(rest.len())
    }
}
