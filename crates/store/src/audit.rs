//! The audit trail: every change records who, when, the request, the object
//! and each field's old and new value, in the same transaction as the change.
//!
//! Entries form a hash chain: each stores the hash of the one before it and
//! a SHA-256 over its own content and that link, and `audit_head` keeps the
//! newest. Editing, inserting or deleting an entry directly in the database
//! breaks the chain, and [`verify`] names the first entry where it breaks.

use crate::db::{Backend, Db, DbRow, Queryable, Result, Tx, now};
use crate::{Store, params};
use chrono::{DateTime, SecondsFormat, Utc};
use insyn_domain::OrgId;
use serde::Serialize;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
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

/// The hash of an entry: SHA-256 over the previous hash and the entry's content.
pub fn entry_hash(prev: &str, e: &AuditEvent) -> String {
    let content = json!([
        prev,
        e.id.to_string(),
        e.org_id.map(|o| o.to_string()),
        e.at.to_rfc3339_opts(SecondsFormat::Micros, true),
        e.actor,
        e.request_id,
        e.action,
        e.object_type,
        e.object_id.to_string(),
        canonical(&e.changes),
    ]);
    hex::encode(Sha256::digest(canonical(&content).as_bytes()))
}

/// The hash before the first entry.
pub const GENESIS: &str = "insyn-audit-genesis";

async fn head(tx: &mut Tx) -> Result<String> {
    let lock = match tx.backend() {
        // Concurrent writers queue here, so the chain stays a line.
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    };
    Ok(tx
        .opt(
            &format!("SELECT last_hash FROM audit_head WHERE id = 1{lock}"),
            vec![],
            |r| r.text("last_hash"),
        )
        .await?
        .unwrap_or_else(|| GENESIS.to_owned()))
}

async fn set_head(tx: &mut Tx, seq: i64, hash: &str) -> Result<()> {
    let n = tx
        .execute(
            "UPDATE audit_head SET last_seq = $1, last_hash = $2 WHERE id = 1",
            params![seq, hash],
        )
        .await?;
    if n == 0 {
        tx.execute(
            "INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, $1, $2)",
            params![seq, hash],
        )
        .await?;
    }
    Ok(())
}

pub(crate) async fn record(
    tx: &mut Tx,
    actor: &Actor,
    org: Option<OrgId>,
    action: &str,
    object_type: &str,
    object_id: Uuid,
    changes: Value,
) -> Result<()> {
    record_event(
        tx,
        AuditEvent {
            seq: 0,
            id: Uuid::now_v7(),
            org_id: org,
            at: now(),
            actor: actor.name.clone(),
            request_id: actor.request_id.clone(),
            action: action.to_owned(),
            object_type: object_type.to_owned(),
            object_id,
            changes,
        },
    )
    .await
}

/// Appends an entry as it is (id, time, actor …) to the chain: new entries,
/// and those of a full export's appendix when it is imported.
pub(crate) async fn record_event(tx: &mut Tx, mut e: AuditEvent) -> Result<()> {
    let org = e.org_id;
    let (action, object_type, object_id) = (e.action.clone(), e.object_type.clone(), e.object_id);
    let prev = head(tx).await?;
    let hash = entry_hash(&prev, &e);
    e.seq = tx
        .one(
            "INSERT INTO audit_events (id, org_id, at, actor, request_id, action, object_type, object_id, changes, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING seq",
            params![
                e.id,
                org.map(|o| o.0),
                e.at,
                e.actor.as_str(),
                e.request_id.clone(),
                action,
                object_type,
                object_id,
                e.changes.clone(),
                prev.as_str(),
                hash.as_str()
            ],
            |r| r.i64("seq"),
        )
        .await?;
    set_head(tx, e.seq, &hash).await
}

/// Chains entries written before the chain existed (run once, by the migration).
pub(crate) async fn seal_unchained(tx: &mut Tx) -> Result<()> {
    let rows = tx
        .all(
            &format!("SELECT {EVENT_COLS} FROM audit_events ORDER BY seq"),
            vec![],
            event,
        )
        .await?;
    let mut prev = GENESIS.to_owned();
    for e in rows {
        let h = entry_hash(&prev, &e);
        tx.execute(
            "UPDATE audit_events SET prev_hash = $1, hash = $2 WHERE seq = $3",
            params![prev.as_str(), h.as_str(), e.seq],
        )
        .await?;
        set_head(tx, e.seq, &h).await?;
        prev = h;
    }
    Ok(())
}

const EVENT_COLS: &str =
    "seq, id, org_id, at, actor, request_id, action, object_type, object_id, changes";

fn event(r: &dyn DbRow) -> Result<AuditEvent> {
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

/// The outcome of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verified {
    /// Every entry is intact; this many were checked.
    Intact(u64),
    /// The first entry (by sequence number) where the chain breaks, and why.
    Broken {
        seq: i64,
        id: Option<Uuid>,
        reason: String,
    },
}

/// Walks the whole trail in order and recomputes every hash.
pub async fn verify(db: &Db) -> Result<Verified> {
    let mut read = db.read();
    let mut prev = GENESIS.to_owned();
    let mut last_seq = 0i64;
    let mut checked = 0u64;
    // In pages, so that a large trail does not sit in memory at once.
    loop {
        let rows = read
            .all(
                &format!(
                    "SELECT {EVENT_COLS}, prev_hash, hash FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT 5000"
                ),
                params![last_seq],
                |r| Ok((event(r)?, r.opt_text("prev_hash")?, r.opt_text("hash")?)),
            )
            .await?;
        if rows.is_empty() {
            break;
        }
        for (e, stored_prev, stored_hash) in rows {
            let broken = |reason: &str| Verified::Broken {
                seq: e.seq,
                id: Some(e.id),
                reason: reason.to_owned(),
            };
            if stored_prev.as_deref() != Some(prev.as_str()) {
                return Ok(broken(
                    "does not follow the entry before it (an entry was removed, inserted or changed)",
                ));
            }
            let h = entry_hash(&prev, &e);
            if stored_hash.as_deref() != Some(h.as_str()) {
                return Ok(broken(
                    "its content does not match its hash (it was changed)",
                ));
            }
            prev = h;
            last_seq = e.seq;
            checked += 1;
        }
    }
    let head = read
        .opt(
            "SELECT last_seq, last_hash FROM audit_head WHERE id = 1",
            vec![],
            |r| Ok((r.i64("last_seq")?, r.text("last_hash")?)),
        )
        .await?;
    match head {
        None if checked == 0 => Ok(Verified::Intact(0)),
        Some((seq, hash)) if seq == last_seq && hash == prev => Ok(Verified::Intact(checked)),
        Some((seq, _)) => Ok(Verified::Broken {
            seq,
            id: None,
            reason: format!(
                "the trail ends at entry {last_seq}, but entry {seq} was written last (entries were removed)"
            ),
        }),
        None => Ok(Verified::Broken {
            seq: last_seq,
            id: None,
            reason: "the record of the newest entry is missing".into(),
        }),
    }
}

/// What the audit search looks for.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<Uuid>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

impl Store {
    /// The history of one object of an organisation, oldest first.
    pub async fn history(&self, org: OrgId, object_id: Uuid) -> Result<Vec<AuditEvent>> {
        self.db
            .read()
            .all(
                &format!(
                    "SELECT {EVENT_COLS} FROM audit_events WHERE object_id = $1 AND org_id = $2 ORDER BY seq"
                ),
                params![object_id, org.0],
                event,
            )
            .await
    }

    /// The history of a shared object (a catalogue product), oldest first.
    pub async fn shared_history(&self, object_id: Uuid) -> Result<Vec<AuditEvent>> {
        self.db
            .read()
            .all(
                &format!(
                    "SELECT {EVENT_COLS} FROM audit_events WHERE object_id = $1 AND org_id IS NULL ORDER BY seq"
                ),
                params![object_id],
                event,
            )
            .await
    }

    /// Searches an organisation's trail, newest first, at most `limit` entries.
    pub async fn search_audit(
        &self,
        org: OrgId,
        q: &AuditQuery,
        limit: i64,
    ) -> Result<Vec<AuditEvent>> {
        let mut p = crate::db::Params::default();
        let mut w = vec![format!("org_id = {}", p.push(org.0))];
        if let Some(a) = q.actor.as_deref().filter(|a| !a.trim().is_empty()) {
            w.push(format!(
                "lower(actor) LIKE {} ESCAPE '\\'",
                p.push(format!(
                    "%{}%",
                    crate::like_escape(&a.trim().to_lowercase())
                ))
            ));
        }
        if let Some(t) = q.object_type.as_deref().filter(|t| !t.is_empty()) {
            w.push(format!("object_type = {}", p.push(t)));
        }
        if let Some(o) = q.object_id {
            w.push(format!("object_id = {}", p.push(o)));
        }
        if let Some(f) = q.from {
            w.push(format!("at >= {}", p.push(f)));
        }
        if let Some(t) = q.to {
            w.push(format!("at < {}", p.push(t)));
        }
        let lim = p.push(limit);
        self.db
            .read()
            .all(
                &format!(
                    "SELECT {EVENT_COLS} FROM audit_events WHERE {} ORDER BY seq DESC LIMIT {lim}",
                    w.join(" AND ")
                ),
                p.0,
                event,
            )
            .await
    }
}
