//! The årshjul: when each control of the profile falls due in a year, by
//! month, and the organisation's own controls (recorded here).

use super::{Words, control_draft, today};
use crate::AppState;
use crate::context::OrgPath;
use crate::error::AppResult;
use crate::extract::RequestActor;
use crate::forms::FormData;
use crate::html::{Chrome, Here, form_status, render_status};
use crate::i18n::Lang;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use insyn_domain::policy::{ControlRule, Finding};
use insyn_domain::{FieldErrors, Organisation};
use insyn_store::StoreError;
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
        self.profile
            .profile
            .control(code)
            .map_or(code, |c| c.name(self.c.lang.code()))
            .to_owned()
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
    state: &AppState,
    lang: Lang,
    uri: &Here,
    o: Organisation,
    year: i32,
    errors: FieldErrors,
) -> AppResult<Response> {
    let compliance = state.store.compliance(o.id, None, today()).await?;
    let records = state.store.control_records(o.id, None).await?;
    let p = &compliance.profile.profile;
    let name = |c: &ControlRule| c.name(lang.code()).to_owned();
    let rows = compliance
        .year_plan(year)
        .into_iter()
        .map(|r| CycleRow {
            name: name(r.rule),
            organisation: r.organisation(),
            months: r.months,
            overdue: r.overdue,
        })
        .collect();
    let org_controls = compliance
        .organisation
        .iter()
        .map(|f| {
            let name = p.control(&f.subject).map(name).unwrap_or_default();
            (f.subject.clone(), name, f.clone())
        })
        .collect();
    let status = form_status(&errors);
    Ok(render_status(
        status,
        &CyclePage {
            c: Chrome::new(lang, uri, Some(o), "cycle"),
            year,
            rows,
            org_controls,
            records,
            profile: compliance.profile,
            errors,
        },
    ))
}

pub(in crate::html) async fn cycle_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    OrgPath { org: o, .. }: OrgPath,
    Query(q): Query<YearQuery>,
) -> AppResult<Response> {
    let year = q
        .year
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or(today().year());
    cycle_view(&state, lang, &uri, o, year, FieldErrors::new()).await
}

/// Records one of the organisation's own controls (a policy revision).
pub(in crate::html) async fn record_org_control(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    OrgPath { org: o, .. }: OrgPath,
    body: Bytes,
) -> AppResult<Response> {
    let f = FormData::parse(&body);
    let mut e = FieldErrors::new();
    let draft = control_draft(&f, &mut e);
    let result = if e.is_empty() {
        state.store.record_control(&actor, o.id, None, draft).await
    } else {
        Err(StoreError::Invalid(e))
    };
    match result {
        Ok(_) => {
            Ok(Redirect::to(&format!("/o/{}/cycle?saved=1#org-controls", o.slug)).into_response())
        }
        Err(StoreError::Invalid(e)) => cycle_view(&state, lang, &uri, o, today().year(), e).await,
        Err(e) => Err(e.into()),
    }
}
