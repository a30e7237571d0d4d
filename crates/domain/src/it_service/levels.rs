//! Follow-up of the service levels (Stockholm 5.4: "Servicenivåer ska …
//! följas upp"): what was measured in a period, and each agreed level
//! judged met or missed.

use super::{COUNT_OUT_OF_RANGE, MAX_COMMENT, MAX_COUNT, Period, ServiceLevels, check_percentage};
use crate::ids::{ItServiceFollowUpId, ItServiceId};
use crate::model::text_enum;
use crate::validation::{self as v, FieldErrors};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A period's follow-up as entered or imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ItServiceFollowUpDraft))]
pub struct FollowUpDraft {
    /// A month (2026-03) or a quarter (2026-Q1).
    pub period: Period,
    /// The measured availability in per cent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100))]
    pub measured_availability: Option<f64>,
    /// Cases answered within the agreed response time.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000000))]
    pub response_met: Option<u32>,
    /// Cases answered later than the agreed response time.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000000))]
    pub response_missed: Option<u32>,
    /// Cases resolved within the agreed resolution time.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000000))]
    pub resolution_met: Option<u32>,
    /// Cases resolved later than the agreed resolution time.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000000))]
    pub resolution_missed: Option<u32>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub comment: Option<String>,
}

impl FollowUpDraft {
    /// A follow-up of `period` with nothing measured.
    pub fn new(period: Period) -> Self {
        FollowUpDraft {
            period,
            measured_availability: None,
            response_met: None,
            response_missed: None,
            resolution_met: None,
            resolution_missed: None,
            comment: None,
        }
    }

    /// Rounds the availability to three decimals and checks it, the counts
    /// and the comment.
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        check_percentage(
            &mut e,
            "measured_availability",
            &mut self.measured_availability,
        );
        for (field, n) in [
            ("response_met", self.response_met),
            ("response_missed", self.response_missed),
            ("resolution_met", self.resolution_met),
            ("resolution_missed", self.resolution_missed),
        ] {
            if n.is_some_and(|n| n > MAX_COUNT) {
                e.add(field, COUNT_OUT_OF_RANGE);
            }
        }
        self.comment = v::optional_text(&mut e, "comment", self.comment.as_deref(), MAX_COMMENT);
        e.into_result(self)
    }

    /// Each agreed level judged against what was measured.
    pub fn judge(&self, levels: &ServiceLevels) -> LevelJudgement {
        let availability = match (levels.availability_target, self.measured_availability) {
            (None, _) => LevelOutcome::NotAgreed,
            (Some(_), None) => LevelOutcome::NotMeasured,
            (Some(target), Some(measured)) => {
                LevelOutcome::of(super::milli(measured) >= super::milli(target))
            }
        };
        let cases = |agreed: Option<u32>, met: Option<u32>, missed: Option<u32>| match (
            agreed, met, missed,
        ) {
            (None, _, _) => LevelOutcome::NotAgreed,
            (Some(_), None, None) => LevelOutcome::NotMeasured,
            (Some(_), _, missed) => LevelOutcome::of(missed.unwrap_or(0) == 0),
        };
        LevelJudgement {
            availability,
            response: cases(
                levels.response_hours,
                self.response_met,
                self.response_missed,
            ),
            resolution: cases(
                levels.resolution_hours,
                self.resolution_met,
                self.resolution_missed,
            ),
        }
    }
}

text_enum!(
    /// How a period went against one agreed level.
    LevelOutcome {
        /// The level was kept (availability at or above the target; no
        /// case later than the agreed time).
        Met = "met",
        /// The level was not kept.
        Missed = "missed",
        /// The level is agreed but nothing was measured.
        NotMeasured = "not_measured",
        /// No level is agreed, so nothing is judged.
        NotAgreed = "not_agreed",
    }
);

impl LevelOutcome {
    fn of(met: bool) -> LevelOutcome {
        if met {
            LevelOutcome::Met
        } else {
            LevelOutcome::Missed
        }
    }

    /// Its words' message key (`service-outcome-met` …).
    pub fn key(self) -> &'static str {
        match self {
            LevelOutcome::Met => "service-outcome-met",
            LevelOutcome::Missed => "service-outcome-missed",
            LevelOutcome::NotMeasured => "service-outcome-not_measured",
            LevelOutcome::NotAgreed => "service-outcome-not_agreed",
        }
    }
}

/// Each level of a period judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ItServiceJudgement))]
pub struct LevelJudgement {
    pub availability: LevelOutcome,
    pub response: LevelOutcome,
    pub resolution: LevelOutcome,
}

impl LevelJudgement {
    /// Whether any agreed level was missed.
    pub fn any_missed(&self) -> bool {
        [self.availability, self.response, self.resolution].contains(&LevelOutcome::Missed)
    }
}

/// A period's follow-up as stored, judged against the service's levels.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ItServiceFollowUp))]
pub struct FollowUp {
    pub id: ItServiceFollowUpId,
    pub service_id: ItServiceId,
    #[serde(flatten)]
    pub draft: FollowUpDraft,
    pub judgement: LevelJudgement,
    pub created_at: DateTime<Utc>,
}
