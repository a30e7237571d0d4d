//! Information management and decommissioning in the API: a system's
//! record types (handlingstyper) and archive responsibility, its erasure
//! records (one per medium), and its decommissioning case with the gates
//! checked against the register. Reading needs the organisation; writing,
//! the right to edit the system; closing the case (which marks the system
//! decommissioned), the system owner's.

use crate::api::support::{Acting, Created, area, created, list_type};
use crate::context::SystemPath;
use crate::error::AppResult;
use crate::extract::ApiJson;
use axum::Json;
use axum::http::StatusCode;
use insyn_domain::decommission::*;
use insyn_store::StoreError;
use insyn_store::decommission::CaseView;

area! {
    GET "/orgs/{org}/systems/{id}/record-types" => list_record_types, Read;
    POST "/orgs/{org}/systems/{id}/record-types" => add_record_type, EditSystem;
    PUT "/orgs/{org}/systems/{id}/record-types/{record_type}" => update_record_type, EditSystem;
    DELETE "/orgs/{org}/systems/{id}/record-types/{record_type}" => remove_record_type, EditSystem;
    GET "/orgs/{org}/systems/{id}/archive-responsibility" => get_archive_responsibility, Read;
    PUT "/orgs/{org}/systems/{id}/archive-responsibility" => set_archive_responsibility, EditSystem;
    GET "/orgs/{org}/systems/{id}/erasures" => list_erasures, Read;
    POST "/orgs/{org}/systems/{id}/erasures" => add_erasure, EditSystem;
    PUT "/orgs/{org}/systems/{id}/erasures/{erasure}" => update_erasure, EditSystem;
    DELETE "/orgs/{org}/systems/{id}/erasures/{erasure}" => remove_erasure, EditSystem;
    GET "/orgs/{org}/systems/{id}/decommissioning" => get_case, Read;
    POST "/orgs/{org}/systems/{id}/decommissioning" => open_case, EditSystem;
    PUT "/orgs/{org}/systems/{id}/decommissioning" => update_case, EditSystem;
    POST "/orgs/{org}/systems/{id}/decommissioning/close" => close_case, ActAsOwner;
}

list_type!(RecordTypeList(RecordType), ErasureList(Erasure));

#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/record-types", tag = "decommissioning",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = RecordTypeList), (status = 404)))]
async fn list_record_types(
    Acting { store, .. }: Acting,
    at: SystemPath,
) -> AppResult<Json<RecordTypeList>> {
    Ok(Json(store.record_types(at.org.id, at.system).await?.into()))
}

/// Adds a record type: keep or dispose, the disposal decision, the delivery
/// to the e-archive. What a type still lacks shows in the case's gates.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/record-types", tag = "decommissioning",
    request_body = RecordTypeDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 201, body = RecordType), (status = 404), (status = 422)))]
async fn add_record_type(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(d): ApiJson<RecordTypeDraft>,
) -> AppResult<Created<RecordType>> {
    Ok(created(
        store
            .add_record_type(&actor, at.org.id, at.system, d)
            .await?,
    ))
}

/// Changes a record type as a whole (a field left out is emptied).
#[utoipa::path(put, path = "/api/v1/orgs/{org}/systems/{id}/record-types/{record_type}", tag = "decommissioning",
    request_body = RecordTypeDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("record_type" = uuid::Uuid, Path)),
    responses((status = 200, body = RecordType), (status = 404), (status = 422)))]
async fn update_record_type(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(d): ApiJson<RecordTypeDraft>,
) -> AppResult<Json<RecordType>> {
    let id = at.params.id("record_type")?;
    Ok(Json(
        store
            .update_record_type(&actor, at.org.id, at.system, id, d)
            .await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/orgs/{org}/systems/{id}/record-types/{record_type}", tag = "decommissioning",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("record_type" = uuid::Uuid, Path)),
    responses((status = 204), (status = 404)))]
async fn remove_record_type(
    Acting { store, actor }: Acting,
    at: SystemPath,
) -> AppResult<StatusCode> {
    let id = at.params.id("record_type")?;
    store
        .remove_record_type(&actor, at.org.id, at.system, id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/archive-responsibility", tag = "decommissioning",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = ArchiveResponsibility), (status = 404)))]
async fn get_archive_responsibility(
    Acting { store, .. }: Acting,
    at: SystemPath,
) -> AppResult<Json<ArchiveResponsibility>> {
    Ok(Json(
        store.archive_responsibility(at.org.id, at.system).await?,
    ))
}

/// Sets who answers for the system's records in the archive: a unit of the
/// organisation, a role, or both.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/systems/{id}/archive-responsibility", tag = "decommissioning",
    request_body = ArchiveResponsibility,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = ArchiveResponsibility), (status = 404), (status = 422)))]
async fn set_archive_responsibility(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(d): ApiJson<ArchiveResponsibility>,
) -> AppResult<Json<ArchiveResponsibility>> {
    Ok(Json(
        store
            .set_archive_responsibility(&actor, at.org.id, at.system, d)
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/erasures", tag = "decommissioning",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = ErasureList), (status = 404)))]
async fn list_erasures(
    Acting { store, .. }: Acting,
    at: SystemPath,
) -> AppResult<Json<ErasureList>> {
    Ok(Json(store.erasures(at.org.id, at.system).await?.into()))
}

/// Lists a medium that held the system's data, with its erasure (NIST SP
/// 800-88: method, tool, operator, date, verification, certificate) when done.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/erasures", tag = "decommissioning",
    request_body = ErasureDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 201, body = Erasure), (status = 404), (status = 422)))]
async fn add_erasure(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(d): ApiJson<ErasureDraft>,
) -> AppResult<Created<Erasure>> {
    Ok(created(
        store.add_erasure(&actor, at.org.id, at.system, d).await?,
    ))
}

/// Changes an erasure record as a whole.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/systems/{id}/erasures/{erasure}", tag = "decommissioning",
    request_body = ErasureDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("erasure" = uuid::Uuid, Path)),
    responses((status = 200, body = Erasure), (status = 404), (status = 422)))]
async fn update_erasure(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(d): ApiJson<ErasureDraft>,
) -> AppResult<Json<Erasure>> {
    let id = at.params.id("erasure")?;
    Ok(Json(
        store
            .update_erasure(&actor, at.org.id, at.system, id, d)
            .await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/orgs/{org}/systems/{id}/erasures/{erasure}", tag = "decommissioning",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("erasure" = uuid::Uuid, Path)),
    responses((status = 204), (status = 404)))]
async fn remove_erasure(Acting { store, actor }: Acting, at: SystemPath) -> AppResult<StatusCode> {
    let id = at.params.id("erasure")?;
    store
        .remove_erasure(&actor, at.org.id, at.system, id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The system's decommissioning case with every gate as the register shows
/// it now; `null` until a case is opened (the system exists, so this is no
/// 404).
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/decommissioning", tag = "decommissioning",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Option<CaseView>), (status = 404)))]
async fn get_case(
    Acting { store, .. }: Acting,
    at: SystemPath,
) -> AppResult<Json<Option<CaseView>>> {
    let today = crate::nav::today();
    Ok(Json(
        store.decommission_case(at.org.id, at.system, today).await?,
    ))
}

/// Opens the system's decommissioning case (one per system): the decision,
/// the planned date, the system that receives the information.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/decommissioning", tag = "decommissioning",
    request_body = CaseDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 201, body = CaseView), (status = 404), (status = 422)))]
async fn open_case(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(d): ApiJson<CaseDraft>,
) -> AppResult<Created<CaseView>> {
    let (org, system) = (at.org.id, at.system);
    store.open_decommission_case(&actor, org, system, d).await?;
    let v = store
        .decommission_case(org, system, crate::nav::today())
        .await?;
    Ok(created(v.ok_or(StoreError::NotFound)?))
}

/// Changes an open case as a whole.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/systems/{id}/decommissioning", tag = "decommissioning",
    request_body = CaseDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = CaseView), (status = 404), (status = 422)))]
async fn update_case(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(d): ApiJson<CaseDraft>,
) -> AppResult<Json<CaseView>> {
    let (org, system) = (at.org.id, at.system);
    store
        .update_decommission_case(&actor, org, system, d)
        .await?;
    let v = store
        .decommission_case(org, system, crate::nav::today())
        .await?;
    Ok(Json(v.ok_or(StoreError::NotFound)?))
}

/// Closes the case and marks the system decommissioned: when every gate
/// passes, or with `exception_reason`, the exception the system owner signs.
/// With failing gates and no reason: 422, one error per failing gate
/// (`gates.<gate>`), named in words.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/decommissioning/close", tag = "decommissioning",
    request_body = CloseRequest,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = CaseView), (status = 404), (status = 422)))]
async fn close_case(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(d): ApiJson<CloseRequest>,
) -> AppResult<Json<CaseView>> {
    let (org, system, today) = (at.org.id, at.system, crate::nav::today());
    store
        .close_decommission_case(&actor, org, system, d, today)
        .await?;
    let v = store.decommission_case(org, system, today).await?;
    Ok(Json(v.ok_or(StoreError::NotFound)?))
}
