//! Access reviews (behörighetskontroller) as pages: the organisation's and
//! a system's campaigns (with a form to open one on the system), a
//! campaign where the reviewer answers each item and signs, and its
//! printable report, which is the evidence. Answering and signing are the
//! reviewer's or a substitute's (`may_review`); a post with nothing to do,
//! or a campaign that cannot be signed, is answered as such whoever asks.

use crate::context::{OrgPath, SystemPath};
use crate::error::{AppError, AppResult};
use crate::forms::FormData;
use crate::html::{Chrome, Cx, Posted, form_page, render, see, submit};
use askama::Template;
use axum::response::Response;
use chrono::NaiveDate;
use insyn_domain::access::*;
use insyn_domain::*;
use insyn_store::access::{
    AccessReview, AccessReviewDraft, AccessReviewItem, AccessReviewView, ReviewFilter,
};

/// The answers, in the order the page offers them.
const ANSWERS: &[ReviewAnswer] = &[
    ReviewAnswer::Keep,
    ReviewAnswer::Remove,
    ReviewAnswer::NotSure,
];

fn today() -> NaiveDate {
    crate::nav::today()
}

/// A campaign's state in words.
fn state_key(r: &AccessReview) -> &'static str {
    if r.signed_at.is_some() {
        "access-review-signed"
    } else if r.is_overdue(today()) {
        "access-review-overdue"
    } else {
        "access-review-open"
    }
}

#[derive(Template)]
#[template(path = "access_reviews.html")]
struct ListPage {
    c: Chrome,
    /// The system whose campaigns these are (none: the organisation's).
    system: Option<System>,
    reviews: Vec<AccessReview>,
    can_open: bool,
    errors: FieldErrors,
}

impl ListPage {
    pub fn state(&self, r: &AccessReview) -> String {
        self.c.t(state_key(r))
    }
    pub fn href(&self, r: &AccessReview) -> String {
        format!("/o/{}/access-reviews/{}", self.c.org_slug(), r.id)
    }
}

async fn list_view(
    cx: &Cx,
    org: Organisation,
    system: Option<SystemId>,
    errors: FieldErrors,
) -> AppResult<Response> {
    let (system, can_open) = match system {
        Some(id) => (
            Some(cx.store().get_system(org.id, id).await?),
            cx.on_system(org.id, id).await?.edit,
        ),
        None => (None, false),
    };
    let filter = ReviewFilter {
        system: system.as_ref().map(|s| s.id),
        open: false,
    };
    let reviews = cx.store().access_reviews(org.id, filter).await?;
    let page = ListPage {
        c: cx.chrome(Some(org), "systems"),
        system,
        reviews,
        can_open,
        errors,
    };
    Ok(form_page(&page.errors, &page))
}

pub(in crate::html) async fn org_reviews(cx: Cx, at: OrgPath) -> AppResult<Response> {
    list_view(&cx, at.org, None, FieldErrors::new()).await
}

pub(in crate::html) async fn system_reviews(cx: Cx, at: SystemPath) -> AppResult<Response> {
    list_view(&cx, at.org, Some(at.system), FieldErrors::new()).await
}

/// The form's optional deadline, or the field's error.
pub(in crate::html) fn deadline(form: &FormData) -> Result<Option<chrono::NaiveDate>, FieldErrors> {
    match form.opt("deadline") {
        None => Ok(None),
        Some(d) => d
            .parse()
            .map(Some)
            .map_err(|_| FieldErrors::single("deadline", insyn_domain::validation::NOT_A_DATE)),
    }
}

/// Opens a campaign for the unit: its people's holdings today are frozen
/// into it, for the unit's manager to review.
pub(in crate::html) async fn open_unit_review(
    cx: Cx,
    at: OrgPath,
    form: FormData,
) -> AppResult<Response> {
    let unit = at.params.id("id")?;
    let draft = deadline(&form).map(|deadline| AccessReviewDraft {
        scope: ReviewScope::Unit,
        system_id: None,
        unit_id: Some(unit),
        reviewer_id: None,
        deadline,
    });
    let open = async |d| cx.store().open_access_review(&cx.actor, at.org.id, d).await;
    match submit(draft, open).await? {
        Posted::Done(v) => see(format!("/o/{}/access-reviews/{}", at.org.slug, v.review.id)),
        Posted::Invalid(e) => list_view(&cx, at.org, None, e).await,
    }
}

/// Opens a campaign on the system: its holders today are frozen into it.
pub(in crate::html) async fn open_system_review(
    cx: Cx,
    at: SystemPath,
    form: FormData,
) -> AppResult<Response> {
    let draft = deadline(&form).map(|deadline| AccessReviewDraft {
        scope: ReviewScope::System,
        system_id: Some(at.system),
        unit_id: None,
        reviewer_id: None,
        deadline,
    });
    let open = async |d| cx.store().open_access_review(&cx.actor, at.org.id, d).await;
    match submit(draft, open).await? {
        Posted::Done(v) => see(format!("/o/{}/access-reviews/{}", at.org.slug, v.review.id)),
        Posted::Invalid(e) => list_view(&cx, at.org, Some(at.system), e).await,
    }
}

#[derive(Template)]
#[template(path = "access_review.html")]
struct CampaignPage {
    c: Chrome,
    v: AccessReviewView,
    can_answer: bool,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "access_review_print.html")]
struct PrintPage {
    c: Chrome,
    v: AccessReviewView,
}

/// What both views of a campaign say of it and its items.
macro_rules! campaign_words {
    ($t:ty) => {
        impl $t {
            pub fn state(&self) -> String {
                self.c.t(state_key(&self.v.review))
            }
            pub fn answer_name(&self, a: &ReviewAnswer) -> String {
                self.c.t(&format!(
                    "access-review-answer-{}",
                    a.as_str().replace('_', "-")
                ))
            }
            pub fn scope(&self) -> String {
                self.c.t(&format!(
                    "access-review-scope-{}",
                    self.v.review.scope.as_str()
                ))
            }
        }
    };
}
campaign_words!(CampaignPage);
campaign_words!(PrintPage);

impl PrintPage {
    pub fn answer_of(&self, i: &AccessReviewItem) -> String {
        i.answer
            .as_ref()
            .map(|a| self.answer_name(a))
            .unwrap_or_else(|| "–".into())
    }
}

impl CampaignPage {
    pub fn answers(&self) -> &'static [ReviewAnswer] {
        ANSWERS
    }
    pub fn base(&self) -> String {
        format!(
            "/o/{}/access-reviews/{}",
            self.c.org_slug(),
            self.v.review.id
        )
    }
    pub fn open(&self) -> bool {
        self.can_answer && self.v.review.signed_at.is_none()
    }
    pub fn item_error(&self, i: &AccessReviewItem) -> String {
        self.c.field_error(&self.errors, &i.id.to_string())
    }
}

async fn campaign_view(
    cx: &Cx,
    org: Organisation,
    errors: FieldErrors,
    v: AccessReviewView,
) -> AppResult<Response> {
    let can_answer = may_answer(cx, org.id, &v.review);
    let page = CampaignPage {
        c: cx.chrome(Some(org), "systems"),
        v,
        can_answer,
        errors,
    };
    Ok(form_page(&page.errors, &page))
}

fn may_answer(cx: &Cx, org: OrgId, r: &AccessReview) -> bool {
    cx.me()
        .is_some_and(|me| may_review(me.role_in(org), &me.user.email, r.reviewer_email.as_deref()))
}

async fn campaign(cx: &Cx, at: &OrgPath) -> AppResult<AccessReviewView> {
    let id: ReviewCampaignId = at.params.id("campaign")?;
    Ok(cx.store().access_review(at.org.id, id).await?)
}

pub(in crate::html) async fn campaign_page(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let v = campaign(&cx, &at).await?;
    campaign_view(&cx, at.org, FieldErrors::new(), v).await
}

pub(in crate::html) async fn campaign_print(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let v = campaign(&cx, &at).await?;
    Ok(render(&PrintPage {
        c: cx.chrome(Some(at.org), "systems"),
        v,
    }))
}

/// Saves the answers that changed; the first refused one is shown beside
/// its item.
pub(in crate::html) async fn answer_items(
    cx: Cx,
    at: OrgPath,
    form: FormData,
) -> AppResult<Response> {
    let v = campaign(&cx, &at).await?;
    let changed: Vec<(&AccessReviewItem, ReviewAnswerDraft)> = v
        .items
        .iter()
        .filter_map(|i| {
            let answer = ReviewAnswer::parse(&form.opt(&format!("answer-{}", i.id))?)?;
            let comment = form.opt(&format!("comment-{}", i.id));
            (Some(answer) != i.answer || comment != i.comment)
                .then_some((i, ReviewAnswerDraft { answer, comment }))
        })
        .collect();
    let base = format!("/o/{}/access-reviews/{}", at.org.slug, v.review.id);
    if changed.is_empty() {
        return see(base);
    }
    if !may_answer(&cx, at.org.id, &v.review) {
        return Err(AppError::ForbiddenBecause(REVIEW_NOT_REVIEWER));
    }
    for (i, d) in changed {
        let answer = async |d| {
            cx.store()
                .answer_review_item(&cx.actor, at.org.id, v.review.id, i.id, d)
                .await
        };
        if let Posted::Invalid(e) = submit(Ok(d), answer).await? {
            let mut mine = FieldErrors::new();
            for x in e.0 {
                mine.add(&i.id.to_string(), x.code);
            }
            let again = campaign(&cx, &at).await?;
            return campaign_view(&cx, at.org, mine, again).await;
        }
    }
    see(format!("{base}?saved=1"))
}

/// Signs the campaign: every item kept or removed, by the reviewer.
pub(in crate::html) async fn sign_campaign(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let v = campaign(&cx, &at).await?;
    let r = &v.review;
    let signable = r.signed_at.is_none() && r.items > 0 && r.resolved == r.items;
    if signable && !may_answer(&cx, at.org.id, r) {
        return Err(AppError::ForbiddenBecause(REVIEW_NOT_REVIEWER));
    }
    let sign = async |id| {
        cx.store()
            .sign_access_review(&cx.actor, at.org.id, id)
            .await
    };
    match submit(Ok(r.id), sign).await? {
        Posted::Done(_) => see(format!("/o/{}/access-reviews/{}", at.org.slug, r.id)),
        Posted::Invalid(e) => campaign_view(&cx, at.org.clone(), e, v).await,
    }
}
