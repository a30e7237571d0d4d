//! Writing one organisation as a full export.

use super::{AppendixEntry, FORMAT, FORMAT_VERSION, FullExport, Kind, NOT_EXPORTED, SECTIONS};
use crate::audit::{self, EVENT_COLS};
use crate::db::{DbRow, Queryable, Result, now};
use crate::{Store, params};
use chrono::SecondsFormat;
use insyn_domain::OrgId;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashSet};

use Kind::*;

/// An entry's columns after its sequence number.
const ENTRY: &str = "id, org_id, at, actor, request_id, action, object_type, object_id, changes";

fn read_value(r: &dyn DbRow, col: &str, kind: Kind) -> Result<Value> {
    Ok(match kind {
        Uuid => json!(r.opt_uuid(col)?.map(|u| u.to_string())),
        Text => json!(r.opt_text(col)?),
        I32 => json!(r.opt_i32(col)?),
        I64 => json!(r.opt_i64(col)?),
        Bool => json!(r.bool(col)?),
        Date => json!(r.opt_date(col)?.map(|d| d.format("%Y-%m-%d").to_string())),
        Ts => json!(
            r.opt_ts(col)?
                .map(|t| t.to_rfc3339_opts(SecondsFormat::Micros, true))
        ),
        Json => r.json(col)?,
    })
}

/// Rows of a tree, parents first (then in the order given).
fn parents_first(rows: Vec<Map<String, Value>>, parent: &str) -> Vec<Map<String, Value>> {
    let ids: HashSet<Value> = rows.iter().filter_map(|r| r.get("id").cloned()).collect();
    let mut placed: HashSet<Value> = HashSet::new();
    let mut out = Vec::with_capacity(rows.len());
    let mut rest = rows;
    while !rest.is_empty() {
        let before = rest.len();
        let (ready, waiting): (Vec<_>, Vec<_>) = rest.into_iter().partition(|r| {
            let p = r.get(parent).cloned().unwrap_or(Value::Null);
            p.is_null() || !ids.contains(&p) || placed.contains(&p)
        });
        for r in &ready {
            if let Some(id) = r.get("id") {
                placed.insert(id.clone());
            }
        }
        out.extend(ready);
        rest = waiting;
        if rest.len() == before {
            // A cycle cannot be stored; keep the rows rather than lose them.
            out.append(&mut rest);
        }
    }
    out
}

impl Store {
    /// Everything of one organisation, as one document.
    pub async fn export_full(&self, org: OrgId) -> Result<FullExport> {
        let o = self.org_by_id(org).await?;
        let mut read = self.db.read();
        let mut sections = BTreeMap::new();
        for s in SECTIONS {
            let cols: Vec<&str> = s.columns.iter().map(|c| c.0).collect();
            let sql = format!(
                "SELECT {} FROM {} WHERE {} ORDER BY {}",
                cols.join(", "),
                s.name,
                s.filter,
                s.order
            );
            let rows = read
                .all(&sql, params![org.0], |r| {
                    let mut m = Map::new();
                    for (c, k) in s.columns {
                        m.insert((*c).to_owned(), read_value(r, c, *k)?);
                    }
                    Ok(m)
                })
                .await?;
            let rows = match s.parent {
                Some(p) => parents_first(rows, p),
                None => rows,
            };
            sections.insert(s.name.to_owned(), rows);
        }
        // The history the organisation brought along first, then its own.
        let audit_appendix = read
            .all(
                &format!(
                    "SELECT {EVENT_COLS} FROM (\
                     SELECT 0 AS part, pos AS ord, CAST(0 AS BIGINT) AS seq, {ENTRY} FROM audit_imported WHERE org_id = $1 \
                     UNION ALL SELECT 1 AS part, seq AS ord, seq, {ENTRY} FROM audit_events WHERE org_id = $1) AS a \
                     ORDER BY part, ord"
                ),
                params![org.0],
                |r| audit::event(r).map(AppendixEntry::from),
            )
            .await?;
        Ok(FullExport {
            format: FORMAT.to_owned(),
            format_version: FORMAT_VERSION,
            generator: format!("insyn {}", env!("CARGO_PKG_VERSION")),
            exported_at: now(),
            organisation: o.slug,
            not_exported: NOT_EXPORTED
                .iter()
                .map(|(what, why)| format!("{what}: {why}"))
                .collect(),
            sections,
            audit_appendix,
        })
    }
}
