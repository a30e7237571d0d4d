use super::*;
use crate::validation as v;
use chrono::NaiveDate;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn high_risk() -> AiActDraft {
    AiActDraft {
        contains_ai: AiActPresence::Yes,
        risk_class: Some(AiActRiskClass::HighRisk),
        role: Some(AiActRole::Deployer),
        description: Some("  Bedömer ansökningar om försörjningsstöd ".into()),
        fria_on: None,
        fria_reference: None,
    }
}

#[test]
fn high_risk_use_without_a_fria_is_a_finding_until_one_is_recorded() {
    let d = high_risk().validate(day("2026-12-06")).unwrap();
    assert_eq!(
        d.description.as_deref(),
        Some("Bedömer ansökningar om försörjningsstöd")
    );
    assert!(d.high_risk_use());
    assert_eq!(d.findings(), vec![AiActFinding::HighRiskWithoutFria]);
    let mut done = d.clone();
    done.fria_on = Some(day("2026-11-01"));
    done.fria_reference = Some("KS 2026/112".into());
    let done = done.validate(day("2026-12-06")).unwrap();
    assert!(done.findings().is_empty());
    // A provider that does not use it itself makes no FRIA (art. 27 is the deployer's).
    let mut provider = d;
    provider.role = Some(AiActRole::Provider);
    assert!(!provider.high_risk_use());
    assert!(provider.findings().is_empty());
}

#[test]
fn prohibited_use_and_unassessed_systems_are_named() {
    let mut p = high_risk();
    p.risk_class = Some(AiActRiskClass::Prohibited);
    assert_eq!(p.findings(), vec![AiActFinding::ProhibitedUse]);
    assert_eq!(
        AiActDraft::default().findings(),
        vec![AiActFinding::NotAssessed]
    );
    let none = AiActDraft {
        contains_ai: AiActPresence::No,
        ..AiActDraft::default()
    };
    assert!(none.findings().is_empty());
}

#[test]
fn facts_that_contradict_each_other_are_refused_on_their_field() {
    let mut d = high_risk();
    d.contains_ai = AiActPresence::No;
    let e = d.validate(day("2026-12-06")).unwrap_err();
    assert_eq!(e.get("risk_class"), Some(NOT_AI));
    assert_eq!(e.get("role"), Some(NOT_AI));

    let mut d = high_risk();
    d.risk_class = Some(AiActRiskClass::Minimal);
    d.fria_on = Some(day("2026-01-01"));
    let e = d.validate(day("2026-12-06")).unwrap_err();
    assert_eq!(e.get("fria_on"), Some(FRIA_NOT_HIGH_RISK));

    let mut d = high_risk();
    d.fria_reference = Some("KS 2026/1".into());
    assert_eq!(
        d.clone()
            .validate(day("2026-12-06"))
            .unwrap_err()
            .get("fria_on"),
        Some(v::REQUIRED)
    );
    d.fria_on = Some(day("2026-12-07"));
    assert_eq!(
        d.clone()
            .validate(day("2026-12-06"))
            .unwrap_err()
            .get("fria_on"),
        Some(v::IN_FUTURE)
    );
    d.fria_on = Some(day("2026-12-06"));
    d.fria_reference = Some("x".repeat(201));
    assert_eq!(
        d.validate(day("2026-12-06"))
            .unwrap_err()
            .get("fria_reference"),
        Some(v::TOO_LONG)
    );
}

#[test]
fn an_entity_class_is_checked() {
    let d = NisDraft {
        entity_class: NisEntityClass::Essential,
        sector: Some(NisSector::PublicAdministration),
        registered_on: Some(day("2026-12-07")),
        registration_reference: Some(" ".into()),
    };
    assert!(d.covered());
    let e = d.clone().validate(day("2026-12-06")).unwrap_err();
    assert_eq!(e.get("registered_on"), Some(v::IN_FUTURE));
    let ok = NisDraft {
        registered_on: Some(day("2026-02-01")),
        ..d
    }
    .validate(day("2026-12-06"))
    .unwrap();
    assert_eq!(ok.registration_reference, None);
    assert!(!NisDraft::default().covered());
    assert_eq!(NisSector::ALL.len(), 18);
}
