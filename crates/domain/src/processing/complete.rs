//! The completeness check of a record against GDPR art. 30(1), with the
//! items the issue adds beside it: the legal basis (art. 6.1, and its law
//! under art. 6.3), the DPIA decision (art. 35) and the systems involved
//! (without which the register cannot tell which systems the record covers).

use super::ProcessingDraft;
use serde::Serialize;

/// One item a record lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// Art. 30(1)(a): the controller's contact details (and the DPO's).
    Contact,
    /// Art. 30(1)(b).
    Purposes,
    /// Art. 6.1.
    LegalBasis,
    /// Art. 6.3: a legal obligation or a public task names its law.
    LegalReference,
    /// Art. 30(1)(c).
    DataSubjects,
    /// Art. 30(1)(c).
    DataCategories,
    /// Art. 30(1)(d) ("none" is an answer).
    Recipients,
    /// Art. 30(1)(e): a transfer without the safeguard it rests on.
    TransferMechanism,
    /// Art. 30(1)(f).
    Retention,
    /// Art. 30(1)(g).
    Measures,
    /// Art. 35: whether a DPIA is required is not decided.
    DpiaDecision,
    /// Art. 35: the decision gives no reason.
    DpiaReason,
    /// Art. 35: a required DPIA without its date or result.
    DpiaDone,
    /// No system is named.
    Systems,
}

impl Missing {
    /// The item's message key.
    pub fn key(self) -> &'static str {
        match self {
            Missing::Contact => "processing-missing-contact",
            Missing::Purposes => "processing-missing-purposes",
            Missing::LegalBasis => "processing-missing-legal-basis",
            Missing::LegalReference => "processing-missing-legal-reference",
            Missing::DataSubjects => "processing-missing-data-subjects",
            Missing::DataCategories => "processing-missing-data-categories",
            Missing::Recipients => "processing-missing-recipients",
            Missing::TransferMechanism => "processing-missing-transfer-mechanism",
            Missing::Retention => "processing-missing-retention",
            Missing::Measures => "processing-missing-measures",
            Missing::DpiaDecision => "processing-missing-dpia-decision",
            Missing::DpiaReason => "processing-missing-dpia-reason",
            Missing::DpiaDone => "processing-missing-dpia-done",
            Missing::Systems => "processing-missing-systems",
        }
    }
}

/// What the record lacks, in the order of art. 30(1); empty when complete.
pub fn missing(d: &ProcessingDraft) -> Vec<Missing> {
    let blank = |t: &Option<String>| t.as_deref().is_none_or(|s| s.trim().is_empty());
    let mut m = Vec::new();
    let mut lacks = |cond: bool, item: Missing| {
        if cond {
            m.push(item);
        }
    };
    lacks(blank(&d.contact), Missing::Contact);
    lacks(blank(&d.purposes), Missing::Purposes);
    lacks(d.legal_basis.is_none(), Missing::LegalBasis);
    lacks(
        d.legal_basis.is_some_and(|b| b.needs_reference()) && blank(&d.legal_reference),
        Missing::LegalReference,
    );
    lacks(blank(&d.data_subjects), Missing::DataSubjects);
    lacks(blank(&d.data_categories), Missing::DataCategories);
    lacks(blank(&d.recipients), Missing::Recipients);
    lacks(
        d.transfers.iter().any(|t| blank(&t.mechanism)),
        Missing::TransferMechanism,
    );
    lacks(blank(&d.retention), Missing::Retention);
    lacks(blank(&d.security_measures), Missing::Measures);
    lacks(d.dpia_required.is_none(), Missing::DpiaDecision);
    lacks(
        d.dpia_required.is_some() && blank(&d.dpia_reason),
        Missing::DpiaReason,
    );
    lacks(
        d.dpia_required == Some(true) && (d.dpia_date.is_none() || blank(&d.dpia_result)),
        Missing::DpiaDone,
    );
    lacks(d.system_ids.is_empty(), Missing::Systems);
    m
}

/// The missing items' message keys.
pub fn missing_keys(d: &ProcessingDraft) -> Vec<String> {
    missing(d).into_iter().map(|m| m.key().to_owned()).collect()
}
