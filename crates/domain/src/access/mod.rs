//! Access management (behörighetshantering): the rules that need no database.
//!
//! - [`profile`]: a system's access profiles (behörighetsprofiler) and who
//!   orders, decides and carries out access to each one.
//! - [`act`]: who may take which step (the party, or someone acting for it).
//! - [`order`]: an order (behörighetsbeställning) from the manager's written
//!   order through the decision to the executor's confirmation.
//! - [`review`]: access reviews (behörighetskontroll) on a frozen snapshot,
//!   their interval by confidentiality level, and their reminders.
//! - [`notice`]: the mails an order's steps send, in both languages.
//! - [`review_notice`]: the access-review reminder mail, in both languages.
//! - [`reconcile`]: what importing a system's user list records.
//! - [`roster`]: what a system's own user list says against what insyn
//!   believes, and what a leaver leaves behind.
//! - [`hr`]: what an HR file (personalfil) changes among the people.
//! - [`succession`]: a leaver's roles handed over to a successor in one step.
//! - [`mover`]: a mover's roles, each handed over or kept by the old unit's manager.
//!
//! The documents: Mjölby 3.2.2 (the system owner decides and orders in
//! writing), 3.2.3 and 3.2.6 (the förvaltare administers, the technician
//! registers "med den behörighetsprofil som systemägaren har beslutat");
//! Svenljunga (the manager orders, IT carries out; behörighetskontroll);
//! Stockholm 6 (access formally granted, by need, followed up).

pub mod act;
pub mod hr;
mod hr_put;
pub mod mover;
pub mod notice;
pub mod order;
pub mod profile;
pub mod reconcile;
pub mod review;
pub mod review_notice;
pub mod roster;
pub mod succession;

pub use act::*;
pub use hr::*;
pub use hr_put::*;
pub use mover::*;
pub use notice::*;
pub use order::*;
pub use profile::*;
pub use reconcile::*;
pub use review::*;
pub use review_notice::*;
pub use roster::*;
pub use succession::*;

/// Every message key the access rules produce; the i18n test checks that
/// each one exists in every language.
pub const ERROR_CODES: &[&str] = &[
    STEP_NOT_ALLOWED,
    REASON_REQUIRED,
    MAX_HOLDERS_REACHED,
    NOT_HELD,
    ALREADY_HELD,
    PERSON_INACTIVE,
    PARTY_CANNOT_ACT,
    REVIEW_UNRESOLVED,
    REVIEW_EMPTY,
    REVIEW_SIGNED,
    REVIEW_REMOVAL_ORDERED,
    REVIEW_NO_REVIEWER,
    REVIEW_NOT_REVIEWER,
    SUCCESSOR_SAME,
    SUCCESSOR_INACTIVE,
    NOTHING_TO_TRANSFER,
    ROSTER_UNKNOWN_PROFILE,
    ROSTER_WHICH_PROFILE,
    ROSTER_ACCOUNT_TOO_LONG,
    HR_UNKNOWN_UNIT,
    HR_DUPLICATE,
    HR_WHICH_PERSON,
    HANDOVER_RESOLVED,
];

/// The drafts report their own problems (for the API's combined answer).
/// A profile's role parties are checked against the organisation's role
/// types when stored; here only their form and the other fields.
impl crate::validation::Validate for AccessProfileDraft {
    fn problems(&self) -> crate::validation::FieldErrors {
        let named: Vec<&str> = [&self.orderer, &self.decider, &self.executor]
            .into_iter()
            .flatten()
            .map(Party::as_str)
            .collect();
        self.clone().validate(&named).err().unwrap_or_default()
    }
}

/// Whether a profile requires a reason is known when stored.
impl crate::validation::Validate for AccessOrderDraft {
    fn problems(&self) -> crate::validation::FieldErrors {
        self.clone().validate(false).err().unwrap_or_default()
    }
}

impl crate::validation::Validate for OrderStepDraft {
    fn problems(&self) -> crate::validation::FieldErrors {
        self.clone().validate().err().unwrap_or_default()
    }
}

impl crate::validation::Validate for ReviewAnswerDraft {
    fn problems(&self) -> crate::validation::FieldErrors {
        self.clone().validate().err().unwrap_or_default()
    }
}
