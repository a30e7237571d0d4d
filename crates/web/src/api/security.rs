//! The security work in the API: information sets and their classification,
//! the business-critical decision, security plans, operational approvals,
//! the classification scale and which fields are secret.

use crate::AppState;
use crate::api::support::{Created, conflict, created, state_conflict};
use crate::auth::Rules;
use crate::context::{OrgPath, SystemPath};
use crate::error::AppResult;
use crate::extract::{ApiJson, RequestActor};
use axum::Json;
use axum::Router;
use axum::extract::State;
use insyn_domain::security::*;
use insyn_domain::validation::Validate;
use insyn_domain::*;
use insyn_store::security::{CriticalDecision, DecisionDraft, ScaleLevel, SecurityState};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

pub fn routes(mut r: Router<AppState>, rules: &mut Rules) -> Router<AppState> {
    crate::routes!(r, rules, "/api/v1";
        GET "/orgs/{org}/systems/{id}/security" => summary, Read;
        GET "/orgs/{org}/systems/{id}/information-sets" => list_sets, Read;
        POST "/orgs/{org}/systems/{id}/information-sets" => create_set, EditSystem;
        PUT "/orgs/{org}/systems/{id}/information-sets/{set}" => update_set, EditSystem;
        GET "/orgs/{org}/systems/{id}/information-sets/{set}/classifications" => class_history, Read;
        POST "/orgs/{org}/systems/{id}/information-sets/{set}/classifications" => classify, EditSystem;
        POST "/orgs/{org}/systems/{id}/business-critical" => decide_critical, EditSystem;
        GET "/orgs/{org}/systems/{id}/plans" => list_plans, Read;
        POST "/orgs/{org}/systems/{id}/plans" => new_plan, EditSystem;
        GET "/orgs/{org}/systems/{id}/plans/{plan}" => get_plan, Read;
        PUT "/orgs/{org}/systems/{id}/plans/{plan}" => edit_plan, EditSystem;
        POST "/orgs/{org}/systems/{id}/plans/{plan}/submit" => submit_plan, EditSystem;
        POST "/orgs/{org}/systems/{id}/plans/{plan}/return" => return_plan, EditSystem;
        POST "/orgs/{org}/systems/{id}/plans/{plan}/approve" => approve_plan, ActAsOwner;
        GET "/orgs/{org}/systems/{id}/approvals" => list_approvals, Read;
        POST "/orgs/{org}/systems/{id}/approvals" => create_approval, EditSystem;
        GET "/orgs/{org}/systems/{id}/approvals/{approval}" => get_approval, Read;
        POST "/orgs/{org}/systems/{id}/approvals/{approval}/sign-owner" => sign_owner, ActAsOwner;
        POST "/orgs/{org}/systems/{id}/approvals/{approval}/sign-it" => sign_it, SignForIt;
        GET "/orgs/{org}/classification-scale" => get_scale, Read;
        PUT "/orgs/{org}/classification-scale" => set_scale, Administer;
        GET "/orgs/{org}/field-secrecy" => get_secrecy, Read;
        PUT "/orgs/{org}/field-secrecy" => set_secrecy, Administer;
    );
    r
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    summary,
    list_sets,
    create_set,
    update_set,
    class_history,
    classify,
    decide_critical,
    list_plans,
    new_plan,
    get_plan,
    edit_plan,
    submit_plan,
    return_plan,
    approve_plan,
    list_approvals,
    create_approval,
    get_approval,
    sign_owner,
    sign_it,
    get_scale,
    set_scale,
    get_secrecy,
    set_secrecy,
))]
pub struct Doc;

/// The decision on whether a system is business-critical.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DecisionOut {
    pub critical: bool,
    pub owner_name: String,
    pub it_name: String,
    pub note: Option<String>,
    pub decided_by: String,
    pub decided_at: chrono::DateTime<chrono::Utc>,
}

impl From<CriticalDecision> for DecisionOut {
    fn from(d: CriticalDecision) -> Self {
        Self {
            critical: d.critical,
            owner_name: d.owner_name,
            it_name: d.it_name,
            note: d.note,
            decided_by: d.decided_by,
            decided_at: d.decided_at,
        }
    }
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
    pub decision: Option<DecisionOut>,
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

/// The decision, made by the system owner and IT together (R-CLASS-3).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DecisionIn {
    pub critical: bool,
    /// The system owner who took part.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub owner_name: String,
    /// Who took part for IT.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub it_name: String,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

impl Validate for DecisionIn {
    fn problems(&self) -> FieldErrors {
        FieldErrors::new()
    }
}

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

/// The classification scale: level names, and whether traceability is classified.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Scale {
    pub levels: Vec<ScaleLevelOut>,
    pub traceability_required: bool,
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ScaleLevelOut {
    #[schema(minimum = 0, maximum = 4)]
    pub level: i16,
    #[schema(min_length = 1, pattern = r"\S")]
    pub name_sv: String,
    #[schema(min_length = 1, pattern = r"\S")]
    pub name_en: String,
}

impl From<ScaleLevel> for ScaleLevelOut {
    fn from(l: ScaleLevel) -> Self {
        Self {
            level: l.level,
            name_sv: l.name_sv,
            name_en: l.name_en,
        }
    }
}

impl From<(Vec<ScaleLevel>, bool)> for Scale {
    fn from((levels, traceability_required): (Vec<ScaleLevel>, bool)) -> Self {
        Self {
            levels: levels.into_iter().map(Into::into).collect(),
            traceability_required,
        }
    }
}

impl From<ScaleLevelOut> for ScaleLevel {
    fn from(l: ScaleLevelOut) -> Self {
        Self {
            level: l.level,
            name_sv: l.name_sv,
            name_en: l.name_en,
        }
    }
}

impl Validate for Scale {
    fn problems(&self) -> FieldErrors {
        FieldErrors::new()
    }
}

/// Which kinds of field are secret (true) or public (false).
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Secrecy {
    #[schema(value_type = Object)]
    pub fields: BTreeMap<String, bool>,
}

impl Validate for Secrecy {
    fn problems(&self) -> FieldErrors {
        FieldErrors::new()
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

#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/information-sets", tag = "security",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Vec<InformationSet>), (status = 404)))]
async fn list_sets(
    State(state): State<AppState>,
    at: SystemPath,
) -> AppResult<Json<Vec<InformationSet>>> {
    Ok(Json(
        state.store.information_sets(at.org.id, at.system).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/information-sets", tag = "security",
    request_body = InformationSetDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 201, body = InformationSet), (status = 422)))]
async fn create_set(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    at: SystemPath,
    ApiJson(d): ApiJson<InformationSetDraft>,
) -> AppResult<Created<InformationSet>> {
    Ok(created(
        state
            .store
            .create_information_set(&actor, at.org.id, at.system, d)
            .await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/orgs/{org}/systems/{id}/information-sets/{set}", tag = "security",
    request_body = InformationSetDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("set" = uuid::Uuid, Path)),
    responses((status = 200, body = InformationSet), (status = 404), (status = 422)))]
async fn update_set(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    at: SystemPath,
    ApiJson(d): ApiJson<InformationSetDraft>,
) -> AppResult<Json<InformationSet>> {
    let set: Uuid = at.params.id("set")?;
    Ok(Json(
        state
            .store
            .update_information_set(&actor, at.org.id, at.system, set, d)
            .await?,
    ))
}

/// Every classification of an information set, newest first.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/information-sets/{set}/classifications", tag = "security",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("set" = uuid::Uuid, Path)),
    responses((status = 200, body = Vec<Classification>), (status = 404)))]
async fn class_history(
    State(state): State<AppState>,
    at: SystemPath,
) -> AppResult<Json<Vec<Classification>>> {
    let set: Uuid = at.params.id("set")?;
    Ok(Json(
        state
            .store
            .classification_history(at.org.id, at.system, set)
            .await?,
    ))
}

/// Classifies an information set (KLASSA levels, with a justification).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/information-sets/{set}/classifications", tag = "security",
    request_body = ClassificationDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("set" = uuid::Uuid, Path)),
    responses((status = 201, body = Classification), (status = 404), (status = 422)))]
async fn classify(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    at: SystemPath,
    ApiJson(d): ApiJson<ClassificationDraft>,
) -> AppResult<Created<Classification>> {
    let set: Uuid = at.params.id("set")?;
    Ok(created(
        state
            .store
            .classify(&actor, at.org.id, at.system, set, d)
            .await?,
    ))
}

/// Records whether the system is business-critical, as decided by its owner and IT.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/business-critical", tag = "security",
    request_body = DecisionIn,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 201, body = DecisionOut), (status = 404), (status = 422)))]
async fn decide_critical(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    at: SystemPath,
    ApiJson(d): ApiJson<DecisionIn>,
) -> AppResult<Created<DecisionOut>> {
    let draft = DecisionDraft {
        critical: d.critical,
        owner_name: d.owner_name,
        it_name: d.it_name,
        note: d.note,
    };
    let dec = state
        .store
        .decide_business_critical(&actor, at.org.id, at.system, &draft)
        .await?;
    Ok(created(dec))
}

/// Every version of the system's security plan, newest first.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/plans", tag = "security",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Vec<SecurityPlan>), (status = 404)))]
async fn list_plans(
    State(state): State<AppState>,
    at: SystemPath,
) -> AppResult<Json<Vec<SecurityPlan>>> {
    Ok(Json(state.store.plans(at.org.id, at.system).await?))
}

/// Starts a new version as a draft (a copy of the newest); returns the open draft if there is one.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/plans", tag = "security",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 201, body = SecurityPlan), (status = 404)))]
async fn new_plan(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    at: SystemPath,
) -> AppResult<Created<SecurityPlan>> {
    Ok(created(
        state
            .store
            .new_plan_version(&actor, at.org.id, at.system)
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/plans/{plan}", tag = "security",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("plan" = uuid::Uuid, Path)),
    responses((status = 200, body = SecurityPlan), (status = 404)))]
async fn get_plan(State(state): State<AppState>, at: SystemPath) -> AppResult<Json<SecurityPlan>> {
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
async fn edit_plan(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    at: SystemPath,
    ApiJson(body): ApiJson<PlanIn>,
) -> AppResult<Json<SecurityPlan>> {
    Ok(Json(
        state
            .store
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
async fn move_plan(
    state: &AppState,
    actor: &insyn_store::Actor,
    at: &SystemPath,
    action: PlanAction,
) -> AppResult<Json<SecurityPlan>> {
    let plan = at.params.id("plan")?;
    Ok(Json(
        state
            .store
            .move_plan(actor, at.org.id, at.system, plan, action)
            .await
            .map_err(state_conflict)?,
    ))
}

/// Submits a draft for the system owner's approval (every section filled in).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/plans/{plan}/submit", tag = "security",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("plan" = uuid::Uuid, Path)),
    responses((status = 200, body = SecurityPlan), (status = 404), (status = 409, description = "The record's state does not allow this now")))]
async fn submit_plan(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    at: SystemPath,
) -> AppResult<Json<SecurityPlan>> {
    move_plan(&state, &actor, &at, PlanAction::Submit).await
}

/// Sends a submitted plan back to draft.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/plans/{plan}/return", tag = "security",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("plan" = uuid::Uuid, Path)),
    responses((status = 200, body = SecurityPlan), (status = 404), (status = 409, description = "The record's state does not allow this now")))]
async fn return_plan(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    at: SystemPath,
) -> AppResult<Json<SecurityPlan>> {
    move_plan(&state, &actor, &at, PlanAction::Return).await
}

/// Approves a submitted plan: only the system owner may.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/plans/{plan}/approve", tag = "security",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("plan" = uuid::Uuid, Path)),
    responses((status = 200, body = SecurityPlan), (status = 403, description = "Not the system owner"), (status = 404), (status = 409, description = "The record's state does not allow this now")))]
async fn approve_plan(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    at: SystemPath,
) -> AppResult<Json<SecurityPlan>> {
    move_plan(&state, &actor, &at, PlanAction::Approve).await
}

/// Every operational approval of the system, newest first, with its status today.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/approvals", tag = "security",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Vec<Approval>), (status = 404)))]
async fn list_approvals(
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
async fn create_approval(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    at: SystemPath,
    ApiJson(d): ApiJson<ApprovalDraft>,
) -> AppResult<Created<Approval>> {
    Ok(created(
        state
            .store
            .create_approval(&actor, at.org.id, at.system, d)
            .await
            .map_err(conflict)?,
    ))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/approvals/{approval}", tag = "security",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("approval" = uuid::Uuid, Path)),
    responses((status = 200, body = Approval), (status = 404)))]
async fn get_approval(State(state): State<AppState>, at: SystemPath) -> AppResult<Json<Approval>> {
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
async fn sign_owner(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    at: SystemPath,
) -> AppResult<Json<Approval>> {
    sign(&state, &actor, &at, true).await
}

/// Signs for IT (an administrator or the security coordinator).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/approvals/{approval}/sign-it", tag = "security",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("approval" = uuid::Uuid, Path)),
    responses((status = 200, body = Approval), (status = 403, description = "Not IT"), (status = 404), (status = 409, description = "The record's state does not allow this now")))]
async fn sign_it(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    at: SystemPath,
) -> AppResult<Json<Approval>> {
    sign(&state, &actor, &at, false).await
}

/// Signs an approval as the system owner (`as_owner`) or for IT.
async fn sign(
    state: &AppState,
    actor: &insyn_store::Actor,
    at: &SystemPath,
    as_owner: bool,
) -> AppResult<Json<Approval>> {
    let approval = at.params.id("approval")?;
    Ok(Json(
        state
            .store
            .sign_approval(actor, at.org.id, at.system, approval, as_owner)
            .await
            .map_err(state_conflict)?,
    ))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/classification-scale", tag = "security",
    params(("org" = String, Path)),
    responses((status = 200, body = Scale)))]
async fn get_scale(State(state): State<AppState>, at: OrgPath) -> AppResult<Json<Scale>> {
    Ok(Json(
        state.store.classification_scale(at.id()).await?.into(),
    ))
}

/// Renames the levels of the scale and sets whether traceability is classified.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/classification-scale", tag = "security",
    request_body = Scale,
    params(("org" = String, Path)),
    responses((status = 200, body = Scale), (status = 422)))]
async fn set_scale(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    at: OrgPath,
    ApiJson(body): ApiJson<Scale>,
) -> AppResult<Json<Scale>> {
    let levels: Vec<ScaleLevel> = body.levels.into_iter().map(Into::into).collect();
    state
        .store
        .set_classification_scale(&actor, at.id(), &levels, body.traceability_required)
        .await?;
    Ok(Json(
        state.store.classification_scale(at.id()).await?.into(),
    ))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/field-secrecy", tag = "security",
    params(("org" = String, Path)),
    responses((status = 200, body = Secrecy)))]
async fn get_secrecy(State(state): State<AppState>, at: OrgPath) -> AppResult<Json<Secrecy>> {
    Ok(Json(Secrecy {
        fields: state
            .store
            .field_secrecy(at.id())
            .await?
            .into_iter()
            .collect(),
    }))
}

/// Marks kinds of field public or secret (OSL); fields not named keep their marking.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/field-secrecy", tag = "security",
    request_body = Secrecy,
    params(("org" = String, Path)),
    responses((status = 200, body = Secrecy), (status = 422)))]
async fn set_secrecy(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    at: OrgPath,
    ApiJson(body): ApiJson<Secrecy>,
) -> AppResult<Json<Secrecy>> {
    let fields: Vec<(String, bool)> = body.fields.into_iter().collect();
    Ok(Json(Secrecy {
        fields: state
            .store
            .set_field_secrecy(&actor, at.id(), &fields)
            .await?
            .into_iter()
            .collect(),
    }))
}
