//! Hosting and lifecycle: the words municipalities use for them.

use super::*;

/// Hosting from Swedish or English words: SaaS, molntjänst → SaaS; extern
/// drift, outsourcad, hos leverantören → external; egen drift, internt,
/// lokalt, on-prem → internal.
pub fn parse_hosting(cell: &Cell) -> Outcome<Hosting> {
    choice(cell, Hosting::parse, HOSTING_WORDS, UNKNOWN_HOSTING)
}

/// Lifecycle from Swedish or English words: i drift, planerad, upphandling,
/// avvecklas, avvecklad (and planned, procurement, in operation, phasing
/// out, decommissioned).
pub fn parse_lifecycle(cell: &Cell) -> Outcome<Lifecycle> {
    choice(cell, Lifecycle::parse, LIFECYCLE_WORDS, UNKNOWN_LIFECYCLE)
}

/// Each hosting with the words (or starts of words) that mean it; the first
/// that the cell contains decides.
const HOSTING_WORDS: &[(Hosting, &[&str])] = &[
    (
        Hosting::Saas,
        &["saas", "moln", "cloud", "software as a service"],
    ),
    (
        Hosting::External,
        &[
            "extern",
            "outsourc",
            "leverantör",
            "driftleverantör",
            "hosted",
            "hosting",
            "partner",
        ],
    ),
    (
        Hosting::Internal,
        &[
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
        ],
    ),
];

/// Each lifecycle with the words that mean it, the first found deciding:
/// the ended states before "drift", which "ur drift" also contains.
const LIFECYCLE_WORDS: &[(Lifecycle, &[&str])] = &[
    (
        Lifecycle::Decommissioned,
        &[
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
        ],
    ),
    (
        Lifecycle::PhasingOut,
        &[
            "avveckl",
            "utfas",
            "fasas ut",
            "ersätts",
            "phasing out",
            "phase out",
            "being retired",
        ],
    ),
    (Lifecycle::Procuring, &["upphandl", "procur", "tender"]),
    (
        Lifecycle::Planned,
        &[
            "planer",
            "planned",
            "införande",
            "införs",
            "pilot",
            "kommande",
        ],
    ),
    (
        Lifecycle::InOperation,
        &[
            "drift",
            "aktiv",
            "produktion",
            "används",
            "in operation",
            "active",
            "in production",
            "live",
            "operational",
        ],
    ),
];

/// A choice written as its code (`exact`), or else the first of `words`
/// whose words the cell contains; `unknown` when none is.
fn choice<T: Copy>(
    cell: &Cell,
    exact: fn(&str) -> Option<T>,
    words: &[(T, &[&str])],
    unknown: &'static str,
) -> Outcome<T> {
    let Some(t) = text_of(cell) else {
        return Ok((None, vec![]));
    };
    if let Some(v) = exact(&t.to_lowercase()) {
        return Ok((Some(v), vec![]));
    }
    let w = words_of(&t);
    words
        .iter()
        .find(|(_, keys)| keys.iter().any(|k| w.contains(k)))
        .map(|(v, _)| (Some(*v), vec![]))
        .ok_or(unknown)
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
