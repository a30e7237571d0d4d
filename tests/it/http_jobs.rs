//! A confirmed import runs as a job (issue 23): the confirmation answers
//! 303 to the job's page at once; the page refreshes itself while the job
//! runs (no script needed) with a progress bar and "1 500 av 10 000 rader
//! kontrollerade", and shows the result or why it failed when finished; the
//! JSON the page's script polls; only the owner and administrators see
//! either; a failing import leaves the register as it was.

use chrono::{Duration, Utc};
use insyn_domain::AppRole;
use insyn_domain::job::{JobKind, JobOutcome, JobPhase, JobProblem, STALE_MINUTES};
use insyn_store::Store;
use insyn_store::db::Queryable as _;
use insyn_tests::{
    App, Resp, Scenario, audit_count, default_page, dual_test, io_testdata, multipart_upload,
    org_id,
};

const REFRESH: &str = r#"<noscript><meta http-equiv="refresh" content="2"></noscript>"#;

/// The page of a job at 1 500 of 10 000 (in Swedish, then in English):
/// refreshing itself, the bar at 1 500, and the status's numbers (written
/// with no-break spaces) followed by `sv` and `en`; returns the Swedish page.
pub(crate) async fn at_1500(app: &App, page: &str, sv: &str, en: &str) -> Resp {
    let running = app.get(page).await.expect(200);
    assert!(running.body.contains(REFRESH));
    assert!(
        running
            .body
            .contains(r#"<progress id="job-bar" max="10000" value="1500""#),
        "{}",
        running.body
    );
    let words = format!("1\u{a0}500 av 10\u{a0}000 {sv}");
    assert!(running.body.contains(&words), "{words}: {}", running.body);
    assert!(running.body.contains(r#"role="status""#));
    let english = app.lang("en").get(page).await.expect(200);
    let words = format!("1\u{a0}500 of 10\u{a0}000 {en}");
    assert!(english.body.contains(&words), "{words}: {}", english.body);
    running
}

/// Uploads the messy ASR file as `app` and returns the confirmation's path.
async fn dry_run(app: &App) -> String {
    let dry = app
        .request(multipart_upload(
            "/o/kommunen/import",
            "asr-messy.xlsx",
            &io_testdata("asr-messy.xlsx"),
        ))
        .await
        .expect(200);
    let token: String = dry
        .body
        .split("/o/kommunen/import/")
        .nth(1)
        .map(|s| s.chars().take(64).collect())
        .expect("a confirm form");
    format!("/o/kommunen/import/{token}")
}

dual_test!(
    a_confirmed_import_is_a_job_its_owner_and_administrators_follow,
    |store: Store| async move {
        let org = org_id(&store, "kommunen").await?;
        let at = Scenario::at(&store, org);
        let editor = at
            .signed_in("redaktor@kommunen.se", AppRole::Editor)
            .await?;
        let other = at.signed_in("annan@kommunen.se", AppRole::Editor).await?;
        let admin = App::new(&store).await;

        let confirm = dry_run(&editor).await;
        let started = editor.post_empty(&confirm).await.expect(303);
        let page = started.location().to_owned();
        assert!(page.starts_with("/o/kommunen/jobs/"), "{page}");
        let api = page.replacen("/o/", "/api/v1/orgs/", 1);

        // The owner follows it to its end.
        let done = editor.finished_job(&page).await;
        done.assert_text_contains("Importen är klar: asr-messy.xlsx");
        assert!(
            !done.body.contains("http-equiv=\"refresh\""),
            "finished: no refresh"
        );
        assert!(!done.body.contains("<progress"), "finished: no bar");
        assert!(done.body.contains("href=\"/o/kommunen/systems\""));
        // The rows left out, each with its row, column and reason.
        done.assert_text_contains("Rader som inte importerades");
        done.assert_text_contains("Systemnamn saknas");
        let j = editor.get(&api).await.expect(200).json();
        assert_eq!(j["state"], "done");
        assert_eq!(j["kind"], "register_import");
        assert_eq!(j["subject"], "asr-messy.xlsx");
        let created = j["outcome"]["created"].as_u64().expect("a count");
        assert_eq!(
            created,
            default_page(&store, org).await?.total as u64,
            "the count is what the register got"
        );
        assert!(created >= 5, "{j}");
        assert!(j["outcome"]["skipped"].as_u64() >= Some(2), "{j}");
        let problem = &j["outcome"]["problems"][0];
        assert!(
            problem["row"].as_u64().is_some() && problem["reason"].is_string(),
            "{j}"
        );

        // An administrator sees it too; another editor does not.
        admin.get(&page).await.expect(200);
        admin.get(&api).await.expect(200);
        other.get(&page).await.expect(404);
        other.get(&api).await.expect(404);
        // Nor does anyone find a job that is not there.
        editor
            .get("/o/kommunen/jobs/0190a1b2-0000-7000-8000-000000000000")
            .await
            .expect(404);
        editor.get("/o/kommunen/jobs/not-a-job").await.expect(404);
        editor
            .get("/api/v1/orgs/kommunen/jobs/not-a-job")
            .await
            .expect(404);
    }
);

dual_test!(
    the_job_page_refreshes_itself_while_running_and_says_how_it_ended,
    |store: Store| async move {
        let org = org_id(&store, "kommunen").await?;
        let app = App::new(&store).await;
        let me = store.user_by_email(insyn_tests::TEST_ADMIN).await?.id;
        let job = store
            .start_job(org, JobKind::RegisterImport, me, "system.xlsx")
            .await?;
        let page = format!("/o/kommunen/jobs/{}", job.id);

        let reading = app.get(&page).await.expect(200);
        assert!(reading.body.contains(REFRESH), "{}", reading.body);
        assert!(
            reading
                .body
                .contains(r#"<script src="/static/job.js" defer>"#)
        );
        reading.assert_text_contains("Filen läses in");

        store
            .job_progress(job.id, JobPhase::Checking, 1500, 10_000)
            .await?;
        at_1500(&app, &page, "rader kontrollerade", "rows checked").await;
        let j = app
            .get(&page.replacen("/o/", "/api/v1/orgs/", 1))
            .await
            .expect(200)
            .json();
        assert_eq!(
            (
                j["state"].as_str(),
                j["phase"].as_str(),
                j["done"].as_i64(),
                j["total"].as_i64()
            ),
            (Some("running"), Some("checking"), Some(1500), Some(10_000))
        );
        assert!(j["outcome"].is_null());

        store
            .job_progress(job.id, JobPhase::Saving, 10_000, 10_000)
            .await?;
        let saving = app.get(&page).await.expect(200);
        assert!(
            saving
                .body
                .contains(r#"<progress id="job-bar" max="10000" aria-describedby"#),
            "saving has no share to tell: {}",
            saving.body
        );
        assert!(saving.body.contains("Alla 10\u{a0}000 rader sparas"));

        let mut failed = JobOutcome::default().failed("job-failed-save");
        failed.problem(JobProblem {
            row: 12,
            field: "Systemnamn".into(),
            reason: "import-missing-name".into(),
            value: String::new(),
        });
        store.finish_job(job.id, &failed).await?;
        let ended = app.get(&page).await.expect(200);
        assert!(!ended.body.contains("http-equiv=\"refresh\""));
        assert!(!ended.body.contains("job.js"));
        ended.assert_text_contains("Importen misslyckades");
        ended.assert_text_contains("Importen kunde inte sparas i databasen.");
        ended.assert_text_contains("Ingenting i registret har ändrats.");
        ended.assert_text_contains("Systemnamn saknas");
        let english = app.lang("en").get(&page).await.expect(200);
        english.assert_text_contains("The import failed");

        // A job whose instance stopped is interrupted.
        let lost = store
            .start_job(org, JobKind::RegisterImport, me, "borta.xlsx")
            .await?;
        let mut tx = store.db.begin().await?;
        tx.execute(
            "UPDATE jobs SET updated_at = $1 WHERE id = $2",
            vec![
                (Utc::now() - Duration::minutes(STALE_MINUTES + 1)).into(),
                lost.id.0.into(),
            ],
        )
        .await?;
        tx.commit().await?;
        let gone = app
            .get(&format!("/o/kommunen/jobs/{}", lost.id))
            .await
            .expect(200);
        gone.assert_text_contains("Importen avbröts");
        assert!(!gone.body.contains("http-equiv=\"refresh\""));
        let j = app
            .get(&format!("/api/v1/orgs/kommunen/jobs/{}", lost.id))
            .await
            .expect(200)
            .json();
        assert_eq!(j["state"], "interrupted");
    }
);

async fn rename(store: &Store, from: &str, to: &str) -> anyhow::Result<()> {
    let mut tx = store.db.begin().await?;
    tx.execute(&format!("ALTER TABLE {from} RENAME TO {to}"), vec![])
        .await?;
    tx.commit().await?;
    Ok(())
}

dual_test!(
    an_import_job_that_fails_leaves_the_register_as_it_was,
    |store: Store| async move {
        let org = org_id(&store, "kommunen").await?;
        let app = App::new(&store).await;
        let confirm = dry_run(&app).await;
        let before = audit_count(&store).await?;
        let suppliers = store
            .db
            .read()
            .count("SELECT COUNT(*) AS n FROM suppliers", vec![])
            .await?;
        // The save breaks at its very end, after every row is written: the
        // import's audit record has nowhere to go.
        rename(&store, "audit_events", "audit_events_away").await?;
        let started = app.post_empty(&confirm).await.expect(303);
        let failed = app.finished_job(started.location()).await;
        rename(&store, "audit_events_away", "audit_events").await?;
        failed.assert_text_contains("Importen misslyckades");
        failed.assert_text_contains("Importen kunde inte sparas i databasen.");
        let j = app
            .get(&started.location().replacen("/o/", "/api/v1/orgs/", 1))
            .await
            .expect(200)
            .json();
        assert_eq!(j["state"], "failed");
        assert_eq!(j["outcome"]["error"], "job-failed-save");
        // Nothing of it was kept.
        assert_eq!(default_page(&store, org).await?.total, 0);
        assert_eq!(audit_count(&store).await?, before);
        assert_eq!(
            store
                .db
                .read()
                .count("SELECT COUNT(*) AS n FROM suppliers", vec![])
                .await?,
            suppliers
        );
    }
);
