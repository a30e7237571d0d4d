//! Information classification (KLASSA), the system security plan and the
//! operational approval (driftgodkännande): the rules, without storage.

use crate::ids::SystemId;
use crate::validation::{self as v, FieldErrors};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The aspects KLASSA classifies information for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Aspect {
    /// Konfidentialitet.
    Confidentiality,
    /// Riktighet.
    Integrity,
    /// Tillgänglighet.
    Availability,
    /// Spårbarhet, where the organisation asks for it.
    Traceability,
}

impl Aspect {
    pub const ALL: [Aspect; 4] = [
        Aspect::Confidentiality,
        Aspect::Integrity,
        Aspect::Availability,
        Aspect::Traceability,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Aspect::Confidentiality => "confidentiality",
            Aspect::Integrity => "integrity",
            Aspect::Availability => "availability",
            Aspect::Traceability => "traceability",
        }
    }
}

/// The highest level on the default scale; it needs a separate analysis.
pub const MAX_LEVEL: i16 = 4;

/// The default consequence scale, 0–4 (KLASSA's names). Organisations may rename the levels.
pub const DEFAULT_SCALE: &[(i16, &str, &str)] = &[
    (0, "Ingen eller försumbar", "None or negligible"),
    (1, "Måttlig", "Moderate"),
    (2, "Betydande", "Significant"),
    (3, "Allvarlig", "Serious"),
    (4, "Synnerligen allvarlig", "Very serious"),
];

/// One set of information a system handles (Treserva: care documentation, contact details, …).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InformationSet {
    pub id: Uuid,
    pub system_id: SystemId,
    pub name: String,
    pub description: Option<String>,
    pub personal_data: bool,
    pub sensitive_personal_data: bool,
    /// The newest classification, if any.
    pub current: Option<Classification>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InformationSetDraft {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = r"\S")
    )]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub description: Option<String>,
    #[serde(default)]
    pub personal_data: bool,
    #[serde(default)]
    pub sensitive_personal_data: bool,
}

impl InformationSetDraft {
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.name = v::required_text(&mut e, "name", &self.name, 200);
        self.description =
            v::optional_text(&mut e, "description", self.description.as_deref(), 2000);
        // Sensitive personal data is personal data.
        if self.sensitive_personal_data {
            self.personal_data = true;
        }
        e.into_result(self)
    }
}

/// One classification of an information set. A new classification is a new
/// record; the old ones stay as history.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Classification {
    pub id: Uuid,
    pub information_set_id: Uuid,
    pub confidentiality: i16,
    pub integrity: i16,
    pub availability: i16,
    pub traceability: Option<i16>,
    pub justification: String,
    /// Who classified (the signed-in user).
    pub classified_by: String,
    pub classified_at: DateTime<Utc>,
    pub valid_until: Option<NaiveDate>,
}

impl Classification {
    pub fn level(&self, a: Aspect) -> Option<i16> {
        match a {
            Aspect::Confidentiality => Some(self.confidentiality),
            Aspect::Integrity => Some(self.integrity),
            Aspect::Availability => Some(self.availability),
            Aspect::Traceability => self.traceability,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassificationDraft {
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 4))]
    pub confidentiality: i16,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 4))]
    pub integrity: i16,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 4))]
    pub availability: i16,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 4))]
    pub traceability: Option<i16>,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 4000, pattern = r"\S")
    )]
    pub justification: String,
    #[serde(default)]
    pub valid_until: Option<NaiveDate>,
}

impl ClassificationDraft {
    /// Checks levels against the scale's highest level; traceability is
    /// required where the organisation asks for it.
    pub fn validate(mut self, max: i16, traceability_required: bool) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        for (field, level) in [
            ("confidentiality", Some(self.confidentiality)),
            ("integrity", Some(self.integrity)),
            ("availability", Some(self.availability)),
            ("traceability", self.traceability),
        ] {
            if let Some(l) = level
                && !(0..=max).contains(&l)
            {
                let levels: Vec<i16> = (0..=max).collect();
                e.add_choice(field, &levels);
            }
        }
        if traceability_required && self.traceability.is_none() {
            e.add("traceability", v::REQUIRED);
        }
        self.justification = v::required_text(&mut e, "justification", &self.justification, 4000);
        e.into_result(self)
    }
}

/// A system's level per aspect: the highest of its information sets' current classifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Levels {
    pub confidentiality: Option<i16>,
    pub integrity: Option<i16>,
    pub availability: Option<i16>,
    pub traceability: Option<i16>,
}

impl Levels {
    pub fn of(sets: &[InformationSet]) -> Levels {
        let max = |a: Aspect| {
            sets.iter()
                .filter_map(|s| s.current.as_ref().and_then(|c| c.level(a)))
                .max()
        };
        Levels {
            confidentiality: max(Aspect::Confidentiality),
            integrity: max(Aspect::Integrity),
            availability: max(Aspect::Availability),
            traceability: max(Aspect::Traceability),
        }
    }

    pub fn get(&self, a: Aspect) -> Option<i16> {
        match a {
            Aspect::Confidentiality => self.confidentiality,
            Aspect::Integrity => self.integrity,
            Aspect::Availability => self.availability,
            Aspect::Traceability => self.traceability,
        }
    }

    pub fn highest(&self) -> Option<i16> {
        Aspect::ALL.iter().filter_map(|a| self.get(*a)).max()
    }

    /// Whether the information suggests that the system is business-critical:
    /// a serious consequence (level 3 or above) for integrity or availability,
    /// where a failure stops the business. The decision itself is people's.
    pub fn suggests_business_critical(&self) -> bool {
        self.integrity.is_some_and(|l| l >= 3) || self.availability.is_some_and(|l| l >= 3)
    }

    /// Level 4 is outside KLASSA's requirement catalogues: a separate analysis is needed.
    pub fn needs_separate_analysis(&self) -> bool {
        self.highest().is_some_and(|l| l >= MAX_LEVEL)
    }
}

/// The sections of a system security plan (R-SEC-1, Mjölby 3.2.2).
pub const PLAN_SECTIONS: &[&str] = &[
    "business",
    "information",
    "laws",
    "business_requirements",
    "threats",
    "access_profiles",
    "logging_scope",
    "log_follow_up",
    "outage_tolerance",
    "restore_time",
    "organisation",
    "interoperating_systems",
    "outage_plan",
];

/// The plan's sections as the API documents them: one text per key of
/// [`PLAN_SECTIONS`] (a test keeps the two the same). Only for the schema;
/// the plan itself holds its sections as a map.
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct PlanSectionTexts {
    /// The business the system supports.
    pub business: Option<String>,
    /// The information the system handles.
    pub information: Option<String>,
    /// Laws and other rules that apply.
    pub laws: Option<String>,
    /// The business's requirements on confidentiality, integrity and availability.
    pub business_requirements: Option<String>,
    /// Threats and the requirements they lead to.
    pub threats: Option<String>,
    /// The access profiles that apply.
    pub access_profiles: Option<String>,
    /// What is logged (transaction and security logs).
    pub logging_scope: Option<String>,
    /// How logs are followed up, archived and kept.
    pub log_follow_up: Option<String>,
    /// The longest acceptable outage or loss of information.
    pub outage_tolerance: Option<String>,
    /// How fast backed-up data must be restorable.
    pub restore_time: Option<String>,
    /// The organisation and positions concerned with the system.
    pub organisation: Option<String>,
    /// How the system works with the systems it interoperates with.
    pub interoperating_systems: Option<String>,
    /// The outage plan (continuity planning), adopted with IT; since issue 18
    /// a versioned document of its own, which this section may point to.
    pub outage_plan: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    Draft,
    Submitted,
    Approved,
    /// A newer version replaced it.
    Superseded,
}

impl PlanStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanStatus::Draft => "draft",
            PlanStatus::Submitted => "submitted",
            PlanStatus::Approved => "approved",
            PlanStatus::Superseded => "superseded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            PlanStatus::Draft,
            PlanStatus::Submitted,
            PlanStatus::Approved,
            PlanStatus::Superseded,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
    }
}

/// What can happen to a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanAction {
    Edit,
    Submit,
    /// Back to draft from submitted.
    Return,
    /// By the system owner.
    Approve,
}

/// The status a plan moves to, or `None` when the action is not allowed now.
pub fn plan_transition(from: PlanStatus, action: PlanAction) -> Option<PlanStatus> {
    use PlanAction::*;
    use PlanStatus::*;
    match (from, action) {
        (Draft, Edit) => Some(Draft),
        (Draft, Submit) => Some(Submitted),
        (Submitted, Return) => Some(Draft),
        (Submitted, Approve) => Some(Approved),
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecurityPlan {
    pub id: Uuid,
    pub system_id: SystemId,
    pub version: i32,
    pub status: PlanStatus,
    /// Section key → text.
    #[cfg_attr(feature = "openapi", schema(value_type = PlanSectionTexts))]
    pub sections: std::collections::BTreeMap<String, String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
}

impl SecurityPlan {
    /// Sections with no text yet.
    pub fn empty_sections(&self) -> Vec<&'static str> {
        PLAN_SECTIONS
            .iter()
            .copied()
            .filter(|k| self.sections.get(*k).is_none_or(|t| t.trim().is_empty()))
            .collect()
    }
}

/// A measure that remains when a system is approved for operation. Its texts
/// need a character that is neither a space nor NUL (the API removes NULs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Measure {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 1000, pattern = r"[^\s\x00]")
    )]
    pub description: String,
    /// Who is responsible (a name).
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = r"[^\s\x00]")
    )]
    pub owner: String,
    pub deadline: NaiveDate,
    #[serde(default)]
    pub done: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApprovalStatus {
    /// Written, not yet signed by both.
    Unsigned,
    /// Signed by the system owner and by IT, and still valid.
    Approved,
    /// The classification or the plan changed after it, or a measure is overdue.
    NeedsRenewal,
}

impl ApprovalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalStatus::Unsigned => "unsigned",
            ApprovalStatus::Approved => "approved",
            ApprovalStatus::NeedsRenewal => "needs_renewal",
        }
    }
}

/// Why an approval needs renewal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RenewalReason {
    ClassificationChanged,
    PlanChanged,
    MeasureOverdue,
}

/// An operational approval (driftgodkännande): a decision signed by the
/// system owner and by IT, resting on one classification state and one plan version.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Approval {
    pub id: Uuid,
    pub system_id: SystemId,
    /// How the baseline security is met.
    pub baseline: String,
    pub measures: Vec<Measure>,
    /// The newest classification when the approval was written.
    pub classification_id: Option<Uuid>,
    /// The approved plan it rests on.
    pub plan_id: Option<Uuid>,
    pub plan_version: Option<i32>,
    pub owner_signed_by: Option<String>,
    pub owner_signed_at: Option<DateTime<Utc>>,
    pub it_signed_by: Option<String>,
    pub it_signed_at: Option<DateTime<Utc>>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub status: ApprovalStatus,
    pub renewal_reasons: Vec<RenewalReason>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApprovalDraft {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 8000, pattern = r"\S")
    )]
    pub baseline: String,
    #[serde(default)]
    pub measures: Vec<Measure>,
}

impl ApprovalDraft {
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.baseline = v::required_text(&mut e, "baseline", &self.baseline, 8000);
        for m in &mut self.measures {
            m.description = v::required_text(&mut e, "measures", &m.description, 1000);
            m.owner = v::required_text(&mut e, "measures", &m.owner, 200);
        }
        e.into_result(self)
    }
}

/// What the approval is judged against now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurrentBasis {
    /// The newest classification of the system's information, if any.
    pub classification_id: Option<Uuid>,
    /// The newest approved plan, if any.
    pub plan_id: Option<Uuid>,
}

/// The status of an approval today, and why it needs renewal if it does.
pub fn approval_status(
    a: &Approval,
    now: CurrentBasis,
    today: NaiveDate,
) -> (ApprovalStatus, Vec<RenewalReason>) {
    if a.owner_signed_at.is_none() || a.it_signed_at.is_none() {
        return (ApprovalStatus::Unsigned, vec![]);
    }
    let mut reasons = vec![];
    if now.classification_id != a.classification_id {
        reasons.push(RenewalReason::ClassificationChanged);
    }
    if now.plan_id != a.plan_id {
        reasons.push(RenewalReason::PlanChanged);
    }
    if a.measures.iter().any(|m| !m.done && m.deadline < today) {
        reasons.push(RenewalReason::MeasureOverdue);
    }
    if reasons.is_empty() {
        (ApprovalStatus::Approved, reasons)
    } else {
        (ApprovalStatus::NeedsRenewal, reasons)
    }
}

/// The kinds of field a system has, and whether each is secret by default
/// (the list lives with the public register's rules).
pub use crate::public::FIELD_SECRECY_DEFAULTS;

impl v::Validate for InformationSetDraft {
    fn problems(&self) -> FieldErrors {
        self.clone().validate().err().unwrap_or_default()
    }
}

impl v::Validate for ApprovalDraft {
    fn problems(&self) -> FieldErrors {
        self.clone().validate().err().unwrap_or_default()
    }
}

/// Levels depend on the organisation's scale: checked when stored.
impl v::Validate for ClassificationDraft {
    fn problems(&self) -> FieldErrors {
        FieldErrors::new()
    }
}

#[cfg(test)]
mod tests;
