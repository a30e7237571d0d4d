//! A contract as entered (its draft, flat fields as the form and the API
//! send them) and as stored, with its computed dates.

use super::{
    ContractParty, ContractStatus, EndOf, Notice, NoticeAction, NoticeGiven, Renewal, Schedule,
    SystemRef, Term,
};
use crate::ids::{ContractId, OrgId, RoleTypeId, SupplierId, SystemId};
use crate::model::text_enum;
use crate::validation::{self as v, FieldErrors};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

text_enum!(
    /// What a contract is for.
    ContractKind {
        Purchase = "purchase",
        Licence = "licence",
        /// A subscription (SaaS).
        Subscription = "subscription",
        Operation = "operation",
        Support = "support",
        ProcessorAgreement = "processor_agreement",
    }
);

text_enum!(
    /// How a contract goes on after its fixed term (see [`Renewal`]).
    RenewalKind {
        None = "none",
        Tacit = "tacit",
        Options = "options",
        UntilFurtherNotice = "until_further_notice",
    }
);

/// The most systems one contract may cover.
pub const MAX_SYSTEMS: usize = 200;
/// The largest amount in kronor (a thousand billion).
pub const MAX_SEK: i64 = 1_000_000_000_000;
pub const NEGATIVE_AMOUNT: &str = "error-contract-amount";
pub const RENEWAL_MONTHS_MISSING: &str = "error-contract-renewal-months";

/// A contract as created or edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContractDraft {
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub name: String,
    pub supplier_id: SupplierId,
    pub kind: ContractKind,
    /// The municipality's own reference.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub reference: Option<String>,
    /// The diary number (diarienummer).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub diary_number: Option<String>,
    /// The procurement: a framework agreement, a call-off (free text).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub procurement: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub procurement_reference: Option<String>,
    #[serde(default)]
    pub signed_on: Option<NaiveDate>,
    #[serde(default)]
    pub start_date: Option<NaiveDate>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 600))]
    pub initial_months: Option<u32>,
    /// The last day of the initial term, when given as a date.
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    pub renewal: RenewalKind,
    /// Months per tacit renewal or per option.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 600))]
    pub renewal_months: Option<u32>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(maximum = 20))]
    pub options_count: u32,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(maximum = 20))]
    pub options_used: u32,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(maximum = 600))]
    pub customer_notice_months: u32,
    #[serde(default)]
    pub customer_notice_end_of: EndOf,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(maximum = 600))]
    pub supplier_notice_months: u32,
    #[serde(default)]
    pub supplier_notice_end_of: EndOf,
    #[serde(default)]
    pub notice_given_on: Option<NaiveDate>,
    #[serde(default)]
    pub notice_given_by: Option<ContractParty>,
    /// The contract's total value in whole kronor.
    #[serde(default)]
    pub value_sek: Option<i64>,
    /// The yearly cost in whole kronor.
    #[serde(default)]
    pub yearly_cost_sek: Option<i64>,
    /// The systems the contract covers, of the organisation.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 200))]
    pub system_ids: Vec<SystemId>,
    /// The role whose holders on the covered systems are reminded.
    #[serde(default)]
    pub responsible_role_id: Option<RoleTypeId>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub note: Option<String>,
}

impl ContractDraft {
    /// The term the dates are computed from.
    pub fn term(&self) -> Term {
        let months = self.renewal_months.unwrap_or(0);
        Term {
            signed: self.signed_on,
            start: self.start_date,
            initial_months: self.initial_months,
            end: self.end_date,
            renewal: match self.renewal {
                RenewalKind::None => Renewal::None,
                RenewalKind::Tacit => Renewal::Tacit { months },
                RenewalKind::Options => Renewal::Options {
                    months,
                    count: self.options_count,
                    used: self.options_used,
                },
                RenewalKind::UntilFurtherNotice => Renewal::UntilFurtherNotice,
            },
            customer_notice: Notice {
                months: self.customer_notice_months,
                end_of: self.customer_notice_end_of,
            },
            supplier_notice: Notice {
                months: self.supplier_notice_months,
                end_of: self.supplier_notice_end_of,
            },
            notice_given: self.notice_given_on.map(|on| NoticeGiven {
                on,
                by: self.notice_given_by.unwrap_or(ContractParty::Customer),
            }),
        }
    }

    /// Trims the texts and checks what needs no database.
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.name = v::required_text(&mut e, "name", &self.name, 200);
        for (field, value, max) in [
            ("reference", &mut self.reference, 100),
            ("diary_number", &mut self.diary_number, 100),
            ("procurement", &mut self.procurement, 300),
            (
                "procurement_reference",
                &mut self.procurement_reference,
                100,
            ),
            ("note", &mut self.note, 2000),
        ] {
            *value = v::optional_text(&mut e, field, value.as_deref(), max);
        }
        for (field, value) in [
            ("value_sek", self.value_sek),
            ("yearly_cost_sek", self.yearly_cost_sek),
        ] {
            if value.is_some_and(|x| !(0..=MAX_SEK).contains(&x)) {
                e.add(field, NEGATIVE_AMOUNT);
            }
        }
        if matches!(self.renewal, RenewalKind::Tacit | RenewalKind::Options)
            && self.renewal_months.is_none()
        {
            e.add("renewal_months", RENEWAL_MONTHS_MISSING);
        }
        // Without renewals the term ignores these, but they stay in their
        // documented bounds (the term checks them itself otherwise).
        if matches!(
            self.renewal,
            RenewalKind::None | RenewalKind::UntilFurtherNotice
        ) {
            if self
                .renewal_months
                .is_some_and(|m| m == 0 || m > super::MAX_MONTHS)
            {
                e.add("renewal_months", super::MONTHS_OUT_OF_RANGE);
            }
            if self.options_count > super::MAX_OPTIONS || self.options_used > self.options_count {
                e.add("options_used", super::OPTIONS_USED);
            }
        }
        if self.system_ids.len() > MAX_SYSTEMS {
            e.add("system_ids", v::TOO_LONG);
        }
        self.system_ids.sort();
        self.system_ids.dedup();
        if self.notice_given_on.is_none() {
            self.notice_given_by = None;
        }
        self.term().check(&mut e);
        e.into_result(self)
    }
}

impl v::Validate for ContractDraft {
    fn problems(&self) -> FieldErrors {
        self.clone().validate().err().unwrap_or_default()
    }
}

/// A contract's computed dates, with the arithmetic in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContractDates {
    pub status: ContractStatus,
    /// The last day of the period in force (after renewals and options).
    pub period_end: Option<NaiveDate>,
    /// The earliest day the contract can end, or the day it ends.
    pub next_end: Option<NaiveDate>,
    /// The municipality's last day to give notice (or use an option).
    pub last_notice_day: Option<NaiveDate>,
    pub action: Option<NoticeAction>,
    /// How the dates were reached, in Swedish.
    pub explanation_sv: Vec<String>,
    /// How the dates were reached, in English.
    pub explanation_en: Vec<String>,
}

impl ContractDates {
    pub fn of(s: &Schedule) -> Self {
        use crate::access::Language;
        Self {
            status: s.status,
            period_end: s.period_end,
            next_end: s.next_end,
            last_notice_day: s.last_notice_day,
            action: s.action,
            explanation_sv: super::explain(Language::Sv, s),
            explanation_en: super::explain(Language::En, s),
        }
    }
}

/// A contract as stored, with the names it refers to and its dates today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contract {
    pub id: ContractId,
    pub org_id: OrgId,
    pub name: String,
    pub supplier_id: SupplierId,
    pub supplier_name: String,
    pub kind: ContractKind,
    pub reference: Option<String>,
    pub diary_number: Option<String>,
    pub procurement: Option<String>,
    pub procurement_reference: Option<String>,
    pub signed_on: Option<NaiveDate>,
    pub start_date: Option<NaiveDate>,
    pub initial_months: Option<u32>,
    pub end_date: Option<NaiveDate>,
    pub renewal: RenewalKind,
    pub renewal_months: Option<u32>,
    pub options_count: u32,
    pub options_used: u32,
    pub customer_notice_months: u32,
    pub customer_notice_end_of: EndOf,
    pub supplier_notice_months: u32,
    pub supplier_notice_end_of: EndOf,
    pub notice_given_on: Option<NaiveDate>,
    pub notice_given_by: Option<ContractParty>,
    pub value_sek: Option<i64>,
    pub yearly_cost_sek: Option<i64>,
    pub systems: Vec<SystemRef>,
    pub responsible_role_id: Option<RoleTypeId>,
    /// The responsible role's name in Swedish and English.
    pub responsible_role_name_sv: Option<String>,
    pub responsible_role_name_en: Option<String>,
    pub note: Option<String>,
    /// Its dates on the day it was read.
    pub dates: ContractDates,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Contract {
    /// The draft that would write this contract again.
    pub fn draft(&self) -> ContractDraft {
        ContractDraft {
            name: self.name.clone(),
            supplier_id: self.supplier_id,
            kind: self.kind,
            reference: self.reference.clone(),
            diary_number: self.diary_number.clone(),
            procurement: self.procurement.clone(),
            procurement_reference: self.procurement_reference.clone(),
            signed_on: self.signed_on,
            start_date: self.start_date,
            initial_months: self.initial_months,
            end_date: self.end_date,
            renewal: self.renewal,
            renewal_months: self.renewal_months,
            options_count: self.options_count,
            options_used: self.options_used,
            customer_notice_months: self.customer_notice_months,
            customer_notice_end_of: self.customer_notice_end_of,
            supplier_notice_months: self.supplier_notice_months,
            supplier_notice_end_of: self.supplier_notice_end_of,
            notice_given_on: self.notice_given_on,
            notice_given_by: self.notice_given_by,
            value_sek: self.value_sek,
            yearly_cost_sek: self.yearly_cost_sek,
            system_ids: self.systems.iter().map(|s| s.id).collect(),
            responsible_role_id: self.responsible_role_id,
            note: self.note.clone(),
        }
    }
}
