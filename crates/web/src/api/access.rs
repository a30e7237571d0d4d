//! Access management in the API: a system's access profiles, who holds
//! them, and orders for access with the steps taken on them. The route's
//! permission lets a reader in; whether they are the party who may order
//! or take a step is the domain's rule (`may_order`, `may_take`), on facts
//! gathered here from the store.

use crate::AppState;
use crate::access_facts::{AccessTask, access_tasks, facts, profile_at};
use crate::api::support::{Acting, Created, area, created, list_type};
use crate::auth::Principal;
use crate::context::{OrgPath, SystemPath};
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, Query};
use crate::query::PagingQuery;
use axum::Json;
use axum::extract::State;
use insyn_domain::access::*;
use insyn_store::access::{AccessOrder, AccessOrderView, OrderFilter};

area! {
    GET "/orgs/{org}/systems/{id}/access-profiles" => list_profiles, Read;
    POST "/orgs/{org}/systems/{id}/access-profiles" => create_profile, EditSystem;
    GET "/orgs/{org}/systems/{id}/access-profiles/{profile}" => get_profile, Read;
    PUT "/orgs/{org}/systems/{id}/access-profiles/{profile}" => update_profile, EditSystem;
    POST "/orgs/{org}/systems/{id}/access-profiles/{profile}/archive" => archive_profile, EditSystem;
    GET "/orgs/{org}/systems/{id}/holdings" => list_holdings, Read;
    GET "/orgs/{org}/systems/{id}/access-orders" => list_orders, Read;
    POST "/orgs/{org}/systems/{id}/access-orders" => create_order, Read;
    GET "/orgs/{org}/access-orders/{order}" => get_order, Read;
    POST "/orgs/{org}/access-orders/{order}/steps" => take_step, Read;
    GET "/orgs/{org}/access-tasks" => my_access_tasks, Read;
}

list_type!(
    AccessProfileList(AccessProfile),
    HoldingList(Holding),
    AccessOrderList(AccessOrder),
);

/// The system's access profiles, by name, archived ones last.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/access-profiles", tag = "access",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = AccessProfileList), (status = 404)))]
async fn list_profiles(
    State(state): State<AppState>,
    at: SystemPath,
) -> AppResult<Json<AccessProfileList>> {
    state.store.get_system(at.org.id, at.system).await?;
    let all = state.store.access_profiles(at.org.id, at.system).await?;
    Ok(Json(all.into()))
}

/// A new access profile; the parties left out come from the organisation's
/// policy profile.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/access-profiles", tag = "access",
    request_body = AccessProfileDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 201, body = AccessProfile), (status = 404), (status = 422), (status = 409, description = "The name is taken")))]
async fn create_profile(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(draft): ApiJson<AccessProfileDraft>,
) -> AppResult<Created<AccessProfile>> {
    let defaults = store.active_profile(at.org.id).await?.profile;
    let p = store
        .create_access_profile(
            &actor,
            at.org.id,
            at.system,
            draft,
            &defaults.access_parties(),
        )
        .await?;
    Ok(created(p))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/access-profiles/{profile}", tag = "access",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("profile" = uuid::Uuid, Path)),
    responses((status = 200, body = AccessProfile), (status = 404)))]
async fn get_profile(
    State(state): State<AppState>,
    at: SystemPath,
) -> AppResult<Json<AccessProfile>> {
    Ok(Json(profile_at(&state.store, &at).await?))
}

/// Changes a profile; the parties left out stay as they are.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/systems/{id}/access-profiles/{profile}", tag = "access",
    request_body = AccessProfileDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("profile" = uuid::Uuid, Path)),
    responses((status = 200, body = AccessProfile), (status = 404), (status = 422), (status = 409, description = "The name is taken")))]
async fn update_profile(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(draft): ApiJson<AccessProfileDraft>,
) -> AppResult<Json<AccessProfile>> {
    let p = profile_at(&store, &at).await?;
    Ok(Json(
        store
            .update_access_profile(&actor, at.org.id, p.id, draft)
            .await?,
    ))
}

/// Archives a profile: it can no longer be ordered; its holdings stay.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/access-profiles/{profile}/archive", tag = "access",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("profile" = uuid::Uuid, Path)),
    responses((status = 200, body = AccessProfile), (status = 404)))]
async fn archive_profile(
    Acting { store, actor }: Acting,
    at: SystemPath,
) -> AppResult<Json<AccessProfile>> {
    let p = profile_at(&store, &at).await?;
    Ok(Json(
        store
            .archive_access_profile(&actor, at.org.id, p.id)
            .await?,
    ))
}

/// Who holds which of the system's profiles.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/holdings", tag = "access",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), PagingQuery),
    responses((status = 200, body = HoldingList), (status = 404), (status = 422)))]
async fn list_holdings(
    State(state): State<AppState>,
    at: SystemPath,
    Query(q): Query<PagingQuery>,
) -> AppResult<Json<HoldingList>> {
    let page = q.parse().map_err(AppError::Invalid)?;
    state.store.get_system(at.org.id, at.system).await?;
    let held = state.store.holdings(at.org.id, at.system, page).await?;
    Ok(Json(held.into()))
}

/// The orders for the system's profiles, the newest first.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/access-orders", tag = "access",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), PagingQuery),
    responses((status = 200, body = AccessOrderList), (status = 404), (status = 422)))]
async fn list_orders(
    State(state): State<AppState>,
    at: SystemPath,
    Query(q): Query<PagingQuery>,
) -> AppResult<Json<AccessOrderList>> {
    let page = q.parse().map_err(AppError::Invalid)?;
    state.store.get_system(at.org.id, at.system).await?;
    let filter = OrderFilter {
        system: Some(at.system),
        ..OrderFilter::default()
    };
    let orders = state.store.access_orders(at.org.id, filter, page).await?;
    Ok(Json(orders.into()))
}

/// Orders one or more of the system's profiles for a person (or their
/// removal): one order per profile. Only the profiles' orderer party, an
/// editor entering a written order, or a substitute may order.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/access-orders", tag = "access",
    request_body = AccessOrderDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 201, body = Vec<AccessOrder>), (status = 403, description = "Not one who may order these profiles"), (status = 404), (status = 422)))]
async fn create_order(
    Acting { store, actor }: Acting,
    me: Principal,
    at: SystemPath,
    ApiJson(draft): ApiJson<AccessOrderDraft>,
) -> AppResult<Created<Vec<AccessOrder>>> {
    let org = at.org.id;
    let f = facts(&store, &me, org, at.system, draft.person_id, None).await?;
    for id in &draft.profile_ids {
        // An unknown profile is the store's to report, field by field.
        let Ok(p) = store.access_profile(org, *id).await else {
            continue;
        };
        if !may_order(&p.parties(), &f) {
            return Err(AppError::ForbiddenBecause(NotYours::OtherParty.code()));
        }
    }
    Ok(created(
        store.order_access(&actor, org, at.system, draft).await?,
    ))
}

/// An order with its profile and the steps taken so far.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/access-orders/{order}", tag = "access",
    params(("org" = String, Path), ("order" = uuid::Uuid, Path)),
    responses((status = 200, body = AccessOrderView), (status = 404)))]
async fn get_order(State(state): State<AppState>, at: OrgPath) -> AppResult<Json<AccessOrderView>> {
    let id = at.params.id("order")?;
    Ok(Json(state.store.access_order(at.id(), id).await?))
}

/// Takes a step on an order: approve or reject (the decider), carry out or
/// fail (the executor), withdraw (whoever ordered it). Nobody decides their
/// own order.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/access-orders/{order}/steps", tag = "access",
    request_body = OrderStepDraft,
    params(("org" = String, Path), ("order" = uuid::Uuid, Path)),
    responses((status = 200, body = AccessOrder), (status = 403, description = "The step is another party's, or the caller's own order"), (status = 404), (status = 422)))]
async fn take_step(
    Acting { store, actor }: Acting,
    me: Principal,
    at: OrgPath,
    ApiJson(draft): ApiJson<OrderStepDraft>,
) -> AppResult<Json<AccessOrder>> {
    let org = at.id();
    let view = store.access_order(org, at.params.id("order")?).await?;
    let by = view.order.ordered_by.as_str();
    let order = &view.order;
    let f = facts(
        &store,
        &me,
        org,
        order.system_id,
        Some(order.person_id),
        Some(by),
    )
    .await?;
    may_take(draft.step, &view.profile.parties(), &f)
        .map_err(|no| AppError::ForbiddenBecause(no.code()))?;
    Ok(Json(
        store.order_step(&actor, org, view.order.id, draft).await?,
    ))
}

/// The open orders whose next step is the caller's: to decide (approve or
/// reject) or to carry out, the newest first. The access part of "Mina
/// uppgifter".
#[utoipa::path(get, path = "/api/v1/orgs/{org}/access-tasks", tag = "access",
    params(("org" = String, Path)),
    responses((status = 200, body = Vec<AccessTask>), (status = 404)))]
async fn my_access_tasks(
    State(state): State<AppState>,
    me: Principal,
    at: OrgPath,
) -> AppResult<Json<Vec<AccessTask>>> {
    Ok(Json(access_tasks(&state.store, &me, at.id()).await?))
}
