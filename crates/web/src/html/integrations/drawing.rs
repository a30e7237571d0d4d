//! The SVG of a dependency map, drawn on the server (no script) from systems
//! placed in columns and rows: a box per system, an arrow per flow whose
//! line style AND text label say how critical it is (never colour alone),
//! a flow between two systems of one column curving out to the right. Used
//! by a system's neighbourhood map and by a unit's or the organisation's.

use super::Chrome;
use insyn_domain::SystemId;
use insyn_domain::integration::{Criticality, Edge, MapNode, columns, rows};

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
    /// The system the map is of (a thick border).
    pub centre: bool,
    /// A system of another unit (a dashed border).
    pub outside: bool,
}

/// A flow's arrow: an SVG path from one box to the other.
pub struct Arrow {
    pub d: String,
    /// `stroke-dasharray`: empty for a solid line.
    pub dash: &'static str,
    pub width: f32,
    pub both: bool,
    pub label: String,
    pub lx: i32,
    pub ly: i32,
}

/// A map's picture: boxes, arrows and its size.
pub struct Drawing {
    pub nodes: Vec<NodeBox>,
    pub arrows: Vec<Arrow>,
    pub width: i32,
    pub height: i32,
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

/// A name cut to fit its box.
fn label(name: &str) -> String {
    if name.chars().count() > NAME_CHARS {
        format!("{}…", name.chars().take(NAME_CHARS - 1).collect::<String>())
    } else {
        name.to_owned()
    }
}

/// Draws `placed` systems and the `edges` between them, each system named by
/// `name`, `centre` the one the map is of, `outside` those of another unit.
pub fn draw<'a>(
    c: &Chrome,
    placed: &[MapNode],
    edges: &[Edge],
    name: impl Fn(SystemId) -> &'a str,
    centre: impl Fn(SystemId) -> bool,
    outside: impl Fn(SystemId) -> bool,
) -> Drawing {
    let (left, right) = columns(placed);
    let x_of = |col: i32| MARGIN + (col - left) * COLUMN;
    let y_of = |row: u32| MARGIN + row as i32 * ROW;
    let nodes = placed
        .iter()
        .map(|m| NodeBox {
            x: x_of(m.column),
            y: y_of(m.row),
            label: label(name(m.system_id)),
            name: name(m.system_id).to_owned(),
            centre: centre(m.system_id),
            outside: outside(m.system_id),
        })
        .collect();
    let node = |s: SystemId| placed.iter().find(|n| n.system_id == s);
    let arrows = edges
        .iter()
        .filter_map(|e| {
            let (a, b) = (node(e.from)?, node(e.to)?);
            let (ya, yb) = (y_of(a.row) + BOX_H / 2, y_of(b.row) + BOX_H / 2);
            let (dash, width) = style(e.criticality);
            let (d, lx, ly) = if a.column == b.column {
                // Out of the right side and back into it, curving into the
                // gap before the next column.
                let x = x_of(a.column) + BOX_W;
                let bulge = (COLUMN - BOX_W - 10).min(20 + (yb - ya).abs() / 8);
                (
                    format!(
                        "M {x} {ya} C {} {ya} {} {yb} {x} {yb}",
                        x + bulge,
                        x + bulge
                    ),
                    x + bulge * 3 / 4,
                    (ya + yb) / 2,
                )
            } else {
                // Out of the side facing the other box.
                let (x1, x2) = if a.column < b.column {
                    (x_of(a.column) + BOX_W, x_of(b.column))
                } else {
                    (x_of(a.column), x_of(b.column) + BOX_W)
                };
                (
                    format!("M {x1} {ya} L {x2} {yb}"),
                    // Near the arrow's head, where the fan of arrows is spread out.
                    x1 + (x2 - x1) * 2 / 3,
                    ya + (yb - ya) * 2 / 3 - 4,
                )
            };
            Some(Arrow {
                d,
                dash,
                width,
                both: e.both,
                label: super::word(c, "criticality", e.criticality.as_str()),
                lx,
                ly,
            })
        })
        .collect();
    let width = 2 * MARGIN + (right - left) * COLUMN + BOX_W;
    let height = 2 * MARGIN + rows(placed) as i32 * ROW;
    Drawing {
        nodes,
        arrows,
        width,
        height,
    }
}
