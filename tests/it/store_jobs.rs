//! Jobs (issue 23): long work's progress in the database, written by the
//! instance running it and read by any other; finished once; seen only by
//! its owner and administrators; interrupted when it stops being updated;
//! gone when it expires.

use chrono::{Duration, Utc};
use insyn_domain::job::{JobKind, JobOutcome, JobPhase, JobProblem, JobState, STALE_MINUTES};
use insyn_domain::{JobId, OrgId, UserId};
use insyn_store::Store;
use insyn_store::db::Queryable as _;
use insyn_tests::{dual_test, org_id, url_of};

/// Sets a column of every job to a time `minutes` ago.
async fn age(store: &Store, column: &str, minutes: i64) -> anyhow::Result<()> {
    let mut tx = store.db.begin().await?;
    tx.execute(
        &format!("UPDATE jobs SET {column} = $1"),
        vec![(Utc::now() - Duration::minutes(minutes)).into()],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

dual_test!(
    a_job_progresses_and_ends_once_as_any_instance_reads_it,
    |store: Store| async move {
        let org = org_id(&store, "kommunen").await?;
        let other = Store::open(Some(&url_of(&store))).await?;
        let owner = UserId::new();
        let job = store
            .start_job(org, JobKind::RegisterImport, owner, "system.xlsx")
            .await?;
        assert_eq!(job.state, JobState::Running);
        assert_eq!(job.phase, JobPhase::Reading);
        assert_eq!((job.done, job.total), (0, 0));
        assert!(job.outcome.is_none());

        store
            .job_progress(job.id, JobPhase::Checking, 1500, 10_000)
            .await?;
        let seen = other
            .job(org, job.id)
            .await?
            .expect("on the other instance");
        assert_eq!(seen.phase, JobPhase::Checking);
        assert_eq!((seen.done, seen.total), (1500, 10_000));
        assert_eq!(seen.state_at(Utc::now()), JobState::Running);
        assert_eq!(seen.subject, "system.xlsx");

        let outcome = JobOutcome {
            created: 9_999,
            skipped: 1,
            problems: vec![JobProblem {
                row: 7,
                field: "Systemnamn".into(),
                reason: "import-missing-name".into(),
                value: String::new(),
            }],
            ..Default::default()
        };
        store.finish_job(job.id, &outcome).await?;
        // Progress after the end changes nothing.
        store
            .job_progress(job.id, JobPhase::Saving, 10_000, 10_000)
            .await?;
        let done = other.job(org, job.id).await?.expect("finished");
        assert_eq!(done.state, JobState::Done);
        assert_eq!(done.phase, JobPhase::Checking);
        assert_eq!(done.outcome.as_ref(), Some(&outcome));

        let failing = store
            .start_job(org, JobKind::RegisterImport, owner, "trasig.xlsx")
            .await?;
        store
            .finish_job(failing.id, &JobOutcome::default().failed("job-failed-save"))
            .await?;
        let failed = other.job(org, failing.id).await?.expect("failed");
        assert_eq!(failed.state, JobState::Failed);
        assert_eq!(
            failed.outcome.and_then(|o| o.error).as_deref(),
            Some("job-failed-save")
        );
        // Another organisation's path does not reach it.
        assert!(other.job(OrgId::new(), job.id).await?.is_none());
        assert!(other.job(org, JobId::new()).await?.is_none());
        other.db.close().await;
    }
);

dual_test!(
    only_the_owner_and_administrators_read_a_job,
    |store: Store| async move {
        let org = org_id(&store, "kommunen").await?;
        let owner = UserId::new();
        let job = store
            .start_job(org, JobKind::RegisterImport, owner, "a.csv")
            .await?;
        assert!(store.job_for(org, job.id, owner, false).await?.is_some());
        assert!(
            store
                .job_for(org, job.id, UserId::new(), true)
                .await?
                .is_some(),
            "an administrator"
        );
        assert!(
            store
                .job_for(org, job.id, UserId::new(), false)
                .await?
                .is_none(),
            "anyone else"
        );
    }
);

dual_test!(
    a_job_not_updated_is_interrupted_and_an_expired_one_is_gone,
    |store: Store| async move {
        let org = org_id(&store, "kommunen").await?;
        let owner = UserId::new();
        let job = store
            .start_job(org, JobKind::RegisterImport, owner, "a.csv")
            .await?;
        age(&store, "updated_at", STALE_MINUTES + 1).await?;
        let stale = store.job(org, job.id).await?.expect("still there");
        assert_eq!(stale.state, JobState::Running, "as stored");
        assert_eq!(stale.state_at(Utc::now()), JobState::Interrupted);

        age(&store, "expires_at", 1).await?;
        assert!(store.job(org, job.id).await?.is_none(), "expired");
        // Starting another removes the expired one.
        store
            .start_job(org, JobKind::RegisterImport, owner, "b.csv")
            .await?;
        let left = store
            .db
            .read()
            .count("SELECT COUNT(*) AS n FROM jobs", vec![])
            .await?;
        assert_eq!(left, 1);
    }
);
