//! Unit tests of profiles and their evaluation.

use super::*;
use crate::model::{DEFAULT_ROLE_TYPES, Lifecycle, SYSTEM_OWNER};
use chrono::NaiveDate;
use std::collections::BTreeMap;

pub(super) fn codes() -> Vec<&'static str> {
    DEFAULT_ROLE_TYPES.iter().map(|r| r.0).collect()
}

pub(super) fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

const PROFILE: &str = r#"
code = "test"
name_sv = "Test"
name_en = "Test"
source = "test"

[[role]]
id = "owner"
any_of = ["system_owner"]
text_sv = "Ägare"
text_en = "Owner"
cite = "1"

[[role]]
id = "manager-if-users"
any_of = ["system_manager"]
when = { min_users = 2 }
text_sv = "Förvaltare"
text_en = "Manager"
cite = "2"

[[artefact]]
id = "plan"
artefact = "security_plan"
when = { business_critical = true }
text_sv = "Plan"
text_en = "Plan"
cite = "3"

[[artefact]]
id = "continuity"
artefact = "continuity_plan"
grace_days = 30
when = { business_critical = true }
text_sv = "Kontinuitet"
text_en = "Continuity"
cite = "4"

[[control]]
id = "restore"
control = "restore_test"
name_sv = "Återläsningstest"
name_en = "Restore test"
interval_months = 12
remind_days_before = 14
text_sv = "Återläsning"
text_en = "Restore"
cite = "5"

[[control]]
id = "policy"
control = "policy_revision"
scope = "organisation"
name_sv = "Revision"
name_en = "Revision"
interval_months = 12
text_sv = "Policy"
text_en = "Policy"
cite = "6"
"#;

pub(super) fn profile() -> Profile {
    Profile::from_toml(PROFILE, &codes()).unwrap()
}

fn outcome(f: &[Finding], id: &str) -> Option<Outcome> {
    f.iter().find(|x| x.rule_id() == id).map(|x| x.outcome)
}

#[test]
fn a_bare_system_lacks_its_owner_and_only_the_rules_that_apply() {
    let s = SystemFacts::new(day("2026-01-10"));
    let f = evaluate_system(&profile(), &s, day("2026-03-01"));
    assert_eq!(
        outcome(&f, "owner"),
        Some(Outcome::Missing {
            since: Some(day("2026-01-10"))
        })
    );
    // Unknown user count: whether a förvaltare is needed cannot be told,
    // which is reported, not passed over; not business-critical: no plan.
    assert_eq!(
        outcome(&f, "manager-if-users"),
        Some(Outcome::Unknown {
            fact: Fact::UserCount
        })
    );
    assert!(
        f.iter()
            .any(|x| x.rule_id() == "manager-if-users" && x.is_gap())
    );
    assert_eq!(outcome(&f, "plan"), None);
    // In operation, go-live unknown, never restored: due on entering the register.
    assert_eq!(
        outcome(&f, "restore"),
        Some(Outcome::Overdue {
            since: day("2026-01-10")
        })
    );
    let owner = f.iter().find(|x| x.rule_id() == "owner").unwrap();
    assert_eq!(owner.responsible(), COORDINATOR);
    assert!(owner.is_gap());
}

#[test]
fn conditions_select_rules_and_held_things_meet_them() {
    let mut s = SystemFacts::new(day("2025-01-01"));
    s.user_count = Some(2);
    s.business_critical = true;
    s.roles.insert("system_owner".into());
    s.roles_ended
        .insert("system_manager".into(), day("2025-06-30"));
    s.artefacts
        .insert("security_plan".into(), day("2025-02-01"));
    let f = evaluate_system(&profile(), &s, day("2025-08-01"));
    assert_eq!(outcome(&f, "owner"), Some(Outcome::Met { next_due: None }));
    assert_eq!(
        outcome(&f, "manager-if-users"),
        Some(Outcome::Missing {
            since: Some(day("2025-07-01"))
        })
    );
    let manager = f
        .iter()
        .find(|x| x.rule_id() == "manager-if-users")
        .unwrap();
    assert_eq!(manager.responsible(), SYSTEM_OWNER);
    assert_eq!(outcome(&f, "plan"), Some(Outcome::Met { next_due: None }));
    assert_eq!(
        outcome(&f, "continuity"),
        Some(Outcome::Missing {
            since: Some(day("2025-01-31"))
        })
    );
    s.lifecycle = Lifecycle::Decommissioned;
    assert!(evaluate_system(&profile(), &s, day("2025-08-01")).is_empty());
    // A planned system has its roles and documents judged, but no recurring controls yet.
    s.lifecycle = Lifecycle::Planned;
    let f = evaluate_system(&profile(), &s, day("2027-08-01"));
    assert!(outcome(&f, "owner").is_some());
    assert_eq!(outcome(&f, "restore"), None);
}

#[test]
fn grace_periods_and_controls_move_from_met_to_due_soon_to_overdue() {
    let mut s = SystemFacts::new(day("2026-01-01"));
    s.business_critical = true;
    let p = profile();
    assert_eq!(
        outcome(&evaluate_system(&p, &s, day("2026-01-20")), "continuity"),
        Some(Outcome::DueSoon {
            due: day("2026-01-31")
        })
    );
    s.controls_done
        .insert("restore_test".into(), day("2026-02-15"));
    let at = |d: &str| outcome(&evaluate_system(&p, &s, day(d)), "restore").unwrap();
    assert_eq!(
        at("2027-01-31"),
        Outcome::Met {
            next_due: Some(day("2027-02-15"))
        }
    );
    assert_eq!(
        at("2027-02-01"),
        Outcome::DueSoon {
            due: day("2027-02-15")
        }
    );
    assert_eq!(at("2027-02-15").state(), "due_soon");
    assert_eq!(
        at("2027-02-16"),
        Outcome::Overdue {
            since: day("2027-02-15")
        }
    );
}

#[test]
fn a_control_is_first_due_from_go_live_or_at_once_for_a_system_already_in_use() {
    let p = profile();
    let mut c = p.control("restore_test").unwrap().clone();
    let registered = day("2026-03-01");
    // Went live after entering the register: one interval after go-live.
    assert_eq!(
        first_due(&c, registered, Some(day("2026-05-01"))),
        day("2027-05-01")
    );
    // Live for twenty years when registered: due at once.
    assert_eq!(
        first_due(&c, registered, Some(day("2006-01-01"))),
        registered
    );
    // Live for two months: one interval after go-live is still ahead.
    assert_eq!(
        first_due(&c, registered, Some(day("2026-01-01"))),
        day("2027-01-01")
    );
    assert_eq!(first_due(&c, registered, None), registered);
    // The profile's grace period puts "at once" off.
    c.grace_days = Some(60);
    assert_eq!(
        first_due(&c, registered, Some(day("2006-01-01"))),
        day("2026-04-30")
    );
    // On the day a twenty-year-old system is imported, the control is due;
    // the day after the grace period, overdue; a record restarts the clock.
    let mut s = SystemFacts::new(registered);
    s.business_critical = true;
    s.go_live = Some(day("2006-01-01"));
    let at = |s: &SystemFacts, d: &str| outcome(&evaluate_system(&p, s, day(d)), "restore");
    assert_eq!(
        at(&s, "2026-03-01"),
        Some(Outcome::DueSoon { due: registered })
    );
    assert_eq!(
        at(&s, "2026-03-02"),
        Some(Outcome::Overdue { since: registered })
    );
    s.controls_done
        .insert("restore_test".into(), day("2026-03-10"));
    assert_eq!(
        at(&s, "2026-04-01"),
        Some(Outcome::Met {
            next_due: Some(day("2027-03-10"))
        })
    );
}

#[test]
fn organisation_controls_are_evaluated_once_for_the_organisation() {
    let p = profile();
    let f = evaluate_organisation(&p, &BTreeMap::new(), day("2025-01-01"), day("2026-06-01"));
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].subject(), "policy_revision");
    assert_eq!(f[0].responsible(), COORDINATOR);
    assert_eq!(
        f[0].outcome,
        Outcome::Overdue {
            since: day("2026-01-01")
        }
    );
    // and not per system
    let s = SystemFacts::new(day("2025-01-01"));
    assert!(outcome(&evaluate_system(&p, &s, day("2026-06-01")), "policy").is_none());
}

#[test]
fn a_syntax_error_names_its_line() {
    let text = "code = \"x\"\nname_sv = \"X\"\nname_en = [\n";
    let e = Profile::from_toml(text, &codes()).unwrap_err();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].code, PROFILE_SYNTAX);
    assert!(e[0].path.starts_with("line "), "{:?}", e[0]);
    assert!(e[0].detail.is_some());
}

#[test]
fn rule_errors_name_the_rule_and_field() {
    let text = PROFILE
        .replace("any_of = [\"system_manager\"]", "any_of = [\"nobody\"]")
        .replace(
            "interval_months = 12\nremind",
            "interval_months = 0\nremind",
        )
        .replace("id = \"policy\"", "id = \"restore\"");
    let e = Profile::from_toml(&text, &codes()).unwrap_err();
    let got: Vec<(&str, &str)> = e.iter().map(|e| (e.path.as_str(), e.code)).collect();
    assert_eq!(
        got,
        vec![
            ("role[2].any_of", PROFILE_UNKNOWN_ROLE),
            ("control[1].interval_months", PROFILE_BAD_INTERVAL),
            ("control[2].id", PROFILE_DUPLICATE_ID),
        ]
    );
    let no_owner = PROFILE.replace("any_of = [\"system_owner\"]", "any_of = [\"pilot\"]");
    let e = Profile::from_toml(&no_owner, &codes()).unwrap_err();
    assert_eq!(e[0].code, PROFILE_NO_OWNER_RULE);
    let unknown_field = PROFILE.replace("cite = \"1\"", "cite = \"1\"\ncolour = \"red\"");
    assert_eq!(
        Profile::from_toml(&unknown_field, &codes()).unwrap_err()[0].code,
        PROFILE_SYNTAX
    );
}

#[test]
fn a_rule_no_workflow_can_meet_is_named() {
    let p = profile();
    let system_roles = ["system_owner", "system_manager"];
    assert!(p.unsatisfiable(&system_roles).is_empty());
    // A förvaltare that can only be held on a unit; the annual review for
    // the organisation as a whole.
    let text = PROFILE.replace(
        "control = \"policy_revision\"",
        "control = \"annual_review\"",
    );
    let p = Profile::from_toml(&text, &codes()).unwrap();
    let e = p.unsatisfiable(&["system_owner"]);
    let got: Vec<(&str, &str)> = e.iter().map(|e| (e.path.as_str(), e.code)).collect();
    assert_eq!(
        got,
        vec![
            ("role[2].any_of", PROFILE_UNSATISFIABLE),
            ("control[2].scope", PROFILE_UNSATISFIABLE),
        ]
    );
    assert!(
        e[0].detail
            .as_deref()
            .unwrap()
            .starts_with("manager-if-users:")
    );
    assert!(e[1].detail.as_deref().unwrap().starts_with("policy:"));
}

#[test]
fn a_profile_survives_a_round_trip_through_its_file() {
    let p = profile();
    assert_eq!(Profile::from_toml(&p.to_toml(), &codes()).unwrap(), p);
    assert_eq!(p.document_kinds(), vec!["continuity_plan"]);
    assert_eq!(p.rule("plan").unwrap().cite, "3");
    assert_eq!(p.rule("restore").unwrap().kind, RuleKind::Control);
}

#[test]
fn every_shipped_profile_parses_and_passes_its_checks() {
    for (code, text) in SHIPPED {
        let p = Profile::from_toml(text, &codes()).unwrap_or_else(|e| panic!("{code}: {e:?}"));
        assert_eq!(&p.code, code);
        assert!(!p.checklist.is_empty(), "{code} has no checklist");
        for r in &p.roles {
            assert!(!r.cite.trim().is_empty(), "{code}: {} cites nothing", r.id);
        }
    }
}

#[test]
fn the_year_view_lists_each_due_date_in_the_year() {
    let p = profile();
    let c = p.control("restore_test").unwrap();
    assert_eq!(
        due_dates_in_year(c, day("2027-02-15"), 2026),
        Vec::<NaiveDate>::new()
    );
    assert_eq!(
        due_dates_in_year(c, day("2025-02-15"), 2026),
        vec![day("2026-02-15")]
    );
    let mut quarterly = c.clone();
    quarterly.interval_months = 3;
    assert_eq!(
        due_dates_in_year(&quarterly, day("2026-05-10"), 2026),
        vec![day("2026-05-10"), day("2026-08-10"), day("2026-11-10")]
    );
    let cov = Coverage {
        applicable: 3,
        compliant: 2,
    };
    assert_eq!(cov.percent(), Some(66));
    assert_eq!(Coverage::default().percent(), None);
}

/// What the `Finding` of three `Arc<str>` and a `&'static str` fact wrote for
/// the findings of the test below.
const WRITTEN_BEFORE: &str = r#"{"rule_id":"owner","kind":"role","subject":"system_owner,it_manager","responsible":"coordinator","state":"unknown","fact":"user_count"}
{"rule_id":"owner","kind":"artefact","subject":"system_owner,it_manager","responsible":"coordinator","state":"unknown","fact":"classification"}
{"rule_id":"owner","kind":"control","subject":"system_owner,it_manager","responsible":"coordinator","state":"unknown","fact":"go_live_date"}
{"rule_id":"owner","kind":"continuity","subject":"system_owner,it_manager","responsible":"coordinator","state":"met","next_due":null}
{"rule_id":"owner","kind":"control","subject":"system_owner,it_manager","responsible":"coordinator","state":"met","next_due":"2026-03-01"}
{"rule_id":"owner","kind":"control","subject":"system_owner,it_manager","responsible":"coordinator","state":"due_soon","due":"2026-03-01"}
{"rule_id":"owner","kind":"role","subject":"system_owner,it_manager","responsible":"coordinator","state":"missing","since":null}
{"rule_id":"owner","kind":"control","subject":"system_owner,it_manager","responsible":"coordinator","state":"overdue","since":"2026-03-01"}
{"rule_id":"owner","kind":"artefact","subject":"system_owner,it_manager","responsible":"coordinator","state":"expired","since":"2026-03-01"}"#;

/// A finding is written as it was when its rule's labels were fields of its
/// own and its fact a string; and it is small, since a snapshot holds one
/// per rule and system.
#[test]
fn a_finding_is_written_as_when_its_labels_were_its_own_fields() {
    let d = day("2026-03-01");
    let unknown = |fact| Outcome::Unknown { fact };
    let findings = [
        (RuleKind::Role, unknown(Fact::UserCount)),
        (RuleKind::Artefact, unknown(Fact::Classification)),
        (RuleKind::Control, unknown(Fact::GoLive)),
        (RuleKind::Continuity, Outcome::Met { next_due: None }),
        (RuleKind::Control, Outcome::Met { next_due: Some(d) }),
        (RuleKind::Control, Outcome::DueSoon { due: d }),
        (RuleKind::Role, Outcome::Missing { since: None }),
        (RuleKind::Control, Outcome::Overdue { since: d }),
        (RuleKind::Artefact, Outcome::Expired { since: d }),
    ]
    .map(|(kind, outcome)| {
        let subject = "system_owner,it_manager";
        serde_json::to_string(&Finding::new(
            "owner",
            kind,
            subject,
            "coordinator",
            outcome,
        ))
        .unwrap()
    });
    assert_eq!(findings.join("\n"), WRITTEN_BEFORE);
    // Was 80 bytes (three `Arc<str>`, a `RuleKind`, a 24-byte `Outcome`).
    assert_eq!(std::mem::size_of::<Finding>(), 16);
    // The findings of one evaluation share their rule's labels.
    let p = profile();
    let s = SystemFacts::new(day("2026-01-10"));
    let labels = Labels::new(&p);
    let one = evaluate_system_with(&p, &labels, &s, d);
    let other = evaluate_system_with(&p, &labels, &s, d);
    assert!(!one.is_empty());
    assert!(one.iter().zip(&other).all(|(x, y)| x.shares_labels_with(y)));
    assert_eq!(one, evaluate_system(&p, &s, d));
}
