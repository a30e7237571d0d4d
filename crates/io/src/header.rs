//! Finding the header row and mapping its columns to fields.

use crate::read::Cell;
pub use insyn_domain::import::{Field, header_key};
use serde::Serialize;
use std::collections::HashMap;

/// The header row of a table and the field of each of its columns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    /// 0-based index into the rows.
    pub row: usize,
    /// One entry per column: the field it maps to, or `None` (ignored).
    pub columns: Vec<Option<Field>>,
    /// The columns' titles as in the file.
    pub titles: Vec<String>,
}

impl Header {
    /// A header from titles and an explicit mapping (as adjusted in the UI).
    pub fn with_mapping(row: usize, titles: Vec<String>, columns: Vec<Option<Field>>) -> Header {
        Header {
            row,
            columns,
            titles,
        }
    }

    /// The normalised title of each column ([`header_key`]), the key a
    /// remembered mapping is stored under.
    pub fn keys(&self) -> Vec<String> {
        (0..self.columns.len())
            .map(|i| header_key(self.title(i)))
            .collect()
    }

    /// Applies a remembered mapping (normalised title → field, `None` for
    /// ignored): a remembered column wins over one recognised by its title,
    /// and of two columns mapped to the same field the first one keeps it.
    pub fn remembered(mut self, mapping: &HashMap<String, Option<Field>>) -> Header {
        let keys = self.keys();
        let mut explicit = vec![false; self.columns.len()];
        for (i, k) in keys.iter().enumerate() {
            if let Some(f) = mapping.get(k).filter(|_| !k.is_empty()) {
                self.columns[i] = *f;
                explicit[i] = true;
            }
        }
        let mut seen: Vec<Field> = vec![];
        // Remembered columns claim their fields first, then the recognised ones.
        for pass in [true, false] {
            for (column, _) in self
                .columns
                .iter_mut()
                .zip(&explicit)
                .filter(|(_, e)| **e == pass)
            {
                if let Some(f) = *column {
                    if seen.contains(&f) {
                        *column = None;
                    } else {
                        seen.push(f);
                    }
                }
            }
        }
        self
    }

    /// The fields mapped to more than one column (a mapping the user must fix).
    pub fn repeated(&self) -> Vec<(usize, Field)> {
        let mut out = vec![];
        for (i, c) in self.columns.iter().enumerate() {
            if let Some(f) = c
                && self.columns[..i].contains(&Some(*f))
            {
                out.push((i, *f));
            }
        }
        out
    }

    /// The index of the column mapped to `field`, if any.
    pub fn column_of(&self, field: Field) -> Option<usize> {
        self.columns.iter().position(|c| *c == Some(field))
    }

    /// The title of column `i` as in the file ("" past the titled columns).
    pub fn title(&self, i: usize) -> &str {
        self.titles.get(i).map_or("", String::as_str)
    }
}

/// How many rows from the top are searched for the header.
const HEADER_SEARCH_ROWS: usize = 30;

/// Finds the header row among the first rows (below title rows and blank
/// rows, too): the row whose cells name the most distinct fields, at least
/// two, or the name alone. Each field maps to its first column; a repeated
/// or unknown column maps to `None`.
pub fn find_header(rows: &[Vec<Cell>]) -> Option<Header> {
    let mut best: Option<(usize, Header)> = None;
    for (i, row) in rows.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        let titles: Vec<String> = row
            .iter()
            .map(|c| match c {
                Cell::Text(s) => s.clone(),
                other => other.display(),
            })
            .collect();
        let mut columns: Vec<Option<Field>> = Vec::with_capacity(titles.len());
        for t in &titles {
            let f = Field::from_title(t).filter(|f| !columns.contains(&Some(*f)));
            columns.push(f);
        }
        let score = columns.iter().flatten().count();
        let enough = score >= 2 || columns.contains(&Some(Field::Name));
        if enough && best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((
                score,
                Header {
                    row: i,
                    columns,
                    titles,
                },
            ));
        }
    }
    best.map(|(_, h)| h)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_row(cells: &[&str]) -> Vec<Cell> {
        cells
            .iter()
            .map(|s| {
                if s.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(s.to_string())
                }
            })
            .collect()
    }

    #[test]
    fn keys_round_trip_and_are_unique() {
        for f in Field::ALL {
            assert_eq!(Field::parse(f.key()), Some(*f));
            assert_eq!(Field::from_title(f.key()), Some(*f), "{f:?}");
        }
        assert_eq!(Field::parse("nope"), None);
        // No synonym is claimed by two fields.
        let mut seen = std::collections::HashMap::new();
        for f in Field::ALL {
            for s in f.synonyms().iter().chain([&f.key()]) {
                if let Some(other) = seen.insert(header_key(s), *f) {
                    assert_eq!(other, *f, "{s} is claimed by {other:?} and {f:?}");
                }
            }
        }
    }

    #[test]
    fn role_codes_are_default_role_types() {
        let codes: Vec<&str> = insyn_domain::DEFAULT_ROLE_TYPES
            .iter()
            .map(|r| r.0)
            .collect();
        let people: Vec<Field> = Field::ALL
            .iter()
            .copied()
            .filter(|f| f.role_code().is_some())
            .collect();
        assert_eq!(people.len(), 5);
        for f in people {
            assert!(codes.contains(&f.role_code().unwrap()), "{f:?}");
        }
    }

    #[test]
    fn asr_headers_with_hyphenation_and_line_breaks() {
        let cases = [
            ("Kontor", Field::Office),
            ("Avdel-\nning", Field::Department),
            ("IT-syste-\nmets\nnamn", Field::Name),
            ("IT-\nsyste-\nmets \nnamn", Field::Name),
            ("Beskriv-\r\nning", Field::Description),
            ("System-\nägare", Field::SystemOwner),
            ("System-\nförvaltare", Field::SystemManager),
            ("Antal\nanvända-\nre", Field::UserCount),
            (
                "Verksam-\nhetskri-\ntiskt\n(Ja/Nej)",
                Field::BusinessCritical,
            ),
            ("VERKSAMHETSKRITISKT (JA/NEJ)", Field::BusinessCritical),
            ("Driftsätt-\nningsda-\ntum", Field::GoLiveDate),
            ("Systemagare", Field::SystemOwner),
            ("System owner:", Field::SystemOwner),
            ("Antal användare (ca)", Field::UserCount),
            ("Go-live date", Field::GoLiveDate),
            ("  Leverantör * ", Field::Vendor),
        ];
        for (title, want) in cases {
            assert_eq!(Field::from_title(title), Some(want), "{title:?}");
        }
        for unknown in ["Osv…", "", "  ", "(Ja/Nej)", "Personuppgifter"] {
            assert_eq!(Field::from_title(unknown), None, "{unknown:?}");
        }
    }

    #[test]
    fn the_registers_own_labels_are_recognised() {
        // The system form's labels (crates/web/i18n), so that an export imports again.
        let labels = [
            ("Systemnamn", Field::Name),
            ("System name", Field::Name),
            ("Kortnamn", Field::ShortName),
            ("Ansvarig enhet", Field::Unit),
            ("Responsible unit", Field::Unit),
            ("Drift", Field::Hosting),
            ("Hosting", Field::Hosting),
            ("Number of users", Field::UserCount),
            ("Business-critical", Field::BusinessCritical),
            ("Livscykel", Field::Lifecycle),
            ("Slutdatum", Field::EndDate),
            ("Antal licenser", Field::LicenceCount),
            ("Number of licences", Field::LicenceCount),
            ("Felanmälningsväg", Field::EscalationRoute),
            ("Error-handling route", Field::EscalationRoute),
            ("Dokumentation och användarhandledningar", Field::DocLink),
            ("Documentation and user guides", Field::DocLink),
            ("Förmågor", Field::Capabilities),
            ("Anteckningar", Field::Notes),
            ("Systemkontaktperson", Field::ContactPerson),
            ("System contact person", Field::ContactPerson),
            ("Systemadministratör", Field::SystemAdministrator),
            ("Systemansvarig", Field::SystemResponsible),
        ];
        for (title, want) in labels {
            assert_eq!(Field::from_title(title), Some(want), "{title}");
        }
    }

    #[test]
    fn header_below_title_and_blank_rows() {
        let rows = vec![
            text_row(&["Applikationssamordningsregister (ASR)"]),
            vec![],
            text_row(&["Uppdaterad", "2024-03-01"]),
            text_row(&[
                "Kontor",
                "Avdel-\nning",
                "IT-syste-\nmets\nnamn",
                "Osv…",
                "System-\nägare",
                "Ägare",
            ]),
            text_row(&["KLK", "IT-enheten", "Exchange"]),
        ];
        let h = find_header(&rows).unwrap();
        assert_eq!(h.row, 3);
        assert_eq!(
            h.columns,
            vec![
                Some(Field::Office),
                Some(Field::Department),
                Some(Field::Name),
                None,
                Some(Field::SystemOwner),
                None, // repeated: the first column wins
            ]
        );
        assert_eq!(h.titles[1], "Avdel-\nning");
        assert_eq!(h.column_of(Field::Name), Some(2));
        assert_eq!(h.title(9), "");
    }

    #[test]
    fn a_remembered_mapping_wins_and_fields_stay_unique() {
        let rows = vec![text_row(&[
            "Systemnamn",
            "Ägare",
            "Appl.",
            "Kontor",
            "Ansvarig",
        ])];
        let h = find_header(&rows).unwrap();
        assert_eq!(h.columns[2], None);
        let mapping: HashMap<String, Option<Field>> = [
            ("appl".to_owned(), Some(Field::Name)),
            ("agare".to_owned(), None),
            ("ansvarig".to_owned(), Some(Field::SystemOwner)),
        ]
        .into();
        let h = h.remembered(&mapping);
        assert_eq!(
            h.columns,
            vec![
                None, // the remembered "Appl." took the name
                None, // remembered as ignored
                Some(Field::Name),
                Some(Field::Office),
                Some(Field::SystemOwner),
            ]
        );
        assert_eq!(h.keys()[2], "appl");
        assert!(h.repeated().is_empty());
        let twice = Header::with_mapping(0, h.titles.clone(), vec![Some(Field::Name); 2]);
        assert_eq!(twice.repeated(), vec![(1, Field::Name)]);
    }

    #[test]
    fn header_needs_two_fields_or_the_name() {
        assert_eq!(find_header(&[text_row(&["Kontor", "Foo"])]), None);
        assert_eq!(find_header(&[]), None);
        let h = find_header(&[text_row(&["Titel"]), text_row(&["", "Systemnamn"])]).unwrap();
        assert_eq!(
            (h.row, h.columns.clone()),
            (1, vec![None, Some(Field::Name)])
        );
    }
}
