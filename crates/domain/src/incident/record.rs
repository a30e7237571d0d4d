//! The incident record and its life: new → investigating → contained →
//! resolved → closed, or dismissed with a reason.

use crate::ids::SystemId;
use crate::model::text_enum;
use crate::validation::{self as v, FieldErrors};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

text_enum!(
    /// What kind of incident it is. A personal-data incident runs the
    /// clocks for personal data (GDPR art. 33) whatever else it is.
    IncidentKind {
        /// Informationssäkerhetsincident.
        Security = "security",
        /// Personuppgiftsincident.
        PersonalData = "personal_data",
        /// Driftstörning: an outage or a fault without a breach.
        Disruption = "disruption",
    }
);

text_enum!(
    /// How serious it is.
    Severity {
        Low = "low",
        Medium = "medium",
        High = "high",
        Critical = "critical",
    }
);

text_enum!(
    /// How it came to the organisation's knowledge.
    Detection {
        Internal = "internal",
        External = "external",
        Supplier = "supplier",
    }
);

text_enum!(
    /// Where an incident stands.
    IncidentStatus {
        New = "new",
        Investigating = "investigating",
        Contained = "contained",
        Resolved = "resolved",
        Closed = "closed",
        /// Not an incident after all; the reason is required.
        Dismissed = "dismissed",
    }
);

/// "Aware at" before "occurred at".
pub const AWARE_BEFORE_OCCURRED: &str = "error-incident-aware-before-occurred";
/// A move between statuses that the life of an incident does not allow.
pub const STATUS_NOT_ALLOWED: &str = "error-incident-status-not-allowed";
/// A clock that may not be set aside (only those the profile marks may).
pub const NOT_WAIVABLE: &str = "error-incident-not-waivable";
/// A report made before the organisation became aware.
pub const REPORTED_BEFORE_AWARE: &str = "error-incident-reported-before-aware";

/// The most systems one incident names.
pub const MAX_SYSTEMS: usize = 100;

impl IncidentStatus {
    /// Whether the incident is still being handled.
    pub fn is_open(self) -> bool {
        !matches!(self, IncidentStatus::Closed | IncidentStatus::Dismissed)
    }

    fn rank(self) -> u8 {
        match self {
            IncidentStatus::New => 0,
            IncidentStatus::Investigating => 1,
            IncidentStatus::Contained => 2,
            IncidentStatus::Resolved => 3,
            IncidentStatus::Closed => 4,
            IncidentStatus::Dismissed => 5,
        }
    }

    /// Whether the status may move to `to`: forward along the way (steps may
    /// be skipped, as when an incident is contained by the time it is
    /// registered), dismissed from any open status, and reopened (back to
    /// investigating) from closed or dismissed. A dismissal needs a reason,
    /// which [`StatusChange::validate`] checks.
    pub fn may_become(self, to: IncidentStatus) -> bool {
        use IncidentStatus::*;
        match (self, to) {
            (a, b) if a == b => false,
            (Closed | Dismissed, Investigating) => true,
            (Closed | Dismissed, _) => false,
            (_, Dismissed) => true,
            (a, b) => b.rank() > a.rank(),
        }
    }
}

/// What is known of the personal data an incident touches (GDPR art.
/// 33.3 a, c).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonalDataImpact {
    /// The categories of data subjects and of personal data concerned.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub categories: Option<String>,
    /// Whether sensitive personal data (art. 9) or data on offences are concerned.
    #[serde(default)]
    pub sensitive: bool,
    /// About how many people are concerned.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub subjects: Option<i64>,
    /// About how many records are concerned.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub records: Option<i64>,
    /// The likely consequences for the people concerned.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub consequences: Option<String>,
}

/// An incident as reported or edited.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncidentDraft {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = r"\S")
    )]
    pub title: String,
    /// What happened.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 10000))]
    pub description: Option<String>,
    pub kind: IncidentKind,
    pub severity: Severity,
    pub detection: Detection,
    /// When it happened, where known.
    #[serde(default)]
    pub occurred_at: Option<DateTime<Utc>>,
    /// When the organisation became aware of it: every clock runs from here.
    pub aware_at: DateTime<Utc>,
    /// Who reported it (a name, a supplier, a citizen).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub reported_by: Option<String>,
    /// The systems affected.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub system_ids: Vec<SystemId>,
    /// The information sets affected (their classification and
    /// personal-data flags come from the register).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub information_set_ids: Vec<uuid::Uuid>,
    /// Personal data concerned (whatever the kind: a disruption may also
    /// make personal data unavailable).
    #[serde(default)]
    pub personal_data: Option<PersonalDataImpact>,
    /// The controller (personuppgiftsansvarig): the nämnd that owns the
    /// affected systems, filled in from the register when left out.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub controller: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 10000))]
    pub cause: Option<String>,
    /// Lessons learned (erfarenheter), written when the incident is handled.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 10000))]
    pub lessons: Option<String>,
}

impl IncidentDraft {
    /// Whether personal data are concerned: a personal-data incident, or
    /// any incident with its personal-data impact filled in.
    pub fn concerns_personal_data(&self) -> bool {
        self.kind == IncidentKind::PersonalData || self.personal_data.is_some()
    }

    /// Checks the draft against `now` (aware at may not lie in the future).
    pub fn validate_at(mut self, now: DateTime<Utc>) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.title = v::required_text(&mut e, "title", &self.title, 200);
        self.description =
            v::optional_text(&mut e, "description", self.description.as_deref(), 10_000);
        self.reported_by =
            v::optional_text(&mut e, "reported_by", self.reported_by.as_deref(), 200);
        self.controller = v::optional_text(&mut e, "controller", self.controller.as_deref(), 200);
        self.cause = v::optional_text(&mut e, "cause", self.cause.as_deref(), 10_000);
        self.lessons = v::optional_text(&mut e, "lessons", self.lessons.as_deref(), 10_000);
        if self.aware_at > now {
            e.add("aware_at", v::IN_FUTURE);
        }
        if let Some(o) = self.occurred_at {
            if o > now {
                e.add("occurred_at", v::IN_FUTURE);
            } else if self.aware_at < o {
                e.add("aware_at", AWARE_BEFORE_OCCURRED);
            }
        }
        self.system_ids.sort();
        self.system_ids.dedup();
        if self.system_ids.len() > MAX_SYSTEMS {
            e.add("system_ids", v::TOO_LONG);
        }
        self.information_set_ids.sort();
        self.information_set_ids.dedup();
        if self.information_set_ids.len() > MAX_SYSTEMS {
            e.add("information_set_ids", v::TOO_LONG);
        }
        if let Some(p) = self.personal_data.as_mut() {
            p.categories = v::optional_text(
                &mut e,
                "personal_data.categories",
                p.categories.as_deref(),
                2000,
            );
            p.consequences = v::optional_text(
                &mut e,
                "personal_data.consequences",
                p.consequences.as_deref(),
                4000,
            );
            for (field, n) in [
                ("personal_data.subjects", p.subjects),
                ("personal_data.records", p.records),
            ] {
                if n.is_some_and(|n| n < 0) {
                    e.add(field, v::NEGATIVE);
                }
            }
        }
        e.into_result(self)
    }

    /// [`Self::validate_at`] now.
    pub fn validate(self) -> Result<Self, FieldErrors> {
        self.validate_at(Utc::now())
    }
}

/// A move of an incident's status, with the reason a dismissal needs.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusChange {
    pub status: IncidentStatus,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub reason: Option<String>,
}

impl StatusChange {
    /// Checks the change from `from`.
    pub fn validate(mut self, from: IncidentStatus) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.reason = v::optional_text(&mut e, "reason", self.reason.as_deref(), 2000);
        if !from.may_become(self.status) {
            e.add("status", STATUS_NOT_ALLOWED);
        } else if self.status == IncidentStatus::Dismissed && self.reason.is_none() {
            e.add("reason", v::REQUIRED);
        }
        e.into_result(self)
    }
}

/// An entry in an incident's timeline, written by hand (status and severity
/// changes are entered by the store itself).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineDraft {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 5000, pattern = r"\S")
    )]
    pub text: String,
    /// When it happened; now when left out.
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
}

impl TimelineDraft {
    pub fn validate_at(mut self, now: DateTime<Utc>) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.text = v::required_text(&mut e, "text", &self.text, 5000);
        if self.at.is_some_and(|a| a > now) {
            e.add("at", v::IN_FUTURE);
        }
        e.into_result(self)
    }
}

/// An incident as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Incident {
    pub id: crate::ids::IncidentId,
    pub org_id: crate::ids::OrgId,
    /// The organisation's running number (1, 2, 3 …).
    pub number: i64,
    pub title: String,
    pub description: Option<String>,
    pub kind: IncidentKind,
    pub severity: Severity,
    pub detection: Detection,
    pub occurred_at: Option<DateTime<Utc>>,
    pub aware_at: DateTime<Utc>,
    pub reported_by: Option<String>,
    pub controller: Option<String>,
    pub cause: Option<String>,
    pub lessons: Option<String>,
    pub status: IncidentStatus,
    pub personal_data: Option<PersonalDataImpact>,
    /// Whether it is significant (cybersäkerhetslagen), once assessed.
    pub significance: Option<super::Significance>,
    pub system_ids: Vec<SystemId>,
    pub information_set_ids: Vec<uuid::Uuid>,
    pub contained_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Incident {
    /// Whether personal data are concerned (see [`IncidentDraft::concerns_personal_data`]).
    pub fn concerns_personal_data(&self) -> bool {
        self.kind == IncidentKind::PersonalData || self.personal_data.is_some()
    }
}

/// An assessment of whether an incident is significant, with its reason.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignificanceDraft {
    pub significant: bool,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 2000, pattern = r"\S")
    )]
    pub reason: String,
}

impl SignificanceDraft {
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.reason = v::required_text(&mut e, "reason", &self.reason, 2000);
        e.into_result(self)
    }
}

text_enum!(
    /// What happened to a clock: the report was made, or the clock was set
    /// aside with a judgement.
    ClockEventKind {
        Reported = "reported",
        Waived = "waived",
    }
);

/// A report made on a clock (when, and its reference), or a clock set
/// aside (the judgement's reason).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClockEventDraft {
    pub kind: ClockEventKind,
    /// When the report was made; now when left out.
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
    /// The report's reference, or the reason for setting the clock aside.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub note: Option<String>,
}

impl ClockEventDraft {
    /// Checks the event against the clock's deadline, the incident's aware
    /// at and now.
    pub fn validate_at(
        mut self,
        deadline: &crate::policy::Deadline,
        aware_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.note = v::optional_text(&mut e, "note", self.note.as_deref(), 2000);
        match self.kind {
            ClockEventKind::Waived if !deadline.waivable => e.add("kind", NOT_WAIVABLE),
            ClockEventKind::Waived if self.note.is_none() => e.add("note", v::REQUIRED),
            _ => {}
        }
        let at = self.at.unwrap_or(now);
        if at > now {
            e.add("at", v::IN_FUTURE);
        } else if at < aware_at {
            e.add("at", REPORTED_BEFORE_AWARE);
        }
        self.at = Some(at);
        e.into_result(self)
    }
}

/// An action taken on an incident (åtgärd), with whoever owns it and when
/// it is due.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionDraft {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 1000, pattern = r"\S")
    )]
    pub what: String,
    #[serde(default)]
    pub owner_id: Option<crate::ids::PersonId>,
    #[serde(default)]
    pub due_on: Option<chrono::NaiveDate>,
    #[serde(default)]
    pub done_on: Option<chrono::NaiveDate>,
}

impl ActionDraft {
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.what = v::required_text(&mut e, "what", &self.what, 1000);
        e.into_result(self)
    }
}

/// An action as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncidentAction {
    pub id: uuid::Uuid,
    pub what: String,
    pub owner_id: Option<crate::ids::PersonId>,
    pub owner: Option<String>,
    pub due_on: Option<chrono::NaiveDate>,
    pub done_on: Option<chrono::NaiveDate>,
}

impl IncidentAction {
    /// The draft that marks it done on a day, the rest as it is (an
    /// incident's action and a restore test's alike).
    pub fn done(self, on: chrono::NaiveDate) -> ActionDraft {
        ActionDraft {
            what: self.what,
            owner_id: self.owner_id,
            due_on: self.due_on,
            done_on: Some(on),
        }
    }
}
