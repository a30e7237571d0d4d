//! Contracts in the API: the organisation's contracts with their status
//! and last notice day (sortable), each one's record with the arithmetic
//! in words, and the organisation's reminder lead time. Secret by default:
//! only users of the organisation see them, never the public register.

use crate::api::support::{Acting, Created, area, created, list_type};
use crate::context::OrgPath;
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, Query};
use crate::nav::today;
use crate::query::contracts::ContractQuery;
use axum::Json;
use axum::http::StatusCode;
use insyn_domain::contract::*;
use insyn_domain::validation::{FieldErrors, Validate};
use serde::{Deserialize, Serialize};

area! {
    GET "/orgs/{org}/contracts" => list_contracts, Read;
    POST "/orgs/{org}/contracts" => create_contract, EditRegister;
    GET "/orgs/{org}/contracts/{contract}" => get_contract, Read;
    PUT "/orgs/{org}/contracts/{contract}" => update_contract, EditRegister;
    DELETE "/orgs/{org}/contracts/{contract}" => remove_contract, EditRegister;
    GET "/orgs/{org}/contract-settings" => get_contract_settings, Read;
    PUT "/orgs/{org}/contract-settings" => set_contract_settings, Administer;
}

list_type!(ContractList(Contract));

/// The organisation's contract settings.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ContractSettings {
    /// Reminders begin this many days before a contract's last notice day
    /// (1–730; 90 by default).
    #[schema(minimum = 1, maximum = 730)]
    pub lead_days: u32,
}

impl Validate for ContractSettings {
    fn problems(&self) -> FieldErrors {
        FieldErrors::new()
    }
}

/// One page of the organisation's contracts (of one supplier, when
/// asked) with their dates today, the nearest last notice day first unless
/// asked otherwise.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/contracts", tag = "contracts",
    params(("org" = String, Path), ContractQuery),
    responses((status = 200, body = ContractList), (status = 422)))]
async fn list_contracts(
    Acting { store, .. }: Acting,
    at: OrgPath,
    Query(q): Query<ContractQuery>,
) -> AppResult<Json<ContractList>> {
    let r = q.parse().map_err(AppError::Invalid)?;
    Ok(Json(
        store
            .list_contracts(at.id(), r.supplier, r.sort, r.page, today())
            .await?
            .into(),
    ))
}

/// Records a contract with one of the organisation's suppliers.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/contracts", tag = "contracts",
    request_body = ContractDraft,
    params(("org" = String, Path)),
    responses((status = 201, body = Contract), (status = 422)))]
async fn create_contract(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<ContractDraft>,
) -> AppResult<Created<Contract>> {
    Ok(created(
        store
            .create_contract(&actor, at.id(), draft, today())
            .await?,
    ))
}

/// One contract, with its dates today and how they were reached.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/contracts/{contract}", tag = "contracts",
    params(("org" = String, Path), ("contract" = uuid::Uuid, Path)),
    responses((status = 200, body = Contract), (status = 404)))]
async fn get_contract(Acting { store, .. }: Acting, at: OrgPath) -> AppResult<Json<Contract>> {
    let id = at.params.id("contract")?;
    Ok(Json(store.get_contract(at.id(), id, today()).await?))
}

/// Changes a contract (a changed date re-arms its reminders).
#[utoipa::path(put, path = "/api/v1/orgs/{org}/contracts/{contract}", tag = "contracts",
    request_body = ContractDraft,
    params(("org" = String, Path), ("contract" = uuid::Uuid, Path)),
    responses((status = 200, body = Contract), (status = 404), (status = 422)))]
async fn update_contract(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<ContractDraft>,
) -> AppResult<Json<Contract>> {
    let id = at.params.id("contract")?;
    Ok(Json(
        store
            .update_contract(&actor, at.id(), id, draft, today())
            .await?,
    ))
}

/// Removes a contract (the audit trail keeps what it was).
#[utoipa::path(delete, path = "/api/v1/orgs/{org}/contracts/{contract}", tag = "contracts",
    params(("org" = String, Path), ("contract" = uuid::Uuid, Path)),
    responses((status = 204), (status = 404)))]
async fn remove_contract(Acting { store, actor }: Acting, at: OrgPath) -> AppResult<StatusCode> {
    let id = at.params.id("contract")?;
    store.remove_contract(&actor, at.id(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The organisation's reminder lead time.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/contract-settings", tag = "contracts",
    params(("org" = String, Path)),
    responses((status = 200, body = ContractSettings)))]
async fn get_contract_settings(
    Acting { store, .. }: Acting,
    at: OrgPath,
) -> AppResult<Json<ContractSettings>> {
    Ok(Json(ContractSettings {
        lead_days: store.contract_lead_days(at.id()).await?,
    }))
}

/// Sets the organisation's reminder lead time.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/contract-settings", tag = "contracts",
    request_body = ContractSettings,
    params(("org" = String, Path)),
    responses((status = 200, body = ContractSettings), (status = 422)))]
async fn set_contract_settings(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(s): ApiJson<ContractSettings>,
) -> AppResult<Json<ContractSettings>> {
    Ok(Json(ContractSettings {
        lead_days: store
            .set_contract_lead_days(&actor, at.id(), s.lead_days)
            .await?,
    }))
}
