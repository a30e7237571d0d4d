//! The register of systems in the API: list, create, read, replace,
//! archive and restore.

use crate::AppState;
use crate::api::support::{Acting, Created, area, created, list_type};
use crate::context::{OrgPath, SystemPath};
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, Query};
use crate::query::SystemQuery;
use axum::Json;
use axum::extract::State;
use insyn_domain::*;

area! {
    GET "/orgs/{org}/systems" => list_systems, Read;
    POST "/orgs/{org}/systems" => create_system, EditRegister;
    GET "/orgs/{org}/systems/{id}" => get_system, Read;
    PUT "/orgs/{org}/systems/{id}" => update_system, EditSystem;
    POST "/orgs/{org}/systems/{id}/archive" => archive_system, EditRegister;
    POST "/orgs/{org}/systems/{id}/restore" => restore_system, EditRegister;
}

list_type!(SystemList(System));

/// The register: filter, sort, search and page through an organisation's systems.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems", tag = "systems",
    params(("org" = String, Path, description = "Organisation slug"), SystemQuery),
    responses((status = 200, body = SystemList), (status = 422, description = "A parameter is malformed")))]
async fn list_systems(
    State(state): State<AppState>,
    at: OrgPath,
    Query(q): Query<SystemQuery>,
) -> AppResult<Json<SystemList>> {
    let r = q.parse().map_err(AppError::Invalid)?;
    let systems = state
        .store
        .list_full_systems(at.id(), &r.filter, r.sort, r.desc, r.page)
        .await?;
    Ok(Json(systems.into()))
}

#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems", tag = "systems", request_body = SystemDraft,
    params(("org" = String, Path)),
    responses((status = 201, body = System), (status = 422), (status = 409, description = "The name is taken")))]
async fn create_system(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<SystemDraft>,
) -> AppResult<Created<System>> {
    Ok(created(store.create_system(&actor, at.id(), draft).await?))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}", tag = "systems",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = System), (status = 404)))]
async fn get_system(State(state): State<AppState>, at: SystemPath) -> AppResult<Json<System>> {
    Ok(Json(state.store.get_system(at.org.id, at.system).await?))
}

/// Replaces a system's data. Sending the same data again changes nothing.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/systems/{id}", tag = "systems", request_body = SystemDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = System), (status = 404), (status = 422), (status = 409, description = "The name is taken")))]
async fn update_system(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(draft): ApiJson<SystemDraft>,
) -> AppResult<Json<System>> {
    Ok(Json(
        store
            .update_system(&actor, at.org.id, at.system, draft)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/archive", tag = "systems",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = System), (status = 404)))]
async fn archive_system(
    Acting { store, actor }: Acting,
    at: SystemPath,
) -> AppResult<Json<System>> {
    Ok(Json(
        store.archive_system(&actor, at.org.id, at.system).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/restore", tag = "systems",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = System), (status = 404), (status = 409, description = "Another system has its name now")))]
async fn restore_system(
    Acting { store, actor }: Acting,
    at: SystemPath,
) -> AppResult<Json<System>> {
    Ok(Json(
        store.restore_system(&actor, at.org.id, at.system).await?,
    ))
}
