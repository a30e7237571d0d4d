//! The delivery queue: after changes are committed, a worker's round
//! ([`Store::enqueue_webhooks`]) makes one delivery per subscription that
//! has new events to announce, moving its `announced_seq` with a
//! conditional update so two instances never announce the same events
//! twice. Deliveries are claimed with a lease as the mail outbox's are
//! (`FOR UPDATE SKIP LOCKED` on PostgreSQL, SQLite's one writer), each
//! attempt counted at its claim and logged; a failed one waits
//! [`retry_delay`], and after [`MAX_ATTEMPTS`] the delivery is parked until
//! an administrator replays it. Delivery is at least once: the stable
//! `webhook-id` lets a receiver drop what it already has.

use super::WebhookSubscription;
use crate::audit::{Actor, Change};
use crate::db::{Backend, Queryable, Result};
use crate::{Store, StoreError, params};
use chrono::{DateTime, Utc};
use insyn_domain::webhook::{LOG_ROWS, MAX_ATTEMPTS, NOT_PARKED, retry_delay};
use insyn_domain::{AuditAction, AuditObject, FieldErrors, OrgId};
use serde::Serialize;
use serde_json::json;
use std::time::Duration;
use uuid::Uuid;

/// A delivery claimed by a worker, with what it needs to send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedDelivery {
    pub id: Uuid,
    pub subscription_id: Uuid,
    pub org_id: OrgId,
    pub org_slug: String,
    pub url: String,
    pub secret: String,
    pub include_events: bool,
    pub object_types: Vec<String>,
    pub after_seq: i64,
    pub up_to_seq: i64,
    pub created_at: DateTime<Utc>,
    /// Attempts so far, this one included.
    pub attempts: i64,
}

/// What an attempt came to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeliveryOutcome {
    /// The receiver's status code, when it answered.
    pub status: Option<u16>,
    /// Why it failed, when it did (refused address, time-out, status).
    pub error: Option<String>,
    /// The start of the receiver's answer.
    pub response: Option<String>,
}

/// A delivery as its subscription's page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookDelivery {
    pub id: Uuid,
    /// The `webhook-id` header, the same on every attempt.
    pub webhook_id: String,
    pub after_seq: i64,
    pub up_to_seq: i64,
    pub created_at: DateTime<Utc>,
    pub attempts: i64,
    /// `pending`, `delivered` or `parked`.
    pub state: String,
    pub delivered_at: Option<DateTime<Utc>>,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
}

/// One attempt of a delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookAttempt {
    pub delivery_id: Uuid,
    pub at: DateTime<Utc>,
    pub attempt: i64,
    pub status: Option<i32>,
    pub error: Option<String>,
}

/// A subscription with its newest deliveries and attempts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookLog {
    pub subscription: WebhookSubscription,
    /// The newest deliveries first, at most 25.
    pub deliveries: Vec<WebhookDelivery>,
    /// The newest attempts first, at most 25.
    pub attempts: Vec<WebhookAttempt>,
}

fn chrono_duration(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

/// Delivered deliveries are kept this long for the log.
const KEEP_DAYS: i64 = 30;

impl Store {
    /// Makes a delivery for every active subscription whose organisation
    /// has committed changes of its types past what it announced and that
    /// has no delivery still being tried (so a receiver that is down gets
    /// one delivery at a time, which announces everything once it is back
    /// and the next round has run); returns how many.
    pub async fn enqueue_webhooks(&self, at: DateTime<Utc>) -> Result<usize> {
        let subs: Vec<WebhookSubscription> = self
            .db
            .read()
            .all(
                &format!(
                    "SELECT {} FROM webhook_subscriptions WHERE active ORDER BY id",
                    super::COLS
                ),
                vec![],
                super::subscription,
            )
            .await?;
        let mut made = 0;
        for s in subs {
            let head = self.feed_head(s.org_id, &s.object_types).await?;
            if head <= s.announced_seq {
                continue;
            }
            let mut tx = self.db.begin().await?;
            let moved = tx
                .execute(
                    "UPDATE webhook_subscriptions SET announced_seq = $2 WHERE id = $1 AND announced_seq = $3 \
                     AND NOT EXISTS (SELECT 1 FROM webhook_deliveries WHERE subscription_id = $1 \
                     AND delivered_at IS NULL AND parked_at IS NULL)",
                    params![s.id, head, s.announced_seq],
                )
                .await?;
            if moved == 1 {
                tx.execute(
                    "INSERT INTO webhook_deliveries (id, subscription_id, org_id, after_seq, up_to_seq, created_at, attempts) \
                     VALUES ($1, $2, $3, $4, $5, $6, 0)",
                    params![Uuid::now_v7(), s.id, s.org_id.0, s.announced_seq, head, at],
                )
                .await?;
                tx.commit().await?;
                made += 1;
            }
        }
        Ok(made)
    }

    /// Claims up to `limit` deliveries that are due at `at` for `worker`
    /// for `lease`, and counts their attempt. Two workers never get the same one.
    pub async fn claim_webhook_deliveries(
        &self,
        worker: &str,
        limit: i64,
        lease: Duration,
        at: DateTime<Utc>,
    ) -> Result<Vec<ClaimedDelivery>> {
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let mut tx = self.db.begin().await?;
        let ids = tx
            .all(
                &format!(
                    "UPDATE webhook_deliveries SET claimed_by = $1, claimed_until = $2, attempts = attempts + 1 \
                     WHERE id IN (SELECT id FROM webhook_deliveries \
                         WHERE delivered_at IS NULL AND parked_at IS NULL \
                         AND (claimed_until IS NULL OR claimed_until <= $3) \
                         ORDER BY created_at, id LIMIT $4{lock}) \
                     RETURNING id"
                ),
                params![worker, at + chrono_duration(lease), at, limit.max(0)],
                |r| r.uuid("id"),
            )
            .await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(
                tx.one(
                    "SELECT d.id, d.subscription_id, d.org_id, o.slug, s.url, s.secret, s.include_events, s.object_types, \
                     d.after_seq, d.up_to_seq, d.created_at, d.attempts \
                     FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id \
                     JOIN organisations o ON o.id = d.org_id WHERE d.id = $1",
                    params![id],
                    |r| {
                        Ok(ClaimedDelivery {
                            id: r.uuid("id")?,
                            subscription_id: r.uuid("subscription_id")?,
                            org_id: OrgId(r.uuid("org_id")?),
                            org_slug: r.text("slug")?,
                            url: r.text("url")?,
                            secret: r.text("secret")?,
                            include_events: r.bool("include_events")?,
                            object_types: serde_json::from_str(&r.text("object_types")?)
                                .unwrap_or_default(),
                            after_seq: r.i64("after_seq")?,
                            up_to_seq: r.i64("up_to_seq")?,
                            created_at: r.ts("created_at")?,
                            attempts: i64::from(r.i32("attempts")?),
                        })
                    },
                )
                .await?,
            );
        }
        tx.commit().await?;
        out.sort_by_key(|d| (d.created_at, d.id));
        Ok(out)
    }

    /// Records an attempt's outcome at `at`: delivered, or waiting
    /// [`retry_delay`] for the next, or parked after [`MAX_ATTEMPTS`].
    /// Returns whether the delivery is done (delivered).
    pub async fn record_webhook_attempt(
        &self,
        d: &ClaimedDelivery,
        delivered: bool,
        outcome: &DeliveryOutcome,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        let cut = |s: &Option<String>| s.as_ref().map(|s| s.chars().take(2000).collect::<String>());
        let (error, response) = (cut(&outcome.error), cut(&outcome.response));
        let status = outcome.status.map(i64::from);
        let mut tx = self.db.begin().await?;
        tx.execute(
            "INSERT INTO webhook_attempts (id, delivery_id, subscription_id, at, attempt, status, error, response) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            params![Uuid::now_v7(), d.id, d.subscription_id, at, d.attempts, status, error.clone(), response],
        )
        .await?;
        let (sql, p) = if delivered {
            (
                "UPDATE webhook_deliveries SET delivered_at = $2, claimed_by = NULL, claimed_until = NULL, last_status = $3, last_error = NULL WHERE id = $1",
                params![d.id, at, status],
            )
        } else if d.attempts >= MAX_ATTEMPTS {
            (
                "UPDATE webhook_deliveries SET parked_at = $2, claimed_by = NULL, claimed_until = NULL, last_status = $3, last_error = $4 WHERE id = $1",
                params![d.id, at, status, error],
            )
        } else {
            (
                "UPDATE webhook_deliveries SET claimed_by = NULL, claimed_until = $2, last_status = $3, last_error = $4 WHERE id = $1",
                params![
                    d.id,
                    at + chrono_duration(retry_delay(d.attempts)),
                    status,
                    error
                ],
            )
        };
        tx.execute(sql, p).await?;
        // The log stays bounded: delivered deliveries go after a while.
        let old = params![d.subscription_id, at - chrono::Duration::days(KEEP_DAYS)];
        tx.execute(
            "DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries \
             WHERE subscription_id = $1 AND delivered_at < $2)",
            old.clone(),
        )
        .await?;
        tx.execute(
            "DELETE FROM webhook_deliveries WHERE subscription_id = $1 AND delivered_at < $2",
            old,
        )
        .await?;
        tx.commit().await?;
        Ok(delivered)
    }

    /// A subscription with its newest deliveries and attempts.
    pub async fn webhook_log(&self, org: OrgId, id: Uuid) -> Result<WebhookLog> {
        let subscription = self.webhook(org, id).await?;
        let mut read = self.db.read();
        let deliveries = read
            .all(
                &format!(
                    "SELECT id, after_seq, up_to_seq, created_at, attempts, delivered_at, parked_at, last_status, last_error \
                     FROM webhook_deliveries WHERE subscription_id = $1 ORDER BY created_at DESC, id DESC LIMIT {LOG_ROWS}"
                ),
                params![id],
                |r| {
                    let id = r.uuid("id")?;
                    let delivered_at = r.opt_ts("delivered_at")?;
                    let state = match (delivered_at, r.opt_ts("parked_at")?) {
                        (Some(_), _) => "delivered",
                        (None, Some(_)) => "parked",
                        (None, None) => "pending",
                    };
                    Ok(WebhookDelivery {
                        id,
                        webhook_id: super::sign::webhook_id(id),
                        after_seq: r.i64("after_seq")?,
                        up_to_seq: r.i64("up_to_seq")?,
                        created_at: r.ts("created_at")?,
                        attempts: i64::from(r.i32("attempts")?),
                        state: state.into(),
                        delivered_at,
                        last_status: r.opt_i32("last_status")?,
                        last_error: r.opt_text("last_error")?,
                    })
                },
            )
            .await?;
        let attempts = read
            .all(
                &format!(
                    "SELECT delivery_id, at, attempt, status, error FROM webhook_attempts \
                     WHERE subscription_id = $1 ORDER BY at DESC, id DESC LIMIT {LOG_ROWS}"
                ),
                params![id],
                |r| {
                    Ok(WebhookAttempt {
                        delivery_id: r.uuid("delivery_id")?,
                        at: r.ts("at")?,
                        attempt: i64::from(r.i32("attempt")?),
                        status: r.opt_i32("status")?,
                        error: r.opt_text("error")?,
                    })
                },
            )
            .await?;
        Ok(WebhookLog {
            subscription,
            deliveries,
            attempts,
        })
    }

    /// Sends a parked delivery again (with its `webhook-id`): its attempts
    /// start over. Audited on the subscription.
    pub async fn replay_webhook_delivery(
        &self,
        actor: &Actor,
        org: OrgId,
        subscription: Uuid,
        delivery: Uuid,
    ) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let n = tx
            .execute(
                "UPDATE webhook_deliveries SET parked_at = NULL, attempts = 0, claimed_by = NULL, claimed_until = NULL \
                 WHERE id = $1 AND subscription_id = $2 AND org_id = $3 AND parked_at IS NOT NULL",
                params![delivery, subscription, org.0],
            )
            .await?;
        if n == 0 {
            let exists = tx
                .count(
                    "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE id = $1 AND subscription_id = $2 AND org_id = $3",
                    params![delivery, subscription, org.0],
                )
                .await?;
            return Err(if exists == 0 {
                StoreError::NotFound
            } else {
                StoreError::Invalid(FieldErrors::single("status", NOT_PARKED))
            });
        }
        Change::new(
            Some(org),
            AuditAction::Update,
            AuditObject::WebhookSubscription,
            subscription,
            json!({ "replayed": { "old": null, "new": super::sign::webhook_id(delivery) } }),
        )
        .commit(tx, actor)
        .await
    }
}
