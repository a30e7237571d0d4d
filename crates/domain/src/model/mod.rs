//! The register's entities and the drafts that create or change them.
//! Drafts are typed; `validate` checks the rules that need no database.

use crate::ids::*;
use crate::validation::{self as v, FieldErrors};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Declares a closed set of values stored and sent as snake_case text.
macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s.trim() { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum!(
    /// Where a system is in its life.
    Lifecycle {
        Planned = "planned",
        Procuring = "procuring",
        InOperation = "in_operation",
        PhasingOut = "phasing_out",
        Decommissioned = "decommissioned",
    }
);

text_enum!(
    /// Where a system runs: inside the municipal network or outside it.
    Hosting {
        /// Inside the municipal network (own operation).
        Internal = "internal",
        /// Outside: software as a service.
        Saas = "saas",
        /// Outside: operated by an external provider.
        External = "external",
    }
);

text_enum!(
    /// A municipality, or a company it owns.
    OrgKind {
        Municipality = "municipality",
        Company = "company",
    }
);

text_enum!(
    /// What a role type can be held on.
    RoleScope {
        System = "system",
        Unit = "unit",
    }
);

pub(crate) use text_enum;

mod org;
mod people;
mod roles;
mod system;
#[cfg(test)]
mod tests;

pub use org::*;
pub use people::*;
pub use roles::*;
pub use system::*;

/// Drafts report their own problems (for the API's combined answer).
macro_rules! validate_by_draft {
    ($($t:ty),*) => {$(
        impl v::Validate for $t {
            fn problems(&self) -> FieldErrors {
                self.clone().validate().err().unwrap_or_default()
            }
        }
    )*};
}

validate_by_draft!(
    OrgDraft,
    UnitDraft,
    PersonDraft,
    ProductDraft,
    SystemDraft,
    RoleTypeDraft,
    AssignmentDraft
);
