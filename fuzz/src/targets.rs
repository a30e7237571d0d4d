//! The fuzz targets: every parser of outside input, each with its seeds,
//! the tokens its format is made of, and two ways to run an input: `probe`
//! as the fuzzer runs it (a spreadsheet reader's panic goes through, to be
//! found) and `run` as insyn runs it (for replaying saved crashes).

use insyn_domain::policy::{self, Profile, SystemFacts};
use insyn_io::{Field, Format, find_header, header_key, parse_rows};
use std::collections::HashMap;
use std::path::PathBuf;

mod config;
mod feed;
mod hr;
mod service_follow_ups;

/// What an input led to: `Ok` with a summary, or `Err` with the refusal's
/// kind. Both are only for telling outcomes apart (new ones join the corpus).
pub type Outcome = Result<String, String>;

pub struct Target {
    pub name: &'static str,
    /// The input is a zip (a workbook): mutations go inside its entries too.
    pub zip: bool,
    pub max_len: usize,
    pub dict: &'static [&'static str],
    pub seeds: fn() -> Vec<Vec<u8>>,
    pub probe: fn(&[u8]) -> Outcome,
    pub run: fn(&[u8]) -> Outcome,
}

pub const TARGETS: &[Target] = &[
    Target {
        name: "xlsx",
        zip: true,
        max_len: 2 * 1024 * 1024,
        dict: XLSX_DICT,
        seeds: xlsx_seeds,
        probe: |b| spreadsheet(Format::Xlsx, b, false),
        run: |b| spreadsheet(Format::Xlsx, b, true),
    },
    Target {
        name: "ods",
        zip: true,
        max_len: 2 * 1024 * 1024,
        dict: ODS_DICT,
        seeds: ods_seeds,
        probe: |b| spreadsheet(Format::Ods, b, false),
        run: |b| spreadsheet(Format::Ods, b, true),
    },
    Target {
        name: "csv",
        zip: false,
        max_len: 256 * 1024,
        dict: CSV_DICT,
        seeds: csv_seeds,
        probe: |b| spreadsheet(Format::Csv, b, false),
        run: |b| spreadsheet(Format::Csv, b, true),
    },
    Target {
        name: "full-json",
        zip: false,
        max_len: 512 * 1024,
        dict: JSON_DICT,
        seeds: json_seeds,
        probe: full_json,
        run: full_json,
    },
    Target {
        name: "policy",
        zip: false,
        max_len: 128 * 1024,
        dict: TOML_DICT,
        seeds: policy_seeds,
        probe: policy_toml,
        run: policy_toml,
    },
    Target {
        name: "user-list",
        zip: false,
        max_len: 256 * 1024,
        dict: USER_LIST_DICT,
        seeds: user_list_seeds,
        probe: user_list,
        run: user_list,
    },
    Target {
        name: "hr-file",
        zip: false,
        max_len: 256 * 1024,
        dict: hr::HR_FILE_DICT,
        seeds: hr::hr_file_seeds,
        probe: hr::hr_file,
        run: hr::hr_file,
    },
    Target {
        name: "mapping",
        zip: false,
        max_len: 64 * 1024,
        dict: MAPPING_DICT,
        seeds: mapping_seeds,
        probe: mapping,
        run: mapping,
    },
    Target {
        name: "service-follow-ups",
        zip: false,
        max_len: 256 * 1024,
        dict: service_follow_ups::SERVICE_FOLLOW_UP_DICT,
        seeds: service_follow_ups::service_follow_up_seeds,
        probe: service_follow_ups::service_follow_ups,
        run: service_follow_ups::service_follow_ups,
    },
    Target {
        name: "webhook-draft",
        zip: false,
        max_len: 16 * 1024,
        dict: feed::FEED_DICT,
        seeds: feed::webhook_seeds,
        probe: feed::webhook_draft,
        run: feed::webhook_draft,
    },
    Target {
        name: "config",
        zip: false,
        max_len: 16 * 1024,
        dict: config::CONFIG_DICT,
        seeds: config::config_seeds,
        probe: config::config,
        run: config::config,
    },
    Target {
        name: "hr-person",
        zip: false,
        max_len: 16 * 1024,
        dict: feed::FEED_DICT,
        seeds: feed::hr_person_seeds,
        probe: feed::hr_person,
        run: feed::hr_person,
    },
];

pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

/// An error's text without its numbers: outcomes that differ only in a count are one.
fn kind(code: &str, detail: &str) -> String {
    let d: String = detail
        .chars()
        .filter(|c| !c.is_ascii_digit())
        .take(60)
        .collect();
    format!("{code}:{d}")
}

/// A size bucket: 0, 1, 2–3, 4–7, …
fn bucket(n: usize) -> u32 {
    usize::BITS - n.leading_zeros()
}

// --- spreadsheets: the whole import read path of crates/io ---------------------

/// `guarded`: through `parse_file_mapped`, the entry point of the upload
/// page and `insyn import`; else the same steps with the reader's panics let through.
fn spreadsheet(format: Format, bytes: &[u8], guarded: bool) -> Outcome {
    let name = format!("upload.{}", format.extension());
    let (header, records, rows) = if guarded {
        let (header, records) = insyn_io::parse_file_mapped(&name, bytes, &HashMap::new(), None)
            .map_err(|e| kind(e.code(), &e.to_string()))?;
        let rows = insyn_io::read_table(format, bytes).map_err(|e| kind(e.code(), ""))?;
        (header, records, rows)
    } else {
        let _ = insyn_io::detect_format(&name, bytes);
        let rows = insyn_io::read_table_unguarded(format, bytes)
            .map_err(|e| kind(e.code(), &e.to_string()))?;
        let header = find_header(&rows).ok_or("no-header")?;
        let records = parse_rows(&rows, &header);
        (header, records, rows)
    };
    // The remembered mapping, as the next import of the organisation uses it.
    let mapping: HashMap<String, Option<Field>> = header
        .keys()
        .into_iter()
        .zip(header.columns.iter().copied())
        .collect();
    let again = find_header(&rows)
        .ok_or("no-header-again")?
        .remembered(&mapping);
    let issues: usize = records.iter().map(|r| r.issues.len()).sum();
    Ok(format!(
        "rows {} cols {} records {} issues {} repeated {}",
        bucket(rows.len()),
        bucket(header.columns.len()),
        bucket(records.len()),
        bucket(issues),
        again.repeated().len()
    ))
}

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path)
}

fn read(path: &str) -> Vec<u8> {
    let p = repo(path);
    std::fs::read(&p).unwrap_or_else(|e| panic!("seed {}: {e}", p.display()))
}

fn xlsx_seeds() -> Vec<Vec<u8>> {
    let table = insyn_io::write_xlsx(
        &[
            "Systemnamn".into(),
            "Systemägare".into(),
            "Antal användare".into(),
            "Driftsatt".into(),
        ],
        &[
            vec![
                "Ekonomi".into(),
                "Åsa Ö <asa@kommunen.se>".into(),
                "ca 40".into(),
                "2004-04-01".into(),
            ],
            vec!["Lön".into(), "".into(), "12".into(), "2010".into()],
        ],
    )
    .expect("an xlsx");
    vec![
        read("crates/io/testdata/asr-messy.xlsx"),
        insyn_io::bombs::plain_xlsx(),
        insyn_io::bombs::sparse_corner_xlsx(),
        table,
    ]
}

fn ods_seeds() -> Vec<Vec<u8>> {
    use insyn_io::bombs::{ods_repeat_bomb, ods_text, ods_with_rows};
    vec![
        read("crates/io/testdata/asr-messy.ods"),
        ods_with_rows(&format!(
            r#"<table:table-row>{}{}</table:table-row><table:table-row table:number-rows-repeated="2">{}<table:table-cell office:value-type="float" office:value="12"><text:p>12</text:p></table:table-cell><table:table-cell table:number-columns-repeated="1020"/></table:table-row><table:table-row table:number-rows-repeated="1048573"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#,
            ods_text("Systemnamn"),
            ods_text("Antal användare"),
            ods_text("Ekonomi")
        )),
        ods_repeat_bomb(3),
    ]
}

fn csv_seeds() -> Vec<Vec<u8>> {
    vec![
        read("crates/io/testdata/asr-messy-cp1252.csv"),
        "\u{feff}Systemnamn,Systemägare,Antal användare\n\"Ekonomi, central\",\"Åsa \"\"Ö\"\"\",ca 40\nLön,,12\n"
            .as_bytes()
            .to_vec(),
        b"Titel;;\r\n;;\r\nSystemnamn;Driftsatt;Verksamhetskritiskt\r\n=Ekonomi;2004;Ja\r\n'=L\xf6n;2010-13-01;nej\r\n"
            .to_vec(),
        b"Systemnamn\tKontor\nA\tB\n".to_vec(),
    ]
}

// --- a system's user list (crates/io/src/roster.rs) -----------------------------

/// `read_user_list` on a CSV file: every account it returns names a user
/// name or a valid e-mail address, on a row below the header, in order.
fn user_list(bytes: &[u8]) -> Outcome {
    let list = insyn_io::read_user_list("users.csv", bytes).map_err(|e| kind(e.code(), ""))?;
    let mut last = list.header_row;
    for a in &list.accounts {
        assert!(a.row > last, "rows out of order: {} after {last}", a.row);
        last = a.row;
        assert!(
            a.account.is_some() || a.email.is_some(),
            "row {} has neither account nor e-mail",
            a.row
        );
        if let Some(e) = &a.email {
            assert!(
                insyn_domain::validation::is_email(e),
                "row {}: {e:?}",
                a.row
            );
        }
    }
    Ok(format!(
        "cols {} accounts {} issues {}",
        list.columns.len(),
        bucket(list.accounts.len()),
        bucket(list.issues.len())
    ))
}

fn user_list_seeds() -> Vec<Vec<u8>> {
    vec![
        "Användare i Procapita;;\r\nAnvändarnamn;Namn;E-post;Behörighet\r\nkim01;Kim;kim@exempelstad.se;Handläggare\r\n;Lo;;Läsare\r\n"
            .as_bytes()
            .to_vec(),
        b"displayName,userPrincipalName,group\nKim,kim@exempelstad.se,Readers\nBo,not-an-address,\n".to_vec(),
    ]
}

const USER_LIST_DICT: &[&str] = &[
    "Anv\u{e4}ndarnamn",
    "E-post",
    "Beh\u{f6}righet",
    "Namn",
    "userPrincipalName",
    "sAMAccountName",
    ";",
    ",",
    "\"",
    "\r\n",
    "@",
    "@exempelstad.se",
];

// --- the full export (crates/store/src/full.rs) ---------------------------------

/// `FullExport::from_json`, the entry point of `insyn import-full`, which
/// checks the document without a database; then its own output must read
/// back the same.
fn full_json(bytes: &[u8]) -> Outcome {
    use insyn_store::full::FullExport;
    let doc = FullExport::from_json(bytes).map_err(|e| kind("refused", &e.to_string()))?;
    let again = FullExport::from_json(&doc.to_json())
        .unwrap_or_else(|e| panic!("a document read does not read back from its own JSON: {e}"));
    assert_eq!(again, doc, "a document read back differs");
    Ok(format!(
        "sections {} appendix {}",
        doc.sections.len(),
        bucket(doc.audit_appendix.len())
    ))
}

fn json_seeds() -> Vec<Vec<u8>> {
    vec![
        read("fuzz/seeds/full-json/asr-messy.json"),
        br#"{"format":"insyn-full-export","format_version":1,"generator":"x","exported_at":"2026-01-01T00:00:00Z","organisation":"k","not_exported":[],"sections":{},"audit_appendix":[]}"#.to_vec(),
    ]
}

// --- policy profiles (insyn_domain::policy) -------------------------------------

/// A profile as an administrator uploads it: parsed, checked, evaluated for
/// a system, its due dates listed, and written back to TOML that parses.
fn policy_toml(bytes: &[u8]) -> Outcome {
    let text = String::from_utf8_lossy(bytes);
    let codes: Vec<&str> = insyn_domain::model::DEFAULT_ROLE_TYPES
        .iter()
        .map(|r| r.0)
        .collect();
    let profile = Profile::from_toml(&text, &codes).map_err(|errs| {
        let first = errs.first().map(|e| e.code).unwrap_or("none");
        kind(first, &format!("{}", errs.len().min(3)))
    })?;
    let start = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).expect("a date");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("a date");
    let findings = policy::evaluate_system(&profile, &SystemFacts::new(start), today);
    for c in &profile.controls {
        policy::due_dates_in_year(c, today, 2026);
    }
    let back = Profile::parse_unchecked(&profile.to_toml())
        .unwrap_or_else(|e| panic!("a checked profile does not read back from its TOML: {e:?}"));
    assert_eq!(back, profile, "a profile read back differs");
    Ok(format!(
        "rules {} findings {}",
        bucket(profile.roles.len() + profile.artefacts.len() + profile.controls.len()),
        bucket(findings.len())
    ))
}

fn policy_seeds() -> Vec<Vec<u8>> {
    let dir = repo("crates/domain/profiles");
    let mut out: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
        .filter_map(|e| std::fs::read(e.path()).ok())
        .collect();
    out.sort();
    out
}

// --- the import's column mapping (the dry-run page's form) ----------------------

/// An input is a submitted mapping form (`col-0=name&col-1=…`), a blank
/// line, and a CSV file; the form is applied to the file's header as the
/// dry-run page applies it, and remembered as the next import reads it.
fn mapping(bytes: &[u8]) -> Outcome {
    let (form, file) = match bytes.windows(2).position(|w| w == b"\n\n") {
        Some(i) => (&bytes[..i], &bytes[i + 2..]),
        None => (bytes, "Systemnamn;Systemägare\nA;B\n".as_bytes()),
    };
    let form = insyn_web::forms::FormData::parse(form);
    let rows = insyn_io::read_table(Format::Csv, file).map_err(|e| kind(e.code(), ""))?;
    let header = find_header(&rows).ok_or("no-header")?;
    let remembered: HashMap<String, Option<Field>> = form
        .0
        .iter()
        .map(|(k, v)| (header_key(k), Field::parse(v)))
        .collect();
    let mut header = header.remembered(&remembered);
    let (columns, unknown) =
        insyn_web::html::import::mapping_from_form(&form, header.columns.len());
    header.columns = columns;
    let repeated = header.repeated();
    let keys = header.keys();
    assert_eq!(keys.len(), header.columns.len(), "a key for every column");
    let records = parse_rows(&rows, &header);
    Ok(format!(
        "cols {} unknown {} repeated {} name {} records {}",
        bucket(header.columns.len()),
        bucket(unknown.len()),
        bucket(repeated.len()),
        header.column_of(Field::Name).is_some(),
        bucket(records.len())
    ))
}

fn mapping_seeds() -> Vec<Vec<u8>> {
    vec![
        "col-0=name&col-1=system_owner&col-2=&col-3=bogus\n\nSystemnamn;Systemägare;Kontor;X\nA;B;C;D\n"
            .as_bytes()
            .to_vec(),
        b"col-0=name&col-1=name\n\nNamn;Namn\nA;B\n".to_vec(),
        "Systemnamn=name&%C3%84gare=system_owner&col-1=user_count\n\nSystemnamn;Ägare\nEkonomi;ca 40\n"
            .as_bytes()
            .to_vec(),
        b"col-0=%FF%FE&col-0=notes&col-18446744073709551616=name\n\nTitel\n\nNamn;Driftsatt\nA;2004\n".to_vec(),
    ]
}

// --- the tokens of each format --------------------------------------------------

const XLSX_DICT: &[&str] = &[
    r#"<c r="XFD1048576" t="s"><v>0</v></c>"#,
    r#"<c r="A1" t="inlineStr"><is><t>Namn</t></is></c>"#,
    r#"<c r="B2" t="n"><v>1e308</v></c>"#,
    r#"<c r="C3" t="b"><v>1</v></c>"#,
    r#"<c r="D4" t="e"><v>#N/A</v></c>"#,
    r#"<c r="E5" t="d"><v>2026-13-45T25:61:00</v></c>"#,
    r#"<c r="F6" s="1"><v>45000.5</v></c>"#,
    r#"<c r="AAAAAAAAAA1"><v>1</v></c>"#,
    r#"<c><v>1</v></c>"#,
    r#"<row r="1048576">"#,
    r#"<row r="0">"#,
    "</row>",
    r#"<dimension ref="A1:XFD1048576"/>"#,
    r#"<sst count="4294967296" uniqueCount="4294967296">"#,
    "<si><t>x</t></si>",
    r#"<si><r><t xml:space="preserve"> a </t></r><r><t>b</t></r></si>"#,
    "<sheetData>",
    "</sheetData>",
    "<f>SUM(A1:A2)</f>",
    r#"<f t="shared" ref="A1:A9" si="0"/>"#,
    r#"<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>"#,
    r#"<xf numFmtId="14"/>"#,
    r#"<sheet name="Blad1" sheetId="1" r:id="rId1"/>"#,
    r#"<workbookPr date1904="1"/>"#,
    "&amp;",
    "&#0;",
    "&#x1F600;",
    "&bogus;",
    "<![CDATA[x]]>",
    "<!-- c -->",
    "<?xml version=\"1.0\" encoding=\"UTF-16\"?>",
    r#" t="s""#,
    r#" r="A1""#,
    " s=\"99999\"",
];

const ODS_DICT: &[&str] = &[
    r#" table:number-columns-repeated="16384""#,
    r#" table:number-rows-repeated="1048576""#,
    r#" table:number-columns-repeated="0""#,
    r#" table:number-rows-repeated="18446744073709551616""#,
    r#"<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>"#,
    r#"<table:table-cell office:value-type="string"><text:p>Namn</text:p></table:table-cell>"#,
    r#"<table:table-cell office:value-type="date" office:date-value="2026-02-30"/>"#,
    r#"<table:table-cell office:value-type="time" office:time-value="PT99999H"/>"#,
    r#"<table:table-cell office:value-type="boolean" office:boolean-value="true"/>"#,
    r#"<table:table-cell table:formula="of:=[.A1]+1"/>"#,
    "<table:table-cell/>",
    "<table:covered-table-cell/>",
    "<table:table-row>",
    "</table:table-row>",
    r#"<table:table table:name="X">"#,
    "</table:table>",
    "<text:p>",
    "</text:p>",
    r#"<text:s text:c="99999"/>"#,
    "<text:line-break/>",
    "<table:table-row-group>",
    "<table:table-header-rows>",
    " office:value=\"1e309\"",
    "&amp;",
    "&#0;",
];

const CSV_DICT: &[&str] = &[
    ";",
    ",",
    "\t",
    "\"",
    "\"\"",
    "\r\n",
    "\n",
    "\r",
    "=",
    "'=",
    "+",
    "-",
    "@",
    "\u{feff}",
    "\u{fffd}",
    "\u{0}",
    "Systemnamn",
    "Namn",
    "Systemägare",
    "Driftsatt",
    "Antal användare",
    "Verksamhetskritiskt",
    "ca 40",
    "2004-04-01",
    "Ja",
    "Åsa Ö <asa@kommunen.se>",
    "https://",
    "\\",
    "\"a\nb\"",
];

const JSON_DICT: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "null",
    "true",
    "false",
    "\"\"",
    "1e999",
    "-0",
    "0.1",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "18446744073709551616",
    "[[[[[[[[[[[[[[[[",
    "\"format_version\":",
    "\"sections\":{",
    "\"systems\":[{",
    "\"units\":[{",
    "\"audit_appendix\":[{",
    "\"id\":\"00000000-0000-0000-0000-000000000000\"",
    "\"exported_at\":\"9999-12-31T23:59:59Z\"",
    "\"org_id\":",
    "\"name\":",
    "\"unknown_section\":[]",
];

const TOML_DICT: &[&str] = &[
    "[[role]]\nid = \"r\"\nany_of = [\"system_owner\"]\ntext_sv = \"a\"\ntext_en = \"b\"\n",
    "[[control]]\n",
    "[[artefact]]\n",
    "[[deadline]]\n",
    "[[checklist]]\n",
    "id = \"",
    "any_of = [",
    "interval_months = ",
    "= 0",
    "= -1",
    "= 2147483647",
    "= 9223372036854775807",
    "\"\"\"",
    "'''",
    "inf",
    "nan",
    "1979-05-27T07:32:00Z",
    "0x7fffffffffffffff",
    "when = { business_critical = true }",
    "when = { min_users = 99999999999 }",
    "when = { hosting = [\"saas\"] }",
    "\n",
    "=",
    "\"",
    "[",
    "]",
    "{",
    "}",
];

const MAPPING_DICT: &[&str] = &[
    "col-0=",
    "&col-",
    "&col-1=",
    "col-199=",
    "col-18446744073709551616=",
    "=",
    "&",
    "&&",
    "+",
    "%FF",
    "%00",
    "%C3%A4",
    "name",
    "system_owner",
    "user_count",
    "go_live_date",
    "notes",
    "short_name",
    "\n\n",
    ";",
    "\n",
    "Systemnamn",
    "Namn",
];
