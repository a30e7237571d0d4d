//! The e-service list's query string, shared by the page and the API: a
//! step on Utvecklingstrappan and the page.

use insyn_domain::eservice::EServiceStep;
use insyn_domain::validation::FieldErrors;
use insyn_domain::*;
use serde::Deserialize;

/// Which e-services to list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EServiceQuery {
    /// Only the e-services on this step: `information`, `interaction`,
    /// `transaction` or `integration`.
    pub step: Option<String>,
    /// 1-based page number.
    pub page: Option<String>,
    /// Page size, at most 500 (default 50).
    pub per_page: Option<String>,
}

impl EServiceQuery {
    /// The step and the page; a word that is not a step is refused on `step`.
    pub fn parse(&self) -> Result<(Option<EServiceStep>, PageRequest), FieldErrors> {
        let mut e = FieldErrors::new();
        let page = super::page_request(&mut e, &self.page, &self.per_page);
        let step = super::present(&self.step).and_then(|s| {
            EServiceStep::parse(s).or_else(|| {
                let words: Vec<&str> = EServiceStep::ALL.iter().map(|s| s.as_str()).collect();
                e.add_choice("step", &words);
                None
            })
        });
        e.into_result((step, page))
    }

    /// The same, leniently (the page): what cannot be read is left out.
    pub fn lenient(&self) -> (Option<EServiceStep>, PageRequest) {
        let step = super::present(&self.step).and_then(EServiceStep::parse);
        let page = super::present(&self.page).and_then(|p| p.parse().ok());
        (step, PageRequest::new(page, None))
    }
}
