//! Who may see and handle an incident. Incidents are secret: never in the
//! public register, and inside the organisation seen only by those who
//! handle them (the IT-säkerhetssamordnare and administrators), the people
//! holding a role on an affected system (systemägare, systemförvaltare …),
//! and whoever reported it. Anyone with an account may report one. An
//! organisation may let everyone with an account in it (readers, editors)
//! see its incidents too, never change them (off by default).

use crate::auth::AppRole;

/// What is known of the caller and one incident.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IncidentFacts {
    pub app_role: Option<AppRole>,
    /// The caller holds a role on one of the affected systems today.
    pub holds_role_on_affected: bool,
    /// The caller reported it.
    pub reported_it: bool,
    /// The organisation lets its readers see every incident.
    pub readers_allowed: bool,
}

/// Whether the application role handles every incident of the organisation.
pub fn handles_all(role: Option<AppRole>) -> bool {
    role.is_some_and(|r| r.allows(crate::auth::Permission::HandleIncidents))
}

/// Whether the application role sees every incident of the organisation:
/// those who handle them all, and, when the organisation allows it, anyone
/// with a role in it (a reader; an editor reads the register too).
pub fn sees_all(role: Option<AppRole>, readers_allowed: bool) -> bool {
    handles_all(role) || (readers_allowed && role.is_some())
}

/// Whether the caller may see the incident.
pub fn may_see(f: &IncidentFacts) -> bool {
    sees_all(f.app_role, f.readers_allowed) || f.holds_role_on_affected || f.reported_it
}

/// Whether the caller may change it: its record, status, assessment,
/// clocks, notes and actions.
pub fn may_handle(f: &IncidentFacts) -> bool {
    handles_all(f.app_role) || f.holds_role_on_affected
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_coordinator_and_the_systems_roles_handle_the_reporter_only_sees() {
        let coordinator = IncidentFacts {
            app_role: Some(AppRole::SecurityCoordinator),
            ..Default::default()
        };
        assert!(may_see(&coordinator) && may_handle(&coordinator));
        let owner = IncidentFacts {
            app_role: Some(AppRole::Reader),
            holds_role_on_affected: true,
            ..Default::default()
        };
        assert!(may_see(&owner) && may_handle(&owner));
        let reporter = IncidentFacts {
            app_role: Some(AppRole::Reader),
            reported_it: true,
            ..Default::default()
        };
        assert!(may_see(&reporter) && !may_handle(&reporter));
        for role in [AppRole::Editor, AppRole::Reader] {
            let other = IncidentFacts {
                app_role: Some(role),
                ..Default::default()
            };
            assert!(!may_see(&other), "{role:?} sees only what concerns them");
        }
    }

    #[test]
    fn when_the_organisation_allows_readers_see_every_incident_but_handle_none() {
        for role in [AppRole::Editor, AppRole::Reader] {
            let f = IncidentFacts {
                app_role: Some(role),
                readers_allowed: true,
                ..Default::default()
            };
            assert!(may_see(&f), "{role:?}");
            assert!(!may_handle(&f), "{role:?} only reads");
            assert!(sees_all(Some(role), true) && !sees_all(Some(role), false));
        }
        // Nobody outside the organisation's roles, whatever the setting.
        assert!(!sees_all(None, true));
        let stranger = IncidentFacts {
            readers_allowed: true,
            ..Default::default()
        };
        assert!(!may_see(&stranger));
        // The setting takes nothing from those who handle incidents.
        assert!(sees_all(Some(AppRole::SecurityCoordinator), false));
        assert!(sees_all(Some(AppRole::Administrator), true));
    }
}
