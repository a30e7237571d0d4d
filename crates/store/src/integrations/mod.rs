//! Integrations between systems (samverkande system): the register
//! (`write.rs`: create, edit, remove, each with its audit record), the
//! dependency graph they make (`graph.rs`: a system's neighbourhood level by
//! level, the facts of an impact analysis, with the RTO and MTD it reads from
//! `system_continuity`). The rules are
//! `insyn_domain::integration`. Secret by default: nothing here reaches the
//! public register (`public.rs` never reads these tables).

mod demo;
mod graph;
mod overview;
mod write;

pub use graph::{IMPACT_FRONTIER, Neighbourhood};
pub use overview::ScopeMap;

use crate::db::{DbRow, Params, Queryable, Result, word};
use crate::{Store, StoreError, params};
use insyn_domain::integration::*;
use insyn_domain::validation::{self as v, FieldErrors};
use insyn_domain::*;
use std::collections::HashMap;
use uuid::Uuid;

const COLS: &str = "g.id, g.org_id, g.from_system_id, f.name AS from_name, g.to_system_id, t.name AS to_name, \
     g.direction, g.interface, g.frequency, g.criticality, g.responsible_id, p.name AS responsible_name, g.note, \
     g.created_by, g.created_at, g.updated_at";
const FROM: &str = "integrations g JOIN systems f ON f.id = g.from_system_id JOIN systems t ON t.id = g.to_system_id \
     LEFT JOIN people p ON p.id = g.responsible_id";

fn integration(r: &dyn DbRow) -> Result<Integration> {
    Ok(Integration {
        id: IntegrationId(r.uuid("id")?),
        org_id: OrgId(r.uuid("org_id")?),
        from_system_id: SystemId(r.uuid("from_system_id")?),
        from_system_name: r.text("from_name")?,
        to_system_id: SystemId(r.uuid("to_system_id")?),
        to_system_name: r.text("to_name")?,
        direction: word(r, "direction", Direction::parse)?,
        interface: r.opt_text("interface")?,
        information_sets: vec![],
        frequency: word(r, "frequency", Frequency::parse)?,
        criticality: word(r, "criticality", Criticality::parse)?,
        responsible_id: r.opt_uuid("responsible_id")?.map(PersonId),
        responsible_name: r.opt_text("responsible_name")?,
        note: r.opt_text("note")?,
        created_by: r.text("created_by")?,
        created_at: r.ts("created_at")?,
        updated_at: r.ts("updated_at")?,
    })
}

/// The unit and every unit below it, if it is the organisation's (else
/// the nil id alone, which names no unit).
pub(crate) async fn unit_subtree(
    q: &mut impl Queryable,
    org: OrgId,
    unit: UnitId,
) -> Result<Vec<Uuid>> {
    let ids = q
        .all(
            "WITH RECURSIVE sub(id) AS (SELECT id FROM units WHERE org_id = $1 AND id = $2 \
             UNION ALL SELECT c.id FROM units c JOIN sub ON c.parent_id = sub.id) SELECT id FROM sub",
            params![org.0, unit.0],
            |r| r.uuid("id"),
        )
        .await?;
    Ok(if ids.is_empty() {
        vec![Uuid::nil()]
    } else {
        ids
    })
}

/// Fills in the information sets each integration carries, with their
/// personal-data flags and latest classification, in one query.
async fn fill_sets(q: &mut impl Queryable, items: &mut [Integration]) -> Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    let mut p = Params::default();
    let ids: Vec<Uuid> = items.iter().map(|i| i.id.0).collect();
    let member = crate::db::member_of(q.backend(), &mut p, &ids);
    let sql = format!(
        "SELECT l.integration_id, s.id, s.name, s.system_id, s.personal_data, s.sensitive_personal_data, \
         c.confidentiality, c.integrity, c.availability \
         FROM integration_information_sets l JOIN information_sets s ON s.id = l.information_set_id \
         LEFT JOIN classifications c ON c.seq = (SELECT MAX(seq) FROM classifications WHERE information_set_id = s.id) \
         WHERE l.integration_id {member} ORDER BY s.name, s.id"
    );
    let rows = q
        .all(&sql, p.0, |r| {
            Ok((
                r.uuid("integration_id")?,
                FlowSet {
                    id: r.uuid("id")?,
                    name: r.text("name")?,
                    system_id: SystemId(r.uuid("system_id")?),
                    personal_data: r.bool("personal_data")?,
                    sensitive_personal_data: r.bool("sensitive_personal_data")?,
                    confidentiality: r.opt_i32("confidentiality")?,
                    integrity: r.opt_i32("integrity")?,
                    availability: r.opt_i32("availability")?,
                },
            ))
        })
        .await?;
    let mut by: HashMap<Uuid, Vec<FlowSet>> = HashMap::new();
    for (id, set) in rows {
        by.entry(id).or_default().push(set);
    }
    for i in items {
        i.information_sets = by.remove(&i.id.0).unwrap_or_default();
    }
    Ok(())
}

/// One of the organisation's integrations, or `NotFound`.
async fn fetch(q: &mut impl Queryable, org: OrgId, id: IntegrationId) -> Result<Integration> {
    let mut i = q
        .one(
            &format!("SELECT {COLS} FROM {FROM} WHERE g.org_id = $1 AND g.id = $2"),
            params![org.0, id.0],
            integration,
        )
        .await?;
    fill_sets(q, std::slice::from_mut(&mut i)).await?;
    Ok(i)
}

/// Which of the organisation's integrations a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IntegrationFilter {
    /// Only those to or from this system.
    pub system: Option<SystemId>,
    pub criticality: Option<Criticality>,
    /// Only those to or from a system this unit, or a unit below it, is
    /// responsible for.
    pub unit: Option<UnitId>,
}

/// The most integrations one page of a list shows.
pub const MAX_PER_PAGE: u32 = 200;

/// A page of the organisation's integrations, by from-system's and
/// to-system's names, at most [`MAX_PER_PAGE`].
async fn integration_page(
    read: &mut impl Queryable,
    org: OrgId,
    filter: &IntegrationFilter,
    page: PageRequest,
) -> Result<Page<Integration>> {
    let page = PageRequest {
        per_page: page.per_page.min(MAX_PER_PAGE),
        ..page
    };
    let mut p = Params::default();
    let o = p.push(org.0);
    // One system's flows: the ids from its two indexes (sender, receiver),
    // then each flow by its id. Written as `from = s OR to = s` beside the
    // organisation, SQLite reads every flow of the organisation instead.
    let mut clause = match filter.system {
        Some(s) => {
            let s = p.push(s.0);
            format!(
                "g.id IN (SELECT id FROM integrations WHERE org_id = {o} AND from_system_id = {s} \
                 UNION ALL SELECT id FROM integrations WHERE org_id = {o} AND to_system_id = {s})"
            )
        }
        None => format!("g.org_id = {o}"),
    };
    if let Some(u) = filter.unit {
        let units = unit_subtree(read, org, u).await?;
        let a = crate::db::member_of(read.backend(), &mut p, &units);
        let b = crate::db::member_of(read.backend(), &mut p, &units);
        clause.push_str(&format!(
            " AND (f.responsible_unit_id {a} OR t.responsible_unit_id {b})"
        ));
    }
    if let Some(c) = filter.criticality {
        clause.push_str(&format!(" AND g.criticality = {}", p.push(c.as_str())));
    }
    // Without a unit, the count needs no system (a flow's systems exist).
    let counted = if filter.unit.is_some() {
        FROM
    } else {
        "integrations g"
    };
    let total = read
        .count(
            &format!("SELECT COUNT(*) AS n FROM {counted} WHERE {clause}"),
            p.0.clone(),
        )
        .await?;
    let limit = p.push(page.limit());
    let offset = p.push(page.offset());
    // The organisation's flows are read from their sending systems in name
    // order (an index), so a page stops after its rows instead of sorting
    // every flow: SQLite is told the join order (CROSS JOIN); PostgreSQL
    // finds it from the LIMIT.
    // One system's flows are few: read by their ids, then sorted.
    let (from, of_org) = match (filter.system, read.backend()) {
        (Some(_), _) => (FROM.to_owned(), String::new()),
        (None, backend) => {
            let by_sender = match backend {
                crate::db::Backend::Sqlite => "CROSS JOIN",
                crate::db::Backend::Postgres => "JOIN",
            };
            (
                format!(
                    "systems f {by_sender} integrations g ON g.org_id = f.org_id AND g.from_system_id = f.id \
                     JOIN systems t ON t.id = g.to_system_id LEFT JOIN people p ON p.id = g.responsible_id"
                ),
                format!("f.org_id = {o} AND "),
            )
        }
    };
    let mut items = read
        .all(
            &format!(
                "SELECT {COLS} FROM {from} WHERE {of_org}{clause} \
                 ORDER BY f.name_key, f.id, t.name_key, g.id LIMIT {limit} OFFSET {offset}"
            ),
            p.0,
            integration,
        )
        .await?;
    fill_sets(read, &mut items).await?;
    Ok(Page {
        items,
        total,
        page: page.page,
        per_page: page.per_page,
        total_capped: false,
    })
}

impl Store {
    /// One of the organisation's integrations.
    pub async fn get_integration(&self, org: OrgId, id: IntegrationId) -> Result<Integration> {
        fetch(&mut self.db.read(), org, id).await
    }

    /// A page of the organisation's integrations, by from-system's and
    /// to-system's names.
    pub async fn list_integrations(
        &self,
        org: OrgId,
        filter: &IntegrationFilter,
        page: PageRequest,
    ) -> Result<Page<Integration>> {
        integration_page(&mut self.db.read(), org, filter, page).await
    }

    /// Every integration to or from one system (both directions), at most
    /// [`MAX_PER_PAGE`]: a system has few.
    pub async fn system_integrations(
        &self,
        org: OrgId,
        system: SystemId,
    ) -> Result<Vec<Integration>> {
        let filter = IntegrationFilter {
            system: Some(system),
            ..IntegrationFilter::default()
        };
        let page = PageRequest::new(Some(1), Some(MAX_PER_PAGE));
        Ok(self.list_integrations(org, &filter, page).await?.items)
    }
}

/// The reference named is not of the organisation: the error on `field`.
fn unknown(field: &str) -> StoreError {
    StoreError::Invalid(FieldErrors::single(field, v::UNKNOWN_REFERENCE))
}
