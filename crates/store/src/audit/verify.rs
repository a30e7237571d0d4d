//! Checking the whole trail: every link and seal, the imported histories
//! and the checkpoints kept outside the database.

use super::{
    CheckpointLine, EVENT_COLS, GENESIS, IMPORTED_DIGEST, entry_hash, entry_mac, event,
    imported_digest,
};
use crate::db::{Database, Queryable, Result};
use crate::params;
use chrono::SecondsFormat;
use insyn_domain::{AuditAction, OrgId};
use serde_json::Value;
use std::collections::HashMap;
use uuid::Uuid;

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
            if e.action == AuditAction::ImportFull.as_str()
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
