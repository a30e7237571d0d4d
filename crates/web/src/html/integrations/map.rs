//! A system's neighbourhood map: drawn on the server as SVG (no script), the
//! system in the middle, what it depends on to the left and what depends on
//! it to the right, by depth in columns; each flow an arrow whose line style
//! AND text label say how critical it is (never colour alone); the same
//! flows as a table beside it, the accessible version.

use super::drawing::{Drawing, draw};
use super::{Chrome, Cx, integration_words};
use crate::context::SystemPath;
use crate::error::{AppError, AppResult};
use crate::query::integrations::DepthQuery;
use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use insyn_domain::integration::*;
use insyn_domain::*;
use insyn_store::integrations::Neighbourhood;

/// A flow as a row of the table.
pub struct FlowRow {
    pub from: SystemId,
    pub from_name: String,
    pub to: SystemId,
    pub to_name: String,
    pub both: bool,
    pub criticality: Criticality,
    pub personal_data: bool,
}

#[derive(Template)]
#[template(path = "integration_map.html")]
struct MapPage {
    c: Chrome,
    s: System,
    depth: u32,
    drawing: Drawing,
    rows: Vec<FlowRow>,
    more: usize,
    errors: FieldErrors,
}
integration_words!(MapPage);

impl MapPage {
    pub fn base(&self) -> String {
        format!("/o/{}/systems/{}", self.c.org_slug(), self.s.id)
    }
    pub fn depths(&self) -> [u32; 3] {
        [1, 2, 3]
    }
    pub fn svg_title(&self) -> String {
        format!("{}: {}", self.c.t("integration-map-title"), self.s.name)
    }
}

/// The flows drawn, as the table's rows, by the names at their ends.
fn rows(n: &Neighbourhood) -> Vec<FlowRow> {
    let mut rows: Vec<FlowRow> = n
        .layout
        .edges
        .iter()
        .map(|e| FlowRow {
            from: e.from,
            from_name: n.name(e.from).to_owned(),
            to: e.to,
            to_name: n.name(e.to).to_owned(),
            both: e.both,
            criticality: e.criticality,
            personal_data: e.personal_data,
        })
        .collect();
    rows.sort_by(|a, b| (&a.from_name, &a.to_name).cmp(&(&b.from_name, &b.to_name)));
    rows
}

/// `GET /o/{org}/systems/{id}/map?depth=1..3`.
pub(in crate::html) async fn map_page(
    cx: Cx,
    at: SystemPath,
    Query(q): Query<DepthQuery>,
) -> AppResult<Response> {
    let (depth, errors) = match q.parse() {
        Ok(d) => (d, FieldErrors::new()),
        Err(e) => (1, e),
    };
    let store = cx.store();
    let s = store.get_system(at.org.id, at.system).await?;
    let n = store
        .neighbourhood(at.org.id, at.system, depth)
        .await
        .map_err(AppError::from)?;
    let c = cx.chrome(Some(at.org.clone()), "systems");
    let l = &n.layout;
    let centre = l.system_id;
    let drawing = draw(
        &c,
        &l.nodes,
        &l.edges,
        |s| n.name(s),
        |s| s == centre,
        |_| false,
    );
    let page = MapPage {
        c,
        s,
        depth,
        drawing,
        rows: rows(&n),
        more: n.layout.more,
        errors,
    };
    Ok(super::form_page(&page.errors, &page))
}
