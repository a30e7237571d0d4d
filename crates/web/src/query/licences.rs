//! The organisation's licence list's query string, shared by the page and
//! the API: a finding to show only, and the page.

use insyn_domain::licence::LicenceFinding;
use insyn_domain::validation::FieldErrors;
use insyn_domain::*;
use serde::Deserialize;

/// Which licences to list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LicenceQuery {
    /// Only the licences with this finding: `overuse`, `idle` or `ended`.
    pub finding: Option<String>,
    /// 1-based page number.
    pub page: Option<String>,
    /// Page size, at most 500 (default 50).
    pub per_page: Option<String>,
}

/// A parsed licence list request.
#[derive(Debug, Clone, Copy, Default)]
pub struct LicenceListRequest {
    pub finding: Option<LicenceFinding>,
    pub page: PageRequest,
}

impl LicenceQuery {
    pub fn parse(&self) -> Result<LicenceListRequest, FieldErrors> {
        let mut e = FieldErrors::new();
        let page = super::page_request(&mut e, &self.page, &self.per_page);
        let finding = super::present(&self.finding).and_then(|s| {
            LicenceFinding::parse(s).or_else(|| {
                let words: Vec<&str> = LicenceFinding::ALL.iter().map(|f| f.as_str()).collect();
                e.add_choice("finding", &words);
                None
            })
        });
        e.into_result(LicenceListRequest { finding, page })
    }

    /// The same, leniently (the page): what cannot be read is left out.
    pub fn lenient(&self) -> LicenceListRequest {
        let page = |s: &Option<String>| s.clone().filter(|s| s.trim().parse::<u32>().is_ok());
        LicenceQuery {
            finding: self
                .finding
                .clone()
                .filter(|s| LicenceFinding::parse(s.trim()).is_some()),
            page: page(&self.page),
            per_page: page(&self.per_page),
        }
        .parse()
        .unwrap_or_default()
    }
}
