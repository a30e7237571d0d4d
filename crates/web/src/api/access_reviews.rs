//! Access reviews (behörighetskontroller) in the API: open a campaign on a
//! system (who may change the system) or on any scope (who keeps the
//! register), list and read them, answer each item and sign. Answering and
//! signing are the reviewer's, or a substitute's (`may_review`); the route
//! lets a reader in and the handler checks.

use crate::AppState;
use crate::api::support::{Acting, Created, area, created, list_type, state_conflict};
use crate::auth::Principal;
use crate::context::{OrgPath, SystemPath};
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, Query};
use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use insyn_domain::access::*;
use insyn_domain::*;
use insyn_store::Store;
use insyn_store::access::{
    AccessReview, AccessReviewDraft, AccessReviewItem, AccessReviewView, ReviewFilter,
};
use serde::Deserialize;

area! {
    GET "/orgs/{org}/access-reviews" => list_reviews, Read;
    POST "/orgs/{org}/access-reviews" => open_review, EditRegister;
    GET "/orgs/{org}/systems/{id}/access-reviews" => list_system_reviews, Read;
    POST "/orgs/{org}/systems/{id}/access-reviews" => open_system_review, EditSystem;
    GET "/orgs/{org}/access-reviews/{campaign}" => get_review, Read;
    PUT "/orgs/{org}/access-reviews/{campaign}/items/{item}" => answer_item, Read;
    POST "/orgs/{org}/access-reviews/{campaign}/sign" => sign_review, Read;
}

list_type!(AccessReviewList(AccessReview));

/// Which campaigns to list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewQuery {
    /// Only campaigns not yet signed.
    #[serde(default)]
    pub open: bool,
    /// Only the caller's own (they are the reviewer).
    #[serde(default)]
    pub mine: bool,
}

/// A campaign on the system named in the path.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct SystemReviewIn {
    /// Left out: the system's owner, else its förvaltare.
    #[serde(default)]
    pub reviewer_id: Option<PersonId>,
    /// Left out: when the policy profile says the next review is due, at
    /// least 30 days ahead.
    #[serde(default)]
    pub deadline: Option<NaiveDate>,
}

impl insyn_domain::validation::Validate for SystemReviewIn {
    /// Whether the reviewer and the deadline are possible is the store's.
    fn problems(&self) -> FieldErrors {
        FieldErrors::new()
    }
}

async fn listed(
    store: &Store,
    me: &Principal,
    org: OrgId,
    system: Option<SystemId>,
    q: ReviewQuery,
) -> AppResult<Json<AccessReviewList>> {
    let all = store
        .access_reviews(
            org,
            ReviewFilter {
                system,
                open: q.open,
            },
        )
        .await?;
    let email = me.user.email.trim();
    let mine = |r: &AccessReview| {
        r.reviewer_email
            .as_deref()
            .is_some_and(|e| e.trim().eq_ignore_ascii_case(email))
    };
    let items: Vec<AccessReview> = all.into_iter().filter(|r| !q.mine || mine(r)).collect();
    Ok(Json(items.into()))
}

/// The organisation's campaigns, open ones first.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/access-reviews", tag = "access",
    params(("org" = String, Path), ReviewQuery),
    responses((status = 200, body = AccessReviewList), (status = 404)))]
async fn list_reviews(
    State(state): State<AppState>,
    me: Principal,
    at: OrgPath,
    Query(q): Query<ReviewQuery>,
) -> AppResult<Json<AccessReviewList>> {
    listed(&state.store, &me, at.id(), None, q).await
}

/// The campaigns that cover the system.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/access-reviews", tag = "access",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ReviewQuery),
    responses((status = 200, body = AccessReviewList), (status = 404)))]
async fn list_system_reviews(
    State(state): State<AppState>,
    me: Principal,
    at: SystemPath,
    Query(q): Query<ReviewQuery>,
) -> AppResult<Json<AccessReviewList>> {
    state.store.get_system(at.org.id, at.system).await?;
    listed(&state.store, &me, at.org.id, Some(at.system), q).await
}

/// Opens a campaign on a system or a unit: the holdings current today are
/// frozen into its items.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/access-reviews", tag = "access",
    request_body = AccessReviewDraft,
    params(("org" = String, Path)),
    responses((status = 201, body = AccessReviewView), (status = 404), (status = 422)))]
async fn open_review(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<AccessReviewDraft>,
) -> AppResult<Created<AccessReviewView>> {
    Ok(created(
        store.open_access_review(&actor, at.id(), draft).await?,
    ))
}

/// Opens a campaign on the system: its holders today are frozen into it.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/access-reviews", tag = "access",
    request_body = SystemReviewIn,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 201, body = AccessReviewView), (status = 404), (status = 422)))]
async fn open_system_review(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(body): ApiJson<SystemReviewIn>,
) -> AppResult<Created<AccessReviewView>> {
    store.get_system(at.org.id, at.system).await?;
    let draft = AccessReviewDraft {
        scope: ReviewScope::System,
        system_id: Some(at.system),
        unit_id: None,
        reviewer_id: body.reviewer_id,
        deadline: body.deadline,
    };
    Ok(created(
        store.open_access_review(&actor, at.org.id, draft).await?,
    ))
}

/// A campaign with its frozen items and their answers.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/access-reviews/{campaign}", tag = "access",
    params(("org" = String, Path), ("campaign" = uuid::Uuid, Path)),
    responses((status = 200, body = AccessReviewView), (status = 404)))]
async fn get_review(
    State(state): State<AppState>,
    at: OrgPath,
) -> AppResult<Json<AccessReviewView>> {
    let id = at.params.id("campaign")?;
    Ok(Json(state.store.access_review(at.id(), id).await?))
}

/// The campaign in the path, if the caller reviews it.
async fn as_reviewer(store: &Store, me: &Principal, at: &OrgPath) -> AppResult<AccessReview> {
    let r = store
        .access_review(at.id(), at.params.id("campaign")?)
        .await?
        .review;
    if may_review(
        me.role_in(at.id()),
        &me.user.email,
        r.reviewer_email.as_deref(),
    ) {
        Ok(r)
    } else {
        Err(AppError::ForbiddenBecause(REVIEW_NOT_REVIEWER))
    }
}

/// Answers one item: keep, remove (which orders the removal) or not sure
/// (with a comment saying why).
#[utoipa::path(put, path = "/api/v1/orgs/{org}/access-reviews/{campaign}/items/{item}", tag = "access",
    request_body = ReviewAnswerDraft,
    params(("org" = String, Path), ("campaign" = uuid::Uuid, Path), ("item" = uuid::Uuid, Path)),
    responses((status = 200, body = AccessReviewItem), (status = 403, description = "Not the reviewer"), (status = 404), (status = 422)))]
async fn answer_item(
    Acting { store, actor }: Acting,
    me: Principal,
    at: OrgPath,
    ApiJson(draft): ApiJson<ReviewAnswerDraft>,
) -> AppResult<Json<AccessReviewItem>> {
    let r = as_reviewer(&store, &me, &at).await?;
    let item = at.params.id("item")?;
    Ok(Json(
        store
            .answer_review_item(&actor, at.id(), r.id, item, draft)
            .await?,
    ))
}

/// Signs the campaign (every item kept or removed) and records the access
/// review in the årshjul of each system it covered.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/access-reviews/{campaign}/sign", tag = "access",
    params(("org" = String, Path), ("campaign" = uuid::Uuid, Path)),
    responses((status = 200, body = AccessReview), (status = 403, description = "Not the reviewer"), (status = 404), (status = 409, description = "Items unanswered, or signed already")))]
async fn sign_review(
    Acting { store, actor }: Acting,
    me: Principal,
    at: OrgPath,
) -> AppResult<Json<AccessReview>> {
    let r = store
        .access_review(at.id(), at.params.id("campaign")?)
        .await?
        .review;
    // One that cannot be signed is a conflict, whoever asks; one that can
    // is the reviewer's to sign.
    let signable = r.signed_at.is_none() && r.items > 0 && r.resolved == r.items;
    if signable {
        as_reviewer(&store, &me, &at).await?;
    }
    Ok(Json(
        store
            .sign_access_review(&actor, at.id(), r.id)
            .await
            .map_err(state_conflict)?,
    ))
}
