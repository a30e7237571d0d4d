//! A mover's roles in the API: the roles of people who changed unit that
//! the caller is asked to settle (the old unit's manager; a coordinator for
//! units without one), and settling one: handed over to a successor, or kept.

use crate::AppState;
use crate::access_facts::coordinates;
use crate::api::support::{Acting, area};
use crate::auth::Principal;
use crate::context::OrgPath;
use crate::error::{AppError, AppResult};
use crate::extract::ApiJson;
use axum::Json;
use axum::extract::State;
use insyn_domain::access::RoleHandoverDraft;
use insyn_store::movers::RoleHandover;

area! {
    GET "/orgs/{org}/role-handovers" => my_role_handovers, Read;
    POST "/orgs/{org}/role-handovers/{handover}" => settle_role_handover, Read;
}

/// The open role handovers of movers the caller is asked to settle, the
/// oldest move first: part of "Mina uppgifter".
#[utoipa::path(get, path = "/api/v1/orgs/{org}/role-handovers", tag = "roles",
    params(("org" = String, Path)),
    responses((status = 200, body = Vec<RoleHandover>), (status = 404)))]
async fn my_role_handovers(
    State(state): State<AppState>,
    me: Principal,
    at: OrgPath,
) -> AppResult<Json<Vec<RoleHandover>>> {
    let mine = state
        .store
        .role_handovers_for(at.id(), &me.user.email, coordinates(&me, at.id()))
        .await?;
    Ok(Json(mine))
}

/// Hands a mover's role over to a successor (`successor_id`: it ends for
/// the mover and begins for the successor) or keeps it (`keep`); audited.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/role-handovers/{handover}", tag = "roles", request_body = RoleHandoverDraft,
    params(("org" = String, Path), ("handover" = uuid::Uuid, Path)),
    responses((status = 200, body = RoleHandover), (status = 403, description = "Not the old unit's manager nor a coordinator"), (status = 404),
        (status = 422, description = "No successor named, an unknown or inactive successor, or already settled")))]
async fn settle_role_handover(
    Acting { store, actor }: Acting,
    me: Principal,
    at: OrgPath,
    ApiJson(draft): ApiJson<RoleHandoverDraft>,
) -> AppResult<Json<RoleHandover>> {
    let h = store
        .role_handover(at.id(), at.params.id("handover")?)
        .await?;
    if !h.may_settle(&me.user.email, coordinates(&me, at.id())) {
        return Err(AppError::ForbiddenBecause("handover-not-yours"));
    }
    Ok(Json(
        store
            .settle_role_handover(&actor, at.id(), h.id, draft)
            .await?,
    ))
}
