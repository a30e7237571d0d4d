//! An HR file (personalfil) against the register's people: who is new, who
//! changed (name, e-mail, unit: a unit change is a mover), and who left
//! (inactive, an end date that has passed, or missing from a file the user
//! says is complete). People are matched by employee number
//! (anställningsnummer) when the file and the register have one, then by
//! e-mail, then by name when the register has no e-mail for them.

use super::reconcile::RosterRowIssue;
use super::roster::{Departure, departure};
use crate::ids::*;
use crate::model::{Person, PersonDraft, Unit};
use crate::validation::FieldErrors;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A unit named in the file that the organisation lacks (or has twice).
pub const HR_UNKNOWN_UNIT: &str = "import-hr-unknown-unit";
/// A second row with the same e-mail address, or for the same person.
pub const HR_DUPLICATE: &str = "import-hr-duplicate";
/// A row without e-mail whose name the register has for several people.
pub const HR_WHICH_PERSON: &str = "import-hr-which-person";

/// One row of an HR file, as read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HrRow {
    /// The row in the file (as a spreadsheet shows it).
    pub row: usize,
    pub employee_number: Option<String>,
    pub email: Option<String>,
    pub name: Option<String>,
    /// The unit's name as the file spells it.
    pub unit: Option<String>,
    pub end_date: Option<NaiveDate>,
    /// What the status column says, if the file has one.
    pub active: Option<bool>,
}

/// Why the file makes a person a leaver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LeaveReason {
    /// The status column says inactive.
    Inactive,
    /// The end date has passed.
    EndDate,
    /// Not in a file that is complete.
    Missing,
}

/// A person the file adds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HrNewPerson {
    pub row: usize,
    pub name: String,
    pub email: Option<String>,
    pub employee_number: Option<String>,
    pub unit_id: Option<UnitId>,
}

/// A person the file changes, with how they are afterwards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HrChangedPerson {
    pub row: usize,
    pub person_id: PersonId,
    /// What changes: `name`, `email`, `employee_number`, `unit`, `active`.
    pub fields: Vec<String>,
    pub name: String,
    pub email: Option<String>,
    pub employee_number: Option<String>,
    pub unit_id: Option<UnitId>,
    pub active: bool,
    /// The unit changed: access and roles are looked at (a mover).
    pub moved: bool,
}

/// A person the file makes a leaver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HrLeaver {
    /// The row; none for someone missing from a complete file.
    pub row: Option<usize>,
    pub person_id: PersonId,
    pub reason: LeaveReason,
}

/// What an HR file changes in the register.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct HrPlan {
    pub new_people: Vec<HrNewPerson>,
    pub changed: Vec<HrChangedPerson>,
    pub leavers: Vec<HrLeaver>,
    pub issues: Vec<RosterRowIssue>,
}

impl HrPlan {
    pub fn is_empty(&self) -> bool {
        self.new_people.is_empty() && self.changed.is_empty() && self.leavers.is_empty()
    }
}

fn key(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The draft that makes `p` as the change says (the title stays).
pub fn changed_draft(p: &Person, c: &HrChangedPerson) -> PersonDraft {
    PersonDraft {
        name: c.name.clone(),
        email: c.email.clone(),
        title: p.title.clone(),
        unit_id: c.unit_id,
        active: c.active,
    }
}

/// The longest employee number kept.
pub const EMPLOYEE_NUMBER_MAX: usize = 50;

/// A row's name or e-mail that the register cannot take, by column.
fn draft_issues(r: &HrRow, e: &FieldErrors) -> Vec<RosterRowIssue> {
    e.0.iter()
        .map(|f| {
            let value = if f.field == "email" {
                &r.email
            } else {
                &r.name
            };
            RosterRowIssue {
                row: r.row,
                column: f.field.clone(),
                code: f.code.into(),
                value: value.clone().unwrap_or_default(),
            }
        })
        .collect()
}

/// What the file's rows change in the register's `people` given the
/// organisation's `units` on `today`; with `complete`, the active people
/// the file does not name are leavers too. Rows that cannot be used are
/// issues (by row, column and message key) and change nothing.
pub fn plan_hr(
    rows: &[HrRow],
    people: &[Person],
    units: &[Unit],
    complete: bool,
    today: NaiveDate,
) -> HrPlan {
    let mut by_unit: BTreeMap<String, Vec<UnitId>> = BTreeMap::new();
    for u in units.iter().filter(|u| !u.archived) {
        by_unit.entry(key(&u.name)).or_default().push(u.id);
    }
    let by_number: BTreeMap<String, &Person> = people
        .iter()
        .filter_map(|p| Some((key(p.employee_number.as_deref()?), p)))
        .collect();
    let by_email: BTreeMap<String, &Person> = people
        .iter()
        .filter_map(|p| Some((key(p.email.as_deref()?), p)))
        .collect();
    let mut by_name: BTreeMap<String, Vec<&Person>> = BTreeMap::new();
    for p in people.iter().filter(|p| p.email.is_none()) {
        by_name.entry(key(&p.name)).or_default().push(p);
    }
    let mut plan = HrPlan::default();
    let mut seen_emails: BTreeSet<String> = BTreeSet::new();
    let mut seen_numbers: BTreeSet<String> = BTreeSet::new();
    let mut seen: BTreeSet<PersonId> = BTreeSet::new();
    for r in rows {
        let issue = |column: &str, code: &str, value: &str| RosterRowIssue {
            row: r.row,
            column: column.into(),
            code: code.into(),
            value: value.into(),
        };
        let email = r.email.as_deref().map(key);
        let number = r
            .employee_number
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty());
        if let Some(n) = number.filter(|n| n.chars().count() > EMPLOYEE_NUMBER_MAX) {
            plan.issues
                .push(issue("employee_number", crate::validation::TOO_LONG, n));
            continue;
        }
        if number.is_some_and(|n| !seen_numbers.insert(key(n))) {
            plan.issues
                .push(issue("employee_number", HR_DUPLICATE, number.unwrap_or("")));
            continue;
        }
        let found = number
            .and_then(|n| by_number.get(&key(n)).copied())
            .or_else(|| match &email {
                Some(e) => by_email.get(e).copied(),
                None => None,
            })
            .or_else(|| match by_name.get(&key(r.name.as_deref()?))?.as_slice() {
                [one] => Some(*one),
                _ => None,
            });
        let named = r.name.as_deref().unwrap_or("");
        if found.is_none()
            && email.is_none()
            && by_name.get(&key(named)).is_some_and(|v| v.len() > 1)
        {
            plan.issues.push(issue("name", HR_WHICH_PERSON, named));
            continue;
        }
        let again = found.is_some_and(|p| !seen.insert(p.id));
        if again
            || email
                .as_ref()
                .is_some_and(|e| !seen_emails.insert(e.clone()))
        {
            let (column, value) = match &email {
                Some(e) => ("email", e.as_str()),
                None => ("name", named),
            };
            plan.issues.push(issue(column, HR_DUPLICATE, value));
            continue;
        }
        let unit = match r.unit.as_deref() {
            None => None,
            Some(u) => match by_unit.get(&key(u)).map(Vec::as_slice) {
                Some([one]) => Some(*one),
                _ => {
                    plan.issues.push(issue("unit", HR_UNKNOWN_UNIT, u));
                    continue;
                }
            },
        };
        let leaving = if r.active == Some(false) {
            Some(LeaveReason::Inactive)
        } else {
            r.end_date
                .filter(|d| *d < today)
                .map(|_| LeaveReason::EndDate)
        };
        match (found, leaving) {
            (Some(p), Some(reason)) => {
                if p.active {
                    plan.leavers.push(HrLeaver {
                        row: Some(r.row),
                        person_id: p.id,
                        reason,
                    });
                }
            }
            // Someone who has left and whom the register does not know.
            (None, Some(_)) => {}
            (Some(p), None) => {
                let draft = PersonDraft {
                    name: r.name.clone().unwrap_or_else(|| p.name.clone()),
                    email: r.email.clone().or_else(|| p.email.clone()),
                    title: p.title.clone(),
                    unit_id: if r.unit.is_some() { unit } else { p.unit_id },
                    active: p.active || r.active == Some(true),
                };
                let d = match draft.validate() {
                    Ok(d) => d,
                    Err(e) => {
                        plan.issues.extend(draft_issues(r, &e));
                        continue;
                    }
                };
                let mut fields = vec![];
                if d.name != p.name {
                    fields.push("name");
                }
                if d.email != p.email {
                    fields.push("email");
                }
                let employee_number = number
                    .map(str::to_owned)
                    .or_else(|| p.employee_number.clone());
                if employee_number != p.employee_number {
                    fields.push("employee_number");
                }
                if d.unit_id != p.unit_id {
                    fields.push("unit");
                }
                if d.active != p.active {
                    fields.push("active");
                }
                if fields.is_empty() {
                    continue;
                }
                let mut after = p.clone();
                after.unit_id = d.unit_id;
                after.active = d.active;
                plan.changed.push(HrChangedPerson {
                    row: r.row,
                    person_id: p.id,
                    fields: fields.into_iter().map(str::to_owned).collect(),
                    name: d.name,
                    email: d.email,
                    employee_number,
                    unit_id: d.unit_id,
                    active: d.active,
                    moved: departure(p, &after) == Some(Departure::Moved),
                });
            }
            (None, None) => {
                let draft = PersonDraft {
                    name: r.name.clone().unwrap_or_default(),
                    email: r.email.clone(),
                    title: None,
                    unit_id: unit,
                    active: true,
                };
                match draft.validate() {
                    Ok(d) => plan.new_people.push(HrNewPerson {
                        row: r.row,
                        name: d.name,
                        email: d.email,
                        employee_number: number.map(str::to_owned),
                        unit_id: d.unit_id,
                    }),
                    Err(e) => plan.issues.extend(draft_issues(r, &e)),
                }
            }
        }
    }
    if complete {
        let mut missing: Vec<&Person> = people
            .iter()
            .filter(|p| p.active && !seen.contains(&p.id))
            .collect();
        missing.sort_by_key(|p| (key(&p.name), p.id));
        plan.leavers.extend(missing.into_iter().map(|p| HrLeaver {
            row: None,
            person_id: p.id,
            reason: LeaveReason::Missing,
        }));
    }
    plan
}

#[cfg(test)]
mod tests;
