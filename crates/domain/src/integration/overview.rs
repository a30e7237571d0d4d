//! The map of a unit's systems, or of the whole organisation's: the flows
//! given (the most critical first) and the systems at their ends, capped, in
//! columns by the part each system plays: outside systems that send to the
//! unit to the left, then the unit's systems that only send, those that send
//! and receive (and those without a drawn flow), those that only receive,
//! and outside systems that receive to the right. A column longer than
//! [`ROWS`] wraps into the next, so the picture stays bounded.

use super::Edge;
use super::map::MapNode;
use crate::ids::SystemId;
use std::collections::{HashMap, HashSet};

/// The most systems a unit's or the organisation's map draws.
pub const MAX_NODES: usize = 60;
/// The most flows such a map draws.
pub const MAX_EDGES: usize = 150;
/// The most systems in one column before it wraps.
pub const ROWS: usize = 15;

/// A unit's (or the organisation's) map: the systems drawn, placed, and
/// the flows between them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Overview {
    pub nodes: Vec<MapNode>,
    pub edges: Vec<Edge>,
    /// The systems drawn that are not the unit's (none for the whole
    /// organisation).
    pub outside: HashSet<SystemId>,
}

/// The part a system plays, in the order of the columns.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Part {
    SendsIn,
    Source,
    Middle,
    Sink,
    ReceivesOut,
}

/// Lays out the flows `edges` (already in the order of importance) and the
/// systems `alone` (the unit's own, drawn while room is left, with or
/// without flows): at most `max_nodes` systems and `max_edges` flows. A
/// system is the unit's when `inside` says so (the whole organisation:
/// every system).
pub fn overview(
    edges: &[Edge],
    alone: &[SystemId],
    inside: impl Fn(SystemId) -> bool,
    max_nodes: usize,
    max_edges: usize,
) -> Overview {
    let mut order: Vec<SystemId> = vec![];
    let mut drawn: HashSet<SystemId> = HashSet::new();
    let mut shown: Vec<Edge> = vec![];
    for e in edges {
        if shown.len() >= max_edges {
            break;
        }
        let new = [e.from, e.to]
            .into_iter()
            .filter(|s| !drawn.contains(s))
            .collect::<HashSet<_>>();
        if drawn.len() + new.len() > max_nodes {
            continue;
        }
        for s in [e.from, e.to] {
            if drawn.insert(s) {
                order.push(s);
            }
        }
        shown.push(*e);
    }
    for s in alone {
        if drawn.len() >= max_nodes {
            break;
        }
        if drawn.insert(*s) {
            order.push(*s);
        }
    }
    let (mut sends, mut receives) = (HashSet::new(), HashSet::new());
    for e in &shown {
        sends.insert(e.from);
        receives.insert(e.to);
        if e.both {
            sends.insert(e.to);
            receives.insert(e.from);
        }
    }
    let part = |s: SystemId| match (inside(s), sends.contains(&s), receives.contains(&s)) {
        (false, true, _) => Part::SendsIn,
        (false, false, _) => Part::ReceivesOut,
        (true, true, false) => Part::Source,
        (true, false, true) => Part::Sink,
        (true, _, _) => Part::Middle,
    };
    let mut by_part: HashMap<Part, Vec<SystemId>> = HashMap::new();
    for s in &order {
        by_part.entry(part(*s)).or_default().push(*s);
    }
    let mut nodes = vec![];
    let mut column = 0;
    for p in [
        Part::SendsIn,
        Part::Source,
        Part::Middle,
        Part::Sink,
        Part::ReceivesOut,
    ] {
        let Some(systems) = by_part.get(&p) else {
            continue;
        };
        for chunk in systems.chunks(ROWS) {
            for (row, s) in chunk.iter().enumerate() {
                nodes.push(MapNode {
                    system_id: *s,
                    column,
                    row: row as u32,
                });
            }
            column += 1;
        }
    }
    let outside = order.iter().copied().filter(|s| !inside(*s)).collect();
    Overview {
        nodes,
        edges: shown,
        outside,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::IntegrationId;
    use crate::integration::Criticality;
    use uuid::Uuid;

    fn sys(n: u128) -> SystemId {
        SystemId(Uuid::from_u128(n))
    }

    fn edge(n: u128, from: u128, to: u128) -> Edge {
        Edge {
            id: IntegrationId(Uuid::from_u128(1000 + n)),
            from: sys(from),
            to: sys(to),
            both: false,
            criticality: Criticality::High,
            personal_data: false,
        }
    }

    fn column(o: &Overview, s: u128) -> i32 {
        o.nodes
            .iter()
            .find(|n| n.system_id == sys(s))
            .unwrap()
            .column
    }

    #[test]
    fn outside_senders_are_left_outside_receivers_right_and_the_unit_between() {
        // 1 and 2 are the unit's; 9 sends to 1; 1 sends to 2; 2 sends to 8.
        let edges = [edge(1, 9, 1), edge(2, 1, 2), edge(3, 2, 8)];
        let o = overview(
            &edges,
            &[sys(3)],
            |s| s == sys(1) || s == sys(2) || s == sys(3),
            60,
            150,
        );
        assert_eq!(o.nodes.len(), 5);
        assert_eq!(o.edges.len(), 3);
        // 9 sends in; 1 and 2 both send and receive; 3 has no flow; 8 receives.
        assert_eq!(column(&o, 9), 0);
        assert_eq!(column(&o, 1), 1);
        assert_eq!(column(&o, 2), 1);
        assert_eq!(column(&o, 3), 1);
        assert_eq!(column(&o, 8), 2);
        assert_eq!(o.outside, HashSet::from([sys(8), sys(9)]));
    }

    #[test]
    fn the_caps_hold_and_a_long_column_wraps() {
        // A star: 0 sends to 1..=100, all inside.
        let edges: Vec<Edge> = (1..=100).map(|n| edge(n, 0, n)).collect();
        let o = overview(&edges, &[], |_| true, 20, 150);
        assert_eq!(o.nodes.len(), 20);
        assert_eq!(o.edges.len(), 19, "only flows with both ends drawn");
        let o = overview(&edges, &[], |_| true, 60, 10);
        assert_eq!(o.edges.len(), 10);
        assert_eq!(o.nodes.len(), 11);
        // The 10 receivers in one column (fewer than ROWS), the sender before.
        assert_eq!(column(&o, 0), 0);
        assert!(o.nodes.iter().filter(|n| n.column == 1).count() == 10);
        let o = overview(&edges, &[], |_| true, 60, 150);
        let sinks = o.nodes.iter().filter(|n| n.column > 0);
        assert!(sinks.clone().all(|n| (n.row as usize) < ROWS));
        assert_eq!(
            o.nodes.iter().map(|n| n.column).max(),
            Some(4),
            "59 receivers in 4 columns"
        );
        assert!(o.outside.is_empty());
    }
}
