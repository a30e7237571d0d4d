//! Normalising single cells: yes/no, counts, dates, people, hosting, lifecycle.
//!
//! Each parser takes a [`Cell`] and gives `Ok((value, warnings))` or
//! `Err(error_code)`; an empty cell (or a lone dash) gives `Ok((None, []))`.

mod choice;
mod date;
mod number;
mod people;
#[cfg(test)]
mod tests;

pub use choice::{parse_hosting, parse_lifecycle};
pub use date::parse_date;
pub use number::parse_integer;
pub use people::parse_people;

use crate::parse::PersonCell;
use crate::read::{Cell, format_number};
use chrono::NaiveDate;
use insyn_domain::{Hosting, Lifecycle};

/// A normalised value and the warning codes it raised, or the error code that stopped it.
pub type Outcome<T> = Result<(Option<T>, Vec<&'static str>), &'static str>;

pub(crate) const APPROXIMATE: &str = "import-approximate";
pub(crate) const FRACTION: &str = "import-fraction";
pub(crate) const NEGATIVE: &str = "import-negative";
pub(crate) const NOT_A_NUMBER: &str = "import-not-a-number";
pub(crate) const NOT_YES_NO: &str = "import-not-yes-no";
pub(crate) const NOT_A_DATE: &str = "import-not-a-date";
pub(crate) const YEAR_ONLY: &str = "import-year-only";
pub(crate) const MONTH_ONLY: &str = "import-month-only";
pub(crate) const UNKNOWN_HOSTING: &str = "import-unknown-hosting";
pub(crate) const UNKNOWN_LIFECYCLE: &str = "import-unknown-lifecycle";
pub(crate) const INVALID_EMAIL: &str = "import-invalid-email";
pub(crate) const VACANT: &str = "import-vacant";

/// The cell's text, trimmed; `None` for an empty cell or a lone dash ("-", "–", "—").
pub(crate) fn text_of(cell: &Cell) -> Option<String> {
    let s = match cell {
        Cell::Empty => return None,
        Cell::Text(s) => s.trim().to_owned(),
        other => other.display(),
    };
    if s.is_empty() || matches!(s.as_str(), "-" | "–" | "—" | "--") {
        None
    } else {
        Some(s)
    }
}

/// Collapses all whitespace (line breaks too) into single spaces; a line
/// break after a hyphen joins without a space ("IT-\nenheten" → "IT-enheten").
pub(crate) fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    let mut pending_break = false;
    for c in s.trim().chars() {
        if c.is_whitespace() {
            pending_space = true;
            pending_break |= c == '\n';
            continue;
        }
        if pending_space && !(pending_break && out.ends_with('-')) {
            out.push(' ');
        }
        pending_space = false;
        pending_break = false;
        out.push(c);
    }
    out
}

/// Trims each line and drops blank lines at either end (for long texts).
pub(crate) fn multi_line(s: &str) -> String {
    let lines: Vec<&str> = s.lines().map(str::trim).collect();
    lines.join("\n").trim().to_owned()
}

/// Yes/no: Ja/Nej in any case, yes/no, x (ticked), sant/falskt, true/false, 1/0.
pub fn parse_bool(cell: &Cell) -> Outcome<bool> {
    let b = match cell {
        Cell::Bool(b) => *b,
        Cell::Number(n) if *n == 1.0 => true,
        Cell::Number(n) if *n == 0.0 => false,
        Cell::Number(_) | Cell::Date(_) => return Err(NOT_YES_NO),
        _ => {
            let Some(t) = text_of(cell) else {
                return Ok((None, vec![]));
            };
            let t = t.to_lowercase();
            match t.trim_end_matches(['.', '!']) {
                "ja" | "j" | "yes" | "y" | "x" | "sant" | "true" | "1" | "✓" | "✔" => true,
                "nej" | "n" | "no" | "falskt" | "false" | "0" => false,
                _ => return Err(NOT_YES_NO),
            }
        }
    };
    Ok((Some(b), vec![]))
}

/// A cell as plain text for a text field (numbers without needless ".0").
pub(crate) fn plain_text(cell: &Cell) -> Option<String> {
    match cell {
        Cell::Number(n) => Some(format_number(*n)),
        other => text_of(other),
    }
}
