use super::*;
use chrono::NaiveDate;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
}

fn record_type(name: &str, disposition: Disposition) -> RecordTypeDraft {
    RecordTypeDraft {
        name: name.into(),
        disposition,
        disposal_period: None,
        decision_reference: None,
        decision_date: None,
        archive_format: None,
        delivery_deadline: None,
        delivered_on: None,
        delivery_reference: None,
        note: None,
    }
}

fn erased(serial: &str) -> ErasureDraft {
    ErasureDraft {
        method: Some(ErasureMethod::Purge),
        erased_on: Some(day(2)),
        verification_result: Some(VerificationResult::Passed),
        ..ErasureDraft::medium("SSD", Some(serial))
    }
}

/// Facts where every gate passes.
fn clean() -> GateFacts {
    let mut keep = record_type("Bygglov", Disposition::Keep);
    keep.delivered_on = Some(day(1));
    keep.delivery_reference = Some("FGS-2026-17".into());
    let mut dispose = record_type("Loggar", Disposition::Dispose);
    dispose.decision_reference = Some("KS 2024/88".into());
    GateFacts {
        record_types: vec![keep, dispose],
        media: vec![erased("S1")],
        ..GateFacts::default()
    }
}

fn failing_of(f: &GateFacts) -> Vec<Gate> {
    failing(&check_gates(f))
}

#[test]
fn every_gate_passes_on_a_clean_register() {
    let outcomes = check_gates(&clean());
    assert_eq!(outcomes.len(), Gate::ALL.len());
    assert!(outcomes.iter().all(|o| o.passed), "{outcomes:?}");
}

#[test]
fn each_gate_fails_on_its_own_fact_and_names_what_blocks() {
    let mut f = clean();
    f.record_types[0].delivery_reference = None;
    let o = check_gates(&f);
    assert_eq!(failing(&o), vec![Gate::KeepDelivered]);
    assert_eq!(o[0].items, vec!["Bygglov".to_string()]);

    let mut f = clean();
    f.record_types[1].decision_reference = None;
    assert_eq!(failing_of(&f), vec![Gate::DisposeDecided]);

    let mut f = clean();
    f.media.clear();
    assert_eq!(failing_of(&f), vec![Gate::ErasureRecorded]);

    let mut f = clean();
    f.media.push(ErasureDraft::medium("Backupband", Some("T9")));
    let o = check_gates(&f);
    assert_eq!(failing(&o), vec![Gate::MediaErased]);
    assert_eq!(o[3].items, vec!["Backupband (T9)".to_string()]);

    let mut f = clean();
    f.media[0].verification_result = Some(VerificationResult::Failed);
    assert_eq!(failing_of(&f), vec![Gate::MediaErased]);

    let mut f = clean();
    f.open_roles = 2;
    f.open_holdings = 1;
    f.integrations = 3;
    let o = check_gates(&f);
    assert_eq!(
        failing(&o),
        vec![
            Gate::RolesEnded,
            Gate::AccessEnded,
            Gate::IntegrationsRemoved
        ]
    );
    assert_eq!(o[6].blocking, 3);
}

#[test]
fn a_case_closes_only_when_the_gates_pass_or_with_a_reason() {
    let ok = check_gates(&clean());
    let none = CloseRequest::default();
    assert_eq!(
        decide_close(CaseStatus::Open, &ok, &none).unwrap(),
        (CaseStatus::Closed, None, vec![])
    );
    let mut f = clean();
    f.media.clear();
    f.integrations = 1;
    let bad = check_gates(&f);
    let e = decide_close(CaseStatus::Open, &bad, &none).unwrap_err();
    assert_eq!(e.get("exception_reason"), Some(GATES_FAIL));
    assert_eq!(
        e.get("gates.erasure_recorded"),
        Some("decommission-gate-erasure-recorded")
    );
    assert_eq!(
        e.get("gates.integrations_removed"),
        Some("decommission-gate-integrations-removed")
    );
    let blank = CloseRequest {
        exception_reason: Some("  ".into()),
    };
    assert!(decide_close(CaseStatus::Open, &bad, &blank).is_err());
    let signed = CloseRequest {
        exception_reason: Some("Disken stulen, polisanmäld".into()),
    };
    let (status, reason, gates) = decide_close(CaseStatus::Open, &bad, &signed).unwrap();
    assert_eq!(status, CaseStatus::ClosedWithException);
    assert_eq!(reason.as_deref(), Some("Disken stulen, polisanmäld"));
    assert_eq!(
        gates,
        vec![Gate::ErasureRecorded, Gate::IntegrationsRemoved]
    );
    let e = decide_close(CaseStatus::Closed, &ok, &none).unwrap_err();
    assert_eq!(e.get("status"), Some(CASE_CLOSED));
}

#[test]
fn every_gate_has_its_words_among_the_error_codes() {
    for g in Gate::ALL {
        assert!(ERROR_CODES.contains(&g.key()), "{g}");
    }
}

#[test]
fn drafts_check_their_lengths_and_an_erasure_date_needs_a_method() {
    let mut t = record_type(" ", Disposition::Keep);
    t.delivery_reference = Some("x".repeat(MAX_SHORT + 1));
    let e = t.validate().unwrap_err();
    assert!(e.get("name").is_some() && e.get("delivery_reference").is_some());
    let mut m = ErasureDraft::medium("HDD", None);
    m.erased_on = Some(day(3));
    assert_eq!(
        m.validate().unwrap_err().get("method"),
        Some(ERASED_WITHOUT_METHOD)
    );
    assert!(erased("S2").validate().unwrap().erased());
}

/// A signed contract from 1 January 2025 whose first term ends on `end`.
fn contract_term(end: NaiveDate, renewal: crate::contract::Renewal) -> crate::contract::Term {
    crate::contract::Term {
        signed: Some(NaiveDate::from_ymd_opt(2024, 12, 1).unwrap()),
        start: Some(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()),
        end: Some(end),
        renewal,
        ..Default::default()
    }
}

/// `clean()` with one contract covering the system, judged on 31 March.
fn with_contract(term: &crate::contract::Term, shared_in_use: bool) -> GateFacts {
    let cutoff = day(31);
    let dates = crate::contract::ContractDates::of(&crate::contract::schedule(term, cutoff));
    GateFacts {
        contracts: vec![CoveringContract {
            name: "Drift (Leverantören AB)".into(),
            dates,
            shared_in_use,
        }],
        cutoff,
        ..clean()
    }
}

#[test]
fn a_contract_blocks_until_it_ends_by_the_planned_date() {
    use crate::contract::{ContractParty, NoticeGiven, Renewal};
    // Renewed tacitly unless notice is given: blocks, named.
    let tacit = contract_term(day(20), Renewal::Tacit { months: 12 });
    let o = check_gates(&with_contract(&tacit, false));
    assert_eq!(failing(&o), vec![Gate::ContractsEnded]);
    assert_eq!(o[7].items, vec!["Drift (Leverantören AB)".to_string()]);
    // Notice given in time ends it on 20 March, before the planned date.
    let mut given = tacit.clone();
    given.notice_given = Some(NoticeGiven {
        on: day(1),
        by: ContractParty::Customer,
    });
    assert_eq!(failing_of(&with_contract(&given, false)), vec![]);
    // A fixed term ending on the planned date itself ends by it; one after it does not.
    let fixed = contract_term(day(31), Renewal::None);
    assert_eq!(failing_of(&with_contract(&fixed, false)), vec![]);
    let later = contract_term(NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(), Renewal::None);
    assert_eq!(
        failing_of(&with_contract(&later, false)),
        vec![Gate::ContractsEnded]
    );
    // Until further notice: blocks without notice.
    let rolling = contract_term(day(20), Renewal::UntilFurtherNotice);
    assert_eq!(
        failing_of(&with_contract(&rolling, false)),
        vec![Gate::ContractsEnded]
    );
    // A contract that also covers a system still in use goes on for it.
    assert_eq!(failing_of(&with_contract(&tacit, true)), vec![]);
    // A draft was never signed and binds no one.
    let mut draft = tacit.clone();
    draft.signed = None;
    assert_eq!(failing_of(&with_contract(&draft, false)), vec![]);
}

#[test]
fn a_licence_blocks_while_it_runs_after_the_planned_date() {
    use crate::licence::{InUseSource, LicenceDraft, Metric};
    let licence = |name: &str, until: Option<u32>| LicenceDraft {
        name: name.into(),
        metric: Metric::NamedUser,
        quantity: Some(10),
        yearly_cost: None,
        contract_id: None,
        valid_from: None,
        valid_until: until.map(day),
        in_use_source: InUseSource::Holdings,
        in_use_entered: None,
        notes: None,
    };
    let f = GateFacts {
        licences: vec![
            licence("Användare", None),
            licence("Mobil", Some(31)),
            licence("Rapport", Some(20)),
        ],
        cutoff: day(30),
        ..clean()
    };
    let o = check_gates(&f);
    assert_eq!(failing(&o), vec![Gate::LicencesEnded]);
    assert_eq!(
        o[8].items,
        vec!["Användare".to_string(), "Mobil".to_string()]
    );
    // Ending on the planned date itself ends by it.
    let f = GateFacts {
        cutoff: day(31),
        licences: vec![licence("Mobil", Some(31))],
        ..clean()
    };
    assert_eq!(failing_of(&f), vec![]);
}
