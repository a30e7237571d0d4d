//! A system's neighbourhood as a map: the system in the middle, what it
//! depends on (upstream) in columns to the left by depth, what depends on it
//! (downstream) to the right. Deterministic, and capped, so a map never
//! draws the whole graph.

use super::Edge;
use super::impact::{dependants, suppliers};
use crate::ids::SystemId;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// The deepest neighbourhood a map shows.
pub const MAX_DEPTH: u32 = 3;
/// The most systems one map draws (the system itself included); the rest
/// are counted ("N more").
pub const MAX_DRAWN: usize = 150;

/// One system on the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MapNode {
    pub system_id: SystemId,
    /// 0 the system itself; −1, −2, … what it depends on; 1, 2, … what
    /// depends on it.
    pub column: i32,
    /// The place in its column, from the top.
    pub row: u32,
}

/// The map of one system's neighbourhood.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Layout {
    pub system_id: SystemId,
    pub depth: u32,
    pub nodes: Vec<MapNode>,
    /// The flows between systems drawn.
    pub edges: Vec<Edge>,
    /// The systems of the neighbourhood left out beyond the cap.
    pub more: usize,
}

/// The most systems in one column of `nodes`.
pub fn rows(nodes: &[MapNode]) -> u32 {
    nodes.iter().map(|n| n.row + 1).max().unwrap_or(1)
}

/// The leftmost and rightmost columns of `nodes`.
pub fn columns(nodes: &[MapNode]) -> (i32, i32) {
    let cols = nodes.iter().map(|n| n.column);
    (cols.clone().min().unwrap_or(0), cols.max().unwrap_or(0))
}

impl Layout {
    /// The most systems in one column.
    pub fn rows(&self) -> u32 {
        rows(&self.nodes)
    }

    /// The leftmost and rightmost columns.
    pub fn columns(&self) -> (i32, i32) {
        columns(&self.nodes)
    }

    pub fn node(&self, s: SystemId) -> Option<&MapNode> {
        self.nodes.iter().find(|n| n.system_id == s)
    }
}

/// Lays out `center`'s neighbourhood to `depth` (clamped to 1..=3) over the
/// edges given, drawing at most `cap` systems. A system both upstream and
/// downstream (a flow both ways, a cycle) is drawn downstream.
pub fn layout(edges: &[Edge], center: SystemId, depth: u32, cap: usize) -> Layout {
    let depth = depth.clamp(1, MAX_DEPTH);
    let down = dependants(edges, center, Some(depth));
    let placed: HashSet<SystemId> = down.iter().map(|(s, _, _)| *s).collect();
    let up = suppliers(edges, center, Some(depth))
        .into_iter()
        .filter(|(s, _, _)| !placed.contains(s));
    let mut all: Vec<(SystemId, i32)> = down
        .iter()
        .map(|(s, d, _)| (*s, *d as i32))
        .chain(up.map(|(s, d, _)| (s, -(d as i32))))
        .collect();
    // Nearest first, so the cap leaves out the farthest.
    all.sort_by_key(|(_, c)| c.abs());
    let keep = cap.saturating_sub(1);
    let more = all.len().saturating_sub(keep);
    all.truncate(keep);
    let mut rows: BTreeMap<i32, u32> = BTreeMap::new();
    let mut nodes = vec![MapNode {
        system_id: center,
        column: 0,
        row: 0,
    }];
    for (s, column) in all {
        let row = rows.entry(column).or_insert(0);
        nodes.push(MapNode {
            system_id: s,
            column,
            row: *row,
        });
        *row += 1;
    }
    let drawn: HashSet<SystemId> = nodes.iter().map(|n| n.system_id).collect();
    let mut shown: Vec<Edge> = edges
        .iter()
        .filter(|e| drawn.contains(&e.from) && drawn.contains(&e.to))
        .copied()
        .collect();
    shown.sort_by_key(|e| e.id);
    shown.dedup_by_key(|e| e.id);
    Layout {
        system_id: center,
        depth,
        nodes,
        edges: shown,
        more,
    }
}
