//! Contracts (avtal) as pages: the organisation's list, sortable by the
//! last day to give notice and paged, and each contract's page with its
//! systems, its status, its next possible end and the last day to give
//! notice with the arithmetic in words in the reader's language (the
//! contract reminder mails link here). Suppliers' pages are in
//! `suppliers.rs`. Secret by default: for the organisation's users only.

use super::*;
use crate::context::OrgPath;
use crate::query::contracts::ContractQuery;
use insyn_domain::access::Language;
use insyn_domain::contract::{Contract, ContractStatus, EndOf, NoticeAction, status_words};

/// The words the contract and supplier pages share.
pub(super) struct Words {
    pub lang: Lang,
}

impl Words {
    fn language(&self) -> Language {
        match self.lang {
            Lang::Sv => Language::Sv,
            Lang::En => Language::En,
        }
    }

    pub fn status(&self, s: &ContractStatus) -> &'static str {
        status_words(self.language(), *s)
    }

    /// A code's words: `contract-kind-licence`, `contract-renewal-tacit`, …
    pub fn word(&self, group: &str, code: &str) -> String {
        self.lang
            .t(&format!("contract-{group}-{}", code.replace('_', "-")))
    }

    /// What the municipality must do by the last day.
    pub fn action(&self, a: &NoticeAction) -> String {
        self.lang.t(match a {
            NoticeAction::GiveNotice => "contract-action-give-notice",
            NoticeAction::UseOption => "contract-action-use-option",
        })
    }

    /// "3 månader", "1 month".
    pub fn months(&self, n: &u32) -> String {
        self.lang.t_count("contract-months", i64::from(*n))
    }

    /// A notice period: "3 månader räknat till utgången av ett kvartal".
    pub fn notice(&self, months: &u32, end_of: &EndOf) -> String {
        let m = self.months(months);
        match end_of {
            EndOf::Day => m,
            e => format!("{m} {}", self.word("end-of", e.as_str())),
        }
    }

    /// How the dates were reached, in the reader's language.
    pub fn explanation<'a>(&self, c: &'a Contract) -> &'a [String] {
        match self.lang {
            Lang::Sv => &c.dates.explanation_sv,
            Lang::En => &c.dates.explanation_en,
        }
    }

    pub fn role<'a>(&self, c: &'a Contract) -> Option<&'a String> {
        match self.lang {
            Lang::Sv => c.responsible_role_name_sv.as_ref(),
            Lang::En => c.responsible_role_name_en.as_ref(),
        }
    }
}

/// The columns the list sorts by, in the order they are shown.
const SORTS: [(&str, &str); 4] = [
    ("name", "contract-name"),
    ("supplier", "contract-supplier"),
    ("status", "contract-status"),
    ("notice_day", "contract-last-notice-day"),
];

#[derive(Template)]
#[template(path = "contracts.html")]
struct ListPage {
    c: Chrome,
    w: Words,
    contracts: Page<Contract>,
    sort: &'static str,
    sorts: [(&'static str, &'static str); 4],
    prev_href: Option<String>,
    next_href: Option<String>,
}

impl ListPage {
    fn sort_href(&self, key: &str) -> String {
        format!("/o/{}/contracts?sort={key}", self.c.org_slug())
    }
}

/// The organisation's contracts, the nearest last day to give notice first
/// unless another column is chosen; 50 a page, paged in SQL.
pub(super) async fn contracts_page(
    cx: Cx,
    at: OrgPath,
    Query(q): Query<ContractQuery>,
) -> AppResult<Response> {
    let mut r = q.lenient();
    r.supplier = None;
    let key = r.sort.as_str();
    let store = cx.store();
    let today = crate::nav::today();
    let mut contracts = store
        .list_contracts(at.id(), None, r.sort, r.page, today)
        .await?;
    if contracts.page > contracts.pages() {
        // Past the end: the last page instead.
        r.page.page = contracts.pages();
        contracts = store
            .list_contracts(at.id(), None, r.sort, r.page, today)
            .await?;
    }
    let href = |n: u32| format!("/o/{}/contracts?sort={key}&page={n}", at.org.slug);
    let (prev_href, next_href) = prev_next(&contracts, href);
    Ok(render(&ListPage {
        c: cx.chrome(Some(at.org.clone()), "contracts"),
        w: Words { lang: cx.lang },
        contracts,
        sort: key,
        sorts: SORTS,
        prev_href,
        next_href,
    }))
}

#[derive(Template)]
#[template(path = "contract.html")]
struct ContractPage {
    c: Chrome,
    w: Words,
    k: Contract,
}

/// One contract: every field, its systems, and its dates today explained.
pub(super) async fn contract_page(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let id = at.params.id("contract")?;
    let k = cx
        .store()
        .get_contract(at.id(), id, crate::nav::today())
        .await?;
    Ok(render(&ContractPage {
        c: cx.chrome(Some(at.org.clone()), "contracts"),
        w: Words { lang: cx.lang },
        k,
    }))
}
