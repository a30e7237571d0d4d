//! The årshjul: when each control of the profile falls due in a year, by
//! month, and the organisation's own controls (recorded here).

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

pub struct CycleRow {
    pub name: String,
    pub months: [usize; 12],
    pub overdue: usize,
    pub organisation: bool,
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
    let mut rows: Vec<CycleRow> = compliance
        .year_plan(year)
        .into_iter()
        .map(|r| CycleRow {
            name: name(r.rule),
            organisation: r.organisation(),
            months: r.months,
            overdue: r.overdue,
        })
        .collect();
    let planned = planned_year(cx, o.id, &o.slug, &compliance, year).await?;
    rows.push(CycleRow {
        name: cx.t("cycle-planned-restores"),
        organisation: false,
        months: planned.months,
        overdue: planned.overdue,
    });
    let org_controls = compliance
        .organisation
        .iter()
        .map(|f| {
            let name = p.control(&f.subject).map(name).unwrap_or_default();
            (f.subject.clone(), name, f.clone())
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
    let year = q
        .year
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or(today().year());
    cycle_view(&cx, org, year, FieldErrors::new()).await
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
