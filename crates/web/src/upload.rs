//! Receiving an uploaded spreadsheet, shared by the register import's pages,
//! the user-list import and the HR file import (pages and API): the size limit, the one file
//! field of a multipart form, reading off the async workers, and the
//! answer for a file that cannot be read.

use crate::error::AppError;
use crate::i18n::Lang;
use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;
use axum::http::StatusCode;
use insyn_domain::FieldErrors;
use insyn_domain::access::RosterRowIssue;
use insyn_domain::validation as v;
use insyn_io::{ReadError, RosterColumn};

/// The largest upload the server takes: the request body limit
/// (`DefaultBodyLimit` in `crate::router`), named here for the message that
/// refuses a larger file.
pub const UPLOAD_LIMIT_BYTES: u64 = 2 * 1024 * 1024;

/// Uploaded files are read two at a time, on blocking threads: reading a
/// workbook is CPU work (unzipping, XML) that must not hold up the async
/// workers serving everyone else, and within [`insyn_io::LIMITS`] each
/// reading still takes some memory and time.
static READING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Runs `read` (a reading of an uploaded file) off the async workers (see
/// [`READING`]); a reader that panics refuses the file and the server goes on.
pub async fn off_thread<T: Send + 'static>(
    read: impl FnOnce() -> Result<T, ReadError> + Send + 'static,
) -> Result<T, ReadError> {
    let _permit = READING
        .acquire()
        .await
        .map_err(|e| ReadError::Spreadsheet(e.to_string()))?;
    tokio::task::spawn_blocking(read).await.unwrap_or_else(|e| {
        tracing::error!("reading an uploaded file failed: {e}");
        Err(ReadError::Spreadsheet(e.to_string()))
    })
}

/// Whether a file cannot be read because it is over the size limit.
pub fn too_large(e: &ReadError) -> bool {
    matches!(e.over_limit(), Some(o) if o.limit == insyn_io::Limit::FileBytes)
}

/// The status and message (in the user's language) for a file that cannot
/// be imported: 413 for a file over the size limit, 422 for anything else
/// (not a spreadsheet, no header row, over a limit on its content).
pub fn refusal(lang: Lang, e: &ReadError) -> (StatusCode, String) {
    let status = if too_large(e) {
        StatusCode::PAYLOAD_TOO_LARGE
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, lang.t_args(e.code(), &e.args()))
}

/// A form's upload that cannot be taken.
#[derive(Debug)]
pub enum UploadError {
    /// Over [`UPLOAD_LIMIT_BYTES`].
    TooLarge,
    /// The file's bytes could not be read off the request.
    Broken(String),
}

/// The form's `file` field: its name and bytes, or `None` when no
/// (non-empty) file was chosen; `fields` gets every other text field.
pub async fn file_field(
    multipart: &mut Multipart,
    mut fields: impl FnMut(&str, String),
) -> Result<Option<(String, Vec<u8>)>, UploadError> {
    let mut file = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(UploadError::TooLarge);
            }
            // A malformed form: as if no file was chosen.
            Err(_) => break,
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("").to_owned();
            let bytes = match field.bytes().await {
                Ok(b) => b,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return Err(UploadError::TooLarge);
                }
                Err(e) => return Err(UploadError::Broken(e.to_string())),
            };
            file = Some((file_name, bytes.to_vec()));
        } else if let Ok(text) = field.text().await {
            fields(&name, text);
        }
    }
    Ok(file.filter(|(_, b)| !b.is_empty()))
}

/// Reads an uploaded user list off the async workers, and the problems of
/// its rows as the import reports them (merged with the store's, by row).
pub async fn user_list(
    name: &str,
    bytes: &[u8],
) -> Result<(insyn_io::UserList, Vec<RosterRowIssue>), ReadError> {
    let (name, bytes) = (name.to_owned(), bytes.to_vec());
    let list = off_thread(move || insyn_io::read_user_list(&name, &bytes)).await?;
    let issues = list
        .issues
        .iter()
        .map(|i| RosterRowIssue {
            row: i.row,
            column: column_key(i.column).to_owned(),
            code: i.code.to_owned(),
            value: i.value.clone(),
        })
        .collect();
    Ok((list, issues))
}

/// A user list's column as the report names it.
fn column_key(c: RosterColumn) -> &'static str {
    match c {
        RosterColumn::Account => "account",
        RosterColumn::Email => "email",
        RosterColumn::Name => "name",
        RosterColumn::Profile => "profile",
    }
}

/// The reader's and the store's problems together, by row.
pub fn merge_issues(issues: &mut Vec<RosterRowIssue>, mut read: Vec<RosterRowIssue>) {
    read.append(issues);
    read.sort_by_key(|i| i.row);
    *issues = read;
}

/// Each row problem as a sentence in the user's language; the column's
/// name is the message `{columns}-{column}` (`roster-column`, `hr-column`).
pub fn issue_lines(lang: Lang, issues: &[RosterRowIssue], columns: &str) -> Vec<String> {
    issues
        .iter()
        .map(|i| {
            lang.t_args(
                "roster-issue",
                &[
                    ("row", i.row.to_string()),
                    ("column", lang.t(&format!("{columns}-{}", i.column))),
                    ("message", lang.t(&i.code)),
                ],
            )
        })
        .collect()
}

/// Reads an uploaded HR file (personalfil) off the async workers, and the
/// problems of its rows as the import reports them.
pub async fn hr_file(
    name: &str,
    bytes: &[u8],
) -> Result<(insyn_io::HrFile, Vec<RosterRowIssue>), ReadError> {
    let (name, bytes) = (name.to_owned(), bytes.to_vec());
    let file = off_thread(move || insyn_io::read_hr_file(&name, &bytes)).await?;
    let issues = file
        .issues
        .iter()
        .map(|i| RosterRowIssue {
            row: i.row,
            column: i.column.key().to_owned(),
            code: i.code.to_owned(),
            value: i.value.clone(),
        })
        .collect();
    Ok((file, issues))
}

/// The API's uploaded file (the multipart field `file`), or the problem:
/// not a multipart body, no file, or one over the size limit.
pub async fn api_file(
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(String, Vec<u8>), AppError> {
    // Not a multipart body (or no boundary): a problem document like every
    // other refusal, not the extractor's plain text.
    let mut multipart =
        multipart.map_err(|e| AppError::BadRequest(format!("upload: {}", e.body_text())))?;
    match file_field(&mut multipart, |_, _| {}).await {
        Ok(Some(f)) => Ok(f),
        Ok(None) => Err(AppError::Invalid(FieldErrors::single("file", v::REQUIRED))),
        Err(UploadError::TooLarge) => Err(AppError::TooLarge),
        Err(UploadError::Broken(e)) => Err(AppError::BadRequest(format!("upload: {e}"))),
    }
}

/// The API's answer to a file that cannot be read: 413 over the size
/// limit, else 422 naming the field `file` and why.
pub fn api_refusal(e: ReadError) -> AppError {
    if too_large(&e) {
        AppError::TooLarge
    } else {
        AppError::Invalid(FieldErrors::single("file", e.code()))
    }
}

/// The limits an uploaded file must keep to (see [`insyn_io::LIMITS`]), as
/// the upload forms say them.
pub fn limits_hint(lang: Lang) -> String {
    let l = insyn_io::LIMITS;
    lang.t_args(
        "import-limits-hint",
        &[
            ("size", insyn_io::human_bytes(UPLOAD_LIMIT_BYTES)),
            ("rows", l.rows.to_string()),
            ("columns", l.columns.to_string()),
        ],
    )
}

/// A page's uploaded file, or the status and message (in the user's
/// language) the page shows instead: no file chosen, or one too large.
pub async fn page_file(
    lang: Lang,
    multipart: &mut Multipart,
) -> Result<Result<(String, Vec<u8>), (StatusCode, String)>, crate::error::AppError> {
    page_file_with(lang, multipart, |_, _| {}).await
}

/// [`page_file`], giving `fields` every other text field of the form.
pub async fn page_file_with(
    lang: Lang,
    multipart: &mut Multipart,
    fields: impl FnMut(&str, String),
) -> Result<Result<(String, Vec<u8>), (StatusCode, String)>, crate::error::AppError> {
    match file_field(multipart, fields).await {
        Ok(Some(f)) => Ok(Ok(f)),
        Ok(None) => Ok(Err((
            StatusCode::UNPROCESSABLE_ENTITY,
            lang.t("import-choose-file"),
        ))),
        Err(UploadError::TooLarge) => Ok(Err((
            StatusCode::PAYLOAD_TOO_LARGE,
            lang.t_args(
                "import-limit-upload",
                &[("max", insyn_io::human_bytes(UPLOAD_LIMIT_BYTES))],
            ),
        ))),
        Err(UploadError::Broken(e)) => {
            Err(crate::error::AppError::BadRequest(format!("upload: {e}")))
        }
    }
}

/// The rows of an uploaded IT service follow-up file, or every problem of it by row:
/// the values that cannot be read and the drafts that are not valid.
pub async fn follow_up_rows(
    name: &str,
    bytes: &[u8],
) -> Result<
    Result<
        Vec<(usize, insyn_domain::it_service::FollowUpDraft)>,
        Vec<insyn_domain::it_service::RowError>,
    >,
    insyn_io::ReadError,
> {
    use insyn_domain::it_service::{RowError, check_rows};
    let (name, bytes) = (name.to_owned(), bytes.to_vec());
    let file = off_thread(move || insyn_io::read_follow_ups(&name, &bytes)).await?;
    let mut errors: Vec<RowError> = file
        .issues
        .iter()
        .map(|i| RowError {
            row: i.row,
            field: i.field.into(),
            code: i.code,
        })
        .collect();
    errors.extend(check_rows(file.rows.clone()).err().unwrap_or_default());
    if errors.is_empty() {
        return Ok(Ok(file.rows));
    }
    errors.sort_by_key(|e| e.row);
    Ok(Err(errors))
}
