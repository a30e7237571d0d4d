//! Webhook subscriptions (issue 21): an organisation's administrators name
//! an address and the object types they want to hear of; insyn generates
//! the secret it signs with, shows it once (in what creating returns) and
//! never again: no read, list, export or audit record carries it. Each
//! change is audited (without the secret). The queue and the delivery log
//! are in `queue.rs`, signing in `sign.rs`; sending is the binary's.

mod queue;
pub mod sign;

pub use queue::{ClaimedDelivery, DeliveryOutcome, WebhookAttempt, WebhookDelivery, WebhookLog};

use crate::audit::{Actor, Change};
use crate::db::{DbRow, Queryable, Result, Tx, now};
use crate::{Store, StoreError, params};
use chrono::{DateTime, Utc};
use insyn_domain::webhook::{SUBSCRIPTIONS_MAX, TOO_MANY, WebhookDraft, WebhookPolicy};
use insyn_domain::{AuditAction, AuditObject, FieldErrors, OrgId};
use serde::Serialize;
use uuid::Uuid;

/// A subscription as administrators see it: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookSubscription {
    pub id: Uuid,
    pub org_id: OrgId,
    pub url: String,
    pub description: Option<String>,
    /// The object types announced; empty: every type the feed has.
    pub object_types: Vec<String>,
    pub include_events: bool,
    pub active: bool,
    /// The feed's `seq` the deliveries have announced up to.
    pub announced_seq: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A subscription just created, with its secret: shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookSubscriptionCreated {
    #[serde(flatten)]
    pub subscription: WebhookSubscription,
    /// The signing secret (`whsec_…`): keep it now, it is never shown again.
    pub secret: String,
}

const COLS: &str = "id, org_id, url, description, object_types, include_events, active, announced_seq, created_at, updated_at";

fn subscription(r: &dyn DbRow) -> Result<WebhookSubscription> {
    Ok(WebhookSubscription {
        id: r.uuid("id")?,
        org_id: OrgId(r.uuid("org_id")?),
        url: r.text("url")?,
        description: r.opt_text("description")?,
        object_types: serde_json::from_str(&r.text("object_types")?).unwrap_or_default(),
        include_events: r.bool("include_events")?,
        active: r.bool("active")?,
        announced_seq: r.i64("announced_seq")?,
        created_at: r.ts("created_at")?,
        updated_at: r.ts("updated_at")?,
    })
}

async fn fetch(tx: &mut Tx, org: OrgId, id: Uuid) -> Result<WebhookSubscription> {
    tx.opt(
        &format!("SELECT {COLS} FROM webhook_subscriptions WHERE org_id = $1 AND id = $2"),
        params![org.0, id],
        subscription,
    )
    .await?
    .ok_or(StoreError::NotFound)
}

fn types_text(d: &WebhookDraft) -> String {
    serde_json::to_string(&d.object_types).unwrap_or_else(|_| "[]".into())
}

impl Store {
    /// The organisation's subscriptions, oldest first.
    pub async fn webhooks(&self, org: OrgId) -> Result<Vec<WebhookSubscription>> {
        self.db
            .read()
            .all(
                &format!(
                    "SELECT {COLS} FROM webhook_subscriptions WHERE org_id = $1 ORDER BY created_at, id"
                ),
                params![org.0],
                subscription,
            )
            .await
    }

    pub async fn webhook(&self, org: OrgId, id: Uuid) -> Result<WebhookSubscription> {
        let mut tx = self.db.begin().await?;
        fetch(&mut tx, org, id).await
    }

    /// Subscribes: checks the draft under the installation's `policy`,
    /// at most [`SUBSCRIPTIONS_MAX`] a organisation; the deliveries
    /// announce changes from now on. Returns the secret, this once.
    pub async fn create_webhook(
        &self,
        actor: &Actor,
        org: OrgId,
        draft: &WebhookDraft,
        policy: WebhookPolicy,
    ) -> Result<WebhookSubscriptionCreated> {
        let d = draft.validate(policy.allow_http)?;
        let head = self.feed_head(org, &[]).await?;
        let mut tx = self.db.begin().await?;
        let n = tx
            .count(
                "SELECT COUNT(*) AS n FROM webhook_subscriptions WHERE org_id = $1",
                params![org.0],
            )
            .await?;
        if n >= SUBSCRIPTIONS_MAX {
            return Err(StoreError::Invalid(FieldErrors::single("url", TOO_MANY)));
        }
        let id = Uuid::now_v7();
        let secret = sign::new_secret();
        let at = now();
        tx.execute(
            "INSERT INTO webhook_subscriptions (id, org_id, url, description, object_types, include_events, active, secret, announced_seq, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
            params![id, org.0, d.url.as_str(), d.description.clone(), types_text(&d), d.include_events, d.active, secret.as_str(), head, at],
        )
        .await?;
        let created = fetch(&mut tx, org, id).await?;
        Change::created(Some(org), AuditObject::WebhookSubscription, id, &created)
            .commit(tx, actor)
            .await?;
        Ok(WebhookSubscriptionCreated {
            subscription: created,
            secret,
        })
    }

    /// Changes a subscription's address, filter or state (the secret stays).
    pub async fn update_webhook(
        &self,
        actor: &Actor,
        org: OrgId,
        id: Uuid,
        draft: &WebhookDraft,
        policy: WebhookPolicy,
    ) -> Result<WebhookSubscription> {
        let d = draft.validate(policy.allow_http)?;
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id).await?;
        tx.execute(
            "UPDATE webhook_subscriptions SET url = $3, description = $4, object_types = $5, include_events = $6, active = $7, updated_at = $8 \
             WHERE org_id = $1 AND id = $2",
            params![org.0, id, d.url.as_str(), d.description.clone(), types_text(&d), d.include_events, d.active, now()],
        )
        .await?;
        let after = fetch(&mut tx, org, id).await?;
        Change::updated(
            Some(org),
            AuditObject::WebhookSubscription,
            id,
            &before,
            &after,
        )
        .commit(tx, actor)
        .await?;
        Ok(after)
    }

    /// Ends a subscription, with its queue and log.
    pub async fn delete_webhook(&self, actor: &Actor, org: OrgId, id: Uuid) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id).await?;
        for table in ["webhook_attempts", "webhook_deliveries"] {
            tx.execute(
                &format!("DELETE FROM {table} WHERE subscription_id = $1"),
                params![id],
            )
            .await?;
        }
        tx.execute(
            "DELETE FROM webhook_subscriptions WHERE org_id = $1 AND id = $2",
            params![org.0, id],
        )
        .await?;
        Change::new(
            Some(org),
            AuditAction::Remove,
            AuditObject::WebhookSubscription,
            id,
            crate::audit::diff(Some(&before), None),
        )
        .commit(tx, actor)
        .await
    }
}
