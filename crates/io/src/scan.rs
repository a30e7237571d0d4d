//! The check of a workbook before the spreadsheet reader sees it: its zip
//! entry by entry (declared sizes first, then the sizes as actually
//! unpacked, counted while unpacking), and a streaming pass over the parts
//! in which a file declares counts that a reader would allocate for: an
//! .xlsx's shared string table (`uniqueCount`) and an .ods's
//! `table:number-columns-repeated` / `table:number-rows-repeated`.
//!
//! Memory here is a few buffers whatever the file says; time is bounded by
//! [`LIMITS`]`.total_bytes` of unpacking.

use crate::Format;
use crate::limits::{LIMITS, Limit, OverLimit, cell_name, check};
use crate::read::ReadError;
use quick_xml::events::{BytesStart, Event};
use std::io::{BufReader, Cursor, Read};

/// Checks a workbook (.xlsx or .ods) against [`LIMITS`] before it is read.
pub(crate) fn check_workbook(format: Format, bytes: &[u8]) -> Result<(), ReadError> {
    check(Limit::FileBytes, bytes.len() as u64)?;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ReadError::Spreadsheet(e.to_string()))?;
    check(Limit::ZipEntries, zip.len() as u64)?;

    // Declared sizes first: a refusal without unpacking anything.
    let mut declared_total = 0u64;
    for i in 0..zip.len() {
        let Ok(f) = zip.by_index_raw(i) else { continue };
        let name = f.name().map(|n| n.into_owned()).unwrap_or_default();
        declared(&name, f.size(), f.compressed_size())?;
        declared_total = declared_total.saturating_add(f.size());
        check(Limit::TotalBytes, declared_total)?;
    }

    // Then as unpacked: a zip's declared sizes are the file's word only.
    let mut total = 0u64;
    for i in 0..zip.len() {
        let f = match zip.by_index(i) {
            Ok(f) => f,
            // Encrypted or an unsupported method: the reader cannot unpack it either.
            Err(_) => continue,
        };
        let name = f.name().map(|n| n.into_owned()).unwrap_or_default();
        let packed = f.compressed_size();
        let lower = name.to_ascii_lowercase();
        let kind = match format {
            Format::Xlsx if lower.ends_with("sharedstrings.xml") => Part::SharedStrings,
            Format::Xlsx if lower.ends_with(".xml") => Part::XlsxXml,
            Format::Ods if name == "content.xml" => Part::OdsContent,
            _ => Part::Other,
        };
        let mut counted = Counted {
            inner: f,
            read: 0,
            cap: LIMITS.entry_bytes.min(LIMITS.total_bytes - total),
            packed,
            over: None,
        };
        let scanned = match kind {
            Part::SharedStrings => shared_strings(&mut counted),
            Part::XlsxXml => cell_references(&mut counted),
            Part::OdsContent => ods_content(&mut counted),
            Part::Other => Ok(()),
        }
        .and_then(|()| {
            // The rest, counted (a pass may stop before the end).
            std::io::copy(&mut counted, &mut std::io::sink())
                .map(|_| ())
                .map_err(ScanError::Io)
        });
        if let Some(limit) = counted.over {
            let found = match limit {
                Limit::TotalBytes => total + counted.read,
                Limit::Ratio => counted.read / packed.max(1),
                _ => counted.read,
            };
            return Err(OverLimit::new(limit, found).at(name).into());
        }
        match scanned {
            Ok(()) => {}
            Err(ScanError::Over(e)) => return Err(e.at_entry(&name).into()),
            Err(ScanError::Io(e)) => return Err(ReadError::Spreadsheet(format!("{name}: {e}"))),
            Err(ScanError::Xml(e)) => return Err(ReadError::Spreadsheet(format!("{name}: {e}"))),
            Err(ScanError::Unending(e) | ScanError::Malformed(e)) => {
                return Err(ReadError::Spreadsheet(format!("{name}: {e}")));
            }
        }
        total += counted.read;
    }
    Ok(())
}

fn declared(name: &str, size: u64, packed: u64) -> Result<(), OverLimit> {
    check(Limit::EntryBytes, size).map_err(|e| e.at(name))?;
    if size > LIMITS.ratio_from_bytes {
        check(Limit::Ratio, size / packed.max(1)).map_err(|e| e.at(name))?;
    }
    Ok(())
}

enum Part {
    SharedStrings,
    /// Another XML part of an .xlsx: a sheet, wherever the workbook puts it.
    XlsxXml,
    OdsContent,
    Other,
}

/// A zip entry's reader that counts what it unpacks and stops (with an
/// error the XML reader passes on) at the entry and total caps, or as soon
/// as the unpacked size is over [`LIMITS`]`.ratio` times the packed size.
struct Counted<R> {
    inner: R,
    read: u64,
    cap: u64,
    packed: u64,
    over: Option<Limit>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.over.is_some() {
            return Err(std::io::Error::other("over a limit"));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.cap {
            self.over = Some(if self.cap < LIMITS.entry_bytes {
                Limit::TotalBytes
            } else {
                Limit::EntryBytes
            });
        } else if self.read > LIMITS.ratio_from_bytes
            && self.read / self.packed.max(1) > LIMITS.ratio
        {
            self.over = Some(Limit::Ratio);
        }
        if self.over.is_some() {
            return Err(std::io::Error::other("over a limit"));
        }
        Ok(n)
    }
}

enum ScanError {
    Over(Box<OverLimit>),
    Io(std::io::Error),
    Xml(quick_xml::Error),
    /// A part the spreadsheet reader would never finish reading.
    Unending(String),
    /// A part the spreadsheet reader would trip over (a panic, an overflow).
    Malformed(String),
}

impl ScanError {
    fn context(self, what: &str) -> ScanError {
        ScanError::Unending(what.to_owned())
    }
}

impl From<OverLimit> for ScanError {
    fn from(e: OverLimit) -> Self {
        ScanError::Over(Box::new(e))
    }
}

impl From<quick_xml::Error> for ScanError {
    fn from(e: quick_xml::Error) -> Self {
        match e {
            quick_xml::Error::Io(io) => {
                ScanError::Io(std::io::Error::new(io.kind(), io.to_string()))
            }
            e => ScanError::Xml(e),
        }
    }
}

trait AtEntry {
    fn at_entry(self, name: &str) -> OverLimit;
}

impl AtEntry for Box<OverLimit> {
    /// Names the zip entry unless a cell is named already.
    fn at_entry(self, name: &str) -> OverLimit {
        let mut e = *self;
        if e.at.is_none() {
            e.at = Some(name.to_owned());
        }
        e
    }
}

/// An XML reader configured as the spreadsheet reader configures its own.
fn xml<R: Read>(r: R) -> quick_xml::Reader<BufReader<R>> {
    let mut x = quick_xml::Reader::from_reader(BufReader::new(r));
    let c = x.config_mut();
    c.check_end_names = false;
    c.check_comments = false;
    c.trim_text(false);
    x
}

/// A count as written in an attribute; `u64::MAX` when its digits do not
/// fit, `None` when it is not a number.
fn count(raw: &str) -> Option<u64> {
    let s = raw.trim();
    let s = s.strip_prefix('+').unwrap_or(s);
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(s.parse::<u64>().unwrap_or(u64::MAX))
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.value.into_owned())
}

/// An .xlsx's shared strings: the declared `uniqueCount` (which the reader
/// reserves room for) and the `<si>` entries present.
fn shared_strings<R: Read>(r: R) -> Result<(), ScanError> {
    let mut x = xml(r);
    let mut buf = Vec::new();
    let mut strings = 0u64;
    loop {
        match x.read_event_into(&mut buf)? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "sst" => {
                    for a in ["uniqueCount", "count"] {
                        if let Some(n) = attr(&e, a).as_deref().and_then(count) {
                            check(Limit::SharedStrings, n)?;
                        }
                    }
                }
                "si" => {
                    strings += 1;
                    check(Limit::SharedStrings, strings)?;
                }
                _ => {}
            },
            Event::Eof => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

/// Excel's own bounds: columns A to XFD, rows 1 to 1,048,576.
const SHEET_COLUMNS: u64 = 16_384;
const SHEET_ROWS: u64 = 1_048_576;

/// A cell or row reference as calamine reads it ("XFD1048576", "7"): letters
/// then digits, as (row, column) counted from 1 (column 0: none), up to the
/// first character that is neither (where calamine stops with an error,
/// after having computed as far: "tabSelected=" overflows it first).
/// Numbers saturate instead of overflowing as calamine's u32 arithmetic does.
fn reference(r: &str) -> (u64, u64) {
    let (mut col, mut row) = (0u64, 0u64);
    let mut digits = false;
    for b in r.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' if !digits => {
                col = col
                    .saturating_mul(26)
                    .saturating_add(u64::from(b.to_ascii_uppercase() - b'A') + 1);
            }
            b'0'..=b'9' => {
                digits = true;
                row = row.saturating_mul(10).saturating_add(u64::from(b - b'0'));
            }
            _ => break,
        }
    }
    (row, col)
}

/// The cell references of an .xlsx's sheet (`<c r>`, `<row r>`,
/// `<dimension ref>`): a reference outside Excel's bounds, or a dimension
/// that ends before it starts, is refused, as calamine 0.38 would overflow
/// on it (a panic in a debug build, a wrapped-around position otherwise;
/// found by the fuzz harness). Sizes within the bounds are left to the
/// caps on the cells themselves.
fn cell_references<R: Read>(r: R) -> Result<(), ScanError> {
    let mut x = xml(r);
    let mut buf = Vec::new();
    let outside = |r: &str| {
        ScanError::Malformed(format!(
            "the cell reference {r:?} is outside a sheet (columns A to XFD, rows 1 to 1048576)"
        ))
    };
    loop {
        let e = match x.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => e,
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {
                buf.clear();
                continue;
            }
            // Not XML the reader can read: it refuses the part itself.
            Err(quick_xml::Error::Io(io)) => {
                return Err(ScanError::Io(std::io::Error::new(
                    io.kind(),
                    io.to_string(),
                )));
            }
            Err(_) => return Ok(()),
        };
        match e.local_name().as_ref() {
            "c" | "row" => {
                if let Some(r) = attr(&e, "r")
                    && let (row, col) = reference(&r)
                    && (row > SHEET_ROWS || col > SHEET_COLUMNS)
                {
                    return Err(outside(&r));
                }
            }
            "dimension" => {
                if let Some(r) = attr(&e, "ref") {
                    let parts: Vec<(u64, u64)> = r.split(':').map(reference).collect();
                    for p in &parts {
                        if p.0 > SHEET_ROWS || p.1 > SHEET_COLUMNS {
                            return Err(outside(&r));
                        }
                    }
                    if let [a, b] = parts[..]
                        && (b.0 < a.0 || b.1 < a.1)
                    {
                        return Err(ScanError::Malformed(format!(
                            "the sheet's dimension {r:?} ends before it starts"
                        )));
                    }
                }
            }
            _ => {}
        }
        buf.clear();
    }
}

/// The size of each sheet (`table:table`) in an .ods's content.xml, with its
/// repeat counts applied as the reader expands them: rows and columns up to
/// the last non-empty cell, the cells the reader holds row by row, and the
/// text of each cell with its `<text:s text:c="…"/>` spaces expanded.
///
/// The pass follows calamine's own reading of content.xml (the same events,
/// the same elements ending each step) so that it sees what calamine will
/// hold; and it refuses the two endings at which calamine's ODS reader
/// (0.38) never returns: the document ending inside a sheet, or inside a
/// cell's annotation (found by the fuzz harness). Where calamine stops with
/// an error of its own, the pass stops and leaves the refusal to it.
fn ods_content<R: Read>(r: R) -> Result<(), ScanError> {
    let mut x = xml(r);
    x.config_mut().expand_empty_elements = true;
    let mut buf = Vec::new();
    let mut state = Ods::Top;
    let mut table = OdsTable::default();
    let mut row = OdsRow::new(1);
    // The cell being read: repeat count, position (row, column) for messages, text length.
    let (mut repeats, mut text_len) = (1u64, 0u64);
    // Expanded text:s spaces in the whole document.
    let mut spaces = 0u64;
    let unterminated = |what: &str| {
        ScanError::Xml(quick_xml::Error::Syntax(
            quick_xml::errors::SyntaxError::UnclosedTag,
        ))
        .context(what)
    };
    loop {
        let event = x.read_event_into(&mut buf)?;
        let name = |e: &BytesStart<'_>| e.name().as_ref().to_owned();
        state = match (state, &event) {
            (Ods::Top, Event::Start(e)) if name(e) == "table:table" => {
                if attr(e, "table:name").is_some() {
                    table = OdsTable::default();
                    Ods::Table
                } else {
                    Ods::Top
                }
            }
            (Ods::Top, Event::Start(e)) if name(e) == "table:named-expressions" => Ods::Named,
            (Ods::Top, Event::Eof) => return Ok(()),
            (Ods::Top, _) => Ods::Top,

            (Ods::Named, Event::End(e)) if e.name().as_ref() == "table:named-expressions" => {
                Ods::Top
            }
            (Ods::Named, Event::Start(e))
                if matches!(
                    e.name().as_ref(),
                    "table:named-range" | "table:named-expression"
                ) =>
            {
                Ods::Named
            }
            (Ods::Named, Event::End(e))
                if matches!(
                    e.name().as_ref(),
                    "table:named-range" | "table:named-expression"
                ) =>
            {
                Ods::Named
            }
            // Anything else: calamine refuses the file.
            (Ods::Named, _) => return Ok(()),

            (Ods::Table, Event::Start(e)) if name(e) == "table:table-row" => {
                let n = match attr(e, "table:number-rows-repeated") {
                    None => 1,
                    Some(v) => match count(&v) {
                        Some(n) => n,
                        None => return Ok(()),
                    },
                };
                row = OdsRow::new(n);
                Ods::Row
            }
            (Ods::Table, Event::End(e)) if e.name().as_ref() == "table:table" => Ods::Top,
            (Ods::Table, Event::Eof) => {
                return Err(unterminated("the document ends inside a sheet"));
            }
            (Ods::Table, _) => Ods::Table,

            (Ods::Row, Event::Start(e))
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                repeats = match attr(e, "table:number-columns-repeated") {
                    None => 1,
                    Some(v) => match count(&v) {
                        Some(n) => n,
                        None => return Ok(()),
                    },
                };
                let mut value_set = false;
                let (mut is_string, mut is_error, mut formula) = (false, false, false);
                let mut empty_string = false;
                for a in e.attributes().with_checks(false).flatten() {
                    match a.key.as_ref() {
                        "office:value" | "office:boolean-value" if !value_set => value_set = true,
                        "office:string-value" | "office:date-value" | "office:time-value"
                            if !value_set =>
                        {
                            value_set = true;
                            empty_string =
                                a.key.as_ref() == "office:string-value" && a.value.is_empty();
                            text_len = a.value.chars().count() as u64;
                        }
                        "office:value-type" if !value_set => is_string = a.value == "string",
                        "calcext:value-type" => is_error = a.value == "error",
                        "table:formula" => formula = !a.value.is_empty(),
                        _ => {}
                    }
                }
                if (!value_set && is_string) || (is_error && empty_string) {
                    text_len = 0;
                    Ods::CellText
                } else {
                    check(Limit::CellChars, text_len).map_err(|e| e.at(table.here(&row)))?;
                    row.cell(repeats, value_set || formula);
                    Ods::Skip(name(e), 1)
                }
            }
            (Ods::Row, Event::End(e)) if e.name().as_ref() == "table:table-row" => {
                table.row(std::mem::replace(&mut row, OdsRow::new(1)))?;
                Ods::Table
            }
            // Anything else (text between cells, the end): calamine refuses the file.
            (Ods::Row, _) => return Ok(()),

            (Ods::Skip(n, depth), Event::Start(e)) if e.name().as_ref() == n => {
                Ods::Skip(n, depth + 1)
            }
            (Ods::Skip(n, depth), Event::End(e)) if e.name().as_ref() == n => {
                if depth == 1 {
                    Ods::Row
                } else {
                    Ods::Skip(n, depth - 1)
                }
            }
            (Ods::Skip(_, _), Event::Eof) => return Ok(()),
            (s @ Ods::Skip(_, _), _) => s,

            (Ods::CellText, Event::End(e))
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                row.cell(repeats, true);
                Ods::Row
            }
            (Ods::CellText, Event::Start(e)) if name(e) == "office:annotation" => Ods::Annotation,
            (Ods::CellText, Event::Start(e)) if name(e) == "text:s" => {
                let n = match attr(e, "text:c") {
                    None => 1,
                    Some(v) => match count(&v) {
                        Some(n) => n,
                        None => return Ok(()),
                    },
                };
                text_len = text_len.saturating_add(n);
                spaces = spaces.saturating_add(n);
                check(Limit::CellChars, text_len).map_err(|e| e.at(table.here(&row)))?;
                check(Limit::EntryBytes, spaces)?;
                Ods::CellText
            }
            (Ods::CellText, Event::Text(t)) => {
                text_len = text_len.saturating_add(t.chars().count() as u64);
                check(Limit::CellChars, text_len).map_err(|e| e.at(table.here(&row)))?;
                Ods::CellText
            }
            (Ods::CellText, Event::Start(e))
                if matches!(e.name().as_ref(), "text:p" | "text:tab" | "text:line-break") =>
            {
                text_len += 1;
                Ods::CellText
            }
            (Ods::CellText, Event::GeneralRef(_)) => {
                text_len += 1;
                Ods::CellText
            }
            (Ods::CellText, Event::Eof) => return Ok(()),
            (Ods::CellText, _) => Ods::CellText,

            (Ods::Annotation, Event::End(e)) if e.name().as_ref() == "office:annotation" => {
                Ods::CellText
            }
            (Ods::Annotation, Event::Eof) => {
                return Err(unterminated("the document ends inside a cell's annotation"));
            }
            (Ods::Annotation, _) => Ods::Annotation,
        };
        buf.clear();
    }
}

/// Where calamine's reading of content.xml is (see [`ods_content`]).
enum Ods {
    Top,
    Named,
    Table,
    Row,
    /// Skipping the rest of a cell: its element name and nesting depth.
    Skip(String, u32),
    CellText,
    Annotation,
}

/// A reader's cap on the cells of one row (it stops a row there).
const READER_MAX_COLUMNS: u64 = 16_384;

struct OdsRow {
    repeats: u64,
    /// Cells a reader pushes for the row: empty runs count once a cell follows them.
    width: u64,
    pending_empty: u64,
    /// First and last column (0-based) of non-empty cells.
    cols: Option<(u64, u64)>,
}

impl OdsRow {
    fn new(repeats: u64) -> OdsRow {
        OdsRow {
            repeats,
            width: 0,
            pending_empty: 0,
            cols: None,
        }
    }

    fn cell(&mut self, repeats: u64, nonempty: bool) {
        self.width = self
            .width
            .saturating_add(self.pending_empty)
            .min(READER_MAX_COLUMNS);
        self.pending_empty = 0;
        if nonempty {
            let first = self.width;
            self.width = self.width.saturating_add(repeats).min(READER_MAX_COLUMNS);
            let last = self.width.saturating_sub(1).max(first);
            self.cols = Some(match self.cols {
                None => (first, last),
                Some((a, b)) => (a.min(first), b.max(last)),
            });
        } else {
            self.pending_empty = repeats;
        }
    }
}

#[derive(Default)]
struct OdsTable {
    /// Rows so far, repeats applied.
    rows: u64,
    /// Cells the reader holds before it trims the sheet to its content.
    held: u64,
    /// Rows up to the last non-empty one; columns up to the last non-empty one.
    used_rows: u64,
    used_cols: u64,
}

impl OdsTable {
    /// The cell being read (for messages).
    fn here(&self, r: &OdsRow) -> String {
        cell_name(self.rows, r.width + r.pending_empty)
    }

    fn row(&mut self, r: OdsRow) -> Result<(), OverLimit> {
        let first = self.rows;
        self.rows = self.rows.saturating_add(r.repeats);
        self.held = self.held.saturating_add(r.width);
        check(Limit::Cells, self.held)?;
        if let Some((_, last_col)) = r.cols {
            self.used_rows = self.rows;
            self.used_cols = self.used_cols.max(last_col + 1);
            let at = || cell_name(first.max(self.rows - 1), last_col);
            check(Limit::Rows, self.used_rows).map_err(|e| e.at(at()))?;
            check(Limit::Columns, self.used_cols).map_err(|e| e.at(at()))?;
            check(Limit::Cells, self.used_rows.saturating_mul(self.used_cols))
                .map_err(|e| e.at(at()))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_as_calamine_reads_them_without_overflowing() {
        assert_eq!(reference("A1"), (1, 1));
        assert_eq!(reference("xfd1048576"), (1_048_576, 16_384));
        assert_eq!(reference("7"), (7, 0));
        assert!(reference("AAAAAAAAAAAA1").1 > SHEET_COLUMNS);
        assert_eq!(reference("A99999999999999999999999"), (u64::MAX, 1));
        // Up to where calamine stops: it has computed that far.
        assert_eq!(reference("A1B"), (1, 1));
        assert_eq!(reference("$A$1"), (0, 0));
        assert!(reference("tabSelected=").1 > SHEET_COLUMNS);
    }

    #[test]
    fn counts_as_written() {
        assert_eq!(count("12"), Some(12));
        assert_eq!(count(" +7 "), Some(7));
        assert_eq!(count("99999999999999999999999"), Some(u64::MAX));
        assert_eq!(count("-1"), None);
        assert_eq!(count("1e9"), None);
        assert_eq!(count(""), None);
    }

    #[test]
    fn an_ods_row_counts_cells_as_a_reader_holds_them() {
        let mut r = OdsRow::new(1);
        r.cell(3, false);
        r.cell(1, true);
        r.cell(1_000, false);
        // The trailing empty run is not held; the one before a value is.
        assert_eq!(r.width, 4);
        assert_eq!(r.cols, Some((3, 3)));
        let mut r = OdsRow::new(1);
        r.cell(u64::MAX, true);
        assert_eq!(r.width, READER_MAX_COLUMNS);
        assert_eq!(r.cols, Some((0, READER_MAX_COLUMNS - 1)));
    }
}
