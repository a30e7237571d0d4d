//! Durations as people enter them (a number of minutes, hours or days) and
//! as they are shown, stored as whole minutes.

use crate::validation as v;
use serde::Serialize;

/// A unit a duration is entered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    Minutes,
    Hours,
    Days,
}

impl TimeUnit {
    pub const ALL: [TimeUnit; 3] = [TimeUnit::Minutes, TimeUnit::Hours, TimeUnit::Days];

    pub fn as_str(self) -> &'static str {
        match self {
            TimeUnit::Minutes => "minutes",
            TimeUnit::Hours => "hours",
            TimeUnit::Days => "days",
        }
    }

    pub fn parse(s: &str) -> Option<TimeUnit> {
        TimeUnit::ALL.into_iter().find(|u| u.as_str() == s)
    }

    pub fn minutes(self) -> i64 {
        match self {
            TimeUnit::Minutes => 1,
            TimeUnit::Hours => 60,
            TimeUnit::Days => 24 * 60,
        }
    }

    /// The largest unit that divides `minutes` evenly (for showing a value
    /// in the form it was entered in).
    pub fn fitting(minutes: i64) -> TimeUnit {
        if minutes != 0 && minutes % TimeUnit::Days.minutes() == 0 {
            TimeUnit::Days
        } else if minutes % 60 == 0 {
            TimeUnit::Hours
        } else {
            TimeUnit::Minutes
        }
    }
}

/// A duration typed in a form: a number (decimals with `.` or `,`) and a
/// unit; empty is none. The error is a message key.
pub fn parse_duration(value: &str, unit: &str) -> Result<Option<i64>, &'static str> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let unit = TimeUnit::parse(unit).ok_or(v::UNKNOWN_CHOICE)?;
    let n: f64 = value
        .replace(',', ".")
        .replace([' ', '\u{a0}'], "")
        .parse()
        .map_err(|_| v::NOT_A_NUMBER)?;
    if !n.is_finite() {
        return Err(v::NOT_A_NUMBER);
    }
    if n <= 0.0 {
        return Err(super::NOT_POSITIVE);
    }
    let minutes = (n * unit.minutes() as f64).round();
    if minutes > super::MAX_MINUTES as f64 {
        return Err(super::TOO_LARGE);
    }
    Ok(Some((minutes as i64).max(1)))
}

/// A duration in a few words: "45 min", "6 h", "1 h 30 min", "2 d", "1 d 4 h".
pub fn format_minutes(m: i64) -> String {
    let (d, h, min) = (m / 1440, (m % 1440) / 60, m % 60);
    let parts: Vec<String> = [(d, "d"), (h, "h"), (min, "min")]
        .into_iter()
        .filter(|(n, _)| *n != 0)
        .map(|(n, u)| format!("{n} {u}"))
        .collect();
    if parts.is_empty() {
        "0 min".into()
    } else {
        parts.join(" ")
    }
}
