//! Export: a table of strings to .xlsx and to .csv.

use rust_xlsxwriter::{Format as XlsxFormat, Workbook, XlsxError};

#[derive(Debug, thiserror::Error)]
#[error("could not write the workbook: {0}")]
pub struct WriteError(#[from] XlsxError);

/// Excel's limit on the characters in one cell.
const MAX_CELL_CHARS: usize = 32_767;
const MIN_WIDTH: usize = 8;
const MAX_WIDTH: usize = 60;

/// A workbook with one sheet ("Register"): the headers in a bold, frozen
/// row with an autofilter, every value as text, columns as wide as their
/// longest line (within limits). Cells longer than Excel's limit are cut.
pub fn write_xlsx(headers: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>, WriteError> {
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name("Register")?;
    let bold = XlsxFormat::new().set_bold();
    let wrap = XlsxFormat::new().set_text_wrap();
    let columns = rows
        .iter()
        .map(Vec::len)
        .chain([headers.len()])
        .max()
        .unwrap_or(0);
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col(c), cut(h), &bold)?;
    }
    let mut widths: Vec<usize> = headers.iter().map(|h| width(h)).collect();
    widths.resize(columns, 0);
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (c, value) in row.iter().enumerate() {
            if value.is_empty() {
                continue;
            }
            if value.contains('\n') {
                sheet.write_string_with_format(r, col(c), cut(value), &wrap)?;
            } else {
                sheet.write_string(r, col(c), cut(value))?;
            }
            widths[c] = widths[c].max(width(value));
        }
    }
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(col(c), (*w).clamp(MIN_WIDTH, MAX_WIDTH) as f64 + 2.0)?;
    }
    if columns > 0 {
        sheet.set_freeze_panes(1, 0)?;
        let last_row = u32::try_from(rows.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
        sheet.autofilter(0, 0, last_row, col(columns - 1))?;
    }
    Ok(wb.save_to_buffer()?)
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

fn cut(s: &str) -> &str {
    match s.char_indices().nth(MAX_CELL_CHARS) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// The longest line, in characters.
fn width(s: &str) -> usize {
    s.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// A CSV file as Swedish Excel reads it: UTF-8 with BOM, `;` between
/// fields, CRLF after each record, fields quoted when needed, and cells that
/// a spreadsheet would take for a formula neutralised with a leading `'`.
pub fn write_csv(headers: &[String], rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .quote_style(csv::QuoteStyle::Necessary)
            .flexible(true)
            .from_writer(&mut out);
        for record in std::iter::once(headers).chain(rows.iter().map(Vec::as_slice)) {
            let fields: Vec<String> = record.iter().map(|f| neutralise_formula(f)).collect();
            // Writing to a Vec cannot fail.
            w.write_record(&fields).expect("write to memory");
        }
        w.flush().expect("write to memory");
    }
    out
}

const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// Whether a spreadsheet could take the text for a formula: it starts (after
/// any apostrophes) with `=`, `+`, `-`, `@`, a tab or a carriage return, and
/// is not simply a number like "-5" or "+46".
fn needs_neutralising(s: &str) -> bool {
    let t = s.trim_start_matches('\'');
    t.starts_with(FORMULA_STARTS) && t[1..].parse::<f64>().is_err()
}

/// Neutralises a value that a spreadsheet would run as a formula by
/// putting a `'` before it ("=SUM(A1)" → "'=SUM(A1)").
pub fn neutralise_formula(s: &str) -> String {
    if needs_neutralising(s) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

/// The inverse of [`neutralise_formula`], used when reading CSV.
pub(crate) fn unneutralise_formula(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if needs_neutralising(rest) => rest,
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Cell, Format, read_table};

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn sample() -> (Vec<String>, Vec<Vec<String>>) {
        let headers = strings(&["Namn", "Beskrivning", "Systemägare", "Antal användare"]);
        let rows = vec![
            strings(&[
                "Treserva",
                "Verksamhetssystem;\n\"socialtjänst\"",
                "Åsa Öst",
                "1250",
            ]),
            strings(&["=SUM(A1)", "+46 8 123", "-5", "@here"]),
            strings(&["'=x", "'abc", "", "2004-04-01"]),
            strings(&["Ecos", "   ", "€ – “citat”", "1 250"]),
        ];
        (headers, rows)
    }

    /// The table as read back, as strings, padded to the header's width.
    fn read_back(format: Format, bytes: &[u8], width: usize) -> Vec<Vec<String>> {
        read_table(format, bytes)
            .unwrap()
            .iter()
            .map(|r| {
                let mut v: Vec<String> = r.iter().map(Cell::display).collect();
                v.resize(width, String::new());
                v
            })
            .collect()
    }

    /// What a round trip gives: whitespace-only cells come back empty.
    fn expected(headers: &[String], rows: &[Vec<String>]) -> Vec<Vec<String>> {
        std::iter::once(headers.to_vec())
            .chain(rows.iter().cloned())
            .map(|r| {
                r.into_iter()
                    .map(|s| {
                        if s.trim().is_empty() {
                            String::new()
                        } else {
                            s
                        }
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn xlsx_round_trip() {
        let (headers, rows) = sample();
        let bytes = write_xlsx(&headers, &rows).unwrap();
        assert_eq!(
            crate::detect_format("export.xlsx", &bytes),
            Some(Format::Xlsx)
        );
        let back = read_back(Format::Xlsx, &bytes, headers.len());
        assert_eq!(back, expected(&headers, &rows));
        // Everything was written as text: nothing came back as a number or a date.
        let cells = read_table(Format::Xlsx, &bytes).unwrap();
        assert!(
            cells
                .iter()
                .flatten()
                .all(|c| matches!(c, Cell::Text(_) | Cell::Empty))
        );
    }

    #[test]
    fn xlsx_header_is_bold_frozen_and_filtered() {
        let (headers, rows) = sample();
        let bytes = write_xlsx(&headers, &rows).unwrap();
        let sheet = unzip_entry(&bytes, "xl/worksheets/sheet1.xml");
        assert!(
            sheet.contains(
                r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
            ),
            "{sheet}"
        );
        assert!(sheet.contains(r#"<autoFilter ref="A1:D5"/>"#), "{sheet}");
        assert!(sheet.contains("<col "), "{sheet}");
        let styles = unzip_entry(&bytes, "xl/styles.xml");
        assert!(styles.contains("<b/>"));
        // An empty table is still a workbook.
        let empty = write_xlsx(&[], &[]).unwrap();
        assert!(read_table(Format::Xlsx, &empty).unwrap().is_empty());
    }

    /// One entry of the .xlsx archive, as text.
    fn unzip_entry(bytes: &[u8], name: &str) -> String {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut s = String::new();
        std::io::Read::read_to_string(&mut z.by_name(name).unwrap(), &mut s).unwrap();
        s
    }

    #[test]
    fn csv_format_and_round_trip() {
        let (headers, rows) = sample();
        let bytes = write_csv(&headers, &rows);
        let text = std::str::from_utf8(&bytes).unwrap();
        assert!(text.starts_with("\u{feff}Namn;Beskrivning;Systemägare;Antal användare\r\n"));
        assert!(
            text.contains("Treserva;\"Verksamhetssystem;\n\"\"socialtjänst\"\"\";Åsa Öst;1250\r\n")
        );
        assert!(text.contains("\r\n'=SUM(A1);'+46 8 123;-5;'@here\r\n"));
        assert!(text.contains("\r\n''=x;'abc;;2004-04-01\r\n"));
        assert!(text.ends_with("1 250\r\n"));
        assert_eq!(
            crate::detect_format("export.csv", &bytes),
            Some(Format::Csv)
        );
        let back = read_back(Format::Csv, &bytes, headers.len());
        assert_eq!(back, expected(&headers, &rows));
    }

    #[test]
    fn formula_neutralising_round_trips() {
        for s in [
            "=1+1", "+1+1", "-1+1", "@SUM(1)", "\tx", "'=x", "''=x", "'", "'-5", "-5", "+46", "",
            "abc", "'abc", "-", "=",
        ] {
            assert_eq!(unneutralise_formula(&neutralise_formula(s)), s, "{s:?}");
        }
        assert_eq!(
            neutralise_formula("=HYPERLINK(\"x\")"),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(neutralise_formula("-5"), "-5");
        assert_eq!(neutralise_formula("- punkt"), "'- punkt");
    }
}
