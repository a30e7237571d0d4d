//! The computed side of a contract: its status, the end of the period in
//! force, the next possible end and the customer's last day to act for it,
//! each step kept so that [`super::words`] can say how it was reached.

use super::{
    ContractParty, Notice, NoticeGiven, Renewal, Term, months_after, months_before, term_end,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// At most this many renewals are walked (a century of monthly renewals).
const MAX_RENEWALS: u32 = 1200;

/// A contract's status on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContractStatus {
    /// Not yet signed.
    Draft,
    Active,
    /// Notice has been given; it runs until its end.
    NoticeGiven,
    /// Its term ran out without renewal.
    Expired,
    /// It ended after notice.
    Terminated,
}

impl ContractStatus {
    pub const ALL: &'static [ContractStatus] = &[
        ContractStatus::Draft,
        ContractStatus::Active,
        ContractStatus::NoticeGiven,
        ContractStatus::Expired,
        ContractStatus::Terminated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContractStatus::Draft => "draft",
            ContractStatus::Active => "active",
            ContractStatus::NoticeGiven => "notice_given",
            ContractStatus::Expired => "expired",
            ContractStatus::Terminated => "terminated",
        }
    }
}

/// What the customer must do by the last notice day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoticeAction {
    /// Give notice, or the contract goes on.
    GiveNotice,
    /// Use an option, or the contract ends.
    UseOption,
}

/// What happens when the customer does nothing by the last notice day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Otherwise {
    /// Renewed for `months`, to `until`.
    Renewed { months: u32, until: NaiveDate },
    /// It goes on until further notice.
    RunsOn,
}

/// One step of the arithmetic, in the order it is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Draft,
    /// The initial term: from `start`, `months` long (when given in months),
    /// to `end` inclusive.
    InitialTerm {
        start: NaiveDate,
        months: Option<u32>,
        end: NaiveDate,
    },
    /// No fixed term: until further notice from the start.
    NoFixedTerm,
    /// Renewed tacitly `times` times by `months`; the period in force ends
    /// on `period_end`.
    Renewed {
        times: u32,
        months: u32,
        period_end: NaiveDate,
    },
    /// `used` of `count` options of `months` used; the term runs to `end`.
    OptionsUsed {
        used: u32,
        count: u32,
        months: u32,
        end: NaiveDate,
    },
    /// A party's notice period.
    NoticePeriod {
        party: ContractParty,
        notice: Notice,
    },
    /// The last day to give notice for the end of the period in force has
    /// passed, so the next end is a later one.
    DeadlinePassed {
        day: NaiveDate,
        end: NaiveDate,
    },
    /// Give notice by `day` to end on `end`; otherwise `otherwise`.
    NoticeBy {
        day: NaiveDate,
        end: NaiveDate,
        otherwise: Otherwise,
    },
    /// Use an option by `day` to extend by `months` to `until`; otherwise
    /// the contract ends on `end`; `left` options remain.
    OptionBy {
        day: NaiveDate,
        end: NaiveDate,
        months: u32,
        until: NaiveDate,
        left: u32,
    },
    /// The last day to use an option (`day`) has passed.
    OptionTooLate {
        day: NaiveDate,
        end: NaiveDate,
    },
    /// It ends on `end` without notice.
    EndsBy {
        end: NaiveDate,
    },
    /// Until further notice: notice by `day` ends it on `end`.
    Rolling {
        day: NaiveDate,
        end: NaiveDate,
    },
    /// The supplier's last day to give notice for the same end.
    SupplierBy {
        day: NaiveDate,
        end: NaiveDate,
    },
    /// Notice was given; the contract ends on `end`.
    NoticeWasGiven {
        given: NoticeGiven,
        end: NaiveDate,
    },
    Expired {
        end: NaiveDate,
    },
    Terminated {
        end: NaiveDate,
    },
}

/// A contract's dates on a day, computed from its [`Term`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub status: ContractStatus,
    pub initial_end: Option<NaiveDate>,
    /// The last day of the period in force (after renewals and options).
    pub period_end: Option<NaiveDate>,
    /// The earliest day the contract can end (or the day it ends).
    pub next_end: Option<NaiveDate>,
    /// The customer's last day to act for [`Schedule::next_end`].
    pub last_notice_day: Option<NaiveDate>,
    pub action: Option<NoticeAction>,
    /// Whether the last notice day is a deadline worth reminding of (it is
    /// not for a contract that can be ended at any time).
    pub deadline: bool,
    pub steps: Vec<Step>,
}

/// The last day to give `notice` for a contract to end on `end`.
pub fn last_notice_day(end: NaiveDate, notice: Notice) -> NaiveDate {
    months_before(end, notice.months)
}

/// The end of the period after `end`, renewed by `months`.
fn renewed(end: NaiveDate, months: u32) -> NaiveDate {
    end.succ_opt().map(|s| term_end(s, months)).unwrap_or(end)
}

/// The end a notice given on `on` under `notice` reaches when the contract
/// runs until further notice after `fixed_until`.
fn rolling_end(on: NaiveDate, notice: Notice, fixed_until: Option<NaiveDate>) -> NaiveDate {
    match fixed_until {
        Some(e) if on <= last_notice_day(e, notice) => e,
        _ => notice.end_of.align(months_after(on, notice.months)),
    }
}

/// The shape of a term once its renewals are resolved.
enum Shape {
    /// It ends on `end` unless renewed by an option.
    Fixed(NaiveDate),
    Tacit {
        first_end: NaiveDate,
        months: u32,
    },
    Rolling(Option<NaiveDate>),
}

fn shape(term: &Term) -> Shape {
    let Some(first_end) = term.initial_end() else {
        return Shape::Rolling(None);
    };
    match term.renewal {
        Renewal::None => Shape::Fixed(first_end),
        Renewal::Tacit { months } if months > 0 => Shape::Tacit { first_end, months },
        Renewal::Tacit { .. } => Shape::Fixed(first_end),
        Renewal::Options { months, used, .. } => {
            Shape::Fixed((0..used.min(MAX_RENEWALS)).fold(first_end, |e, _| renewed(e, months)))
        }
        Renewal::UntilFurtherNotice => Shape::Rolling(Some(first_end)),
    }
}

/// The day a contract ends after notice given on `on` by `party`.
pub fn end_after_notice(term: &Term, on: NaiveDate, party: ContractParty) -> NaiveDate {
    let notice = term.notice_of(party);
    match shape(term) {
        Shape::Fixed(end) => end,
        Shape::Tacit { first_end, months } => {
            let mut end = first_end;
            for _ in 0..MAX_RENEWALS {
                if on <= last_notice_day(end, notice) {
                    break;
                }
                end = renewed(end, months);
            }
            end
        }
        Shape::Rolling(fixed) => rolling_end(on, notice, fixed),
    }
}

/// The contract's dates on `today`.
pub fn schedule(term: &Term, today: NaiveDate) -> Schedule {
    let mut s = Schedule {
        status: if term.signed.is_some() {
            ContractStatus::Active
        } else {
            ContractStatus::Draft
        },
        initial_end: term.initial_end(),
        period_end: None,
        next_end: None,
        last_notice_day: None,
        action: None,
        deadline: false,
        steps: vec![],
    };
    if s.status == ContractStatus::Draft {
        s.steps.push(Step::Draft);
    }
    match (term.start, s.initial_end) {
        (Some(start), Some(end)) => s.steps.push(Step::InitialTerm {
            start,
            months: term.end.is_none().then_some(term.initial_months).flatten(),
            end,
        }),
        _ => s.steps.push(Step::NoFixedTerm),
    }
    if let Some(given) = term.notice_given {
        let end = end_after_notice(term, given.on, given.by);
        s.steps.push(Step::NoticePeriod {
            party: given.by,
            notice: term.notice_of(given.by),
        });
        s.steps.push(Step::NoticeWasGiven { given, end });
        s.period_end = Some(end);
        s.next_end = Some(end);
        if today > end {
            s.status = ContractStatus::Terminated;
            s.steps.push(Step::Terminated { end });
        } else if s.status != ContractStatus::Draft {
            s.status = ContractStatus::NoticeGiven;
        }
        return s;
    }
    let notice = term.customer_notice;
    s.steps.push(Step::NoticePeriod {
        party: ContractParty::Customer,
        notice,
    });
    match shape(term) {
        Shape::Fixed(end) => fixed(term, &mut s, end, today),
        Shape::Tacit { first_end, months } => tacit(&mut s, notice, first_end, months, today),
        Shape::Rolling(fixed_until) => {
            let end = rolling_end(today, notice, fixed_until);
            let day = last_notice_day(end, notice).max(today);
            s.period_end = fixed_until.filter(|e| *e >= today);
            s.next_end = Some(end);
            s.last_notice_day = Some(day);
            s.action = Some(NoticeAction::GiveNotice);
            if fixed_until == Some(end) {
                s.deadline = true;
                s.steps.push(Step::NoticeBy {
                    day,
                    end,
                    otherwise: Otherwise::RunsOn,
                });
            } else {
                s.steps.push(Step::Rolling { day, end });
            }
        }
    }
    if let (Some(end), true) = (s.next_end, s.action == Some(NoticeAction::GiveNotice)) {
        let supplier = term.supplier_notice;
        s.steps.push(Step::NoticePeriod {
            party: ContractParty::Supplier,
            notice: supplier,
        });
        let day = last_notice_day(end, supplier);
        if day >= today {
            s.steps.push(Step::SupplierBy { day, end });
        }
    }
    s
}

fn fixed(term: &Term, s: &mut Schedule, end: NaiveDate, today: NaiveDate) {
    s.period_end = Some(end);
    s.next_end = Some(end);
    if let Renewal::Options {
        months,
        count,
        used,
    } = term.renewal
    {
        if used > 0 {
            s.steps.push(Step::OptionsUsed {
                used,
                count,
                months,
                end,
            });
        }
        let day = last_notice_day(end, term.customer_notice);
        if used < count && today <= end {
            if day >= today {
                s.last_notice_day = Some(day);
                s.action = Some(NoticeAction::UseOption);
                s.deadline = true;
                s.steps.push(Step::OptionBy {
                    day,
                    end,
                    months,
                    until: renewed(end, months),
                    left: count - used,
                });
                return;
            }
            s.steps.push(Step::OptionTooLate { day, end });
        }
    }
    if today > end {
        if s.status != ContractStatus::Draft {
            s.status = ContractStatus::Expired;
        }
        s.steps.push(Step::Expired { end });
    } else {
        s.steps.push(Step::EndsBy { end });
    }
}

fn tacit(s: &mut Schedule, notice: Notice, first_end: NaiveDate, months: u32, today: NaiveDate) {
    let (mut end, mut times) = (first_end, 0);
    while end < today && times < MAX_RENEWALS {
        end = renewed(end, months);
        times += 1;
    }
    s.period_end = Some(end);
    if times > 0 {
        s.steps.push(Step::Renewed {
            times,
            months,
            period_end: end,
        });
    }
    let mut day = last_notice_day(end, notice);
    if day < today {
        s.steps.push(Step::DeadlinePassed { day, end });
        for _ in 0..MAX_RENEWALS {
            end = renewed(end, months);
            day = last_notice_day(end, notice);
            if day >= today {
                break;
            }
        }
    }
    s.next_end = Some(end);
    s.last_notice_day = Some(day);
    s.action = Some(NoticeAction::GiveNotice);
    s.deadline = true;
    s.steps.push(Step::NoticeBy {
        day,
        end,
        otherwise: Otherwise::Renewed {
            months,
            until: renewed(end, months),
        },
    });
}
