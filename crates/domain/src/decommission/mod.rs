//! Information management and decommissioning (issue 20):
//!
//! - [`records`]: the record types (handlingstyper) a system holds, as the
//!   information management plan names them: keep (bevara) or dispose
//!   (gallra), the disposal decision (gallringsbeslut), the delivery to the
//!   e-archive; and the system's archive responsibility.
//! - [`erasure`]: erasure records (NIST SP 800-88): one row per medium that
//!   held the system's data. A medium is *listed* by its row; it is *erased*
//!   once the row records a method, a date and a passed verification.
//! - [`case`]: the decommissioning case (avveckling) per system, and
//!   [`gates`]: what the register must show before the case may close.
//!
//! All of it is secret by default: none of it reaches the public register.

pub mod case;
pub mod erasure;
pub mod gates;
pub mod records;
#[cfg(test)]
mod tests;

pub use case::*;
pub use erasure::*;
pub use gates::*;
pub use records::*;

/// The longest short text (a name, a reference, a tool).
pub const MAX_SHORT: usize = 300;
/// The longest note.
pub const MAX_TEXT: usize = 4000;

pub const GATES_FAIL: &str = "error-decommission-gates-fail";
pub const CASE_CLOSED: &str = "error-decommission-closed";
pub const CASE_EXISTS: &str = "error-decommission-exists";
pub const ERASED_WITHOUT_METHOD: &str = "error-erasure-no-method";

/// Every message key this module can produce (the gates' words among them).
pub const ERROR_CODES: &[&str] = &[
    GATES_FAIL,
    CASE_CLOSED,
    CASE_EXISTS,
    ERASED_WITHOUT_METHOD,
    "decommission-gate-keep-delivered",
    "decommission-gate-dispose-decided",
    "decommission-gate-erasure-recorded",
    "decommission-gate-media-erased",
    "decommission-gate-roles-ended",
    "decommission-gate-access-ended",
    "decommission-gate-integrations-removed",
    "decommission-gate-contracts-ended",
    "decommission-gate-licences-ended",
];
