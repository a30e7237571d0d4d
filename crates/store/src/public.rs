//! What the public register may show: systems with the names of their units,
//! product and owners and whether they process personal data. The web layer
//! keeps only the fields the organisation marks public.

use crate::Store;
use crate::db::{Params, Queryable, Result};
use insyn_domain::*;
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// One system as the public register can describe it (before secrecy is applied).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicEntry {
    pub system: System,
    pub responsible_unit: Option<String>,
    pub using_units: Vec<String>,
    pub product: Option<String>,
    /// Whether any of its information sets holds personal data.
    pub personal_data: bool,
    /// Current system owners, by name.
    pub owners: Vec<String>,
}

impl Store {
    /// The active systems of an organisation matching `q`, for the public register.
    pub async fn public_register(
        &self,
        org: OrgId,
        q: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<PublicEntry>> {
        let filter = SystemFilter {
            q: q.map(str::to_owned),
            ..Default::default()
        };
        let systems = self
            .list_full_systems(org, &filter, SystemSort::Name, false, page)
            .await?;
        if systems.items.is_empty() {
            return Ok(Page {
                items: vec![],
                total: systems.total,
                page: systems.page,
                per_page: systems.per_page,
                total_capped: systems.total_capped,
            });
        }
        let units: HashMap<UnitId, String> = self
            .list_units(org)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
        let products: HashMap<ProductId, String> = self
            .list_products()
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect();
        let mut p = Params::default();
        let ids: Vec<String> = systems.items.iter().map(|s| p.push(s.id.0)).collect();
        let in_list = ids.join(", ");
        let mut read = self.db.read();
        let personal: Vec<Uuid> = read
            .all(
                &format!(
                    "SELECT DISTINCT system_id FROM information_sets WHERE archived = FALSE \
                     AND (personal_data = TRUE OR sensitive_personal_data = TRUE) AND system_id IN ({in_list})"
                ),
                p.0.clone(),
                |r| r.uuid("system_id"),
            )
            .await?;
        let today = p.push(chrono::Utc::now().date_naive());
        let owners: Vec<(Uuid, String)> = read
            .all(
                &format!(
                    "SELECT ra.system_id, pe.name FROM role_assignments ra JOIN role_types rt ON rt.id = ra.role_type_id \
                     JOIN people pe ON pe.id = ra.person_id WHERE rt.code = '{SYSTEM_OWNER}' AND ra.system_id IN ({in_list}) \
                     AND ra.start_date <= {today} AND (ra.end_date IS NULL OR ra.end_date >= {today}) ORDER BY pe.name"
                ),
                p.0,
                |r| Ok((r.uuid("system_id")?, r.text("name")?)),
            )
            .await?;
        let items = systems
            .items
            .into_iter()
            .map(|s| PublicEntry {
                responsible_unit: s.responsible_unit_id.and_then(|u| units.get(&u).cloned()),
                using_units: s
                    .using_unit_ids
                    .iter()
                    .filter_map(|u| units.get(u).cloned())
                    .collect(),
                product: s.product_id.and_then(|p| products.get(&p).cloned()),
                personal_data: personal.contains(&s.id.0),
                owners: owners
                    .iter()
                    .filter(|(sid, _)| *sid == s.id.0)
                    .map(|(_, n)| n.clone())
                    .collect(),
                system: s,
            })
            .collect();
        Ok(Page {
            items,
            total: systems.total,
            page: systems.page,
            per_page: systems.per_page,
            total_capped: systems.total_capped,
        })
    }
}
