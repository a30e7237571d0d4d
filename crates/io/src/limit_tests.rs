//! Hostile and oversized files are refused, quickly, with the limit named,
//! and reading them keeps the process small.

use crate::bombs::*;
use crate::{Format, Limit, ReadError, read_table};
use std::time::{Duration, Instant};

/// Reads the file; it must be refused for `limit` within `within`.
fn refused(format: Format, bytes: &[u8], limit: Limit, within: Duration) -> crate::OverLimit {
    let t = Instant::now();
    let r = read_table(format, bytes);
    let took = t.elapsed();
    let e = match r {
        Err(ReadError::TooLarge(e)) => e,
        Err(e) => panic!("refused, but not for a limit: {e}"),
        Ok(rows) => panic!("read {} rows", rows.len()),
    };
    assert_eq!(e.limit, limit, "{e}");
    assert!(e.found > e.max, "{e}");
    assert_eq!(e.max, limit.max());
    assert!(took < within, "took {took:?}");
    e
}

const QUICK: Duration = Duration::from_secs(3);

#[test]
fn a_sheet_with_a_far_corner_cell_is_refused_at_that_cell() {
    let bomb = sparse_corner_xlsx();
    assert!(bomb.len() < 10_000, "{}", bomb.len());
    let e = refused(Format::Xlsx, &bomb, Limit::Rows, QUICK);
    assert_eq!(e.found, 1_048_576);
    assert_eq!(e.at.as_deref(), Some("XFD1048576"));
    // Within the rows, the column is named.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Namn").unwrap();
    ws.write_string(5, 16_383, "x").unwrap();
    let e = refused(
        Format::Xlsx,
        &wb.save_to_buffer().unwrap(),
        Limit::Columns,
        QUICK,
    );
    assert_eq!((e.found, e.at.as_deref()), (16_384, Some("XFD6")));
}

#[test]
fn rows_times_columns_are_capped_where_each_alone_is_not() {
    // 199 columns × 100,000 rows: each within its cap, the area not.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 198, "Namn").unwrap();
    ws.write_string(99_999, 0, "x").unwrap();
    let e = refused(
        Format::Xlsx,
        &wb.save_to_buffer().unwrap(),
        Limit::Cells,
        QUICK,
    );
    assert_eq!(e.found, 199 * 100_000);
}

#[test]
fn a_deflate_bomb_is_refused_by_its_declared_size_and_when_it_lies() {
    let bomb = deflate_bomb_xlsx(64);
    assert!(bomb.len() < 1024 * 1024, "{}", bomb.len());
    let e = refused(Format::Xlsx, &bomb, Limit::EntryBytes, QUICK);
    assert_eq!(e.at.as_deref(), Some("xl/sharedStrings.xml"));
    // The same entry declaring 1,000 bytes: the zip reader stops at the
    // declared size, so the file is refused as broken, as quickly.
    let liar = declare_size(&bomb, "xl/sharedStrings.xml", 1000);
    let t = Instant::now();
    let e = read_table(Format::Xlsx, &liar).expect_err("refused");
    assert!(matches!(e, ReadError::Spreadsheet(_)), "{e}");
    assert!(e.to_string().contains("declared"), "{e}");
    assert!(t.elapsed() < QUICK);
}

#[test]
fn many_entries_together_are_capped() {
    // Three entries of 40 MiB of zeros (each under the entry cap, but 120 MiB
    // together, and packing far better than spreadsheet XML).
    let big = vec![b' '; 40 * 1024 * 1024];
    let mut entries = unzip(&plain_xlsx());
    for i in 0..3 {
        entries.push((format!("xl/media/pad{i}.xml"), big.clone(), false));
    }
    let zip = zip_entries(
        entries
            .iter()
            .map(|(n, c, s)| (n.as_str(), c.as_slice(), *s)),
    );
    // The ratio catches it first (spaces pack 1000 : 1) ...
    refused(Format::Xlsx, &zip, Limit::Ratio, QUICK);
    // ... and stored (no packing), the total.
    let stored = zip_entries(
        entries
            .iter()
            .map(|(n, c, _)| (n.as_str(), c.as_slice(), true)),
    );
    let e = refused(Format::Xlsx, &stored, Limit::FileBytes, QUICK);
    assert!(e.found > 100 * 1024 * 1024);
}

#[test]
fn a_shared_string_table_that_declares_billions_is_refused() {
    let sst = br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4000000000" uniqueCount="4000000000"><si><t>Namn</t></si><si><t>Ekonomisystemet</t></si></sst>"#;
    let e = refused(
        Format::Xlsx,
        &xlsx_with("xl/sharedStrings.xml", sst),
        Limit::SharedStrings,
        QUICK,
    );
    assert_eq!(e.found, 4_000_000_000);
}

#[test]
fn an_ods_with_huge_repeat_counts_is_refused() {
    let bomb = ods_repeat_bomb(1_048_575);
    assert!(bomb.len() < 2_000, "{}", bomb.len());
    let e = refused(Format::Ods, &bomb, Limit::Rows, QUICK);
    assert_eq!(e.found, 1_048_576);
    // Few rows, all columns.
    let e = refused(Format::Ods, &ods_repeat_bomb(10), Limit::Columns, QUICK);
    assert_eq!(e.found, 16_384);
    // Empty cells repeated before a value count as the reader holds them.
    let wide = format!(
        r#"<table:table-row>{}<table:table-cell table:number-columns-repeated="5000"/>{}</table:table-row>"#,
        ods_text("Namn"),
        ods_text("x")
    );
    let e = refused(Format::Ods, &ods_with_rows(&wide), Limit::Columns, QUICK);
    assert_eq!(e.found, 5002);
    // Many styled empty cells in each of many rows: held by the reader although empty.
    let row = r#"<table:table-row><table:table-cell table:number-columns-repeated="10000"/><table:table-cell/></table:table-row>"#;
    let rows = format!(
        "<table:table-row>{}</table:table-row>{}",
        ods_text("Namn"),
        row.repeat(300)
    );
    refused(Format::Ods, &ods_with_rows(&rows), Limit::Cells, QUICK);
}

#[test]
fn within_the_limits_a_wide_sheet_and_trailing_empty_repeats_are_read() {
    // What LibreOffice writes after the data: empty rows and columns repeated
    // to the sheet's end. Not content, so not refused.
    let rows = format!(
        r#"<table:table-row>{}{}<table:table-cell table:number-columns-repeated="1022"/></table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#,
        ods_text("Namn"),
        ods_text("Kontor")
    );
    let table = read_table(Format::Ods, &ods_with_rows(&rows)).expect("read");
    assert_eq!(table.len(), 1);
    assert_eq!(table[0].len(), 2);
    // 200 columns, 1,000 rows.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for c in 0..200u16 {
        ws.write_string(0, c, format!("Kolumn {c}")).unwrap();
    }
    ws.write_string(999, 199, "sist").unwrap();
    let table = read_table(Format::Xlsx, &wb.save_to_buffer().unwrap()).expect("read");
    assert_eq!((table.len(), table[999].len()), (1000, 200));
}

#[test]
fn a_cell_longer_than_excel_allows_is_refused() {
    let long = "å".repeat(40_000);
    let csv = format!("Namn;Beskrivning\r\nA;{long}\r\n");
    let e = refused(Format::Csv, csv.as_bytes(), Limit::CellChars, QUICK);
    assert_eq!((e.found, e.at.as_deref()), (40_000, Some("B2")));
    let sst = format!(
        r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Namn</t></si><si><t>{long}</t></si></sst>"#
    );
    let e = refused(
        Format::Xlsx,
        &xlsx_with("xl/sharedStrings.xml", sst.as_bytes()),
        Limit::CellChars,
        QUICK,
    );
    assert_eq!(e.at.as_deref(), Some("A2"));
}

#[test]
fn csv_lines_fields_and_records_are_capped() {
    let e = refused(
        Format::Csv,
        ";".repeat(20_000).as_bytes(),
        Limit::CsvFields,
        QUICK,
    );
    assert_eq!((e.found, e.at.as_deref()), (20_001, Some("1")));
    let field = "a".repeat(20_000);
    let long_line = format!("Namn;Beskrivning\n{}\n", vec![field; 100].join(";"));
    refused(
        Format::Csv,
        long_line.as_bytes(),
        Limit::CsvLineBytes,
        QUICK,
    );
    let records = ";\n".repeat(1_048_577);
    refused(Format::Csv, records.as_bytes(), Limit::CsvRecords, QUICK);
    let rows = format!("Namn\n{}", "a\n".repeat(100_000));
    let e = refused(Format::Csv, rows.as_bytes(), Limit::Rows, QUICK);
    assert_eq!(e.at.as_deref(), Some("A100001"));
    let big = vec![b'a'; 21 * 1024 * 1024];
    refused(Format::Csv, &big, Limit::FileBytes, QUICK);
}

// --- memory: each bomb read in a child process under an address-space cap ---

const CHILD_VAR: &str = "INSYN_IO_BOMB";

/// Runs in a child process (see `reading_bombs_keeps_the_process_small`):
/// reads the bomb named in INSYN_IO_BOMB and prints its peak resident size.
#[test]
#[ignore = "run by reading_bombs_keeps_the_process_small in a child process"]
fn child_reads_a_bomb() {
    let which = std::env::var(CHILD_VAR).expect("run by the parent test");
    let (format, bytes) = bomb(&which);
    // Making the bomb took memory of its own: count from here (resets VmHWM).
    std::fs::write("/proc/self/clear_refs", "5").expect("VmHWM reset");
    let r = read_table(format, &bytes);
    assert!(
        r.is_err(),
        "{which}: read {} rows",
        r.map_or(0, |t| t.len())
    );
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc");
    let hwm = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("VmHWM");
    println!("PEAK {hwm}");
}

fn bomb(which: &str) -> (Format, Vec<u8>) {
    match which {
        "corner" => (Format::Xlsx, sparse_corner_xlsx()),
        "deflate" => (Format::Xlsx, deflate_bomb_xlsx(64)),
        "deflate-liar" => (
            Format::Xlsx,
            declare_size(&deflate_bomb_xlsx(64), "xl/sharedStrings.xml", 1000),
        ),
        "ods" => (Format::Ods, ods_repeat_bomb(6_000)),
        other => panic!("no bomb {other}"),
    }
}

/// Each bomb is read by this test binary in a child process whose address
/// space is capped at 1 GiB (`ulimit -v`): a reader that allocated for what
/// the bomb declares would abort there. The child reports its peak resident
/// size (VmHWM) while reading, which must stay under 64 MiB: unpacking
/// buffers, not the bombs' declared contents.
#[test]
fn reading_bombs_keeps_the_process_small() {
    let exe = std::env::current_exe().expect("the test binary");
    for which in ["corner", "deflate", "deflate-liar", "ods"] {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(r#"ulimit -v 1048576 && exec "$0" --exact limit_tests::child_reads_a_bomb --ignored --nocapture --test-threads=1"#)
            .arg(&exe)
            .env(CHILD_VAR, which)
            .output()
            .expect("sh runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{which}: the child failed ({}):\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        let kb: u64 = stdout
            .lines()
            .find_map(|l| l.split("PEAK VmHWM:").nth(1))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or_else(|| panic!("{which}: no peak in\n{stdout}"));
        assert!(kb < 64 * 1024, "{which}: peak resident size {kb} kB");
        eprintln!("{which}: peak resident size {kb} kB");
    }
}

/// content.xml with the given body (the zip as `ods_with_rows` makes it,
/// but without closing the table: `rows` says where the document ends).
fn ods_content(body: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>{body}"#
    );
    let mut entries = unzip(&ods_with_rows(""));
    for e in &mut entries {
        if e.0 == "content.xml" {
            e.1 = content.clone().into_bytes();
        }
    }
    zip_entries(
        entries
            .iter()
            .map(|(n, c, s)| (n.as_str(), c.as_slice(), *s)),
    )
}

/// calamine 0.38's ODS reader loops forever when content.xml ends inside a
/// sheet or inside a cell's annotation (the fuzz harness found the first:
/// fuzz/crashes/ods/hang-e7a0557d7b4540bd.bin). Such files are refused
/// before calamine reads them.
#[test]
fn an_ods_that_ends_inside_a_sheet_or_an_annotation_is_refused_not_read_forever() {
    let cases = [
        format!(r#"<table:table table:name="Blad1"><table:table-row>{}</table:table-row>"#, ods_text("Namn")),
        // The sheet's end tag swallowed inside a cell, so calamine never sees it.
        r#"<table:table table:name="Blad1"><table:table-row><table:table-cell><x></table:table></table:table-cell></table:table-row></office:spreadsheet></office:body></office:document-content>"#.to_owned(),
        r#"<table:table table:name="Blad1"><table:table-row><table:table-cell office:value-type="string"><office:annotation><text:p>note"#.to_owned(),
    ];
    for body in cases {
        let t = Instant::now();
        let e = read_table(Format::Ods, &ods_content(&body)).expect_err("refused");
        assert!(matches!(e, ReadError::Spreadsheet(_)), "{e}");
        assert!(e.to_string().contains("ends inside"), "{e}");
        assert!(t.elapsed() < QUICK, "{body}");
    }
}

#[test]
fn ods_spaces_are_counted_as_the_reader_expands_them() {
    // <text:s text:c="N"/> is N spaces: one element asks for 4 GB of them.
    let cell = r#"<table:table-cell office:value-type="string"><text:p>a<text:s text:c="4000000000"/></text:p></table:table-cell>"#;
    let rows = format!(
        "<table:table-row>{}{cell}</table:table-row>",
        ods_text("Namn")
    );
    let e = refused(Format::Ods, &ods_with_rows(&rows), Limit::CellChars, QUICK);
    assert_eq!(e.at.as_deref(), Some("B1"));
    // Many cells each within the cap, together past what is read of a part.
    let cell = r#"<table:table-cell office:value-type="string"><text:p><text:s text:c="30000"/></text:p></table:table-cell>"#;
    let rows = format!("<table:table-row>{}</table:table-row>", cell.repeat(2000));
    refused(Format::Ods, &ods_with_rows(&rows), Limit::EntryBytes, QUICK);
}

/// calamine 0.38 overflows on cell references beyond Excel's bounds and on
/// a dimension that ends before it starts (the fuzz harness found all
/// three: fuzz/crashes/xlsx/): such sheets are refused before it reads them.
#[test]
fn cell_references_outside_a_sheet_are_refused_before_the_reader_overflows() {
    let sheet = |inner: &str| {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{inner}</worksheet>"#
        )
    };
    for (inner, says) in [
        (
            r#"<sheetData><row r="1"><c r="AAAAAAAAA1" t="inlineStr"><is><t>x</t></is></c></row></sheetData>"#,
            "outside a sheet",
        ),
        (
            r#"<sheetData><row r="99999999999"><c t="inlineStr"><is><t>x</t></is></c></row></sheetData>"#,
            "outside a sheet",
        ),
        (
            r#"<dimension ref="C3:A1"/><sheetData/>"#,
            "ends before it starts",
        ),
        // Seven letters overflow calamine before the '=' it would refuse.
        (
            r#"<dimension ref="A1:tabSelected="/><sheetData/>"#,
            "outside a sheet",
        ),
    ] {
        let file = xlsx_with("xl/worksheets/sheet1.xml", sheet(inner).as_bytes());
        let e = crate::read_table_unguarded(Format::Xlsx, &file).expect_err("refused");
        assert!(matches!(e, ReadError::Spreadsheet(_)), "{e}");
        assert!(e.to_string().contains(says), "{e}");
    }
    // Within the bounds, a wide dimension is only a declaration.
    let file = xlsx_with(
        "xl/worksheets/sheet1.xml",
        sheet(r#"<dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Namn</t></is></c></row></sheetData>"#).as_bytes(),
    );
    let rows = read_table(Format::Xlsx, &file).expect("read");
    assert_eq!(rows.len(), 1);
}
