//! One person from the HR system by its own id (issue 21): what
//! `PUT /orgs/{org}/people/by-external-id/{id}` takes, checked, as a row
//! of an HR file, so that the file import's rules (match by employee
//! number, then e-mail; a passed end date makes a leaver) decide.

use super::hr::{EMPLOYEE_NUMBER_MAX, HR_DUPLICATE, HR_UNKNOWN_UNIT, HR_WHICH_PERSON, HrRow};
use super::reconcile::RosterRowIssue;
use crate::validation::{self as v, FieldErrors};
use chrono::NaiveDate;
use serde::Deserialize;

/// The longest unit name taken.
pub const HR_UNIT_MAX: usize = 200;

/// A person as the HR system sends them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HrPersonDraft {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = r"\S")
    )]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 254, format = Email))]
    pub email: Option<String>,
    /// The unit's name as the register has it (case and spacing aside);
    /// absent: the unit stays as it is.
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub unit: Option<String>,
    /// The last day of employment: once it has passed the person is a
    /// leaver (inactive; removal orders for their access, their roles to
    /// hand over).
    pub end_date: Option<NaiveDate>,
}

impl HrPersonDraft {
    /// The draft as a row of an HR file for the person with `external_id`,
    /// or every problem by field.
    pub fn row(&self, external_id: &str) -> Result<HrRow, FieldErrors> {
        let mut e = FieldErrors::new();
        let id = v::required_text(&mut e, "external_id", external_id, EMPLOYEE_NUMBER_MAX);
        let name = v::required_text(&mut e, "name", &self.name, 200);
        let email = v::optional_text(&mut e, "email", self.email.as_deref(), 254);
        // The document says an e-mail address: a blank one is not (send null for none).
        let blank = self.email.as_deref().is_some_and(|m| m.trim().is_empty());
        if blank || email.as_deref().is_some_and(|m| !v::is_email(m)) {
            e.add("email", v::NOT_AN_EMAIL);
        }
        let unit = v::optional_text(&mut e, "unit", self.unit.as_deref(), HR_UNIT_MAX);
        e.into_result(HrRow {
            row: 1,
            employee_number: Some(id),
            email,
            name: Some(name),
            unit,
            end_date: self.end_date,
            active: None,
        })
    }
}

impl v::Validate for HrPersonDraft {
    /// The body's own problems (the path's id is checked with it in [`HrPersonDraft::row`]).
    fn problems(&self) -> FieldErrors {
        self.row("-").err().unwrap_or_default()
    }
}

/// A problem the HR rules found with the one row, as a field error of
/// the request (`employee_number` is the path's `external_id`).
pub fn put_errors(issues: &[RosterRowIssue]) -> FieldErrors {
    let known = [HR_UNKNOWN_UNIT, HR_DUPLICATE, HR_WHICH_PERSON];
    let mut e = FieldErrors::new();
    for i in issues {
        let field = match i.column.as_str() {
            "employee_number" => "external_id",
            other => other,
        };
        let code = known
            .iter()
            .chain(v::ALL_CODES)
            .find(|c| **c == i.code)
            .copied()
            .unwrap_or(v::UNKNOWN_REFERENCE);
        e.add(field, code);
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> HrPersonDraft {
        HrPersonDraft {
            name: " Kim Karlsson ".into(),
            email: Some("kim@kommunen.se".into()),
            unit: Some("IT-enheten".into()),
            end_date: None,
        }
    }

    #[test]
    fn a_draft_is_a_row_with_the_external_id_as_employee_number() {
        let r = draft().row("1001").unwrap();
        assert_eq!(r.employee_number.as_deref(), Some("1001"));
        assert_eq!(r.name.as_deref(), Some("Kim Karlsson"));
        assert_eq!(r.unit.as_deref(), Some("IT-enheten"));
    }

    #[test]
    fn problems_are_named_by_field() {
        let mut d = draft();
        d.name = " ".into();
        d.email = Some("not an address".into());
        d.unit = Some("u".repeat(HR_UNIT_MAX + 1));
        let e = d.row(&"9".repeat(EMPLOYEE_NUMBER_MAX + 1)).unwrap_err();
        assert_eq!(e.get("name"), Some(v::REQUIRED));
        assert_eq!(e.get("email"), Some(v::NOT_AN_EMAIL));
        assert_eq!(e.get("unit"), Some(v::TOO_LONG));
        assert_eq!(e.get("external_id"), Some(v::TOO_LONG));
    }

    #[test]
    fn an_unknown_unit_is_named_on_the_unit() {
        let e = put_errors(&[RosterRowIssue {
            row: 1,
            column: "unit".into(),
            code: HR_UNKNOWN_UNIT.into(),
            value: "X".into(),
        }]);
        assert_eq!(e.get("unit"), Some(HR_UNKNOWN_UNIT));
    }
}
