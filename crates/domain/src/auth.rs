//! Who may do what: application roles, what a route needs, and the rules
//! for passwords. Deny by default: a permission not listed for a role is
//! not granted.

use crate::ids::OrgId;
use serde::{Deserialize, Serialize};

/// Application roles, from most to least powerful.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AppRole {
    /// The IT unit: everything, including users and settings.
    Administrator,
    /// The information security coordinator: reads and edits every system, reads the audit trail.
    SecurityCoordinator,
    /// Keeps the register: creates and edits systems, people, units and roles.
    Editor,
    /// Auditors and others who only look (including the audit trail).
    Reader,
}

impl AppRole {
    pub const ALL: &'static [AppRole] = &[
        AppRole::Administrator,
        AppRole::SecurityCoordinator,
        AppRole::Editor,
        AppRole::Reader,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AppRole::Administrator => "administrator",
            AppRole::SecurityCoordinator => "security_coordinator",
            AppRole::Editor => "editor",
            AppRole::Reader => "reader",
        }
    }

    pub fn parse(s: &str) -> Option<AppRole> {
        Self::ALL.iter().copied().find(|r| r.as_str() == s.trim())
    }

    /// Whether this role grants a permission by itself (object roles aside).
    pub fn allows(self, p: Permission) -> bool {
        use AppRole::*;
        use Permission::*;
        match p {
            Public | Authenticated => true,
            Read | ReadAudit => true,
            EditSystem | EditRegister => {
                matches!(self, Administrator | SecurityCoordinator | Editor)
            }
            Administer => self == Administrator,
            // Only the system's owner, whatever their application role.
            ActAsOwner => false,
            SignForIt | HandleIncidents => matches!(self, Administrator | SecurityCoordinator),
        }
    }
}

/// What a route needs. Every route names exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Anyone, signed in or not (sign-in page, health check, public pages).
    Public,
    /// Any signed-in user, whatever the organisation (own account, start page).
    Authenticated,
    /// Read an organisation's register.
    Read,
    /// Read an organisation's audit trail (auditors have it).
    ReadAudit,
    /// Change one system: editors, or a person who holds an editing role on it.
    EditSystem,
    /// Change the rest of an organisation's register (units, people, new systems, roles).
    EditRegister,
    /// Users, tokens of others, organisations, role types.
    Administer,
    /// Approve a system's security plan and sign its operational approval for
    /// the business: only a current holder of the system-owner role on it.
    ActAsOwner,
    /// Sign an operational approval for IT: administrators and the security coordinator.
    SignForIt,
    /// See and handle every incident of the organisation, and compile them:
    /// administrators and the security coordinator. (Others see the
    /// incidents that concern them; `incident::may_see`.)
    HandleIncidents,
}

impl Permission {
    /// Whether the permission changes data (an API token with read scope may not).
    pub fn writes(self) -> bool {
        matches!(
            self,
            Permission::EditSystem
                | Permission::EditRegister
                | Permission::Administer
                | Permission::ActAsOwner
                | Permission::SignForIt
        )
    }
}

/// A user's role in one organisation, or in every organisation (`org: None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Grant {
    pub org_id: Option<OrgId>,
    pub role: AppRole,
}

/// The strongest role the grants give in an organisation.
pub fn role_in(grants: &[Grant], org: OrgId) -> Option<AppRole> {
    grants
        .iter()
        .filter(|g| g.org_id.is_none() || g.org_id == Some(org))
        .map(|g| g.role)
        .min()
}

/// What a person holds on one system today, as the store finds it: the
/// facts the rule in [`OnSystem`] needs besides the application role.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HeldOnSystem {
    /// A role whose type lets its holders edit the system (förvaltare, …).
    pub editing: bool,
    /// The system-owner role.
    pub owner: bool,
}

/// What a user may do on one system: their application role in the
/// organisation together with the roles they hold on the system. The one
/// answer the permission check and the pages both use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OnSystem {
    /// Change the system (and its classification, plan and approvals).
    pub edit: bool,
    /// Act as its owner: approve the plan, sign for the business.
    pub owner: bool,
    /// Sign the operational approval for IT.
    pub it: bool,
}

impl OnSystem {
    /// The rule: editing comes with an editing application role or an
    /// editing role on the system; acting as owner only with the owner role
    /// on the system, whatever the application role; signing for IT only
    /// with the application role.
    pub fn new(role: Option<AppRole>, held: HeldOnSystem) -> Self {
        let by_role = |p| role.is_some_and(|r: AppRole| r.allows(p));
        Self {
            edit: by_role(Permission::EditSystem) || held.editing,
            owner: by_role(Permission::ActAsOwner) || held.owner,
            it: by_role(Permission::SignForIt),
        }
    }

    /// Whether this grants one of the permissions a route on the system
    /// needs; other permissions are not the system's to give.
    pub fn allows(self, p: Permission) -> bool {
        match p {
            Permission::EditSystem => self.edit,
            Permission::ActAsOwner => self.owner,
            Permission::SignForIt => self.it,
            _ => false,
        }
    }
}

impl Permission {
    /// Every permission, in the order declared.
    pub const ALL: &'static [Permission] = &[
        Permission::Public,
        Permission::Authenticated,
        Permission::Read,
        Permission::ReadAudit,
        Permission::EditSystem,
        Permission::EditRegister,
        Permission::Administer,
        Permission::ActAsOwner,
        Permission::SignForIt,
        Permission::HandleIncidents,
    ];

    /// Whether a role held on the system itself can grant this permission
    /// (then the check needs what the user holds on the system).
    pub fn given_on_system(self) -> bool {
        matches!(self, Permission::EditSystem | Permission::ActAsOwner)
    }
}

/// The scope of an API token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    Read,
    Write,
}

impl TokenScope {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::Write => "write",
        }
    }

    pub fn parse(s: &str) -> Option<TokenScope> {
        match s.trim() {
            "read" => Some(TokenScope::Read),
            "write" => Some(TokenScope::Write),
            _ => None,
        }
    }
}

/// NIST SP 800-63B: at least 12 characters, no composition rules, at most 256.
pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 256;

pub fn check_password(pw: &str) -> Result<(), &'static str> {
    let n = pw.chars().count();
    if n < MIN_PASSWORD_CHARS {
        Err("error-password-too-short")
    } else if n > MAX_PASSWORD_CHARS {
        Err(crate::validation::TOO_LONG)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_grant_by_rank_and_deny_the_rest() {
        assert!(AppRole::Reader.allows(Permission::Read));
        assert!(AppRole::Reader.allows(Permission::ReadAudit));
        assert!(!AppRole::Reader.allows(Permission::EditSystem));
        assert!(!AppRole::Reader.allows(Permission::EditRegister));
        assert!(!AppRole::Editor.allows(Permission::Administer));
        assert!(AppRole::Editor.allows(Permission::EditRegister));
        assert!(AppRole::Administrator.allows(Permission::Administer));
        assert!(AppRole::SecurityCoordinator.allows(Permission::SignForIt));
        assert!(!AppRole::Editor.allows(Permission::SignForIt));
        for r in AppRole::ALL {
            assert!(
                !r.allows(Permission::ActAsOwner),
                "{r:?}: only the owner acts as owner"
            );
        }
        for r in AppRole::ALL {
            assert_eq!(AppRole::parse(r.as_str()), Some(*r));
        }
    }

    #[test]
    fn the_strongest_grant_counts_and_other_orgs_give_nothing() {
        let a = OrgId::new();
        let b = OrgId::new();
        let grants = [
            Grant {
                org_id: Some(a),
                role: AppRole::Reader,
            },
            Grant {
                org_id: Some(a),
                role: AppRole::Editor,
            },
        ];
        assert_eq!(role_in(&grants, a), Some(AppRole::Editor));
        assert_eq!(role_in(&grants, b), None);
        let everywhere = [Grant {
            org_id: None,
            role: AppRole::Administrator,
        }];
        assert_eq!(role_in(&everywhere, b), Some(AppRole::Administrator));
    }

    #[test]
    fn what_a_user_may_do_on_a_system() {
        let none = HeldOnSystem::default();
        let editing = HeldOnSystem {
            editing: true,
            owner: false,
        };
        let owner = HeldOnSystem {
            editing: true,
            owner: true,
        };
        // A reader holding nothing may do nothing; holding an editing role, edit.
        let r = Some(AppRole::Reader);
        assert_eq!(OnSystem::new(r, none), OnSystem::default());
        let e = OnSystem::new(r, editing);
        assert!(e.edit && !e.owner && !e.it);
        assert!(e.allows(Permission::EditSystem) && !e.allows(Permission::ActAsOwner));
        // Only the owner role makes an owner, whatever the application role.
        for role in AppRole::ALL {
            assert!(!OnSystem::new(Some(*role), none).owner);
            assert!(OnSystem::new(Some(*role), owner).allows(Permission::ActAsOwner));
        }
        // Editors edit every system; IT is the administrators' and the coordinator's.
        let ed = OnSystem::new(Some(AppRole::Editor), none);
        assert!(ed.edit && !ed.it);
        let sc = OnSystem::new(Some(AppRole::SecurityCoordinator), none);
        assert!(sc.edit && sc.it && sc.allows(Permission::SignForIt));
        assert!(!OnSystem::new(Some(AppRole::Reader), owner).it);
        // No role in the organisation: only what is held on the system.
        assert_eq!(OnSystem::new(None, none), OnSystem::default());
        // The system gives only its own permissions.
        assert!(!OnSystem::new(Some(AppRole::Administrator), owner).allows(Permission::Administer));
        assert!(Permission::EditSystem.given_on_system());
        assert!(Permission::ActAsOwner.given_on_system());
        assert!(!Permission::SignForIt.given_on_system());
        assert!(!Permission::EditRegister.given_on_system());
    }

    #[test]
    fn passwords_need_length_not_composition() {
        assert!(check_password("kort").is_err());
        assert!(check_password("elva tecken").is_err());
        assert!(check_password("tolv tecken!").is_ok());
        assert!(check_password("aaaaaaaaaaaa").is_ok());
        assert!(check_password(&"x".repeat(300)).is_err());
    }
}
