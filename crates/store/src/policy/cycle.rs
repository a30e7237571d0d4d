//! The årshjul's stored results: what was performed in each month (counted
//! in SQL from the control records, grouped by day, so a year is at most
//! 366 rows per control), and a month's list of systems — due or missed from
//! the compliance snapshot's findings of the chosen controls, done from the
//! records, paged.
//!
//! Every control of the shipped profiles is performed through a control
//! record: the annual review when its checklist is signed, the access review
//! when a review round is signed, a restore test, a benefit assessment, and
//! the others recorded on their form. The classification review is
//! performed by classifying every set again (compliance reads it from the
//! classifications); it has no record here and shows nothing as done.

use super::snapshot::ComplianceSnapshot;
use crate::db::{Queryable, Result};
use crate::{Store, params};
use chrono::{Datelike, NaiveDate};
use insyn_domain::policy::{
    ANNUAL_REVIEW, CLASSIFICATION_REVIEW, ControlRule, ControlScope, MonthState, Performed,
    in_month,
};
use insyn_domain::{OrgId, Page, PageRequest, SystemId};

/// One line of a month's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleEntry {
    /// The system, or none for the organisation's own control.
    pub system: Option<(SystemId, String)>,
    /// The control's code (`access_review`, …).
    pub control: String,
    /// When it is (or was) due, or when it was performed.
    pub on: NaiveDate,
    /// For a performance: `ok` or `remarks`.
    pub result: Option<String>,
}

/// The first day of the month and of the next.
fn month_span(year: i32, month: u32) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = first.checked_add_months(chrono::Months::new(1))?;
    Some((first, next))
}

/// The records that count as performing the rules: their code in their
/// scope (a signed checklist for the annual review), as SQL over
/// `control_records cr` with the codes from `$first`.
fn performed_by(rules: &[&ControlRule], first: usize) -> (String, Vec<String>) {
    let mut codes: Vec<(String, bool)> = rules
        .iter()
        .filter(|r| r.control != CLASSIFICATION_REVIEW)
        .map(|r| (r.control.clone(), r.scope == ControlScope::Organisation))
        .collect();
    codes.sort();
    codes.dedup();
    if codes.is_empty() {
        return ("1 = 0".into(), vec![]);
    }
    let mut values = vec![];
    let ors: Vec<String> = codes
        .into_iter()
        .map(|(code, org)| {
            let n = first + values.len();
            let mut c = format!(
                "(cr.control = ${n} AND cr.system_id IS {}NULL",
                if org { "" } else { "NOT " }
            );
            if code == ANNUAL_REVIEW {
                c.push_str(" AND cr.review_id IS NOT NULL");
            }
            c.push(')');
            values.push(code);
            c
        })
        .collect();
    (format!("({})", ors.join(" OR ")), values)
}

/// Records of archived systems no longer count.
const LIVE: &str = "FROM control_records cr LEFT JOIN systems s ON s.id = cr.system_id \
     WHERE cr.org_id = $1 AND cr.performed_on >= $2 AND cr.performed_on < $3 \
     AND (cr.system_id IS NULL OR s.archived = FALSE)";

impl Store {
    /// The performances of the rules recorded in `year`, per control, scope
    /// and day: one grouped statement.
    pub async fn performed_in_year(
        &self,
        org: OrgId,
        rules: &[&ControlRule],
        year: i32,
    ) -> Result<Vec<Performed>> {
        let (Some((first, _)), Some((_, next))) = (month_span(year, 1), month_span(year, 12))
        else {
            return Ok(vec![]);
        };
        let (cond, codes) = performed_by(rules, 4);
        let mut p = params![org.0, first, next];
        p.extend(codes.into_iter().map(Into::into));
        self.db
            .read()
            .all(
                &format!(
                    "SELECT cr.control, CAST(CASE WHEN cr.system_id IS NULL THEN 1 ELSE 0 END AS BIGINT) AS org, \
                     cr.performed_on, COUNT(*) AS n {LIVE} AND {cond} \
                     GROUP BY cr.control, CASE WHEN cr.system_id IS NULL THEN 1 ELSE 0 END, cr.performed_on"
                ),
                p,
                |r| {
                    Ok(Performed {
                        control: r.text("control")?,
                        organisation: r.i64("org")? == 1,
                        on: r.date("performed_on")?,
                        count: usize::try_from(r.i64("n")?).unwrap_or(0),
                    })
                },
            )
            .await
    }

    /// The performances of the rules recorded in one month, paged, by day
    /// and the system's name.
    pub async fn performed_in_month(
        &self,
        org: OrgId,
        rules: &[&ControlRule],
        year: i32,
        month: u32,
        page: PageRequest,
    ) -> Result<Page<CycleEntry>> {
        let Some((first, next)) = month_span(year, month) else {
            return Ok(Page::of(vec![], 0, page));
        };
        let (cond, codes) = performed_by(rules, 4);
        let mut p = params![org.0, first, next];
        p.extend(codes.into_iter().map(Into::into));
        let mut q = self.db.read();
        let total = q
            .count(
                &format!("SELECT COUNT(*) AS n {LIVE} AND {cond}"),
                p.clone(),
            )
            .await?;
        let items = q
            .all(
                &format!(
                    "SELECT cr.system_id, s.name, cr.control, cr.performed_on, cr.result {LIVE} AND {cond} \
                     ORDER BY cr.performed_on, s.name_key, cr.id LIMIT {} OFFSET {}",
                    page.per_page,
                    page.offset()
                ),
                p,
                |r| {
                    let system = match r.opt_uuid("system_id")? {
                        Some(id) => Some((SystemId(id), r.text("name")?)),
                        None => None,
                    };
                    Ok(CycleEntry {
                        system,
                        control: r.text("control")?,
                        on: r.date("performed_on")?,
                        result: Some(r.text("result")?),
                    })
                },
            )
            .await?;
        Ok(Page::of(items, total, page))
    }
}

impl ComplianceSnapshot {
    /// The systems (and the organisation) whose control among `rules` is
    /// due, or was due and missed, in one month: read from the snapshot's
    /// findings of those rules, by date and the register's order, paged.
    pub fn due_in_month(
        &self,
        rules: &[&ControlRule],
        year: i32,
        month: u32,
        state: MonthState,
        page: PageRequest,
    ) -> Page<CycleEntry> {
        let c = &self.compliance;
        let systems = c
            .systems
            .iter()
            .flat_map(|s| s.findings.iter().map(move |f| (Some(s), f)))
            .chain(c.organisation.iter().map(|f| (None, f)));
        let mut hits: Vec<(NaiveDate, usize, Option<&_>, &ControlRule)> = vec![];
        for (i, (s, f)) in systems.enumerate() {
            let Some(rule) = rules.iter().find(|r| *r.id == *f.rule_id()) else {
                continue;
            };
            if !in_month(rule, &f.outcome, year, month, state) {
                continue;
            }
            let on = match state {
                MonthState::Missed => f.outcome.date(),
                _ => insyn_domain::policy::in_year(rule, &f.outcome, year)
                    .due
                    .into_iter()
                    .find(|d| d.month() == month),
            };
            if let Some(on) = on {
                hits.push((on, i, s, rule));
            }
        }
        hits.sort_by_key(|h| (h.0, h.1));
        let total = hits.len() as i64;
        let items = hits
            .into_iter()
            .skip(usize::try_from(page.offset()).unwrap_or(0))
            .take(page.per_page as usize)
            .map(|(on, _, s, rule)| CycleEntry {
                system: s.map(|s| (s.id, s.name.clone())),
                control: rule.control.clone(),
                on,
                result: None,
            })
            .collect();
        Page::of(items, total, page)
    }
}
