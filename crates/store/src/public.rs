//! What the public register may show: systems with the names of their units,
//! product and owners and whether they process personal data, with every
//! field the organisation keeps secret already emptied (`insyn_domain::public`).

use crate::Store;
use crate::db::{Params, Queryable, Result};
use insyn_domain::public::{PublicField, Secrecy, search_text};
use insyn_domain::*;
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// One system as the public register describes it, secret fields emptied.
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

/// How many of a search's candidates the public register reads before it
/// stops (and says the total is capped).
const PUBLIC_SEARCH_CANDIDATES: usize = 2_000;

impl Store {
    /// The active systems of an organisation matching `q`, for the public
    /// register, with every field the organisation keeps secret already
    /// removed. A search looks only in public fields: a value that stands
    /// only in a secret field finds nothing. Returned with the secrecy it
    /// applied, so the caller shows the same columns.
    pub async fn public_register(
        &self,
        org: OrgId,
        q: Option<&str>,
        page: PageRequest,
    ) -> Result<(Page<PublicEntry>, Secrecy)> {
        let secrecy = Secrecy::from_marks(&self.field_secrecy(org).await?);
        let q = q.map(str::trim).filter(|q| !q.is_empty());
        let systems = match q {
            None => {
                let systems = self
                    .list_full_systems(org, &SystemFilter::default(), SystemSort::Name, false, page)
                    .await?;
                Page {
                    items: systems
                        .items
                        .into_iter()
                        .map(|s| secrecy.redact(s))
                        .collect(),
                    ..systems
                }
            }
            Some(q) => {
                // The search index looks in every field, secret ones too: its
                // matches are only candidates, each checked against the
                // public fields alone before it is counted or shown.
                let tokens: Vec<String> = q.split_whitespace().map(str::to_lowercase).collect();
                let filter = SystemFilter {
                    q: Some(q.to_owned()),
                    ..Default::default()
                };
                let mut found = vec![];
                let mut read = 0usize;
                let mut n = 1;
                let capped =
                    loop {
                        let chunk = self
                            .list_full_systems(
                                org,
                                &filter,
                                SystemSort::Name,
                                false,
                                PageRequest::new(Some(n), Some(PageRequest::MAX_SIZE)),
                            )
                            .await?;
                        let last = chunk.page >= chunk.pages();
                        read += chunk.items.len();
                        found.extend(chunk.items.into_iter().map(|s| secrecy.redact(s)).filter(
                            |s| {
                                let text = search_text(s);
                                tokens.iter().all(|t| text.contains(t.as_str()))
                            },
                        ));
                        if last {
                            break false;
                        }
                        if read >= PUBLIC_SEARCH_CANDIDATES {
                            break true;
                        }
                        n += 1;
                    };
                let total = found.len() as i64;
                let items = found
                    .into_iter()
                    .skip(usize::try_from(page.offset()).unwrap_or(usize::MAX))
                    .take(usize::try_from(page.limit()).unwrap_or(0))
                    .collect();
                Page {
                    items,
                    total,
                    page: page.page,
                    per_page: page.per_page,
                    total_capped: capped,
                }
            }
        };
        let items = self.public_entries(org, &secrecy, systems.items).await?;
        Ok((
            Page {
                items,
                total: systems.total,
                page: systems.page,
                per_page: systems.per_page,
                total_capped: systems.total_capped,
            },
            secrecy,
        ))
    }

    /// Redacted systems with the names of their units, product and owners and
    /// whether they hold personal data, each read only when it is public.
    async fn public_entries(
        &self,
        org: OrgId,
        secrecy: &Secrecy,
        systems: Vec<System>,
    ) -> Result<Vec<PublicEntry>> {
        if systems.is_empty() {
            return Ok(vec![]);
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
        let ids: Vec<String> = systems.iter().map(|s| p.push(s.id.0)).collect();
        let in_list = ids.join(", ");
        let mut read = self.db.read();
        let mut personal: Vec<Uuid> = vec![];
        if secrecy.is_public(PublicField::PersonalData) {
            personal = read
                .all(
                    &format!(
                        "SELECT DISTINCT system_id FROM information_sets WHERE archived = FALSE \
                         AND (personal_data = TRUE OR sensitive_personal_data = TRUE) AND system_id IN ({in_list})"
                    ),
                    p.0.clone(),
                    |r| r.uuid("system_id"),
                )
                .await?;
        }
        let mut owners: Vec<(Uuid, String)> = vec![];
        if secrecy.is_public(PublicField::RoleHolders) {
            let today = p.push(chrono::Utc::now().date_naive());
            owners = read
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
        }
        Ok(systems
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
            .collect())
    }
}

/// Other organisations' systems that serve a capability, as their public
/// registers show them: at most [`ELSEWHERE_ORGS`] organisations, and
/// [`ELSEWHERE_PER_ORG`] systems of each.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Elsewhere {
    pub org: Organisation,
    /// Id and name of each system, as public.
    pub systems: Vec<(SystemId, String)>,
    /// How many of its systems serve the capability.
    pub total: i64,
}

/// The most other organisations "Finns det redan?" looks in.
pub const ELSEWHERE_ORGS: usize = 50;
/// The most systems it names per other organisation.
pub const ELSEWHERE_PER_ORG: u32 = 5;

impl Store {
    /// The systems of the installation's other organisations that serve
    /// `capability`, from their public registers: only an organisation that
    /// publishes both the systems' names and their capabilities is looked in,
    /// so nothing it keeps secret is shown or even counted.
    pub async fn capability_elsewhere(
        &self,
        org: OrgId,
        capability: &str,
    ) -> Result<Vec<Elsewhere>> {
        let mut out = vec![];
        let filter = SystemFilter {
            capability: Some(capability.to_owned()),
            ..Default::default()
        };
        let page = PageRequest::new(Some(1), Some(ELSEWHERE_PER_ORG));
        for other in self
            .list_orgs()
            .await?
            .into_iter()
            .filter(|o| o.id != org)
            .take(ELSEWHERE_ORGS)
        {
            let secrecy = Secrecy::from_marks(&self.field_secrecy(other.id).await?);
            if !(secrecy.is_public(PublicField::Name)
                && secrecy.is_public(PublicField::Capabilities))
            {
                continue;
            }
            let found = self
                .list_systems(other.id, &filter, SystemSort::Name, false, page)
                .await?;
            if found.items.is_empty() {
                continue;
            }
            out.push(Elsewhere {
                systems: found.items.into_iter().map(|s| (s.id, s.name)).collect(),
                total: found.total,
                org: other,
            });
        }
        Ok(out)
    }
}
