//! IT services (IT-tjänster) as pages: the organisation's list (paged in
//! the database), a service's page with its levels, systems, the chart and
//! table of agreed against measured availability per period and the
//! follow-ups (`follow_up.rs`: entered, removed, imported from a file), the
//! form to define, change or remove a service (`form.rs`), and a system's
//! tab listing the services it is behind. Secret by default.

mod chart;
mod follow_up;
mod form;

pub(in crate::html) use follow_up::{add_follow_up, import_follow_ups, remove_follow_up};
pub(in crate::html) use form::{create, edit_form, new_form, remove, update};

use super::*;
use crate::context::{OrgPath, SystemPath};
use chart::Chart;
use insyn_domain::it_service::*;

/// The most periods the chart and its table show (the latest).
const CHARTED: u32 = 24;

/// The words the service pages share, and the refused form (if any).
pub(in crate::html) struct Words {
    pub lang: Lang,
    /// Which form was posted and refused (its fields' ids start with it).
    pub form: String,
    pub posted: FormData,
    pub errors: FieldErrors,
    /// An import's problems, each a sentence naming its row and field.
    pub import_issues: Vec<String>,
}

impl Words {
    fn new(lang: Lang) -> Self {
        Words {
            lang,
            form: String::new(),
            posted: FormData(vec![]),
            errors: FieldErrors::new(),
            import_issues: vec![],
        }
    }

    /// A field's value as posted when its form came back, else empty.
    pub fn value(&self, form: &str, name: &str) -> String {
        if self.form == form {
            self.posted.get(name).to_owned()
        } else {
            String::new()
        }
    }

    /// A field's error message, if its form came back with one for it.
    pub fn err(&self, form: &str, field: &str) -> String {
        if self.form != form {
            return String::new();
        }
        self.errors
            .get_error(field)
            .map(|e| self.lang.field_message(e))
            .unwrap_or_default()
    }

    pub fn deliverer(&self, d: &Deliverer) -> String {
        match d {
            Deliverer::Unit { name, .. } => name.clone(),
            Deliverer::Supplier { name, .. } => {
                format!("{name} ({})", self.lang.t("service-by-supplier"))
            }
        }
    }

    pub fn percent(&self, p: &Option<f64>) -> String {
        p.map(|p| format!("{} %", chart::percent(p, self.lang == Lang::Sv)))
            .unwrap_or_else(|| "–".into())
    }

    pub fn hours(&self, h: &Option<u32>) -> String {
        h.map(|h| {
            self.lang
                .t_args("service-hours-value", &[("hours", h.to_string())])
        })
        .unwrap_or_else(|| "–".into())
    }

    pub fn count(&self, n: &Option<u32>) -> String {
        n.map(|n| n.to_string()).unwrap_or_else(|| "–".into())
    }

    pub fn cost(&self, c: &Option<i64>) -> String {
        c.map(|c| format!("{} kr", group_digits(c)))
            .unwrap_or_else(|| "–".into())
    }

    pub fn outcome(&self, o: &LevelOutcome) -> String {
        self.lang.t(o.key())
    }
}

#[derive(Template)]
#[template(path = "it_services.html")]
struct ListPage {
    c: Chrome,
    w: Words,
    services: Page<Service>,
    prev_href: Option<String>,
    next_href: Option<String>,
}

/// The organisation's IT services by name, 50 a page.
pub(in crate::html) async fn list_page(
    cx: Cx,
    at: OrgPath,
    Query(q): Query<crate::query::PagingQuery>,
) -> AppResult<Response> {
    let page = q.parse().unwrap_or_default();
    let services = cx.store().list_it_services(at.id(), page).await?;
    let href = |n: u32| format!("/o/{}/services?page={n}", at.org.slug);
    Ok(render(&ListPage {
        c: cx.chrome(Some(at.org.clone()), "services"),
        w: Words::new(cx.lang),
        prev_href: (services.page > 1).then(|| href(services.page - 1)),
        next_href: (services.page < services.pages()).then(|| href(services.page + 1)),
        services,
    }))
}

#[derive(Template)]
#[template(path = "it_service.html")]
struct ServicePage {
    c: Chrome,
    w: Words,
    s: Service,
    /// The latest follow-ups, oldest first.
    follow_ups: Vec<FollowUp>,
    /// How many periods are followed up in all.
    total: i64,
    chart: Chart,
}

impl ServicePage {
    pub fn width(&self) -> u32 {
        chart::WIDTH
    }
    pub fn height(&self) -> u32 {
        chart::HEIGHT
    }
    /// How many periods are shown, followed up, and missed the target.
    pub fn summary(&self) -> String {
        let missed = self
            .follow_ups
            .iter()
            .filter(|f| f.judgement.availability == LevelOutcome::Missed)
            .count();
        self.w.lang.t_args(
            "service-follow-up-summary",
            &[
                ("shown", self.follow_ups.len().to_string()),
                ("total", self.total.to_string()),
                ("missed", missed.to_string()),
            ],
        )
    }
}

/// A service's page, with a refused form or import shown again in `w`.
async fn service_view(cx: &Cx, at: &OrgPath, w: Words) -> AppResult<Response> {
    let id: ItServiceId = at.params.id("service")?;
    let store = cx.store();
    let s = store.get_it_service(at.id(), id).await?;
    let page = PageRequest {
        page: 1,
        per_page: CHARTED,
    };
    let latest = store.list_it_service_follow_ups(at.id(), id, page).await?;
    let mut follow_ups = latest.items;
    follow_ups.reverse();
    let chart = Chart::of(
        &follow_ups,
        s.levels.availability_target,
        cx.lang == Lang::Sv,
    );
    let refused = !w.errors.is_empty() || !w.import_issues.is_empty();
    let page = ServicePage {
        c: cx.chrome(Some(at.org.clone()), "services"),
        w,
        s,
        follow_ups,
        total: latest.total,
        chart,
    };
    Ok(if refused {
        render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
    } else {
        render(&page)
    })
}

/// One service: who delivers it, its levels, systems, and its follow-up
/// as a chart and a table.
pub(in crate::html) async fn service_page(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let w = Words::new(cx.lang);
    service_view(&cx, &at, w).await
}

#[derive(Template)]
#[template(path = "it_services_system.html")]
struct SystemTab {
    c: Chrome,
    w: Words,
    s: System,
    services: Vec<Service>,
}

/// The IT services a system is behind.
pub(in crate::html) async fn system_tab(cx: Cx, at: SystemPath) -> AppResult<Response> {
    let (org, id) = (at.org.id, at.system);
    let store = cx.store();
    let s = store.get_system(org, id).await?;
    let services = store.system_it_services(org, id).await?;
    Ok(render(&SystemTab {
        c: cx.chrome(Some(at.org.clone()), "systems"),
        w: Words::new(cx.lang),
        s,
        services,
    }))
}
