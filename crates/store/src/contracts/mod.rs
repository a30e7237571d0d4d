//! Contracts with suppliers: the register (`write.rs`, each change one
//! transaction with its audit record), each read with its dates on the day
//! (the rules in `insyn_domain::contract`), and the reminders of the last
//! notice day with the organisation's lead time (`remind.rs`). Secret by
//! default: `public.rs` never reads these tables.

mod dates;
pub use dates::REFRESH_BATCH;
pub(crate) use dates::backfill_dates;
mod remind;
pub use remind::LEAD_DAYS_OUT_OF_RANGE;
mod write;

use crate::db::{DbRow, Queryable, Result, word};
use crate::{Store, params};
use chrono::NaiveDate;
use insyn_domain::contract::*;
use insyn_domain::*;

const COLS: &str = "c.id, c.org_id, c.name, c.supplier_id, s.name AS supplier_name, c.kind, c.reference, c.diary_number, \
     c.procurement, c.procurement_reference, c.signed_on, c.start_date, c.initial_months, c.end_date, c.renewal, \
     c.renewal_months, c.options_count, c.options_used, c.customer_notice_months, c.customer_notice_end_of, \
     c.supplier_notice_months, c.supplier_notice_end_of, c.notice_given_on, c.notice_given_by, c.value_sek, \
     c.yearly_cost_sek, c.responsible_role_id, rt.name_sv AS role_sv, rt.name_en AS role_en, c.note, c.created_at, c.updated_at";
const FROM: &str = "contracts c JOIN suppliers s ON s.id = c.supplier_id LEFT JOIN role_types rt ON rt.id = c.responsible_role_id";

fn months(r: &dyn DbRow, col: &str) -> Result<u32> {
    Ok(u32::try_from(r.i64(col)?).unwrap_or(0))
}

fn opt_months(r: &dyn DbRow, col: &str) -> Result<Option<u32>> {
    Ok(r.opt_i64(col)?.and_then(|m| u32::try_from(m).ok()))
}

/// A row as a contract, its dates computed on `today`.
fn contract(r: &dyn DbRow, today: NaiveDate) -> Result<Contract> {
    let mut c = Contract {
        id: ContractId(r.uuid("id")?),
        org_id: OrgId(r.uuid("org_id")?),
        name: r.text("name")?,
        supplier_id: SupplierId(r.uuid("supplier_id")?),
        supplier_name: r.text("supplier_name")?,
        kind: word(r, "kind", ContractKind::parse)?,
        reference: r.opt_text("reference")?,
        diary_number: r.opt_text("diary_number")?,
        procurement: r.opt_text("procurement")?,
        procurement_reference: r.opt_text("procurement_reference")?,
        signed_on: r.opt_date("signed_on")?,
        start_date: r.opt_date("start_date")?,
        initial_months: opt_months(r, "initial_months")?,
        end_date: r.opt_date("end_date")?,
        renewal: word(r, "renewal", RenewalKind::parse)?,
        renewal_months: opt_months(r, "renewal_months")?,
        options_count: months(r, "options_count")?,
        options_used: months(r, "options_used")?,
        customer_notice_months: months(r, "customer_notice_months")?,
        customer_notice_end_of: word(r, "customer_notice_end_of", EndOf::parse)?,
        supplier_notice_months: months(r, "supplier_notice_months")?,
        supplier_notice_end_of: word(r, "supplier_notice_end_of", EndOf::parse)?,
        notice_given_on: r.opt_date("notice_given_on")?,
        notice_given_by: r
            .opt_text("notice_given_by")?
            .as_deref()
            .and_then(ContractParty::parse),
        value_sek: r.opt_i64("value_sek")?,
        yearly_cost_sek: r.opt_i64("yearly_cost_sek")?,
        systems: vec![],
        responsible_role_id: r.opt_uuid("responsible_role_id")?.map(RoleTypeId),
        responsible_role_name_sv: r.opt_text("role_sv")?,
        responsible_role_name_en: r.opt_text("role_en")?,
        note: r.opt_text("note")?,
        dates: ContractDates::of(&schedule(&Term::default(), today)),
        created_at: r.ts("created_at")?,
        updated_at: r.ts("updated_at")?,
    };
    c.dates = ContractDates::of(&schedule(&c.draft().term(), today));
    Ok(c)
}

/// Fills in each contract's systems, by name.
async fn fill_systems(q: &mut impl Queryable, items: &mut [Contract]) -> Result<()> {
    let ids: Vec<uuid::Uuid> = items.iter().map(|c| c.id.0).collect();
    for c in items.iter_mut() {
        c.systems.clear();
    }
    for (id, s) in
        crate::links::linked_systems(q, ("contract_systems", "contract_id"), &ids).await?
    {
        if let Some(c) = items.iter_mut().find(|c| c.id.0 == id) {
            c.systems.push(s);
        }
    }
    Ok(())
}

async fn fetch(
    q: &mut impl Queryable,
    org: OrgId,
    id: ContractId,
    today: NaiveDate,
) -> Result<Contract> {
    let mut c = q
        .one(
            &format!("SELECT {COLS} FROM {FROM} WHERE c.org_id = $1 AND c.id = $2"),
            params![org.0, id.0],
            |r| contract(r, today),
        )
        .await?;
    fill_systems(q, std::slice::from_mut(&mut c)).await?;
    Ok(c)
}

/// How the contract list is sorted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ContractSort {
    /// The nearest last notice day first (none last).
    #[default]
    NoticeDay,
    Name,
    Supplier,
    Status,
}

impl ContractSort {
    pub const ALL: [ContractSort; 4] = [
        ContractSort::NoticeDay,
        ContractSort::Name,
        ContractSort::Supplier,
        ContractSort::Status,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContractSort::NoticeDay => "notice_day",
            ContractSort::Name => "name",
            ContractSort::Supplier => "supplier",
            ContractSort::Status => "status",
        }
    }

    pub fn parse(s: &str) -> Option<ContractSort> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }
}

impl ContractSort {
    /// The SQL order: by the stored dates (migration 28), then the name.
    fn order_by(self) -> &'static str {
        match self {
            ContractSort::NoticeDay => {
                "(c.last_notice_day IS NULL), c.last_notice_day, c.name_key, c.id"
            }
            ContractSort::Name => "c.name_key, c.id",
            ContractSort::Supplier => "s.name_key, c.name_key, c.id",
            ContractSort::Status => "c.status, c.name_key, c.id",
        }
    }
}

impl Store {
    /// One page of the organisation's contracts (of one supplier, when
    /// given), sorted in SQL by the stored dates and names, each with its
    /// dates computed fresh on `today`.
    pub async fn list_contracts(
        &self,
        org: OrgId,
        supplier: Option<SupplierId>,
        sort: ContractSort,
        page: PageRequest,
        today: NaiveDate,
    ) -> Result<Page<Contract>> {
        let mut read = self.db.read();
        let mut p = crate::db::Params::default();
        let mut wh = format!("c.org_id = {}", p.push(org.0));
        if let Some(s) = supplier {
            wh.push_str(&format!(" AND c.supplier_id = {}", p.push(s.0)));
        }
        let total = read
            .count(
                &format!("SELECT COUNT(*) AS n FROM contracts c WHERE {wh}"),
                p.0.clone(),
            )
            .await?;
        let lim = p.push(page.limit());
        let off = p.push(page.offset());
        let mut items = read
            .all(
                &format!(
                    "SELECT {COLS} FROM {FROM} WHERE {wh} ORDER BY {} LIMIT {lim} OFFSET {off}",
                    sort.order_by()
                ),
                p.0,
                |r| contract(r, today),
            )
            .await?;
        fill_systems(&mut read, &mut items).await?;
        Ok(Page::of(items, total, page))
    }

    /// One contract with its dates on `today`.
    pub async fn get_contract(
        &self,
        org: OrgId,
        id: ContractId,
        today: NaiveDate,
    ) -> Result<Contract> {
        fetch(&mut self.db.read(), org, id, today).await
    }

    /// The contracts that cover a system.
    pub async fn system_contracts(
        &self,
        org: OrgId,
        system: SystemId,
        today: NaiveDate,
    ) -> Result<Vec<Contract>> {
        covering(&mut self.db.read(), org, system, today).await
    }

    /// The contracts that cover each of `systems` (a page of a list), in
    /// two queries: `(system, contract)` pairs by system, then name.
    pub async fn contracts_of_systems(
        &self,
        org: OrgId,
        systems: &[SystemId],
        today: NaiveDate,
    ) -> Result<Vec<(SystemId, Contract)>> {
        if systems.is_empty() {
            return Ok(vec![]);
        }
        let mut read = self.db.read();
        let mut p = crate::db::Params(params![org.0]);
        let ids: Vec<uuid::Uuid> = systems.iter().map(|s| s.0).collect();
        let member = crate::db::member_of(read.backend(), &mut p, &ids);
        let rows = read
            .all(
                &format!(
                    "SELECT {COLS}, l.system_id AS covered FROM {FROM} \
                     JOIN contract_systems l ON l.contract_id = c.id \
                     WHERE c.org_id = $1 AND l.system_id {member} ORDER BY c.name, c.id"
                ),
                p.0,
                |r| Ok((SystemId(r.uuid("covered")?), contract(r, today)?)),
            )
            .await?;
        let (covered, mut items): (Vec<SystemId>, Vec<Contract>) = rows.into_iter().unzip();
        fill_systems(&mut read, &mut items).await?;
        Ok(covered.into_iter().zip(items).collect())
    }
}

/// The contracts that cover a system, with their dates on `day`.
pub(crate) async fn covering(
    q: &mut impl Queryable,
    org: OrgId,
    system: SystemId,
    day: NaiveDate,
) -> Result<Vec<Contract>> {
    let mut items = q
        .all(
            &format!(
                "SELECT {COLS} FROM {FROM} WHERE c.org_id = $1 AND c.id IN \
                 (SELECT contract_id FROM contract_systems WHERE system_id = $2) ORDER BY c.name, c.id"
            ),
            params![org.0, system.0],
            |r| contract(r, day),
        )
        .await?;
    fill_systems(q, &mut items).await?;
    Ok(items)
}

/// The systems covered by an active contract of one of `kinds` on `day`
/// (every system of the organisation, or one), each with the day the
/// contract was signed: the compliance fact `support_contract`.
pub(crate) async fn active_cover(
    q: &mut impl Queryable,
    org: OrgId,
    kinds: &[ContractKind],
    only: Option<SystemId>,
    day: NaiveDate,
) -> Result<Vec<(uuid::Uuid, NaiveDate)>> {
    let mut p = params![org.0];
    let kinds: Vec<String> = kinds
        .iter()
        .map(|k| {
            p.push(k.as_str().into());
            format!("${}", p.len())
        })
        .collect();
    let one = match only {
        Some(s) => {
            p.push(s.0.into());
            format!(" AND l.system_id = ${}", p.len())
        }
        None => String::new(),
    };
    let rows = q
        .all(
            &format!(
                "SELECT {COLS}, l.system_id AS covered FROM {FROM} JOIN contract_systems l ON l.contract_id = c.id \
                 WHERE c.org_id = $1 AND c.kind IN ({}){one}",
                kinds.join(", ")
            ),
            p,
            |r| Ok((r.uuid("covered")?, contract(r, day)?)),
        )
        .await?;
    Ok(rows
        .into_iter()
        .filter(|(_, c)| c.dates.status == ContractStatus::Active)
        .map(|(sid, c)| (sid, c.signed_on.unwrap_or(day)))
        .collect())
}
