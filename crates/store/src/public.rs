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

/// How many of a search's candidates the public register reads before it
/// stops (and says the total is capped).
const PUBLIC_SEARCH_CANDIDATES: usize = 2_000;

/// The fields of a system's search text, each with the kind of field that
/// decides whether it is public. A public search looks only in the public ones.
fn searchable_public_text(s: &System, public: &dyn Fn(&str) -> bool) -> String {
    let mut parts: Vec<&str> = vec![];
    for (field, v) in [
        ("name", Some(&s.name)),
        ("short_name", s.short_name.as_ref()),
        ("description", s.description.as_ref()),
        ("purpose", s.purpose.as_ref()),
        ("vendor", s.vendor.as_ref()),
    ] {
        if let Some(v) = v.filter(|_| public(field)) {
            parts.push(v);
        }
    }
    if public("capabilities") {
        parts.extend(s.capabilities.iter().map(String::as_str));
    }
    if public("tags") {
        parts.extend(s.tags.iter().map(String::as_str));
    }
    parts.join(" \n ").to_lowercase()
}

/// A system with every field the organisation keeps secret emptied, so that
/// secret values never leave the store on the public register's way.
fn redact(mut s: System, public: &dyn Fn(&str) -> bool) -> System {
    let hide = |field: &str, v: &mut Option<String>| {
        if !public(field) {
            *v = None;
        }
    };
    if !public("name") {
        s.name = String::new();
    }
    hide("short_name", &mut s.short_name);
    hide("description", &mut s.description);
    hide("purpose", &mut s.purpose);
    hide("vendor", &mut s.vendor);
    hide("version", &mut s.version);
    hide("escalation_route", &mut s.escalation_route);
    hide("notes", &mut s.notes);
    if !public("responsible_unit") {
        s.responsible_unit_id = None;
    }
    if !public("using_units") {
        s.using_unit_ids.clear();
    }
    if !public("product") {
        s.product_id = None;
    }
    if !public("user_count") {
        s.user_count = None;
    }
    if !public("business_critical") {
        s.business_critical = false;
    }
    if !public("go_live_date") {
        s.go_live_date = None;
    }
    if !public("end_date") {
        s.end_date = None;
    }
    if !public("licences") {
        s.licence_model = None;
        s.licence_count = None;
    }
    if !public("doc_links") {
        s.doc_links.clear();
    }
    if !public("capabilities") {
        s.capabilities.clear();
    }
    if !public("tags") {
        s.tags.clear();
    }
    s
}

impl Store {
    /// The active systems of an organisation matching `q`, for the public
    /// register, with every field the organisation keeps secret already
    /// removed. A search looks only in public fields: a value that stands
    /// only in a secret field finds nothing. Returned with the secrecy it
    /// applied (field kind, secret), so the caller shows the same columns.
    pub async fn public_register(
        &self,
        org: OrgId,
        q: Option<&str>,
        page: PageRequest,
    ) -> Result<(Page<PublicEntry>, Vec<(String, bool)>)> {
        let secrecy = self.field_secrecy(org).await?;
        let public = |f: &str| secrecy.iter().any(|(k, secret)| k == f && !secret);
        let q = q.map(str::trim).filter(|q| !q.is_empty());
        let systems = match q {
            None => {
                self.list_full_systems(org, &SystemFilter::default(), SystemSort::Name, false, page)
                    .await?
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
                let capped = loop {
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
                    found.extend(chunk.items.into_iter().filter(|s| {
                        let text = searchable_public_text(s, &public);
                        tokens.iter().all(|t| text.contains(t.as_str()))
                    }));
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
        let systems = Page {
            items: systems
                .items
                .into_iter()
                .map(|s| redact(s, &public))
                .collect(),
            ..systems
        };
        if systems.items.is_empty() {
            return Ok((
                Page {
                    items: vec![],
                    total: systems.total,
                    page: systems.page,
                    per_page: systems.per_page,
                    total_capped: systems.total_capped,
                },
                secrecy,
            ));
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
                personal_data: public("personal_data") && personal.contains(&s.id.0),
                owners: owners
                    .iter()
                    .filter(|(sid, _)| public("role_holders") && *sid == s.id.0)
                    .map(|(_, n)| n.clone())
                    .collect(),
                system: s,
            })
            .collect();
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
}
