//! Link rows that tie a record to the systems (or information sets) it
//! covers: `(owner, target, org_id)` rows written as a set, in the caller's
//! transaction (a contract's, a processor agreement's and a record of
//! processing's systems).

use crate::db::{Queryable, Result, Tx};
use crate::params;
use uuid::Uuid;

/// Adds one row per target to `table` (`owner_col`, `target_col`, `org_id`).
pub(crate) async fn add_links(
    tx: &mut Tx,
    (table, owner_col, target_col): (&str, &str, &str),
    owner: Uuid,
    org: Uuid,
    targets: &[Uuid],
) -> Result<()> {
    let sql =
        format!("INSERT INTO {table} ({owner_col}, {target_col}, org_id) VALUES ($1, $2, $3)");
    for t in targets {
        tx.execute(&sql, params![owner, *t, org]).await?;
    }
    Ok(())
}

/// Makes `targets` the owner's whole set of links in `table`.
pub(crate) async fn replace_links(
    tx: &mut Tx,
    link: (&str, &str, &str),
    owner: Uuid,
    org: Uuid,
    targets: &[Uuid],
) -> Result<()> {
    let (table, owner_col, _) = link;
    tx.execute(
        &format!("DELETE FROM {table} WHERE {owner_col} = $1"),
        params![owner],
    )
    .await?;
    add_links(tx, link, owner, org, targets).await
}
