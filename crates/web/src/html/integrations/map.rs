//! A system's neighbourhood map: drawn on the server as SVG (no script), the
//! system in the middle, what it depends on to the left and what depends on
//! it to the right, by depth in columns; each flow an arrow whose line style
//! AND text label say how critical it is (never colour alone); the same
//! flows as a table beside it, the accessible version.

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

const COLUMN: i32 = 250;
const BOX_W: i32 = 180;
const BOX_H: i32 = 36;
const ROW: i32 = 52;
const MARGIN: i32 = 20;
/// The longest name drawn in a box; the whole name is in its title.
const NAME_CHARS: usize = 22;

/// A system's box (the picture has no links: an image holds no controls;
/// the table beside it links each system's map).
pub struct NodeBox {
    pub x: i32,
    pub y: i32,
    pub label: String,
    pub name: String,
    pub centre: bool,
}

/// A flow's arrow.
pub struct Arrow {
    pub x1: i32,
    pub y1: i32,
    pub x2: i32,
    pub y2: i32,
    /// `stroke-dasharray`: empty for a solid line.
    pub dash: &'static str,
    pub width: f32,
    pub both: bool,
    pub label: String,
    pub lx: i32,
    pub ly: i32,
}

/// Dashes and width per criticality: dotted low, dashed medium, solid high,
/// thick critical.
fn style(c: Criticality) -> (&'static str, f32) {
    match c {
        Criticality::Low => ("2 4", 1.0),
        Criticality::Medium => ("8 4", 1.5),
        Criticality::High => ("", 2.0),
        Criticality::Critical => ("", 4.0),
    }
}

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
    width: i32,
    height: i32,
    nodes: Vec<NodeBox>,
    arrows: Vec<Arrow>,
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
}

/// The drawing of a neighbourhood: boxes, arrows and the picture's size.
fn draw(c: &Chrome, n: &Neighbourhood) -> (Vec<NodeBox>, Vec<Arrow>, i32, i32) {
    let l = &n.layout;
    let (left, right) = l.columns();
    let x_of = |col: i32| MARGIN + (col - left) * COLUMN;
    let y_of = |row: u32| MARGIN + row as i32 * ROW;
    let nodes = l
        .nodes
        .iter()
        .map(|m| {
            let name = n.name(m.system_id).to_owned();
            let label = if name.chars().count() > NAME_CHARS {
                format!("{}…", name.chars().take(NAME_CHARS - 1).collect::<String>())
            } else {
                name.clone()
            };
            NodeBox {
                x: x_of(m.column),
                y: y_of(m.row),
                label,
                name,
                centre: m.system_id == l.system_id,
            }
        })
        .collect();
    let arrows = l
        .edges
        .iter()
        .filter_map(|e| {
            let (a, b) = (l.node(e.from)?, l.node(e.to)?);
            let (ya, yb) = (y_of(a.row) + BOX_H / 2, y_of(b.row) + BOX_H / 2);
            // Out of the side facing the other box.
            let (x1, x2) = if a.column <= b.column {
                (x_of(a.column) + BOX_W, x_of(b.column))
            } else {
                (x_of(a.column), x_of(b.column) + BOX_W)
            };
            let (dash, width) = style(e.criticality);
            Some(Arrow {
                x1,
                y1: ya,
                x2,
                y2: yb,
                dash,
                width,
                both: e.both,
                label: super::word(c, "criticality", e.criticality.as_str()),
                // Near the arrow's head, where the fan of arrows is spread out.
                lx: x1 + (x2 - x1) * 2 / 3,
                ly: ya + (yb - ya) * 2 / 3 - 4,
            })
        })
        .collect();
    let width = 2 * MARGIN + (right - left) * COLUMN + BOX_W;
    let height = 2 * MARGIN + l.rows() as i32 * ROW;
    (nodes, arrows, width, height)
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
    let (nodes, arrows, width, height) = draw(&c, &n);
    let page = MapPage {
        c,
        s,
        depth,
        width,
        height,
        nodes,
        arrows,
        rows: rows(&n),
        more: n.layout.more,
        errors,
    };
    Ok(super::form_page(&page.errors, &page))
}
