//! The compliance dashboard: coverage per förvaltning for every rule and
//! for the headline rules (as bar charts with their data beside them),
//! coverage per rule, and the gaps with who must act.

use super::{Words, holders_text, today};
use crate::context::OrgPath;
use crate::error::AppResult;
use crate::html::{Chrome, Cx, render};
use askama::Template;
use axum::response::Response;
use insyn_domain::SystemId;
use insyn_domain::policy::{
    COORDINATOR, Coverage, Finding, INCIDENT_LESSONS, LateLessons, RuleKind,
};
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
    lessons: Option<Lessons>,
}

/// The lessons-learned finding of closed incidents, as the page shows it.
pub struct Lessons {
    pub text: String,
    pub cite: String,
    /// The finding's outcome, for the words every finding uses.
    pub finding: Finding,
    pub late: Vec<LateLessons>,
}

fn lessons(compliance: &Compliance, lang: &str) -> Option<Lessons> {
    let f = compliance.incident_lessons.as_ref()?;
    let rule = compliance.profile.profile.incidents.as_ref()?;
    Some(Lessons {
        text: if lang == "en" {
            &rule.text_en
        } else {
            &rule.text_sv
        }
        .clone(),
        cite: rule.cite.clone(),
        finding: Finding {
            rule_id: INCIDENT_LESSONS.to_owned(),
            kind: RuleKind::Control,
            subject: "lessons_learned".to_owned(),
            responsible: COORDINATOR.to_owned(),
            outcome: f.outcome,
        },
        late: f.late.clone(),
    })
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
}

const GAP_LIMIT: usize = 300;

pub(in crate::html) async fn compliance_page(
    cx: Cx,
    OrgPath { org, .. }: OrgPath,
) -> AppResult<Response> {
    let lang = cx.lang;
    let compliance = cx.store().compliance(org.id, None, today()).await?;
    let c = cx.chrome(Some(org), "compliance");
    let none = c.t("compliance-no-division");
    let label = |k: String| if k.is_empty() { none.clone() } else { k };
    let p = &compliance.profile.profile;
    let by_division = |rule: Option<&str>| {
        compliance
            .coverage_by_division(rule)
            .into_iter()
            .map(|r| (label(r.key), r.coverage))
            .collect()
    };
    let mut charts = vec![chart("all", c.t("chart-all-rules"), by_division(None))];
    for id in p.headline_rules() {
        let title = p
            .rule(id)
            .map(|r| r.text(lang.code()).to_owned())
            .unwrap_or_default();
        charts.push(chart(id, title, by_division(Some(id))));
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
    let gaps: Vec<_> = compliance
        .gaps()
        .take(GAP_LIMIT)
        .map(|(s, f)| {
            let (who, _) = compliance.responsible_for(Some(s), f);
            (s.id, s.name.clone(), f.clone(), holders_text(&who))
        })
        .collect();
    Ok(render(&CompliancePage {
        c,
        lessons: lessons(&compliance, lang.code()),
        more: compliance.gaps().count() - gaps.len(),
        compliance,
        charts,
        by_rule,
        gaps,
    }))
}
