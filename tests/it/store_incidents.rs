//! Incidents in the store: reported and numbered, their clocks counted from
//! "aware at" at an injected moment (no sleeps), reports marking clocks met,
//! significance switching the NIS2 clocks on or off, and each clock's
//! reminder queued once.

use chrono::{DateTime, Duration, TimeZone, Utc};
use insyn_domain::AppRole;
use insyn_domain::incident::*;
use insyn_domain::*;
use insyn_store::Store;
use insyn_store::incidents::IncidentFilter;
use insyn_tests::{On, Scenario, actor, audit_count, dual_test, invalid, not_found, unit};

/// The moment the tests call now.
pub(crate) fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 9, 12, 32, 0).unwrap()
}

pub(crate) fn draft(
    kind: IncidentKind,
    aware_hours_ago: i64,
    systems: &[SystemId],
) -> IncidentDraft {
    IncidentDraft {
        title: "E-post med personnummer till fel mottagare".into(),
        description: Some("En handläggare skickade ett beslut till fel adress.".into()),
        kind,
        severity: Severity::High,
        detection: Detection::Internal,
        occurred_at: Some(now() - Duration::hours(aware_hours_ago + 3)),
        aware_at: now() - Duration::hours(aware_hours_ago),
        reported_by: Some("Kim Handläggare".into()),
        system_ids: systems.to_vec(),
        information_set_ids: vec![],
        personal_data: (kind == IncidentKind::PersonalData).then(|| PersonalDataImpact {
            categories: Some("Brukare inom hemtjänsten; namn, personnummer".into()),
            sensitive: true,
            subjects: Some(1),
            records: Some(1),
            consequences: None,
        }),
        controller: None,
        cause: None,
        lessons: None,
    }
}

fn clock<'a>(clocks: &'a [Clock], id: &str) -> &'a Clock {
    clocks.iter().find(|c| c.deadline.id == id).expect(id)
}

/// A municipality whose system Treserva belongs to Socialförvaltningen
/// (under Socialnämnden's förvaltning), with Sara as IT-säkerhetssamordnare
/// and Ola as Treserva's owner.
async fn setup(store: &Store) -> anyhow::Result<(Scenario, SystemId)> {
    let k = Scenario::new(store, "kommunen").await?;
    let top = unit(store, k.org, None, "Socialförvaltningen").await;
    let sub = unit(store, k.org, Some(top.id), "Hemtjänsten").await;
    let mut d = SystemDraft::named("Treserva");
    d.responsible_unit_id = Some(sub.id);
    let treserva = store.create_system(&actor(), k.org, d).await?;
    let sara = k
        .person("Sara Samordnare", Some("sara@kommunen.se"))
        .await?;
    k.holds("security_coordinator", &sara, On::Unit(top.id))
        .await?;
    k.owner(&treserva, "Ola Ägare", "ola@kommunen.se").await?;
    Ok((k, treserva.id))
}

async fn not_significant(store: &Store, k: &Scenario, id: IncidentId) -> anyhow::Result<()> {
    let no = SignificanceDraft {
        significant: false,
        reason: "En enskild mottagare; ingen påverkan på tjänsten".into(),
    };
    store
        .assess_incident(&actor(), k.org, id, no, now())
        .await?;
    Ok(())
}

dual_test!(
    an_unassessed_incident_reminds_of_the_assessment,
    |store: Store| async move {
        let (k, treserva) = setup(&store).await?;
        store
            .report_incident(
                &actor(),
                k.org,
                draft(IncidentKind::Security, 13, &[treserva]),
                now(),
            )
            .await?;
        // 13 of 24 hours: past half the early warning's time, and nobody has
        // assessed whether it is significant.
        assert_eq!(store.queue_incident_reminders(now(), None).await?, 2);
        let mails = store.outbox_status(Some(k.org)).await?;
        assert_eq!(mails.pending, 2);
    }
);

dual_test!(
    a_personal_data_incident_70_hours_after_awareness_has_2_hours_left_and_its_reminder_queued,
    |store: Store| async move {
        let (k, treserva) = setup(&store).await?;
        let before = audit_count(&store).await?;
        let i = store
            .report_incident(
                &actor(),
                k.org,
                draft(IncidentKind::PersonalData, 70, &[treserva]),
                now(),
            )
            .await?;
        assert_eq!(i.number, 1);
        assert_eq!(i.status, IncidentStatus::New);
        // The controller comes from the register: the top unit above Treserva's.
        assert_eq!(i.controller.as_deref(), Some("Socialförvaltningen"));
        assert_eq!(audit_count(&store).await?, before + 1);

        // Not significant under cybersäkerhetslagen: only the IMY clock runs.
        not_significant(&store, &k, i.id).await?;
        let view = store.incident(k.org, i.id, now()).await?;
        let imy = clock(&view.clocks, "gdpr-imy");
        assert_eq!(imy.due_at, now() + Duration::hours(2));
        assert_eq!(imy.state, ClockState::Running { minutes_left: 120 });
        assert_eq!(view.systems[0].name, "Treserva");
        assert_eq!(view.timeline[0].kind, "reported");

        // 70 of 72 hours: the 80 % reminder goes to the coordinator and the
        // system owner (whom the deadline names), once each.
        assert_eq!(store.queue_incident_reminders(now(), None).await?, 2);
        assert_eq!(store.queue_incident_reminders(now(), None).await?, 0);
        assert_eq!(store.reminders_queued_for("sara@kommunen.se").await?, 1);
        assert_eq!(store.reminders_queued_for("ola@kommunen.se").await?, 1);

        // Recording the notification marks the clock met, and no more reminders.
        let report = ClockEventDraft {
            kind: ClockEventKind::Reported,
            at: Some(now() - Duration::minutes(30)),
            note: Some("IMY dnr 2026-1234".into()),
        };
        store
            .record_clock(&actor(), k.org, i.id, "gdpr-imy", report, now())
            .await?;
        let view = store
            .incident(k.org, i.id, now() + Duration::hours(5))
            .await?;
        assert_eq!(
            clock(&view.clocks, "gdpr-imy").state,
            ClockState::Met {
                at: now() - Duration::minutes(30),
                late: false
            }
        );
        assert_eq!(
            store
                .queue_incident_reminders(now() + Duration::hours(5), None)
                .await?,
            0
        );
    }
);

dual_test!(
    a_missed_clock_stays_visible_as_missed,
    |store: Store| async move {
        let (k, treserva) = setup(&store).await?;
        let i = store
            .report_incident(
                &actor(),
                k.org,
                draft(IncidentKind::PersonalData, 80, &[treserva]),
                now(),
            )
            .await?;
        not_significant(&store, &k, i.id).await?;
        let view = store.incident(k.org, i.id, now()).await?;
        assert_eq!(
            clock(&view.clocks, "gdpr-imy").state,
            ClockState::Missed {
                minutes_over: 8 * 60
            }
        );
        // Both the 80 % stage and the missed stage have not been reminded;
        // the furthest one is queued.
        assert_eq!(store.queue_incident_reminders(now(), None).await?, 2);
        let later = store
            .incident(k.org, i.id, now() + Duration::days(3))
            .await?;
        assert!(matches!(
            clock(&later.clocks, "gdpr-imy").state,
            ClockState::Missed { .. }
        ));
    }
);

dual_test!(
    a_significant_incident_runs_three_clocks_from_the_same_aware_at_and_a_non_significant_none,
    |store: Store| async move {
        let (k, treserva) = setup(&store).await?;
        let i = store
            .report_incident(
                &actor(),
                k.org,
                draft(IncidentKind::Disruption, 2, &[treserva]),
                now(),
            )
            .await?;
        let nis2 = [
            "csirt-early-warning",
            "csirt-notification",
            "csirt-final-report",
        ];
        let view = store.incident(k.org, i.id, now()).await?;
        for id in nis2 {
            assert!(
                matches!(
                    clock(&view.clocks, id).state,
                    ClockState::AwaitingAssessment { .. }
                ),
                "{id}"
            );
        }
        assert!(matches!(
            clock(&view.clocks, "gdpr-imy").state,
            ClockState::NotApplicable {
                reason: NotApplicable::NoPersonalData
            }
        ));
        let yes = SignificanceDraft {
            significant: true,
            reason: "Hemtjänstens planering ligger nere".into(),
        };
        store
            .assess_incident(&actor(), k.org, i.id, yes, now())
            .await?;
        let view = store.incident(k.org, i.id, now()).await?;
        let aware = now() - Duration::hours(2);
        let due: Vec<_> = nis2
            .iter()
            .map(|id| clock(&view.clocks, id).due_at)
            .collect();
        assert_eq!(
            due,
            [
                aware + Duration::hours(24),
                aware + Duration::hours(72),
                aware + Duration::hours(720)
            ]
        );
        for id in nis2 {
            assert!(
                matches!(clock(&view.clocks, id).state, ClockState::Running { .. }),
                "{id}"
            );
        }
        let no = SignificanceDraft {
            significant: false,
            reason: "Kort avbrott, ingen påverkan".into(),
        };
        store
            .assess_incident(&actor(), k.org, i.id, no, now())
            .await?;
        let view = store.incident(k.org, i.id, now()).await?;
        assert!(view.clocks.iter().all(|c| !c.is_open()));
        // The timeline keeps both assessments.
        let kinds: Vec<_> = view.timeline.iter().map(|t| t.kind.as_str()).collect();
        assert_eq!(kinds, ["reported", "assessment", "assessment"]);
    }
);

dual_test!(
    bad_input_is_refused_with_the_field_and_changes_nothing,
    |store: Store| async move {
        let (k, treserva) = setup(&store).await?;
        let mut d = draft(IncidentKind::Security, 1, &[treserva]);
        d.aware_at = now() + Duration::hours(1);
        let e = invalid(store.report_incident(&actor(), k.org, d, now()).await);
        assert_eq!(e.0[0].field, "aware_at");
        let e = invalid(
            store
                .report_incident(
                    &actor(),
                    k.org,
                    draft(IncidentKind::Security, 1, &[SystemId::new()]),
                    now(),
                )
                .await,
        );
        assert_eq!(e.0[0].field, "system_ids");
        let none = store
            .incidents(
                k.org,
                IncidentFilter::default(),
                PageRequest::new(Some(1), Some(50)),
            )
            .await?;
        assert_eq!(none.total, 0);

        let i = store
            .report_incident(
                &actor(),
                k.org,
                draft(IncidentKind::Security, 1, &[treserva]),
                now(),
            )
            .await?;
        // Only a clock the profile allows may be set aside.
        let waive = ClockEventDraft {
            kind: ClockEventKind::Waived,
            at: None,
            note: Some("Ingen risk".into()),
        };
        let e = invalid(
            store
                .record_clock(&actor(), k.org, i.id, "csirt-early-warning", waive, now())
                .await,
        );
        assert_eq!(e.0[0].code, NOT_WAIVABLE);
        not_found(
            store
                .record_clock(
                    &actor(),
                    k.org,
                    i.id,
                    "no-such-clock",
                    ClockEventDraft {
                        kind: ClockEventKind::Reported,
                        at: None,
                        note: None,
                    },
                    now(),
                )
                .await,
        );
        // The status moves forward, is dismissed only with a reason, and reopens.
        let e = invalid(
            store
                .change_incident_status(
                    &actor(),
                    k.org,
                    i.id,
                    StatusChange {
                        status: IncidentStatus::Dismissed,
                        reason: None,
                    },
                    now(),
                )
                .await,
        );
        assert_eq!(e.0[0].field, "reason");
        let closed = store
            .change_incident_status(
                &actor(),
                k.org,
                i.id,
                StatusChange {
                    status: IncidentStatus::Closed,
                    reason: None,
                },
                now(),
            )
            .await?;
        assert!(closed.closed_at.is_some() && closed.contained_at.is_some());
        let open = store
            .incidents(
                k.org,
                IncidentFilter {
                    open: true,
                    ..Default::default()
                },
                PageRequest::new(Some(1), Some(50)),
            )
            .await?;
        assert_eq!(open.total, 0);
        let by_system = store
            .incidents(
                k.org,
                IncidentFilter {
                    system: Some(treserva),
                    ..Default::default()
                },
                PageRequest::new(Some(1), Some(50)),
            )
            .await?;
        assert_eq!(by_system.total, 1);
        // Another organisation's incident is not found.
        let other = Scenario::new(&store, "annan").await?;
        not_found(store.incident(other.org, i.id, now()).await);
    }
);

dual_test!(
    an_incident_names_information_sets_and_carries_actions,
    |store: Store| async move {
        let (k, treserva) = setup(&store).await?;
        let set = k
            .information_set(treserva, "Genomförandeplaner", true, true)
            .await?;
        let mut d = draft(IncidentKind::PersonalData, 1, &[treserva]);
        d.information_set_ids = vec![set.id];
        let i = store.report_incident(&actor(), k.org, d, now()).await?;
        let kim = k.person("Kim Handläggare", None).await?;
        let action = ActionDraft {
            what: "Påminn om rutinen för e-post".into(),
            owner_id: Some(kim.id),
            due_on: None,
            done_on: None,
        };
        let a = store
            .add_incident_action(&actor(), k.org, i.id, action.clone())
            .await?;
        let done = ActionDraft {
            done_on: Some(now().date_naive()),
            ..action.clone()
        };
        store
            .update_incident_action(&actor(), k.org, i.id, a, done)
            .await?;
        let view = store.incident(k.org, i.id, now()).await?;
        assert_eq!(view.information_sets[0].name, "Genomförandeplaner");
        assert_eq!(view.actions[0].owner.as_deref(), Some("Kim Handläggare"));
        assert_eq!(view.actions[0].done_on, Some(now().date_naive()));
        // Someone of another organisation cannot own the action.
        let other = Scenario::new(&store, "annan").await?;
        let stranger = other.person("Främling", None).await?;
        let e = invalid(
            store
                .add_incident_action(
                    &actor(),
                    k.org,
                    i.id,
                    ActionDraft {
                        owner_id: Some(stranger.id),
                        ..action
                    },
                )
                .await,
        );
        assert_eq!(e.0[0].field, "owner_id");
    }
);

dual_test!(
    a_clock_reminder_is_in_the_recipients_language,
    |store: Store| async move {
        let (k, treserva) = setup(&store).await?;
        let ola = k
            .user("ola@kommunen.se", "Ola Ägare", AppRole::Reader)
            .await?;
        store
            .set_user_language(&actor(), ola.id, insyn_domain::access::Language::En)
            .await?;
        store
            .report_incident(
                &actor(),
                k.org,
                draft(IncidentKind::Security, 13, &[treserva]),
                now(),
            )
            .await?;
        assert_eq!(store.queue_incident_reminders(now(), None).await?, 2);
        let subjects: Vec<(String, String)> = store
            .outbox_status(Some(k.org))
            .await?
            .latest
            .into_iter()
            .map(|m| (m.recipient, m.subject))
            .collect();
        let of = |who: &str| {
            subjects
                .iter()
                .find(|(r, _)| r == who)
                .map(|(_, s)| s.clone())
                .unwrap_or_default()
        };
        assert!(
            of("ola@kommunen.se").starts_with("insyn: a deadline of incident 1 ends"),
            "{subjects:?}"
        );
        assert!(
            of("sara@kommunen.se").starts_with("insyn: tidsfrist för incident 1 går ut"),
            "{subjects:?}"
        );
    }
);
