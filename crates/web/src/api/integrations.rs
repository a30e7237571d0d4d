//! Integrations in the API (samverkande system): the organisation's flows
//! between systems, each one's record, a system's neighbourhood map and
//! "if this system is down". Secret by default: only users of the
//! organisation see them (the same as a system's security details), and
//! nothing of them reaches the public register.

use crate::api::support::{Acting, Created, area, created, list_type};
use crate::context::{OrgPath, SystemPath};
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, Query};
use crate::query::integrations::{DepthQuery, IntegrationQuery};
use axum::Json;
use axum::http::StatusCode;
use insyn_domain::integration::*;
use insyn_domain::*;
use serde::Serialize;

area! {
    GET "/orgs/{org}/integrations" => list_integrations, Read;
    POST "/orgs/{org}/integrations" => create_integration, EditRegister;
    GET "/orgs/{org}/integrations/{integration}" => get_integration, Read;
    PUT "/orgs/{org}/integrations/{integration}" => update_integration, EditRegister;
    DELETE "/orgs/{org}/integrations/{integration}" => remove_integration, EditRegister;
    GET "/orgs/{org}/systems/{id}/neighbourhood" => neighbourhood, Read;
    GET "/orgs/{org}/systems/{id}/impact" => impact, Read;
}

list_type!(IntegrationList(Integration));

/// The organisation's integrations, by the from-system's and the
/// to-system's names, each with the information sets it carries (their
/// personal-data flags and classification).
#[utoipa::path(get, path = "/api/v1/orgs/{org}/integrations", tag = "integrations",
    params(("org" = String, Path), IntegrationQuery),
    responses((status = 200, body = IntegrationList), (status = 422)))]
async fn list_integrations(
    Acting { store, .. }: Acting,
    at: OrgPath,
    Query(q): Query<IntegrationQuery>,
) -> AppResult<Json<IntegrationList>> {
    let (page, filter) = q.parse().map_err(AppError::Invalid)?;
    Ok(Json(
        store
            .list_integrations(at.id(), &filter, page)
            .await?
            .into(),
    ))
}

/// Records an integration: information flowing from one of the
/// organisation's systems to another (the to-system depends on it).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/integrations", tag = "integrations",
    request_body = IntegrationDraft,
    params(("org" = String, Path)),
    responses((status = 201, body = Integration), (status = 422)))]
async fn create_integration(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<IntegrationDraft>,
) -> AppResult<Created<Integration>> {
    Ok(created(
        store.create_integration(&actor, at.id(), draft).await?,
    ))
}

/// One integration.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/integrations/{integration}", tag = "integrations",
    params(("org" = String, Path), ("integration" = uuid::Uuid, Path)),
    responses((status = 200, body = Integration), (status = 404)))]
async fn get_integration(
    Acting { store, .. }: Acting,
    at: OrgPath,
) -> AppResult<Json<Integration>> {
    let id = at.params.id("integration")?;
    Ok(Json(store.get_integration(at.id(), id).await?))
}

/// Changes an integration.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/integrations/{integration}", tag = "integrations",
    request_body = IntegrationDraft,
    params(("org" = String, Path), ("integration" = uuid::Uuid, Path)),
    responses((status = 200, body = Integration), (status = 404), (status = 422)))]
async fn update_integration(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<IntegrationDraft>,
) -> AppResult<Json<Integration>> {
    let id = at.params.id("integration")?;
    Ok(Json(
        store.update_integration(&actor, at.id(), id, draft).await?,
    ))
}

/// Removes an integration (the audit trail keeps what it was).
#[utoipa::path(delete, path = "/api/v1/orgs/{org}/integrations/{integration}", tag = "integrations",
    params(("org" = String, Path), ("integration" = uuid::Uuid, Path)),
    responses((status = 204), (status = 404)))]
async fn remove_integration(Acting { store, actor }: Acting, at: OrgPath) -> AppResult<StatusCode> {
    let id = at.params.id("integration")?;
    store.remove_integration(&actor, at.id(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A system on a map, by name.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MapSystem {
    pub id: SystemId,
    pub name: String,
}

/// A system's neighbourhood: the systems it depends on (negative columns)
/// and those that depend on it (positive), to a depth of 1–3, at most 150
/// systems (`more` counts the rest).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NeighbourhoodMap {
    pub layout: Layout,
    pub systems: Vec<MapSystem>,
}

/// A system's neighbourhood map, as data.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/neighbourhood", tag = "integrations",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), DepthQuery),
    responses((status = 200, body = NeighbourhoodMap), (status = 404), (status = 422)))]
async fn neighbourhood(
    Acting { store, .. }: Acting,
    at: SystemPath,
    Query(q): Query<DepthQuery>,
) -> AppResult<Json<NeighbourhoodMap>> {
    let depth = q.parse().map_err(AppError::Invalid)?;
    let n = store.neighbourhood(at.org.id, at.system, depth).await?;
    let systems = n
        .layout
        .nodes
        .iter()
        .map(|m| MapSystem {
            id: m.system_id,
            name: n.name(m.system_id).to_owned(),
        })
        .collect();
    Ok(Json(NeighbourhoodMap {
        layout: n.layout,
        systems,
    }))
}

/// "If this system is down": every system that depends on it directly or
/// transitively, the units that use them, the personal-data flows that
/// stop, each dependant whose RTO or MTD is shorter than this system's RTO,
/// and the business-critical suggestions.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/impact", tag = "integrations",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Impact), (status = 404)))]
async fn impact(Acting { store, .. }: Acting, at: SystemPath) -> AppResult<Json<Impact>> {
    Ok(Json(store.impact(at.org.id, at.system).await?))
}
