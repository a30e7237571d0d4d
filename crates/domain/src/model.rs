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

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organisation {
    pub id: OrgId,
    pub slug: String,
    pub name: String,
    pub kind: OrgKind,
    /// The municipality a company belongs to.
    pub parent_id: Option<OrgId>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgDraft {
    pub slug: String,
    pub name: String,
    pub kind: OrgKind,
    pub parent_id: Option<OrgId>,
}

impl OrgDraft {
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.name = v::required_text(&mut e, "name", &self.name, 200);
        self.slug = self.slug.trim().to_owned();
        if self.slug.is_empty() {
            e.add("slug", v::REQUIRED);
        } else if !v::is_slug(&self.slug) {
            e.add("slug", v::NOT_A_SLUG);
        }
        e.into_result(self)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unit {
    pub id: UnitId,
    pub org_id: OrgId,
    pub parent_id: Option<UnitId>,
    pub name: String,
    /// The level's name in this organisation (Nämnd, Förvaltning, Kontor, …): data, not code.
    pub level: String,
    pub archived: bool,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitDraft {
    pub parent_id: Option<UnitId>,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = r"\S")
    )]
    pub name: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 60, pattern = r"\S")
    )]
    pub level: String,
}

impl UnitDraft {
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.name = v::required_text(&mut e, "name", &self.name, 200);
        self.level = v::required_text(&mut e, "level", &self.level, 60);
        e.into_result(self)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    pub id: PersonId,
    pub org_id: OrgId,
    pub name: String,
    pub email: Option<String>,
    pub title: Option<String>,
    pub unit_id: Option<UnitId>,
    /// False once the person has left the organisation.
    pub active: bool,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonDraft {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = r"\S")
    )]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 254, format = Email))]
    pub email: Option<String>,
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub title: Option<String>,
    pub unit_id: Option<UnitId>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

impl PersonDraft {
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.name = v::required_text(&mut e, "name", &self.name, 200);
        self.email =
            v::optional_text(&mut e, "email", self.email.as_deref(), 254).map(|s| s.to_lowercase());
        if let Some(m) = &self.email
            && !v::is_email(m)
        {
            e.add("email", v::NOT_AN_EMAIL);
        }
        self.title = v::optional_text(&mut e, "title", self.title.as_deref(), 200);
        e.into_result(self)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Product {
    pub id: ProductId,
    pub name: String,
    pub vendor: Option<String>,
    pub description: Option<String>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductDraft {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = r"\S")
    )]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub vendor: Option<String>,
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub description: Option<String>,
}

impl ProductDraft {
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.name = v::required_text(&mut e, "name", &self.name, 200);
        self.vendor = v::optional_text(&mut e, "vendor", self.vendor.as_deref(), 200);
        self.description =
            v::optional_text(&mut e, "description", self.description.as_deref(), 4000);
        e.into_result(self)
    }
}

/// A link to documentation or a user guide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocLink {
    pub label: String,
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = r"^\s*(https://\S+|http://\S{2,})\s*$")
    )]
    pub url: String,
}

/// A system as stored, with its sets (using units, links, capabilities, tags).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct System {
    pub id: SystemId,
    pub org_id: OrgId,
    pub name: String,
    pub short_name: Option<String>,
    pub description: Option<String>,
    pub purpose: Option<String>,
    pub responsible_unit_id: Option<UnitId>,
    pub using_unit_ids: Vec<UnitId>,
    pub vendor: Option<String>,
    pub product_id: Option<ProductId>,
    pub version: Option<String>,
    pub hosting: Hosting,
    pub user_count: Option<i64>,
    pub business_critical: bool,
    pub lifecycle: Lifecycle,
    pub go_live_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub licence_model: Option<String>,
    pub licence_count: Option<i64>,
    pub doc_links: Vec<DocLink>,
    /// The error-handling route: whom the helpdesk escalates to.
    pub escalation_route: Option<String>,
    pub capabilities: Vec<String>,
    pub tags: Vec<String>,
    pub notes: Option<String>,
    pub archived: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a user may set on a system; the same for create and update.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SystemDraft {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = r"\S")
    )]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub short_name: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub description: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub purpose: Option<String>,
    #[serde(default)]
    pub responsible_unit_id: Option<UnitId>,
    #[serde(default)]
    pub using_unit_ids: Vec<UnitId>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub vendor: Option<String>,
    #[serde(default)]
    pub product_id: Option<ProductId>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub version: Option<String>,
    #[serde(default = "default_hosting")]
    pub hosting: Hosting,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub user_count: Option<i64>,
    #[serde(default)]
    pub business_critical: bool,
    #[serde(default = "default_lifecycle")]
    pub lifecycle: Lifecycle,
    #[serde(default)]
    pub go_live_date: Option<NaiveDate>,
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub licence_model: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub licence_count: Option<i64>,
    #[serde(default)]
    pub doc_links: Vec<DocLink>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub escalation_route: Option<String>,
    #[serde(default)]
    pub capabilities: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 8000))]
    pub notes: Option<String>,
}

fn default_hosting() -> Hosting {
    Hosting::Internal
}

fn default_lifecycle() -> Lifecycle {
    Lifecycle::InOperation
}

impl SystemDraft {
    /// A draft with only a name, for tests and imports.
    pub fn named(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            short_name: None,
            description: None,
            purpose: None,
            responsible_unit_id: None,
            using_unit_ids: vec![],
            vendor: None,
            product_id: None,
            version: None,
            hosting: Hosting::Internal,
            user_count: None,
            business_critical: false,
            lifecycle: Lifecycle::InOperation,
            go_live_date: None,
            end_date: None,
            licence_model: None,
            licence_count: None,
            doc_links: vec![],
            escalation_route: None,
            capabilities: vec![],
            tags: vec![],
            notes: None,
        }
    }

    /// Trims texts, drops empty entries and duplicates, and checks the rules
    /// that need no database. Errors name the field.
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.name = v::required_text(&mut e, "name", &self.name, 200);
        self.short_name = v::optional_text(&mut e, "short_name", self.short_name.as_deref(), 40);
        self.description =
            v::optional_text(&mut e, "description", self.description.as_deref(), 4000);
        self.purpose = v::optional_text(&mut e, "purpose", self.purpose.as_deref(), 4000);
        self.vendor = v::optional_text(&mut e, "vendor", self.vendor.as_deref(), 200);
        self.version = v::optional_text(&mut e, "version", self.version.as_deref(), 100);
        self.licence_model =
            v::optional_text(&mut e, "licence_model", self.licence_model.as_deref(), 200);
        self.escalation_route = v::optional_text(
            &mut e,
            "escalation_route",
            self.escalation_route.as_deref(),
            1000,
        );
        self.notes = v::optional_text(&mut e, "notes", self.notes.as_deref(), 8000);
        if matches!(self.user_count, Some(n) if n < 0) {
            e.add("user_count", v::NEGATIVE);
        }
        if matches!(self.licence_count, Some(n) if n < 0) {
            e.add("licence_count", v::NEGATIVE);
        }
        if let (Some(start), Some(end)) = (self.go_live_date, self.end_date)
            && end < start
        {
            e.add("end_date", v::END_BEFORE_START);
        }
        self.doc_links = self
            .doc_links
            .into_iter()
            .map(|l| DocLink {
                label: l.label.trim().to_owned(),
                url: l.url.trim().to_owned(),
            })
            .filter(|l| !l.url.is_empty() || !l.label.is_empty())
            .collect();
        for l in &self.doc_links {
            if !v::is_url(&l.url) {
                e.add("doc_links", v::NOT_A_URL);
                break;
            }
        }
        self.capabilities = normalise_set(self.capabilities);
        self.tags = normalise_set(self.tags);
        if self
            .capabilities
            .iter()
            .chain(&self.tags)
            .any(|s| s.chars().count() > 100)
        {
            e.add("tags", v::TOO_LONG);
        }
        self.using_unit_ids.sort();
        self.using_unit_ids.dedup();
        e.into_result(self)
    }
}

/// Trims, drops empties, removes duplicates regardless of case, keeps the
/// first spelling, and sorts: tags and capabilities are sets.
pub fn normalise_set(items: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        let t = item.trim();
        if t.is_empty() {
            continue;
        }
        if !out.iter().any(|o| o.to_lowercase() == t.to_lowercase()) {
            out.push(t.to_owned());
        }
    }
    out.sort_by_key(|s| s.to_lowercase());
    out
}

/// Splits a comma- or newline-separated list as typed in a form field.
pub fn split_list(s: &str) -> Vec<String> {
    s.split([',', '\n', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleType {
    pub id: RoleTypeId,
    pub org_id: OrgId,
    /// A stable code; the defaults use the glossary's roles (`system_owner`, …).
    pub code: String,
    pub name_sv: String,
    pub name_en: String,
    pub scope: RoleScope,
    pub description: Option<String>,
    pub sort_order: i32,
    /// Whether holding this role on a system lets a person edit that system.
    pub grants_edit: bool,
}

impl RoleType {
    pub fn name(&self, lang: &str) -> &str {
        if lang == "en" {
            &self.name_en
        } else {
            &self.name_sv
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleTypeDraft {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 60, pattern = r"^\s*[a-z0-9_]+\s*$")
    )]
    pub code: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 100, pattern = r"\S")
    )]
    pub name_sv: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 100, pattern = r"\S")
    )]
    pub name_en: String,
    pub scope: RoleScope,
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub description: Option<String>,
    #[serde(default)]
    pub sort_order: i32,
    /// Whether holders may edit the system they hold it on.
    #[serde(default)]
    pub grants_edit: bool,
}

impl RoleTypeDraft {
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.code = v::required_text(&mut e, "code", &self.code, 60);
        if !self.code.is_empty()
            && !self
                .code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            e.add("code", v::NOT_A_SLUG);
        }
        self.name_sv = v::required_text(&mut e, "name_sv", &self.name_sv, 100);
        self.name_en = v::required_text(&mut e, "name_en", &self.name_en, 100);
        self.description =
            v::optional_text(&mut e, "description", self.description.as_deref(), 2000);
        e.into_result(self)
    }
}

/// The system owner's role code: every profile requires one (R-ROLE-3).
pub const SYSTEM_OWNER: &str = "system_owner";

/// Role types whose holders may edit the system by default (configurable per organisation).
pub const EDITING_ROLES: &[&str] = &[SYSTEM_OWNER, "system_responsible", "system_manager"];

/// The default role types: every role in the glossary, Swedish names first.
/// (code, Swedish name, English name, scope, description in Swedish)
pub const DEFAULT_ROLE_TYPES: &[(&str, &str, &str, RoleScope, &str)] = &[
    (
        SYSTEM_OWNER,
        "Systemägare",
        "System owner",
        RoleScope::System,
        "Ansvarar för systemet: budget, funktion, säkerhet och avveckling.",
    ),
    (
        "system_responsible",
        "Systemansvarig",
        "System responsible",
        RoleScope::System,
        "Har det övergripande ansvaret för systemet i vardagen.",
    ),
    (
        "system_manager",
        "Systemförvaltare",
        "System manager",
        RoleScope::System,
        "Användare, behörigheter, leverantörskontakt, tester och dokumentation.",
    ),
    (
        "system_administrator",
        "Systemadministratör",
        "System administrator",
        RoleScope::System,
        "Lokal administratör för en enhets användning av systemet.",
    ),
    (
        "system_contact",
        "Systemkontaktperson",
        "System contact person",
        RoleScope::System,
        "Kontaktperson för mindre eller mindre kritiska system.",
    ),
    (
        "pilot",
        "Pilot/ombud",
        "Super-user",
        RoleScope::System,
        "Superanvändare i en enhet.",
    ),
    (
        "operations_manager",
        "Driftansvarig",
        "Operations manager",
        RoleScope::System,
        "Ansvarar för driften av systemet.",
    ),
    (
        "security_coordinator",
        "IT-säkerhetssamordnare",
        "Information security coordinator",
        RoleScope::Unit,
        "Samordnar informationssäkerhetsarbetet.",
    ),
    (
        "it_manager",
        "IT-chef",
        "Head of IT",
        RoleScope::Unit,
        "Leder IT-enheten.",
    ),
];

/// One person holding one role on one system or unit, for a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleAssignment {
    pub id: AssignmentId,
    pub org_id: OrgId,
    pub role_type_id: RoleTypeId,
    pub person_id: PersonId,
    pub system_id: Option<SystemId>,
    pub unit_id: Option<UnitId>,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub note: Option<String>,
}

impl RoleAssignment {
    /// The end date that stops the assignment from `today` on: it was last
    /// held yesterday, or, if it starts today or later, it is withdrawn.
    pub fn end_for(&self, today: NaiveDate) -> NaiveDate {
        let yesterday = today - chrono::Days::new(1);
        let withdrawn = self.start_date - chrono::Days::new(1);
        yesterday.max(withdrawn)
    }

    /// Whether the assignment holds on `day`.
    pub fn is_current(&self, day: NaiveDate) -> bool {
        self.start_date <= day && self.end_date.is_none_or(|end| end >= day)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignmentDraft {
    pub role_type_id: RoleTypeId,
    pub person_id: PersonId,
    #[serde(default)]
    pub system_id: Option<SystemId>,
    #[serde(default)]
    pub unit_id: Option<UnitId>,
    pub start_date: NaiveDate,
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub note: Option<String>,
}

impl AssignmentDraft {
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        match (self.system_id, self.unit_id) {
            (Some(_), Some(_)) | (None, None) => e.add("system_id", v::WRONG_TARGET),
            _ => {}
        }
        if let Some(end) = self.end_date
            && end < self.start_date
        {
            e.add("end_date", v::END_BEFORE_START);
        }
        self.note = v::optional_text(&mut e, "note", self.note.as_deref(), 1000);
        e.into_result(self)
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_draft_rules() {
        let mut d = SystemDraft::named("  Treserva  ");
        d.tags = vec!["Vård".into(), " vård ".into(), "".into(), "Omsorg".into()];
        d.doc_links = vec![DocLink {
            label: " ".into(),
            url: " ".into(),
        }];
        let ok = d.validate().unwrap();
        assert_eq!(ok.name, "Treserva");
        assert_eq!(ok.tags, vec!["Omsorg", "Vård"]);
        assert!(ok.doc_links.is_empty());

        let mut bad = SystemDraft::named(" ");
        bad.user_count = Some(-1);
        bad.go_live_date = NaiveDate::from_ymd_opt(2020, 5, 1);
        bad.end_date = NaiveDate::from_ymd_opt(2019, 1, 1);
        bad.doc_links = vec![DocLink {
            label: "Manual".into(),
            url: "\\\\server\\share".into(),
        }];
        let e = bad.validate().unwrap_err();
        assert_eq!(e.get("name"), Some(v::REQUIRED));
        assert_eq!(e.get("user_count"), Some(v::NEGATIVE));
        assert_eq!(e.get("end_date"), Some(v::END_BEFORE_START));
        assert_eq!(e.get("doc_links"), Some(v::NOT_A_URL));
    }

    #[test]
    fn enums_round_trip() {
        for l in Lifecycle::ALL {
            assert_eq!(Lifecycle::parse(l.as_str()), Some(*l));
        }
        for h in Hosting::ALL {
            assert_eq!(Hosting::parse(h.as_str()), Some(*h));
        }
        assert_eq!(Lifecycle::parse("nope"), None);
    }

    #[test]
    fn assignment_needs_exactly_one_target_and_ordered_dates() {
        let d = AssignmentDraft {
            role_type_id: RoleTypeId::new(),
            person_id: PersonId::new(),
            system_id: None,
            unit_id: None,
            start_date: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            end_date: NaiveDate::from_ymd_opt(2024, 1, 1),
            note: None,
        };
        let e = d.validate().unwrap_err();
        assert_eq!(e.get("system_id"), Some(v::WRONG_TARGET));
        assert_eq!(e.get("end_date"), Some(v::END_BEFORE_START));
    }

    #[test]
    fn current_assignment() {
        let a = RoleAssignment {
            id: AssignmentId::new(),
            org_id: OrgId::new(),
            role_type_id: RoleTypeId::new(),
            person_id: PersonId::new(),
            system_id: Some(SystemId::new()),
            unit_id: None,
            start_date: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            end_date: NaiveDate::from_ymd_opt(2025, 12, 31),
            note: None,
        };
        assert!(a.is_current(NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()));
        assert!(a.is_current(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()));
        assert!(!a.is_current(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()));
        assert!(!a.is_current(NaiveDate::from_ymd_opt(2024, 12, 31).unwrap()));
        // Ending "now" makes it not current today, whether it started long ago or today.
        let today = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
        let mut ended = a.clone();
        ended.end_date = Some(a.end_for(today));
        assert!(!ended.is_current(today));
        assert!(ended.is_current(today - chrono::Days::new(1)));
        let mut fresh = a.clone();
        fresh.start_date = today;
        fresh.end_date = Some(fresh.end_for(today));
        assert!(!fresh.is_current(today));
    }

    #[test]
    fn default_role_types_cover_the_glossary() {
        let names: Vec<&str> = DEFAULT_ROLE_TYPES.iter().map(|r| r.1).collect();
        for n in [
            "Systemägare",
            "Systemansvarig",
            "Systemförvaltare",
            "Systemadministratör",
            "Systemkontaktperson",
            "Pilot/ombud",
            "Driftansvarig",
            "IT-säkerhetssamordnare",
            "IT-chef",
        ] {
            assert!(names.contains(&n), "{n} missing");
        }
    }
}
