//! Normalising single cells: yes/no, counts, dates, people, hosting, lifecycle.
//!
//! Each parser takes a [`Cell`] and gives `Ok((value, warnings))` or
//! `Err(error_code)`; an empty cell (or a lone dash) gives `Ok((None, []))`.

use crate::parse::PersonCell;
use crate::read::{Cell, format_number};
use chrono::{Datelike, Days, NaiveDate};
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
fn strip_approx(t: &mut String, units: bool) -> bool {
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

/// Letters and digits in lower case, other characters as single spaces.
fn words_of(s: &str) -> String {
    let lower: String = s
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Hosting from Swedish or English words: SaaS, molntjänst → SaaS; extern
/// drift, outsourcad, hos leverantören → external; egen drift, internt,
/// lokalt, on-prem → internal.
pub fn parse_hosting(cell: &Cell) -> Outcome<Hosting> {
    let Some(t) = text_of(cell) else {
        return Ok((None, vec![]));
    };
    if let Some(h) = Hosting::parse(&t.to_lowercase()) {
        return Ok((Some(h), vec![]));
    }
    let w = words_of(&t);
    let has = |keys: &[&str]| keys.iter().any(|k| w.contains(k));
    let h = if has(&["saas", "moln", "cloud", "software as a service"]) {
        Hosting::Saas
    } else if has(&[
        "extern",
        "outsourc",
        "leverantör",
        "driftleverantör",
        "hosted",
        "hosting",
        "partner",
    ]) {
        Hosting::External
    } else if has(&[
        "intern",
        "egen",
        "eget",
        "lokal",
        "on prem",
        "onprem",
        "kommunens",
        "datahall",
        "serverhall",
        "in house",
        "inhouse",
    ]) {
        Hosting::Internal
    } else {
        return Err(UNKNOWN_HOSTING);
    };
    Ok((Some(h), vec![]))
}

/// Lifecycle from Swedish or English words: i drift, planerad, upphandling,
/// avvecklas, avvecklad (and planned, procurement, in operation, phasing
/// out, decommissioned).
pub fn parse_lifecycle(cell: &Cell) -> Outcome<Lifecycle> {
    let Some(t) = text_of(cell) else {
        return Ok((None, vec![]));
    };
    if let Some(l) = Lifecycle::parse(&t.to_lowercase()) {
        return Ok((Some(l), vec![]));
    }
    let w = words_of(&t);
    let has = |keys: &[&str]| keys.iter().any(|k| w.contains(k));
    let l = if has(&[
        "avvecklad",
        "avvecklat",
        "avslutad",
        "avslutat",
        "ur drift",
        "nedlagd",
        "nedlagt",
        "inaktiv",
        "decommissioned",
        "retired",
    ]) {
        Lifecycle::Decommissioned
    } else if has(&[
        "avveckl",
        "utfas",
        "fasas ut",
        "ersätts",
        "phasing out",
        "phase out",
        "being retired",
    ]) {
        Lifecycle::PhasingOut
    } else if has(&["upphandl", "procur", "tender"]) {
        Lifecycle::Procuring
    } else if has(&[
        "planer",
        "planned",
        "införande",
        "införs",
        "pilot",
        "kommande",
    ]) {
        Lifecycle::Planned
    } else if has(&[
        "drift",
        "aktiv",
        "produktion",
        "används",
        "in operation",
        "active",
        "in production",
        "live",
        "operational",
    ]) {
        Lifecycle::InOperation
    } else {
        return Err(UNKNOWN_LIFECYCLE);
    };
    Ok((Some(l), vec![]))
}

/// Words that say a role is not filled.
const VACANCIES: &[&str] = &[
    "vakant",
    "saknas",
    "ej utsedd",
    "ej tillsatt",
    "inte utsedd",
    "ingen",
    "okänd",
    "okänt",
    "n/a",
    "na",
    "?",
    "tbd",
    "vacant",
    "none",
    "unknown",
    "-",
];

/// Word endings that make a phrase a job title rather than a name.
const TITLE_WORDS: &[&str] = &[
    "chef",
    "ansvarig",
    "förvaltare",
    "ägare",
    "direktör",
    "samordnare",
    "strateg",
    "handläggare",
    "administratör",
    "controller",
    "tekniker",
    "redaktör",
    "ombud",
    "pilot",
    "sekreterare",
    "specialist",
    "arkivarie",
    "ekonom",
    "konsult",
    "rektor",
    "manager",
    "officer",
    "owner",
    "head",
    "lead",
    "director",
    "coordinator",
    "administrator",
];
const NAME_PARTICLES: &[&str] = &[
    "von", "af", "de", "van", "der", "den", "la", "le", "da", "di",
];

/// Two or more words, each capitalised (particles aside), no digits.
fn name_like(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    words.len() >= 2
        && words.iter().all(|w| {
            !w.chars().any(|c| c.is_ascii_digit())
                && (w.chars().next().is_some_and(char::is_uppercase) || NAME_PARTICLES.contains(w))
        })
        && !has_title_word(s)
}

fn has_title_word(s: &str) -> bool {
    s.split(|c: char| c.is_whitespace() || c == '-')
        .map(str::to_lowercase)
        .any(|w| TITLE_WORDS.iter().any(|t| w.ends_with(t)))
}

pub(crate) fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '<' | '>' | ',' | ';'))
}

/// One person from "IT-chef, Förnamn Efternamn", "Förnamn Efternamn, IT-chef",
/// "Förnamn Efternamn <e@post.se>", "e@post.se" or "Förnamn Efternamn".
fn person(piece: &str, warnings: &mut Vec<&'static str>) -> Option<PersonCell> {
    let mut rest = piece.to_owned();
    let mut email = None;
    if let (Some(open), Some(close)) = (rest.find('<'), rest.rfind('>'))
        && open < close
    {
        email = Some(rest[open + 1..close].trim().to_owned());
        rest.replace_range(open..=close, " ");
    } else if let Some(token) = rest.split_whitespace().find(|w| w.contains('@')) {
        let token = token.to_owned();
        email = Some(
            token
                .trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']' | ',' | ';' | ':'))
                .to_owned(),
        );
        rest = rest.replacen(&token, " ", 1);
    }
    let mut email = email.map(|e| {
        e.strip_prefix("mailto:")
            .unwrap_or(&e)
            .trim()
            .to_lowercase()
    });
    if let Some(e) = &email
        && !is_email(e)
    {
        warnings.push(INVALID_EMAIL);
        if rest.trim().is_empty() {
            rest = e.clone();
        }
        email = None;
    }
    let rest = one_line(&rest.replace("()", " "));
    let rest = rest.trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':'));
    let split = rest.split_once(',').or_else(|| rest.split_once(':'));
    let (name, title) = match split {
        Some((a, b)) => {
            let (a, b) = (a.trim(), b.trim());
            if b.is_empty() {
                (a.to_owned(), None)
            } else if a.is_empty() {
                (b.to_owned(), None)
            } else if name_like(a) && !name_like(b) {
                (a.to_owned(), Some(b.to_owned()))
            } else {
                (b.to_owned(), Some(a.to_owned()))
            }
        }
        None => (rest.to_owned(), None),
    };
    let name = if name.is_empty() {
        email.clone()?
    } else {
        name
    };
    Some(PersonCell { name, title, email })
}

fn is_vacant(s: &str) -> bool {
    let t = s.trim().trim_end_matches('.').to_lowercase();
    VACANCIES.contains(&t.as_str())
}

/// Whether a part of a cell is one person on its own (so that a separator
/// between such parts separates people, not words of a title).
fn person_like(part: &str) -> bool {
    let part = part.trim();
    if part.contains('@') {
        return true;
    }
    match part.split_once(',') {
        Some((a, b)) => name_like(a.trim()) || name_like(b.trim()),
        None => name_like(part),
    }
}

/// Splits on line breaks and ';' (but a line that ends with "," or "-", or
/// a lone word, continues on the next line); on " och ", " & ", " and ",
/// "/" and "," only where every part is a person on its own.
fn split_people(cell: &str) -> Vec<String> {
    let mut lines: Vec<String> = vec![];
    for line in cell.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match lines.last_mut() {
            Some(prev) if continues(prev, line) => {
                if !prev.contains(',') && !prev.contains(' ') && has_title_word(prev) {
                    prev.push(',');
                }
                if !prev.ends_with('-') {
                    prev.push(' ');
                }
                prev.push_str(line);
            }
            _ => lines.push(line.to_owned()),
        }
    }
    let mut out = vec![];
    for line in &lines {
        for piece in line.split(';') {
            split_weak(piece.trim(), &mut out);
        }
    }
    out
}

/// Whether a line break inside one person's text wrapped it, rather than
/// starting the next person.
fn continues(prev: &str, line: &str) -> bool {
    let lone_word = |s: &str| !s.contains(char::is_whitespace) && !s.contains(['@', ';']);
    prev.ends_with([',', ':', '-', '&', '/'])
        || ["och ", "and ", "& "].iter().any(|w| line.starts_with(w))
        || lone_word(prev)
        || lone_word(line)
}

fn split_weak(piece: &str, out: &mut Vec<String>) {
    if piece.is_empty() {
        return;
    }
    for sep in [" och ", " & ", " and ", " + ", "/", ","] {
        let parts: Vec<&str> = piece.split(sep).map(str::trim).collect();
        if parts.len() > 1 && parts.iter().all(|p| person_like(p)) {
            for p in parts {
                split_weak(p, out);
            }
            return;
        }
    }
    out.push(piece.to_owned());
}

/// People in one cell: "IT-chef, Förnamn Efternamn" (title and name), a
/// name, "Namn <e@post.se>" or an address alone; several separated by a
/// line break, ";", " och ", " & " or "/". "Vakant", "saknas" and the like
/// give nobody and a warning.
pub fn parse_people(cell: &Cell) -> (Vec<PersonCell>, Vec<&'static str>) {
    let mut warnings = vec![];
    let Some(t) = text_of(cell) else {
        return (vec![], warnings);
    };
    if is_vacant(&t) {
        return (vec![], vec![VACANT]);
    }
    let mut people: Vec<PersonCell> = vec![];
    for piece in split_people(&t) {
        if matches!(piece.as_str(), "-" | "–" | "—") {
            continue;
        }
        if is_vacant(&piece) {
            warnings.push(VACANT);
            continue;
        }
        if let Some(p) = person(&piece, &mut warnings)
            && !people
                .iter()
                .any(|q| q.name.to_lowercase() == p.name.to_lowercase() && q.email == p.email)
        {
            people.push(p);
        }
    }
    warnings.dedup();
    (people, warnings)
}

/// A cell as plain text for a text field (numbers without needless ".0").
pub(crate) fn plain_text(cell: &Cell) -> Option<String> {
    match cell {
        Cell::Number(n) => Some(format_number(*n)),
        other => text_of(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn yes_and_no() {
        for yes in [
            "Ja", "JA", "ja", "ja.", " yes ", "x", "X", "Sant", "TRUE", "1",
        ] {
            assert_eq!(parse_bool(&t(yes)), Ok((Some(true), vec![])), "{yes}");
        }
        for no in ["Nej", "NEJ", "nej", "no", "No", "FALSKT", "false", "0"] {
            assert_eq!(parse_bool(&t(no)), Ok((Some(false), vec![])), "{no}");
        }
        assert_eq!(parse_bool(&Cell::Bool(true)), Ok((Some(true), vec![])));
        assert_eq!(parse_bool(&Cell::Number(0.0)), Ok((Some(false), vec![])));
        for empty in [Cell::Empty, t("-"), t("  ")] {
            assert_eq!(parse_bool(&empty), Ok((None, vec![])));
        }
        for bad in ["Kanske", "Ja/Nej", "delvis", "2"] {
            assert_eq!(parse_bool(&t(bad)), Err(NOT_YES_NO), "{bad}");
        }
        assert_eq!(parse_bool(&Cell::Number(2.0)), Err(NOT_YES_NO));
    }

    #[test]
    fn approximate_counts() {
        for s in [
            "ca 350",
            "ca. 350",
            "Ca 350",
            "c:a 350",
            "cirka 350",
            "~350",
            "~ 350",
            "350+",
            "ungefär 350",
            "Ungefär 350 st",
            "över 350",
            "350 ca",
            "ca 350 användare",
        ] {
            assert_eq!(
                parse_integer(&t(s)),
                Ok((Some(350), vec![APPROXIMATE])),
                "{s}"
            );
        }
    }

    #[test]
    fn grouped_and_plain_counts() {
        for s in [
            "1 250",
            "1\u{a0}250",
            "1\u{202f}250",
            "1.250",
            "1,250",
            "1250",
            "1250 st",
        ] {
            assert_eq!(parse_integer(&t(s)), Ok((Some(1250), vec![])), "{s}");
        }
        assert_eq!(
            parse_integer(&t("1 234 567")),
            Ok((Some(1_234_567), vec![]))
        );
        assert_eq!(
            parse_integer(&t("1.234.567")),
            Ok((Some(1_234_567), vec![]))
        );
        assert_eq!(parse_integer(&t("12,5")), Ok((Some(13), vec![FRACTION])));
        assert_eq!(parse_integer(&t("12.25")), Ok((Some(12), vec![FRACTION])));
        assert_eq!(
            parse_integer(&Cell::Number(1900.0)),
            Ok((Some(1900), vec![]))
        );
        assert_eq!(
            parse_integer(&Cell::Number(12.5)),
            Ok((Some(13), vec![FRACTION]))
        );
        assert_eq!(parse_integer(&Cell::Empty), Ok((None, vec![])));
        for bad in ["många", "300-400", "1.2.3", "12,", "ca", "x"] {
            assert_eq!(parse_integer(&t(bad)), Err(NOT_A_NUMBER), "{bad}");
        }
        assert_eq!(parse_integer(&t("-5")), Err(NEGATIVE));
        assert_eq!(parse_integer(&Cell::Number(-1.0)), Err(NEGATIVE));
        assert_eq!(parse_integer(&Cell::Bool(true)), Err(NOT_A_NUMBER));
    }

    #[test]
    fn dates() {
        let may1 = date(2004, 5, 1);
        for s in [
            "2004-05-01",
            "2004-5-1",
            "2004-05-01 00:00",
            "2004-05-01T00:00:00",
            "2004-05-01 13:45:00",
            "2004/05/01",
            "2004.05.01",
            "20040501",
            "1/5 2004",
            "1/5-2004",
            "1/5-04",
            "01/05/2004",
            "1.5.2004",
            "1 maj 2004",
            "1 May 2004",
            "May 1, 2004",
        ] {
            assert_eq!(parse_date(&t(s)), Ok((Some(may1), vec![])), "{s}");
        }
        assert_eq!(parse_date(&Cell::Date(may1)), Ok((Some(may1), vec![])));
        assert_eq!(
            parse_date(&t("2004-05")),
            Ok((Some(may1), vec![MONTH_ONLY]))
        );
        assert_eq!(
            parse_date(&t("maj 2004")),
            Ok((Some(may1), vec![MONTH_ONLY]))
        );
        let jan1 = date(2004, 1, 1);
        assert_eq!(parse_date(&t("2004")), Ok((Some(jan1), vec![YEAR_ONLY])));
        assert_eq!(
            parse_date(&Cell::Number(2004.0)),
            Ok((Some(jan1), vec![YEAR_ONLY]))
        );
        assert_eq!(
            parse_date(&t("ca 2004")),
            Ok((Some(jan1), vec![APPROXIMATE, YEAR_ONLY]))
        );
        // 38078 is 2004-04-01 as a spreadsheet day number.
        assert_eq!(
            parse_date(&Cell::Number(38078.0)),
            Ok((Some(date(2004, 4, 1)), vec![]))
        );
        assert_eq!(parse_date(&Cell::Empty), Ok((None, vec![])));
        for bad in [
            "snart",
            "2004-13-01",
            "31/2 2004",
            "Q3 2004",
            "1850",
            "2004-05-01x",
        ] {
            assert_eq!(parse_date(&t(bad)), Err(NOT_A_DATE), "{bad}");
        }
        assert_eq!(parse_date(&Cell::Number(12.5)), Err(NOT_A_DATE));
    }

    #[test]
    fn hosting_words() {
        let cases = [
            ("SaaS", Hosting::Saas),
            ("saas", Hosting::Saas),
            ("Molntjänst", Hosting::Saas),
            ("I molnet", Hosting::Saas),
            ("Extern drift", Hosting::External),
            ("extern drift (Tieto)", Hosting::External),
            ("Hos leverantören", Hosting::External),
            ("Egen drift", Hosting::Internal),
            ("Internt", Hosting::Internal),
            ("intern", Hosting::Internal),
            ("Lokalt", Hosting::Internal),
            ("On-prem", Hosting::Internal),
            ("internal", Hosting::Internal),
        ];
        for (s, want) in cases {
            assert_eq!(parse_hosting(&t(s)), Ok((Some(want), vec![])), "{s}");
        }
        assert_eq!(parse_hosting(&t("Hemma")), Err(UNKNOWN_HOSTING));
        assert_eq!(parse_hosting(&Cell::Empty), Ok((None, vec![])));
    }

    #[test]
    fn lifecycle_words() {
        let cases = [
            ("I drift", Lifecycle::InOperation),
            ("i drift", Lifecycle::InOperation),
            ("Aktiv", Lifecycle::InOperation),
            ("Planerad", Lifecycle::Planned),
            ("Planerat", Lifecycle::Planned),
            ("Upphandling", Lifecycle::Procuring),
            ("Under upphandling", Lifecycle::Procuring),
            ("Avvecklas", Lifecycle::PhasingOut),
            ("Under avveckling", Lifecycle::PhasingOut),
            ("Ska avvecklas 2025", Lifecycle::PhasingOut),
            ("Avvecklad", Lifecycle::Decommissioned),
            ("Ur drift", Lifecycle::Decommissioned),
            ("in_operation", Lifecycle::InOperation),
            ("Decommissioned", Lifecycle::Decommissioned),
        ];
        for (s, want) in cases {
            assert_eq!(parse_lifecycle(&t(s)), Ok((Some(want), vec![])), "{s}");
        }
        assert_eq!(parse_lifecycle(&t("Okänd")), Err(UNKNOWN_LIFECYCLE));
    }

    fn p(name: &str, title: Option<&str>, email: Option<&str>) -> PersonCell {
        PersonCell {
            name: name.into(),
            title: title.map(Into::into),
            email: email.map(Into::into),
        }
    }

    #[test]
    fn people_with_titles_and_addresses() {
        let cases: Vec<(&str, Vec<PersonCell>)> = vec![
            (
                "IT-chef, Jonas Knutson",
                vec![p("Jonas Knutson", Some("IT-chef"), None)],
            ),
            (
                "IT-chef,\nJonas\nKnutson",
                vec![p("Jonas Knutson", Some("IT-chef"), None)],
            ),
            ("Jens Lind", vec![p("Jens Lind", None, None)]),
            ("Jens\nLind", vec![p("Jens Lind", None, None)]),
            (
                "IT-chef\nJonas Knutson",
                vec![p("Jonas Knutson", Some("IT-chef"), None)],
            ),
            ("Jens", vec![p("Jens", None, None)]),
            (
                "Jonas Knutson, IT-chef",
                vec![p("Jonas Knutson", Some("IT-chef"), None)],
            ),
            (
                "Anna-Karin Lindqvist-Berg, miljöchef",
                vec![p("Anna-Karin Lindqvist-Berg", Some("miljöchef"), None)],
            ),
            (
                "Anna Andersson <Anna.Andersson@x.se>",
                vec![p("Anna Andersson", None, Some("anna.andersson@x.se"))],
            ),
            (
                "Anna Andersson (anna@x.se)",
                vec![p("Anna Andersson", None, Some("anna@x.se"))],
            ),
            ("anna@x.se", vec![p("anna@x.se", None, Some("anna@x.se"))]),
            (
                "mailto:anna@x.se",
                vec![p("anna@x.se", None, Some("anna@x.se"))],
            ),
            (
                "Systemägare: Eva Ek",
                vec![p("Eva Ek", Some("Systemägare"), None)],
            ),
            (
                "Chef för drift och förvaltning, Anna Berg",
                vec![p("Anna Berg", Some("Chef för drift och förvaltning"), None)],
            ),
            (
                "Pilot/ombud, Anna Berg",
                vec![p("Anna Berg", Some("Pilot/ombud"), None)],
            ),
        ];
        for (s, want) in cases {
            assert_eq!(parse_people(&t(s)), (want, vec![]), "{s:?}");
        }
    }

    #[test]
    fn several_people_in_one_cell() {
        let two = vec![p("Anna Berg", None, None), p("Per Ek", None, None)];
        for s in [
            "Anna Berg\nPer Ek",
            "Anna Berg; Per Ek",
            "Anna Berg och Per Ek",
            "Anna Berg & Per Ek",
            "Anna Berg / Per Ek",
            "Anna Berg/Per Ek",
            "Anna Berg, Per Ek",
            "Anna Berg;Per Ek;",
            "Anna Berg\n\nPer Ek\nAnna Berg",
        ] {
            assert_eq!(parse_people(&t(s)), (two.clone(), vec![]), "{s:?}");
        }
        assert_eq!(
            parse_people(&t("IT-chef, Jonas Knutson och Eva Ek <eva@x.se>")),
            (
                vec![
                    p("Jonas Knutson", Some("IT-chef"), None),
                    p("Eva Ek", None, Some("eva@x.se"))
                ],
                vec![]
            )
        );
        assert_eq!(
            parse_people(&t("Förvaltare, Bo Ek\nAdministratör, Siv Öst")),
            (
                vec![
                    p("Bo Ek", Some("Förvaltare"), None),
                    p("Siv Öst", Some("Administratör"), None)
                ],
                vec![]
            )
        );
    }

    #[test]
    fn vacant_and_broken_people() {
        assert_eq!(parse_people(&t("Vakant")), (vec![], vec![VACANT]));
        assert_eq!(parse_people(&t("saknas")), (vec![], vec![VACANT]));
        assert_eq!(parse_people(&t("N/A")), (vec![], vec![VACANT]));
        assert_eq!(parse_people(&t("-")), (vec![], vec![]));
        assert_eq!(parse_people(&Cell::Empty), (vec![], vec![]));
        assert_eq!(
            parse_people(&t("Anna Berg; vakant")),
            (vec![p("Anna Berg", None, None)], vec![VACANT])
        );
        assert_eq!(
            parse_people(&t("Anna Berg <anna@>")),
            (vec![p("Anna Berg", None, None)], vec![INVALID_EMAIL])
        );
    }

    #[test]
    fn text_helpers() {
        assert_eq!(
            one_line("  Microsoft\nExchange \n 2003 "),
            "Microsoft Exchange 2003"
        );
        assert_eq!(one_line("IT-\nenheten"), "IT-enheten");
        assert_eq!(one_line("Miljö- och hälsa"), "Miljö- och hälsa");
        assert_eq!(multi_line("\n  rad ett \n rad två\n\n"), "rad ett\nrad två");
        assert_eq!(plain_text(&Cell::Number(2.0)), Some("2".into()));
        assert_eq!(plain_text(&Cell::Number(2.1)), Some("2.1".into()));
    }
}
