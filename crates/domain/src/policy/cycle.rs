//! The year plan (årshjul): when each recurring control of the profile falls
//! due in a calendar year, counted per month over every system and the
//! organisation itself.

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

/// One control's line in the year plan.
#[derive(Debug, Clone, PartialEq)]
pub struct YearRow<'a> {
    pub rule: &'a ControlRule,
    /// How many performances fall due in each month, January first.
    pub months: [usize; 12],
    /// How many are overdue today.
    pub overdue: usize,
}

impl YearRow<'_> {
    /// Performed once for the organisation rather than on each system.
    pub fn organisation(&self) -> bool {
        self.rule.scope == ControlScope::Organisation
    }
}

impl Compliance {
    /// The year plan for `year`, one row per control of the profile in its
    /// order. An overdue control counts as overdue (not again in the month it
    /// was missed) and then falls due every interval after the date it was
    /// due; any other counts from the date its outcome names (its next due date).
    pub fn year_plan(&self, year: i32) -> Vec<YearRow<'_>> {
        self.profile
            .profile
            .controls
            .iter()
            .map(|rule| {
                let mut row = YearRow {
                    rule,
                    months: [0; 12],
                    overdue: 0,
                };
                for (_, f) in self.findings().filter(|(_, f)| f.rule_id == rule.id) {
                    let dates = match f.outcome {
                        Outcome::Overdue { since } => {
                            row.overdue += 1;
                            due_dates_in_year(rule, since, year)
                                .into_iter()
                                .filter(|d| *d != since)
                                .collect()
                        }
                        o => o
                            .date()
                            .map(|d| due_dates_in_year(rule, d, year))
                            .unwrap_or_default(),
                    };
                    for d in dates {
                        row.months[d.month0() as usize] += 1;
                    }
                }
                row
            })
            .collect()
    }
}
