use super::*;
use crate::policy::Deadline;
use chrono::{DateTime, Duration, TimeZone, Utc};
use std::collections::BTreeMap;

fn at(h: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap() + Duration::hours(h)
}

fn facts(personal_data: bool) -> ClockFacts {
    ClockFacts {
        aware_at: at(0),
        personal_data,
        significance: None,
        waived: BTreeMap::new(),
        reported: BTreeMap::new(),
    }
}

fn judgement(reason: &str) -> Judgement {
    Judgement {
        by: "Sara Säkerhet".into(),
        at: at(1),
        reason: reason.into(),
    }
}

fn law() -> Vec<Deadline> {
    statutory()
}

fn clock<'a>(cs: &'a [Clock], id: &str) -> &'a Clock {
    cs.iter().find(|c| c.deadline.id == id).expect(id)
}

#[test]
fn the_statutory_deadlines_come_from_the_baseline() {
    let ids: Vec<(String, u32)> = law().into_iter().map(|d| (d.id, d.hours)).collect();
    assert_eq!(
        ids,
        [
            ("gdpr-imy".to_owned(), 72),
            ("csirt-early-warning".to_owned(), 24),
            ("csirt-notification".to_owned(), 72),
            ("csirt-final-report".to_owned(), 720),
        ]
    );
}

#[test]
fn a_personal_data_incident_aware_70_hours_ago_has_2_hours_left_for_imy() {
    let cs = clocks(&law(), &facts(true), at(70));
    let imy = clock(&cs, "gdpr-imy");
    assert_eq!(imy.due_at, at(72));
    assert_eq!(imy.state, ClockState::Running { minutes_left: 120 });
    // 70 of 72 hours gone: past 80 %, the reminder stage is "late".
    assert_eq!(imy.stage(at(0), at(70)), Some(ClockStage::Late));
    assert_eq!(imy.stage(at(0), at(36)), Some(ClockStage::Half));
    assert_eq!(imy.stage(at(0), at(35)), None);
}

#[test]
fn a_report_marks_the_clock_met_and_a_missed_clock_stays_missed() {
    let mut f = facts(true);
    let cs = clocks(&law(), &f, at(75));
    assert_eq!(
        clock(&cs, "gdpr-imy").state,
        ClockState::Missed { minutes_over: 180 }
    );
    assert_eq!(
        clock(&cs, "gdpr-imy").stage(at(0), at(75)),
        Some(ClockStage::Missed)
    );
    f.reported.insert("gdpr-imy".into(), at(71));
    let cs = clocks(&law(), &f, at(75));
    assert_eq!(
        clock(&cs, "gdpr-imy").state,
        ClockState::Met {
            at: at(71),
            late: false
        }
    );
    assert_eq!(clock(&cs, "gdpr-imy").stage(at(0), at(75)), None);
    // Reported after the deadline: met, but late, and visible as such.
    f.reported.insert("gdpr-imy".into(), at(80));
    let cs = clocks(&law(), &f, at(90));
    assert_eq!(
        clock(&cs, "gdpr-imy").state,
        ClockState::Met {
            at: at(80),
            late: true
        }
    );
}

#[test]
fn imy_may_be_set_aside_with_a_judgement_and_an_internal_report_may_not() {
    let internal = Deadline {
        id: "incident-internal".into(),
        hours: 48,
        name_sv: "Intern incidentanmälan".into(),
        name_en: "Internal incident report".into(),
        recipient: None,
        channel: None,
        applies: Default::default(),
        waivable: false,
        notify: vec![],
        cite: "Söderköping, Incidenthantering".into(),
    };
    let all = deadlines_for(&[internal], &law());
    let mut f = facts(true);
    f.waived
        .insert("gdpr-imy".into(), judgement("Krypterad disk; ingen risk"));
    f.waived
        .insert("incident-internal".into(), judgement("Vill inte"));
    let cs = clocks(&all, &f, at(10));
    assert!(matches!(
        clock(&cs, "gdpr-imy").state,
        ClockState::NotApplicable {
            reason: NotApplicable::Waived { .. }
        }
    ));
    assert_eq!(
        clock(&cs, "incident-internal").state,
        ClockState::Running {
            minutes_left: 38 * 60
        }
    );
}

#[test]
fn a_significant_incident_runs_three_clocks_from_the_same_aware_at_and_a_non_significant_none() {
    let mut f = facts(false);
    let nis2 = [
        "csirt-early-warning",
        "csirt-notification",
        "csirt-final-report",
    ];
    // Not yet assessed: the assessment is what is due.
    let cs = clocks(&law(), &f, at(2));
    for id in nis2 {
        assert!(
            matches!(clock(&cs, id).state, ClockState::AwaitingAssessment { .. }),
            "{id}"
        );
    }
    assert!(matches!(
        clock(&cs, "gdpr-imy").state,
        ClockState::NotApplicable {
            reason: NotApplicable::NoPersonalData
        }
    ));
    f.significance = Some(Significance {
        significant: true,
        judgement: judgement("Betydande störning i hemtjänsten"),
    });
    let cs = clocks(&law(), &f, at(2));
    let due: Vec<DateTime<Utc>> = nis2.iter().map(|id| clock(&cs, id).due_at).collect();
    assert_eq!(due, [at(24), at(72), at(720)]);
    for id in nis2 {
        assert!(
            matches!(clock(&cs, id).state, ClockState::Running { .. }),
            "{id}"
        );
    }
    f.significance = Some(Significance {
        significant: false,
        judgement: judgement("Kortvarig, ingen påverkan på tjänsten"),
    });
    let cs = clocks(&law(), &f, at(2));
    assert!(cs.iter().all(|c| !c.is_open()));
}

#[test]
fn an_unassessed_incident_past_the_early_warning_is_missed() {
    let cs = clocks(&law(), &facts(false), at(30));
    assert!(matches!(
        clock(&cs, "csirt-early-warning").state,
        ClockState::Missed { .. }
    ));
}

#[test]
fn the_profile_restates_a_statutory_deadline_by_its_id() {
    let mut imy = law()[0].clone();
    imy.hours = 48;
    let all = deadlines_for(&[imy], &law());
    assert_eq!(all.len(), 4);
    assert_eq!(all[0].hours, 48);
}

fn draft() -> IncidentDraft {
    IncidentDraft {
        title: " Fel mottagare av e-post ".into(),
        description: None,
        kind: IncidentKind::PersonalData,
        severity: Severity::Medium,
        detection: Detection::Internal,
        occurred_at: Some(at(-5)),
        aware_at: at(0),
        reported_by: None,
        system_ids: vec![],
        information_set_ids: vec![],
        personal_data: None,
        controller: None,
        cause: None,
        lessons: None,
    }
}

#[test]
fn a_draft_is_checked_against_now() {
    let d = draft().validate_at(at(1)).unwrap();
    assert_eq!(d.title, "Fel mottagare av e-post");
    assert!(d.concerns_personal_data());
    let e = draft().validate_at(at(-1)).unwrap_err();
    assert_eq!(e.0[0].field, "aware_at");
    let mut d = draft();
    d.occurred_at = Some(at(1));
    d.aware_at = at(0);
    let e = d.validate_at(at(2)).unwrap_err();
    assert_eq!(e.0[0].code, AWARE_BEFORE_OCCURRED);
    let mut d = draft();
    d.personal_data = Some(PersonalDataImpact {
        subjects: Some(-1),
        ..Default::default()
    });
    let e = d.validate_at(at(1)).unwrap_err();
    assert_eq!(e.0[0].field, "personal_data.subjects");
}

#[test]
fn the_status_moves_forward_is_dismissed_with_a_reason_and_reopens() {
    use IncidentStatus::*;
    assert!(New.may_become(Contained));
    assert!(!Contained.may_become(Investigating));
    assert!(Closed.may_become(Investigating));
    assert!(!Closed.may_become(Resolved));
    let no_reason = StatusChange {
        status: Dismissed,
        reason: None,
    };
    assert!(no_reason.clone().validate(New).is_err());
    assert!(
        StatusChange {
            reason: Some("Ett test".into()),
            ..no_reason
        }
        .validate(New)
        .is_ok()
    );
}

fn stored(
    kind: IncidentKind,
    severity: Severity,
    occurred: Option<i64>,
    contained: Option<i64>,
) -> Incident {
    Incident {
        id: crate::ids::IncidentId::new(),
        org_id: crate::ids::OrgId::new(),
        number: 1,
        title: "x".into(),
        description: None,
        kind,
        severity,
        detection: Detection::Internal,
        occurred_at: occurred.map(at),
        aware_at: at(0),
        reported_by: None,
        controller: None,
        cause: None,
        lessons: None,
        status: if contained.is_some() {
            IncidentStatus::Closed
        } else {
            IncidentStatus::New
        },
        personal_data: None,
        significance: None,
        system_ids: vec![],
        information_set_ids: vec![],
        contained_at: contained.map(at),
        closed_at: contained.map(at),
        created_by: "test".into(),
        created_at: at(0),
        updated_at: at(0),
    }
}

#[test]
fn the_compilation_counts_and_its_csv_says_the_same() {
    let a = stored(
        IncidentKind::PersonalData,
        Severity::High,
        Some(-10),
        Some(4),
    );
    let b = stored(IncidentKind::PersonalData, Severity::Low, Some(-2), Some(8));
    let c = stored(IncidentKind::Disruption, Severity::Low, None, None);
    let mut f = facts(true);
    f.reported.insert("gdpr-imy".into(), at(80));
    let late = clocks(&law()[..1], &f, at(100));
    let missed = clocks(&law()[..1], &facts(true), at(100));
    let none = clocks(&law()[..1], &facts(false), at(100));
    let treserva = vec![(
        "Treserva".to_owned(),
        Some("Socialförvaltningen".to_owned()),
    )];
    let both = vec![
        (
            "Treserva".to_owned(),
            Some("Socialförvaltningen".to_owned()),
        ),
        (
            "Lifecare; mobil".to_owned(),
            Some("Socialförvaltningen".to_owned()),
        ),
    ];
    let items = [
        Compiled {
            incident: &a,
            clocks: &late,
            systems: &treserva,
        },
        Compiled {
            incident: &b,
            clocks: &missed,
            systems: &both,
        },
        Compiled {
            incident: &c,
            clocks: &none,
            systems: &[],
        },
    ];
    let k = compile(at(-100), at(100), &items);
    assert_eq!((k.total, k.open), (3, 1));
    assert_eq!(
        k.by_kind[0],
        Count {
            key: "personal_data".into(),
            count: 2
        }
    );
    assert_eq!(
        k.by_system[0],
        Count {
            key: "Treserva".into(),
            count: 2
        }
    );
    // Two systems of the same unit count the unit once.
    assert_eq!(
        k.by_unit,
        [Count {
            key: "Socialförvaltningen".into(),
            count: 2
        }]
    );
    assert_eq!(k.median_hours_to_awareness, Some(6));
    assert_eq!(k.median_hours_to_containment, Some(6));
    assert_eq!(
        k.clocks,
        [ClockTally {
            deadline: "gdpr-imy".into(),
            name_sv: law()[0].name_sv.clone(),
            name_en: law()[0].name_en.clone(),
            met: 0,
            met_late: 1,
            missed: 1,
            running: 0,
            not_applicable: 1
        }]
    );
    assert!(
        k.clocks[0]
            .name("en")
            .starts_with("Personal-data breach notification to IMY")
    );
    assert!(
        k.clocks[0]
            .name("sv")
            .starts_with("Anmälan av personuppgiftsincident")
    );
    let csv = k.to_csv();
    assert!(
        csv.starts_with("section;key;count\ntotal;incidents;3\n"),
        "{csv}"
    );
    assert!(csv.contains("system;\"Lifecare; mobil\";1\n"), "{csv}");
    assert!(csv.contains("clock;gdpr-imy:met_late;1\n"), "{csv}");
    // Every count of the tables is a line of the CSV.
    let lines = csv.lines().count() - 1;
    let figures =
        2 + k.by_kind.len() + k.by_severity.len() + k.by_system.len() + k.by_unit.len() + 2 + 5;
    assert_eq!(lines, figures);
}

#[test]
fn the_reminder_says_the_same_in_both_languages_with_the_deadlines_name() {
    use crate::access::Language;
    use crate::incident::notice::{ReminderFacts, reminder};
    let cs = clocks(&law(), &facts(true), at(70));
    let imy = clock(&cs, "gdpr-imy");
    let f = ReminderFacts {
        org_name: "Kommunen",
        org_slug: "kommunen",
        incident_id: "abc",
        number: 7,
        // Placeholders in what someone typed stay as typed.
        title: "Fel {org} mottagare",
        public_url: None,
    };
    let (subject, body) = reminder(Language::Sv, &f, imy, ClockStage::Late);
    assert!(
        subject.starts_with("insyn: tidsfrist för incident 7 går ut"),
        "{subject}"
    );
    assert!(
        body.contains("Incident 7 \"Fel {org} mottagare\" i Kommunen:"),
        "{body}"
    );
    assert!(
        body.contains(&imy.deadline.name_sv)
            && body.contains("Mottagare: Integritetsskyddsmyndigheten"),
        "{body}"
    );
    assert!(
        body.contains("i insyn: /o/kommunen/incidents/abc\n"),
        "{body}"
    );
    let f = ReminderFacts {
        public_url: Some("https://insyn.kommun.se"),
        ..f
    };
    let (subject, body) = reminder(Language::En, &f, imy, ClockStage::Missed);
    assert!(
        body.contains("in insyn: https://insyn.kommun.se/o/kommunen/incidents/abc\n"),
        "{body}"
    );
    assert_eq!(
        subject,
        "insyn: the deadline has passed – incident 7 (Kommunen)"
    );
    assert!(
        body.contains(&imy.deadline.name_en) && body.contains("Recipient: "),
        "{body}"
    );
    assert!(
        body.contains("Due: ") && body.contains("(Swedish time)"),
        "{body}"
    );
}
