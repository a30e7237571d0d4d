//! A file of an IT service's follow-ups (uppföljning av servicenivåer):
//! .xlsx, .ods or CSV with a header row naming the period column and any of
//! the measured values, one row per month or quarter, as a supplier's or
//! the IT unit's report lists them. Read into drafts with the problems of
//! each row, named by the draft's field; the ranges are the domain's
//! ([`FollowUpDraft::validate`]).

use crate::detect_format;
use crate::read::{Cell, ReadError, read_table};
use crate::roster::{cell_of, cell_text, find_columns};
use chrono::Datelike;
use insyn_domain::import::header_key;
use insyn_domain::it_service::{FollowUpDraft, NOT_A_PERCENTAGE, NOT_A_PERIOD, Period};
use insyn_domain::validation::NOT_A_NUMBER;

/// The columns a follow-up file may have, each named by the draft's field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUpColumn {
    Period,
    MeasuredAvailability,
    ResponseMet,
    ResponseMissed,
    ResolutionMet,
    ResolutionMissed,
    Comment,
}

const COLUMNS: [FollowUpColumn; 7] = [
    FollowUpColumn::Period,
    FollowUpColumn::MeasuredAvailability,
    FollowUpColumn::ResponseMet,
    FollowUpColumn::ResponseMissed,
    FollowUpColumn::ResolutionMet,
    FollowUpColumn::ResolutionMissed,
    FollowUpColumn::Comment,
];

impl FollowUpColumn {
    /// Header titles as reports write them (compared by [`header_key`]).
    fn synonyms(self) -> &'static [&'static str] {
        use FollowUpColumn::*;
        match self {
            Period => &["period", "månad", "kvartal", "month", "quarter"],
            MeasuredAvailability => &[
                "tillgänglighet",
                "tillgänglighet (%)",
                "uppmätt tillgänglighet",
                "measured availability",
                "availability",
                "availability (%)",
                "measured_availability",
            ],
            ResponseMet => &[
                "svarstid uppfylld",
                "svar i tid",
                "response met",
                "response_met",
            ],
            ResponseMissed => &[
                "svarstid ej uppfylld",
                "svar för sent",
                "response missed",
                "response_missed",
            ],
            ResolutionMet => &[
                "lösningstid uppfylld",
                "lösta i tid",
                "resolution met",
                "resolution_met",
            ],
            ResolutionMissed => &[
                "lösningstid ej uppfylld",
                "lösta för sent",
                "resolution missed",
                "resolution_missed",
            ],
            Comment => &["kommentar", "anmärkning", "comment", "note"],
        }
    }

    /// The draft's field the column fills (and the report names).
    pub fn key(self) -> &'static str {
        use FollowUpColumn::*;
        match self {
            Period => "period",
            MeasuredAvailability => "measured_availability",
            ResponseMet => "response_met",
            ResponseMissed => "response_missed",
            ResolutionMet => "resolution_met",
            ResolutionMissed => "resolution_missed",
            Comment => "comment",
        }
    }

    fn from_title(title: &str) -> Option<FollowUpColumn> {
        let key = header_key(title);
        if key.is_empty() {
            return None;
        }
        COLUMNS
            .into_iter()
            .find(|c| c.synonyms().iter().any(|s| header_key(s) == key))
    }
}

/// A problem with one row: its row (1-based), the field, a message key
/// and the value as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpIssue {
    pub row: usize,
    pub field: &'static str,
    pub code: &'static str,
    pub value: String,
}

/// A follow-up file as read.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUpFile {
    /// The header's row (1-based, as a spreadsheet shows it).
    pub header_row: usize,
    /// Each row's draft with its row (1-based).
    pub rows: Vec<(usize, FollowUpDraft)>,
    pub issues: Vec<FollowUpIssue>,
}

fn period(cell: &Cell) -> Result<Period, &'static str> {
    match cell {
        Cell::Date(d) if d.day() == 1 => Ok(Period::month(d.year(), d.month())),
        other => Period::parse(&other.display()),
    }
}

/// "99,5", "99.5 %", 99.5: a number (the range is the domain's).
fn number(cell: &Cell) -> Result<f64, &'static str> {
    match cell {
        Cell::Number(n) => Ok(*n),
        other => {
            let text = other.display();
            let t = text.trim().trim_end_matches('%').trim().replace(',', ".");
            match t.parse::<f64>() {
                Ok(n) if n.is_finite() && !t.starts_with(['+', '-']) => Ok(n),
                _ => Err(NOT_A_NUMBER),
            }
        }
    }
}

/// A count: a whole number, not negative.
fn count(cell: &Cell) -> Result<u32, &'static str> {
    match number(cell)? {
        n if n >= 0.0 && n.fract() == 0.0 && n <= f64::from(u32::MAX) => Ok(n as u32),
        _ => Err(NOT_A_NUMBER),
    }
}

/// Reads a follow-up file. Blank rows are skipped; a value that cannot be
/// read is reported with its row and field, and the row is left out.
pub fn read_follow_ups(file_name: &str, bytes: &[u8]) -> Result<FollowUpFile, ReadError> {
    let format = detect_format(file_name, bytes).ok_or(ReadError::Unrecognised)?;
    let rows = read_table(format, bytes)?;
    let (header, cols) = find_columns(&rows, FollowUpColumn::from_title, |c| {
        c == FollowUpColumn::Period
    })
    .ok_or(ReadError::NoHeader)?;
    let mut out = FollowUpFile {
        header_row: header + 1,
        rows: vec![],
        issues: vec![],
    };
    for (i, row) in rows.iter().enumerate().skip(header + 1) {
        if row.iter().all(|c| c.display().trim().is_empty()) {
            continue;
        }
        let line = i + 1;
        let before = out.issues.len();
        let filled = |c: FollowUpColumn| {
            cell_of(&cols, row, c).filter(|cell| !cell.display().trim().is_empty())
        };
        let mut issue = |c: FollowUpColumn, code: &'static str| {
            out.issues.push(FollowUpIssue {
                row: line,
                field: c.key(),
                code,
                value: cell_text(&cols, row, c).unwrap_or_default(),
            })
        };
        let p = match filled(FollowUpColumn::Period).map(period) {
            Some(Ok(p)) => Some(p),
            Some(Err(code)) => {
                issue(FollowUpColumn::Period, code);
                None
            }
            None => {
                issue(FollowUpColumn::Period, NOT_A_PERIOD);
                None
            }
        };
        let mut read = |c: FollowUpColumn| match filled(c).map(count) {
            Some(Ok(n)) => Some(n),
            Some(Err(code)) => {
                issue(c, code);
                None
            }
            None => None,
        };
        let response_met = read(FollowUpColumn::ResponseMet);
        let response_missed = read(FollowUpColumn::ResponseMissed);
        let resolution_met = read(FollowUpColumn::ResolutionMet);
        let resolution_missed = read(FollowUpColumn::ResolutionMissed);
        let availability = match filled(FollowUpColumn::MeasuredAvailability).map(number) {
            Some(Ok(n)) => Some(n),
            Some(Err(_)) => {
                issue(FollowUpColumn::MeasuredAvailability, NOT_A_PERCENTAGE);
                None
            }
            None => None,
        };
        if let (Some(p), true) = (p, out.issues.len() == before) {
            out.rows.push((
                line,
                FollowUpDraft {
                    measured_availability: availability,
                    response_met,
                    response_missed,
                    resolution_met,
                    resolution_missed,
                    comment: cell_text(&cols, row, FollowUpColumn::Comment),
                    ..FollowUpDraft::new(p)
                },
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_with_swedish_titles_and_decimal_commas() {
        let csv = "Uppföljning Arbetsplatstjänst;;;;\r\n\
                   Period;Tillgänglighet (%);Svarstid uppfylld;Svarstid ej uppfylld;Kommentar\r\n\
                   2026-01;99,8;40;0;\r\n\
                   ;;;;\r\n\
                   2026-02;98,5 %;38;2;Avbrott 12 februari\r\n\
                   2026-13;99;1;0;\r\n\
                   2026-Q2;hög;-1;0;\r\n\
                   ;99;;;\r\n";
        let f = read_follow_ups("uppfoljning.csv", csv.as_bytes()).unwrap();
        assert_eq!(f.header_row, 2);
        let periods: Vec<_> = f
            .rows
            .iter()
            .map(|(r, d)| (*r, d.period.to_string()))
            .collect();
        assert_eq!(periods, [(3, "2026-01".into()), (5, "2026-02".into())]);
        let feb = &f.rows[1].1;
        assert_eq!(feb.measured_availability, Some(98.5));
        assert_eq!((feb.response_met, feb.response_missed), (Some(38), Some(2)));
        assert_eq!(feb.comment.as_deref(), Some("Avbrott 12 februari"));
        let issues: Vec<_> = f.issues.iter().map(|i| (i.row, i.field, i.code)).collect();
        assert_eq!(
            issues,
            [
                (6, "period", NOT_A_PERIOD),
                (7, "response_met", NOT_A_NUMBER),
                (7, "measured_availability", NOT_A_PERCENTAGE),
                (8, "period", NOT_A_PERIOD),
            ]
        );
        assert_eq!(f.issues[1].value, "-1");
    }

    #[test]
    fn english_titles_and_a_file_without_a_period_column() {
        let csv = "period,availability,resolution missed\n2026-Q1,99.95,1\n";
        let f = read_follow_ups("f.csv", csv.as_bytes()).unwrap();
        assert_eq!(f.rows[0].1.resolution_missed, Some(1));
        assert_eq!(f.rows[0].1.measured_availability, Some(99.95));
        assert!(matches!(
            read_follow_ups("f.csv", b"Namn;Tillg\xc3\xa4nglighet\nX;99\n"),
            Err(ReadError::NoHeader)
        ));
    }
}
