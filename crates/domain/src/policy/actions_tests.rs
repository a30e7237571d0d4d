//! Unit tests of a task's words and form: every rule kind, artefact and
//! control the shipped profiles use has its own words.

use super::tests::day;
use super::*;
use crate::ids::SystemId;
use crate::model::DEFAULT_ROLE_TYPES;
use uuid::Uuid;

fn finding(kind: RuleKind, subject: &str, outcome: Outcome) -> Finding {
    Finding::new("r", kind, subject, "system_owner", outcome)
}

const MISSING: Outcome = Outcome::Missing { since: None };

#[test]
fn a_missing_role_is_an_appointment_with_the_role_chosen_in_the_form() {
    let a = action(
        &finding(
            RuleKind::Role,
            "system_manager,system_administrator",
            MISSING,
        ),
        true,
    );
    assert_eq!(a.key, "task-appoint");
    assert_eq!(a.roles, ["system_manager", "system_administrator"]);
    assert_eq!(a.form, ActionForm::AssignRole("system_manager".into()));
    assert_eq!(a.when, ActionWhen::None);
}

#[test]
fn a_classification_missing_or_expired_asks_to_classify_again() {
    let missing = action(
        &finding(RuleKind::Artefact, "classification", MISSING),
        true,
    );
    assert_eq!(
        (missing.key, missing.form),
        ("task-classify", ActionForm::Classification)
    );
    let since = day("2026-03-01");
    let expired = action(
        &finding(
            RuleKind::Artefact,
            "classification",
            Outcome::Expired { since },
        ),
        true,
    );
    assert_eq!(expired.key, "task-reclassify");
    assert_eq!(expired.when, ActionWhen::ExpiredSince(since));
    assert_eq!(
        expired.when.key(),
        Some(("task-when-expired", since)),
        "the date goes in its own words"
    );
}

#[test]
fn plan_approval_and_the_regulatory_artefacts_have_their_own_words_and_forms() {
    for (artefact, key, form) in [
        (
            "security_plan",
            "task-security-plan",
            ActionForm::SecurityPlan,
        ),
        (
            "operational_approval",
            "task-approval",
            ActionForm::Approval,
        ),
        (
            "business_critical_decision",
            "task-critical-decision",
            ActionForm::CriticalDecision,
        ),
        (OUTAGE_PLAN, "task-outage-plan", ActionForm::OutagePlan),
        (
            CONTINUITY_REQUIREMENTS,
            "task-continuity-requirements",
            ActionForm::Continuity,
        ),
        (
            DECOMMISSION_GATES,
            "task-decommission-gates",
            ActionForm::Decommissioning,
        ),
        (
            PROCESSING_RECORD,
            "task-processing-record",
            ActionForm::ProcessingRecords,
        ),
        (
            PROCESSOR_AGREEMENT,
            "task-processor-agreement",
            ActionForm::ProcessorAgreements,
        ),
        (
            SUPPORT_CONTRACT,
            "task-support-contract",
            ActionForm::Contracts,
        ),
        (FRIA, "task-fria", ActionForm::AiAct),
        (DPIA, "task-dpia", ActionForm::ProcessingRecords),
        (
            "management_plan",
            "task-management-plan",
            ActionForm::Documents,
        ),
    ] {
        let a = action(&finding(RuleKind::Artefact, artefact, MISSING), true);
        assert_eq!((a.key, a.form), (key, form), "{artefact}");
        assert!(!a.names_document, "{artefact}");
    }
    let renew = action(
        &finding(
            RuleKind::Artefact,
            "operational_approval",
            Outcome::Expired {
                since: day("2026-01-01"),
            },
        ),
        true,
    );
    assert_eq!(renew.key, "task-approval-renew");
    let other = action(&finding(RuleKind::Artefact, "risk_analysis", MISSING), true);
    assert_eq!(other.key, "task-document");
    assert!(other.names_document);
}

#[test]
fn a_control_says_what_to_do_and_by_when() {
    let due = day("2027-01-31");
    let annual = action(
        &finding(RuleKind::Control, ANNUAL_REVIEW, Outcome::DueSoon { due }),
        true,
    );
    assert_eq!(annual.key, "task-annual-review");
    assert_eq!(annual.form, ActionForm::AnnualReview);
    assert_eq!(annual.when, ActionWhen::DueBy(due));
    let since = day("2026-05-01");
    let log = action(
        &finding(RuleKind::Control, "log_review", Outcome::Overdue { since }),
        true,
    );
    assert_eq!(log.key, "task-log-review");
    assert_eq!(log.form, ActionForm::SystemControl("log_review".into()));
    assert_eq!(log.when, ActionWhen::LateSince(since));
    let unknown = action(&finding(RuleKind::Control, "pen_test", MISSING), true);
    assert_eq!(unknown.key, "task-control");
    assert!(unknown.names_control);
}

#[test]
fn the_organisations_own_controls_are_recorded_in_the_year_wheel() {
    let since = day("2026-05-01");
    let policy = action(
        &finding(
            RuleKind::Control,
            "policy_revision",
            Outcome::Overdue { since },
        ),
        false,
    );
    assert_eq!(policy.key, "task-policy-revision");
    assert_eq!(
        policy.form,
        ActionForm::OrgControl("policy_revision".into())
    );
    let other = action(&finding(RuleKind::Control, "drill", MISSING), false);
    assert_eq!((other.key, other.names_control), ("task-org-control", true));
}

#[test]
fn a_fact_the_register_lacks_is_filled_in_first() {
    for (fact, key, form) in [
        (
            Fact::UserCount,
            "task-fill-in-user-count",
            ActionForm::EditSystem,
        ),
        (
            Fact::GoLive,
            "task-fill-in-go-live-date",
            ActionForm::EditSystem,
        ),
        (
            Fact::Classification,
            "task-classify",
            ActionForm::Classification,
        ),
    ] {
        let a = action(
            &finding(RuleKind::Control, "log_review", Outcome::Unknown { fact }),
            true,
        );
        assert_eq!((a.key, a.form), (key, form), "{}", fact.as_str());
    }
    let deviations = action(
        &finding(RuleKind::Continuity, "restore_test_met", MISSING),
        true,
    );
    assert_eq!(deviations.key, "task-restore-test-deviations");
}

#[test]
fn every_rule_of_every_shipped_profile_has_words_of_its_own() {
    let codes: Vec<&str> = DEFAULT_ROLE_TYPES.iter().map(|r| r.0).collect();
    for (code, _) in SHIPPED {
        let p = shipped(code, &codes).expect(code);
        let mut findings = vec![];
        for r in &p.roles {
            findings.push((finding(RuleKind::Role, &r.any_of.join(","), MISSING), true));
        }
        for a in &p.artefacts {
            findings.push((finding(RuleKind::Artefact, &a.artefact, MISSING), true));
        }
        for c in &p.controls {
            let on_system = c.scope == ControlScope::System;
            findings.push((finding(RuleKind::Control, &c.control, MISSING), on_system));
        }
        for r in &p.continuity.rules {
            findings.push((
                finding(RuleKind::Continuity, r.kind.as_str(), MISSING),
                true,
            ));
        }
        for (f, on_system) in findings {
            let a = action(&f, on_system);
            assert!(ACTION_KEYS.contains(&a.key), "{code}: {}", f.subject());
            assert!(
                !["task-document", "task-control", "task-org-control"].contains(&a.key),
                "{code}: {} has only the generic words",
                f.subject()
            );
        }
    }
}

fn task(system: Option<u128>, rule: &str) -> Task {
    Task {
        system: system.map(|n| (SystemId(Uuid::from_u128(n)), format!("S{n}"))),
        // A role of its own: a different thing to do.
        finding: Finding::new(rule, RuleKind::Role, rule, "system_owner", MISSING),
        as_role: "system_owner".into(),
        vacant: false,
    }
}

#[test]
fn tasks_are_grouped_by_system_most_urgent_first_the_organisations_last() {
    let groups = group_by_system(vec![
        task(Some(2), "a"),
        task(None, "b"),
        task(Some(1), "c"),
        task(Some(2), "d"),
    ]);
    let shape: Vec<(Option<String>, Vec<&str>)> = groups
        .iter()
        .map(|g| {
            (
                g.system.as_ref().map(|s| s.1.clone()),
                g.tasks.iter().map(|t| t.finding.rule_id()).collect(),
            )
        })
        .collect();
    assert_eq!(
        shape,
        [
            (Some("S2".to_owned()), vec!["a", "d"]),
            (Some("S1".to_owned()), vec!["c"]),
            (None, vec!["b"]),
        ]
    );
    assert!(group_by_system(vec![]).is_empty());
    // Classifying meets both the classification rule and the fact another
    // rule needs: one task.
    let mut unknown = task(Some(1), "e");
    unknown.finding = Finding::new(
        "e",
        RuleKind::Artefact,
        "e",
        "system_owner",
        Outcome::Unknown {
            fact: Fact::Classification,
        },
    );
    let mut classify = task(Some(1), "f");
    classify.finding = Finding::new(
        "f",
        RuleKind::Artefact,
        "classification",
        "system_owner",
        MISSING,
    );
    let once = group_by_system(vec![unknown, classify]);
    assert_eq!(once.len(), 1);
    assert_eq!(once[0].tasks.len(), 1);
}
