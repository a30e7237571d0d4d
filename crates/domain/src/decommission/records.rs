//! Record types (handlingstyper) per system, from the information management
//! plan (informationshanteringsplan), and the system's archive responsibility.

use super::{MAX_SHORT, MAX_TEXT};
use crate::ids::{SystemId, UnitId};
use crate::model::text_enum;
use crate::validation::{self as v, FieldErrors};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

text_enum!(
    /// What the plan says happens to the records of a type.
    Disposition {
        /// Kept (bevaras): delivered to the e-archive.
        Keep = "keep",
        /// Disposed of (gallras) under a disposal decision.
        Dispose = "dispose",
    }
);

/// A record type as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordTypeDraft {
    /// The record type's name (e.g. "Bygglovsansökan").
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 300, pattern = r"\S")
    )]
    pub name: String,
    pub disposition: Disposition,
    /// When the records are disposed of (e.g. "2 år efter ärendets avslut").
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub disposal_period: Option<String>,
    /// The disposal decision (gallringsbeslut) the type rests on: its reference.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub decision_reference: Option<String>,
    /// The decision's date.
    #[serde(default)]
    pub decision_date: Option<NaiveDate>,
    /// The delivery format to the e-archive (e.g. "FGS/E-ARK").
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub archive_format: Option<String>,
    /// When the records are to be delivered to the e-archive.
    #[serde(default)]
    pub delivery_deadline: Option<NaiveDate>,
    /// The last delivery to the e-archive.
    #[serde(default)]
    pub delivered_on: Option<NaiveDate>,
    /// The last delivery's reference (the package or its receipt).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub delivery_reference: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub note: Option<String>,
}

impl RecordTypeDraft {
    /// Trims the texts and checks their lengths. What a type still lacks
    /// (a decision, a delivery) is not an error here: the decommissioning
    /// gates name it.
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.name = v::required_text(&mut e, "name", &self.name, MAX_SHORT);
        let short = |e: &mut FieldErrors, f: &str, s: &Option<String>| {
            v::optional_text(e, f, s.as_deref(), MAX_SHORT)
        };
        self.disposal_period = short(&mut e, "disposal_period", &self.disposal_period);
        self.decision_reference = short(&mut e, "decision_reference", &self.decision_reference);
        self.archive_format = short(&mut e, "archive_format", &self.archive_format);
        self.delivery_reference = short(&mut e, "delivery_reference", &self.delivery_reference);
        self.note = v::optional_text(&mut e, "note", self.note.as_deref(), MAX_TEXT);
        e.into_result(self)
    }

    /// A "keep" type with a recorded delivery to the e-archive (date and reference).
    pub fn delivered(&self) -> bool {
        self.delivered_on.is_some() && self.delivery_reference.is_some()
    }

    /// A "dispose" type that cites its disposal decision (a reference).
    pub fn cites_decision(&self) -> bool {
        self.decision_reference.is_some()
    }
}

/// A record type as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordType {
    pub id: Uuid,
    pub system_id: SystemId,
    #[serde(flatten)]
    pub draft: RecordTypeDraft,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

/// Who is responsible for the system's records in the archive
/// (arkivansvar): a unit, a role, or both.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArchiveResponsibility {
    /// The responsible unit (of the organisation).
    #[serde(default)]
    pub unit_id: Option<UnitId>,
    /// The responsible role (e.g. "Arkivredogörare").
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub role: Option<String>,
}

impl ArchiveResponsibility {
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.role = v::optional_text(&mut e, "role", self.role.as_deref(), MAX_SHORT);
        e.into_result(self)
    }
}

impl v::Validate for RecordTypeDraft {
    fn problems(&self) -> FieldErrors {
        self.clone().validate().err().unwrap_or_default()
    }
}

impl v::Validate for ArchiveResponsibility {
    fn problems(&self) -> FieldErrors {
        self.clone().validate().err().unwrap_or_default()
    }
}
