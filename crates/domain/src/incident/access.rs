//! Who may see and handle an incident. Incidents are secret: never in the
//! public register, and inside the organisation seen only by those who
//! handle them (the IT-säkerhetssamordnare and administrators), the people
//! holding a role on an affected system (systemägare, systemförvaltare …),
//! and whoever reported it. Anyone with an account may report one.

use crate::auth::AppRole;

/// What is known of the caller and one incident.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IncidentFacts {
    pub app_role: Option<AppRole>,
    /// The caller holds a role on one of the affected systems today.
    pub holds_role_on_affected: bool,
    /// The caller reported it.
    pub reported_it: bool,
}

/// Whether the application role handles every incident of the organisation.
pub fn handles_all(role: Option<AppRole>) -> bool {
    role.is_some_and(|r| r.allows(crate::auth::Permission::HandleIncidents))
}

/// Whether the caller may see the incident.
pub fn may_see(f: &IncidentFacts) -> bool {
    handles_all(f.app_role) || f.holds_role_on_affected || f.reported_it
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
}
