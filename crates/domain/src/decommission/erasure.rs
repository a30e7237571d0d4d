//! Erasure records (NIST SP 800-88 rev. 1, the sanitization certificate's
//! fields): one row per medium that held the system's data. Svenljunga asks
//! for media to be destroyed or erased to a recognised standard and names
//! Blancco as its tool.

use super::{ERASED_WITHOUT_METHOD, MAX_SHORT, MAX_TEXT};
use crate::ids::SystemId;
use crate::model::text_enum;
use crate::validation::{self as v, FieldErrors};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

text_enum!(
    /// The sanitization method (NIST SP 800-88 section 2.5).
    ErasureMethod {
        /// Overwriting through the ordinary interface.
        Clear = "clear",
        /// Physical or logical techniques beyond the state of the art of recovery.
        Purge = "purge",
        /// The medium made unusable (shredded, melted, pulverised).
        Destroy = "destroy",
    }
);

text_enum!(
    /// What the verification of the erasure showed.
    VerificationResult {
        Passed = "passed",
        Failed = "failed",
    }
);

/// An erasure record (a medium, and its erasure once done) as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErasureDraft {
    /// The kind of medium (hard disk, SSD, backup tape, phone …).
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 300, pattern = r"\S")
    )]
    pub medium_type: String,
    /// The medium's serial number.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub serial: Option<String>,
    #[serde(default)]
    pub method: Option<ErasureMethod>,
    /// The tool (e.g. "Blancco Drive Eraser").
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub tool: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub tool_version: Option<String>,
    /// Who performed the erasure.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub operator: Option<String>,
    /// When the erasure was performed.
    #[serde(default)]
    pub erased_on: Option<NaiveDate>,
    /// Who verified it.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub verified_by: Option<String>,
    /// How it was verified (e.g. "full read-back", "sample of 10 %").
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub verification_method: Option<String>,
    #[serde(default)]
    pub verification_result: Option<VerificationResult>,
    /// The certificate's reference (the tool's report, the supplier's certificate).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub certificate_reference: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub note: Option<String>,
}

impl ErasureDraft {
    /// A listed medium, nothing done yet.
    pub fn medium(medium_type: &str, serial: Option<&str>) -> Self {
        ErasureDraft {
            medium_type: medium_type.to_owned(),
            serial: serial.map(str::to_owned),
            method: None,
            tool: None,
            tool_version: None,
            operator: None,
            erased_on: None,
            verified_by: None,
            verification_method: None,
            verification_result: None,
            certificate_reference: None,
            note: None,
        }
    }

    /// Trims the texts and checks their lengths; an erasure date needs its method.
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.medium_type = v::required_text(&mut e, "medium_type", &self.medium_type, MAX_SHORT);
        let short = |e: &mut FieldErrors, f: &str, s: &Option<String>| {
            v::optional_text(e, f, s.as_deref(), MAX_SHORT)
        };
        self.serial = short(&mut e, "serial", &self.serial);
        self.tool = short(&mut e, "tool", &self.tool);
        self.tool_version = short(&mut e, "tool_version", &self.tool_version);
        self.operator = short(&mut e, "operator", &self.operator);
        self.verified_by = short(&mut e, "verified_by", &self.verified_by);
        self.verification_method = short(&mut e, "verification_method", &self.verification_method);
        self.certificate_reference =
            short(&mut e, "certificate_reference", &self.certificate_reference);
        self.note = v::optional_text(&mut e, "note", self.note.as_deref(), MAX_TEXT);
        if self.erased_on.is_some() && self.method.is_none() {
            e.add("method", ERASED_WITHOUT_METHOD);
        }
        e.into_result(self)
    }

    /// The medium is erased: a method, a date and a passed verification.
    pub fn erased(&self) -> bool {
        self.method.is_some()
            && self.erased_on.is_some()
            && self.verification_result == Some(VerificationResult::Passed)
    }
}

/// An erasure record as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Erasure {
    pub id: Uuid,
    pub system_id: SystemId,
    #[serde(flatten)]
    pub draft: ErasureDraft,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

impl v::Validate for ErasureDraft {
    fn problems(&self) -> FieldErrors {
        self.clone().validate().err().unwrap_or_default()
    }
}
