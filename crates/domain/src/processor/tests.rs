use super::*;
use crate::access::Language;
use crate::ids::SupplierId;
use chrono::NaiveDate;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn signed(on: &str) -> ProcessorDraft {
    let mut p = ProcessorDraft::new(SupplierId::new());
    p.signed_on = Some(d(on));
    p
}

fn transfer(mut p: ProcessorDraft, country: &str, m: TransferMechanism) -> ProcessorDraft {
    p.transfers.push(Transfer {
        country: country.into(),
        mechanism: m,
        note: None,
    });
    p
}

fn sub(mut p: ProcessorDraft, name: &str, country: &str) -> ProcessorDraft {
    p.sub_processors.push(SubProcessor {
        name: name.into(),
        country: country.into(),
        activity: Some("Drift".into()),
    });
    p
}

fn review(mut p: ProcessorDraft, months: u32, last: Option<&str>) -> ProcessorDraft {
    p.review_interval_months = Some(months);
    p.last_review_on = last.map(d);
    p
}

#[test]
fn the_status_of_each_case_with_its_reasons_in_words() {
    use ProcessorStatus::*;
    use TransferMechanism as M;
    let base = || signed("2025-01-10");
    let cases: Vec<(&str, ProcessorDraft, ProcessorStatus, &str)> = vec![
        ("signed, nothing else", base(), Valid, ""),
        (
            "not signed",
            ProcessorDraft::new(SupplierId::new()),
            Draft,
            "inte undertecknat",
        ),
        (
            "signed in the future",
            signed("2026-09-01"),
            Draft,
            "inte undertecknat",
        ),
        (
            "terminated",
            ProcessorDraft {
                terminated_on: Some(d("2026-03-01")),
                ..base()
            },
            Terminated,
            "sades upp 2026-03-01",
        ),
        (
            "terminated later: still in force",
            ProcessorDraft {
                terminated_on: Some(d("2026-12-31")),
                ..base()
            },
            Valid,
            "",
        ),
        (
            "ended",
            ProcessorDraft {
                ends_on: Some(d("2026-05-31")),
                ..base()
            },
            Expired,
            "upphörde att gälla 2026-05-31",
        ),
        (
            "ends today: still in force",
            ProcessorDraft {
                ends_on: Some(d("2026-06-15")),
                ..base()
            },
            Valid,
            "",
        ),
        (
            "a third-country transfer without mechanism",
            transfer(base(), "US", M::None),
            NotValid,
            "Tredjelandsöverföringen till US saknar överföringsmekanism",
        ),
        (
            "standard contractual clauses to India",
            transfer(base(), "IN", M::StandardContractualClauses),
            Valid,
            "",
        ),
        (
            "the framework to the US",
            transfer(base(), "US", M::DataPrivacyFramework),
            Valid,
            "",
        ),
        (
            "the framework to India",
            transfer(base(), "IN", M::DataPrivacyFramework),
            NotValid,
            "bara överföringar till USA, inte till IN",
        ),
        (
            "adequacy for the UK",
            transfer(base(), "GB", M::AdequacyDecision),
            Valid,
            "",
        ),
        (
            "adequacy claimed for India",
            transfer(base(), "IN", M::AdequacyDecision),
            NotValid,
            "IN har inget beslut om adekvat skyddsnivå",
        ),
        (
            "binding corporate rules",
            transfer(base(), "CN", M::BindingCorporateRules),
            Valid,
            "",
        ),
        (
            "a 'transfer' within the EEA needs nothing",
            transfer(base(), "DE", M::None),
            Valid,
            "",
        ),
        (
            "a sub-processor in Finland",
            sub(base(), "Hosting Oy", "FI"),
            Valid,
            "",
        ),
        (
            "a sub-processor in the US without a transfer",
            sub(base(), "Cloud Inc", "US"),
            NotValid,
            "Underbiträdet Cloud Inc behandlar uppgifter i US",
        ),
        (
            "a sub-processor in the US with its transfer",
            transfer(
                sub(base(), "Cloud Inc", "US"),
                "US",
                M::StandardContractualClauses,
            ),
            Valid,
            "",
        ),
        (
            "review on time (never reviewed, 24 months)",
            review(base(), 24, None),
            Valid,
            "",
        ),
        (
            "review overdue (never reviewed, 12 months)",
            review(base(), 12, None),
            ReviewOverdue,
            "senast 2026-01-10",
        ),
        (
            "review overdue after the last one",
            review(base(), 6, Some("2025-11-01")),
            ReviewOverdue,
            "senast 2026-05-01",
        ),
        (
            "reviewed recently",
            review(base(), 12, Some("2026-02-01")),
            Valid,
            "",
        ),
        (
            "not valid wins over a late review",
            review(transfer(base(), "US", M::None), 1, None),
            NotValid,
            "saknar överföringsmekanism",
        ),
    ];
    let today = d("2026-06-15");
    for (name, draft, want, words) in cases {
        let a = Assessment::of(&draft, today);
        assert_eq!(a.status, want, "{name}");
        let sv = a.reasons_sv.join(" ");
        if words.is_empty() {
            assert!(a.reasons_sv.is_empty(), "{name}: {sv}");
        } else {
            assert!(sv.contains(words), "{name}: {sv}");
        }
        assert_eq!(a.reasons_sv.len(), a.reasons_en.len(), "{name}");
    }
}

#[test]
fn only_a_valid_agreement_or_one_with_a_late_review_covers_its_systems() {
    for s in ProcessorStatus::ALL {
        let covers = matches!(s, ProcessorStatus::Valid | ProcessorStatus::ReviewOverdue);
        assert_eq!(s.covers(), covers, "{s}");
    }
}

#[test]
fn the_next_review_is_one_interval_after_the_last_or_after_signing() {
    assert_eq!(
        next_review(&review(signed("2025-01-31"), 1, None)),
        Some(d("2025-02-28"))
    );
    assert_eq!(
        next_review(&review(signed("2025-01-31"), 12, Some("2025-08-15"))),
        Some(d("2026-08-15"))
    );
    assert_eq!(next_review(&signed("2025-01-31")), None);
}

#[test]
fn the_english_words_say_the_same() {
    let p = transfer(signed("2025-01-01"), "US", TransferMechanism::None);
    let a = Assessment::of(&p, d("2026-01-01"));
    assert!(a.reasons_en[0].contains("third country US has no transfer mechanism"));
    assert!(
        Problem::NotSigned
            .words(Language::En)
            .contains("not signed")
    );
}

#[test]
fn validation_names_each_field_and_normalises_countries() {
    let mut p = sub(signed("2025-01-01"), "  Moln AB ", " us");
    p = transfer(p, "us ", TransferMechanism::StandardContractualClauses);
    p.reference = Some("  KS 2025/12 ".into());
    let ok = p.clone().validate().unwrap();
    assert_eq!(ok.sub_processors[0].name, "Moln AB");
    assert_eq!(ok.sub_processors[0].country, "US");
    assert_eq!(ok.transfers[0].country, "US");
    assert_eq!(ok.reference.as_deref(), Some("KS 2025/12"));

    let mut bad = sub(signed("2025-01-01"), "", "USA");
    bad = transfer(bad, "1", TransferMechanism::None);
    bad.review_interval_months = Some(0);
    bad.ends_on = Some(d("2024-12-31"));
    bad.note = Some("x".repeat(MAX_NOTE + 1));
    let e = bad.validate().unwrap_err();
    assert_eq!(e.get("sub_processors"), Some(crate::validation::REQUIRED));
    assert_eq!(e.get("transfers"), Some(INVALID_COUNTRY));
    assert_eq!(e.get("review_interval_months"), Some(INTERVAL_OUT_OF_RANGE));
    assert_eq!(e.get("ends_on"), Some(ENDS_BEFORE_SIGNED));
    assert_eq!(e.get("note"), Some(crate::validation::TOO_LONG));

    let mut many = signed("2025-01-01");
    for i in 0..=MAX_ENTRIES {
        many = sub(many, &format!("S{i}"), "SE");
    }
    assert_eq!(
        many.validate().unwrap_err().get("sub_processors"),
        Some(TOO_MANY)
    );
}

#[test]
fn the_review_reminder_is_due_from_the_lead_time_to_the_day_and_named_in_words() {
    let day = d("2026-11-01");
    assert!(!review_reminder_due(day, 30, d("2026-10-01")));
    assert!(review_reminder_due(day, 30, d("2026-10-02")));
    assert!(review_reminder_due(day, 30, day));
    assert!(!review_reminder_due(day, 30, d("2026-11-02")));
    let (subject, body) = review_reminder(Language::Sv, None, "k", "Tieto", "a1", "Procapita", day);
    assert!(
        subject.contains("Tieto") && subject.contains("2026-11-01"),
        "{subject}"
    );
    assert!(
        body.contains("/o/k/processors/a1") && body.contains("Procapita"),
        "{body}"
    );
    let (subject, body) = review_reminder(
        Language::En,
        Some("https://insyn.kommun.se"),
        "k",
        "Tieto",
        "a1",
        "Procapita",
        day,
    );
    assert!(
        body.contains("the agreement: https://insyn.kommun.se/o/k/processors/a1\n"),
        "{body}"
    );
    assert!(
        subject.starts_with("Review of the processor Tieto"),
        "{subject}"
    );
}
