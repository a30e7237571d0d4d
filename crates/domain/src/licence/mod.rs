//! Licences (issue 19 item 3; Södertälje 2.2.5 and Mjölby 3.2.2 make the
//! system owner see to it that the licences needed are held): what was
//! bought for a system, against what is in use.
//!
//! What was bought: a metric (per named user, per concurrent user, per
//! installation or device, or site/organisation-wide), a quantity (none for
//! a site licence), a yearly cost in whole kronor, optionally the contract
//! that covers it, and the days it is valid.
//!
//! What is in use: for named users, counted from the system's access
//! holdings in insyn (active today) — or, when the system's users are not
//! kept in insyn, a number entered by hand. For concurrent users the
//! holdings say how many *may* log in, not how many do at once, so the peak
//! is entered by hand; for installations the number of installations is
//! entered. A site licence may count its users either way (for the cost per
//! user); it is never over- or underused.
//!
//! The findings, judged on a day (only for a licence not ended):
//! - **overuse**: more in use than bought;
//! - **idle**: at least [`IDLE_MIN_SEATS`] seats *and* at least
//!   [`IDLE_MIN_PERCENT`] % of those bought unused — both, so a 3-seat
//!   licence with one seat free is not flagged, nor 10 free of 1,000;
//! - **ended**: its last valid day has passed.
//!
//! The organisation's list filters and sorts on the same rule in SQL; the
//! store builds it from the constants here.

use crate::ids::{ContractId, SystemId};
use crate::model::text_enum;
use crate::validation::{self as v, FieldErrors};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg(test)]
mod tests;

/// A licence is idle when at least this many seats are unused …
pub const IDLE_MIN_SEATS: i64 = 5;
/// … and they are at least this share (per cent) of those bought.
pub const IDLE_MIN_PERCENT: i64 = 20;

/// The largest quantity, count or yearly cost accepted.
pub const MAX_NUMBER: i64 = 1_000_000_000;
const MAX_NAME: usize = 200;
const MAX_NOTES: usize = 4000;

text_enum!(
    /// How the licence is counted.
    Metric {
        /// Per named user (each person with an account).
        NamedUser = "named_user",
        /// Per concurrent user (how many may be logged in at once).
        ConcurrentUser = "concurrent_user",
        /// Per installation or device.
        Installation = "installation",
        /// The whole site or organisation, without a number.
        Site = "site",
    }
);

text_enum!(
    /// Where the number in use comes from.
    InUseSource {
        /// The system's active access holdings in insyn.
        Holdings = "holdings",
        /// A number entered by hand (the users are not kept in insyn, or the
        /// metric is not per person).
        Entered = "entered",
    }
);

impl Metric {
    /// Whether the licence is bought as a number of seats.
    pub fn counted(self) -> bool {
        self != Metric::Site
    }

    /// Whether the system's access holdings can count its use.
    pub fn counts_holdings(self) -> bool {
        matches!(self, Metric::NamedUser | Metric::Site)
    }
}

/// A licence as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = LicenceDraft))]
pub struct LicenceDraft {
    /// What the licence is called (the product or the agreement's words).
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = r"\S")
    )]
    pub name: String,
    pub metric: Metric,
    /// How many were bought; required unless the metric is `site`, and
    /// none for `site`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000000000))]
    pub quantity: Option<i64>,
    /// What it costs a year, in whole kronor (SEK).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000000000))]
    pub yearly_cost: Option<i64>,
    /// The licence or subscription contract that covers it.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<uuid::Uuid>))]
    pub contract_id: Option<ContractId>,
    #[serde(default)]
    pub valid_from: Option<NaiveDate>,
    /// The last day it is valid; none while it runs on.
    #[serde(default)]
    pub valid_until: Option<NaiveDate>,
    /// Where the number in use comes from: `holdings` only for `named_user`
    /// and `site`.
    pub in_use_source: InUseSource,
    /// The number in use when it is `entered` (none: not known); must be
    /// left out when counted from the holdings.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000000000))]
    pub in_use_entered: Option<i64>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub notes: Option<String>,
}

fn number(e: &mut FieldErrors, field: &str, n: Option<i64>) {
    match n {
        Some(n) if n < 0 => e.add(field, v::NEGATIVE),
        Some(n) if n > MAX_NUMBER => e.add(field, v::TOO_LONG),
        _ => {}
    }
}

impl LicenceDraft {
    /// Trims the texts and checks the numbers, the days and that the
    /// quantity and the source of the number in use fit the metric.
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.name = v::required_text(&mut e, "name", &self.name, MAX_NAME);
        self.notes = v::optional_text(&mut e, "notes", self.notes.as_deref(), MAX_NOTES);
        number(&mut e, "quantity", self.quantity);
        number(&mut e, "yearly_cost", self.yearly_cost);
        number(&mut e, "in_use_entered", self.in_use_entered);
        match (self.metric.counted(), self.quantity) {
            (true, None) => e.add("quantity", v::REQUIRED),
            (false, Some(_)) => e.add("quantity", NO_QUANTITY_FOR_SITE),
            _ => {}
        }
        if self.in_use_source == InUseSource::Holdings {
            if !self.metric.counts_holdings() {
                e.add("in_use_source", HOLDINGS_NOT_FOR_METRIC);
            }
            if self.in_use_entered.is_some() {
                e.add("in_use_entered", ENTERED_WITH_HOLDINGS);
            }
        }
        if let (Some(from), Some(until)) = (self.valid_from, self.valid_until)
            && until < from
        {
            e.add("valid_until", v::END_BEFORE_START);
        }
        e.into_result(self)
    }

    /// Whether the licence still runs on `day` or later: it has no last day,
    /// or its last day is after `day`. The decommissioning gate asks this of
    /// the planned date.
    pub fn runs_after(&self, day: NaiveDate) -> bool {
        self.valid_until.is_none_or(|u| u > day)
    }

    /// Judges the licence on `today`, with `holdings` the system's access
    /// holdings active today.
    pub fn judge(&self, holdings: i64, today: NaiveDate) -> LicenceJudgement {
        let in_use = match self.in_use_source {
            InUseSource::Holdings => Some(holdings),
            InUseSource::Entered => self.in_use_entered,
        };
        let ended = self.valid_until.is_some_and(|u| u < today);
        let mut findings = vec![];
        if ended {
            findings.push(LicenceFinding::Ended);
        } else if let (Some(bought), Some(used), true) =
            (self.quantity, in_use, self.metric.counted())
        {
            if used > bought {
                findings.push(LicenceFinding::Overuse);
            } else if is_idle(bought, bought - used) {
                findings.push(LicenceFinding::Idle);
            }
        }
        let cost_per_user = match (self.yearly_cost, in_use) {
            (Some(cost), Some(n)) if n > 0 => Some((cost + n / 2) / n),
            _ => None,
        };
        LicenceJudgement {
            in_use,
            unused: self
                .quantity
                .zip(in_use)
                .filter(|_| self.metric.counted())
                .map(|(b, u)| b - u),
            findings,
            cost_per_user,
        }
    }
}

/// Whether `unused` seats of `bought` make a licence idle.
pub fn is_idle(bought: i64, unused: i64) -> bool {
    unused >= IDLE_MIN_SEATS && unused * 100 >= IDLE_MIN_PERCENT * bought
}

/// The quantity must be left out for a site licence.
pub const NO_QUANTITY_FOR_SITE: &str = "error-licence-site-quantity";
/// Holdings count only named users (and a site's users).
pub const HOLDINGS_NOT_FOR_METRIC: &str = "error-licence-holdings-metric";
/// An entered number beside a count from the holdings.
pub const ENTERED_WITH_HOLDINGS: &str = "error-licence-entered-with-holdings";

/// The checks of [`LicenceDraft::validate`].
impl v::Validate for LicenceDraft {
    fn problems(&self) -> FieldErrors {
        self.clone().validate().err().unwrap_or_default()
    }
}

text_enum!(
    /// What the register finds about a licence.
    LicenceFinding {
        /// More in use than bought.
        Overuse = "overuse",
        /// Many seats bought and not used (see the module's note).
        Idle = "idle",
        /// Its last valid day has passed.
        Ended = "ended",
    }
);

impl LicenceFinding {
    /// The message key of its words (`licence-finding-overuse`), which take
    /// the numbers `bought`, `in-use` and `unused`.
    pub fn key(self) -> &'static str {
        match self {
            LicenceFinding::Overuse => "licence-finding-overuse",
            LicenceFinding::Idle => "licence-finding-idle",
            LicenceFinding::Ended => "licence-finding-ended",
        }
    }
}

/// A licence judged on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LicenceJudgement {
    /// How many are in use (none: not known).
    pub in_use: Option<i64>,
    /// Bought less in use (negative when overused; none for a site licence
    /// or when the use is not known).
    pub unused: Option<i64>,
    pub findings: Vec<LicenceFinding>,
    /// The yearly cost shared by those in use, in whole kronor (rounded).
    pub cost_per_user: Option<i64>,
}

/// A licence as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Licence {
    pub id: Uuid,
    pub system_id: SystemId,
    #[serde(flatten)]
    pub draft: LicenceDraft,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

/// A licence with its system's name, judged on the day it was read.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = LicenceView))]
pub struct LicenceView {
    #[serde(flatten)]
    pub licence: Licence,
    pub system_name: String,
    #[serde(flatten)]
    pub judged: LicenceJudgement,
}
