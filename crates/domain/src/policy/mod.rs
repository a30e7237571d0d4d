//! Policy profiles: a municipality's governance rules as data (R-ROLE-4,
//! R-SEC, R-CYCLE, R-CONT), and the evaluation of one system or one
//! organisation against them. No I/O: the store gathers the facts, this
//! module decides what is met, due soon, missing or overdue.
//!
//! A profile is a TOML document (`[[role]]`, `[[artefact]]`, `[[control]]`,
//! `[[deadline]]`, `[[checklist]]`, `[access]`, `[incidents]`); the shipped ones live in
//! `crates/domain/profiles/`, each rule citing the section of the document it
//! comes from.

mod access;
mod actions;
#[cfg(test)]
mod actions_tests;
mod compliance;
mod continuity;
mod cycle;
mod evaluate;
mod incidents;
mod planned_restores;
mod profile;
mod rules;
#[cfg(test)]
mod scenarios;
mod tasks;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_compliance;
#[cfg(test)]
mod tests_cycle;
#[cfg(test)]
mod tests_planned;

pub use access::*;
pub use actions::*;
pub use compliance::*;
pub use continuity::*;
pub use cycle::*;
pub use evaluate::*;
pub use incidents::*;
pub use planned_restores::*;
pub use profile::*;
pub use rules::*;
pub use tasks::*;

/// The role code that acts when a rule names nobody and when the named role
/// is vacant: the organisation's information security coordinator.
pub const COORDINATOR: &str = "security_coordinator";

/// Artefacts that insyn records itself; any other artefact name is a document
/// kind (a continuity plan, a management plan …) registered on the system.
pub const BUILTIN_ARTEFACTS: &[&str] = &[
    "classification",
    "security_plan",
    "operational_approval",
    "business_critical_decision",
    OUTAGE_PLAN,
    CONTINUITY_REQUIREMENTS,
    DECOMMISSION_GATES,
    PROCESSING_RECORD,
    PROCESSOR_AGREEMENT,
    SUPPORT_CONTRACT,
    FRIA,
    DPIA,
];

/// An approved outage plan (avbrottsplan) exists.
pub const OUTAGE_PLAN: &str = "outage_plan";

/// The system's RTO and RPO are set (`system_continuity`).
pub const CONTINUITY_REQUIREMENTS: &str = "continuity_requirements";

/// The system's decommissioning case has every gate passing, or is closed
/// (an exception the owner signed counts: the owner answers for it).
pub const DECOMMISSION_GATES: &str = "decommission_gates";

/// The system is named in a record of processing (GDPR art. 30) of its
/// organisation (`crate::processing`).
pub const PROCESSING_RECORD: &str = "processing_record";
/// A processor agreement (GDPR art. 28) in force with the system's
/// supplier covers the system (`insyn_domain::processor`).
pub const PROCESSOR_AGREEMENT: &str = "processor_agreement";

/// An active support or operation contract covers the system.
pub const SUPPORT_CONTRACT: &str = "support_contract";

/// A fundamental-rights impact assessment (AI Act art. 27) is recorded for
/// the system's high-risk AI (`crate::regulatory`).
pub const FRIA: &str = "fria";

/// A record of processing naming the system has its DPIA decision made
/// (GDPR art. 35): required with a date and a result, or not required with
/// a reason (`crate::processing`).
pub const DPIA: &str = "dpia";

/// The control whose completion is an answered and signed checklist.
pub const ANNUAL_REVIEW: &str = "annual_review";

/// The control that classifying every information set again performs.
pub const CLASSIFICATION_REVIEW: &str = "classification_review";

/// Controls that insyn records through their own workflow (the signed
/// checklist, a new classification), never as a bare control record.
pub const WORKFLOW_CONTROLS: &[&str] = &[ANNUAL_REVIEW, CLASSIFICATION_REVIEW];
