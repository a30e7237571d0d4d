//! A person's tasks ("Mina uppgifter"): the findings that fall to them
//! through the roles they hold, most urgent first.

use super::*;
use crate::ids::SystemId;
use serde::Serialize;

/// Something a person has to do, and why it is theirs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Task {
    pub system: Option<(SystemId, String)>,
    pub finding: Finding,
    /// The role through which it is theirs.
    pub as_role: String,
    /// True when it falls to them because the responsible role is vacant.
    pub vacant: bool,
}

/// Overdue first, then what is missing, expired or unknown, then what is
/// due soon, then what is met.
pub fn urgency(o: &Outcome) -> u8 {
    match o {
        Outcome::Overdue { .. } => 0,
        Outcome::Missing { .. } | Outcome::Expired { .. } | Outcome::Unknown { .. } => 1,
        Outcome::DueSoon { .. } => 2,
        Outcome::Met { .. } => 3,
    }
}

impl Compliance {
    /// Everything that falls to the person with this e-mail address (in any
    /// case), most urgent first and, equally urgent, the earliest date first.
    pub fn tasks_for(&self, email: &str) -> Vec<Task> {
        let email = email.trim().to_lowercase();
        let mine = |h: &[Holder]| {
            h.iter().any(|h| {
                h.email
                    .as_deref()
                    .is_some_and(|e| e.to_lowercase() == email)
            })
        };
        let mut tasks: Vec<Task> = self
            .findings()
            .filter(|(_, f)| f.outcome.is_task())
            .filter_map(|(system, f)| {
                let (people, vacant) = self.responsible_for(system, f);
                mine(&people).then(|| Task {
                    system: system.map(|s| (s.id, s.name.clone())),
                    finding: f.clone(),
                    as_role: if vacant {
                        COORDINATOR.to_owned()
                    } else {
                        f.responsible().to_string()
                    },
                    vacant,
                })
            })
            .collect();
        tasks.sort_by_key(|t| (urgency(&t.finding.outcome), t.finding.outcome.date()));
        tasks
    }
}
