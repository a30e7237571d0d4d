//! Incidents (incidenthantering): the rules that need no database.
//!
//! - [`record`]: the incident record (what happened, when the organisation
//!   became aware, which systems, what personal data) and where it stands.
//! - [`access`]: who may see and handle an incident.
//! - [`compile`]: the coordinator's compilation for a period.
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

pub mod access;
pub mod clock;
pub mod compile;
pub mod notice;
pub mod record;

pub use access::*;
pub use clock::*;
pub use compile::*;
pub use record::*;

/// Every message key the incident rules produce; the i18n test checks that
/// each one exists in every language.
pub const ERROR_CODES: &[&str] = &[
    AWARE_BEFORE_OCCURRED,
    STATUS_NOT_ALLOWED,
    NOT_WAIVABLE,
    REPORTED_BEFORE_AWARE,
];

/// The drafts report their own problems (for the API's combined answer).
/// What depends on the incident (the status it moves from, the clock's
/// deadline) is checked when stored.
impl crate::validation::Validate for IncidentDraft {
    fn problems(&self) -> crate::validation::FieldErrors {
        self.clone().validate().err().unwrap_or_default()
    }
}

impl crate::validation::Validate for StatusChange {
    fn problems(&self) -> crate::validation::FieldErrors {
        let mut e = crate::validation::FieldErrors::new();
        crate::validation::optional_text(&mut e, "reason", self.reason.as_deref(), 2000);
        e
    }
}

impl crate::validation::Validate for SignificanceDraft {
    fn problems(&self) -> crate::validation::FieldErrors {
        self.clone().validate().err().unwrap_or_default()
    }
}

impl crate::validation::Validate for ClockEventDraft {
    fn problems(&self) -> crate::validation::FieldErrors {
        let mut e = crate::validation::FieldErrors::new();
        crate::validation::optional_text(&mut e, "note", self.note.as_deref(), 2000);
        e
    }
}

impl crate::validation::Validate for TimelineDraft {
    fn problems(&self) -> crate::validation::FieldErrors {
        self.clone()
            .validate_at(chrono::Utc::now())
            .err()
            .unwrap_or_default()
    }
}

impl crate::validation::Validate for ActionDraft {
    fn problems(&self) -> crate::validation::FieldErrors {
        self.clone().validate().err().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests;
