//! The query strings of the integration lists and of a system's map, shared
//! by the pages and the API.

use insyn_domain::integration::{Criticality, MAX_DEPTH};
use insyn_domain::validation::{self as v, FieldErrors};
use insyn_domain::*;
use insyn_store::integrations::IntegrationFilter;
use serde::Deserialize;

/// Which integrations to list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IntegrationQuery {
    pub page: Option<String>,
    pub per_page: Option<String>,
    /// Only those to or from this system.
    #[param(value_type = Option<uuid::Uuid>)]
    pub system: Option<String>,
    /// low, medium, high or critical.
    pub criticality: Option<String>,
    /// Only those to or from a system this unit, or a unit below it, is
    /// responsible for.
    #[param(value_type = Option<uuid::Uuid>)]
    pub unit: Option<String>,
}

impl IntegrationQuery {
    pub fn parse(&self) -> Result<(PageRequest, IntegrationFilter), FieldErrors> {
        let paging = crate::query::PagingQuery {
            page: self.page.clone(),
            per_page: self.per_page.clone(),
        };
        let mut e = FieldErrors::new();
        let page = paging.parse().unwrap_or_else(|more| {
            e.0.extend(more.0);
            PageRequest::default()
        });
        fn some(s: &Option<String>) -> Option<&str> {
            s.as_deref().map(str::trim).filter(|s| !s.is_empty())
        }
        let system = some(&self.system).and_then(|s| {
            s.parse()
                .map_err(|_| e.add("system", v::UNKNOWN_REFERENCE))
                .ok()
        });
        let unit = some(&self.unit).and_then(|s| {
            s.parse()
                .map_err(|_| e.add("unit", v::UNKNOWN_REFERENCE))
                .ok()
        });
        let criticality = some(&self.criticality).and_then(|s| {
            let found = Criticality::parse(s);
            if found.is_none() {
                let allowed: Vec<&str> = Criticality::ALL.iter().map(|c| c.as_str()).collect();
                e.add_choice("criticality", &allowed);
            }
            found
        });
        e.into_result((
            page,
            IntegrationFilter {
                system,
                criticality,
                unit,
            },
        ))
    }
}

/// How far a system's map reaches.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DepthQuery {
    /// 1, 2 or 3 levels of flows from the system (default 1).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 3)]
    pub depth: Option<String>,
}

impl DepthQuery {
    pub fn parse(&self) -> Result<u32, FieldErrors> {
        match self.depth.as_deref().map(str::trim) {
            None | Some("") => Ok(1),
            Some(s) => match s.parse::<u32>() {
                Ok(d) if (1..=MAX_DEPTH).contains(&d) => Ok(d),
                _ => {
                    let mut e = FieldErrors::new();
                    e.add_choice("depth", &["1", "2", "3"]);
                    Err(e)
                }
            },
        }
    }
}
