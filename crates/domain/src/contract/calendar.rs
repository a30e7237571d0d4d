//! Calendar arithmetic for contract terms, by the Swedish rule for periods
//! in months (lag 1930:173 om beräkning av lagstadgad tid): a period of N
//! months from a date ends on the same day number N months later, or on
//! that month's last day when it has no such day; and a period counted from
//! a month's last day ends on a month's last day.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The last day of `d`'s month.
pub fn last_of_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|f| f.pred_opt())
        .unwrap_or(d)
}

pub fn is_last_of_month(d: NaiveDate) -> bool {
    d == last_of_month(d)
}

/// `d` plus `n` months: the same day number, the month's last day where
/// it has none, and a month's last day from a month's last day.
pub fn months_after(d: NaiveDate, n: u32) -> NaiveDate {
    let t = d.checked_add_months(Months::new(n)).unwrap_or(d);
    if is_last_of_month(d) {
        last_of_month(t)
    } else {
        t
    }
}

/// `d` minus `n` months, with the same rules as [`months_after`].
pub fn months_before(d: NaiveDate, n: u32) -> NaiveDate {
    let t = d.checked_sub_months(Months::new(n)).unwrap_or(d);
    if is_last_of_month(d) {
        last_of_month(t)
    } else {
        t
    }
}

/// The last day of a term of `n` months that starts on `start`: the day
/// before the same day number `n` months later, or the last day of that
/// month when it has no such day (31 January + 1 month ends on the last
/// day of February).
pub fn term_end(start: NaiveDate, n: u32) -> NaiveDate {
    if n == 0 {
        return start;
    }
    let first = start.with_day(1).unwrap_or(start);
    let target = first.checked_add_months(Months::new(n)).unwrap_or(first);
    if start.day() > last_of_month(target).day() {
        last_of_month(target)
    } else {
        start
            .checked_add_months(Months::new(n))
            .and_then(|d| d.pred_opt())
            .unwrap_or(start)
    }
}

/// What a notice period runs to ("räknat till utgången av …").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EndOf {
    /// The notice runs out on the day itself.
    #[default]
    Day,
    Month,
    Quarter,
    Year,
}

impl EndOf {
    pub const ALL: &'static [EndOf] = &[EndOf::Day, EndOf::Month, EndOf::Quarter, EndOf::Year];

    pub fn as_str(self) -> &'static str {
        match self {
            EndOf::Day => "day",
            EndOf::Month => "month",
            EndOf::Quarter => "quarter",
            EndOf::Year => "year",
        }
    }

    pub fn parse(s: &str) -> Option<EndOf> {
        Self::ALL.iter().copied().find(|e| e.as_str() == s.trim())
    }

    /// The first day at or after `d` on which a notice under this rule may
    /// run out: `d` itself, or the end of its month, quarter or year.
    pub fn align(self, d: NaiveDate) -> NaiveDate {
        match self {
            EndOf::Day => d,
            EndOf::Month => last_of_month(d),
            EndOf::Quarter => {
                let q_last_month = (d.month() - 1) / 3 * 3 + 3;
                NaiveDate::from_ymd_opt(d.year(), q_last_month, 1)
                    .map(last_of_month)
                    .unwrap_or(d)
            }
            EndOf::Year => NaiveDate::from_ymd_opt(d.year(), 12, 31).unwrap_or(d),
        }
    }
}
