//! Query-string parameters of the register, shared by pages and the API.
//! Everything arrives as text and is parsed here, so a bad value becomes a
//! clear field error instead of a rejected request.

use insyn_domain::validation as v;
use insyn_domain::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SystemQuery {
    /// Full-text search; matches inside words ("ekonomi" finds "Ekonomisystem").
    pub q: Option<String>,
    /// A unit id: systems of that unit or any unit below it.
    pub unit: Option<String>,
    /// planned, procuring, in_operation, phasing_out or decommissioned.
    pub lifecycle: Option<String>,
    /// true or false.
    pub business_critical: Option<String>,
    /// A person id: systems where the person holds a current role.
    pub holder: Option<String>,
    /// true: only systems without a current system owner.
    pub no_owner: Option<String>,
    /// RFC 3339 instant: only systems changed after it.
    pub changed_since: Option<String>,
    pub capability: Option<String>,
    pub tag: Option<String>,
    /// true: include archived systems.
    pub include_archived: Option<String>,
    /// name, unit, lifecycle, users, go_live or updated.
    pub sort: Option<String>,
    /// true: descending.
    pub desc: Option<String>,
    /// 1-based page number.
    pub page: Option<String>,
    /// Page size, at most 500 (default 50).
    pub per_page: Option<String>,
}

fn present(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "1" | "on" | "yes" | "ja" => Some(true),
        "false" | "0" | "off" | "no" | "nej" => Some(false),
        _ => None,
    }
}

/// A parsed list request.
#[derive(Debug, Clone, Default)]
pub struct ListRequest {
    pub filter: SystemFilter,
    pub sort: SystemSort,
    pub desc: bool,
    pub page: PageRequest,
}

impl SystemQuery {
    pub fn parse(&self) -> Result<ListRequest, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut f = SystemFilter {
            q: v::search(&mut e, "q", self.q.as_deref()),
            capability: present(&self.capability).map(str::to_owned),
            tag: present(&self.tag).map(str::to_owned),
            ..Default::default()
        };
        if let Some(u) = present(&self.unit) {
            match u.parse() {
                Ok(id) => f.unit_id = Some(id),
                Err(_) => e.add("unit", v::UNKNOWN_REFERENCE),
            }
        }
        if let Some(h) = present(&self.holder) {
            match h.parse() {
                Ok(id) => f.holder_id = Some(id),
                Err(_) => e.add("holder", v::UNKNOWN_REFERENCE),
            }
        }
        if let Some(l) = present(&self.lifecycle) {
            match Lifecycle::parse(l) {
                Some(l) => f.lifecycle = Some(l),
                None => e.add("lifecycle", v::UNKNOWN_CHOICE),
            }
        }
        let mut flag = |field: &str, value: &Option<String>| -> Option<bool> {
            let s = present(value)?;
            let b = parse_bool(s);
            if b.is_none() {
                e.add(field, v::UNKNOWN_CHOICE);
            }
            b
        };
        f.business_critical = flag("business_critical", &self.business_critical);
        f.no_owner = flag("no_owner", &self.no_owner).unwrap_or(false);
        f.include_archived = flag("include_archived", &self.include_archived).unwrap_or(false);
        let desc = flag("desc", &self.desc).unwrap_or(false);
        if let Some(c) = present(&self.changed_since) {
            match chrono::DateTime::parse_from_rfc3339(c) {
                Ok(t) => f.changed_since = Some(t.with_timezone(&chrono::Utc)),
                Err(_) => e.add("changed_since", v::NOT_A_DATE),
            }
        }
        let sort = match present(&self.sort) {
            None => SystemSort::Name,
            Some(s) => SystemSort::parse(s).unwrap_or_else(|| {
                e.add("sort", v::UNKNOWN_CHOICE);
                SystemSort::Name
            }),
        };
        let mut number = |field: &str, value: &Option<String>| -> Option<u32> {
            let s = present(value)?;
            match s.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    e.add(field, v::NOT_A_NUMBER);
                    None
                }
            }
        };
        let page = PageRequest::new(
            number("page", &self.page),
            number("per_page", &self.per_page),
        );
        e.into_result(ListRequest {
            filter: f,
            sort,
            desc,
            page,
        })
    }
}

/// Paging and an optional search for the smaller lists (people, assignments).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Search in names (and e-mail for people).
    pub q: Option<String>,
    /// RFC 3339 instant: only records changed after it.
    pub changed_since: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

impl PageQuery {
    /// The `changed_since` parameter, if given and well-formed.
    pub fn since(&self) -> Result<Option<chrono::DateTime<chrono::Utc>>, FieldErrors> {
        match present(&self.changed_since) {
            None => Ok(None),
            Some(c) => chrono::DateTime::parse_from_rfc3339(c)
                .map(|t| Some(t.with_timezone(&chrono::Utc)))
                .map_err(|_| FieldErrors::single("changed_since", v::NOT_A_DATE)),
        }
    }

    pub fn parse(&self) -> Result<(Option<String>, PageRequest), FieldErrors> {
        let mut e = FieldErrors::new();
        let mut number = |field: &str, value: &Option<String>| -> Option<u32> {
            let s = present(value)?;
            s.parse::<u32>()
                .map_err(|_| e.add(field, v::NOT_A_NUMBER))
                .ok()
        };
        let p = PageRequest::new(
            number("page", &self.page),
            number("per_page", &self.per_page),
        );
        let q = v::search(&mut e, "q", self.q.as_deref());
        e.into_result((q, p))
    }
}
