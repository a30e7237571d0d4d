//! IT services (IT-tjänster, R-SVC-1) in the API: the organisation's
//! services (paged) with who delivers them, their cost, systems and agreed
//! service levels; each service's follow-ups per month or quarter judged
//! met or missed, entered one by one or imported from a file (CSV, .xlsx or
//! .ods; all or nothing, each problem named by its row and field). Secret
//! by default: only users of the organisation see them.

use crate::api::support::{Acting, Created, area, created, list_type};
use crate::context::OrgPath;
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, Query};
use crate::query::PagingQuery;
use crate::upload::{api_file, api_refusal, follow_up_rows};
use axum::Json;
use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;
use axum::http::StatusCode;
use insyn_domain::FieldErrors;
use insyn_domain::it_service::*;
use insyn_store::it_services::ItServiceImportSummary;

area! {
    GET "/orgs/{org}/services" => list_services, Read;
    POST "/orgs/{org}/services" => create_service, EditRegister;
    GET "/orgs/{org}/services/{service}" => get_service, Read;
    PUT "/orgs/{org}/services/{service}" => update_service, EditRegister;
    DELETE "/orgs/{org}/services/{service}" => remove_service, EditRegister;
    GET "/orgs/{org}/services/{service}/follow-ups" => list_follow_ups, Read;
    POST "/orgs/{org}/services/{service}/follow-ups" => add_follow_up, EditRegister;
    DELETE "/orgs/{org}/services/{service}/follow-ups/{follow_up}" => remove_follow_up, EditRegister;
    POST "/orgs/{org}/services/{service}/follow-ups/import" => import_follow_ups, EditRegister;
}

list_type!(ItServiceList(Service));
list_type!(ItServiceFollowUpList(FollowUp));

/// The organisation's IT services by name.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/services", tag = "services",
    params(("org" = String, Path), PagingQuery),
    responses((status = 200, body = ItServiceList), (status = 422)))]
async fn list_services(
    Acting { store, .. }: Acting,
    at: OrgPath,
    Query(q): Query<PagingQuery>,
) -> AppResult<Json<ItServiceList>> {
    let page = q.parse().map_err(AppError::Invalid)?;
    Ok(Json(store.list_it_services(at.id(), page).await?.into()))
}

/// Defines an IT service, delivered by one of the organisation's units or suppliers.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/services", tag = "services",
    request_body = ServiceDraft,
    params(("org" = String, Path)),
    responses((status = 201, body = Service), (status = 409, description = "The name is taken"), (status = 422)))]
async fn create_service(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<ServiceDraft>,
) -> AppResult<Created<Service>> {
    Ok(created(
        store.create_it_service(&actor, at.id(), draft).await?,
    ))
}

/// One IT service.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/services/{service}", tag = "services",
    params(("org" = String, Path), ("service" = uuid::Uuid, Path)),
    responses((status = 200, body = Service), (status = 404)))]
async fn get_service(Acting { store, .. }: Acting, at: OrgPath) -> AppResult<Json<Service>> {
    let id = at.params.id("service")?;
    Ok(Json(store.get_it_service(at.id(), id).await?))
}

/// Changes an IT service.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/services/{service}", tag = "services",
    request_body = ServiceDraft,
    params(("org" = String, Path), ("service" = uuid::Uuid, Path)),
    responses((status = 200, body = Service), (status = 404), (status = 409, description = "The name is taken"), (status = 422)))]
async fn update_service(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<ServiceDraft>,
) -> AppResult<Json<Service>> {
    let id = at.params.id("service")?;
    Ok(Json(
        store.update_it_service(&actor, at.id(), id, draft).await?,
    ))
}

/// Removes an IT service and its follow-ups (the audit trail keeps what they were).
#[utoipa::path(delete, path = "/api/v1/orgs/{org}/services/{service}", tag = "services",
    params(("org" = String, Path), ("service" = uuid::Uuid, Path)),
    responses((status = 204), (status = 404)))]
async fn remove_service(Acting { store, actor }: Acting, at: OrgPath) -> AppResult<StatusCode> {
    let id = at.params.id("service")?;
    store.remove_it_service(&actor, at.id(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A service's follow-ups, the latest period first, each level judged
/// against the service's agreed levels.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/services/{service}/follow-ups", tag = "services",
    params(("org" = String, Path), ("service" = uuid::Uuid, Path), PagingQuery),
    responses((status = 200, body = ItServiceFollowUpList), (status = 404), (status = 422)))]
async fn list_follow_ups(
    Acting { store, .. }: Acting,
    at: OrgPath,
    Query(q): Query<PagingQuery>,
) -> AppResult<Json<ItServiceFollowUpList>> {
    let id = at.params.id("service")?;
    let page = q.parse().map_err(AppError::Invalid)?;
    Ok(Json(
        store
            .list_it_service_follow_ups(at.id(), id, page)
            .await?
            .into(),
    ))
}

/// Records a period's follow-up; a period already followed up is refused.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/services/{service}/follow-ups", tag = "services",
    request_body = FollowUpDraft,
    params(("org" = String, Path), ("service" = uuid::Uuid, Path)),
    responses((status = 201, body = FollowUp), (status = 404), (status = 422)))]
async fn add_follow_up(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<FollowUpDraft>,
) -> AppResult<Created<FollowUp>> {
    let id = at.params.id("service")?;
    Ok(created(
        store
            .add_it_service_follow_up(&actor, at.id(), id, draft)
            .await?,
    ))
}

/// Removes a follow-up.
#[utoipa::path(delete, path = "/api/v1/orgs/{org}/services/{service}/follow-ups/{follow_up}", tag = "services",
    params(("org" = String, Path), ("service" = uuid::Uuid, Path), ("follow_up" = uuid::Uuid, Path)),
    responses((status = 204), (status = 404)))]
async fn remove_follow_up(Acting { store, actor }: Acting, at: OrgPath) -> AppResult<StatusCode> {
    let (id, follow_up) = (at.params.id("service")?, at.params.id("follow_up")?);
    store
        .remove_it_service_follow_up(&actor, at.id(), id, follow_up)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A multipart form with the follow-up file as the field `file`.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ItServiceFollowUpUpload {
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    pub file: String,
}

/// Imports follow-ups from a file (CSV, .xlsx or .ods) with a header row
/// naming the period column (Period, Månad or Kvartal) and any of
/// Tillgänglighet, Svarstid uppfylld, Svarstid ej uppfylld, Lösningstid
/// uppfylld, Lösningstid ej uppfylld and Kommentar (or their English
/// titles), one row per month (2026-03) or quarter (2026-Q1). All or
/// nothing: any row that cannot be read or is not valid refuses the file
/// with 422, each problem named `rows[N].field` by its row in the file. A
/// period already followed up is replaced.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/services/{service}/follow-ups/import", tag = "services",
    request_body(content = ItServiceFollowUpUpload, content_type = "multipart/form-data"),
    params(("org" = String, Path), ("service" = uuid::Uuid, Path)),
    responses((status = 200, body = ItServiceImportSummary), (status = 400, description = "Not a well-formed multipart body"),
        (status = 404), (status = 413, description = "The file is over the size limit"),
        (status = 422, description = "No file, a file that cannot be read, or rows that are not valid")))]
async fn import_follow_ups(
    Acting { store, actor }: Acting,
    at: OrgPath,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Json<ItServiceImportSummary>> {
    let id = at.params.id("service")?;
    store.get_it_service(at.id(), id).await?;
    let (name, bytes) = api_file(multipart).await?;
    match follow_up_rows(&name, &bytes).await.map_err(api_refusal)? {
        Ok(rows) => Ok(Json(
            store
                .import_it_service_follow_ups(&actor, at.id(), id, rows)
                .await?,
        )),
        Err(errors) => {
            let mut e = FieldErrors::new();
            for r in &errors {
                e.add(&r.path(), r.code);
            }
            Err(AppError::Invalid(e))
        }
    }
}
