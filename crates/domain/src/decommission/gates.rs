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
//!
//! How the contracts count: each contract covering the system is judged on
//! its dates computed on the cut-off day. It passes when it was never
//! signed (a draft binds no one), has expired or ended after notice, or
//! ends by the cut-off without anyone acting: notice given, or a fixed
//! term (an option not used) ending on or before it. One that renews or
//! runs on unless notice is given blocks. A contract that also covers
//! another system still in use (not decommissioned) does not count: it
//! goes on for that system, and ending it is not this case's to ask. The
//! last covered system to be decommissioned carries it.
//!
//! How the licences count: each licence of the system (`licence/`) blocks
//! while it runs after the cut-off — it has no last valid day, or its last
//! day is after the planned date — and the gate names it by its name.

use super::{Disposition, ErasureDraft, RecordTypeDraft};
use crate::contract::{ContractDates, ContractStatus, NoticeAction};
use crate::model::text_enum;
use serde::{Deserialize, Serialize};

text_enum!(
    /// One gate of the decommissioning case, in the order they are shown.
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
        /// Every contract covering the system has ended or ends by the
        /// planned date (see the module's note on shared contracts).
        ContractsEnded = "contracts_ended",
        /// Every licence of the system ends by the planned date.
        LicencesEnded = "licences_ended",
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
            Gate::ContractsEnded => "decommission-gate-contracts-ended",
            Gate::LicencesEnded => "decommission-gate-licences-ended",
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
    /// The contracts covering the system, their dates computed on [`GateFacts::cutoff`].
    pub contracts: Vec<CoveringContract>,
    /// The system's licences.
    pub licences: Vec<crate::licence::LicenceDraft>,
    /// The cut-off: the case's planned date (today when none is planned).
    pub cutoff: chrono::NaiveDate,
}

/// A contract covering the system, as the contracts gate sees it.
#[derive(Debug, Clone)]
pub struct CoveringContract {
    /// Its name and supplier, as the gate names it.
    pub name: String,
    /// Its dates computed on the cut-off day.
    pub dates: ContractDates,
    /// Whether it also covers another system that is not decommissioned.
    pub shared_in_use: bool,
}

impl CoveringContract {
    /// Whether it blocks the case closing on the cut-off day its dates were
    /// computed on.
    pub fn blocks(&self, cutoff: chrono::NaiveDate) -> bool {
        let d = &self.dates;
        let ends = match d.status {
            ContractStatus::Draft | ContractStatus::Expired | ContractStatus::Terminated => true,
            ContractStatus::NoticeGiven => d.next_end.is_some_and(|e| e <= cutoff),
            ContractStatus::Active => {
                d.action != Some(NoticeAction::GiveNotice)
                    && d.next_end.is_some_and(|e| e <= cutoff)
            }
        };
        !ends && !self.shared_in_use
    }
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
        outcome(
            Gate::ContractsEnded,
            f.contracts
                .iter()
                .filter(|c| c.blocks(f.cutoff))
                .map(|c| c.name.clone())
                .collect(),
        ),
        outcome(
            Gate::LicencesEnded,
            f.licences
                .iter()
                .filter(|l| l.runs_after(f.cutoff))
                .map(|l| l.name.clone())
                .collect(),
        ),
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
