//! Suppliers (leverantörer) as pages: the organisation's suppliers and each
//! one's page with its systems and contracts. Secret by default: for the
//! organisation's users only, never the public register.

use super::contracts::Words;
use super::*;
use crate::context::OrgPath;
use insyn_domain::contract::{Contract, Supplier, SystemRef};
use insyn_store::contracts::ContractSort;

#[derive(Template)]
#[template(path = "suppliers.html")]
struct ListPage {
    c: Chrome,
    suppliers: Vec<Supplier>,
}

/// The organisation's suppliers, by name.
pub(super) async fn suppliers_page(cx: Cx, at: OrgPath) -> AppResult<Response> {
    Ok(render(&ListPage {
        c: cx.chrome(Some(at.org.clone()), "contracts"),
        suppliers: cx.store().list_suppliers(at.id()).await?,
    }))
}

#[derive(Template)]
#[template(path = "supplier.html")]
struct SupplierPage {
    c: Chrome,
    w: Words,
    s: Supplier,
    systems: Vec<SystemRef>,
    contracts: Vec<Contract>,
}

/// One supplier with the systems that name it and its contracts.
pub(super) async fn supplier_page(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let id = at.params.id("supplier")?;
    let store = cx.store();
    let s = store.get_supplier(at.id(), id).await?;
    let systems = store.supplier_systems(at.id(), id).await?;
    let contracts = store
        .list_contracts(
            at.id(),
            Some(id),
            ContractSort::NoticeDay,
            crate::nav::today(),
        )
        .await?;
    Ok(render(&SupplierPage {
        c: cx.chrome(Some(at.org.clone()), "contracts"),
        w: Words { lang: cx.lang },
        s,
        systems,
        contracts,
    }))
}
