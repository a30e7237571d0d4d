//! The register's list: filters, sorting, pages and their totals.

use super::rows::load_sets;
use super::{COLS, system_base};
use crate::Store;
use crate::db::{Backend, DbRow, P, Params, Queryable, Result};
use chrono::{DateTime, NaiveDate, Utc};
use insyn_domain::*;
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// One line of the register: what the table shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SystemRow {
    pub id: SystemId,
    pub name: String,
    pub short_name: Option<String>,
    pub responsible_unit_id: Option<UnitId>,
    pub responsible_unit: Option<String>,
    pub vendor: Option<String>,
    pub hosting: Hosting,
    pub lifecycle: Lifecycle,
    pub business_critical: bool,
    pub user_count: Option<i64>,
    pub go_live_date: Option<NaiveDate>,
    /// Current system owners, by name.
    pub owners: Vec<(PersonId, String)>,
    pub archived: bool,
    pub updated_at: DateTime<Utc>,
}

fn system_row(r: &dyn DbRow) -> Result<SystemRow> {
    Ok(SystemRow {
        id: SystemId(r.uuid("id")?),
        name: r.text("name")?,
        short_name: r.opt_text("short_name")?,
        responsible_unit_id: r.opt_uuid("responsible_unit_id")?.map(UnitId),
        responsible_unit: r.opt_text("unit_name")?,
        vendor: r.opt_text("vendor")?,
        hosting: Hosting::parse(&r.text("hosting")?).unwrap_or(Hosting::Internal),
        lifecycle: Lifecycle::parse(&r.text("lifecycle")?).unwrap_or(Lifecycle::InOperation),
        business_critical: r.bool("business_critical")?,
        user_count: r.opt_i64("user_count")?,
        go_live_date: r.opt_date("go_live_date")?,
        owners: vec![],
        archived: r.bool("archived")?,
        updated_at: r.ts("updated_at")?,
    })
}

fn page_of<T>(items: Vec<T>, page: PageRequest, total: i64, total_capped: bool) -> Page<T> {
    Page {
        items,
        total,
        page: page.page,
        per_page: page.per_page,
        total_capped,
    }
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// The WHERE clause of the register's list for a filter.
///
/// A search takes its candidates from the search index (FTS5 on SQLite, the
/// trigram index on PostgreSQL); every candidate of the organisation that
/// passes the other filters is sorted, so a page is exact whatever the number
/// of matches. (Cutting the candidates before the organisation and the
/// filters are applied was measured faster, but could leave out an
/// organisation's own matches when another organisation has many: not done.)
/// The count behind the page is capped (see `total`).
pub(super) fn where_clause(
    backend: Backend,
    org: OrgId,
    f: &SystemFilter,
    p: &mut Params,
) -> Where {
    let mut from = "systems s".to_owned();
    let mut w = vec![format!("s.org_id = {}", p.push(org.0))];
    if !f.include_archived {
        w.push("s.archived = FALSE".into());
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let tokens = super::search::search_words(q);
        let (long, short): (Vec<&String>, Vec<&String>) =
            tokens.iter().partition(|t| t.chars().count() >= 3);
        match backend {
            // Nothing left to look for (only control characters): no condition.
            _ if tokens.is_empty() => {}
            Backend::Sqlite => {
                if !long.is_empty() {
                    // Each token as a quoted phrase: trigram matching finds it inside words.
                    let m: Vec<String> = long
                        .iter()
                        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
                        .collect();
                    let c = format!(
                        "SELECT rowid FROM system_fts WHERE system_fts MATCH {}",
                        p.push(m.join(" "))
                    );
                    w.push(format!("s.seq IN ({c})"));
                    // What the page needs of each match (organisation,
                    // archived, sort key, id) from the index of search keys
                    // instead of the whole row: named, because without
                    // fresh statistics the planner reads the rows.
                    from = "systems s INDEXED BY systems_seq_keys".to_owned();
                }
                for t in short {
                    w.push(format!(
                        "s.search_text LIKE {} ESCAPE '\\'",
                        p.push(format!("%{}%", crate::like_escape(t)))
                    ));
                }
            }
            Backend::Postgres => {
                // The candidates come from the trigram index alone, fenced
                // off (`OFFSET 0`) so that the planner cannot walk the
                // organisation's name index instead and test each system in
                // turn: for `ekonomi` at 100,000 systems that walk read 20,906
                // systems (123 ms) where the index finds the 4,117 matches
                // and sorts them (7.7 ms).
                let mut m = vec![];
                for t in tokens.iter() {
                    m.push(format!(
                        "m.search_text LIKE {} ESCAPE '\\'",
                        p.push(format!("%{}%", crate::like_escape(t)))
                    ));
                }
                from = format!(
                    "(SELECT * FROM systems m WHERE {} OFFSET 0) s",
                    m.join(" AND ")
                );
            }
        }
    }
    if let Some(u) = f.unit_id {
        let uo = p.push(org.0);
        let uu = p.push(u.0);
        let sub = format!(
            "(WITH RECURSIVE sub(id) AS (SELECT id FROM units WHERE org_id = {uo} AND id = {uu} \
             UNION ALL SELECT c.id FROM units c JOIN sub ON c.parent_id = sub.id) SELECT id FROM sub)"
        );
        w.push(format!(
            "(s.responsible_unit_id IN {sub} OR EXISTS (SELECT 1 FROM system_units su \
             WHERE su.system_id = s.id AND su.unit_id IN {sub}))"
        ));
    }
    if let Some(l) = f.lifecycle {
        w.push(format!("s.lifecycle = {}", p.push(l.as_str())));
    }
    if let Some(b) = f.business_critical {
        w.push(format!("s.business_critical = {}", p.push(b)));
    }
    if let Some(c) = f.changed_since {
        w.push(format!("s.updated_at > {}", p.push(c)));
    }
    if f.holder_id.is_some() || f.no_owner {
        let d = p.push(today());
        if let Some(h) = f.holder_id {
            w.push(format!(
                "EXISTS (SELECT 1 FROM role_assignments ra WHERE ra.system_id = s.id \
                 AND ra.person_id = {} AND ra.start_date <= {d} \
                 AND (ra.end_date IS NULL OR ra.end_date >= {d}))",
                p.push(h.0)
            ));
        }
        if f.no_owner {
            w.push(format!(
                "NOT EXISTS (SELECT 1 FROM role_assignments ra JOIN role_types rt ON rt.id = ra.role_type_id \
                 WHERE ra.system_id = s.id AND rt.code = '{SYSTEM_OWNER}' AND ra.start_date <= {d} \
                 AND (ra.end_date IS NULL OR ra.end_date >= {d}))"
            ));
        }
    }
    if let Some(c) = &f.capability {
        w.push(format!(
            "EXISTS (SELECT 1 FROM system_capabilities sc WHERE sc.system_id = s.id AND sc.capability = {})",
            p.push(c.as_str())
        ));
    }
    if let Some(t) = &f.tag {
        w.push(format!(
            "EXISTS (SELECT 1 FROM system_tags st WHERE st.system_id = s.id AND st.tag = {})",
            p.push(t.as_str())
        ));
    }
    Where {
        backend,
        from,
        cond: w.join(" AND "),
    }
}

/// Where a list's systems `s` come from (`from`: the table, or on
/// PostgreSQL a search's candidates) and the conditions they meet.
pub(super) struct Where {
    backend: Backend,
    pub(super) from: String,
    pub(super) cond: String,
}

/// The page query of [`Store::list_full_systems`] (the API's list).
fn full_page_sql(
    wh: &Where,
    sort: SystemSort,
    desc: bool,
    page: PageRequest,
    p: &mut Params,
) -> String {
    format!("SELECT {COLS} FROM {}", page_from(wh, sort, desc, page, p))
}

/// `FROM …` of a page: the systems `s` of the page, sorted, with their
/// responsible unit `u`. The page's ids are chosen and sorted first, from
/// the index alone where the filter allows, and only the page's 50 rows are
/// read whole (on SQLite; PostgreSQL, below): skipping rows (`OFFSET`) reads index entries only, not units
/// (page 1,200 of the lifecycle filter at 100,000 systems went from 260 ms
/// to 12 ms), and a search sorts its matches' keys, not their whole rows.
/// Sorting by unit needs the join first.
fn page_from(
    wh: &Where,
    sort: SystemSort,
    desc: bool,
    page: PageRequest,
    p: &mut Params,
) -> String {
    let lim = p.push(page.limit());
    let off = p.push(page.offset());
    let order = order_clause(sort, desc);
    if sort == SystemSort::Unit {
        return format!(
            "{} {UNIT_JOIN} WHERE {} ORDER BY {order} LIMIT {lim} OFFSET {off}",
            wh.from, wh.cond
        );
    }
    let chosen = match wh.backend {
        Backend::Sqlite => format!(
            "({}) k JOIN systems s ON s.id = k.id",
            choose(wh, "s.id", sort, desc, &lim, &off)
        ),
        // PostgreSQL reads the page's rows straight from the index order
        // (and a search's candidates are whole rows already); the join back
        // cost it 0.3 ms more per page.
        Backend::Postgres => format!("({}) s", choose(wh, "s.*", sort, desc, &lim, &off)),
    };
    format!("{chosen} {UNIT_JOIN} ORDER BY {order}")
}

/// The columns of a [`SystemRow`], from `s` and its responsible unit `u`.
const ROW_COLS: &str = "s.id, s.name, s.short_name, s.responsible_unit_id, u.name AS unit_name, s.vendor, \
     s.hosting, s.lifecycle, s.business_critical, s.user_count, s.go_live_date, s.archived, s.updated_at";

/// What a page's rows are found again by.
trait HasId {
    fn system_id(&self) -> SystemId;
}

impl HasId for SystemRow {
    fn system_id(&self) -> SystemId {
        self.id
    }
}

impl HasId for System {
    fn system_id(&self) -> SystemId {
        self.id
    }
}

const UNIT_JOIN: &str = "LEFT JOIN units u ON u.id = s.responsible_unit_id";

/// `SELECT {cols}` of a page's systems `s`, chosen and sorted: the part of a
/// list that grows with the register, and what [`Store::explain_list`]
/// explains.
fn choose(wh: &Where, cols: &str, sort: SystemSort, desc: bool, lim: &str, off: &str) -> String {
    let join = if sort == SystemSort::Unit {
        UNIT_JOIN
    } else {
        ""
    };
    format!(
        "SELECT {cols} FROM {} {join} WHERE {} ORDER BY {} LIMIT {lim} OFFSET {off}",
        wh.from,
        wh.cond,
        order_clause(sort, desc)
    )
}

/// How far a count goes for a page: [`TOTAL_CAP`], or one row past the end
/// of the page if further (so that a capped total always shows a next page).
fn cap_for(page: PageRequest) -> i64 {
    TOTAL_CAP.max(page.offset() + page.limit() + 1)
}

fn order_clause(sort: SystemSort, desc: bool) -> String {
    let d = if desc { " DESC" } else { "" };
    match sort {
        SystemSort::Name => format!("s.name_key{d}, s.id{d}"),
        SystemSort::Unit => format!("(u.name_key IS NULL), u.name_key{d}, s.name_key, s.id"),
        SystemSort::Lifecycle => format!("s.lifecycle{d}, s.name_key, s.id"),
        SystemSort::Users => format!("(s.user_count IS NULL), s.user_count{d}, s.name_key, s.id"),
        SystemSort::GoLive => {
            format!("(s.go_live_date IS NULL), s.go_live_date{d}, s.name_key, s.id")
        }
        SystemSort::Updated => format!("s.updated_at{d}, s.id{d}"),
    }
}

/// A count that would read more rows than this stops here ("more than 1,000").
pub const TOTAL_CAP: i64 = 1000;

/// Whether the maintained counts (`system_counts`) answer this filter's total:
/// only archived, lifecycle and business-critical narrow it.
fn counted(f: &SystemFilter) -> bool {
    f.q.as_deref().is_none_or(|q| q.trim().is_empty())
        && f.unit_id.is_none()
        && f.holder_id.is_none()
        && !f.no_owner
        && f.changed_since.is_none()
        && f.capability.is_none()
        && f.tag.is_none()
}

impl Store {
    /// The total behind a page, and whether it is capped. The unfiltered
    /// register and its lifecycle and business-critical filters read the
    /// maintained counts (a few rows); other filters count the matching rows
    /// up to [`TOTAL_CAP`] (or just past the end of the requested page, if further).
    async fn total(
        &self,
        org: OrgId,
        f: &SystemFilter,
        page: PageRequest,
        wh: &Where,
        params: &[P],
    ) -> Result<(i64, bool)> {
        if counted(f) {
            let mut p = Params::default();
            let mut w = vec![format!("org_id = {}", p.push(org.0))];
            if !f.include_archived {
                w.push("archived = FALSE".into());
            }
            if let Some(l) = f.lifecycle {
                w.push(format!("lifecycle = {}", p.push(l.as_str())));
            }
            if let Some(b) = f.business_critical {
                w.push(format!("business_critical = {}", p.push(b)));
            }
            let n = self
                .db
                .read()
                .count(
                    &format!(
                        "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS n FROM system_counts WHERE {}",
                        w.join(" AND ")
                    ),
                    p.0,
                )
                .await?;
            return Ok((n, false));
        }
        let cap = cap_for(page);
        let n = self
            .db
            .read()
            .count(
                &format!(
                    "SELECT COUNT(*) AS n FROM (SELECT 1 FROM {} WHERE {} LIMIT {}) x",
                    wh.from,
                    wh.cond,
                    cap + 1
                ),
                params.to_vec(),
            )
            .await?;
        Ok(if n > cap { (cap, true) } else { (n, false) })
    }

    /// The database's plan for choosing a page's systems (`EXPLAIN QUERY PLAN`
    /// on SQLite, `EXPLAIN` on PostgreSQL), one line per step: for tests that
    /// every filter and sort stays on an index. This is the part of a list
    /// that grows with the register; the rest joins 50 rows.
    ///
    /// On PostgreSQL the plan is asked with sequential scans discouraged: on a
    /// test's few thousand rows the planner rightly prefers reading the whole
    /// table, so what is checked is that an index serves the query; at
    /// 100,000 systems the planner picks that plan itself (BENCHMARKS.md).
    pub async fn explain_list(
        &self,
        org: OrgId,
        filter: &SystemFilter,
        sort: SystemSort,
        desc: bool,
        page: PageRequest,
    ) -> Result<Vec<String>> {
        let mut p = Params::default();
        let wh = where_clause(self.backend(), org, filter, &mut p);
        let lim = p.push(page.limit());
        let off = p.push(page.offset());
        let sql = choose(&wh, "s.id", sort, desc, &lim, &off);
        match self.backend() {
            Backend::Sqlite => {
                self.db
                    .read()
                    .all(&format!("EXPLAIN QUERY PLAN {sql}"), p.0, |r| {
                        r.text("detail")
                    })
                    .await
            }
            Backend::Postgres => {
                // Rolled back when dropped: the setting ends with it.
                let mut tx = self.db.begin().await?;
                tx.execute("SET LOCAL enable_seqscan = off", vec![]).await?;
                tx.all(&format!("EXPLAIN {sql}"), p.0, |r| r.text("QUERY PLAN"))
                    .await
            }
        }
    }

    /// One page of the register, filtered and sorted, with the total that matched.
    pub async fn list_systems(
        &self,
        org: OrgId,
        filter: &SystemFilter,
        sort: SystemSort,
        desc: bool,
        page: PageRequest,
    ) -> Result<Page<SystemRow>> {
        if let Some(ranked) = self.ranked_page(org, filter, sort, desc, page).await? {
            let mut items = self.rows_by_id(&ranked.items, ROW_COLS, system_row).await?;
            self.attach_owners(&mut items).await?;
            return Ok(page_of(items, page, ranked.total, false));
        }
        let mut p = Params::default();
        let wh = where_clause(self.backend(), org, filter, &mut p);
        let (total, total_capped) = self.total(org, filter, page, &wh, &p.0).await?;
        let sql = format!(
            "SELECT {ROW_COLS} FROM {}",
            page_from(&wh, sort, desc, page, &mut p)
        );
        let mut items = self.db.read().all(&sql, p.0, system_row).await?;
        self.attach_owners(&mut items).await?;
        Ok(page_of(items, page, total, total_capped))
    }

    /// Full systems (with their sets) for a filter, e.g. for the API.
    pub async fn list_full_systems(
        &self,
        org: OrgId,
        filter: &SystemFilter,
        sort: SystemSort,
        desc: bool,
        page: PageRequest,
    ) -> Result<Page<System>> {
        if let Some(ranked) = self.ranked_page(org, filter, sort, desc, page).await? {
            let mut items = self.rows_by_id(&ranked.items, COLS, system_base).await?;
            load_sets(&mut self.db.read(), &mut items).await?;
            return Ok(page_of(items, page, ranked.total, false));
        }
        let mut p = Params::default();
        let wh = where_clause(self.backend(), org, filter, &mut p);
        let (total, total_capped) = self.total(org, filter, page, &wh, &p.0).await?;
        let sql = full_page_sql(&wh, sort, desc, page, &mut p);
        let mut read = self.db.read();
        let mut items = read.all(&sql, p.0, system_base).await?;
        load_sets(&mut read, &mut items).await?;
        Ok(page_of(items, page, total, total_capped))
    }

    /// A search's page in rank order (see `search.rs`), when the list is
    /// a search sorted by name ascending (the register's default): the ids of
    /// the page and the exact total. A search alone is answered by the
    /// organisation's index; combined with other filters, every match is read
    /// and ranked.
    async fn ranked_page(
        &self,
        org: OrgId,
        filter: &SystemFilter,
        sort: SystemSort,
        desc: bool,
        page: PageRequest,
    ) -> Result<Option<Page<SystemId>>> {
        let q = filter.q.as_deref().unwrap_or("");
        if sort != SystemSort::Name || desc || super::search::search_words(q).is_empty() {
            return Ok(None);
        }
        let alone = SystemFilter {
            q: filter.q.clone(),
            include_archived: filter.include_archived,
            ..Default::default()
        };
        let all: std::sync::Arc<[SystemId]> = if *filter == alone {
            self.search_ranked(org, q, filter.include_archived).await?.0
        } else {
            self.ranked_matches(org, filter).await?.into()
        };
        let total = all.len() as i64;
        let items = all
            .iter()
            .skip(usize::try_from(page.offset()).unwrap_or(usize::MAX))
            .take(usize::try_from(page.limit()).unwrap_or(0))
            .copied()
            .collect();
        Ok(Some(page_of(items, page, total, false)))
    }

    /// The rows of these systems (`cols` of `s` and its responsible unit
    /// `u`), in the order given.
    async fn rows_by_id<T: HasId>(
        &self,
        ids: &[SystemId],
        cols: &str,
        row: impl Fn(&dyn DbRow) -> Result<T> + Send,
    ) -> Result<Vec<T>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let mut p = Params::default();
        let list: Vec<String> = ids.iter().map(|i| p.push(i.0)).collect();
        let mut rows = self
            .db
            .read()
            .all(
                &format!(
                    "SELECT {cols} FROM systems s {UNIT_JOIN} WHERE s.id IN ({})",
                    list.join(", ")
                ),
                p.0,
                row,
            )
            .await?;
        let at: HashMap<SystemId, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        rows.sort_by_key(|r| at.get(&r.system_id()).copied().unwrap_or(usize::MAX));
        Ok(rows)
    }

    /// Each row's current system owners, by name.
    async fn attach_owners(&self, items: &mut [SystemRow]) -> Result<()> {
        if items.is_empty() {
            return Ok(());
        }
        let mut p = Params::default();
        let ids: Vec<String> = items.iter().map(|i| p.push(i.id.0)).collect();
        let d = p.push(today());
        let owners = self
            .db
            .read()
            .all(
                &format!(
                    "SELECT ra.system_id, pe.id AS person_id, pe.name FROM role_assignments ra \
                     JOIN role_types rt ON rt.id = ra.role_type_id JOIN people pe ON pe.id = ra.person_id \
                     WHERE ra.system_id IN ({}) AND rt.code = '{SYSTEM_OWNER}' AND ra.start_date <= {d} \
                     AND (ra.end_date IS NULL OR ra.end_date >= {d}) ORDER BY pe.name",
                    ids.join(", ")
                ),
                p.0,
                |r| {
                    Ok((
                        r.uuid("system_id")?,
                        PersonId(r.uuid("person_id")?),
                        r.text("name")?,
                    ))
                },
            )
            .await?;
        let mut by: HashMap<Uuid, Vec<(PersonId, String)>> = HashMap::new();
        for (s, pid, name) in owners {
            by.entry(s).or_default().push((pid, name));
        }
        for i in items.iter_mut() {
            i.owners = by.remove(&i.id.0).unwrap_or_default();
        }
        Ok(())
    }
}
