use super::*;
use chrono::NaiveDate;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn a_restore_as_long_as_the_rto_is_met_and_a_minute_more_is_not() {
    let j = judge(Some(240), Some(60), Some(240), Some(60));
    assert_eq!(j.verdict, Verdict::Met);
    assert!(j.rto.unwrap().met && j.rpo.unwrap().met);
    let j = judge(Some(240), Some(60), Some(241), Some(60));
    assert_eq!(j.verdict, Verdict::NotMet);
    assert!(!j.rto.unwrap().met);
    // The data-loss window alone can miss.
    let j = judge(Some(240), Some(60), Some(30), Some(61));
    assert_eq!(j.verdict, Verdict::NotMet);
    assert_eq!(
        j.rpo,
        Some(Check {
            measured: 61,
            required: 60,
            met: false
        })
    );
}

#[test]
fn without_a_requirement_or_a_measurement_nothing_can_be_judged() {
    assert_eq!(
        judge(None, None, Some(30), Some(0)).verdict,
        Verdict::CannotJudge
    );
    assert_eq!(
        judge(Some(60), Some(60), None, None).verdict,
        Verdict::CannotJudge
    );
    // One figure that can be judged is enough.
    let j = judge(Some(60), None, Some(60), Some(600));
    assert_eq!(j.verdict, Verdict::Met);
    assert_eq!(j.rpo, None);
}

#[test]
fn a_missed_test_is_a_gap_until_every_action_is_done() {
    assert!(open_gap(Some(Verdict::NotMet), 0, 0));
    assert!(open_gap(Some(Verdict::NotMet), 2, 1));
    assert!(!open_gap(Some(Verdict::NotMet), 2, 2));
    assert!(!open_gap(Some(Verdict::Met), 0, 0));
    assert!(!open_gap(None, 0, 0));
}

#[test]
fn requirements_are_positive_bounded_and_mtd_is_not_before_rto() {
    let ok = Requirements {
        rto_minutes: Some(240),
        rpo_minutes: Some(60),
        mtd_minutes: Some(240),
        critical_periods: Some("  Lön vid månadsskiftet ".into()),
        fallback_routine: None,
    }
    .validate()
    .unwrap();
    assert_eq!(
        ok.critical_periods.as_deref(),
        Some("Lön vid månadsskiftet")
    );
    let bad = |r: Requirements| r.validate().unwrap_err().0[0].clone();
    let e = bad(Requirements {
        rto_minutes: Some(300),
        mtd_minutes: Some(240),
        ..Default::default()
    });
    assert_eq!((e.field.as_str(), e.code), ("mtd_minutes", MTD_BEFORE_RTO));
    let e = bad(Requirements {
        rpo_minutes: Some(0),
        ..Default::default()
    });
    assert_eq!((e.field.as_str(), e.code), ("rpo_minutes", NOT_POSITIVE));
    let e = bad(Requirements {
        rto_minutes: Some(MAX_MINUTES + 1),
        ..Default::default()
    });
    assert_eq!((e.field.as_str(), e.code), ("rto_minutes", TOO_LARGE));
    let e = bad(Requirements {
        fallback_routine: Some("x".repeat(MAX_TEXT + 1)),
        ..Default::default()
    });
    assert_eq!(
        (e.field.as_str(), e.code),
        ("fallback_routine", v::TOO_LONG)
    );
}

#[test]
fn durations_are_entered_in_plain_units() {
    assert_eq!(parse_duration("4", "hours"), Ok(Some(240)));
    assert_eq!(parse_duration("1,5", "days"), Ok(Some(2160)));
    assert_eq!(parse_duration("", "days"), Ok(None));
    assert_eq!(parse_duration("x", "hours"), Err(v::NOT_A_NUMBER));
    assert_eq!(parse_duration("0", "hours"), Err(NOT_POSITIVE));
    assert_eq!(parse_duration("400", "days"), Err(TOO_LARGE));
    assert_eq!(parse_duration("4", "weeks"), Err(v::UNKNOWN_CHOICE));
    assert_eq!(format_minutes(360), "6 h");
    assert_eq!(format_minutes(90), "1 h 30 min");
    assert_eq!(format_minutes(1680), "1 d 4 h");
    assert_eq!(TimeUnit::fitting(2880), TimeUnit::Days);
    assert_eq!(TimeUnit::fitting(90), TimeUnit::Minutes);
}

#[test]
fn a_restore_test_needs_a_date_and_https_evidence() {
    let today = day("2026-03-10");
    let e = RestoreTestDraft::default().validate(today).unwrap_err();
    assert_eq!(e.get("performed_on"), Some(NO_DATE));
    let e = RestoreTestDraft {
        performed_on: Some(day("2026-03-11")),
        evidence_url: Some("http://intranet/bevis".into()),
        ..Default::default()
    }
    .validate(today)
    .unwrap_err();
    assert_eq!(e.get("performed_on"), Some(v::IN_FUTURE));
    assert_eq!(e.get("evidence_url"), Some(NOT_HTTPS));
    let e = RestoreTestDraft {
        planned_on: Some(day("2026-06-01")),
        restore_minutes: Some(30),
        ..Default::default()
    }
    .validate(today)
    .unwrap_err();
    assert_eq!(e.get("restore_minutes"), Some(NOT_PERFORMED));
    assert!(
        RestoreTestDraft {
            performed_on: Some(today),
            restore_minutes: Some(30),
            data_loss_minutes: Some(0),
            evidence_url: Some("https://dokument.example.se/1".into()),
            ..Default::default()
        }
        .validate(today)
        .is_ok()
    );
}

#[test]
fn the_suggestion_is_the_row_of_the_level_or_the_nearest_below() {
    let t = [
        Suggestion {
            availability: 1,
            rto_hours: 72,
            rpo_hours: 24,
            mtd_hours: 168,
        },
        Suggestion {
            availability: 3,
            rto_hours: 4,
            rpo_hours: 1,
            mtd_hours: 24,
        },
    ];
    assert_eq!(suggestion_for(&t, 3).unwrap().rto_hours, 4);
    assert_eq!(suggestion_for(&t, 4).unwrap().rto_hours, 4);
    assert_eq!(suggestion_for(&t, 2).unwrap().rto_hours, 72);
    assert_eq!(suggestion_for(&t, 0), None);
    assert_eq!(t[1].requirements().rto_minutes, Some(240));
}
