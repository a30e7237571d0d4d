//! Benefit assessments in the API (Stockholm 2.6): a system owner's regular
//! assessment of a system's value for the business and its users. A new
//! assessment records the `benefit_review` control of the årshjul. Reading
//! needs the organisation; writing, the right to edit the system.

use crate::api::support::{Acting, Created, area, created, list_type};
use crate::context::SystemPath;
use crate::error::AppResult;
use crate::extract::ApiJson;
use axum::Json;
use axum::http::StatusCode;
use insyn_domain::benefit::*;

area! {
    GET "/orgs/{org}/systems/{id}/benefit-assessments" => list_assessments, Read;
    POST "/orgs/{org}/systems/{id}/benefit-assessments" => add_assessment, EditSystem;
    PUT "/orgs/{org}/systems/{id}/benefit-assessments/{assessment}" => update_assessment, EditSystem;
    DELETE "/orgs/{org}/systems/{id}/benefit-assessments/{assessment}" => remove_assessment, EditSystem;
}

list_type!(BenefitAssessmentList(BenefitAssessment));

/// A system's benefit assessments, newest first.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/benefit-assessments", tag = "benefit",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = BenefitAssessmentList), (status = 404)))]
async fn list_assessments(
    Acting { store, .. }: Acting,
    at: SystemPath,
) -> AppResult<Json<BenefitAssessmentList>> {
    Ok(Json(
        store
            .benefit_assessments(at.org.id, at.system)
            .await?
            .into(),
    ))
}

/// Records an assessment (not dated in the future) and, with it, the
/// `benefit_review` control: `ok` when the recommendation is to keep the
/// system as it is, `remarks` otherwise.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/benefit-assessments", tag = "benefit",
    request_body = BenefitAssessmentDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 201, body = BenefitAssessment), (status = 404), (status = 422)))]
async fn add_assessment(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(d): ApiJson<BenefitAssessmentDraft>,
) -> AppResult<Created<BenefitAssessment>> {
    let today = crate::nav::today();
    Ok(created(
        store
            .add_benefit_assessment(&actor, at.org.id, at.system, d, today)
            .await?,
    ))
}

/// Corrects an assessment as a whole (a field left out is emptied); the
/// control it recorded stays as performed.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/systems/{id}/benefit-assessments/{assessment}", tag = "benefit",
    request_body = BenefitAssessmentDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("assessment" = uuid::Uuid, Path)),
    responses((status = 200, body = BenefitAssessment), (status = 404), (status = 422)))]
async fn update_assessment(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(d): ApiJson<BenefitAssessmentDraft>,
) -> AppResult<Json<BenefitAssessment>> {
    let (id, today) = (at.params.id("assessment")?, crate::nav::today());
    Ok(Json(
        store
            .update_benefit_assessment(&actor, at.org.id, at.system, id, d, today)
            .await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/orgs/{org}/systems/{id}/benefit-assessments/{assessment}", tag = "benefit",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("assessment" = uuid::Uuid, Path)),
    responses((status = 204), (status = 404)))]
async fn remove_assessment(
    Acting { store, actor }: Acting,
    at: SystemPath,
) -> AppResult<StatusCode> {
    let id = at.params.id("assessment")?;
    store
        .remove_benefit_assessment(&actor, at.org.id, at.system, id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
