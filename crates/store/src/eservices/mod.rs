//! E-services (e-tjänster, R-SVC-3): each read with its responsible unit's
//! name, its systems, its criteria and its findings on the day the caller
//! passes (`insyn_domain::eservice::findings`); a page of them filtered by
//! step, with its total; the e-services a system serves. The writes in
//! `write.rs`, each one transaction with its audit record; what the public
//! register may show in `public.rs`.

pub mod public;
mod write;

use crate::db::{DbRow, Queryable, Result};
use crate::{Store, StoreError, params};
use chrono::NaiveDate;
use insyn_domain::eservice::*;
use insyn_domain::*;

const COLS: &str = "e.id, e.org_id, e.unit_id, e.name, e.description, e.url, e.owner, e.step, \
     e.target_groups, e.other_target_groups, e.goal_areas, e.statement_url, e.statement_date, \
     e.accessibility_status, e.statement_reviewed_on, e.published, e.updated_by, e.updated_at, \
     u.name AS unit_name";
const FROM: &str = "eservices e LEFT JOIN units u ON u.id = e.unit_id";

/// A stored word that must be one of the enum's.
fn word<T>(col: &str, s: &str, parse: fn(&str) -> Option<T>) -> Result<T> {
    parse(s).ok_or_else(|| StoreError::Column(col.into(), s.to_owned()))
}

/// A list of codes kept as one text, separated by commas.
fn words<T>(r: &dyn DbRow, col: &str, parse: fn(&str) -> Option<T>) -> Result<Vec<T>> {
    r.text(col)?
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| word(col, s, parse))
        .collect()
}

/// Codes joined for [`words`].
pub(crate) fn joined<T: Copy>(items: &[T], code: fn(T) -> &'static str) -> String {
    items.iter().map(|i| code(*i)).collect::<Vec<_>>().join(",")
}

fn eservice(r: &dyn DbRow) -> Result<EService> {
    let draft = EServiceDraft {
        name: r.text("name")?,
        description: r.opt_text("description")?,
        url: r.opt_text("url")?,
        unit_id: r.opt_uuid("unit_id")?.map(UnitId),
        owner: r.opt_text("owner")?,
        step: word("step", &r.text("step")?, EServiceStep::parse)?,
        target_groups: words(r, "target_groups", EServiceTargetGroup::parse)?,
        other_target_groups: r.opt_text("other_target_groups")?,
        goal_areas: words(r, "goal_areas", EServiceGoalArea::parse)?,
        system_ids: vec![],
        statement_url: r.opt_text("statement_url")?,
        statement_date: r.opt_date("statement_date")?,
        accessibility_status: crate::decommission::opt_word(
            r,
            "accessibility_status",
            EServiceAccessibility::parse,
        )?,
        statement_reviewed_on: r.opt_date("statement_reviewed_on")?,
        criteria: vec![],
        published: r.bool("published")?,
    };
    Ok(EService {
        id: EServiceId(r.uuid("id")?),
        org_id: OrgId(r.uuid("org_id")?),
        draft,
        unit: r.opt_text("unit_name")?,
        systems: vec![],
        findings: vec![],
        updated_by: r.text("updated_by")?,
        updated_at: r.ts("updated_at")?,
    })
}

/// Fills in an e-service's systems and criteria, and its findings on `today`.
async fn fill(q: &mut impl Queryable, e: &mut EService, today: NaiveDate) -> Result<()> {
    let id = e.id.0;
    e.systems = q
        .all(
            "SELECT s.id, s.name FROM eservice_systems l JOIN systems s ON s.id = l.system_id \
             WHERE l.eservice_id = $1 ORDER BY s.name_key, s.id",
            params![id],
            |r| {
                Ok(EServiceSystem {
                    id: SystemId(r.uuid("id")?),
                    name: r.text("name")?,
                })
            },
        )
        .await?;
    e.draft.criteria = q
        .all(
            "SELECT criterion, verdict, note FROM eservice_criteria WHERE eservice_id = $1",
            params![id],
            |r| {
                Ok(EServiceCriterion {
                    criterion: word(
                        "criterion",
                        &r.text("criterion")?,
                        EServiceCriterionKind::parse,
                    )?,
                    verdict: word("verdict", &r.text("verdict")?, EServiceVerdict::parse)?,
                    note: r.opt_text("note")?,
                })
            },
        )
        .await?;
    let order = |c: EServiceCriterionKind| EServiceCriterionKind::ALL.iter().position(|x| *x == c);
    e.draft.criteria.sort_by_key(|c| order(c.criterion));
    e.draft.system_ids = e.systems.iter().map(|s| s.id).collect();
    e.draft.system_ids.sort();
    e.findings = findings(&e.draft, today)
        .into_iter()
        .map(str::to_owned)
        .collect();
    Ok(())
}

async fn fetch(
    q: &mut impl Queryable,
    org: OrgId,
    id: EServiceId,
    today: NaiveDate,
) -> Result<EService> {
    let mut e = q
        .one(
            &format!("SELECT {COLS} FROM {FROM} WHERE e.org_id = $1 AND e.id = $2"),
            params![org.0, id.0],
            eservice,
        )
        .await?;
    fill(q, &mut e, today).await?;
    Ok(e)
}

impl Store {
    /// A page of the organisation's e-services by name, on one step or all,
    /// with the total.
    pub async fn eservices(
        &self,
        org: OrgId,
        step: Option<EServiceStep>,
        page: PageRequest,
        today: NaiveDate,
    ) -> Result<Page<EService>> {
        let mut read = self.db.read();
        let (filter, p) = match step {
            None => ("", params![org.0]),
            Some(s) => (" AND e.step = $2", params![org.0, s.as_str()]),
        };
        let total = read
            .count(
                &format!("SELECT COUNT(*) AS n FROM eservices e WHERE e.org_id = $1{filter}"),
                p.clone(),
            )
            .await?;
        let mut items = read
            .all(
                &format!(
                    "SELECT {COLS} FROM {FROM} WHERE e.org_id = $1{filter} \
                     ORDER BY LOWER(e.name), e.id LIMIT {} OFFSET {}",
                    page.limit(),
                    page.offset()
                ),
                p,
                eservice,
            )
            .await?;
        for it in &mut items {
            fill(&mut read, it, today).await?;
        }
        Ok(Page::of(items, total, page))
    }

    /// One e-service of the organisation.
    pub async fn eservice(&self, org: OrgId, id: EServiceId, today: NaiveDate) -> Result<EService> {
        fetch(&mut self.db.read(), org, id, today).await
    }

    /// The e-services a system serves (id, name, step), by name.
    pub async fn eservices_of_system(
        &self,
        org: OrgId,
        system: SystemId,
    ) -> Result<Vec<(EServiceId, String, EServiceStep)>> {
        self.db
            .read()
            .all(
                "SELECT e.id, e.name, e.step FROM eservice_systems l \
                 JOIN eservices e ON e.id = l.eservice_id \
                 WHERE l.org_id = $1 AND l.system_id = $2 ORDER BY LOWER(e.name), e.id",
                params![org.0, system.0],
                |r| {
                    Ok((
                        EServiceId(r.uuid("id")?),
                        r.text("name")?,
                        word("step", &r.text("step")?, EServiceStep::parse)?,
                    ))
                },
            )
            .await
    }
}
