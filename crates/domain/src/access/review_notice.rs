//! The reminder mail of open access reviews (behörighetskontroller), in the
//! recipient's language: one mail per person and round, a line per
//! campaign (the reviewer's own, or for the IT-säkerhetssamordnare the
//! campaigns nobody signed in time). The store knows no message files, so
//! the texts are here, as pure functions (like the orders' notices).

use super::Language;
use crate::reminder_mail::mail_link;
use chrono::NaiveDate;

/// One campaign in a reminder mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewLine {
    /// The system's or the unit's name.
    pub subject: String,
    pub deadline: NaiveDate,
    /// Past its deadline on the day of the reminder.
    pub late: bool,
    /// For an escalation: the reviewer who has not signed (`None` when the
    /// campaign has no reviewer). `None` in the reviewer's own reminder.
    pub escalation: Option<Option<String>>,
}

struct Words {
    subject: &'static str,
    subject_late: &'static str,
    opening: &'static str,
    line: &'static str,
    unsigned: &'static str,
    nobody: &'static str,
    by: &'static str,
    late: &'static str,
    closing: &'static str,
}

const SV: Words = Words {
    subject: "insyn: behörighetskontroller att göra ({org})",
    subject_late: "insyn: behörighetskontroller att göra, {late} försenade ({org})",
    opening: "Hej!\n\nDet här är dina nya påminnelser om behörighetskontroller i {org}:\n\n",
    line: "- Behörighetskontroll av {subject} ({when})",
    unsigned: "- Behörighetskontroll av {subject} är inte signerad av {who} ({when})",
    nobody: "ingen granskare",
    by: "senast {date}",
    late: "försenad sedan {date}",
    closing: "\nKontrollerna finns under \"Mina uppgifter\" i insyn: {tasks}\n\
              Du får en påminnelse 20, 10 och 3 dagar före sista dagen och en när den har passerat; \
              tio dagar efter går påminnelsen till IT-säkerhetssamordnaren.\n",
};

const EN: Words = Words {
    subject: "insyn: access reviews to do ({org})",
    subject_late: "insyn: access reviews to do, {late} overdue ({org})",
    opening: "Hello,\n\nThese are your new reminders of access reviews in {org}:\n\n",
    line: "- Access review of {subject} ({when})",
    unsigned: "- Access review of {subject} is not signed by {who} ({when})",
    nobody: "no reviewer",
    by: "by {date}",
    late: "overdue since {date}",
    closing: "\nThe reviews are under \"My tasks\" in insyn: {tasks}\n\
              You are reminded 20, 10 and 3 days before the deadline and once it has passed; \
              ten days after, the reminder goes to the IT security coordinator.\n",
};

/// (subject, body) of the reminder mail listing `lines`; `public_url`
/// makes the link full.
pub fn review_reminder_text(
    lang: Language,
    org_name: &str,
    org_slug: &str,
    public_url: Option<&str>,
    lines: &[ReviewLine],
) -> (String, String) {
    let w = match lang {
        Language::Sv => &SV,
        Language::En => &EN,
    };
    let late = lines.iter().filter(|l| l.late).count();
    let subject = if late > 0 { w.subject_late } else { w.subject }
        .replace("{late}", &late.to_string())
        .replace("{org}", org_name);
    let mut body = w.opening.replace("{org}", org_name);
    for l in lines {
        let date = l.deadline.to_string();
        let when = if l.late { w.late } else { w.by }.replace("{date}", &date);
        let text = match &l.escalation {
            None => w.line.to_owned(),
            Some(who) => w
                .unsigned
                .replace("{who}", who.as_deref().unwrap_or(w.nobody)),
        };
        // The campaign's name last, so a name with braces stays as written.
        body.push_str(
            &text
                .replace("{when}", &when)
                .replace("{subject}", &l.subject),
        );
        body.push('\n');
    }
    let tasks = mail_link(public_url, &format!("/o/{org_slug}/tasks"));
    body.push_str(&w.closing.replace("{tasks}", &tasks));
    (subject, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(late: bool, escalation: Option<Option<String>>) -> ReviewLine {
        ReviewLine {
            subject: "Treserva".into(),
            deadline: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
            late,
            escalation,
        }
    }

    #[test]
    fn the_mail_is_in_the_recipient_s_language() {
        let lines = [line(false, None), line(true, Some(Some("Kim".into())))];
        let (s, b) = review_reminder_text(Language::Sv, "Exempelstad", "ex", None, &lines);
        assert_eq!(
            s,
            "insyn: behörighetskontroller att göra, 1 försenade (Exempelstad)"
        );
        assert!(b.contains("- Behörighetskontroll av Treserva (senast 2026-03-31)\n"));
        assert!(b.contains(
            "- Behörighetskontroll av Treserva är inte signerad av Kim (försenad sedan 2026-03-31)\n"
        ));
        assert!(b.contains("\"Mina uppgifter\" i insyn: /o/ex/tasks\n"));
        let (s, b) = review_reminder_text(
            Language::En,
            "Exempelstad",
            "ex",
            Some("https://insyn.kommun.se/"),
            &[line(true, Some(None))],
        );
        assert_eq!(s, "insyn: access reviews to do, 1 overdue (Exempelstad)");
        assert!(b.starts_with("Hello,"));
        assert!(b.contains(
            "- Access review of Treserva is not signed by no reviewer (overdue since 2026-03-31)\n"
        ));
        assert!(!b.contains("Behörighetskontroll"));
        assert!(b.contains("\"My tasks\" in insyn: https://insyn.kommun.se/o/ex/tasks\n"));
    }
}
