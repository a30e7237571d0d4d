//! People in a cell: names, titles, e-mail addresses, vacancies.

use super::*;

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

/// An address the register accepts, without the brackets and separators
/// (`<`, `>`, `,`, `;`) that surround or divide addresses in a cell.
fn is_email(s: &str) -> bool {
    insyn_domain::validation::is_email(s) && !s.chars().any(|c| matches!(c, '<' | '>' | ',' | ';'))
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
