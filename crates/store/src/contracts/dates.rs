//! A contract's dates as last computed, stored on its row (migration 28)
//! so that lists sort and page by the last day to give notice in SQL.
//! Written in the transaction of every contract write, backfilled once by
//! the migration, and refreshed in bounded batches by the daily reminder
//! pass once the stored dates may have moved (`dates_valid_until` passed:
//! a tacit renewal moves the notice day forward, a contract past its end
//! expires). Pages show the dates computed fresh from the domain; these
//! columns only order and select.

use super::{COLS, FROM, contract};
use crate::db::{Queryable, Result, Tx};
use crate::{Store, name_key, params};
use chrono::NaiveDate;
use insyn_domain::contract::*;
use insyn_domain::*;

/// How many contracts one refresh transaction rewrites.
pub const REFRESH_BATCH: i64 = 200;

/// The next day on or after `today` when any of the stored dates can
/// change (a notice day, an end or the start passes); none when nothing
/// lies ahead, so the row stays as it is until it is edited.
fn valid_until(d: &ContractDates, start: Option<NaiveDate>, today: NaiveDate) -> Option<NaiveDate> {
    [d.last_notice_day, d.next_end, d.period_end, start]
        .into_iter()
        .flatten()
        .filter(|x| *x >= today)
        .min()
}

/// Stores the contract's name key and its dates on `today`.
pub(super) async fn store_dates(tx: &mut Tx, c: &Contract, today: NaiveDate) -> Result<()> {
    let d = &c.dates;
    tx.execute(
        "UPDATE contracts SET name_key = $2, status = $3, next_end = $4, last_notice_day = $5, \
         dates_valid_until = $6 WHERE id = $1",
        params![
            c.id.0,
            name_key(&c.name),
            d.status.as_str(),
            d.next_end,
            d.last_notice_day,
            valid_until(d, c.start_date, today)
        ],
    )
    .await?;
    Ok(())
}

/// Every contract's stored dates, once, inside migration 28.
pub(crate) async fn backfill_dates(tx: &mut Tx) -> Result<()> {
    let today = crate::db::now().date_naive();
    let all = tx
        .all(&format!("SELECT {COLS} FROM {FROM}"), vec![], |r| {
            contract(r, today)
        })
        .await?;
    for c in &all {
        store_dates(tx, c, today).await?;
    }
    Ok(())
}

impl Store {
    /// Recomputes the stored dates of contracts whose dates may have moved
    /// before `today`, at most [`REFRESH_BATCH`] in each transaction, until
    /// none is left; returns how many were rewritten.
    pub async fn refresh_contract_dates(&self, today: NaiveDate) -> Result<usize> {
        let mut done = 0;
        loop {
            let mut tx = self.db.begin().await?;
            let stale = tx
                .all(
                    &format!(
                        "SELECT {COLS} FROM {FROM} WHERE c.dates_valid_until < $1 \
                         ORDER BY c.dates_valid_until, c.id LIMIT $2"
                    ),
                    params![today, REFRESH_BATCH],
                    |r| contract(r, today),
                )
                .await?;
            for c in &stale {
                store_dates(&mut tx, c, today).await?;
            }
            tx.commit().await?;
            done += stale.len();
            if i64::try_from(stale.len()).unwrap_or(i64::MAX) < REFRESH_BATCH {
                return Ok(done);
            }
        }
    }

    /// The organisation's contracts whose stored last notice day lies in
    /// `from..=to`, by that day (at most `limit`, after `after`: a keyset
    /// on (day, id) for reading them in batches).
    pub(super) async fn contracts_due_between(
        &self,
        org: OrgId,
        from: NaiveDate,
        to: NaiveDate,
        after: Option<(NaiveDate, ContractId)>,
        today: NaiveDate,
    ) -> Result<Vec<Contract>> {
        let (day, id) = after.map_or((from, uuid::Uuid::nil()), |(d, i)| (d, i.0));
        let mut read = self.db.read();
        let mut items = read
            .all(
                &format!(
                    "SELECT {COLS} FROM {FROM} WHERE c.org_id = $1 AND c.last_notice_day <= $2 \
                     AND (c.last_notice_day > $3 OR (c.last_notice_day = $3 AND c.id > $4)) \
                     ORDER BY c.last_notice_day, c.id LIMIT $5"
                ),
                params![org.0, to, day, id, REFRESH_BATCH],
                |r| contract(r, today),
            )
            .await?;
        super::fill_systems(&mut read, &mut items).await?;
        Ok(items)
    }
}
