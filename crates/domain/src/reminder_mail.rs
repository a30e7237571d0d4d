//! The policy reminders' mail (what falls due or is late under the
//! organisation's profile), in the recipient's language, with full links
//! when the installation knows its public address, and how often each
//! person wants it. The store knows no message files, so the texts are
//! here, as pure functions (like the access reviews' reminder mail).

use crate::access::Language;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How often a user wants the reminder mail; people without an account get
/// it as things fall due.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailFrequency {
    /// Each reminder when it falls due (before the last day, and once late).
    #[default]
    AsDue,
    /// At most one mail in 7 days, with everything new since the last.
    Weekly,
    /// At most one mail in 30 days.
    Monthly,
    /// Only what is late.
    OverdueOnly,
    /// No reminder mail; the tasks are still on "Mina uppgifter".
    Never,
}

impl MailFrequency {
    pub const ALL: &'static [MailFrequency] = &[
        MailFrequency::AsDue,
        MailFrequency::Weekly,
        MailFrequency::Monthly,
        MailFrequency::OverdueOnly,
        MailFrequency::Never,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MailFrequency::AsDue => "as_due",
            MailFrequency::Weekly => "weekly",
            MailFrequency::Monthly => "monthly",
            MailFrequency::OverdueOnly => "overdue_only",
            MailFrequency::Never => "never",
        }
    }

    pub fn parse(s: &str) -> Option<MailFrequency> {
        Self::ALL.iter().copied().find(|f| f.as_str() == s.trim())
    }

    /// Whether a reminder mail may go on `today` to someone last sent one
    /// on `last`. Reminders held back stay unsent and go in the next mail.
    /// The mails of one day count as one: on the day mail may go, every
    /// kind of reminder goes (policy, access reviews, incident deadlines,
    /// contracts' notice days, processors' reviews), each in its own mail,
    /// though each kind is queued by a pass of its own.
    pub fn mail_today(self, last: Option<NaiveDate>, today: NaiveDate) -> bool {
        let gap = match self {
            MailFrequency::Never => return false,
            MailFrequency::AsDue | MailFrequency::OverdueOnly => return true,
            MailFrequency::Weekly => 7,
            MailFrequency::Monthly => 30,
        };
        last.is_none_or(|l| l == today || (today - l).num_days() >= gap)
    }

    /// Whether a reminder, late or not, may be mailed on `today` to someone
    /// last sent reminders on `last`.
    pub fn allows(self, late: bool, last: Option<NaiveDate>, today: NaiveDate) -> bool {
        (late || self.wants_due_soon()) && self.mail_today(last, today)
    }

    /// Whether a reminder before the last day (not yet late) is mailed.
    pub fn wants_due_soon(self) -> bool {
        self != MailFrequency::OverdueOnly
    }
}

/// When a reminder's thing is due, in the line's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderWhen {
    By(NaiveDate),
    ExpiredOn(NaiveDate),
    OverdueSince(NaiveDate),
    /// A fact the rule needs is not filled in.
    FillIn(crate::policy::Fact),
    Missing,
}

/// One reminder's line: on which system (none: the whole organisation),
/// the rule's text in both languages, when, and the system's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderLine {
    pub on: Option<String>,
    pub what_sv: String,
    pub what_en: String,
    pub when: ReminderWhen,
    /// The system's page (a full link with a public address, else a path).
    pub link: Option<String>,
    pub overdue: bool,
}

/// At most this many reminders are listed in one mail; the rest are in
/// "Mina uppgifter".
pub const LISTED: usize = 40;

struct Words {
    subject: &'static str,
    subject_late: &'static str,
    opening: &'static str,
    whole_org: &'static str,
    by: &'static str,
    expired: &'static str,
    overdue: &'static str,
    fill_in: &'static str,
    missing: &'static str,
    more: &'static str,
    closing: &'static str,
    user_count: &'static str,
    go_live: &'static str,
    classification: &'static str,
}

const SV: Words = Words {
    subject: "insyn: {n} uppgifter snart ({org})",
    subject_late: "insyn: {n} uppgifter att göra, {late} försenade ({org})",
    opening: "Hej!\n\nDet här är dina nya påminnelser från insyn för {org}, utifrån de roller du har:\n\n",
    whole_org: "hela organisationen",
    by: "senast {date}",
    expired: "upphörde att gälla {date}",
    overdue: "försenat sedan {date}",
    fill_in: "fyll i {fact}",
    missing: "saknas",
    more: "… och {n} till.\n",
    closing: "\nAllt du har att göra finns under \"Mina uppgifter\" i insyn: {tasks}\n\
              Du får varje påminnelse en gång: före sista dagen och, om det inte blir gjort, när det är försenat.\n\
              Hur ofta du får påminnelser väljer du under \"Mitt konto\": {account}\n",
    user_count: "antal användare",
    go_live: "driftsättningsdatum",
    classification: "informationsklassningen",
};

const EN: Words = Words {
    subject: "insyn: {n} tasks due soon ({org})",
    subject_late: "insyn: {n} tasks to do, {late} overdue ({org})",
    opening: "Hello,\n\nThese are your new reminders from insyn for {org}, from the roles you hold:\n\n",
    whole_org: "the whole organisation",
    by: "by {date}",
    expired: "expired on {date}",
    overdue: "overdue since {date}",
    fill_in: "fill in {fact}",
    missing: "missing",
    more: "… and {n} more.\n",
    closing: "\nEverything you have to do is under \"My tasks\" in insyn: {tasks}\n\
              You get each reminder once: before the last day and, if it is not done, when it is overdue.\n\
              Choose how often you get reminders under \"My account\": {account}\n",
    user_count: "the number of users",
    go_live: "the go-live date",
    classification: "the information classification",
};

fn words(lang: Language) -> &'static Words {
    match lang {
        Language::Sv => &SV,
        Language::En => &EN,
    }
}

/// A path of insyn as the mail shows it: after `public_url` (no trailing
/// slash) when the installation has one, else the path alone.
pub fn mail_link(public_url: Option<&str>, path: &str) -> String {
    match public_url {
        Some(base) => format!("{}{path}", base.trim_end_matches('/')),
        None => path.to_owned(),
    }
}

/// The reminder mail's subject and body in `lang`; `public_url` makes the
/// links full.
pub fn reminder_mail_text(
    lang: Language,
    org_name: &str,
    org_slug: &str,
    public_url: Option<&str>,
    lines: &[ReminderLine],
) -> (String, String) {
    let w = words(lang);
    let late = lines.iter().filter(|l| l.overdue).count();
    let subject = if late > 0 { w.subject_late } else { w.subject }
        .replace("{n}", &lines.len().to_string())
        .replace("{late}", &late.to_string())
        .replace("{org}", org_name);
    let mut body = w.opening.replace("{org}", org_name);
    for l in lines.iter().take(LISTED) {
        let when = match l.when {
            ReminderWhen::By(d) => w.by.replace("{date}", &d.to_string()),
            ReminderWhen::ExpiredOn(d) => w.expired.replace("{date}", &d.to_string()),
            ReminderWhen::OverdueSince(d) => w.overdue.replace("{date}", &d.to_string()),
            ReminderWhen::FillIn(fact) => w.fill_in.replace("{fact}", fact_words(w, fact)),
            ReminderWhen::Missing => w.missing.to_owned(),
        };
        let on = l.on.as_deref().unwrap_or(w.whole_org);
        let what = match lang {
            Language::Sv => &l.what_sv,
            Language::En => &l.what_en,
        };
        body.push_str(&format!("- {on}: {what} ({when})\n"));
        if let Some(link) = &l.link {
            body.push_str(&format!("  {link}\n"));
        }
    }
    if lines.len() > LISTED {
        body.push_str(&w.more.replace("{n}", &(lines.len() - LISTED).to_string()));
    }
    body.push_str(
        &w.closing
            .replace(
                "{tasks}",
                &mail_link(public_url, &format!("/o/{org_slug}/tasks")),
            )
            .replace("{account}", &mail_link(public_url, "/account")),
    );
    (subject, body)
}

fn fact_words(w: &Words, fact: crate::policy::Fact) -> &'static str {
    match fact {
        crate::policy::Fact::UserCount => w.user_count,
        crate::policy::Fact::GoLive => w.go_live,
        crate::policy::Fact::Classification => w.classification,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn the_frequency_holds_mail_back_until_its_gap_has_passed() {
        use MailFrequency::*;
        assert!(AsDue.mail_today(Some(d(3, 1)), d(3, 1)));
        assert!(!Never.mail_today(None, d(3, 1)));
        assert!(Weekly.mail_today(None, d(3, 1)));
        assert!(!Weekly.mail_today(Some(d(3, 1)), d(3, 7)));
        // Another kind's mail on the day a mail went: the same day's mail.
        assert!(Weekly.mail_today(Some(d(3, 1)), d(3, 1)));
        assert!(Weekly.mail_today(Some(d(3, 1)), d(3, 8)));
        assert!(!Monthly.mail_today(Some(d(3, 1)), d(3, 30)));
        assert!(Monthly.mail_today(Some(d(3, 1)), d(3, 31)));
        assert!(!OverdueOnly.wants_due_soon() && Weekly.wants_due_soon());
        assert!(OverdueOnly.allows(true, None, d(3, 1)));
        assert!(!OverdueOnly.allows(false, None, d(3, 1)));
        assert!(!Never.allows(true, None, d(3, 1)));
        assert!(!Monthly.allows(true, Some(d(3, 1)), d(3, 2)));
        for f in MailFrequency::ALL {
            assert_eq!(MailFrequency::parse(f.as_str()), Some(*f));
        }
        assert_eq!(MailFrequency::parse("daily"), None);
    }

    fn line(overdue: bool) -> ReminderLine {
        ReminderLine {
            on: Some("Treserva".into()),
            what_sv: "Informationsklassning".into(),
            what_en: "Information classification".into(),
            when: if overdue {
                ReminderWhen::OverdueSince(d(3, 31))
            } else {
                ReminderWhen::FillIn(crate::policy::Fact::GoLive)
            },
            link: Some(mail_link(
                Some("https://insyn.kommun.se/"),
                "/o/ex/systems/1",
            )),
            overdue,
        }
    }

    #[test]
    fn the_mail_is_in_the_recipient_s_language_with_full_links() {
        let lines = [line(true), line(false)];
        let (s, b) = reminder_mail_text(
            Language::En,
            "Exempelstad",
            "ex",
            Some("https://insyn.kommun.se"),
            &lines,
        );
        assert_eq!(s, "insyn: 2 tasks to do, 1 overdue (Exempelstad)");
        assert!(b.contains(
            "- Treserva: Information classification (overdue since 2026-03-31)\n  https://insyn.kommun.se/o/ex/systems/1\n"
        ));
        assert!(b.contains("(fill in the go-live date)"));
        assert!(b.contains("\"My tasks\" in insyn: https://insyn.kommun.se/o/ex/tasks\n"));
        assert!(b.contains("https://insyn.kommun.se/account\n"));
        let (s, b) = reminder_mail_text(Language::Sv, "Exempelstad", "ex", None, &lines[1..]);
        assert_eq!(s, "insyn: 1 uppgifter snart (Exempelstad)");
        assert!(b.contains("- Treserva: Informationsklassning (fyll i driftsättningsdatum)\n"));
        assert!(b.contains("\"Mina uppgifter\" i insyn: /o/ex/tasks\n"));
    }
}
