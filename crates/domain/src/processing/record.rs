//! A record of processing as entered (its draft, the fields of art. 30(1)
//! and the DPIA) and as stored.

use super::{MAX_ITEMS, MAX_SHORT, MAX_TEXT};
use crate::ids::{OrgId, ProcessingRecordId, ProcessorAgreementId, SystemId, UnitId};
use crate::model::text_enum;
use crate::validation::{self as v, FieldErrors};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

text_enum!(
    /// The legal basis of the processing (GDPR art. 6.1 a–f).
    LegalBasis {
        /// a) consent (samtycke)
        Consent = "consent",
        /// b) a contract with the data subject (avtal)
        Contract = "contract",
        /// c) a legal obligation (rättslig förpliktelse)
        LegalObligation = "legal_obligation",
        /// d) vital interests (grundläggande intressen)
        VitalInterest = "vital_interest",
        /// e) a task in the public interest or official authority
        /// (allmänt intresse eller myndighetsutövning)
        PublicInterest = "public_interest",
        /// f) legitimate interests (intresseavvägning); not for an
        /// authority's own tasks (art. 6.1 second paragraph).
        LegitimateInterest = "legitimate_interest",
    }
);

impl LegalBasis {
    /// Art. 6.3: a legal obligation or a public task rests on Union or
    /// Swedish law, which the record names.
    pub fn needs_reference(self) -> bool {
        matches!(
            self,
            LegalBasis::LegalObligation | LegalBasis::PublicInterest
        )
    }
}

/// A transfer to a third country or an international organisation
/// (art. 30(1)(e)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ProcessingTransfer))]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    /// The country or international organisation.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 300, pattern = r"\S")
    )]
    pub country: String,
    /// What the transfer rests on (adequacy decision, standard contractual
    /// clauses, binding corporate rules, art. 49 …).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub mechanism: Option<String>,
}

/// A record of processing as created or edited.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProcessingDraft {
    /// The controller: a unit of the organisation (the nämnd); none means
    /// the organisation itself.
    #[serde(default)]
    pub unit_id: Option<UnitId>,
    /// The processing's name (e.g. "Ekonomiskt bistånd").
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 300, pattern = r"\S")
    )]
    pub name: String,
    /// The controller's contact details, and the data protection officer's.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub contact: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub purposes: Option<String>,
    #[serde(default)]
    pub legal_basis: Option<LegalBasis>,
    /// The law the basis rests on (e.g. "SoL 4 kap. 1 §").
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub legal_reference: Option<String>,
    /// Categories of data subjects (registrerade).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub data_subjects: Option<String>,
    /// Categories of personal data.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub data_categories: Option<String>,
    /// Special categories of personal data (art. 9).
    #[serde(default)]
    pub sensitive_data: bool,
    /// Data on criminal convictions and offences (art. 10).
    #[serde(default)]
    pub offence_data: bool,
    /// Personal identity numbers (personnummer).
    #[serde(default)]
    pub personal_numbers: bool,
    /// Categories of recipients ("none" is an answer too).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub recipients: Option<String>,
    /// Processors (personuppgiftsbiträden), as free text; those with a
    /// recorded processor agreement are named in `processor_agreement_ids`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub processors: Option<String>,
    /// Transfers to third countries; none when the list is empty.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 200))]
    pub transfers: Vec<Transfer>,
    /// When the data are erased (gallring), or how that is decided.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub retention: Option<String>,
    /// The technical and organisational security measures (art. 32); the
    /// linked systems' security plans are shown beside them.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub security_measures: Option<String>,
    /// Whether a data protection impact assessment is required (art. 35);
    /// none until decided.
    #[serde(default)]
    pub dpia_required: Option<bool>,
    /// Why it is, or is not, required.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub dpia_reason: Option<String>,
    #[serde(default)]
    pub dpia_date: Option<NaiveDate>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub dpia_result: Option<String>,
    #[serde(default)]
    pub dpia_next_review: Option<NaiveDate>,
    /// The systems involved, of the organisation.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 200))]
    pub system_ids: Vec<SystemId>,
    /// The information sets involved, each of one of those systems.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 200))]
    pub information_set_ids: Vec<Uuid>,
    /// The processor agreements (art. 28) of the processors the processing
    /// uses, of the organisation.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 200))]
    pub processor_agreement_ids: Vec<ProcessorAgreementId>,
}

impl ProcessingDraft {
    /// Trims the texts and checks their lengths and list sizes. What a
    /// record still lacks is not an error here: [`super::missing`] names it.
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.name = v::required_text(&mut e, "name", &self.name, MAX_SHORT);
        for (field, text) in [
            ("contact", &mut self.contact),
            ("purposes", &mut self.purposes),
            ("legal_reference", &mut self.legal_reference),
            ("data_subjects", &mut self.data_subjects),
            ("data_categories", &mut self.data_categories),
            ("recipients", &mut self.recipients),
            ("processors", &mut self.processors),
            ("retention", &mut self.retention),
            ("security_measures", &mut self.security_measures),
            ("dpia_reason", &mut self.dpia_reason),
            ("dpia_result", &mut self.dpia_result),
        ] {
            *text = v::optional_text(&mut e, field, text.as_deref(), MAX_TEXT);
        }
        if self.transfers.len() > MAX_ITEMS {
            e.add("transfers", v::TOO_LONG);
        }
        for t in &mut self.transfers {
            t.country = v::required_text(&mut e, "transfers", &t.country, MAX_SHORT);
            t.mechanism = v::optional_text(&mut e, "transfers", t.mechanism.as_deref(), MAX_SHORT);
        }
        if self.system_ids.len() > MAX_ITEMS {
            e.add("system_ids", v::TOO_LONG);
        }
        if self.information_set_ids.len() > MAX_ITEMS {
            e.add("information_set_ids", v::TOO_LONG);
        }
        if self.processor_agreement_ids.len() > MAX_ITEMS {
            e.add("processor_agreement_ids", v::TOO_LONG);
        }
        self.processor_agreement_ids.sort();
        self.processor_agreement_ids.dedup();
        self.system_ids.sort();
        self.system_ids.dedup();
        self.information_set_ids.sort();
        self.information_set_ids.dedup();
        e.into_result(self)
    }
}

impl v::Validate for ProcessingDraft {
    fn problems(&self) -> FieldErrors {
        self.clone().validate().err().unwrap_or_default()
    }
}

/// A system a record names, with what its register says of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkedSystem {
    pub id: SystemId,
    pub name: String,
    /// The version of the system's approved security plan, if any: the
    /// measures it describes belong to the record's measures.
    pub approved_plan_version: Option<i64>,
}

/// An information set a record names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkedSet {
    pub id: Uuid,
    pub system_id: SystemId,
    pub name: String,
    pub personal_data: bool,
    pub sensitive_personal_data: bool,
}

/// A processor agreement a record names: its supplier (the processor).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkedAgreement {
    pub id: ProcessorAgreementId,
    pub supplier_name: String,
}

/// A record of processing as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProcessingRecord {
    pub id: ProcessingRecordId,
    pub org_id: OrgId,
    #[serde(flatten)]
    pub draft: ProcessingDraft,
    /// The controller's name: the unit's, or the organisation's.
    pub controller: String,
    pub systems: Vec<LinkedSystem>,
    pub information_sets: Vec<LinkedSet>,
    pub processor_agreements: Vec<LinkedAgreement>,
    /// The art. 30(1) items the record still lacks, as message keys.
    pub missing: Vec<String>,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}
