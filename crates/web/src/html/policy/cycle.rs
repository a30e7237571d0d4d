//! The årshjul: when each control of the profile falls due in a year, by
//! month, what was done (from the records) and missed, each count linking
//! to its month's list of systems; and the organisation's own controls
//! (recorded here).

use super::{Words, control_draft, today};
use crate::context::OrgPath;
use crate::error::AppResult;
use crate::forms::FormData;
use crate::html::continuity::planned::{PlannedYear, planned_year};
use crate::html::{Chrome, Cx, Posted, form_page, see, submit};
use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use chrono::Datelike;
use insyn_domain::policy::{ControlRule, Finding};
use insyn_domain::{FieldErrors, Organisation};
use insyn_store::policy::{ControlRecord, StoredProfile};

/// One count in a month's cell, linking to the systems it counts.
pub struct CycleCount {
    pub text: String,
    pub href: Option<String>,
    pub class: &'static str,
}

pub struct CycleRow {
    pub name: String,
    /// Each month's counts: done, missed, due (only those above zero).
    pub cells: Vec<Vec<CycleCount>>,
    pub overdue: usize,
    pub organisation: bool,
}

/// Which months of `year` have passed, are current or are to come: done
/// and missed show up to this month, due from it on.
fn phase(year: i32, month0: usize) -> std::cmp::Ordering {
    let t = today();
    (year, month0 as u32).cmp(&(t.year(), t.month0()))
}

/// The counts of one cell, each a link to the month's list (with the
/// control's rule id, or every control for the month's total).
fn cell(
    cx: &Cx,
    base: &str,
    rule: Option<&str>,
    year: i32,
    m: usize,
    [done, missed, due]: [usize; 3],
) -> Vec<CycleCount> {
    use std::cmp::Ordering::*;
    let p = phase(year, m);
    let link = |state: &str| {
        let control = rule.map(|r| format!("&control={r}")).unwrap_or_default();
        Some(format!(
            "{base}/cycle/month?year={year}&month={}&state={state}{control}",
            m + 1
        ))
    };
    let mut out = vec![];
    if done > 0 && p != Greater {
        out.push(CycleCount {
            text: cx.lang.t_with("cycle-n-done", "n", done),
            href: link("done"),
            class: "ok",
        });
    }
    if missed > 0 {
        out.push(CycleCount {
            text: cx.lang.t_with("cycle-n-missed", "n", missed),
            href: link("missed"),
            class: "late",
        });
    }
    if due > 0 && p != Less {
        out.push(CycleCount {
            text: cx.lang.t_with("cycle-n-due", "n", due),
            href: link("due"),
            class: "soon",
        });
    }
    out
}

#[derive(Template)]
#[template(path = "cycle.html")]
pub(super) struct CyclePage {
    c: Chrome,
    year: i32,
    rows: Vec<CycleRow>,
    /// The organisation's own controls: (control code, name, finding, last records).
    org_controls: Vec<(String, String, Finding)>,
    records: Vec<ControlRecord>,
    profile: StoredProfile,
    errors: FieldErrors,
    /// The restore tests planned for the year and not yet performed.
    planned: PlannedYear,
    /// Said when the snapshot is older than the data.
    stale: Option<String>,
}

impl CyclePage {
    pub fn months(&self) -> Vec<String> {
        (1..=12).map(|m| self.c.t(&format!("month-{m}"))).collect()
    }
    pub fn w(&self) -> Words<'_> {
        Words {
            c: &self.c,
            profile: &self.profile,
        }
    }
    pub fn control_name(&self, code: &str) -> String {
        match self.profile.profile.control(code) {
            Some(c) => c.name(self.c.lang.code()).to_owned(),
            None => super::unnamed_control(&self.c, code),
        }
    }
    pub fn result(&self, r: &str) -> String {
        self.c.t(&format!("control-result-{r}"))
    }
}

#[derive(serde::Deserialize)]
pub(in crate::html) struct YearQuery {
    year: Option<i32>,
}

async fn cycle_view(
    cx: &Cx,
    o: Organisation,
    year: i32,
    errors: FieldErrors,
) -> AppResult<Response> {
    let compliance = cx.store().compliance_snapshot(o.id, today()).await?;
    let records = cx.store().control_records(o.id, None).await?;
    let p = &compliance.profile.profile;
    let name = |c: &ControlRule| c.name(cx.lang.code()).to_owned();
    let rules: Vec<&ControlRule> = p.controls.iter().collect();
    let performed = cx.store().performed_in_year(o.id, &rules, year).await?;
    let counts = compliance.snapshot.year_counts(year);
    let plan = compliance.year_plan_from(&counts, &performed, year);
    let base = format!("/o/{}", o.slug);
    let mut total = [[0usize; 3]; 12];
    let mut rows: Vec<CycleRow> = plan
        .iter()
        .map(|r| CycleRow {
            name: name(r.rule),
            organisation: r.organisation(),
            cells: (0..12)
                .map(|m| {
                    let n = [r.done[m], r.missed[m], r.months[m]];
                    for (t, n) in total[m].iter_mut().zip(n) {
                        *t += n;
                    }
                    cell(cx, &base, Some(&r.rule.id), year, m, n)
                })
                .collect(),
            overdue: r.overdue,
        })
        .collect();
    rows.push(CycleRow {
        name: cx.t("cycle-total"),
        organisation: false,
        cells: (0..12)
            .map(|m| cell(cx, &base, None, year, m, total[m]))
            .collect(),
        overdue: plan.iter().map(|r| r.overdue).sum(),
    });
    let planned = planned_year(cx, o.id, &o.slug, &compliance, year).await?;
    rows.push(CycleRow {
        name: cx.t("cycle-planned-restores"),
        organisation: false,
        cells: planned
            .months
            .iter()
            .map(|&n| {
                (n > 0)
                    .then(|| CycleCount {
                        text: n.to_string(),
                        href: None,
                        class: "",
                    })
                    .into_iter()
                    .collect()
            })
            .collect(),
        overdue: planned.overdue,
    });
    let org_controls = compliance
        .organisation
        .iter()
        .map(|f| {
            let name = p.control(f.subject()).map(name).unwrap_or_default();
            (f.subject().to_string(), name, f.clone())
        })
        .collect();
    let c = cx.chrome(Some(o), "cycle");
    let page = CyclePage {
        year,
        rows,
        org_controls,
        records,
        stale: super::stale_note(&c, &compliance),
        c,
        profile: compliance.profile.clone(),
        errors,
        planned,
    };
    Ok(form_page(&page.errors, &page))
}

pub(in crate::html) async fn cycle_page(
    cx: Cx,
    OrgPath { org, .. }: OrgPath,
    Query(q): Query<YearQuery>,
) -> AppResult<Response> {
    cycle_view(&cx, org, page_year(q.year), FieldErrors::new()).await
}

/// The year a page asks for, this year when it asks for none or one out of range.
pub(super) fn page_year(year: Option<i32>) -> i32 {
    year.filter(|y| (2000..=2100).contains(y))
        .unwrap_or(today().year())
}

/// Records one of the organisation's own controls (a policy revision).
pub(in crate::html) async fn record_org_control(
    cx: Cx,
    OrgPath { org, .. }: OrgPath,
    form: FormData,
) -> AppResult<Response> {
    let record = async |d| cx.store().record_control(&cx.actor, org.id, None, d).await;
    match submit(control_draft(&form), record).await? {
        Posted::Done(_) => see(format!("/o/{}/cycle?saved=1#org-controls", org.slug)),
        Posted::Invalid(e) => cycle_view(&cx, org, today().year(), e).await,
    }
}
