//! The incident compilation for a period, as the API and the coordinator's
//! page both serve it: the period's query (parsed once, for both), the
//! compilation from the store, and its CSV download.

use crate::error::{AppError, AppResult};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate, Utc};
use insyn_domain::OrgId;
use insyn_domain::incident::Compilation;
use insyn_domain::swedish_time::{from_stockholm, stockholm};
use insyn_domain::validation::{self as v, FieldErrors};
use insyn_store::Store;
use serde::Deserialize;

/// The period of a compilation.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// The first day (YYYY-MM-DD); 1 January of this year when left out.
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub from: Option<String>,
    /// The last day (YYYY-MM-DD); 31 December of `from`'s year when left out.
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub to: Option<String>,
    /// `csv` for the figures as CSV (UTF-8, `;`).
    pub format: Option<String>,
}

/// The most days one compilation covers.
const MAX_PERIOD_DAYS: i64 = 3660;

/// A parsed period: its first and last day, and whether CSV is asked for.
#[derive(Debug, Clone, Copy)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub csv: bool,
}

impl PeriodQuery {
    pub fn parse(&self) -> Result<Period, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut day = |field: &str, v: &Option<String>| match v.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => match s.parse::<NaiveDate>() {
                Ok(d) => Some(d),
                Err(_) => {
                    e.add(field, v::NOT_A_DATE);
                    None
                }
            },
        };
        let from = day("from", &self.from);
        let to = day("to", &self.to);
        let year = stockholm(Utc::now()).year();
        let from = from.unwrap_or_else(|| NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default());
        let to = to.unwrap_or_else(|| {
            NaiveDate::from_ymd_opt(from.year_ce().1 as i32, 12, 31).unwrap_or(from)
        });
        if to < from {
            e.add("to", v::END_BEFORE_START);
        } else if (to - from).num_days() > MAX_PERIOD_DAYS {
            e.add("to", v::TOO_LONG);
        }
        let csv = match self.format.as_deref().map(str::trim) {
            None | Some("") | Some("json") => false,
            Some("csv") => true,
            Some(_) => {
                e.add("format", v::UNKNOWN_CHOICE);
                false
            }
        };
        e.into_result(Period { from, to, csv })
    }
}

/// The compilation of the incidents the organisation became aware of from
/// the period's first day to the end of its last (Swedish time).
pub async fn compile(store: &Store, org: OrgId, p: Period) -> AppResult<Compilation> {
    // The days are Swedish days, as every time the pages show: an incident
    // aware at 00:30 on 1 January belongs to the new year, not the old.
    let start = |d: NaiveDate| from_stockholm(d.and_hms_opt(0, 0, 0).unwrap_or_default());
    let end = p.to.succ_opt().unwrap_or(p.to);
    store
        .incident_compilation(org, start(p.from), start(end), Utc::now())
        .await?
        .ok_or_else(|| AppError::Invalid(FieldErrors::single("to", v::TOO_LONG)))
}

/// The compilation as a CSV download named for its period.
pub fn csv_response(p: Period, c: &Compilation) -> Response {
    let name = format!(
        "attachment; filename=\"incidenter-{}-{}.csv\"",
        p.from, p.to
    );
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_owned(),
            ),
            (axum::http::header::CONTENT_DISPOSITION, name),
        ],
        c.to_csv(),
    )
        .into_response()
}
