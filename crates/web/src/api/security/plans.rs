//! Security plans: versions, drafts and their way to the owner's approval.

use crate::AppState;
use crate::api::support::{Acting, Created, conflict, created, state_conflict};
use crate::context::SystemPath;
use crate::error::AppResult;
use crate::extract::ApiJson;
use axum::Json;
use axum::extract::State;
use insyn_domain::security::*;
use insyn_domain::validation::Validate;
use insyn_domain::*;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Section key → text; keys are those of the plan's sections.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PlanIn {
    #[schema(value_type = insyn_domain::security::PlanSectionTexts)]
    pub sections: BTreeMap<String, String>,
}

impl Validate for PlanIn {
    fn problems(&self) -> FieldErrors {
        FieldErrors::new()
    }
}

/// Every version of the system's security plan, newest first.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/plans", tag = "security",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Vec<SecurityPlan>), (status = 404)))]
pub(super) async fn list_plans(
    State(state): State<AppState>,
    at: SystemPath,
) -> AppResult<Json<Vec<SecurityPlan>>> {
    Ok(Json(state.store.plans(at.org.id, at.system).await?))
}

/// Starts a new version as a draft (a copy of the newest); returns the open draft if there is one.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/plans", tag = "security",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 201, body = SecurityPlan), (status = 404)))]
pub(super) async fn new_plan(
    Acting { store, actor }: Acting,
    at: SystemPath,
) -> AppResult<Created<SecurityPlan>> {
    Ok(created(
        store.new_plan_version(&actor, at.org.id, at.system).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/plans/{plan}", tag = "security",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("plan" = uuid::Uuid, Path)),
    responses((status = 200, body = SecurityPlan), (status = 404)))]
pub(super) async fn get_plan(
    State(state): State<AppState>,
    at: SystemPath,
) -> AppResult<Json<SecurityPlan>> {
    Ok(Json(
        state
            .store
            .plan(at.org.id, at.system, at.params.id("plan")?)
            .await?,
    ))
}

/// Writes sections of a draft.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/systems/{id}/plans/{plan}", tag = "security",
    request_body = PlanIn,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("plan" = uuid::Uuid, Path)),
    responses((status = 200, body = SecurityPlan), (status = 404), (status = 409, description = "The record's state does not allow this now"), (status = 422)))]
pub(super) async fn edit_plan(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(body): ApiJson<PlanIn>,
) -> AppResult<Json<SecurityPlan>> {
    Ok(Json(
        store
            .edit_plan(
                &actor,
                at.org.id,
                at.system,
                at.params.id("plan")?,
                body.sections,
            )
            .await
            .map_err(conflict)?,
    ))
}

/// Moves a plan to its next state (submit, return, approve).
pub(super) async fn move_plan(
    acting: &Acting,
    at: &SystemPath,
    action: PlanAction,
) -> AppResult<Json<SecurityPlan>> {
    let plan = at.params.id("plan")?;
    Ok(Json(
        acting
            .store
            .move_plan(&acting.actor, at.org.id, at.system, plan, action)
            .await
            .map_err(state_conflict)?,
    ))
}

/// Submits a draft for the system owner's approval (every section filled in).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/plans/{plan}/submit", tag = "security",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("plan" = uuid::Uuid, Path)),
    responses((status = 200, body = SecurityPlan), (status = 404), (status = 409, description = "The record's state does not allow this now")))]
pub(super) async fn submit_plan(acting: Acting, at: SystemPath) -> AppResult<Json<SecurityPlan>> {
    move_plan(&acting, &at, PlanAction::Submit).await
}

/// Sends a submitted plan back to draft.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/plans/{plan}/return", tag = "security",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("plan" = uuid::Uuid, Path)),
    responses((status = 200, body = SecurityPlan), (status = 404), (status = 409, description = "The record's state does not allow this now")))]
pub(super) async fn return_plan(acting: Acting, at: SystemPath) -> AppResult<Json<SecurityPlan>> {
    move_plan(&acting, &at, PlanAction::Return).await
}

/// Approves a submitted plan: only the system owner may.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/plans/{plan}/approve", tag = "security",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("plan" = uuid::Uuid, Path)),
    responses((status = 200, body = SecurityPlan), (status = 403, description = "Not the system owner"), (status = 404), (status = 409, description = "The record's state does not allow this now")))]
pub(super) async fn approve_plan(acting: Acting, at: SystemPath) -> AppResult<Json<SecurityPlan>> {
    move_plan(&acting, &at, PlanAction::Approve).await
}
