//! Annual reviews of one system: starting one, answering its items and signing it.

use super::system::{back, system_view};
use crate::context::SystemPath;
use crate::error::{AppError, AppResult};
use crate::forms::FormData;
use crate::html::{Chrome, Cx, Posted, form_page, see, submit};
use askama::Template;
use axum::response::Response;
use insyn_domain::{FieldErrors, Organisation, System, SystemId};
use insyn_store::reviews::{ANSWERS, Answer, Review};
use uuid::Uuid;

pub(in crate::html) async fn start_review(
    cx: Cx,
    SystemPath { org, system, .. }: SystemPath,
    form: FormData,
) -> AppResult<Response> {
    let start = async |period: &str| {
        cx.store()
            .start_review(&cx.actor, org.id, system, period)
            .await
    };
    match submit(Ok(form.get("period")), start).await? {
        Posted::Done(r) => see(format!("/o/{}/systems/{system}/reviews/{}", org.slug, r.id)),
        Posted::Invalid(e) => system_view(&cx, org, system, e, "review", "").await,
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
async fn review_on(cx: &Cx, o: &Organisation, sid: SystemId, rid: Uuid) -> AppResult<Review> {
    let r = cx.store().review(o.id, rid).await?;
    if r.system_id != sid {
        return Err(AppError::NotFound);
    }
    Ok(r)
}

async fn review_view(
    cx: &Cx,
    o: Organisation,
    sid: SystemId,
    rid: Uuid,
    errors: FieldErrors,
) -> AppResult<Response> {
    let s = cx.store().get_system(o.id, sid).await?;
    let r = review_on(cx, &o, sid, rid).await?;
    let can = cx.on_system(o.id, sid).await?;
    let page = ReviewPage {
        c: cx.chrome(Some(o), "systems"),
        s,
        r,
        can_edit: can.edit,
        can_sign: can.owner,
        errors,
    };
    Ok(form_page(&page.errors, &page))
}

pub(in crate::html) async fn review_page(cx: Cx, at: SystemPath) -> AppResult<Response> {
    let rid = at.params.id("review")?;
    review_view(&cx, at.org, at.system, rid, FieldErrors::new()).await
}

pub(in crate::html) async fn answer_review(
    cx: Cx,
    SystemPath {
        org,
        system,
        params,
    }: SystemPath,
    form: FormData,
) -> AppResult<Response> {
    let rid: Uuid = params.id("review")?;
    let before = review_on(&cx, &org, system, rid).await?;
    let answers = before
        .items
        .iter()
        .map(|i| Answer {
            item: i.id.clone(),
            answer: form.opt(&format!("answer-{}", i.id)),
            comment: form.opt(&format!("comment-{}", i.id)),
        })
        .collect();
    let answer = async |a| cx.store().answer_review(&cx.actor, org.id, rid, a).await;
    match submit(Ok(answers), answer).await? {
        Posted::Done(_) => see(format!(
            "/o/{}/systems/{system}/reviews/{rid}?saved=1",
            org.slug
        )),
        Posted::Invalid(e) => review_view(&cx, org, system, rid, e).await,
    }
}

pub(in crate::html) async fn sign_review(
    cx: Cx,
    SystemPath {
        org,
        system,
        params,
    }: SystemPath,
) -> AppResult<Response> {
    let rid: Uuid = params.id("review")?;
    // Only a review of this system can be signed here.
    review_on(&cx, &org, system, rid).await?;
    let sign = async |rid| cx.store().sign_review(&cx.actor, org.id, rid).await;
    match submit(Ok(rid), sign).await? {
        Posted::Done(_) => back(&org, system, "reviews"),
        Posted::Invalid(e) => review_view(&cx, org, system, rid, e).await,
    }
}
