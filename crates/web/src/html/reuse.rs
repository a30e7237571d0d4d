//! "Finns det redan?" — before a system is bought or developed, the systems
//! of the organisation that already serve the same need, with where they
//! sit and when their contracts can end (Stockholm 2.4: "Innan en
//! applikation köps in eller utvecklas ska först en analys göras …").
//! A need is a capability chosen from the register's own, or words searched
//! like the register's search; one page of 25 at a time.

use super::*;
use crate::context::OrgPath;
use insyn_domain::contract::Contract;
use insyn_domain::validation as v;

const PER_PAGE: u32 = 25;

/// A system that may already serve the need, with its contracts.
pub(in crate::html) struct Candidate {
    pub s: SystemRow,
    pub contracts: Vec<Contract>,
}

#[derive(Template)]
#[template(path = "reuse.html")]
pub(in crate::html) struct ReusePage {
    c: Chrome,
    need: String,
    capability: String,
    capabilities: Vec<String>,
    /// None before anything was asked.
    found: Option<Vec<Candidate>>,
    total: i64,
    prev_href: Option<String>,
    next_href: Option<String>,
    /// The other organisations' systems serving the capability, from their
    /// public registers (only when a capability was chosen).
    elsewhere: Vec<insyn_store::public::Elsewhere>,
}

impl ReusePage {
    /// The other organisation's public register, searched for a system.
    pub fn public_link(&self, org: &Organisation, name: &str) -> String {
        let q = serde_urlencoded::to_string([("q", name)]).unwrap_or_default();
        format!("/public/{}?{q}", org.slug)
    }

    pub fn status(&self, s: &insyn_domain::contract::ContractStatus) -> &'static str {
        let lang = match self.c.lang {
            Lang::Sv => insyn_domain::access::Language::Sv,
            Lang::En => insyn_domain::access::Language::En,
        };
        insyn_domain::contract::status_words(lang, *s)
    }

    pub fn lifecycle(&self, l: &Lifecycle) -> String {
        self.c.t(&format!("lifecycle-{}", l.as_str()))
    }
}

#[derive(serde::Deserialize, Default)]
pub(in crate::html) struct ReuseQuery {
    need: Option<String>,
    capability: Option<String>,
    page: Option<u32>,
}

pub(in crate::html) async fn reuse_page(
    cx: Cx,
    OrgPath { org, .. }: OrgPath,
    Query(q): Query<ReuseQuery>,
) -> AppResult<Response> {
    let mut e = FieldErrors::new();
    let need = v::search(&mut e, "need", q.need.as_deref());
    let capability = v::optional_text(&mut e, "capability", q.capability.as_deref(), 100);
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    let store = cx.store();
    let today = crate::nav::today();
    let (found, total, prev_href, next_href) = if need.is_none() && capability.is_none() {
        (None, 0, None, None)
    } else {
        let filter = SystemFilter {
            q: need.clone(),
            capability: capability.clone(),
            ..Default::default()
        };
        let page = store
            .list_systems(
                org.id,
                &filter,
                SystemSort::Name,
                false,
                PageRequest::new(q.page, Some(PER_PAGE)),
            )
            .await?;
        let ids: Vec<SystemId> = page.items.iter().map(|s| s.id).collect();
        let mut covering = store.contracts_of_systems(org.id, &ids, today).await?;
        let found: Vec<Candidate> = page
            .items
            .iter()
            .cloned()
            .map(|s| {
                let (mine, rest) = covering.drain(..).partition(|(id, _)| *id == s.id);
                covering = rest;
                let contracts = mine.into_iter().map(|(_, c)| c).collect();
                Candidate { s, contracts }
            })
            .collect();
        let link = |n: u32| {
            let query = serde_urlencoded::to_string([
                ("need", need.clone().unwrap_or_default()),
                ("capability", capability.clone().unwrap_or_default()),
                ("page", n.to_string()),
            ])
            .unwrap_or_default();
            format!("/o/{}/reuse?{query}", org.slug)
        };
        let (prev, next) = prev_next(&page, link);
        (Some(found), page.total, prev, next)
    };
    let elsewhere = match &capability {
        Some(c) => store.capability_elsewhere(org.id, c).await?,
        None => vec![],
    };
    Ok(render(&ReusePage {
        elsewhere,
        c: cx.chrome(Some(org.clone()), "systems"),
        need: need.unwrap_or_default(),
        capability: capability.unwrap_or_default(),
        capabilities: store.capability_names(org.id, 300).await?,
        found,
        total,
        prev_href,
        next_href,
    }))
}
