//! A unit's or the whole organisation's map: the flows to and from the
//! systems of the unit and the units below it (or all the organisation's),
//! the most critical first,
//! read with a LIMIT and laid out with a cap (`insyn_domain::integration::
//! overview`), the totals counted, and one page of the flows for the table.
//! Never every integration of the organisation at once.

use super::graph::{EDGE_COLS, edge};
use super::{IntegrationFilter, integration_page, unit_subtree};
use crate::Store;
use crate::db::{Params, Queryable, Result};
use insyn_domain::integration::overview::{MAX_EDGES, MAX_NODES, Overview, overview};
use insyn_domain::integration::*;
use insyn_domain::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use uuid::Uuid;

/// The flows read for the picture: more than it draws, as the cap on
/// systems leaves some out.
const READ_EDGES: usize = 2 * MAX_EDGES;

/// A unit's (or the organisation's) map with its totals and a page of its
/// flows.
#[derive(Debug, Clone, PartialEq)]
pub struct ScopeMap {
    pub overview: Overview,
    pub names: HashMap<SystemId, String>,
    /// The systems of the unit and those below it (or the organisation's),
    /// not archived.
    pub systems: i64,
    /// The page of the flows to or from them (its `total` all of them).
    pub flows: Page<Integration>,
}

impl ScopeMap {
    pub fn name(&self, s: SystemId) -> &str {
        self.names.get(&s).map_or("", String::as_str)
    }
}

impl Store {
    /// The map of `unit`'s systems (none: the whole organisation's), of the
    /// flows of one criticality if given: at most [`MAX_NODES`] systems and
    /// [`MAX_EDGES`] flows drawn, the most critical first, and `page` of the
    /// flows, by name.
    pub async fn scope_map(
        &self,
        org: OrgId,
        unit: Option<UnitId>,
        criticality: Option<Criticality>,
        page: PageRequest,
    ) -> Result<ScopeMap> {
        let filter = IntegrationFilter {
            system: None,
            criticality,
            unit,
        };
        let mut read = self.db.read();
        let mut p = Params::default();
        let o = p.push(org.0);
        // The unit and those below it.
        let units: HashSet<Uuid> = match unit {
            Some(u) => unit_subtree(&mut read, org, u).await?.into_iter().collect(),
            None => HashSet::new(),
        };
        let mut of_unit = String::new();
        if unit.is_some() {
            let ids: Vec<Uuid> = units.iter().copied().collect();
            of_unit = format!(
                " AND responsible_unit_id {}",
                crate::db::member_of(read.backend(), &mut p, &ids)
            );
        }
        let systems = read
            .count(
                &format!(
                    "SELECT COUNT(*) AS n FROM systems WHERE org_id = {o} AND archived = FALSE{of_unit}"
                ),
                p.0.clone(),
            )
            .await?;
        // The unit's own systems, drawn while room is left (not when only
        // flows of one criticality are asked for).
        let alone: Vec<SystemId> = if unit.is_some() && criticality.is_none() {
            read.all(
                &format!(
                    "SELECT id FROM systems WHERE org_id = {o} AND archived = FALSE{of_unit} \
                     ORDER BY name_key, id LIMIT {MAX_NODES}"
                ),
                p.0.clone(),
                |r| Ok(SystemId(r.uuid("id")?)),
            )
            .await?
        } else {
            vec![]
        };
        let mut clause = format!("g.org_id = {o}");
        if unit.is_some() {
            let mine = format!("(SELECT id FROM systems WHERE org_id = {o}{of_unit})");
            clause.push_str(&format!(
                " AND (g.from_system_id IN {mine} OR g.to_system_id IN {mine})"
            ));
        }
        // The most critical first, by id within one criticality: read one
        // criticality at a time through the index (org_id, criticality, id),
        // each read stopping at the flows still wanted, instead of sorting
        // every flow of the organisation.
        let order = [
            Criticality::Critical,
            Criticality::High,
            Criticality::Medium,
            Criticality::Low,
        ];
        let wanted = criticality
            .as_ref()
            .map_or(&order[..], std::slice::from_ref);
        let mut edges = vec![];
        for c in wanted {
            if edges.len() >= READ_EDGES {
                break;
            }
            let mut q = Params(p.0.clone());
            let c = q.push(c.as_str());
            let limit = q.push(i64::try_from(READ_EDGES - edges.len()).unwrap_or(0));
            edges.extend(
                read.all(
                    &format!(
                        "SELECT {EDGE_COLS} FROM integrations g WHERE {clause} AND g.criticality = {c} \
                         ORDER BY g.id LIMIT {limit}"
                    ),
                    q.0,
                    edge,
                )
                .await?,
            );
        }
        let mut ids: BTreeSet<Uuid> = alone.iter().map(|s| s.0).collect();
        for e in &edges {
            ids.insert(e.from.0);
            ids.insert(e.to.0);
        }
        let ids: Vec<Uuid> = ids.into_iter().collect();
        let found = crate::db::by_ids(
            &mut read,
            &Params(vec![org.0.into()]),
            &ids,
            |member| {
                format!(
                    "SELECT id, name, responsible_unit_id FROM systems WHERE org_id = $1 AND id {member}"
                )
            },
            |r| {
                Ok((
                    SystemId(r.uuid("id")?),
                    (r.text("name")?, r.opt_uuid("responsible_unit_id")?.map(UnitId)),
                ))
            },
        )
        .await?;
        let found: HashMap<SystemId, (String, Option<UnitId>)> = found.into_iter().collect();
        let inside = |s: SystemId| {
            unit.is_none()
                || found
                    .get(&s)
                    .and_then(|(_, u)| *u)
                    .is_some_and(|u| units.contains(&u.0))
        };
        let overview = overview(&edges, &alone, inside, MAX_NODES, MAX_EDGES);
        let names = overview
            .nodes
            .iter()
            .filter_map(|n| Some((n.system_id, found.get(&n.system_id)?.0.clone())))
            .collect();
        let flows = integration_page(&mut read, org, &filter, page).await?;
        Ok(ScopeMap {
            overview,
            names,
            systems,
            flows,
        })
    }
}
