//! The contract list's query string, shared by the page and the API: the
//! sort, a supplier, and the page.

use insyn_domain::validation::{self as v, FieldErrors};
use insyn_domain::*;
use insyn_store::contracts::ContractSort;
use serde::Deserialize;

/// Which contracts to list, and how.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContractQuery {
    /// `notice_day` (the nearest last day to give notice first; the
    /// default), `name`, `supplier` or `status`.
    pub sort: Option<String>,
    /// Only the contracts with this supplier.
    #[param(value_type = Option<uuid::Uuid>)]
    pub supplier: Option<String>,
    /// 1-based page number.
    pub page: Option<String>,
    /// Page size, at most 500 (default 50).
    pub per_page: Option<String>,
}

/// A parsed contract list request.
#[derive(Debug, Clone, Copy, Default)]
pub struct ContractListRequest {
    pub sort: ContractSort,
    pub supplier: Option<SupplierId>,
    pub page: PageRequest,
}

impl ContractQuery {
    pub fn parse(&self) -> Result<ContractListRequest, FieldErrors> {
        let mut e = FieldErrors::new();
        let page = super::page_request(&mut e, &self.page, &self.per_page);
        let some = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
        let sort = match some(&self.sort) {
            None => ContractSort::NoticeDay,
            Some(s) => ContractSort::parse(&s).unwrap_or_else(|| {
                let words: Vec<&str> = ContractSort::ALL.iter().map(|k| k.as_str()).collect();
                e.add_choice("sort", &words);
                ContractSort::NoticeDay
            }),
        };
        let supplier = some(&self.supplier).and_then(|s| {
            s.trim()
                .parse()
                .map(SupplierId)
                .map_err(|_| e.add("supplier", v::UNKNOWN_REFERENCE))
                .ok()
        });
        e.into_result(ContractListRequest {
            sort,
            supplier,
            page,
        })
    }

    /// The same, leniently (the page): what cannot be read is left out.
    pub fn lenient(&self) -> ContractListRequest {
        let fallback = ContractQuery {
            sort: self
                .sort
                .clone()
                .filter(|s| ContractSort::parse(s).is_some()),
            supplier: self
                .supplier
                .clone()
                .filter(|s| s.trim().parse::<uuid::Uuid>().is_ok()),
            page: self
                .page
                .clone()
                .filter(|s| s.trim().parse::<u32>().is_ok()),
            per_page: None,
        };
        fallback.parse().unwrap_or_default()
    }
}
