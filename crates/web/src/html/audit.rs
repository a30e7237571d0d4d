//! The audit trail of an organisation: search, and export as CSV.

use super::*;
use crate::api::AuditParams;

#[derive(Template)]
#[template(path = "audit.html")]
pub(super) struct AuditPage {
    c: Chrome,
    q: AuditParams,
    events: Vec<AuditEvent>,
    errors: FieldErrors,
    csv_href: String,
}

#[derive(serde::Deserialize)]
pub(super) struct Format {
    format: Option<String>,
}

pub(super) async fn audit_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    Path(org): Path<String>,
    Query(q): Query<AuditParams>,
    Query(f): Query<Format>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let (events, errors) = match q.parse() {
        Ok((query, limit)) => {
            let limit = if f.format.as_deref() == Some("csv") {
                100_000
            } else {
                limit
            };
            (
                state.store.search_audit(o.id, &query, limit).await?,
                FieldErrors::new(),
            )
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
        let name = format!("attachment; filename=\"insyn-audit-{}.csv\"", o.slug);
        return Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, name),
            ],
            out,
        )
            .into_response());
    }
    let mut csv_q = serde_urlencoded::to_string([
        ("actor", q.actor.clone().unwrap_or_default()),
        ("object_type", q.object_type.clone().unwrap_or_default()),
        ("from", q.from.clone().unwrap_or_default()),
        ("to", q.to.clone().unwrap_or_default()),
    ])
    .unwrap_or_default();
    csv_q.push_str("&format=csv");
    Ok(render(&AuditPage {
        csv_href: format!("/o/{}/audit?{csv_q}", o.slug),
        c: Chrome::new(lang, &uri, Some(o), "audit"),
        q,
        events,
        errors,
    }))
}
