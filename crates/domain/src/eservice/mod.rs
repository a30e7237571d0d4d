//! E-services (e-tjänster, R-SVC-3): what an organisation offers through its
//! web, placed on Statskontoret's Utvecklingstrappan as Södertälje's IT
//! vision (section 3) describes it, tagged with its målgrupper and
//! målområden, with the systems behind it, its accessibility statement
//! (tillgänglighetsredogörelse, lagen om tillgänglighet till digital
//! offentlig service, "DOS-lagen") and Södertälje's five e-funktion
//! criteria assessed one by one.
//!
//! - [`record`]: the e-service as entered and as stored, with validation.
//! - [`findings`]: what its record says needs attention, in message keys.
//! - [`public`]: which of its fields the public register shows.
//!
//! Secret by default: an e-service reaches the public register only when it
//! is published, and then only with the fields the organisation has chosen.

pub mod findings;
pub mod public;
pub mod record;
#[cfg(test)]
mod tests;

pub use findings::*;
pub use record::*;

/// The longest short text (a name, an owner, a URL).
pub const MAX_SHORT: usize = 300;
/// The longest URL.
pub const MAX_URL: usize = 2000;
/// The longest text (a description, a note).
pub const MAX_TEXT: usize = 4000;
/// The most systems one e-service may name.
pub const MAX_SYSTEMS: usize = 100;

/// A criterion assessed twice in one e-service.
pub const DUPLICATE_CRITERION: &str = "error-eservice-duplicate-criterion";

/// Every message key this module can produce (its findings among them).
pub const ERROR_CODES: &[&str] = &[
    DUPLICATE_CRITERION,
    NO_STATEMENT,
    STATEMENT_UNDATED,
    STATEMENT_OLD,
    NO_STATUS,
    NOT_COMPLIANT,
    CRITERIA_NOT_ASSESSED,
    CRITERIA_NOT_MET,
    NO_SYSTEMS,
];
