//! Continuity (kontinuitet): a system's requirements (RTO, RPO, MTD, the
//! critical periods and the fallback routine), its backups
//! (säkerhetskopiering) and its restore tests (återläsningstest), each judged
//! against the requirements in force when the test was recorded.
//! Durations are whole minutes here; the pages enter them in hours or days.

mod duration;
mod restore;
#[cfg(test)]
mod tests;

pub use duration::*;
pub use restore::*;

use crate::ids::SystemId;
use crate::validation::{self as v, FieldErrors};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The longest duration a requirement or a measurement may have: a year.
pub const MAX_MINUTES: i64 = 365 * 24 * 60;
/// The longest text of a critical period, a fallback routine or a note.
pub const MAX_TEXT: usize = 4000;
/// The longest short text (what is backed up, where, how often …).
pub const MAX_SHORT: usize = 300;

pub const MTD_BEFORE_RTO: &str = "error-continuity-mtd-before-rto";
pub const NOT_POSITIVE: &str = "error-continuity-not-positive";
pub const TOO_LARGE: &str = "error-continuity-too-large";
pub const NOT_HTTPS: &str = "error-continuity-not-https";
pub const NOT_PERFORMED: &str = "error-restore-test-not-performed";
pub const NO_DATE: &str = "error-restore-test-no-date";
/// A performed test cannot be removed: it is the control's evidence.
pub const PERFORMED_KEPT: &str = "error-restore-test-performed-kept";

/// Every message key this module can produce.
pub const ERROR_CODES: &[&str] = &[
    MTD_BEFORE_RTO,
    NOT_POSITIVE,
    TOO_LARGE,
    NOT_HTTPS,
    NOT_PERFORMED,
    NO_DATE,
    PERFORMED_KEPT,
];

/// A system's continuity requirements as entered (minutes).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Requirements {
    /// The longest acceptable outage (RTO), in minutes.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 525600))]
    pub rto_minutes: Option<i64>,
    /// The largest acceptable data loss (RPO), in minutes.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 525600))]
    pub rpo_minutes: Option<i64>,
    /// When an outage becomes unacceptable for the business (MTD), in
    /// minutes; at least the RTO.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 525600))]
    pub mtd_minutes: Option<i64>,
    /// The periods when an outage hurts most (e.g. payroll at month end).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub critical_periods: Option<String>,
    /// The fallback routine (reservrutin) while the system is down.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub fallback_routine: Option<String>,
}

/// Checks a duration in minutes: positive and at most [`MAX_MINUTES`].
pub fn check_minutes(e: &mut FieldErrors, field: &str, m: Option<i64>) {
    match m {
        Some(m) if m <= 0 => e.add(field, NOT_POSITIVE),
        Some(m) if m > MAX_MINUTES => e.add(field, TOO_LARGE),
        _ => {}
    }
}

impl Requirements {
    /// Trims the texts and checks every rule: durations positive and at most a
    /// year, MTD not shorter than RTO, texts within their limits.
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        check_minutes(&mut e, "rto_minutes", self.rto_minutes);
        check_minutes(&mut e, "rpo_minutes", self.rpo_minutes);
        check_minutes(&mut e, "mtd_minutes", self.mtd_minutes);
        if let (Some(rto), Some(mtd)) = (self.rto_minutes, self.mtd_minutes)
            && mtd < rto
            && e.is_empty()
        {
            e.add("mtd_minutes", MTD_BEFORE_RTO);
        }
        self.critical_periods = v::optional_text(
            &mut e,
            "critical_periods",
            self.critical_periods.as_deref(),
            MAX_TEXT,
        );
        self.fallback_routine = v::optional_text(
            &mut e,
            "fallback_routine",
            self.fallback_routine.as_deref(),
            MAX_TEXT,
        );
        e.into_result(self)
    }

    pub fn is_empty(&self) -> bool {
        *self == Requirements::default()
    }
}

/// A system's continuity requirements as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Continuity {
    pub system_id: SystemId,
    #[serde(flatten)]
    pub requirements: Requirements,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

/// A backup of a system (säkerhetskopiering) as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BackupDraft {
    /// What is backed up (the database, the documents …).
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 300, pattern = r"\S")
    )]
    pub what: String,
    /// Where the copies are kept.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub location: Option<String>,
    /// How often (every night, every hour …).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub frequency: Option<String>,
    /// How long a copy is kept.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub retention: Option<String>,
    /// Who is responsible (the IT unit, a supplier).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub responsible: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub note: Option<String>,
}

impl BackupDraft {
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.what = v::required_text(&mut e, "what", &self.what, MAX_SHORT);
        let short = |e: &mut FieldErrors, f: &str, s: &Option<String>| {
            v::optional_text(e, f, s.as_deref(), MAX_SHORT)
        };
        self.location = short(&mut e, "location", &self.location);
        self.frequency = short(&mut e, "frequency", &self.frequency);
        self.retention = short(&mut e, "retention", &self.retention);
        self.responsible = short(&mut e, "responsible", &self.responsible);
        self.note = v::optional_text(&mut e, "note", self.note.as_deref(), MAX_TEXT);
        e.into_result(self)
    }
}

/// A backup as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Backup {
    pub id: uuid::Uuid,
    pub system_id: SystemId,
    #[serde(flatten)]
    pub draft: BackupDraft,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

/// A suggested set of requirements for an availability level, from the
/// policy profile's `[[continuity.suggestion]]` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Suggestion {
    /// The availability level of the system's classification (0–4).
    pub availability: i16,
    pub rto_hours: u32,
    pub rpo_hours: u32,
    pub mtd_hours: u32,
}

impl Suggestion {
    /// The suggestion as requirements (minutes), texts left empty.
    pub fn requirements(&self) -> Requirements {
        let m = |h: u32| Some(i64::from(h) * 60);
        Requirements {
            rto_minutes: m(self.rto_hours),
            rpo_minutes: m(self.rpo_hours),
            mtd_minutes: m(self.mtd_hours),
            ..Requirements::default()
        }
    }
}

/// The suggestion for an availability level: the row for the highest level
/// at or below it.
pub fn suggestion_for(table: &[Suggestion], availability: i16) -> Option<Suggestion> {
    table
        .iter()
        .filter(|s| s.availability <= availability)
        .max_by_key(|s| s.availability)
        .copied()
}

/// The drafts report their own problems (for the API's combined answer).
impl v::Validate for Requirements {
    fn problems(&self) -> FieldErrors {
        self.clone().validate().err().unwrap_or_default()
    }
}

impl v::Validate for BackupDraft {
    fn problems(&self) -> FieldErrors {
        self.clone().validate().err().unwrap_or_default()
    }
}

impl v::Validate for RestoreTestDraft {
    fn problems(&self) -> FieldErrors {
        self.clone()
            .validate(Utc::now().date_naive())
            .err()
            .unwrap_or_default()
    }
}
