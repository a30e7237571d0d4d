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

/// The subject and the plain-text body of a notice in `lang`.
pub fn notice_text(lang: Language, n: &Notice<'_>) -> (String, String) {
    let sv = lang == Language::Sv;
    let what = match (sv, n.kind) {
        (true, OrderKind::Grant) => {
            format!("behörigheten {} i {} för {}", n.profile, n.system, n.person)
        }
        (true, OrderKind::Remove) => format!(
            "borttag av behörigheten {} i {} för {}",
            n.profile, n.system, n.person
        ),
        (false, OrderKind::Grant) => {
            format!("the access {} in {} for {}", n.profile, n.system, n.person)
        }
        (false, OrderKind::Remove) => format!(
            "removal of the access {} in {} for {}",
            n.profile, n.system, n.person
        ),
    };
    let (subject, line) = match (sv, n.state) {
        (true, OrderState::Ordered) => (
            "Behörighetsbeställning att besluta",
            format!("En beställning av {what} väntar på ditt beslut."),
        ),
        (true, OrderState::Approved) => (
            "Behörighetsbeställning att utföra",
            format!("En beslutad beställning av {what} väntar på att du utför den."),
        ),
        (true, OrderState::Rejected) => (
            "Behörighetsbeställning avslagen",
            format!("Din beställning av {what} har avslagits."),
        ),
        (true, OrderState::CarriedOut) => (
            "Behörighetsbeställning utförd",
            format!("Din beställning av {what} är utförd."),
        ),
        (true, OrderState::Failed) => (
            "Behörighetsbeställning kunde inte utföras",
            format!("Din beställning av {what} kunde inte utföras."),
        ),
        (true, OrderState::Withdrawn) => (
            "Behörighetsbeställning återtagen",
            format!("Beställningen av {what} är återtagen."),
        ),
        (false, OrderState::Ordered) => (
            "Access order to decide",
            format!("An order for {what} awaits your decision."),
        ),
        (false, OrderState::Approved) => (
            "Access order to carry out",
            format!("An approved order for {what} awaits you to carry it out."),
        ),
        (false, OrderState::Rejected) => (
            "Access order rejected",
            format!("Your order for {what} has been rejected."),
        ),
        (false, OrderState::CarriedOut) => (
            "Access order carried out",
            format!("Your order for {what} has been carried out."),
        ),
        (false, OrderState::Failed) => (
            "Access order could not be carried out",
            format!("Your order for {what} could not be carried out."),
        ),
        (false, OrderState::Withdrawn) => (
            "Access order withdrawn",
            format!("The order for {what} has been withdrawn."),
        ),
    };
    let mut body = format!("{}\n\n{line}\n", if sv { "Hej!" } else { "Hello," });
    if let Some(c) = n.comment.filter(|c| !c.trim().is_empty()) {
        body.push_str(&if sv {
            format!("Kommentar: {c}\n")
        } else {
            format!("Comment: {c}\n")
        });
    }
    body.push_str(&if sv {
        format!(
            "\nDu hittar den under \"Mina uppgifter\" i insyn för {} (/o/{}/tasks).\n",
            n.org_name, n.org_slug
        )
    } else {
        format!(
            "\nYou find it under \"My tasks\" in insyn for {} (/o/{}/tasks).\n",
            n.org_name, n.org_slug
        )
    });
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
        assert_eq!(Language::parse("en"), Some(Language::En));
        assert_eq!(Language::parse("de"), None);
    }
}
