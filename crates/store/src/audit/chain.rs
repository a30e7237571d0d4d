//! The hash chain: how an entry is hashed or sealed, linked to the one
//! before it, and appended.

use super::{AuditEvent, AuditKey, AuditKeys, EVENT_COLS, canonical, event};
use crate::db::{Backend, Queryable, Result, Tx};
use crate::{StoreError, params};
use chrono::SecondsFormat;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The hash of an unkeyed entry: SHA-256 over the previous hash and the entry's content.
pub fn entry_hash(prev: &str, e: &AuditEvent) -> String {
    hex::encode(Sha256::digest(entry_content(prev, e, None).as_bytes()))
}

/// The seal of a keyed entry: HMAC-SHA256 with `key` over the previous
/// hash, the entry's content and the key's id.
pub fn entry_mac(key: &AuditKey, prev: &str, e: &AuditEvent) -> String {
    key.mac(entry_content(prev, e, Some(key.id())).as_bytes())
}

fn entry_content(prev: &str, e: &AuditEvent, key_id: Option<&str>) -> String {
    let mut content = json!([
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
    if let (Some(k), Value::Array(a)) = (key_id, &mut content) {
        a.push(json!(k));
    }
    canonical(&content)
}

/// The digest of the history an organisation brought along in a full
/// export, as kept in `audit_imported` (oldest first). The import's own
/// entry records it, sealed in the chain, so that the imported history,
/// though not part of the chain, cannot be changed unnoticed either.
pub fn imported_digest<'a>(entries: impl IntoIterator<Item = &'a AuditEvent>) -> String {
    let mut h = Sha256::new();
    for e in entries {
        h.update(entry_content("imported", e, None).as_bytes());
        h.update(b"\n");
    }
    hex::encode(h.finalize())
}

/// The key of [`imported_digest`] in the changes of an `import_full` entry.
pub const IMPORTED_DIGEST: &str = "audit_imported_sha256";

/// The hash before the first entry.
pub const GENESIS: &str = "insyn-audit-genesis";

/// The newest entry's hash and key id (the genesis when there is none).
async fn head(tx: &mut Tx) -> Result<(String, Option<String>)> {
    let lock = match tx.backend() {
        // Concurrent writers queue here, so the chain stays a line.
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    };
    Ok(tx
        .opt(
            &format!("SELECT last_hash, key_id FROM audit_head WHERE id = 1{lock}"),
            vec![],
            |r| Ok((r.text("last_hash")?, r.opt_text("key_id")?)),
        )
        .await?
        .unwrap_or_else(|| (GENESIS.to_owned(), None)))
}

async fn set_head(tx: &mut Tx, seq: i64, hash: &str, key_id: Option<&str>) -> Result<()> {
    // An unkeyed entry follows only unkeyed ones, whose key_id is NULL
    // already; and the chain's first migration knows no key_id column yet.
    let (sql, params) = match key_id {
        Some(k) => (
            "UPDATE audit_head SET last_seq = $1, last_hash = $2, key_id = $3 WHERE id = 1",
            params![seq, hash, k],
        ),
        None => (
            "UPDATE audit_head SET last_seq = $1, last_hash = $2 WHERE id = 1",
            params![seq, hash],
        ),
    };
    if tx.execute(sql, params).await? == 0 {
        let insert = match key_id {
            Some(_) => {
                "INSERT INTO audit_head (id, last_seq, last_hash, key_id) VALUES (1, $1, $2, $3)"
            }
            None => "INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, $1, $2)",
        };
        let mut p = params![seq, hash];
        if let Some(k) = key_id {
            p.push(k.into());
        }
        tx.execute(insert, p).await?;
    }
    Ok(())
}

/// Why a write without the key is refused once the trail is keyed.
pub const KEY_NEEDED: &str = "the audit trail is sealed with an audit key, and this insyn was started without it: \
     give the key file with --audit-key-file (INSYN_AUDIT_KEY_FILE) or the key in INSYN_AUDIT_KEY";

/// Appends an entry as it is (id, time, actor …) to the chain, sealed with
/// the transaction's active key. Without a key it is refused once the chain
/// is keyed: an unkeyed entry after keyed ones would not verify.
pub(crate) async fn record_event(tx: &mut Tx, mut e: AuditEvent) -> Result<()> {
    let org = e.org_id;
    let (action, object_type, object_id) = (e.action.clone(), e.object_type.clone(), e.object_id);
    let (prev, head_key) = head(tx).await?;
    let keys = tx.audit.clone();
    let (hash, key_id) = match keys.as_deref().map(AuditKeys::active) {
        Some(k) => (entry_mac(k, &prev, &e), Some(k.id().to_owned())),
        None if head_key.is_some() => return Err(StoreError::Config(KEY_NEEDED.into())),
        None => (entry_hash(&prev, &e), None),
    };
    e.seq = tx
        .one(
            "INSERT INTO audit_events (id, org_id, at, actor, request_id, action, object_type, object_id, changes, prev_hash, hash, key_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING seq",
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
                hash.as_str(),
                key_id.clone()
            ],
            |r| r.i64("seq"),
        )
        .await?;
    set_head(tx, e.seq, &hash, key_id.as_deref()).await
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
        set_head(tx, e.seq, &h, None).await?;
        prev = h;
    }
    Ok(())
}
