//! The register of systems and its exports; a system's page (`page`) and
//! its form (`form`); importing its user list (`user_list`).

use super::*;
use crate::context::OrgPath;

pub(super) mod form;
pub(super) mod page;
mod supplier;
pub(super) mod user_list;

pub struct SortLink {
    pub href: String,
    /// "ascending", "descending" or "none", for aria-sort.
    pub aria: &'static str,
}

#[derive(Template)]
#[template(path = "register.html", blocks = ["results"])]
pub(super) struct RegisterPage {
    c: Chrome,
    q: SystemQuery,
    rows: Vec<SystemRow>,
    total: i64,
    /// The count stopped at `total` (more matched).
    total_capped: bool,
    first: i64,
    last: i64,
    page: u32,
    pages: u32,
    units: Vec<(Unit, usize)>,
    holder: Option<Person>,
    /// The role-holder field as shown, and whether it named nobody.
    who_text: String,
    who_unknown: bool,
    sort_links: Vec<(&'static str, SortLink)>,
    prev_href: Option<String>,
    next_href: Option<String>,
    filtered: bool,
    /// A search sorted by name: the best matches come first.
    ranked: bool,
}

impl RegisterPage {
    pub fn sort_link(&self, col: &str) -> &SortLink {
        &self
            .sort_links
            .iter()
            .find(|(c, _)| *c == col)
            .expect("every sortable column has a link")
            .1
    }

    /// "3 / 7", or "3" when the count stopped before the last page.
    pub fn page_of(&self) -> String {
        if self.total_capped {
            self.page.to_string()
        } else {
            format!("{} / {}", self.page, self.pages)
        }
    }

    pub fn sel(&self, value: &Option<String>, option: &str) -> bool {
        value.as_deref().unwrap_or("") == option
    }
}

/// The register as `register.xlsx`, `register.csv` or `register.json`, at
/// once (for scripts and links kept from before; the page's buttons start
/// a job, [`start_export`]).
pub(super) async fn export_register(
    State(state): State<AppState>,
    lang: Lang,
    OrgPath { org: o, params }: OrgPath,
) -> AppResult<Response> {
    let file = params.get("file").unwrap_or_default();
    let format = crate::export::register_format(file).ok_or(AppError::NotFound)?;
    let bytes = crate::export::register_file(&state.store, o.id, format, lang).await?;
    let media = crate::export::media_of(format).unwrap_or("application/octet-stream");
    Ok(download(
        media,
        &crate::export::register_file_name(&o, file),
        bytes,
    ))
}

/// Everything of the organisation as one file, for administrators
/// (`insyn import-full` loads it into another installation), at once.
pub(super) async fn export_full(State(state): State<AppState>, at: OrgPath) -> AppResult<Response> {
    crate::export::full_export_download(&state.store, &at.org).await
}

/// The register page's export button: makes `register.xlsx`, `.csv` or
/// `.json` as a job, and on to its progress page.
pub(super) async fn start_export(
    cx: Cx,
    me: crate::auth::Principal,
    OrgPath { org: o, params }: OrgPath,
) -> AppResult<Response> {
    let file = params.get("file").unwrap_or_default();
    let format = crate::export::register_format(file).ok_or(AppError::NotFound)?;
    let what = crate::jobs::Export::Register { file, format };
    let job = crate::jobs::start_export(&cx.state.store, &me, &o, cx.lang, what).await?;
    see(format!("/o/{}/jobs/{job}", o.slug))
}

/// The register page's full-export button (administrators), as a job.
pub(super) async fn start_full_export(
    cx: Cx,
    me: crate::auth::Principal,
    at: OrgPath,
) -> AppResult<Response> {
    let job = crate::jobs::start_export(
        &cx.state.store,
        &me,
        &at.org,
        cx.lang,
        crate::jobs::Export::Full,
    )
    .await?;
    see(format!("/o/{}/jobs/{job}", at.org.slug))
}

#[derive(serde::Deserialize)]
pub(super) struct WhoQuery {
    who: Option<String>,
}

fn with_params(base: &str, q: &SystemQuery) -> String {
    let s = serde_urlencoded::to_string(q).unwrap_or_default();
    // Drop empty parameters so links stay short.
    let kept: Vec<&str> = s
        .split('&')
        .filter(|kv| !kv.ends_with('=') && !kv.is_empty())
        .collect();
    if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    }
}

/// The request header with which the register's search-as-you-type script
/// (`static/register.js`) asks for the results alone (the count, the table
/// and the pager), not the whole page.
pub const FRAGMENT_HEADER: &str = "x-insyn-fragment";

pub(super) async fn register(
    cx: Cx,
    OrgPath { org: o, .. }: OrgPath,
    Query(mut q): Query<SystemQuery>,
    Query(who): Query<WhoQuery>,
    headers: axum::http::HeaderMap,
) -> AppResult<Response> {
    let only_results = headers
        .get(FRAGMENT_HEADER)
        .is_some_and(|v| v.as_bytes() == b"results");
    let state = &cx.state;
    // The role-holder field takes an e-mail address or a name.
    let who_text = who.who.unwrap_or_default().trim().to_owned();
    let mut who_unknown = false;
    if !who_text.is_empty() {
        match resolve_person(state, o.id, &who_text).await? {
            Some(id) => q.holder = Some(id.to_string()),
            None => who_unknown = true,
        }
    }
    // A bad parameter in a page link is ignored rather than refused; a
    // search over the limits is said (it would otherwise show everything).
    let req = match q.parse() {
        Ok(r) => r,
        Err(e) if e.get("q").is_some() => return Err(AppError::Invalid(e)),
        Err(_) => ListRequest::default(),
    };
    let page = state
        .store
        .list_systems(o.id, &req.filter, req.sort, req.desc, req.page)
        .await?;
    let units = insyn_store::units_tree_order(state.store.list_units(o.id).await?);
    let holder = match req.filter.holder_id {
        Some(h) => state.store.get_person(o.id, h).await.ok(),
        None => None,
    };
    let base = format!("/o/{}/systems", o.slug);
    let sort_links = SystemSort::ALL
        .iter()
        .map(|s| {
            let current = req.sort == *s;
            let mut nq = q.clone();
            nq.sort = Some(s.as_str().to_owned());
            nq.desc = (current && !req.desc).then(|| "true".to_owned());
            nq.page = None;
            (
                s.as_str(),
                SortLink {
                    href: with_params(&base, &nq),
                    aria: match (current, req.desc) {
                        (false, _) => "none",
                        (true, false) => "ascending",
                        (true, true) => "descending",
                    },
                },
            )
        })
        .collect();
    let pages = page.pages();
    let link_to = |n: u32| {
        let mut nq = q.clone();
        nq.page = Some(n.to_string());
        with_params(&base, &nq)
    };
    let prev_href = (page.page > 1).then(|| link_to(page.page - 1));
    let next_href = (page.page < pages).then(|| link_to(page.page + 1));
    let first = if page.total == 0 {
        0
    } else {
        req.page.offset() + 1
    };
    let last = req.page.offset() + page.items.len() as i64;
    let f = &req.filter;
    let filtered = f.q.is_some()
        || f.unit_id.is_some()
        || f.lifecycle.is_some()
        || f.business_critical.is_some()
        || f.holder_id.is_some()
        || who_unknown
        || f.no_owner
        || f.include_archived
        || f.capability.is_some()
        || f.tag.is_some();
    let ranked = f.q.as_deref().is_some_and(|q| !q.trim().is_empty())
        && req.sort == SystemSort::Name
        && !req.desc;
    let p = RegisterPage {
        c: cx.chrome(Some(o), "systems"),
        q,
        total: page.total,
        total_capped: page.total_capped,
        first,
        last,
        page: page.page,
        pages,
        rows: page.items,
        units,
        who_text: match &holder {
            Some(h) if !who_unknown => h.email.clone().unwrap_or_else(|| h.name.clone()),
            _ => who_text,
        },
        who_unknown,
        holder,
        sort_links,
        prev_href,
        next_href,
        filtered,
        ranked,
    };
    Ok(if only_results {
        render(&p.as_results())
    } else {
        render(&p)
    })
}

/// Finds a person by e-mail, or by a name that only one person has.
pub(in crate::html) async fn resolve_person(
    state: &AppState,
    org: OrgId,
    text: &str,
) -> AppResult<Option<PersonId>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if let Ok(id) = text.parse::<PersonId>() {
        return Ok(state.store.get_person(org, id).await.ok().map(|p| p.id));
    }
    // "Name <mail>" as the suggestion list shows it.
    let key = text
        .rsplit_once('<')
        .map(|(_, m)| m.trim_end_matches('>').trim())
        .unwrap_or(text)
        .to_lowercase();
    let found = state
        .store
        .list_people(org, Some(&key), PageRequest::new(Some(1), Some(20)))
        .await?;
    let exact: Vec<&Person> = found
        .items
        .iter()
        .filter(|p| p.email.as_deref() == Some(key.as_str()) || p.name.to_lowercase() == key)
        .collect();
    Ok(if exact.len() == 1 {
        Some(exact[0].id)
    } else {
        None
    })
}
