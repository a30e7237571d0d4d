//! Reading a full export into this installation as a new organisation.

use super::{DEFERRED, FullExport, Kind, SECTIONS, Section, references, refused, scope_column};
use crate::audit::{self, Actor, Change};
use crate::db::{P, Queryable, Result, Tx};
use crate::{Store, params};
use chrono::{DateTime, NaiveDate, Utc};
use insyn_domain::{AuditAction, AuditObject, OrgId, Organisation};
use serde_json::{Map, Value, json};
use std::collections::{HashMap, HashSet};

use Kind::*;

/// A value from the document as a parameter; the error says what is wrong.
fn param(v: Option<&Value>, kind: Kind) -> std::result::Result<P, String> {
    let v = v.unwrap_or(&Value::Null);
    let text = || v.as_str().ok_or("expected text");
    let null = v.is_null();
    Ok(match kind {
        Uuid if null => P::Uuid(None),
        Uuid => P::Uuid(Some(
            uuid::Uuid::parse_str(text()?).map_err(|_| "expected a UUID")?,
        )),
        Text if null => P::Text(None),
        Text => P::Text(Some(text()?.to_owned())),
        I32 | I64 if null => P::I64(None),
        I32 | I64 => P::I64(Some(v.as_i64().ok_or("expected a whole number")?)),
        Bool => P::Bool(v.as_bool().ok_or("expected true or false")?),
        Date if null => P::Date(None),
        Date => P::Date(Some(
            NaiveDate::parse_from_str(text()?, "%Y-%m-%d").map_err(|_| "expected a date")?,
        )),
        Ts if null => P::OptTs(None),
        Ts => P::OptTs(Some(
            DateTime::parse_from_rfc3339(text()?)
                .map_err(|_| "expected an RFC 3339 timestamp")?
                .with_timezone(&Utc),
        )),
        Json => P::Json(v.clone()),
    })
}

impl Store {
    /// Loads a full export into this installation, all of it or nothing, as
    /// one audit event; the appendix is kept as the organisation's imported
    /// history, outside this installation's chain. Refused when the
    /// organisation (by id or slug) exists here already, and when a row of
    /// the organisation lacks its `org_id` or names another organisation.
    pub async fn import_full(
        &self,
        actor: &Actor,
        doc: &FullExport,
        file_name: &str,
    ) -> Result<Organisation> {
        let org_row = match doc.rows("organisations") {
            [one] => one,
            _ => return Err(refused("the file must hold exactly one organisation")),
        };
        let org_id = match param(org_row.get("id"), Uuid) {
            Ok(P::Uuid(Some(id))) => OrgId(id),
            _ => return Err(refused("the organisation has no valid id")),
        };
        let slug = org_row
            .get("slug")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let mut tx = self.db.begin().await?;
        let taken = tx
            .count(
                "SELECT COUNT(*) AS n FROM organisations WHERE id = $1 OR slug = $2",
                params![org_id.0, slug.as_str()],
            )
            .await?;
        if taken > 0 {
            return Err(refused(format!(
                "an organisation with the slug \"{slug}\" or the id {} exists in this installation already; \
                 a full export is imported into an installation without it",
                org_id.0
            )));
        }
        let mut counts = Map::new();
        // Columns to fill in at the end: (table, column, row id, value).
        let mut later: Vec<(&str, &str, Option<P>, P)> = vec![];
        // Users who exist here already (by e-mail) keep their id; grants follow them.
        let mut user_ids: HashMap<Value, Value> = HashMap::new();
        let in_file: HashMap<&str, HashSet<&Value>> = SECTIONS
            .iter()
            .map(|s| {
                let ids = doc
                    .rows(s.name)
                    .iter()
                    .filter_map(|r| r.get("id"))
                    .collect();
                (s.name, ids)
            })
            .collect();
        for s in SECTIONS {
            let mut n = 0u64;
            for (i, row) in doc.rows(s.name).iter().enumerate() {
                let mut row = row.clone();
                let at = |c: &str, e: String| {
                    refused(format!(
                        "section {}, row {}, column {c}: {e}",
                        s.name,
                        i + 1
                    ))
                };
                if let Some(unknown) = row.keys().find(|k| !s.columns.iter().any(|(c, _)| c == k)) {
                    return Err(at(unknown.as_str(), "unknown column".into()));
                }
                // Everything of the organisation must be the organisation's: a
                // grant without org_id would be installation-wide here.
                if let Some(col) = scope_column(s) {
                    match row.get(col) {
                        None | Some(Value::Null) => {
                            return Err(at(
                                col,
                                format!(
                                    "missing: every row of this section must name {}",
                                    match col {
                                        "org_id" => "the organisation in the file",
                                        "incident_id" =>
                                            "an incident of the organisation in the file",
                                        "order_id" =>
                                            "an access order of the organisation in the file",
                                        "test_id" =>
                                            "a restore test of the organisation in the file",
                                        _ => "a system of the organisation in the file",
                                    }
                                ),
                            ));
                        }
                        Some(o) if col == "org_id" && *o != json!(org_id.0.to_string()) => {
                            return Err(at(
                                col,
                                format!(
                                    "belongs to another organisation ({o}) than the one in the file ({})",
                                    org_id.0
                                ),
                            ));
                        }
                        Some(_) => {}
                    }
                }
                if s.name == "organisations" {
                    // The parent organisation comes along only if it is here too.
                    if let Ok(P::Uuid(Some(p))) = param(row.get("parent_id"), Uuid)
                        && !tx.exists("organisations", p).await?
                    {
                        row.insert("parent_id".into(), Value::Null);
                    }
                }
                if s.name == "users"
                    && let Some(email) = row.get("email").and_then(Value::as_str)
                    && let Some(existing) = tx
                        .opt(
                            "SELECT id FROM users WHERE email = $1",
                            params![email],
                            |r| r.uuid("id"),
                        )
                        .await?
                {
                    if let Some(id) = row.get("id") {
                        user_ids.insert(id.clone(), json!(existing.to_string()));
                    }
                    continue;
                }
                for (col, target) in references(s.name) {
                    if let Some(v) = row.get(col).filter(|v| !v.is_null())
                        && !in_file[target].contains(v)
                    {
                        return Err(at(
                            col,
                            format!("refers to a row that is not in the file's section {target}"),
                        ));
                    }
                }
                if let Some(u) = row.get("user_id").and_then(|u| user_ids.get(u)) {
                    row.insert("user_id".into(), u.clone());
                }
                if s.shared
                    && let Ok(P::Uuid(Some(id))) = param(row.get("id"), Uuid)
                    && tx
                        .count(
                            &format!("SELECT COUNT(*) AS n FROM {} WHERE id = $1", s.name),
                            params![id],
                        )
                        .await?
                        > 0
                {
                    continue;
                }
                let mut values = Vec::with_capacity(s.columns.len());
                for (c, k) in s.columns {
                    let v = param(row.get(*c), *k).map_err(|e| at(c, e.to_owned()))?;
                    if DEFERRED.contains(&(s.name, *c)) {
                        later.push((s.name, *c, param(row.get("id"), Uuid).ok(), v));
                        values.push(P::Uuid(None));
                    } else {
                        values.push(v);
                    }
                }
                insert(&mut tx, s, values).await?;
                n += 1;
            }
            counts.insert(s.name.to_owned(), json!(n));
        }
        // What refers to a section read later (a unit's manager), now that it is in.
        for (table, col, id, v) in later {
            if let (Some(id), P::Uuid(Some(_))) = (id, &v) {
                tx.execute(
                    &format!("UPDATE {table} SET {col} = $1 WHERE id = $2"),
                    vec![v, id],
                )
                .await?;
            }
        }
        // The history as the file tells it: data of the organisation, not
        // links of this installation's chain (which only its key seals).
        let imported: Vec<audit::AuditEvent> = doc
            .audit_appendix
            .iter()
            .map(|e| audit::AuditEvent {
                seq: 0,
                id: e.id,
                org_id: Some(org_id),
                // What both databases keep of a time.
                at: DateTime::from_timestamp_micros(e.at.timestamp_micros()).unwrap_or(e.at),
                actor: e.actor.clone(),
                request_id: e.request_id.clone(),
                action: e.action.clone(),
                object_type: e.object_type.clone(),
                object_id: e.object_id,
                changes: e.changes.clone(),
            })
            .collect();
        for (pos, e) in imported.iter().enumerate() {
            tx.execute(
                "INSERT INTO audit_imported (org_id, pos, id, at, actor, request_id, action, object_type, object_id, changes) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                params![
                    org_id.0,
                    pos as i64 + 1,
                    e.id,
                    e.at,
                    e.actor.as_str(),
                    e.request_id.clone(),
                    e.action.as_str(),
                    e.object_type.as_str(),
                    e.object_id,
                    e.changes.clone()
                ],
            )
            .await?;
        }
        Change::new(
            Some(org_id),
            AuditAction::ImportFull,
            AuditObject::Organisation,
            org_id.0,
            json!({
                "file": file_name,
                "format_version": doc.format_version,
                "exported_at": doc.exported_at,
                "generator": doc.generator,
                "rows": Value::Object(counts),
                "audit_entries_imported": doc.audit_appendix.len(),
                (audit::IMPORTED_DIGEST): audit::imported_digest(&imported),
            }),
        )
        .commit(tx, actor)
        .await?;
        self.org_by_id(org_id).await
    }
}

async fn insert(tx: &mut Tx, s: &Section, values: Vec<P>) -> Result<()> {
    let cols: Vec<&str> = s.columns.iter().map(|c| c.0).collect();
    let marks: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
    tx.execute(
        &format!(
            "INSERT INTO {} ({}) VALUES ({})",
            s.name,
            cols.join(", "),
            marks.join(", ")
        ),
        values,
    )
    .await?;
    Ok(())
}
