//! The reminder mail of an incident clock, in the recipient's language.
//! The store knows no message files, so the texts are here, as pure
//! functions (like the access orders' notices).

use super::{Clock, ClockStage, ClockState};
use crate::access::Language;
use crate::swedish_time::stockholm;

/// What the reminder says of the incident and the organisation.
pub struct ReminderFacts<'a> {
    pub org_name: &'a str,
    pub org_slug: &'a str,
    pub incident_id: &'a str,
    pub number: i64,
    pub title: &'a str,
}

/// (subject, body) of the reminder of `clock` at `stage`.
pub fn reminder(
    lang: Language,
    f: &ReminderFacts<'_>,
    clock: &Clock,
    stage: ClockStage,
) -> (String, String) {
    let when = stockholm(clock.due_at).format("%Y-%m-%d %H:%M");
    let d = &clock.deadline;
    let awaiting = matches!(clock.state, ClockState::AwaitingAssessment { .. });
    match lang {
        Language::Sv => {
            let subject = match stage {
                ClockStage::Missed => format!(
                    "insyn: tidsfristen har passerat – incident {} ({})",
                    f.number, f.org_name
                ),
                _ => format!(
                    "insyn: tidsfrist för incident {} går ut {when} ({})",
                    f.number, f.org_name
                ),
            };
            let mut body = format!(
                "Hej!\n\nIncident {} \"{}\" i {}:\n\n{}\nSenast: {when} (svensk tid)\n",
                f.number, f.title, f.org_name, d.name_sv
            );
            if awaiting {
                body.push_str(
                    "Fristen gäller om incidenten är betydande enligt cybersäkerhetslagen, och ingen har bedömt det än: gör bedömningen i insyn.\n",
                );
            }
            if let Some(r) = &d.recipient {
                body.push_str(&format!("Mottagare: {r}\n"));
            }
            if let Some(ch) = &d.channel {
                body.push_str(&format!("Hur: {ch}\n"));
            }
            body.push_str(&format!(
                "\nIncidenten finns i insyn: /o/{}/incidents/{}\n\
                 Du får en påminnelse vid halva tiden, vid 80 % och när fristen har passerat, så länge rapporten inte är registrerad.\n",
                f.org_slug, f.incident_id
            ));
            (subject, body)
        }
        Language::En => {
            let subject = match stage {
                ClockStage::Missed => format!(
                    "insyn: the deadline has passed – incident {} ({})",
                    f.number, f.org_name
                ),
                _ => format!(
                    "insyn: a deadline of incident {} ends {when} ({})",
                    f.number, f.org_name
                ),
            };
            let mut body = format!(
                "Hello,\n\nIncident {} \"{}\" in {}:\n\n{}\nDue: {when} (Swedish time)\n",
                f.number, f.title, f.org_name, d.name_en
            );
            if awaiting {
                body.push_str(
                    "The deadline applies if the incident is significant under the Cybersecurity Act, and nobody has assessed that yet: make the assessment in insyn.\n",
                );
            }
            if let Some(r) = &d.recipient {
                body.push_str(&format!("Recipient: {r}\n"));
            }
            if let Some(ch) = &d.channel {
                body.push_str(&format!("How: {ch}\n"));
            }
            body.push_str(&format!(
                "\nThe incident in insyn: /o/{}/incidents/{}\n\
                 You are reminded at half the time, at 80 % and when the deadline has passed, as long as the report is not recorded.\n",
                f.org_slug, f.incident_id
            ));
            (subject, body)
        }
    }
}
