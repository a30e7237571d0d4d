//! The system's "Nytta" tab (Stockholm 2.6): the owner's benefit
//! assessments, newest first, and the form for a new one, which records the
//! `benefit_review` control of the årshjul.

use super::continuity::Words;
use super::*;
use crate::context::SystemPath;
use insyn_domain::auth::OnSystem;
use insyn_domain::benefit::*;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "benefit.html")]
pub(in crate::html) struct BenefitPage {
    w: Words,
    c: Chrome,
    s: System,
    can: OnSystem,
    assessments: Vec<BenefitAssessment>,
    /// Today, the form's default day.
    today: chrono::NaiveDate,
}

impl BenefitPage {
    pub fn base(&self) -> String {
        format!("/o/{}/systems/{}", self.c.org_slug(), self.s.id)
    }

    pub fn values(&self) -> &'static [BusinessValue] {
        BusinessValue::ALL
    }

    pub fn satisfactions(&self) -> &'static [Satisfaction] {
        Satisfaction::ALL
    }

    pub fn recommendations(&self) -> &'static [Recommendation] {
        Recommendation::ALL
    }

    pub fn value_word(&self, v: &BusinessValue) -> String {
        self.c.t(&format!("benefit-value-{}", v.as_str()))
    }

    pub fn satisfaction_word(&self, s: &Satisfaction) -> String {
        self.c.t(&format!("benefit-users-{}", s.as_str()))
    }

    pub fn satisfaction(&self, s: &Option<Satisfaction>) -> String {
        s.map(|s| self.satisfaction_word(&s))
            .unwrap_or_else(|| self.c.t("benefit-users-not-asked"))
    }

    pub fn recommendation_word(&self, r: &Recommendation) -> String {
        self.c.t(&format!(
            "benefit-recommend-{}",
            r.as_str().replace('_', "-")
        ))
    }

    pub fn text(&self, t: &Option<String>) -> String {
        t.clone().unwrap_or_else(|| "–".into())
    }

    /// A field of the form, as typed when it came back.
    pub fn typed(&self, name: &str) -> String {
        self.w.value("benefit", name, None)
    }

    /// A choice of the form: as typed, else `default`.
    pub fn chosen(&self, name: &str, default: &str) -> String {
        Some(self.typed(name))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| default.to_owned())
    }
}

async fn view(cx: &Cx, org: Organisation, sid: SystemId, w: Option<Words>) -> AppResult<Response> {
    let store = cx.store();
    let page = BenefitPage {
        w: w.unwrap_or_else(|| Words::new(cx.chrome(Some(org.clone()), "systems"))),
        c: cx.chrome(Some(org.clone()), "systems"),
        can: cx.on_system(org.id, sid).await?,
        assessments: store.benefit_assessments(org.id, sid).await?,
        s: store.get_system(org.id, sid).await?,
        today: crate::nav::today(),
    };
    Ok(form_page(&page.w.errors, &page))
}

pub(in crate::html) async fn benefit_page(cx: Cx, at: SystemPath) -> AppResult<Response> {
    view(&cx, at.org, at.system, None).await
}

fn draft(f: &FormData) -> Result<BenefitAssessmentDraft, FieldErrors> {
    let mut e = FieldErrors::new();
    let assessed_on = f.date("assessed_on", &mut e);
    if assessed_on.is_none() && e.get("assessed_on").is_none() {
        e.add("assessed_on", v::REQUIRED);
    }
    let business_value = f.choice("business_value", &mut e, BusinessValue::parse);
    if business_value.is_none() && e.get("business_value").is_none() {
        e.add("business_value", v::REQUIRED);
    }
    let recommendation = f.choice("recommendation", &mut e, Recommendation::parse);
    if recommendation.is_none() && e.get("recommendation").is_none() {
        e.add("recommendation", v::REQUIRED);
    }
    let respondents = match f.get("respondents") {
        "" => None,
        s => v::parse_count(s).map_err(|c| e.add("respondents", c)).ok(),
    };
    let d = BenefitAssessmentDraft {
        assessed_on: assessed_on.unwrap_or_default(),
        assessed_by: f.get("assessed_by").to_owned(),
        business_value: business_value.unwrap_or(BusinessValue::Medium),
        user_satisfaction: f.choice("user_satisfaction", &mut e, Satisfaction::parse),
        users_asked: f.opt("users_asked"),
        respondents,
        strengths: f.opt("strengths"),
        problems: f.opt("problems"),
        recommendation: recommendation.unwrap_or(Recommendation::Keep),
        note: f.opt("note"),
    };
    e.into_result(d)
}

/// Back to the tab, or the tab again with the refused form.
async fn after<T>(cx: &Cx, at: SystemPath, f: FormData, posted: Posted<T>) -> AppResult<Response> {
    let done = format!(
        "/o/{}/systems/{}/benefit?saved=1#assessments",
        at.org.slug, at.system
    );
    let again = async |w| view(cx, at.org.clone(), at.system, Some(w)).await;
    Words::after(cx, &at.org, done, "benefit", f, posted, again).await
}

pub(in crate::html) async fn add_assessment(
    cx: Cx,
    at: SystemPath,
    f: FormData,
) -> AppResult<Response> {
    let (org, system, today) = (at.org.id, at.system, crate::nav::today());
    let add = async |d| {
        cx.store()
            .add_benefit_assessment(&cx.actor, org, system, d, today)
            .await
    };
    let posted = submit(draft(&f), add).await?;
    after(&cx, at, f, posted).await
}

pub(in crate::html) async fn remove_assessment(cx: Cx, at: SystemPath) -> AppResult<Response> {
    let id: Uuid = at.params.id("assessment")?;
    cx.store()
        .remove_benefit_assessment(&cx.actor, at.org.id, at.system, id)
        .await?;
    see(format!(
        "/o/{}/systems/{}/benefit?saved=1#assessments",
        at.org.slug, at.system
    ))
}
