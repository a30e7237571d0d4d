//! An HR file (personalfil) exported from the HR system: .xlsx, .ods or
//! CSV with a header row naming an e-mail or an employee-number column,
//! and the name (or first and last name), the unit, an end date and a
//! status where the system exports them. Read into [`HrRow`]s with the
//! problems of each row; what they change is the domain's
//! ([`insyn_domain::access::plan_hr`]).

use crate::detect_format;
use crate::read::{Cell, ReadError, read_table};
use crate::roster::{EMAIL_TITLES, NAME_TITLES, cell_of, cell_text, find_columns};
use insyn_domain::access::HrRow;
use insyn_domain::import::header_key;
use insyn_domain::validation::is_email;

/// The columns an HR file may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HrColumn {
    EmployeeNumber,
    Email,
    Name,
    FirstName,
    LastName,
    Unit,
    EndDate,
    Status,
}

const COLUMNS: [HrColumn; 8] = [
    HrColumn::EmployeeNumber,
    HrColumn::Email,
    HrColumn::Name,
    HrColumn::FirstName,
    HrColumn::LastName,
    HrColumn::Unit,
    HrColumn::EndDate,
    HrColumn::Status,
];

impl HrColumn {
    /// Header titles as HR systems write them (compared by [`header_key`]).
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            HrColumn::EmployeeNumber => &[
                "anställningsnummer",
                "anstnr",
                "anst nr",
                "personalnummer",
                "medarbetarnummer",
                "anställnings-id",
                "employee number",
                "employee id",
                "employee no",
                "employeeid",
            ],
            HrColumn::Email => EMAIL_TITLES,
            HrColumn::Name => NAME_TITLES,
            HrColumn::FirstName => &["förnamn", "first name", "firstname", "given name"],
            HrColumn::LastName => &[
                "efternamn",
                "last name",
                "lastname",
                "surname",
                "family name",
            ],
            HrColumn::Unit => &[
                "enhet",
                "enhetsnamn",
                "enhetskod",
                "organisatorisk enhet",
                "organisationsenhet",
                "avdelning",
                "arbetsplats",
                "unit",
                "unit code",
                "department",
                "org unit",
            ],
            HrColumn::EndDate => &[
                "slutdatum",
                "anställd till",
                "avslutsdatum",
                "sista anställningsdag",
                "t o m",
                "end date",
                "enddate",
                "termination date",
            ],
            HrColumn::Status => &[
                "status",
                "aktiv",
                "anställningsstatus",
                "active",
                "employment status",
            ],
        }
    }

    /// The column as a report names it (a message key's last part).
    pub fn key(self) -> &'static str {
        match self {
            HrColumn::EmployeeNumber => "employee_number",
            HrColumn::Email => "email",
            HrColumn::Name | HrColumn::FirstName | HrColumn::LastName => "name",
            HrColumn::Unit => "unit",
            HrColumn::EndDate => "end_date",
            HrColumn::Status => "status",
        }
    }

    fn from_title(title: &str) -> Option<HrColumn> {
        let key = header_key(title);
        if key.is_empty() {
            return None;
        }
        COLUMNS
            .into_iter()
            .find(|c| c.synonyms().iter().any(|s| header_key(s) == key))
    }
}

/// A problem with one row of an HR file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HrIssue {
    pub row: usize,
    pub column: HrColumn,
    /// A message key.
    pub code: &'static str,
    pub value: String,
}

/// A row without an e-mail address: insyn matches people by e-mail.
pub const HR_NO_EMAIL: &str = "import-hr-no-email";
/// A status that is neither active nor inactive.
pub const HR_UNKNOWN_STATUS: &str = "import-hr-unknown-status";

/// An HR file as read.
#[derive(Debug, Clone, PartialEq)]
pub struct HrFile {
    /// The header's row (1-based, as a spreadsheet shows it).
    pub header_row: usize,
    pub columns: Vec<HrColumn>,
    pub rows: Vec<HrRow>,
    pub issues: Vec<HrIssue>,
}

/// "Aktiv", "ja", "1" …: active; "inaktiv", "avslutad", "nej", "0" …: not.
fn status(cell: &Cell) -> Result<bool, String> {
    if let Cell::Bool(b) = cell {
        return Ok(*b);
    }
    let text = cell.display();
    match header_key(&text).as_str() {
        "aktiv" | "active" | "ja" | "yes" | "1" | "true" | "anstalld" | "employed" => Ok(true),
        "inaktiv" | "inactive" | "nej" | "no" | "0" | "false" | "avslutad" | "slutat" | "left"
        | "ended" | "terminated" => Ok(false),
        _ => Err(text.trim().to_owned()),
    }
}

/// Reads an HR file. Rows without an e-mail address, but with a name, are
/// kept (the register may know the person by name alone); blank rows are
/// skipped; an end date or a status that cannot be read is reported and
/// left out of the row.
pub fn read_hr_file(file_name: &str, bytes: &[u8]) -> Result<HrFile, ReadError> {
    let format = detect_format(file_name, bytes).ok_or(ReadError::Unrecognised)?;
    let rows = read_table(format, bytes)?;
    let (header, cols) = find_columns(&rows, HrColumn::from_title, |c| {
        matches!(c, HrColumn::Email | HrColumn::EmployeeNumber)
    })
    .ok_or(ReadError::NoHeader)?;
    let mut out = HrFile {
        header_row: header + 1,
        columns: cols.iter().map(|(_, c)| *c).collect(),
        rows: vec![],
        issues: vec![],
    };
    for (i, row) in rows.iter().enumerate().skip(header + 1) {
        if row.iter().all(|c| c.display().trim().is_empty()) {
            continue;
        }
        let line = i + 1;
        let get = |want: HrColumn| cell_text(&cols, row, want);
        let mut issue = |column: HrColumn, code: &'static str, value: String| {
            out.issues.push(HrIssue {
                row: line,
                column,
                code,
                value,
            })
        };
        let name = get(HrColumn::Name).or_else(|| {
            let parts: Vec<String> = [HrColumn::FirstName, HrColumn::LastName]
                .into_iter()
                .filter_map(get)
                .collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        });
        let mut email = get(HrColumn::Email);
        if let Some(e) = &email
            && !is_email(e)
        {
            issue(
                HrColumn::Email,
                insyn_domain::validation::NOT_AN_EMAIL,
                e.clone(),
            );
            continue;
        }
        if email.is_none() && name.is_none() {
            issue(HrColumn::Email, HR_NO_EMAIL, String::new());
            continue;
        }
        email = email.map(|e| e.to_lowercase());
        let end_date = match cell_of(&cols, row, HrColumn::EndDate).map(crate::parse_date) {
            Some(Ok((d, _))) => d,
            Some(Err(code)) => {
                let value = get(HrColumn::EndDate).unwrap_or_default();
                issue(HrColumn::EndDate, code, value);
                None
            }
            None => None,
        };
        let active = match cell_of(&cols, row, HrColumn::Status) {
            Some(c) if !c.display().trim().is_empty() => match status(c) {
                Ok(b) => Some(b),
                Err(value) => {
                    issue(HrColumn::Status, HR_UNKNOWN_STATUS, value);
                    None
                }
            },
            _ => None,
        };
        out.rows.push(HrRow {
            row: line,
            employee_number: get(HrColumn::EmployeeNumber),
            email,
            name,
            unit: get(HrColumn::Unit),
            end_date,
            active,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_hr_export_with_first_and_last_names() {
        let csv = "Personalfil 2026-12-01;;;;;;\r\n\
                   Anst.nr;Förnamn;Efternamn;E-post;Enhet;Slutdatum;Status\r\n\
                   1001;Kim;Karlsson;KIM@kommunen.se;IT-enheten;;Aktiv\r\n\
                   ;;;;;;\r\n\
                   1002;Lo;Lind;lo@kommunen.se;HR-enheten;2026-11-30;\r\n\
                   1003;Bo;Berg;inte en adress;IT-enheten;;\r\n\
                   1004;;;;;;\r\n\
                   1005;Ann;Ek;ann@kommunen.se;;sista mars;Tjänstledig\r\n";
        let f = read_hr_file("personal.csv", csv.as_bytes()).unwrap();
        assert_eq!(f.header_row, 2);
        assert_eq!(f.columns.len(), 7);
        type Seen<'a> = (usize, Option<&'a str>, Option<&'a str>, Option<bool>);
        let rows: Vec<Seen> = f
            .rows
            .iter()
            .map(|r| (r.row, r.name.as_deref(), r.email.as_deref(), r.active))
            .collect();
        assert_eq!(
            rows,
            vec![
                (3, Some("Kim Karlsson"), Some("kim@kommunen.se"), Some(true)),
                (5, Some("Lo Lind"), Some("lo@kommunen.se"), None),
                (8, Some("Ann Ek"), Some("ann@kommunen.se"), None),
            ]
        );
        assert_eq!(f.rows[1].end_date, "2026-11-30".parse().ok());
        assert_eq!(f.rows[0].employee_number.as_deref(), Some("1001"));
        assert_eq!(f.rows[1].unit.as_deref(), Some("HR-enheten"));
        let issues: Vec<(usize, &str, &str)> = f
            .issues
            .iter()
            .map(|i| (i.row, i.column.key(), i.code))
            .collect();
        assert_eq!(
            issues,
            vec![
                (6, "email", insyn_domain::validation::NOT_AN_EMAIL),
                (7, "email", HR_NO_EMAIL),
                (8, "end_date", "import-not-a-date"),
                (8, "status", HR_UNKNOWN_STATUS),
            ]
        );
    }

    #[test]
    fn a_file_needs_an_email_or_employee_number_column() {
        assert!(matches!(
            read_hr_file("p.csv", "Namn;Enhet\r\nKim;IT\r\n".as_bytes()),
            Err(ReadError::NoHeader)
        ));
    }
}
