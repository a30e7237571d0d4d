//! The register page's exports as jobs (issue 23 item 5): the buttons post
//! and land on the job's progress page; the finished job links to its file,
//! kept in the database (any instance serves it) with the same bytes and
//! name as the export at once, which stays for scripts and the API; only
//! the owner and administrators get job and file; an expired job loses its
//! file; a fourth running export of one user is refused.

use chrono::{Duration, Utc};
use insyn_domain::AppRole;
use insyn_domain::job::{JobKind, JobOutcome, JobPhase, MAX_RUNNING_EXPORTS};
use insyn_io::{Format, read_table};
use insyn_store::Store;
use insyn_store::db::Queryable as _;
use insyn_store::full::FullExport;
use insyn_tests::{App, Scenario, audit_count, dual_test, org_id};

/// Three systems, one with an owner, so that the file has rows and roles.
async fn register(store: &Store) -> anyhow::Result<Scenario> {
    let at = Scenario::new(store, "kommunen").await?;
    let a = at.system("Ekonomisystemet").await;
    at.system("Diariet").await;
    at.system("Skolportalen").await;
    at.owner(&a, "Olle Ägare", "olle@kommunen.se").await?;
    Ok(at)
}

/// Posts the export button `path` as `app`; returns the job's page.
async fn start(app: &App, path: &str) -> String {
    let started = app.post_empty(path).await.expect(303);
    let page = started.location().to_owned();
    assert!(page.starts_with("/o/kommunen/jobs/"), "{page}");
    page
}

/// Sets a column of a job (a time in the past) as a test's way to age it.
async fn age(store: &Store, job: &str, column: &str) -> anyhow::Result<()> {
    let mut tx = store.db.begin().await?;
    tx.execute(
        &format!("UPDATE jobs SET {column} = $1 WHERE id = $2"),
        vec![
            (Utc::now() - Duration::hours(25)).into(),
            job.parse::<uuid::Uuid>()?.into(),
        ],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn job_id(page: &str) -> &str {
    page.rsplit('/').next().unwrap_or_default()
}

dual_test!(
    a_register_export_is_a_job_whose_file_is_the_export_at_once,
    |store: Store| async move {
        register(&store).await?;
        let app = App::new(&store).await;
        let before = audit_count(&store).await?;
        // The register page's offer is a form per file, posted.
        let reg = app.get("/o/kommunen/systems").await.expect(200);
        for file in ["register.xlsx", "register.csv", "register.json"] {
            assert!(
                reg.body.contains(&format!(
                    r#"<form method="post" action="/o/kommunen/export/{file}">"#
                )),
                "{file}: {}",
                reg.body
            );
        }
        for file in ["register.xlsx", "register.csv", "register.json"] {
            let page = start(&app, &format!("/o/kommunen/export/{file}")).await;
            let done = app.finished_job(&page).await;
            done.assert_text_contains("Klar");
            done.assert_text_contains(&format!("Ladda ner kommunen-{file} (3 rader)"));
            assert!(
                done.body.contains(&format!(r#"href="{page}/file""#)),
                "{}",
                done.body
            );
            assert!(!done.body.contains("http-equiv=\"refresh\""));
            let j = app
                .get(&page.replacen("/o/", "/api/v1/orgs/", 1))
                .await
                .expect(200)
                .json();
            assert_eq!(j["kind"], "register_export");
            assert_eq!(j["state"], "done");
            assert_eq!(j["outcome"]["file"], format!("kommunen-{file}"));
            assert_eq!(j["outcome"]["rows"], 3);

            let (status, headers, from_job) = app.get_bytes(&format!("{page}/file")).await;
            assert_eq!(status, 200);
            let (status, at_once_headers, at_once) =
                app.get_bytes(&format!("/o/kommunen/export/{file}")).await;
            assert_eq!(status, 200);
            for h in ["content-disposition", "content-type"] {
                assert_eq!(headers.get(h), at_once_headers.get(h), "{file}: {h}");
            }
            assert_eq!(
                headers
                    .get("content-disposition")
                    .and_then(|v| v.to_str().ok()),
                Some(format!("attachment; filename=\"kommunen-{file}\"").as_str())
            );
            if file.ends_with(".xlsx") {
                // A workbook notes when it was made: the cells are the same.
                let cells = read_table(Format::Xlsx, &from_job)?;
                assert_eq!(cells, read_table(Format::Xlsx, &at_once)?);
                assert_eq!(cells.len(), 4, "a header and three systems");
            } else {
                assert_eq!(from_job, at_once, "{file}: the same bytes");
            }
        }

        // The full export (administrators) too.
        let page = start(&app, "/o/kommunen/export-full").await;
        let done = app.finished_job(&page).await;
        done.assert_text_contains("Klar");
        let (status, headers, bytes) = app.get_bytes(&format!("{page}/file")).await;
        assert_eq!(status, 200);
        let (_, at_once_headers, at_once) = app.get_bytes("/o/kommunen/export-full").await;
        assert_eq!(
            headers.get("content-disposition"),
            at_once_headers.get("content-disposition")
        );
        assert_eq!(
            FullExport::from_json(&bytes)?.sections,
            FullExport::from_json(&at_once)?.sections
        );
        // Exports are reads: like the export at once, nothing in the trail.
        assert_eq!(audit_count(&store).await?, before);
        // The API's exports stay at once.
        app.get("/api/v1/orgs/kommunen/export-full")
            .await
            .expect(200);
    }
);

dual_test!(
    only_the_owner_and_administrators_get_an_export_and_its_file,
    |store: Store| async move {
        let at = register(&store).await?;
        let reader = at.signed_in("lasare@kommunen.se", AppRole::Reader).await?;
        let other = at.signed_in("annan@kommunen.se", AppRole::Editor).await?;
        let admin = App::new(&store).await;

        // A reader may export (the register is theirs to read) …
        let page = start(&reader, "/o/kommunen/export/register.csv").await;
        reader.finished_job(&page).await;
        let file = format!("{page}/file");
        assert_eq!(reader.get_bytes(&file).await.0, 200);
        // … an administrator follows it too; nobody else finds job or file.
        admin.get(&page).await.expect(200);
        assert_eq!(admin.get_bytes(&file).await.0, 200);
        other.get(&page).await.expect(404);
        other.get(&file).await.expect(404);
        other
            .get(&page.replacen("/o/", "/api/v1/orgs/", 1))
            .await
            .expect(404);
        // Only administrators start the full export.
        reader
            .post_empty("/o/kommunen/export-full")
            .await
            .expect(403);
        // An import job has no file; nor has a job that is not there.
        let me = store.user_by_email("lasare@kommunen.se").await?.id;
        let import = store
            .start_job(at.org, JobKind::RegisterImport, me, "system.xlsx")
            .await?;
        reader
            .get(&format!("/o/kommunen/jobs/{}/file", import.id))
            .await
            .expect(404);
        reader
            .get("/o/kommunen/jobs/not-a-job/file")
            .await
            .expect(404);
        reader
            .post_empty("/o/kommunen/export/register.exe")
            .await
            .expect(404);
    }
);

dual_test!(
    an_expired_export_job_loses_its_file,
    |store: Store| async move {
        register(&store).await?;
        let app = App::new(&store).await;
        let page = start(&app, "/o/kommunen/export/register.json").await;
        app.finished_job(&page).await;
        let file = format!("{page}/file");
        assert_eq!(app.get_bytes(&file).await.0, 200);
        let files = "SELECT COUNT(*) AS n FROM job_files";
        assert_eq!(store.db.read().count(files, vec![]).await?, 1);

        age(&store, job_id(&page), "expires_at").await?;
        app.get(&file).await.expect(404);
        app.get(&page).await.expect(404);
        // The next job started makes room: the expired one goes, its file with it.
        start(&app, "/o/kommunen/export/register.csv").await;
        let gone = store
            .db
            .read()
            .count(
                "SELECT COUNT(*) AS n FROM job_files WHERE job_id = $1",
                vec![job_id(&page).parse::<uuid::Uuid>()?.into()],
            )
            .await?;
        assert_eq!(gone, 0);
    }
);

dual_test!(
    a_fourth_running_export_of_one_user_is_refused,
    |store: Store| async move {
        let at = register(&store).await?;
        let org = at.org;
        let editor = at
            .signed_in("redaktor@kommunen.se", AppRole::Editor)
            .await?;
        let me = store.user_by_email("redaktor@kommunen.se").await?.id;
        // Three exports still running (no task runs them here).
        let mut running = vec![];
        for n in 0..MAX_RUNNING_EXPORTS {
            let j = store
                .start_export_job(
                    org,
                    JobKind::RegisterExport,
                    me,
                    &format!("kommunen-register-{n}.csv"),
                    MAX_RUNNING_EXPORTS,
                )
                .await?
                .expect("under the limit");
            running.push(j.id);
        }
        let refused = editor
            .post_empty("/o/kommunen/export/register.csv")
            .await
            .expect(409);
        refused.assert_text_contains("Du har redan 3 exporter som pågår");
        let english = editor
            .lang("en")
            .post_empty("/o/kommunen/export-full")
            .await;
        assert_eq!(english.status, 403, "the full export is for administrators");
        editor
            .lang("en")
            .post_empty("/o/kommunen/export/register.xlsx")
            .await
            .expect(409)
            .assert_text_contains("You already have 3 exports running");
        // The export at once is not a job and not limited.
        editor
            .get("/o/kommunen/export/register.csv")
            .await
            .expect(200);
        // Another user is not held back by them.
        let admin = App::new(&store).await;
        start(&admin, "/o/kommunen/export/register.csv").await;
        // An import is not an export.
        store
            .start_job(org, JobKind::RegisterImport, me, "system.xlsx")
            .await?;
        editor
            .post_empty("/o/kommunen/export/register.csv")
            .await
            .expect(409);
        // One finished, or one interrupted (not updated for long): room again.
        store
            .finish_job(
                running[0],
                &JobOutcome::default().failed("job-failed-export"),
            )
            .await?;
        let page = start(&editor, "/o/kommunen/export/register.csv").await;
        editor.finished_job(&page).await;
        store
            .start_export_job(
                org,
                JobKind::FullExport,
                me,
                "kommunen-full.json",
                MAX_RUNNING_EXPORTS,
            )
            .await?
            .expect("two running");
        editor
            .post_empty("/o/kommunen/export/register.csv")
            .await
            .expect(409);
        age(&store, &running[1].to_string(), "updated_at").await?;
        start(&editor, "/o/kommunen/export/register.csv").await;
    }
);

dual_test!(
    an_export_job_page_shows_its_progress_and_how_it_failed,
    |store: Store| async move {
        let org = org_id(&store, "kommunen").await?;
        let app = App::new(&store).await;
        let me = store.user_by_email(insyn_tests::TEST_ADMIN).await?.id;
        let job = store
            .start_export_job(
                org,
                JobKind::RegisterExport,
                me,
                "kommunen-register.xlsx",
                3,
            )
            .await?
            .expect("under the limit");
        let page = format!("/o/kommunen/jobs/{}", job.id);
        let reading = app.get(&page).await.expect(200);
        reading.assert_text_contains("Export: kommunen-register.xlsx");
        reading.assert_text_contains("Registret läses");
        store
            .job_progress(job.id, JobPhase::Writing, 1500, 10_000)
            .await?;
        let running =
            crate::http_jobs::at_1500(&app, &page, "system exporterade", "systems exported").await;
        running.assert_text_contains("medan exporten pågår");

        store
            .finish_job(job.id, &JobOutcome::default().failed("job-failed-export"))
            .await?;
        let failed = app.get(&page).await.expect(200);
        failed.assert_text_contains("Exporten misslyckades");
        failed.assert_text_contains("Filen kunde inte skapas.");
        failed.assert_text_contains("Gå till registret och exportera igen");
        assert!(failed.body.contains(r#"href="/o/kommunen/systems""#));
        assert!(!failed.body.contains("http-equiv=\"refresh\""));
        app.get(&format!("{page}/file")).await.expect(404);
        let english = app.lang("en").get(&page).await.expect(200);
        english.assert_text_contains("The export failed");
        english.assert_text_contains("The file could not be made.");
    }
);
