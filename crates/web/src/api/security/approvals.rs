//! Operational approvals and their two signatures.

use crate::AppState;
use crate::api::support::{Acting, Created, conflict, created, state_conflict};
use crate::context::SystemPath;
use crate::error::AppResult;
use crate::extract::ApiJson;
use axum::Json;
use axum::extract::State;
use insyn_domain::security::*;

/// Every operational approval of the system, newest first, with its status today.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/approvals", tag = "security",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Vec<Approval>), (status = 404)))]
pub(super) async fn list_approvals(
    State(state): State<AppState>,
    at: SystemPath,
) -> AppResult<Json<Vec<Approval>>> {
    Ok(Json(state.store.approvals(at.org.id, at.system).await?))
}

/// Writes an approval decision on the current classification and approved plan.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/approvals", tag = "security",
    request_body = ApprovalDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 201, body = Approval), (status = 404), (status = 409, description = "The record's state does not allow this now"), (status = 422)))]
pub(super) async fn create_approval(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(d): ApiJson<ApprovalDraft>,
) -> AppResult<Created<Approval>> {
    Ok(created(
        store
            .create_approval(&actor, at.org.id, at.system, d)
            .await
            .map_err(conflict)?,
    ))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/approvals/{approval}", tag = "security",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("approval" = uuid::Uuid, Path)),
    responses((status = 200, body = Approval), (status = 404)))]
pub(super) async fn get_approval(
    State(state): State<AppState>,
    at: SystemPath,
) -> AppResult<Json<Approval>> {
    Ok(Json(
        state
            .store
            .approval(at.org.id, at.system, at.params.id("approval")?)
            .await?,
    ))
}

/// Signs as the system owner.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/approvals/{approval}/sign-owner", tag = "security",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("approval" = uuid::Uuid, Path)),
    responses((status = 200, body = Approval), (status = 403, description = "Not the system owner"), (status = 404), (status = 409, description = "The record's state does not allow this now")))]
pub(super) async fn sign_owner(acting: Acting, at: SystemPath) -> AppResult<Json<Approval>> {
    sign(&acting, &at, true).await
}

/// Signs for IT (an administrator or the security coordinator).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/approvals/{approval}/sign-it", tag = "security",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("approval" = uuid::Uuid, Path)),
    responses((status = 200, body = Approval), (status = 403, description = "Not IT"), (status = 404), (status = 409, description = "The record's state does not allow this now")))]
pub(super) async fn sign_it(acting: Acting, at: SystemPath) -> AppResult<Json<Approval>> {
    sign(&acting, &at, false).await
}

/// Signs an approval as the system owner (`as_owner`) or for IT.
pub(super) async fn sign(
    acting: &Acting,
    at: &SystemPath,
    as_owner: bool,
) -> AppResult<Json<Approval>> {
    let approval = at.params.id("approval")?;
    Ok(Json(
        acting
            .store
            .sign_approval(&acting.actor, at.org.id, at.system, approval, as_owner)
            .await
            .map_err(state_conflict)?,
    ))
}
