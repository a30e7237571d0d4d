use super::*;

fn class(c: i16, i: i16, a: i16, t: Option<i16>) -> Classification {
    Classification {
        id: Uuid::now_v7(),
        information_set_id: Uuid::now_v7(),
        confidentiality: c,
        integrity: i,
        availability: a,
        traceability: t,
        justification: "x".into(),
        classified_by: "x".into(),
        classified_at: Utc::now(),
        valid_until: None,
    }
}

fn set(c: Option<Classification>) -> InformationSet {
    InformationSet {
        id: Uuid::now_v7(),
        system_id: SystemId::new(),
        name: "x".into(),
        description: None,
        personal_data: false,
        sensitive_personal_data: false,
        current: c,
    }
}

#[test]
fn a_systems_level_is_the_highest_of_its_sets() {
    let sets = [
        set(Some(class(3, 1, 2, None))),
        set(Some(class(1, 2, 3, Some(2)))),
        set(None),
    ];
    let l = Levels::of(&sets);
    assert_eq!(l.confidentiality, Some(3));
    assert_eq!(l.integrity, Some(2));
    assert_eq!(l.availability, Some(3));
    assert_eq!(l.traceability, Some(2));
    assert!(l.suggests_business_critical());
    assert!(!l.needs_separate_analysis());
    assert_eq!(Levels::of(&[set(None)]), Levels::default());
    assert!(!Levels::of(&[set(Some(class(4, 1, 1, None)))]).suggests_business_critical());
    assert!(Levels::of(&[set(Some(class(4, 1, 1, None)))]).needs_separate_analysis());
}

#[test]
fn classification_levels_stay_on_the_scale() {
    let d = ClassificationDraft {
        confidentiality: 5,
        integrity: -1,
        availability: 2,
        traceability: None,
        justification: " ".into(),
        valid_until: None,
    };
    let e = d.clone().validate(4, true).unwrap_err();
    assert_eq!(e.get("confidentiality"), Some(v::UNKNOWN_CHOICE));
    assert_eq!(e.get("integrity"), Some(v::UNKNOWN_CHOICE));
    assert_eq!(e.get("traceability"), Some(v::REQUIRED));
    assert_eq!(e.get("justification"), Some(v::REQUIRED));
    assert!(e.get("availability").is_none());
}

#[test]
fn plans_move_draft_submitted_approved_only() {
    use PlanAction::*;
    use PlanStatus::*;
    assert_eq!(plan_transition(Draft, Submit), Some(Submitted));
    assert_eq!(plan_transition(Submitted, Approve), Some(Approved));
    assert_eq!(plan_transition(Submitted, Return), Some(Draft));
    assert_eq!(plan_transition(Draft, Approve), None);
    assert_eq!(plan_transition(Approved, Edit), None);
    assert_eq!(plan_transition(Approved, Submit), None);
    assert_eq!(plan_transition(Superseded, Edit), None);
}

#[test]
fn an_approval_needs_renewal_when_its_basis_changes_or_a_measure_is_late() {
    let c = Uuid::now_v7();
    let p = Uuid::now_v7();
    let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let mut a = Approval {
        id: Uuid::now_v7(),
        system_id: SystemId::new(),
        baseline: "x".into(),
        measures: vec![Measure {
            description: "Logguppföljning".into(),
            owner: "IT".into(),
            deadline: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            done: false,
        }],
        classification_id: Some(c),
        plan_id: Some(p),
        plan_version: Some(1),
        owner_signed_by: Some("o".into()),
        owner_signed_at: Some(Utc::now()),
        it_signed_by: None,
        it_signed_at: None,
        created_by: "x".into(),
        created_at: Utc::now(),
        status: ApprovalStatus::Unsigned,
        renewal_reasons: vec![],
    };
    let basis = CurrentBasis {
        classification_id: Some(c),
        plan_id: Some(p),
    };
    assert_eq!(
        approval_status(&a, basis, today).0,
        ApprovalStatus::Unsigned
    );
    a.it_signed_at = Some(Utc::now());
    assert_eq!(
        approval_status(&a, basis, today).0,
        ApprovalStatus::Approved
    );
    let reclassified = CurrentBasis {
        classification_id: Some(Uuid::now_v7()),
        plan_id: Some(p),
    };
    assert_eq!(
        approval_status(&a, reclassified, today),
        (
            ApprovalStatus::NeedsRenewal,
            vec![RenewalReason::ClassificationChanged]
        )
    );
    let later = NaiveDate::from_ymd_opt(2026, 9, 2).unwrap();
    assert_eq!(
        approval_status(&a, basis, later).1,
        vec![RenewalReason::MeasureOverdue]
    );
    a.measures[0].done = true;
    assert_eq!(
        approval_status(&a, basis, later).0,
        ApprovalStatus::Approved
    );
    let new_plan = CurrentBasis {
        classification_id: Some(c),
        plan_id: Some(Uuid::now_v7()),
    };
    assert_eq!(
        approval_status(&a, new_plan, today).1,
        vec![RenewalReason::PlanChanged]
    );
}
