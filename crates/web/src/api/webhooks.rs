//! Webhook subscriptions in the API (issue 21): administrators subscribe
//! an address to the organisation's changes, read a subscription with its
//! delivery log, change or end it, and replay a parked delivery. The
//! secret is in the answer to the subscription's creation only.

use crate::AppState;
use crate::api::support::{Acting, Created, area, conflict, created};
use crate::context::OrgPath;
use crate::error::AppResult;
use crate::extract::ApiJson;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use insyn_domain::webhook::WebhookDraft;
use insyn_store::webhooks::{WebhookLog, WebhookSubscription, WebhookSubscriptionCreated};

area! {
    GET "/orgs/{org}/webhooks" => list_webhooks, Administer;
    POST "/orgs/{org}/webhooks" => create_webhook, Administer;
    GET "/orgs/{org}/webhooks/{webhook}" => get_webhook, Administer;
    PUT "/orgs/{org}/webhooks/{webhook}" => update_webhook, Administer;
    DELETE "/orgs/{org}/webhooks/{webhook}" => delete_webhook, Administer;
    POST "/orgs/{org}/webhooks/{webhook}/deliveries/{delivery}/replay" => replay_delivery, Administer;
}

/// The organisation's subscriptions (never their secrets).
#[utoipa::path(get, path = "/api/v1/orgs/{org}/webhooks", tag = "webhooks",
    params(("org" = String, Path)),
    responses((status = 200, body = Vec<WebhookSubscription>), (status = 404)))]
async fn list_webhooks(
    Acting { store, .. }: Acting,
    at: OrgPath,
) -> AppResult<Json<Vec<WebhookSubscription>>> {
    Ok(Json(store.webhooks(at.id()).await?))
}

/// Subscribes an address (`https://`) to the organisation's changes of
/// the object types named (every type when none). Each delivery is a
/// POST announcing new events up to a `seq` of the change feed (and
/// carrying them when `include_events`), signed as Standard Webhooks says
/// with the secret in this answer: it is never shown again. At most 20
/// subscriptions an organisation.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/webhooks", tag = "webhooks",
    request_body = WebhookDraft,
    params(("org" = String, Path)),
    responses((status = 201, body = WebhookSubscriptionCreated), (status = 404),
        (status = 422, description = "The address, description or filter is not right, or the organisation has 20 subscriptions")))]
async fn create_webhook(
    State(state): State<AppState>,
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<WebhookDraft>,
) -> AppResult<Created<WebhookSubscriptionCreated>> {
    Ok(created(
        store
            .create_webhook(&actor, at.id(), &draft, state.webhooks)
            .await?,
    ))
}

/// A subscription with its newest deliveries and attempts (status,
/// response code, time).
#[utoipa::path(get, path = "/api/v1/orgs/{org}/webhooks/{webhook}", tag = "webhooks",
    params(("org" = String, Path), ("webhook" = uuid::Uuid, Path)),
    responses((status = 200, body = WebhookLog), (status = 404)))]
async fn get_webhook(Acting { store, .. }: Acting, at: OrgPath) -> AppResult<Json<WebhookLog>> {
    let id = at.params.id("webhook")?;
    Ok(Json(store.webhook_log(at.id(), id).await?))
}

/// Changes a subscription's address, description, filter or state; the secret stays.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/webhooks/{webhook}", tag = "webhooks",
    request_body = WebhookDraft,
    params(("org" = String, Path), ("webhook" = uuid::Uuid, Path)),
    responses((status = 200, body = WebhookSubscription), (status = 404), (status = 422)))]
async fn update_webhook(
    State(state): State<AppState>,
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<WebhookDraft>,
) -> AppResult<Json<WebhookSubscription>> {
    let id = at.params.id("webhook")?;
    Ok(Json(
        store
            .update_webhook(&actor, at.id(), id, &draft, state.webhooks)
            .await?,
    ))
}

/// Ends a subscription, with its queue and delivery log.
#[utoipa::path(delete, path = "/api/v1/orgs/{org}/webhooks/{webhook}", tag = "webhooks",
    params(("org" = String, Path), ("webhook" = uuid::Uuid, Path)),
    responses((status = 204), (status = 404)))]
async fn delete_webhook(Acting { store, actor }: Acting, at: OrgPath) -> AppResult<StatusCode> {
    let id = at.params.id("webhook")?;
    store.delete_webhook(&actor, at.id(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sends a parked delivery again, with the same `webhook-id`: its
/// attempts start over at the worker's next round.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/webhooks/{webhook}/deliveries/{delivery}/replay", tag = "webhooks",
    params(("org" = String, Path), ("webhook" = uuid::Uuid, Path), ("delivery" = uuid::Uuid, Path)),
    responses((status = 204), (status = 404), (status = 409, description = "The delivery is not parked")))]
async fn replay_delivery(Acting { store, actor }: Acting, at: OrgPath) -> AppResult<StatusCode> {
    let webhook = at.params.id("webhook")?;
    let delivery = at.params.id("delivery")?;
    store
        .replay_webhook_delivery(&actor, at.id(), webhook, delivery)
        .await
        .map_err(conflict)?;
    Ok(StatusCode::NO_CONTENT)
}
