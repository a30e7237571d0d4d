//! Outage plans (avbrottsplaner): a system's versions, writing a draft, and
//! its way through submission to the system owner's approval.

use crate::AppState;
use crate::api::support::{Acting, Created, area, conflict, created, state_conflict};
use crate::context::SystemPath;
use crate::error::AppResult;
use crate::extract::ApiJson;
use axum::Json;
use axum::extract::State;
use insyn_domain::outage_plan::*;
use insyn_domain::security::PlanAction;
use insyn_domain::validation::Validate;
use insyn_domain::*;
use serde::Deserialize;

area! {
    GET "/orgs/{org}/systems/{id}/outage-plans" => list_outage_plans, Read;
    POST "/orgs/{org}/systems/{id}/outage-plans" => new_outage_plan, EditSystem;
    GET "/orgs/{org}/systems/{id}/outage-plans/{version}" => get_outage_plan, Read;
    PUT "/orgs/{org}/systems/{id}/outage-plans/{version}" => edit_outage_plan, EditSystem;
    POST "/orgs/{org}/systems/{id}/outage-plans/{version}/submit" => submit_outage_plan, EditSystem;
    POST "/orgs/{org}/systems/{id}/outage-plans/{version}/return" => return_outage_plan, EditSystem;
    POST "/orgs/{org}/systems/{id}/outage-plans/{version}/approve" => approve_outage_plan, ActAsOwner;
}

/// The sections to write; a section left out stays as it is, an empty text clears it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutagePlanIn {
    pub sections: OutagePlanSections,
}

impl Validate for OutagePlanIn {
    fn problems(&self) -> FieldErrors {
        self.sections.problems()
    }
}

/// Every version of the system's outage plan, newest first.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/outage-plans", tag = "continuity",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Vec<OutagePlan>), (status = 404)))]
async fn list_outage_plans(
    State(state): State<AppState>,
    at: SystemPath,
) -> AppResult<Json<Vec<OutagePlan>>> {
    Ok(Json(state.store.outage_plans(at.org.id, at.system).await?))
}

/// Starts a new version as a draft (the newest version's texts, or for the
/// first the system's fallback routine); returns the open draft if there is one.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/outage-plans", tag = "continuity",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 201, body = OutagePlan), (status = 404)))]
async fn new_outage_plan(
    Acting { store, actor }: Acting,
    at: SystemPath,
) -> AppResult<Created<OutagePlan>> {
    Ok(created(
        store.new_outage_plan(&actor, at.org.id, at.system).await?,
    ))
}

/// One version of the outage plan.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/outage-plans/{version}", tag = "continuity",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("version" = i32, Path)),
    responses((status = 200, body = OutagePlan), (status = 404)))]
async fn get_outage_plan(
    State(state): State<AppState>,
    at: SystemPath,
) -> AppResult<Json<OutagePlan>> {
    let version = at.params.id("version")?;
    Ok(Json(
        state
            .store
            .outage_plan(at.org.id, at.system, version)
            .await?,
    ))
}

/// Writes sections of a draft.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/systems/{id}/outage-plans/{version}", tag = "continuity",
    request_body = OutagePlanIn,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("version" = i32, Path)),
    responses((status = 200, body = OutagePlan), (status = 404), (status = 409, description = "The record's state does not allow this now"), (status = 422)))]
async fn edit_outage_plan(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(body): ApiJson<OutagePlanIn>,
) -> AppResult<Json<OutagePlan>> {
    let version = at.params.id("version")?;
    Ok(Json(
        store
            .edit_outage_plan(&actor, at.org.id, at.system, version, body.sections)
            .await
            .map_err(conflict)?,
    ))
}

async fn move_outage_plan(
    acting: Acting,
    at: SystemPath,
    action: PlanAction,
) -> AppResult<Json<OutagePlan>> {
    let version = at.params.id("version")?;
    Ok(Json(
        acting
            .store
            .move_outage_plan(&acting.actor, at.org.id, at.system, version, action)
            .await
            .map_err(state_conflict)?,
    ))
}

/// Submits a draft for the system owner's approval (every section written).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/outage-plans/{version}/submit", tag = "continuity",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("version" = i32, Path)),
    responses((status = 200, body = OutagePlan), (status = 404), (status = 409, description = "The record's state does not allow this now")))]
async fn submit_outage_plan(acting: Acting, at: SystemPath) -> AppResult<Json<OutagePlan>> {
    move_outage_plan(acting, at, PlanAction::Submit).await
}

/// Sends a submitted plan back to draft.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/outage-plans/{version}/return", tag = "continuity",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("version" = i32, Path)),
    responses((status = 200, body = OutagePlan), (status = 404), (status = 409, description = "The record's state does not allow this now")))]
async fn return_outage_plan(acting: Acting, at: SystemPath) -> AppResult<Json<OutagePlan>> {
    move_outage_plan(acting, at, PlanAction::Return).await
}

/// Approves a submitted plan (only the system owner may); an earlier approved version is superseded.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/outage-plans/{version}/approve", tag = "continuity",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("version" = i32, Path)),
    responses((status = 200, body = OutagePlan), (status = 403, description = "Not the system owner"), (status = 404), (status = 409, description = "The record's state does not allow this now")))]
async fn approve_outage_plan(acting: Acting, at: SystemPath) -> AppResult<Json<OutagePlan>> {
    move_outage_plan(acting, at, PlanAction::Approve).await
}
