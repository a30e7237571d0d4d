//! Processor agreements (personuppgiftsbiträdesavtal, PUB-avtal, GDPR art.
//! 28): one per supplier and the systems it covers, with its signed date,
//! the contract it is part of, sub-processors (underbiträden), transfers to
//! third countries (tredjelandsöverföringar) with their mechanism, and the
//! supervision of the processor (an interval, the last review and the next).
//! Whether an agreement is valid today, and why not in words, is computed in
//! `status.rs`. No I/O: the store gathers the facts.

mod status;
#[cfg(test)]
mod tests;

pub use status::*;

use crate::contract::SystemRef;
use crate::ids::{ContractId, OrgId, ProcessorAgreementId, SupplierId, SystemId};
use crate::model::text_enum;
use crate::validation::{self as v, FieldErrors};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The most systems one agreement may cover.
pub const MAX_SYSTEMS: usize = 200;
/// The most sub-processors or transfers one agreement may list.
pub const MAX_ENTRIES: usize = 50;
/// The longest supervision interval in months (ten years).
pub const MAX_INTERVAL_MONTHS: u32 = 120;
pub const MAX_NAME: usize = 200;
pub const MAX_ACTIVITY: usize = 500;
pub const MAX_NOTE: usize = 2000;
pub const MAX_REFERENCE: usize = 100;

pub const INVALID_COUNTRY: &str = "error-processor-country";
pub const INTERVAL_OUT_OF_RANGE: &str = "error-processor-interval";
pub const ENDS_BEFORE_SIGNED: &str = "error-processor-ends-before-signed";
pub const TOO_MANY: &str = "error-processor-too-many";

/// Every message key this module can produce.
pub const ERROR_CODES: &[&str] = &[
    INVALID_COUNTRY,
    INTERVAL_OUT_OF_RANGE,
    ENDS_BEFORE_SIGNED,
    TOO_MANY,
];

text_enum!(
    /// The legal ground for a transfer of personal data to a third country
    /// (GDPR chapter V).
    TransferMechanism {
        /// The Commission's adequacy decision for the country (art. 45).
        AdequacyDecision = "adequacy_decision",
        /// Standard contractual clauses (standardavtalsklausuler, art. 46.2 c).
        StandardContractualClauses = "standard_contractual_clauses",
        /// The EU–US Data Privacy Framework (an adequacy decision for
        /// certified US organisations).
        DataPrivacyFramework = "data_privacy_framework",
        /// Binding corporate rules (art. 47).
        BindingCorporateRules = "binding_corporate_rules",
        /// No mechanism: the transfer has no legal ground.
        None = "none",
    }
);

/// A sub-processor (underbiträde) the processor engages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SubProcessor {
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub name: String,
    /// Where it processes the data: an ISO 3166-1 alpha-2 code (SE, US).
    #[cfg_attr(feature = "openapi", schema(max_length = 2))]
    pub country: String,
    /// What it does (hosting, support, backup …).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub activity: Option<String>,
}

/// A transfer of personal data to a country outside the EU/EEA.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    /// An ISO 3166-1 alpha-2 code (US, IN).
    #[cfg_attr(feature = "openapi", schema(max_length = 2))]
    pub country: String,
    pub mechanism: TransferMechanism,
    /// Who receives the data there, or what for.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub note: Option<String>,
}

/// A processor agreement as created or edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProcessorDraft {
    /// The processor (personuppgiftsbiträdet): one of the organisation's suppliers.
    pub supplier_id: SupplierId,
    /// The systems whose personal data the agreement covers.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 200))]
    pub system_ids: Vec<SystemId>,
    /// The contract the agreement is part of (a processor agreement contract).
    #[serde(default)]
    pub contract_id: Option<ContractId>,
    /// The municipality's reference or diary number.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub reference: Option<String>,
    /// When it was signed; without it the agreement is a draft.
    #[serde(default)]
    pub signed_on: Option<NaiveDate>,
    /// The last day it applies, if it ends.
    #[serde(default)]
    pub ends_on: Option<NaiveDate>,
    /// The day it was terminated, if it was.
    #[serde(default)]
    pub terminated_on: Option<NaiveDate>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub sub_processors: Vec<SubProcessor>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub transfers: Vec<Transfer>,
    /// How often the processor is reviewed (tillsyn), in months.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 120))]
    pub review_interval_months: Option<u32>,
    /// When the processor was last reviewed.
    #[serde(default)]
    pub last_review_on: Option<NaiveDate>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub note: Option<String>,
}

/// An ISO 3166-1 alpha-2 code in capitals, if `s` is one.
pub fn country_code(s: &str) -> Option<String> {
    let c = s.trim().to_ascii_uppercase();
    (c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())).then_some(c)
}

impl ProcessorDraft {
    /// An empty draft with the supplier.
    pub fn new(supplier_id: SupplierId) -> Self {
        ProcessorDraft {
            supplier_id,
            system_ids: vec![],
            contract_id: None,
            reference: None,
            signed_on: None,
            ends_on: None,
            terminated_on: None,
            sub_processors: vec![],
            transfers: vec![],
            review_interval_months: None,
            last_review_on: None,
            note: None,
        }
    }

    /// Trims the texts, writes the countries in capitals and checks what
    /// needs no database.
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.reference = v::optional_text(
            &mut e,
            "reference",
            self.reference.as_deref(),
            MAX_REFERENCE,
        );
        self.note = v::optional_text(&mut e, "note", self.note.as_deref(), MAX_NOTE);
        if self.system_ids.len() > MAX_SYSTEMS {
            e.add("system_ids", TOO_MANY);
        }
        self.system_ids.sort();
        self.system_ids.dedup();
        if self.sub_processors.len() > MAX_ENTRIES {
            e.add("sub_processors", TOO_MANY);
        }
        for p in &mut self.sub_processors {
            p.name = v::required_text(&mut e, "sub_processors", &p.name, MAX_NAME);
            p.activity = v::optional_text(
                &mut e,
                "sub_processors",
                p.activity.as_deref(),
                MAX_ACTIVITY,
            );
            match country_code(&p.country) {
                Some(c) => p.country = c,
                None => e.add("sub_processors", INVALID_COUNTRY),
            }
        }
        if self.transfers.len() > MAX_ENTRIES {
            e.add("transfers", TOO_MANY);
        }
        for t in &mut self.transfers {
            t.note = v::optional_text(&mut e, "transfers", t.note.as_deref(), MAX_ACTIVITY);
            match country_code(&t.country) {
                Some(c) => t.country = c,
                None => e.add("transfers", INVALID_COUNTRY),
            }
        }
        if self
            .review_interval_months
            .is_some_and(|m| m == 0 || m > MAX_INTERVAL_MONTHS)
        {
            e.add("review_interval_months", INTERVAL_OUT_OF_RANGE);
        }
        if let Some(s) = self.signed_on {
            if self.ends_on.is_some_and(|x| x < s) {
                e.add("ends_on", ENDS_BEFORE_SIGNED);
            }
            if self.terminated_on.is_some_and(|x| x < s) {
                e.add("terminated_on", ENDS_BEFORE_SIGNED);
            }
        }
        e.into_result(self)
    }
}

impl v::Validate for ProcessorDraft {
    fn problems(&self) -> FieldErrors {
        self.clone().validate().err().unwrap_or_default()
    }
}

/// A processor agreement as stored, with its names and its state today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProcessorAgreement {
    pub id: ProcessorAgreementId,
    pub org_id: OrgId,
    pub supplier_id: SupplierId,
    pub supplier_name: String,
    pub systems: Vec<SystemRef>,
    pub contract_id: Option<ContractId>,
    pub contract_name: Option<String>,
    pub reference: Option<String>,
    pub signed_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub terminated_on: Option<NaiveDate>,
    pub sub_processors: Vec<SubProcessor>,
    pub transfers: Vec<Transfer>,
    pub review_interval_months: Option<u32>,
    pub last_review_on: Option<NaiveDate>,
    pub note: Option<String>,
    /// Its state on the day it was read, with the reasons in both languages.
    pub assessment: Assessment,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ProcessorAgreement {
    /// The draft that would write this agreement again.
    pub fn draft(&self) -> ProcessorDraft {
        ProcessorDraft {
            supplier_id: self.supplier_id,
            system_ids: self.systems.iter().map(|s| s.id).collect(),
            contract_id: self.contract_id,
            reference: self.reference.clone(),
            signed_on: self.signed_on,
            ends_on: self.ends_on,
            terminated_on: self.terminated_on,
            sub_processors: self.sub_processors.clone(),
            transfers: self.transfers.clone(),
            review_interval_months: self.review_interval_months,
            last_review_on: self.last_review_on,
            note: self.note.clone(),
        }
    }
}
