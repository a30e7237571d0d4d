//! The reporting clocks of an incident. Each deadline of the organisation's
//! profile (and each statutory one the profile does not restate) runs from
//! the moment the organisation became *aware*, never from when a report was
//! received, and all that apply run in parallel.

use crate::policy::{Deadline, DeadlineApplies};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// A recorded judgement: who made it, when, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Judgement {
    pub by: String,
    pub at: DateTime<Utc>,
    pub reason: String,
}

/// Whether the incident is significant under cybersäkerhetslagen, as
/// assessed against the criteria, by whom.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Significance {
    pub significant: bool,
    pub judgement: Judgement,
}

/// What the clocks need to know of an incident.
#[derive(Debug, Clone, PartialEq)]
pub struct ClockFacts {
    pub aware_at: DateTime<Utc>,
    pub personal_data: bool,
    /// Not yet assessed when `None`.
    pub significance: Option<Significance>,
    /// Clocks set aside (deadline id → the judgement), e.g. "the breach is
    /// unlikely to result in a risk to people" for IMY.
    pub waived: BTreeMap<String, Judgement>,
    /// Reports made (deadline id → when).
    pub reported: BTreeMap<String, DateTime<Utc>>,
}

/// Where one clock stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ClockState {
    /// Running: this many whole minutes left.
    Running { minutes_left: i64 },
    /// The report was made; `late` when after the deadline.
    Met { at: DateTime<Utc>, late: bool },
    /// The deadline passed without a report; it stays visible as missed.
    Missed { minutes_over: i64 },
    /// The clock runs only if the incident is assessed as significant, and
    /// nobody has assessed it yet: the assessment is due as soon as possible.
    AwaitingAssessment { minutes_left: i64 },
    /// The deadline does not apply to this incident, and why.
    NotApplicable { reason: NotApplicable },
}

/// Why a clock does not apply.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum NotApplicable {
    /// No personal data are concerned.
    NoPersonalData,
    /// Assessed as not significant.
    NotSignificant { judgement: Judgement },
    /// Set aside with a judgement (e.g. no likely risk to people).
    Waived { judgement: Judgement },
}

/// One clock of one incident.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Clock {
    pub deadline: Deadline,
    pub due_at: DateTime<Utc>,
    #[serde(flatten)]
    pub state: ClockState,
}

/// How far a running clock has come, for reminders: each stage is
/// reminded once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClockStage {
    /// Half the time has gone.
    Half,
    /// 80 % of the time has gone.
    Late,
    /// The deadline has passed.
    Missed,
}

impl ClockStage {
    pub fn as_str(self) -> &'static str {
        match self {
            ClockStage::Half => "half",
            ClockStage::Late => "eighty",
            ClockStage::Missed => "missed",
        }
    }
}

/// The deadlines an organisation's incidents run: its profile's, then each
/// statutory one (the 2026 baseline's) whose id the profile does not use.
/// The law applies to every municipality whatever its own guideline says.
pub fn deadlines_for(profile: &[Deadline], law: &[Deadline]) -> Vec<Deadline> {
    let mut all = profile.to_vec();
    for d in law {
        if !all.iter().any(|p| p.id == d.id) {
            all.push(d.clone());
        }
    }
    all
}

/// Every clock of an incident at `now`, in the order of the deadlines.
pub fn clocks(deadlines: &[Deadline], facts: &ClockFacts, now: DateTime<Utc>) -> Vec<Clock> {
    deadlines
        .iter()
        .map(|d| {
            let due_at = facts.aware_at + Duration::hours(i64::from(d.hours));
            Clock {
                deadline: d.clone(),
                due_at,
                state: state(d, due_at, facts, now),
            }
        })
        .collect()
}

fn minutes(d: Duration) -> i64 {
    d.num_minutes()
}

fn state(d: &Deadline, due_at: DateTime<Utc>, f: &ClockFacts, now: DateTime<Utc>) -> ClockState {
    if let Some(&at) = f.reported.get(&d.id) {
        return ClockState::Met {
            at,
            late: at > due_at,
        };
    }
    match d.applies {
        DeadlineApplies::PersonalData if !f.personal_data => {
            return ClockState::NotApplicable {
                reason: NotApplicable::NoPersonalData,
            };
        }
        DeadlineApplies::Significant => match &f.significance {
            Some(s) if !s.significant => {
                return ClockState::NotApplicable {
                    reason: NotApplicable::NotSignificant {
                        judgement: s.judgement.clone(),
                    },
                };
            }
            None if now < due_at => {
                return ClockState::AwaitingAssessment {
                    minutes_left: minutes(due_at - now),
                };
            }
            _ => {}
        },
        _ => {}
    }
    if d.waivable
        && let Some(j) = f.waived.get(&d.id)
    {
        return ClockState::NotApplicable {
            reason: NotApplicable::Waived {
                judgement: j.clone(),
            },
        };
    }
    if now <= due_at {
        ClockState::Running {
            minutes_left: minutes(due_at - now),
        }
    } else {
        ClockState::Missed {
            minutes_over: minutes(now - due_at),
        }
    }
}

impl Clock {
    /// Whether the clock still asks for something: running, awaiting the
    /// assessment, or missed without a report.
    pub fn is_open(&self) -> bool {
        matches!(
            self.state,
            ClockState::Running { .. }
                | ClockState::AwaitingAssessment { .. }
                | ClockState::Missed { .. }
        )
    }

    /// The furthest reminder stage the clock has reached at `now`, if any
    /// (none once the report is made or the clock does not apply). A clock
    /// awaiting the assessment is reminded like a running one: the
    /// assessment itself is what is late.
    pub fn stage(&self, aware_at: DateTime<Utc>, now: DateTime<Utc>) -> Option<ClockStage> {
        if !self.is_open() {
            return None;
        }
        let whole = (self.due_at - aware_at).num_seconds().max(1);
        let gone = (now - aware_at).num_seconds();
        if gone > whole {
            Some(ClockStage::Missed)
        } else if gone * 10 >= whole * 8 {
            Some(ClockStage::Late)
        } else if gone * 2 >= whole {
            Some(ClockStage::Half)
        } else {
            None
        }
    }
}

/// The statutory deadlines (GDPR art. 33 and cybersäkerhetslagen), as the
/// shipped 2026 baseline states them.
pub fn statutory() -> Vec<Deadline> {
    #[derive(serde::Deserialize)]
    struct Deadlines {
        #[serde(default, rename = "deadline")]
        deadlines: Vec<Deadline>,
    }
    let text = crate::policy::SHIPPED
        .iter()
        .find(|(code, _)| *code == "baseline-2026")
        .map(|(_, text)| *text)
        .unwrap_or_default();
    toml::from_str::<Deadlines>(text)
        .map(|d| d.deadlines)
        .unwrap_or_default()
}
