use super::*;

#[test]
fn system_draft_rules() {
    let mut d = SystemDraft::named("  Treserva  ");
    d.tags = vec!["Vård".into(), " vård ".into(), "".into(), "Omsorg".into()];
    d.doc_links = vec![DocLink {
        label: " ".into(),
        url: " ".into(),
    }];
    let ok = d.validate().unwrap();
    assert_eq!(ok.name, "Treserva");
    assert_eq!(ok.tags, vec!["Omsorg", "Vård"]);
    assert!(ok.doc_links.is_empty());

    let mut bad = SystemDraft::named(" ");
    bad.user_count = Some(-1);
    bad.go_live_date = NaiveDate::from_ymd_opt(2020, 5, 1);
    bad.end_date = NaiveDate::from_ymd_opt(2019, 1, 1);
    bad.doc_links = vec![DocLink {
        label: "Manual".into(),
        url: "\\\\server\\share".into(),
    }];
    let e = bad.validate().unwrap_err();
    assert_eq!(e.get("name"), Some(v::REQUIRED));
    assert_eq!(e.get("user_count"), Some(v::NEGATIVE));
    assert_eq!(e.get("end_date"), Some(v::END_BEFORE_START));
    assert_eq!(e.get("doc_links"), Some(v::NOT_A_URL));
}

#[test]
fn enums_round_trip() {
    for l in Lifecycle::ALL {
        assert_eq!(Lifecycle::parse(l.as_str()), Some(*l));
    }
    for h in Hosting::ALL {
        assert_eq!(Hosting::parse(h.as_str()), Some(*h));
    }
    assert_eq!(Lifecycle::parse("nope"), None);
}

#[test]
fn assignment_needs_exactly_one_target_and_ordered_dates() {
    let d = AssignmentDraft {
        role_type_id: RoleTypeId::new(),
        person_id: PersonId::new(),
        system_id: None,
        unit_id: None,
        start_date: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        end_date: NaiveDate::from_ymd_opt(2024, 1, 1),
        note: None,
    };
    let e = d.validate().unwrap_err();
    assert_eq!(e.get("system_id"), Some(v::WRONG_TARGET));
    assert_eq!(e.get("end_date"), Some(v::END_BEFORE_START));
}

#[test]
fn current_assignment() {
    let a = RoleAssignment {
        id: AssignmentId::new(),
        org_id: OrgId::new(),
        role_type_id: RoleTypeId::new(),
        person_id: PersonId::new(),
        system_id: Some(SystemId::new()),
        unit_id: None,
        start_date: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        end_date: NaiveDate::from_ymd_opt(2025, 12, 31),
        note: None,
    };
    assert!(a.is_current(NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()));
    assert!(a.is_current(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()));
    assert!(!a.is_current(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()));
    assert!(!a.is_current(NaiveDate::from_ymd_opt(2024, 12, 31).unwrap()));
    // Ending "now" makes it not current today, whether it started long ago or today.
    let today = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
    let mut ended = a.clone();
    ended.end_date = Some(a.end_for(today));
    assert!(!ended.is_current(today));
    assert!(ended.is_current(today - chrono::Days::new(1)));
    let mut fresh = a.clone();
    fresh.start_date = today;
    fresh.end_date = Some(fresh.end_for(today));
    assert!(!fresh.is_current(today));
}

#[test]
fn default_role_types_cover_the_glossary() {
    let names: Vec<&str> = DEFAULT_ROLE_TYPES.iter().map(|r| r.1).collect();
    for n in [
        "Systemägare",
        "Systemansvarig",
        "Systemförvaltare",
        "Systemadministratör",
        "Systemkontaktperson",
        "Pilot/ombud",
        "Driftansvarig",
        "IT-säkerhetssamordnare",
        "IT-chef",
    ] {
        assert!(names.contains(&n), "{n} missing");
    }
}
