//! Unit tests of planned restore tests in the year plan and in a person's
//! tasks, on the small organisation of `tests_compliance` (today 2026-06-01:
//! Alfa has an owner, Anna; Beta has nobody; Cora coordinates).

use super::tests::day;
use super::tests_compliance::compliance;
use super::*;
use crate::ids::SystemId;
use uuid::Uuid;

fn planned(system: u128, name: &str, on: &str, performer: Option<&str>) -> PlannedRestore {
    PlannedRestore {
        test_id: Uuid::from_u128(100 + system),
        system_id: SystemId(Uuid::from_u128(system)),
        system_name: name.into(),
        planned_on: day(on),
        performer: performer.map(str::to_owned),
    }
}

#[test]
fn a_planned_test_is_upcoming_then_due_then_overdue_once_its_day_has_passed() {
    let p = planned(1, "Alfa", "2026-06-30", None);
    assert_eq!(p.state(day("2026-05-01"), 30), PlannedState::Upcoming);
    assert_eq!(p.state(day("2026-05-31"), 30), PlannedState::Due);
    assert_eq!(p.state(day("2026-06-30"), 30), PlannedState::Due);
    assert_eq!(p.state(day("2026-07-01"), 30), PlannedState::Overdue);
}

#[test]
fn planned_tests_fall_on_their_month_of_the_year_and_past_ones_count_as_overdue() {
    let all = [
        planned(1, "Alfa", "2026-03-10", None),
        planned(2, "Beta", "2026-03-20", None),
        planned(1, "Alfa", "2026-09-01", None),
        planned(2, "Beta", "2027-01-05", None),
    ];
    let (months, overdue) = planned_months(&all, 2026, day("2026-06-01"));
    assert_eq!(months, [0, 0, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
    assert_eq!(overdue, 2);
    let (months, overdue) = planned_months(&all, 2027, day("2026-06-01"));
    assert_eq!(months[0], 1);
    assert_eq!(overdue, 0);
}

#[test]
fn due_and_overdue_planned_tests_are_the_owners_the_named_performers_or_the_coordinators() {
    let c = compliance();
    let all = [
        // Alfa's, overdue and due: Anna's as its owner.
        planned(1, "Alfa", "2026-05-15", None),
        planned(1, "Alfa", "2026-06-12", None),
        // Alfa's but beyond the profile's 14 days: nobody's yet.
        planned(1, "Alfa", "2026-06-20", None),
        // Beta has nobody in any responsible role: the coordinator's, and
        // the person the test names.
        planned(2, "Beta", "2026-06-10", Some("Bo Backup")),
    ];
    let anna = c.planned_restore_tasks(&all, "ANNA@kommun.se", "Anna Ägare");
    let got: Vec<_> = anna
        .iter()
        .map(|t| (t.test.planned_on, t.state, t.as_role.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (
                day("2026-05-15"),
                PlannedState::Overdue,
                Some("system_owner")
            ),
            (day("2026-06-12"), PlannedState::Due, Some("system_owner")),
        ]
    );
    let cora = c.planned_restore_tasks(&all, "cora@kommun.se", "Cora Samordnare");
    assert_eq!(cora.len(), 1);
    assert_eq!(cora[0].test.system_name, "Beta");
    assert!(cora[0].vacant);
    let bo = c.planned_restore_tasks(&all, "bo@kommun.se", "bo backup");
    assert_eq!(bo.len(), 1);
    assert_eq!(bo[0].as_role, None);
    // Someone else gets nothing.
    assert!(c.planned_restore_tasks(&all, "x@kommun.se", "X").is_empty());
}
