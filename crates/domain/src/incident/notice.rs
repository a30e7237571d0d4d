//! The reminder mail of an incident clock, in the recipient's language.
//! The store knows no message files, so the texts are here, as pure
//! functions (like the access orders' notices).

use super::{Clock, ClockStage, ClockState};
use crate::access::Language;
use crate::reminder_mail::mail_link;
use crate::swedish_time::stockholm;

/// What the reminder says of the incident and the organisation.
pub struct ReminderFacts<'a> {
    pub org_name: &'a str,
    pub org_slug: &'a str,
    pub incident_id: &'a str,
    pub number: i64,
    pub title: &'a str,
    /// insyn's public address (`--public-url`): the link is full with it.
    pub public_url: Option<&'a str>,
}

/// The words of a reminder in one language; `{n}`, `{org}`, `{when}`,
/// `{title}` and `{link}` are filled in.
struct Words {
    missed_subject: &'static str,
    subject: &'static str,
    opening: &'static str,
    due: &'static str,
    awaiting: &'static str,
    recipient: &'static str,
    how: &'static str,
    closing: &'static str,
}

const SV: Words = Words {
    missed_subject: "insyn: tidsfristen har passerat – incident {n} ({org})",
    subject: "insyn: tidsfrist för incident {n} går ut {when} ({org})",
    opening: "Hej!\n\nIncident {n} \"{title}\" i {org}:\n\n",
    due: "Senast: {when} (svensk tid)",
    awaiting: "Fristen gäller om incidenten är betydande enligt cybersäkerhetslagen, och ingen har bedömt det än: gör bedömningen i insyn.",
    recipient: "Mottagare",
    how: "Hur",
    closing: "\nIncidenten finns i insyn: {link}\n\
              Du får en påminnelse vid halva tiden, vid 80 % och när fristen har passerat, så länge rapporten inte är registrerad.\n",
};

const EN: Words = Words {
    missed_subject: "insyn: the deadline has passed – incident {n} ({org})",
    subject: "insyn: a deadline of incident {n} ends {when} ({org})",
    opening: "Hello,\n\nIncident {n} \"{title}\" in {org}:\n\n",
    due: "Due: {when} (Swedish time)",
    awaiting: "The deadline applies if the incident is significant under the Cybersecurity Act, and nobody has assessed that yet: make the assessment in insyn.",
    recipient: "Recipient",
    how: "How",
    closing: "\nThe incident in insyn: {link}\n\
              You are reminded at half the time, at 80 % and when the deadline has passed, as long as the report is not recorded.\n",
};

/// (subject, body) of the reminder of `clock` at `stage`.
pub fn reminder(
    lang: Language,
    f: &ReminderFacts<'_>,
    clock: &Clock,
    stage: ClockStage,
) -> (String, String) {
    let (w, name) = match lang {
        Language::Sv => (&SV, &clock.deadline.name_sv),
        Language::En => (&EN, &clock.deadline.name_en),
    };
    let when = stockholm(clock.due_at).format("%Y-%m-%d %H:%M").to_string();
    let link = mail_link(
        f.public_url,
        &format!("/o/{}/incidents/{}", f.org_slug, f.incident_id),
    );
    let fill = |text: &str| {
        text.replace("{n}", &f.number.to_string())
            .replace("{org}", f.org_name)
            .replace("{when}", &when)
            .replace("{link}", &link)
            .replace("{title}", f.title)
    };
    let subject = fill(match stage {
        ClockStage::Missed => w.missed_subject,
        _ => w.subject,
    });
    let d = &clock.deadline;
    let mut body = format!("{}{name}\n{}\n", fill(w.opening), fill(w.due));
    if matches!(clock.state, ClockState::AwaitingAssessment { .. }) {
        body.push_str(&format!("{}\n", w.awaiting));
    }
    if let Some(r) = &d.recipient {
        body.push_str(&format!("{}: {r}\n", w.recipient));
    }
    if let Some(ch) = &d.channel {
        body.push_str(&format!("{}: {ch}\n", w.how));
    }
    body.push_str(&fill(w.closing));
    (subject, body)
}
