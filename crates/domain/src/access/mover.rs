//! A mover's roles: when a person changes unit, each role they hold
//! (systemägare, systemförvaltare …) waits for the manager (chef) of the
//! unit they left, who hands it over to someone or confirms that it stays.
//! The task is done when every item is handed over or confirmed.

use crate::ids::PersonId;
use crate::validation::{FieldErrors, REQUIRED};
use serde::{Deserialize, Serialize};

/// Where a handover item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HandoverState {
    /// Waiting for the old unit's manager.
    Open,
    /// Handed over to a successor.
    HandedOver,
    /// Confirmed to stay with the person who moved.
    Kept,
}

impl HandoverState {
    pub fn as_str(self) -> &'static str {
        match self {
            HandoverState::Open => "open",
            HandoverState::HandedOver => "handed_over",
            HandoverState::Kept => "kept",
        }
    }

    pub fn parse(s: &str) -> Option<HandoverState> {
        [Self::Open, Self::HandedOver, Self::Kept]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// The item was handed over or confirmed already.
pub const HANDOVER_RESOLVED: &str = "error-handover-resolved";

/// The manager's answer for one role: hand it over to `successor_id`, or
/// keep it with the mover (`keep`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleHandoverDraft {
    #[serde(default)]
    pub keep: bool,
    #[serde(default)]
    pub successor_id: Option<PersonId>,
}

impl RoleHandoverDraft {
    /// The state it leads to: kept, or handed over to a successor (who is
    /// required unless the role is kept).
    pub fn outcome(&self) -> Result<(HandoverState, Option<PersonId>), FieldErrors> {
        match (self.keep, self.successor_id) {
            (true, _) => Ok((HandoverState::Kept, None)),
            (false, Some(s)) => Ok((HandoverState::HandedOver, Some(s))),
            (false, None) => Err(FieldErrors::single("successor_id", REQUIRED)),
        }
    }
}

impl crate::validation::Validate for RoleHandoverDraft {
    fn problems(&self) -> FieldErrors {
        self.outcome().err().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_is_kept_or_handed_over_to_someone_named() {
        let keep = RoleHandoverDraft {
            keep: true,
            successor_id: None,
        };
        assert_eq!(keep.outcome().unwrap(), (HandoverState::Kept, None));
        let to = PersonId::new();
        let give = RoleHandoverDraft {
            keep: false,
            successor_id: Some(to),
        };
        assert_eq!(
            give.outcome().unwrap(),
            (HandoverState::HandedOver, Some(to))
        );
        let e = RoleHandoverDraft::default().outcome().unwrap_err();
        assert_eq!(e.get("successor_id"), Some(REQUIRED));
        for s in ["open", "handed_over", "kept"] {
            assert_eq!(HandoverState::parse(s).unwrap().as_str(), s);
        }
    }
}
