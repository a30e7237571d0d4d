//! "Om X ligger nere" / "if X is down": a pure function over the edges of
//! the dependency graph and the facts of the systems, which the store
//! gathers. A breadth-first walk with a visited set, so a cycle ends it.

use super::Edge;
use crate::ids::{IntegrationId, SystemId, UnitId};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

/// What the analysis needs to know of one system.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SystemFacts {
    pub name: String,
    /// The longest acceptable outage, in minutes (from its continuity requirements).
    pub rto_minutes: Option<i64>,
    /// The point where an outage becomes unacceptable, in minutes.
    pub mtd_minutes: Option<i64>,
    /// The units that use it or are responsible for it.
    pub units: Vec<UnitId>,
    /// Decided business-critical.
    pub business_critical: bool,
}

/// What the analysis needs to know of one unit: its name and its parent,
/// to name the nämnd (the unit at the top) above it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitFacts {
    pub name: String,
    pub parent: Option<UnitId>,
}

/// The facts of one analysis: the system that is down, the edges reachable
/// from it downstream and upstream (more do no harm), and what is known of
/// the systems and units.
#[derive(Debug, Clone, Default)]
pub struct ImpactFacts {
    pub down: SystemId,
    pub edges: Vec<Edge>,
    pub systems: HashMap<SystemId, SystemFacts>,
    pub units: HashMap<UnitId, UnitFacts>,
}

/// A system that stops or degrades when X is down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Affected {
    pub system_id: SystemId,
    pub name: String,
    /// 1 for a direct dependant, 2 for one of its dependants, …
    pub depth: u32,
    /// The systems from X to this one, X first and this one last.
    pub path: Vec<SystemId>,
    pub business_critical: bool,
}

/// A unit that uses an affected system, with the nämnd above it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AffectedUnit {
    pub unit_id: UnitId,
    pub name: String,
    /// The top unit above it (the nämnd or its förvaltning); itself at the top.
    pub top_name: String,
}

/// Which requirement a conflict is with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    Rto,
    Mtd,
}

/// A dependant that tolerates a shorter outage than X may last: "C tål 2 h
/// avbrott men X får ligga nere 8 h".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conflict {
    pub system_id: SystemId,
    pub name: String,
    pub limit: Limit,
    /// The dependant's RTO or MTD, in minutes.
    pub tolerates_minutes: i64,
    /// X's RTO, in minutes.
    pub down_rto_minutes: i64,
}

/// The most entries of each list an [`Impact`] carries; the totals say how
/// many there are in all ("N more").
pub const LISTED: usize = 200;

/// A personal-data flow that stops, with the names of its two ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoppedFlow {
    pub integration_id: IntegrationId,
    pub from_system_id: SystemId,
    pub from_name: String,
    pub to_system_id: SystemId,
    pub to_name: String,
}

/// The result of "if X is down". Each list holds at most [`LISTED`]
/// entries (nearest first), its `_total` how many there are in all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Impact {
    pub system_id: SystemId,
    /// X's RTO, if its continuity requirements are set.
    pub rto_minutes: Option<i64>,
    /// The systems that depend on X, nearest first.
    pub affected: Vec<Affected>,
    pub affected_total: usize,
    /// The units that use or answer for the affected systems (X's own too).
    pub units: Vec<AffectedUnit>,
    /// The flows carrying personal data that stop: every such flow out of X
    /// or an affected system to a system that depends on it.
    pub stopped_personal_data_flows: Vec<StoppedFlow>,
    pub stopped_personal_data_flows_total: usize,
    pub conflicts: Vec<Conflict>,
    pub conflicts_total: usize,
    /// The business-critical systems that depend on X while X is not decided
    /// business-critical: X is suggested as business-critical itself.
    pub suggest_business_critical: bool,
    pub critical_dependants: Vec<Affected>,
    pub critical_dependants_total: usize,
    /// When X is business-critical: the systems X depends on (directly or
    /// transitively) that are not, suggested as business-critical too.
    pub suggested_suppliers: Vec<Affected>,
    pub suggested_suppliers_total: usize,
    /// False when the store stopped reading the graph at its bound: the
    /// lists and totals then cover the systems read, not all.
    pub complete: bool,
}

/// Keeps the first [`LISTED`] of `v`; how many there were.
fn cap<T>(v: &mut Vec<T>) -> usize {
    let total = v.len();
    v.truncate(LISTED);
    total
}

/// The systems that depend on `down`, directly or transitively, each with
/// its depth and the path from `down`, nearest first; stops at `max_depth`
/// (None: no limit). A visited set makes cycles end.
pub fn dependants(
    edges: &[Edge],
    down: SystemId,
    max_depth: Option<u32>,
) -> Vec<(SystemId, u32, Vec<SystemId>)> {
    walk(edges, down, max_depth, Edge::dependent_of)
}

/// The systems `system` depends on, directly or transitively (upstream).
pub fn suppliers(
    edges: &[Edge],
    system: SystemId,
    max_depth: Option<u32>,
) -> Vec<(SystemId, u32, Vec<SystemId>)> {
    walk(edges, system, max_depth, Edge::supplier_of)
}

fn walk(
    edges: &[Edge],
    start: SystemId,
    max_depth: Option<u32>,
    next: fn(&Edge, SystemId) -> Option<SystemId>,
) -> Vec<(SystemId, u32, Vec<SystemId>)> {
    // Each system's neighbours, once: the walk then costs the edges, not
    // the systems times the edges. Sorted, so the answer is the same
    // whatever order the edges came in.
    let mut neighbours: HashMap<SystemId, BTreeSet<SystemId>> = HashMap::new();
    for e in edges {
        for s in [e.from, e.to] {
            if let Some(n) = next(e, s) {
                neighbours.entry(s).or_default().insert(n);
            }
        }
    }
    let mut out = vec![];
    let mut seen: HashSet<SystemId> = HashSet::from([start]);
    let mut came_from: HashMap<SystemId, SystemId> = HashMap::new();
    let mut queue = VecDeque::from([(start, 0u32)]);
    while let Some((s, depth)) = queue.pop_front() {
        if max_depth.is_some_and(|m| depth >= m) {
            continue;
        }
        for &n in neighbours.get(&s).into_iter().flatten() {
            if seen.insert(n) {
                came_from.insert(n, s);
                let mut path = vec![n];
                let mut at = n;
                while let Some(&p) = came_from.get(&at) {
                    path.push(p);
                    at = p;
                }
                path.reverse();
                out.push((n, depth + 1, path));
                queue.push_back((n, depth + 1));
            }
        }
    }
    out
}

/// The top unit above `unit` (itself when it has no parent); the bound
/// guards against a cycle in bad data.
fn top_of(units: &HashMap<UnitId, UnitFacts>, unit: UnitId) -> Option<&UnitFacts> {
    let mut at = units.get(&unit)?;
    for _ in 0..32 {
        match at.parent.and_then(|p| units.get(&p)) {
            Some(p) => at = p,
            None => break,
        }
    }
    Some(at)
}

/// "If X is down": see [`Impact`].
pub fn impact(f: &ImpactFacts) -> Impact {
    let found = dependants(&f.edges, f.down, None);
    // Borrowed, not cloned: the walk meets thousands of systems.
    let unknown = SystemFacts::default();
    let facts = |s: SystemId| f.systems.get(&s).unwrap_or(&unknown);
    let me = facts(f.down);
    let to_affected = |(s, depth, path): (SystemId, u32, Vec<SystemId>)| {
        let sf = facts(s);
        Affected {
            system_id: s,
            name: sf.name.clone(),
            depth,
            path,
            business_critical: sf.business_critical,
        }
    };
    let mut affected: Vec<Affected> = found.into_iter().map(to_affected).collect();
    let down: HashSet<SystemId> = affected
        .iter()
        .map(|a| a.system_id)
        .chain([f.down])
        .collect();

    let mut unit_ids: BTreeSet<UnitId> = me.units.iter().copied().collect();
    for a in &affected {
        unit_ids.extend(facts(a.system_id).units.iter().copied());
    }
    let mut units: Vec<AffectedUnit> = unit_ids
        .into_iter()
        .filter_map(|u| {
            let uf = f.units.get(&u)?;
            Some(AffectedUnit {
                unit_id: u,
                name: uf.name.clone(),
                top_name: top_of(&f.units, u).map_or_else(|| uf.name.clone(), |t| t.name.clone()),
            })
        })
        .collect();
    units.sort_by(|a, b| (&a.top_name, &a.name).cmp(&(&b.top_name, &b.name)));

    // A flow stops when the system it comes from is down and the one that
    // depends on it through the flow is affected: both ends are down.
    let mut stopped: Vec<StoppedFlow> = f
        .edges
        .iter()
        .filter(|e| e.personal_data && down.contains(&e.from) && down.contains(&e.to))
        .map(|e| StoppedFlow {
            integration_id: e.id,
            from_system_id: e.from,
            from_name: facts(e.from).name.clone(),
            to_system_id: e.to,
            to_name: facts(e.to).name.clone(),
        })
        .collect();
    stopped.sort_by_key(|x| x.integration_id);
    stopped.dedup_by_key(|x| x.integration_id);

    let mut conflicts = vec![];
    if let Some(rto) = me.rto_minutes {
        for a in &affected {
            let sf = facts(a.system_id);
            let limits = [(Limit::Rto, sf.rto_minutes), (Limit::Mtd, sf.mtd_minutes)];
            for (limit, tolerates) in limits {
                if let Some(t) = tolerates.filter(|t| *t < rto) {
                    conflicts.push(Conflict {
                        system_id: a.system_id,
                        name: a.name.clone(),
                        limit,
                        tolerates_minutes: t,
                        down_rto_minutes: rto,
                    });
                }
            }
        }
    }

    let mut critical_dependants: Vec<Affected> = affected
        .iter()
        .filter(|a| a.business_critical)
        .cloned()
        .collect();
    let mut suggested_suppliers: Vec<Affected> = if me.business_critical {
        suppliers(&f.edges, f.down, None)
            .into_iter()
            .map(to_affected)
            .filter(|a| !a.business_critical)
            .collect()
    } else {
        vec![]
    };
    Impact {
        system_id: f.down,
        rto_minutes: me.rto_minutes,
        suggest_business_critical: !me.business_critical && !critical_dependants.is_empty(),
        critical_dependants_total: cap(&mut critical_dependants),
        critical_dependants,
        suggested_suppliers_total: cap(&mut suggested_suppliers),
        suggested_suppliers,
        affected_total: cap(&mut affected),
        affected,
        units,
        stopped_personal_data_flows_total: cap(&mut stopped),
        stopped_personal_data_flows: stopped,
        conflicts_total: cap(&mut conflicts),
        conflicts,
        complete: true,
    }
}
