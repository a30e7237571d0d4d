//! Information sets and their classification, the business-critical
//! decision, the classification scale and which fields are secret.

use crate::AppState;
use crate::api::support::{Acting, Created, created};
use crate::context::{OrgPath, SystemPath};
use crate::error::AppResult;
use crate::extract::ApiJson;
use axum::Json;
use axum::extract::State;
use insyn_domain::security::*;
use insyn_domain::validation::Validate;
use insyn_domain::*;
use insyn_store::security::{CriticalDecision, DecisionDraft, ScaleLevel};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

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

#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/information-sets", tag = "security",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Vec<InformationSet>), (status = 404)))]
pub(super) async fn list_sets(
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
pub(super) async fn create_set(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(d): ApiJson<InformationSetDraft>,
) -> AppResult<Created<InformationSet>> {
    Ok(created(
        store
            .create_information_set(&actor, at.org.id, at.system, d)
            .await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/orgs/{org}/systems/{id}/information-sets/{set}", tag = "security",
    request_body = InformationSetDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("set" = uuid::Uuid, Path)),
    responses((status = 200, body = InformationSet), (status = 404), (status = 422)))]
pub(super) async fn update_set(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(d): ApiJson<InformationSetDraft>,
) -> AppResult<Json<InformationSet>> {
    let set: Uuid = at.params.id("set")?;
    Ok(Json(
        store
            .update_information_set(&actor, at.org.id, at.system, set, d)
            .await?,
    ))
}

/// Every classification of an information set, newest first.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/information-sets/{set}/classifications", tag = "security",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("set" = uuid::Uuid, Path)),
    responses((status = 200, body = Vec<Classification>), (status = 404)))]
pub(super) async fn class_history(
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
pub(super) async fn classify(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(d): ApiJson<ClassificationDraft>,
) -> AppResult<Created<Classification>> {
    let set: Uuid = at.params.id("set")?;
    Ok(created(
        store.classify(&actor, at.org.id, at.system, set, d).await?,
    ))
}

/// Records whether the system is business-critical, as decided by its owner and IT.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/business-critical", tag = "security",
    request_body = DecisionIn,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 201, body = DecisionOut), (status = 404), (status = 422)))]
pub(super) async fn decide_critical(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(d): ApiJson<DecisionIn>,
) -> AppResult<Created<DecisionOut>> {
    let draft = DecisionDraft {
        critical: d.critical,
        owner_name: d.owner_name,
        it_name: d.it_name,
        note: d.note,
    };
    let dec = store
        .decide_critical(&actor, at.org.id, at.system, &draft)
        .await?;
    Ok(created(dec))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/classification-scale", tag = "security",
    params(("org" = String, Path)),
    responses((status = 200, body = Scale)))]
pub(super) async fn get_scale(
    State(state): State<AppState>,
    at: OrgPath,
) -> AppResult<Json<Scale>> {
    Ok(Json(
        state.store.classification_scale(at.id()).await?.into(),
    ))
}

/// Renames the levels of the scale and sets whether traceability is classified.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/classification-scale", tag = "security",
    request_body = Scale,
    params(("org" = String, Path)),
    responses((status = 200, body = Scale), (status = 422)))]
pub(super) async fn set_scale(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(body): ApiJson<Scale>,
) -> AppResult<Json<Scale>> {
    let levels: Vec<ScaleLevel> = body.levels.into_iter().map(Into::into).collect();
    store
        .set_classification_scale(&actor, at.id(), &levels, body.traceability_required)
        .await?;
    Ok(Json(store.classification_scale(at.id()).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/field-secrecy", tag = "security",
    params(("org" = String, Path)),
    responses((status = 200, body = Secrecy)))]
pub(super) async fn get_secrecy(
    State(state): State<AppState>,
    at: OrgPath,
) -> AppResult<Json<Secrecy>> {
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
pub(super) async fn set_secrecy(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(body): ApiJson<Secrecy>,
) -> AppResult<Json<Secrecy>> {
    let fields: Vec<(String, bool)> = body.fields.into_iter().collect();
    Ok(Json(Secrecy {
        fields: store
            .set_field_secrecy(&actor, at.id(), &fields)
            .await?
            .into_iter()
            .collect(),
    }))
}
