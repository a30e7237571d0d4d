//! The dependency map of a unit's systems, or of the whole organisation's:
//! a bounded picture (at most `overview::MAX_NODES` systems and
//! `MAX_EDGES` flows, the most critical first, drawn as SVG on the server
//! like a system's map), the totals in words with a way to narrow when not
//! everything fits, and every flow in a paged table beside it.

use super::drawing::{Drawing, draw};
use super::{Chrome, Cx, integration_words, page_hrefs};
use crate::context::OrgPath;
use crate::error::AppResult;
use crate::query::integrations::IntegrationQuery;
use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use insyn_domain::integration::*;
use insyn_domain::validation as v;
use insyn_domain::*;

#[derive(Template)]
#[template(path = "integration_scope_map.html")]
struct ScopePage {
    c: Chrome,
    q: IntegrationQuery,
    units: Vec<Unit>,
    /// The unit chosen (none: the whole organisation).
    unit: Option<Unit>,
    /// The systems in the choice.
    systems: i64,
    drawing: Drawing,
    /// The unit's systems drawn (all drawn for the whole organisation).
    inside_drawn: usize,
    flows: Page<Integration>,
    errors: FieldErrors,
    prev_href: Option<String>,
    next_href: Option<String>,
}
integration_words!(ScopePage);

impl ScopePage {
    pub fn svg_title(&self) -> String {
        let of = match &self.unit {
            Some(u) => u.name.clone(),
            None => self.c.t("scope-map-whole"),
        };
        format!("{}: {of}", self.c.t("integration-map-title"))
    }
    pub fn filter_action(&self) -> String {
        format!("/o/{}/map", self.c.org_slug())
    }
    pub fn all_units(&self) -> String {
        self.c.t("scope-map-whole")
    }
    /// Not everything in the choice is drawn.
    pub fn capped(&self) -> bool {
        (self.drawing.arrows.len() as i64) < self.flows.total
            || (self.unit.is_some() && (self.inside_drawn as i64) < self.systems)
    }
}

/// `GET /o/{org}/map?unit=&criticality=&page=`: a unit's map, or the
/// organisation's without a unit.
pub(in crate::html) async fn scope_map_page(
    cx: Cx,
    at: OrgPath,
    Query(q): Query<IntegrationQuery>,
) -> AppResult<Response> {
    let store = cx.store();
    let units = store.list_units(at.id()).await?;
    let (page, filter, mut errors) = match q.parse() {
        Ok((page, filter)) => (page, filter, FieldErrors::new()),
        // What could not be read is left out: the whole organisation.
        Err(e) => (PageRequest::default(), Default::default(), e),
    };
    let unit = filter
        .unit
        .and_then(|u| units.iter().find(|x| x.id == u).cloned());
    if filter.unit.is_some() && unit.is_none() {
        errors.add("unit", v::UNKNOWN_REFERENCE);
    }
    let m = store
        .scope_map(
            at.id(),
            unit.as_ref().map(|u| u.id),
            filter.criticality,
            page,
        )
        .await?;
    let c = cx.chrome(Some(at.org.clone()), "integrations");
    let o = &m.overview;
    let drawing = draw(
        &c,
        &o.nodes,
        &o.edges,
        |s| m.name(s),
        |_| false,
        |s| o.outside.contains(&s),
    );
    let (prev_href, next_href) = page_hrefs(&format!("/o/{}/map", at.org.slug), &q, &m.flows);
    let inside_drawn = o.nodes.len() - o.outside.len();
    let page = ScopePage {
        c,
        q,
        units,
        unit,
        systems: m.systems,
        drawing,
        inside_drawn,
        flows: m.flows,
        errors,
        prev_href,
        next_href,
    };
    Ok(super::form_page(&page.errors, &page))
}
