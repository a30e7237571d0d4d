//! Who may take a step on an order: the party the profile names for it, or
//! someone acting for that party. The store gathers the facts about the
//! user; this decides.

use super::order::OrderStep;
use super::profile::{Parties, Party};
use crate::auth::AppRole;
use serde::Serialize;

/// What is known of a user who wants to act on an order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActingFacts {
    /// Their application role in the organisation.
    pub app_role: Option<AppRole>,
    /// The codes of the role types they hold today on the order's system.
    pub system_roles: Vec<String>,
    /// They are the manager (chef) of the unit of the person the order is for.
    pub manages_person: bool,
    /// They placed the order.
    pub placed_order: bool,
}

/// Why a step is refused to this user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotYours {
    /// The step belongs to another party.
    OtherParty,
    /// The one who ordered does not also decide (two people see every grant).
    OwnOrder,
}

impl NotYours {
    /// The message key.
    pub fn code(self) -> &'static str {
        match self {
            NotYours::OtherParty => "error-access-not-your-step",
            NotYours::OwnOrder => "error-access-own-order",
        }
    }
}

/// Whether the user is the party: its holder, or an administrator or the
/// IT-säkerhetssamordnare acting for it (a substitute, recorded as
/// themselves in the audit trail).
pub fn is_party(party: &Party, f: &ActingFacts) -> bool {
    let substitute = matches!(
        f.app_role,
        Some(AppRole::Administrator | AppRole::SecurityCoordinator)
    );
    substitute
        || match party {
            Party::Manager => f.manages_person,
            Party::Role(code) => f.system_roles.iter().any(|c| c == code),
            Party::Automatic => false,
        }
}

/// Whether the user may place an order: the orderer party, or an editor of
/// the register entering a written order on the orderer's behalf.
pub fn may_order(parties: &Parties, f: &ActingFacts) -> bool {
    is_party(&parties.orderer, f) || matches!(f.app_role, Some(AppRole::Editor))
}

/// Whether the user may take `step` on an order with these parties.
pub fn may_take(step: OrderStep, parties: &Parties, f: &ActingFacts) -> Result<(), NotYours> {
    match step {
        // Whoever placed it may take it back; so may the orderer party.
        OrderStep::Withdraw if f.placed_order || is_party(&parties.orderer, f) => Ok(()),
        OrderStep::Withdraw => Err(NotYours::OtherParty),
        OrderStep::Approve | OrderStep::Reject => {
            if !is_party(&parties.decider, f) {
                Err(NotYours::OtherParty)
            } else if f.placed_order {
                Err(NotYours::OwnOrder)
            } else {
                Ok(())
            }
        }
        OrderStep::CarryOut | OrderStep::Fail if is_party(&parties.executor, f) => Ok(()),
        OrderStep::CarryOut | OrderStep::Fail => Err(NotYours::OtherParty),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holder(code: &str) -> ActingFacts {
        ActingFacts {
            app_role: Some(AppRole::Reader),
            system_roles: vec![code.to_owned()],
            ..Default::default()
        }
    }

    #[test]
    fn each_step_belongs_to_its_party() {
        let p = Parties::default();
        let owner = holder("system_owner");
        let forvaltare = holder("system_manager");
        let chef = ActingFacts {
            app_role: Some(AppRole::Reader),
            manages_person: true,
            placed_order: true,
            ..Default::default()
        };
        assert!(may_order(&p, &chef));
        assert!(!may_order(&p, &owner));
        assert_eq!(may_take(OrderStep::Approve, &p, &owner), Ok(()));
        assert_eq!(
            may_take(OrderStep::Approve, &p, &forvaltare),
            Err(NotYours::OtherParty)
        );
        assert_eq!(may_take(OrderStep::CarryOut, &p, &forvaltare), Ok(()));
        assert_eq!(
            may_take(OrderStep::CarryOut, &p, &owner),
            Err(NotYours::OtherParty)
        );
        assert_eq!(may_take(OrderStep::Withdraw, &p, &chef), Ok(()));
        assert_eq!(
            may_take(OrderStep::Withdraw, &p, &forvaltare),
            Err(NotYours::OtherParty)
        );
    }

    #[test]
    fn nobody_decides_their_own_order() {
        let p = Parties {
            orderer: Party::system_owner(),
            ..Parties::default()
        };
        let mut owner = holder("system_owner");
        owner.placed_order = true;
        assert!(may_order(&p, &owner));
        assert_eq!(
            may_take(OrderStep::Approve, &p, &owner),
            Err(NotYours::OwnOrder)
        );
        // Not even an administrator who placed it.
        let admin = ActingFacts {
            app_role: Some(AppRole::Administrator),
            placed_order: true,
            ..Default::default()
        };
        assert_eq!(
            may_take(OrderStep::Reject, &p, &admin),
            Err(NotYours::OwnOrder)
        );
    }

    #[test]
    fn substitutes_and_editors() {
        let p = Parties::default();
        let coordinator = ActingFacts {
            app_role: Some(AppRole::SecurityCoordinator),
            ..Default::default()
        };
        for step in OrderStep::ALL {
            assert_eq!(may_take(*step, &p, &coordinator), Ok(()), "{step}");
        }
        // An editor registers a written order, and may withdraw it, but
        // decides and carries out nothing they do not hold a role for.
        let editor = ActingFacts {
            app_role: Some(AppRole::Editor),
            placed_order: true,
            ..Default::default()
        };
        assert!(may_order(&p, &editor));
        assert_eq!(may_take(OrderStep::Withdraw, &p, &editor), Ok(()));
        assert_eq!(
            may_take(OrderStep::Approve, &p, &editor),
            Err(NotYours::OtherParty)
        );
        // An automatic decision is nobody's step.
        let automatic = Parties {
            decider: Party::Automatic,
            ..Parties::default()
        };
        assert!(!is_party(&automatic.decider, &holder("system_owner")));
    }
}
