//! Integrations as pages (samverkande system): a system's tab with the flows
//! to and from it and the form to add one (`form.rs`), each flow's edit
//! form, the organisation's list (paged, filtered by system, unit and
//! criticality), a system's neighbourhood map (`map.rs`, SVG drawn here) and
//! "if this system is down" (`impact.rs`). Secret by default: these pages
//! are for the organisation's users only, like a system's security details.

mod drawing;
pub(in crate::html) mod form;
pub(super) mod impact;
pub(super) mod map;
pub(super) mod scope_map;

use super::{Chrome, Cx, Posted, form_page, render, see, submit};
use crate::context::{OrgPath, SystemPath};
use crate::error::{AppError, AppResult};
use crate::forms::FormData;
use crate::query::integrations::IntegrationQuery;
use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use form::{IntegrationForm, on_form};
use insyn_domain::integration::*;
use insyn_domain::security::InformationSet;
use insyn_domain::*;
use insyn_store::SystemRow;

/// The words of a flow's direction, frequency and criticality.
pub(super) fn word(c: &Chrome, group: &str, code: &str) -> String {
    c.t(&format!("integration-{group}-{}", code.replace('_', "-")))
}

/// The words the integration pages share.
macro_rules! integration_words {
    ($t:ty) => {
        // Not every page uses every one of them.
        #[allow(dead_code)]
        impl $t {
            pub fn word(&self, group: &str, code: &str) -> String {
                $crate::html::integrations::word(&self.c, group, code)
            }
            pub fn map_href(&self, s: &insyn_domain::SystemId) -> String {
                format!("/o/{}/systems/{}/map", self.c.org_slug(), s)
            }
            pub fn system_href(&self, s: &insyn_domain::SystemId) -> String {
                format!("/o/{}/systems/{}", self.c.org_slug(), s)
            }
            pub fn criticalities(&self) -> &'static [insyn_domain::integration::Criticality] {
                insyn_domain::integration::Criticality::ALL
            }
            pub fn chosen(&self, field: &Option<String>, value: &str) -> bool {
                field.as_deref() == Some(value)
            }
        }
    };
}
use integration_words;

#[derive(Template)]
#[template(path = "integrations_system.html")]
struct SystemPage {
    c: Chrome,
    s: System,
    flows: Vec<Integration>,
    can_edit: bool,
    /// The flow being edited (none: the add form).
    editing: Option<Integration>,
    f: IntegrationForm,
    systems: Vec<SystemRow>,
    sets: Vec<InformationSet>,
    people: Vec<Person>,
    errors: FieldErrors,
}
integration_words!(SystemPage);

impl SystemPage {
    pub fn base(&self) -> String {
        format!("/o/{}/systems/{}", self.c.org_slug(), self.s.id)
    }
    pub fn action(&self) -> String {
        match &self.editing {
            Some(i) => format!("{}/integrations/{}", self.base(), i.id),
            None => format!("{}/integrations", self.base()),
        }
    }
    pub fn err(&self, field: &str) -> String {
        self.c.field_error(&self.errors, field)
    }
    /// The system at the other end of a flow.
    pub fn other<'a>(&self, i: &'a Integration) -> (&'a SystemId, &'a str) {
        if i.from_system_id == self.s.id {
            (&i.to_system_id, &i.to_system_name)
        } else {
            (&i.from_system_id, &i.from_system_name)
        }
    }
    pub fn sends(&self, i: &Integration) -> bool {
        i.from_system_id == self.s.id || i.direction == Direction::Both
    }
    pub fn receives(&self, i: &Integration) -> bool {
        i.to_system_id == self.s.id || i.direction == Direction::Both
    }
    pub fn directions(&self) -> &'static [Direction] {
        Direction::ALL
    }
    pub fn frequencies(&self) -> &'static [Frequency] {
        Frequency::ALL
    }
}

/// The most systems the form suggests for the other end; any other is
/// chosen by typing its name, which is looked up on its own.
const SUGGESTED: u32 = 100;

/// The systems the form suggests for the other end, by name, but `not`:
/// those matching what was typed when it named no system, else the first
/// ones of the register (a bounded search either way).
pub(in crate::html) async fn other_systems(
    cx: &Cx,
    org: OrgId,
    not: SystemId,
    typed: Option<&str>,
) -> AppResult<Vec<SystemRow>> {
    let filter = SystemFilter {
        q: typed.map(str::to_owned),
        ..SystemFilter::default()
    };
    let page = PageRequest::new(Some(1), Some(SUGGESTED));
    let mut all = cx
        .store()
        .list_systems(org, &filter, SystemSort::Name, false, page)
        .await?
        .items;
    all.retain(|s| s.id != not);
    Ok(all)
}

/// Looks the typed name of the other system and the typed responsible
/// person up (an id passes as it is).
async fn resolve_other(cx: &Cx, org: OrgId, mut f: IntegrationForm) -> AppResult<IntegrationForm> {
    let typed = f.other.trim();
    if !typed.is_empty()
        && typed.parse::<SystemId>().is_err()
        && let Some(id) = cx.store().system_named(org, typed).await?
    {
        f.other_id = id.to_string();
    }
    let who = f.responsible.trim();
    if !who.is_empty()
        && who.parse::<PersonId>().is_err()
        && let Some(id) = super::systems::resolve_person(&cx.state, org, who).await?
    {
        f.responsible_id = id.to_string();
    }
    Ok(f)
}

async fn system_view(
    cx: &Cx,
    at: &SystemPath,
    editing: Option<Integration>,
    f: IntegrationForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let (org, id) = (at.org.id, at.system);
    let store = cx.store();
    let s = store.get_system(org, id).await?;
    let can_edit = cx.on_system(org, id).await?.edit;
    // After a name that named no system, suggest those like it.
    let typed = (errors.get("other_system_id").is_some() && !f.other.trim().is_empty())
        .then(|| f.other.trim());
    let (systems, sets, people) = if can_edit {
        (
            other_systems(cx, org, id, typed).await?,
            store.information_sets(org, id).await?,
            store.people_if_few(org, 500).await?,
        )
    } else {
        (vec![], vec![], vec![])
    };
    let page = SystemPage {
        c: cx.chrome(Some(at.org.clone()), "systems"),
        s,
        flows: store.system_integrations(org, id).await?,
        can_edit,
        editing,
        f,
        systems,
        sets,
        people,
        errors,
    };
    Ok(form_page(&page.errors, &page))
}

/// The system's integrations tab: the flows to and from it, and (for those
/// who may change the system) the form to add one.
pub(in crate::html) async fn system_integrations(cx: Cx, at: SystemPath) -> AppResult<Response> {
    system_view(
        &cx,
        &at,
        None,
        IntegrationForm::new_flow(),
        FieldErrors::new(),
    )
    .await
}

/// Adds an integration to or from the system.
pub(in crate::html) async fn create_integration(
    cx: Cx,
    at: SystemPath,
    form: FormData,
) -> AppResult<Response> {
    let f = resolve_other(&cx, at.org.id, IntegrationForm::from_form(&form)).await?;
    let create = async |d| cx.store().create_integration(&cx.actor, at.org.id, d).await;
    match submit(f.draft(at.system), create).await? {
        Posted::Done(_) => see(format!(
            "/o/{}/systems/{}/integrations",
            at.org.slug, at.system
        )),
        Posted::Invalid(e) => system_view(&cx, &at, None, f, on_form(e)).await,
    }
}

/// The integration in the path, if it is to or from the system in the path.
async fn of_system(cx: &Cx, at: &SystemPath) -> AppResult<Integration> {
    let id: IntegrationId = at.params.id("integration")?;
    let i = cx.store().get_integration(at.org.id, id).await?;
    if i.from_system_id == at.system || i.to_system_id == at.system {
        Ok(i)
    } else {
        Err(AppError::NotFound)
    }
}

/// The form to change one of the system's integrations.
pub(in crate::html) async fn edit_integration(cx: Cx, at: SystemPath) -> AppResult<Response> {
    let i = of_system(&cx, &at).await?;
    let f = IntegrationForm::from_integration(&i, at.system);
    system_view(&cx, &at, Some(i), f, FieldErrors::new()).await
}

/// Saves one of the system's integrations.
pub(in crate::html) async fn update_integration(
    cx: Cx,
    at: SystemPath,
    form: FormData,
) -> AppResult<Response> {
    let i = of_system(&cx, &at).await?;
    let f = resolve_other(&cx, at.org.id, IntegrationForm::from_form(&form)).await?;
    let update = async |d| {
        cx.store()
            .update_integration(&cx.actor, at.org.id, i.id, d)
            .await
    };
    match submit(f.draft(at.system), update).await? {
        Posted::Done(_) => see(format!(
            "/o/{}/systems/{}/integrations",
            at.org.slug, at.system
        )),
        Posted::Invalid(e) => system_view(&cx, &at, Some(i), f, on_form(e)).await,
    }
}

/// Removes one of the system's integrations.
pub(in crate::html) async fn remove_integration(cx: Cx, at: SystemPath) -> AppResult<Response> {
    let i = of_system(&cx, &at).await?;
    cx.store()
        .remove_integration(&cx.actor, at.org.id, i.id)
        .await?;
    see(format!(
        "/o/{}/systems/{}/integrations",
        at.org.slug, at.system
    ))
}

#[derive(Template)]
#[template(path = "integrations.html")]
struct ListPage {
    c: Chrome,
    q: IntegrationQuery,
    flows: Page<Integration>,
    units: Vec<Unit>,
    errors: FieldErrors,
    prev_href: Option<String>,
    next_href: Option<String>,
}
integration_words!(ListPage);

impl ListPage {
    pub fn filter_action(&self) -> String {
        format!("/o/{}/integrations", self.c.org_slug())
    }
    pub fn all_units(&self) -> &'static str {
        "–"
    }
    /// The same choice of unit and criticality as a map.
    pub fn map_of_choice(&self) -> String {
        let q = IntegrationQuery {
            system: None,
            ..self.q.clone()
        };
        let parts = choice(&q);
        let path = format!("/o/{}/map", self.c.org_slug());
        if parts.is_empty() {
            path
        } else {
            format!("{path}?{}", parts.join("&"))
        }
    }
}

/// The choice in `q` as query-string parts.
fn choice(q: &IntegrationQuery) -> Vec<String> {
    [
        ("system", &q.system),
        ("unit", &q.unit),
        ("criticality", &q.criticality),
    ]
    .into_iter()
    .filter_map(|(k, v)| {
        let v = v.as_deref().filter(|v| !v.is_empty())?;
        Some(format!("{k}={}", crate::html::urlencode(v)))
    })
    .collect()
}

/// The links to the page before and after `flows` of the list at `path`,
/// with the choice in `q`.
pub(super) fn page_hrefs<T>(
    path: &str,
    q: &IntegrationQuery,
    flows: &Page<T>,
) -> (Option<String>, Option<String>) {
    let href = |n: u32| {
        let mut parts = vec![format!("page={n}")];
        parts.extend(choice(q));
        format!("{path}?{}", parts.join("&"))
    };
    (
        (flows.page > 1).then(|| href(flows.page - 1)),
        (flows.page < flows.pages()).then(|| href(flows.page + 1)),
    )
}

/// The organisation's integrations: a table, paged, filtered by system,
/// unit and criticality, each system with an entry to its map.
pub(in crate::html) async fn org_integrations(
    cx: Cx,
    at: OrgPath,
    Query(q): Query<IntegrationQuery>,
) -> AppResult<Response> {
    let (flows, errors) = match q.parse() {
        Ok((page, filter)) => (
            cx.store().list_integrations(at.id(), &filter, page).await?,
            FieldErrors::new(),
        ),
        Err(e) => (
            Page {
                items: vec![],
                total: 0,
                page: 1,
                per_page: PageRequest::DEFAULT_SIZE,
                total_capped: false,
            },
            e,
        ),
    };
    let (prev_href, next_href) =
        page_hrefs(&format!("/o/{}/integrations", at.org.slug), &q, &flows);
    Ok(render(&ListPage {
        c: cx.chrome(Some(at.org.clone()), "integrations"),
        units: cx.store().list_units(at.id()).await?,
        q,
        flows,
        errors,
        prev_href,
        next_href,
    }))
}
