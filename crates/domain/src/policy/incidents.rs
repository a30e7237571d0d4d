//! The profile's rule on incidents (its `[incidents]` section): the lessons
//! learned of a closed incident are written within N days of closing
//! (issue 17, Build 4). Compliance reports it for the organisation as one
//! finding listing each closed incident still without lessons after N days.

use super::Outcome;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The rule id the lessons-learned finding carries.
pub const INCIDENT_LESSONS: &str = "incident_lessons";

/// What a profile asks of incidents after they are closed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IncidentRule {
    /// Days from closing within which the lessons learned are written.
    pub lessons_within_days: u32,
    pub text_sv: String,
    pub text_en: String,
    /// The section of the source document (or the reason for the number).
    pub cite: String,
}

/// A closed incident as the rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedIncident {
    pub id: Uuid,
    pub number: i64,
    /// The day it was closed (Swedish time).
    pub closed_on: NaiveDate,
    /// Whether its lessons learned are written.
    pub lessons_written: bool,
}

/// A closed incident whose lessons learned are late.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LateLessons {
    pub incident_id: Uuid,
    pub number: i64,
    pub closed_on: NaiveDate,
    /// The last day the lessons were due.
    pub due: NaiveDate,
}

/// The organisation's lessons-learned finding: how it stands, and each
/// closed incident whose lessons are late (the oldest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LessonsFinding {
    pub rule_id: String,
    pub within_days: u32,
    #[serde(flatten)]
    pub outcome: Outcome,
    pub late: Vec<LateLessons>,
}

/// Judges the closed incidents on `today`: missing since the day after the
/// first lapsed deadline when any is late; due soon while one without
/// lessons is still within its days; otherwise met.
pub fn lessons_finding(
    rule: &IncidentRule,
    closed: &[ClosedIncident],
    today: NaiveDate,
) -> LessonsFinding {
    let due = |c: &ClosedIncident| c.closed_on + Days::new(rule.lessons_within_days.into());
    let without: Vec<&ClosedIncident> = closed.iter().filter(|c| !c.lessons_written).collect();
    let mut late: Vec<LateLessons> = without
        .iter()
        .filter(|c| today > due(c))
        .map(|c| LateLessons {
            incident_id: c.id,
            number: c.number,
            closed_on: c.closed_on,
            due: due(c),
        })
        .collect();
    late.sort_by_key(|l| (l.due, l.number));
    let pending = without.iter().map(|c| due(c)).filter(|d| today <= *d).min();
    let outcome = match (late.first(), pending) {
        (Some(first), _) => Outcome::Missing {
            since: Some(first.due + Days::new(1)),
        },
        (None, Some(due)) => Outcome::DueSoon { due },
        (None, None) => Outcome::Met { next_due: None },
    };
    LessonsFinding {
        rule_id: INCIDENT_LESSONS.to_owned(),
        within_days: rule.lessons_within_days,
        outcome,
        late,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    fn closed(number: i64, on: u32, lessons: bool) -> ClosedIncident {
        ClosedIncident {
            id: Uuid::from_u128(number as u128),
            number,
            closed_on: day(on),
            lessons_written: lessons,
        }
    }

    const RULE_DAYS: u32 = 10;

    fn rule() -> IncidentRule {
        IncidentRule {
            lessons_within_days: RULE_DAYS,
            text_sv: "Erfarenheter".into(),
            text_en: "Lessons".into(),
            cite: "x".into(),
        }
    }

    #[test]
    fn lessons_missing_n_days_after_closing_are_late_and_listed() {
        let all = [
            closed(1, 1, false),  // due 11 March: late on the 20th
            closed(2, 2, true),   // written: fine
            closed(3, 15, false), // due 25 March: still within its days
            closed(4, 5, false),  // due 15 March: late
        ];
        let f = lessons_finding(&rule(), &all, day(20));
        let late: Vec<(i64, NaiveDate)> = f.late.iter().map(|l| (l.number, l.due)).collect();
        assert_eq!(late, [(1, day(11)), (4, day(15))]);
        assert_eq!(
            f.outcome,
            Outcome::Missing {
                since: Some(day(12))
            }
        );
        assert!(!f.outcome.complies());
        assert_eq!(f.rule_id, INCIDENT_LESSONS);
    }

    #[test]
    fn on_the_last_day_it_is_due_soon_and_written_lessons_fix_it() {
        let f = lessons_finding(&rule(), &[closed(1, 1, false)], day(11));
        assert_eq!(f.outcome, Outcome::DueSoon { due: day(11) });
        assert!(f.late.is_empty());
        let f = lessons_finding(&rule(), &[closed(1, 1, true)], day(30));
        assert_eq!(f.outcome, Outcome::Met { next_due: None });
        assert!(f.late.is_empty());
        let none = lessons_finding(&rule(), &[], day(30));
        assert_eq!(none.outcome, Outcome::Met { next_due: None });
    }
}
