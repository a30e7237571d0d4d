//! The organisation's entity class under cybersäkerhetslagen (2025:1506):
//! essential or important entity (väsentlig or viktig verksamhetsutövare),
//! not covered, or not yet assessed; its sector, and its registration with
//! the supervisory authority.

use crate::model::text_enum;
use crate::validation::{self as v, FieldErrors};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

const MAX_REFERENCE: usize = 200;

text_enum!(
    /// The entity class (NIS2 art. 3; cybersäkerhetslagen 2025:1506).
    NisEntityClass {
        /// Väsentlig verksamhetsutövare.
        Essential = "essential",
        /// Viktig verksamhetsutövare.
        Important = "important",
        /// The law does not cover the organisation.
        NotCovered = "not_covered",
        /// Nobody has assessed it yet.
        NotAssessed = "not_assessed",
    }
);

text_enum!(
    /// The sector, from the fixed list of the sectors the law covers (the
    /// sectors of NIS2's annexes I and II, which the law implements).
    NisSector {
        Energy = "energy",
        Transport = "transport",
        Banking = "banking",
        FinancialMarketInfrastructure = "financial_market_infrastructure",
        Health = "health",
        DrinkingWater = "drinking_water",
        WasteWater = "waste_water",
        DigitalInfrastructure = "digital_infrastructure",
        IctServiceManagement = "ict_service_management",
        PublicAdministration = "public_administration",
        Space = "space",
        PostalAndCourier = "postal_and_courier",
        WasteManagement = "waste_management",
        Chemicals = "chemicals",
        Food = "food",
        Manufacturing = "manufacturing",
        DigitalProviders = "digital_providers",
        Research = "research",
    }
);

/// The organisation's entity class as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NisDraft {
    pub entity_class: NisEntityClass,
    /// The sector the organisation is covered in (none when not covered).
    #[serde(default)]
    pub sector: Option<NisSector>,
    /// The day it registered with the supervisory authority.
    #[serde(default)]
    pub registered_on: Option<NaiveDate>,
    /// The authority's reference for the registration.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub registration_reference: Option<String>,
}

impl Default for NisDraft {
    fn default() -> Self {
        NisDraft {
            entity_class: NisEntityClass::NotAssessed,
            sector: None,
            registered_on: None,
            registration_reference: None,
        }
    }
}

impl NisDraft {
    /// Whether the law covers the organisation (essential or important).
    pub fn covered(&self) -> bool {
        matches!(
            self.entity_class,
            NisEntityClass::Essential | NisEntityClass::Important
        )
    }

    /// Trims the reference and checks it; the registration day may not be
    /// after `today`.
    pub fn validate(mut self, today: NaiveDate) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.registration_reference = v::optional_text(
            &mut e,
            "registration_reference",
            self.registration_reference.as_deref(),
            MAX_REFERENCE,
        );
        if self.registered_on.is_some_and(|d| d > today) {
            e.add("registered_on", v::IN_FUTURE);
        }
        e.into_result(self)
    }
}

impl v::Validate for NisDraft {
    fn problems(&self) -> FieldErrors {
        self.clone()
            .validate(NaiveDate::MAX)
            .err()
            .unwrap_or_default()
    }
}

/// The entity class as stored (the default, not assessed, until set).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NisFacts {
    #[serde(flatten)]
    pub draft: NisDraft,
    /// Who set it last, and when (none until set).
    pub updated_by: Option<String>,
    pub updated_at: Option<DateTime<Utc>>,
}
