//! Systems and the products they are built on.

use super::*;

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

impl System {
    /// The system as a draft: what an edit starts from.
    pub fn draft(&self) -> SystemDraft {
        SystemDraft {
            name: self.name.clone(),
            short_name: self.short_name.clone(),
            description: self.description.clone(),
            purpose: self.purpose.clone(),
            responsible_unit_id: self.responsible_unit_id,
            using_unit_ids: self.using_unit_ids.clone(),
            vendor: self.vendor.clone(),
            product_id: self.product_id,
            version: self.version.clone(),
            hosting: self.hosting,
            user_count: self.user_count,
            business_critical: self.business_critical,
            lifecycle: self.lifecycle,
            go_live_date: self.go_live_date,
            end_date: self.end_date,
            licence_model: self.licence_model.clone(),
            licence_count: self.licence_count,
            doc_links: self.doc_links.clone(),
            escalation_route: self.escalation_route.clone(),
            capabilities: self.capabilities.clone(),
            tags: self.tags.clone(),
            notes: self.notes.clone(),
        }
    }
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

/// What an edit of a system (the form, the API, an import) may not change
/// because each has its own recorded process: business-criticality changes
/// through a decision by the owner and IT, and a system becomes decommissioned
/// only by closing its decommissioning case, whose gates check that nothing
/// is left behind. Setting a decommissioned system back into use stays open:
/// it corrects a mistake and leaves nothing behind.
pub fn guarded_edit(before: &System, draft: &SystemDraft) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::new();
    if before.business_critical != draft.business_critical {
        e.add("business_critical", "error-critical-needs-decision");
    }
    if draft.lifecycle == Lifecycle::Decommissioned && before.lifecycle != Lifecycle::Decommissioned
    {
        e.add("lifecycle", "error-decommission-needs-case");
    }
    e.into_result(())
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
