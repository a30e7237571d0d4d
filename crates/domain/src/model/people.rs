//! People: who can hold a role.

use super::*;

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
    /// The employee number (anställningsnummer) an HR file gave; an HR
    /// file matches on it first. Never public.
    pub employee_number: Option<String>,
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
