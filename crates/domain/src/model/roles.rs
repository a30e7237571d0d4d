//! Role types and who holds them, on a system or a unit.

use super::*;

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
