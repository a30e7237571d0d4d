use super::*;

fn t(s: &str) -> Cell {
    Cell::Text(s.into())
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn yes_and_no() {
    for yes in [
        "Ja", "JA", "ja", "ja.", " yes ", "x", "X", "Sant", "TRUE", "1",
    ] {
        assert_eq!(parse_bool(&t(yes)), Ok((Some(true), vec![])), "{yes}");
    }
    for no in ["Nej", "NEJ", "nej", "no", "No", "FALSKT", "false", "0"] {
        assert_eq!(parse_bool(&t(no)), Ok((Some(false), vec![])), "{no}");
    }
    assert_eq!(parse_bool(&Cell::Bool(true)), Ok((Some(true), vec![])));
    assert_eq!(parse_bool(&Cell::Number(0.0)), Ok((Some(false), vec![])));
    for empty in [Cell::Empty, t("-"), t("  ")] {
        assert_eq!(parse_bool(&empty), Ok((None, vec![])));
    }
    for bad in ["Kanske", "Ja/Nej", "delvis", "2"] {
        assert_eq!(parse_bool(&t(bad)), Err(NOT_YES_NO), "{bad}");
    }
    assert_eq!(parse_bool(&Cell::Number(2.0)), Err(NOT_YES_NO));
}

#[test]
fn approximate_counts() {
    for s in [
        "ca 350",
        "ca. 350",
        "Ca 350",
        "c:a 350",
        "cirka 350",
        "~350",
        "~ 350",
        "350+",
        "ungefär 350",
        "Ungefär 350 st",
        "över 350",
        "350 ca",
        "ca 350 användare",
    ] {
        assert_eq!(
            parse_integer(&t(s)),
            Ok((Some(350), vec![APPROXIMATE])),
            "{s}"
        );
    }
}

#[test]
fn grouped_and_plain_counts() {
    for s in [
        "1 250",
        "1\u{a0}250",
        "1\u{202f}250",
        "1.250",
        "1,250",
        "1250",
        "1250 st",
    ] {
        assert_eq!(parse_integer(&t(s)), Ok((Some(1250), vec![])), "{s}");
    }
    assert_eq!(
        parse_integer(&t("1 234 567")),
        Ok((Some(1_234_567), vec![]))
    );
    assert_eq!(
        parse_integer(&t("1.234.567")),
        Ok((Some(1_234_567), vec![]))
    );
    assert_eq!(parse_integer(&t("12,5")), Ok((Some(13), vec![FRACTION])));
    assert_eq!(parse_integer(&t("12.25")), Ok((Some(12), vec![FRACTION])));
    assert_eq!(
        parse_integer(&Cell::Number(1900.0)),
        Ok((Some(1900), vec![]))
    );
    assert_eq!(
        parse_integer(&Cell::Number(12.5)),
        Ok((Some(13), vec![FRACTION]))
    );
    assert_eq!(parse_integer(&Cell::Empty), Ok((None, vec![])));
    for bad in ["många", "300-400", "1.2.3", "12,", "ca", "x"] {
        assert_eq!(parse_integer(&t(bad)), Err(NOT_A_NUMBER), "{bad}");
    }
    assert_eq!(parse_integer(&t("-5")), Err(NEGATIVE));
    assert_eq!(parse_integer(&Cell::Number(-1.0)), Err(NEGATIVE));
    assert_eq!(parse_integer(&Cell::Bool(true)), Err(NOT_A_NUMBER));
}

#[test]
fn dates() {
    let may1 = date(2004, 5, 1);
    for s in [
        "2004-05-01",
        "2004-5-1",
        "2004-05-01 00:00",
        "2004-05-01T00:00:00",
        "2004-05-01 13:45:00",
        "2004/05/01",
        "2004.05.01",
        "20040501",
        "1/5 2004",
        "1/5-2004",
        "1/5-04",
        "01/05/2004",
        "1.5.2004",
        "1 maj 2004",
        "1 May 2004",
        "May 1, 2004",
    ] {
        assert_eq!(parse_date(&t(s)), Ok((Some(may1), vec![])), "{s}");
    }
    assert_eq!(parse_date(&Cell::Date(may1)), Ok((Some(may1), vec![])));
    assert_eq!(
        parse_date(&t("2004-05")),
        Ok((Some(may1), vec![MONTH_ONLY]))
    );
    assert_eq!(
        parse_date(&t("maj 2004")),
        Ok((Some(may1), vec![MONTH_ONLY]))
    );
    let jan1 = date(2004, 1, 1);
    assert_eq!(parse_date(&t("2004")), Ok((Some(jan1), vec![YEAR_ONLY])));
    assert_eq!(
        parse_date(&Cell::Number(2004.0)),
        Ok((Some(jan1), vec![YEAR_ONLY]))
    );
    assert_eq!(
        parse_date(&t("ca 2004")),
        Ok((Some(jan1), vec![APPROXIMATE, YEAR_ONLY]))
    );
    // 38078 is 2004-04-01 as a spreadsheet day number.
    assert_eq!(
        parse_date(&Cell::Number(38078.0)),
        Ok((Some(date(2004, 4, 1)), vec![]))
    );
    assert_eq!(parse_date(&Cell::Empty), Ok((None, vec![])));
    for bad in [
        "snart",
        "2004-13-01",
        "31/2 2004",
        "Q3 2004",
        "1850",
        "2004-05-01x",
    ] {
        assert_eq!(parse_date(&t(bad)), Err(NOT_A_DATE), "{bad}");
    }
    assert_eq!(parse_date(&Cell::Number(12.5)), Err(NOT_A_DATE));
}

#[test]
fn hosting_words() {
    let cases = [
        ("SaaS", Hosting::Saas),
        ("saas", Hosting::Saas),
        ("Molntjänst", Hosting::Saas),
        ("I molnet", Hosting::Saas),
        ("Extern drift", Hosting::External),
        ("extern drift (Tieto)", Hosting::External),
        ("Hos leverantören", Hosting::External),
        ("Egen drift", Hosting::Internal),
        ("Internt", Hosting::Internal),
        ("intern", Hosting::Internal),
        ("Lokalt", Hosting::Internal),
        ("On-prem", Hosting::Internal),
        ("internal", Hosting::Internal),
    ];
    for (s, want) in cases {
        assert_eq!(parse_hosting(&t(s)), Ok((Some(want), vec![])), "{s}");
    }
    assert_eq!(parse_hosting(&t("Hemma")), Err(UNKNOWN_HOSTING));
    assert_eq!(parse_hosting(&Cell::Empty), Ok((None, vec![])));
}

#[test]
fn lifecycle_words() {
    let cases = [
        ("I drift", Lifecycle::InOperation),
        ("i drift", Lifecycle::InOperation),
        ("Aktiv", Lifecycle::InOperation),
        ("Planerad", Lifecycle::Planned),
        ("Planerat", Lifecycle::Planned),
        ("Upphandling", Lifecycle::Procuring),
        ("Under upphandling", Lifecycle::Procuring),
        ("Avvecklas", Lifecycle::PhasingOut),
        ("Under avveckling", Lifecycle::PhasingOut),
        ("Ska avvecklas 2025", Lifecycle::PhasingOut),
        ("Avvecklad", Lifecycle::Decommissioned),
        ("Ur drift", Lifecycle::Decommissioned),
        ("in_operation", Lifecycle::InOperation),
        ("Decommissioned", Lifecycle::Decommissioned),
    ];
    for (s, want) in cases {
        assert_eq!(parse_lifecycle(&t(s)), Ok((Some(want), vec![])), "{s}");
    }
    assert_eq!(parse_lifecycle(&t("Okänd")), Err(UNKNOWN_LIFECYCLE));
}

fn p(name: &str, title: Option<&str>, email: Option<&str>) -> PersonCell {
    PersonCell {
        name: name.into(),
        title: title.map(Into::into),
        email: email.map(Into::into),
    }
}

#[test]
fn people_with_titles_and_addresses() {
    let cases: Vec<(&str, Vec<PersonCell>)> = vec![
        (
            "IT-chef, Jonas Knutson",
            vec![p("Jonas Knutson", Some("IT-chef"), None)],
        ),
        (
            "IT-chef,\nJonas\nKnutson",
            vec![p("Jonas Knutson", Some("IT-chef"), None)],
        ),
        ("Jens Lind", vec![p("Jens Lind", None, None)]),
        ("Jens\nLind", vec![p("Jens Lind", None, None)]),
        (
            "IT-chef\nJonas Knutson",
            vec![p("Jonas Knutson", Some("IT-chef"), None)],
        ),
        ("Jens", vec![p("Jens", None, None)]),
        (
            "Jonas Knutson, IT-chef",
            vec![p("Jonas Knutson", Some("IT-chef"), None)],
        ),
        (
            "Anna-Karin Lindqvist-Berg, miljöchef",
            vec![p("Anna-Karin Lindqvist-Berg", Some("miljöchef"), None)],
        ),
        (
            "Anna Andersson <Anna.Andersson@x.se>",
            vec![p("Anna Andersson", None, Some("anna.andersson@x.se"))],
        ),
        (
            "Anna Andersson (anna@x.se)",
            vec![p("Anna Andersson", None, Some("anna@x.se"))],
        ),
        ("anna@x.se", vec![p("anna@x.se", None, Some("anna@x.se"))]),
        (
            "mailto:anna@x.se",
            vec![p("anna@x.se", None, Some("anna@x.se"))],
        ),
        (
            "Systemägare: Eva Ek",
            vec![p("Eva Ek", Some("Systemägare"), None)],
        ),
        (
            "Chef för drift och förvaltning, Anna Berg",
            vec![p("Anna Berg", Some("Chef för drift och förvaltning"), None)],
        ),
        (
            "Pilot/ombud, Anna Berg",
            vec![p("Anna Berg", Some("Pilot/ombud"), None)],
        ),
    ];
    for (s, want) in cases {
        assert_eq!(parse_people(&t(s)), (want, vec![]), "{s:?}");
    }
}

#[test]
fn several_people_in_one_cell() {
    let two = vec![p("Anna Berg", None, None), p("Per Ek", None, None)];
    for s in [
        "Anna Berg\nPer Ek",
        "Anna Berg; Per Ek",
        "Anna Berg och Per Ek",
        "Anna Berg & Per Ek",
        "Anna Berg / Per Ek",
        "Anna Berg/Per Ek",
        "Anna Berg, Per Ek",
        "Anna Berg;Per Ek;",
        "Anna Berg\n\nPer Ek\nAnna Berg",
    ] {
        assert_eq!(parse_people(&t(s)), (two.clone(), vec![]), "{s:?}");
    }
    assert_eq!(
        parse_people(&t("IT-chef, Jonas Knutson och Eva Ek <eva@x.se>")),
        (
            vec![
                p("Jonas Knutson", Some("IT-chef"), None),
                p("Eva Ek", None, Some("eva@x.se"))
            ],
            vec![]
        )
    );
    assert_eq!(
        parse_people(&t("Förvaltare, Bo Ek\nAdministratör, Siv Öst")),
        (
            vec![
                p("Bo Ek", Some("Förvaltare"), None),
                p("Siv Öst", Some("Administratör"), None)
            ],
            vec![]
        )
    );
}

#[test]
fn vacant_and_broken_people() {
    assert_eq!(parse_people(&t("Vakant")), (vec![], vec![VACANT]));
    assert_eq!(parse_people(&t("saknas")), (vec![], vec![VACANT]));
    assert_eq!(parse_people(&t("N/A")), (vec![], vec![VACANT]));
    assert_eq!(parse_people(&t("-")), (vec![], vec![]));
    assert_eq!(parse_people(&Cell::Empty), (vec![], vec![]));
    assert_eq!(
        parse_people(&t("Anna Berg; vakant")),
        (vec![p("Anna Berg", None, None)], vec![VACANT])
    );
    assert_eq!(
        parse_people(&t("Anna Berg <anna@>")),
        (vec![p("Anna Berg", None, None)], vec![INVALID_EMAIL])
    );
}

#[test]
fn text_helpers() {
    assert_eq!(
        one_line("  Microsoft\nExchange \n 2003 "),
        "Microsoft Exchange 2003"
    );
    assert_eq!(one_line("IT-\nenheten"), "IT-enheten");
    assert_eq!(one_line("Miljö- och hälsa"), "Miljö- och hälsa");
    assert_eq!(multi_line("\n  rad ett \n rad två\n\n"), "rad ett\nrad två");
    assert_eq!(plain_text(&Cell::Number(2.0)), Some("2".into()));
    assert_eq!(plain_text(&Cell::Number(2.1)), Some("2.1".into()));
}
