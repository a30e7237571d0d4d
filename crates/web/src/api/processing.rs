//! Records of processing activities (registerförteckning, GDPR art. 30) in
//! the API: the organisation's records, each with its controller (a unit,
//! the nämnd, or the organisation itself) and the art. 30(1) items it still
//! lacks (`missing`, as message keys). Reading needs the organisation;
//! writing, the right to edit the register. Secret by default: never in the
//! public register.

use crate::api::support::{Acting, Created, area, created, list_type};
use crate::context::OrgPath;
use crate::error::AppError;
use crate::error::AppResult;
use crate::extract::{ApiJson, Query};
use crate::query::PagingQuery;
use axum::Json;
use axum::http::StatusCode;
use insyn_domain::ProcessingRecordId;
use insyn_domain::processing::*;
use insyn_domain::{FieldErrors, PageRequest};
use insyn_store::processing::Controller;

area! {
    GET "/orgs/{org}/processing-records" => list_processing_records, Read;
    POST "/orgs/{org}/processing-records" => create_processing_record, EditRegister;
    GET "/orgs/{org}/processing-records/{record}" => get_processing_record, Read;
    PUT "/orgs/{org}/processing-records/{record}" => update_processing_record, EditRegister;
    DELETE "/orgs/{org}/processing-records/{record}" => remove_processing_record, EditRegister;
}

list_type!(ProcessingRecordList(ProcessingRecord));

fn record_id(at: &OrgPath) -> AppResult<ProcessingRecordId> {
    Ok(ProcessingRecordId(at.params.id("record")?))
}

/// Which records a list holds, and which page of them.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProcessingListQuery {
    /// `org` for the organisation's own records, or a unit's id for the
    /// records that unit (nämnd) is controller of; every controller's when
    /// left out.
    #[param(
        pattern = "^(org|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})?$"
    )]
    pub controller: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

impl ProcessingListQuery {
    fn parse(&self) -> Result<(Controller, PageRequest), FieldErrors> {
        let page = PagingQuery {
            page: self.page.clone(),
            per_page: self.per_page.clone(),
        }
        .parse()?;
        let mut e = FieldErrors::new();
        let controller = match self.controller.as_deref().map(str::trim) {
            None | Some("") => Controller::Any,
            Some("org") => Controller::Organisation,
            Some(u) => u.parse().map(Controller::Unit).unwrap_or_else(|_| {
                e.add("controller", insyn_domain::validation::UNKNOWN_REFERENCE);
                Controller::Any
            }),
        };
        e.into_result((controller, page))
    }
}

/// One page of the organisation's records, the organisation's own first,
/// then per controlling unit and by name; `controller` keeps one
/// controller's.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/processing-records", tag = "processing",
    params(("org" = String, Path), ProcessingListQuery),
    responses((status = 200, body = ProcessingRecordList), (status = 422)))]
async fn list_processing_records(
    Acting { store, .. }: Acting,
    at: OrgPath,
    Query(q): Query<ProcessingListQuery>,
) -> AppResult<Json<ProcessingRecordList>> {
    let (controller, page) = q.parse().map_err(AppError::Invalid)?;
    Ok(Json(
        store
            .processing_records(at.id(), controller, page)
            .await?
            .into(),
    ))
}

/// Records a processing. Only the name is required: what the record still
/// lacks under art. 30(1) comes back in `missing`.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/processing-records", tag = "processing",
    request_body = ProcessingDraft,
    params(("org" = String, Path)),
    responses((status = 201, body = ProcessingRecord), (status = 422)))]
async fn create_processing_record(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<ProcessingDraft>,
) -> AppResult<Created<ProcessingRecord>> {
    Ok(created(
        store
            .create_processing_record(&actor, at.id(), draft)
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/processing-records/{record}", tag = "processing",
    params(("org" = String, Path), ("record" = uuid::Uuid, Path)),
    responses((status = 200, body = ProcessingRecord), (status = 404)))]
async fn get_processing_record(
    Acting { store, .. }: Acting,
    at: OrgPath,
) -> AppResult<Json<ProcessingRecord>> {
    let id = record_id(&at)?;
    Ok(Json(store.processing_record(at.id(), id).await?))
}

/// Changes a record as a whole (a field left out is emptied).
#[utoipa::path(put, path = "/api/v1/orgs/{org}/processing-records/{record}", tag = "processing",
    request_body = ProcessingDraft,
    params(("org" = String, Path), ("record" = uuid::Uuid, Path)),
    responses((status = 200, body = ProcessingRecord), (status = 404), (status = 422)))]
async fn update_processing_record(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<ProcessingDraft>,
) -> AppResult<Json<ProcessingRecord>> {
    let id = record_id(&at)?;
    Ok(Json(
        store
            .update_processing_record(&actor, at.id(), id, draft)
            .await?,
    ))
}

/// Removes a record (the audit trail keeps what it was).
#[utoipa::path(delete, path = "/api/v1/orgs/{org}/processing-records/{record}", tag = "processing",
    params(("org" = String, Path), ("record" = uuid::Uuid, Path)),
    responses((status = 204), (status = 404)))]
async fn remove_processing_record(
    Acting { store, actor }: Acting,
    at: OrgPath,
) -> AppResult<StatusCode> {
    let id = record_id(&at)?;
    store.remove_processing_record(&actor, at.id(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
