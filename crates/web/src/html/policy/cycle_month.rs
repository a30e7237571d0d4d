//! A month of the årshjul: the systems whose controls fall due in it, were
//! due and missed, or were performed in it (from the records), for one
//! control or every control of the profile, 50 a page, each linking to the
//! system and the form that does the control.

use super::cycle::page_year;
use super::today;
use crate::context::OrgPath;
use crate::error::AppResult;
use crate::html::{Chrome, Cx, render};
use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use chrono::Datelike;
use insyn_domain::policy::{ANNUAL_REVIEW, CLASSIFICATION_REVIEW, ControlRule, MonthState};
use insyn_domain::{Page, PageRequest};
use insyn_store::policy::CycleEntry;

/// How many systems a page of the month's list shows.
pub const MONTH_PAGE: u32 = 50;

#[derive(serde::Deserialize)]
pub(in crate::html) struct MonthQuery {
    year: Option<i32>,
    month: Option<u32>,
    /// A control rule's id; every control when absent or unknown.
    control: Option<String>,
    state: Option<String>,
    page: Option<u32>,
}

/// One line of the list, in words.
pub struct MonthLine {
    pub system: String,
    pub system_href: Option<String>,
    pub control: String,
    pub on: String,
    pub result: Option<String>,
    pub form_href: String,
}

#[derive(Template)]
#[template(path = "cycle_month.html")]
pub(super) struct CycleMonthPage {
    c: Chrome,
    year: i32,
    month: u32,
    month_name: String,
    state: &'static str,
    /// The control chosen, by its rule id.
    control: Option<String>,
    /// (rule id, name) of every control of the profile.
    controls: Vec<(String, String)>,
    /// (state, its words, link) for each list of the month.
    states: Vec<(&'static str, String, String)>,
    lines: Vec<MonthLine>,
    total: i64,
    prev_href: Option<String>,
    next_href: Option<String>,
    /// Said when the snapshot is older than the data.
    stale: Option<String>,
}

/// Where a control is performed: its form on the system, or the
/// organisation's own on the årshjul.
fn form_href(org: &str, e: &CycleEntry) -> String {
    let Some((id, _)) = &e.system else {
        return format!("/o/{org}/cycle#org-controls");
    };
    let sys = format!("/o/{org}/systems/{id}");
    match e.control.as_str() {
        ANNUAL_REVIEW => format!("{sys}/compliance#reviews"),
        CLASSIFICATION_REVIEW => format!("{sys}/security#sets"),
        code => format!("{sys}/compliance?control={code}#controls"),
    }
}

pub(in crate::html) async fn cycle_month(
    cx: Cx,
    OrgPath { org, .. }: OrgPath,
    Query(q): Query<MonthQuery>,
) -> AppResult<Response> {
    let year = page_year(q.year);
    let month = q
        .month
        .filter(|m| (1..=12).contains(m))
        .unwrap_or(today().month());
    let state = q
        .state
        .as_deref()
        .and_then(MonthState::parse)
        .unwrap_or(MonthState::Due);
    let compliance = cx.store().compliance_snapshot(org.id, today()).await?;
    let profile = &compliance.profile.profile;
    let chosen = q
        .control
        .as_deref()
        .filter(|c| profile.controls.iter().any(|r| r.id == *c));
    let rules: Vec<&ControlRule> = profile
        .controls
        .iter()
        .filter(|r| chosen.is_none_or(|c| r.id == c))
        .collect();
    let page = PageRequest::new(q.page, Some(MONTH_PAGE));
    let found: Page<CycleEntry> = match state {
        MonthState::Done => {
            cx.store()
                .performed_in_month(org.id, &rules, year, month, page)
                .await?
        }
        s => compliance
            .snapshot
            .due_in_month(&rules, year, month, s, page),
    };
    let lang = cx.lang.code();
    let control_name = |code: &str| {
        profile
            .control(code)
            .map(|r| r.name(lang).to_owned())
            .unwrap_or_else(|| code.to_owned())
    };
    let slug = &org.slug;
    let lines = found
        .items
        .iter()
        .map(|e| MonthLine {
            system: match &e.system {
                Some((_, name)) => name.clone(),
                None => org.name.clone(),
            },
            system_href: e
                .system
                .as_ref()
                .map(|(id, _)| format!("/o/{slug}/systems/{id}")),
            control: control_name(&e.control),
            on: e.on.to_string(),
            result: e
                .result
                .as_ref()
                .map(|r| cx.t(&format!("control-result-{r}"))),
            form_href: form_href(slug, e),
        })
        .collect();
    let link = |state: &str, page: Option<u32>| {
        let mut p: Vec<(&str, String)> = vec![
            ("year", year.to_string()),
            ("month", month.to_string()),
            ("state", state.to_owned()),
        ];
        if let Some(c) = chosen {
            p.push(("control", c.to_owned()));
        }
        if let Some(n) = page {
            p.push(("page", n.to_string()));
        }
        format!(
            "/o/{slug}/cycle/month?{}",
            serde_urlencoded::to_string(&p).unwrap_or_default()
        )
    };
    let prev_href = (found.page > 1).then(|| link(state.as_str(), Some(found.page - 1)));
    let next_href =
        (found.page < found.pages()).then(|| link(state.as_str(), Some(found.page + 1)));
    let states = MonthState::ALL
        .into_iter()
        .map(|s| {
            let key = format!("cycle-state-{}", s.as_str());
            (s.as_str(), cx.t(&key), link(s.as_str(), None))
        })
        .collect();
    let c = cx.chrome(Some(org.clone()), "cycle");
    let page = CycleMonthPage {
        year,
        month,
        month_name: c.t(&format!("incident-month-{month}")),
        state: state.as_str(),
        control: chosen.map(str::to_owned),
        controls: profile
            .controls
            .iter()
            .map(|r| (r.id.clone(), r.name(lang).to_owned()))
            .collect(),
        states,
        lines,
        total: found.total,
        prev_href,
        next_href,
        stale: super::stale_note(&c, &compliance),
        c,
    };
    Ok(render(&page))
}
