use super::*;
use crate::ids::SystemId;
use chrono::NaiveDate;

fn s(t: &str) -> Option<String> {
    Some(t.into())
}

/// A record with every item filled in.
fn complete() -> ProcessingDraft {
    ProcessingDraft {
        name: "Ekonomiskt bistånd".into(),
        contact: s("Socialnämnden, 0142-850 00; dataskyddsombud dso@kommun.se"),
        purposes: s("Handläggning av ansökningar om ekonomiskt bistånd"),
        legal_basis: Some(LegalBasis::PublicInterest),
        legal_reference: s("SoL 4 kap. 1 §"),
        data_subjects: s("Sökande, medsökande, barn"),
        data_categories: s("Kontaktuppgifter, ekonomi, hälsa"),
        sensitive_data: true,
        personal_numbers: true,
        recipients: s("Försäkringskassan, CSN"),
        retention: s("Gallras efter 5 år"),
        security_measures: s("Behörighetsstyrning, loggning"),
        dpia_required: Some(true),
        dpia_reason: s("Känsliga uppgifter i stor omfattning"),
        dpia_date: NaiveDate::from_ymd_opt(2025, 3, 1),
        dpia_result: s("Godtagbar risk efter åtgärder"),
        system_ids: vec![SystemId::new()],
        ..Default::default()
    }
}

#[test]
fn each_case_names_exactly_what_is_missing() {
    use Missing::*;
    type Change = fn(&mut ProcessingDraft);
    let cases: &[(&str, Change, &[Missing])] = &[
        ("complete", |_| {}, &[]),
        ("no contact", |d| d.contact = None, &[Contact]),
        ("blank purposes", |d| d.purposes = s("  "), &[Purposes]),
        (
            "no legal basis (and so no reference asked)",
            |d| {
                d.legal_basis = None;
                d.legal_reference = None;
            },
            &[LegalBasis],
        ),
        (
            "a public task without its law",
            |d| d.legal_reference = None,
            &[LegalReference],
        ),
        (
            "consent needs no law named",
            |d| {
                d.legal_basis = Some(super::LegalBasis::Consent);
                d.legal_reference = None;
            },
            &[],
        ),
        (
            "a legal obligation without its law",
            |d| {
                d.legal_basis = Some(super::LegalBasis::LegalObligation);
                d.legal_reference = None;
            },
            &[LegalReference],
        ),
        (
            "no categories",
            |d| {
                d.data_subjects = None;
                d.data_categories = None;
            },
            &[DataSubjects, DataCategories],
        ),
        ("no recipients", |d| d.recipients = None, &[Recipients]),
        (
            "a transfer without its safeguard",
            |d| {
                d.transfers = vec![
                    Transfer {
                        country: "USA".into(),
                        mechanism: s("EU–US Data Privacy Framework"),
                    },
                    Transfer {
                        country: "Indien".into(),
                        mechanism: None,
                    },
                ];
            },
            &[TransferMechanism],
        ),
        (
            "transfers each with a safeguard",
            |d| {
                d.transfers = vec![Transfer {
                    country: "Storbritannien".into(),
                    mechanism: s("Adekvansbeslut"),
                }];
            },
            &[],
        ),
        ("no retention", |d| d.retention = None, &[Retention]),
        ("no measures", |d| d.security_measures = None, &[Measures]),
        (
            "DPIA not decided",
            |d| {
                d.dpia_required = None;
                d.dpia_reason = None;
            },
            &[DpiaDecision],
        ),
        (
            "DPIA not required, with a reason",
            |d| {
                d.dpia_required = Some(false);
                d.dpia_date = None;
                d.dpia_result = None;
            },
            &[],
        ),
        (
            "DPIA not required, no reason",
            |d| {
                d.dpia_required = Some(false);
                d.dpia_reason = None;
            },
            &[DpiaReason],
        ),
        (
            "DPIA required but not done",
            |d| d.dpia_result = None,
            &[DpiaDone],
        ),
        ("no system", |d| d.system_ids.clear(), &[Systems]),
        (
            "a new record with a name only",
            |d| {
                *d = ProcessingDraft {
                    name: "Ny".into(),
                    ..Default::default()
                }
            },
            &[
                Contact,
                Purposes,
                LegalBasis,
                DataSubjects,
                DataCategories,
                Recipients,
                Retention,
                Measures,
                DpiaDecision,
                Systems,
            ],
        ),
    ];
    for (name, change, expected) in cases {
        let mut d = complete();
        change(&mut d);
        assert_eq!(missing(&d), *expected, "{name}");
    }
}

#[test]
fn every_missing_item_has_a_message_key() {
    let empty = ProcessingDraft {
        dpia_required: Some(true),
        legal_basis: Some(LegalBasis::PublicInterest),
        transfers: vec![Transfer {
            country: "X".into(),
            mechanism: None,
        }],
        ..Default::default()
    };
    let mut keys = missing_keys(&empty);
    keys.extend(missing_keys(&ProcessingDraft::default()));
    for k in keys {
        assert!(ERROR_CODES.contains(&k.as_str()), "{k}");
    }
}

#[test]
fn validation_trims_limits_and_dedups() {
    let id = SystemId::new();
    let d = ProcessingDraft {
        name: "  Bygglov ".into(),
        purposes: s("   "),
        system_ids: vec![id, id],
        transfers: vec![Transfer {
            country: " ".into(),
            mechanism: None,
        }],
        ..Default::default()
    };
    let e = d.clone().validate().unwrap_err();
    assert_eq!(e.get("transfers"), Some(crate::validation::REQUIRED));
    let ok = ProcessingDraft {
        transfers: vec![],
        ..d
    }
    .validate()
    .unwrap();
    assert_eq!(ok.name, "Bygglov");
    assert_eq!(ok.purposes, None);
    assert_eq!(ok.system_ids, vec![id]);
    let long = ProcessingDraft {
        name: "x".into(),
        recipients: Some("y".repeat(MAX_TEXT + 1)),
        ..Default::default()
    };
    assert_eq!(
        long.validate().unwrap_err().get("recipients"),
        Some(crate::validation::TOO_LONG)
    );
}
