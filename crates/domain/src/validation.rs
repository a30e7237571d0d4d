//! Field-level validation errors. Messages are keys into the message files
//! (`error-…`), so that the web layer can show them in the user's language
//! beside the field, and the API can return them as problem details.

use serde::Serialize;

/// One problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's name as in the form and the API (`name`, `go_live_date`, …).
    pub field: String,
    /// A message key, e.g. `error-required`.
    pub code: &'static str,
    /// For a choice outside the allowed values: the values that are allowed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<String>,
}

/// All problems found in one input. Empty means valid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, code: &'static str) {
        self.0.push(FieldError {
            field: field.to_owned(),
            code,
            allowed: vec![],
        });
    }

    /// A value outside a known list: [`UNKNOWN_CHOICE`] with the allowed
    /// values, or [`NO_CHOICES`] when nothing is allowed.
    pub fn add_choice<S: ToString>(&mut self, field: &str, allowed: &[S]) {
        self.0.push(FieldError {
            field: field.to_owned(),
            code: if allowed.is_empty() {
                NO_CHOICES
            } else {
                UNKNOWN_CHOICE
            },
            allowed: allowed.iter().map(ToString::to_string).collect(),
        });
    }

    /// The first error for a field, with the allowed values if it lists them.
    pub fn get_error(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| e.field == field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first error for a field, if any.
    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.code)
    }

    /// `Ok(value)` when no error was recorded.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    pub fn single(field: &str, code: &'static str) -> Self {
        let mut e = Self::new();
        e.add(field, code);
        e
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.code))
            .collect();
        f.write_str(&parts.join(", "))
    }
}

impl std::error::Error for FieldErrors {}

pub const REQUIRED: &str = "error-required";
pub const TOO_LONG: &str = "error-too-long";
pub const NOT_A_NUMBER: &str = "error-not-a-number";
pub const NEGATIVE: &str = "error-negative";
pub const NOT_A_DATE: &str = "error-not-a-date";
pub const END_BEFORE_START: &str = "error-end-before-start";
pub const UNKNOWN_CHOICE: &str = "error-unknown-choice";
pub const NO_CHOICES: &str = "error-no-choices";
pub const UNKNOWN_REFERENCE: &str = "error-unknown-reference";
pub const NOT_AN_EMAIL: &str = "error-not-an-email";
pub const NOT_A_URL: &str = "error-not-a-url";
pub const NOT_A_SLUG: &str = "error-not-a-slug";
pub const TAKEN: &str = "error-taken";
pub const CYCLE: &str = "error-cycle";
pub const WRONG_TARGET: &str = "error-wrong-target";
pub const WRONG_TYPE: &str = "error-wrong-type";
pub const IN_FUTURE: &str = "error-in-future";
pub const INCOMPLETE: &str = "error-incomplete";
pub const NOT_IN_FUTURE: &str = "error-not-in-future";
pub const SEARCH_TOO_LONG: &str = "error-search-too-long";
/// A system already holds as many records of the kind as one may.
pub const SYSTEM_FULL: &str = "error-system-full";

/// The most records of one kind (backups, record types, erasure records,
/// benefit assessments) a system holds, so that every list and gate that
/// reads them all stays bounded.
pub const MAX_PER_SYSTEM: i64 = 500;

/// Every message key this module can produce; the i18n test checks that
/// each one exists in every language.
pub const ALL_CODES: &[&str] = &[
    REQUIRED,
    TOO_LONG,
    NOT_A_NUMBER,
    NEGATIVE,
    NOT_A_DATE,
    END_BEFORE_START,
    UNKNOWN_CHOICE,
    NO_CHOICES,
    UNKNOWN_REFERENCE,
    NOT_AN_EMAIL,
    NOT_A_URL,
    NOT_A_SLUG,
    TAKEN,
    CYCLE,
    WRONG_TARGET,
    WRONG_TYPE,
    IN_FUTURE,
    INCOMPLETE,
    NOT_IN_FUTURE,
    SEARCH_TOO_LONG,
    SYSTEM_FULL,
    crate::webhook::URL_SCHEME,
    crate::webhook::URL_CREDENTIALS,
    crate::webhook::TOO_MANY,
    crate::webhook::NOT_PARKED,
];

/// The longest search, in characters.
pub const MAX_SEARCH_CHARS: usize = 200;
/// The most words in one search.
pub const MAX_SEARCH_WORDS: usize = 10;

/// A search string within the limits (trimmed; `None` when empty), or the
/// error for `field`. Every search of every list and page goes through it,
/// so no request can make the database match an unbounded pattern.
pub fn search(e: &mut FieldErrors, field: &str, q: Option<&str>) -> Option<String> {
    let raw = q?;
    // Counted as sent (spaces too), so that the API document's maxLength is exact.
    if raw.chars().count() > MAX_SEARCH_CHARS || search_words(raw) > MAX_SEARCH_WORDS {
        e.add(field, SEARCH_TOO_LONG);
        return None;
    }
    // Control characters (NUL above all) match nothing and no database takes
    // them in a pattern: they are dropped.
    let q: String = raw
        .chars()
        .filter(|c| !c.is_control() || c.is_whitespace())
        .collect();
    Some(q.trim().to_owned()).filter(|q| !q.is_empty())
}

/// The words of a search: what lies between white space, where white space
/// is also the four separator controls that regular expressions' `\s`
/// counts (so the document's pattern and this count agree).
pub fn search_words(q: &str) -> usize {
    q.split(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
        .filter(|w| !w.is_empty())
        .count()
}

/// The pattern of a search of at most [`MAX_SEARCH_WORDS`] words.
pub const SEARCH_PATTERN: &str = r"^\s*\S*(\s+\S+){0,9}\s*$";

#[cfg(test)]
mod search_tests {
    use super::*;

    #[test]
    fn searches_within_the_limits_only() {
        let mut e = FieldErrors::new();
        assert_eq!(
            search(&mut e, "q", Some("  ekonomi lön ")),
            Some("ekonomi lön".into())
        );
        assert_eq!(search(&mut e, "q", Some("   ")), None);
        assert!(e.is_empty());
        let ten = ["ord"; 10].join(" ");
        assert!(search(&mut e, "q", Some(&ten)).is_some());
        assert!(e.is_empty());
        search(&mut e, "q", Some(&format!("{ten} elva")));
        assert_eq!(e.get("q"), Some(SEARCH_TOO_LONG));
        let mut e = FieldErrors::new();
        search(&mut e, "q", Some(&" ".repeat(MAX_SEARCH_CHARS + 1)));
        assert_eq!(e.get("q"), Some(SEARCH_TOO_LONG), "counted as sent");
        assert_eq!(search_words("a\u{1f}b\tc"), 3);
        assert_eq!(
            MAX_SEARCH_WORDS, 10,
            "SEARCH_PATTERN says {{0,9}} more words"
        );
    }
}

/// Input that can say what is wrong with it without a database: the API
/// reports these together with values of the wrong type.
pub trait Validate {
    fn problems(&self) -> FieldErrors;
}

/// Trims a text; `None` when nothing is left.
pub fn clean(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Checks a required text field and its length; returns the trimmed text.
/// The length is the text's as sent, spaces around it included, so that the
/// API's documented `maxLength` is exactly the limit.
pub fn required_text(errors: &mut FieldErrors, field: &str, value: &str, max: usize) -> String {
    let v = value.trim();
    if v.is_empty() {
        errors.add(field, REQUIRED);
    } else if value.chars().count() > max {
        errors.add(field, TOO_LONG);
    }
    v.to_owned()
}

/// Checks an optional text field's length (as sent, like [`required_text`]);
/// returns the trimmed text or `None`.
pub fn optional_text(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    let v = clean(value);
    if value.is_some_and(|s| s.chars().count() > max) {
        errors.add(field, TOO_LONG);
    }
    v
}

/// A whole, non-negative number as people write it: "1 250", "1250", "1\u{a0}250".
pub fn parse_count(s: &str) -> Result<i64, &'static str> {
    let digits: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}')
        .collect();
    if digits.is_empty() {
        return Err(NOT_A_NUMBER);
    }
    if digits.starts_with('-') && digits[1..].chars().all(|c| c.is_ascii_digit()) {
        return Err(NEGATIVE);
    }
    digits.parse::<i64>().map_err(|_| NOT_A_NUMBER)
}

/// A date as `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Result<chrono::NaiveDate, &'static str> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| NOT_A_DATE)
}

/// A plausible e-mail address: something@something.something, no spaces.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(char::is_whitespace)
        && !domain.contains('@')
}

/// An http(s) URL, or an internal path such as `\\server\share` is not allowed:
/// documentation links must open in a browser.
pub fn is_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && s.len() > "https://".len()
        && !s.chars().any(char::is_whitespace)
}

/// A slug for URLs: lower-case ASCII letters, digits and hyphens.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 60
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_as_people_write_them() {
        assert_eq!(parse_count("1 250"), Ok(1250));
        assert_eq!(parse_count("1\u{a0}250"), Ok(1250));
        assert_eq!(parse_count("42"), Ok(42));
        assert_eq!(parse_count("-3"), Err(NEGATIVE));
        assert_eq!(parse_count("många"), Err(NOT_A_NUMBER));
        assert_eq!(parse_count(""), Err(NOT_A_NUMBER));
    }

    #[test]
    fn emails_urls_slugs() {
        assert!(is_email("anna.andersson@kommun.se"));
        assert!(!is_email("anna"));
        assert!(!is_email("anna@kommun"));
        assert!(!is_email("an na@kommun.se"));
        assert!(is_url("https://intranat.kommun.se/treserva"));
        assert!(!is_url("ftp://x"));
        assert!(!is_url("https://"));
        assert!(is_slug("sodertalje"));
        assert!(is_slug("telge-energi"));
        assert!(!is_slug("Södertälje"));
        assert!(!is_slug("-x"));
    }

    #[test]
    fn required_and_optional_text() {
        let mut e = FieldErrors::new();
        assert_eq!(required_text(&mut e, "name", "  Treserva ", 11), "Treserva");
        assert!(e.is_empty());
        required_text(&mut e, "name", "   ", 10);
        assert_eq!(e.get("name"), Some(REQUIRED));
        // The limit counts the text as sent (the API documents it as maxLength).
        let mut e = FieldErrors::new();
        required_text(&mut e, "name", "Treserva   ", 10);
        assert_eq!(e.get("name"), Some(TOO_LONG));
        let mut e = FieldErrors::new();
        assert_eq!(optional_text(&mut e, "notes", Some("  "), 5), None);
        assert!(e.is_empty());
        optional_text(&mut e, "notes", Some("abcdef"), 5);
        assert_eq!(e.get("notes"), Some(TOO_LONG));
        let mut e = FieldErrors::new();
        optional_text(&mut e, "notes", Some("abc   "), 5);
        assert_eq!(e.get("notes"), Some(TOO_LONG));
    }
}
