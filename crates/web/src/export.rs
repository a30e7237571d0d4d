//! Exports of an organisation's register: .xlsx, .csv and JSON, with headers
//! that the import recognises, so that an export can be imported again.

use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use insyn_domain::*;
use insyn_store::Store;
use std::collections::HashMap;

/// Column header keys, in order; each is a message key (the Swedish labels
/// are among the import's synonyms).
const COLUMNS: &[&str] = &[
    "field-name",
    "field-short-name",
    "field-description",
    "field-purpose",
    "field-responsible-unit",
    "field-vendor",
    "field-product-id",
    "field-version",
    "field-hosting",
    "field-user-count",
    "field-business-critical",
    "field-lifecycle",
    "field-go-live-date",
    "field-end-date",
    "field-licence-model",
    "field-licence-count",
    "field-escalation-route",
    "field-doc-links",
    "field-capabilities",
    "field-tags",
    "field-notes",
];

/// Role columns: (role code, the role's name in the header).
const ROLE_COLUMNS: &[&str] = &[
    SYSTEM_OWNER,
    "system_manager",
    "system_responsible",
    "system_administrator",
    "system_contact",
];

/// Every active system of the organisation as a table of text.
pub async fn register_table(
    store: &Store,
    org: OrgId,
    lang: Lang,
) -> AppResult<(Vec<String>, Vec<Vec<String>>)> {
    register_table_with(store, org, lang, |_, _| async {}).await
}

/// [`register_table`], telling `progress` (systems read, of how many)
/// after each page of [`PageRequest::MAX_SIZE`] systems: an export job's
/// progress.
pub async fn register_table_with<F, Fut>(
    store: &Store,
    org: OrgId,
    lang: Lang,
    mut progress: F,
) -> AppResult<(Vec<String>, Vec<Vec<String>>)>
where
    F: FnMut(usize, i64) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let role_types = store.list_role_types(org).await?;
    let mut headers: Vec<String> = COLUMNS.iter().map(|k| lang.t(k)).collect();
    for code in ROLE_COLUMNS {
        if let Some(rt) = role_types.iter().find(|r| r.code == *code) {
            headers.push(rt.name(lang.code()).to_owned());
        }
    }
    let units: HashMap<UnitId, String> = store
        .list_units(org)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let products: HashMap<ProductId, String> = store
        .list_products()
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    // Every person and every current holder once, not one query per system.
    let people: HashMap<PersonId, String> = every_page(|page| store.list_people(org, None, page))
        .await?
        .into_iter()
        .map(|person| {
            let cell = match person.email {
                Some(e) => format!("{} <{e}>", person.name),
                None => person.name,
            };
            (person.id, cell)
        })
        .collect();
    let mut holders: HashMap<(SystemId, String), Vec<String>> = HashMap::new();
    let assignments = every_page(|page| store.list_assignments(org, None, page)).await?;
    for a in assignments.into_iter().filter(|a| a.current) {
        if let (Some(s), Some(cell)) = (a.assignment.system_id, people.get(&a.assignment.person_id))
        {
            holders
                .entry((s, a.role_code))
                .or_default()
                .push(cell.clone());
        }
    }
    let filter = SystemFilter::default();
    let mut systems = vec![];
    let mut page = 1;
    loop {
        let p = store
            .list_full_systems(
                org,
                &filter,
                SystemSort::Name,
                false,
                PageRequest::new(Some(page), Some(PageRequest::MAX_SIZE)),
            )
            .await?;
        let last = p.page >= p.pages();
        systems.extend(p.items);
        progress(systems.len(), p.total).await;
        if last {
            break;
        }
        page += 1;
    }
    let mut rows = vec![];
    for s in systems {
        let o = |x: &Option<String>| x.clone().unwrap_or_default();
        let mut row = vec![
            s.name.clone(),
            o(&s.short_name),
            o(&s.description),
            o(&s.purpose),
            s.responsible_unit_id
                .and_then(|u| units.get(&u).cloned())
                .unwrap_or_default(),
            o(&s.vendor),
            s.product_id
                .and_then(|p| products.get(&p).cloned())
                .unwrap_or_default(),
            o(&s.version),
            lang.t(&format!("hosting-{}", s.hosting.as_str())),
            s.user_count.map(|n| n.to_string()).unwrap_or_default(),
            lang.t(if s.business_critical { "yes" } else { "no" }),
            lang.t(&format!("lifecycle-{}", s.lifecycle.as_str())),
            s.go_live_date.map(|d| d.to_string()).unwrap_or_default(),
            s.end_date.map(|d| d.to_string()).unwrap_or_default(),
            o(&s.licence_model),
            s.licence_count.map(|n| n.to_string()).unwrap_or_default(),
            o(&s.escalation_route),
            s.doc_links
                .iter()
                .map(|l| l.url.clone())
                .collect::<Vec<_>>()
                .join("\n"),
            s.capabilities.join(", "),
            s.tags.join(", "),
            o(&s.notes),
        ];
        for code in ROLE_COLUMNS {
            if role_types.iter().any(|r| r.code == *code) {
                let mut cells = holders
                    .get(&(s.id, (*code).to_owned()))
                    .cloned()
                    .unwrap_or_default();
                cells.sort();
                row.push(cells.join("\n"));
            }
        }
        rows.push(row);
    }
    Ok((headers, rows))
}

/// Every item of a paged list, asked for a page at a time at the largest size.
async fn every_page<T, F, Fut>(mut list: F) -> AppResult<Vec<T>>
where
    F: FnMut(PageRequest) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>, insyn_store::StoreError>>,
{
    let mut items = vec![];
    let mut page = 1;
    loop {
        let p = list(PageRequest::new(Some(page), Some(PageRequest::MAX_SIZE))).await?;
        let last = p.page >= p.pages();
        items.extend(p.items);
        if last {
            return Ok(items);
        }
        page += 1;
    }
}

/// The register as a file: `xlsx`, `csv` or `json`.
pub async fn register_file(
    store: &Store,
    org: OrgId,
    format: &str,
    lang: Lang,
) -> AppResult<Vec<u8>> {
    if media_of(format).is_none() {
        return Err(unknown_format(format));
    }
    let (headers, rows) = register_table(store, org, lang).await?;
    table_bytes(&headers, &rows, format)
}

fn unknown_format(format: &str) -> AppError {
    AppError::BadRequest(format!("unknown format {format:?}: use xlsx, csv or json"))
}

/// The format of a register file's name (`register.xlsx` → `xlsx`), none
/// for another name.
pub fn register_format(file: &str) -> Option<&'static str> {
    match file {
        "register.xlsx" => Some("xlsx"),
        "register.csv" => Some("csv"),
        "register.json" => Some("json"),
        _ => None,
    }
}

/// The media type of a register file's format.
pub fn media_of(format: &str) -> Option<&'static str> {
    match format {
        "xlsx" => Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "csv" => Some("text/csv; charset=utf-8"),
        "json" => Some("application/json"),
        _ => None,
    }
}

/// The name a register file of `org` is saved under: `<slug>-register.xlsx`.
pub fn register_file_name(org: &Organisation, file: &str) -> String {
    format!("{}-{file}", org.slug)
}

/// A table of text as a file: `xlsx`, `csv` or `json` (CPU-bound: at
/// 100,000 rows, call it off the async workers).
pub fn table_bytes(headers: &[String], rows: &[Vec<String>], format: &str) -> AppResult<Vec<u8>> {
    match format {
        "xlsx" => insyn_io::write_xlsx(headers, rows).map_err(|e| {
            tracing::error!(error = ?e, "writing xlsx");
            AppError::Internal
        }),
        "csv" => Ok(insyn_io::write_csv(headers, rows)),
        "json" => {
            let items: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    serde_json::Value::Object(
                        headers
                            .iter()
                            .zip(r)
                            .map(|(h, v)| (h.clone(), serde_json::Value::String(v.clone())))
                            .collect(),
                    )
                })
                .collect();
            Ok(serde_json::to_vec_pretty(
                &serde_json::json!({ "items": items, "total": items.len() }),
            )
            .unwrap_or_default())
        }
        _ => Err(unknown_format(format)),
    }
}

/// A file to save: its media type, the name it is saved under, its content.
pub fn download(
    media: &str,
    name: &str,
    body: impl axum::response::IntoResponse,
) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, media.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// The full export of an organisation ([`insyn_store::full`]) as a JSON
/// download named `<slug>-full-<date>.json`, for the pages and the API.
pub async fn full_export_download(
    store: &Store,
    org: &Organisation,
) -> AppResult<axum::response::Response> {
    let (name, _, bytes) = full_export_file(store, org).await?;
    Ok(download("application/json", &name, bytes))
}

/// The full export of an organisation: its file's name, its records
/// (rows of every section) and its bytes.
pub async fn full_export_file(
    store: &Store,
    org: &Organisation,
) -> AppResult<(String, usize, Vec<u8>)> {
    let doc = store.export_full(org.id).await?;
    let name = format!(
        "{}-full-{}.json",
        org.slug,
        doc.exported_at.format("%Y-%m-%d")
    );
    let rows = doc.sections.values().map(Vec::len).sum();
    Ok((name, rows, doc.to_json()))
}
