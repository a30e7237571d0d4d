//! The årshjul in the API: per control of the profile, how many fall due,
//! were missed and were done in each month of a year, and a month's list of
//! systems (the same counts and lists as the page, from the same sources).

use crate::AppState;
use crate::api::support::area;
use crate::context::OrgPath;
use crate::error::{AppError, AppResult};
use crate::extract::Query;
use crate::query::strict::OUT_OF_RANGE;
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use insyn_domain::FieldErrors;
use insyn_domain::policy::{ControlRule, MonthState};
use insyn_domain::validation as v;
use insyn_store::policy::CycleEntry;
use serde::{Deserialize, Serialize};

area! {
    GET "/orgs/{org}/cycle" => get_cycle, Read;
    GET "/orgs/{org}/cycle/month" => get_cycle_month, Read;
}

use crate::nav::today;

/// Digits only (no sign, no spaces), as the documented patterns say.
fn digits(s: &str, max_len: usize) -> Option<u32> {
    (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// The year asked for (this year when absent or empty), 2000–2100.
fn year(y: &Option<String>, e: &mut FieldErrors) -> i32 {
    match y.as_deref().filter(|y| !y.is_empty()) {
        None => today().year(),
        Some(y) => match digits(y, 4) {
            Some(y) if (2000..=2100).contains(&y) => y as i32,
            _ => {
                e.add("year", OUT_OF_RANGE);
                0
            }
        },
    }
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CycleQuery {
    /// The calendar year, 2000–2100 (this year when absent or empty).
    #[param(pattern = r"^(20[0-9][0-9]|2100)?$")]
    pub year: Option<String>,
}

/// One control's line of the årshjul; each array has twelve numbers, January first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CycleControl {
    pub rule_id: String,
    /// The control's code (`access_review`, …).
    pub control: String,
    pub name_sv: String,
    pub name_en: String,
    /// Performed once for the organisation rather than on each system.
    pub organisation: bool,
    /// How many fall due in each month (from today on, and again an
    /// interval after a missed date).
    pub due: Vec<usize>,
    /// How many were due in each month and are still not done.
    pub missed: Vec<usize>,
    /// How many were performed in each month (from the records).
    pub done: Vec<usize>,
    /// How many are overdue today.
    pub overdue: usize,
}

/// The årshjul of one year.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CycleYear {
    pub year: i32,
    /// The day the due counts were judged on.
    pub today: NaiveDate,
    /// When the compliance snapshot the due counts come from was computed.
    pub computed_at: DateTime<Utc>,
    /// False when the data changed since and a newer snapshot is being computed.
    pub current: bool,
    pub controls: Vec<CycleControl>,
}

/// The årshjul: per control of the profile, how many fall due, were missed
/// and were done in each month of the year.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/cycle", tag = "policy",
    params(("org" = String, Path), CycleQuery),
    responses((status = 200, body = CycleYear), (status = 404), (status = 422)))]
async fn get_cycle(
    State(state): State<AppState>,
    at: OrgPath,
    Query(q): Query<CycleQuery>,
) -> AppResult<Json<CycleYear>> {
    let mut e = FieldErrors::new();
    let year = year(&q.year, &mut e);
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    let snap = state.store.compliance_snapshot(at.id(), today()).await?;
    let rules: Vec<&ControlRule> = snap.profile.profile.controls.iter().collect();
    let performed = state.store.performed_in_year(at.id(), &rules, year).await?;
    let counts = snap.snapshot.year_counts(year);
    let controls = snap
        .year_plan_from(&counts, &performed, year)
        .into_iter()
        .map(|r| CycleControl {
            rule_id: r.rule.id.clone(),
            control: r.rule.control.clone(),
            name_sv: r.rule.name_sv.clone(),
            name_en: r.rule.name_en.clone(),
            organisation: r.organisation(),
            due: r.months.to_vec(),
            missed: r.missed.to_vec(),
            done: r.done.to_vec(),
            overdue: r.overdue,
        })
        .collect();
    Ok(Json(CycleYear {
        year,
        today: snap.today,
        computed_at: snap.snapshot.computed_at,
        current: snap.current,
        controls,
    }))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CycleMonthQuery {
    /// The calendar year, 2000–2100 (this year when absent or empty).
    #[param(pattern = r"^(20[0-9][0-9]|2100)?$")]
    pub year: Option<String>,
    /// The month, 1–12.
    #[param(pattern = r"^(0?[1-9]|1[0-2])$")]
    pub month: String,
    /// A control's rule id in the profile (every control when absent; one the
    /// profile lacks matches nothing).
    #[param(max_length = 100)]
    pub control: Option<String>,
    /// `due` (the default), `missed` (due then and still not done) or `done`.
    #[param(pattern = "^(due|missed|done)?$")]
    pub state: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

/// A system (or the organisation) in a month's list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CycleEntryOut {
    /// The system; absent for the organisation's own control.
    pub system_id: Option<uuid::Uuid>,
    pub system_name: Option<String>,
    /// The control's code.
    pub control: String,
    /// When it is (or was) due, or when it was performed.
    pub on: NaiveDate,
    /// For a performance: `ok` or `remarks`.
    pub result: Option<String>,
}

impl From<CycleEntry> for CycleEntryOut {
    fn from(e: CycleEntry) -> Self {
        let (system_id, system_name) = match e.system {
            Some((id, name)) => (Some(id.0), Some(name)),
            None => (None, None),
        };
        Self {
            system_id,
            system_name,
            control: e.control,
            on: e.on,
            result: e.result,
        }
    }
}

crate::api::support::list_type!(CycleMonthPage(CycleEntryOut));

/// A month of the årshjul: the systems whose control falls due then, was
/// due then and is still not done, or was performed then, paged.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/cycle/month", tag = "policy",
    params(("org" = String, Path), CycleMonthQuery),
    responses((status = 200, body = CycleMonthPage), (status = 400), (status = 404), (status = 422)))]
async fn get_cycle_month(
    State(state): State<AppState>,
    at: OrgPath,
    Query(q): Query<CycleMonthQuery>,
) -> AppResult<Json<CycleMonthPage>> {
    let page = crate::query::PagingQuery {
        page: q.page.clone(),
        per_page: q.per_page.clone(),
    }
    .parse()
    .map_err(AppError::Invalid)?;
    let mut e = FieldErrors::new();
    let year = year(&q.year, &mut e);
    let month = match digits(&q.month, 2) {
        Some(m) if (1..=12).contains(&m) => m,
        _ => {
            e.add("month", OUT_OF_RANGE);
            0
        }
    };
    let st = match q.state.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(MonthState::Due),
        Some(s) => MonthState::parse(s),
    };
    let Some(st) = st else {
        e.add_choice("state", &MonthState::ALL.map(MonthState::as_str));
        return Err(AppError::Invalid(e));
    };
    let control = q
        .control
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if control.is_some_and(|c| c.chars().count() > 100) {
        e.add("control", v::TOO_LONG);
    }
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    let snap = state.store.compliance_snapshot(at.id(), today()).await?;
    let rules: Vec<&ControlRule> = snap
        .profile
        .profile
        .controls
        .iter()
        .filter(|r| control.is_none_or(|c| r.id == c))
        .collect();
    let found = match st {
        MonthState::Done => {
            state
                .store
                .performed_in_month(at.id(), &rules, year, month, page)
                .await?
        }
        s => snap.snapshot.due_in_month(&rules, year, month, s, page),
    };
    Ok(Json(found.into()))
}
