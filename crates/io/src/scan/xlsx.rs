//! An .xlsx workbook's parts: the shared string table and the sheets' cell references.

use super::*;

/// An .xlsx's shared strings: the declared `uniqueCount` (which the reader
/// reserves room for) and the `<si>` entries present.
pub(super) fn shared_strings<R: Read>(r: R) -> Result<(), ScanError> {
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
pub(super) const SHEET_COLUMNS: u64 = 16_384;
pub(super) const SHEET_ROWS: u64 = 1_048_576;

/// A cell or row reference as calamine reads it ("XFD1048576", "7"): letters
/// then digits, as (row, column) counted from 1 (column 0: none), up to the
/// first character that is neither (where calamine stops with an error,
/// after having computed as far: "tabSelected=" overflows it first).
/// Numbers saturate instead of overflowing as calamine's u32 arithmetic does.
pub(super) fn reference(r: &str) -> (u64, u64) {
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
pub(super) fn cell_references<R: Read>(r: R) -> Result<(), ScanError> {
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
