//! Incidents (incidenthantering): the rules that need no database.
//!
//! - [`record`]: the incident record (what happened, when the organisation
//!   became aware, which systems, what personal data) and where it stands.
//! - [`clock`]: every reporting deadline that applies, each counted from the
//!   moment the organisation became *aware*, with its state.
//!
//! The documents and the law: Mjölby 3.2.7 (the IT-säkerhetssamordnare
//! compiles and reports incidents) and 3.2.3 (the systemförvaltare documents
//! faults, weaknesses and incidents); Söderköping, Incidenthantering (report
//! internally within 48 hours); GDPR art. 33 (IMY within 72 hours of
//! awareness, unless the breach is unlikely to result in a risk; every
//! breach documented, art. 33.5); cybersäkerhetslagen (2025:1506), NIS2
//! art. 23.4 (for a significant incident an early warning within 24 hours,
//! a notification within 72 hours, a final report within one month).

pub mod clock;
pub mod record;

pub use clock::*;
pub use record::*;

/// Every message key the incident rules produce; the i18n test checks that
/// each one exists in every language.
pub const ERROR_CODES: &[&str] = &[
    AWARE_BEFORE_OCCURRED,
    STATUS_NOT_ALLOWED,
    NOT_WAIVABLE,
    REPORTED_BEFORE_AWARE,
];

impl crate::validation::Validate for IncidentDraft {
    fn problems(&self) -> crate::validation::FieldErrors {
        self.clone().validate().err().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests;
