//! The arithmetic of a [`Schedule`] in words, in Swedish and English (for
//! the contract page and the reminder mails; the store knows no message
//! files). Dates are written as ISO dates, as Swedish documents do.

use super::{ContractParty, ContractStatus, EndOf, Notice, Otherwise, Schedule, Step};
use crate::access::Language;

fn months(lang: Language, n: u32) -> String {
    match (lang, n) {
        (Language::Sv, 1) => "1 månad".into(),
        (Language::Sv, n) => format!("{n} månader"),
        (Language::En, 1) => "1 month".into(),
        (Language::En, n) => format!("{n} months"),
    }
}

fn party(lang: Language, p: ContractParty) -> &'static str {
    match (lang, p) {
        (Language::Sv, ContractParty::Customer) => "kommunen",
        (Language::Sv, ContractParty::Supplier) => "leverantören",
        (Language::En, ContractParty::Customer) => "the municipality",
        (Language::En, ContractParty::Supplier) => "the supplier",
    }
}

fn notice_words(lang: Language, n: Notice) -> String {
    let m = months(lang, n.months);
    match (lang, n.end_of) {
        (Language::Sv, EndOf::Day) => m,
        (Language::Sv, EndOf::Month) => format!("{m} räknat till utgången av en månad"),
        (Language::Sv, EndOf::Quarter) => format!("{m} räknat till utgången av ett kvartal"),
        (Language::Sv, EndOf::Year) => format!("{m} räknat till utgången av ett kalenderår"),
        (Language::En, EndOf::Day) => m,
        (Language::En, EndOf::Month) => format!("{m} to the end of a month"),
        (Language::En, EndOf::Quarter) => format!("{m} to the end of a quarter"),
        (Language::En, EndOf::Year) => format!("{m} to the end of a calendar year"),
    }
}

/// A status's name.
pub fn status_words(lang: Language, s: ContractStatus) -> &'static str {
    match (lang, s) {
        (Language::Sv, ContractStatus::Draft) => "Utkast",
        (Language::Sv, ContractStatus::Active) => "Gällande",
        (Language::Sv, ContractStatus::NoticeGiven) => "Uppsagt",
        (Language::Sv, ContractStatus::Expired) => "Utgånget",
        (Language::Sv, ContractStatus::Terminated) => "Avslutat efter uppsägning",
        (Language::En, ContractStatus::Draft) => "Draft",
        (Language::En, ContractStatus::Active) => "Active",
        (Language::En, ContractStatus::NoticeGiven) => "Notice given",
        (Language::En, ContractStatus::Expired) => "Expired",
        (Language::En, ContractStatus::Terminated) => "Terminated",
    }
}

/// One step in words.
pub fn step_words(lang: Language, step: &Step) -> String {
    use Language::{En, Sv};
    match (lang, step) {
        (Sv, Step::Draft) => "Avtalet är inte undertecknat ännu (utkast).".into(),
        (En, Step::Draft) => "The contract is not signed yet (draft).".into(),
        (
            Sv,
            Step::InitialTerm {
                start,
                months: Some(m),
                end,
            },
        ) => format!(
            "Avtalet började gälla {start} med en första avtalsperiod om {} till och med {end}.",
            months(lang, *m)
        ),
        (
            En,
            Step::InitialTerm {
                start,
                months: Some(m),
                end,
            },
        ) => format!(
            "The contract started on {start} with an initial term of {}, to {end} inclusive.",
            months(lang, *m)
        ),
        (Sv, Step::InitialTerm { start, end, .. }) => {
            format!("Avtalet började gälla {start} och den första avtalsperioden slutar {end}.")
        }
        (En, Step::InitialTerm { start, end, .. }) => {
            format!("The contract started on {start} and its initial term ends on {end}.")
        }
        (Sv, Step::NoFixedTerm) => {
            "Avtalet har ingen bestämd avtalstid; det gäller tills vidare.".into()
        }
        (En, Step::NoFixedTerm) => {
            "The contract has no fixed term; it runs until further notice.".into()
        }
        (
            Sv,
            Step::Renewed {
                times,
                months: m,
                period_end,
            },
        ) => format!(
            "Det har förlängts automatiskt {times} gång(er) med {} i taget; den nuvarande perioden slutar {period_end}.",
            months(lang, *m)
        ),
        (
            En,
            Step::Renewed {
                times,
                months: m,
                period_end,
            },
        ) => format!(
            "It has been renewed tacitly {times} time(s) by {} at a time; the current period ends on {period_end}.",
            months(lang, *m)
        ),
        (
            Sv,
            Step::OptionsUsed {
                used,
                count,
                months: m,
                end,
            },
        ) => format!(
            "{used} av {count} optioner om {} har utnyttjats; avtalet gäller till och med {end}.",
            months(lang, *m)
        ),
        (
            En,
            Step::OptionsUsed {
                used,
                count,
                months: m,
                end,
            },
        ) => format!(
            "{used} of {count} options of {} have been used; the contract runs to {end} inclusive.",
            months(lang, *m)
        ),
        (Sv, Step::NoticePeriod { party: p, notice }) => format!(
            "Uppsägningstiden för {} är {}.",
            party(lang, *p),
            notice_words(lang, *notice)
        ),
        (En, Step::NoticePeriod { party: p, notice }) => format!(
            "The notice period for {} is {}.",
            party(lang, *p),
            notice_words(lang, *notice)
        ),
        (Sv, Step::DeadlinePassed { day, end }) => format!(
            "Sista dag att säga upp avtalet till {end} var {day}; den har passerat, så avtalet förlängs."
        ),
        (En, Step::DeadlinePassed { day, end }) => format!(
            "The last day to give notice for {end} was {day}; it has passed, so the contract will be renewed."
        ),
        (
            Sv,
            Step::NoticeBy {
                day,
                end,
                otherwise,
            },
        ) => format!(
            "Säg upp senast {day} så upphör avtalet {end}; {}",
            match otherwise {
                Otherwise::Renewed { months: m, until } => format!(
                    "annars förlängs det med {} till och med {until}.",
                    months(lang, *m)
                ),
                Otherwise::RunsOn => "annars fortsätter det att gälla tills vidare.".into(),
            }
        ),
        (
            En,
            Step::NoticeBy {
                day,
                end,
                otherwise,
            },
        ) => format!(
            "Give notice by {day} and the contract ends on {end}; {}",
            match otherwise {
                Otherwise::Renewed { months: m, until } => format!(
                    "otherwise it is renewed by {} to {until} inclusive.",
                    months(lang, *m)
                ),
                Otherwise::RunsOn => "otherwise it runs on until further notice.".into(),
            }
        ),
        (
            Sv,
            Step::OptionBy {
                day,
                end,
                months: m,
                until,
                left,
            },
        ) => format!(
            "För att förlänga med {} till och med {until}: påkalla en option senast {day} ({left} kvar); annars upphör avtalet {end}.",
            months(lang, *m)
        ),
        (
            En,
            Step::OptionBy {
                day,
                end,
                months: m,
                until,
                left,
            },
        ) => format!(
            "To extend by {} to {until} inclusive, use an option by {day} ({left} left); otherwise the contract ends on {end}.",
            months(lang, *m)
        ),
        (Sv, Step::OptionTooLate { day, end }) => format!(
            "Sista dag att påkalla en option var {day}; den har passerat, så avtalet upphör {end}."
        ),
        (En, Step::OptionTooLate { day, end }) => format!(
            "The last day to use an option was {day}; it has passed, so the contract ends on {end}."
        ),
        (Sv, Step::EndsBy { end }) => format!("Avtalet upphör {end} utan uppsägning."),
        (En, Step::EndsBy { end }) => format!("The contract ends on {end} without notice."),
        (Sv, Step::Rolling { day, end }) => {
            format!("Avtalet gäller tills vidare: en uppsägning senast {day} avslutar det {end}.")
        }
        (En, Step::Rolling { day, end }) => format!(
            "The contract runs until further notice: notice given by {day} ends it on {end}."
        ),
        (Sv, Step::SupplierBy { day, end }) => {
            format!("Leverantören måste säga upp senast {day} för att avtalet ska upphöra {end}.")
        }
        (En, Step::SupplierBy { day, end }) => {
            format!("The supplier must give notice by {day} for the contract to end on {end}.")
        }
        (Sv, Step::NoticeWasGiven { given, end }) => format!(
            "Avtalet sades upp {} av {}; det upphör {end}.",
            given.on,
            party(lang, given.by)
        ),
        (En, Step::NoticeWasGiven { given, end }) => format!(
            "Notice was given on {} by {}; the contract ends on {end}.",
            given.on,
            party(lang, given.by)
        ),
        (Sv, Step::Expired { end }) => format!("Avtalet löpte ut {end}."),
        (En, Step::Expired { end }) => format!("The contract expired on {end}."),
        (Sv, Step::Terminated { end }) => format!("Avtalet upphörde {end} efter uppsägning."),
        (En, Step::Terminated { end }) => format!("The contract ended on {end} after notice."),
    }
}

/// Every step of `s` in words.
pub fn explain(lang: Language, s: &Schedule) -> Vec<String> {
    s.steps.iter().map(|st| step_words(lang, st)).collect()
}
