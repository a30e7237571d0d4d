//! Orders for access and for its removal: the states, the steps between
//! them, and who must act next.
//!
//! ```text
//! ordered ──approve──▶ approved ──carry out──▶ carried_out
//!    │                    │  └──────fail──────▶ failed
//!    ├──reject──▶ rejected│
//!    └──withdraw──────────┴──────────────────▶ withdrawn
//! ```
//! With an `automatic` decider an order is approved as it is made.

use super::profile::{Parties, Party};
use crate::ids::*;
use crate::model::text_enum;
use crate::validation::{self as v, FieldErrors};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

text_enum!(
    /// Whether an order gives access or takes it away.
    OrderKind {
        Grant = "grant",
        Remove = "remove",
    }
);

text_enum!(
    /// Where an order stands.
    OrderState {
        /// Waiting for the decision.
        Ordered = "ordered",
        /// Decided; waiting to be carried out in the system.
        Approved = "approved",
        Rejected = "rejected",
        /// Done in the system: the holding begins (or ends).
        CarriedOut = "carried_out",
        /// Could not be done in the system.
        Failed = "failed",
        /// Taken back by whoever ordered it (or an administrator).
        Withdrawn = "withdrawn",
    }
);

text_enum!(
    /// A step that moves an order on.
    OrderStep {
        Approve = "approve",
        Reject = "reject",
        CarryOut = "carry_out",
        Fail = "fail",
        Withdraw = "withdraw",
    }
);

/// A step the order's state does not allow.
pub const STEP_NOT_ALLOWED: &str = "error-access-step-not-allowed";
/// A reason is required (by the profile, or for a rejection or a failure).
pub const REASON_REQUIRED: &str = "error-access-reason-required";
/// The profile already has as many holders as it allows.
pub const MAX_HOLDERS_REACHED: &str = "error-access-max-holders";
/// A removal of a profile the person does not hold.
pub const NOT_HELD: &str = "error-access-not-held";
/// A grant of a profile the person holds now.
pub const ALREADY_HELD: &str = "error-access-already-held";
/// Access for someone who has left.
pub const PERSON_INACTIVE: &str = "error-access-person-inactive";

impl OrderState {
    /// The state after `step`, or [`STEP_NOT_ALLOWED`].
    pub fn after(self, step: OrderStep) -> Result<OrderState, &'static str> {
        use OrderState::*;
        use OrderStep::*;
        match (self, step) {
            (Ordered, Approve) => Ok(Approved),
            (Ordered, Reject) => Ok(Rejected),
            (Approved, CarryOut) => Ok(CarriedOut),
            (Approved, Fail) => Ok(Failed),
            (Ordered | Approved, Withdraw) => Ok(Withdrawn),
            _ => Err(STEP_NOT_ALLOWED),
        }
    }

    /// Nothing more can happen to the order.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            OrderState::Rejected
                | OrderState::CarriedOut
                | OrderState::Failed
                | OrderState::Withdrawn
        )
    }

    /// The state a new order starts in.
    pub fn initial(parties: &Parties) -> OrderState {
        if parties.decider == Party::Automatic {
            OrderState::Approved
        } else {
            OrderState::Ordered
        }
    }

    /// Who must act on an order in this state, if anyone.
    pub fn next_party(self, parties: &Parties) -> Option<&Party> {
        match self {
            OrderState::Ordered => Some(&parties.decider),
            OrderState::Approved => Some(&parties.executor),
            _ => None,
        }
    }
}

impl OrderStep {
    /// Who takes this step: the decider approves and rejects, the executor
    /// carries out or reports failure, the orderer withdraws.
    pub fn party(self, parties: &Parties) -> &Party {
        match self {
            OrderStep::Approve | OrderStep::Reject => &parties.decider,
            OrderStep::CarryOut | OrderStep::Fail => &parties.executor,
            OrderStep::Withdraw => &parties.orderer,
        }
    }

    /// Rejections and failures must say why.
    pub fn needs_reason(self) -> bool {
        matches!(self, OrderStep::Reject | OrderStep::Fail)
    }
}

/// What someone orders: one or more profiles of one system for one person.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessOrderDraft {
    pub kind: OrderKind,
    /// A person in the register; or leave out and give `new_person`.
    #[serde(default)]
    pub person_id: Option<PersonId>,
    /// Someone not yet in the register, added (active, without a unit)
    /// together with the order.
    #[serde(default)]
    pub new_person: Option<NewPerson>,
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 50))]
    pub profile_ids: Vec<AccessProfileId>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub reason: Option<String>,
    pub start_date: NaiveDate,
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    /// The case or ticket number (ärendenummer).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub ticket: Option<String>,
}

/// Someone to add to the register with an order: a name and an e-mail.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPerson {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = r"\S")
    )]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 254, format = Email))]
    pub email: String,
}

impl NewPerson {
    /// The register's draft for the person: active, without a unit, checked
    /// as the register checks people; errors named `new_person.name` and
    /// `new_person.email`.
    pub fn person_draft(&self) -> Result<crate::model::PersonDraft, FieldErrors> {
        let mut e = FieldErrors::new();
        if self.email.trim().is_empty() {
            e.add("new_person.email", v::REQUIRED);
        }
        let draft = crate::model::PersonDraft {
            name: self.name.clone(),
            email: Some(self.email.clone()),
            title: None,
            unit_id: None,
            active: true,
        };
        match draft.validate() {
            Ok(d) if e.is_empty() => Ok(d),
            Ok(_) => Err(e),
            Err(more) => {
                for m in more.0 {
                    if e.get_error(&format!("new_person.{}", m.field)).is_none() {
                        e.add(&format!("new_person.{}", m.field), m.code);
                    }
                }
                Err(e)
            }
        }
    }
}

/// An order names a person in the register or a new one, not both.
pub const PERSON_OR_NEW: &str = "error-access-person-or-new";

/// The most profiles one order may name.
pub const MAX_PROFILES_PER_ORDER: usize = 50;

impl AccessOrderDraft {
    /// Checks the draft; `reason_required` says whether any of the ordered
    /// profiles requires a reason.
    pub fn validate(mut self, reason_required: bool) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.profile_ids.sort();
        self.profile_ids.dedup();
        if self.profile_ids.is_empty() {
            e.add("profile_ids", v::REQUIRED);
        } else if self.profile_ids.len() > MAX_PROFILES_PER_ORDER {
            e.add("profile_ids", v::TOO_LONG);
        }
        self.reason = v::optional_text(&mut e, "reason", self.reason.as_deref(), 2000);
        if reason_required && self.kind == OrderKind::Grant && self.reason.is_none() {
            e.add("reason", REASON_REQUIRED);
        }
        self.ticket = v::optional_text(&mut e, "ticket", self.ticket.as_deref(), 100);
        match (&self.person_id, &self.new_person) {
            (None, None) => e.add("person_id", v::REQUIRED),
            (Some(_), Some(_)) => e.add("new_person", PERSON_OR_NEW),
            (None, Some(n)) => {
                if let Err(more) = n.person_draft() {
                    e.0.extend(more.0);
                }
            }
            (Some(_), None) => {}
        }
        if let Some(end) = self.end_date
            && end < self.start_date
        {
            e.add("end_date", v::END_BEFORE_START);
        }
        e.into_result(self)
    }
}

/// A step on an order, with what the step records.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderStepDraft {
    pub step: OrderStep,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub comment: Option<String>,
    /// The helpdesk reference of the work done (for carry out / fail).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub ticket: Option<String>,
    /// The day it was done in the system (carry out); today when left out.
    #[serde(default)]
    pub done_on: Option<NaiveDate>,
}

impl OrderStepDraft {
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.comment = v::optional_text(&mut e, "comment", self.comment.as_deref(), 2000);
        if self.step.needs_reason() && self.comment.is_none() {
            e.add("comment", REASON_REQUIRED);
        }
        self.ticket = v::optional_text(&mut e, "ticket", self.ticket.as_deref(), 100);
        e.into_result(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_states_move_only_along_the_chain() {
        use OrderState::*;
        use OrderStep::*;
        assert_eq!(Ordered.after(Approve), Ok(Approved));
        assert_eq!(Ordered.after(Reject), Ok(Rejected));
        assert_eq!(Approved.after(CarryOut), Ok(CarriedOut));
        assert_eq!(Approved.after(Fail), Ok(Failed));
        assert_eq!(Ordered.after(Withdraw), Ok(Withdrawn));
        assert_eq!(Approved.after(Withdraw), Ok(Withdrawn));
        // Carried out before it was decided, decided twice, anything after the end.
        assert_eq!(Ordered.after(CarryOut), Err(STEP_NOT_ALLOWED));
        assert_eq!(Approved.after(Approve), Err(STEP_NOT_ALLOWED));
        for closed in [Rejected, CarriedOut, Failed, Withdrawn] {
            assert!(closed.is_closed());
            for step in OrderStep::ALL {
                assert_eq!(
                    closed.after(*step),
                    Err(STEP_NOT_ALLOWED),
                    "{closed} {step}"
                );
            }
        }
        assert!(!Ordered.is_closed() && !Approved.is_closed());
    }

    #[test]
    fn who_acts_next_follows_the_parties() {
        let p = Parties::default();
        assert_eq!(OrderState::initial(&p), OrderState::Ordered);
        assert_eq!(
            OrderState::Ordered.next_party(&p),
            Some(&Party::system_owner())
        );
        assert_eq!(
            OrderState::Approved.next_party(&p),
            Some(&Party::system_manager())
        );
        assert_eq!(OrderState::CarriedOut.next_party(&p), None);
        assert_eq!(OrderStep::Withdraw.party(&p), &Party::Manager);
        assert_eq!(OrderStep::Fail.party(&p), &Party::system_manager());

        let automatic = Parties {
            decider: Party::Automatic,
            ..Parties::default()
        };
        assert_eq!(OrderState::initial(&automatic), OrderState::Approved);
    }

    fn draft() -> AccessOrderDraft {
        AccessOrderDraft {
            kind: OrderKind::Grant,
            person_id: Some(PersonId::new()),
            new_person: None,
            profile_ids: vec![],
            reason: None,
            start_date: day("2026-12-07"),
            end_date: None,
            ticket: Some("  INC-4711 ".into()),
        }
    }

    #[test]
    fn an_order_names_one_person_existing_or_new() {
        let mut d = draft();
        d.profile_ids = vec![AccessProfileId::new()];
        d.person_id = None;
        assert_eq!(
            d.clone().validate(false).unwrap_err().get("person_id"),
            Some(v::REQUIRED)
        );
        d.new_person = Some(NewPerson {
            name: " ".into(),
            email: "anna".into(),
        });
        let e = d.clone().validate(false).unwrap_err();
        assert_eq!(e.get("new_person.name"), Some(v::REQUIRED));
        assert_eq!(e.get("new_person.email"), Some(v::NOT_AN_EMAIL));
        d.new_person = Some(NewPerson {
            name: "Anna".into(),
            email: "Anna@Kommun.se".into(),
        });
        assert!(d.clone().validate(false).is_ok());
        d.person_id = Some(PersonId::new());
        assert_eq!(
            d.validate(false).unwrap_err().get("new_person"),
            Some(PERSON_OR_NEW)
        );
    }

    #[test]
    fn an_order_names_what_is_missing() {
        let e = draft().validate(true).unwrap_err();
        assert_eq!(e.get("profile_ids"), Some(v::REQUIRED));
        assert_eq!(e.get("reason"), Some(REASON_REQUIRED));

        let a = AccessProfileId::new();
        let mut d = draft();
        d.profile_ids = vec![a, a];
        d.end_date = Some(day("2026-12-01"));
        let e = d.clone().validate(false).unwrap_err();
        assert_eq!(e.get("end_date"), Some(v::END_BEFORE_START));
        assert_eq!(e.get("reason"), None);

        d.end_date = None;
        let ok = d.validate(false).unwrap();
        assert_eq!(ok.profile_ids, vec![a], "the same profile twice is once");
        assert_eq!(ok.ticket.as_deref(), Some("INC-4711"));

        // A removal needs no reason even where a grant does.
        let mut removal = draft();
        removal.kind = OrderKind::Remove;
        removal.profile_ids = vec![a];
        assert!(removal.validate(true).is_ok());
    }

    #[test]
    fn rejections_and_failures_say_why() {
        let step = |s, c: Option<&str>| OrderStepDraft {
            step: s,
            comment: c.map(str::to_owned),
            ticket: None,
            done_on: None,
        };
        assert_eq!(
            step(OrderStep::Reject, Some("  "))
                .validate()
                .unwrap_err()
                .get("comment"),
            Some(REASON_REQUIRED)
        );
        assert!(
            step(OrderStep::Fail, Some("Kontot finns inte"))
                .validate()
                .is_ok()
        );
        assert!(step(OrderStep::Approve, None).validate().is_ok());
        assert!(step(OrderStep::CarryOut, None).validate().is_ok());
    }
}
