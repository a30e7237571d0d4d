//! Planned restore tests (återläsningstest) in the årshjul and in "Mina
//! uppgifter": a test with a planned date and no performed date falls on its
//! planned month, is due from the restore-test control's reminder window
//! before that date, and overdue once the date has passed unperformed.

use super::*;
use crate::ids::SystemId;
use crate::model::{EDITING_ROLES, SYSTEM_OWNER};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// The control a performed restore test records (and whose rule, if the
/// profile has one, names who is responsible and the reminder window).
pub const RESTORE_TEST: &str = "restore_test";

/// The reminder window when the profile has no restore-test control.
pub const DEFAULT_REMIND_DAYS: u32 = 30;

/// A restore test planned but not (yet) recorded as performed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedRestore {
    pub test_id: uuid::Uuid,
    pub system_id: SystemId,
    pub system_name: String,
    pub planned_on: NaiveDate,
    /// Who the test names to perform it (free text: a name or an e-mail).
    pub performer: Option<String>,
}

/// Where a planned test stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlannedState {
    /// Later than the reminder window.
    Upcoming,
    /// Within the reminder window, or today.
    Due,
    /// The planned day has passed and it was not performed.
    Overdue,
}

impl PlannedState {
    pub fn as_str(self) -> &'static str {
        match self {
            PlannedState::Upcoming => "upcoming",
            PlannedState::Due => "due",
            PlannedState::Overdue => "overdue",
        }
    }
}

impl PlannedRestore {
    pub fn state(&self, today: NaiveDate, remind_days: u32) -> PlannedState {
        if self.planned_on < today {
            PlannedState::Overdue
        } else if self.planned_on <= today + chrono::Days::new(remind_days.into()) {
            PlannedState::Due
        } else {
            PlannedState::Upcoming
        }
    }
}

/// The planned tests' line in the year plan: how many are planned in each
/// month of `year`, and how many of them are overdue on `today`.
pub fn planned_months(
    planned: &[PlannedRestore],
    year: i32,
    today: NaiveDate,
) -> ([usize; 12], usize) {
    let mut months = [0; 12];
    let mut overdue = 0;
    for p in planned.iter().filter(|p| p.planned_on.year() == year) {
        months[p.planned_on.month0() as usize] += 1;
        if p.planned_on < today {
            overdue += 1;
        }
    }
    (months, overdue)
}

/// A planned restore test that falls to a person, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedTask {
    pub test: PlannedRestore,
    pub state: PlannedState,
    /// The role through which it is theirs (none: the test names them).
    pub as_role: Option<String>,
    /// True when it falls to them because every responsible role is vacant.
    pub vacant: bool,
}

impl Compliance {
    /// The restore-test control's rule in the profile, if it has one.
    fn restore_rule(&self) -> Option<&ControlRule> {
        self.profile
            .profile
            .controls
            .iter()
            .find(|c| c.control == RESTORE_TEST && c.scope == ControlScope::System)
    }

    /// Days before a planned test that it becomes a task.
    pub fn restore_remind_days(&self) -> u32 {
        self.restore_rule()
            .map(|r| r.remind_days_before)
            .unwrap_or(DEFAULT_REMIND_DAYS)
    }

    /// The roles responsible for a system's restore tests: the one the
    /// profile's restore-test control names, then the system owner and the
    /// other roles that edit the system (systemansvarig, systemförvaltare).
    fn restore_roles(&self) -> Vec<&str> {
        let mut roles: Vec<&str> = self
            .restore_rule()
            .and_then(|r| r.responsible.as_deref())
            .into_iter()
            .collect();
        for r in std::iter::once(SYSTEM_OWNER).chain(EDITING_ROLES.iter().copied()) {
            if !roles.contains(&r) {
                roles.push(r);
            }
        }
        roles
    }

    /// The planned tests due or overdue on the compliance's day that fall to
    /// the person with this e-mail (or name): through a responsible role on
    /// the system, because the test names them, or, every responsible role
    /// being vacant, as a security coordinator. Overdue first, then by date.
    pub fn planned_restore_tasks(
        &self,
        planned: &[PlannedRestore],
        email: &str,
        name: &str,
    ) -> Vec<PlannedTask> {
        let email = email.trim().to_lowercase();
        let name = name.trim().to_lowercase();
        let is_me = |h: &Holder| {
            h.email
                .as_deref()
                .is_some_and(|e| e.trim().to_lowercase() == email)
        };
        let remind = self.restore_remind_days();
        let roles = self.restore_roles();
        // The holders of the tests' systems, found in one pass over the
        // systems (not one pass a test: 100,000 systems and thousands of tests).
        let wanted: HashSet<SystemId> = planned
            .iter()
            .filter(|p| p.state(self.today, remind) != PlannedState::Upcoming)
            .map(|p| p.system_id)
            .collect();
        let holders_of: HashMap<SystemId, &Holders> = if wanted.is_empty() {
            HashMap::new()
        } else {
            self.systems
                .iter()
                .filter(|s| wanted.contains(&s.id))
                .map(|s| (s.id, &s.holders))
                .collect()
        };
        let mut out: Vec<PlannedTask> = planned
            .iter()
            .filter_map(|p| {
                let state = p.state(self.today, remind);
                if state == PlannedState::Upcoming {
                    return None;
                }
                let holders = holders_of.get(&p.system_id).copied();
                let held: Vec<(&str, &Vec<Holder>)> = roles
                    .iter()
                    .filter_map(|r| Some((*r, holders?.get(r)?)))
                    .filter(|(_, h)| !h.is_empty())
                    .collect();
                let named = p.performer.as_deref().is_some_and(|w| {
                    let w = w.trim().to_lowercase();
                    !w.is_empty() && (w == email || w == name)
                });
                let task = |as_role: Option<&str>, vacant| PlannedTask {
                    test: p.clone(),
                    state,
                    as_role: as_role.map(str::to_owned),
                    vacant,
                };
                if let Some((role, _)) = held.iter().find(|(_, h)| h.iter().any(is_me)) {
                    Some(task(Some(role), false))
                } else if named {
                    Some(task(None, false))
                } else if held.is_empty()
                    && self
                        .org_holders
                        .get(COORDINATOR)
                        .is_some_and(|h| h.iter().any(is_me))
                {
                    Some(task(Some(COORDINATOR), true))
                } else {
                    None
                }
            })
            .collect();
        out.sort_by_key(|t| (t.state != PlannedState::Overdue, t.test.planned_on));
        out
    }
}
