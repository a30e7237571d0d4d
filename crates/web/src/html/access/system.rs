//! A system's "Behörigheter" tab: its access profiles, who holds them (a
//! page at a time) and its orders (open ones or all, a page at a time).

use super::*;
use crate::query::PagingQuery;
use insyn_domain::auth::OnSystem;
use insyn_store::access::OrderFilter;

#[derive(Template)]
#[template(path = "access_system.html")]
pub(in crate::html) struct AccessSystemPage {
    c: Chrome,
    s: System,
    can: OnSystem,
    flash: Option<String>,
    profiles: Vec<AccessProfile>,
    holdings: Page<Holding>,
    holdings_prev: Option<String>,
    holdings_next: Option<String>,
    orders: Page<AccessOrder>,
    orders_prev: Option<String>,
    orders_next: Option<String>,
    /// Whether the orders shown are all of them, not only the open ones.
    all_orders: bool,
    names: Names,
}

impl AccessWords for AccessSystemPage {
    fn chrome(&self) -> &Chrome {
        &self.c
    }
}

impl AccessSystemPage {
    pub fn base(&self) -> String {
        format!("/o/{}/systems/{}", self.c.org_slug(), self.s.id)
    }

    /// The order form, for the removal of a holding.
    pub fn removal_href(&self, h: &Holding) -> String {
        format!(
            "{}/access/order?kind=remove&person={}&profile={}",
            self.base(),
            h.person_id,
            h.profile_id
        )
    }
}

/// The tab's query: which orders, and the page of each list.
#[derive(Debug, Default, serde::Deserialize)]
pub(in crate::html) struct AccessQuery {
    orders: Option<String>,
    opage: Option<String>,
    hpage: Option<String>,
    saved: Option<String>,
}

pub(in crate::html) async fn access_page(
    cx: Cx,
    at: SystemPath,
    Query(q): Query<AccessQuery>,
) -> AppResult<Response> {
    let (org, sid) = (at.org, at.system);
    let store = cx.store();
    let s = store.get_system(org.id, sid).await?;
    let paging = |page: &Option<String>| {
        PagingQuery {
            page: page.clone(),
            per_page: None,
        }
        .parse()
        .unwrap_or_default()
    };
    let all_orders = q.orders.as_deref() == Some("all");
    let filter = OrderFilter {
        system: Some(sid),
        open: !all_orders,
        ..OrderFilter::default()
    };
    let orders = store
        .access_orders(org.id, filter, paging(&q.opage))
        .await?;
    let holdings = store.holdings(org.id, sid, paging(&q.hpage)).await?;
    let profiles = store.access_profiles(org.id, sid).await?;
    let mut names = Names::of_orders(store, org.id, &orders.items).await?;
    names.add_profiles(&profiles);
    let holders: Vec<PersonId> = holdings.items.iter().map(|h| h.person_id).collect();
    names.add_people(store, org.id, &holders).await?;
    let base = format!("{}/access", system_base(&org, sid));
    let mut kept = vec![];
    if all_orders {
        kept.push(("orders", "all".to_owned()));
    }
    if let Some(p) = &q.opage {
        kept.push(("opage", p.clone()));
    }
    if let Some(p) = &q.hpage {
        kept.push(("hpage", p.clone()));
    }
    let (orders_prev, orders_next) = pager(&orders, &base, &kept, "opage");
    let (holdings_prev, holdings_next) = pager(&holdings, &base, &kept, "hpage");
    Ok(render(&AccessSystemPage {
        can: cx.on_system(org.id, sid).await?,
        c: cx.chrome(Some(org), "systems"),
        s,
        flash: q.saved.map(|_| cx.t("flash-saved")),
        profiles,
        holdings,
        holdings_prev,
        holdings_next,
        orders,
        orders_prev,
        orders_next,
        all_orders,
        names,
    }))
}
