//! What an e-service's record says needs attention on a day, each finding a
//! message key the pages and the API show in words.

use super::record::{EServiceAccessibility, EServiceDraft, EServiceVerdict};
use chrono::{Months, NaiveDate};

/// No accessibility statement is linked.
pub const NO_STATEMENT: &str = "eservice-finding-no-statement";
/// A statement is linked, but neither when it was made nor reviewed.
pub const STATEMENT_UNDATED: &str = "eservice-finding-statement-undated";
/// The statement was last made or reviewed more than a year ago (it is to
/// be kept up to date; the 2026 baseline reviews it yearly).
pub const STATEMENT_OLD: &str = "eservice-finding-statement-old";
/// The statement's status under DOS-lagen is not recorded.
pub const NO_STATUS: &str = "eservice-finding-no-status";
/// The statement says the service is only partially or not compliant.
pub const NOT_COMPLIANT: &str = "eservice-finding-not-compliant";
/// Some of the five e-funktion criteria are not assessed.
pub const CRITERIA_NOT_ASSESSED: &str = "eservice-finding-criteria-not-assessed";
/// Some criterion is not met: not an e-funktion as Södertälje 3.3 has it.
pub const CRITERIA_NOT_MET: &str = "eservice-finding-criteria-not-met";
/// No system behind it is named.
pub const NO_SYSTEMS: &str = "eservice-finding-no-systems";

/// Every finding's key, in the order they are listed.
pub const FINDINGS: &[&str] = &[
    NO_STATEMENT,
    STATEMENT_UNDATED,
    STATEMENT_OLD,
    NO_STATUS,
    NOT_COMPLIANT,
    CRITERIA_NOT_ASSESSED,
    CRITERIA_NOT_MET,
    NO_SYSTEMS,
];

/// The day the statement was last looked at: its review, or its making.
pub fn statement_checked_on(d: &EServiceDraft) -> Option<NaiveDate> {
    d.statement_reviewed_on.or(d.statement_date)
}

/// The findings of an e-service on `today`, in [`FINDINGS`] order.
pub fn findings(d: &EServiceDraft, today: NaiveDate) -> Vec<&'static str> {
    let mut out = vec![];
    if d.statement_url.is_none() {
        out.push(NO_STATEMENT);
    } else {
        match statement_checked_on(d) {
            None => out.push(STATEMENT_UNDATED),
            Some(day) => {
                let year_ago = today.checked_sub_months(Months::new(12)).unwrap_or(today);
                if day < year_ago {
                    out.push(STATEMENT_OLD);
                }
            }
        }
        match d.accessibility_status {
            None => out.push(NO_STATUS),
            Some(EServiceAccessibility::FullyCompliant) => {}
            Some(_) => out.push(NOT_COMPLIANT),
        }
    }
    let verdicts = d.verdicts();
    if verdicts
        .iter()
        .any(|(_, v, _)| *v == EServiceVerdict::NotAssessed)
    {
        out.push(CRITERIA_NOT_ASSESSED);
    }
    if verdicts
        .iter()
        .any(|(_, v, _)| *v == EServiceVerdict::NotMet)
    {
        out.push(CRITERIA_NOT_MET);
    }
    if d.system_ids.is_empty() {
        out.push(NO_SYSTEMS);
    }
    out
}
