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
use crate::db::{Queryable, Result};
use crate::{Store, params};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
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
}
