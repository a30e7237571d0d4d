//! Processor agreements (personuppgiftsbiträdesavtal, GDPR art. 28): the
//! register (`write.rs`, each change one transaction with its audit record),
//! each read with its state on the day (the rules in
//! `insyn_domain::processor`), the compliance facts the profile's
//! `processor_agreement` and `support_contract` rules read (`facts.rs`), and
//! the supervision reminders (`remind.rs`). Secret by default: `public.rs`
//! never reads these tables.

mod facts;
mod remind;
mod write;

pub use facts::ProcessorGap;
pub(crate) use facts::supplier_facts;

use crate::db::{DbRow, Queryable, Result};
use crate::{Store, params};
use chrono::NaiveDate;
use insyn_domain::processor::*;
use insyn_domain::*;

const COLS: &str = "p.id, p.org_id, p.supplier_id, s.name AS supplier_name, p.contract_id, c.name AS contract_name, \
     p.reference, p.signed_on, p.ends_on, p.terminated_on, p.sub_processors, p.transfers, \
     p.review_interval_months, p.last_review_on, p.note, p.created_at, p.updated_at";
const FROM: &str = "processor_agreements p JOIN suppliers s ON s.id = p.supplier_id \
     LEFT JOIN contracts c ON c.id = p.contract_id";

fn json_list<T: serde::de::DeserializeOwned>(r: &dyn DbRow, col: &str) -> Result<Vec<T>> {
    Ok(serde_json::from_str(&r.text(col)?).unwrap_or_default())
}

/// A row as an agreement, its state judged on `today` (systems filled in later).
fn agreement(r: &dyn DbRow, today: NaiveDate) -> Result<ProcessorAgreement> {
    let mut a = ProcessorAgreement {
        id: ProcessorAgreementId(r.uuid("id")?),
        org_id: OrgId(r.uuid("org_id")?),
        supplier_id: SupplierId(r.uuid("supplier_id")?),
        supplier_name: r.text("supplier_name")?,
        systems: vec![],
        contract_id: r.opt_uuid("contract_id")?.map(ContractId),
        contract_name: r.opt_text("contract_name")?,
        reference: r.opt_text("reference")?,
        signed_on: r.opt_date("signed_on")?,
        ends_on: r.opt_date("ends_on")?,
        terminated_on: r.opt_date("terminated_on")?,
        sub_processors: json_list(r, "sub_processors")?,
        transfers: json_list(r, "transfers")?,
        review_interval_months: r
            .opt_i64("review_interval_months")?
            .and_then(|m| u32::try_from(m).ok()),
        last_review_on: r.opt_date("last_review_on")?,
        note: r.opt_text("note")?,
        assessment: Assessment::of(&ProcessorDraft::new(SupplierId::new()), today),
        created_at: r.ts("created_at")?,
        updated_at: r.ts("updated_at")?,
    };
    a.assessment = Assessment::of(&a.draft(), today);
    Ok(a)
}

/// Fills in the agreements' systems, by name, in one statement.
async fn fill_systems(q: &mut impl Queryable, items: &mut [ProcessorAgreement]) -> Result<()> {
    let ids: Vec<uuid::Uuid> = items.iter().map(|a| a.id.0).collect();
    let link = ("processor_agreement_systems", "agreement_id");
    for (id, s) in crate::links::linked_systems(q, link, &ids).await? {
        if let Some(a) = items.iter_mut().find(|a| a.id.0 == id) {
            a.systems.push(s);
        }
    }
    Ok(())
}

async fn fetch(
    q: &mut impl Queryable,
    org: OrgId,
    id: ProcessorAgreementId,
    today: NaiveDate,
) -> Result<ProcessorAgreement> {
    let mut a = q
        .one(
            &format!("SELECT {COLS} FROM {FROM} WHERE p.org_id = $1 AND p.id = $2"),
            params![org.0, id.0],
            |r| agreement(r, today),
        )
        .await?;
    fill_systems(q, std::slice::from_mut(&mut a)).await?;
    Ok(a)
}

impl Store {
    /// One page of the organisation's processor agreements, by supplier
    /// name, with their state on `today`.
    pub async fn list_processor_agreements(
        &self,
        org: OrgId,
        page: PageRequest,
        today: NaiveDate,
    ) -> Result<Page<ProcessorAgreement>> {
        let mut read = self.db.read();
        let total = read
            .count(
                "SELECT COUNT(*) AS n FROM processor_agreements WHERE org_id = $1",
                params![org.0],
            )
            .await?;
        let mut items = read
            .all(
                &format!(
                    "SELECT {COLS} FROM {FROM} WHERE p.org_id = $1 \
                     ORDER BY s.name_key, p.signed_on, p.id LIMIT $2 OFFSET $3"
                ),
                params![org.0, page.limit(), page.offset()],
                |r| agreement(r, today),
            )
            .await?;
        fill_systems(&mut read, &mut items).await?;
        Ok(Page {
            items,
            total,
            page: page.page,
            per_page: page.per_page,
            total_capped: false,
        })
    }

    /// One agreement with its state on `today`.
    pub async fn get_processor_agreement(
        &self,
        org: OrgId,
        id: ProcessorAgreementId,
        today: NaiveDate,
    ) -> Result<ProcessorAgreement> {
        fetch(&mut self.db.read(), org, id, today).await
    }

    /// The agreements that cover a system (at most 100, newest first).
    pub async fn system_processor_agreements(
        &self,
        org: OrgId,
        system: SystemId,
        today: NaiveDate,
    ) -> Result<Vec<ProcessorAgreement>> {
        let mut read = self.db.read();
        let mut items = read
            .all(
                &format!(
                    "SELECT {COLS} FROM {FROM} WHERE p.org_id = $1 AND p.id IN \
                     (SELECT agreement_id FROM processor_agreement_systems WHERE system_id = $2) \
                     ORDER BY p.signed_on DESC, p.id LIMIT 100"
                ),
                params![org.0, system.0],
                |r| agreement(r, today),
            )
            .await?;
        fill_systems(&mut read, &mut items).await?;
        Ok(items)
    }
}

/// What the agreement form offers: suppliers and systems by name (each at
/// most `limit`, for a `<datalist>`), and the organisation's contracts of
/// the processor agreement kind (at most 200).
#[derive(Debug, Clone, Default)]
pub struct FormChoices {
    pub suppliers: Vec<String>,
    pub systems: Vec<String>,
    /// (contract, its name, its supplier's name)
    pub contracts: Vec<(ContractId, String, String)>,
}

impl Store {
    /// The names and contracts the agreement form suggests.
    pub async fn processor_form_choices(&self, org: OrgId, limit: i64) -> Result<FormChoices> {
        let mut read = self.db.read();
        let mut names = async |sql: &str| {
            read.all(sql, params![org.0, limit], |r| r.text("name"))
                .await
        };
        let suppliers =
            names("SELECT name FROM suppliers WHERE org_id = $1 ORDER BY name_key, id LIMIT $2")
                .await?;
        let systems = names(
            "SELECT name FROM systems WHERE org_id = $1 AND archived = FALSE ORDER BY name_key, id LIMIT $2",
        )
        .await?;
        let contracts = self
            .db
            .read()
            .all(
                "SELECT c.id, c.name, s.name AS supplier_name FROM contracts c JOIN suppliers s ON s.id = c.supplier_id \
                 WHERE c.org_id = $1 AND c.kind = $2 ORDER BY s.name_key, c.name, c.id LIMIT 200",
                params![org.0, insyn_domain::contract::ContractKind::ProcessorAgreement.as_str()],
                |r| {
                    Ok((
                        ContractId(r.uuid("id")?),
                        r.text("name")?,
                        r.text("supplier_name")?,
                    ))
                },
            )
            .await?;
        Ok(FormChoices {
            suppliers,
            systems,
            contracts,
        })
    }
}
