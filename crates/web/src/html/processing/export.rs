//! One controller's record of processing as an .xlsx: one row per record,
//! one column per art. 30(1) item (and the legal basis, the DPIA and the
//! systems beside them), headers in the reader's language, written by the
//! register export's writer (`insyn_io::write_xlsx`).

use super::{ControllerQuery, basis_word, dpia_word, of_controller};
use crate::context::OrgPath;
use crate::error::{AppError, AppResult};
use crate::html::{Cx, Query};
use crate::i18n::Lang;
use axum::response::Response;
use insyn_domain::processing::ProcessingRecord;

/// The columns' message keys, in order.
pub const COLUMNS: &[&str] = &[
    "processing-name",
    "processing-controller",
    "processing-contact",
    "processing-purposes",
    "processing-legal-basis",
    "processing-legal-reference",
    "processing-data-subjects",
    "processing-data-categories",
    "processing-sensitive",
    "processing-offences",
    "processing-personal-numbers",
    "processing-recipients",
    "processing-processors",
    "processing-transfers",
    "processing-retention",
    "processing-measures",
    "processing-dpia",
    "processing-dpia-reason",
    "processing-dpia-date",
    "processing-dpia-result",
    "processing-dpia-next-review",
    "processing-systems",
    "processing-missing",
];

fn text(t: &Option<String>) -> String {
    t.clone().unwrap_or_default()
}

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// The records as a table of text, one row each.
pub fn table(lang: Lang, records: &[ProcessingRecord]) -> (Vec<String>, Vec<Vec<String>>) {
    let headers = COLUMNS.iter().map(|k| lang.t(k)).collect();
    let yes_no = |b: bool| lang.t(if b { "yes" } else { "no" });
    let rows = records
        .iter()
        .map(|r| {
            let d = &r.draft;
            let transfers = d
                .transfers
                .iter()
                .map(|t| match &t.mechanism {
                    Some(m) => format!("{} ({m})", t.country),
                    None => t.country.clone(),
                })
                .collect::<Vec<_>>()
                .join("; ");
            let systems = r
                .systems
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            // The free-text processors, then those with an agreement.
            let processors = d
                .processors
                .iter()
                .cloned()
                .chain(
                    r.processor_agreements
                        .iter()
                        .map(|a| a.supplier_name.clone()),
                )
                .collect::<Vec<_>>()
                .join("; ");
            let missing = r
                .missing
                .iter()
                .map(|k| lang.t(k))
                .collect::<Vec<_>>()
                .join("; ");
            vec![
                d.name.clone(),
                r.controller.clone(),
                text(&d.contact),
                text(&d.purposes),
                d.legal_basis
                    .map(|b| basis_word(lang, b))
                    .unwrap_or_default(),
                text(&d.legal_reference),
                text(&d.data_subjects),
                text(&d.data_categories),
                yes_no(d.sensitive_data),
                yes_no(d.offence_data),
                yes_no(d.personal_numbers),
                text(&d.recipients),
                processors,
                transfers,
                text(&d.retention),
                text(&d.security_measures),
                dpia_word(lang, d.dpia_required),
                text(&d.dpia_reason),
                date(d.dpia_date),
                text(&d.dpia_result),
                date(d.dpia_next_review),
                systems,
                missing,
            ]
        })
        .collect();
    (headers, rows)
}

/// `registerforteckning.xlsx` of one controller.
pub(in crate::html) async fn export_xlsx(
    cx: Cx,
    at: OrgPath,
    Query(q): Query<ControllerQuery>,
) -> AppResult<Response> {
    let (_, records) = of_controller(&cx, &at, &q).await?;
    let (headers, rows) = table(cx.lang, &records);
    let bytes = insyn_io::write_xlsx(&headers, &rows).map_err(|e| {
        tracing::error!(error = ?e, "writing the record of processing as xlsx");
        AppError::Internal
    })?;
    Ok(crate::export::download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "registerforteckning.xlsx",
        bytes,
    ))
}
