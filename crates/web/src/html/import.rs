//! Importing a spreadsheet from the browser: upload, look at the dry run row
//! by row (and at how each column was mapped, which can be changed and is
//! remembered for the organisation's next file), then confirm. The uploaded
//! file waits in the database (30 minutes, for the user who uploaded it, see
//! `insyn_store::import::pending`) until it is confirmed, so the confirmation
//! may reach another instance than the upload.

use super::*;
use crate::auth::Principal;
use crate::context::OrgPath;
use axum::extract::Multipart;
use insyn_io::{Field, Header, ReadError, Record};
use insyn_store::import::pending::{PendingUpload, UploadFor};
use insyn_store::import::{ImportReport, ImportTarget, RowAction};

pub use crate::upload::UPLOAD_LIMIT_BYTES;
use crate::upload::{off_thread, page_file, refusal};

/// Reads an uploaded register file off the async workers.
async fn read_file(
    name: &str,
    bytes: &[u8],
    remembered: HashMap<String, Option<Field>>,
    explicit: Option<Vec<Option<Field>>>,
) -> Result<(Header, Vec<Record>), ReadError> {
    let (name, bytes) = (name.to_owned(), bytes.to_vec());
    off_thread(move || insyn_io::parse_file_mapped(&name, &bytes, &remembered, explicit.as_deref()))
        .await
}

use std::collections::HashMap;

#[derive(Template)]
#[template(path = "import.html")]
pub(super) struct ImportPage {
    c: Chrome,
    error: Option<String>,
    report: Option<ImportReport>,
    token: Option<String>,
    file_name: String,
    /// How each column of the file is mapped (empty before an upload).
    mapping: Vec<MappingRow>,
    /// Problems with a submitted mapping: (column index, message).
    mapping_errors: Vec<(usize, String)>,
}

/// One column of the file on the dry-run page.
pub(super) struct MappingRow {
    index: usize,
    /// "A", "B", … as spreadsheets name columns.
    letter: String,
    /// The title on one line.
    title: String,
    field: Option<Field>,
}

/// A spreadsheet's name of the column at 0-based `i`: A … Z, AA, AB, …
fn column_letter(mut i: usize) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, (b'A' + (i % 26) as u8) as char);
        if i < 26 {
            return s;
        }
        i = i / 26 - 1;
    }
}

fn one_line(c: &str) -> String {
    c.replace("\r\n", "\n")
        .replace("-\n", "")
        .replace('\n', " ")
        .trim()
        .to_owned()
}

fn mapping_rows(h: &Header) -> Vec<MappingRow> {
    (0..h.columns.len())
        .map(|i| MappingRow {
            index: i,
            letter: column_letter(i),
            title: one_line(h.title(i)),
            field: h.columns[i],
        })
        .collect()
}

impl ImportPage {
    pub fn action_text(&self, a: &RowAction) -> String {
        self.c.t(match a {
            RowAction::Create => "import-action-create",
            RowAction::Update => "import-action-update",
            RowAction::Unchanged => "import-action-unchanged",
            RowAction::Skip => "import-action-skip",
        })
    }

    /// The limits an uploaded file must keep to (see [`insyn_io::LIMITS`]).
    pub fn limits_hint(&self) -> String {
        crate::upload::limits_hint(self.c.lang)
    }

    /// A column title from the file on one line ("Avdel-\nning" → "Avdelning").
    pub fn column(&self, c: &str) -> String {
        one_line(c)
    }

    /// Every field a column can be mapped to, in the order of a full export.
    pub fn fields(&self) -> &'static [Field] {
        Field::ALL
    }

    pub fn selected(&self, m: &MappingRow, f: &Field) -> bool {
        m.field == Some(*f)
    }

    pub fn field_label(&self, f: &Field) -> String {
        field_label(self.c.lang, *f)
    }

    /// The accessible name of a column's select: "Column B (Systemägare)".
    pub fn select_label(&self, m: &MappingRow) -> String {
        column_name(self.c.lang, m)
    }

    pub fn error_of(&self, i: &usize) -> Option<&str> {
        self.mapping_errors
            .iter()
            .find(|(j, _)| j == i)
            .map(|(_, m)| m.as_str())
    }
}

fn field_label(lang: Lang, f: Field) -> String {
    lang.t(&format!("import-field-{}", f.key().replace('_', "-")))
}

fn column_name(lang: Lang, m: &MappingRow) -> String {
    lang.t_args(
        "import-mapping-column-name",
        &[("letter", m.letter.clone()), ("title", m.title.clone())],
    )
}

fn page(cx: &Cx, org: Organisation) -> ImportPage {
    ImportPage {
        c: cx.chrome(Some(org), "systems"),
        error: None,
        report: None,
        token: None,
        file_name: String::new(),
        mapping: vec![],
        mapping_errors: vec![],
    }
}

pub(super) async fn import_page(cx: Cx, at: OrgPath) -> AppResult<Response> {
    Ok(render(&page(&cx, at.org)))
}

/// Receives the file and shows the dry run.
pub(super) async fn upload(
    cx: Cx,
    me: Principal,
    OrgPath { org: o, .. }: OrgPath,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let (state, lang, actor) = (&cx.state, cx.lang, &cx.actor);
    let mut p = page(&cx, o.clone());
    let (name, bytes) = match page_file(lang, &mut multipart).await? {
        Ok(f) => f,
        Err((status, message)) => {
            p.error = Some(message);
            return Ok(render_status(status, &p));
        }
    };
    let remembered = state.store.import_mapping(o.id).await?;
    let (header, records) = match read_file(&name, &bytes, remembered, None).await {
        Ok(r) => r,
        Err(e) => {
            let (status, message) = refusal(lang, &e);
            p.error = Some(message);
            return Ok(render_status(status, &p));
        }
    };
    let report = state
        .store
        .import(actor, ImportTarget::Org(o.id), &name, &records, true)
        .await?;
    let pending = PendingUpload {
        columns: header.columns.clone(),
        ..PendingUpload::new(o.id, me.user.id, UploadFor::Register, name.clone(), bytes)
    };
    p.token = Some(state.store.put_upload(&pending, UPLOAD_LIMIT_BYTES).await?);
    p.mapping = mapping_rows(&header);
    p.file_name = name;
    p.report = Some(report);
    Ok(render(&p))
}

/// The mapping a submitted dry-run form chooses for a file of `n` columns:
/// each column's field from its select `col-<index>` (a field's key, or
/// empty to ignore the column), and the columns whose choice is no field.
pub fn mapping_from_form(form: &FormData, n: usize) -> (Vec<Option<Field>>, Vec<usize>) {
    let mut unknown = vec![];
    let columns = (0..n)
        .map(|i| {
            let v = form.get(&format!("col-{i}"));
            if v.is_empty() {
                return None;
            }
            let f = Field::parse(v);
            if f.is_none() {
                unknown.push(i);
            }
            f
        })
        .collect();
    (columns, unknown)
}

/// Changes how the columns are mapped, remembers the mapping for the
/// organisation, and shows the dry run again with it. Each column's select
/// is `col-<index>`: a field's key, or empty to ignore the column.
pub(super) async fn remap(
    cx: Cx,
    me: Principal,
    OrgPath { org: o, params }: OrgPath,
    form: FormData,
) -> AppResult<Response> {
    let (state, lang, actor) = (&cx.state, cx.lang, &cx.actor);
    let token = params.get("token").unwrap_or_default().to_owned();
    let mut p = page(&cx, o.clone());
    let Some((name, bytes)) = state.store.peek_upload(&token, o.id, me.user.id).await? else {
        p.error = Some(lang.t("import-expired"));
        return Ok(render_status(StatusCode::GONE, &p));
    };
    let remembered = state.store.import_mapping(o.id).await?;
    let (mut header, _) = read_file(&name, &bytes, remembered, None)
        .await
        .map_err(|e| AppError::BadRequest(e.code().to_owned()))?;
    let (columns, unknown) = mapping_from_form(&form, header.columns.len());
    header.columns = columns;
    let mut errors: Vec<(usize, String)> = unknown
        .into_iter()
        .map(|i| (i, lang.t("error-unknown-choice")))
        .collect();
    for (i, f) in header.repeated() {
        errors.push((
            i,
            lang.t_with("import-mapping-repeated", "field", field_label(lang, f)),
        ));
    }
    if header.column_of(Field::Name).is_none() && !header.columns.is_empty() {
        errors.push((0, lang.t("import-mapping-no-name")));
    }
    p.mapping = mapping_rows(&header);
    p.file_name = name.clone();
    p.token = Some(token.clone());
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.0);
        p.mapping_errors = errors
            .into_iter()
            .map(|(i, m)| (i, format!("{}: {m}", column_name(lang, &p.mapping[i]))))
            .collect();
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p));
    }
    let keys: Vec<(String, Option<Field>)> = header
        .keys()
        .into_iter()
        .zip(header.columns.iter().copied())
        .collect();
    state.store.save_import_mapping(actor, o.id, &keys).await?;
    let (_, records) = read_file(
        &name,
        &bytes,
        Default::default(),
        Some(header.columns.clone()),
    )
    .await
    .map_err(|e| AppError::BadRequest(e.code().to_owned()))?;
    let report = state
        .store
        .import(actor, ImportTarget::Org(o.id), &name, &records, true)
        .await?;
    state
        .store
        .set_upload_columns(&token, o.id, me.user.id, &header.columns)
        .await?;
    p.report = Some(report);
    Ok(render(&p))
}

/// Imports the file the user looked at in the dry run: as a job (whatever
/// its size, so there is one way an import is confirmed and followed), and
/// on to its progress page.
pub(super) async fn confirm(
    cx: Cx,
    me: Principal,
    OrgPath { org: o, params }: OrgPath,
) -> AppResult<Response> {
    let (state, lang) = (&cx.state, cx.lang);
    let token = params.get("token").unwrap_or_default().to_owned();
    let Some(pending) = state
        .store
        .take_upload(&token, o.id, me.user.id, UploadFor::Register)
        .await?
    else {
        let mut p = page(&cx, o.clone());
        p.error = Some(lang.t("import-expired"));
        return Ok(render_status(StatusCode::GONE, &p));
    };
    let job = crate::jobs::start_register_import(&state.store, cx.actor.clone(), pending).await?;
    see(format!("/o/{}/jobs/{job}", o.slug))
}
