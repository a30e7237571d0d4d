//! The continuity figures the impact analysis reads (RTO, RPO and MTD, in
//! minutes, from `system_continuity`, the one source of them), and a small
//! setter for the tests and the demo.

use crate::audit::{Actor, Change, diff};
use crate::db::{Queryable, Result, now};
use crate::{Store, StoreError, params};
use insyn_domain::*;
use serde::Serialize;

/// A system's continuity figures, in minutes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ContinuityMinutes {
    pub rto_minutes: Option<i64>,
    pub rpo_minutes: Option<i64>,
    pub mtd_minutes: Option<i64>,
}

impl Store {
    /// Sets a system's RTO, RPO and MTD (in minutes), keeping its critical
    /// periods and fallback routine; audited.
    pub async fn put_continuity_minutes(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        rto: Option<i64>,
        rpo: Option<i64>,
        mtd: Option<i64>,
    ) -> Result<()> {
        let mut tx = self.db.begin().await?;
        if !tx.exists_in_org("systems", org.0, system.0).await? {
            return Err(StoreError::NotFound);
        }
        let cols = |r: &dyn crate::db::DbRow| {
            Ok(ContinuityMinutes {
                rto_minutes: r.opt_i64("rto_minutes")?,
                rpo_minutes: r.opt_i64("rpo_minutes")?,
                mtd_minutes: r.opt_i64("mtd_minutes")?,
            })
        };
        let before = tx
            .opt(
                "SELECT rto_minutes, rpo_minutes, mtd_minutes FROM system_continuity WHERE system_id = $1",
                params![system.0],
                cols,
            )
            .await?;
        let after = ContinuityMinutes {
            rto_minutes: rto,
            rpo_minutes: rpo,
            mtd_minutes: mtd,
        };
        if before.is_some() {
            tx.execute(
                "UPDATE system_continuity SET rto_minutes = $2, rpo_minutes = $3, mtd_minutes = $4, updated_by = $5, \
                 updated_at = $6 WHERE system_id = $1",
                params![system.0, rto, rpo, mtd, actor.name.as_str(), now()],
            )
            .await?;
        } else {
            tx.execute(
                "INSERT INTO system_continuity (system_id, rto_minutes, rpo_minutes, mtd_minutes, updated_by, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
                params![system.0, rto, rpo, mtd, actor.name.as_str(), now()],
            )
            .await?;
        }
        Change::new(
            Some(org),
            AuditAction::Update,
            AuditObject::Continuity,
            system.0,
            diff(before.as_ref(), Some(&after)),
        )
        .commit(tx, actor)
        .await
    }
}
