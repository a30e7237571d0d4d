//! The public register (R-TRACE-2): anyone may read an organisation's
//! systems, but only the fields the organisation marks public. One function
//! builds the table, so the page and its exports show exactly the same.

use super::*;
use insyn_store::public::PublicEntry;

/// Every field the public register could show: (field kind, label key).
/// Only those marked public in the organisation are shown.
pub const PUBLIC_COLUMNS: &[(&str, &str)] = &[
    ("name", "field-name"),
    ("short_name", "field-short-name"),
    ("purpose", "field-purpose"),
    ("description", "field-description"),
    ("responsible_unit", "field-responsible-unit"),
    ("using_units", "field-using-unit-ids"),
    ("vendor", "field-vendor"),
    ("product", "field-product-id"),
    ("lifecycle", "field-lifecycle"),
    ("go_live_date", "field-go-live-date"),
    ("end_date", "field-end-date"),
    ("personal_data", "info-personal-data"),
    ("business_critical", "field-business-critical"),
    ("user_count", "field-user-count"),
    ("licences", "field-licence-model"),
    ("capabilities", "field-capabilities"),
    ("tags", "field-tags"),
    ("role_holders", "role-system-owner"),
    ("version", "field-version"),
    ("hosting", "field-hosting"),
    ("escalation_route", "field-escalation-route"),
    ("doc_links", "field-doc-links"),
    ("notes", "field-notes"),
];

fn value(e: &PublicEntry, field: &str, lang: Lang) -> String {
    let s = &e.system;
    let o = |x: &Option<String>| x.clone().unwrap_or_default();
    let yes_no = |b: bool| lang.t(if b { "yes" } else { "no" });
    match field {
        "name" => s.name.clone(),
        "short_name" => o(&s.short_name),
        "purpose" => o(&s.purpose),
        "description" => o(&s.description),
        "responsible_unit" => o(&e.responsible_unit),
        "using_units" => e.using_units.join(", "),
        "vendor" => o(&s.vendor),
        "product" => o(&e.product),
        "lifecycle" => lang.t(&format!("lifecycle-{}", s.lifecycle.as_str())),
        "go_live_date" => s.go_live_date.map(|d| d.to_string()).unwrap_or_default(),
        "end_date" => s.end_date.map(|d| d.to_string()).unwrap_or_default(),
        "personal_data" => yes_no(e.personal_data),
        "business_critical" => yes_no(s.business_critical),
        "user_count" => s.user_count.map(|n| n.to_string()).unwrap_or_default(),
        "licences" => match (&s.licence_model, s.licence_count) {
            (Some(m), Some(n)) => format!("{m} ({n})"),
            (Some(m), None) => m.clone(),
            (None, Some(n)) => n.to_string(),
            (None, None) => String::new(),
        },
        "capabilities" => s.capabilities.join(", "),
        "tags" => s.tags.join(", "),
        "role_holders" => e.owners.join(", "),
        "version" => o(&s.version),
        "hosting" => lang.t(&format!("hosting-{}", s.hosting.as_str())),
        "escalation_route" => o(&s.escalation_route),
        "doc_links" => s
            .doc_links
            .iter()
            .map(|l| l.url.clone())
            .collect::<Vec<_>>()
            .join(" "),
        "notes" => o(&s.notes),
        _ => String::new(),
    }
}

/// The public part of the register: headers (in the user's language), the
/// field kinds shown, and one row per system. Secret fields never enter it.
pub fn public_table(
    entries: &[PublicEntry],
    secrecy: &[(String, bool)],
    lang: Lang,
) -> (Vec<String>, Vec<&'static str>, Vec<Vec<String>>) {
    let is_public = |f: &str| secrecy.iter().any(|(k, secret)| k == f && !secret);
    let cols: Vec<(&'static str, &'static str)> = PUBLIC_COLUMNS
        .iter()
        .copied()
        .filter(|(f, _)| is_public(f))
        .collect();
    let headers = cols.iter().map(|(_, l)| lang.t(l)).collect();
    let keys = cols.iter().map(|(f, _)| *f).collect();
    let rows = entries
        .iter()
        .map(|e| cols.iter().map(|(f, _)| value(e, f, lang)).collect())
        .collect();
    (headers, keys, rows)
}

#[derive(Template)]
#[template(path = "public_orgs.html")]
pub(super) struct PublicOrgs {
    c: Chrome,
    orgs: Vec<Organisation>,
}

pub(super) async fn public_orgs(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
) -> AppResult<Response> {
    Ok(render(&PublicOrgs {
        c: Chrome::new(lang, &uri, None, "public"),
        orgs: state.store.list_orgs().await?,
    }))
}

#[derive(Template)]
#[template(path = "public_register.html")]
pub(super) struct PublicRegister {
    c: Chrome,
    org: Organisation,
    q: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    total: i64,
    total_capped: bool,
    prev_href: Option<String>,
    next_href: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub(super) struct PublicQuery {
    q: Option<String>,
    page: Option<u32>,
}

pub(super) async fn public_register(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    Path(org): Path<String>,
    Query(pq): Query<PublicQuery>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let mut e = FieldErrors::new();
    let search = v::search(&mut e, "q", pq.q.as_deref());
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    let q = search.clone().unwrap_or_default();
    let (page, secrecy) = state
        .store
        .public_register(o.id, search.as_deref(), PageRequest::new(pq.page, Some(50)))
        .await?;
    let (headers, _, rows) = public_table(&page.items, &secrecy, lang);
    let link = |n: u32| {
        format!(
            "/public/{}?{}",
            o.slug,
            serde_urlencoded::to_string([("q", q.as_str()), ("page", &n.to_string())])
                .unwrap_or_default()
        )
    };
    let prev_href = (page.page > 1).then(|| link(page.page - 1));
    let next_href = (page.page < page.pages()).then(|| link(page.page + 1));
    Ok(render(&PublicRegister {
        c: Chrome::new(lang, &uri, None, "public"),
        org: o,
        q,
        headers,
        rows,
        total: page.total,
        total_capped: page.total_capped,
        prev_href,
        next_href,
    }))
}

/// The whole public register of an organisation as CSV (`;`, UTF-8 with BOM) or JSON.
pub(super) async fn public_export(
    State(state): State<AppState>,
    lang: Lang,
    Path((org, file)): Path<(String, String)>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let mut entries = vec![];
    let mut secrecy = vec![];
    let mut page = 1;
    loop {
        let (p, applied) = state
            .store
            .public_register(
                o.id,
                None,
                PageRequest::new(Some(page), Some(PageRequest::MAX_SIZE)),
            )
            .await?;
        let last = p.page >= p.pages();
        entries.extend(p.items);
        secrecy = applied;
        if last {
            break;
        }
        page += 1;
    }
    let (headers, keys, rows) = public_table(&entries, &secrecy, lang);
    match file.as_str() {
        "register.json" => {
            let items: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    serde_json::Value::Object(
                        keys.iter()
                            .zip(r)
                            .map(|(k, v)| ((*k).to_owned(), serde_json::Value::String(v.clone())))
                            .collect(),
                    )
                })
                .collect();
            let body =
                serde_json::json!({ "organisation": o.name, "items": items, "total": items.len() });
            Ok((
                [(header::CONTENT_TYPE, "application/json")],
                body.to_string(),
            )
                .into_response())
        }
        "register.csv" => {
            let out = insyn_io::write_csv(&headers, &rows);
            let disposition = format!("attachment; filename=\"{}-systemregister.csv\"", o.slug);
            Ok((
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                out,
            )
                .into_response())
        }
        _ => Err(AppError::NotFound),
    }
}

/// The label key of each kind of field that can be marked secret.
pub fn secrecy_label(field: &str) -> &'static str {
    match field {
        "classification" => "security-levels",
        "security_plan" => "plan-title",
        "approval" => "approval-title",
        f => PUBLIC_COLUMNS
            .iter()
            .find(|(k, _)| *k == f)
            .map(|(_, l)| *l)
            .unwrap_or("field-notes"),
    }
}

#[derive(Template)]
#[template(path = "secrecy.html")]
pub(super) struct SecrecyPage {
    c: Chrome,
    fields: Vec<(String, bool)>,
    saved: bool,
}

impl SecrecyPage {
    pub fn label(&self, field: &str) -> String {
        self.c.t(secrecy_label(field))
    }
}

#[derive(serde::Deserialize, Default)]
pub(super) struct Saved {
    saved: Option<String>,
}

pub(super) async fn secrecy_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    Path(org): Path<String>,
    Query(q): Query<Saved>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let fields = state.store.field_secrecy(o.id).await?;
    Ok(render(&SecrecyPage {
        c: Chrome::new(lang, &uri, Some(o), "org"),
        fields,
        saved: q.saved.is_some(),
    }))
}

/// Every kind of field is public unless its box is ticked.
pub(super) async fn save_secrecy(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    Path(org): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let form = FormData::parse(&body);
    let fields: Vec<(String, bool)> = insyn_domain::security::FIELD_SECRECY_DEFAULTS
        .iter()
        .map(|(f, _)| ((*f).to_owned(), form.all("secret").contains(f)))
        .collect();
    state.store.set_field_secrecy(&actor, o.id, &fields).await?;
    Ok(Redirect::to(&format!("/o/{}/settings/secrecy?saved=1", o.slug)).into_response())
}
