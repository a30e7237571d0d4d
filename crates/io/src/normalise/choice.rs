//! Hosting and lifecycle: the words municipalities use for them.

use super::*;

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

/// Letters and digits in lower case, other characters as single spaces.
fn words_of(s: &str) -> String {
    let lower: String = s
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}
