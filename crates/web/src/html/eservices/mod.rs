//! E-services (E-tjänster) as pages: the organisation's list, a page at a
//! time and filtered by step on Utvecklingstrappan, an e-service's page
//! (its step, systems, accessibility statement, the five e-function
//! criteria and its findings), the form (`form.rs`), and the public
//! register's e-services with the administrator's choice of public fields
//! (`public.rs`).

pub(in crate::html) mod form;
pub(in crate::html) mod public;

use super::*;
use crate::context::OrgPath;
use crate::nav::today;
use crate::query::eservices::EServiceQuery;
use insyn_domain::eservice::*;

pub(in crate::html) fn base(org: &str) -> String {
    format!("/o/{org}/e-services")
}

/// The words the e-service pages share.
pub(in crate::html) trait EServiceWords {
    fn lang(&self) -> Lang;

    fn step_word(&self, s: &EServiceStep) -> String {
        self.lang().t(&format!("eservice-step-{}", s.as_str()))
    }

    fn step_help(&self, s: &EServiceStep) -> String {
        self.lang().t(&format!("eservice-step-help-{}", s.as_str()))
    }

    fn target_word(&self, g: &EServiceTargetGroup) -> String {
        self.lang().t(&format!("eservice-target-{}", g.as_str()))
    }

    fn goal_word(&self, g: &EServiceGoalArea) -> String {
        self.lang().t(&format!("eservice-goal-{}", g.as_str()))
    }

    fn status_word(&self, s: &Option<EServiceAccessibility>) -> String {
        let key = s.map_or("none", |s| s.as_str());
        self.lang().t(&format!("eservice-status-{key}"))
    }

    fn status_name(&self, s: &EServiceAccessibility) -> String {
        self.status_word(&Some(*s))
    }

    fn criterion_word(&self, c: &EServiceCriterionKind) -> String {
        self.lang().t(&format!("eservice-criterion-{}", c.as_str()))
    }

    fn verdict_word(&self, v: &EServiceVerdict) -> String {
        self.lang().t(&format!("eservice-verdict-{}", v.as_str()))
    }

    fn targets(&self, groups: &[EServiceTargetGroup], other: &Option<String>) -> String {
        let mut words: Vec<String> = groups.iter().map(|g| self.target_word(g)).collect();
        words.extend(other.clone());
        if words.is_empty() {
            "–".into()
        } else {
            words.join(", ")
        }
    }

    fn goals(&self, goals: &[EServiceGoalArea]) -> String {
        if goals.is_empty() {
            return "–".into();
        }
        let words: Vec<String> = goals.iter().map(|g| self.goal_word(g)).collect();
        words.join(", ")
    }

    fn day(&self, d: &Option<chrono::NaiveDate>) -> String {
        d.map_or_else(|| "–".into(), |d| d.to_string())
    }

    fn text(&self, t: &Option<String>) -> String {
        t.clone().unwrap_or_else(|| "–".into())
    }
}

#[derive(Template)]
#[template(path = "eservices.html")]
pub(in crate::html) struct ListPage {
    c: Chrome,
    items: Vec<EService>,
    step: Option<EServiceStep>,
    total: i64,
    prev_href: Option<String>,
    next_href: Option<String>,
}

impl EServiceWords for ListPage {
    fn lang(&self) -> Lang {
        self.c.lang
    }
}

impl ListPage {
    pub fn steps(&self) -> &'static [EServiceStep] {
        EServiceStep::ALL
    }

    pub fn chosen(&self, s: &EServiceStep) -> bool {
        self.step == Some(*s)
    }
}

pub(in crate::html) async fn list_page(
    cx: Cx,
    at: OrgPath,
    Query(q): Query<EServiceQuery>,
) -> AppResult<Response> {
    let (step, page) = q.lenient();
    let found = cx.store().eservices(at.id(), step, page, today()).await?;
    let link = |n: u32| {
        let step = step.map(|s| s.as_str()).unwrap_or_default();
        format!(
            "{}?{}",
            base(&at.org.slug),
            serde_urlencoded::to_string([("step", step), ("page", &n.to_string())])
                .unwrap_or_default()
        )
    };
    Ok(render(&ListPage {
        prev_href: (found.page > 1).then(|| link(found.page - 1)),
        next_href: (found.page < found.pages()).then(|| link(found.page + 1)),
        c: cx.chrome(Some(at.org), "eservices"),
        total: found.total,
        items: found.items,
        step,
    }))
}

#[derive(Template)]
#[template(path = "eservice.html")]
pub(in crate::html) struct EServicePage {
    c: Chrome,
    e: EService,
    saved: bool,
}

impl EServiceWords for EServicePage {
    fn lang(&self) -> Lang {
        self.c.lang
    }
}

impl EServicePage {
    pub fn finding(&self, key: &str) -> String {
        self.c.t(key)
    }
}

pub(in crate::html) fn eservice_id(at: &OrgPath) -> AppResult<EServiceId> {
    Ok(EServiceId(at.params.id("eservice")?))
}

#[derive(serde::Deserialize, Default)]
pub(in crate::html) struct Saved {
    saved: Option<String>,
}

pub(in crate::html) async fn eservice_page(
    cx: Cx,
    at: OrgPath,
    Query(q): Query<Saved>,
) -> AppResult<Response> {
    let e = cx
        .store()
        .eservice(at.id(), eservice_id(&at)?, today())
        .await?;
    Ok(render(&EServicePage {
        c: cx.chrome(Some(at.org), "eservices"),
        e,
        saved: q.saved.is_some(),
    }))
}
