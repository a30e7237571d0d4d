//! Checkpoints: signed notes of the trail's newest entry, kept in a file
//! outside the database.

use super::{AuditKey, AuditKeys, canonical};
use crate::db::{Queryable, Result, now};
use crate::{Store, StoreError};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::path::Path;

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
}
