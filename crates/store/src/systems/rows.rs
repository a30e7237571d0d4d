//! A system's rows: writing the row and its sets, reading them back, and
//! the checks a draft must pass against the database.

use super::{COLS, search_text, system_base};
use crate::db::{P, Params, Queryable, Result, Tx, now};
use crate::units::check_units;
use crate::{StoreError, name_key, params};
use chrono::{DateTime, Utc};
use insyn_domain::validation as v;
use insyn_domain::*;
use std::collections::HashMap;
use uuid::Uuid;

/// The columns `name` … `search_text` of a system's row, in table order.
pub(crate) fn row_values(d: &SystemDraft) -> Vec<P> {
    params![
        d.name.as_str(),
        name_key(&d.name),
        d.short_name.clone(),
        d.description.clone(),
        d.purpose.clone(),
        d.responsible_unit_id.map(|u| u.0),
        d.vendor.clone(),
        d.product_id.map(|p| p.0),
        d.version.clone(),
        d.hosting.as_str(),
        d.user_count,
        d.business_critical,
        d.lifecycle.as_str(),
        d.go_live_date,
        d.end_date,
        d.licence_model.clone(),
        d.licence_count,
        d.escalation_route.clone(),
        d.notes.clone(),
        search_text(d),
    ]
}

pub(crate) async fn insert_row(
    tx: &mut Tx,
    org: OrgId,
    id: SystemId,
    d: &SystemDraft,
    at: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO systems (id, org_id, name, name_key, short_name, description, purpose, \
         responsible_unit_id, vendor, product_id, version, hosting, user_count, business_critical, \
         lifecycle, go_live_date, end_date, licence_model, licence_count, escalation_route, notes, \
         search_text, archived, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
         $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, FALSE, $23, $23)",
        [params![id.0, org.0], row_values(d), params![at]].concat(),
    )
    .await?;
    Ok(())
}

/// Writes a draft over an existing system: its row and its sets.
pub(crate) async fn update_row(
    tx: &mut Tx,
    org: OrgId,
    id: SystemId,
    d: &SystemDraft,
) -> Result<()> {
    tx.execute(
        "UPDATE systems SET name = $3, name_key = $4, short_name = $5, description = $6, purpose = $7, \
         responsible_unit_id = $8, vendor = $9, product_id = $10, version = $11, hosting = $12, \
         user_count = $13, business_critical = $14, lifecycle = $15, go_live_date = $16, end_date = $17, \
         licence_model = $18, licence_count = $19, escalation_route = $20, notes = $21, search_text = $22, \
         updated_at = $23 WHERE org_id = $1 AND id = $2",
        [params![org.0, id.0], row_values(d), params![now()]].concat(),
    )
    .await?;
    clear_sets(tx, id).await?;
    write_sets(tx, id, d).await
}

pub(super) async fn clear_sets(tx: &mut Tx, id: SystemId) -> Result<()> {
    for table in [
        "system_units",
        "system_links",
        "system_capabilities",
        "system_tags",
    ] {
        tx.execute(
            &format!("DELETE FROM {table} WHERE system_id = $1"),
            params![id.0],
        )
        .await?;
    }
    Ok(())
}

pub(crate) async fn write_sets(tx: &mut Tx, id: SystemId, d: &SystemDraft) -> Result<()> {
    for u in &d.using_unit_ids {
        tx.execute(
            "INSERT INTO system_units (system_id, unit_id) VALUES ($1, $2)",
            params![id.0, u.0],
        )
        .await?;
    }
    for (i, l) in d.doc_links.iter().enumerate() {
        tx.execute(
            "INSERT INTO system_links (system_id, position, label, url) VALUES ($1, $2, $3, $4)",
            params![id.0, i as i64, l.label.as_str(), l.url.as_str()],
        )
        .await?;
    }
    for c in &d.capabilities {
        tx.execute(
            "INSERT INTO system_capabilities (system_id, capability) VALUES ($1, $2)",
            params![id.0, c.as_str()],
        )
        .await?;
    }
    for t in &d.tags {
        tx.execute(
            "INSERT INTO system_tags (system_id, tag) VALUES ($1, $2)",
            params![id.0, t.as_str()],
        )
        .await?;
    }
    Ok(())
}

pub(crate) async fn fetch(q: &mut impl Queryable, org: OrgId, id: SystemId) -> Result<System> {
    let s = q
        .one(
            &format!("SELECT {COLS} FROM systems s WHERE s.org_id = $1 AND s.id = $2"),
            params![org.0, id.0],
            system_base,
        )
        .await?;
    let mut v = vec![s];
    load_sets(q, &mut v).await?;
    Ok(v.remove(0))
}

/// Fills using units, links, capabilities and tags for a batch of systems.
pub(super) async fn load_sets(q: &mut impl Queryable, systems: &mut [System]) -> Result<()> {
    if systems.is_empty() {
        return Ok(());
    }
    let mut p = Params::default();
    let ids: Vec<String> = systems.iter().map(|s| p.push(s.id.0)).collect();
    let in_list = ids.join(", ");
    let idx: HashMap<Uuid, usize> = systems
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.0, i))
        .collect();
    // The four sets in one statement: one round trip instead of four.
    let rows = q
        .all(
            &format!(
                "SELECT system_id, 0 AS k, unit_id AS unit, NULL AS a, NULL AS b, 0 AS pos \
                 FROM system_units WHERE system_id IN ({in_list}) \
                 UNION ALL SELECT system_id, 1, NULL, label, url, position \
                 FROM system_links WHERE system_id IN ({in_list}) \
                 UNION ALL SELECT system_id, 2, NULL, capability, NULL, 0 \
                 FROM system_capabilities WHERE system_id IN ({in_list}) \
                 UNION ALL SELECT system_id, 3, NULL, tag, NULL, 0 \
                 FROM system_tags WHERE system_id IN ({in_list}) \
                 ORDER BY 2, 6, 3"
            ),
            p.0,
            |r| {
                Ok((
                    r.uuid("system_id")?,
                    r.i32("k")?,
                    r.opt_uuid("unit")?,
                    r.opt_text("a")?,
                    r.opt_text("b")?,
                ))
            },
        )
        .await?;
    for (s, k, unit, a, b) in rows {
        let sys = &mut systems[idx[&s]];
        match (k, unit, a, b) {
            (0, Some(u), _, _) => sys.using_unit_ids.push(UnitId(u)),
            (1, _, Some(label), Some(url)) => sys.doc_links.push(DocLink { label, url }),
            (2, _, Some(c), _) => sys.capabilities.push(c),
            (3, _, Some(t), _) => sys.tags.push(t),
            _ => {}
        }
    }
    for s in systems.iter_mut() {
        s.capabilities = normalise_set(std::mem::take(&mut s.capabilities));
        s.tags = normalise_set(std::mem::take(&mut s.tags));
    }
    Ok(())
}

pub(super) async fn check_name(
    tx: &mut Tx,
    org: OrgId,
    me: Option<SystemId>,
    name: &str,
    e: &mut FieldErrors,
) -> Result<()> {
    let n = tx
        .count(
            "SELECT COUNT(*) AS n FROM systems WHERE org_id = $1 AND name_key = $2 AND archived = FALSE AND id <> $3",
            params![org.0, name_key(name), me.map(|m| m.0).unwrap_or_default()],
        )
        .await?;
    if n > 0 {
        e.add("name", v::TAKEN);
    }
    Ok(())
}

/// Every reference must point into the same organisation (or the shared catalogue).
pub(super) async fn check_refs(
    tx: &mut Tx,
    org: OrgId,
    me: Option<SystemId>,
    d: &SystemDraft,
) -> Result<()> {
    let mut e = FieldErrors::new();
    check_name(tx, org, me, &d.name, &mut e).await?;
    if let Some(u) = d.responsible_unit_id {
        check_units(tx, org, "responsible_unit_id", &[u], &mut e).await?;
    }
    check_units(tx, org, "using_unit_ids", &d.using_unit_ids, &mut e).await?;
    if let Some(p) = d.product_id
        && !tx.exists("products", p.0).await?
    {
        e.add("product_id", v::UNKNOWN_REFERENCE);
    }
    if e.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Invalid(e))
    }
}
