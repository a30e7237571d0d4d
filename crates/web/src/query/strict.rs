//! What each query parameter of the API must be (strict, where the pages
//! are lenient): one table,
//! [`QUERY_PARAMS`], that the API's [`Query`](crate::extract::Query)
//! extractor enforces and the OpenAPI document describes, so the two cannot
//! disagree.

use insyn_domain::validation as v;
use insyn_domain::{FieldErrors, PageRequest};
use serde_json::{Value, json};

/// What a query parameter must be. The pages are lenient (an empty or
/// padded value counts as absent); the API is strict: a parameter is
/// either absent or exactly what the document says.
#[derive(Debug, Clone, Copy)]
pub enum Expect {
    /// A whole number in `min..=max`.
    Int { min: u64, max: u64, default: u64 },
    /// A UUID in its hyphenated form.
    Uuid,
    /// An RFC 3339 instant.
    DateTime,
    /// A day, `YYYY-MM-DD`.
    Date,
    /// One of these words.
    Choice(&'static [&'static str]),
    /// Free text of at most this many characters.
    Text { max: usize },
    /// A search: at most `MAX_SEARCH_CHARS` characters and `MAX_SEARCH_WORDS` words.
    Search,
    /// Free text.
    AnyText,
}

/// The words the register accepts for yes and no (as in its forms).
pub const BOOLEAN_WORDS: &[&str] = &[
    "true", "false", "1", "0", "on", "off", "yes", "no", "ja", "nej",
];

/// The longest search text, in characters.
pub const MAX_SEARCH_CHARS: usize = insyn_domain::validation::MAX_SEARCH_CHARS;

/// The most audit entries one request returns.
pub const MAX_AUDIT_LIMIT: u64 = 10_000;

const LIFECYCLES: &[&str] = &[
    "planned",
    "procuring",
    "in_operation",
    "phasing_out",
    "decommissioned",
];
/// An integration's criticality (`insyn_domain::integration::Criticality`).
const CRITICALITIES: &[&str] = &["low", "medium", "high", "critical"];
const SORTS: &[&str] = &["name", "unit", "lifecycle", "users", "go_live", "updated"];

/// Every query parameter of the API, by name.
pub const QUERY_PARAMS: &[(&str, Expect)] = &[
    ("q", Expect::Search),
    ("unit", Expect::Uuid),
    ("holder", Expect::Uuid),
    ("object_id", Expect::Uuid),
    ("lifecycle", Expect::Choice(LIFECYCLES)),
    ("sort", Expect::Choice(SORTS)),
    ("business_critical", Expect::Choice(BOOLEAN_WORDS)),
    ("no_owner", Expect::Choice(BOOLEAN_WORDS)),
    ("include_archived", Expect::Choice(BOOLEAN_WORDS)),
    ("desc", Expect::Choice(BOOLEAN_WORDS)),
    ("changed_since", Expect::DateTime),
    ("from", Expect::Date),
    ("to", Expect::Date),
    (
        "page",
        Expect::Int {
            min: 1,
            max: u32::MAX as u64,
            default: 1,
        },
    ),
    (
        "per_page",
        Expect::Int {
            min: 1,
            max: PageRequest::MAX_SIZE as u64,
            default: PageRequest::DEFAULT_SIZE as u64,
        },
    ),
    (
        "limit",
        Expect::Int {
            min: 1,
            max: MAX_AUDIT_LIMIT,
            default: 200,
        },
    ),
    ("capability", Expect::AnyText),
    ("tag", Expect::AnyText),
    ("actor", Expect::AnyText),
    ("object_type", Expect::AnyText),
    ("system", Expect::Uuid),
    ("criticality", Expect::Choice(CRITICALITIES)),
    (
        "depth",
        Expect::Int {
            min: 1,
            max: insyn_domain::integration::MAX_DEPTH as u64,
            default: 1,
        },
    ),
    ("supplier", Expect::Uuid),
    ("finding", Expect::Choice(LICENCE_FINDINGS)),
    ("step", Expect::Choice(ESERVICE_STEPS)),
];

/// A licence's findings (`insyn_domain::licence::LicenceFinding`).
const LICENCE_FINDINGS: &[&str] = &["overuse", "idle", "ended"];

/// An e-service's step on Utvecklingstrappan (`insyn_domain::eservice::EServiceStep`).
const ESERVICE_STEPS: &[&str] = &["information", "interaction", "transaction", "integration"];

/// The contract list's sorts (`insyn_store::contracts::ContractSort`).
const CONTRACT_SORTS: &[&str] = &["notice_day", "name", "supplier", "status"];

/// Parameters whose meaning depends on the path they are sent to (matched
/// by the path's end), checked instead of [`QUERY_PARAMS`]' entry of the
/// same name.
pub const PATH_QUERY_PARAMS: &[(&str, &str, Expect)] = &[
    ("/contracts", "sort", Expect::Choice(CONTRACT_SORTS)),
    // The change feed's cursor and page size (`insyn_domain::feed`).
    (
        "/changes",
        "after",
        Expect::Int {
            min: 0,
            max: i64::MAX as u64,
            default: 0,
        },
    ),
    (
        "/changes",
        "limit",
        Expect::Int {
            min: 1,
            max: insyn_domain::feed::FEED_MAX_LIMIT as u64,
            default: insyn_domain::feed::FEED_DEFAULT_LIMIT as u64,
        },
    ),
];

/// The message key for a number outside its range.
pub const OUT_OF_RANGE: &str = "error-out-of-range";

pub(crate) fn expect_of(name: &str) -> Option<Expect> {
    QUERY_PARAMS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, e)| *e)
}

/// What a query parameter sent to `path` must be.
pub(crate) fn expect_on(path: &str, name: &str) -> Option<Expect> {
    PATH_QUERY_PARAMS
        .iter()
        .find(|(p, n, _)| path.ends_with(p) && *n == name)
        .map(|(_, _, e)| *e)
        .or_else(|| expect_of(name))
}

/// Checks a query string against [`QUERY_PARAMS`]; names it does not know
/// are left to the handler (which ignores them).
pub fn check_query(query: &str) -> Result<(), FieldErrors> {
    check_query_on("", query)
}

/// Checks a query string sent to `path` against [`PATH_QUERY_PARAMS`] and
/// [`QUERY_PARAMS`].
pub fn check_query_on(path: &str, query: &str) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::new();
    for (name, value) in form_urlencoded_pairs(query) {
        let Some(expect) = expect_on(path, &name) else {
            continue;
        };
        if e.get(&name).is_some() {
            continue;
        }
        if let Err(code) = check_value(expect, &value) {
            e.add(&name, code);
        }
    }
    e.into_result(())
}

fn form_urlencoded_pairs(query: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap_or_default()
}

fn check_value(expect: Expect, s: &str) -> Result<(), &'static str> {
    match expect {
        Expect::Int { min, max, .. } => {
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(v::NOT_A_NUMBER);
            }
            match s.parse::<u64>() {
                Ok(n) if (min..=max).contains(&n) => Ok(()),
                _ => Err(OUT_OF_RANGE),
            }
        }
        Expect::Uuid => {
            if s.len() == 36 && uuid::Uuid::try_parse(s).is_ok() {
                Ok(())
            } else {
                Err(v::UNKNOWN_REFERENCE)
            }
        }
        Expect::DateTime => chrono::DateTime::parse_from_rfc3339(s)
            .map(|_| ())
            .map_err(|_| v::NOT_A_DATE),
        Expect::Date => {
            let b = s.as_bytes();
            if b.len() == 10
                && b[4] == b'-'
                && b[7] == b'-'
                && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
            {
                Ok(())
            } else {
                Err(v::NOT_A_DATE)
            }
        }
        Expect::Choice(words) => {
            if words.contains(&s) {
                Ok(())
            } else {
                Err(v::UNKNOWN_CHOICE)
            }
        }
        Expect::Text { max } => {
            if s.chars().count() <= max {
                Ok(())
            } else {
                Err(v::TOO_LONG)
            }
        }
        Expect::Search => {
            let mut e = insyn_domain::FieldErrors::new();
            v::search(&mut e, "q", Some(s));
            match e.0.first() {
                None => Ok(()),
                Some(p) => Err(p.code),
            }
        }
        Expect::AnyText => Ok(()),
    }
}

pub(crate) fn schema_of(expect: Expect) -> Value {
    match expect {
        Expect::Int { min, max, default } => {
            json!({ "type": "integer", "minimum": min, "maximum": max, "default": default })
        }
        Expect::Uuid => json!({ "type": "string", "format": "uuid" }),
        Expect::DateTime => json!({ "type": "string", "format": "date-time" }),
        Expect::Date => json!({ "type": "string", "format": "date" }),
        Expect::Choice(words) => json!({ "type": "string", "enum": words }),
        Expect::Text { max } => json!({ "type": "string", "maxLength": max }),
        Expect::Search => json!({
            "type": "string",
            "maxLength": MAX_SEARCH_CHARS,
            "pattern": v::SEARCH_PATTERN,
        }),
        Expect::AnyText => json!({ "type": "string" }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use insyn_domain::{Lifecycle, SystemSort};

    #[test]
    fn the_criticality_words_are_the_domains() {
        let words: Vec<&str> = insyn_domain::integration::Criticality::ALL
            .iter()
            .map(|c| c.as_str())
            .collect();
        assert_eq!(CRITICALITIES, words.as_slice());
        assert!(check_query("criticality=high&system=&depth=4").is_err());
    }

    #[test]
    fn query_values_are_checked_as_documented() {
        assert!(check_query("per_page=500&page=1").is_ok());
        let e = check_query("per_page=501&page=0").unwrap_err();
        assert_eq!(e.get("per_page"), Some(OUT_OF_RANGE));
        assert_eq!(e.get("page"), Some(OUT_OF_RANGE));
        assert_eq!(
            check_query("per_page=").unwrap_err().get("per_page"),
            Some(v::NOT_A_NUMBER)
        );
        assert_eq!(
            check_query("lifecycle=%20planned")
                .unwrap_err()
                .get("lifecycle"),
            Some(v::UNKNOWN_CHOICE)
        );
        assert!(
            check_query("lifecycle=planned&desc=ja&unit=0190c3a0-0000-7000-8000-000000000000")
                .is_ok()
        );
        let long = "a".repeat(MAX_SEARCH_CHARS + 1);
        assert_eq!(
            check_query(&format!("q={long}")).unwrap_err().get("q"),
            Some(v::SEARCH_TOO_LONG)
        );
        assert!(check_query("from=2026-01-31&to=2026-1-31").is_err());
        assert!(check_query("changed_since=2026-01-31T10:00:00Z&unknown=x").is_ok());
    }

    #[test]
    fn the_tables_match_the_domain() {
        let lifecycles: Vec<&str> = Lifecycle::ALL.iter().map(|l| l.as_str()).collect();
        assert_eq!(lifecycles, LIFECYCLES);
        let sorts: Vec<&str> = SystemSort::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(sorts, SORTS);
        let sorts: Vec<&str> = insyn_store::contracts::ContractSort::ALL
            .iter()
            .map(|s| s.as_str())
            .collect();
        assert_eq!(sorts, CONTRACT_SORTS);
        assert!(check_query_on("/api/v1/orgs/k/contracts", "sort=notice_day").is_ok());
        assert!(check_query_on("/api/v1/orgs/k/systems", "sort=notice_day").is_err());
        assert!(check_query_on("/api/v1/orgs/k/contracts", "sort=unit").is_err());
    }
}
