//! Licences in the API (issue 19 item 3): a system's licences judged today
//! (what was bought against the number in use, with overuse, idle and ended
//! named), written whole, and the organisation's list, overused and idle
//! first, with totals. Reading needs the organisation; writing, the right to
//! edit the system. Secret by default: never in the public register.

use crate::api::support::{Acting, Created, area, created, list_type};
use crate::context::{OrgPath, SystemPath};
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, Query};
use crate::nav::today;
use crate::query::licences::LicenceQuery;
use axum::Json;
use axum::http::StatusCode;
use insyn_domain::licence::*;
use insyn_store::licences::LicenceTotals;
use serde::Serialize;

area! {
    GET "/orgs/{org}/licences" => list_licences, Read;
    GET "/orgs/{org}/systems/{id}/licences" => system_licences, Read;
    POST "/orgs/{org}/systems/{id}/licences" => add_licence, EditSystem;
    GET "/orgs/{org}/systems/{id}/licences/{licence}" => get_licence, Read;
    PUT "/orgs/{org}/systems/{id}/licences/{licence}" => update_licence, EditSystem;
    DELETE "/orgs/{org}/systems/{id}/licences/{licence}" => remove_licence, EditSystem;
}

list_type!(SystemLicenceList(LicenceView));

/// One page of the organisation's licences and its totals.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LicenceList {
    pub items: Vec<LicenceView>,
    /// How many licences have the finding asked for (all, when none).
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
    /// Over all the organisation's licences, whatever the filter.
    pub totals: LicenceTotals,
}

/// The organisation's licences judged today: overused first, then idle,
/// then the rest, the ended last; only those with `finding` when given.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/licences", tag = "licences",
    params(("org" = String, Path), LicenceQuery),
    responses((status = 200, body = LicenceList), (status = 422)))]
async fn list_licences(
    Acting { store, .. }: Acting,
    at: OrgPath,
    Query(q): Query<LicenceQuery>,
) -> AppResult<Json<LicenceList>> {
    let r = q.parse().map_err(AppError::Invalid)?;
    let l = store
        .list_licences(at.id(), r.finding, r.page, today())
        .await?;
    Ok(Json(LicenceList {
        items: l.page.items,
        total: l.page.total,
        page: l.page.page,
        per_page: l.page.per_page,
        totals: l.totals,
    }))
}

/// A system's licences judged today: the number in use (from the system's
/// current access holdings, or as entered), what is unused, the findings
/// and the cost per user.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/licences", tag = "licences",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = SystemLicenceList), (status = 404)))]
async fn system_licences(
    Acting { store, .. }: Acting,
    at: SystemPath,
) -> AppResult<Json<SystemLicenceList>> {
    Ok(Json(
        store
            .system_licences(at.org.id, at.system, today())
            .await?
            .into(),
    ))
}

/// Records a licence of the system. The quantity is required unless the
/// metric is `site` (and refused for it); `holdings` counts only named
/// users and a site's users; the contract must be the organisation's.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/licences", tag = "licences",
    request_body = LicenceDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 201, body = Licence), (status = 404), (status = 422)))]
async fn add_licence(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(d): ApiJson<LicenceDraft>,
) -> AppResult<Created<Licence>> {
    Ok(created(
        store.add_licence(&actor, at.org.id, at.system, d).await?,
    ))
}

/// One licence as entered.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/licences/{licence}", tag = "licences",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("licence" = uuid::Uuid, Path)),
    responses((status = 200, body = Licence), (status = 404)))]
async fn get_licence(Acting { store, .. }: Acting, at: SystemPath) -> AppResult<Json<Licence>> {
    let id = at.params.id("licence")?;
    Ok(Json(store.licence(at.org.id, at.system, id).await?))
}

/// Replaces a licence as a whole (a field left out is emptied).
#[utoipa::path(put, path = "/api/v1/orgs/{org}/systems/{id}/licences/{licence}", tag = "licences",
    request_body = LicenceDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("licence" = uuid::Uuid, Path)),
    responses((status = 200, body = Licence), (status = 404), (status = 422)))]
async fn update_licence(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(d): ApiJson<LicenceDraft>,
) -> AppResult<Json<Licence>> {
    let id = at.params.id("licence")?;
    Ok(Json(
        store
            .update_licence(&actor, at.org.id, at.system, id, d)
            .await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/orgs/{org}/systems/{id}/licences/{licence}", tag = "licences",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("licence" = uuid::Uuid, Path)),
    responses((status = 204), (status = 404)))]
async fn remove_licence(Acting { store, actor }: Acting, at: SystemPath) -> AppResult<StatusCode> {
    let id = at.params.id("licence")?;
    store
        .remove_licence(&actor, at.org.id, at.system, id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
