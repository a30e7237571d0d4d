//! The security work in the API: information sets and their classification,
//! the business-critical decision, security plans, operational approvals,
//! the classification scale and which fields are secret. One file per
//! feature, as in the store; this one holds the routes and a system's summary.

mod approvals;
mod classification;
mod plans;

use crate::AppState;
use crate::api::support::area;
use crate::context::SystemPath;
use crate::error::AppResult;
use axum::Json;
use axum::extract::State;
use insyn_domain::security::*;
use insyn_store::security::SecurityState;
use serde::Serialize;

area! {
    GET "/orgs/{org}/systems/{id}/security" => summary, Read;
    GET "/orgs/{org}/systems/{id}/information-sets" => classification::list_sets, Read;
    POST "/orgs/{org}/systems/{id}/information-sets" => classification::create_set, EditSystem;
    PUT "/orgs/{org}/systems/{id}/information-sets/{set}" => classification::update_set, EditSystem;
    GET "/orgs/{org}/systems/{id}/information-sets/{set}/classifications" => classification::class_history, Read;
    POST "/orgs/{org}/systems/{id}/information-sets/{set}/classifications" => classification::classify, EditSystem;
    POST "/orgs/{org}/systems/{id}/business-critical" => classification::decide_critical, EditSystem;
    GET "/orgs/{org}/systems/{id}/plans" => plans::list_plans, Read;
    POST "/orgs/{org}/systems/{id}/plans" => plans::new_plan, EditSystem;
    GET "/orgs/{org}/systems/{id}/plans/{plan}" => plans::get_plan, Read;
    PUT "/orgs/{org}/systems/{id}/plans/{plan}" => plans::edit_plan, EditSystem;
    POST "/orgs/{org}/systems/{id}/plans/{plan}/submit" => plans::submit_plan, EditSystem;
    POST "/orgs/{org}/systems/{id}/plans/{plan}/return" => plans::return_plan, EditSystem;
    POST "/orgs/{org}/systems/{id}/plans/{plan}/approve" => plans::approve_plan, ActAsOwner;
    GET "/orgs/{org}/systems/{id}/approvals" => approvals::list_approvals, Read;
    POST "/orgs/{org}/systems/{id}/approvals" => approvals::create_approval, EditSystem;
    GET "/orgs/{org}/systems/{id}/approvals/{approval}" => approvals::get_approval, Read;
    POST "/orgs/{org}/systems/{id}/approvals/{approval}/sign-owner" => approvals::sign_owner, ActAsOwner;
    POST "/orgs/{org}/systems/{id}/approvals/{approval}/sign-it" => approvals::sign_it, SignForIt;
    GET "/orgs/{org}/classification-scale" => classification::get_scale, Read;
    PUT "/orgs/{org}/classification-scale" => classification::set_scale, Administer;
    GET "/orgs/{org}/field-secrecy" => classification::get_secrecy, Read;
    PUT "/orgs/{org}/field-secrecy" => classification::set_secrecy, Administer;
}

/// A system's security at a glance.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SecuritySummary {
    pub information_sets: Vec<InformationSet>,
    pub levels: Levels,
    /// Whether the levels suggest that the system is business-critical.
    pub suggests_business_critical: bool,
    /// The decision recorded on the system.
    pub business_critical: bool,
    pub decision: Option<classification::DecisionOut>,
    pub latest_plan: Option<SecurityPlan>,
    pub approved_plan: Option<SecurityPlan>,
    pub approval: Option<Approval>,
    /// What is missing, as message keys.
    pub missing: Vec<String>,
}

impl From<SecurityState> for SecuritySummary {
    fn from(s: SecurityState) -> Self {
        Self {
            information_sets: s.information_sets,
            levels: s.levels,
            suggests_business_critical: s.suggests_business_critical,
            business_critical: s.business_critical,
            decision: s.decision.map(Into::into),
            latest_plan: s.latest_plan,
            approved_plan: s.approved_plan,
            approval: s.approval,
            missing: s.missing.into_iter().map(str::to_owned).collect(),
        }
    }
}

/// A system's security: levels, the suggestion on business-criticality, the
/// plan, the approval and what is missing.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/security", tag = "security",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = SecuritySummary), (status = 404)))]
async fn summary(
    State(state): State<AppState>,
    at: SystemPath,
) -> AppResult<Json<SecuritySummary>> {
    Ok(Json(
        state
            .store
            .security_state(at.org.id, at.system)
            .await?
            .into(),
    ))
}
