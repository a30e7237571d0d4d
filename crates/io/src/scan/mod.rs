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

mod ods;
mod xlsx;

use ods::ods_content;
use xlsx::{cell_references, shared_strings};
#[cfg(test)]
use {
    ods::{OdsRow, READER_MAX_COLUMNS},
    xlsx::{SHEET_COLUMNS, reference},
};

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
