//! Whether a processor agreement holds today, and why not, in Swedish and
//! English: signed and in force, every third-country transfer with a
//! mechanism that fits its country, every sub-processor outside the EU/EEA
//! covered by a transfer, and the supervision (tillsyn) on time.

use super::{ProcessorDraft, TransferMechanism};
use crate::access::Language;
use crate::model::text_enum;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The EU and EEA countries (ISO 3166-1 alpha-2): not third countries.
pub const EEA: &[&str] = &[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IS",
    "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// Countries with a general adequacy decision of the Commission (art. 45),
/// as of 2025. The United States' is the Data Privacy Framework, for
/// certified organisations only, so it is its own mechanism.
pub const ADEQUATE: &[&str] = &[
    "AD", "AR", "CA", "CH", "FO", "GB", "GG", "IL", "IM", "JE", "JP", "KR", "NZ", "UY",
];

/// Whether the country is outside the EU/EEA.
pub fn is_third_country(code: &str) -> bool {
    !EEA.contains(&code)
}

text_enum!(
    /// A processor agreement's state on a day.
    ProcessorStatus {
        /// Not signed (yet).
        Draft = "draft",
        /// In force, with its transfers grounded and its supervision on time.
        Valid = "valid",
        /// In force, but the processor's review is past due.
        ReviewOverdue = "review_overdue",
        /// Signed, but a transfer lacks a fitting legal ground.
        NotValid = "not_valid",
        /// Past its last day.
        Expired = "expired",
        Terminated = "terminated",
    }
);

impl ProcessorStatus {
    /// Whether the agreement covers its systems (an overdue review is a task
    /// for the owner, not a missing agreement).
    pub fn covers(self) -> bool {
        matches!(
            self,
            ProcessorStatus::Valid | ProcessorStatus::ReviewOverdue
        )
    }
}

/// Why an agreement is not valid, or what is late.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    NotSigned,
    Terminated(NaiveDate),
    Expired(NaiveDate),
    TransferWithoutMechanism { country: String },
    NoAdequacyDecision { country: String },
    FrameworkOnlyUs { country: String },
    SubProcessorWithoutTransfer { name: String, country: String },
    ReviewOverdue(NaiveDate),
}

impl Problem {
    /// The problem in words.
    pub fn words(&self, lang: Language) -> String {
        use Problem::*;
        let sv = lang == Language::Sv;
        match self {
            NotSigned if sv => "Avtalet är inte undertecknat.".into(),
            NotSigned => "The agreement is not signed.".into(),
            Terminated(d) if sv => format!("Avtalet sades upp {d}."),
            Terminated(d) => format!("The agreement was terminated on {d}."),
            Expired(d) if sv => format!("Avtalet upphörde att gälla {d}."),
            Expired(d) => format!("The agreement ended on {d}."),
            TransferWithoutMechanism { country } if sv => format!(
                "Tredjelandsöverföringen till {country} saknar överföringsmekanism (GDPR kap. V): avtalet är inte giltigt."
            ),
            TransferWithoutMechanism { country } => format!(
                "The transfer to the third country {country} has no transfer mechanism (GDPR chapter V): the agreement is not valid."
            ),
            NoAdequacyDecision { country } if sv => format!(
                "{country} har inget beslut om adekvat skyddsnivå: överföringen dit behöver en annan mekanism."
            ),
            NoAdequacyDecision { country } => format!(
                "{country} has no adequacy decision: the transfer there needs another mechanism."
            ),
            FrameworkOnlyUs { country } if sv => format!(
                "EU–US Data Privacy Framework gäller bara överföringar till USA, inte till {country}."
            ),
            FrameworkOnlyUs { country } => format!(
                "The EU–US Data Privacy Framework covers transfers to the United States only, not to {country}."
            ),
            SubProcessorWithoutTransfer { name, country } if sv => format!(
                "Underbiträdet {name} behandlar uppgifter i {country}, men ingen tredjelandsöverföring dit är registrerad."
            ),
            SubProcessorWithoutTransfer { name, country } => format!(
                "The sub-processor {name} processes data in {country}, but no third-country transfer there is recorded."
            ),
            ReviewOverdue(d) if sv => format!("Tillsynen av biträdet skulle ha gjorts senast {d}."),
            ReviewOverdue(d) => format!("The processor's review was due on {d}."),
        }
    }
}

/// An agreement's state on a day, with the reasons in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assessment {
    pub status: ProcessorStatus,
    /// When the processor is next to be reviewed: one interval after the
    /// last review, or after signing if never reviewed.
    pub next_review_on: Option<NaiveDate>,
    /// Why it is not valid, or what is late, in Swedish.
    pub reasons_sv: Vec<String>,
    /// The same in English.
    pub reasons_en: Vec<String>,
}

/// The problems of the agreement's transfers and sub-processors.
pub fn transfer_problems(d: &ProcessorDraft) -> Vec<Problem> {
    use TransferMechanism as M;
    let mut out = vec![];
    for t in d.transfers.iter().filter(|t| is_third_country(&t.country)) {
        let country = t.country.clone();
        match t.mechanism {
            M::None => out.push(Problem::TransferWithoutMechanism { country }),
            M::AdequacyDecision if !ADEQUATE.contains(&t.country.as_str()) => {
                out.push(Problem::NoAdequacyDecision { country })
            }
            M::DataPrivacyFramework if t.country != "US" => {
                out.push(Problem::FrameworkOnlyUs { country })
            }
            _ => {}
        }
    }
    for p in &d.sub_processors {
        if is_third_country(&p.country) && !d.transfers.iter().any(|t| t.country == p.country) {
            out.push(Problem::SubProcessorWithoutTransfer {
                name: p.name.clone(),
                country: p.country.clone(),
            });
        }
    }
    out
}

/// When the processor is next to be reviewed.
pub fn next_review(d: &ProcessorDraft) -> Option<NaiveDate> {
    let from = d.last_review_on.or(d.signed_on)?;
    from.checked_add_months(Months::new(d.review_interval_months?))
}

/// The state of the agreement on `today` and the problems behind it.
pub fn status(d: &ProcessorDraft, today: NaiveDate) -> (ProcessorStatus, Vec<Problem>) {
    if let Some(t) = d.terminated_on.filter(|t| *t <= today) {
        return (ProcessorStatus::Terminated, vec![Problem::Terminated(t)]);
    }
    if let Some(e) = d.ends_on.filter(|e| *e < today) {
        return (ProcessorStatus::Expired, vec![Problem::Expired(e)]);
    }
    if d.signed_on.is_none_or(|s| s > today) {
        return (ProcessorStatus::Draft, vec![Problem::NotSigned]);
    }
    let problems = transfer_problems(d);
    if !problems.is_empty() {
        return (ProcessorStatus::NotValid, problems);
    }
    match next_review(d).filter(|n| *n < today) {
        Some(n) => (
            ProcessorStatus::ReviewOverdue,
            vec![Problem::ReviewOverdue(n)],
        ),
        None => (ProcessorStatus::Valid, vec![]),
    }
}

impl Assessment {
    pub fn of(d: &ProcessorDraft, today: NaiveDate) -> Self {
        let (status, problems) = status(d, today);
        let words = |l| problems.iter().map(|p| p.words(l)).collect();
        Assessment {
            status,
            next_review_on: next_review(d),
            reasons_sv: words(Language::Sv),
            reasons_en: words(Language::En),
        }
    }
}

/// Whether the reminder of the processor's next review is due on `today`:
/// from `lead_days` before the review day until the day itself. Keyed by
/// the review day, so a new last review re-arms it.
pub fn review_reminder_due(next_review: NaiveDate, lead_days: u32, today: NaiveDate) -> bool {
    let from = next_review
        .checked_sub_days(chrono::Days::new(u64::from(lead_days)))
        .unwrap_or(next_review);
    (from..=next_review).contains(&today)
}

/// The reminder mail of a processor's review: (subject, body); the link is
/// full after `public_url` (`--public-url`) when given.
pub fn review_reminder(
    lang: Language,
    public_url: Option<&str>,
    org_slug: &str,
    supplier: &str,
    agreement: &str,
    systems: &str,
    day: NaiveDate,
) -> (String, String) {
    let link = crate::reminder_mail::mail_link(
        public_url,
        &format!("/o/{org_slug}/processors/{agreement}"),
    );
    match lang {
        Language::Sv => (
            format!("Tillsyn av personuppgiftsbiträdet {supplier} senast {day}"),
            format!(
                "Personuppgiftsbiträdesavtalet med {supplier} ({systems}) ska följas upp: nästa tillsyn av biträdet ska göras senast {day} (GDPR art. 28.3 h).\n\nRegistrera tillsynen i avtalet: {link}\n"
            ),
        ),
        Language::En => (
            format!("Review of the processor {supplier} due by {day}"),
            format!(
                "The data processing agreement with {supplier} ({systems}) is due for follow-up: the processor's next review is due by {day} (GDPR art. 28.3 h).\n\nRecord the review in the agreement: {link}\n"
            ),
        ),
    }
}
