//! Hostile workbooks, made in code, for the tests and the fuzz harness: each
//! is small on disk and asks a naive reader for gigabytes. Not for use
//! outside tests; public so that the integration tests and `insyn-fuzz` can
//! make the same files.

use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;

/// An .xlsx (about 5 KB) with cells A1 ("Namn") and XFD1048576: a reader
/// that makes a dense range of the sheet allocates for 17 billion cells.
pub fn sparse_corner_xlsx() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Namn").expect("A1");
    ws.write_string(1_048_575, 16_383, "x").expect("XFD1048576");
    wb.save_to_buffer().expect("an xlsx")
}

/// A small, valid .xlsx (header "Namn", one row) to build the others on.
pub fn plain_xlsx() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Namn").expect("A1");
    ws.write_string(1, 0, "Ekonomisystemet").expect("A2");
    wb.save_to_buffer().expect("an xlsx")
}

/// The entries of a zip, in order: (name, content, stored uncompressed).
pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>, bool)> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).expect("an entry");
            let mut v = vec![];
            f.read_to_end(&mut v).expect("readable");
            let stored = f.compression() == zip::CompressionMethod::Stored;
            (
                f.name().map(|n| n.into_owned()).unwrap_or_default(),
                v,
                stored,
            )
        })
        .collect()
}

/// A zip of the entries (deflated at the fastest level unless stored).
pub fn zip_entries<'a>(entries: impl IntoIterator<Item = (&'a str, &'a [u8], bool)>) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content, stored) in entries {
        let o = if stored {
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored)
        } else {
            SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .compression_level(Some(1))
        };
        w.start_file(name, o).expect("an entry");
        w.write_all(content).expect("written");
    }
    w.finish().expect("a zip").into_inner()
}

/// `plain_xlsx` with one entry's content replaced (or added).
pub fn xlsx_with(name: &str, content: &[u8]) -> Vec<u8> {
    let mut entries = unzip(&plain_xlsx());
    match entries.iter_mut().find(|e| e.0 == name) {
        Some(e) => e.1 = content.to_vec(),
        None => entries.push((name.to_owned(), content.to_vec(), false)),
    }
    zip_entries(
        entries
            .iter()
            .map(|(n, c, s)| (n.as_str(), c.as_slice(), *s)),
    )
}

/// A deflate bomb: an .xlsx (about 100 KB) whose shared string table
/// unpacks to one string of `mib` MiB, which a reader holds whole in memory.
pub fn deflate_bomb_xlsx(mib: usize) -> Vec<u8> {
    let mut sst = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2"><si><t>"#
        .to_vec();
    sst.resize(sst.len() + mib * 1024 * 1024, b'a');
    sst.extend_from_slice(b"</t></si><si><t>Ekonomisystemet</t></si></sst>");
    xlsx_with("xl/sharedStrings.xml", &sst)
}

/// The zip with the named entry's declared unpacked size set to `size` in
/// its local and central headers (a bomb that lies about its size).
pub fn declare_size(zip: &[u8], name: &str, size: u32) -> Vec<u8> {
    let mut out = zip.to_vec();
    let n = name.as_bytes();
    // (signature, offset of the name, offset of the unpacked size)
    for (sig, name_at, size_at) in [(b"PK\x03\x04", 30, 22), (b"PK\x01\x02", 46, 24)] {
        let mut i = 0;
        while let Some(p) = find(&out[i..], sig).map(|p| p + i) {
            if out.get(p + name_at..p + name_at + n.len()) == Some(n) {
                out[p + size_at..p + size_at + 4].copy_from_slice(&size.to_le_bytes());
            }
            i = p + 4;
        }
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

const ODS_MIME: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// An .ods with the given rows inside its one table (`<table:table-row>…`).
pub fn ods_with_rows(rows: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Blad1">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    zip_entries([
        ("mimetype", ODS_MIME, true),
        ("META-INF/manifest.xml", &manifest[..], false),
        ("content.xml", content.as_bytes(), false),
    ])
}

/// A text cell of an .ods.
pub fn ods_text(s: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string"><text:p>{s}</text:p></table:table-cell>"#
    )
}

/// An .ods (under 1 KB) whose second row, a number repeated across all
/// 16,384 columns, repeats `rows` times: a reader that expands the repeat
/// counts holds `rows` × 16,384 cells.
pub fn ods_repeat_bomb(rows: u64) -> Vec<u8> {
    ods_with_rows(&format!(
        r#"<table:table-row>{}</table:table-row><table:table-row table:number-rows-repeated="{rows}"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>"#,
        ods_text("Namn")
    ))
}
