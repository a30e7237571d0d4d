//! E-services (e-tjänster, R-SVC-3) in the API: each with its step on
//! Utvecklingstrappan, target groups, målområden, the systems behind it, its
//! accessibility statement, Södertälje's five e-function criteria as
//! assessed, and its findings today (`findings`, as message keys). Reading
//! needs the organisation; writing, the right to edit the register; which
//! fields the public register shows of published e-services, an
//! administrator's choice.

use crate::api::support::{Acting, Created, area, created, list_type};
use crate::context::OrgPath;
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, Query};
use crate::nav::today;
use crate::query::eservices::EServiceQuery;
use axum::Json;
use axum::http::StatusCode;
use insyn_domain::EServiceId;
use insyn_domain::FieldErrors;
use insyn_domain::eservice::*;
use insyn_domain::validation::Validate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

area! {
    GET "/orgs/{org}/e-services" => list_eservices, Read;
    POST "/orgs/{org}/e-services" => create_eservice, EditRegister;
    GET "/orgs/{org}/e-services/{eservice}" => get_eservice, Read;
    PUT "/orgs/{org}/e-services/{eservice}" => update_eservice, EditRegister;
    DELETE "/orgs/{org}/e-services/{eservice}" => remove_eservice, EditRegister;
    GET "/orgs/{org}/e-service-public-fields" => get_eservice_public_fields, Read;
    PUT "/orgs/{org}/e-service-public-fields" => set_eservice_public_fields, Administer;
}

list_type!(EServiceList(EService));

fn eservice_id(at: &OrgPath) -> AppResult<EServiceId> {
    Ok(EServiceId(at.params.id("eservice")?))
}

/// The organisation's e-services by name, a page at a time, on one step
/// or all.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/e-services", tag = "eservices",
    params(("org" = String, Path), EServiceQuery),
    responses((status = 200, body = EServiceList), (status = 422)))]
async fn list_eservices(
    Acting { store, .. }: Acting,
    at: OrgPath,
    Query(q): Query<EServiceQuery>,
) -> AppResult<Json<EServiceList>> {
    let (step, page) = q.parse().map_err(AppError::Invalid)?;
    Ok(Json(
        store.eservices(at.id(), step, page, today()).await?.into(),
    ))
}

/// Records an e-service. Only the name and step are required: what needs
/// attention comes back in `findings`.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/e-services", tag = "eservices",
    request_body = EServiceDraft,
    params(("org" = String, Path)),
    responses((status = 201, body = EService), (status = 422)))]
async fn create_eservice(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<EServiceDraft>,
) -> AppResult<Created<EService>> {
    Ok(created(
        store
            .create_eservice(&actor, at.id(), draft, today())
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/e-services/{eservice}", tag = "eservices",
    params(("org" = String, Path), ("eservice" = uuid::Uuid, Path)),
    responses((status = 200, body = EService), (status = 404)))]
async fn get_eservice(Acting { store, .. }: Acting, at: OrgPath) -> AppResult<Json<EService>> {
    let id = eservice_id(&at)?;
    Ok(Json(store.eservice(at.id(), id, today()).await?))
}

/// Changes an e-service as a whole (a field left out is emptied).
#[utoipa::path(put, path = "/api/v1/orgs/{org}/e-services/{eservice}", tag = "eservices",
    request_body = EServiceDraft,
    params(("org" = String, Path), ("eservice" = uuid::Uuid, Path)),
    responses((status = 200, body = EService), (status = 404), (status = 422)))]
async fn update_eservice(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<EServiceDraft>,
) -> AppResult<Json<EService>> {
    let id = eservice_id(&at)?;
    Ok(Json(
        store
            .update_eservice(&actor, at.id(), id, draft, today())
            .await?,
    ))
}

/// Removes an e-service (the audit trail keeps what it was).
#[utoipa::path(delete, path = "/api/v1/orgs/{org}/e-services/{eservice}", tag = "eservices",
    params(("org" = String, Path), ("eservice" = uuid::Uuid, Path)),
    responses((status = 204), (status = 404)))]
async fn remove_eservice(Acting { store, actor }: Acting, at: OrgPath) -> AppResult<StatusCode> {
    let id = eservice_id(&at)?;
    store.remove_eservice(&actor, at.id(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Which kinds of an e-service's fields the public register shows (true)
/// for the published e-services.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EServicePublicFields {
    #[schema(value_type = Object)]
    pub fields: BTreeMap<String, bool>,
}

impl Validate for EServicePublicFields {
    fn problems(&self) -> FieldErrors {
        FieldErrors::new()
    }
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/e-service-public-fields", tag = "eservices",
    params(("org" = String, Path)),
    responses((status = 200, body = EServicePublicFields)))]
async fn get_eservice_public_fields(
    Acting { store, .. }: Acting,
    at: OrgPath,
) -> AppResult<Json<EServicePublicFields>> {
    let fields = store.eservice_public_fields(at.id()).await?;
    Ok(Json(EServicePublicFields {
        fields: fields.into_iter().collect(),
    }))
}

/// Marks kinds of field public or not; kinds not named keep their marking.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/e-service-public-fields", tag = "eservices",
    request_body = EServicePublicFields,
    params(("org" = String, Path)),
    responses((status = 200, body = EServicePublicFields), (status = 422)))]
async fn set_eservice_public_fields(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(body): ApiJson<EServicePublicFields>,
) -> AppResult<Json<EServicePublicFields>> {
    let fields: Vec<(String, bool)> = body.fields.into_iter().collect();
    let fields = store
        .set_eservice_public_fields(&actor, at.id(), &fields)
        .await?;
    Ok(Json(EServicePublicFields {
        fields: fields.into_iter().collect(),
    }))
}
