//! Access reviews (behörighetskontroll): how often, when to remind, and
//! when a campaign may be signed.
//!
//! A campaign freezes the holdings as they stand when it opens; its items do
//! not change when holdings change later (the store copies them). Each item
//! is answered keep, remove or not sure; "not sure" is an interim answer, so
//! a campaign is signed only when every item is kept or removed.

use crate::ids::*;
use crate::model::text_enum;
use crate::validation::{self as v, FieldErrors};
use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

text_enum!(
    /// The answer to one holding in a review.
    ReviewAnswer {
        Keep = "keep",
        Remove = "remove",
        NotSure = "not_sure",
    }
);

text_enum!(
    /// What a campaign reviews: one system's holders (by its owner or
    /// förvaltare), one unit's staff (by the unit's manager), or what a
    /// person who moved holds (by their new manager).
    ReviewScope {
        System = "system",
        Unit = "unit",
        /// A person who moved to another unit: their holdings, reviewed by
        /// the new unit's manager (opened by the move, not by hand).
        Mover = "mover",
    }
);

/// How often access is reviewed, by the system's confidentiality level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewInterval {
    /// Months between reviews by default.
    pub months: u32,
    /// Shorter intervals from a confidentiality level up: `(level, months)`.
    #[serde(default)]
    pub by_level: Vec<(i16, u32)>,
}

impl Default for ReviewInterval {
    /// Yearly (Svenljunga, Söderköping's annual cycle).
    fn default() -> Self {
        ReviewInterval {
            months: 12,
            by_level: vec![],
        }
    }
}

impl ReviewInterval {
    /// The months between reviews of a system whose information has this
    /// confidentiality level (unclassified: the default).
    pub fn months_for(&self, confidentiality: Option<i16>) -> u32 {
        let level = confidentiality.unwrap_or(i16::MIN);
        self.by_level
            .iter()
            .filter(|(from, _)| level >= *from)
            .map(|(_, m)| *m)
            .min()
            .unwrap_or(self.months)
            .min(self.months)
    }

    /// When the next review is due: an interval after the last signed
    /// review, or at once (`today`) when there has been none.
    pub fn next_due(
        &self,
        confidentiality: Option<i16>,
        last_signed: Option<NaiveDate>,
        today: NaiveDate,
    ) -> NaiveDate {
        match last_signed {
            None => today,
            Some(d) => d
                .checked_add_months(Months::new(self.months_for(confidentiality)))
                .unwrap_or(NaiveDate::MAX),
        }
    }
}

/// The reminders of an open campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewReminders {
    /// Days before the deadline on which the reviewer is reminded.
    pub days_before: Vec<u32>,
    /// Days after the deadline on which the reviewer is reminded again.
    pub days_after: u32,
    /// Days after the deadline on which the IT-säkerhetssamordnare is told.
    pub escalate_after: u32,
}

impl Default for ReviewReminders {
    fn default() -> Self {
        ReviewReminders {
            days_before: vec![20, 10, 3],
            days_after: 5,
            escalate_after: 10,
        }
    }
}

/// One reminder of a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reminder {
    /// To the reviewer, this many days before the deadline.
    Before(u32),
    /// To the reviewer, this many days after the deadline.
    After(u32),
    /// To the IT-säkerhetssamordnare.
    Escalate,
}

impl ReviewReminders {
    /// Every reminder with its day, in order; those before `opened` are
    /// left out (a campaign opened ten days before its deadline gets the
    /// three-day reminder only).
    pub fn schedule(&self, opened: NaiveDate, deadline: NaiveDate) -> Vec<(NaiveDate, Reminder)> {
        let mut out: Vec<(NaiveDate, Reminder)> = self
            .days_before
            .iter()
            .filter_map(|d| {
                deadline
                    .checked_sub_days(Days::new(u64::from(*d)))
                    .map(|day| (day, Reminder::Before(*d)))
            })
            .filter(|(day, _)| *day > opened)
            .collect();
        for (days, r) in [
            (self.days_after, Reminder::After(self.days_after)),
            (self.escalate_after, Reminder::Escalate),
        ] {
            if let Some(day) = deadline.checked_add_days(Days::new(u64::from(days))) {
                out.push((day, r));
            }
        }
        out.sort_by_key(|(day, _)| *day);
        out.dedup_by_key(|(day, _)| *day);
        out
    }

    /// The reminders due on `today` for a campaign still open.
    pub fn due_on(
        &self,
        opened: NaiveDate,
        deadline: NaiveDate,
        today: NaiveDate,
    ) -> Vec<Reminder> {
        self.schedule(opened, deadline)
            .into_iter()
            .filter(|(day, _)| *day == today)
            .map(|(_, r)| r)
            .collect()
    }
}

/// One frozen line of a campaign, and its answer so far.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewItem {
    pub holding_id: HoldingId,
    pub person_id: PersonId,
    pub person_name: String,
    pub profile_id: AccessProfileId,
    pub profile_name: String,
    pub system_id: SystemId,
    pub since: NaiveDate,
    pub answer: Option<ReviewAnswer>,
    pub comment: Option<String>,
}

/// A campaign with items not yet kept or removed cannot be signed.
pub const REVIEW_UNRESOLVED: &str = "error-access-review-unresolved";
/// A campaign with nothing in it cannot be signed as a review.
pub const REVIEW_EMPTY: &str = "error-access-review-empty";

/// A signed campaign is evidence: its answers no longer change.
pub const REVIEW_SIGNED: &str = "error-access-review-signed";
/// An item whose removal has been ordered stays "remove" (withdraw the
/// order first).
pub const REVIEW_REMOVAL_ORDERED: &str = "error-access-review-removal-ordered";
/// Nobody to review: the system has no owner or förvaltare, the unit no
/// manager, and no reviewer was named.
pub const REVIEW_NO_REVIEWER: &str = "error-access-review-no-reviewer";
/// Only the reviewer (or a substitute) answers and signs.
pub const REVIEW_NOT_REVIEWER: &str = "error-access-review-not-reviewer";

/// Whether a user answers and signs a campaign: its reviewer (the user's
/// e-mail is the reviewer's), or an administrator or the
/// IT-säkerhetssamordnare standing in (recorded as themselves).
pub fn may_review(
    app_role: Option<crate::auth::AppRole>,
    user_email: &str,
    reviewer_email: Option<&str>,
) -> bool {
    use crate::auth::AppRole;
    matches!(
        app_role,
        Some(AppRole::Administrator | AppRole::SecurityCoordinator)
    ) || reviewer_email.is_some_and(|r| r.trim().eq_ignore_ascii_case(user_email.trim()))
}

/// Whether a campaign may be signed: `Ok` or the reason it may not.
pub fn may_sign(items: &[ReviewItem]) -> Result<(), &'static str> {
    if items.is_empty() {
        return Err(REVIEW_EMPTY);
    }
    if items
        .iter()
        .any(|i| !matches!(i.answer, Some(ReviewAnswer::Keep | ReviewAnswer::Remove)))
    {
        return Err(REVIEW_UNRESOLVED);
    }
    Ok(())
}

/// The answer to one item.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewAnswerDraft {
    pub answer: ReviewAnswer,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub comment: Option<String>,
}

impl ReviewAnswerDraft {
    /// "Not sure" says why (whom to ask); "keep" and "remove" may.
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.comment = v::optional_text(&mut e, "comment", self.comment.as_deref(), 2000);
        if self.answer == ReviewAnswer::NotSure && self.comment.is_none() {
            e.add("comment", super::order::REASON_REQUIRED);
        }
        e.into_result(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn sensitive_systems_are_reviewed_more_often() {
        let i = ReviewInterval {
            months: 12,
            by_level: vec![(3, 6), (4, 3)],
        };
        assert_eq!(i.months_for(None), 12);
        assert_eq!(i.months_for(Some(2)), 12);
        assert_eq!(i.months_for(Some(3)), 6);
        assert_eq!(i.months_for(Some(4)), 3);
        // A level rule can only shorten the interval.
        let odd = ReviewInterval {
            months: 6,
            by_level: vec![(2, 12)],
        };
        assert_eq!(odd.months_for(Some(3)), 6);
        assert_eq!(
            i.next_due(Some(3), Some(day("2026-08-31")), day("2026-12-06")),
            day("2027-02-28"),
            "six months after the end of August is the end of February"
        );
        assert_eq!(
            i.next_due(Some(3), None, day("2026-12-06")),
            day("2026-12-06")
        );
    }

    #[test]
    fn reminders_before_and_after_the_deadline() {
        let r = ReviewReminders::default();
        let deadline = day("2027-01-31");
        let s = r.schedule(day("2026-12-01"), deadline);
        assert_eq!(
            s,
            vec![
                (day("2027-01-11"), Reminder::Before(20)),
                (day("2027-01-21"), Reminder::Before(10)),
                (day("2027-01-28"), Reminder::Before(3)),
                (day("2027-02-05"), Reminder::After(5)),
                (day("2027-02-10"), Reminder::Escalate),
            ]
        );
        // Opened late: the reminders that would fall before it are not sent.
        let late = r.schedule(day("2027-01-25"), deadline);
        assert_eq!(late[0], (day("2027-01-28"), Reminder::Before(3)));
        assert_eq!(late.len(), 3);
        assert_eq!(
            r.due_on(day("2026-12-01"), deadline, day("2027-02-10")),
            vec![Reminder::Escalate]
        );
        assert!(
            r.due_on(day("2026-12-01"), deadline, day("2027-02-11"))
                .is_empty()
        );
    }

    fn item(answer: Option<ReviewAnswer>) -> ReviewItem {
        ReviewItem {
            holding_id: HoldingId::new(),
            person_id: PersonId::new(),
            person_name: "Kim".into(),
            profile_id: AccessProfileId::new(),
            profile_name: "Handläggare".into(),
            system_id: SystemId::new(),
            since: day("2025-01-01"),
            answer,
            comment: None,
        }
    }

    #[test]
    fn a_campaign_is_signed_when_every_item_is_kept_or_removed() {
        assert_eq!(may_sign(&[]), Err(REVIEW_EMPTY));
        assert_eq!(
            may_sign(&[item(Some(ReviewAnswer::Keep)), item(None)]),
            Err(REVIEW_UNRESOLVED)
        );
        assert_eq!(
            may_sign(&[item(Some(ReviewAnswer::NotSure))]),
            Err(REVIEW_UNRESOLVED)
        );
        assert_eq!(
            may_sign(&[
                item(Some(ReviewAnswer::Keep)),
                item(Some(ReviewAnswer::Remove))
            ]),
            Ok(())
        );
    }

    #[test]
    fn the_reviewer_or_a_substitute_reviews() {
        use crate::auth::AppRole;
        let ola = Some("Ola@kommunen.se");
        assert!(may_review(Some(AppRole::Reader), "ola@kommunen.se", ola));
        assert!(!may_review(Some(AppRole::Editor), "kim@kommunen.se", ola));
        assert!(may_review(
            Some(AppRole::SecurityCoordinator),
            "kim@kommunen.se",
            ola
        ));
        assert!(!may_review(Some(AppRole::Reader), "kim@kommunen.se", None));
    }

    #[test]
    fn not_sure_says_why() {
        let d = |a, c: Option<&str>| ReviewAnswerDraft {
            answer: a,
            comment: c.map(str::to_owned),
        };
        assert!(d(ReviewAnswer::NotSure, None).validate().is_err());
        assert!(
            d(ReviewAnswer::NotSure, Some("Fråga HR"))
                .validate()
                .is_ok()
        );
        assert!(d(ReviewAnswer::Keep, None).validate().is_ok());
    }
}
