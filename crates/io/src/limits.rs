//! How much of a spreadsheet or CSV file insyn reads, in one place, and the
//! refusal that names the limit and what the file had.
//!
//! A file from outside must not be able to stop the server: a 1.5 KB .xlsx
//! with cells A1 and XFD1048576 makes a dense reader allocate for 17 billion
//! cells, a deflate bomb unpacks a few kilobytes into gigabytes, and an .ods
//! says "repeat this cell a billion times". So each workbook's zip is checked
//! entry by entry (sizes as unpacked, counted while unpacking, not as
//! declared), the parts that declare counts are scanned before the
//! spreadsheet reader sees them ([`crate::scan`]), and the cells are
//! collected by their own positions with these caps, never into a dense
//! range sized by the file's word.
//!
//! The caps are sized for a municipality's register of IT systems (a few
//! thousand rows, some thirty columns) with a wide margin.

use serde::Serialize;

/// The caps on one imported file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The file as given (zip or text), in bytes.
    pub file_bytes: u64,
    /// Entries in a workbook's zip.
    pub zip_entries: u64,
    /// One zip entry, unpacked, in bytes.
    pub entry_bytes: u64,
    /// All zip entries together, unpacked, in bytes.
    pub total_bytes: u64,
    /// Unpacked size over packed size of an entry larger than
    /// [`Limits::ratio_from_bytes`] (spreadsheet XML packs 5–20 : 1).
    pub ratio: u64,
    /// Entries smaller than this (unpacked) are not held to [`Limits::ratio`].
    pub ratio_from_bytes: u64,
    /// Rows of a sheet, up to its last non-empty one.
    pub rows: u64,
    /// Columns of a sheet, up to its last non-empty one.
    pub columns: u64,
    /// Rows × columns a sheet's cells span (what a table of them would hold).
    pub cells: u64,
    /// Characters in one cell (Excel's own maximum is 32,767).
    pub cell_chars: u64,
    /// Strings in an .xlsx's shared string table, declared or present.
    pub shared_strings: u64,
    /// Lines (records) of a CSV file, empty ones included.
    pub csv_records: u64,
    /// Fields of one CSV line, empty ones included.
    pub csv_fields: u64,
    /// One CSV line (record), in bytes.
    pub csv_line_bytes: u64,
}

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;

/// The caps insyn applies to every imported file.
pub const LIMITS: Limits = Limits {
    file_bytes: 20 * MIB,
    zip_entries: 10_000,
    entry_bytes: 50 * MIB,
    total_bytes: 100 * MIB,
    ratio: 100,
    ratio_from_bytes: MIB,
    rows: 100_000,
    columns: 200,
    cells: 2_000_000,
    cell_chars: 32_767,
    shared_strings: 2_000_000,
    csv_records: 1_048_576,
    csv_fields: 16_384,
    csv_line_bytes: MIB,
};

/// Which cap a file went over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    FileBytes,
    ZipEntries,
    EntryBytes,
    TotalBytes,
    Ratio,
    Rows,
    Columns,
    Cells,
    CellChars,
    SharedStrings,
    CsvRecords,
    CsvFields,
    CsvLineBytes,
}

impl Limit {
    pub const ALL: &'static [Limit] = &[
        Limit::FileBytes,
        Limit::ZipEntries,
        Limit::EntryBytes,
        Limit::TotalBytes,
        Limit::Ratio,
        Limit::Rows,
        Limit::Columns,
        Limit::Cells,
        Limit::CellChars,
        Limit::SharedStrings,
        Limit::CsvRecords,
        Limit::CsvFields,
        Limit::CsvLineBytes,
    ];

    /// The cap in [`LIMITS`].
    pub fn max(self) -> u64 {
        let l = LIMITS;
        match self {
            Limit::FileBytes => l.file_bytes,
            Limit::ZipEntries => l.zip_entries,
            Limit::EntryBytes => l.entry_bytes,
            Limit::TotalBytes => l.total_bytes,
            Limit::Ratio => l.ratio,
            Limit::Rows => l.rows,
            Limit::Columns => l.columns,
            Limit::Cells => l.cells,
            Limit::CellChars => l.cell_chars,
            Limit::SharedStrings => l.shared_strings,
            Limit::CsvRecords => l.csv_records,
            Limit::CsvFields => l.csv_fields,
            Limit::CsvLineBytes => l.csv_line_bytes,
        }
    }

    /// The message key for the user (`import-limit-…`); its arguments are
    /// `found`, `max` and `where` (see [`OverLimit::args`]).
    pub fn code(self) -> &'static str {
        match self {
            Limit::FileBytes => "import-limit-file-bytes",
            Limit::ZipEntries => "import-limit-zip-entries",
            Limit::EntryBytes => "import-limit-entry-bytes",
            Limit::TotalBytes => "import-limit-total-bytes",
            Limit::Ratio => "import-limit-ratio",
            Limit::Rows => "import-limit-rows",
            Limit::Columns => "import-limit-columns",
            Limit::Cells => "import-limit-cells",
            Limit::CellChars => "import-limit-cell-chars",
            Limit::SharedStrings => "import-limit-shared-strings",
            Limit::CsvRecords => "import-limit-csv-records",
            Limit::CsvFields => "import-limit-csv-fields",
            Limit::CsvLineBytes => "import-limit-csv-line-bytes",
        }
    }

    /// Whether the cap counts bytes (shown in KiB/MiB to people).
    pub fn is_bytes(self) -> bool {
        matches!(
            self,
            Limit::FileBytes | Limit::EntryBytes | Limit::TotalBytes | Limit::CsvLineBytes
        )
    }
}

/// A file that goes over one of the [`LIMITS`]: which, what the file had (at
/// least: counting stops at the first value over the cap), and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{limit:?}: the file has {found}{}, at most {max} are read", place(.at))]
pub struct OverLimit {
    pub limit: Limit,
    pub found: u64,
    pub max: u64,
    /// Where in the file: a zip entry's name, a cell ("C12"), a CSV line ("line 7").
    pub at: Option<String>,
}

fn place(at: &Option<String>) -> String {
    at.as_ref()
        .map(|a| format!(" (at {a})"))
        .unwrap_or_default()
}

impl OverLimit {
    pub fn new(limit: Limit, found: u64) -> OverLimit {
        OverLimit {
            limit,
            found,
            max: limit.max(),
            at: None,
        }
    }

    pub fn at(mut self, at: impl Into<String>) -> OverLimit {
        self.at = Some(at.into());
        self
    }

    /// The message arguments: `found` and `max` as people read them (bytes
    /// in KiB or MiB) and `where` (empty when unknown).
    pub fn args(&self) -> Vec<(&'static str, String)> {
        let show = |n: u64| {
            if self.limit.is_bytes() {
                human_bytes(n)
            } else {
                n.to_string()
            }
        };
        vec![
            ("found", show(self.found)),
            ("max", show(self.max)),
            ("where", self.at.clone().unwrap_or_default()),
        ]
    }
}

/// `n` bytes as "512 bytes", "12 KiB" or "2.5 MiB".
pub fn human_bytes(n: u64) -> String {
    if n < KIB {
        format!("{n} bytes")
    } else if n < MIB {
        format!("{} KiB", n.div_ceil(KIB))
    } else if n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else {
        format!("{:.1} MiB", n as f64 / MIB as f64)
    }
}

/// Checks `found` against `limit`'s cap.
pub(crate) fn check(limit: Limit, found: u64) -> Result<(), OverLimit> {
    if found > limit.max() {
        Err(OverLimit::new(limit, found))
    } else {
        Ok(())
    }
}

/// A spreadsheet's name of a cell at 0-based (row, column): "A1", "XFD1048576".
pub fn cell_name(row: u64, col: u64) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        c -= 1;
        letters.push(b'A' + (c % 26) as u8);
        c /= 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names_as_spreadsheets_write_them() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(11, 2), "C12");
        assert_eq!(cell_name(0, 25), "Z1");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(1_048_575, 16_383), "XFD1048576");
    }

    #[test]
    fn bytes_are_shown_in_units_people_read() {
        assert_eq!(human_bytes(512), "512 bytes");
        assert_eq!(human_bytes(1536), "2 KiB");
        assert_eq!(human_bytes(20 * MIB), "20 MiB");
        assert_eq!(human_bytes(5 * MIB / 2), "2.5 MiB");
    }

    #[test]
    fn every_limit_has_its_own_code_and_a_cap() {
        let mut codes: Vec<_> = Limit::ALL.iter().map(|l| l.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Limit::ALL.len());
        assert!(Limit::ALL.iter().all(|l| l.max() > 0));
        let e = OverLimit::new(Limit::Rows, 1_048_576).at("A1048576");
        assert_eq!(
            e.args(),
            vec![
                ("found", "1048576".to_owned()),
                ("max", "100000".to_owned()),
                ("where", "A1048576".to_owned())
            ]
        );
        assert!(e.to_string().contains("1048576"), "{e}");
    }
}
