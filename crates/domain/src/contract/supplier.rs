//! Suppliers (leverantörer) as records of an organisation: name,
//! organisation number, contacts, support channel and hours. A system names
//! its supplier; a contract is made with one. Not public: suppliers never
//! reach the public register.

use super::{INVALID_ORG_NUMBER, normalise_org_number};
use crate::ids::{OrgId, SupplierId, SystemId};
use crate::validation::{self as v, FieldErrors};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const MAX_NAME: usize = 200;
pub const MAX_TEXT: usize = 2000;
pub const MAX_SHORT: usize = 300;

/// A supplier as created or edited.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupplierDraft {
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub name: String,
    /// Swedish organisation number, NNNNNN-NNNN (checked with its Luhn digit).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 13))]
    pub org_number: Option<String>,
    /// Contact people: names, e-mail addresses, phone numbers.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub contacts: Option<String>,
    /// How to reach support: a portal, an address, a number.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub support_channel: Option<String>,
    /// When support answers (e.g. weekdays 8–17).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub support_hours: Option<String>,
}

impl SupplierDraft {
    /// Trims the texts, writes the organisation number as NNNNNN-NNNN and
    /// checks what needs no database.
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.name = v::required_text(&mut e, "name", &self.name, MAX_NAME);
        self.org_number =
            match v::optional_text(&mut e, "org_number", self.org_number.as_deref(), 13) {
                Some(n) => match normalise_org_number(&n) {
                    Some(n) => Some(n),
                    None => {
                        e.add("org_number", INVALID_ORG_NUMBER);
                        None
                    }
                },
                None => None,
            };
        self.contacts = v::optional_text(&mut e, "contacts", self.contacts.as_deref(), MAX_TEXT);
        self.support_channel = v::optional_text(
            &mut e,
            "support_channel",
            self.support_channel.as_deref(),
            MAX_SHORT,
        );
        self.support_hours = v::optional_text(
            &mut e,
            "support_hours",
            self.support_hours.as_deref(),
            MAX_SHORT,
        );
        e.into_result(self)
    }
}

impl v::Validate for SupplierDraft {
    fn problems(&self) -> FieldErrors {
        self.clone().validate().err().unwrap_or_default()
    }
}

/// A supplier as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Supplier {
    pub id: SupplierId,
    pub org_id: OrgId,
    pub name: String,
    pub org_number: Option<String>,
    pub contacts: Option<String>,
    pub support_channel: Option<String>,
    pub support_hours: Option<String>,
    /// How many of the organisation's systems name it.
    pub system_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A system, by name (a supplier's systems, a contract's systems).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SystemRef {
    pub id: SystemId,
    pub name: String,
}

/// Which supplier a system has (the API's body for setting it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SystemSupplierChoice {
    /// The supplier, or none.
    #[serde(default)]
    pub supplier_id: Option<SupplierId>,
}

impl v::Validate for SystemSupplierChoice {
    fn problems(&self) -> FieldErrors {
        FieldErrors::new()
    }
}
