//! What the EU AI Act (Regulation (EU) 2024/1689) asks an organisation to
//! know of each system: whether it contains an AI system, its risk class,
//! the organisation's role, and for high-risk use the fundamental-rights
//! impact assessment (FRIA, art. 27) a public body deploying it must make.

use crate::ids::SystemId;
use crate::model::text_enum;
use crate::validation::{self as v, FieldErrors};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

const MAX_REFERENCE: usize = 200;
const MAX_TEXT: usize = 2000;

/// A FRIA's reference or date given while it is not high-risk use.
pub const FRIA_NOT_HIGH_RISK: &str = "error-ai-fria-not-high-risk";
/// A risk class, role or FRIA given for a system said to hold no AI system.
pub const NOT_AI: &str = "error-ai-not-ai";

text_enum!(
    /// Whether the system contains an AI system (art. 3.1).
    AiActPresence {
        Yes = "yes",
        No = "no",
        Unknown = "unknown",
    }
);

text_enum!(
    /// The AI Act's risk class.
    AiActRiskClass {
        /// A prohibited practice (art. 5): must not be used.
        Prohibited = "prohibited",
        /// High-risk (art. 6, annex III).
        HighRisk = "high_risk",
        /// Limited risk: transparency obligations (art. 50).
        Limited = "limited",
        /// Minimal risk.
        Minimal = "minimal",
    }
);

text_enum!(
    /// The organisation's role for the AI system (art. 3.3, 3.4).
    AiActRole {
        Provider = "provider",
        Deployer = "deployer",
        /// It develops the system and uses it itself.
        Both = "both",
    }
);

/// A system's AI Act facts as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AiActDraft {
    pub contains_ai: AiActPresence,
    #[serde(default)]
    pub risk_class: Option<AiActRiskClass>,
    #[serde(default)]
    pub role: Option<AiActRole>,
    /// What the AI does in the system, and for whom.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub description: Option<String>,
    /// The day the fundamental-rights impact assessment was made.
    #[serde(default)]
    pub fria_on: Option<NaiveDate>,
    /// Where the assessment is kept (a case number, a document).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub fria_reference: Option<String>,
}

impl Default for AiActDraft {
    fn default() -> Self {
        AiActDraft {
            contains_ai: AiActPresence::Unknown,
            risk_class: None,
            role: None,
            description: None,
            fria_on: None,
            fria_reference: None,
        }
    }
}

/// What the register shows about a system's AI that someone must act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AiActFinding {
    /// High-risk use without a recorded FRIA (art. 27).
    HighRiskWithoutFria,
    /// A prohibited practice (art. 5): the use must stop.
    ProhibitedUse,
    /// Nobody has said whether the system contains AI.
    NotAssessed,
}

impl AiActFinding {
    /// Its message key.
    pub fn key(self) -> &'static str {
        match self {
            AiActFinding::HighRiskWithoutFria => "ai-finding-high-risk-without-fria",
            AiActFinding::ProhibitedUse => "ai-finding-prohibited-use",
            AiActFinding::NotAssessed => "ai-finding-not-assessed",
        }
    }
}

impl AiActDraft {
    /// Whether the organisation deploys (uses) the AI system: deployer or
    /// both; an unstated role counts as use, the usual case for a municipality.
    pub fn deploys(&self) -> bool {
        self.role != Some(AiActRole::Provider)
    }

    /// High-risk use the organisation deploys: art. 27 asks for a FRIA.
    pub fn high_risk_use(&self) -> bool {
        self.contains_ai == AiActPresence::Yes
            && self.risk_class == Some(AiActRiskClass::HighRisk)
            && self.deploys()
    }

    /// A prohibited practice.
    pub fn prohibited(&self) -> bool {
        self.contains_ai == AiActPresence::Yes
            && self.risk_class == Some(AiActRiskClass::Prohibited)
    }

    /// A FRIA is recorded (its day).
    pub fn fria_done(&self) -> bool {
        self.fria_on.is_some()
    }

    /// What someone must act on, most serious first.
    pub fn findings(&self) -> Vec<AiActFinding> {
        let mut out = vec![];
        if self.prohibited() {
            out.push(AiActFinding::ProhibitedUse);
        }
        if self.high_risk_use() && !self.fria_done() {
            out.push(AiActFinding::HighRiskWithoutFria);
        }
        if self.contains_ai == AiActPresence::Unknown {
            out.push(AiActFinding::NotAssessed);
        }
        out
    }

    /// Trims the texts and checks them; a system with no AI has no risk
    /// class, role or FRIA; a FRIA belongs to high-risk use, its reference
    /// needs its day, and the day may not be after `today`.
    pub fn validate(mut self, today: NaiveDate) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.description =
            v::optional_text(&mut e, "description", self.description.as_deref(), MAX_TEXT);
        self.fria_reference = v::optional_text(
            &mut e,
            "fria_reference",
            self.fria_reference.as_deref(),
            MAX_REFERENCE,
        );
        if self.contains_ai == AiActPresence::No {
            for (field, given) in [
                ("risk_class", self.risk_class.is_some()),
                ("role", self.role.is_some()),
            ] {
                if given {
                    e.add(field, NOT_AI);
                }
            }
        }
        let fria_given = self.fria_on.is_some() || self.fria_reference.is_some();
        if fria_given && self.risk_class != Some(AiActRiskClass::HighRisk) {
            e.add("fria_on", FRIA_NOT_HIGH_RISK);
        } else if self.fria_reference.is_some() && self.fria_on.is_none() {
            e.add("fria_on", v::REQUIRED);
        }
        if self.fria_on.is_some_and(|d| d > today) && e.get("fria_on").is_none() {
            e.add("fria_on", v::IN_FUTURE);
        }
        e.into_result(self)
    }
}

impl v::Validate for AiActDraft {
    fn problems(&self) -> FieldErrors {
        self.clone()
            .validate(NaiveDate::MAX)
            .err()
            .unwrap_or_default()
    }
}

/// A system's AI Act facts as stored (the default, unknown, until set).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AiActFacts {
    pub system_id: SystemId,
    #[serde(flatten)]
    pub draft: AiActDraft,
    /// What someone must act on.
    pub findings: Vec<AiActFinding>,
    pub updated_by: Option<String>,
    pub updated_at: Option<DateTime<Utc>>,
}

impl AiActFacts {
    pub fn new(
        system_id: SystemId,
        draft: AiActDraft,
        updated: Option<(String, DateTime<Utc>)>,
    ) -> Self {
        let (updated_by, updated_at) = updated.unzip();
        AiActFacts {
            system_id,
            findings: draft.findings(),
            draft,
            updated_by,
            updated_at,
        }
    }
}
