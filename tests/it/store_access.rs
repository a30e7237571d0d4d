//! Access management in the store: profiles, orders through their steps to
//! holdings, and the removal orders a leaver leaves behind.

use insyn_domain::access::*;
use insyn_domain::validation as v;
use insyn_domain::*;
use insyn_store::access::{AccessOrder, OrderFilter};
use insyn_store::{Store, StoreError};
use insyn_tests::{Scenario, actor, audit_count, date, dual_test, invalid, not_found};

/// An organisation with one system, "Treserva", and its profile "Handläggare"
/// (the default parties), and Kim, an active person.
pub(crate) struct Setup {
    pub(crate) k: Scenario,
    pub(crate) system: SystemId,
    pub(crate) profile: AccessProfile,
    pub(crate) kim: Person,
}

pub(crate) async fn setup(store: &Store) -> anyhow::Result<Setup> {
    let k = Scenario::new(store, "kommunen").await?;
    let system = k.system("Treserva").await.id;
    let profile = profile(&k, system, "Handläggare", |_| {}).await?;
    let kim = k.person("Kim Handläggare", Some("kim@kommunen.se")).await?;
    Ok(Setup {
        k,
        system,
        profile,
        kim,
    })
}

async fn profile(
    k: &Scenario,
    system: SystemId,
    name: &str,
    edit: impl FnOnce(&mut AccessProfileDraft),
) -> anyhow::Result<AccessProfile> {
    let mut d = AccessProfileDraft::named(name);
    edit(&mut d);
    Ok(k.store
        .create_access_profile(&actor(), k.org, system, d, &Parties::default())
        .await?)
}

fn order_of(kind: OrderKind, person: PersonId, profiles: &[AccessProfileId]) -> AccessOrderDraft {
    AccessOrderDraft {
        kind,
        person_id: Some(person),
        new_person: None,
        profile_ids: profiles.to_vec(),
        reason: Some("Ny tjänst".into()),
        start_date: date(2026, 12, 7),
        end_date: None,
        ticket: Some("INC-1".into()),
    }
}

fn step(step: OrderStep) -> OrderStepDraft {
    OrderStepDraft {
        step,
        comment: step.needs_reason().then(|| "Därför".to_owned()),
        ticket: None,
        done_on: None,
    }
}

impl Setup {
    pub(crate) async fn order(
        &self,
        kind: OrderKind,
        who: PersonId,
    ) -> anyhow::Result<AccessOrder> {
        let mut o = self
            .k
            .store
            .order_access(
                &actor(),
                self.k.org,
                self.system,
                order_of(kind, who, &[self.profile.id]),
            )
            .await?;
        assert_eq!(o.len(), 1);
        Ok(o.remove(0))
    }

    /// The field errors of an order that is refused.
    async fn refused(&self, system: SystemId, draft: AccessOrderDraft) -> FieldErrors {
        invalid(
            self.k
                .store
                .order_access(&actor(), self.k.org, system, draft)
                .await,
        )
    }

    pub(crate) async fn take(
        &self,
        order: &AccessOrder,
        s: OrderStep,
    ) -> Result<AccessOrder, StoreError> {
        self.k
            .store
            .order_step(&actor(), self.k.org, order.id, step(s))
            .await
    }

    /// `who` holds the profile since 2026-01-05: ordered, approved and
    /// carried out that day.
    pub(crate) async fn grant(&self, who: PersonId) -> anyhow::Result<AccessOrder> {
        let o = self.order(OrderKind::Grant, who).await?;
        self.take(&o, OrderStep::Approve).await?;
        let done = OrderStepDraft {
            done_on: Some(date(2026, 1, 5)),
            ..step(OrderStep::CarryOut)
        };
        Ok(self
            .k
            .store
            .order_step(&actor(), self.k.org, o.id, done)
            .await?)
    }

    pub(crate) async fn holdings(&self) -> anyhow::Result<Vec<Holding>> {
        Ok(self
            .k
            .store
            .holdings(self.k.org, self.system, PageRequest::default())
            .await?
            .items)
    }
}

fn actions(events: &[insyn_store::AuditEvent]) -> Vec<&str> {
    events.iter().map(|e| e.action.as_str()).collect()
}

dual_test!(
    profiles_are_named_once_per_system_and_archived,
    |store: Store| async move {
        let s = setup(&store).await?;
        assert_eq!(s.profile.parties(), Parties::default());
        assert_eq!(s.profile.name, "Handläggare");
        let e = invalid(
            profile(&s.k, s.system, "  HANDLÄGGARE ", |_| {})
                .await
                .map_err(|e| e.downcast::<StoreError>().expect("a store error")),
        );
        assert_eq!(e.get("name"), Some(v::TAKEN));
        // The same name on another system is another profile.
        let other = s.k.system("Procapita").await.id;
        profile(&s.k, other, "Handläggare", |_| {}).await?;
        // A role the organisation lacks.
        let e = invalid(
            store
                .create_access_profile(
                    &actor(),
                    s.k.org,
                    s.system,
                    AccessProfileDraft {
                        executor: Some(Party::Role("vaktmastare".into())),
                        ..AccessProfileDraft::named("Läsare")
                    },
                    &Parties::default(),
                )
                .await,
        );
        assert_eq!(e.get("executor"), Some(v::UNKNOWN_CHOICE));

        // An update keeps the parties it leaves out.
        let changed = store
            .update_access_profile(
                &actor(),
                s.k.org,
                s.profile.id,
                AccessProfileDraft {
                    decider: Some(Party::Automatic),
                    max_holders: Some(3),
                    ..AccessProfileDraft::named("Handläggare IFO")
                },
            )
            .await?;
        assert_eq!(changed.decider, Party::Automatic);
        assert_eq!(changed.orderer, Party::Manager);
        assert_eq!(changed.max_holders, Some(3));
        let archived = store
            .archive_access_profile(&actor(), s.k.org, s.profile.id)
            .await?;
        assert!(archived.archived);
        assert_eq!(store.access_profile(s.k.org, s.profile.id).await?, archived);
        let listed = store.access_profiles(s.k.org, s.system).await?;
        assert_eq!(listed, vec![archived.clone()]);
        assert_eq!(
            actions(&store.history(s.k.org, s.profile.id.0).await?),
            ["create", "update", "archive"]
        );
        // Another organisation sees nothing of it.
        let other_org = Scenario::new(&store, "grannen").await?;
        not_found(store.access_profile(other_org.org, s.profile.id).await);
    }
);

dual_test!(
    the_whole_chain_gives_a_holding_with_its_audit_trail,
    |store: Store| async move {
        let s = setup(&store).await?;
        let o = s.order(OrderKind::Grant, s.kim.id).await?;
        assert_eq!(o.state, OrderState::Ordered);
        assert_eq!(o.ordered_by, "test");
        let approved = s.take(&o, OrderStep::Approve).await?;
        assert_eq!(approved.state, OrderState::Approved);
        assert!(s.holdings().await?.is_empty(), "not before it is done");
        let done = store
            .order_step(
                &actor(),
                s.k.org,
                o.id,
                OrderStepDraft {
                    step: OrderStep::CarryOut,
                    comment: None,
                    ticket: Some("HD-77".into()),
                    done_on: Some(date(2026, 1, 5)),
                },
            )
            .await?;
        assert_eq!(done.state, OrderState::CarriedOut);

        let held = s.holdings().await?;
        assert_eq!(held.len(), 1);
        let h = &held[0];
        assert_eq!(
            (h.person_id, h.profile_id, h.since, h.until, h.order_id),
            (s.kim.id, s.profile.id, date(2026, 1, 5), None, Some(o.id))
        );
        assert_eq!(store.holdings_of_person(s.k.org, s.kim.id).await?, held);
        // What Kim holds is not granted twice.
        let e = s
            .refused(
                s.system,
                order_of(OrderKind::Grant, s.kim.id, &[s.profile.id]),
            )
            .await;
        assert_eq!(e.get("profile_ids"), Some(ALREADY_HELD));

        let view = store.access_order(s.k.org, o.id).await?;
        assert_eq!(view.order, done);
        assert_eq!(view.profile, s.profile);
        let steps: Vec<_> = view.steps.iter().map(|t| (t.step, t.state)).collect();
        assert_eq!(
            steps,
            [
                (OrderStep::Approve, OrderState::Approved),
                (OrderStep::CarryOut, OrderState::CarriedOut)
            ]
        );
        assert_eq!(view.steps[1].ticket.as_deref(), Some("HD-77"));
        assert_eq!(view.steps[1].done_on, Some(date(2026, 1, 5)));

        let trail = store.history(s.k.org, o.id.0).await?;
        assert_eq!(actions(&trail), ["order", "approve", "carry_out"]);
        assert_eq!(trail[0].object_type, "access_order");
        assert_eq!(trail[2].changes["step_ticket"]["new"], "HD-77");
        assert_eq!(trail[2].changes["state"]["new"], "carried_out");
        let h_trail = store.history(s.k.org, h.id.0).await?;
        assert_eq!(actions(&h_trail), ["create"]);
        assert_eq!(h_trail[0].object_type, "access_holding");

        let filter = |state| OrderFilter {
            state: Some(state),
            ..OrderFilter::default()
        };
        assert_eq!(
            store
                .access_orders(
                    s.k.org,
                    filter(OrderState::CarriedOut),
                    PageRequest::default()
                )
                .await?
                .items,
            vec![done.clone()]
        );
        assert!(
            store
                .access_orders(s.k.org, filter(OrderState::Ordered), PageRequest::default())
                .await?
                .items
                .is_empty()
        );
    }
);

dual_test!(
    rejected_withdrawn_and_failed_orders_end_without_a_holding,
    |store: Store| async move {
        let s = setup(&store).await?;
        let rejected = s.order(OrderKind::Grant, s.kim.id).await?;
        assert_eq!(
            s.take(&rejected, OrderStep::Reject).await?.state,
            OrderState::Rejected
        );
        let withdrawn = s.order(OrderKind::Grant, s.kim.id).await?;
        s.take(&withdrawn, OrderStep::Approve).await?;
        assert_eq!(
            s.take(&withdrawn, OrderStep::Withdraw).await?.state,
            OrderState::Withdrawn
        );
        let failed = s.order(OrderKind::Grant, s.kim.id).await?;
        s.take(&failed, OrderStep::Approve).await?;
        assert_eq!(
            s.take(&failed, OrderStep::Fail).await?.state,
            OrderState::Failed
        );
        assert!(s.holdings().await?.is_empty());
        assert_eq!(
            actions(&store.history(s.k.org, failed.id.0).await?),
            ["order", "approve", "fail"]
        );
        assert_eq!(
            store
                .access_orders(
                    s.k.org,
                    OrderFilter {
                        person: Some(s.kim.id),
                        system: Some(s.system),
                        ..OrderFilter::default()
                    },
                    PageRequest::default(),
                )
                .await?
                .items
                .len(),
            3
        );
    }
);

dual_test!(
    a_step_not_allowed_is_refused_and_changes_nothing,
    |store: Store| async move {
        let s = setup(&store).await?;
        let o = s.order(OrderKind::Grant, s.kim.id).await?;
        let before = audit_count(&store).await?;
        let e = invalid(s.take(&o, OrderStep::CarryOut).await);
        assert_eq!(e.get("step"), Some(STEP_NOT_ALLOWED));
        // A rejection must say why.
        let e = invalid(
            store
                .order_step(
                    &actor(),
                    s.k.org,
                    o.id,
                    OrderStepDraft {
                        comment: None,
                        ..step(OrderStep::Reject)
                    },
                )
                .await,
        );
        assert_eq!(e.get("comment"), Some(REASON_REQUIRED));
        assert_eq!(audit_count(&store).await?, before);
        let view = store.access_order(s.k.org, o.id).await?;
        assert_eq!(view.order, o);
        assert!(view.steps.is_empty());
        assert!(s.holdings().await?.is_empty());
        // Closed is closed.
        s.take(&o, OrderStep::Reject).await?;
        let e = invalid(s.take(&o, OrderStep::Approve).await);
        assert_eq!(e.get("step"), Some(STEP_NOT_ALLOWED));
        // Another organisation cannot reach the order.
        let other = Scenario::new(&store, "grannen").await?;
        not_found(
            store
                .order_step(&actor(), other.org, o.id, step(OrderStep::Withdraw))
                .await,
        );
    }
);

dual_test!(
    a_profile_that_asks_why_needs_a_reason,
    |store: Store| async move {
        let s = setup(&store).await?;
        let strict = profile(&s.k, s.system, "Administratör", |d| {
            d.reason_required = true
        })
        .await?;
        let mut d = order_of(OrderKind::Grant, s.kim.id, &[s.profile.id, strict.id]);
        d.reason = Some("   ".into());
        let e = s.refused(s.system, d.clone()).await;
        assert_eq!(e.get("reason"), Some(REASON_REQUIRED));
        // Without the strict profile no reason is needed.
        d.profile_ids = vec![s.profile.id];
        let made = store.order_access(&actor(), s.k.org, s.system, d).await?;
        assert_eq!(made[0].reason, None);
        // Two profiles at once: two orders, one group.
        let two = store
            .order_access(
                &actor(),
                s.k.org,
                s.system,
                order_of(OrderKind::Grant, s.kim.id, &[s.profile.id, strict.id]),
            )
            .await?;
        assert_eq!(two.len(), 2);
        assert_eq!(two[0].group_id, two[1].group_id);
        assert_ne!(two[0].group_id, made[0].group_id);
    }
);

dual_test!(
    no_more_holders_than_the_profile_allows,
    |store: Store| async move {
        let s = setup(&store).await?;
        let one = profile(&s.k, s.system, "Superanvändare", |d| {
            d.max_holders = Some(1)
        })
        .await?;
        let ann = s.k.person("Ann", None).await?;
        let me = actor();
        let order = |who: PersonId| {
            store.order_access(
                &me,
                s.k.org,
                s.system,
                order_of(OrderKind::Grant, who, &[one.id]),
            )
        };
        let first = order(s.kim.id).await?.remove(0);
        let second = order(ann.id).await?.remove(0);
        s.take(&first, OrderStep::Approve).await?;
        // Kim's approved order takes the one place.
        let e = invalid(s.take(&second, OrderStep::Approve).await);
        assert_eq!(e.get("step"), Some(MAX_HOLDERS_REACHED));
        s.take(&first, OrderStep::CarryOut).await?;
        let e = invalid(s.take(&second, OrderStep::Approve).await);
        assert_eq!(e.get("step"), Some(MAX_HOLDERS_REACHED));
        assert_eq!(
            store.access_order(s.k.org, second.id).await?.order.state,
            OrderState::Ordered
        );
        // An order approved as it is made is refused when it is made.
        let auto = store
            .update_access_profile(
                &actor(),
                s.k.org,
                one.id,
                AccessProfileDraft {
                    decider: Some(Party::Automatic),
                    max_holders: Some(1),
                    ..AccessProfileDraft::named("Superanvändare")
                },
            )
            .await?;
        let e = invalid(order(ann.id).await);
        assert_eq!(e.get("profile_ids"), Some(MAX_HOLDERS_REACHED));
        assert_eq!(auto.max_holders, Some(1));
        assert_eq!(
            store
                .holdings(s.k.org, s.system, PageRequest::default())
                .await?
                .total,
            1
        );

        // Two approvals of the last place at the same time: one gets it.
        let pair = profile(&s.k, s.system, "Attestant", |d| d.max_holders = Some(1)).await?;
        let mut both = vec![];
        for who in [s.kim.id, ann.id] {
            let d = order_of(OrderKind::Grant, who, &[pair.id]);
            both.push(
                store
                    .order_access(&me, s.k.org, s.system, d)
                    .await?
                    .remove(0),
            );
        }
        let (a, b) = tokio::join!(
            s.take(&both[0], OrderStep::Approve),
            s.take(&both[1], OrderStep::Approve)
        );
        assert_eq!(
            [a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(),
            1,
            "{a:?} {b:?}"
        );
    }
);

dual_test!(
    a_removal_order_ends_the_holding,
    |store: Store| async move {
        let s = setup(&store).await?;
        // Nothing to remove yet.
        let e = s
            .refused(
                s.system,
                order_of(OrderKind::Remove, s.kim.id, &[s.profile.id]),
            )
            .await;
        assert_eq!(e.get("profile_ids"), Some(NOT_HELD));
        s.grant(s.kim.id).await?;
        let holding = s.holdings().await?.remove(0);
        let removal = s.order(OrderKind::Remove, s.kim.id).await?;
        s.take(&removal, OrderStep::Approve).await?;
        // Removed in the system yesterday: yesterday was its last day.
        let today = chrono::Utc::now().date_naive();
        let yesterday = today.pred_opt().expect("a day before");
        store
            .order_step(
                &actor(),
                s.k.org,
                removal.id,
                OrderStepDraft {
                    done_on: Some(yesterday),
                    ..step(OrderStep::CarryOut)
                },
            )
            .await?;
        assert!(s.holdings().await?.is_empty());
        assert!(
            store
                .holdings_of_person(s.k.org, s.kim.id)
                .await?
                .is_empty()
        );
        let trail = store.history(s.k.org, holding.id.0).await?;
        assert_eq!(actions(&trail), ["create", "revoke"]);
        assert_eq!(trail[1].changes["until"]["new"], yesterday.to_string());
        assert_eq!(
            store.access_order(s.k.org, removal.id).await?.order.state,
            OrderState::CarriedOut
        );

        // Removed today: held to the end of the day, not tomorrow.
        s.grant(s.kim.id).await?;
        let removal = s.order(OrderKind::Remove, s.kim.id).await?;
        s.take(&removal, OrderStep::Approve).await?;
        s.take(&removal, OrderStep::CarryOut).await?;
        let left = s.holdings().await?;
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].until, Some(today));
        assert!(!left[0].is_current(today.succ_opt().expect("a day after")));
    }
);

dual_test!(
    a_leaver_leaves_a_removal_order_for_each_holding,
    |store: Store| async move {
        let s = setup(&store).await?;
        let other_system = s.k.system("Procapita").await.id;
        let reader = profile(&s.k, other_system, "Läsare", |_| {}).await?;
        s.grant(s.kim.id).await?;
        let o = store
            .order_access(
                &actor(),
                s.k.org,
                other_system,
                order_of(OrderKind::Grant, s.kim.id, &[reader.id]),
            )
            .await?
            .remove(0);
        s.take(&o, OrderStep::Approve).await?;
        s.take(&o, OrderStep::CarryOut).await?;
        let ann = s.k.person("Ann Kvar", Some("ann@kommunen.se")).await?;
        s.grant(ann.id).await?;
        let removals = |who: PersonId| {
            let store = store.clone();
            let org = s.k.org;
            async move {
                anyhow::Ok(
                    store
                        .access_orders(
                            org,
                            OrderFilter {
                                person: Some(who),
                                ..OrderFilter::default()
                            },
                            PageRequest::default(),
                        )
                        .await?
                        .items
                        .into_iter()
                        .filter(|o| o.kind == OrderKind::Remove)
                        .collect::<Vec<_>>(),
                )
            }
        };
        let draft = |p: &Person, active: bool| PersonDraft {
            name: p.name.clone(),
            email: p.email.clone(),
            title: Some("Ny titel".into()),
            unit_id: p.unit_id,
            active,
        };
        // A change that is not leaving orders nothing.
        store
            .update_person(&actor(), s.k.org, ann.id, draft(&ann, true))
            .await?;
        assert!(removals(ann.id).await?.is_empty());

        store
            .update_person(&actor(), s.k.org, s.kim.id, draft(&s.kim, false))
            .await?;
        let mut made = removals(s.kim.id).await?;
        made.sort_by_key(|o| o.profile_id);
        let mut want = vec![s.profile.id, reader.id];
        want.sort();
        assert_eq!(made.iter().map(|o| o.profile_id).collect::<Vec<_>>(), want);
        for o in &made {
            assert_eq!(o.state, OrderState::Ordered);
            assert_eq!(o.reason.as_deref(), Some("left"));
            assert_eq!(o.ordered_by, "test");
            assert_eq!(actions(&store.history(s.k.org, o.id.0).await?), ["order"]);
        }
        // The holdings stand until the removals are carried out.
        assert_eq!(store.holdings_of_person(s.k.org, s.kim.id).await?.len(), 2);
        assert!(removals(ann.id).await?.is_empty());
        // Someone who has left is given nothing new.
        let e = s
            .refused(
                s.system,
                order_of(OrderKind::Grant, s.kim.id, &[s.profile.id]),
            )
            .await;
        assert_eq!(e.get("person_id"), Some(PERSON_INACTIVE));
        // Moving (to a unit, from another) orders removals too, with its reason.
        let from = insyn_tests::unit(&store, s.k.org, None, "Socialtjänsten").await;
        let to = insyn_tests::unit(&store, s.k.org, None, "Skolan").await;
        let placed = store
            .update_person(
                &actor(),
                s.k.org,
                ann.id,
                PersonDraft {
                    unit_id: Some(from.id),
                    ..draft(&ann, true)
                },
            )
            .await?;
        assert!(
            removals(ann.id).await?.is_empty(),
            "a first unit is no move"
        );
        store
            .update_person(
                &actor(),
                s.k.org,
                ann.id,
                PersonDraft {
                    unit_id: Some(to.id),
                    ..draft(&placed, true)
                },
            )
            .await?;
        let moved = removals(ann.id).await?;
        assert_eq!(moved.len(), 1);
        assert_eq!(moved[0].reason.as_deref(), Some("moved"));
    }
);

dual_test!(
    a_profile_of_another_system_or_organisation_cannot_be_ordered,
    |store: Store| async move {
        let s = setup(&store).await?;
        let other_system = s.k.system("Procapita").await.id;
        let e = s
            .refused(
                other_system,
                order_of(OrderKind::Grant, s.kim.id, &[s.profile.id]),
            )
            .await;
        assert_eq!(e.get("profile_ids"), Some(v::UNKNOWN_REFERENCE));

        let grannen = Scenario::new(&store, "grannen").await?;
        let their_system = grannen.system("Treserva").await.id;
        let theirs = profile(&grannen, their_system, "Handläggare", |_| {}).await?;
        let their_person = grannen.person("Bo Granne", None).await?;
        // Their profile, on our system.
        let e = s
            .refused(s.system, order_of(OrderKind::Grant, s.kim.id, &[theirs.id]))
            .await;
        assert_eq!(e.get("profile_ids"), Some(v::UNKNOWN_REFERENCE));
        // Their system, through our organisation.
        not_found(
            store
                .order_access(
                    &actor(),
                    s.k.org,
                    their_system,
                    order_of(OrderKind::Grant, s.kim.id, &[theirs.id]),
                )
                .await,
        );
        // Their person.
        let e = s
            .refused(
                s.system,
                order_of(OrderKind::Grant, their_person.id, &[s.profile.id]),
            )
            .await;
        assert_eq!(e.get("person_id"), Some(v::UNKNOWN_REFERENCE));
        // An archived profile is no longer ordered.
        store
            .archive_access_profile(&actor(), s.k.org, s.profile.id)
            .await?;
        let e = invalid(
            s.order(OrderKind::Grant, s.kim.id)
                .await
                .map_err(|e| e.downcast::<StoreError>().expect("a store error")),
        );
        assert_eq!(e.get("profile_ids"), Some(v::UNKNOWN_REFERENCE));
        assert!(
            store
                .access_orders(s.k.org, OrderFilter::default(), PageRequest::default())
                .await?
                .items
                .is_empty()
        );
    }
);
