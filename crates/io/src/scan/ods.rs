//! An .ods workbook's content: repeated columns and rows, counted as a reader would lay them out.

use super::*;

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
pub(super) fn ods_content<R: Read>(r: R) -> Result<(), ScanError> {
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
pub(super) const READER_MAX_COLUMNS: u64 = 16_384;

pub(super) struct OdsRow {
    repeats: u64,
    /// Cells a reader pushes for the row: empty runs count once a cell follows them.
    pub(super) width: u64,
    pending_empty: u64,
    /// First and last column (0-based) of non-empty cells.
    pub(super) cols: Option<(u64, u64)>,
}

impl OdsRow {
    pub(super) fn new(repeats: u64) -> OdsRow {
        OdsRow {
            repeats,
            width: 0,
            pending_empty: 0,
            cols: None,
        }
    }

    pub(super) fn cell(&mut self, repeats: u64, nonempty: bool) {
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
