//! Link rows that tie a record to the systems (or information sets) it
//! covers: `(owner, target, org_id)` rows written as a set, in the caller's
//! transaction (a contract's, a processor agreement's and a record of
//! processing's systems), and the check that a paper's supplier and
//! systems are the organisation's.

use crate::db::{Params, Queryable, Result, Tx};
use crate::{StoreError, params};
use insyn_domain::contract::SystemRef;
use insyn_domain::validation::{FieldErrors, UNKNOWN_CHOICE};
use insyn_domain::{OrgId, SupplierId, SystemId};
use uuid::Uuid;

/// The error for a reference to a record the organisation lacks.
pub(crate) fn unknown(field: &str) -> StoreError {
    StoreError::Invalid(FieldErrors::single(field, UNKNOWN_CHOICE))
}

/// The supplier and the systems a paper with a supplier (a contract, a
/// processor agreement) names, each of the organisation.
pub(crate) async fn check_supplier_and_systems(
    tx: &mut Tx,
    org: OrgId,
    supplier: SupplierId,
    systems: &[SystemId],
) -> Result<()> {
    if !tx.exists_in_org("suppliers", org.0, supplier.0).await? {
        return Err(unknown("supplier_id"));
    }
    for s in systems {
        if !tx.exists_in_org("systems", org.0, s.0).await? {
            return Err(unknown("system_ids"));
        }
    }
    Ok(())
}

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

/// The systems linked to each of `owners` through `table` (`owner_col`,
/// `system_id`), as `(owner, system)` pairs by system name: one statement
/// for a whole page of contracts, agreements or services.
pub(crate) async fn linked_systems(
    q: &mut impl Queryable,
    (table, owner_col): (&str, &str),
    owners: &[Uuid],
) -> Result<Vec<(Uuid, SystemRef)>> {
    if owners.is_empty() {
        return Ok(vec![]);
    }
    let mut p = Params::default();
    let member = crate::db::member_of(q.backend(), &mut p, owners);
    q.all(
        &format!(
            "SELECT l.{owner_col} AS owner, s.id, s.name FROM {table} l \
             JOIN systems s ON s.id = l.system_id WHERE l.{owner_col} {member} \
             ORDER BY s.name_key, s.id"
        ),
        p.0,
        |r| {
            let s = SystemRef {
                id: SystemId(r.uuid("id")?),
                name: r.text("name")?,
            };
            Ok((r.uuid("owner")?, s))
        },
    )
    .await
}
