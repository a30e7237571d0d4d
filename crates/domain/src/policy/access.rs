//! A profile's access rule (`[access]`): who orders access to a system, who
//! decides, and who carries it out, as the municipality's document says.
//! How often access is reviewed is a control (`access_review`), like every
//! recurring control; a shorter interval for sensitive systems is a second
//! `access_review` control with `when.min_level`.

use crate::access::{Parties, Party};
use serde::{Deserialize, Serialize};

/// `[access]` in a profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessRule {
    /// Who orders (beställer): `manager`, or a role type's code.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub orderer: Party,
    /// Who decides (beslutar): a role type's code, `manager`, or
    /// `automatic` where the written order is itself the decision.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub decider: Party,
    /// Who carries it out in the system (utför).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub executor: Party,
    pub text_sv: String,
    pub text_en: String,
    pub cite: String,
}

impl AccessRule {
    pub fn parties(&self) -> Parties {
        Parties {
            orderer: self.orderer.clone(),
            decider: self.decider.clone(),
            executor: self.executor.clone(),
        }
    }

    /// Each party that is not a known role (or `manager`, or `automatic`
    /// as the decider), with its field's name.
    pub fn unknown_parties(&self, role_codes: &[&str]) -> Vec<&'static str> {
        [
            ("orderer", &self.orderer),
            ("decider", &self.decider),
            ("executor", &self.executor),
        ]
        .into_iter()
        .filter(|(field, party)| match party {
            Party::Manager => false,
            Party::Automatic => *field != "decider",
            Party::Role(code) => !role_codes.contains(&code.as_str()),
        })
        .map(|(field, _)| field)
        .collect()
    }
}

impl super::Profile {
    /// Who orders, decides and carries out access under this profile
    /// (insyn's defaults where it says nothing).
    pub fn access_parties(&self) -> Parties {
        self.access
            .as_ref()
            .map(AccessRule::parties)
            .unwrap_or_default()
    }
}
