//! The gates a decommissioning case checks against the register before it
//! may close. A pure function over facts the store gathers; the store never
//! decides a gate itself.
//!
//! How the roles and holdings count as ended: a role assignment or an access
//! holding on the system is ended when it has an end date (until) on or
//! before the case's planned date (today when none is planned). So the
//! owner's own role, set to end on the planned date, lets the gate pass
//! while the owner can still sign the closing. An integration counts until
//! it is removed from the register.

use super::{Disposition, ErasureDraft, RecordTypeDraft};
use crate::model::text_enum;
use serde::{Deserialize, Serialize};

text_enum!(
    /// One gate of the decommissioning case, in the order they are shown.
    ///
    /// Extension point: the gate "the system's contracts and licences are
    /// ended" joins this list (with a fact in [`GateFacts`]) once the
    /// contract register exists; until then it is not checked, and nothing
    /// pretends it is.
    Gate {
        /// Every "keep" record type has a recorded delivery to the e-archive.
        KeepDelivered = "keep_delivered",
        /// Every "dispose" record type cites its disposal decision.
        DisposeDecided = "dispose_decided",
        /// At least one medium is listed with an erasure record.
        ErasureRecorded = "erasure_recorded",
        /// Every listed medium is erased (method, date, verification passed).
        MediaErased = "media_erased",
        /// The system's role assignments are ended.
        RolesEnded = "roles_ended",
        /// The access holdings in the system are ended.
        AccessEnded = "access_ended",
        /// The system's integrations are removed.
        IntegrationsRemoved = "integrations_removed",
    }
);

impl Gate {
    /// The message key naming the gate ("decommission-gate-media-erased").
    pub fn key(self) -> &'static str {
        match self {
            Gate::KeepDelivered => "decommission-gate-keep-delivered",
            Gate::DisposeDecided => "decommission-gate-dispose-decided",
            Gate::ErasureRecorded => "decommission-gate-erasure-recorded",
            Gate::MediaErased => "decommission-gate-media-erased",
            Gate::RolesEnded => "decommission-gate-roles-ended",
            Gate::AccessEnded => "decommission-gate-access-ended",
            Gate::IntegrationsRemoved => "decommission-gate-integrations-removed",
        }
    }
}

/// What the register shows about the system, gathered by the store.
#[derive(Debug, Clone, Default)]
pub struct GateFacts {
    pub record_types: Vec<RecordTypeDraft>,
    pub media: Vec<ErasureDraft>,
    /// Role assignments on the system not ended by the cut-off (the planned date).
    pub open_roles: usize,
    /// Access holdings in the system not ended by the cut-off (the planned date).
    pub open_holdings: usize,
    /// Integrations to or from the system.
    pub integrations: usize,
}

/// One gate's outcome: passed or not, and what blocks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GateOutcome {
    pub gate: Gate,
    pub passed: bool,
    /// How many things block the gate.
    pub blocking: usize,
    /// The blocking record types or media by name (none for counts).
    pub items: Vec<String>,
}

fn outcome(gate: Gate, items: Vec<String>) -> GateOutcome {
    GateOutcome {
        gate,
        passed: items.is_empty(),
        blocking: items.len(),
        items,
    }
}

fn counted(gate: Gate, n: usize) -> GateOutcome {
    GateOutcome {
        gate,
        passed: n == 0,
        blocking: n,
        items: vec![],
    }
}

fn medium_name(m: &ErasureDraft) -> String {
    match &m.serial {
        Some(s) => format!("{} ({s})", m.medium_type),
        None => m.medium_type.clone(),
    }
}

/// Every gate against the facts, in [`Gate::ALL`]'s order.
pub fn check_gates(f: &GateFacts) -> Vec<GateOutcome> {
    let types = |d: Disposition, ok: fn(&RecordTypeDraft) -> bool| {
        f.record_types
            .iter()
            .filter(|t| t.disposition == d && !ok(t))
            .map(|t| t.name.clone())
            .collect::<Vec<_>>()
    };
    vec![
        outcome(
            Gate::KeepDelivered,
            types(Disposition::Keep, RecordTypeDraft::delivered),
        ),
        outcome(
            Gate::DisposeDecided,
            types(Disposition::Dispose, RecordTypeDraft::cites_decision),
        ),
        counted(Gate::ErasureRecorded, usize::from(f.media.is_empty())),
        outcome(
            Gate::MediaErased,
            f.media
                .iter()
                .filter(|m| !m.erased())
                .map(medium_name)
                .collect(),
        ),
        counted(Gate::RolesEnded, f.open_roles),
        counted(Gate::AccessEnded, f.open_holdings),
        counted(Gate::IntegrationsRemoved, f.integrations),
    ]
}

/// The gates that fail.
pub fn failing(outcomes: &[GateOutcome]) -> Vec<Gate> {
    outcomes
        .iter()
        .filter(|o| !o.passed)
        .map(|o| o.gate)
        .collect()
}
