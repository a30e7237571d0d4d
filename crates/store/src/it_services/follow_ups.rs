//! The follow-up of a service's levels, one per month or quarter: listed
//! (judged against the service's levels), entered one by one, removed, or
//! imported as a whole file in one transaction (a period already followed
//! up is replaced); each write with its audit record.

use super::fetch;
use crate::audit::{Actor, Change, diff};
use crate::db::{DbRow, Queryable, Result, Tx, now};
use crate::{Store, StoreError, params};
use insyn_domain::it_service::*;
use insyn_domain::validation::FieldErrors;
use insyn_domain::*;
use serde::Serialize;

const COLS: &str = "id, service_id, period, measured_availability_milli, response_met, \
     response_missed, resolution_met, resolution_missed, comment, created_at";

fn count(r: &dyn DbRow, col: &str) -> Result<Option<u32>> {
    Ok(r.opt_i64(col)?.and_then(|n| u32::try_from(n).ok()))
}

fn follow_up(r: &dyn DbRow, levels: &ServiceLevels) -> Result<FollowUp> {
    let period = r.text("period")?;
    let draft = FollowUpDraft {
        period: Period::parse(&period)
            .map_err(|_| StoreError::Column("period".into(), period.clone()))?,
        measured_availability: r.opt_i64("measured_availability_milli")?.map(from_milli),
        response_met: count(r, "response_met")?,
        response_missed: count(r, "response_missed")?,
        resolution_met: count(r, "resolution_met")?,
        resolution_missed: count(r, "resolution_missed")?,
        comment: r.opt_text("comment")?,
    };
    Ok(FollowUp {
        id: ItServiceFollowUpId(r.uuid("id")?),
        service_id: ItServiceId(r.uuid("service_id")?),
        judgement: draft.judge(levels),
        draft,
        created_at: r.ts("created_at")?,
    })
}

/// Writes a follow-up's row (new, or over the period's old one).
async fn write(
    tx: &mut Tx,
    actor: &Actor,
    org: OrgId,
    service: ItServiceId,
    id: ItServiceFollowUpId,
    d: &FollowUpDraft,
) -> Result<()> {
    let n = |v: Option<u32>| v.map(i64::from);
    tx.execute(
        "DELETE FROM it_service_follow_ups WHERE service_id = $1 AND period = $2",
        params![service.0, d.period.to_string()],
    )
    .await?;
    tx.execute(
        "INSERT INTO it_service_follow_ups (id, service_id, org_id, period, starts_on, \
         measured_availability_milli, response_met, response_missed, resolution_met, resolution_missed, \
         comment, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
        params![id.0, service.0, org.0, d.period.to_string(), d.period.starts_on(),
            d.measured_availability.map(milli), n(d.response_met), n(d.response_missed),
            n(d.resolution_met), n(d.resolution_missed), d.comment.clone(), actor.name.as_str(), now()],
    )
    .await?;
    Ok(())
}

async fn period_taken(tx: &mut Tx, service: ItServiceId, period: Period) -> Result<bool> {
    let n = tx
        .count(
            "SELECT COUNT(*) AS n FROM it_service_follow_ups WHERE service_id = $1 AND period = $2",
            params![service.0, period.to_string()],
        )
        .await?;
    Ok(n > 0)
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItServiceImportSummary {
    /// Periods followed up for the first time.
    pub added: usize,
    /// Periods already followed up, replaced by the file's.
    pub replaced: usize,
}

impl Store {
    /// One page of a service's follow-ups, the latest period first, each
    /// judged against the service's levels.
    pub async fn list_it_service_follow_ups(
        &self,
        org: OrgId,
        service: ItServiceId,
        page: PageRequest,
    ) -> Result<Page<FollowUp>> {
        let mut read = self.db.read();
        let levels = fetch(&mut read, org, service).await?.levels;
        let total = read
            .count(
                "SELECT COUNT(*) AS n FROM it_service_follow_ups WHERE service_id = $1",
                params![service.0],
            )
            .await?;
        let items = read
            .all(
                &format!(
                    "SELECT {COLS} FROM it_service_follow_ups WHERE service_id = $1 \
                     ORDER BY starts_on DESC, period DESC LIMIT $2 OFFSET $3"
                ),
                params![service.0, page.limit(), page.offset()],
                |r| follow_up(r, &levels),
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

    /// Records a period's follow-up; a period already followed up is refused.
    pub async fn add_it_service_follow_up(
        &self,
        actor: &Actor,
        org: OrgId,
        service: ItServiceId,
        draft: FollowUpDraft,
    ) -> Result<FollowUp> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        let levels = fetch(&mut tx, org, service).await?.levels;
        if period_taken(&mut tx, service, d.period).await? {
            return Err(StoreError::Invalid(FieldErrors::single(
                "period",
                PERIOD_TAKEN,
            )));
        }
        let id = ItServiceFollowUpId::new();
        write(&mut tx, actor, org, service, id, &d).await?;
        let created = tx
            .one(
                &format!("SELECT {COLS} FROM it_service_follow_ups WHERE id = $1"),
                params![id.0],
                |r| follow_up(r, &levels),
            )
            .await?;
        Change::created(Some(org), AuditObject::ItServiceFollowUp, id.0, &d)
            .commit(tx, actor)
            .await?;
        Ok(created)
    }

    /// Removes a follow-up; the trail keeps what it was.
    pub async fn remove_it_service_follow_up(
        &self,
        actor: &Actor,
        org: OrgId,
        service: ItServiceId,
        id: ItServiceFollowUpId,
    ) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let levels = fetch(&mut tx, org, service).await?.levels;
        let before = tx
            .one(
                &format!(
                    "SELECT {COLS} FROM it_service_follow_ups WHERE id = $1 AND service_id = $2"
                ),
                params![id.0, service.0],
                |r| follow_up(r, &levels),
            )
            .await?;
        tx.execute(
            "DELETE FROM it_service_follow_ups WHERE id = $1",
            params![id.0],
        )
        .await?;
        Change::new(
            Some(org),
            AuditAction::Remove,
            AuditObject::ItServiceFollowUp,
            id.0,
            diff(Some(&before.draft), None),
        )
        .commit(tx, actor)
        .await
    }

    /// Imports follow-ups (one per period, each with its row in the
    /// file) in one transaction: all or nothing. A period the service
    /// already has is replaced; a bad row or a period twice is refused,
    /// named by its row (`rows[5].period`).
    pub async fn import_it_service_follow_ups(
        &self,
        actor: &Actor,
        org: OrgId,
        service: ItServiceId,
        rows: Vec<(usize, FollowUpDraft)>,
    ) -> Result<ItServiceImportSummary> {
        let valid = check_rows(rows).map_err(|errors| {
            let mut e = FieldErrors::new();
            for r in &errors {
                e.add(&r.path(), r.code);
            }
            StoreError::Invalid(e)
        })?;
        let mut tx = self.db.begin().await?;
        fetch(&mut tx, org, service).await?;
        let mut summary = ItServiceImportSummary {
            added: 0,
            replaced: 0,
        };
        for d in &valid {
            if period_taken(&mut tx, service, d.period).await? {
                summary.replaced += 1;
            } else {
                summary.added += 1;
            }
            write(&mut tx, actor, org, service, ItServiceFollowUpId::new(), d).await?;
        }
        Change::new(
            Some(org),
            AuditAction::Import,
            AuditObject::ItServiceFollowUp,
            service.0,
            diff(None, Some(&valid)),
        )
        .commit(tx, actor)
        .await?;
        Ok(summary)
    }
}
