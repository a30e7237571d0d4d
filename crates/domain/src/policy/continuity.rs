//! The profile's continuity section: the suggested requirements per
//! availability level (`[[continuity.suggestion]]`) and the continuity rules
//! (`[[continuity.rule]]`), each a [`ContinuityCheck`] on the system's
//! [`ContinuityFacts`]. A new check is a new variant with its arm in
//! [`ContinuityCheck::outcome`] and the fact it reads.

use super::*;
use crate::continuity::Suggestion;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The profile's `[continuity]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContinuitySection {
    /// Suggested RTO, RPO and MTD per availability level.
    #[serde(default, rename = "suggestion", skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<Suggestion>,
    #[serde(default, rename = "rule", skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<ContinuityRule>,
}

impl ContinuitySection {
    pub fn is_empty(&self) -> bool {
        self.suggestions.is_empty() && self.rules.is_empty()
    }
}

/// What a continuity rule checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContinuityCheck {
    /// No performed restore test missed its RTO or RPO with its deviations
    /// still open.
    RestoreTestMet,
}

impl ContinuityCheck {
    pub fn as_str(self) -> &'static str {
        match self {
            ContinuityCheck::RestoreTestMet => "restore_test_met",
        }
    }

    /// How the check stands on the system's facts.
    pub fn outcome(self, f: &ContinuityFacts) -> Outcome {
        match self {
            ContinuityCheck::RestoreTestMet => match f.failed_restore_test {
                Some(since) => Outcome::Missing { since: Some(since) },
                None => Outcome::Met { next_due: None },
            },
        }
    }
}

/// A continuity rule of the profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContinuityRule {
    pub id: String,
    pub kind: ContinuityCheck,
    #[serde(default, skip_serializing_if = "Condition::is_empty")]
    pub when: Condition,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible: Option<String>,
    pub text_sv: String,
    pub text_en: String,
    pub cite: String,
}

/// What the continuity rules ask about a system.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContinuityFacts {
    /// The first day of the earliest performed restore test that missed its
    /// RTO or RPO and whose deviations are not all done.
    pub failed_restore_test: Option<NaiveDate>,
}

/// Adds the findings of the profile's continuity rules for one system to `out`.
pub(super) fn evaluate_continuity(
    profile: &Profile,
    labels: &Labels,
    s: &SystemFacts,
    out: &mut Vec<Finding>,
) {
    for (r, label) in profile.continuity.rules.iter().zip(&labels.continuity) {
        let outcome = match r.when.check(s) {
            Applies::No => continue,
            Applies::Unknown(fact) => Outcome::Unknown { fact },
            Applies::Yes => r.kind.outcome(&s.continuity),
        };
        out.push(label.finding(outcome));
    }
}
