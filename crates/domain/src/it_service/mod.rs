//! IT services (IT-tjänster, Stockholm 5 and 5.4; R-SVC-1): a service is
//! defined with who delivers it (a unit of the organisation, usually the IT
//! unit, or a supplier), its owner, its yearly cost, the systems behind it
//! and perhaps the contract it is delivered under, and its agreed service
//! levels (servicenivåer: availability, support hours, response and
//! resolution times), which "ska … följas upp" (5.4): a follow-up per month
//! or quarter records what was measured, and `levels.rs` judges each level
//! met or missed. No I/O: the store keeps them.

mod import;
mod levels;
mod period;
#[cfg(test)]
mod tests;

pub use import::*;
pub use levels::*;
pub use period::*;

use crate::contract::SystemRef;
use crate::ids::{ContractId, ItServiceId, OrgId, PersonId, SupplierId, SystemId, UnitId};
use crate::validation::{self as v, FieldErrors};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const MAX_NAME: usize = 200;
pub const MAX_TEXT: usize = 4000;
pub const MAX_SUPPORT_HOURS: usize = 200;
pub const MAX_COMMENT: usize = 2000;
/// The most systems one service may list.
pub const MAX_SYSTEMS: usize = 200;
/// The longest response or resolution time, in hours (a year).
pub const MAX_HOURS: u32 = 8760;
/// The highest yearly cost in kronor (a thousand million).
pub const MAX_COST: i64 = 1_000_000_000;
/// The most incidents or requests one period may count per level.
pub const MAX_COUNT: u32 = 1_000_000;

/// Neither or both of the unit and the supplier named as deliverer.
pub const ONE_DELIVERER: &str = "error-service-one-deliverer";
/// A percentage outside 0–100.
pub const NOT_A_PERCENTAGE: &str = "error-service-percentage";
/// Hours outside 0–8760.
pub const HOURS_OUT_OF_RANGE: &str = "error-service-hours";
/// A count above the limit.
pub const COUNT_OUT_OF_RANGE: &str = "error-service-count";
/// A cost above the limit.
pub const COST_OUT_OF_RANGE: &str = "error-service-cost";
/// A period that is not "2026-03" or "2026-Q1".
pub const NOT_A_PERIOD: &str = "error-service-period";
/// A period already followed up for the service.
pub const PERIOD_TAKEN: &str = "error-service-period-taken";
/// Too many systems.
pub const TOO_MANY_SYSTEMS: &str = "error-service-too-many-systems";

/// Every message key this module can produce.
pub const ERROR_CODES: &[&str] = &[
    ONE_DELIVERER,
    NOT_A_PERCENTAGE,
    HOURS_OUT_OF_RANGE,
    COUNT_OUT_OF_RANGE,
    COST_OUT_OF_RANGE,
    NOT_A_PERIOD,
    PERIOD_TAKEN,
    TOO_MANY_SYSTEMS,
];

/// The agreed service levels (servicenivåer) of a service; each optional:
/// a level not agreed is not judged.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ItServiceLevels))]
pub struct ServiceLevels {
    /// The agreed availability in per cent (99.5), at most three decimals.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100))]
    pub availability_target: Option<f64>,
    /// When support answers, in words ("vardagar 07–17").
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub support_hours: Option<String>,
    /// The longest time to a first response, in hours.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 8760))]
    pub response_hours: Option<u32>,
    /// The longest time to a resolution, in hours.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 8760))]
    pub resolution_hours: Option<u32>,
}

/// An IT service as created or edited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ItServiceDraft))]
pub struct ServiceDraft {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = r"\S")
    )]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub description: Option<String>,
    /// The unit that delivers it (the IT unit); exactly one of this and
    /// `supplier_id`.
    #[serde(default)]
    pub unit_id: Option<UnitId>,
    /// The supplier that delivers it; exactly one of this and `unit_id`.
    #[serde(default)]
    pub supplier_id: Option<SupplierId>,
    /// The service owner (tjänsteägare), a person of the organisation.
    #[serde(default)]
    pub owner_id: Option<PersonId>,
    /// What it costs a year, in kronor.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000000000))]
    pub yearly_cost: Option<i64>,
    /// The contract it is delivered under.
    #[serde(default)]
    pub contract_id: Option<ContractId>,
    /// The systems behind it.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 200))]
    pub system_ids: Vec<SystemId>,
    #[serde(default)]
    pub levels: ServiceLevels,
}

/// A percentage with at most three decimals, if `p` is one (0–100).
pub fn percentage(p: f64) -> Option<f64> {
    (p.is_finite() && (0.0..=100.0).contains(&p)).then(|| (p * 1000.0).round() / 1000.0)
}

/// A percentage in thousandths of a per cent (99.5 → 99 500), as stored
/// and compared.
pub fn milli(p: f64) -> i64 {
    (p * 1000.0).round() as i64
}

/// [`milli`]'s inverse.
pub fn from_milli(m: i64) -> f64 {
    m as f64 / 1000.0
}

fn check_percentage(e: &mut FieldErrors, field: &str, p: &mut Option<f64>) {
    if let Some(x) = *p {
        match percentage(x) {
            Some(x) => *p = Some(x),
            None => e.add(field, NOT_A_PERCENTAGE),
        }
    }
}

impl ServiceLevels {
    fn validate(&mut self, e: &mut FieldErrors, prefix: &str) {
        let f = |name: &str| format!("{prefix}{name}");
        check_percentage(e, &f("availability_target"), &mut self.availability_target);
        self.support_hours = v::optional_text(
            e,
            &f("support_hours"),
            self.support_hours.as_deref(),
            MAX_SUPPORT_HOURS,
        );
        for (name, h) in [
            ("response_hours", self.response_hours),
            ("resolution_hours", self.resolution_hours),
        ] {
            if h.is_some_and(|h| h > MAX_HOURS) {
                e.add(&f(name), HOURS_OUT_OF_RANGE);
            }
        }
    }
}

impl ServiceDraft {
    /// An empty draft delivered by `unit`.
    pub fn new(name: &str, unit: UnitId) -> Self {
        ServiceDraft {
            name: name.into(),
            description: None,
            unit_id: Some(unit),
            supplier_id: None,
            owner_id: None,
            yearly_cost: None,
            contract_id: None,
            system_ids: vec![],
            levels: ServiceLevels::default(),
        }
    }

    /// Trims the texts and checks lengths, the one deliverer, the cost,
    /// the levels and the systems (each once, in the order given).
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.name = v::required_text(&mut e, "name", &self.name, MAX_NAME);
        self.description =
            v::optional_text(&mut e, "description", self.description.as_deref(), MAX_TEXT);
        if self.unit_id.is_some() == self.supplier_id.is_some() {
            e.add("unit_id", ONE_DELIVERER);
        }
        if self
            .yearly_cost
            .is_some_and(|c| !(0..=MAX_COST).contains(&c))
        {
            e.add("yearly_cost", COST_OUT_OF_RANGE);
        }
        self.levels.validate(&mut e, "levels.");
        let mut seen = std::collections::HashSet::new();
        self.system_ids.retain(|s| seen.insert(*s));
        if self.system_ids.len() > MAX_SYSTEMS {
            e.add("system_ids", TOO_MANY_SYSTEMS);
        }
        e.into_result(self)
    }
}

/// Who delivers a service, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ItServiceDeliverer))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Deliverer {
    /// A unit of the organisation.
    Unit { id: UnitId, name: String },
    /// A supplier.
    Supplier { id: SupplierId, name: String },
}

/// An IT service as stored, with the names of what it refers to and its
/// latest follow-up's judgement.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ItService))]
pub struct Service {
    pub id: ItServiceId,
    pub org_id: OrgId,
    pub name: String,
    pub description: Option<String>,
    pub delivered_by: Deliverer,
    pub owner_id: Option<PersonId>,
    pub owner_name: Option<String>,
    pub yearly_cost: Option<i64>,
    pub contract_id: Option<ContractId>,
    pub contract_name: Option<String>,
    pub systems: Vec<SystemRef>,
    pub levels: ServiceLevels,
    /// How many periods are followed up.
    pub follow_ups: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Service {
    /// The draft that would write it as it is.
    pub fn draft(&self) -> ServiceDraft {
        let (unit_id, supplier_id) = match &self.delivered_by {
            Deliverer::Unit { id, .. } => (Some(*id), None),
            Deliverer::Supplier { id, .. } => (None, Some(*id)),
        };
        ServiceDraft {
            name: self.name.clone(),
            description: self.description.clone(),
            unit_id,
            supplier_id,
            owner_id: self.owner_id,
            yearly_cost: self.yearly_cost,
            contract_id: self.contract_id,
            system_ids: self.systems.iter().map(|s| s.id).collect(),
            levels: self.levels.clone(),
        }
    }
}

impl v::Validate for ServiceDraft {
    fn problems(&self) -> FieldErrors {
        self.clone().validate().err().unwrap_or_default()
    }
}

impl v::Validate for FollowUpDraft {
    fn problems(&self) -> FieldErrors {
        self.clone().validate().err().unwrap_or_default()
    }
}
