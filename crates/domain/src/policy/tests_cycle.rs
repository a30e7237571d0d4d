//! The årshjul's month arithmetic: due, missed and done per month.

use super::tests::{day, profile};
use super::*;

fn every(months: u32) -> ControlRule {
    let mut c = profile().control("restore_test").unwrap().clone();
    c.interval_months = months;
    c
}

fn months_of(dates: &[chrono::NaiveDate]) -> Vec<u32> {
    use chrono::Datelike;
    dates.iter().map(|d| d.month()).collect()
}

#[test]
fn a_control_falls_due_every_interval_within_the_year() {
    let next = Outcome::Met {
        next_due: Some(day("2026-02-10")),
    };
    for (interval, months) in [
        (3, vec![2, 5, 8, 11]),
        (6, vec![2, 8]),
        (12, vec![2]),
        (24, vec![2]),
    ] {
        let y = in_year(&every(interval), &next, 2026);
        assert_eq!(months_of(&y.due), months, "every {interval} months");
        assert_eq!(y.missed, None);
    }
    // Two years on: the 24-month control skips 2027 and returns in 2028.
    assert!(in_year(&every(24), &next, 2027).due.is_empty());
    assert_eq!(months_of(&in_year(&every(24), &next, 2028).due), [2]);
    assert_eq!(months_of(&in_year(&every(6), &next, 2027).due), [2, 8]);
    // Nothing before the date the outcome names.
    assert!(in_year(&every(3), &next, 2025).due.is_empty());
}

#[test]
fn a_date_late_in_the_year_carries_over_the_year_boundary() {
    let soon = Outcome::DueSoon {
        due: day("2026-11-30"),
    };
    assert_eq!(months_of(&in_year(&every(3), &soon, 2026).due), [11]);
    // November 30 plus three months is the end of February.
    let next = in_year(&every(3), &soon, 2027).due;
    assert_eq!(
        next,
        [
            day("2027-02-28"),
            day("2027-05-28"),
            day("2027-08-28"),
            day("2027-11-28")
        ]
    );
}

#[test]
fn an_overdue_control_is_missed_in_its_month_and_due_again_an_interval_later() {
    let late = Outcome::Overdue {
        since: day("2025-12-15"),
    };
    let y2025 = in_year(&every(6), &late, 2025);
    assert!(
        y2025.due.is_empty(),
        "not due again in the month it was missed"
    );
    assert_eq!(y2025.missed, Some(day("2025-12-15")));
    let y2026 = in_year(&every(6), &late, 2026);
    assert_eq!(months_of(&y2026.due), [6, 12]);
    assert_eq!(y2026.missed, None, "missed in 2025, not in 2026");
    let r = every(6);
    assert!(in_month(&r, &late, 2025, 12, MonthState::Missed));
    assert!(!in_month(&r, &late, 2025, 12, MonthState::Due));
    assert!(in_month(&r, &late, 2026, 6, MonthState::Due));
    assert!(!in_month(&r, &late, 2026, 7, MonthState::Due));
    // What was done comes from the records, never from a finding.
    assert!(!in_month(&r, &late, 2026, 6, MonthState::Done));
}

#[test]
fn done_per_month_counts_the_records_of_the_controls_code_and_scope_in_the_year() {
    let rule = every(12);
    let p = |control: &str, organisation, on: &str, count| Performed {
        control: control.into(),
        organisation,
        on: day(on),
        count,
    };
    let performed = [
        p("restore_test", false, "2026-01-31", 2),
        p("restore_test", false, "2026-01-01", 1),
        p("restore_test", false, "2026-12-31", 4),
        // Another year, another control, the organisation's own: not counted.
        p("restore_test", false, "2025-12-31", 8),
        p("restore_test", false, "2027-01-01", 8),
        p("log_review", false, "2026-03-03", 8),
        p("restore_test", true, "2026-03-03", 8),
    ];
    assert_eq!(
        done_by_month(&rule, &performed, 2026),
        [3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4]
    );
    assert_eq!(done_by_month(&rule, &performed, 2025)[11], 8);
    for s in MonthState::ALL {
        assert_eq!(MonthState::parse(s.as_str()), Some(s));
    }
    assert_eq!(MonthState::parse("overdue"), None);
}
