//! Unit tests of the organisation-wide rules: coverage per rule and per
//! förvaltning, who must act, a person's tasks and the year plan, on one
//! small organisation evaluated on a fixed day (no database).

use super::tests::{day, profile};
use super::*;
use crate::ids::SystemId;
use crate::model::SYSTEM_OWNER;
use chrono::DateTime;
use std::collections::BTreeMap;
use uuid::Uuid;

fn holder(name: &str, email: &str) -> Holder {
    Holder {
        name: name.into(),
        email: Some(email.into()),
    }
}

pub(super) fn anna() -> Holder {
    holder("Anna Ägare", "anna@kommun.se")
}

pub(super) fn cora() -> Holder {
    holder("Cora Samordnare", "cora@kommun.se")
}

fn system(n: u128, name: &str, division: Option<&str>, facts: SystemFacts) -> SystemRecord {
    let mut holders = Holders::default();
    if facts.roles.contains(SYSTEM_OWNER) {
        holders.add(&SYSTEM_OWNER.into(), anna());
    }
    SystemRecord {
        id: SystemId(Uuid::from_u128(n)),
        name: name.into(),
        division: division.map(str::to_owned),
        holders,
        facts,
    }
}

/// Today is 2026-06-01. Alfa meets everything; Beta has no owner and was
/// never restore-tested; Gamma is business-critical, new, without a plan,
/// its continuity plan in its grace period and its user count unknown.
/// Incident 7, closed on 1 April 2026 with no lessons learned written.
fn closed_without_lessons() -> Option<Vec<ClosedIncident>> {
    Some(vec![ClosedIncident {
        id: Uuid::from_u128(7),
        number: 7,
        closed_on: day("2026-04-01"),
        lessons_written: false,
    }])
}

pub(super) fn compliance() -> Compliance {
    let mut a = SystemFacts::new(day("2025-01-01"));
    a.go_live = Some(a.start);
    a.user_count = Some(10);
    a.roles
        .extend([SYSTEM_OWNER.to_owned(), "system_manager".to_owned()]);
    a.controls_done
        .insert("restore_test".into(), day("2025-12-01"));
    let mut b = SystemFacts::new(day("2024-01-01"));
    b.go_live = Some(b.start);
    b.user_count = Some(1);
    let mut c = SystemFacts::new(day("2026-05-20"));
    c.business_critical = true;
    c.roles.insert(SYSTEM_OWNER.to_owned());
    let facts = OrgFacts {
        systems: vec![
            system(1, "Alfa", Some("Socialförvaltningen"), a),
            system(2, "Beta", Some("Socialförvaltningen"), b),
            system(3, "Gamma", None, c),
        ],
        controls_done: BTreeMap::from([("policy_revision".to_owned(), day("2025-07-01"))]),
        holders: BTreeMap::from([(COORDINATOR.to_owned(), vec![cora()])]),
        start: day("2024-01-01"),
        closed_incidents: closed_without_lessons(),
    };
    let stored = StoredProfile {
        id: Uuid::nil(),
        code: "test".into(),
        version: 1,
        body: String::new(),
        profile: profile(),
        based_on: None,
        note: None,
        created_by: "test".into(),
        created_at: DateTime::UNIX_EPOCH,
        chosen: true,
    };
    Compliance::evaluate(stored, facts, day("2026-06-01"))
}

fn cov(applicable: u32, compliant: u32) -> Coverage {
    Coverage {
        applicable,
        compliant,
    }
}

fn rows(r: Vec<CoverageRow>) -> Vec<(String, Coverage)> {
    r.into_iter().map(|r| (r.key, r.coverage)).collect()
}

fn finding<'a>(c: &'a Compliance, system: &str, rule: &str) -> (&'a SystemCompliance, &'a Finding) {
    let s = c.systems.iter().find(|s| s.name == system).unwrap();
    (s, s.findings.iter().find(|f| f.rule_id() == rule).unwrap())
}

#[test]
fn coverage_per_rule_counts_the_systems_a_rule_applies_to_in_the_profiles_order() {
    let c = compliance();
    assert_eq!(
        rows(c.coverage_by_rule()),
        [
            ("owner".into(), cov(3, 2)),
            // Beta has one user: the rule does not apply. Gamma's count is unknown: a gap.
            ("manager-if-users".into(), cov(2, 1)),
            ("plan".into(), cov(1, 0)),
            // In its grace period: due soon, which complies.
            ("continuity".into(), cov(1, 1)),
            ("restore".into(), cov(3, 1)),
        ]
    );
    assert_eq!(c.systems_with_gaps(), 2);
    let gaps: Vec<(&str, &str)> = c
        .gaps()
        .map(|(s, f)| (s.name.as_str(), f.rule_id()))
        .collect();
    assert_eq!(
        gaps,
        [
            ("Beta", "owner"),
            ("Beta", "restore"),
            ("Gamma", "manager-if-users"),
            ("Gamma", "plan"),
            ("Gamma", "restore"),
        ]
    );
}

#[test]
fn coverage_per_division_counts_a_system_once_and_names_none_with_an_empty_key() {
    let c = compliance();
    assert_eq!(
        rows(c.coverage_by_division(None)),
        [
            (String::new(), cov(1, 0)),
            ("Socialförvaltningen".into(), cov(2, 1)),
        ]
    );
    assert_eq!(
        rows(c.coverage_by_division(Some("manager-if-users"))),
        [
            (String::new(), cov(1, 0)),
            ("Socialförvaltningen".into(), cov(1, 1)),
        ]
    );
    // Only Gamma needs a plan; a rule nobody has gives no rows.
    assert_eq!(
        rows(c.coverage_by_division(Some("plan"))),
        [(String::new(), cov(1, 0))]
    );
    assert!(c.coverage_by_division(Some("no-such-rule")).is_empty());
    assert_eq!(cov(3, 1).percent(), Some(33));
}

#[test]
fn the_headline_rules_are_the_owner_the_plan_and_the_first_system_control() {
    // The test profile has no classification rule: it is left out.
    assert_eq!(profile().headline_rules(), ["owner", "plan", "restore"]);
    let none = Profile::parse_unchecked(
        "code = \"x\"\nname_sv = \"x\"\nname_en = \"x\"\nsource = \"x\"\n",
    )
    .unwrap();
    assert!(none.headline_rules().is_empty());
}

#[test]
fn the_holder_of_the_responsible_role_acts_and_the_coordinator_when_it_is_vacant() {
    let c = compliance();
    // A missing owner is the coordinator's to fix, not a vacancy.
    let (s, f) = finding(&c, "Beta", "owner");
    assert_eq!(f.responsible(), COORDINATOR);
    assert_eq!(c.responsible_for(Some(s), f), (vec![cora()], false));
    // Beta's restore test is its owner's, and it has none.
    let (s, f) = finding(&c, "Beta", "restore");
    assert_eq!(f.responsible(), SYSTEM_OWNER);
    assert_eq!(c.responsible_for(Some(s), f), (vec![cora()], true));
    let (s, f) = finding(&c, "Gamma", "plan");
    assert_eq!(c.responsible_for(Some(s), f), (vec![anna()], false));
    // With no coordinator either, nobody: the dashboard says so.
    let mut alone = c.clone();
    alone.org_holders.clear();
    assert_eq!(
        alone.responsible_for(Some(s), &c.organisation[0]),
        (vec![], true)
    );
}

#[test]
fn a_persons_tasks_are_theirs_through_a_role_and_the_most_urgent_come_first() {
    let c = compliance();
    let summary = |tasks: Vec<Task>| -> Vec<(Option<String>, String, String, bool)> {
        tasks
            .into_iter()
            .map(|t| {
                (
                    t.system.map(|s| s.1),
                    t.finding.rule_id().to_string(),
                    t.as_role,
                    t.vacant,
                )
            })
            .collect()
    };
    // Address matched whatever its case and surrounding space.
    assert_eq!(
        summary(c.tasks_for(" CORA@kommun.se ")),
        [
            (
                Some("Beta".into()),
                "restore".into(),
                COORDINATOR.into(),
                true
            ),
            (
                Some("Beta".into()),
                "owner".into(),
                COORDINATOR.into(),
                false
            ),
            (None, "policy".into(), COORDINATOR.into(), false),
        ]
    );
    // Overdue first; then missing or unknown (no date before the earliest);
    // then due soon. What is met is nobody's task.
    assert_eq!(
        summary(c.tasks_for("anna@kommun.se")),
        [
            (
                Some("Gamma".into()),
                "restore".into(),
                SYSTEM_OWNER.into(),
                false
            ),
            (
                Some("Gamma".into()),
                "manager-if-users".into(),
                SYSTEM_OWNER.into(),
                false
            ),
            (
                Some("Gamma".into()),
                "plan".into(),
                SYSTEM_OWNER.into(),
                false
            ),
            (
                Some("Gamma".into()),
                "continuity".into(),
                SYSTEM_OWNER.into(),
                false
            ),
        ]
    );
    assert!(c.tasks_for("nobody@kommun.se").is_empty());
    let order: Vec<u8> = [
        Outcome::Met { next_due: None },
        Outcome::DueSoon {
            due: day("2026-01-01"),
        },
        Outcome::Missing { since: None },
        Outcome::Overdue {
            since: day("2026-01-01"),
        },
    ]
    .iter()
    .map(urgency)
    .collect();
    assert_eq!(order, [3, 2, 1, 0]);
}

#[test]
fn the_year_plan_counts_due_dates_per_month_and_overdue_controls_apart() {
    let c = compliance();
    let plan = c.year_plan(2026);
    let summary: Vec<(&str, bool, [usize; 12], usize)> = plan
        .iter()
        .map(|r| (r.rule.id.as_str(), r.organisation(), r.months, r.overdue))
        .collect();
    // Gamma was due on May 20 and is still not done.
    assert_eq!(plan[0].missed, [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(plan[0].done, [0; 12]);
    assert_eq!(
        summary,
        [
            // Alfa next in December; Beta, overdue since 2025-01-01, due again
            // each January; Gamma overdue since May 20, not counted again in May.
            ("restore", false, [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 2),
            // The organisation's revision, due soon on July 1.
            ("policy", true, [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0], 0),
        ]
    );
}

#[test]
fn next_years_plan_keeps_every_systems_dates_across_the_year_boundary() {
    let c = compliance();
    let restore = &c.year_plan(2027)[0];
    // Alfa in December, Beta in January, Gamma in May: an overdue control
    // falls due again a year after it was missed.
    assert_eq!(restore.months, [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
    assert_eq!(restore.overdue, 2);
    // Nothing before the dates the outcomes name.
    assert_eq!(c.year_plan(2024)[0].months, [0; 12]);
    let policy = &c.year_plan(2027)[1];
    assert_eq!(policy.months, [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
}

#[test]
fn documents_and_control_records_offer_only_what_they_can_meet() {
    let mut p = profile();
    // A second rule asking for the same kind is not a second kind.
    let mut again = p.artefacts[1].clone();
    again.id = "continuity-again".into();
    p.artefacts.push(again);
    let kinds: Vec<(&str, &str)> = p
        .document_rules()
        .map(|a| (a.artefact.as_str(), a.text("en")))
        .collect();
    assert_eq!(kinds, [("continuity_plan", "Continuity")]);
    assert_eq!(p.document_kinds(), ["continuity_plan"]);
    // The annual review and the classification review have their own workflow.
    let mut c = p.controls[0].clone();
    c.id = "review".into();
    c.control = ANNUAL_REVIEW.into();
    p.controls.push(c);
    let names: Vec<&str> = p
        .recordable_control_rules(ControlScope::System)
        .map(|c| c.name("sv"))
        .collect();
    assert_eq!(names, ["Återläsningstest"]);
    assert_eq!(
        p.recordable_controls(ControlScope::Organisation),
        ["policy_revision"]
    );
}

#[test]
fn closed_incidents_without_lessons_are_an_organisation_finding_when_the_profile_asks() {
    // The test profile asks nothing of incidents: no finding.
    assert_eq!(compliance().incident_lessons, None);
    let mut c = compliance();
    let mut p = c.profile.clone();
    p.profile.incidents = Some(IncidentRule {
        lessons_within_days: 30,
        text_sv: "Erfarenheter inom 30 dagar".into(),
        text_en: "Lessons within 30 days".into(),
        cite: "test".into(),
    });
    let facts = OrgFacts {
        systems: vec![],
        controls_done: BTreeMap::new(),
        holders: BTreeMap::new(),
        start: day("2024-01-01"),
        closed_incidents: closed_without_lessons(),
    };
    c = Compliance::evaluate(p.clone(), facts.clone(), day("2026-06-01"));
    let f = c.incident_lessons.expect("a finding");
    assert_eq!(f.late.len(), 1);
    assert_eq!(f.late[0].due, day("2026-05-01"));
    assert!(!f.outcome.complies());
    // One system judged alone gathers no incidents: no finding.
    let alone = OrgFacts {
        closed_incidents: None,
        ..facts
    };
    assert_eq!(
        Compliance::evaluate(p, alone, day("2026-06-01")).incident_lessons,
        None
    );
}
