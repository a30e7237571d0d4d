//! Contracts (avtal) with suppliers: the term, its renewals and notice
//! periods, and the one computed "last day to give notice" with its
//! arithmetic in words (`schedule.rs`, `words.rs`); the reminders that day
//! arms (`remind.rs`); a supplier's organisation number (`org_number.rs`).
//! The term is always counted from the period in force after renewals,
//! never from the initial end.

mod calendar;
mod org_number;
mod record;
mod remind;
mod schedule;
mod supplier;
#[cfg(test)]
mod tests;
mod words;

pub use calendar::*;
pub use org_number::*;
pub use record::*;
pub use remind::*;
pub use schedule::*;
pub use supplier::*;
pub use words::*;

use crate::validation::FieldErrors;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The longest term, renewal or notice period in months (50 years).
pub const MAX_MONTHS: u32 = 600;
/// The most options a contract may have.
pub const MAX_OPTIONS: u32 = 20;

pub const MONTHS_OUT_OF_RANGE: &str = "error-contract-months";
pub const END_BEFORE_START: &str = "error-contract-end-before-start";
pub const OPTIONS_USED: &str = "error-contract-options-used";
pub const NOTICE_WITHOUT_START: &str = "error-contract-no-start";

/// Every message key this module can produce.
pub const ERROR_CODES: &[&str] = &[
    MONTHS_OUT_OF_RANGE,
    END_BEFORE_START,
    OPTIONS_USED,
    NOTICE_WITHOUT_START,
    INVALID_ORG_NUMBER,
    NEGATIVE_AMOUNT,
    RENEWAL_MONTHS_MISSING,
];

/// The two parties of a contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContractParty {
    /// The municipality (the customer).
    Customer,
    Supplier,
}

impl ContractParty {
    pub fn as_str(self) -> &'static str {
        match self {
            ContractParty::Customer => "customer",
            ContractParty::Supplier => "supplier",
        }
    }

    pub fn parse(s: &str) -> Option<ContractParty> {
        [ContractParty::Customer, ContractParty::Supplier]
            .into_iter()
            .find(|p| p.as_str() == s.trim())
    }
}

/// How a contract goes on after its fixed term.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Renewal {
    /// It ends when the term ends.
    #[default]
    None,
    /// Unless notice is given, it is renewed for `months` at a time.
    Tacit { months: u32 },
    /// The customer may extend it `count` times by `months`; `used` so far.
    Options { months: u32, count: u32, used: u32 },
    /// After the term (or from the start, without one) it runs until
    /// further notice.
    UntilFurtherNotice,
}

/// A notice period: months, counted to the end of a day, month, quarter
/// or year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notice {
    pub months: u32,
    #[serde(default)]
    pub end_of: EndOf,
}

/// Notice that has been given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeGiven {
    pub on: NaiveDate,
    pub by: ContractParty,
}

/// A contract's term: everything the notice day depends on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Term {
    /// When the contract was signed; without it, the contract is a draft.
    #[serde(default)]
    pub signed: Option<NaiveDate>,
    #[serde(default)]
    pub start: Option<NaiveDate>,
    /// The initial term in months from the start.
    #[serde(default)]
    pub initial_months: Option<u32>,
    /// The last day of the initial term, when it is given as a date
    /// (it wins over `initial_months`).
    #[serde(default)]
    pub end: Option<NaiveDate>,
    #[serde(default)]
    pub renewal: Renewal,
    /// The customer's (the municipality's) notice period.
    #[serde(default)]
    pub customer_notice: Notice,
    /// The supplier's notice period.
    #[serde(default)]
    pub supplier_notice: Notice,
    #[serde(default)]
    pub notice_given: Option<NoticeGiven>,
}

impl Term {
    /// The last day of the initial term, if it has one.
    pub fn initial_end(&self) -> Option<NaiveDate> {
        self.end
            .or_else(|| Some(term_end(self.start?, self.initial_months?)))
    }

    /// The notice period of `party`.
    pub fn notice_of(&self, party: ContractParty) -> Notice {
        match party {
            ContractParty::Customer => self.customer_notice,
            ContractParty::Supplier => self.supplier_notice,
        }
    }

    /// Problems with the term's numbers and dates.
    pub fn check(&self, e: &mut FieldErrors) {
        let months = |e: &mut FieldErrors, field: &str, m: u32, min: u32| {
            if m < min || m > MAX_MONTHS {
                e.add(field, MONTHS_OUT_OF_RANGE);
            }
        };
        if let Some(m) = self.initial_months {
            months(e, "initial_months", m, 1);
        }
        months(e, "customer_notice_months", self.customer_notice.months, 0);
        months(e, "supplier_notice_months", self.supplier_notice.months, 0);
        match self.renewal {
            Renewal::Tacit { months: m } => months(e, "renewal_months", m, 1),
            Renewal::Options {
                months: m,
                count,
                used,
            } => {
                months(e, "renewal_months", m, 1);
                if count > MAX_OPTIONS || used > count {
                    e.add("options_used", OPTIONS_USED);
                }
            }
            Renewal::None | Renewal::UntilFurtherNotice => {}
        }
        if let (Some(s), Some(end)) = (self.start, self.end)
            && end < s
        {
            e.add("end_date", END_BEFORE_START);
        }
        if self.start.is_none() && (self.initial_months.is_some() || self.notice_given.is_some()) {
            e.add("start_date", NOTICE_WITHOUT_START);
        }
    }
}
