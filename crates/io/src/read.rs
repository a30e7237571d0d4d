//! Reading the first sheet of a workbook, or a CSV file, as rows of cells.

use crate::Format;
use crate::limits::{Limit, OverLimit, cell_name, check};
use calamine::{Data, Reader};
use chrono::NaiveDate;
use serde::Serialize;
use std::io::Cursor;

/// One cell as read. Whitespace-only text is `Empty`; spreadsheet dates are
/// `Date`; a CSV gives only `Text` and `Empty`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "lowercase")]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    Date(NaiveDate),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty)
    }

    /// The cell as a person would read it in the file (for messages and previews).
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => format_number(*n),
            Cell::Bool(true) => "TRUE".into(),
            Cell::Bool(false) => "FALSE".into(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        }
    }

    fn text(s: &str) -> Cell {
        if s.trim().is_empty() {
            Cell::Empty
        } else if s.contains('\r') {
            Cell::Text(s.replace("\r\n", "\n").replace('\r', "\n"))
        } else {
            Cell::Text(s.to_owned())
        }
    }
}

/// A number without a needless ".0" (and without exponent for whole numbers).
pub(crate) fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("not an .xlsx, .ods or .csv file")]
    Unrecognised,
    #[error("not a readable spreadsheet: {0}")]
    Spreadsheet(String),
    #[error("the workbook has no sheet")]
    NoSheet,
    #[error("not a readable CSV file: {0}")]
    Csv(String),
    #[error("no header row")]
    NoHeader,
    /// Over one of [`crate::LIMITS`]: refused before it was read whole.
    #[error("the file is too large to import: {0}")]
    TooLarge(#[from] OverLimit),
}

impl ReadError {
    /// The message key for the user (listed in [`crate::ISSUE_CODES`], or
    /// an `import-limit-…` key of [`Limit::code`]).
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::Unrecognised | ReadError::Spreadsheet(_) => "import-unreadable-file",
            ReadError::NoSheet => "import-no-sheet",
            ReadError::Csv(_) => "import-unreadable-csv",
            ReadError::NoHeader => "import-no-header",
            ReadError::TooLarge(e) => e.limit.code(),
        }
    }

    /// The message's arguments (those of [`OverLimit::args`] for a file over a limit).
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            ReadError::TooLarge(e) => e.args(),
            _ => vec![],
        }
    }

    /// The limit the file went over, if that is why it was refused.
    pub fn over_limit(&self) -> Option<&OverLimit> {
        match self {
            ReadError::TooLarge(e) => Some(e),
            _ => None,
        }
    }
}

/// The first sheet (or the CSV) as rows of cells. Row `i` of the result is
/// row `i + 1` in the spreadsheet, leading blank rows and columns included;
/// trailing empty cells and rows are dropped.
///
/// CSV: UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252; the
/// separator (`;`, `,` or tab) is sniffed from the first lines.
///
/// A reader that panics on a malformed file (a bug in it) makes the file
/// unreadable here, not the process end.
pub fn read_table(format: Format, bytes: &[u8]) -> Result<Vec<Vec<Cell>>, ReadError> {
    std::panic::catch_unwind(|| read_table_unguarded(format, bytes)).unwrap_or_else(|p| {
        let why = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(ReadError::Spreadsheet(format!("the reader failed: {why}")))
    })
}

/// [`read_table`] letting a reader's panic through: for the fuzz harness,
/// which is there to find them.
#[doc(hidden)]
pub fn read_table_unguarded(format: Format, bytes: &[u8]) -> Result<Vec<Vec<Cell>>, ReadError> {
    check(Limit::FileBytes, bytes.len() as u64)?;
    let mut rows = match format {
        Format::Xlsx => {
            crate::scan::check_workbook(format, bytes)?;
            read_xlsx(bytes)?
        }
        Format::Ods => {
            crate::scan::check_workbook(format, bytes)?;
            let wb = calamine::Ods::new(Cursor::new(bytes))
                .map_err(|e| ReadError::Spreadsheet(e.to_string()))?;
            first_sheet(wb)?
        }
        Format::Csv => read_csv(bytes)?,
    };
    for row in &mut rows {
        while row.last().is_some_and(Cell::is_empty) {
            row.pop();
        }
    }
    while rows.last().is_some_and(Vec::is_empty) {
        rows.pop();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if let Cell::Text(s) = cell {
                check(Limit::CellChars, s.chars().count() as u64)
                    .map_err(|e| e.at(cell_name(r as u64, c as u64)))?;
            }
        }
    }
    Ok(rows)
}

/// Rows of cells collected by position: a cell is placed only where it is,
/// and a position past [`LIMITS`] is refused before anything is made for
/// it, so a sheet's size costs memory only as far as it has cells.
#[derive(Default)]
struct Grid {
    rows: Vec<Vec<Cell>>,
    cols: u64,
}

impl Grid {
    fn put(&mut self, row: u64, col: u64, cell: Cell) -> Result<(), OverLimit> {
        if cell.is_empty() {
            return Ok(());
        }
        let at = || cell_name(row, col);
        check(Limit::Rows, row + 1).map_err(|e| e.at(at()))?;
        check(Limit::Columns, col + 1).map_err(|e| e.at(at()))?;
        let rows = (row + 1).max(self.rows.len() as u64);
        let cols = (col + 1).max(self.cols);
        check(Limit::Cells, rows * cols).map_err(|e| e.at(at()))?;
        self.cols = cols;
        let (row, col) = (row as usize, col as usize);
        if self.rows.len() <= row {
            self.rows.resize_with(row + 1, Vec::new);
        }
        let r = &mut self.rows[row];
        if r.len() <= col {
            r.resize(col + 1, Cell::Empty);
        }
        r[col] = cell;
        Ok(())
    }
}

/// The first sheet of an .xlsx, cell by cell as the file lists them (never
/// as a range spanning the corners the file names).
fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<Cell>>, ReadError> {
    let unreadable = |e: calamine::XlsxError| ReadError::Spreadsheet(e.to_string());
    let mut wb = calamine::Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let name = wb
        .sheet_names()
        .first()
        .cloned()
        .ok_or(ReadError::NoSheet)?;
    let mut cells = wb.worksheet_cells_reader(&name).map_err(unreadable)?;
    let mut grid = Grid::default();
    while let Some(c) = cells.next_cell().map_err(unreadable)? {
        let (row, col) = c.get_position();
        let data: Data = c.get_value().clone().into();
        grid.put(u64::from(row), u64::from(col), cell_from(&data))?;
    }
    Ok(grid.rows)
}

/// The first sheet of a workbook whose size [`crate::scan`] has checked.
fn first_sheet<R, RS>(mut wb: R) -> Result<Vec<Vec<Cell>>, ReadError>
where
    R: Reader<RS>,
    R::Error: std::fmt::Display,
    RS: std::io::Read + std::io::Seek,
{
    let range = wb
        .worksheet_range_at(0)
        .ok_or(ReadError::NoSheet)?
        .map_err(|e| ReadError::Spreadsheet(e.to_string()))?;
    let mut grid = Grid::default();
    let (row0, col0) = range.start().unwrap_or_default();
    for (r, c, data) in range.used_cells() {
        grid.put(
            u64::from(row0) + r as u64,
            u64::from(col0) + c as u64,
            cell_from(data),
        )?;
    }
    Ok(grid.rows)
}

fn cell_from(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) => Cell::text(s),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => match dt.as_datetime() {
            Some(t) => Cell::Date(t.date()),
            None => Cell::Number(dt.as_f64()),
        },
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) => s
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map_or_else(|| Cell::text(s), Cell::Date),
        Data::DurationIso(s) => Cell::text(s),
        Data::Error(e) => Cell::Text(e.to_string()),
    }
}

/// Decodes CSV bytes: a BOM decides; else UTF-8 if valid; else Windows-1252.
fn decode(bytes: &[u8]) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// The separator that occurs most often outside quotes in the first lines;
/// `;` on a tie (Swedish Excel's).
fn sniff_separator(text: &str) -> u8 {
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0)];
    let (mut quoted, mut lines) = (false, 0);
    for c in text.bytes() {
        match c {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => {
                lines += 1;
                if lines >= 50 {
                    break;
                }
            }
            _ if !quoted => {
                if let Some(e) = counts.iter_mut().find(|e| e.0 == c) {
                    e.1 += 1;
                }
            }
            _ => {}
        }
    }
    counts
        .iter()
        .fold((b';', 0), |best, e| if e.1 > best.1 { *e } else { best })
        .0
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<Cell>>, ReadError> {
    let text = decode(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_separator(&text))
        .from_reader(text.as_bytes());
    let mut grid = Grid::default();
    let mut record = csv::StringRecord::new();
    let mut line = 0u64;
    loop {
        let start = reader.position().byte();
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(ReadError::Csv(e.to_string())),
        }
        line += 1;
        let at = || record.position().map_or(line, |p| p.line()).to_string();
        check(Limit::CsvRecords, line).map_err(|e| e.at(at()))?;
        check(Limit::CsvFields, record.len() as u64).map_err(|e| e.at(at()))?;
        check(Limit::CsvLineBytes, reader.position().byte() - start).map_err(|e| e.at(at()))?;
        for (col, field) in record.iter().enumerate() {
            let cell = Cell::text(crate::write::unneutralise_formula(field));
            grid.put(line - 1, col as u64, cell)?;
        }
    }
    Ok(grid.rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(rows: &[Vec<Cell>]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(Cell::display).collect())
            .collect()
    }

    #[test]
    fn csv_encodings_and_separators() {
        let want = vec![
            vec!["Namn".to_string(), "Ägare".into()],
            vec!["Löner".into(), "Åsa, Ö".into()],
        ];
        // Windows-1252 with ';' and CRLF, as Swedish Excel writes it.
        let cp1252 = b"Namn;\xC4gare\r\nL\xF6ner;\xC5sa, \xD6\r\n";
        assert_eq!(texts(&read_table(Format::Csv, cp1252).unwrap()), want);
        // UTF-8 with BOM and ','.
        let utf8 = "\u{feff}Namn,Ägare\nLöner,\"Åsa, Ö\"\n".as_bytes();
        assert_eq!(texts(&read_table(Format::Csv, utf8).unwrap()), want);
        // UTF-8 without BOM, tabs.
        let tabs = "Namn\tÄgare\nLöner\tÅsa, Ö".as_bytes();
        assert_eq!(texts(&read_table(Format::Csv, tabs).unwrap()), want);
        // UTF-16 LE with BOM (Excel's "Unicode text").
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "Namn\tÄgare\r\nLöner\tÅsa, Ö\r\n".encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        assert_eq!(texts(&read_table(Format::Csv, &utf16).unwrap()), want);
    }

    #[test]
    fn csv_blank_cells_rows_and_ragged_lines() {
        let rows = read_table(Format::Csv, b"Titel;;\r\n;;\r\nA; ;B\r\nC\r\n;;\r\n").unwrap();
        assert_eq!(
            rows,
            vec![
                vec![Cell::Text("Titel".into())],
                vec![],
                vec![Cell::Text("A".into()), Cell::Empty, Cell::Text("B".into())],
                vec![Cell::Text("C".into())],
            ]
        );
        assert!(read_table(Format::Csv, b"").unwrap().is_empty());
    }

    #[test]
    fn separator_sniffing_ignores_quoted_text() {
        assert_eq!(sniff_separator("a;b;c\n\"x,y,z\";2;3"), b';');
        assert_eq!(sniff_separator("a,b,c\n\"x;y;z\",2,3"), b',');
        assert_eq!(sniff_separator("just one column"), b';');
    }

    #[test]
    fn broken_workbooks_are_errors() {
        let e = read_table(Format::Xlsx, b"PK\x03\x04 not really").unwrap_err();
        assert_eq!(e.code(), "import-unreadable-file");
        let e = read_table(Format::Ods, b"nope").unwrap_err();
        assert_eq!(e.code(), "import-unreadable-file");
    }

    #[test]
    fn numbers_display_without_needless_fraction() {
        assert_eq!(format_number(1900.0), "1900");
        assert_eq!(format_number(12.5), "12.5");
        assert_eq!(
            Cell::Date(NaiveDate::from_ymd_opt(2004, 4, 1).unwrap()).display(),
            "2004-04-01"
        );
    }
}
