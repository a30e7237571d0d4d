//! E-services in the public register: the organisation's published
//! e-services with only the fields it has made public (the store empties
//! the rest before they leave it), and the administrator's choice of those
//! fields.

use super::*;
use insyn_domain::eservice::public::{EServiceField, EServiceSecrecy, PublicEService};

/// The label key of a kind of field.
fn label(f: EServiceField) -> &'static str {
    match f {
        EServiceField::Name => "eservice-field-name",
        EServiceField::Description => "eservice-field-description",
        EServiceField::Url => "eservice-field-url",
        EServiceField::Step => "eservice-field-step",
        EServiceField::TargetGroups => "eservice-field-target-groups",
        EServiceField::GoalAreas => "eservice-field-goal-areas",
        EServiceField::Accessibility => "eservice-field-accessibility",
        EServiceField::ResponsibleUnit => "eservice-field-unit",
        EServiceField::Owner => "eservice-field-owner",
        EServiceField::Systems => "eservice-field-systems",
        EServiceField::Criteria => "eservice-field-criteria-public",
    }
}

#[derive(Template)]
#[template(path = "public_eservices.html")]
pub(in crate::html) struct PublicPage {
    c: Chrome,
    org: Organisation,
    q: String,
    items: Vec<PublicEService>,
    secrecy: EServiceSecrecy,
    total: i64,
    total_capped: bool,
    prev_href: Option<String>,
    next_href: Option<String>,
}

impl EServiceWords for PublicPage {
    fn lang(&self) -> Lang {
        self.c.lang
    }
}

impl PublicPage {
    pub fn shows(&self, field: &str) -> bool {
        EServiceField::parse(field).is_some_and(|f| self.secrecy.is_public(f))
    }

    /// When the statement was last reviewed, or made.
    pub fn checked_on(&self, e: &PublicEService) -> String {
        self.day(&e.statement_reviewed_on.or(e.statement_date))
    }

    pub fn criterion(&self, code: &str) -> String {
        self.c.t(&format!("eservice-criterion-{code}"))
    }

    pub fn verdict(&self, code: &str) -> String {
        self.c.t(&format!("eservice-verdict-{code}"))
    }
}

#[derive(serde::Deserialize, Default)]
pub(in crate::html) struct PublicQuery {
    q: Option<String>,
    page: Option<u32>,
}

/// The published e-services of an organisation, for anyone.
pub(in crate::html) async fn public_page(
    cx: Cx,
    OrgPath { org: o, .. }: OrgPath,
    Query(pq): Query<PublicQuery>,
) -> AppResult<Response> {
    let mut e = FieldErrors::new();
    let search = v::search(&mut e, "q", pq.q.as_deref());
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    let q = search.clone().unwrap_or_default();
    let (page, secrecy) = cx
        .store()
        .public_eservices(o.id, search.as_deref(), PageRequest::new(pq.page, Some(50)))
        .await?;
    let link = |n: u32| {
        format!(
            "/public/{}/e-services?{}",
            o.slug,
            serde_urlencoded::to_string([("q", q.as_str()), ("page", &n.to_string())])
                .unwrap_or_default()
        )
    };
    Ok(render(&PublicPage {
        prev_href: (page.page > 1).then(|| link(page.page - 1)),
        next_href: (page.page < page.pages()).then(|| link(page.page + 1)),
        c: cx.chrome(None, "public"),
        org: o,
        q,
        total: page.total,
        total_capped: page.total_capped,
        items: page.items,
        secrecy,
    }))
}

#[derive(Template)]
#[template(path = "eservice_public_fields.html")]
pub(in crate::html) struct SettingsPage {
    c: Chrome,
    fields: Vec<(String, bool)>,
    saved: bool,
}

impl SettingsPage {
    pub fn label(&self, field: &str) -> String {
        self.c
            .t(EServiceField::parse(field).map_or("eservice-field-name", label))
    }
}

pub(in crate::html) async fn settings_page(
    cx: Cx,
    at: OrgPath,
    Query(q): Query<Saved>,
) -> AppResult<Response> {
    let fields = cx.store().eservice_public_fields(at.id()).await?;
    Ok(render(&SettingsPage {
        c: cx.chrome(Some(at.org), "eservices"),
        fields,
        saved: q.saved.is_some(),
    }))
}

/// Every kind of field is public when its box is ticked, and only then.
pub(in crate::html) async fn save_settings(
    cx: Cx,
    at: OrgPath,
    form: FormData,
) -> AppResult<Response> {
    let public = form.all("public");
    let fields: Vec<(String, bool)> = EServiceField::ALL
        .iter()
        .map(|f| (f.as_str().to_owned(), public.contains(&f.as_str())))
        .collect();
    cx.store()
        .set_eservice_public_fields(&cx.actor, at.id(), &fields)
        .await?;
    see(format!("/o/{}/settings/e-services?saved=1", at.org.slug))
}
