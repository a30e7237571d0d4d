//! Policy profiles per organisation (versioned), the documents and control
//! records they ask for, and compliance: the facts of every system gathered
//! in a few statements and judged by `insyn_domain::policy`, whose types
//! (compliance, coverage, tasks) are re-exported here.

mod compliance;
mod controls;
mod cycle;
mod documents;
mod profiles;
mod snapshot;

pub(crate) use controls::insert_control;
pub use controls::{CONTROL_RESULTS, ControlDraft, ControlRecord};
pub use cycle::CycleEntry;
pub use documents::{DocumentDraft, SystemDocument};
pub use insyn_domain::policy::{
    Compliance, CoverageRow, Holder, StoredProfile, SystemCompliance, Task,
};
pub(crate) use profiles::role_codes;
pub use profiles::{DEFAULT_PROFILE, ProfileVersion};
pub use snapshot::{
    ComplianceSnapshot, FILTER_STATES, FindingFilter, MAX_SYSTEMS, SYNC_BUDGET, SnapshotCache,
    SnapshotRead,
};

/// The system must be this organisation's.
pub(crate) use crate::security::check_system as system_in_org;
