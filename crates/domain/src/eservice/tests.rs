use super::public::{EServiceField, EServiceSecrecy};
use super::*;
use crate::ids::{EServiceId, OrgId, SystemId};
use chrono::NaiveDate;
use uuid::Uuid;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn assessed(verdict: EServiceVerdict) -> Vec<EServiceCriterion> {
    EServiceCriterionKind::ALL
        .iter()
        .map(|c| EServiceCriterion {
            criterion: *c,
            verdict,
            note: None,
        })
        .collect()
}

/// An e-service with nothing to remark on at 2026-06-01.
fn complete() -> EServiceDraft {
    EServiceDraft {
        url: Some("https://kommun.se/bygglov".into()),
        statement_url: Some("https://kommun.se/tillganglighet".into()),
        statement_date: Some(day("2025-09-01")),
        accessibility_status: Some(EServiceAccessibility::FullyCompliant),
        criteria: assessed(EServiceVerdict::Met),
        system_ids: vec![SystemId(Uuid::nil())],
        ..EServiceDraft::new("Ansökan om bygglov", EServiceStep::Transaction)
    }
}

#[test]
fn findings_on_a_table_of_cases() {
    let today = day("2026-06-01");
    type Case = (
        &'static str,
        fn(&mut EServiceDraft),
        &'static [&'static str],
    );
    let cases: &[Case] = &[
        ("complete", |_| {}, &[]),
        ("no statement", |d| d.statement_url = None, &[NO_STATEMENT]),
        (
            "statement without dates",
            |d| d.statement_date = None,
            &[STATEMENT_UNDATED],
        ),
        (
            "made a year and a day ago",
            |d| d.statement_date = Some(day("2025-05-31")),
            &[STATEMENT_OLD],
        ),
        (
            "made exactly a year ago",
            |d| d.statement_date = Some(day("2025-06-01")),
            &[],
        ),
        (
            "old but reviewed since",
            |d| {
                d.statement_date = Some(day("2020-01-01"));
                d.statement_reviewed_on = Some(day("2026-01-15"));
            },
            &[],
        ),
        (
            "reviewed long ago",
            |d| {
                d.statement_date = Some(day("2020-01-01"));
                d.statement_reviewed_on = Some(day("2024-01-15"));
            },
            &[STATEMENT_OLD],
        ),
        ("no status", |d| d.accessibility_status = None, &[NO_STATUS]),
        (
            "partially compliant",
            |d| d.accessibility_status = Some(EServiceAccessibility::PartiallyCompliant),
            &[NOT_COMPLIANT],
        ),
        (
            "not compliant",
            |d| d.accessibility_status = Some(EServiceAccessibility::NotCompliant),
            &[NOT_COMPLIANT],
        ),
        (
            "one criterion not recorded",
            |d| {
                d.criteria.pop();
            },
            &[CRITERIA_NOT_ASSESSED],
        ),
        (
            "one criterion not met, one not assessed",
            |d| {
                d.criteria[0].verdict = EServiceVerdict::NotMet;
                d.criteria[1].verdict = EServiceVerdict::NotAssessed;
            },
            &[CRITERIA_NOT_ASSESSED, CRITERIA_NOT_MET],
        ),
        ("no systems", |d| d.system_ids.clear(), &[NO_SYSTEMS]),
        (
            "nothing but a name",
            |d| *d = EServiceDraft::new("Felanmälan gata", EServiceStep::Interaction),
            &[NO_STATEMENT, CRITERIA_NOT_ASSESSED, NO_SYSTEMS],
        ),
    ];
    for (name, change, want) in cases {
        let mut d = complete();
        change(&mut d);
        assert_eq!(findings(&d, today), *want, "{name}");
    }
    // Every finding is listed once, in order.
    assert_eq!(FINDINGS.len(), 8);
}

#[test]
fn validation_names_the_field() {
    type Case = (
        &'static str,
        fn(&mut EServiceDraft),
        Option<(&'static str, &'static str)>,
    );
    let cases: &[Case] = &[
        ("valid", |_| {}, None),
        (
            "blank name",
            |d| d.name = "  ".into(),
            Some(("name", "error-required")),
        ),
        (
            "long name",
            |d| d.name = "x".repeat(301),
            Some(("name", "error-too-long")),
        ),
        (
            "bad url",
            |d| d.url = Some("kommun.se".into()),
            Some(("url", "error-not-a-url")),
        ),
        (
            "bad statement url",
            |d| d.statement_url = Some("ftp://x".into()),
            Some(("statement_url", "error-not-a-url")),
        ),
        (
            "long url",
            |d| d.url = Some(format!("https://{}", "x".repeat(2000))),
            Some(("url", "error-too-long")),
        ),
        (
            "reviewed before made",
            |d| d.statement_reviewed_on = Some(day("2025-01-01")),
            Some(("statement_reviewed_on", "error-end-before-start")),
        ),
        (
            "criterion twice",
            |d| d.criteria.push(d.criteria[0].clone()),
            Some(("criteria", DUPLICATE_CRITERION)),
        ),
        (
            "long note",
            |d| d.criteria[2].note = Some("x".repeat(4001)),
            Some(("criteria", "error-too-long")),
        ),
        (
            "long description",
            |d| d.description = Some("x".repeat(4001)),
            Some(("description", "error-too-long")),
        ),
        (
            "too many systems",
            |d| d.system_ids = (0..101).map(|i| SystemId(Uuid::from_u128(i))).collect(),
            Some(("system_ids", "error-too-long")),
        ),
    ];
    for (name, change, want) in cases {
        let mut d = complete();
        change(&mut d);
        let got = d
            .validate()
            .err()
            .map(|e| (e.0[0].field.clone(), e.0[0].code));
        assert_eq!(got.as_ref().map(|(f, c)| (f.as_str(), *c)), *want, "{name}");
    }
}

#[test]
fn validation_trims_sorts_and_orders_the_criteria() {
    let mut d = complete();
    d.name = "  Bygglov ".into();
    d.owner = Some("   ".into());
    d.target_groups = vec![
        EServiceTargetGroup::Parents,
        EServiceTargetGroup::Citizens,
        EServiceTargetGroup::Parents,
    ];
    d.criteria.reverse();
    let d = d.validate().unwrap();
    assert_eq!(d.name, "Bygglov");
    assert_eq!(d.owner, None);
    assert_eq!(d.target_groups.len(), 2);
    assert_eq!(d.criteria[0].criterion, EServiceCriterionKind::Vision);
    assert_eq!(
        d.criteria[4].criterion,
        EServiceCriterionKind::Infrastructure
    );
    assert_eq!(EServiceStep::Integration.number(), 4);
}

fn stored(d: EServiceDraft) -> EService {
    EService {
        id: EServiceId(Uuid::nil()),
        org_id: OrgId(Uuid::nil()),
        draft: d,
        unit: Some("Samhällsbyggnad".into()),
        systems: vec![EServiceSystem {
            id: SystemId(Uuid::nil()),
            name: "ByggR".into(),
        }],
        findings: vec![],
        updated_by: "t".into(),
        updated_at: chrono::DateTime::UNIX_EPOCH,
    }
}

#[test]
fn the_public_sees_only_published_services_and_public_fields() {
    let mut d = complete();
    d.owner = Some("Anna Ägare".into());
    // Not published: nothing at all.
    let defaults = EServiceSecrecy::from_marks(&[]);
    assert_eq!(defaults.redact(&stored(d.clone())), None);
    d.published = true;
    let p = defaults.redact(&stored(d.clone())).unwrap();
    assert_eq!(p.name.as_deref(), Some("Ansökan om bygglov"));
    assert_eq!(p.step, Some(EServiceStep::Transaction));
    assert!(p.statement_url.is_some());
    // Secret by default: who runs it, the systems behind it, the criteria.
    assert_eq!((&p.unit, &p.owner), (&None, &None));
    assert!(p.systems.is_empty() && p.criteria_met.is_empty());
    assert!(!p.search_text().contains("byggr") && !p.search_text().contains("anna"));
    // The organisation opens the systems and closes the statement.
    let marks = vec![
        ("systems".to_owned(), true),
        ("accessibility".to_owned(), false),
        ("nonsense".to_owned(), true),
    ];
    let s = EServiceSecrecy::from_marks(&marks);
    assert!(s.is_public(EServiceField::Systems));
    let p = s.redact(&stored(d)).unwrap();
    assert_eq!(p.systems, ["ByggR"]);
    assert_eq!((&p.statement_url, p.statement_date), (&None, None));
    assert!(p.search_text().contains("byggr"));
    assert_eq!(s.marks().len(), EServiceField::ALL.len());
}
