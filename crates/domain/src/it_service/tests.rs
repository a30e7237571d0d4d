use super::*;
use crate::ids::SystemId;
use crate::ids::{SupplierId, UnitId};
use crate::validation as v;
use chrono::NaiveDate;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn periods_are_read_in_the_ways_people_write_them() {
    let cases: &[(&str, Option<&str>)] = &[
        ("2026-03", Some("2026-03")),
        ("2026-3", Some("2026-03")),
        (" 2026/12 ", Some("2026-12")),
        ("2026-03-01", Some("2026-03")),
        ("2026-Q1", Some("2026-Q1")),
        ("2026 q4", Some("2026-Q4")),
        ("2026-K2", Some("2026-Q2")),
        ("Q3 2026", Some("2026-Q3")),
        ("2026-13", None),
        ("2026-00", None),
        ("2026-Q5", None),
        ("2026-Q0", None),
        ("2026-03-15", None),
        ("1999-01", None),
        ("26-03", None),
        ("mars", None),
        ("", None),
        ("2026-+3", None),
        ("2026-Q1-01", None),
    ];
    for (input, want) in cases {
        let got = Period::parse(input).ok().map(|p| p.to_string());
        assert_eq!(got.as_deref(), *want, "{input:?}");
    }
}

#[test]
fn a_period_has_its_first_and_last_day() {
    let cases = [
        (Period::month(2026, 2), d(2026, 2, 1), d(2026, 2, 28)),
        (Period::month(2028, 2), d(2028, 2, 1), d(2028, 2, 29)),
        (Period::month(2026, 12), d(2026, 12, 1), d(2026, 12, 31)),
        (Period::quarter(2026, 1), d(2026, 1, 1), d(2026, 3, 31)),
        (Period::quarter(2026, 4), d(2026, 10, 1), d(2026, 12, 31)),
    ];
    for (p, first, last) in cases {
        assert_eq!((p.starts_on(), p.ends_on()), (first, last), "{p}");
    }
}

fn levels() -> ServiceLevels {
    ServiceLevels {
        availability_target: Some(99.5),
        support_hours: Some("vardagar 07–17".into()),
        response_hours: Some(4),
        resolution_hours: Some(24),
    }
}

#[test]
fn each_level_is_judged_met_missed_or_not_measured() {
    use LevelOutcome::*;
    type Case = (
        Option<f64>,
        Option<u32>,
        Option<u32>,
        Option<u32>,
        Option<u32>,
    );
    let cases: &[(Case, [LevelOutcome; 3])] = &[
        (
            (Some(99.5), Some(10), Some(0), Some(5), None),
            [Met, Met, Met],
        ),
        (
            (Some(99.7), Some(10), None, Some(5), Some(0)),
            [Met, Met, Met],
        ),
        (
            (Some(99.499), Some(9), Some(1), Some(5), Some(2)),
            [Missed, Missed, Missed],
        ),
        (
            (None, None, None, None, None),
            [NotMeasured, NotMeasured, NotMeasured],
        ),
        (
            (Some(100.0), None, Some(1), Some(0), Some(0)),
            [Met, Missed, Met],
        ),
        (
            (Some(0.0), Some(0), Some(0), None, Some(3)),
            [Missed, Met, Missed],
        ),
    ];
    for ((avail, rm, rx, sm, sx), want) in cases {
        let f = FollowUpDraft {
            measured_availability: *avail,
            response_met: *rm,
            response_missed: *rx,
            resolution_met: *sm,
            resolution_missed: *sx,
            ..FollowUpDraft::new(Period::month(2026, 1))
        };
        let j = f.judge(&levels());
        assert_eq!([j.availability, j.response, j.resolution], *want, "{f:?}");
        assert_eq!(j.any_missed(), want.contains(&Missed));
    }
    let none = FollowUpDraft {
        measured_availability: Some(12.0),
        response_missed: Some(4),
        ..FollowUpDraft::new(Period::month(2026, 1))
    }
    .judge(&ServiceLevels::default());
    assert_eq!(none.availability, NotAgreed);
    assert_eq!(none.response, NotAgreed);
    assert!(!none.any_missed());
}

#[test]
fn a_service_is_delivered_by_exactly_one_unit_or_supplier() {
    let unit = UnitId::new();
    let ok = ServiceDraft::new("  Arbetsplatstjänst ", unit)
        .validate()
        .unwrap();
    assert_eq!(ok.name, "Arbetsplatstjänst");
    let mut both = ServiceDraft::new("X", unit);
    both.supplier_id = Some(SupplierId::new());
    let neither = ServiceDraft {
        unit_id: None,
        ..ServiceDraft::new("X", unit)
    };
    for bad in [both, neither] {
        let e = bad.validate().unwrap_err();
        assert_eq!(e.0[0].field, "unit_id");
        assert_eq!(e.0[0].code, ONE_DELIVERER);
    }
}

#[test]
fn drafts_name_each_bad_field() {
    let unit = UnitId::new();
    let s = SystemId::new();
    let cases: Vec<(ServiceDraft, &str, &str)> = vec![
        (ServiceDraft::new(" ", unit), "name", v::REQUIRED),
        (
            ServiceDraft::new(&"x".repeat(201), unit),
            "name",
            v::TOO_LONG,
        ),
        (
            ServiceDraft {
                yearly_cost: Some(-1),
                ..ServiceDraft::new("X", unit)
            },
            "yearly_cost",
            COST_OUT_OF_RANGE,
        ),
        (
            ServiceDraft {
                levels: ServiceLevels {
                    availability_target: Some(100.01),
                    ..levels()
                },
                ..ServiceDraft::new("X", unit)
            },
            "levels.availability_target",
            NOT_A_PERCENTAGE,
        ),
        (
            ServiceDraft {
                levels: ServiceLevels {
                    availability_target: Some(f64::NAN),
                    ..levels()
                },
                ..ServiceDraft::new("X", unit)
            },
            "levels.availability_target",
            NOT_A_PERCENTAGE,
        ),
        (
            ServiceDraft {
                levels: ServiceLevels {
                    resolution_hours: Some(8761),
                    ..levels()
                },
                ..ServiceDraft::new("X", unit)
            },
            "levels.resolution_hours",
            HOURS_OUT_OF_RANGE,
        ),
        (
            ServiceDraft {
                levels: ServiceLevels {
                    support_hours: Some("x".repeat(201)),
                    ..levels()
                },
                ..ServiceDraft::new("X", unit)
            },
            "levels.support_hours",
            v::TOO_LONG,
        ),
    ];
    for (draft, field, code) in cases {
        let e = draft.validate().unwrap_err();
        assert_eq!((e.0[0].field.as_str(), e.0[0].code), (field, code));
    }
    let twice = ServiceDraft {
        system_ids: vec![s, s],
        ..ServiceDraft::new("X", unit)
    };
    assert_eq!(twice.validate().unwrap().system_ids, vec![s]);
}

#[test]
fn follow_ups_name_each_bad_field_and_round_the_availability() {
    let p = Period::quarter(2026, 1);
    let ok = FollowUpDraft {
        measured_availability: Some(99.12345),
        ..FollowUpDraft::new(p)
    }
    .validate()
    .unwrap();
    assert_eq!(ok.measured_availability, Some(99.123));
    let bad = [
        (
            FollowUpDraft {
                measured_availability: Some(-0.5),
                ..FollowUpDraft::new(p)
            },
            "measured_availability",
            NOT_A_PERCENTAGE,
        ),
        (
            FollowUpDraft {
                resolution_missed: Some(MAX_COUNT + 1),
                ..FollowUpDraft::new(p)
            },
            "resolution_missed",
            COUNT_OUT_OF_RANGE,
        ),
        (
            FollowUpDraft {
                comment: Some("x".repeat(2001)),
                ..FollowUpDraft::new(p)
            },
            "comment",
            v::TOO_LONG,
        ),
    ];
    for (draft, field, code) in bad {
        let e = draft.validate().unwrap_err();
        assert_eq!((e.0[0].field.as_str(), e.0[0].code), (field, code));
    }
}

#[test]
fn a_period_reads_back_from_json() {
    let f: FollowUpDraft =
        serde_json::from_str(r#"{"period":"2026-Q2","measured_availability":99.9}"#).unwrap();
    assert_eq!(f.period, Period::quarter(2026, 2));
    assert_eq!(
        serde_json::to_value(&f).unwrap()["period"],
        serde_json::json!("2026-Q2")
    );
    assert!(serde_json::from_str::<FollowUpDraft>(r#"{"period":"2026-14"}"#).is_err());
}

#[test]
fn rows_are_checked_together_each_period_once() {
    let row = |p: Period, avail: f64| FollowUpDraft {
        measured_availability: Some(avail),
        ..FollowUpDraft::new(p)
    };
    let ok = check_rows(vec![
        (2, row(Period::month(2026, 1), 99.0)),
        (3, row(Period::month(2026, 2), 99.5)),
    ])
    .unwrap();
    assert_eq!(ok.len(), 2);
    let e = check_rows(vec![
        (2, row(Period::month(2026, 1), 99.0)),
        (4, row(Period::month(2026, 2), 100.5)),
        (7, row(Period::month(2026, 1), 99.0)),
    ])
    .unwrap_err();
    let got: Vec<_> = e.iter().map(|e| (e.path(), e.code)).collect();
    assert_eq!(
        got,
        [
            (
                "rows[4].measured_availability".to_string(),
                NOT_A_PERCENTAGE
            ),
            ("rows[7].period".to_string(), PERIOD_TAKEN),
        ]
    );
}
