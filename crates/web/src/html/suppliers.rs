//! Suppliers (leverantörer) as pages: the organisation's suppliers, paged,
//! and each one's page with its systems and contracts, each list paged on
//! its own. Secret by default: for the organisation's users only, never
//! the public register.

use super::contracts::Words;
use super::*;
use crate::context::OrgPath;
use insyn_domain::contract::{Contract, Supplier, SystemRef};
use insyn_store::contracts::ContractSort;

/// A page number that cannot be read is the first page.
fn page_of(s: &Option<String>) -> PageRequest {
    PageRequest::new(s.as_deref().and_then(|p| p.trim().parse().ok()), None)
}

/// The previous and next links of a paged list, `{base}{param}={n}`.
fn links<T>(p: &Page<T>, base: &str, param: &str) -> (Option<String>, Option<String>) {
    let at = |n: u32| format!("{base}{param}={n}");
    (
        (p.page > 1).then(|| at(p.page - 1)),
        (p.page < p.pages()).then(|| at(p.page + 1)),
    )
}

#[derive(Debug, Default, serde::Deserialize)]
pub(super) struct ListQuery {
    #[serde(default)]
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "suppliers.html")]
struct ListPage {
    c: Chrome,
    suppliers: Page<Supplier>,
    prev_href: Option<String>,
    next_href: Option<String>,
}

/// The organisation's suppliers, by name; 50 a page.
pub(super) async fn suppliers_page(
    cx: Cx,
    at: OrgPath,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let suppliers = cx.store().list_suppliers(at.id(), page_of(&q.page)).await?;
    let (prev_href, next_href) = links(
        &suppliers,
        &format!("/o/{}/suppliers?", at.org.slug),
        "page",
    );
    Ok(render(&ListPage {
        c: cx.chrome(Some(at.org.clone()), "contracts"),
        suppliers,
        prev_href,
        next_href,
    }))
}

#[derive(Debug, Default, serde::Deserialize)]
pub(super) struct SupplierQuery {
    #[serde(default)]
    systems_page: Option<String>,
    #[serde(default)]
    contracts_page: Option<String>,
}

/// A paged list on the supplier page and its links.
pub(super) struct Part<T> {
    pub list: Page<T>,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
}

impl<T> Part<T> {
    fn new(list: Page<T>, base: &str, param: &str) -> Self {
        let (prev_href, next_href) = links(&list, base, param);
        Part {
            list,
            prev_href,
            next_href,
        }
    }
}

#[derive(Template)]
#[template(path = "supplier.html")]
struct SupplierPage {
    c: Chrome,
    w: Words,
    s: Supplier,
    systems: Part<SystemRef>,
    contracts: Part<Contract>,
}

/// One supplier with the systems that name it and its contracts, 50 of
/// each a page.
pub(super) async fn supplier_page(
    cx: Cx,
    at: OrgPath,
    Query(q): Query<SupplierQuery>,
) -> AppResult<Response> {
    let id = at.params.id("supplier")?;
    let store = cx.store();
    let s = store.get_supplier(at.id(), id).await?;
    let systems = store
        .supplier_systems(at.id(), id, page_of(&q.systems_page))
        .await?;
    let contracts = store
        .list_contracts(
            at.id(),
            Some(id),
            ContractSort::NoticeDay,
            page_of(&q.contracts_page),
            crate::nav::today(),
        )
        .await?;
    let base = format!("/o/{}/suppliers/{id}?", at.org.slug);
    let (on_systems, on_contracts) = (systems.page, contracts.page);
    Ok(render(&SupplierPage {
        c: cx.chrome(Some(at.org.clone()), "contracts"),
        w: Words { lang: cx.lang },
        s,
        systems: Part::new(
            systems,
            &format!("{base}contracts_page={on_contracts}&"),
            "systems_page",
        ),
        contracts: Part::new(
            contracts,
            &format!("{base}systems_page={on_systems}&"),
            "contracts_page",
        ),
    }))
}
