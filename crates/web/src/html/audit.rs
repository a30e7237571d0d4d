//! The audit trail of an organisation, and the installation's own (sign-ins,
//! users, tokens, the product catalogue): search, and export as CSV.

use super::*;
use crate::context::OrgPath;
use crate::query::AuditParams;

#[derive(Template)]
#[template(path = "audit.html")]
pub(super) struct AuditPage {
    c: Chrome,
    q: AuditParams,
    events: Vec<AuditEvent>,
    errors: FieldErrors,
    csv_href: String,
    /// The kinds of object this trail holds, for the filter.
    object_types: &'static [&'static str],
}

const ORG_OBJECTS: &[&str] = &[
    "system",
    "unit",
    "person",
    "role_assignment",
    "role_type",
    "organisation",
    "product",
];
const INSTALLATION_OBJECTS: &[&str] = &["user", "api_token", "product"];

#[derive(serde::Deserialize)]
pub(super) struct Format {
    format: Option<String>,
}

pub(super) async fn audit_page(
    cx: Cx,
    at: OrgPath,
    Query(q): Query<AuditParams>,
    Query(f): Query<Format>,
) -> AppResult<Response> {
    audit_view(&cx, Some(at.org), q, f).await
}

/// `GET /admin/audit`: the installation's own trail, for its administrators.
pub(super) async fn installation_audit_page(
    cx: Cx,
    Query(q): Query<AuditParams>,
    Query(f): Query<Format>,
) -> AppResult<Response> {
    audit_view(&cx, None, q, f).await
}

async fn audit_view(
    cx: &Cx,
    o: Option<Organisation>,
    q: AuditParams,
    f: Format,
) -> AppResult<Response> {
    let (state, lang) = (&cx.state, cx.lang);
    let (events, errors) = match q.parse() {
        Ok((query, limit)) => {
            let limit = if f.format.as_deref() == Some("csv") {
                100_000
            } else {
                limit
            };
            let found = match &o {
                Some(o) => state.store.search_audit(o.id, &query, limit).await,
                None => state.store.search_installation_audit(&query, limit).await,
            };
            match found {
                Ok(events) => (events, FieldErrors::new()),
                Err(insyn_store::StoreError::Invalid(e)) => (vec![], e),
                Err(e) => return Err(e.into()),
            }
        }
        Err(e) => (vec![], e),
    };
    if f.format.as_deref() == Some("csv") {
        // Swedish Excel opens `;`-separated UTF-8 with a byte-order mark.
        let head = [
            "at",
            "actor",
            "action",
            "object_type",
            "object_id",
            "request_id",
            "changes",
        ];
        let headers: Vec<String> = head
            .iter()
            .map(|h| lang.t(&format!("audit-col-{}", h.replace('_', "-"))))
            .collect();
        let rows: Vec<Vec<String>> = events
            .iter()
            .map(|e| {
                vec![
                    e.at.to_rfc3339(),
                    e.actor.clone(),
                    e.action.clone(),
                    e.object_type.clone(),
                    e.object_id.to_string(),
                    e.request_id.clone().unwrap_or_default(),
                    insyn_store::audit::canonical(&e.changes),
                ]
            })
            .collect();
        let out = insyn_io::write_csv(&headers, &rows);
        let slug = o.as_ref().map_or("installation", |o| o.slug.as_str());
        let name = format!("insyn-audit-{slug}.csv");
        return Ok(download("text/csv; charset=utf-8", &name, out));
    }
    let mut csv_q = serde_urlencoded::to_string([
        ("actor", q.actor.clone().unwrap_or_default()),
        ("object_type", q.object_type.clone().unwrap_or_default()),
        ("from", q.from.clone().unwrap_or_default()),
        ("to", q.to.clone().unwrap_or_default()),
    ])
    .unwrap_or_default();
    csv_q.push_str("&format=csv");
    let base = match &o {
        Some(o) => format!("/o/{}/audit", o.slug),
        None => "/admin/audit".to_owned(),
    };
    Ok(render(&AuditPage {
        csv_href: format!("{base}?{csv_q}"),
        object_types: if o.is_some() {
            ORG_OBJECTS
        } else {
            INSTALLATION_OBJECTS
        },
        c: cx.chrome(o, "audit"),
        q,
        events,
        errors,
    }))
}
