//! The full export of one organisation, and its import into another
//! installation: one JSON document with everything the organisation has,
//! one section per table, and the organisation's audit trail as an appendix.
//!
//! Every section is declared in [`SECTIONS`] with its columns and their
//! types, so the same code reads and writes both backends, ids and
//! timestamps are kept exactly, and exporting an imported organisation gives
//! the same sections again. A test compares [`SECTIONS`] with the migrated
//! schema: a new table or column must be added here (or to [`NOT_EXPORTED`]
//! with a reason) before the tests pass.
//!
//! Not exported: password hashes, sessions and API tokens (users come back
//! without a password and sign in by OpenID Connect or get one with
//! `insyn user reset-password`), installation-wide grants, and audit entries
//! of shared objects (catalogue products, users), which belong to no
//! organisation.
//!
//! On import every row of the organisation must name it: a row whose
//! `org_id` is missing or another organisation's is refused (the whole
//! file), so a file cannot bring an installation-wide grant or another
//! organisation's data. The appendix is kept as the organisation's imported
//! history (`audit_imported`), not chained into this installation's trail,
//! whose seals only this installation's key makes; the import itself is one
//! entry of that trail.

mod export;
mod import;
mod sections;

pub use sections::{DEFERRED, NOT_EXPORTED, REFERENCES, SECTION_REFERENCES, SECTIONS};

use crate::StoreError;
use crate::db::Result;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashSet};

/// What the document says it is.
pub const FORMAT: &str = "insyn-full-export";
/// The version of the document's layout. Raise it when a section changes
/// in a way older readers would misread (a column renamed or its meaning
/// changed); adding a section or a nullable column does not need it, since
/// a missing section or column reads as empty.
pub const FORMAT_VERSION: u32 = 1;

/// A column's type, as it travels in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A UUID as text.
    Uuid,
    Text,
    /// INTEGER (32 bits on PostgreSQL).
    I32,
    /// BIGINT.
    I64,
    Bool,
    /// `YYYY-MM-DD`.
    Date,
    /// RFC 3339 in UTC with microseconds.
    Ts,
    /// JSON kept as it is.
    Json,
}

/// One table (or the organisation's part of a shared one) in the document.
#[derive(Debug)]
pub struct Section {
    /// The key in the document (the table's name).
    pub name: &'static str,
    /// Which rows belong to the organisation; `$1` is its id.
    pub filter: &'static str,
    /// A stable order, parents before children where rows refer to each other.
    pub order: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    /// A column referring to another row of the same table (a tree): rows
    /// are written parents first.
    pub parent: Option<&'static str>,
    /// Rows shared by every organisation (the product catalogue): a row
    /// whose id exists already is kept as it is.
    pub shared: bool,
}

/// One audit entry in the appendix (the installation's sequence number and
/// hashes are left out: they mean nothing in another installation, where the
/// entries are kept as imported history).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppendixEntry {
    pub id: uuid::Uuid,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub request_id: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: uuid::Uuid,
    pub changes: Value,
}

impl From<crate::audit::AuditEvent> for AppendixEntry {
    fn from(e: crate::audit::AuditEvent) -> AppendixEntry {
        AppendixEntry {
            id: e.id,
            at: e.at,
            actor: e.actor,
            request_id: e.request_id,
            action: e.action,
            object_type: e.object_type,
            object_id: e.object_id,
            changes: e.changes,
        }
    }
}

/// The whole document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FullExport {
    /// Always [`FORMAT`].
    pub format: String,
    pub format_version: u32,
    /// The version of insyn that wrote it.
    pub generator: String,
    pub exported_at: DateTime<Utc>,
    /// The organisation's slug when it was exported.
    pub organisation: String,
    /// What the document leaves out, for the reader.
    pub not_exported: Vec<String>,
    /// Table name → rows (column → value), in [`SECTIONS`] order when written.
    pub sections: BTreeMap<String, Vec<Map<String, Value>>>,
    /// The organisation's audit trail, oldest first, for the auditor.
    pub audit_appendix: Vec<AppendixEntry>,
}

fn refused(msg: impl Into<String>) -> StoreError {
    StoreError::Refused(msg.into())
}

impl FullExport {
    /// Reads a document, refusing anything that is not a full export of a
    /// format version this insyn reads, with a message that says why.
    pub fn from_json(bytes: &[u8]) -> Result<FullExport> {
        let v: Value = serde_json::from_slice(bytes)
            .map_err(|e| refused(format!("the file is not JSON: {e}")))?;
        if v.get("format").and_then(Value::as_str) != Some(FORMAT) {
            return Err(refused(format!(
                "the file is not an insyn full export (its \"format\" is not \"{FORMAT}\")"
            )));
        }
        match v.get("format_version").and_then(Value::as_u64) {
            Some(n) if n == u64::from(FORMAT_VERSION) => {}
            Some(n) => {
                return Err(refused(format!(
                    "the file has format version {n}; this insyn reads version {FORMAT_VERSION} only{}",
                    if n > u64::from(FORMAT_VERSION) {
                        ": import it with a newer insyn"
                    } else {
                        ""
                    }
                )));
            }
            None => return Err(refused("the file has no format_version")),
        }
        let doc: FullExport = serde_json::from_value(v)
            .map_err(|e| refused(format!("the file is not a valid full export: {e}")))?;
        let known: HashSet<&str> = SECTIONS.iter().map(|s| s.name).collect();
        if let Some(unknown) = doc.sections.keys().find(|k| !known.contains(k.as_str())) {
            return Err(refused(format!(
                "the file has a section \"{unknown}\" that this insyn does not know: import it with a newer insyn"
            )));
        }
        Ok(doc)
    }

    /// The document as indented JSON.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec_pretty(self).unwrap_or_default()
    }

    pub fn rows(&self, section: &str) -> &[Map<String, Value>] {
        self.sections.get(section).map_or(&[], Vec::as_slice)
    }
}

/// The columns a section's rows refer to other sections by, and the sections.
pub fn references(section: &str) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
    let own = SECTION_REFERENCES
        .iter()
        .filter(move |(s, _, _)| *s == section)
        .map(|(_, c, t)| (*c, *t));
    let overridden = move |c: &str| {
        SECTION_REFERENCES
            .iter()
            .any(|(s, col, _)| *s == section && *col == c)
    };
    REFERENCES
        .iter()
        .copied()
        .filter(move |(c, _)| !overridden(c))
        .chain(own)
}

/// The column that ties a section's rows to the organisation: `org_id`, or
/// for the rows of a system (tags, links …) `system_id`, which must then be
/// one of the file's systems; for the steps of an access order its
/// `order_id`, one of the file's orders; for the rows of an incident its
/// `incident_id`. None for the organisation itself and for rows shared
/// between organisations (products, users).
pub fn scope_column(s: &Section) -> Option<&'static str> {
    if s.name == "organisations" || s.shared || s.name == "users" {
        return None;
    }
    if s.columns.iter().any(|(c, _)| *c == "org_id") {
        Some("org_id")
    } else if s.filter == sections::OF_SYSTEMS {
        Some("system_id")
    } else if s.filter == sections::OF_INCIDENTS {
        Some("incident_id")
    } else if s.filter == sections::OF_ORDERS {
        Some("order_id")
    } else if s.filter == sections::OF_RESTORE_TESTS {
        Some("test_id")
    } else {
        None
    }
}

/// What differs between the migrated schema and [`SECTIONS`] +
/// [`NOT_EXPORTED`]: each line a table or column that is neither exported
/// nor left out on purpose, or a section column the schema lacks.
pub fn coverage_problems(schema: &[crate::migrate::ColumnInfo]) -> Vec<String> {
    let skipped = |t: &str, c: Option<&str>| {
        let key = match c {
            Some(c) => format!("{t}.{c}"),
            None => t.to_owned(),
        };
        NOT_EXPORTED.iter().any(|(k, _)| *k == key)
    };
    let mut out = vec![];
    let tables: std::collections::BTreeSet<&str> =
        schema.iter().map(|c| c.table.as_str()).collect();
    for t in tables {
        if skipped(t, None) {
            continue;
        }
        let Some(s) = SECTIONS.iter().find(|s| s.name == t) else {
            out.push(format!(
                "table {t} is not in the full export: add a section to crates/store/src/full/sections.rs (or to NOT_EXPORTED with a reason)"
            ));
            continue;
        };
        for c in schema.iter().filter(|c| c.table == t) {
            if !s.columns.iter().any(|(n, _)| *n == c.column) && !skipped(t, Some(&c.column)) {
                out.push(format!(
                    "column {t}.{} is not in the full export's section {t}",
                    c.column
                ));
            }
        }
        for (n, _) in s.columns {
            if !schema.iter().any(|c| c.table == t && c.column == *n) {
                out.push(format!("section {t} names a column {n} the table lacks"));
            }
        }
    }
    for s in SECTIONS {
        if !schema.iter().any(|c| c.table == s.name) {
            out.push(format!("section {} has no table", s.name));
        }
    }
    out
}
