//! insyn's spreadsheet and CSV import and export. A pure library: bytes in,
//! rows and normalised records out; strings in, .xlsx and .csv bytes out.
//! No database, no HTTP, no async.
//!
//! Import is three steps, so that the web layer can show and adjust each:
//! [`read_table`] (the first sheet or the CSV as cells), [`find_header`]
//! (which row is the header and which column is which [`Field`]) and
//! [`parse_rows`] (normalised [`Record`]s with [`Issue`]s per row and column).

mod header;
mod hr;
mod it_service;
mod limits;
mod normalise;
mod parse;
mod read;
mod roster;
mod scan;
mod write;

#[cfg(test)]
mod limit_tests;
#[cfg(test)]
mod testdata;

#[doc(hidden)]
pub mod bombs;

pub use header::{Field, Header, find_header, header_key};
pub use hr::{HR_NO_EMAIL, HR_UNKNOWN_STATUS, HrColumn, HrFile, HrIssue, read_hr_file};
pub use it_service::{FollowUpColumn, FollowUpFile, FollowUpIssue, read_follow_ups};
pub use limits::{LIMITS, Limit, Limits, OverLimit, cell_name, human_bytes};
pub use normalise::{
    Outcome, parse_bool, parse_date, parse_hosting, parse_integer, parse_lifecycle, parse_people,
};
pub use parse::{ISSUE_CODES, Issue, PersonCell, Record, Severity, Values, parse_rows};
pub use read::{Cell, ReadError, read_table, read_table_unguarded};
pub use roster::{
    ROSTER_INVALID_EMAIL, ROSTER_NO_ACCOUNT, RosterColumn, RosterIssue, UserList, read_user_list,
};
pub use write::{WriteError, neutralise_formula, write_csv, write_xlsx};

use serde::Serialize;

/// A file format that can be imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Xlsx,
    Ods,
    Csv,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Ods => "ods",
            Format::Csv => "csv",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// Compound File (old .xls, or an encrypted .xlsx): not supported.
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
const ODS_MEDIA_TYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// The format of an uploaded file, by its magic bytes first and its
/// extension second. `None` for anything that is not .xlsx, .ods or text
/// (old binary .xls, encrypted workbooks, text documents, images, …).
pub fn detect_format(file_name: &str, bytes: &[u8]) -> Option<Format> {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.trim().to_ascii_lowercase());
    let ext = ext.as_deref();
    if bytes.starts_with(ZIP_MAGIC) {
        // An OpenDocument file starts with an uncompressed "mimetype" entry.
        let head = &bytes[..bytes.len().min(256)];
        if contains(head, ODS_MEDIA_TYPE) {
            return Some(Format::Ods);
        }
        if contains(bytes, b"xl/workbook.xml") {
            return Some(Format::Xlsx);
        }
        return match ext {
            Some("ods") => Some(Format::Ods),
            Some("xlsx" | "xlsm") => Some(Format::Xlsx),
            _ => None,
        };
    }
    if bytes.starts_with(OLE_MAGIC) {
        return None;
    }
    match ext {
        Some("xlsx" | "xlsm" | "ods" | "xls") => None,
        Some("csv" | "txt" | "tsv") => Some(Format::Csv),
        _ if !bytes.is_empty() && looks_like_text(bytes) => Some(Format::Csv),
        _ => None,
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Text has no NUL bytes (UTF-16 with a BOM is text too) and few control characters.
fn looks_like_text(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return true;
    }
    let head = &bytes[..bytes.len().min(4096)];
    !head
        .iter()
        .any(|&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)))
}

/// Reads a spreadsheet file into records: format, table, header and rows in
/// one step. The error's [`ReadError::code`] is a message key
/// (`import-unreadable-file`, `import-no-header`, `import-limit-rows`, …)
/// and [`ReadError::args`] its arguments.
pub fn parse_file(file_name: &str, bytes: &[u8]) -> Result<Vec<Record>, ReadError> {
    parse_file_mapped(file_name, bytes, &Default::default(), None).map(|(_, r)| r)
}

/// Like [`parse_file`], with an organisation's remembered mapping applied
/// to the header found ([`Header::remembered`]), or with an explicit mapping
/// of every column (as adjusted on the dry-run page). Returns the header used too.
pub fn parse_file_mapped(
    file_name: &str,
    bytes: &[u8],
    remembered: &std::collections::HashMap<String, Option<Field>>,
    explicit: Option<&[Option<Field>]>,
) -> Result<(Header, Vec<Record>), ReadError> {
    let format = detect_format(file_name, bytes).ok_or(ReadError::Unrecognised)?;
    let rows = read_table(format, bytes)?;
    let mut header = find_header(&rows)
        .ok_or(ReadError::NoHeader)?
        .remembered(remembered);
    if let Some(cols) = explicit {
        header.columns = (0..header.columns.len())
            .map(|i| cols.get(i).copied().flatten())
            .collect();
    }
    let records = parse_rows(&rows, &header);
    Ok((header, records))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_formats_by_magic_and_extension() {
        let xlsx = write_xlsx(&["Namn".into()], &[vec!["A".into()]]).unwrap();
        assert_eq!(detect_format("x.xlsx", &xlsx), Some(Format::Xlsx));
        assert_eq!(detect_format("renamed.bin", &xlsx), Some(Format::Xlsx));
        assert_eq!(detect_format("wrong.ods", &xlsx), Some(Format::Xlsx));
        let ods = std::fs::read(testdata::path("asr-messy.ods")).unwrap();
        assert_eq!(detect_format("ASR.ODS", &ods), Some(Format::Ods));
        assert_eq!(detect_format("noext", &ods), Some(Format::Ods));
        assert_eq!(
            detect_format("a.csv", b"Namn;Kontor\r\nA;B"),
            Some(Format::Csv)
        );
        assert_eq!(detect_format("a.csv", b""), Some(Format::Csv));
        assert_eq!(
            detect_format("export", b"Namn,Kontor\nA,B"),
            Some(Format::Csv)
        );
        assert_eq!(detect_format("a.xlsx", b"Namn;Kontor"), None);
        assert_eq!(detect_format("old.xls", OLE_MAGIC), None);
        assert_eq!(detect_format("a.csv", OLE_MAGIC), None);
        assert_eq!(detect_format("img.png", b"\x89PNG\r\n\x1a\n\0\0"), None);
        assert_eq!(detect_format("other.zip", b"PK\x03\x04rest"), None);
    }
}
