//! Processor agreements (personuppgiftsbiträdesavtal, GDPR art. 28) in the
//! API: the organisation's agreements (paged) with their state today and
//! its reasons in words, each one's record, and the gaps: systems holding
//! personal data whose supplier has no agreement in force covering them.
//! Secret by default: only users of the organisation see them.

use crate::api::support::{Acting, Created, area, created, list_type};
use crate::context::OrgPath;
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, Query};
use crate::nav::today;
use crate::query::PagingQuery;
use axum::Json;
use axum::http::StatusCode;
use insyn_domain::processor::*;
use insyn_store::processors::ProcessorGap;
use serde::Serialize;

area! {
    GET "/orgs/{org}/processor-agreements" => list_agreements, Read;
    POST "/orgs/{org}/processor-agreements" => create_agreement, EditRegister;
    GET "/orgs/{org}/processor-agreements/{agreement}" => get_agreement, Read;
    PUT "/orgs/{org}/processor-agreements/{agreement}" => update_agreement, EditRegister;
    DELETE "/orgs/{org}/processor-agreements/{agreement}" => remove_agreement, EditRegister;
    GET "/orgs/{org}/processor-gaps" => list_gaps, Read;
}

list_type!(ProcessorAgreementList(ProcessorAgreement));

/// The systems holding personal data whose supplier has no processor
/// agreement in force covering them (at most 200 listed).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProcessorGapList {
    pub items: Vec<ProcessorGap>,
    /// How many there are, listed or not.
    pub total: usize,
}

/// The organisation's processor agreements by supplier, with their state today.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/processor-agreements", tag = "processors",
    params(("org" = String, Path), PagingQuery),
    responses((status = 200, body = ProcessorAgreementList), (status = 422)))]
async fn list_agreements(
    Acting { store, .. }: Acting,
    at: OrgPath,
    Query(q): Query<PagingQuery>,
) -> AppResult<Json<ProcessorAgreementList>> {
    let page = q.parse().map_err(AppError::Invalid)?;
    Ok(Json(
        store
            .list_processor_agreements(at.id(), page, today())
            .await?
            .into(),
    ))
}

/// Records a processor agreement with one of the organisation's suppliers.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/processor-agreements", tag = "processors",
    request_body = ProcessorDraft,
    params(("org" = String, Path)),
    responses((status = 201, body = ProcessorAgreement), (status = 422)))]
async fn create_agreement(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<ProcessorDraft>,
) -> AppResult<Created<ProcessorAgreement>> {
    Ok(created(
        store
            .create_processor_agreement(&actor, at.id(), draft, today())
            .await?,
    ))
}

/// One processor agreement, with its state today and why.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/processor-agreements/{agreement}", tag = "processors",
    params(("org" = String, Path), ("agreement" = uuid::Uuid, Path)),
    responses((status = 200, body = ProcessorAgreement), (status = 404)))]
async fn get_agreement(
    Acting { store, .. }: Acting,
    at: OrgPath,
) -> AppResult<Json<ProcessorAgreement>> {
    let id = at.params.id("agreement")?;
    Ok(Json(
        store.get_processor_agreement(at.id(), id, today()).await?,
    ))
}

/// Changes a processor agreement.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/processor-agreements/{agreement}", tag = "processors",
    request_body = ProcessorDraft,
    params(("org" = String, Path), ("agreement" = uuid::Uuid, Path)),
    responses((status = 200, body = ProcessorAgreement), (status = 404), (status = 422)))]
async fn update_agreement(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<ProcessorDraft>,
) -> AppResult<Json<ProcessorAgreement>> {
    let id = at.params.id("agreement")?;
    Ok(Json(
        store
            .update_processor_agreement(&actor, at.id(), id, draft, today())
            .await?,
    ))
}

/// Removes a processor agreement (the audit trail keeps what it was).
#[utoipa::path(delete, path = "/api/v1/orgs/{org}/processor-agreements/{agreement}", tag = "processors",
    params(("org" = String, Path), ("agreement" = uuid::Uuid, Path)),
    responses((status = 204), (status = 404)))]
async fn remove_agreement(Acting { store, actor }: Acting, at: OrgPath) -> AppResult<StatusCode> {
    let id = at.params.id("agreement")?;
    store
        .remove_processor_agreement(&actor, at.id(), id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The systems holding personal data whose supplier has no processor
/// agreement in force covering them, naming the supplier.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/processor-gaps", tag = "processors",
    params(("org" = String, Path)),
    responses((status = 200, body = ProcessorGapList)))]
async fn list_gaps(Acting { store, .. }: Acting, at: OrgPath) -> AppResult<Json<ProcessorGapList>> {
    let (items, total) = store.processor_gaps(at.id(), today()).await?;
    Ok(Json(ProcessorGapList { items, total }))
}
