//! Regulatory facts in the API (issue 20 item 4): the organisation's entity
//! class under cybersäkerhetslagen (read by anyone of the organisation, set
//! by administrators) and a system's AI Act facts with what someone must act
//! on (read by anyone of the organisation, set by those who may edit the
//! system). Secret by default: never in the public register.

use crate::api::support::{Acting, area};
use crate::context::{OrgPath, SystemPath};
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::nav::today;
use axum::Json;
use insyn_domain::regulatory::*;

area! {
    GET "/orgs/{org}/nis-entity-class" => get_entity_class, Read;
    PUT "/orgs/{org}/nis-entity-class" => set_entity_class, Administer;
    GET "/orgs/{org}/systems/{id}/ai-act" => get_ai_act, Read;
    PUT "/orgs/{org}/systems/{id}/ai-act" => set_ai_act, EditSystem;
}

/// The organisation's entity class under cybersäkerhetslagen (2025:1506);
/// `not_assessed` until set.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/nis-entity-class", tag = "regulatory",
    params(("org" = String, Path)),
    responses((status = 200, body = NisFacts), (status = 404)))]
async fn get_entity_class(Acting { store, .. }: Acting, at: OrgPath) -> AppResult<Json<NisFacts>> {
    Ok(Json(store.nis_facts(at.id()).await?))
}

/// Sets the entity class as a whole (a field left out is emptied): the
/// class, the sector from the law's list, and the registration with the
/// supervisory authority (its day not in the future, its reference).
#[utoipa::path(put, path = "/api/v1/orgs/{org}/nis-entity-class", tag = "regulatory",
    request_body = NisDraft,
    params(("org" = String, Path)),
    responses((status = 200, body = NisFacts), (status = 404), (status = 422)))]
async fn set_entity_class(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(d): ApiJson<NisDraft>,
) -> AppResult<Json<NisFacts>> {
    Ok(Json(
        store.set_nis_facts(&actor, at.id(), d, today()).await?,
    ))
}

/// A system's AI Act facts (`contains_ai` is `unknown` until set) and what
/// someone must act on: high-risk use without a FRIA, a prohibited practice.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/ai-act", tag = "regulatory",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = AiActFacts), (status = 404)))]
async fn get_ai_act(Acting { store, .. }: Acting, at: SystemPath) -> AppResult<Json<AiActFacts>> {
    Ok(Json(store.ai_act(at.org.id, at.system).await?))
}

/// Sets a system's AI Act facts as a whole: with no AI, no risk class or
/// role; a FRIA (day, reference) only for high-risk use, its day not in the
/// future.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/systems/{id}/ai-act", tag = "regulatory",
    request_body = AiActDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = AiActFacts), (status = 404), (status = 422)))]
async fn set_ai_act(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(d): ApiJson<AiActDraft>,
) -> AppResult<Json<AiActFacts>> {
    Ok(Json(
        store
            .set_ai_act(&actor, at.org.id, at.system, d, today())
            .await?,
    ))
}
