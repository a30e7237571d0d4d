//! The public register (R-TRACE-2): anyone may read an organisation's
//! systems, but only the fields the organisation marks public. One function
//! builds the table, so the page and its exports show exactly the same.

use super::*;
use crate::context::OrgPath;
use insyn_domain::public::{PublicField, Secrecy};
use insyn_store::public::PublicEntry;

/// The label key of a kind of field.
fn label(f: PublicField) -> &'static str {
    match f {
        PublicField::Name => "field-name",
        PublicField::ShortName => "field-short-name",
        PublicField::Purpose => "field-purpose",
        PublicField::Description => "field-description",
        PublicField::ResponsibleUnit => "field-responsible-unit",
        PublicField::UsingUnits => "field-using-unit-ids",
        PublicField::Vendor => "field-vendor",
        PublicField::Product => "field-product-id",
        PublicField::Lifecycle => "field-lifecycle",
        PublicField::GoLiveDate => "field-go-live-date",
        PublicField::EndDate => "field-end-date",
        PublicField::PersonalData => "info-personal-data",
        PublicField::BusinessCritical => "field-business-critical",
        PublicField::UserCount => "field-user-count",
        PublicField::Licences => "field-licence-model",
        PublicField::Capabilities => "field-capabilities",
        PublicField::Tags => "field-tags",
        PublicField::RoleHolders => "role-system-owner",
        PublicField::Version => "field-version",
        PublicField::Hosting => "field-hosting",
        PublicField::EscalationRoute => "field-escalation-route",
        PublicField::DocLinks => "field-doc-links",
        PublicField::Notes => "field-notes",
        PublicField::Classification => "security-levels",
        PublicField::SecurityPlan => "plan-title",
        PublicField::Approval => "approval-title",
    }
}

/// One column's value for one system (the store has emptied secret fields).
fn value(e: &PublicEntry, field: PublicField, lang: Lang) -> String {
    let s = &e.system;
    let o = |x: &Option<String>| x.clone().unwrap_or_default();
    let yes_no = |b: bool| lang.t(if b { "yes" } else { "no" });
    match field {
        PublicField::Name => s.name.clone(),
        PublicField::ShortName => o(&s.short_name),
        PublicField::Purpose => o(&s.purpose),
        PublicField::Description => o(&s.description),
        PublicField::ResponsibleUnit => o(&e.responsible_unit),
        PublicField::UsingUnits => e.using_units.join(", "),
        PublicField::Vendor => o(&s.vendor),
        PublicField::Product => o(&e.product),
        PublicField::Lifecycle => lang.t(&format!("lifecycle-{}", s.lifecycle.as_str())),
        PublicField::GoLiveDate => s.go_live_date.map(|d| d.to_string()).unwrap_or_default(),
        PublicField::EndDate => s.end_date.map(|d| d.to_string()).unwrap_or_default(),
        PublicField::PersonalData => yes_no(e.personal_data),
        PublicField::BusinessCritical => yes_no(s.business_critical),
        PublicField::UserCount => s.user_count.map(|n| n.to_string()).unwrap_or_default(),
        PublicField::Licences => match (&s.licence_model, s.licence_count) {
            (Some(m), Some(n)) => format!("{m} ({n})"),
            (Some(m), None) => m.clone(),
            (None, Some(n)) => n.to_string(),
            (None, None) => String::new(),
        },
        PublicField::Capabilities => s.capabilities.join(", "),
        PublicField::Tags => s.tags.join(", "),
        PublicField::RoleHolders => e.owners.join(", "),
        PublicField::Version => o(&s.version),
        PublicField::Hosting => lang.t(&format!("hosting-{}", s.hosting.as_str())),
        PublicField::EscalationRoute => o(&s.escalation_route),
        PublicField::DocLinks => s
            .doc_links
            .iter()
            .map(|l| l.url.clone())
            .collect::<Vec<_>>()
            .join(" "),
        PublicField::Notes => o(&s.notes),
        PublicField::Classification | PublicField::SecurityPlan | PublicField::Approval => {
            String::new()
        }
    }
}

/// The public part of the register: headers (in the user's language), the
/// field kinds shown, and one row per system. Secret fields never enter it.
pub fn public_table(
    entries: &[PublicEntry],
    secrecy: &Secrecy,
    lang: Lang,
) -> (Vec<String>, Vec<&'static str>, Vec<Vec<String>>) {
    let cols: Vec<PublicField> = secrecy.columns().collect();
    let headers = cols.iter().map(|f| lang.t(label(*f))).collect();
    let keys = cols.iter().map(|f| f.as_str()).collect();
    let rows = entries
        .iter()
        .map(|e| cols.iter().map(|f| value(e, *f, lang)).collect())
        .collect();
    (headers, keys, rows)
}

#[derive(Template)]
#[template(path = "public_orgs.html")]
pub(super) struct PublicOrgs {
    c: Chrome,
    orgs: Vec<Organisation>,
}

pub(super) async fn public_orgs(cx: Cx) -> AppResult<Response> {
    Ok(render(&PublicOrgs {
        orgs: cx.store().list_orgs().await?,
        c: cx.chrome(None, "public"),
    }))
}

/// The fields the page's table gives a column of their own, when public:
/// what a citizen looks for first. Every other public field is a line of
/// the row's last cell ("Mer om systemet"), so the table fits a wide screen
/// without breaking words; the exports keep one column a field.
const MAIN_COLUMNS: &[PublicField] = &[
    PublicField::Name,
    PublicField::ShortName,
    PublicField::Purpose,
    PublicField::Description,
    PublicField::ResponsibleUnit,
    PublicField::UsingUnits,
    PublicField::Vendor,
    PublicField::Lifecycle,
];

/// One system on the page: its main columns, then its other public
/// fields that have a value, as (label, value).
pub(super) struct PublicRow {
    cells: Vec<String>,
    more: Vec<(String, String)>,
}

/// The page's table: `public_table`'s headers and rows with the fields
/// outside [`MAIN_COLUMNS`] moved into each row's `more`.
fn page_table(
    headers: Vec<String>,
    keys: &[&str],
    rows: Vec<Vec<String>>,
) -> (Vec<String>, bool, Vec<PublicRow>) {
    let main: Vec<bool> = keys
        .iter()
        .map(|k| MAIN_COLUMNS.iter().any(|f| f.as_str() == *k))
        .collect();
    let has_more = main.iter().any(|m| !m);
    let shown = headers
        .iter()
        .zip(&main)
        .filter(|(_, m)| **m)
        .map(|(h, _)| h.clone())
        .collect();
    let rows = rows
        .into_iter()
        .map(|r| {
            let (mut cells, mut more) = (vec![], vec![]);
            for ((v, h), m) in r.into_iter().zip(&headers).zip(&main) {
                if *m {
                    cells.push(v);
                } else if !v.is_empty() {
                    more.push((h.clone(), v));
                }
            }
            PublicRow { cells, more }
        })
        .collect();
    (shown, has_more, rows)
}

#[derive(Template)]
#[template(path = "public_register.html")]
pub(super) struct PublicRegister {
    c: Chrome,
    org: Organisation,
    q: String,
    headers: Vec<String>,
    /// Whether the rows have a last cell of the other public fields.
    has_more: bool,
    rows: Vec<PublicRow>,
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
    cx: Cx,
    OrgPath { org: o, .. }: OrgPath,
    Query(pq): Query<PublicQuery>,
) -> AppResult<Response> {
    let mut e = FieldErrors::new();
    let search = v::search(&mut e, "q", pq.q.as_deref());
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    let q = search.clone().unwrap_or_default();
    let (page, secrecy) = cx
        .store()
        .public_register(o.id, search.as_deref(), PageRequest::new(pq.page, Some(50)))
        .await?;
    let (headers, keys, rows) = public_table(&page.items, &secrecy, cx.lang);
    let (headers, has_more, rows) = page_table(headers, &keys, rows);
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
        c: cx.chrome(None, "public"),
        org: o,
        q,
        headers,
        has_more,
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
    OrgPath { org: o, params }: OrgPath,
) -> AppResult<Response> {
    let file = params.get("file").unwrap_or_default();
    let mut entries = vec![];
    let mut page = 1;
    let secrecy = loop {
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
        if last {
            break applied;
        }
        page += 1;
    };
    let (headers, keys, rows) = public_table(&entries, &secrecy, lang);
    match file {
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
            let name = format!("{}-systemregister.csv", o.slug);
            Ok(download("text/csv; charset=utf-8", &name, out))
        }
        _ => Err(AppError::NotFound),
    }
}

/// The label key of each kind of field that can be marked secret.
pub fn secrecy_label(field: &str) -> &'static str {
    PublicField::parse(field).map_or("field-notes", label)
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
    cx: Cx,
    OrgPath { org: o, .. }: OrgPath,
    Query(q): Query<Saved>,
) -> AppResult<Response> {
    let fields = cx.store().field_secrecy(o.id).await?;
    Ok(render(&SecrecyPage {
        c: cx.chrome(Some(o), "org"),
        fields,
        saved: q.saved.is_some(),
    }))
}

/// Every kind of field is public unless its box is ticked.
pub(super) async fn save_secrecy(
    cx: Cx,
    OrgPath { org: o, .. }: OrgPath,
    form: FormData,
) -> AppResult<Response> {
    let secret = form.all("secret");
    let fields: Vec<(String, bool)> = PublicField::ALL
        .iter()
        .map(|f| (f.as_str().to_owned(), secret.contains(&f.as_str())))
        .collect();
    cx.store()
        .set_field_secrecy(&cx.actor, o.id, &fields)
        .await?;
    see(format!("/o/{}/settings/secrecy?saved=1", o.slug))
}
