//! The audit trail: every change records who, when, the request, the object
//! and each field's old and new value, in the same transaction as the change.
//!
//! Entries form a chain: each stores the hash of the one before it and a
//! seal over its own content and that link, and `audit_head` keeps the
//! newest. Editing, inserting or deleting an entry directly in the database
//! breaks the chain, and [`verify`] names the first entry where it breaks.
//!
//! The seal is an HMAC-SHA256 with a secret key kept outside the database
//! ([`AuditKeys`]; `key_id` on each entry names the key), so that someone
//! with access to the database only cannot rewrite entries and seal them
//! again. Entries written before an installation had a key keep a plain
//! SHA-256 (`key_id` NULL) and verify as before; after the first keyed entry
//! every entry must be keyed. Removing the newest entries and pointing
//! `audit_head` at the new last one leaves a consistent chain; signed
//! [`Checkpoint`]s written to a file outside the database (`insyn audit
//! checkpoint`, and the server every few minutes) name a sequence number and
//! hash that must still be there, which [`verify_against`] checks.
//!
//! A write records its entry with a `Change` (what was done, in the words
//! of `insyn_domain::audit`, to which object) and ends with
//! `Change::commit`. Here: the keys (`keys.rs`), the chain and how an entry
//! is appended (`chain.rs`), verification (`verify.rs`), checkpoints
//! (`checkpoint.rs`) and reading the trail (`query.rs`).

mod chain;
mod checkpoint;
mod keys;
mod query;
mod verify;

pub use chain::{GENESIS, IMPORTED_DIGEST, KEY_NEEDED, entry_hash, entry_mac, imported_digest};
pub(crate) use chain::{record_event, seal_unchained};
pub use checkpoint::{Checkpoint, CheckpointLine, append_checkpoint, read_checkpoints};
pub use keys::{AuditKey, AuditKeys, MIN_KEY_LEN, new_key_secret};
pub use query::AuditQuery;
pub use verify::{Verified, VerifyReport, verify, verify_against};

use crate::db::{DbRow, Result, Tx, now};
use chrono::{DateTime, Utc};
use insyn_domain::{AuditAction, AuditObject, OrgId};
use serde::Serialize;
use serde_json::{Map, Value, json};
use uuid::Uuid;

/// Who is making a change, and in which request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub name: String,
    pub request_id: Option<String>,
}

impl Actor {
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            request_id: None,
        }
    }

    pub fn system() -> Self {
        Self::new("insyn")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEvent {
    pub seq: i64,
    pub id: Uuid,
    pub org_id: Option<OrgId>,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub request_id: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: Uuid,
    /// `{ field: { "old": …, "new": … } }`
    pub changes: Value,
}

/// Field-by-field differences between two versions of an object, as
/// `{ field: { "old": …, "new": … } }`. `None` on one side means the object
/// was created (or removed): every field of the other side is listed.
pub fn diff<T: Serialize>(old: Option<&T>, new: Option<&T>) -> Value {
    let to_map = |v: Option<&T>| -> Map<String, Value> {
        match v.map(serde_json::to_value) {
            Some(Ok(Value::Object(m))) => m,
            _ => Map::new(),
        }
    };
    let (a, b) = (to_map(old), to_map(new));
    let mut out = Map::new();
    let skip = ["updated_at", "created_at"];
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for k in keys {
        if skip.contains(&k.as_str()) {
            continue;
        }
        let (o, n) = (
            a.get(k).cloned().unwrap_or(Value::Null),
            b.get(k).cloned().unwrap_or(Value::Null),
        );
        if o != n {
            out.insert(k.clone(), json!({ "old": o, "new": n }));
        }
    }
    Value::Object(out)
}

/// JSON text with object keys sorted at every level, so that the same value
/// hashes the same however a database stored it (PostgreSQL's jsonb reorders keys).
pub fn canonical(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", Value::String(k.clone()), canonical(&m[k])))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(canonical).collect::<Vec<_>>().join(",")
        ),
        other => other.to_string(),
    }
}

/// One entry of the trail for a write: what was done ([`AuditAction`]) to
/// which object ([`AuditObject`]) of which organisation, and each field's old
/// and new value. A write records it on its transaction and commits both
/// together with [`Change::commit`].
#[derive(Debug, Clone)]
pub(crate) struct Change {
    org: Option<OrgId>,
    action: AuditAction,
    object: AuditObject,
    id: Uuid,
    changes: Value,
}

impl Change {
    pub(crate) fn new(
        org: Option<OrgId>,
        action: AuditAction,
        object: AuditObject,
        id: Uuid,
        changes: Value,
    ) -> Change {
        Change {
            org,
            action,
            object,
            id,
            changes,
        }
    }

    /// An object created: every field of `created`.
    pub(crate) fn created<T: Serialize>(
        org: Option<OrgId>,
        object: AuditObject,
        id: Uuid,
        created: &T,
    ) -> Change {
        Change::new(
            org,
            AuditAction::Create,
            object,
            id,
            diff(None, Some(created)),
        )
    }

    /// An object changed by `action`: the fields that differ between `before` and `after`.
    pub(crate) fn changed<T: Serialize>(
        org: Option<OrgId>,
        action: AuditAction,
        object: AuditObject,
        id: Uuid,
        before: &T,
        after: &T,
    ) -> Change {
        Change::new(org, action, object, id, diff(Some(before), Some(after)))
    }

    /// An object updated: the fields that differ between `before` and `after`.
    pub(crate) fn updated<T: Serialize>(
        org: Option<OrgId>,
        object: AuditObject,
        id: Uuid,
        before: &T,
        after: &T,
    ) -> Change {
        Change::changed(org, AuditAction::Update, object, id, before, after)
    }

    /// Appends the entry on the write's transaction (which goes on).
    pub(crate) async fn record(self, tx: &mut Tx, actor: &Actor) -> Result<()> {
        record_event(
            tx,
            AuditEvent {
                seq: 0,
                id: Uuid::now_v7(),
                org_id: self.org,
                at: now(),
                actor: actor.name.clone(),
                request_id: actor.request_id.clone(),
                action: self.action.as_str().to_owned(),
                object_type: self.object.as_str().to_owned(),
                object_id: self.id,
                changes: self.changes,
            },
        )
        .await
    }

    /// The ending of a write: appends the entry and commits the transaction.
    pub(crate) async fn commit(self, mut tx: Tx, actor: &Actor) -> Result<()> {
        self.record(&mut tx, actor).await?;
        tx.commit().await
    }
}

/// The columns of `audit_events` that [`event`] reads.
pub const EVENT_COLS: &str =
    "seq, id, org_id, at, actor, request_id, action, object_type, object_id, changes";

/// One row of `audit_events` (selected with [`EVENT_COLS`]) as an entry.
pub fn event(r: &dyn DbRow) -> Result<AuditEvent> {
    Ok(AuditEvent {
        seq: r.i64("seq")?,
        id: r.uuid("id")?,
        org_id: r.opt_uuid("org_id")?.map(OrgId),
        at: r.ts("at")?,
        actor: r.text("actor")?,
        request_id: r.opt_text("request_id")?,
        action: r.text("action")?,
        object_type: r.text("object_type")?,
        object_id: r.uuid("object_id")?,
        changes: r.json("changes")?,
    })
}
