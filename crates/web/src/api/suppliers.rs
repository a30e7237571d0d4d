//! Suppliers in the API: the organisation's suppliers, each one's record
//! with its systems and contracts, and the supplier a system has. Secret
//! by default: only users of the organisation see them, and nothing of
//! them reaches the public register.

use crate::api::support::{Acting, Created, area, created, list_type};
use crate::context::{OrgPath, SystemPath};
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, Query};
use crate::nav::today;
use crate::query::PagingQuery;
use axum::Json;
use insyn_domain::PageRequest;
use insyn_domain::contract::*;
use insyn_store::contracts::ContractSort;
use serde::Serialize;

area! {
    GET "/orgs/{org}/suppliers" => list_suppliers, Read;
    POST "/orgs/{org}/suppliers" => create_supplier, EditRegister;
    GET "/orgs/{org}/suppliers/{supplier}" => get_supplier, Read;
    PUT "/orgs/{org}/suppliers/{supplier}" => update_supplier, EditRegister;
    GET "/orgs/{org}/systems/{id}/supplier" => get_system_supplier, Read;
    PUT "/orgs/{org}/systems/{id}/supplier" => set_system_supplier, EditRegister;
}

list_type!(SupplierList(Supplier));

/// A supplier with the first systems that name it and its first contracts
/// (the nearest last notice day first), each with its total; the rest of
/// the contracts are listed by `GET /orgs/{org}/contracts?supplier={id}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SupplierRecord {
    pub supplier: Supplier,
    pub systems: Vec<SystemRef>,
    pub systems_total: i64,
    pub contracts: Vec<Contract>,
    pub contracts_total: i64,
}

/// A system's supplier, if it has one.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SystemSupplier {
    pub supplier: Option<Supplier>,
}

/// One page of the organisation's suppliers, by name.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/suppliers", tag = "suppliers",
    params(("org" = String, Path), PagingQuery),
    responses((status = 200, body = SupplierList), (status = 422)))]
async fn list_suppliers(
    Acting { store, .. }: Acting,
    at: OrgPath,
    Query(q): Query<PagingQuery>,
) -> AppResult<Json<SupplierList>> {
    let page = q.parse().map_err(AppError::Invalid)?;
    Ok(Json(store.list_suppliers(at.id(), page).await?.into()))
}

/// Records a supplier (the organisation number is checked with its Luhn digit).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/suppliers", tag = "suppliers",
    request_body = SupplierDraft,
    params(("org" = String, Path)),
    responses((status = 201, body = Supplier), (status = 409), (status = 422)))]
async fn create_supplier(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<SupplierDraft>,
) -> AppResult<Created<Supplier>> {
    Ok(created(
        store.create_supplier(&actor, at.id(), draft).await?,
    ))
}

/// One supplier, with its systems and contracts.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/suppliers/{supplier}", tag = "suppliers",
    params(("org" = String, Path), ("supplier" = uuid::Uuid, Path)),
    responses((status = 200, body = SupplierRecord), (status = 404)))]
async fn get_supplier(
    Acting { store, .. }: Acting,
    at: OrgPath,
) -> AppResult<Json<SupplierRecord>> {
    let id = at.params.id("supplier")?;
    let first = PageRequest::default();
    let supplier = store.get_supplier(at.id(), id).await?;
    let systems = store.supplier_systems(at.id(), id, first).await?;
    let contracts = store
        .list_contracts(at.id(), Some(id), ContractSort::NoticeDay, first, today())
        .await?;
    Ok(Json(SupplierRecord {
        supplier,
        systems: systems.items,
        systems_total: systems.total,
        contracts: contracts.items,
        contracts_total: contracts.total,
    }))
}

/// Changes a supplier.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/suppliers/{supplier}", tag = "suppliers",
    request_body = SupplierDraft,
    params(("org" = String, Path), ("supplier" = uuid::Uuid, Path)),
    responses((status = 200, body = Supplier), (status = 404), (status = 409), (status = 422)))]
async fn update_supplier(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<SupplierDraft>,
) -> AppResult<Json<Supplier>> {
    let id = at.params.id("supplier")?;
    Ok(Json(
        store.update_supplier(&actor, at.id(), id, draft).await?,
    ))
}

/// A system's supplier.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/supplier", tag = "suppliers",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = SystemSupplier), (status = 404)))]
async fn get_system_supplier(
    Acting { store, .. }: Acting,
    at: SystemPath,
) -> AppResult<Json<SystemSupplier>> {
    Ok(Json(SystemSupplier {
        supplier: store.system_supplier(at.org.id, at.system).await?,
    }))
}

/// Sets (or clears, with `null`) a system's supplier.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/systems/{id}/supplier", tag = "suppliers",
    request_body = SystemSupplierChoice,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = SystemSupplier), (status = 404), (status = 422)))]
async fn set_system_supplier(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(choice): ApiJson<SystemSupplierChoice>,
) -> AppResult<Json<SystemSupplier>> {
    Ok(Json(SystemSupplier {
        supplier: store
            .set_system_supplier(&actor, at.org.id, at.system, choice.supplier_id)
            .await?,
    }))
}
