//! The messy ASR spreadsheets in testdata/ (made with LibreOffice, see
//! testdata/README.md): the same content as .xlsx, .ods and a Windows-1252
//! CSV must give the same records and issues.

use crate::*;
use chrono::NaiveDate;
use insyn_domain::{Hosting, Lifecycle};
use std::path::PathBuf;

pub(crate) fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(name)
}

const FILES: &[(&str, Format)] = &[
    ("asr-messy.xlsx", Format::Xlsx),
    ("asr-messy.ods", Format::Ods),
    ("asr-messy-cp1252.csv", Format::Csv),
];

// The header titles as in the file.
const NAME: &str = "IT-syste-\nmets\nnamn";
const USERS: &str = "Antal\nanvända-\nre";
const CRITICAL: &str = "Verksam-\nhetskri-\ntiskt\n(Ja/Nej)";
const GO_LIVE: &str = "Driftsätt-\nningsda-\ntum";
const HOSTING: &str = "Drift-\nform";

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

fn person(
    role: &'static str,
    name: &str,
    title: Option<&str>,
    email: Option<&str>,
) -> (&'static str, PersonCell) {
    (
        role,
        PersonCell {
            name: name.into(),
            title: title.map(Into::into),
            email: email.map(Into::into),
        },
    )
}

fn owner(name: &str, title: &str) -> (&'static str, PersonCell) {
    person("system_owner", name, Some(title), None)
}

fn manager(name: &str) -> (&'static str, PersonCell) {
    person("system_manager", name, None, None)
}

fn issue(
    row: usize,
    column: &str,
    field: Field,
    severity: Severity,
    code: &'static str,
    value: &str,
) -> Issue {
    Issue {
        row,
        column: column.into(),
        field: Some(field),
        severity,
        code,
        value: value.into(),
    }
}

fn warning(row: usize, column: &str, field: Field, code: &'static str, value: &str) -> Issue {
    issue(row, column, field, Severity::Warning, code, value)
}

fn error(row: usize, column: &str, field: Field, code: &'static str, value: &str) -> Issue {
    issue(row, column, field, Severity::Error, code, value)
}

fn record(row: usize, values: Values, issues: Vec<Issue>) -> Record {
    Record {
        row,
        values,
        issues,
        duplicate_of: None,
    }
}

/// What every format must give. `fraction` is 12.5 as the file shows it
/// (a number cell in a workbook, Swedish "12,5" in the CSV).
fn expected(fraction: &str) -> Vec<Record> {
    let exchange = Values {
        office: s("KLK"),
        department: s("IT-enheten"),
        name: s("Microsoft Exchange 2003"),
        description: s("Kommunens gemensamma e-postsystem"),
        people: vec![owner("Jonas Knutson", "IT-chef"), manager("Jens Lind")],
        user_count: Some(1900),
        business_critical: Some(true),
        go_live_date: date(2004, 4, 1),
        hosting: Some(Hosting::Internal),
        lifecycle: Some(Lifecycle::InOperation),
        ..Values::default()
    };
    vec![
        record(4, exchange.clone(), vec![]),
        record(
            5,
            Values {
                office: s("SBK"),
                department: s("Bygglovsavdelningen"),
                name: s("ByggR"),
                description: s("Ärendehantering för bygglov"),
                people: vec![
                    owner("Eva Ek", "Stadsbyggnadsdirektör"),
                    manager("Anna Berg"),
                    manager("Per Ek"),
                ],
                user_count: Some(350),
                business_critical: Some(true),
                go_live_date: date(2004, 5, 1),
                hosting: Some(Hosting::Saas),
                lifecycle: Some(Lifecycle::InOperation),
                ..Values::default()
            },
            vec![warning(
                5,
                USERS,
                Field::UserCount,
                "import-approximate",
                "ca 350",
            )],
        ),
        record(
            6,
            Values {
                office: s("SOC"),
                department: s("Äldreomsorg"),
                name: s("Treserva"),
                description: s("Verksamhetssystem för socialtjänsten"),
                people: vec![
                    person(
                        "system_owner",
                        "Kim Holm",
                        None,
                        Some("kim.holm@sodertalje.se"),
                    ),
                    manager("Lena Ås"),
                    manager("Olle Berg"),
                ],
                user_count: Some(1250),
                business_critical: Some(true),
                go_live_date: date(2004, 1, 1),
                hosting: Some(Hosting::External),
                lifecycle: Some(Lifecycle::PhasingOut),
                ..Values::default()
            },
            vec![warning(
                6,
                GO_LIVE,
                Field::GoLiveDate,
                "import-year-only",
                "2004",
            )],
        ),
        record(
            8,
            Values {
                office: s("UBF"),
                department: s("Skola"),
                name: s("Skolplattform"),
                description: s("Lärplattform för grundskolan"),
                people: vec![
                    owner("Maria Lund", "Förvaltningschef"),
                    person(
                        "system_manager",
                        "ola.ny@sodertalje.se",
                        None,
                        Some("ola.ny@sodertalje.se"),
                    ),
                ],
                user_count: Some(2300),
                business_critical: Some(false),
                go_live_date: date(2019, 8, 1),
                hosting: Some(Hosting::Saas),
                lifecycle: Some(Lifecycle::Planned),
                ..Values::default()
            },
            vec![warning(
                8,
                GO_LIVE,
                Field::GoLiveDate,
                "import-month-only",
                "2019-08",
            )],
        ),
        Record {
            duplicate_of: Some(4),
            ..record(
                9,
                exchange,
                vec![warning(
                    9,
                    NAME,
                    Field::Name,
                    "import-duplicate-row",
                    "Microsoft Exchange 2003",
                )],
            )
        },
        record(
            10,
            Values {
                office: s("KSF"),
                department: s("HR"),
                name: s("Personec P"),
                description: s("Lönesystem"),
                people: vec![
                    owner("Ulla Svensson", "HR-chef"),
                    manager("Bo Ek"),
                    manager("Siv Öst"),
                ],
                user_count: Some(13),
                business_critical: Some(true),
                go_live_date: date(2004, 5, 1),
                hosting: Some(Hosting::Internal),
                lifecycle: Some(Lifecycle::Procuring),
                ..Values::default()
            },
            vec![warning(
                10,
                USERS,
                Field::UserCount,
                "import-fraction",
                fraction,
            )],
        ),
        record(
            11,
            Values {
                office: s("KLK"),
                department: s("Ekonomi"),
                description: s("Budgetverktyg"),
                people: vec![owner("Per Ström", "Ekonomichef")],
                user_count: Some(40),
                ..Values::default()
            },
            vec![
                warning(
                    11,
                    USERS,
                    Field::UserCount,
                    "import-approximate",
                    "cirka 40",
                ),
                error(
                    11,
                    CRITICAL,
                    Field::BusinessCritical,
                    "import-not-yes-no",
                    "Kanske",
                ),
                error(11, GO_LIVE, Field::GoLiveDate, "import-not-a-date", "snart"),
                error(
                    11,
                    HOSTING,
                    Field::Hosting,
                    "import-unknown-hosting",
                    "Hemma",
                ),
                error(
                    11,
                    "Status",
                    Field::Lifecycle,
                    "import-unknown-lifecycle",
                    "Okänd",
                ),
                error(11, NAME, Field::Name, "import-missing-name", ""),
            ],
        ),
        record(
            12,
            Values {
                office: s("SBK"),
                department: s("Miljö"),
                name: s("Ecos2"),
                description: s("Miljö- och hälsoskyddsärenden"),
                people: vec![
                    owner("Anna-Karin Lindqvist-Berg", "miljöchef"),
                    manager("Sara Ek"),
                    manager("Tom Al"),
                ],
                user_count: Some(120),
                business_critical: Some(false),
                go_live_date: date(2011, 10, 3),
                hosting: Some(Hosting::External),
                lifecycle: Some(Lifecycle::Decommissioned),
                ..Values::default()
            },
            vec![warning(
                12,
                USERS,
                Field::UserCount,
                "import-approximate",
                "~120",
            )],
        ),
        record(
            13,
            Values {
                office: s("KSF"),
                department: s("Kommunikation"),
                name: s("Sitevision"),
                description: s("Webbpublicering"),
                people: vec![
                    owner("Li Ng", "Kommunikationschef"),
                    person("system_manager", "Eva Nord", Some("Webbredaktör"), None),
                ],
                user_count: Some(350),
                business_critical: Some(true),
                go_live_date: date(2015, 1, 1),
                hosting: Some(Hosting::Saas),
                lifecycle: Some(Lifecycle::InOperation),
                ..Values::default()
            },
            vec![
                warning(13, USERS, Field::UserCount, "import-approximate", "350+"),
                warning(
                    13,
                    GO_LIVE,
                    Field::GoLiveDate,
                    "import-approximate",
                    "ungefär 2015",
                ),
                warning(
                    13,
                    GO_LIVE,
                    Field::GoLiveDate,
                    "import-year-only",
                    "ungefär 2015",
                ),
            ],
        ),
        record(
            14,
            Values {
                office: s("Osv…"),
                ..Values::default()
            },
            vec![error(14, NAME, Field::Name, "import-missing-name", "")],
        ),
    ]
}

fn read(name: &str, format: Format) -> Vec<Vec<Cell>> {
    let bytes = std::fs::read(path(name)).unwrap();
    assert_eq!(detect_format(name, &bytes), Some(format), "{name}");
    read_table(format, &bytes).unwrap()
}

#[test]
fn asr_header_is_found_below_the_title_in_every_format() {
    for (name, format) in FILES {
        let rows = read(name, *format);
        let h = find_header(&rows).unwrap();
        assert_eq!(h.row, 2, "{name}");
        assert_eq!(
            h.columns,
            vec![
                Some(Field::Office),
                Some(Field::Department),
                Some(Field::Name),
                Some(Field::Description),
                Some(Field::SystemOwner),
                Some(Field::SystemManager),
                Some(Field::UserCount),
                Some(Field::BusinessCritical),
                Some(Field::GoLiveDate),
                Some(Field::Hosting),
                Some(Field::Lifecycle),
                None,
            ],
            "{name}"
        );
        assert_eq!(h.titles[2], NAME, "{name}");
        assert_eq!(h.titles[11], "Osv…", "{name}");
        // The title row; the second sheet ("Instruktioner") is not read.
        assert_eq!(
            rows[0][0],
            Cell::Text("Applikationssamordningsregister (ASR) – utdrag 2024-03-01".into())
        );
        assert!(
            rows.iter()
                .flatten()
                .all(|c| *c != Cell::Text("Fyll i ett system per rad.".into()))
        );
    }
}

#[test]
fn asr_records_are_the_same_from_every_format() {
    for (name, format) in FILES {
        let rows = read(name, *format);
        let records = parse_rows(&rows, &find_header(&rows).unwrap());
        let fraction = if *format == Format::Csv {
            "12,5"
        } else {
            "12.5"
        };
        let want = expected(fraction);
        assert_eq!(records.len(), want.len(), "{name}");
        for (got, want) in records.iter().zip(&want) {
            assert_eq!(got, want, "{name}, row {}", want.row);
        }
    }
}

#[test]
fn workbooks_keep_cell_types_and_the_csv_is_text() {
    let xlsx = read("asr-messy.xlsx", Format::Xlsx);
    let ods = read("asr-messy.ods", Format::Ods);
    for rows in [&xlsx, &ods] {
        assert_eq!(rows[3][6], Cell::Number(1900.0));
        assert_eq!(rows[3][8], Cell::Date(date(2004, 4, 1).unwrap()));
        assert_eq!(rows[7][6], Cell::Number(2300.0));
        assert_eq!(rows[12][7], Cell::Bool(true));
        assert_eq!(rows[4][5], Cell::Text("Anna Berg\nPer Ek".into()));
    }
    assert_eq!(xlsx, ods);
    let csv = read("asr-messy-cp1252.csv", Format::Csv);
    assert_eq!(csv[3][6], Cell::Text("1900".into()));
    assert_eq!(csv[7][6], Cell::Text("2\u{a0}300".into()));
    assert_eq!(csv[12][7], Cell::Text("TRUE".into()));
    assert_eq!(csv[5][1], Cell::Text("Äldreomsorg".into()));
}
