use super::*;
use crate::access::Language;
use crate::ids::ContractId;
use chrono::NaiveDate;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn notice(months: u32, end_of: EndOf) -> Notice {
    Notice { months, end_of }
}

/// Signed, starting `start`, `months` long, renewed as `renewal`, with the
/// customer's notice `n` (the supplier's is the same).
fn term(start: &str, months: Option<u32>, renewal: Renewal, n: Notice) -> Term {
    Term {
        signed: Some(d(start)),
        start: Some(d(start)),
        initial_months: months,
        end: None,
        renewal,
        customer_notice: n,
        supplier_notice: n,
        notice_given: None,
    }
}

fn given(mut t: Term, on: &str, by: ContractParty) -> Term {
    t.notice_given = Some(NoticeGiven { on: d(on), by });
    t
}

struct Case {
    name: &'static str,
    term: Term,
    today: &'static str,
    status: ContractStatus,
    period_end: Option<&'static str>,
    next_end: Option<&'static str>,
    last_notice: Option<&'static str>,
    action: Option<NoticeAction>,
}

#[test]
fn the_last_day_to_give_notice_on_a_table_of_contracts() {
    let q3 = notice(3, EndOf::Day);
    let tacit12 = Renewal::Tacit { months: 12 };
    let thirty_six = || term("2024-01-01", Some(36), tacit12, q3);
    let opts = |used| Renewal::Options {
        months: 12,
        count: 2,
        used,
    };
    let cases = vec![
        Case {
            name: "36 months then tacit yearly renewal, before the first deadline",
            term: thirty_six(),
            today: "2026-06-01",
            status: ContractStatus::Active,
            period_end: Some("2026-12-31"),
            next_end: Some("2026-12-31"),
            last_notice: Some("2026-09-30"),
            action: Some(NoticeAction::GiveNotice),
        },
        Case {
            name: "the first deadline passed: counted from the renewed period",
            term: thirty_six(),
            today: "2026-10-15",
            status: ContractStatus::Active,
            period_end: Some("2026-12-31"),
            next_end: Some("2027-12-31"),
            last_notice: Some("2027-09-30"),
            action: Some(NoticeAction::GiveNotice),
        },
        Case {
            name: "renewed twice, never from the initial end",
            term: thirty_six(),
            today: "2028-03-01",
            status: ContractStatus::Active,
            period_end: Some("2028-12-31"),
            next_end: Some("2028-12-31"),
            last_notice: Some("2028-09-30"),
            action: Some(NoticeAction::GiveNotice),
        },
        Case {
            name: "until further notice to the end of a quarter, mid-month",
            term: term("2020-01-01", None, Renewal::None, notice(3, EndOf::Quarter)),
            today: "2026-03-15",
            status: ContractStatus::Active,
            period_end: None,
            next_end: Some("2026-06-30"),
            last_notice: Some("2026-03-31"),
            action: Some(NoticeAction::GiveNotice),
        },
        Case {
            name: "until further notice to the end of a quarter, first of the quarter",
            term: term("2020-01-01", None, Renewal::None, notice(3, EndOf::Quarter)),
            today: "2026-04-01",
            status: ContractStatus::Active,
            period_end: None,
            next_end: Some("2026-09-30"),
            last_notice: Some("2026-06-30"),
            action: Some(NoticeAction::GiveNotice),
        },
        Case {
            name: "until further notice to the end of a year",
            term: term("2020-01-01", None, Renewal::None, notice(6, EndOf::Year)),
            today: "2026-07-01",
            status: ContractStatus::Active,
            period_end: None,
            next_end: Some("2027-12-31"),
            last_notice: Some("2027-06-30"),
            action: Some(NoticeAction::GiveNotice),
        },
        Case {
            name: "options unused: the day to use one",
            term: term("2025-01-01", Some(24), opts(0), notice(6, EndOf::Day)),
            today: "2026-03-01",
            status: ContractStatus::Active,
            period_end: Some("2026-12-31"),
            next_end: Some("2026-12-31"),
            last_notice: Some("2026-06-30"),
            action: Some(NoticeAction::UseOption),
        },
        Case {
            name: "one option used: counted from the extended end",
            term: term("2025-01-01", Some(24), opts(1), notice(6, EndOf::Day)),
            today: "2027-01-10",
            status: ContractStatus::Active,
            period_end: Some("2027-12-31"),
            next_end: Some("2027-12-31"),
            last_notice: Some("2027-06-30"),
            action: Some(NoticeAction::UseOption),
        },
        Case {
            name: "every option used: it ends by itself",
            term: term("2025-01-01", Some(24), opts(2), notice(6, EndOf::Day)),
            today: "2027-06-01",
            status: ContractStatus::Active,
            period_end: Some("2028-12-31"),
            next_end: Some("2028-12-31"),
            last_notice: None,
            action: None,
        },
        Case {
            name: "the day to use an option has passed",
            term: term("2025-01-01", Some(24), opts(0), notice(6, EndOf::Day)),
            today: "2026-08-01",
            status: ContractStatus::Active,
            period_end: Some("2026-12-31"),
            next_end: Some("2026-12-31"),
            last_notice: None,
            action: None,
        },
        Case {
            name: "notice given in time",
            term: given(thirty_six(), "2026-05-10", ContractParty::Customer),
            today: "2026-06-01",
            status: ContractStatus::NoticeGiven,
            period_end: Some("2026-12-31"),
            next_end: Some("2026-12-31"),
            last_notice: None,
            action: None,
        },
        Case {
            name: "notice given too late reaches the renewed end",
            term: given(thirty_six(), "2026-10-15", ContractParty::Customer),
            today: "2026-10-16",
            status: ContractStatus::NoticeGiven,
            period_end: Some("2027-12-31"),
            next_end: Some("2027-12-31"),
            last_notice: None,
            action: None,
        },
        Case {
            name: "notice given and the end passed",
            term: given(thirty_six(), "2026-05-10", ContractParty::Customer),
            today: "2027-01-01",
            status: ContractStatus::Terminated,
            period_end: Some("2026-12-31"),
            next_end: Some("2026-12-31"),
            last_notice: None,
            action: None,
        },
        Case {
            name: "31 January plus one month ends on the last of February",
            term: term(
                "2025-01-31",
                Some(1),
                Renewal::Tacit { months: 1 },
                notice(1, EndOf::Day),
            ),
            today: "2025-01-31",
            status: ContractStatus::Active,
            period_end: Some("2025-02-28"),
            next_end: Some("2025-02-28"),
            last_notice: Some("2025-01-31"),
            action: Some(NoticeAction::GiveNotice),
        },
        Case {
            name: "31 January, deadline passed: the renewal runs to the end of March",
            term: term(
                "2025-01-31",
                Some(1),
                Renewal::Tacit { months: 1 },
                notice(1, EndOf::Day),
            ),
            today: "2025-02-01",
            status: ContractStatus::Active,
            period_end: Some("2025-02-28"),
            next_end: Some("2025-03-31"),
            last_notice: Some("2025-02-28"),
            action: Some(NoticeAction::GiveNotice),
        },
        Case {
            name: "a term ending on a leap day",
            term: term(
                "2024-03-01",
                Some(48),
                Renewal::Tacit { months: 12 },
                notice(12, EndOf::Day),
            ),
            today: "2027-01-01",
            status: ContractStatus::Active,
            period_end: Some("2028-02-29"),
            next_end: Some("2028-02-29"),
            last_notice: Some("2027-02-28"),
            action: Some(NoticeAction::GiveNotice),
        },
        Case {
            name: "a notice day on a leap day",
            term: term(
                "2025-03-01",
                Some(48),
                Renewal::Tacit { months: 12 },
                notice(12, EndOf::Day),
            ),
            today: "2027-01-01",
            status: ContractStatus::Active,
            period_end: Some("2029-02-28"),
            next_end: Some("2029-02-28"),
            last_notice: Some("2028-02-29"),
            action: Some(NoticeAction::GiveNotice),
        },
        Case {
            name: "a fixed term that has run out",
            term: term("2020-01-01", Some(12), Renewal::None, q3),
            today: "2021-01-01",
            status: ContractStatus::Expired,
            period_end: Some("2020-12-31"),
            next_end: Some("2020-12-31"),
            last_notice: None,
            action: None,
        },
        Case {
            name: "36 months then until further notice, before the term's deadline",
            term: term(
                "2024-01-01",
                Some(36),
                Renewal::UntilFurtherNotice,
                notice(3, EndOf::Month),
            ),
            today: "2026-06-01",
            status: ContractStatus::Active,
            period_end: Some("2026-12-31"),
            next_end: Some("2026-12-31"),
            last_notice: Some("2026-09-30"),
            action: Some(NoticeAction::GiveNotice),
        },
        Case {
            name: "36 months then until further notice, after the term's deadline",
            term: term(
                "2024-01-01",
                Some(36),
                Renewal::UntilFurtherNotice,
                notice(3, EndOf::Month),
            ),
            today: "2026-11-10",
            status: ContractStatus::Active,
            period_end: Some("2026-12-31"),
            next_end: Some("2027-02-28"),
            last_notice: Some("2026-11-30"),
            action: Some(NoticeAction::GiveNotice),
        },
        Case {
            name: "the supplier's notice until further notice to the end of a quarter",
            term: given(
                term("2020-01-01", None, Renewal::None, notice(6, EndOf::Quarter)),
                "2026-02-10",
                ContractParty::Supplier,
            ),
            today: "2026-03-01",
            status: ContractStatus::NoticeGiven,
            period_end: Some("2026-09-30"),
            next_end: Some("2026-09-30"),
            last_notice: None,
            action: None,
        },
    ];
    assert!(cases.len() >= 12);
    for c in cases {
        let s = schedule(&c.term, d(c.today));
        let want = |o: Option<&str>| o.map(d);
        assert_eq!(s.status, c.status, "{}: status", c.name);
        assert_eq!(s.period_end, want(c.period_end), "{}: period end", c.name);
        assert_eq!(s.next_end, want(c.next_end), "{}: next end", c.name);
        assert_eq!(
            s.last_notice_day,
            want(c.last_notice),
            "{}: last notice day",
            c.name
        );
        assert_eq!(s.action, c.action, "{}: action", c.name);
        for lang in [Language::Sv, Language::En] {
            let words = explain(lang, &s).join(" ");
            if let Some(day) = c.last_notice {
                assert!(words.contains(day), "{}: {words}", c.name);
            }
        }
    }
}

#[test]
fn an_explicit_end_wins_over_the_months_and_a_draft_is_a_draft() {
    let mut t = term("2024-01-01", Some(36), Renewal::None, notice(3, EndOf::Day));
    t.end = Some(d("2025-06-30"));
    t.signed = None;
    let s = schedule(&t, d("2025-01-01"));
    assert_eq!(s.status, ContractStatus::Draft);
    assert_eq!(s.next_end, Some(d("2025-06-30")));
    assert_eq!(
        explain(Language::Sv, &s)[0],
        "Avtalet är inte undertecknat ännu (utkast)."
    );
}

#[test]
fn the_arithmetic_is_told_in_both_languages() {
    let t = term(
        "2024-01-01",
        Some(36),
        Renewal::Tacit { months: 12 },
        notice(3, EndOf::Quarter),
    );
    let s = schedule(&t, d("2026-10-15"));
    let sv = explain(Language::Sv, &s).join("\n");
    let en = explain(Language::En, &s).join("\n");
    assert!(
        sv.contains("första avtalsperiod om 36 månader till och med 2026-12-31"),
        "{sv}"
    );
    assert!(
        sv.contains("Sista dag att säga upp avtalet till 2026-12-31 var 2026-09-30"),
        "{sv}"
    );
    assert!(
        sv.contains("Säg upp senast 2027-09-30 så upphör avtalet 2027-12-31"),
        "{sv}"
    );
    assert!(sv.contains("räknat till utgången av ett kvartal"), "{sv}");
    assert!(
        en.contains("Give notice by 2027-09-30 and the contract ends on 2027-12-31"),
        "{en}"
    );
    assert!(en.contains("renewed by 12 months to 2028-12-31"), "{en}");
}

#[test]
fn calendar_rules() {
    assert_eq!(term_end(d("2024-01-31"), 1), d("2024-02-29"));
    assert_eq!(term_end(d("2025-01-30"), 1), d("2025-02-28"));
    assert_eq!(term_end(d("2024-02-29"), 12), d("2025-02-28"));
    assert_eq!(term_end(d("2024-01-15"), 1), d("2024-02-14"));
    assert_eq!(months_before(d("2026-06-30"), 3), d("2026-03-31"));
    assert_eq!(months_before(d("2026-05-15"), 3), d("2026-02-15"));
    assert_eq!(months_after(d("2026-03-31"), 3), d("2026-06-30"));
    assert_eq!(EndOf::Quarter.align(d("2026-11-01")), d("2026-12-31"));
    assert_eq!(EndOf::Month.align(d("2028-02-03")), d("2028-02-29"));
}

#[test]
fn a_reminder_is_keyed_by_its_notice_day_so_a_date_change_re_arms_it() {
    let id = ContractId::new();
    let mut t = term(
        "2024-01-01",
        Some(36),
        Renewal::Tacit { months: 12 },
        notice(3, EndOf::Day),
    );
    // 90 days before 2026-09-30 is 2026-07-02.
    assert_eq!(
        due_reminder(id, &schedule(&t, d("2026-07-01")), 90, d("2026-07-01")),
        None
    );
    let first = due_reminder(id, &schedule(&t, d("2026-07-02")), 90, d("2026-07-02")).unwrap();
    assert_eq!(
        (first.notice_day, first.stage),
        (d("2026-09-30"), ReminderStage::Ahead)
    );
    // The same key the next day: the store sends it once.
    let again = due_reminder(id, &schedule(&t, d("2026-07-03")), 90, d("2026-07-03")).unwrap();
    assert_eq!(first, again);
    // Two weeks before: the final stage, a new key.
    let last = due_reminder(id, &schedule(&t, d("2026-09-16")), 90, d("2026-09-16")).unwrap();
    assert_eq!(last.stage, ReminderStage::Final);
    // The dates change (the term is 48 months after all): a new notice day,
    // so a new key, armed again from its own lead time.
    t.initial_months = Some(48);
    let moved = schedule(&t, d("2026-07-03"));
    assert_eq!(due_reminder(id, &moved, 90, d("2026-07-03")), None);
    let rearmed = due_reminder(id, &moved, 90, d("2027-07-02")).unwrap();
    assert_eq!(rearmed.notice_day, d("2027-09-30"));
    assert_ne!(rearmed, first);
    // Past the day and for a contract that can end at any time: nothing.
    assert_eq!(due_reminder(id, &moved, 90, d("2027-10-01")), None);
    let rolling = term("2020-01-01", None, Renewal::None, notice(3, EndOf::Quarter));
    assert_eq!(
        due_reminder(
            id,
            &schedule(&rolling, d("2026-03-20")),
            90,
            d("2026-03-20")
        ),
        None
    );
}

#[test]
fn organisation_numbers_are_checked_with_luhn() {
    assert_eq!(
        normalise_org_number("212000-0142").as_deref(),
        Some("212000-0142")
    );
    assert_eq!(
        normalise_org_number(" 2120000142 ").as_deref(),
        Some("212000-0142")
    );
    assert_eq!(
        normalise_org_number("16212000-0142").as_deref(),
        Some("212000-0142")
    );
    assert_eq!(normalise_org_number("212000-0143"), None);
    assert_eq!(normalise_org_number("21200-0142"), None);
    assert_eq!(normalise_org_number("abcdef-ghij"), None);
}

#[test]
fn a_term_with_impossible_numbers_is_refused() {
    let mut e = crate::validation::FieldErrors::new();
    let mut t = term(
        "2024-01-01",
        Some(0),
        Renewal::Options {
            months: 12,
            count: 1,
            used: 2,
        },
        notice(700, EndOf::Day),
    );
    t.end = Some(d("2023-01-01"));
    t.check(&mut e);
    for f in [
        "initial_months",
        "options_used",
        "customer_notice_months",
        "end_date",
    ] {
        assert!(e.get(f).is_some(), "{f}: {e:?}");
    }
}
