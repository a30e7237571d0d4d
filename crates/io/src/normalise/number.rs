//! Counts: "ca 250", "1 200 st", "50+".

use super::*;

/// Markers of an approximate figure, before the number (longest first).
const APPROX_PREFIXES: &[&str] = &[
    "ungefär", "omkring", "approx.", "approx", "cirka", "circa", "drygt", "knappt", "nästan",
    "mer än", "fler än", "minst", "högst", "upp till", "över", "under", "about", "around", "ung.",
    "c:a", "ca.", "runt", "ca", "~", "≈", ">", "<", "±",
];
/// Markers of an approximate figure, after the number.
const APPROX_SUFFIXES: &[&str] = &["+", "ca", "ungefär", "(ca)", "(uppskattat)"];
/// Units after a count that mean nothing more.
const UNIT_SUFFIXES: &[&str] = &[
    "användare",
    "personer",
    "stycken",
    "licenser",
    "licences",
    "licenses",
    "users",
    "anv.",
    "pers.",
    "pers",
    "anv",
    "st.",
    "st",
];

/// Strips approximation markers (and, for counts, units) from either end;
/// true if there were approximation markers.
pub(super) fn strip_approx(t: &mut String, units: bool) -> bool {
    let mut approx = false;
    loop {
        let before = t.len();
        for p in APPROX_PREFIXES {
            if let Some(rest) = t.strip_prefix(p) {
                *t = rest.trim_start().to_owned();
                approx = true;
                break;
            }
        }
        for s in UNIT_SUFFIXES.iter().filter(|_| units) {
            if let Some(rest) = t.strip_suffix(s) {
                *t = rest.trim_end().to_owned();
                break;
            }
        }
        for s in APPROX_SUFFIXES {
            if let Some(rest) = t.strip_suffix(s) {
                *t = rest.trim_end().to_owned();
                approx = true;
                break;
            }
        }
        if t.len() == before {
            return approx;
        }
    }
}

/// A whole number: "1 250", "1\u{a0}250", "1.250" and "1,250" (thousands)
/// give 1250; "ca 350", "~350", "350+", "ungefär 350" give 350 with a
/// warning; a fraction is rounded with a warning; negatives are errors.
pub fn parse_integer(cell: &Cell) -> Outcome<i64> {
    let mut warnings = vec![];
    let n: f64 = match cell {
        Cell::Number(n) => *n,
        Cell::Bool(_) | Cell::Date(_) => return Err(NOT_A_NUMBER),
        _ => {
            let Some(t) = text_of(cell) else {
                return Ok((None, vec![]));
            };
            let mut t = t.to_lowercase();
            if strip_approx(&mut t, true) {
                warnings.push(APPROXIMATE);
            }
            parse_number_text(&t).ok_or(NOT_A_NUMBER)?
        }
    };
    if !n.is_finite() || n.abs() > 1e15 {
        return Err(NOT_A_NUMBER);
    }
    if n < 0.0 {
        return Err(NEGATIVE);
    }
    if n.fract() != 0.0 {
        warnings.push(FRACTION);
    }
    Ok((Some(n.round() as i64), warnings))
}

/// Digits with Swedish or English grouping and a decimal comma or point.
fn parse_number_text(t: &str) -> Option<f64> {
    let t: String = t
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\''))
        .map(|c| if c == '−' { '-' } else { c })
        .collect();
    let (sign, digits) = match t.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, t.strip_prefix('+').unwrap_or(&t)),
    };
    if digits.is_empty()
        || !digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    let grouped = |sep: char| {
        let mut parts = digits.split(sep);
        let first = parts.next().unwrap_or("");
        (1..=3).contains(&first.len())
            && digits.contains(sep)
            && parts.all(|p| p.len() == 3 && p.chars().all(|c| c.is_ascii_digit()))
    };
    let plain = if grouped('.') {
        digits.replace('.', "")
    } else if grouped(',') {
        digits.replace(',', "")
    } else if digits.matches(['.', ',']).count() <= 1 {
        digits.replace(',', ".")
    } else {
        return None;
    };
    if plain.starts_with('.') || plain.ends_with('.') {
        return None;
    }
    plain.parse::<f64>().ok().map(|n| sign * n)
}
