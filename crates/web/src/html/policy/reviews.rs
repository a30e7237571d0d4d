//! Annual reviews of one system: starting one, answering its items and signing it.

use super::system::{back, system_view};
use crate::AppState;
use crate::context::SystemPath;
use crate::error::{AppError, AppResult};
use crate::extract::RequestActor;
use crate::forms::FormData;
use crate::html::security::abilities;
use crate::html::{Chrome, Here, form_status, render_status};
use crate::i18n::Lang;
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use insyn_domain::{FieldErrors, Organisation, System, SystemId};
use insyn_store::StoreError;
use insyn_store::reviews::{ANSWERS, Answer, Review};
use uuid::Uuid;

pub(in crate::html) async fn start_review(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    SystemPath {
        org: o,
        system: sid,
        ..
    }: SystemPath,
    body: Bytes,
) -> AppResult<Response> {
    let f = FormData::parse(&body);
    match state
        .store
        .start_review(&actor, o.id, sid, f.get("period"))
        .await
    {
        Ok(r) => Ok(
            Redirect::to(&format!("/o/{}/systems/{sid}/reviews/{}", o.slug, r.id)).into_response(),
        ),
        Err(StoreError::Invalid(e)) => system_view(&state, lang, &uri, o, sid, e, "review").await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "review.html")]
pub(super) struct ReviewPage {
    c: Chrome,
    s: System,
    r: Review,
    can_edit: bool,
    can_sign: bool,
    errors: FieldErrors,
}

impl ReviewPage {
    pub fn base(&self) -> String {
        format!("/o/{}/systems/{}", self.c.org_slug(), self.s.id)
    }
    pub fn answers(&self) -> &'static [&'static str] {
        ANSWERS
    }
    pub fn answer_name(&self, a: &str) -> String {
        self.c.t(&format!("answer-{a}"))
    }
    pub fn item_error(&self, id: &str) -> String {
        self.c.field_error(&self.errors, id)
    }
    pub fn item_text(&self, id: &str) -> String {
        self.r
            .items
            .iter()
            .find(|i| i.id == id)
            .map(|i| i.text(self.c.lang.code()).to_owned())
            .unwrap_or_else(|| id.to_owned())
    }
}

/// The review, when it is one of this system's (else not found).
async fn review_on(
    state: &AppState,
    o: &Organisation,
    sid: SystemId,
    rid: Uuid,
) -> AppResult<Review> {
    let r = state.store.review(o.id, rid).await?;
    if r.system_id != sid {
        return Err(AppError::NotFound);
    }
    Ok(r)
}

async fn review_view(
    state: &AppState,
    lang: Lang,
    uri: &Here,
    o: Organisation,
    sid: SystemId,
    rid: Uuid,
    errors: FieldErrors,
) -> AppResult<Response> {
    let s = state.store.get_system(o.id, sid).await?;
    let r = review_on(state, &o, sid, rid).await?;
    let can = abilities(state, &uri.me, o.id, sid).await?;
    let (can_edit, can_sign) = (can.edit, can.owner);
    let status = form_status(&errors);
    Ok(render_status(
        status,
        &ReviewPage {
            c: Chrome::new(lang, uri, Some(o), "systems"),
            s,
            r,
            can_edit,
            can_sign,
            errors,
        },
    ))
}

pub(in crate::html) async fn review_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    SystemPath {
        org: o,
        system,
        params,
    }: SystemPath,
) -> AppResult<Response> {
    let rid = params.id("review")?;
    review_view(&state, lang, &uri, o, system, rid, FieldErrors::new()).await
}

pub(in crate::html) async fn answer_review(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    SystemPath {
        org: o,
        system: sid,
        params,
    }: SystemPath,
    body: Bytes,
) -> AppResult<Response> {
    let rid: Uuid = params.id("review")?;
    let before = review_on(&state, &o, sid, rid).await?;
    let f = FormData::parse(&body);
    let answers = before
        .items
        .iter()
        .map(|i| Answer {
            item: i.id.clone(),
            answer: f.opt(&format!("answer-{}", i.id)),
            comment: f.opt(&format!("comment-{}", i.id)),
        })
        .collect();
    match state.store.answer_review(&actor, o.id, rid, answers).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/o/{}/systems/{sid}/reviews/{rid}?saved=1",
            o.slug
        ))
        .into_response()),
        Err(StoreError::Invalid(e)) => review_view(&state, lang, &uri, o, sid, rid, e).await,
        Err(e) => Err(e.into()),
    }
}

pub(in crate::html) async fn sign_review(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    SystemPath {
        org: o,
        system: sid,
        params,
    }: SystemPath,
) -> AppResult<Response> {
    let rid: Uuid = params.id("review")?;
    // Only a review of this system can be signed here.
    review_on(&state, &o, sid, rid).await?;
    match state.store.sign_review(&actor, o.id, rid).await {
        Ok(_) => Ok(back(&o, sid, "reviews")),
        Err(StoreError::Invalid(e)) => review_view(&state, lang, &uri, o, sid, rid, e).await,
        Err(e) => Err(e.into()),
    }
}
