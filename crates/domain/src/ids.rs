//! Typed identifiers. Every entity has its own id type so that a unit id can
//! never be passed where a system id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new, time-ordered id (UUID v7).
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s.trim()).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(u: Uuid) -> Self {
                Self(u)
            }
        }
    )*};
}

id_type!(
    /// An organisation: a municipality or one of its companies.
    OrgId,
    /// A unit in an organisation's tree (nämnd, förvaltning, kontor, …).
    UnitId,
    /// A person in an organisation.
    PersonId,
    /// A product in the shared catalogue.
    ProductId,
    /// A system: one organisation's use of a product, or its own system.
    SystemId,
    /// A role type (systemägare, systemförvaltare, …) of one organisation.
    RoleTypeId,
    /// One person holding one role on one system or unit, for a period.
    AssignmentId,
    /// Someone who signs in.
    UserId,
    /// An API token.
    TokenId,
    /// An access profile (behörighetsprofil) of one system.
    AccessProfileId,
    /// An order for access, or for its removal (behörighetsbeställning).
    AccessOrderId,
    /// One person holding one access profile.
    HoldingId,
    /// An access review (behörighetskontroll) of one system or unit.
    ReviewCampaignId,
    /// An incident.
    IncidentId,
    /// An integration: information flowing between two systems.
    IntegrationId,
);

id_type!(
    /// A supplier (leverantör) of an organisation.
    SupplierId,
    /// A contract (avtal) with a supplier.
    ContractId,
    /// A processor agreement (personuppgiftsbiträdesavtal, GDPR art. 28).
    ProcessorAgreementId,
);

id_type!(
    /// A record of processing activities (GDPR art. 30).
    ProcessingRecordId,
);

id_type!(
    /// An e-service (e-tjänst) of an organisation.
    EServiceId,
    /// An IT service (IT-tjänst) with its service levels.
    ItServiceId,
    /// A follow-up of an IT service's levels for one period.
    ItServiceFollowUpId,
);

id_type!(
    /// A long piece of work (an import of thousands of rows) and its progress.
    JobId,
);
