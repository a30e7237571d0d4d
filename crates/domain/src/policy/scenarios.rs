//! Scenario tests for the shipped policy profiles: a small organisation per
//! profile, some systems complying and some not, evaluated on a fixed day,
//! with exactly the gaps the profile's document leads to.

use super::*;
use crate::model::{DEFAULT_ROLE_TYPES, Hosting, Lifecycle};
use chrono::NaiveDate;
use std::collections::BTreeMap;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn profile(code: &str) -> Profile {
    let codes: Vec<&str> = DEFAULT_ROLE_TYPES.iter().map(|r| r.0).collect();
    shipped(code, &codes).unwrap_or_else(|| panic!("{code} is not shipped or does not parse"))
}

/// Builds the facts of one system.
struct Sys(SystemFacts);

impl Sys {
    /// A system that entered the register on the day it went live.
    fn new(start: &str) -> Self {
        let mut f = SystemFacts::new(day(start));
        f.go_live = Some(f.start);
        Sys(f)
    }
    /// When it went live (`None`: unknown).
    fn live(mut self, go_live: Option<&str>) -> Self {
        self.0.go_live = go_live.map(day);
        self
    }
    fn users(mut self, n: i64) -> Self {
        self.0.user_count = Some(n);
        self
    }
    fn critical(mut self) -> Self {
        self.0.business_critical = true;
        self
    }
    fn personal_data(mut self) -> Self {
        self.0.personal_data = true;
        self
    }
    fn sensitive(mut self) -> Self {
        self.0.personal_data = true;
        self.0.sensitive_personal_data = true;
        self
    }
    /// The highest confidentiality level of its classified information.
    fn confidentiality(mut self, level: i16) -> Self {
        self.0.highest_confidentiality = Some(level);
        self
    }
    fn supplier(mut self) -> Self {
        self.0.has_supplier = true;
        self
    }
    fn hosting(mut self, h: Hosting) -> Self {
        self.0.hosting = h;
        self
    }
    fn lifecycle(mut self, l: Lifecycle) -> Self {
        self.0.lifecycle = l;
        self
    }
    fn roles(mut self, roles: &[&str]) -> Self {
        self.0.roles.extend(roles.iter().map(|r| r.to_string()));
        self
    }
    fn ended(mut self, role: &str, last_day: &str) -> Self {
        self.0.roles_ended.insert(role.into(), day(last_day));
        self
    }
    fn has(mut self, artefacts: &[&str]) -> Self {
        let since = self.0.start;
        for a in artefacts {
            self.0.artefacts.insert(a.to_string(), since);
        }
        self
    }
    fn done(mut self, control: &str, on: &str) -> Self {
        self.0.controls_done.insert(control.into(), day(on));
        self
    }
}

fn line(name: &str, f: &Finding) -> String {
    let date = f.outcome.date().map_or("-".into(), |d| d.to_string());
    format!("{name}: {} {} {date}", f.rule_id(), f.outcome.state())
}

/// Every gap of every system, as "system: rule state date", sorted.
fn gaps(p: &Profile, systems: &[(&str, Sys)], today: &str) -> Vec<String> {
    let mut out: Vec<String> = systems
        .iter()
        .flat_map(|(name, s)| {
            evaluate_system(p, &s.0, day(today))
                .into_iter()
                .filter(|f| f.is_gap())
                .map(move |f| line(name, &f))
        })
        .collect();
    out.sort();
    out
}

fn sorted(v: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

fn finding(p: &Profile, s: &Sys, today: &str, rule: &str) -> Finding {
    evaluate_system(p, &s.0, day(today))
        .into_iter()
        .find(|f| f.rule_id() == rule)
        .unwrap_or_else(|| panic!("{rule} does not apply"))
}

#[test]
fn mjolby_2005() {
    let p = profile("mjolby-2005");
    // Mjölby 3.1 names the municipality's shared systems: the finance system,
    // the map system, case management, the telephone exchange.
    let systems = [
        (
            "Ekonomisystem",
            Sys::new("2024-01-01")
                .critical()
                .users(120)
                .roles(&["system_owner", "system_manager"])
                .has(&[
                    "business_critical_decision",
                    "security_plan",
                    "classification",
                    "operational_approval",
                    "continuity_plan",
                    "outage_plan",
                    "continuity_requirements",
                ])
                .done("restore_test", "2026-03-01")
                .done("benefit_review", "2025-09-15"),
        ),
        (
            "Karthantering",
            Sys::new("2024-01-01")
                .users(8)
                .roles(&["system_owner"])
                .ended("system_manager", "2026-02-28")
                .has(&["business_critical_decision"])
                .done("restore_test", "2025-11-01"),
        ),
        (
            "Ärendehantering",
            Sys::new("2025-02-01")
                .critical()
                .users(40)
                .roles(&["system_owner", "system_manager"])
                .has(&[
                    "business_critical_decision",
                    "classification",
                    "continuity_plan",
                ])
                .done("restore_test", "2025-06-15")
                .done("benefit_review", "2026-01-10"),
        ),
        // One user: no systemförvaltare needed (4.5).
        (
            "Televäxel",
            Sys::new("2026-05-01").users(1).roles(&["system_owner"]),
        ),
    ];
    assert_eq!(
        gaps(&p, &systems, "2026-06-30"),
        sorted(&[
            // 4.5: more than one user, and the förvaltare left on 2026-02-28.
            "Karthantering: manager missing 2026-03-01",
            // 3.2.2: "löpande följa upp" (12 months by default), never done.
            "Karthantering: benefit-review overdue 2025-01-01",
            // 3.2.2 / 4.5: a business-critical system without a security plan
            // or operational approval.
            "Ärendehantering: security-plan missing 2025-02-01",
            "Ärendehantering: operational-approval missing 2025-02-01",
            // 3.2.2 (issue 18): no approved outage plan, and the owner has
            // not set the longest acceptable outage and information loss.
            "Ärendehantering: outage-plan missing 2025-02-01",
            "Ärendehantering: continuity-requirements missing 2025-02-01",
            // 3.2.4: the yearly restore check is late.
            "Ärendehantering: restore-test overdue 2026-06-15",
            // 3.2.2: nobody has assessed whether it is business-critical.
            "Televäxel: business-critical-decision missing 2026-05-01",
        ])
    );
    let restore = finding(&p, &systems[2].1, "2026-06-30", "restore-test");
    assert_eq!(restore.responsible(), "it_manager");
    // Setting RTO and RPO and approving the outage plan closes both gaps.
    let done = Sys(systems[2].1.0.clone()).has(&["outage_plan", "continuity_requirements"]);
    for rule in ["outage-plan", "continuity-requirements"] {
        assert!(
            matches!(
                finding(&p, &done, "2026-06-30", rule).outcome,
                Outcome::Met { .. }
            ),
            "{rule}"
        );
    }
    // A system that is not business-critical is not asked for either.
    assert!(
        evaluate_system(&p, &systems[1].1.0, day("2026-06-30"))
            .iter()
            .all(|f| f.rule_id() != "outage-plan" && f.rule_id() != "continuity-requirements")
    );
}

#[test]
fn sodertalje_2004() {
    let p = profile("sodertalje-2004");
    let systems = [
        // Appendix 1 (ASR): Microsoft Exchange 2003, 1900 users, business-critical,
        // in operation since 2004-04-01, with a systemförvaltare.
        (
            "Microsoft Exchange",
            Sys::new("2004-04-01")
                .critical()
                .users(1900)
                .roles(&["system_owner", "system_manager"])
                .has(&[
                    "business_critical_decision",
                    "security_plan",
                    "classification",
                    "continuity_plan",
                    "operational_approval",
                    "outage_plan",
                ])
                .done("security_review", "2025-05-20"),
        ),
        // A small system with a systemkontaktperson instead of a förvaltare (2.2.7).
        (
            "Lokalbokning",
            Sys::new("2023-03-01")
                .users(5)
                .roles(&["system_owner", "system_contact"])
                .has(&["business_critical_decision", "operational_approval"]),
        ),
        // The pupils' portal of the vision (2.1).
        (
            "Skolportal",
            Sys::new("2025-08-15")
                .critical()
                .users(3000)
                .roles(&["system_owner"])
                .has(&[
                    "business_critical_decision",
                    "security_plan",
                    "classification",
                    "security_instructions",
                    "operational_approval",
                ]),
        ),
        // An e-service being planned: owner appointed (2.2.5: systems that
        // "skall köpas in"), no operational approval needed yet.
        (
            "E-tjänst förskoleplats",
            Sys::new("2026-04-01")
                .lifecycle(Lifecycle::Planned)
                .roles(&["system_owner"]),
        ),
    ];
    assert_eq!(
        gaps(&p, &systems, "2026-06-30"),
        sorted(&[
            // IT-säkerhetspolicy 4.1: security instructions for every
            // business-critical system; the yearly security review is late.
            "Microsoft Exchange: security-instructions missing 2004-04-01",
            "Microsoft Exchange: security-review overdue 2026-05-20",
            // IT-organisation 2.2.5–2.2.7: nobody runs it day to day, and a
            // business-critical system needs more than a contact person.
            "Skolportal: manager-critical missing 2025-08-15",
            // IT-säkerhetspolicy 4.2.1 and 6: an outage plan for every
            // business-critical system, since issue 18 a versioned document of
            // its own (the security plan's outage-plan section may point to it).
            "Skolportal: outage-plan missing 2025-08-15",
            // IT-säkerhetspolicy 4.2.1: the business-critical decision is due
            // for every system, planned ones too.
            "E-tjänst förskoleplats: business-critical-decision missing 2026-04-01",
        ])
    );
    // IT-säkerhetspolicy 4.1: the policy yearly; IT-organisation 2.1.2: the
    // vision, strategy and other governing documents every three years.
    let done = BTreeMap::from([
        ("policy_revision".to_string(), day("2025-03-01")),
        ("strategy_revision".to_string(), day("2024-02-01")),
    ]);
    let org: Vec<String> = evaluate_organisation(&p, &done, day("2024-01-01"), day("2026-06-30"))
        .iter()
        .map(|f| line("Södertälje", f))
        .collect();
    assert_eq!(
        org,
        [
            "Södertälje: policy-revision overdue 2026-03-01",
            "Södertälje: strategy-revision met 2027-02-01",
        ]
    );
}

#[test]
fn soderkoping() {
    let p = profile("soderkoping");
    // "Verksamhetssystemen för Treserva, TES och LOK … används av flera
    // verksamheter … och har en central systemförvaltning"; a unit's own tool
    // has a systemadministratör.
    let tes = Sys::new("2023-01-01")
        .personal_data()
        .roles(&["system_owner", "system_manager"])
        .ended("system_responsible", "2026-04-30")
        .has(&["management_plan", "classification", "operational_approval"])
        .done("annual_review", "2025-07-15")
        .done("access_review", "2025-09-01")
        .done("log_review", "2025-09-01");
    let systems = [
        (
            "Treserva",
            Sys::new("2023-01-01")
                .sensitive()
                .users(400)
                .roles(&[
                    "system_owner",
                    "system_responsible",
                    "system_manager",
                    "pilot",
                ])
                .has(&["management_plan", "classification", "operational_approval"])
                .done("annual_review", "2025-11-20")
                .done("access_review", "2026-02-01")
                .done("log_review", "2025-06-01"),
        ),
        ("TES", tes),
        (
            "LOK",
            Sys::new("2024-03-01")
                .roles(&["system_owner", "system_responsible", "system_manager"])
                .has(&["operational_approval"])
                .done("annual_review", "2025-08-01")
                .done("access_review", "2025-08-01")
                .done("log_review", "2025-08-01"),
        ),
        (
            "Schemaverktyg hemtjänst",
            Sys::new("2026-02-01")
                .roles(&["system_owner", "system_responsible", "system_administrator"])
                .has(&["management_plan", "classification"]),
        ),
    ];
    assert_eq!(
        gaps(&p, &systems, "2026-06-30"),
        sorted(&[
            // Uppföljning och kontroller: event-log checks per the årshjul.
            "Treserva: log-review overdue 2026-06-01",
            // Organisation för förvaltning: a systemansvarig must always exist;
            // TES's left on 2026-04-30.
            "TES: responsible missing 2026-05-01",
            // Organisation för förvaltning: every system has a förvaltningsplan;
            // IT-säkerhet: every system is classified with KLASSA.
            "LOK: management-plan missing 2024-03-01",
            "LOK: classification missing 2024-03-01",
            // Nya system: approved by the IT manager before go-live.
            "Schemaverktyg hemtjänst: operational-approval missing 2026-02-01",
        ])
    );
    // TES's annual review is due in a fortnight: a task, not a gap.
    let annual = finding(&p, &systems[1].1, "2026-06-30", "annual-review");
    assert_eq!(
        annual.outcome,
        Outcome::DueSoon {
            due: day("2026-07-15")
        }
    );
    assert_eq!(annual.responsible(), "system_responsible");
    let approval = finding(&p, &systems[3].1, "2026-06-30", "operational-approval");
    assert_eq!(approval.responsible(), "it_manager");
    // Incidenthantering: report internally within 48 hours.
    let d: Vec<(&str, u32)> = p
        .deadlines
        .iter()
        .map(|d| (d.id.as_str(), d.hours))
        .collect();
    assert_eq!(d, [("incident-internal", 48)]);
}

#[test]
fn svenljunga() {
    let p = profile("svenljunga");
    // The policy names no systems; these are typical of a small municipality.
    let systems = [
        (
            "Ekonomisystem",
            Sys::new("2020-01-01")
                .roles(&["system_owner", "system_manager"])
                .has(&["classification", "management_plan"])
                .done("access_review", "2026-01-10"),
        ),
        (
            "Elevregister (molntjänst)",
            Sys::new("2025-09-01")
                .hosting(Hosting::Saas)
                .personal_data()
                .roles(&["system_owner"])
                .has(&["classification"]),
        ),
        (
            "Bygglovssystem",
            Sys::new("2022-05-01")
                .roles(&["system_owner", "system_manager"])
                .has(&["management_plan"])
                .done("access_review", "2025-05-01"),
        ),
    ];
    assert_eq!(
        gaps(&p, &systems, "2026-06-30"),
        sorted(&[
            // Roller och ansvar: Systemförvaltare; Systemförvaltarplaner.
            "Elevregister (molntjänst): manager missing 2025-09-01",
            "Elevregister (molntjänst): management-plan missing 2025-09-01",
            // Informationsklassning: "för varje system".
            "Bygglovssystem: classification missing 2022-05-01",
            // Behörighetskontroll (12 months by default).
            "Bygglovssystem: access-review overdue 2026-05-01",
        ])
    );
    let review = finding(&p, &systems[2].1, "2026-06-30", "access-review");
    assert_eq!(review.responsible(), "system_manager");
}

#[test]
fn stockholm() {
    let p = profile("stockholm");
    // 2.2 names the city's contact centre; 2.1 its e-services.
    let systems = [
        (
            "Kontaktcenter",
            Sys::new("2024-01-01")
                .critical()
                .roles(&["system_owner"])
                .has(&["classification", "service_agreement", "continuity_plan"])
                .done("benefit_review", "2026-03-01")
                .done("access_review", "2026-03-01"),
        ),
        (
            "E-tjänsteplattform",
            Sys::new("2025-10-01")
                .critical()
                .roles(&["system_owner"])
                .has(&["classification"]),
        ),
        (
            "Ny ärendehantering",
            Sys::new("2026-05-15").lifecycle(Lifecycle::Procuring),
        ),
        (
            "Intranät",
            Sys::new("2023-01-01")
                .roles(&["system_owner"])
                .has(&["classification", "service_agreement"])
                .done("benefit_review", "2025-01-20")
                .done("access_review", "2026-01-01"),
        ),
    ];
    assert_eq!(
        gaps(&p, &systems, "2026-06-30"),
        sorted(&[
            // 6: written service levels before go-live; a continuity plan where
            // the business depends heavily on the system.
            "E-tjänsteplattform: service-agreement missing 2025-10-01",
            "E-tjänsteplattform: continuity-plan missing 2025-10-01",
            // 3.2 / 2.6: an owner and (6) a classification, already while
            // procuring; no service levels needed before go-live.
            "Ny ärendehantering: owner missing 2026-05-15",
            "Ny ärendehantering: classification missing 2026-05-15",
            // 2.6: benefit assessed "regelbundet" (12 months by default).
            "Intranät: benefit-review overdue 2026-01-20",
        ])
    );
}

#[test]
fn baseline_2026() {
    let p = profile("baseline-2026");
    let systems = [
        (
            "Treserva",
            Sys::new("2023-01-01")
                .critical()
                .sensitive()
                .roles(&["system_owner"])
                .has(&[
                    "classification",
                    "continuity_plan",
                    "processing_record",
                    "support_contract",
                    "dpia",
                ])
                .done("annual_review", "2026-02-01")
                .done("access_review", "2026-02-01")
                .done("log_review", "2026-02-01")
                .done("restore_test", "2026-02-01"),
        ),
        (
            "Skolplattform",
            Sys::new("2025-03-01")
                .hosting(Hosting::Saas)
                .personal_data()
                .confidentiality(2)
                .supplier()
                .roles(&["system_owner"])
                .has(&["classification", "processing_record"])
                .done("annual_review", "2026-01-01")
                .done("access_review", "2026-01-01")
                .done("restore_test", "2026-01-01"),
        ),
        ("Fastighetsautomation", Sys::new("2026-01-15").critical()),
        // Externally hosted by a supplier, but no personal data: no processor agreement.
        (
            "Bredbandskarta",
            Sys::new("2025-01-01")
                .hosting(Hosting::External)
                .supplier()
                .roles(&["system_owner"])
                .has(&["classification"])
                .done("annual_review", "2026-01-01")
                .done("access_review", "2026-01-01")
                .done("restore_test", "2026-01-01"),
        ),
    ];
    assert_eq!(
        gaps(&p, &systems, "2026-06-30"),
        sorted(&[
            // GDPR art. 28.3: a supplier processing personal data needs a processor
            // agreement; art. 5.1 f, 32.1 b: its access logs were never reviewed.
            "Skolplattform: processor-agreement missing 2025-03-01",
            "Skolplattform: log-review overdue 2026-03-01",
            // GDPR art. 24 / NIS2 art. 20: no owner; NIS2 art. 21.2 a, i: not
            // classified; 21.2 c: business-critical without a continuity plan.
            "Fastighetsautomation: owner missing 2026-01-15",
            "Fastighetsautomation: classification missing 2026-01-15",
            "Fastighetsautomation: continuity-plan missing 2026-01-15",
            // The baseline's own: business-critical without a support contract.
            "Fastighetsautomation: support-contract missing 2026-01-15",
        ])
    );
    let restore = finding(&p, &systems[0].1, "2026-06-30", "restore-test");
    assert_eq!(restore.responsible(), "operations_manager");
    // NIS2 art. 21.2 a: the policy revised (yearly by default).
    let done = BTreeMap::from([("policy_revision".to_string(), day("2025-04-01"))]);
    let org: Vec<String> = evaluate_organisation(&p, &done, day("2026-01-15"), day("2026-06-30"))
        .iter()
        .map(|f| line("Kommunen", f))
        .collect();
    assert_eq!(org, ["Kommunen: policy-revision overdue 2026-04-01"]);
    // GDPR art. 33.1; cybersäkerhetslagen / NIS2 art. 23.4 a, b, d.
    let mut d: Vec<(&str, u32)> = p
        .deadlines
        .iter()
        .map(|d| (d.id.as_str(), d.hours))
        .collect();
    d.sort();
    assert_eq!(
        d,
        [
            ("csirt-early-warning", 24),
            ("csirt-final-report", 720),
            ("csirt-notification", 72),
            ("gdpr-imy", 72),
        ]
    );
}

#[test]
fn the_same_system_under_two_profiles() {
    // A booking system with five users and a systemkontaktperson.
    let booking = Sys::new("2025-01-01")
        .users(5)
        .roles(&["system_owner", "system_contact"])
        .has(&["business_critical_decision", "operational_approval"])
        .done("restore_test", "2026-03-01")
        .done("benefit_review", "2026-03-01");
    let systems = [("Lokalbokning", booking)];
    // Södertälje IT-organisation 2.2.7: a kontaktperson may stand in for a
    // förvaltare in a smaller system.
    assert_eq!(
        gaps(&profile("sodertalje-2004"), &systems, "2026-06-30"),
        Vec::<String>::new()
    );
    // Mjölby 4.5: more than one user, so a systemförvaltare is required.
    assert_eq!(
        gaps(&profile("mjolby-2005"), &systems, "2026-06-30"),
        ["Lokalbokning: manager missing 2025-01-01"]
    );
    // With a single user Mjölby asks for no förvaltare either.
    let single = [("Lokalbokning", Sys(systems[0].1.0.clone()).users(1))];
    assert!(gaps(&profile("mjolby-2005"), &single, "2026-06-30").is_empty());
}

#[test]
fn shipped_profiles_use_the_shared_vocabulary() {
    const CONTROLS: &[&str] = &[
        "annual_review",
        "security_review",
        "access_review",
        "log_review",
        "restore_test",
        "classification_review",
        "contract_review",
        "benefit_review",
        "policy_revision",
        "strategy_revision",
    ];
    const DOCUMENTS: &[&str] = &[
        "management_plan",
        "continuity_plan",
        "security_instructions",
        "backup_requirements",
        "decommissioning_plan",
        "service_agreement",
        "access_profiles",
        "processor_agreement",
    ];
    for (code, _) in SHIPPED {
        let p = profile(code);
        for c in &p.controls {
            assert!(
                CONTROLS.contains(&c.control.as_str()),
                "{code}: {}",
                c.control
            );
            assert!(!c.cite.trim().is_empty(), "{code}: {} cites nothing", c.id);
            let org = matches!(c.control.as_str(), "policy_revision" | "strategy_revision");
            assert_eq!(
                c.scope == ControlScope::Organisation,
                org,
                "{code}: {}",
                c.id
            );
        }
        for a in &p.artefacts {
            assert!(!a.cite.trim().is_empty(), "{code}: {} cites nothing", a.id);
        }
        for kind in p.document_kinds() {
            assert!(DOCUMENTS.contains(&kind), "{code}: {kind}");
        }
        assert!(
            (8..=15).contains(&p.checklist.len()),
            "{code}: {} checklist items",
            p.checklist.len()
        );
        assert!(p.checklist.iter().all(|c| c.cite.is_some()), "{code}");
    }
    let codes: Vec<&str> = SHIPPED.iter().map(|(c, _)| *c).collect();
    assert_eq!(
        codes,
        [
            "sodertalje-2004",
            "svenljunga",
            "soderkoping",
            "stockholm",
            "mjolby-2005",
            "baseline-2026"
        ]
    );
}

/// Every finding that is a task (not met) of every system, sorted.
fn tasks(p: &Profile, systems: &[(&str, Sys)], today: &str) -> Vec<String> {
    let mut out: Vec<String> = systems
        .iter()
        .flat_map(|(name, s)| {
            evaluate_system(p, &s.0, day(today))
                .into_iter()
                .filter(|f| f.outcome.is_task())
                .map(move |f| line(name, &f))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_register_imported_today_counts_controls_from_go_live() {
    // Issue 14, the right day: a register imported on 2026-06-30. The
    // controls of a system that has run for three years are due at once, not
    // a year after the import (baseline: GDPR art. 32.1 d; NIS2 art. 21.2 f,
    // i, c); one going live later counts one interval from its go-live.
    let p = profile("baseline-2026");
    let owned = |s: Sys| s.roles(&["system_owner"]).has(&["classification"]);
    let systems = [
        (
            "Ekonomisystem",
            owned(Sys::new("2026-06-30").live(Some("2023-06-30"))),
        ),
        ("Okänd driftstart", owned(Sys::new("2026-06-30").live(None))),
        (
            "Ny e-tjänst",
            owned(Sys::new("2026-06-30").live(Some("2026-09-01"))),
        ),
    ];
    assert_eq!(
        tasks(&p, &systems, "2026-06-30"),
        sorted(&[
            "Ekonomisystem: annual-review due_soon 2026-06-30",
            "Ekonomisystem: access-review due_soon 2026-06-30",
            "Ekonomisystem: restore-test due_soon 2026-06-30",
            "Okänd driftstart: annual-review due_soon 2026-06-30",
            "Okänd driftstart: access-review due_soon 2026-06-30",
            "Okänd driftstart: restore-test due_soon 2026-06-30",
        ])
    );
    assert_eq!(
        gaps(&p, &systems[..1], "2026-07-01"),
        sorted(&[
            "Ekonomisystem: annual-review overdue 2026-06-30",
            "Ekonomisystem: access-review overdue 2026-06-30",
            "Ekonomisystem: restore-test overdue 2026-06-30",
        ])
    );
    let new = finding(&p, &systems[2].1, "2026-10-01", "restore-test");
    assert_eq!(
        new.outcome,
        Outcome::Met {
            next_due: Some(day("2027-09-01"))
        }
    );
}

#[test]
fn sodertalje_2004_reread_against_the_documents() {
    // Issue 14 (5), each case citing the section it follows.
    let p = profile("sodertalje-2004");
    let systems = [
        // IT-organisation 2.2.7: a contact person only "för mindre eller
        // mindre kritiska system" – not for a business-critical one with 400 users.
        (
            "Ekonomisystem",
            Sys::new("2024-01-01")
                .critical()
                .users(400)
                .roles(&["system_owner", "system_contact"])
                .has(&[
                    "business_critical_decision",
                    "security_plan",
                    "classification",
                    "security_instructions",
                    "operational_approval",
                    "outage_plan",
                ])
                .done("security_review", "2026-03-01"),
        ),
        // 2.2.5: someone runs the daily use; a systemadministratör who does is enough.
        (
            "Bibliotekssystem",
            Sys::new("2024-01-01")
                .users(12)
                .roles(&["system_owner", "system_administrator"])
                .has(&["business_critical_decision", "operational_approval"]),
        ),
        // IT-säkerhetspolicy 4.1, 6: "Samtliga nya system skall formellt
        // driftgodkännas innan driftstart" – not one live since 1998, entered
        // into the register in 2004.
        (
            "Löneprogram",
            Sys::new("2004-04-01")
                .live(Some("1998-01-01"))
                .users(3)
                .roles(&["system_owner", "system_manager"])
                .has(&["business_critical_decision"]),
        ),
        // A system in operation whose go-live date is blank: whether it is
        // new cannot be told, which is asked, not passed over.
        (
            "Okänt system",
            Sys::new("2024-01-01")
                .live(None)
                .users(3)
                .roles(&["system_owner", "system_manager"])
                .has(&["business_critical_decision"]),
        ),
    ];
    assert_eq!(
        gaps(&p, &systems, "2026-06-30"),
        sorted(&[
            "Ekonomisystem: manager-critical missing 2024-01-01",
            "Okänt system: operational-approval unknown -",
        ])
    );
    let unknown = finding(&p, &systems[3].1, "2026-06-30", "operational-approval");
    assert_eq!(unknown.outcome, Outcome::Unknown { fact: Fact::GoLive });
    // The same profile judges a new system, live after it entered the register.
    let new = [(
        "Ny e-tjänst",
        Sys::new("2026-01-01")
            .live(Some("2026-03-01"))
            .users(3)
            .roles(&["system_owner", "system_manager"])
            .has(&["business_critical_decision"]),
    )];
    assert_eq!(
        gaps(&p, &new, "2026-06-30"),
        ["Ny e-tjänst: operational-approval missing 2026-01-01"]
    );
}

#[test]
fn soderkoping_reread_against_the_documents() {
    // Issue 14 (5): "Samtliga nya system ska godkännas av IT-chef i samråd
    // med beställande nämnd (ägare) innan inköp och driftsättning" (Nya
    // system, digitala tjänster och verktyg): new systems, from procurement
    // on; not every system that was already in operation.
    let p = profile("soderkoping");
    let base = |s: Sys| {
        s.roles(&["system_owner", "system_responsible", "system_manager"])
            .has(&["management_plan", "classification"])
            .done("annual_review", "2026-01-15")
            .done("access_review", "2026-01-15")
            .done("log_review", "2026-01-15")
    };
    let systems = [
        // Live since 2012, entered into the register in 2023: no approval asked.
        (
            "Procapita",
            base(Sys::new("2023-01-01").live(Some("2012-09-01"))),
        ),
        // Being procured: approved before the purchase.
        (
            "Nytt planeringsverktyg",
            base(Sys::new("2026-05-01").lifecycle(Lifecycle::Procuring)),
        ),
        // Went live after it was registered: a new system.
        (
            "Digital signering",
            base(Sys::new("2026-01-01").live(Some("2026-02-01"))),
        ),
    ];
    assert_eq!(
        gaps(&p, &systems, "2026-06-30"),
        sorted(&[
            "Nytt planeringsverktyg: operational-approval missing 2026-05-01",
            "Digital signering: operational-approval missing 2026-01-01",
        ])
    );
    let approval = finding(&p, &systems[1].1, "2026-06-30", "operational-approval");
    assert_eq!(approval.responsible(), "it_manager");
}

#[test]
fn mjolby_2005_reread_against_the_documents() {
    // Issue 14 (5) read Mjölby 3.2.2's outage plan ("att i samverkan med
    // datachef fastställa avbrottsplan") as the security plan's outage-plan
    // section. Issue 18 makes it a versioned document of its own, approved by
    // the owner: the profile asks for an approved outage plan and for the
    // longest acceptable outage and information loss (RTO and RPO), and still
    // not for a separate continuity-plan document. The security plan keeps
    // its outage-plan section, which may point to the document.
    let p = profile("mjolby-2005");
    assert!(p.artefacts.iter().all(|a| a.artefact != "continuity_plan"));
    let asks = |p: &Profile, artefact: &str| {
        p.artefacts
            .iter()
            .find(|a| a.artefact == artefact)
            .map(|a| a.cite.clone())
    };
    assert_eq!(asks(&p, OUTAGE_PLAN).as_deref(), Some("Mjölby 3.2.2"));
    assert_eq!(
        asks(&p, CONTINUITY_REQUIREMENTS).as_deref(),
        Some("Mjölby 3.2.2")
    );
    let ekonomi = || {
        Sys::new("2024-01-01")
            .critical()
            .users(120)
            .roles(&["system_owner", "system_manager"])
            .has(&[
                "business_critical_decision",
                "security_plan",
                "classification",
                "operational_approval",
            ])
            .done("restore_test", "2026-03-01")
            .done("benefit_review", "2025-09-15")
    };
    assert_eq!(
        gaps(&p, &[("Ekonomisystem", ekonomi())], "2026-06-30"),
        sorted(&[
            "Ekonomisystem: outage-plan missing 2024-01-01",
            "Ekonomisystem: continuity-requirements missing 2024-01-01",
        ])
    );
    let complete = ekonomi().has(&[OUTAGE_PLAN, CONTINUITY_REQUIREMENTS]);
    assert!(gaps(&p, &[("Ekonomisystem", complete)], "2026-06-30").is_empty());
    assert!(
        crate::security::PLAN_SECTIONS.contains(&"outage_plan"),
        "the security plan keeps its outage-plan section"
    );
    // Södertälje 4.2.1 and 6: an outage plan for every business-critical
    // system; the document sets no RPO, so only the plan is asked for.
    let s = profile("sodertalje-2004");
    assert!(s.artefacts.iter().all(|a| a.artefact != "continuity_plan"));
    assert!(asks(&s, OUTAGE_PLAN).is_some());
    assert!(asks(&s, CONTINUITY_REQUIREMENTS).is_none());
}

/// Who orders, decides and carries out access under each shipped profile,
/// as its document says (Mjölby: the owner's written order is the decision;
/// Svenljunga: IT carries it out; Söderköping: the system administrator).
#[test]
fn each_profile_names_who_orders_decides_and_carries_out_access() {
    use crate::access::Party;
    let role = |c: &str| Party::Role(c.to_owned());
    let expect = [
        (
            "mjolby-2005",
            role("system_owner"),
            Party::Automatic,
            role("system_manager"),
        ),
        (
            "sodertalje-2004",
            Party::Manager,
            role("system_owner"),
            role("system_manager"),
        ),
        (
            "svenljunga",
            Party::Manager,
            role("system_owner"),
            role("operations_manager"),
        ),
        (
            "stockholm",
            Party::Manager,
            role("system_owner"),
            role("system_manager"),
        ),
        (
            "soderkoping",
            Party::Manager,
            role("system_owner"),
            role("system_administrator"),
        ),
        (
            "baseline-2026",
            Party::Manager,
            role("system_owner"),
            role("system_manager"),
        ),
    ];
    for (code, orderer, decider, executor) in expect {
        let p = profile(code);
        let a = p
            .access
            .as_ref()
            .unwrap_or_else(|| panic!("{code} has no [access]"));
        assert!(
            !a.cite.trim().is_empty(),
            "{code}: the access rule cites nothing"
        );
        let parties = p.access_parties();
        assert_eq!(
            (parties.orderer, parties.decider, parties.executor),
            (orderer, decider, executor),
            "{code}"
        );
    }
}

#[test]
fn an_access_rule_names_known_roles() {
    let codes: Vec<&str> = DEFAULT_ROLE_TYPES.iter().map(|r| r.0).collect();
    let mut p = profile("svenljunga");
    let a = p.access.as_mut().unwrap();
    a.executor = crate::access::Party::Role("it_unit".into());
    a.orderer = crate::access::Party::Automatic;
    let errors = p.check(&codes).unwrap_err();
    let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, vec!["access.orderer", "access.executor"]);
    assert!(errors.iter().all(|e| e.code == PROFILE_UNKNOWN_ROLE));
    // Without [access], insyn's defaults.
    p.access = None;
    assert_eq!(p.access_parties(), crate::access::Parties::default());
}

#[test]
fn baseline_2026_asks_for_a_dpia_decision_and_a_fria() {
    let p = profile("baseline-2026");
    let base = || {
        Sys::new("2025-01-01")
            .roles(&["system_owner"])
            .has(&["classification", "processing_record"])
            .done("annual_review", "2026-01-01")
            .done("access_review", "2026-01-01")
            .done("log_review", "2026-01-01")
            .done("restore_test", "2026-01-01")
    };
    let confidential = |level: i16| base().personal_data().confidentiality(level);
    let mut ai = base();
    ai.0.ai_high_risk = true;
    let unclassified = base().personal_data();
    let systems = [
        // GDPR art. 35.3 b: sensitive data.
        ("Journal", base().sensitive()),
        // A high KLASSA confidentiality level with personal data.
        ("Ekonomi", confidential(3)),
        // Level 2: no DPIA asked for.
        ("Bokning", confidential(2)),
        // Decided (required or not): met.
        ("Elevregister", confidential(4).has(&["dpia"])),
        // AI Act art. 27.
        ("Bidragsbedömning", ai),
        ("Chattbot", base()),
    ];
    assert_eq!(
        gaps(&p, &systems, "2026-06-30"),
        sorted(&[
            "Journal: dpia-sensitive missing 2025-01-01",
            "Ekonomi: dpia-confidential missing 2025-01-01",
            "Bidragsbedömning: fria missing 2025-01-01",
        ])
    );
    // Not classified: whether a DPIA is asked for cannot be told.
    let f = finding(&p, &unclassified, "2026-06-30", "dpia-confidential");
    assert_eq!(
        f.outcome,
        Outcome::Unknown {
            fact: Fact::Classification
        }
    );
}

#[test]
fn the_entity_class_is_a_condition() {
    let essential = Condition {
        nis_essential: Some(true),
        ..Condition::default()
    };
    let important = Condition {
        nis_important: Some(true),
        ..Condition::default()
    };
    let mut s = SystemFacts::new(day("2025-01-01"));
    assert!(!essential.holds(&s) && !important.holds(&s));
    s.nis_class = crate::regulatory::NisEntityClass::Essential;
    assert!(essential.holds(&s) && !important.holds(&s));
    s.nis_class = crate::regulatory::NisEntityClass::Important;
    assert!(!essential.holds(&s) && important.holds(&s));
}
