//! Continuity in the store: requirements set and audited, a restore test
//! that misses its RPO judged "not met" against the requirements kept with
//! it, the restore-test control recorded in the årshjul on the test's day,
//! compliance reporting the gap until the test's actions are done, and
//! backups added, changed and removed.

use chrono::{Days, Utc};
use insyn_domain::continuity::*;
use insyn_domain::incident::ActionDraft;
use insyn_domain::*;
use insyn_store::Store;
use insyn_tests::{Scenario, actor, audit_count, dual_test, invalid, not_found};

fn requirements(rto: i64, rpo: i64) -> Requirements {
    Requirements {
        rto_minutes: Some(rto),
        rpo_minutes: Some(rpo),
        mtd_minutes: Some(24 * 60),
        critical_periods: Some("Löneutbetalning vid månadsskiftet".into()),
        fallback_routine: Some("Manuella utbetalningar via banken".into()),
    }
}

fn performed(on: chrono::NaiveDate, restore: i64, loss: i64) -> RestoreTestDraft {
    RestoreTestDraft {
        performed_on: Some(on),
        performed_by: Some("Ida Drift".into()),
        restored: Some("Lönedatabasen".into()),
        restore_point: Some("2026-11-30 02:00".into()),
        restore_minutes: Some(restore),
        data_loss_minutes: Some(loss),
        evidence_url: Some("https://dokument.kommunen.se/aterlasning-1".into()),
        ..RestoreTestDraft::default()
    }
}

fn gap(c: &policy::Compliance) -> Option<policy::Outcome> {
    c.systems[0]
        .findings
        .iter()
        .find(|f| f.rule_id() == "restore-test-met")
        .map(|f| f.outcome)
}

dual_test!(
    a_restore_test_that_misses_its_rpo_is_a_gap_until_its_actions_are_done,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Lönesystemet").await;
        let ola = k.owner(&s, "Ola Ägare", "ola@kommunen.se").await?;
        let (a, org) = (actor(), k.org);
        let today = Utc::now().date_naive();

        let before = audit_count(&store).await?;
        store
            .set_continuity(&a, org, s.id, requirements(240, 60))
            .await?;
        assert_eq!(audit_count(&store).await?, before + 1);
        let c = store.continuity(org, s.id).await?.expect("set");
        assert_eq!(c.requirements.rto_minutes, Some(240));

        // Restored in exactly the RTO, but four hours of data lost: not met.
        let on = today - Days::new(2);
        let t = store
            .record_restore_test(&a, org, s.id, performed(on, 240, 240), today)
            .await?;
        let j = t.judgement().expect("performed");
        assert_eq!(j.verdict, Verdict::NotMet);
        assert!(j.rto.unwrap().met, "equal to the RTO is met");
        assert_eq!(
            j.rpo,
            Some(Check {
                measured: 240,
                required: 60,
                met: false
            })
        );

        // The årshjul has the restore test performed that day, with remarks.
        let controls = store.control_records(org, Some(s.id)).await?;
        let c = controls
            .iter()
            .find(|c| c.control == "restore_test")
            .expect("the control is recorded");
        assert_eq!((c.performed_on, c.result.as_str()), (on, "remarks"));

        // Compliance reports the gap from the test's day.
        let comp = store.compliance(org, Some(s.id), today).await?;
        assert_eq!(
            gap(&comp),
            Some(policy::Outcome::Missing { since: Some(on) })
        );

        // A later, looser requirement does not rewrite the test.
        store
            .set_continuity(&a, org, s.id, requirements(480, 480))
            .await?;
        let v = store.restore_test(org, s.id, t.id).await?;
        assert_eq!(v.judgement.map(|j| j.verdict), Some(Verdict::NotMet));
        assert_eq!(v.test.required_rpo_minutes, Some(60));

        // An action with an owner; the gap stays until it is done.
        let mut action = ActionDraft {
            what: "Säkerhetskopiera varje timme".into(),
            owner_id: Some(ola.id),
            due_on: Some(today + Days::new(30)),
            done_on: None,
        };
        let id = store
            .add_restore_action(&a, org, s.id, t.id, action.clone())
            .await?;
        let comp = store.compliance(org, Some(s.id), today).await?;
        assert!(gap(&comp).is_some_and(|o| !o.complies()));
        action.done_on = Some(today);
        store
            .update_restore_action(&a, org, s.id, t.id, id, action)
            .await?;
        let comp = store.compliance(org, Some(s.id), today).await?;
        assert!(gap(&comp).is_some_and(|o| o.complies()), "{comp:?}");
    }
);

dual_test!(
    a_planned_test_is_judged_when_performed_and_refusals_name_the_field,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Ekonomisystemet").await;
        let other = Scenario::new(&store, "grannen").await?;
        let theirs = other.system("Grannens").await;
        let (a, org) = (actor(), k.org);
        let today = Utc::now().date_naive();

        // No requirements: a performed test cannot be judged.
        let planned = RestoreTestDraft {
            planned_on: Some(today + Days::new(10)),
            ..RestoreTestDraft::default()
        };
        let t = store
            .record_restore_test(&a, org, s.id, planned, today)
            .await?;
        assert_eq!(t.verdict(), None);
        assert!(store.control_records(org, Some(s.id)).await?.is_empty());
        let t = store
            .update_restore_test(&a, org, s.id, t.id, performed(today, 30, 0), today)
            .await?;
        assert_eq!(t.verdict(), Some(Verdict::CannotJudge));
        assert_eq!(store.control_records(org, Some(s.id)).await?.len(), 1);

        let e = invalid(
            store
                .set_continuity(
                    &a,
                    org,
                    s.id,
                    Requirements {
                        rto_minutes: Some(600),
                        mtd_minutes: Some(60),
                        ..Requirements::default()
                    },
                )
                .await,
        );
        assert_eq!(e.get("mtd_minutes"), Some(MTD_BEFORE_RTO));
        let mut bad = performed(today, 30, 0);
        bad.evidence_url = Some("http://intranet/bevis".into());
        let e = invalid(store.record_restore_test(&a, org, s.id, bad, today).await);
        assert_eq!(e.get("evidence_url"), Some(NOT_HTTPS));
        // Another organisation's system is not found.
        not_found(
            store
                .set_continuity(&a, org, theirs.id, requirements(60, 60))
                .await,
        );
        not_found(store.restore_tests(org, theirs.id).await);
    }
);

dual_test!(
    backups_are_added_changed_and_removed_with_the_trail,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Ärendesystemet").await;
        let (a, org) = (actor(), k.org);
        let draft = BackupDraft {
            what: "Databasen".into(),
            location: Some("Driftcentralen i Mjölby".into()),
            frequency: Some("Varje natt".into()),
            retention: Some("90 dagar".into()),
            responsible: Some("Leverantören".into()),
            note: None,
        };
        let b = store.add_backup(&a, org, s.id, draft.clone()).await?;
        let mut changed = draft.clone();
        changed.frequency = Some("Varje timme".into());
        store.update_backup(&a, org, s.id, b.id, changed).await?;
        let list = store.backups(org, s.id).await?;
        assert_eq!(list[0].draft.frequency.as_deref(), Some("Varje timme"));
        let e = invalid(
            store
                .add_backup(
                    &a,
                    org,
                    s.id,
                    BackupDraft {
                        what: " ".into(),
                        ..draft
                    },
                )
                .await,
        );
        assert_eq!(e.get("what"), Some(validation::REQUIRED));
        let before = audit_count(&store).await?;
        store.remove_backup(&a, org, s.id, b.id).await?;
        assert_eq!(audit_count(&store).await?, before + 1);
        assert!(store.backups(org, s.id).await?.is_empty());
        not_found(store.remove_backup(&a, org, s.id, b.id).await);
        // Another organisation's system has no backups here: not found.
        let other = Scenario::new(&store, "grannkommunen").await?;
        not_found(store.backups(other.org, s.id).await);
    }
);
