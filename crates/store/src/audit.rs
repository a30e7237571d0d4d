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

use crate::db::{Backend, Database, DbRow, Queryable, Result, Tx, now};
use crate::{Store, StoreError, params};
use chrono::{DateTime, SecondsFormat, Utc};
use hmac::{Hmac, Mac};
use insyn_domain::OrgId;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;
use uuid::Uuid;

/// The shortest secret accepted as an audit key (in characters).
pub const MIN_KEY_LEN: usize = 32;

/// One secret that seals audit entries and checkpoints. Its id, derived from
/// the secret, is stored with each entry; the secret never is.
#[derive(Clone)]
pub struct AuditKey {
    id: String,
    secret: Vec<u8>,
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AuditKey({})", self.id)
    }
}

impl AuditKey {
    /// A key from its secret (at least [`MIN_KEY_LEN`] characters, no spaces).
    pub fn new(secret: &str) -> std::result::Result<AuditKey, String> {
        let secret = secret.trim();
        if secret.chars().count() < MIN_KEY_LEN || secret.chars().any(char::is_whitespace) {
            return Err(format!(
                "an audit key must be at least {MIN_KEY_LEN} characters without spaces \
                 (make one with `insyn audit rotate-key`)"
            ));
        }
        let mut h = Sha256::new();
        h.update(b"insyn-audit-key-id\n");
        h.update(secret.as_bytes());
        Ok(AuditKey {
            id: format!("k{}", &hex::encode(h.finalize())[..12]),
            secret: secret.as_bytes().to_vec(),
        })
    }

    /// The key's id as entries and checkpoints name it.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// HMAC-SHA256 of `message`, in hex.
    pub fn mac(&self, message: &[u8]) -> String {
        let mut m = <Hmac<Sha256> as Mac>::new_from_slice(&self.secret)
            .expect("HMAC takes a key of any length");
        m.update(message);
        hex::encode(m.finalize().into_bytes())
    }
}

/// The installation's audit keys: the active one seals new entries, the
/// ones before it (after a rotation) verify older entries.
#[derive(Clone, Debug)]
pub struct AuditKeys {
    /// Oldest first; the last is active. Never empty.
    keys: Vec<AuditKey>,
}

impl AuditKeys {
    /// Keys from the text of a key file or `INSYN_AUDIT_KEY`: secrets
    /// separated by line breaks or spaces, lines starting with `#` ignored;
    /// the last one is the active key.
    pub fn parse(text: &str) -> std::result::Result<AuditKeys, String> {
        let mut keys: Vec<AuditKey> = vec![];
        for secret in text
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .flat_map(str::split_whitespace)
        {
            let k = AuditKey::new(secret)?;
            keys.retain(|o| o.id != k.id);
            keys.push(k);
        }
        if keys.is_empty() {
            return Err("no audit key in it".into());
        }
        Ok(AuditKeys { keys })
    }

    /// The key that seals new entries.
    pub fn active(&self) -> &AuditKey {
        self.keys.last().expect("never empty")
    }

    pub fn get(&self, id: &str) -> Option<&AuditKey> {
        self.keys.iter().find(|k| k.id == id)
    }

    /// The ids, oldest first.
    pub fn ids(&self) -> Vec<&str> {
        self.keys.iter().map(|k| k.id.as_str()).collect()
    }
}

/// A new random secret for an audit key (256 bits, hex).
pub fn new_key_secret() -> String {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).expect("the operating system's random source");
    hex::encode(b)
}

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

const EVENT_COLS: &str =
    "seq, id, org_id, at, actor, request_id, action, object_type, object_id, changes";

/// The organisation's own entries and the history it brought along in a
/// full export (`audit_imported`, sequence number 0, ordered before its own
/// entries by `ord`), for reading an organisation's history.
const WITH_IMPORTED: &str = "(SELECT seq AS ord, seq, id, org_id, at, actor, request_id, action, object_type, object_id, changes \
     FROM audit_events \
     UNION ALL SELECT pos - 4000000000000000000 AS ord, CAST(0 AS BIGINT) AS seq, id, org_id, at, actor, request_id, action, object_type, object_id, changes \
     FROM audit_imported) AS e";

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

/// What [`verify_against`] found, with what the command prints beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    pub verdict: Verified,
    /// Entries before keying began (plain SHA-256 links).
    pub unkeyed: u64,
    /// The first entry sealed with a key, if any.
    pub keyed_from: Option<i64>,
    /// Checkpoints checked (all valid when the verdict is intact).
    pub checkpoints: usize,
}

/// Walks the whole trail in order and recomputes every hash and seal, with
/// the database's audit keys.
pub async fn verify(db: &Database) -> Result<Verified> {
    Ok(verify_against(db, &[]).await?.verdict)
}

/// [`verify`], then each checkpoint: its signature must be valid and the
/// entry it names must still be in the trail with the same hash.
pub async fn verify_against(db: &Database, checkpoints: &[CheckpointLine]) -> Result<VerifyReport> {
    let keys = db.audit_keys();
    let mut read = db.read();
    let mut prev = GENESIS.to_owned();
    let mut last_seq = 0i64;
    let mut checked = 0u64;
    let mut unkeyed = 0u64;
    let mut keyed_from: Option<i64> = None;
    // The hashes the checkpoints name, as found on the way.
    let mut wanted: HashMap<i64, Option<String>> = checkpoints
        .iter()
        .map(|c| (c.checkpoint.seq, None))
        .collect();
    // Full imports: (entry, id, organisation, digest of its imported history).
    let mut imports: Vec<(i64, Uuid, OrgId, String)> = vec![];
    let report = |verdict, unkeyed, keyed_from| VerifyReport {
        verdict,
        unkeyed,
        keyed_from,
        checkpoints: 0,
    };
    // In pages, so that a large trail does not sit in memory at once.
    loop {
        let rows = read
            .all(
                &format!(
                    "SELECT {EVENT_COLS}, prev_hash, hash, key_id FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT 5000"
                ),
                params![last_seq],
                |r| {
                    Ok((
                        event(r)?,
                        r.opt_text("prev_hash")?,
                        r.opt_text("hash")?,
                        r.opt_text("key_id")?,
                    ))
                },
            )
            .await?;
        if rows.is_empty() {
            break;
        }
        for (e, stored_prev, stored_hash, key_id) in rows {
            let broken = |reason: String| Verified::Broken {
                seq: e.seq,
                id: Some(e.id),
                reason,
            };
            if stored_prev.as_deref() != Some(prev.as_str()) {
                return Ok(report(
                    broken(
                        "does not follow the entry before it (an entry was removed, inserted or changed)"
                            .into(),
                    ),
                    unkeyed,
                    keyed_from,
                ));
            }
            let h = match (key_id.as_deref(), keyed_from) {
                (None, Some(first)) => {
                    return Ok(report(
                        broken(format!(
                            "it has no audit key, but the trail is keyed from entry {first} on \
                             (it was inserted, or sealed again, without the key)"
                        )),
                        unkeyed,
                        keyed_from,
                    ));
                }
                (None, None) => {
                    unkeyed += 1;
                    entry_hash(&prev, &e)
                }
                (Some(id), _) => {
                    keyed_from.get_or_insert(e.seq);
                    match keys.and_then(|k| k.get(id)) {
                        Some(k) => entry_mac(k, &prev, &e),
                        None => {
                            return Ok(report(
                                broken(match keys {
                                    None => format!(
                                        "it is sealed with audit key {id}, and no audit key was given \
                                         (--audit-key-file, INSYN_AUDIT_KEY_FILE or INSYN_AUDIT_KEY)"
                                    ),
                                    Some(k) => format!(
                                        "it is sealed with audit key {id}, which is not among the keys given ({}): \
                                         give the key file that still holds the earlier keys",
                                        k.ids().join(", ")
                                    ),
                                }),
                                unkeyed,
                                keyed_from,
                            ));
                        }
                    }
                }
            };
            if stored_hash.as_deref() != Some(h.as_str()) {
                return Ok(report(
                    broken(
                        match key_id {
                            Some(_) => "its content does not match its seal (it was changed, or sealed without the key)",
                            None => "its content does not match its hash (it was changed)",
                        }
                        .into(),
                    ),
                    unkeyed,
                    keyed_from,
                ));
            }
            if let Some(w) = wanted.get_mut(&e.seq) {
                *w = Some(h.clone());
            }
            if e.action == "import_full"
                && let (Some(org), Some(d)) = (
                    e.org_id,
                    e.changes.get(IMPORTED_DIGEST).and_then(Value::as_str),
                )
            {
                imports.push((e.seq, e.id, org, d.to_owned()));
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
    let verdict = match head {
        None if checked == 0 => Verified::Intact(0),
        Some((seq, hash)) if seq == last_seq && hash == prev => Verified::Intact(checked),
        Some((seq, _)) => Verified::Broken {
            seq,
            id: None,
            reason: format!(
                "the trail ends at entry {last_seq}, but entry {seq} was written last (entries were removed)"
            ),
        },
        None => Verified::Broken {
            seq: last_seq,
            id: None,
            reason: "the record of the newest entry is missing".into(),
        },
    };
    if verdict != Verified::Intact(checked) {
        return Ok(report(verdict, unkeyed, keyed_from));
    }
    if let Some(v) = check_imported(&mut read, &imports).await? {
        return Ok(report(v, unkeyed, keyed_from));
    }
    for c in checkpoints {
        let cp = &c.checkpoint;
        let broken = |reason: String| Verified::Broken {
            seq: cp.seq,
            id: None,
            reason: format!(
                "checkpoint line {} (written {}): {reason}",
                c.line,
                cp.at.to_rfc3339_opts(SecondsFormat::Secs, true)
            ),
        };
        if let Err(why) = cp.check(keys) {
            return Ok(report(broken(why), unkeyed, keyed_from));
        }
        match wanted.get(&cp.seq).cloned().flatten() {
            None => {
                return Ok(report(
                    broken(format!(
                        "it names entry {}, which is no longer in the trail (the trail ends at entry {last_seq}): \
                         entries were removed",
                        cp.seq
                    )),
                    unkeyed,
                    keyed_from,
                ));
            }
            Some(h) if h != cp.hash => {
                return Ok(report(
                    broken(format!(
                        "entry {} is not what it was when the checkpoint was written: the trail up to it was rewritten",
                        cp.seq
                    )),
                    unkeyed,
                    keyed_from,
                ));
            }
            Some(_) => {}
        }
    }
    Ok(VerifyReport {
        verdict,
        unkeyed,
        keyed_from,
        checkpoints: checkpoints.len(),
    })
}

/// Each organisation's imported history must match the digest its import
/// recorded, and there is none without an import.
async fn check_imported(
    read: &mut crate::db::Read<'_>,
    imports: &[(i64, Uuid, OrgId, String)],
) -> Result<Option<Verified>> {
    for (seq, id, org, digest) in imports {
        let rows = read
            .all(
                "SELECT CAST(0 AS BIGINT) AS seq, id, org_id, at, actor, request_id, action, object_type, object_id, changes \
                 FROM audit_imported WHERE org_id = $1 ORDER BY pos",
                params![org.0],
                event,
            )
            .await?;
        if imported_digest(&rows) != *digest {
            return Ok(Some(Verified::Broken {
                seq: *seq,
                id: Some(*id),
                reason: format!(
                    "the history organisation {} brought along in this import (audit_imported) was changed: \
                     its {} entries do not match what the import recorded",
                    org.0,
                    rows.len()
                ),
            }));
        }
    }
    let orgs = read
        .all("SELECT DISTINCT org_id FROM audit_imported", vec![], |r| {
            r.uuid("org_id")
        })
        .await?;
    if let Some(o) = orgs
        .into_iter()
        .find(|o| !imports.iter().any(|(_, _, org, _)| org.0 == *o))
    {
        return Ok(Some(Verified::Broken {
            seq: 0,
            id: None,
            reason: format!(
                "organisation {o} has imported history (audit_imported) but no import of it is in the trail"
            ),
        }));
    }
    Ok(None)
}

/// A signed note, kept outside the database, of the trail's newest entry at
/// a moment: one JSON object per line of the checkpoint file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The newest entry's sequence number.
    pub seq: i64,
    /// Its hash (its seal, when keyed).
    pub hash: String,
    pub at: DateTime<Utc>,
    /// The audit key that signed the checkpoint.
    pub key_id: String,
    /// HMAC-SHA256 with that key over the fields above.
    pub mac: String,
}

impl Checkpoint {
    fn message(seq: i64, hash: &str, at: DateTime<Utc>, key_id: &str) -> String {
        canonical(&json!([
            "insyn-audit-checkpoint",
            seq,
            hash,
            at.to_rfc3339_opts(SecondsFormat::Micros, true),
            key_id
        ]))
    }

    /// A checkpoint of entry `seq` with `hash`, signed with `key`.
    pub fn sign(key: &AuditKey, seq: i64, hash: &str, at: DateTime<Utc>) -> Checkpoint {
        let at = DateTime::from_timestamp_micros(at.timestamp_micros()).unwrap_or(at);
        Checkpoint {
            seq,
            hash: hash.to_owned(),
            at,
            key_id: key.id().to_owned(),
            mac: key.mac(Self::message(seq, hash, at, key.id()).as_bytes()),
        }
    }

    /// Whether the signature is valid with one of `keys`; the error says why not.
    pub fn check(&self, keys: Option<&AuditKeys>) -> std::result::Result<(), String> {
        let Some(keys) = keys else {
            return Err(format!(
                "it is signed with audit key {}, and no audit key was given",
                self.key_id
            ));
        };
        let Some(key) = keys.get(&self.key_id) else {
            return Err(format!(
                "it is signed with audit key {}, which is not among the keys given ({})",
                self.key_id,
                keys.ids().join(", ")
            ));
        };
        let mac = key.mac(Self::message(self.seq, &self.hash, self.at, &self.key_id).as_bytes());
        if mac != self.mac {
            return Err("its signature does not match: the line was changed, or written without the audit key".into());
        }
        Ok(())
    }
}

/// A checkpoint and the line of the file it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointLine {
    pub line: usize,
    pub checkpoint: Checkpoint,
}

/// Every checkpoint in the file, oldest first; a missing file has none. A
/// line that is not a checkpoint is an error that names it.
pub fn read_checkpoints(path: &Path) -> std::result::Result<Vec<CheckpointLine>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => {
            return Err(format!(
                "cannot read the checkpoint file {}: {e}",
                path.display()
            ));
        }
    };
    let mut out = vec![];
    for (i, l) in text.lines().enumerate() {
        if l.trim().is_empty() {
            continue;
        }
        let checkpoint = serde_json::from_str(l).map_err(|e| {
            format!(
                "line {} of the checkpoint file {} is not a checkpoint: {e}",
                i + 1,
                path.display()
            )
        })?;
        out.push(CheckpointLine {
            line: i + 1,
            checkpoint,
        });
    }
    Ok(out)
}

/// Appends one checkpoint as a line to the file (created, with its directory, if missing).
pub fn append_checkpoint(path: &Path, c: &Checkpoint) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    let mut line = serde_json::to_string(c).map_err(std::io::Error::other)?;
    line.push('\n');
    f.write_all(line.as_bytes())?;
    f.sync_all()
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
    /// Appends a signed checkpoint of the trail's newest entry to `path`,
    /// unless the file's last checkpoint names it already (or the trail is
    /// empty). Needs the audit key.
    pub async fn audit_checkpoint(&self, path: &Path) -> Result<Option<Checkpoint>> {
        let keys = self.db.audit_keys().ok_or_else(|| {
            StoreError::Config(
                "a checkpoint is signed with the audit key: give --audit-key-file (INSYN_AUDIT_KEY_FILE) or INSYN_AUDIT_KEY".into(),
            )
        })?;
        let head = self
            .db
            .read()
            .opt(
                "SELECT last_seq, last_hash FROM audit_head WHERE id = 1",
                vec![],
                |r| Ok((r.i64("last_seq")?, r.text("last_hash")?)),
            )
            .await?;
        let Some((seq, hash)) = head else {
            return Ok(None);
        };
        let last = read_checkpoints(path).map_err(StoreError::Config)?.pop();
        if last.is_some_and(|l| l.checkpoint.seq == seq && l.checkpoint.hash == hash) {
            return Ok(None);
        }
        let c = Checkpoint::sign(keys.active(), seq, &hash, now());
        append_checkpoint(path, &c).map_err(|e| {
            StoreError::Config(format!(
                "cannot write the checkpoint file {}: {e}",
                path.display()
            ))
        })?;
        // For a log collector (syslog, journald) that keeps its own copy.
        tracing::info!(
            seq = c.seq,
            hash = %c.hash,
            key_id = %c.key_id,
            mac = %c.mac,
            file = %path.display(),
            "audit checkpoint"
        );
        Ok(Some(c))
    }

    /// The history of one object of an organisation, oldest first (what it
    /// brought along in a full export before its entries here).
    pub async fn history(&self, org: OrgId, object_id: Uuid) -> Result<Vec<AuditEvent>> {
        self.db
            .read()
            .all(
                &format!(
                    "SELECT {EVENT_COLS} FROM {WITH_IMPORTED} WHERE object_id = $1 AND org_id = $2 ORDER BY ord"
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

    /// Searches an organisation's trail, newest first, at most `limit`
    /// entries (its imported history last).
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
        let mut read = self.db.read();
        let mut found = read
            .all(
                &format!(
                    "SELECT {EVENT_COLS} FROM audit_events WHERE {} ORDER BY seq DESC LIMIT {lim}",
                    w.join(" AND ")
                ),
                p.0.clone(),
                event,
            )
            .await?;
        // The imported history is older than every entry here: read only
        // when the page has room left.
        if (found.len() as i64) < limit {
            let mut rest = read
                .all(
                    &format!(
                        "SELECT pos AS seq, id, org_id, at, actor, request_id, action, object_type, object_id, changes \
                         FROM audit_imported WHERE {} ORDER BY pos DESC LIMIT {lim}",
                        w.join(" AND ")
                    ),
                    p.0,
                    event,
                )
                .await?;
            rest.truncate((limit - found.len() as i64).max(0) as usize);
            for e in &mut rest {
                e.seq = 0;
            }
            found.append(&mut rest);
        }
        Ok(found)
    }
}
