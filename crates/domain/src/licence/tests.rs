use super::*;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn licence(metric: Metric, quantity: Option<i64>, source: InUseSource) -> LicenceDraft {
    LicenceDraft {
        name: "Användarlicenser".into(),
        metric,
        quantity,
        yearly_cost: Some(120_000),
        contract_id: None,
        valid_from: Some(day("2025-01-01")),
        valid_until: None,
        in_use_source: source,
        in_use_entered: None,
        notes: None,
    }
}

fn named(quantity: i64) -> LicenceDraft {
    licence(Metric::NamedUser, Some(quantity), InUseSource::Holdings)
}

fn entered(metric: Metric, quantity: Option<i64>, used: Option<i64>) -> LicenceDraft {
    LicenceDraft {
        in_use_entered: used,
        ..licence(metric, quantity, InUseSource::Entered)
    }
}

const TODAY: &str = "2026-12-06";

/// (case, licence, active holdings, in use, unused, findings, cost per user)
type Case = (
    &'static str,
    LicenceDraft,
    i64,
    Option<i64>,
    Option<i64>,
    Vec<LicenceFinding>,
    Option<i64>,
);

#[test]
fn findings_on_a_table_of_cases() {
    let ended = LicenceDraft {
        valid_until: Some(day("2026-12-05")),
        ..named(10)
    };
    let last_day_today = LicenceDraft {
        valid_until: Some(day(TODAY)),
        ..named(10)
    };
    let cases: Vec<Case> = vec![
        (
            "all seats used",
            named(100),
            100,
            Some(100),
            Some(0),
            vec![],
            Some(1200),
        ),
        (
            "one more than bought",
            named(100),
            101,
            Some(101),
            Some(-1),
            vec![LicenceFinding::Overuse],
            Some(1188),
        ),
        (
            "20 % and 20 seats free",
            named(100),
            80,
            Some(80),
            Some(20),
            vec![LicenceFinding::Idle],
            Some(1500),
        ),
        (
            "19 % free is in use",
            named(100),
            81,
            Some(81),
            Some(19),
            vec![],
            Some(1481),
        ),
        (
            "5 of 25 free: both thresholds",
            named(25),
            20,
            Some(20),
            Some(5),
            vec![LicenceFinding::Idle],
            Some(6000),
        ),
        (
            "4 of 10 free: too few seats",
            named(10),
            6,
            Some(6),
            Some(4),
            vec![],
            Some(20000),
        ),
        (
            "none in use",
            named(10),
            0,
            Some(0),
            Some(10),
            vec![LicenceFinding::Idle],
            None,
        ),
        (
            "ended yesterday: no other finding",
            ended,
            30,
            Some(30),
            Some(-20),
            vec![LicenceFinding::Ended],
            Some(4000),
        ),
        (
            "valid through today",
            last_day_today,
            30,
            Some(30),
            Some(-20),
            vec![LicenceFinding::Overuse],
            Some(4000),
        ),
        (
            "entered: holdings ignored",
            entered(Metric::NamedUser, Some(50), Some(60)),
            0,
            Some(60),
            Some(-10),
            vec![LicenceFinding::Overuse],
            Some(2000),
        ),
        (
            "entered but not known",
            entered(Metric::Installation, Some(50), None),
            3,
            None,
            None,
            vec![],
            None,
        ),
        (
            "concurrent peak entered",
            entered(Metric::ConcurrentUser, Some(40), Some(25)),
            500,
            Some(25),
            Some(15),
            vec![LicenceFinding::Idle],
            Some(4800),
        ),
        (
            "installations over",
            entered(Metric::Installation, Some(200), Some(230)),
            0,
            Some(230),
            Some(-30),
            vec![LicenceFinding::Overuse],
            Some(522),
        ),
        (
            "site: never over or idle",
            licence(Metric::Site, None, InUseSource::Holdings),
            3000,
            Some(3000),
            None,
            vec![],
            Some(40),
        ),
        (
            "site with no users",
            licence(Metric::Site, None, InUseSource::Holdings),
            0,
            Some(0),
            None,
            vec![],
            None,
        ),
    ];
    for (case, d, holdings, in_use, unused, findings, cost) in cases {
        let d = d.validate().unwrap_or_else(|e| panic!("{case}: {e:?}"));
        let j = d.judge(holdings, day(TODAY));
        assert_eq!(j.in_use, in_use, "{case}: in use");
        assert_eq!(j.unused, unused, "{case}: unused");
        assert_eq!(j.findings, findings, "{case}: findings");
        assert_eq!(j.cost_per_user, cost, "{case}: cost per user");
    }
}

#[test]
fn the_idle_rule_needs_both_thresholds() {
    for (bought, unused, idle) in [
        (5, 5, true),
        (5, 4, false),
        (25, 5, true),
        (26, 5, false),
        (1000, 199, false),
        (1000, 200, true),
        (3, 1, false),
    ] {
        assert_eq!(is_idle(bought, unused), idle, "{unused} of {bought}");
    }
}

#[test]
fn a_licence_runs_after_a_day_unless_its_last_day_is_on_or_before_it() {
    let planned = day("2027-03-31");
    let until = |d: Option<&str>| LicenceDraft {
        valid_until: d.map(day),
        ..named(10)
    };
    assert!(until(None).runs_after(planned), "open-ended");
    assert!(until(Some("2027-04-01")).runs_after(planned));
    assert!(!until(Some("2027-03-31")).runs_after(planned));
    assert!(!until(Some("2026-01-01")).runs_after(planned));
}

#[test]
fn the_draft_is_checked_against_its_metric() {
    let mut bad = licence(Metric::Site, Some(10), InUseSource::Holdings);
    bad.name = "  ".into();
    bad.yearly_cost = Some(-1);
    bad.in_use_entered = Some(3);
    bad.valid_until = Some(day("2024-12-31"));
    let e = bad.validate().unwrap_err();
    assert_eq!(e.get("name"), Some(v::REQUIRED));
    assert_eq!(e.get("quantity"), Some(NO_QUANTITY_FOR_SITE));
    assert_eq!(e.get("yearly_cost"), Some(v::NEGATIVE));
    assert_eq!(e.get("in_use_entered"), Some(ENTERED_WITH_HOLDINGS));
    assert_eq!(e.get("valid_until"), Some(v::END_BEFORE_START));

    let e = licence(Metric::Installation, None, InUseSource::Holdings)
        .validate()
        .unwrap_err();
    assert_eq!(e.get("quantity"), Some(v::REQUIRED));
    assert_eq!(e.get("in_use_source"), Some(HOLDINGS_NOT_FOR_METRIC));
    let e = licence(
        Metric::ConcurrentUser,
        Some(MAX_NUMBER + 1),
        InUseSource::Holdings,
    )
    .validate()
    .unwrap_err();
    assert_eq!(e.get("quantity"), Some(v::TOO_LONG));
    assert_eq!(e.get("in_use_source"), Some(HOLDINGS_NOT_FOR_METRIC));

    let ok = LicenceDraft {
        name: " Office ".into(),
        notes: Some("  ".into()),
        ..named(10)
    }
    .validate()
    .unwrap();
    assert_eq!((ok.name.as_str(), ok.notes), ("Office", None));
}
