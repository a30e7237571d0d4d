//! Query-string parameters of the register, shared by pages and the API.
//! Everything arrives as text and is parsed here, so a bad value becomes a
//! clear field error instead of a rejected request.

pub mod contracts;
pub mod eservices;
pub mod integrations;
pub mod licences;
pub mod strict;

use insyn_domain::validation as v;
use insyn_domain::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SystemQuery {
    /// Full-text search; matches inside words ("ekonomi" finds "Ekonomisystem"),
    /// every word in some field. Sorted by name ascending (the default), the
    /// best matches come first: the name equal to the search, then names
    /// starting with it, then a word of the name starting with it, then names
    /// holding it, then matches in other fields; by name within each. The
    /// total of a search is exact.
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
        let mut errors = FieldErrors::new();
        let e = &mut errors;
        let mut f = SystemFilter {
            q: v::search(e, "q", self.q.as_deref()),
            capability: present(&self.capability).map(str::to_owned),
            tag: present(&self.tag).map(str::to_owned),
            ..Default::default()
        };
        f.unit_id = reference(e, "unit", &self.unit);
        f.holder_id = reference(e, "holder", &self.holder);
        if let Some(l) = present(&self.lifecycle) {
            match Lifecycle::parse(l) {
                Some(l) => f.lifecycle = Some(l),
                None => e.add("lifecycle", v::UNKNOWN_CHOICE),
            }
        }
        f.business_critical = flag(e, "business_critical", &self.business_critical);
        f.no_owner = flag(e, "no_owner", &self.no_owner).unwrap_or(false);
        f.include_archived = flag(e, "include_archived", &self.include_archived).unwrap_or(false);
        let desc = flag(e, "desc", &self.desc).unwrap_or(false);
        f.changed_since = instant(e, "changed_since", &self.changed_since);
        let sort = match present(&self.sort) {
            None => SystemSort::Name,
            Some(s) => SystemSort::parse(s).unwrap_or_else(|| {
                e.add("sort", v::UNKNOWN_CHOICE);
                SystemSort::Name
            }),
        };
        let page = page_request(e, &self.page, &self.per_page);
        errors.into_result(ListRequest {
            filter: f,
            sort,
            desc,
            page,
        })
    }
}

/// An id; one that is not an id names nothing that exists.
fn reference<T: std::str::FromStr>(
    e: &mut FieldErrors,
    field: &str,
    value: &Option<String>,
) -> Option<T> {
    let s = present(value)?;
    s.parse()
        .map_err(|_| e.add(field, v::UNKNOWN_REFERENCE))
        .ok()
}

/// Yes or no, in any of the words the forms use.
fn flag(e: &mut FieldErrors, field: &str, value: &Option<String>) -> Option<bool> {
    let b = parse_bool(present(value)?);
    if b.is_none() {
        e.add(field, v::UNKNOWN_CHOICE);
    }
    b
}

/// An RFC 3339 instant.
fn instant(
    e: &mut FieldErrors,
    field: &str,
    value: &Option<String>,
) -> Option<chrono::DateTime<chrono::Utc>> {
    let s = present(value)?;
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|_| e.add(field, v::NOT_A_DATE))
        .ok()
}

/// `page` and `per_page`.
fn page_request(
    e: &mut FieldErrors,
    page: &Option<String>,
    per_page: &Option<String>,
) -> PageRequest {
    let mut number = |field: &str, value: &Option<String>| -> Option<u32> {
        present(value)?
            .parse::<u32>()
            .map_err(|_| e.add(field, v::NOT_A_NUMBER))
            .ok()
    };
    let page = number("page", page);
    PageRequest::new(page, number("per_page", per_page))
}

/// Only what changed since an instant (the unit list).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SinceQuery {
    /// RFC 3339 instant: only records changed after it.
    pub changed_since: Option<String>,
}

impl SinceQuery {
    /// The `changed_since` parameter, if given and well-formed.
    pub fn since(&self) -> Result<Option<chrono::DateTime<chrono::Utc>>, FieldErrors> {
        let mut e = FieldErrors::new();
        let since = instant(&mut e, "changed_since", &self.changed_since);
        e.into_result(since)
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
        SinceQuery {
            changed_since: self.changed_since.clone(),
        }
        .since()
    }

    pub fn parse(&self) -> Result<(Option<String>, PageRequest), FieldErrors> {
        let mut e = FieldErrors::new();
        let p = page_request(&mut e, &self.page, &self.per_page);
        let q = v::search(&mut e, "q", self.q.as_deref());
        e.into_result((q, p))
    }
}

/// Paging alone, for lists with no search (a system's access orders).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PagingQuery {
    pub page: Option<String>,
    pub per_page: Option<String>,
}

impl PagingQuery {
    pub fn parse(&self) -> Result<PageRequest, FieldErrors> {
        let mut e = FieldErrors::new();
        let p = page_request(&mut e, &self.page, &self.per_page);
        e.into_result(p)
    }
}

/// Query of the audit trail.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Part of the actor's name or e-mail.
    pub actor: Option<String>,
    /// system, unit, person, role_assignment, organisation, …
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    /// From this day (YYYY-MM-DD), inclusive.
    pub from: Option<String>,
    /// To this day (YYYY-MM-DD), inclusive.
    pub to: Option<String>,
    /// At most this many entries, newest first (default 200, at most 10 000).
    pub limit: Option<String>,
}

impl AuditParams {
    pub fn parse(&self) -> Result<(insyn_store::AuditQuery, i64), FieldErrors> {
        let mut e = FieldErrors::new();
        let mut day = |field: &str, s: &Option<String>| -> Option<chrono::DateTime<chrono::Utc>> {
            match v::parse_date(present(s)?) {
                Ok(d) => d.and_hms_opt(0, 0, 0).map(|t| t.and_utc()),
                Err(c) => {
                    e.add(field, c);
                    None
                }
            }
        };
        let from = day("from", &self.from);
        let to = day("to", &self.to).map(|t| t + chrono::Days::new(1));
        let object_id = reference(&mut e, "object_id", &self.object_id);
        let limit = match present(&self.limit) {
            None => 200,
            Some(s) => s.parse::<i64>().map_or_else(
                |_| {
                    e.add("limit", v::NOT_A_NUMBER);
                    200
                },
                |n| n.clamp(1, 10_000),
            ),
        };
        e.into_result((
            insyn_store::AuditQuery {
                actor: present(&self.actor).map(str::to_owned),
                object_type: present(&self.object_type).map(str::to_owned),
                object_id,
                from,
                to,
            },
            limit,
        ))
    }
}
