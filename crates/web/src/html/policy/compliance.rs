//! The compliance dashboard: coverage per förvaltning for every rule and
//! for the headline rules (as bar charts with their data beside them),
//! coverage per rule, and the gaps with who must act.

use super::{Words, holders_text, today};
use crate::AppState;
use crate::error::AppResult;
use crate::html::{Chrome, Here, org_of, render};
use crate::i18n::Lang;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use insyn_domain::SystemId;
use insyn_domain::policy::{ControlScope, Coverage, Finding};
use insyn_store::policy::Compliance;

/// One bar of a chart.
pub struct Bar {
    pub label: String,
    pub coverage: Coverage,
    pub percent: u32,
    pub y: u32,
    pub width: u32,
}

/// A horizontal bar chart drawn on the server, with its data as a table beside it.
pub struct Chart {
    pub id: String,
    pub title: String,
    pub bars: Vec<Bar>,
    pub height: u32,
}

const BAR_HEIGHT: u32 = 26;
const BAR_MAX: u32 = 300;

fn chart(id: &str, title: String, rows: Vec<(String, Coverage)>) -> Chart {
    let bars: Vec<Bar> = rows
        .into_iter()
        .enumerate()
        .map(|(i, (label, coverage))| {
            let percent = coverage.percent().unwrap_or(0);
            Bar {
                label,
                coverage,
                percent,
                y: i as u32 * BAR_HEIGHT,
                width: percent * BAR_MAX / 100,
            }
        })
        .collect();
    Chart {
        id: id.to_owned(),
        title,
        height: (bars.len() as u32).max(1) * BAR_HEIGHT,
        bars,
    }
}

#[derive(Template)]
#[template(path = "compliance.html")]
pub(super) struct CompliancePage {
    c: Chrome,
    compliance: Compliance,
    charts: Vec<Chart>,
    by_rule: Vec<(String, String, Coverage)>,
    /// (system, finding) for every gap, capped.
    gaps: Vec<(SystemId, String, Finding, String)>,
    more: usize,
}

impl CompliancePage {
    pub fn w(&self) -> Words<'_> {
        Words {
            c: &self.c,
            profile: &self.compliance.profile,
        }
    }
    pub fn percent(&self, c: &Coverage) -> String {
        c.percent().map(|p| format!("{p} %")).unwrap_or_default()
    }
    pub fn systems_with_gaps(&self) -> usize {
        self.compliance
            .systems
            .iter()
            .filter(|s| s.gaps().next().is_some())
            .count()
    }
}

const GAP_LIMIT: usize = 300;

pub(in crate::html) async fn compliance_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    Path(org): Path<String>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let compliance = state.store.compliance(o.id, None, today()).await?;
    let c = Chrome::new(lang, &uri, Some(o), "compliance");
    let none = c.t("compliance-no-division");
    let label = |k: String| if k.is_empty() { none.clone() } else { k };
    let p = &compliance.profile.profile;
    let mut charts = vec![chart(
        "all",
        c.t("chart-all-rules"),
        compliance
            .coverage_by_division(None)
            .into_iter()
            .map(|r| (label(r.key), r.coverage))
            .collect(),
    )];
    // The headline rules: the owner, a classification, an approved plan, the first recurring control.
    let headline: Vec<&str> = [
        p.roles.first().map(|r| r.id.as_str()),
        p.artefacts
            .iter()
            .find(|a| a.artefact == "classification")
            .map(|a| a.id.as_str()),
        p.artefacts
            .iter()
            .find(|a| a.artefact == "security_plan")
            .map(|a| a.id.as_str()),
        p.controls
            .iter()
            .find(|a| a.scope == ControlScope::System)
            .map(|a| a.id.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();
    for id in headline {
        let title = p
            .rule(id)
            .map(|r| r.text(lang.code()).to_owned())
            .unwrap_or_default();
        charts.push(chart(
            id,
            title,
            compliance
                .coverage_by_division(Some(id))
                .into_iter()
                .map(|r| (label(r.key), r.coverage))
                .collect(),
        ));
    }
    let by_rule = compliance
        .coverage_by_rule()
        .into_iter()
        .map(|r| {
            let (text, cite) = p
                .rule(&r.key)
                .map(|x| (x.text(lang.code()).to_owned(), x.cite.to_owned()))
                .unwrap_or_default();
            (text, cite, r.coverage)
        })
        .collect();
    let mut gaps = vec![];
    let mut total = 0;
    for s in &compliance.systems {
        for f in s.gaps() {
            total += 1;
            if gaps.len() < GAP_LIMIT {
                let (who, _) = compliance.responsible_for(Some(s), f);
                gaps.push((s.id, s.name.clone(), f.clone(), holders_text(&who)));
            }
        }
    }
    Ok(render(&CompliancePage {
        c,
        more: total - gaps.len(),
        compliance,
        charts,
        by_rule,
        gaps,
    }))
}
