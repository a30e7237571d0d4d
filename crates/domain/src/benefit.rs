//! The benefit of a system, assessed regularly by its owner from the
//! business's and the users' point of view (Stockholm 2.6: "Bedömningar av
//! nyttan med IT ur ett verksamhets- och brukarperspektiv ska göras
//! regelbundet … Detta är förvaltningsorganisationens (systemägarens)
//! ansvar"). An assessment records the `benefit_review` control of the
//! årshjul on its day.

use crate::ids::SystemId;
use crate::model::text_enum;
use crate::validation::{self as v, FieldErrors};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The control an assessment records as performed.
pub const BENEFIT_CONTROL: &str = "benefit_review";

const MAX_SHORT: usize = 300;
const MAX_TEXT: usize = 4000;

text_enum!(
    /// What the system is worth to the business.
    BusinessValue {
        High = "high",
        Medium = "medium",
        Low = "low",
    }
);

text_enum!(
    /// What its users think of it (usability and use).
    Satisfaction {
        Satisfied = "satisfied",
        Mixed = "mixed",
        Dissatisfied = "dissatisfied",
    }
);

text_enum!(
    /// What the owner recommends.
    Recommendation {
        /// Keep it as it is.
        Keep = "keep",
        /// Develop it (or its use) further.
        Develop = "develop",
        /// Phase it out (a decommissioning case is the next step).
        PhaseOut = "phase_out",
    }
);

/// An assessment as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BenefitAssessmentDraft {
    /// The day of the assessment (not in the future).
    pub assessed_on: NaiveDate,
    /// Who assessed (the system owner, by name).
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 300, pattern = r"\S")
    )]
    pub assessed_by: String,
    pub business_value: BusinessValue,
    /// The users' view, when it was asked for.
    #[serde(default)]
    pub user_satisfaction: Option<Satisfaction>,
    /// How the users' view was gathered (a survey, a workshop, the user group).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub users_asked: Option<String>,
    /// How many users answered.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub respondents: Option<i64>,
    /// What works well.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub strengths: Option<String>,
    /// What does not (problems, missing support, double work).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub problems: Option<String>,
    pub recommendation: Recommendation,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub note: Option<String>,
}

impl BenefitAssessmentDraft {
    /// Trims the texts and checks their lengths, the day (not after
    /// `today`) and the number of respondents.
    pub fn validate(mut self, today: NaiveDate) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        if self.assessed_on > today {
            e.add("assessed_on", v::IN_FUTURE);
        }
        self.assessed_by = v::required_text(&mut e, "assessed_by", &self.assessed_by, MAX_SHORT);
        self.users_asked = v::optional_text(
            &mut e,
            "users_asked",
            self.users_asked.as_deref(),
            MAX_SHORT,
        );
        if self.respondents.is_some_and(|n| n < 0) {
            e.add("respondents", v::NEGATIVE);
        }
        for (field, text) in [
            ("strengths", &mut self.strengths),
            ("problems", &mut self.problems),
            ("note", &mut self.note),
        ] {
            *text = v::optional_text(&mut e, field, text.as_deref(), MAX_TEXT);
        }
        e.into_result(self)
    }

    /// The control's result: `ok` when the owner recommends keeping the
    /// system as it is, `remarks` when it should be developed or phased out.
    pub fn control_result(&self) -> &'static str {
        match self.recommendation {
            Recommendation::Keep => "ok",
            Recommendation::Develop | Recommendation::PhaseOut => "remarks",
        }
    }

    /// The control record's note: the recommendation and the value, in words
    /// of the register's own language (the record keeps the key words).
    pub fn control_note(&self) -> String {
        format!(
            "benefit: {}; users: {}; recommendation: {}",
            self.business_value,
            self.user_satisfaction.map_or("-", Satisfaction::as_str),
            self.recommendation
        )
    }
}

/// The checks that need no date (the store checks the day against today).
impl v::Validate for BenefitAssessmentDraft {
    fn problems(&self) -> FieldErrors {
        self.clone()
            .validate(NaiveDate::MAX)
            .err()
            .unwrap_or_default()
    }
}

/// An assessment as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BenefitAssessment {
    pub id: Uuid,
    pub system_id: SystemId,
    #[serde(flatten)]
    pub draft: BenefitAssessmentDraft,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn draft() -> BenefitAssessmentDraft {
        BenefitAssessmentDraft {
            assessed_on: day("2026-11-30"),
            assessed_by: "  Ola Ägare ".into(),
            business_value: BusinessValue::High,
            user_satisfaction: Some(Satisfaction::Mixed),
            users_asked: Some(" Enkät till alla användare ".into()),
            respondents: Some(41),
            strengths: Some("Stabilt".into()),
            problems: Some(" ".into()),
            recommendation: Recommendation::Develop,
            note: None,
        }
    }

    #[test]
    fn an_assessment_is_trimmed_and_checked() {
        let ok = draft().validate(day("2026-12-06")).unwrap();
        assert_eq!(ok.assessed_by, "Ola Ägare");
        assert_eq!(ok.users_asked.as_deref(), Some("Enkät till alla användare"));
        assert_eq!(ok.problems, None);
        assert_eq!(ok.control_result(), "remarks");

        let mut bad = draft();
        bad.assessed_on = day("2026-12-07");
        bad.assessed_by = " ".into();
        bad.respondents = Some(-1);
        bad.note = Some("x".repeat(MAX_TEXT + 1));
        let e = bad.validate(day("2026-12-06")).unwrap_err();
        assert_eq!(e.get("assessed_on"), Some(v::IN_FUTURE));
        assert_eq!(e.get("assessed_by"), Some(v::REQUIRED));
        assert_eq!(e.get("respondents"), Some(v::NEGATIVE));
        assert_eq!(e.get("note"), Some(v::TOO_LONG));
    }

    #[test]
    fn keeping_the_system_is_the_only_result_without_remarks() {
        let mut d = draft();
        for (r, result) in [
            (Recommendation::Keep, "ok"),
            (Recommendation::Develop, "remarks"),
            (Recommendation::PhaseOut, "remarks"),
        ] {
            d.recommendation = r;
            assert_eq!(d.control_result(), result, "{r}");
        }
        assert_eq!(
            d.control_note(),
            "benefit: high; users: mixed; recommendation: phase_out"
        );
    }
}
