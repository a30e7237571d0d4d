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

use crate::audit::{self, Actor};
use crate::db::{DbRow, P, Queryable, Result, Tx, now};
use crate::{Store, StoreError, params};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use insyn_domain::{OrgId, Organisation};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap, HashSet};

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

use Kind::*;

const OWN: &str = "org_id = $1";
const OF_SYSTEMS: &str = "system_id IN (SELECT id FROM systems WHERE org_id = $1)";

/// Every section, in the order they are imported (what a row refers to
/// comes first). To export a new table, add a section here.
pub const SECTIONS: &[Section] = &[
    Section {
        name: "organisations",
        filter: "id = $1",
        order: "id",
        columns: &[
            ("id", Uuid),
            ("slug", Text),
            ("name", Text),
            ("kind", Text),
            ("parent_id", Uuid),
            ("traceability_required", Bool),
            ("policy_code", Text),
            ("policy_adopted_on", Date),
            ("created_at", Ts),
            ("updated_at", Ts),
        ],
        parent: None,
        shared: false,
    },
    Section {
        name: "units",
        filter: OWN,
        order: "name_key, id",
        columns: &[
            ("id", Uuid),
            ("org_id", Uuid),
            ("parent_id", Uuid),
            ("name", Text),
            ("name_key", Text),
            ("level", Text),
            ("archived", Bool),
            ("created_at", Ts),
            ("updated_at", Ts),
        ],
        parent: Some("parent_id"),
        shared: false,
    },
    Section {
        name: "people",
        filter: OWN,
        order: "name_key, id",
        columns: &[
            ("id", Uuid),
            ("org_id", Uuid),
            ("name", Text),
            ("name_key", Text),
            ("search_text", Text),
            ("email", Text),
            ("title", Text),
            ("unit_id", Uuid),
            ("active", Bool),
            ("created_at", Ts),
            ("updated_at", Ts),
        ],
        parent: None,
        shared: false,
    },
    Section {
        name: "products",
        filter: "id IN (SELECT product_id FROM systems WHERE org_id = $1)",
        order: "name_key, id",
        columns: &[
            ("id", Uuid),
            ("name", Text),
            ("name_key", Text),
            ("vendor", Text),
            ("description", Text),
            ("created_at", Ts),
            ("updated_at", Ts),
        ],
        parent: None,
        shared: true,
    },
    Section {
        name: "systems",
        filter: OWN,
        order: "seq",
        columns: &[
            ("id", Uuid),
            ("org_id", Uuid),
            ("name", Text),
            ("name_key", Text),
            ("short_name", Text),
            ("description", Text),
            ("purpose", Text),
            ("responsible_unit_id", Uuid),
            ("vendor", Text),
            ("product_id", Uuid),
            ("version", Text),
            ("hosting", Text),
            ("user_count", I64),
            ("business_critical", Bool),
            ("lifecycle", Text),
            ("go_live_date", Date),
            ("end_date", Date),
            ("licence_model", Text),
            ("licence_count", I64),
            ("escalation_route", Text),
            ("notes", Text),
            ("search_text", Text),
            ("archived", Bool),
            ("created_at", Ts),
            ("updated_at", Ts),
        ],
        parent: None,
        shared: false,
    },
    Section {
        name: "system_units",
        filter: OF_SYSTEMS,
        order: "system_id, unit_id",
        columns: &[("system_id", Uuid), ("unit_id", Uuid)],
        parent: None,
        shared: false,
    },
    Section {
        name: "system_links",
        filter: OF_SYSTEMS,
        order: "system_id, position",
        columns: &[
            ("system_id", Uuid),
            ("position", I32),
            ("label", Text),
            ("url", Text),
        ],
        parent: None,
        shared: false,
    },
    Section {
        name: "system_capabilities",
        filter: OF_SYSTEMS,
        order: "system_id, capability",
        columns: &[("system_id", Uuid), ("capability", Text)],
        parent: None,
        shared: false,
    },
    Section {
        name: "system_tags",
        filter: OF_SYSTEMS,
        order: "system_id, tag",
        columns: &[("system_id", Uuid), ("tag", Text)],
        parent: None,
        shared: false,
    },
    Section {
        name: "role_types",
        filter: OWN,
        order: "code",
        columns: &[
            ("id", Uuid),
            ("org_id", Uuid),
            ("code", Text),
            ("name_sv", Text),
            ("name_en", Text),
            ("scope", Text),
            ("description", Text),
            ("sort_order", I32),
            ("grants_edit", Bool),
            ("created_at", Ts),
            ("updated_at", Ts),
        ],
        parent: None,
        shared: false,
    },
    Section {
        name: "role_assignments",
        filter: OWN,
        order: "created_at, id",
        columns: &[
            ("id", Uuid),
            ("org_id", Uuid),
            ("role_type_id", Uuid),
            ("person_id", Uuid),
            ("system_id", Uuid),
            ("unit_id", Uuid),
            ("start_date", Date),
            ("end_date", Date),
            ("note", Text),
            ("created_at", Ts),
            ("updated_at", Ts),
        ],
        parent: None,
        shared: false,
    },
    Section {
        name: "classification_levels",
        filter: OWN,
        order: "level",
        columns: &[
            ("org_id", Uuid),
            ("level", I32),
            ("name_sv", Text),
            ("name_en", Text),
        ],
        parent: None,
        shared: false,
    },
    Section {
        name: "information_sets",
        filter: OWN,
        order: "created_at, id",
        columns: &[
            ("id", Uuid),
            ("org_id", Uuid),
            ("system_id", Uuid),
            ("name", Text),
            ("description", Text),
            ("personal_data", Bool),
            ("sensitive_personal_data", Bool),
            ("archived", Bool),
            ("created_at", Ts),
            ("updated_at", Ts),
        ],
        parent: None,
        shared: false,
    },
    Section {
        name: "classifications",
        filter: OWN,
        order: "seq",
        columns: &[
            ("id", Uuid),
            ("org_id", Uuid),
            ("information_set_id", Uuid),
            ("confidentiality", I32),
            ("integrity", I32),
            ("availability", I32),
            ("traceability", I32),
            ("justification", Text),
            ("classified_by", Text),
            ("classified_at", Ts),
            ("valid_until", Date),
        ],
        parent: None,
        shared: false,
    },
    Section {
        name: "business_critical_decisions",
        filter: OWN,
        order: "decided_at, id",
        columns: &[
            ("id", Uuid),
            ("org_id", Uuid),
            ("system_id", Uuid),
            ("critical", Bool),
            ("owner_name", Text),
            ("it_name", Text),
            ("note", Text),
            ("decided_by", Text),
            ("decided_at", Ts),
        ],
        parent: None,
        shared: false,
    },
    Section {
        name: "field_secrecy",
        filter: OWN,
        order: "field",
        columns: &[("org_id", Uuid), ("field", Text), ("secret", Bool)],
        parent: None,
        shared: false,
    },
    Section {
        name: "security_plans",
        filter: OWN,
        order: "system_id, version",
        columns: &[
            ("id", Uuid),
            ("org_id", Uuid),
            ("system_id", Uuid),
            ("version", I32),
            ("status", Text),
            ("sections", Json),
            ("created_by", Text),
            ("created_at", Ts),
            ("updated_at", Ts),
            ("submitted_at", Ts),
            ("approved_by", Text),
            ("approved_at", Ts),
        ],
        parent: None,
        shared: false,
    },
    Section {
        name: "approvals",
        filter: OWN,
        order: "created_at, id",
        columns: &[
            ("id", Uuid),
            ("org_id", Uuid),
            ("system_id", Uuid),
            ("baseline", Text),
            ("measures", Json),
            ("classification_id", Uuid),
            ("plan_id", Uuid),
            ("plan_version", I32),
            ("owner_signed_by", Text),
            ("owner_signed_at", Ts),
            ("it_signed_by", Text),
            ("it_signed_at", Ts),
            ("created_by", Text),
            ("created_at", Ts),
            ("updated_at", Ts),
        ],
        parent: None,
        shared: false,
    },
    Section {
        name: "policy_profiles",
        filter: OWN,
        order: "code, version",
        columns: &[
            ("id", Uuid),
            ("org_id", Uuid),
            ("code", Text),
            ("version", I32),
            ("body", Text),
            ("based_on", Text),
            ("note", Text),
            ("created_by", Text),
            ("created_at", Ts),
        ],
        parent: None,
        shared: false,
    },
    Section {
        name: "system_documents",
        filter: OWN,
        order: "recorded_at, id",
        columns: &[
            ("id", Uuid),
            ("org_id", Uuid),
            ("system_id", Uuid),
            ("kind", Text),
            ("title", Text),
            ("reference", Text),
            ("dated", Date),
            ("recorded_by", Text),
            ("recorded_at", Ts),
        ],
        parent: None,
        shared: false,
    },
    Section {
        name: "reviews",
        filter: OWN,
        order: "created_at, id",
        columns: &[
            ("id", Uuid),
            ("org_id", Uuid),
            ("system_id", Uuid),
            ("control", Text),
            ("period", Text),
            ("items", Json),
            ("status", Text),
            ("created_by", Text),
            ("created_at", Ts),
            ("updated_at", Ts),
            ("signed_by", Text),
            ("signed_at", Ts),
        ],
        parent: None,
        shared: false,
    },
    Section {
        name: "control_records",
        filter: OWN,
        order: "recorded_at, id",
        columns: &[
            ("id", Uuid),
            ("org_id", Uuid),
            ("system_id", Uuid),
            ("control", Text),
            ("performed_on", Date),
            ("result", Text),
            ("note", Text),
            ("review_id", Uuid),
            ("recorded_by", Text),
            ("recorded_at", Ts),
        ],
        parent: None,
        shared: false,
    },
    Section {
        name: "reminders_sent",
        filter: OWN,
        order: "reminder_key",
        columns: &[
            ("reminder_key", Text),
            ("org_id", Uuid),
            ("recipient", Text),
            ("queued_at", Ts),
        ],
        parent: None,
        shared: false,
    },
    Section {
        name: "import_mappings",
        filter: OWN,
        order: "header_key",
        columns: &[
            ("org_id", Uuid),
            ("header_key", Text),
            ("field", Text),
            ("updated_at", Ts),
        ],
        parent: None,
        shared: false,
    },
    Section {
        name: "users",
        // Users with a grant in the organisation; never their password hash.
        filter: "id IN (SELECT user_id FROM user_grants WHERE org_id = $1)",
        order: "email, id",
        columns: &[
            ("id", Uuid),
            ("email", Text),
            ("name", Text),
            ("active", Bool),
            ("created_at", Ts),
            ("updated_at", Ts),
            ("last_login_at", Ts),
        ],
        parent: None,
        shared: false,
    },
    Section {
        name: "user_grants",
        filter: OWN,
        order: "user_id, id",
        columns: &[
            ("id", Uuid),
            ("user_id", Uuid),
            ("org_id", Uuid),
            ("role", Text),
            ("created_at", Ts),
        ],
        parent: None,
        shared: false,
    },
];

/// Columns that refer to rows of another section. On import a row may refer
/// only to rows of the same document, so a file cannot attach anything to
/// another organisation's objects.
pub const REFERENCES: &[(&str, &str)] = &[
    ("system_id", "systems"),
    ("unit_id", "units"),
    ("responsible_unit_id", "units"),
    ("person_id", "people"),
    ("role_type_id", "role_types"),
    ("information_set_id", "information_sets"),
    ("product_id", "products"),
    ("classification_id", "classifications"),
    ("plan_id", "security_plans"),
    ("user_id", "users"),
    ("review_id", "reviews"),
];

/// Tables and columns deliberately left out of the export, with the reason.
pub const NOT_EXPORTED: &[(&str, &str)] = &[
    ("schema_migrations", "the installation's own schema state"),
    ("sessions", "secrets of signed-in browsers"),
    ("api_tokens", "secrets; users create new tokens"),
    ("audit_head", "the installation's chain head"),
    (
        "audit_events",
        "exported as the audit appendix; imported as the organisation's imported history",
    ),
    (
        "audit_imported",
        "exported at the head of the audit appendix, as the history the organisation brought along",
    ),
    ("users.password_hash", "secret: users get a new password"),
    (
        "users.oidc_issuer",
        "the link to this installation's sign-in provider; made again at the first sign-in",
    ),
    (
        "users.oidc_subject",
        "the link to this installation's sign-in provider; made again at the first sign-in",
    ),
    ("systems.seq", "the installation's own row number"),
    ("classifications.seq", "the installation's own row number"),
    (
        "system_counts",
        "derived from the systems by triggers, which count the imported rows too",
    ),
    (
        "outbox",
        "mail waiting to be sent by this installation; reminders already queued are exported",
    ),
];

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
                "SELECT id, at, actor, request_id, action, object_type, object_id, changes FROM (\
                 SELECT 0 AS part, pos AS ord, id, at, actor, request_id, action, object_type, object_id, changes \
                 FROM audit_imported WHERE org_id = $1 \
                 UNION ALL SELECT 1 AS part, seq AS ord, id, at, actor, request_id, action, object_type, object_id, changes \
                 FROM audit_events WHERE org_id = $1) AS a ORDER BY part, ord",
                params![org.0],
                |r| {
                    Ok(AppendixEntry {
                        id: r.uuid("id")?,
                        at: r.ts("at")?,
                        actor: r.text("actor")?,
                        request_id: r.opt_text("request_id")?,
                        action: r.text("action")?,
                        object_type: r.text("object_type")?,
                        object_id: r.uuid("object_id")?,
                        changes: r.json("changes")?,
                    })
                },
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
                                    if col == "org_id" {
                                        "the organisation in the file"
                                    } else {
                                        "a system of the organisation in the file"
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
                        && tx
                            .count(
                                "SELECT COUNT(*) AS n FROM organisations WHERE id = $1",
                                params![p],
                            )
                            .await?
                            == 0
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
                let refs = REFERENCES
                    .iter()
                    .copied()
                    .chain((s.name == "units").then_some(("parent_id", "units")));
                for (col, target) in refs {
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
                    values.push(param(row.get(*c), *k).map_err(|e| at(c, e.to_owned()))?);
                }
                insert(&mut tx, s, values).await?;
                n += 1;
            }
            counts.insert(s.name.to_owned(), json!(n));
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
        audit::record(
            &mut tx,
            actor,
            Some(org_id),
            "import_full",
            "organisation",
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
        .await?;
        tx.commit().await?;
        self.org_by_id(org_id).await
    }
}

/// The column that ties a section's rows to the organisation: `org_id`, or
/// for the rows of a system (tags, links …) `system_id`, which must then be
/// one of the file's systems. None for the organisation itself and for rows
/// shared between organisations (products, users).
pub fn scope_column(s: &Section) -> Option<&'static str> {
    if s.name == "organisations" || s.shared || s.name == "users" {
        return None;
    }
    if s.columns.iter().any(|(c, _)| *c == "org_id") {
        Some("org_id")
    } else if s.filter == OF_SYSTEMS {
        Some("system_id")
    } else {
        None
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
                "table {t} is not in the full export: add a section to crates/store/src/full.rs (or to NOT_EXPORTED with a reason)"
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
