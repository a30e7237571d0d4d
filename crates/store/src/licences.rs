//! Licences per system (issue 19 item 3): written whole through
//! `system_child` (the covering contract checked to be the organisation's);
//! read judged on a day, the number in use counted from the system's access
//! holdings current that day where the licence says so. The organisation's
//! list pages, filters and sorts in SQL on the domain's rule
//! (`insyn_domain::licence`: overuse, idle, ended), with totals. Never read
//! by `public.rs`.

use crate::audit::Actor;
use crate::db::{DbRow, P, Params, Queryable, Result, word};
use crate::system_child::{self, SystemChild};
use crate::{Store, params};
use chrono::NaiveDate;
use insyn_domain::licence::*;
use insyn_domain::validation::{FieldErrors, UNKNOWN_REFERENCE};
use insyn_domain::*;
use serde::Serialize;
use uuid::Uuid;

fn licence(r: &dyn DbRow) -> Result<Licence> {
    Ok(Licence {
        id: r.uuid("id")?,
        system_id: SystemId(r.uuid("system_id")?),
        draft: LicenceDraft {
            name: r.text("name")?,
            metric: word(r, "metric", Metric::parse)?,
            quantity: r.opt_i64("quantity")?,
            yearly_cost: r.opt_i64("yearly_cost")?,
            contract_id: r.opt_uuid("contract_id")?.map(ContractId),
            valid_from: r.opt_date("valid_from")?,
            valid_until: r.opt_date("valid_until")?,
            in_use_source: word(r, "in_use_source", InUseSource::parse)?,
            in_use_entered: r.opt_i64("in_use_entered")?,
            notes: r.opt_text("notes")?,
        },
        updated_by: r.text("updated_by")?,
        updated_at: r.ts("updated_at")?,
    })
}

impl SystemChild for Licence {
    type Draft = LicenceDraft;
    const TABLE: &'static str = "licences";
    const DRAFT_COLS: &'static [&'static str] = &[
        "name",
        "metric",
        "quantity",
        "yearly_cost",
        "contract_id",
        "valid_from",
        "valid_until",
        "in_use_source",
        "in_use_entered",
        "notes",
    ];
    const ORDER: &'static str = "name, id";
    const OBJECT: AuditObject = AuditObject::Licence;

    fn validated(d: LicenceDraft) -> std::result::Result<LicenceDraft, FieldErrors> {
        d.validate()
    }

    fn read(r: &dyn DbRow) -> Result<Self> {
        licence(r)
    }

    fn draft(&self) -> &LicenceDraft {
        &self.draft
    }

    fn values(d: &LicenceDraft) -> Vec<P> {
        params![
            d.name.as_str(),
            d.metric.as_str(),
            d.quantity,
            d.yearly_cost,
            d.contract_id.map(|c| c.0),
            d.valid_from,
            d.valid_until,
            d.in_use_source.as_str(),
            d.in_use_entered,
            d.notes.clone()
        ]
    }
}

/// The organisation's licences, with totals over all of them.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LicenceTotals {
    /// How many licences the organisation has.
    pub licences: i64,
    /// The yearly cost of those not ended, in whole kronor.
    pub yearly_cost: i64,
    pub overuse: i64,
    pub idle: i64,
    pub ended: i64,
}

/// One page of licences (all findings, or one) and the organisation's totals.
#[derive(Debug, Clone)]
pub struct LicencePage {
    pub page: Page<LicenceView>,
    pub totals: LicenceTotals,
}

/// The licences of `org` (of one system, when given) judged on `$2`, each
/// with its system's name, the holdings current that day, the number in use
/// and its finding — the domain's rule written in SQL.
fn judged(org: &str, day: &str, system: Option<&str>) -> String {
    let cols = Licence::DRAFT_COLS
        .iter()
        .map(|c| format!("l.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let one = system.map_or(String::new(), |s| format!(" AND l.system_id = {s}"));
    format!(
        "WITH v AS (SELECT l.id, l.system_id, {cols}, l.updated_by, l.updated_at, s.name AS system_name, \
           (SELECT COUNT(*) FROM access_holdings h WHERE h.org_id = l.org_id AND h.system_id = l.system_id \
            AND h.since <= {day} AND (h.until IS NULL OR h.until >= {day})) AS holdings \
         FROM licences l JOIN systems s ON s.id = l.system_id WHERE l.org_id = {org}{one}), \
         u AS (SELECT v.*, CASE WHEN in_use_source = 'holdings' THEN holdings ELSE in_use_entered END AS in_use FROM v), \
         j AS (SELECT u.*, CASE \
           WHEN valid_until < {day} THEN 'ended' \
           WHEN metric = 'site' OR quantity IS NULL OR in_use IS NULL THEN NULL \
           WHEN in_use > quantity THEN 'overuse' \
           WHEN quantity - in_use >= {seats} AND (quantity - in_use) * 100 >= {percent} * quantity THEN 'idle' \
           END AS finding FROM u) ",
        seats = IDLE_MIN_SEATS,
        percent = IDLE_MIN_PERCENT,
    )
}

/// Overused first, then idle, then the rest; by system and name.
const ORDER: &str = "CASE finding WHEN 'overuse' THEN 0 WHEN 'idle' THEN 1 WHEN 'ended' THEN 3 ELSE 2 END, \
     system_name, name, id";

fn view(r: &dyn DbRow, today: NaiveDate) -> Result<LicenceView> {
    let licence = licence(r)?;
    let judged = licence.draft.judge(r.i64("holdings")?, today);
    Ok(LicenceView {
        licence,
        system_name: r.text("system_name")?,
        judged,
    })
}

async fn check_contract(store: &Store, org: OrgId, d: &LicenceDraft) -> Result<()> {
    match d.contract_id {
        Some(c)
            if !store
                .db
                .read()
                .exists_in_org("contracts", org.0, c.0)
                .await? =>
        {
            Err(FieldErrors::single("contract_id", UNKNOWN_REFERENCE).into())
        }
        _ => Ok(()),
    }
}

/// A system's licences as entered (for the decommissioning gate).
pub(crate) async fn licences_of(
    q: &mut impl Queryable,
    org: OrgId,
    system: SystemId,
) -> Result<Vec<LicenceDraft>> {
    let all: Vec<Licence> = system_child::all(q, org, system).await?;
    Ok(all.into_iter().map(|l| l.draft).collect())
}

impl Store {
    /// A system's licences judged on `today` (not found for a system not of
    /// the organisation), overused and idle first.
    pub async fn system_licences(
        &self,
        org: OrgId,
        system: SystemId,
        today: NaiveDate,
    ) -> Result<Vec<LicenceView>> {
        let mut read = self.db.read();
        crate::security::check_system(&mut read, org, system).await?;
        let sql = format!(
            "{} SELECT * FROM j ORDER BY {ORDER}",
            judged("$1", "$2", Some("$3"))
        );
        read.all(&sql, params![org.0, today, system.0], |r| view(r, today))
            .await
    }

    /// One licence of the system, as entered.
    pub async fn licence(&self, org: OrgId, system: SystemId, id: Uuid) -> Result<Licence> {
        self.child(org, system, id).await
    }

    /// The organisation's licences judged on `today`, one page of those with
    /// `finding` (all when none), overused and idle first, with the totals.
    pub async fn list_licences(
        &self,
        org: OrgId,
        finding: Option<LicenceFinding>,
        page: PageRequest,
        today: NaiveDate,
    ) -> Result<LicencePage> {
        let mut read = self.db.read();
        let mut p = Params::default();
        let with = judged(&p.push(org.0), &p.push(today), None);
        let totals = read
            .one(
                &format!(
                    "{with} SELECT COUNT(*) AS n, \
                     CAST(COALESCE(SUM(CASE WHEN finding = 'ended' THEN 0 ELSE yearly_cost END), 0) AS BIGINT) AS cost, \
                     CAST(COALESCE(SUM(CASE WHEN finding = 'overuse' THEN 1 ELSE 0 END), 0) AS BIGINT) AS overuse, \
                     CAST(COALESCE(SUM(CASE WHEN finding = 'idle' THEN 1 ELSE 0 END), 0) AS BIGINT) AS idle, \
                     CAST(COALESCE(SUM(CASE WHEN finding = 'ended' THEN 1 ELSE 0 END), 0) AS BIGINT) AS ended \
                     FROM j"
                ),
                p.0.to_vec(),
                |r| {
                    Ok(LicenceTotals {
                        licences: r.i64("n")?,
                        yearly_cost: r.i64("cost")?,
                        overuse: r.i64("overuse")?,
                        idle: r.i64("idle")?,
                        ended: r.i64("ended")?,
                    })
                },
            )
            .await?;
        let wh = match finding {
            Some(f) => format!("WHERE finding = {}", p.push(f.as_str())),
            None => String::new(),
        };
        let total = match finding {
            None => totals.licences,
            Some(LicenceFinding::Overuse) => totals.overuse,
            Some(LicenceFinding::Idle) => totals.idle,
            Some(LicenceFinding::Ended) => totals.ended,
        };
        let (lim, off) = (p.push(page.limit()), p.push(page.offset()));
        let items = read
            .all(
                &format!("{with} SELECT * FROM j {wh} ORDER BY {ORDER} LIMIT {lim} OFFSET {off}"),
                p.0,
                |r| view(r, today),
            )
            .await?;
        Ok(LicencePage {
            page: Page::of(items, total, page),
            totals,
        })
    }

    /// Records a licence of the system.
    pub async fn add_licence(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        draft: LicenceDraft,
    ) -> Result<Licence> {
        check_contract(self, org, &draft).await?;
        self.add_child(actor, org, system, draft).await
    }

    /// Replaces a licence as a whole.
    pub async fn update_licence(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        id: Uuid,
        draft: LicenceDraft,
    ) -> Result<Licence> {
        check_contract(self, org, &draft).await?;
        self.update_child(actor, org, system, id, draft).await
    }

    pub async fn remove_licence(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        id: Uuid,
    ) -> Result<()> {
        self.remove_child::<Licence>(actor, org, system, id).await
    }
}
