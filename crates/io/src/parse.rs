//! Turning the rows below a header into normalised records with issues.

use crate::header::{Field, Header};
use crate::normalise::{self as n, Outcome};
use crate::read::Cell;
pub use insyn_domain::import::{Issue, PersonCell, Record, Severity, Values};
use std::collections::HashMap;

pub(crate) const MISSING_NAME: &str = "import-missing-name";
pub(crate) const DUPLICATE_ROW: &str = "import-duplicate-row";
pub(crate) const NOT_A_URL: &str = "import-not-a-url";

/// Every message key this crate produces, for the translations: the issues
/// on rows and cells, and the codes of [`crate::ReadError`] and of a file
/// without a recognisable header ("import-no-header", for the caller).
pub const ISSUE_CODES: &[&str] = &[
    MISSING_NAME,
    DUPLICATE_ROW,
    n::NOT_YES_NO,
    n::NOT_A_NUMBER,
    n::NEGATIVE,
    n::APPROXIMATE,
    n::FRACTION,
    n::NOT_A_DATE,
    n::YEAR_ONLY,
    n::MONTH_ONLY,
    n::UNKNOWN_HOSTING,
    n::UNKNOWN_LIFECYCLE,
    n::INVALID_EMAIL,
    n::VACANT,
    NOT_A_URL,
    "import-unreadable-file",
    "import-no-sheet",
    "import-unreadable-csv",
    "import-no-header",
];

/// Parses every row below the header into a [`Record`]. Rows that are
/// entirely empty are skipped; a row without a name gets the error
/// "import-missing-name"; a row whose name (ignoring case and spacing)
/// repeats an earlier row's gets the warning "import-duplicate-row".
pub fn parse_rows(rows: &[Vec<Cell>], header: &Header) -> Vec<Record> {
    let mut records = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, cells) in rows.iter().enumerate().skip(header.row + 1) {
        if cells.iter().all(Cell::is_empty) {
            continue;
        }
        let mut rec = parse_row(i + 1, cells, header);
        if let Some(name) = &rec.values.name {
            let key = name.to_lowercase();
            match seen.get(&key) {
                Some(first) => {
                    rec.duplicate_of = Some(*first);
                    rec.issues.push(issue(
                        &rec,
                        header,
                        Field::Name,
                        Severity::Warning,
                        DUPLICATE_ROW,
                        name,
                    ));
                }
                None => {
                    seen.insert(key, rec.row);
                }
            }
        } else {
            rec.issues.push(issue(
                &rec,
                header,
                Field::Name,
                Severity::Error,
                MISSING_NAME,
                "",
            ));
        }
        records.push(rec);
    }
    records
}

fn issue(
    rec: &Record,
    header: &Header,
    field: Field,
    severity: Severity,
    code: &'static str,
    value: &str,
) -> Issue {
    Issue {
        row: rec.row,
        column: header
            .column_of(field)
            .map_or(String::new(), |c| header.title(c).to_owned()),
        field: Some(field),
        severity,
        code,
        value: value.to_owned(),
    }
}

fn parse_row(row: usize, cells: &[Cell], header: &Header) -> Record {
    let mut v = Values::default();
    let mut issues = Vec::new();
    for (col, field) in header.columns.iter().enumerate() {
        let Some(field) = *field else { continue };
        let cell = cells.get(col).unwrap_or(&Cell::Empty);
        if cell.is_empty() {
            continue;
        }
        let mut found: Vec<(Severity, &'static str)> = vec![];
        let f = &mut found;
        use Field as F;
        match field {
            F::Name => v.name = n::plain_text(cell).map(|s| n::one_line(&s)),
            F::ShortName => v.short_name = n::plain_text(cell).map(|s| n::one_line(&s)),
            F::Office => v.office = n::plain_text(cell).map(|s| n::one_line(&s)),
            F::Department => v.department = n::plain_text(cell).map(|s| n::one_line(&s)),
            F::Unit => v.unit = n::plain_text(cell).map(|s| n::one_line(&s)),
            F::Vendor => v.vendor = n::plain_text(cell).map(|s| n::one_line(&s)),
            F::Product => v.product = n::plain_text(cell).map(|s| n::one_line(&s)),
            F::Version => v.version = n::plain_text(cell).map(|s| n::one_line(&s)),
            F::LicenceModel => v.licence_model = n::plain_text(cell).map(|s| n::one_line(&s)),
            F::Description => v.description = n::plain_text(cell).map(|s| n::multi_line(&s)),
            F::Purpose => v.purpose = n::plain_text(cell).map(|s| n::multi_line(&s)),
            F::EscalationRoute => {
                v.escalation_route = n::plain_text(cell).map(|s| n::multi_line(&s))
            }
            F::Notes => v.notes = n::plain_text(cell).map(|s| n::multi_line(&s)),
            F::UserCount => v.user_count = take(f, n::parse_integer(cell)),
            F::LicenceCount => v.licence_count = take(f, n::parse_integer(cell)),
            F::BusinessCritical => v.business_critical = take(f, n::parse_bool(cell)),
            F::GoLiveDate => v.go_live_date = take(f, n::parse_date(cell)),
            F::EndDate => v.end_date = take(f, n::parse_date(cell)),
            F::Hosting => v.hosting = take(f, n::parse_hosting(cell)),
            F::Lifecycle => v.lifecycle = take(f, n::parse_lifecycle(cell)),
            F::Capabilities => v.capabilities = list(cell),
            F::Tags => v.tags = list(cell),
            F::DocLink => {
                let (links, ok) = links(cell);
                v.doc_links.extend(links);
                if !ok {
                    f.push((Severity::Warning, NOT_A_URL));
                }
            }
            F::SystemOwner
            | F::SystemManager
            | F::SystemResponsible
            | F::SystemAdministrator
            | F::ContactPerson => {
                let code = field.role_code().expect("a person field");
                let (people, warnings) = n::parse_people(cell);
                f.extend(warnings.into_iter().map(|w| (Severity::Warning, w)));
                v.people.extend(people.into_iter().map(|p| (code, p)));
            }
        }
        issues.extend(found.into_iter().map(|(severity, code)| Issue {
            row,
            column: header.title(col).to_owned(),
            field: Some(field),
            severity,
            code,
            value: cell.display(),
        }));
    }
    Record {
        row,
        values: v,
        issues,
        duplicate_of: None,
    }
}

/// The value of an outcome; its warnings or its error go to `found`.
fn take<T>(found: &mut Vec<(Severity, &'static str)>, outcome: Outcome<T>) -> Option<T> {
    match outcome {
        Ok((value, warnings)) => {
            found.extend(warnings.into_iter().map(|w| (Severity::Warning, w)));
            value
        }
        Err(code) => {
            found.push((Severity::Error, code));
            None
        }
    }
}

fn list(cell: &Cell) -> Vec<String> {
    n::plain_text(cell)
        .map(|s| insyn_domain::normalise_set(insyn_domain::split_list(&s)))
        .unwrap_or_default()
}

/// The http(s) addresses in a cell ("www." gets "https://"); false if the
/// cell has text but no address at all.
fn links(cell: &Cell) -> (Vec<String>, bool) {
    let Some(text) = n::plain_text(cell) else {
        return (vec![], true);
    };
    let mut out: Vec<String> = vec![];
    for word in text.split(|c: char| c.is_whitespace() || c == ';') {
        let w = word.trim_matches(|c: char| matches!(c, ',' | '(' | ')' | '<' | '>' | '"'));
        let lower = w.to_lowercase();
        let url = if lower.starts_with("https://") || lower.starts_with("http://") {
            w.to_owned()
        } else if lower.starts_with("www.") && w.len() > 4 {
            format!("https://{w}")
        } else {
            continue;
        };
        if !out.contains(&url) {
            out.push(url);
        }
    }
    let ok = !out.is_empty();
    (out, ok)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::find_header;
    use insyn_domain::{Hosting, Lifecycle};

    fn t(s: &str) -> Cell {
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s.into())
        }
    }

    fn rows(data: &[&[&str]]) -> Vec<Vec<Cell>> {
        data.iter()
            .map(|r| r.iter().map(|s| t(s)).collect())
            .collect()
    }

    #[test]
    fn issue_codes_are_unique_message_keys() {
        let mut codes = ISSUE_CODES.to_vec();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), ISSUE_CODES.len());
        assert!(ISSUE_CODES.iter().all(|c| c.starts_with("import-")));
    }

    #[test]
    fn rows_issues_duplicates_and_blank_rows() {
        let table = rows(&[
            &[
                "Systemnamn",
                "Antal användare",
                "Kritiskt",
                "Taggar",
                "Länk",
                "Okänd",
            ],
            &[
                "Lön",
                "ca 300",
                "Ja",
                "HR; lön, HR",
                "https://a.se/x www.b.se",
                "?",
            ],
            &["", "", "", "", "", ""],
            &["", "12", "kanske", "", "", ""],
            &[" lön ", "", "", "", "se intranätet", ""],
            &["", "", "", "", "", "bara här"],
        ]);
        let h = find_header(&table).unwrap();
        let recs = parse_rows(&table, &h);
        assert_eq!(
            recs.iter().map(|r| r.row).collect::<Vec<_>>(),
            vec![2, 4, 5, 6]
        );

        let lon = &recs[0];
        assert_eq!(lon.values.name.as_deref(), Some("Lön"));
        assert_eq!(lon.values.user_count, Some(300));
        assert_eq!(lon.values.business_critical, Some(true));
        assert_eq!(lon.values.tags, vec!["HR", "lön"]);
        assert_eq!(
            lon.values.doc_links,
            vec!["https://a.se/x", "https://www.b.se"]
        );
        let approx = Issue {
            row: 2,
            column: "Antal användare".into(),
            field: Some(Field::UserCount),
            severity: Severity::Warning,
            code: "import-approximate",
            value: "ca 300".into(),
        };
        assert_eq!(lon.issues, vec![approx]);
        assert!(!lon.has_errors());

        fn codes(r: &Record) -> Vec<(&str, Severity, &'static str)> {
            r.issues
                .iter()
                .map(|i| (i.column.as_str(), i.severity, i.code))
                .collect()
        }
        assert_eq!(
            codes(&recs[1]),
            vec![
                ("Kritiskt", Severity::Error, "import-not-yes-no"),
                ("Systemnamn", Severity::Error, "import-missing-name"),
            ]
        );
        assert!(recs[1].has_errors());
        assert_eq!(
            codes(&recs[2]),
            vec![
                ("Länk", Severity::Warning, "import-not-a-url"),
                ("Systemnamn", Severity::Warning, "import-duplicate-row"),
            ]
        );
        assert_eq!(recs[2].duplicate_of, Some(2));
        // Only an unmapped column: not empty, so reported.
        assert_eq!(
            codes(&recs[3]),
            vec![("Systemnamn", Severity::Error, "import-missing-name")]
        );
    }

    #[test]
    fn people_get_role_codes_in_column_order() {
        let table = rows(&[
            &["Namn", "Systemförvaltare", "Systemägare", "Kontaktperson"],
            &["X", "Bo Ek; Siv Öst", "IT-chef, Jonas Knutson", "vakant"],
        ]);
        let recs = parse_rows(&table, &find_header(&table).unwrap());
        let people: Vec<(&str, &str)> = recs[0]
            .values
            .people
            .iter()
            .map(|(r, p)| (*r, p.name.as_str()))
            .collect();
        assert_eq!(
            people,
            vec![
                ("system_manager", "Bo Ek"),
                ("system_manager", "Siv Öst"),
                ("system_owner", "Jonas Knutson"),
            ]
        );
        assert_eq!(recs[0].issues[0].code, "import-vacant");
        assert_eq!(recs[0].issues[0].column, "Kontaktperson");
    }

    #[test]
    fn values_make_a_valid_draft() {
        let table = rows(&[
            &["Namn", "Driftform", "Status", "Länk", "Förmågor", "Version"],
            &[
                "Ecos",
                "SaaS",
                "Avvecklas",
                "https://x.se",
                "Ärenden, Tillsyn",
                "2.1",
            ],
        ]);
        let recs = parse_rows(&table, &find_header(&table).unwrap());
        let d = recs[0].values.to_draft().validate().unwrap();
        assert_eq!(d.name, "Ecos");
        assert_eq!(d.hosting, Hosting::Saas);
        assert_eq!(d.lifecycle, Lifecycle::PhasingOut);
        assert_eq!(d.doc_links[0].url, "https://x.se");
        assert_eq!(d.capabilities, vec!["Tillsyn", "Ärenden"]);
        assert_eq!(d.version.as_deref(), Some("2.1"));
    }
}
