//! IT services (IT-tjänster, R-SVC-1) and the follow-up of their service
//! levels: reads here, the service's writes in `write.rs` and the
//! follow-ups' in `follow_ups.rs`, each one transaction with its audit
//! record. Secret by default: `public.rs` never reads these tables.

mod choices;
mod follow_ups;
mod write;

pub use choices::ServiceFormChoices;
pub use follow_ups::ItServiceImportSummary;

use crate::db::{DbRow, Queryable, Result};
use crate::{Store, params};
use insyn_domain::it_service::*;
use insyn_domain::*;

const COLS: &str = "t.id, t.org_id, t.name, t.description, t.unit_id, u.name AS unit_name, \
     t.supplier_id, s.name AS supplier_name, t.owner_id, p.name AS owner_name, t.yearly_cost, \
     t.contract_id, c.name AS contract_name, t.availability_target_milli, t.support_hours, \
     t.response_hours, t.resolution_hours, t.created_at, t.updated_at, \
     (SELECT COUNT(*) FROM it_service_follow_ups f WHERE f.service_id = t.id) AS follow_ups";
const FROM: &str = "it_services t LEFT JOIN units u ON u.id = t.unit_id \
     LEFT JOIN suppliers s ON s.id = t.supplier_id LEFT JOIN people p ON p.id = t.owner_id \
     LEFT JOIN contracts c ON c.id = t.contract_id";

fn hours(r: &dyn DbRow, col: &str) -> Result<Option<u32>> {
    Ok(r.opt_i64(col)?.and_then(|h| u32::try_from(h).ok()))
}

/// A row as a service (its systems filled in later).
fn service(r: &dyn DbRow) -> Result<Service> {
    let delivered_by = match r.opt_uuid("unit_id")? {
        Some(id) => Deliverer::Unit {
            id: UnitId(id),
            name: r.opt_text("unit_name")?.unwrap_or_default(),
        },
        None => Deliverer::Supplier {
            id: SupplierId(r.uuid("supplier_id")?),
            name: r.opt_text("supplier_name")?.unwrap_or_default(),
        },
    };
    Ok(Service {
        id: ItServiceId(r.uuid("id")?),
        org_id: OrgId(r.uuid("org_id")?),
        name: r.text("name")?,
        description: r.opt_text("description")?,
        delivered_by,
        owner_id: r.opt_uuid("owner_id")?.map(PersonId),
        owner_name: r.opt_text("owner_name")?,
        yearly_cost: r.opt_i64("yearly_cost")?,
        contract_id: r.opt_uuid("contract_id")?.map(ContractId),
        contract_name: r.opt_text("contract_name")?,
        systems: vec![],
        levels: ServiceLevels {
            availability_target: r.opt_i64("availability_target_milli")?.map(from_milli),
            support_hours: r.opt_text("support_hours")?,
            response_hours: hours(r, "response_hours")?,
            resolution_hours: hours(r, "resolution_hours")?,
        },
        follow_ups: r.i64("follow_ups")?,
        created_at: r.ts("created_at")?,
        updated_at: r.ts("updated_at")?,
    })
}

/// Fills in the services' systems, by name, in one statement.
async fn fill_systems(q: &mut impl Queryable, items: &mut [Service]) -> Result<()> {
    let ids: Vec<uuid::Uuid> = items.iter().map(|s| s.id.0).collect();
    for (id, s) in
        crate::links::linked_systems(q, ("it_service_systems", "service_id"), &ids).await?
    {
        if let Some(t) = items.iter_mut().find(|t| t.id.0 == id) {
            t.systems.push(s);
        }
    }
    Ok(())
}

pub(crate) async fn fetch(q: &mut impl Queryable, org: OrgId, id: ItServiceId) -> Result<Service> {
    let mut t = q
        .one(
            &format!("SELECT {COLS} FROM {FROM} WHERE t.org_id = $1 AND t.id = $2"),
            params![org.0, id.0],
            service,
        )
        .await?;
    fill_systems(q, std::slice::from_mut(&mut t)).await?;
    Ok(t)
}

impl Store {
    /// One page of the organisation's IT services, by name.
    pub async fn list_it_services(&self, org: OrgId, page: PageRequest) -> Result<Page<Service>> {
        let mut read = self.db.read();
        let total = read
            .count(
                "SELECT COUNT(*) AS n FROM it_services WHERE org_id = $1",
                params![org.0],
            )
            .await?;
        let mut items = read
            .all(
                &format!(
                    "SELECT {COLS} FROM {FROM} WHERE t.org_id = $1 \
                     ORDER BY t.name_key, t.id LIMIT $2 OFFSET $3"
                ),
                params![org.0, page.limit(), page.offset()],
                service,
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

    /// One IT service.
    pub async fn get_it_service(&self, org: OrgId, id: ItServiceId) -> Result<Service> {
        fetch(&mut self.db.read(), org, id).await
    }

    /// The IT services a system is behind (at most 100, by name).
    pub async fn system_it_services(&self, org: OrgId, system: SystemId) -> Result<Vec<Service>> {
        let mut read = self.db.read();
        let mut items = read
            .all(
                &format!(
                    "SELECT {COLS} FROM {FROM} WHERE t.org_id = $1 AND t.id IN \
                     (SELECT service_id FROM it_service_systems WHERE system_id = $2) \
                     ORDER BY t.name_key, t.id LIMIT 100"
                ),
                params![org.0, system.0],
                service,
            )
            .await?;
        fill_systems(&mut read, &mut items).await?;
        Ok(items)
    }
}
