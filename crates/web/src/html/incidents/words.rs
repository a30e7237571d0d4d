//! An incident's clocks in plain words, in Swedish time
//! (`insyn_domain::swedish_time`): "Anmälan till IMY senast tisdag 9
//! december kl. 14.32 – 41 timmar kvar".

use crate::i18n::Lang;
use chrono::{DateTime, Datelike, NaiveDateTime, Timelike, Utc, Weekday};
use insyn_domain::incident::{Clock, ClockState, NotApplicable};
use insyn_domain::swedish_time::{from_stockholm, stockholm};

/// A moment for a form's `datetime-local` field, in Stockholm time.
pub fn local_input(at: DateTime<Utc>) -> String {
    stockholm(at).format("%Y-%m-%dT%H:%M").to_string()
}

/// A `datetime-local` value (Stockholm time) as a moment.
pub fn parse_local(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .ok()
        .map(from_stockholm)
}

fn weekday_number(w: Weekday) -> u32 {
    w.number_from_monday()
}

/// "tisdag 9 december kl. 14.32" / "Tuesday 9 December at 14:32", with
/// the year when it is not this year.
pub fn when(lang: Lang, at: DateTime<Utc>) -> String {
    when_seen(lang, at, Utc::now())
}

fn when_seen(lang: Lang, at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let t = stockholm(at);
    let year = if t.year() == stockholm(now).year() {
        String::new()
    } else {
        format!(" {}", t.year())
    };
    let day = lang.t(&format!("incident-weekday-{}", weekday_number(t.weekday())));
    let month = lang.t(&format!("incident-month-{}", t.month()));
    lang.t_args(
        "incident-when",
        &[
            ("weekday", day),
            ("day", t.day().to_string()),
            ("month", month),
            ("year", year),
            ("hour", format!("{:02}", t.hour())),
            ("minute", format!("{:02}", t.minute())),
        ],
    )
}

/// A span of minutes in the unit that reads best: minutes under an hour,
/// hours under three days, days beyond.
pub fn span(lang: Lang, minutes: i64) -> String {
    let m = minutes.max(0);
    if m < 60 {
        lang.t_count("incident-minutes", m)
    } else if m < 72 * 60 {
        lang.t_count("incident-hours", m / 60)
    } else {
        lang.t_count("incident-days", m / (24 * 60))
    }
}

/// Where a clock stands, in words; the first part is the deadline ("senast
/// …"), the second its state.
pub fn clock_state(lang: Lang, c: &Clock) -> String {
    match &c.state {
        ClockState::Running { minutes_left } => {
            lang.t_with("incident-clock-left", "span", span(lang, *minutes_left))
        }
        ClockState::AwaitingAssessment { minutes_left } => {
            lang.t_with("incident-clock-awaiting", "span", span(lang, *minutes_left))
        }
        ClockState::Met { at, late: false } => {
            lang.t_with("incident-clock-met", "when", when(lang, *at))
        }
        ClockState::Met { at, late: true } => {
            lang.t_with("incident-clock-met-late", "when", when(lang, *at))
        }
        ClockState::Missed { minutes_over } => {
            lang.t_with("incident-clock-missed", "span", span(lang, *minutes_over))
        }
        ClockState::NotApplicable { reason } => match reason {
            NotApplicable::NoPersonalData => lang.t("incident-clock-no-personal-data"),
            NotApplicable::NotSignificant { judgement } => lang.t_args(
                "incident-clock-not-significant",
                &[
                    ("by", judgement.by.clone()),
                    ("reason", judgement.reason.clone()),
                ],
            ),
            NotApplicable::Waived { judgement } => lang.t_args(
                "incident-clock-waived",
                &[
                    ("by", judgement.by.clone()),
                    ("reason", judgement.reason.clone()),
                ],
            ),
        },
    }
}

/// A clock's state as a word for styling: running, met, late, missed, na.
pub fn clock_class(c: &Clock) -> &'static str {
    match &c.state {
        ClockState::Running { .. } | ClockState::AwaitingAssessment { .. } => "running",
        ClockState::Met { late: false, .. } => "met",
        ClockState::Met { late: true, .. } => "late",
        ClockState::Missed { .. } => "missed",
        ClockState::NotApplicable { .. } => "na",
    }
}
