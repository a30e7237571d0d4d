//! The year plan (årshjul): when each recurring control of the profile falls
//! due in a calendar year, counted per month over every system and the
//! organisation itself, beside how many were performed in each month (from
//! the records, counted by the store) and how many were missed.

use super::*;
use chrono::{Datelike, NaiveDate};

/// The due dates of a recurring control within one calendar year, from its
/// next due date on, stepping by its interval (the årshjul). Earlier dates
/// of the year are shown from the records of what was done, not from here.
pub fn due_dates_in_year(rule: &ControlRule, next_due: NaiveDate, year: i32) -> Vec<NaiveDate> {
    let mut out = vec![];
    let mut d = next_due;
    while d.year() <= year {
        if d.year() == year {
            out.push(d);
        }
        d = add_months(d, rule.interval_months.max(1));
    }
    out
}

/// Where one finding of a control falls in a year: the dates it is due
/// (after today's state) and, for an overdue one, the day it was due and
/// missed if that day lies in the year.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InYear {
    pub due: Vec<NaiveDate>,
    pub missed: Option<NaiveDate>,
}

/// An overdue control counts as missed on the day it was due (not as due
/// again then) and then falls due every interval after that day; any other
/// counts from the date its outcome names (its next due date).
pub fn in_year(rule: &ControlRule, outcome: &Outcome, year: i32) -> InYear {
    match *outcome {
        Outcome::Overdue { since } => InYear {
            due: due_dates_in_year(rule, since, year)
                .into_iter()
                .filter(|d| *d != since)
                .collect(),
            missed: (since.year() == year).then_some(since),
        },
        o => InYear {
            due: o
                .date()
                .map(|d| due_dates_in_year(rule, d, year))
                .unwrap_or_default(),
            missed: None,
        },
    }
}

/// What a list of one month shows: the systems whose control falls due
/// then, those whose control was due then and is still not done, or those
/// where it was performed then (from the records).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthState {
    Due,
    Missed,
    Done,
}

impl MonthState {
    pub const ALL: [MonthState; 3] = [MonthState::Due, MonthState::Missed, MonthState::Done];

    pub fn as_str(self) -> &'static str {
        match self {
            MonthState::Due => "due",
            MonthState::Missed => "missed",
            MonthState::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// Whether a finding of `rule` is due (or was missed) in month `month`
/// (1–12) of `year`.
pub fn in_month(
    rule: &ControlRule,
    outcome: &Outcome,
    year: i32,
    month: u32,
    state: MonthState,
) -> bool {
    let y = in_year(rule, outcome, year);
    match state {
        MonthState::Due => y.due.iter().any(|d| d.month() == month),
        MonthState::Missed => y.missed.is_some_and(|d| d.month() == month),
        MonthState::Done => false,
    }
}

/// Performances of a control recorded on one day (counted by the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Performed {
    /// The control's code (`access_review`, …).
    pub control: String,
    /// Recorded for the organisation rather than on a system.
    pub organisation: bool,
    pub on: NaiveDate,
    pub count: usize,
}

/// One control's counts in a year, computed once per compliance snapshot.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearCounts {
    /// How many performances fall due in each month, January first.
    pub due: [usize; 12],
    /// How many were due in each month and are still not done.
    pub missed: [usize; 12],
    /// How many are overdue today.
    pub overdue: usize,
}

/// One control's line in the year plan.
#[derive(Debug, Clone, PartialEq)]
pub struct YearRow<'a> {
    pub rule: &'a ControlRule,
    /// How many performances fall due in each month, January first.
    pub months: [usize; 12],
    /// How many were due in each month and are still not done.
    pub missed: [usize; 12],
    /// How many were performed in each month (from the records).
    pub done: [usize; 12],
    /// How many are overdue today.
    pub overdue: usize,
}

impl YearRow<'_> {
    /// Performed once for the organisation rather than on each system.
    pub fn organisation(&self) -> bool {
        self.rule.scope == ControlScope::Organisation
    }
}

/// The performances of `rule` recorded in each month of `year`: records of
/// its control code in its scope.
pub fn done_by_month(rule: &ControlRule, performed: &[Performed], year: i32) -> [usize; 12] {
    let organisation = rule.scope == ControlScope::Organisation;
    let mut out = [0; 12];
    for p in performed {
        if p.control == rule.control && p.organisation == organisation && p.on.year() == year {
            out[p.on.month0() as usize] += p.count;
        }
    }
    out
}

impl Compliance {
    /// Each control's counts in `year`, in the profile's order, in one pass
    /// over the findings.
    pub fn year_counts(&self, year: i32) -> Vec<YearCounts> {
        let rules = &self.profile.profile.controls;
        let index: std::collections::HashMap<&str, usize> = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.as_str(), i))
            .collect();
        let mut out = vec![YearCounts::default(); rules.len()];
        for (_, f) in self.findings() {
            let Some(&i) = index.get(f.rule_id()) else {
                continue;
            };
            let row = &mut out[i];
            if matches!(f.outcome, Outcome::Overdue { .. }) {
                row.overdue += 1;
            }
            let y = in_year(&rules[i], &f.outcome, year);
            for d in y.due {
                row.due[d.month0() as usize] += 1;
            }
            if let Some(d) = y.missed {
                row.missed[d.month0() as usize] += 1;
            }
        }
        out
    }

    /// The year plan for `year`, one row per control of the profile in its
    /// order, from counts made by [`Compliance::year_counts`] and the
    /// performances recorded.
    pub fn year_plan_from<'a>(
        &'a self,
        counts: &[YearCounts],
        performed: &[Performed],
        year: i32,
    ) -> Vec<YearRow<'a>> {
        self.profile
            .profile
            .controls
            .iter()
            .zip(counts)
            .map(|(rule, c)| YearRow {
                rule,
                months: c.due,
                missed: c.missed,
                done: done_by_month(rule, performed, year),
                overdue: c.overdue,
            })
            .collect()
    }

    /// The year plan for `year` with nothing recorded as performed.
    pub fn year_plan(&self, year: i32) -> Vec<YearRow<'_>> {
        self.year_plan_from(&self.year_counts(year), &[], year)
    }
}
