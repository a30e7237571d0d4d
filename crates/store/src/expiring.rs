//! Short-lived rows that every instance shares (OpenID Connect sign-ins in
//! progress, uploads waiting for their confirmation): each table has an
//! `expires_at`, and is kept small on the way, whenever a row is added.

use crate::db::{Queryable, Result, Tx};
use crate::params;
use chrono::{DateTime, Utc};

/// Makes room for one more row in `table` (a name written in the code, never
/// input, whose rows are named by `key`): removes the rows expired at `at`
/// and, when `max` or more are left, those that expire first.
pub(crate) async fn make_room(
    tx: &mut Tx,
    table: &str,
    key: &str,
    max: i64,
    at: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        &format!("DELETE FROM {table} WHERE expires_at <= $1"),
        params![at],
    )
    .await?;
    let waiting = tx
        .count(&format!("SELECT COUNT(*) AS n FROM {table}"), vec![])
        .await?;
    if waiting >= max {
        tx.execute(
            &format!(
                "DELETE FROM {table} WHERE {key} IN \
                 (SELECT {key} FROM {table} ORDER BY expires_at LIMIT $1)"
            ),
            params![waiting + 1 - max],
        )
        .await?;
    }
    Ok(())
}
