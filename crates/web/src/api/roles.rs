//! Roles in the API: the organisation's role types, who holds which role
//! (assignments), and the roles of one person or one system.

use crate::AppState;
use crate::api::support::{Acting, Created, area, created, list_type};
use crate::context::{OrgPath, SystemPath};
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, Query};
use crate::query::PageQuery;
use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use insyn_domain::access::RoleTransferDraft;
use insyn_domain::validation::Validate;
use insyn_domain::*;
use insyn_store::AssignmentView;
use serde::{Deserialize, Serialize};

area! {
    GET "/orgs/{org}/people/{id}/roles" => person_roles, Read;
    GET "/orgs/{org}/systems/{id}/roles" => system_roles, Read;
    GET "/orgs/{org}/role-types" => list_role_types, Read;
    POST "/orgs/{org}/role-types" => create_role_type, Administer;
    GET "/orgs/{org}/role-assignments" => list_assignments, Read;
    POST "/orgs/{org}/role-assignments" => create_assignment, EditRegister;
    GET "/orgs/{org}/role-assignments/{id}" => get_assignment, Read;
    POST "/orgs/{org}/role-assignments/{id}/end" => end_assignment, EditRegister;
    POST "/orgs/{org}/people/{id}/transfer-roles" => transfer_roles, EditRegister;
    GET "/orgs/{org}/leavers/roles" => leavers_roles, Read;
}

list_type!(RoleTypeList(RoleType), AssignmentList(AssignmentOut));

/// A role assignment with the names of its role, person and target.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AssignmentOut {
    #[serde(flatten)]
    pub assignment: RoleAssignment,
    pub role_code: String,
    pub role_name_sv: String,
    pub role_name_en: String,
    pub person_name: String,
    pub target_name: String,
    /// Whether the assignment holds today.
    pub current: bool,
}

impl From<AssignmentView> for AssignmentOut {
    fn from(v: AssignmentView) -> Self {
        Self {
            assignment: v.assignment,
            role_code: v.role_code,
            role_name_sv: v.role_sv,
            role_name_en: v.role_en,
            person_name: v.person_name,
            target_name: v.target_name,
            current: v.current,
        }
    }
}

/// The last day an assignment is held.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct EndAssignment {
    pub end_date: NaiveDate,
}

impl Validate for EndAssignment {
    fn problems(&self) -> FieldErrors {
        FieldErrors::new()
    }
}

/// Everything a person answers for, current and past.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/people/{id}/roles", tag = "people",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = AssignmentList), (status = 404)))]
async fn person_roles(
    State(state): State<AppState>,
    at: OrgPath,
) -> AppResult<Json<AssignmentList>> {
    let p = state.store.get_person(at.id(), at.params.id("id")?).await?;
    Ok(Json(state.store.person_roles(at.id(), p.id).await?.into()))
}

/// Who holds which role on the system, now and before.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/roles", tag = "systems",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = AssignmentList), (status = 404)))]
async fn system_roles(
    State(state): State<AppState>,
    at: SystemPath,
) -> AppResult<Json<AssignmentList>> {
    let s = state.store.get_system(at.org.id, at.system).await?;
    Ok(Json(
        state.store.system_roles(at.org.id, s.id).await?.into(),
    ))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/role-types", tag = "roles",
    params(("org" = String, Path)),
    responses((status = 200, body = RoleTypeList)))]
async fn list_role_types(
    State(state): State<AppState>,
    at: OrgPath,
) -> AppResult<Json<RoleTypeList>> {
    Ok(Json(state.store.list_role_types(at.id()).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/orgs/{org}/role-types", tag = "roles", request_body = RoleTypeDraft,
    params(("org" = String, Path)),
    responses((status = 201, body = RoleType), (status = 422), (status = 409, description = "The code is taken")))]
async fn create_role_type(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<RoleTypeDraft>,
) -> AppResult<Created<RoleType>> {
    Ok(created(
        store.create_role_type(&actor, at.id(), draft).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/role-assignments", tag = "roles",
    params(("org" = String, Path), PageQuery),
    responses((status = 200, body = AssignmentList)))]
async fn list_assignments(
    State(state): State<AppState>,
    at: OrgPath,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<AssignmentList>> {
    let since = q.since().map_err(AppError::Invalid)?;
    let (_, page) = q.parse().map_err(AppError::Invalid)?;
    let p = state.store.list_assignments(at.id(), since, page).await?;
    Ok(Json(p.into()))
}

#[utoipa::path(post, path = "/api/v1/orgs/{org}/role-assignments", tag = "roles", request_body = AssignmentDraft,
    params(("org" = String, Path)),
    responses((status = 201, body = AssignmentOut), (status = 422)))]
async fn create_assignment(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<AssignmentDraft>,
) -> AppResult<Created<AssignmentOut>> {
    let a = store.assign_role(&actor, at.id(), draft).await?;
    Ok(created(store.get_assignment(at.id(), a.id).await?))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/role-assignments/{id}", tag = "roles",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = AssignmentOut), (status = 404)))]
async fn get_assignment(
    State(state): State<AppState>,
    at: OrgPath,
) -> AppResult<Json<AssignmentOut>> {
    let a = at.params.id("id")?;
    Ok(Json(state.store.get_assignment(at.id(), a).await?.into()))
}

/// Ends an assignment; it stays in the history.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/role-assignments/{id}/end", tag = "roles", request_body = EndAssignment,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = AssignmentOut), (status = 404), (status = 422)))]
async fn end_assignment(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(body): ApiJson<EndAssignment>,
) -> AppResult<Json<AssignmentOut>> {
    let a = at.params.id("id")?;
    let a = store
        .end_assignment(&actor, at.id(), a, body.end_date)
        .await?;
    Ok(Json(store.get_assignment(at.id(), a.id).await?.into()))
}

/// Hands every role the person holds today or is still to hold (a leaver's
/// systemägare, systemförvaltare …) over to a successor in one step: each
/// ends for the person and begins for the successor, all audited. Returns
/// the successor's new assignments.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/people/{id}/transfer-roles", tag = "people", request_body = RoleTransferDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = AssignmentList), (status = 404), (status = 422, description = "No such successor, the person themself, a successor who has left, or no role to hand over")))]
async fn transfer_roles(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<RoleTransferDraft>,
) -> AppResult<Json<AssignmentList>> {
    let from = at.params.id("id")?;
    let given = store.transfer_roles(&actor, at.id(), from, draft).await?;
    let mut out = Vec::with_capacity(given.len());
    for a in given {
        out.push(store.get_assignment(at.id(), a.id).await?);
    }
    Ok(Json(out.into()))
}

/// The roles still held (today or to come) by people who have left: each
/// one is to be handed over or ended. One page, by person and role.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/leavers/roles", tag = "roles",
    params(("org" = String, Path), crate::query::PagingQuery),
    responses((status = 200, body = AssignmentList), (status = 422)))]
async fn leavers_roles(
    State(state): State<AppState>,
    at: OrgPath,
    Query(q): Query<crate::query::PagingQuery>,
) -> AppResult<Json<AssignmentList>> {
    let page = q.parse().map_err(AppError::Invalid)?;
    Ok(Json(state.store.leavers_roles(at.id(), page).await?.into()))
}
