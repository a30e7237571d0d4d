//! A follow-up's period: a month ("2026-03") or a quarter ("2026-Q1").

use super::NOT_A_PERIOD;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A month or a quarter of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Period {
    pub year: i32,
    /// 1–12 for a month; 1–4 for a quarter.
    pub number: u32,
    pub quarter: bool,
}

impl Period {
    pub fn month(year: i32, month: u32) -> Period {
        Period {
            year,
            number: month,
            quarter: false,
        }
    }

    pub fn quarter(year: i32, quarter: u32) -> Period {
        Period {
            year,
            number: quarter,
            quarter: true,
        }
    }

    /// "2026-03", "2026-3", "2026-03-01" (a spreadsheet's date for the
    /// month), "2026-Q1", "2026 Q1", "2026-K1" (kvartal) or "Q1 2026";
    /// the years 2000–2100.
    pub fn parse(s: &str) -> Result<Period, &'static str> {
        let s = s.trim().to_ascii_uppercase();
        let parts: Vec<&str> = s
            .split(['-', ' ', '/', '.'])
            .filter(|p| !p.is_empty())
            .collect();
        let (year, rest) = match parts.as_slice() {
            [y, rest] | [y, rest, "01" | "1"] if y.len() == 4 => (*y, *rest),
            [rest, y] if y.len() == 4 && rest.starts_with(['Q', 'K']) => (*y, *rest),
            _ => return Err(NOT_A_PERIOD),
        };
        let year: i32 = year.parse().map_err(|_| NOT_A_PERIOD)?;
        if !(2000..=2100).contains(&year) {
            return Err(NOT_A_PERIOD);
        }
        let (quarter, number) = match rest.strip_prefix(['Q', 'K']) {
            Some(q) if parts.len() == 2 => (true, q),
            Some(_) => return Err(NOT_A_PERIOD),
            None => (false, rest),
        };
        if number.is_empty() || number.len() > 2 || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NOT_A_PERIOD);
        }
        let number: u32 = number.parse().map_err(|_| NOT_A_PERIOD)?;
        let max = if quarter { 4 } else { 12 };
        if !(1..=max).contains(&number) {
            return Err(NOT_A_PERIOD);
        }
        Ok(Period {
            year,
            number,
            quarter,
        })
    }

    /// Its first day.
    pub fn starts_on(self) -> NaiveDate {
        let month = if self.quarter {
            (self.number - 1) * 3 + 1
        } else {
            self.number
        };
        NaiveDate::from_ymd_opt(self.year, month, 1).expect("a valid period")
    }

    /// Its last day.
    pub fn ends_on(self) -> NaiveDate {
        let months = if self.quarter { 3 } else { 1 };
        let first = self.starts_on();
        let (y, m) = (first.year(), first.month() + months);
        let next = if m > 12 {
            NaiveDate::from_ymd_opt(y + 1, m - 12, 1)
        } else {
            NaiveDate::from_ymd_opt(y, m, 1)
        };
        next.expect("a valid month")
            .pred_opt()
            .expect("a day before")
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.quarter {
            write!(f, "{}-Q{}", self.year, self.number)
        } else {
            write!(f, "{}-{:02}", self.year, self.number)
        }
    }
}

impl TryFrom<String> for Period {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Period::parse(&s)
    }
}

impl From<Period> for String {
    fn from(p: Period) -> String {
        p.to_string()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Period {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some("A month (2026-03) or a quarter (2026-Q1)."))
            .pattern(Some(r"^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Period {
    fn name() -> std::borrow::Cow<'static, str> {
        "ItServicePeriod".into()
    }
}
