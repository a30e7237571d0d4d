//! The outage plan (avbrottsplan) of a system as a versioned document (issue
//! 18, Mjölby 3.2.2, Södertälje 4.2.1): its sections, their limits, and the
//! same life as the security plan (draft → submitted → approved by the system
//! owner → superseded by a newer approved version, see
//! [`crate::security::plan_transition`]). No I/O.

use crate::ids::SystemId;
use crate::security::PlanStatus;
use crate::validation::{self as v, FieldErrors, Validate};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The longest text of one section, in characters.
pub const SECTION_MAX: usize = 10_000;

/// The section that starts from the system's fallback routine
/// (`system_continuity.fallback_routine`) when the first draft is made.
pub const FALLBACK_ROUTINE: &str = "fallback_routine";

/// The outage plan's sections, in the document's order.
pub const OUTAGE_PLAN_SECTIONS: &[&str] = &[
    "scope",
    "outage_definition",
    "roles_contacts",
    FALLBACK_ROUTINE,
    "communication",
    "restart_order",
    "return_to_normal",
    "exercise",
];

/// The texts of an outage plan, one per section; `None` (or nothing but
/// spaces) is a section not yet written. In a request, a section left out is
/// left as it was.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OutagePlanSections {
    /// Omfattning: what the plan covers.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 10000))]
    pub scope: Option<String>,
    /// What counts as an outage (vad som räknas som avbrott).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 10000))]
    pub outage_definition: Option<String>,
    /// Roles and the contact list.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 10000))]
    pub roles_contacts: Option<String>,
    /// The fallback routine (reservrutin) while the system is down.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 10000))]
    pub fallback_routine: Option<String>,
    /// Communication: who is told what, and how.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 10000))]
    pub communication: Option<String>,
    /// The order of restart and its priorities.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 10000))]
    pub restart_order: Option<String>,
    /// The return to normal operation.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 10000))]
    pub return_to_normal: Option<String>,
    /// How the plan is exercised and tested.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 10000))]
    pub exercise: Option<String>,
}

impl OutagePlanSections {
    /// Each section's key (one of [`OUTAGE_PLAN_SECTIONS`]) with its text.
    pub fn entries(&self) -> [(&'static str, &Option<String>); 8] {
        [
            ("scope", &self.scope),
            ("outage_definition", &self.outage_definition),
            ("roles_contacts", &self.roles_contacts),
            (FALLBACK_ROUTINE, &self.fallback_routine),
            ("communication", &self.communication),
            ("restart_order", &self.restart_order),
            ("return_to_normal", &self.return_to_normal),
            ("exercise", &self.exercise),
        ]
    }

    fn entries_mut(&mut self) -> [(&'static str, &mut Option<String>); 8] {
        [
            ("scope", &mut self.scope),
            ("outage_definition", &mut self.outage_definition),
            ("roles_contacts", &mut self.roles_contacts),
            (FALLBACK_ROUTINE, &mut self.fallback_routine),
            ("communication", &mut self.communication),
            ("restart_order", &mut self.restart_order),
            ("return_to_normal", &mut self.return_to_normal),
            ("exercise", &mut self.exercise),
        ]
    }

    /// One section's text, empty when not written.
    pub fn text(&self, key: &str) -> &str {
        self.entries()
            .into_iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, t)| t.as_deref())
            .unwrap_or("")
    }

    /// Sets one section by its key; `false` for a key the plan does not have.
    pub fn set(&mut self, key: &str, text: Option<String>) -> bool {
        match self.entries_mut().into_iter().find(|(k, _)| *k == key) {
            Some((_, slot)) => {
                *slot = text;
                true
            }
            None => false,
        }
    }

    /// Checks each section's length and trims it (nothing left is `None`).
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        for (key, slot) in self.entries_mut() {
            *slot = v::optional_text(&mut e, key, slot.as_deref(), SECTION_MAX);
        }
        e.into_result(self)
    }

    /// This plan's texts with the sections `change` sends written over them.
    pub fn merged(&self, change: OutagePlanSections) -> OutagePlanSections {
        let mut out = self.clone();
        for (key, text) in change.entries() {
            if text.is_some() {
                out.set(key, text.clone());
            }
        }
        out
    }

    /// Sections with no text yet.
    pub fn empty(&self) -> Vec<&'static str> {
        self.entries()
            .into_iter()
            .filter(|(_, t)| t.as_deref().is_none_or(|t| t.trim().is_empty()))
            .map(|(k, _)| k)
            .collect()
    }
}

impl Validate for OutagePlanSections {
    fn problems(&self) -> FieldErrors {
        self.clone().validate().err().unwrap_or_default()
    }
}

/// One version of a system's outage plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutagePlan {
    pub id: Uuid,
    pub system_id: SystemId,
    pub version: i32,
    pub status: PlanStatus,
    pub sections: OutagePlanSections,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    /// The system owner who approved it.
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
}

/// The texts a new version starts from: the newest version's, or, for the
/// first draft, the fallback routine the system's continuity requirements
/// record.
pub fn first_texts(
    newest: Option<&OutagePlan>,
    fallback_routine: Option<&str>,
) -> OutagePlanSections {
    match newest {
        Some(p) => p.sections.clone(),
        None => OutagePlanSections {
            fallback_routine: v::clean(fallback_routine),
            ..Default::default()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_key_is_a_field_in_order() {
        let keys: Vec<&str> = OutagePlanSections::default()
            .entries()
            .iter()
            .map(|(k, _)| *k)
            .collect();
        assert_eq!(keys, OUTAGE_PLAN_SECTIONS);
        let mut s = OutagePlanSections::default();
        for k in OUTAGE_PLAN_SECTIONS {
            assert!(s.set(k, Some(format!("text {k}"))));
            assert_eq!(s.text(k), format!("text {k}"));
        }
        assert!(!s.set("nonsense", None));
        assert!(s.empty().is_empty());
    }

    #[test]
    fn a_section_over_the_limit_is_named() {
        let s = OutagePlanSections {
            communication: Some("x".repeat(SECTION_MAX + 1)),
            scope: Some("  Hela systemet  ".into()),
            ..Default::default()
        };
        let e = s.clone().validate().unwrap_err();
        assert_eq!(e.get("communication"), Some(v::TOO_LONG));
        assert_eq!(e.0.len(), 1);
        let ok = OutagePlanSections {
            communication: Some("   ".into()),
            ..s
        }
        .validate()
        .unwrap();
        assert_eq!(ok.scope.as_deref(), Some("Hela systemet"));
        assert_eq!(ok.communication, None);
    }

    #[test]
    fn a_change_writes_only_what_it_sends() {
        let old = OutagePlanSections {
            scope: Some("A".into()),
            exercise: Some("B".into()),
            ..Default::default()
        };
        let new = old.merged(OutagePlanSections {
            exercise: Some("C".into()),
            ..Default::default()
        });
        assert_eq!(new.scope.as_deref(), Some("A"));
        assert_eq!(new.exercise.as_deref(), Some("C"));
    }

    #[test]
    fn the_first_draft_starts_from_the_fallback_routine() {
        let t = first_texts(None, Some(" Papperblanketter i pärm "));
        assert_eq!(
            t.fallback_routine.as_deref(),
            Some("Papperblanketter i pärm")
        );
        assert_eq!(t.empty().len(), 7);
        assert_eq!(first_texts(None, None), OutagePlanSections::default());
    }
}
