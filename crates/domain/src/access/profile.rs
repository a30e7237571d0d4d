//! Access profiles and the parties of an order.

use crate::ids::*;
use crate::model::{EDITING_ROLES, SYSTEM_OWNER};
use crate::validation::{self as v, FieldErrors};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Who orders, decides or carries out access: the manager (chef) of the
/// person's unit, the holders of a role on the system (`system_owner`,
/// `system_manager`, `operations_manager`, …), or, for a decision, nobody
/// (the order is approved as it is made).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Party {
    Manager,
    Role(String),
    Automatic,
}

impl Party {
    pub fn as_str(&self) -> &str {
        match self {
            Party::Manager => "manager",
            Party::Automatic => "automatic",
            Party::Role(code) => code,
        }
    }

    /// `manager`, `automatic`, or a role type's code.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "" => None,
            "manager" => Some(Party::Manager),
            "automatic" => Some(Party::Automatic),
            code if code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') =>
            {
                Some(Party::Role(code.to_owned()))
            }
            _ => None,
        }
    }

    pub fn system_owner() -> Self {
        Party::Role(SYSTEM_OWNER.to_owned())
    }

    /// The systemförvaltare.
    pub fn system_manager() -> Self {
        Party::Role("system_manager".to_owned())
    }
}

impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Party {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Party {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Party::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "{s:?} is not a party: use manager, automatic or a role type's code"
            ))
        })
    }
}

/// The three parties of every order for one profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parties {
    /// Who may order (beställa).
    pub orderer: Party,
    /// Who approves or rejects (beslutar); `automatic` skips the step.
    pub decider: Party,
    /// Who carries it out in the system (utför).
    pub executor: Party,
}

impl Default for Parties {
    /// The documents' common ground: the manager orders in writing, the
    /// system owner decides, the systemförvaltare carries it out.
    fn default() -> Self {
        Parties {
            orderer: Party::Manager,
            decider: Party::system_owner(),
            executor: Party::system_manager(),
        }
    }
}

/// One access profile of one system.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessProfile {
    pub id: AccessProfileId,
    pub org_id: OrgId,
    pub system_id: SystemId,
    pub name: String,
    /// What the profile lets its holder do.
    pub grants: Option<String>,
    /// Gives access to personal data.
    pub personal_data: bool,
    /// Gives access to information under secrecy.
    pub secret_info: bool,
    /// The most people who may hold it at once.
    pub max_holders: Option<i64>,
    /// An order must say why.
    pub reason_required: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub orderer: Party,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub decider: Party,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub executor: Party,
    pub archived: bool,
}

impl AccessProfile {
    pub fn parties(&self) -> Parties {
        Parties {
            orderer: self.orderer.clone(),
            decider: self.decider.clone(),
            executor: self.executor.clone(),
        }
    }
}

/// A new or changed access profile. Parties left out come from the
/// organisation's policy profile.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessProfileDraft {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = r"[^\s\x00]")
    )]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub grants: Option<String>,
    #[serde(default)]
    pub personal_data: bool,
    #[serde(default)]
    pub secret_info: bool,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub max_holders: Option<i64>,
    #[serde(default)]
    pub reason_required: bool,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub orderer: Option<Party>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub decider: Option<Party>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub executor: Option<Party>,
}

/// A party that cannot play its part (`automatic` only decides).
pub const PARTY_CANNOT_ACT: &str = "error-access-party-cannot-act";

impl AccessProfileDraft {
    pub fn named(name: &str) -> Self {
        AccessProfileDraft {
            name: name.to_owned(),
            grants: None,
            personal_data: false,
            secret_info: false,
            max_holders: None,
            reason_required: false,
            orderer: None,
            decider: None,
            executor: None,
        }
    }

    /// Checks the draft; `role_codes` are the organisation's role types.
    pub fn validate(mut self, role_codes: &[&str]) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.name = v::required_text(&mut e, "name", &self.name, 200);
        self.grants = v::optional_text(&mut e, "grants", self.grants.as_deref(), 2000);
        if self.max_holders.is_some_and(|n| n < 1) {
            e.add("max_holders", v::NEGATIVE);
        }
        for (field, party) in [
            ("orderer", &self.orderer),
            ("decider", &self.decider),
            ("executor", &self.executor),
        ] {
            match party {
                Some(Party::Automatic) if field != "decider" => e.add(field, PARTY_CANNOT_ACT),
                Some(Party::Role(code)) if !role_codes.contains(&code.as_str()) => {
                    e.add_choice(field, role_codes)
                }
                _ => {}
            }
        }
        e.into_result(self)
    }

    /// The parties, each taken from the draft or else from `defaults`.
    pub fn parties(&self, defaults: &Parties) -> Parties {
        Parties {
            orderer: self.orderer.clone().unwrap_or(defaults.orderer.clone()),
            decider: self.decider.clone().unwrap_or(defaults.decider.clone()),
            executor: self.executor.clone().unwrap_or(defaults.executor.clone()),
        }
    }
}

/// The roles that, held on a system, may change its access profiles: the
/// same roles that may edit the system.
pub fn may_manage_profiles(role_codes_held: &[&str]) -> bool {
    role_codes_held.iter().any(|c| EDITING_ROLES.contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLES: &[&str] = &["system_owner", "system_manager", "operations_manager"];

    #[test]
    fn parties_read_and_write_as_text() {
        for s in ["manager", "automatic", "system_owner", "operations_manager"] {
            assert_eq!(Party::parse(s).unwrap().as_str(), s);
        }
        assert_eq!(Party::parse(" manager "), Some(Party::Manager));
        assert_eq!(Party::parse(""), None);
        assert_eq!(Party::parse("Chef!"), None);
        let p: Party = serde_json::from_str("\"system_manager\"").unwrap();
        assert_eq!(p, Party::system_manager());
        assert!(serde_json::from_str::<Party>("\"IT-enheten\"").is_err());
    }

    #[test]
    fn a_draft_names_what_is_wrong() {
        let mut d = AccessProfileDraft::named("  Handläggare  ");
        d.decider = Some(Party::Automatic);
        d.executor = Some(Party::Role("operations_manager".into()));
        let ok = d.validate(ROLES).unwrap();
        assert_eq!(ok.name, "Handläggare");

        let mut bad = AccessProfileDraft::named(" ");
        bad.max_holders = Some(0);
        bad.orderer = Some(Party::Automatic);
        bad.executor = Some(Party::Role("janitor".into()));
        bad.grants = Some("x".repeat(2001));
        let e = bad.validate(ROLES).unwrap_err();
        assert_eq!(e.get("name"), Some(v::REQUIRED));
        assert_eq!(e.get("max_holders"), Some(v::NEGATIVE));
        assert_eq!(e.get("orderer"), Some(PARTY_CANNOT_ACT));
        assert_eq!(e.get("executor"), Some(v::UNKNOWN_CHOICE));
        assert_eq!(e.get("grants"), Some(v::TOO_LONG));
        assert_eq!(e.get_error("executor").unwrap().allowed.len(), 3);
    }

    #[test]
    fn parties_left_out_come_from_the_policy() {
        let policy = Parties {
            orderer: Party::Manager,
            decider: Party::Automatic,
            executor: Party::Role("operations_manager".into()),
        };
        let mut d = AccessProfileDraft::named("Läsare");
        d.decider = Some(Party::system_owner());
        let p = d.parties(&policy);
        assert_eq!(p.orderer, Party::Manager);
        assert_eq!(p.decider, Party::system_owner());
        assert_eq!(p.executor, Party::Role("operations_manager".into()));
        assert_eq!(
            AccessProfileDraft::named("x").parties(&Parties::default()),
            Parties::default()
        );
    }

    #[test]
    fn editing_roles_manage_profiles() {
        assert!(may_manage_profiles(&["pilot", "system_manager"]));
        assert!(!may_manage_profiles(&["pilot", "system_contact"]));
        assert!(!may_manage_profiles(&[]));
    }
}
