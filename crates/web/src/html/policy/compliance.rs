//! The compliance dashboard: coverage per förvaltning for every rule and
//! for the headline rules (as bar charts with their data beside them),
//! coverage per rule, and the gaps with who must act: paged and filtered by
//! förvaltning, rule, state and responsible person, each chart's row leading
//! to its gaps. Read from the organisation's compliance snapshot.

use super::{Words, holders_text, stale_note, today};
use crate::context::OrgPath;
use crate::error::AppResult;
use crate::html::{Chrome, Cx, render};
use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use insyn_domain::SystemId;
use insyn_domain::policy::{
    COORDINATOR, Coverage, Finding, INCIDENT_LESSONS, LateLessons, RuleKind,
};
use insyn_store::policy::{Compliance, FILTER_STATES, FindingFilter, SnapshotRead};

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
    compliance: SnapshotRead,
    charts: Vec<Chart>,
    by_rule: Vec<(String, String, Coverage)>,
    /// One page of the gaps that pass the filter: (system, finding, who).
    gaps: Vec<(SystemId, String, Finding, String)>,
    /// How many gaps pass the filter, and which of them this page shows.
    total: usize,
    first: usize,
    filter: GapQuery,
    /// The choices of the filter's lists: förvaltningar (value, label) and rules (id, text).
    divisions: Vec<(String, String)>,
    rules: Vec<(String, String)>,
    prev_href: Option<String>,
    next_href: Option<String>,
    lessons: Option<Lessons>,
    /// Said when the snapshot is older than the data.
    stale: Option<String>,
}

/// The gap list's filter, as the page's form sends it (anything unknown is ignored).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub(in crate::html) struct GapQuery {
    #[serde(default)]
    pub division: Option<String>,
    #[serde(default)]
    pub rule: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    /// The responsible person's e-mail address.
    #[serde(default)]
    pub who: Option<String>,
    #[serde(default)]
    pub page: Option<String>,
}

/// Gaps a page.
const PER_PAGE: usize = 50;
/// The longest e-mail address the filter reads.
const MAX_WHO: usize = 320;

impl GapQuery {
    /// Blank fields dropped, an unknown state or rule ignored, the e-mail cut to size.
    fn tidy(mut self, rules: &[(String, String)]) -> Self {
        let keep = |v: Option<String>| v.map(|x| x.trim().to_owned()).filter(|x| !x.is_empty());
        self.division = self.division.filter(|d| d.len() <= 300);
        self.rule = keep(self.rule).filter(|r| rules.iter().any(|(id, _)| id == r));
        self.state = keep(self.state).filter(|s| FILTER_STATES.contains(&s.as_str()));
        self.who = keep(self.who).map(|w| w.chars().take(MAX_WHO).collect());
        self
    }

    fn page(&self) -> usize {
        self.page
            .as_deref()
            .and_then(|p| p.trim().parse::<usize>().ok())
            .unwrap_or(1)
            .clamp(1, 1_000_000)
    }

    /// The filter as the store reads it (the gaps of every state by default).
    fn filter(&self) -> FindingFilter {
        FindingFilter {
            division: self.division.clone(),
            rule: self.rule.clone(),
            state: Some(self.state.clone().unwrap_or_else(|| "gap".to_owned())),
            responsible: self.who.clone(),
        }
    }

    /// This filter's address on page `n`, for the pager.
    fn href(&self, slug: &str, n: usize) -> String {
        let page = n.to_string();
        let pairs: Vec<(&str, &str)> = [
            ("division", self.division.as_deref()),
            ("rule", self.rule.as_deref()),
            ("state", self.state.as_deref()),
            ("who", self.who.as_deref()),
            ("page", Some(page.as_str())),
        ]
        .into_iter()
        .filter_map(|(k, v)| Some((k, v?)))
        .collect();
        let q = serde_urlencoded::to_string(pairs).unwrap_or_default();
        format!("/o/{slug}/compliance?{q}#h-gaps")
    }

    pub fn is(&self, field: &str, value: &str) -> bool {
        let v = match field {
            "division" => &self.division,
            "rule" => &self.rule,
            "state" => &self.state,
            _ => &None,
        };
        v.as_deref() == Some(value)
    }
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
        finding: Finding::new(
            INCIDENT_LESSONS,
            RuleKind::Control,
            "lessons_learned",
            COORDINATOR,
            f.outcome,
        ),
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
    /// Whether a division's name fits the 200 units before a chart's bars
    /// (about 7.5 a character at 13 px); a longer one is squeezed to fit.
    pub fn label_fits(&self, label: &str) -> bool {
        label.chars().count() <= 26
    }
    /// The gaps of one förvaltning (and one chart's rule), for a chart's row.
    pub fn drill(&self, chart: &str, division: &str) -> String {
        let none = self.c.t("compliance-no-division");
        let q = GapQuery {
            division: Some(if division == none {
                String::new()
            } else {
                division.to_owned()
            }),
            rule: (chart != "all").then(|| chart.to_owned()),
            ..GapQuery::default()
        };
        q.href(self.c.org_slug(), 1)
    }
    /// A state's word ("Försenad").
    pub fn state_word(&self, state: &str) -> String {
        self.c.t(&format!("outcome-{}", state.replace('_', "-")))
    }
    /// "Visar 1–50 av 1 234".
    pub fn showing(&self) -> String {
        self.c.lang.t_args(
            "compliance-showing",
            &[
                ("first", (self.first + 1).to_string()),
                ("last", (self.first + self.gaps.len()).to_string()),
                ("total", self.total.to_string()),
            ],
        )
    }
}

pub(in crate::html) async fn compliance_page(
    cx: Cx,
    OrgPath { org, .. }: OrgPath,
    Query(q): Query<GapQuery>,
) -> AppResult<Response> {
    let lang = cx.lang;
    let compliance = cx.store().compliance_snapshot(org.id, today()).await?;
    let slug = org.slug.clone();
    let c = cx.chrome(Some(org), "compliance");
    let none = c.t("compliance-no-division");
    let label = |k: String| if k.is_empty() { none.clone() } else { k };
    let p = &compliance.profile.profile;
    let by_division = |rule: Option<&str>| {
        compliance
            .snapshot
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
        .snapshot
        .coverage_by_rule
        .iter()
        .map(|r| {
            let (text, cite) = p
                .rule(&r.key)
                .map(|x| (x.text(lang.code()).to_owned(), x.cite.to_owned()))
                .unwrap_or_default();
            (text, cite, r.coverage)
        })
        .collect();
    let rules: Vec<(String, String)> = p
        .rule_ids()
        .map(|id| {
            let text = p
                .rule(id)
                .map(|r| r.text(lang.code()).to_owned())
                .unwrap_or_default();
            (id.to_owned(), text)
        })
        .collect();
    let divisions = compliance
        .snapshot
        .coverage_by_division(None)
        .into_iter()
        .map(|r| (r.key.clone(), label(r.key)))
        .collect();
    let q = q.tidy(&rules);
    let filter = q.filter();
    let total = compliance.snapshot.findings_matching(&filter).count();
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page = q.page().min(pages);
    let first = (page - 1) * PER_PAGE;
    let gaps = compliance
        .snapshot
        .findings_matching(&filter)
        .skip(first)
        .take(PER_PAGE)
        .map(|(s, f)| {
            let (who, _) = compliance.responsible_for(Some(s), f);
            (s.id, s.name.clone(), f.clone(), holders_text(&who))
        })
        .collect();
    let prev_href = (page > 1).then(|| q.href(&slug, page - 1));
    let next_href = (page < pages).then(|| q.href(&slug, page + 1));
    Ok(render(&CompliancePage {
        stale: stale_note(&c, &compliance),
        c,
        lessons: lessons(&compliance, lang.code()),
        compliance,
        charts,
        by_rule,
        gaps,
        total,
        first,
        filter: q,
        divisions,
        rules,
        prev_href,
        next_href,
    }))
}
