//! Access reviews (behörighetskontroller) in the store: a campaign freezes
//! the holdings, "remove" orders their removal, signing needs every answer
//! and records the access-review control, and the reminders go out once.

use crate::store_access::{Setup, setup};
use insyn_domain::access::*;
use insyn_domain::validation as v;
use insyn_domain::*;
use insyn_store::Store;
use insyn_store::access::{AccessReviewDraft, AccessReviewView, ReviewFilter};
use insyn_tests::{actor, audit_count, date, dual_test, invalid};
use uuid::Uuid;

pub(crate) fn of_system(system: SystemId) -> AccessReviewDraft {
    AccessReviewDraft {
        scope: ReviewScope::System,
        system_id: Some(system),
        unit_id: None,
        reviewer_id: None,
        deadline: None,
    }
}

fn answer(a: ReviewAnswer, comment: Option<&str>) -> ReviewAnswerDraft {
    ReviewAnswerDraft {
        answer: a,
        comment: comment.map(str::to_owned),
    }
}

impl Setup {
    /// Kim holds the profile and Ola owns the system; a campaign on it.
    async fn campaign(&self) -> anyhow::Result<AccessReviewView> {
        self.grant(self.kim.id).await?;
        let system = self.k.store.get_system(self.k.org, self.system).await?;
        self.k
            .owner(&system, "Ola Ägare", "ola@kommunen.se")
            .await?;
        Ok(self
            .k
            .store
            .open_access_review(&actor(), self.k.org, of_system(self.system))
            .await?)
    }

    async fn answer(
        &self,
        v: &AccessReviewView,
        item: Uuid,
        a: ReviewAnswer,
    ) -> Result<insyn_store::access::AccessReviewItem, insyn_store::StoreError> {
        let comment = (a == ReviewAnswer::NotSure).then_some("Fråga HR");
        self.k
            .store
            .answer_review_item(&actor(), self.k.org, v.review.id, item, answer(a, comment))
            .await
    }
}

dual_test!(
    a_campaign_keeps_the_holdings_as_they_stood_when_it_opened,
    |store: Store| async move {
        let s = setup(&store).await?;
        let before = audit_count(&store).await?;
        let v = s.campaign().await?;
        assert!(audit_count(&store).await? > before);
        assert_eq!(v.review.reviewer_name.as_deref(), Some("Ola Ägare"));
        assert_eq!(v.review.subject, "Treserva");
        assert!(v.review.deadline >= v.review.opened_on + chrono::Days::new(30));
        assert_eq!(v.items.len(), 1);
        let kim = &v.items[0];
        assert_eq!(
            (
                kim.person_name.as_str(),
                kim.profile_name.as_str(),
                kim.since
            ),
            ("Kim Handläggare", "Handläggare", date(2026, 1, 5))
        );

        // Afterwards Lo gets the profile and Kim's is removed.
        let lo = s.k.person("Lo Ny", Some("lo@kommunen.se")).await?;
        s.grant(lo.id).await?;
        let removal = s.order(OrderKind::Remove, s.kim.id).await?;
        s.take(&removal, OrderStep::Approve).await?;
        let yesterday = chrono::Utc::now().date_naive() - chrono::Days::new(1);
        let done = OrderStepDraft {
            step: OrderStep::CarryOut,
            comment: None,
            ticket: None,
            done_on: Some(yesterday),
        };
        store
            .order_step(&actor(), s.k.org, removal.id, done)
            .await?;
        let held = s.holdings().await?;
        assert_eq!(held.len(), 1);
        assert_eq!(held[0].person_id, lo.id);

        let again = store.access_review(s.k.org, v.review.id).await?;
        assert_eq!(again.items, v.items, "the frozen items do not change");
        // A new campaign sees the holdings of now.
        let next = store
            .open_access_review(&actor(), s.k.org, of_system(s.system))
            .await?;
        assert_eq!(next.items.len(), 1);
        assert_eq!(next.items[0].person_id, lo.id);
        assert_ne!(next.items[0].id, v.items[0].id);

        let open = store
            .access_reviews(
                s.k.org,
                ReviewFilter {
                    system: Some(s.system),
                    open: true,
                },
            )
            .await?;
        assert_eq!(open.len(), 2);
    }
);

dual_test!(
    remove_orders_the_removal_and_signing_records_the_control,
    |store: Store| async move {
        let s = setup(&store).await?;
        s.campaign().await?;
        let lo = s.k.person("Lo Ny", Some("lo@kommunen.se")).await?;
        s.grant(lo.id).await?;
        // A second campaign, which has both Kim and Lo.
        let v = store
            .open_access_review(&actor(), s.k.org, of_system(s.system))
            .await?;
        assert_eq!(v.items.len(), 2);
        let (kim, lo_item) = if v.items[0].person_id == s.kim.id {
            (v.items[0].id, v.items[1].id)
        } else {
            (v.items[1].id, v.items[0].id)
        };

        // Not sure needs a reason and does not let the campaign be signed.
        let e = invalid(
            store
                .answer_review_item(
                    &actor(),
                    s.k.org,
                    v.review.id,
                    kim,
                    answer(ReviewAnswer::NotSure, None),
                )
                .await,
        );
        assert_eq!(e.get("comment"), Some(REASON_REQUIRED));
        s.answer(&v, kim, ReviewAnswer::NotSure).await?;
        s.answer(&v, lo_item, ReviewAnswer::Keep).await?;
        let e = invalid(
            store
                .sign_access_review(&actor(), s.k.org, v.review.id)
                .await,
        );
        assert_eq!(e.get("answer"), Some(REVIEW_UNRESOLVED));

        let removed = s.answer(&v, kim, ReviewAnswer::Remove).await?;
        let order = removed.removal_order_id.expect("a removal order");
        let o = store.access_order(s.k.org, order).await?.order;
        assert_eq!(
            (o.kind, o.state, o.person_id, o.profile_id),
            (
                OrderKind::Remove,
                OrderState::Ordered,
                s.kim.id,
                s.profile.id
            )
        );
        // Answering remove again links the same order; keep is refused now.
        let again = s.answer(&v, kim, ReviewAnswer::Remove).await?;
        assert_eq!(again.removal_order_id, Some(order));
        let e = invalid(s.answer(&v, kim, ReviewAnswer::Keep).await);
        assert_eq!(e.get("answer"), Some(REVIEW_REMOVAL_ORDERED));

        let today = chrono::Utc::now().date_naive();
        let signed = store
            .sign_access_review(&actor(), s.k.org, v.review.id)
            .await?;
        assert!(signed.signed_at.is_some());
        assert_eq!(signed.signed_by.as_deref(), Some("test"));
        assert_eq!((signed.items, signed.resolved), (2, 2));
        let records = store.control_records(s.k.org, Some(s.system)).await?;
        assert_eq!(records.len(), 1);
        assert_eq!(
            (records[0].control.as_str(), records[0].result.as_str()),
            ("access_review", "remarks")
        );
        let c = store.compliance(s.k.org, Some(s.system), today).await?;
        let access = c.systems[0]
            .findings
            .iter()
            .find(|f| f.subject() == "access_review");
        assert!(access.is_some_and(|f| !f.is_gap()), "{access:?}");

        // Signed is final.
        let e = invalid(
            store
                .sign_access_review(&actor(), s.k.org, v.review.id)
                .await,
        );
        assert_eq!(e.get("answer"), Some(REVIEW_SIGNED));
        let e = invalid(s.answer(&v, lo_item, ReviewAnswer::Keep).await);
        assert_eq!(e.get("answer"), Some(REVIEW_SIGNED));
        let trail = store.history(s.k.org, v.review.id.0).await?;
        let actions: Vec<_> = trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions.first(), Some(&"create"));
        assert_eq!(actions.last(), Some(&"sign"));
        assert!(actions.contains(&"answer"));
    }
);

dual_test!(
    a_campaign_needs_a_reviewer_and_a_deadline_ahead,
    |store: Store| async move {
        let s = setup(&store).await?;
        s.grant(s.kim.id).await?;
        let e = invalid(
            store
                .open_access_review(&actor(), s.k.org, of_system(s.system))
                .await,
        );
        assert_eq!(e.get("reviewer_id"), Some(REVIEW_NO_REVIEWER));
        let past = AccessReviewDraft {
            reviewer_id: Some(s.kim.id),
            deadline: Some(date(2020, 1, 1)),
            ..of_system(s.system)
        };
        let e = invalid(store.open_access_review(&actor(), s.k.org, past).await);
        assert_eq!(e.get("deadline"), Some(v::NOT_IN_FUTURE));
        let no_unit = AccessReviewDraft {
            scope: ReviewScope::Unit,
            ..of_system(s.system)
        };
        let e = invalid(store.open_access_review(&actor(), s.k.org, no_unit).await);
        assert_eq!(e.get("unit_id"), Some(v::REQUIRED));

        // A unit's campaign: the holdings of its staff, on every system.
        let unit = insyn_tests::unit(&store, s.k.org, None, "Socialkontoret").await;
        let kim = PersonDraft {
            name: s.kim.name.clone(),
            email: s.kim.email.clone(),
            title: None,
            unit_id: Some(unit.id),
            active: true,
        };
        store
            .update_person(&actor(), s.k.org, s.kim.id, kim)
            .await?;
        let v = store
            .open_access_review(
                &actor(),
                s.k.org,
                AccessReviewDraft {
                    scope: ReviewScope::Unit,
                    system_id: None,
                    unit_id: Some(unit.id),
                    reviewer_id: Some(s.kim.id),
                    deadline: Some(date(2099, 1, 31)),
                },
            )
            .await?;
        assert_eq!(v.review.subject, "Socialkontoret");
        assert_eq!(v.review.deadline, date(2099, 1, 31));
        assert_eq!(v.items.len(), 1);
    }
);

dual_test!(
    the_reviewer_is_reminded_once_each_time_then_the_coordinator,
    |store: Store| async move {
        let s = setup(&store).await?;
        s.grant(s.kim.id).await?;
        let today = chrono::Utc::now().date_naive();
        let day = |n: u64| today + chrono::Days::new(n);
        let unit = insyn_tests::unit(&store, s.k.org, None, "Kommunledningskontoret").await;
        let sara =
            s.k.person("Sara Samordnare", Some("sara@kommunen.se"))
                .await?;
        s.k.holds(
            insyn_domain::policy::COORDINATOR,
            &sara,
            insyn_tests::On::Unit(unit.id),
        )
        .await?;
        store
            .open_access_review(
                &actor(),
                s.k.org,
                AccessReviewDraft {
                    reviewer_id: Some(s.kim.id),
                    deadline: Some(day(40)),
                    ..of_system(s.system)
                },
            )
            .await?;
        let kim = || store.reminders_queued_for("kim@kommunen.se");
        store.queue_reminders(day(19)).await?;
        assert_eq!(kim().await?, 0, "nothing before 20 days ahead");
        for (on, n) in [
            (20, 1),
            (20, 1),
            (30, 2),
            (37, 3),
            (38, 3),
            (45, 4),
            (49, 4),
        ] {
            store.queue_reminders(day(on)).await?;
            assert_eq!(kim().await?, n, "on day {on}");
        }
        let mails = store
            .claim_mail("test", 100, std::time::Duration::from_secs(60))
            .await?;
        assert!(
            mails.iter().any(|m| m.recipient == "kim@kommunen.se"
                && m.body.contains("Behörighetskontroll av Treserva")),
            "{mails:?}"
        );
        // Ten days late the coordinator is told, once.
        store.queue_reminders(day(49)).await?;
        let before = store.reminders_queued_for("sara@kommunen.se").await?;
        store.queue_reminders(day(50)).await?;
        store.queue_reminders(day(50)).await?;
        assert_eq!(
            store.reminders_queued_for("sara@kommunen.se").await?,
            before + 1
        );
    }
);
