//! Dates: ISO, Swedish and English spellings, month or year alone.

use super::number::strip_approx;
use super::*;
use chrono::{Datelike, Days};

const MONTHS: &[(&str, u32)] = &[
    ("januari", 1),
    ("january", 1),
    ("jan", 1),
    ("februari", 2),
    ("february", 2),
    ("feb", 2),
    ("mars", 3),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("maj", 5),
    ("may", 5),
    ("juni", 6),
    ("june", 6),
    ("jun", 6),
    ("juli", 7),
    ("july", 7),
    ("jul", 7),
    ("augusti", 8),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("oktober", 10),
    ("october", 10),
    ("okt", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

fn month(name: &str) -> Option<u32> {
    MONTHS.iter().find(|(m, _)| *m == name).map(|(_, n)| *n)
}

fn year(s: &str) -> Option<i32> {
    if !s.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    match s.len() {
        4 => s.parse().ok(),
        // Two-digit years as in "1/5-04": 00–69 → 2000s, 70–99 → 1900s.
        2 => s
            .parse::<i32>()
            .ok()
            .map(|y| if y < 70 { 2000 + y } else { 1900 + y }),
        _ => None,
    }
}

fn num(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 2 || !s.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d).filter(|d| (1900..=2200).contains(&d.year()))
}

/// A date: a spreadsheet date; "2004-05-01" (also with a time, or with
/// `/` or `.`); "20040501"; Swedish "1/5 2004", "1/5-2004", "1/5-04", "1.5.2004";
/// "1 maj 2004"; a month alone ("2004-05", "maj 2004") or a year alone
/// ("2004", also as a number) gives the first day with a warning.
pub fn parse_date(cell: &Cell) -> Outcome<NaiveDate> {
    match cell {
        Cell::Date(d) => Ok((Some(*d), vec![])),
        Cell::Bool(_) => Err(NOT_A_DATE),
        Cell::Number(n) if n.fract() == 0.0 && (1900.0..=2200.0).contains(n) => {
            Ok((ymd(*n as i32, 1, 1), vec![YEAR_ONLY]))
        }
        // A spreadsheet serial day number that lost its date format.
        Cell::Number(n) if n.fract() == 0.0 && (367.0..=110_000.0).contains(n) => {
            let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid");
            let d = epoch
                .checked_add_days(Days::new(*n as u64))
                .ok_or(NOT_A_DATE)?;
            Ok((Some(d), vec![]))
        }
        Cell::Number(_) => Err(NOT_A_DATE),
        _ => {
            let Some(t) = text_of(cell) else {
                return Ok((None, vec![]));
            };
            let mut t = t.to_lowercase();
            let mut warnings = vec![];
            if strip_approx(&mut t, false) {
                warnings.push(APPROXIMATE);
            }
            let (date, precision) = date_text(&t).ok_or(NOT_A_DATE)?;
            warnings.extend(precision);
            Ok((Some(date), warnings))
        }
    }
}

/// A date in text and, if it names only a month or a year, that warning.
fn date_text(t: &str) -> Option<(NaiveDate, Option<&'static str>)> {
    let t = t.trim();
    // Drop a time of day: "2004-05-01 00:00", "2004-05-01T00:00:00".
    let date_part = match t.split_once([' ', 'T', 't']) {
        Some((d, time)) if time.contains(':') && d.contains(['-', '/', '.']) => d,
        _ => t,
    };
    let full = |d: Option<NaiveDate>| d.map(|d| (d, None));
    let parts: Vec<&str> = date_part.split(['-', '/', '.']).collect();
    if parts.len() == 3 && parts[0].len() == 4 {
        return full(ymd(year(parts[0])?, num(parts[1])?, num(parts[2])?));
    }
    if parts.len() == 2 && parts[0].len() == 4 && parts[1].len() <= 2 {
        return ymd(year(parts[0])?, num(parts[1])?, 1).map(|d| (d, Some(MONTH_ONLY)));
    }
    if parts.len() == 1 && t.len() == 4 {
        return ymd(year(t)?, 1, 1).map(|d| (d, Some(YEAR_ONLY)));
    }
    if parts.len() == 1 && t.len() == 8 && t.chars().all(|c| c.is_ascii_digit()) {
        return full(ymd(year(&t[..4])?, num(&t[4..6])?, num(&t[6..])?));
    }
    // Day before month: "1/5 2004", "1/5-2004", "1/5-04", "1.5.2004", "1/5/2004".
    let dm: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '/' | '.'))
        .filter(|s| !s.is_empty())
        .collect();
    if dm.len() == 3 && dm.iter().all(|s| s.chars().all(|c| c.is_ascii_digit())) {
        return full(ymd(year(dm[2])?, num(dm[1])?, num(dm[0])?));
    }
    // Month names: "1 maj 2004", "May 1, 2004", "maj 2004".
    let words: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.trim_end_matches('.'))
        .filter(|w| !w.is_empty())
        .collect();
    match words.as_slice() {
        [d, m, y] if month(m).is_some() => full(ymd(year(y)?, month(m)?, num(d)?)),
        [m, d, y] if month(m).is_some() => full(ymd(year(y)?, month(m)?, num(d)?)),
        [m, y] if month(m).is_some() => ymd(year(y)?, month(m)?, 1).map(|d| (d, Some(MONTH_ONLY))),
        _ => None,
    }
}
