//! The dependency graph, read level by level: each level is one indexed
//! query per direction over the systems found at the level before (in
//! chunks), so a system's neighbourhood costs the same at 10,000 systems
//! as at 100.

use crate::db::{DbRow, Params, Queryable, Read, Result};
use crate::{Store, params};
use insyn_domain::integration::*;
use insyn_domain::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use uuid::Uuid;

/// The most systems a map's walk finds each way: far more than it draws.
const MAP_FRONTIER: usize = 2_000;
/// The most systems an impact's walk finds each way, so that one request
/// reads a bounded part of the graph (about 20 ms at this size); beyond it
/// the analysis says it is incomplete. More than the largest Swedish
/// municipality registers: only a synthetic or national graph reaches it.
pub const IMPACT_FRONTIER: usize = 2_000;
/// The most flows a walk reads per system it may find: a walk stops after
/// `cap * EDGES_PER_SYSTEM` flows even when most lead to systems already
/// found, so that a level of a dense graph cannot be read without end.
const EDGES_PER_SYSTEM: usize = 4;

pub(super) const EDGE_COLS: &str = "g.id, g.from_system_id, g.to_system_id, g.direction, g.criticality, \
     EXISTS (SELECT 1 FROM integration_information_sets l JOIN information_sets s ON s.id = l.information_set_id \
     WHERE l.integration_id = g.id AND s.personal_data) AS pd";

pub(super) fn edge(r: &dyn DbRow) -> Result<Edge> {
    Ok(Edge {
        id: IntegrationId(r.uuid("id")?),
        from: SystemId(r.uuid("from_system_id")?),
        to: SystemId(r.uuid("to_system_id")?),
        both: r.text("direction")? == Direction::Both.as_str(),
        criticality: Criticality::parse(&r.text("criticality")?).unwrap_or(Criticality::Medium),
        personal_data: r.bool("pd")?,
    })
}

/// Which way a walk goes.
#[derive(Clone, Copy)]
enum Way {
    /// To the systems that depend on the frontier.
    Down,
    /// To the systems the frontier depends on.
    Up,
}

/// At most `limit` of the edges that leave `chunk` the `way` given: for
/// `Down` the flows from it and the two-way flows to it; for `Up` the
/// reverse.
async fn level(
    read: &mut Read<'_>,
    org: OrgId,
    chunk: &[Uuid],
    way: Way,
    limit: usize,
) -> Result<Vec<Edge>> {
    let (out, back) = match way {
        Way::Down => ("from_system_id", "to_system_id"),
        Way::Up => ("to_system_id", "from_system_id"),
    };
    let mut p = Params::default();
    let o = p.push(org.0);
    let member = crate::db::member_of(read.backend(), &mut p, chunk);
    let both = p.push(Direction::Both.as_str());
    let limit = p.push(i64::try_from(limit).unwrap_or(i64::MAX));
    let sql = format!(
        "SELECT {EDGE_COLS} FROM integrations g WHERE g.org_id = {o} AND g.{out} {member} \
         UNION ALL SELECT {EDGE_COLS} FROM integrations g WHERE g.org_id = {o} AND g.{back} {member} AND g.direction = {both} \
         LIMIT {limit}"
    );
    read.all(&sql, p.0, edge).await
}

/// Walks from `start` the `way` given, to `max_depth` levels (None: to the
/// end), until it has found `cap` systems besides `start` or read
/// `cap * EDGES_PER_SYSTEM` flows; the edges read, and whether the walk
/// ended by itself (false when a bound stopped it: then the edges cover
/// the systems nearest `start`, not all).
async fn walk(
    read: &mut Read<'_>,
    org: OrgId,
    start: SystemId,
    way: Way,
    max_depth: Option<u32>,
    cap: usize,
) -> Result<(Vec<Edge>, bool)> {
    let edge_budget = cap.saturating_mul(EDGES_PER_SYSTEM).max(1);
    let mut seen: HashSet<SystemId> = HashSet::from([start]);
    let mut frontier = vec![start.0];
    let mut edges = vec![];
    let mut depth = 0;
    let mut stopped = false;
    while !frontier.is_empty() && max_depth.is_none_or(|m| depth < m) && !stopped {
        let here: HashSet<Uuid> = frontier.iter().copied().collect();
        let mut next = vec![];
        for chunk in frontier.chunks(crate::db::in_chunk(read.backend())) {
            // One more than the budget allows tells a full budget from an
            // exact fit.
            let room = edge_budget - edges.len();
            let mut found = level(read, org, chunk, way, room + 1).await?;
            if found.len() > room {
                found.truncate(room);
                stopped = true;
            }
            for e in found {
                if let Some(n) = frontier_next(&e, &here, way) {
                    if seen.len() > cap {
                        // The system beyond the bound is left out, and so is
                        // its edge.
                        if !seen.contains(&n) {
                            stopped = true;
                            continue;
                        }
                    } else if seen.insert(n) {
                        next.push(n.0);
                    }
                }
                edges.push(e);
            }
            if stopped {
                break;
            }
        }
        frontier = next;
        depth += 1;
    }
    let ended = !stopped && (frontier.is_empty() || max_depth.is_some_and(|m| depth >= m));
    Ok((edges, ended))
}

/// The system an edge leads to from the frontier.
fn frontier_next(e: &Edge, here: &HashSet<Uuid>, way: Way) -> Option<SystemId> {
    let step = match way {
        Way::Down => Edge::dependent_of,
        Way::Up => Edge::supplier_of,
    };
    [e.from, e.to]
        .into_iter()
        .filter(|s| here.contains(&s.0))
        .find_map(|s| step(e, s))
}

/// Distinct by id.
fn distinct(mut edges: Vec<Edge>) -> Vec<Edge> {
    let mut seen = HashSet::new();
    edges.retain(|e| seen.insert(e.id));
    edges
}

/// A system's neighbourhood, laid out, with the names of the systems drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbourhood {
    pub layout: Layout,
    pub names: HashMap<SystemId, String>,
}

impl Neighbourhood {
    pub fn name(&self, s: SystemId) -> &str {
        self.names.get(&s).map_or("", String::as_str)
    }
}

impl Store {
    /// One system's neighbourhood to `depth` (1–3), laid out for the map,
    /// at most [`MAX_DRAWN`] systems drawn.
    pub async fn neighbourhood(
        &self,
        org: OrgId,
        system: SystemId,
        depth: u32,
    ) -> Result<Neighbourhood> {
        let depth = depth.clamp(1, MAX_DEPTH);
        let mut read = self.db.read();
        // The system must be the organisation's.
        read.org_row("id", "systems", org, system.0, |r| r.uuid("id"))
            .await?;
        let (mut edges, _) =
            walk(&mut read, org, system, Way::Down, Some(depth), MAP_FRONTIER).await?;
        edges.extend(
            walk(&mut read, org, system, Way::Up, Some(depth), MAP_FRONTIER)
                .await?
                .0,
        );
        let layout = layout(&distinct(edges), system, depth, MAX_DRAWN);
        let ids: Vec<Uuid> = layout.nodes.iter().map(|n| n.system_id.0).collect();
        let names = crate::db::names_by_id(&mut read, "systems", org, &ids)
            .await?
            .into_iter()
            .map(|(id, name)| (SystemId(id), name))
            .collect();
        Ok(Neighbourhood { layout, names })
    }

    /// "If X is down": the systems that depend on X, with the facts the
    /// analysis needs gathered from the register; the walk each way stops
    /// after the [`IMPACT_FRONTIER`] nearest systems (then `complete` is false).
    pub async fn impact(&self, org: OrgId, system: SystemId) -> Result<Impact> {
        self.impact_within(org, system, IMPACT_FRONTIER).await
    }

    /// [`Store::impact`] with the walk each way stopped after `cap` systems.
    pub async fn impact_within(&self, org: OrgId, system: SystemId, cap: usize) -> Result<Impact> {
        let mut read = self.db.read();
        read.org_row("id", "systems", org, system.0, |r| r.uuid("id"))
            .await?;
        let (mut edges, down_ended) = walk(&mut read, org, system, Way::Down, None, cap).await?;
        let (up, up_ended) = walk(&mut read, org, system, Way::Up, None, cap).await?;
        edges.extend(up);
        let edges = distinct(edges);
        let mut ids: BTreeSet<Uuid> = BTreeSet::from([system.0]);
        for e in &edges {
            ids.insert(e.from.0);
            ids.insert(e.to.0);
        }
        let ids: Vec<Uuid> = ids.into_iter().collect();
        let mut systems: HashMap<SystemId, SystemFacts> = crate::db::by_ids(
            &mut read,
            &Params(vec![org.0.into()]),
            &ids,
            |member| {
                format!(
                    "SELECT s.id, s.name, s.business_critical, s.responsible_unit_id, c.rto_minutes, \
                     c.mtd_minutes FROM systems s LEFT JOIN system_continuity c ON c.system_id = s.id \
                     WHERE s.org_id = $1 AND s.id {member}"
                )
            },
            |r| {
                Ok((
                    SystemId(r.uuid("id")?),
                    SystemFacts {
                        name: r.text("name")?,
                        rto_minutes: r.opt_i64("rto_minutes")?,
                        mtd_minutes: r.opt_i64("mtd_minutes")?,
                        units: r.opt_uuid("responsible_unit_id")?.map(UnitId).into_iter().collect(),
                        business_critical: r.bool("business_critical")?,
                    },
                ))
            },
        )
        .await?
        .into_iter()
        .collect();
        let using = crate::db::by_ids(
            &mut read,
            &Params::default(),
            &ids,
            |member| {
                format!("SELECT system_id, unit_id FROM system_units WHERE system_id {member}")
            },
            |r| Ok((SystemId(r.uuid("system_id")?), UnitId(r.uuid("unit_id")?))),
        )
        .await?;
        for (s, u) in using {
            if let Some(f) = systems.get_mut(&s)
                && !f.units.contains(&u)
            {
                f.units.push(u);
            }
        }
        let units = read
            .all(
                "SELECT id, name, parent_id FROM units WHERE org_id = $1",
                params![org.0],
                |r| {
                    Ok((
                        UnitId(r.uuid("id")?),
                        UnitFacts {
                            name: r.text("name")?,
                            parent: r.opt_uuid("parent_id")?.map(UnitId),
                        },
                    ))
                },
            )
            .await?
            .into_iter()
            .collect();
        let mut impact = insyn_domain::integration::impact(&ImpactFacts {
            down: system,
            edges,
            systems,
            units,
        });
        impact.complete = down_ended && up_ended;
        Ok(impact)
    }
}
