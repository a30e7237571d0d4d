//! Reminders of a contract's last notice day. Each is keyed by the
//! contract, the notice day it is about and its stage, and sent once per
//! key: when the dates change, the notice day changes and so does the key,
//! which re-arms the reminder (never "sent once, never again").

use super::Schedule;
use crate::ids::ContractId;
use chrono::{Days, NaiveDate};

/// The default lead time: this many days before the last notice day.
pub const DEFAULT_LEAD_DAYS: u32 = 90;
/// The longest lead time an organisation may set.
pub const MAX_LEAD_DAYS: u32 = 730;
/// The last reminder, this many days before the notice day.
pub const FINAL_DAYS: u32 = 14;

/// How close the last notice day is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReminderStage {
    /// The organisation's lead time before the day.
    Ahead,
    /// Two weeks before the day.
    Final,
}

impl ReminderStage {
    pub fn as_str(self) -> &'static str {
        match self {
            ReminderStage::Ahead => "ahead",
            ReminderStage::Final => "final",
        }
    }

    pub fn parse(s: &str) -> Option<ReminderStage> {
        [ReminderStage::Ahead, ReminderStage::Final]
            .into_iter()
            .find(|st| st.as_str() == s)
    }
}

/// One reminder: sent at most once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReminderKey {
    pub contract: ContractId,
    pub notice_day: NaiveDate,
    pub stage: ReminderStage,
}

/// The reminder due on `today` for a contract, if any: the latest stage
/// whose day has come, while the notice day has not passed. A stage whose
/// window is skipped (the contract was entered late) is not sent again
/// after a later stage.
pub fn due_reminder(
    contract: ContractId,
    s: &Schedule,
    lead_days: u32,
    today: NaiveDate,
) -> Option<ReminderKey> {
    if !s.deadline {
        return None;
    }
    let day = s.last_notice_day?;
    if today > day {
        return None;
    }
    let from = |n: u32| day.checked_sub_days(Days::new(u64::from(n))).unwrap_or(day);
    let stage = if today >= from(FINAL_DAYS.min(lead_days)) {
        ReminderStage::Final
    } else if today >= from(lead_days) {
        ReminderStage::Ahead
    } else {
        return None;
    };
    Some(ReminderKey {
        contract,
        notice_day: day,
        stage,
    })
}

/// What a reminder mail says about its contract.
pub struct ReminderFacts<'a> {
    pub org_name: &'a str,
    pub org_slug: &'a str,
    pub contract_id: &'a str,
    pub contract_name: &'a str,
    pub supplier_name: &'a str,
    /// insyn's public address (`--public-url`): the link is full with it.
    pub public_url: Option<&'a str>,
}

/// (subject, body) of the reminder of a contract's last notice day, in
/// `lang`, with the arithmetic in words.
pub fn reminder(
    lang: crate::access::Language,
    f: &ReminderFacts<'_>,
    s: &Schedule,
    key: &ReminderKey,
) -> (String, String) {
    use crate::access::Language;
    let day = key.notice_day;
    let what = match (lang, s.action) {
        (Language::Sv, Some(super::NoticeAction::UseOption)) => "påkalla en option",
        (Language::Sv, _) => "säga upp avtalet",
        (Language::En, Some(super::NoticeAction::UseOption)) => "use an option",
        (Language::En, _) => "give notice",
    };
    let link = crate::reminder_mail::mail_link(
        f.public_url,
        &format!("/o/{}/contracts/{}", f.org_slug, f.contract_id),
    );
    let steps = super::explain(lang, s)
        .into_iter()
        .map(|l| format!("- {l}\n"))
        .collect::<String>();
    match lang {
        Language::Sv => (
            format!(
                "insyn: sista dag att {what} är {day} – {} ({})",
                f.contract_name, f.org_name
            ),
            format!(
                "Hej!\n\nAvtalet \"{}\" med {} i {}: sista dag att {what} är {day}.\n\n{steps}\n\
                 Avtalet finns i insyn: {link}\n\
                 Du får en påminnelse när tiden före dagen börjar och två veckor före den.\n",
                f.contract_name, f.supplier_name, f.org_name
            ),
        ),
        Language::En => (
            format!(
                "insyn: the last day to {what} is {day} – {} ({})",
                f.contract_name, f.org_name
            ),
            format!(
                "Hello,\n\nThe contract \"{}\" with {} in {}: the last day to {what} is {day}.\n\n{steps}\n\
                 The contract in insyn: {link}\n\
                 You are reminded when the lead time before the day begins and two weeks before it.\n",
                f.contract_name, f.supplier_name, f.org_name
            ),
        ),
    }
}
