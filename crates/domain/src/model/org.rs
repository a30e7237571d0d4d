//! Organisations and their units (förvaltningar, avdelningar).

use super::*;

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
    /// The unit's manager (chef): the person who orders access for its staff.
    pub manager_id: Option<PersonId>,
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
    /// The unit's manager (chef), a person of the organisation.
    #[serde(default)]
    pub manager_id: Option<PersonId>,
}

impl UnitDraft {
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.name = v::required_text(&mut e, "name", &self.name, 200);
        self.level = v::required_text(&mut e, "level", &self.level, 60);
        e.into_result(self)
    }
}
