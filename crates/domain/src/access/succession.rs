//! A leaver's roles (systemägare, systemförvaltare …) handed over to a named
//! successor in one step: each assignment that still holds, or is still to
//! come, ends for the leaver and begins for the successor.

use crate::ids::PersonId;
use crate::model::{AssignmentDraft, Person, RoleAssignment};
use crate::validation::FieldErrors;
use chrono::NaiveDate;
use serde::Deserialize;

/// The successor is the leaver themself.
pub const SUCCESSOR_SAME: &str = "error-successor-same";
/// The successor has left.
pub const SUCCESSOR_INACTIVE: &str = "error-successor-inactive";
/// The person holds no role that could be handed over.
pub const NOTHING_TO_TRANSFER: &str = "error-nothing-to-transfer";

/// Who takes over all of a person's roles.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleTransferDraft {
    pub successor_id: PersonId,
}

impl crate::validation::Validate for RoleTransferDraft {
    fn problems(&self) -> FieldErrors {
        FieldErrors::new()
    }
}

/// Whether `to` may take over `from`'s roles, of which `roles` can be
/// handed over: someone else, who has not left, and something to hand over.
pub fn check_successor(from: &Person, to: &Person, roles: usize) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::new();
    if from.id == to.id {
        e.add("successor_id", SUCCESSOR_SAME);
    } else if !to.active {
        e.add("successor_id", SUCCESSOR_INACTIVE);
    }
    if roles == 0 {
        e.add("successor_id", NOTHING_TO_TRANSFER);
    }
    if e.is_empty() { Ok(()) } else { Err(e) }
}

/// Whether the assignment can be handed over on `today`: it has not ended
/// and was not withdrawn (ended before it began).
pub fn transferable(a: &RoleAssignment, today: NaiveDate) -> bool {
    a.end_date
        .is_none_or(|end| end >= today && end >= a.start_date)
}

/// The handover of one assignment on `today`: the leaver's last day (or the
/// day before it would have begun), and the successor's assignment, from
/// today (or when it was to begin) to the end it had.
pub fn handover(
    a: &RoleAssignment,
    successor: PersonId,
    today: NaiveDate,
) -> (NaiveDate, AssignmentDraft) {
    let draft = AssignmentDraft {
        role_type_id: a.role_type_id,
        person_id: successor,
        system_id: a.system_id,
        unit_id: a.unit_id,
        start_date: a.start_date.max(today),
        end_date: a.end_date,
        note: a.note.clone(),
    };
    (a.end_for(today), draft)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::*;
    use crate::model::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn person(active: bool) -> Person {
        Person {
            id: PersonId::new(),
            org_id: OrgId::new(),
            name: "P".into(),
            email: None,
            title: None,
            unit_id: None,
            active,
            updated_at: chrono::Utc::now(),
            employee_number: None,
        }
    }

    fn assignment(start: &str, end: Option<&str>) -> RoleAssignment {
        RoleAssignment {
            id: AssignmentId::new(),
            org_id: OrgId::new(),
            role_type_id: RoleTypeId::new(),
            person_id: PersonId::new(),
            system_id: Some(SystemId::new()),
            unit_id: None,
            start_date: day(start),
            end_date: end.map(day),
            note: Some("n".into()),
        }
    }

    #[test]
    fn the_successor_is_someone_else_who_has_not_left() {
        let (a, b) = (person(false), person(true));
        assert!(check_successor(&a, &b, 1).is_ok());
        let same = check_successor(&a, &a, 1).unwrap_err();
        assert_eq!(same.get("successor_id"), Some(SUCCESSOR_SAME));
        let gone = check_successor(&b, &person(false), 1).unwrap_err();
        assert_eq!(gone.get("successor_id"), Some(SUCCESSOR_INACTIVE));
        let none = check_successor(&a, &b, 0).unwrap_err();
        assert_eq!(none.get("successor_id"), Some(NOTHING_TO_TRANSFER));
    }

    #[test]
    fn a_current_role_ends_yesterday_and_begins_today_for_the_successor() {
        let today = day("2026-06-10");
        let a = assignment("2024-01-01", Some("2027-12-31"));
        let to = PersonId::new();
        let (end, d) = handover(&a, to, today);
        assert_eq!(end, day("2026-06-09"));
        assert_eq!(
            (d.person_id, d.start_date, d.end_date, d.system_id),
            (to, today, Some(day("2027-12-31")), a.system_id)
        );
        assert_eq!(d.note.as_deref(), Some("n"));
    }

    #[test]
    fn a_role_still_to_come_is_withdrawn_and_begins_for_the_successor_when_it_would_have() {
        let today = day("2026-06-10");
        let a = assignment("2026-08-01", None);
        let (end, d) = handover(&a, PersonId::new(), today);
        assert_eq!(end, day("2026-07-31"));
        assert_eq!(d.start_date, day("2026-08-01"));
        assert!(transferable(&a, today));
        assert!(!transferable(
            &assignment("2020-01-01", Some("2026-06-09")),
            today
        ));
        let withdrawn = RoleAssignment {
            end_date: Some(end),
            ..a
        };
        assert!(!transferable(&withdrawn, today));
    }
}
