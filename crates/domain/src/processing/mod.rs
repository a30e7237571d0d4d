//! Records of processing activities (registerförteckning, GDPR art. 30):
//!
//! - [`record`]: one record per processing, kept by its controller
//!   (personuppgiftsansvarig). The controller is an organisational unit (in a
//!   municipality the nämnd, `Unit` with its level "Nämnd") or, when no unit
//!   is named, the organisation itself (a company, or the municipality as a
//!   whole).
//! - [`complete`]: the completeness check against art. 30(1), naming each
//!   missing item by its message key.
//!
//! Secret by default: none of it reaches the public register.

pub mod complete;
pub mod record;
#[cfg(test)]
mod tests;

pub use complete::*;
pub use record::*;

/// The longest short text (a name, a country, a reference).
pub const MAX_SHORT: usize = 300;
/// The longest text of an item (purposes, categories, measures).
pub const MAX_TEXT: usize = 4000;
/// The most systems, information sets or transfers one record may name.
pub const MAX_ITEMS: usize = 200;

pub const UNKNOWN_SET: &str = "error-processing-set-not-of-systems";

/// Every message key this module can produce (the missing items among them).
pub const ERROR_CODES: &[&str] = &[
    UNKNOWN_SET,
    "processing-missing-contact",
    "processing-missing-purposes",
    "processing-missing-legal-basis",
    "processing-missing-legal-reference",
    "processing-missing-data-subjects",
    "processing-missing-data-categories",
    "processing-missing-recipients",
    "processing-missing-transfer-mechanism",
    "processing-missing-retention",
    "processing-missing-measures",
    "processing-missing-dpia-decision",
    "processing-missing-dpia-reason",
    "processing-missing-dpia-done",
    "processing-missing-systems",
];
