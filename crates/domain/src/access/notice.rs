//! The mails an order's steps send: each step tells the party who acts
//! next (the decider after ordering, the executor after approval) and the
//! orderer how it ended (rejected, carried out, failed), in the
//! recipient's language. The store knows no message files, so the texts
//! are here, in both languages, as pure functions.

use super::{OrderKind, OrderState, Parties, Party};
use serde::{Deserialize, Serialize};

/// A user's language: the interface's and their mail's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Sv,
    En,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Sv => "sv",
            Language::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Language> {
        match s.trim() {
            "sv" => Some(Language::Sv),
            "en" => Some(Language::En),
            _ => None,
        }
    }
}

/// A user's choice of language (the API's body for setting it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LanguageChoice {
    pub language: Language,
}

impl crate::validation::Validate for LanguageChoice {
    fn problems(&self) -> crate::validation::FieldErrors {
        crate::validation::FieldErrors::new()
    }
}

/// Who is told of an order's new state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeTo<'a> {
    /// A party of the profile (the decider or the executor).
    Party(&'a Party),
    /// Whoever placed the order.
    Orderer,
}

/// Who is told when an order comes to `state`: nobody for a withdrawn
/// order, nor when the next party is nobody (an automatic decision).
pub fn notice_to(state: OrderState, parties: &Parties) -> Option<NoticeTo<'_>> {
    match state {
        OrderState::Ordered | OrderState::Approved => state
            .next_party(parties)
            .filter(|p| **p != Party::Automatic)
            .map(NoticeTo::Party),
        OrderState::Rejected | OrderState::CarriedOut | OrderState::Failed => {
            Some(NoticeTo::Orderer)
        }
        OrderState::Withdrawn => None,
    }
}

/// What a notice is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice<'a> {
    pub state: OrderState,
    pub kind: OrderKind,
    pub org_name: &'a str,
    /// For the link to "Mina uppgifter": `/o/<slug>/tasks`.
    pub org_slug: &'a str,
    pub system: &'a str,
    pub profile: &'a str,
    pub person: &'a str,
    /// The step's comment (a rejection's or failure's reason).
    pub comment: Option<&'a str>,
}

/// The words of a notice in one language; `{profile}`, `{system}`,
/// `{person}`, `{what}`, `{comment}`, `{org}` and `{slug}` are filled in.
struct Words {
    grant: &'static str,
    remove: &'static str,
    /// The subject and the line of each state, in the order of
    /// [`state_index`].
    states: [(&'static str, &'static str); 6],
    greeting: &'static str,
    comment: &'static str,
    closing: &'static str,
}

const SV: Words = Words {
    grant: "behörigheten {profile} i {system} för {person}",
    remove: "borttag av behörigheten {profile} i {system} för {person}",
    states: [
        (
            "Behörighetsbeställning att besluta",
            "En beställning av {what} väntar på ditt beslut.",
        ),
        (
            "Behörighetsbeställning att utföra",
            "En beslutad beställning av {what} väntar på att du utför den.",
        ),
        (
            "Behörighetsbeställning avslagen",
            "Din beställning av {what} har avslagits.",
        ),
        (
            "Behörighetsbeställning utförd",
            "Din beställning av {what} är utförd.",
        ),
        (
            "Behörighetsbeställning kunde inte utföras",
            "Din beställning av {what} kunde inte utföras.",
        ),
        (
            "Behörighetsbeställning återtagen",
            "Beställningen av {what} är återtagen.",
        ),
    ],
    greeting: "Hej!",
    comment: "Kommentar: {comment}",
    closing: "Du hittar den under \"Mina uppgifter\" i insyn för {org} (/o/{slug}/tasks).",
};

const EN: Words = Words {
    grant: "the access {profile} in {system} for {person}",
    remove: "removal of the access {profile} in {system} for {person}",
    states: [
        (
            "Access order to decide",
            "An order for {what} awaits your decision.",
        ),
        (
            "Access order to carry out",
            "An approved order for {what} awaits you to carry it out.",
        ),
        (
            "Access order rejected",
            "Your order for {what} has been rejected.",
        ),
        (
            "Access order carried out",
            "Your order for {what} has been carried out.",
        ),
        (
            "Access order could not be carried out",
            "Your order for {what} could not be carried out.",
        ),
        (
            "Access order withdrawn",
            "The order for {what} has been withdrawn.",
        ),
    ],
    greeting: "Hello,",
    comment: "Comment: {comment}",
    closing: "You find it under \"My tasks\" in insyn for {org} (/o/{slug}/tasks).",
};

fn state_index(state: OrderState) -> usize {
    match state {
        OrderState::Ordered => 0,
        OrderState::Approved => 1,
        OrderState::Rejected => 2,
        OrderState::CarriedOut => 3,
        OrderState::Failed => 4,
        OrderState::Withdrawn => 5,
    }
}

/// `text` with each `{name}` of `args` replaced by its value, in one pass:
/// a value is never read again for names (a profile called "{person}"
/// stays as it is written).
fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| {
            let name = &after[..close];
            let (_, value) = args.iter().find(|(n, _)| *n == name)?;
            Some((close, value))
        }) {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The subject and the plain-text body of a notice in `lang`.
pub fn notice_text(lang: Language, n: &Notice<'_>) -> (String, String) {
    let w = match lang {
        Language::Sv => &SV,
        Language::En => &EN,
    };
    let what = fill(
        match n.kind {
            OrderKind::Grant => w.grant,
            OrderKind::Remove => w.remove,
        },
        &[
            ("profile", n.profile),
            ("system", n.system),
            ("person", n.person),
        ],
    );
    let (subject, line) = w.states[state_index(n.state)];
    let mut body = format!("{}\n\n{}\n", w.greeting, fill(line, &[("what", &what)]));
    if let Some(c) = n.comment.filter(|c| !c.trim().is_empty()) {
        body.push_str(&fill(w.comment, &[("comment", c)]));
        body.push('\n');
    }
    body.push('\n');
    body.push_str(&fill(
        w.closing,
        &[("org", n.org_name), ("slug", n.org_slug)],
    ));
    body.push('\n');
    (format!("insyn: {subject} ({})", n.system), body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(state: OrderState) -> Notice<'static> {
        Notice {
            state,
            kind: OrderKind::Grant,
            org_name: "Exempelstad",
            org_slug: "exempelstad",
            system: "Treserva",
            profile: "Handläggare",
            person: "Kim",
            comment: Some("Saknar beslut"),
        }
    }

    #[test]
    fn a_value_is_not_read_for_names() {
        let mut n = notice(OrderState::CarriedOut);
        n.profile = "{person} {what";
        n.kind = OrderKind::Remove;
        let (_, b) = notice_text(Language::Sv, &n);
        assert!(b.contains("Din beställning av borttag av behörigheten {person} {what i Treserva för Kim är utförd."));
    }

    #[test]
    fn each_state_tells_the_next_party_or_the_orderer() {
        let p = Parties::default();
        assert_eq!(
            notice_to(OrderState::Ordered, &p),
            Some(NoticeTo::Party(&p.decider))
        );
        assert_eq!(
            notice_to(OrderState::Approved, &p),
            Some(NoticeTo::Party(&p.executor))
        );
        for s in [
            OrderState::Rejected,
            OrderState::CarriedOut,
            OrderState::Failed,
        ] {
            assert_eq!(notice_to(s, &p), Some(NoticeTo::Orderer));
        }
        assert_eq!(notice_to(OrderState::Withdrawn, &p), None);
    }

    #[test]
    fn the_text_is_in_the_recipient_s_language() {
        let (s, b) = notice_text(Language::Sv, &notice(OrderState::Rejected));
        assert_eq!(s, "insyn: Behörighetsbeställning avslagen (Treserva)");
        assert!(b.contains(
            "Din beställning av behörigheten Handläggare i Treserva för Kim har avslagits."
        ));
        assert!(b.contains("Kommentar: Saknar beslut"));
        assert!(b.contains("/o/exempelstad/tasks"));
        let (s, b) = notice_text(Language::En, &notice(OrderState::Ordered));
        assert_eq!(s, "insyn: Access order to decide (Treserva)");
        assert!(b.contains(
            "An order for the access Handläggare in Treserva for Kim awaits your decision."
        ));
        assert!(b.ends_with(
            "\n\nYou find it under \"My tasks\" in insyn for Exempelstad (/o/exempelstad/tasks).\n"
        ));
        assert_eq!(Language::parse("en"), Some(Language::En));
        assert_eq!(Language::parse("de"), None);
    }
}
