//! Integrations between systems (samverkande system): what flows from one
//! system to another, how often and how critical the flow is, and the rules
//! over the graph they make that need no database.
//!
//! - [`impact`]: "if X is down" — every system that depends on X, directly or
//!   transitively, the units that use them, the personal-data flows that
//!   stop, the continuity conflicts and the suggested business-critical
//!   systems.
//! - [`map`]: a system's neighbourhood to a depth, laid out in columns.
//! - [`overview`]: a unit's or the organisation's systems and flows, capped.
//!
//! Data flows from → to, so the to-system depends on the from-system; a flow
//! both ways makes each depend on the other. Integrations are secret by
//! default (OSL 18:13 protects dependencies and redundancy gaps): they never
//! reach the public register.

pub mod demo;
pub mod impact;
pub mod map;
pub mod overview;
#[cfg(test)]
mod tests;

pub use impact::*;
pub use map::*;

use crate::ids::{IntegrationId, OrgId, PersonId, SystemId};
use crate::model::text_enum;
use crate::validation::{self as v, FieldErrors};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

text_enum!(
    /// Which way the information flows.
    Direction {
        /// From the from-system to the to-system only.
        OneWay = "one_way",
        /// Both ways: each system depends on the other.
        Both = "both",
    }
);

text_enum!(
    /// How often the information flows.
    Frequency {
        Realtime = "realtime",
        Hourly = "hourly",
        Daily = "daily",
        Weekly = "weekly",
        Monthly = "monthly",
        OnDemand = "on_demand",
    }
);

text_enum!(
    /// How critical the flow is for the systems that depend on it.
    Criticality {
        Low = "low",
        Medium = "medium",
        High = "high",
        Critical = "critical",
    }
);

/// From and to are the same system.
pub const SAME_SYSTEM: &str = "error-integration-same-system";
/// An information set that is neither the from-system's nor the to-system's.
pub const SET_NOT_OF_SYSTEMS: &str = "error-integration-set-not-of-systems";

/// Every message key the integration rules produce; the i18n test checks
/// that each one exists in every language.
pub const ERROR_CODES: &[&str] = &[SAME_SYSTEM, SET_NOT_OF_SYSTEMS];

/// The most information sets one integration may carry.
pub const MAX_SETS: usize = 50;

/// An integration as created or edited.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntegrationDraft {
    /// The system the information comes from.
    pub from_system_id: SystemId,
    /// The system the information goes to (it depends on the from-system).
    pub to_system_id: SystemId,
    pub direction: Direction,
    /// The interface or protocol (REST, SFTP, file transfer, …).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub interface: Option<String>,
    /// The information sets that flow, each of the from-system or the
    /// to-system (their classification and personal-data flags come along).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub information_set_ids: Vec<Uuid>,
    pub frequency: Frequency,
    pub criticality: Criticality,
    /// Who is responsible for the integration: a person of the organisation.
    #[serde(default)]
    pub responsible_id: Option<PersonId>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub note: Option<String>,
}

impl IntegrationDraft {
    /// Trims the texts and checks what needs no database.
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        if self.from_system_id == self.to_system_id {
            e.add("to_system_id", SAME_SYSTEM);
        }
        self.interface = v::optional_text(&mut e, "interface", self.interface.as_deref(), 200);
        self.note = v::optional_text(&mut e, "note", self.note.as_deref(), 2000);
        if self.information_set_ids.len() > MAX_SETS {
            e.add("information_set_ids", v::TOO_LONG);
        }
        self.information_set_ids.sort();
        self.information_set_ids.dedup();
        e.into_result(self)
    }
}

impl v::Validate for IntegrationDraft {
    fn problems(&self) -> FieldErrors {
        self.clone().validate().err().unwrap_or_default()
    }
}

/// An information set an integration carries, with what comes along.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlowSet {
    pub id: Uuid,
    pub name: String,
    /// The system the set is of.
    pub system_id: SystemId,
    pub personal_data: bool,
    pub sensitive_personal_data: bool,
    /// The latest classification's levels (K, R, T), if classified.
    pub confidentiality: Option<i32>,
    pub integrity: Option<i32>,
    pub availability: Option<i32>,
}

/// An integration as stored, with the names it refers to.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Integration {
    pub id: IntegrationId,
    pub org_id: OrgId,
    pub from_system_id: SystemId,
    pub from_system_name: String,
    pub to_system_id: SystemId,
    pub to_system_name: String,
    pub direction: Direction,
    pub interface: Option<String>,
    pub information_sets: Vec<FlowSet>,
    pub frequency: Frequency,
    pub criticality: Criticality,
    pub responsible_id: Option<PersonId>,
    pub responsible_name: Option<String>,
    pub note: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Integration {
    /// Whether any set it carries holds personal data.
    pub fn personal_data(&self) -> bool {
        self.information_sets.iter().any(|s| s.personal_data)
    }

    /// Whether any set it carries holds sensitive personal data.
    pub fn sensitive_personal_data(&self) -> bool {
        self.information_sets
            .iter()
            .any(|s| s.sensitive_personal_data)
    }

    /// The flow as an edge of the dependency graph.
    pub fn edge(&self) -> Edge {
        Edge {
            id: self.id,
            from: self.from_system_id,
            to: self.to_system_id,
            both: self.direction == Direction::Both,
            criticality: self.criticality,
            personal_data: self.personal_data(),
        }
    }
}

/// One flow of the dependency graph, as the graph's rules need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Edge {
    pub id: IntegrationId,
    pub from: SystemId,
    pub to: SystemId,
    /// Both ways: `from` depends on `to` too.
    pub both: bool,
    pub criticality: Criticality,
    /// Carries an information set with personal data.
    pub personal_data: bool,
}

impl Edge {
    /// The systems that depend on `s` through this edge (at most one).
    pub fn dependent_of(&self, s: SystemId) -> Option<SystemId> {
        if self.from == s {
            Some(self.to)
        } else if self.both && self.to == s {
            Some(self.from)
        } else {
            None
        }
    }

    /// The system `s` depends on through this edge (at most one).
    pub fn supplier_of(&self, s: SystemId) -> Option<SystemId> {
        if self.to == s {
            Some(self.from)
        } else if self.both && self.from == s {
            Some(self.to)
        } else {
            None
        }
    }
}
