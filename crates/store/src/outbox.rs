//! The e-mail outbox. Mail is written with [`enqueue`] inside the
//! transaction that decides to send it (a reminder, a notice), so it exists
//! exactly when that decision was committed; a worker sends it afterwards.
//!
//! Sending is *at least once*, not exactly once. A worker claims rows with
//! [`Store::claim_mail`] (a lease: `claimed_by`, `claimed_until`), hands each
//! to the SMTP server and then records the outcome with [`Store::mark_sent`]
//! or [`Store::mark_failed`]. Two workers never hold the same row at the same
//! time, so while workers live each mail goes out once. But if a worker dies
//! (or loses the database) after the SMTP server accepted a mail and before
//! `mark_sent` committed, the row looks unsent: once its lease expires another
//! worker claims it and the recipient gets the mail a second time. SMTP gives
//! no way to ask a server whether it already has a message, so this cannot
//! be closed from here; a lease longer than a batch takes keeps a slow but
//! living worker from being overtaken.
//!
//! Every attempt counts, counted when it is claimed (so a mail that kills
//! its worker is not tried for ever). A failed attempt keeps its error in
//! `last_error` and waits [`retry_delay`] before the next; after
//! [`MAX_ATTEMPTS`] the row is given up and stays in the table, visible as
//! failed in [`Store::outbox_status`]. A failure that retrying cannot mend
//! (a malformed address, a permanent SMTP refusal) is given up at once with
//! [`Store::give_up_mail`].

use crate::db::{Backend, Queryable, Result, Tx, now};
use crate::{Store, params};
use chrono::{DateTime, Utc};
use insyn_domain::OrgId;
use std::time::Duration;
use uuid::Uuid;

/// How many times a mail is tried before it is given up.
pub const MAX_ATTEMPTS: i64 = 8;

/// A mail to send: written with [`enqueue`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMail {
    /// The organisation the mail concerns; None for mail about the installation.
    pub org_id: Option<OrgId>,
    /// Makes the mail exist once: a second [`enqueue`] with the same key is
    /// ignored. E.g. `reminder:<control>:<system id>:<due date>:<person id>`.
    pub dedupe_key: String,
    /// One address.
    pub recipient: String,
    pub subject: String,
    /// Plain text.
    pub body: String,
}

/// A row claimed by a worker, to be sent and then marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedMail {
    pub id: Uuid,
    pub org_id: Option<OrgId>,
    pub dedupe_key: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// Attempts so far, this one included.
    pub attempts: i64,
}

/// Where a mail stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailState {
    /// Not sent yet: waiting, being sent, or waiting to be retried.
    Pending,
    Sent,
    /// Given up after [`MAX_ATTEMPTS`] attempts.
    Failed,
}

/// A row of the outbox as an administrator sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub id: Uuid,
    pub org_id: Option<OrgId>,
    pub dedupe_key: String,
    pub recipient: String,
    pub subject: String,
    pub created_at: DateTime<Utc>,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    pub state: MailState,
}

/// Counts and the newest rows, for an administrator's page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxStatus {
    pub pending: i64,
    pub sent: i64,
    pub failed: i64,
    /// The newest rows first, at most [`STATUS_ROWS`].
    pub latest: Vec<OutboxEntry>,
}

/// How many rows [`Store::outbox_status`] lists.
pub const STATUS_ROWS: i64 = 50;

/// How long to wait after the `attempts`-th failed attempt: 1, 2, 4, 8 …
/// minutes, at most 6 hours.
pub fn retry_delay(attempts: i64) -> Duration {
    let exp = attempts.clamp(1, 20) - 1;
    Duration::from_secs((60u64 << exp).min(6 * 3600))
}

fn chrono_duration(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

/// Writes a mail into the outbox inside the caller's transaction. Returns
/// true when it is new, false when a mail with the same `dedupe_key` exists
/// (sent or not): nothing is written then. Rolled back with the
/// transaction, the mail never exists and is never sent.
pub async fn enqueue(tx: &mut Tx, mail: &OutboxMail) -> Result<bool> {
    let n = tx
        .execute(
            "INSERT INTO outbox (id, org_id, dedupe_key, recipient, subject, body, created_at, attempts) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 0) ON CONFLICT (dedupe_key) DO NOTHING",
            params![
                Uuid::now_v7(),
                mail.org_id.map(|o| o.0),
                mail.dedupe_key.as_str(),
                mail.recipient.as_str(),
                mail.subject.as_str(),
                mail.body.as_str(),
                now()
            ],
        )
        .await?;
    Ok(n == 1)
}

/// `sent`, `failed` and `pending` as SQL conditions on an outbox row, with
/// `$1` the current time and `$2` [`MAX_ATTEMPTS`].
const SENT: &str = "sent_at IS NOT NULL";
const FAILED: &str =
    "sent_at IS NULL AND attempts >= $2 AND (claimed_until IS NULL OR claimed_until <= $1)";

impl Store {
    /// [`enqueue`] in a transaction of its own (mail that no other change
    /// decides, e.g. a test message).
    pub async fn enqueue_mail(&self, mail: &OutboxMail) -> Result<bool> {
        let mut tx = self.db.begin().await?;
        let new = enqueue(&mut tx, mail).await?;
        tx.commit().await?;
        Ok(new)
    }

    /// Claims up to `limit` unsent mails for `worker` for `lease`: mails
    /// never claimed, whose lease expired, or whose retry time has come,
    /// oldest first, and counts the attempt. Two workers never get the same
    /// row: PostgreSQL locks the rows it picks and skips rows another worker
    /// is claiming (`FOR UPDATE SKIP LOCKED`); SQLite has one writer, so
    /// the single `UPDATE … RETURNING` runs alone.
    pub async fn claim_mail(
        &self,
        worker: &str,
        limit: i64,
        lease: Duration,
    ) -> Result<Vec<ClaimedMail>> {
        let at = now();
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE outbox SET claimed_by = $1, claimed_until = $2, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM outbox \
                 WHERE sent_at IS NULL AND attempts < $3 \
                 AND (claimed_until IS NULL OR claimed_until <= $4) \
                 ORDER BY created_at, id LIMIT $5{lock}) \
             RETURNING id, org_id, dedupe_key, recipient, subject, body, attempts, created_at"
        );
        let mut tx = self.db.begin().await?;
        let mut rows = tx
            .all(
                &sql,
                params![
                    worker,
                    at + chrono_duration(lease),
                    MAX_ATTEMPTS,
                    at,
                    limit.max(0)
                ],
                |r| {
                    Ok((
                        r.ts("created_at")?,
                        ClaimedMail {
                            id: r.uuid("id")?,
                            org_id: r.opt_uuid("org_id")?.map(OrgId),
                            dedupe_key: r.text("dedupe_key")?,
                            recipient: r.text("recipient")?,
                            subject: r.text("subject")?,
                            body: r.text("body")?,
                            attempts: i64::from(r.i32("attempts")?),
                        },
                    ))
                },
            )
            .await?;
        tx.commit().await?;
        // RETURNING gives no order.
        rows.sort_by_key(|(created, m)| (*created, m.id));
        Ok(rows.into_iter().map(|(_, m)| m).collect())
    }

    /// Records that the SMTP server accepted the mail (an earlier attempt's
    /// `last_error` stays, as history). Returns false when it was already
    /// marked sent.
    pub async fn mark_sent(&self, id: Uuid) -> Result<bool> {
        let mut tx = self.db.begin().await?;
        let n = tx
            .execute(
                "UPDATE outbox SET sent_at = $2, claimed_by = NULL, claimed_until = NULL \
                 WHERE id = $1 AND sent_at IS NULL",
                params![id, now()],
            )
            .await?;
        tx.commit().await?;
        Ok(n == 1)
    }

    /// Records a failed attempt: keeps `error` in `last_error` and releases
    /// the row until [`retry_delay`] has passed; after [`MAX_ATTEMPTS`] the
    /// row is given up (it stays, as failed). A mail already sent is left alone.
    pub async fn mark_failed(&self, id: Uuid, error: &str) -> Result<()> {
        self.record_failure(id, error, false).await
    }

    /// Records a failure that trying again cannot mend (an address that is
    /// not one, a permanent refusal by the SMTP server): the row is given
    /// up at once, with `error` kept. Its `attempts` is raised to
    /// [`MAX_ATTEMPTS`], which is what marks a row given up (no column of
    /// its own in the schema).
    pub async fn give_up_mail(&self, id: Uuid, error: &str) -> Result<()> {
        self.record_failure(id, error, true).await
    }

    async fn record_failure(&self, id: Uuid, error: &str, give_up: bool) -> Result<()> {
        let at = now();
        // Long server answers are cut, on a character boundary.
        let error: String = error.chars().take(2000).collect();
        let mut tx = self.db.begin().await?;
        // A write first: on SQLite it takes the write lock before anything is read.
        let attempts = tx
            .opt(
                "UPDATE outbox SET claimed_by = NULL, claimed_until = NULL, last_error = $2, \
                 attempts = CASE WHEN $3 THEN $4 ELSE attempts END \
                 WHERE id = $1 AND sent_at IS NULL RETURNING attempts",
                params![id, error, give_up, MAX_ATTEMPTS.max(1)],
                |r| r.i32("attempts"),
            )
            .await?
            .map(i64::from);
        if let Some(attempts) = attempts.filter(|a| *a < MAX_ATTEMPTS) {
            tx.execute(
                "UPDATE outbox SET claimed_until = $2 WHERE id = $1",
                params![id, at + chrono_duration(retry_delay(attempts))],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Hands back rows `worker` claimed but did not try (it ran out of
    /// lease time), without counting the attempt.
    pub async fn release_mail(&self, worker: &str, ids: &[Uuid]) -> Result<()> {
        let mut tx = self.db.begin().await?;
        for id in ids {
            tx.execute(
                "UPDATE outbox SET claimed_by = NULL, claimed_until = NULL, attempts = attempts - 1 \
                 WHERE id = $1 AND claimed_by = $2 AND sent_at IS NULL AND attempts > 0",
                params![*id, worker],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// How many mails are pending, sent and given up, and the newest rows;
    /// for one organisation, or (None) the whole installation.
    pub async fn outbox_status(&self, org: Option<OrgId>) -> Result<OutboxStatus> {
        let at = now();
        let scope = if org.is_some() {
            "org_id = $3"
        } else {
            "$3 IS NULL"
        };
        let mut p = params![at, MAX_ATTEMPTS];
        p.push(org.map(|o| o.0).into());
        let mut read = self.db.read();
        let (sent, failed, total) = read
            .one(
                &format!(
                    "SELECT COUNT(*) FILTER (WHERE {SENT}) AS sent, \
                     COUNT(*) FILTER (WHERE {FAILED}) AS failed, COUNT(*) AS total \
                     FROM outbox WHERE {scope}"
                ),
                p.clone(),
                |r| Ok((r.i64("sent")?, r.i64("failed")?, r.i64("total")?)),
            )
            .await?;
        let latest = read
            .all(
                &format!(
                    "SELECT id, org_id, dedupe_key, recipient, subject, created_at, attempts, \
                     last_error, sent_at, CASE WHEN {SENT} THEN 's' WHEN {FAILED} THEN 'f' ELSE 'p' END AS state \
                     FROM outbox WHERE {scope} ORDER BY created_at DESC, id DESC LIMIT {STATUS_ROWS}"
                ),
                p,
                |r| {
                    Ok(OutboxEntry {
                        id: r.uuid("id")?,
                        org_id: r.opt_uuid("org_id")?.map(OrgId),
                        dedupe_key: r.text("dedupe_key")?,
                        recipient: r.text("recipient")?,
                        subject: r.text("subject")?,
                        created_at: r.ts("created_at")?,
                        attempts: i64::from(r.i32("attempts")?),
                        last_error: r.opt_text("last_error")?,
                        sent_at: r.opt_ts("sent_at")?,
                        state: match r.text("state")?.as_str() {
                            "s" => MailState::Sent,
                            "f" => MailState::Failed,
                            _ => MailState::Pending,
                        },
                    })
                },
            )
            .await?;
        Ok(OutboxStatus {
            pending: total - sent - failed,
            sent,
            failed,
            latest,
        })
    }
}
