//! For the demo's history only: dates a real register gets by living for
//! years, which the user-facing paths rightly refuse to set (a system entered
//! years ago, an annual review signed last spring, a classification decided
//! years back whose validity has run out). Each is one transaction with its
//! audit record, as the demo's own change; nothing here is reachable from a
//! request.

use crate::audit::{Actor, Change};
use crate::db::{Queryable, Result};
use crate::{Store, params};
use chrono::{NaiveDate, NaiveTime};
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

    /// Moves a signed annual review, and the control it performed, back to `on`.
    pub async fn demo_backdate_annual_review(
        &self,
        org: OrgId,
        review: Uuid,
        on: NaiveDate,
    ) -> Result<()> {
        let mut tx = self.db.begin().await?;
        tx.execute(
            "UPDATE reviews SET created_at = $3, updated_at = $3, signed_at = $3 WHERE org_id = $1 AND id = $2",
            params![org.0, review, noon(on)],
        )
        .await?;
        tx.execute(
            "UPDATE control_records SET performed_on = $3 WHERE org_id = $1 AND review_id = $2",
            params![org.0, review, on],
        )
        .await?;
        Change::new(
            Some(org),
            AuditAction::Demo,
            AuditObject::Review,
            review,
            json!({ "signed_on": { "old": null, "new": on } }),
        )
        .commit(tx, &demo())
        .await
    }

    /// Moves a classification decision back to `decided`, valid until
    /// `valid_until` (which may have passed: the classification has expired).
    pub async fn demo_backdate_classification(
        &self,
        org: OrgId,
        set: Uuid,
        classification: Uuid,
        decided: NaiveDate,
        valid_until: NaiveDate,
    ) -> Result<()> {
        let mut tx = self.db.begin().await?;
        tx.execute(
            "UPDATE classifications SET classified_at = $3, valid_until = $4 WHERE org_id = $1 AND id = $2",
            params![org.0, classification, noon(decided), valid_until],
        )
        .await?;
        Change::new(
            Some(org),
            AuditAction::Demo,
            AuditObject::InformationSet,
            set,
            json!({ "classification": classification, "classified_at": { "old": null, "new": decided }, "valid_until": { "old": null, "new": valid_until } }),
        )
        .commit(tx, &demo())
        .await
    }
}
