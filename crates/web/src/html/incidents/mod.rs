//! Incidents as pages: the organisation's register of the incidents the
//! user may see (open first), the report form anyone may fill in, and each
//! incident's page (`page.rs`) with its clocks in plain words at the top
//! (`words.rs`) and the forms of those who handle it. Who may see or handle
//! an incident is `crate::incident_access`, the same as the API's.

pub(super) mod compilation;
pub(super) mod draft;
mod form;
pub(super) mod page;
pub(super) mod settings;
pub(super) mod tasks;
pub(super) mod words;

use super::{Chrome, Cx, Posted, form_page, prev_next, render, see, submit};
use crate::context::{OrgPath, SystemPath};
use crate::error::{AppError, AppResult};
use crate::forms::FormData;
use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use chrono::Utc;
use form::IncidentForm;
use insyn_domain::incident::*;
use insyn_domain::*;
use insyn_store::SystemRow;
use insyn_store::incidents::IncidentFilter;

/// The words of an incident's kind, severity, status and detection.
pub(super) fn word(c: &Chrome, group: &str, code: &str) -> String {
    c.t(&format!("incident-{group}-{}", code.replace('_', "-")))
}

/// What the incident's page and its drafts say of it: the words of its
/// kind, severity, status and detection, moments in Swedish time, and a
/// clock's deadline by name in the page's language.
macro_rules! incident_words {
    ($t:ty) => {
        impl $t {
            pub fn word(&self, group: &str, code: &str) -> String {
                $crate::html::incidents::word(&self.c, group, code)
            }
            pub fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
                $crate::html::incidents::words::when(self.c.lang, *at)
            }
            pub fn opt_when(&self, at: &Option<chrono::DateTime<chrono::Utc>>) -> String {
                at.map(|a| self.when(&a)).unwrap_or_else(|| "–".into())
            }
            pub fn clock_name(&self, c: &insyn_domain::incident::Clock) -> String {
                match self.c.lang {
                    $crate::i18n::Lang::Sv => c.deadline.name_sv.clone(),
                    $crate::i18n::Lang::En => c.deadline.name_en.clone(),
                }
            }
        }
    };
}
use incident_words;

/// What the list shows.
#[derive(Debug, Default, serde::Deserialize)]
pub(super) struct ListQuery {
    page: Option<u32>,
    /// `all`: closed and dismissed too.
    show: Option<String>,
}

#[derive(Template)]
#[template(path = "incidents.html")]
struct ListPage {
    c: Chrome,
    /// The system whose incidents these are (none: the organisation's).
    system: Option<System>,
    all: bool,
    /// Whether the user handles every incident and so may see the compilation.
    compiles: bool,
    /// The caller sees every incident only because the organisation lets readers.
    readers_see_all: bool,
    incidents: Page<Incident>,
    prev_href: Option<String>,
    next_href: Option<String>,
}

impl ListPage {
    pub fn href(&self, i: &Incident) -> String {
        format!("/o/{}/incidents/{}", self.c.org_slug(), i.id)
    }
    pub fn word(&self, group: &str, code: &str) -> String {
        word(&self.c, group, code)
    }
    pub fn when(&self, at: &chrono::DateTime<Utc>) -> String {
        words::when(self.c.lang, *at)
    }
    /// The list's own address, for its filter links.
    pub fn path(&self) -> String {
        match &self.system {
            Some(s) => format!("/o/{}/systems/{}/incidents", self.c.org_slug(), s.id),
            None => format!("/o/{}/incidents", self.c.org_slug()),
        }
    }
}

/// The incidents the user may see, of the organisation or touching one
/// system: the open ones unless all are asked for, the latest known first.
async fn list_view(
    cx: &Cx,
    org: Organisation,
    system: Option<SystemId>,
    q: ListQuery,
) -> AppResult<Response> {
    let me = cx.me().ok_or(AppError::NotFound)?;
    let all = q.show.as_deref() == Some("all");
    let compiles = handles_all(me.role_in(org.id));
    let every = crate::incident_access::sees_all(cx.store(), me, org.id).await?;
    let filter = IncidentFilter {
        open: !all,
        system,
        visible_to: (!every).then(|| me.user.email.clone()),
    };
    let page = PageRequest::new(q.page, None);
    let incidents = cx.store().incidents(org.id, filter, page).await?;
    let system = match system {
        Some(id) => Some(cx.store().get_system(org.id, id).await?),
        None => None,
    };
    let path = match &system {
        Some(s) => format!("/o/{}/systems/{}/incidents", org.slug, s.id),
        None => format!("/o/{}/incidents", org.slug),
    };
    let base = format!("{path}?{}page=", if all { "show=all&" } else { "" });
    let (prev_href, next_href) = prev_next(&incidents, |n| format!("{base}{n}"));
    let section = if system.is_some() {
        "systems"
    } else {
        "incidents"
    };
    Ok(render(&ListPage {
        c: cx.chrome(Some(org), section),
        system,
        all,
        compiles,
        readers_see_all: every && !compiles,
        incidents,
        prev_href,
        next_href,
    }))
}

pub(in crate::html) async fn incidents_page(
    cx: Cx,
    at: OrgPath,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    list_view(&cx, at.org, None, q).await
}

/// The system page's incidents: those touching it that the user may see.
pub(in crate::html) async fn system_incidents(
    cx: Cx,
    at: SystemPath,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    list_view(&cx, at.org, Some(at.system), q).await
}

#[derive(Template)]
#[template(path = "incident_form.html")]
struct FormPage {
    c: Chrome,
    /// The incident being edited (none: a new report).
    editing: Option<Incident>,
    f: IncidentForm,
    systems: Vec<SystemRow>,
    /// The information sets of the incident's systems (when editing).
    sets: Vec<(String, insyn_domain::security::InformationSet)>,
    errors: FieldErrors,
}

impl FormPage {
    pub fn kinds(&self) -> &'static [IncidentKind] {
        IncidentKind::ALL
    }
    pub fn severities(&self) -> &'static [Severity] {
        Severity::ALL
    }
    pub fn detections(&self) -> &'static [Detection] {
        Detection::ALL
    }
    pub fn word(&self, group: &str, code: &str) -> String {
        word(&self.c, group, code)
    }
    pub fn err(&self, field: &str) -> String {
        self.c.field_error(&self.errors, field)
    }
    pub fn action(&self) -> String {
        match &self.editing {
            Some(i) => format!("/o/{}/incidents/{}/edit", self.c.org_slug(), i.id),
            None => format!("/o/{}/incidents", self.c.org_slug()),
        }
    }
}

/// Every system of the register, by name, for the form to pick from.
async fn register(cx: &Cx, org: OrgId) -> AppResult<Vec<SystemRow>> {
    let page = PageRequest::new(Some(1), Some(PageRequest::MAX_SIZE));
    Ok(cx
        .store()
        .list_systems(org, &SystemFilter::default(), SystemSort::Name, false, page)
        .await?
        .items)
}

async fn form_view(
    cx: &Cx,
    org: Organisation,
    editing: Option<Incident>,
    f: IncidentForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let systems = register(cx, org.id).await?;
    let mut sets = vec![];
    if let Some(i) = &editing {
        for s in &i.system_ids {
            let name = systems
                .iter()
                .find(|r| r.id == *s)
                .map(|r| r.name.clone())
                .unwrap_or_default();
            for set in cx.store().information_sets(org.id, *s).await? {
                sets.push((name.clone(), set));
            }
        }
    }
    let page = FormPage {
        c: cx.chrome(Some(org), "incidents"),
        editing,
        f,
        systems,
        sets,
        errors,
    };
    Ok(form_page(&page.errors, &page))
}

/// The report form: aware now, and everything else to fill in.
pub(in crate::html) async fn new_incident(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let f = IncidentForm::new_report(Utc::now());
    form_view(&cx, at.org, None, f, FieldErrors::new()).await
}

/// Reports an incident; anyone of the organisation may.
pub(in crate::html) async fn report_incident(
    cx: Cx,
    at: OrgPath,
    form: FormData,
) -> AppResult<Response> {
    let f = IncidentForm::from_form(&form);
    let report = async |d| {
        cx.store()
            .report_incident(&cx.actor, at.org.id, d, Utc::now())
            .await
    };
    match submit(f.draft(), report).await? {
        Posted::Done(i) => see(format!("/o/{}/incidents/{}", at.org.slug, i.id)),
        Posted::Invalid(e) => form_view(&cx, at.org, None, f, e).await,
    }
}

/// The form to change what is recorded of an incident.
pub(in crate::html) async fn edit_incident(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let me = cx.me().ok_or(AppError::NotFound)?;
    let id = crate::incident_access::handled(cx.store(), me, &at).await?;
    let v = cx.store().incident(at.id(), id, Utc::now()).await?;
    let f = IncidentForm::from_incident(&v.incident);
    form_view(&cx, at.org, Some(v.incident), f, FieldErrors::new()).await
}

/// Saves the edited record.
pub(in crate::html) async fn update_incident(
    cx: Cx,
    at: OrgPath,
    form: FormData,
) -> AppResult<Response> {
    let me = cx.me().ok_or(AppError::NotFound)?;
    let id = crate::incident_access::handled(cx.store(), me, &at).await?;
    let f = IncidentForm::from_form(&form);
    let update = async |d| {
        cx.store()
            .update_incident(&cx.actor, at.org.id, id, d, Utc::now())
            .await
    };
    match submit(f.draft(), update).await? {
        Posted::Done(_) => see(format!("/o/{}/incidents/{id}", at.org.slug)),
        Posted::Invalid(e) => {
            let v = cx.store().incident(at.id(), id, Utc::now()).await?;
            form_view(&cx, at.org, Some(v.incident), f, e).await
        }
    }
}
