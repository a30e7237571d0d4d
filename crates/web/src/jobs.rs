//! Long work as jobs (issue 23): a confirmed register import runs in a task
//! of this instance while its progress goes to the database
//! (`insyn_store::jobs`), so the progress page and its JSON answer on any
//! instance. The rows are checked [`CHUNK_ROWS`] at a time with the progress
//! written between chunks in short transactions of their own; then the
//! import is saved in its one all-or-nothing transaction (phase "saving"),
//! so a failure leaves the register as it was. An export started on the
//! register page runs the same way: the systems are read a page at a time
//! with the progress written between pages, the file is written off the
//! async workers and kept in the database with the job's end, so any
//! instance serves it. Below `html` and `api`, which both show jobs.

use crate::auth::Principal;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use insyn_domain::import::{Record, Severity};
use insyn_domain::job::{
    CHUNK_ROWS, Job, JobKind, JobOutcome, JobPhase, JobProblem, MAX_RUNNING_EXPORTS,
};
use insyn_domain::{FieldErrors, JobId, OrgId, Organisation, Permission};
use insyn_store::Store;
use insyn_store::audit::Actor;
use insyn_store::import::pending::PendingUpload;
use insyn_store::import::{ImportReport, ImportTarget, RowAction};
use insyn_store::jobs::JobFile;

/// A job's failure when saving went wrong (the database refused it).
pub const SAVE_FAILED: &str = "job-failed-save";
/// An export's failure (reading the register or writing the file went wrong).
pub const EXPORT_FAILED: &str = "job-failed-export";

/// A test's ways to see a job's states, deterministically (the browser test
/// of the progress and failure pages), in a debug build only and only when
/// the server was started with them: `INSYN_TEST_FAIL_JOBS_NAMED`, a job
/// whose subject contains that text fails at its end as if the database had
/// refused it; `INSYN_TEST_JOBS_WAIT_MS`, every job waits that long (at most
/// a minute) before its work, so that its running page can be looked at.
#[cfg(debug_assertions)]
mod test_hooks {
    pub fn fails(subject: &str) -> bool {
        std::env::var("INSYN_TEST_FAIL_JOBS_NAMED")
            .is_ok_and(|s| !s.is_empty() && subject.contains(&s))
    }

    pub async fn wait() {
        let ms = std::env::var("INSYN_TEST_JOBS_WAIT_MS")
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
            .min(60_000);
        if ms > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
        }
    }
}

/// Compiled out of a release build: no job fails or waits for a test.
#[cfg(not(debug_assertions))]
mod test_hooks {
    pub fn fails(_subject: &str) -> bool {
        false
    }

    pub async fn wait() {}
}

/// The job of `org` under `id` (a path segment) if `me` may see it: its
/// owner, or an administrator of the organisation.
pub async fn visible_job(
    store: &Store,
    me: &Principal,
    org: OrgId,
    id: &str,
) -> AppResult<Option<Job>> {
    let Ok(id) = id.parse::<JobId>() else {
        return Ok(None);
    };
    let administers = me
        .role_in(org)
        .is_some_and(|r| r.allows(Permission::Administer));
    Ok(store.job_for(org, id, me.user.id, administers).await?)
}

/// Starts importing a confirmed upload as a job of its uploader; returns
/// the job at once.
pub async fn start_register_import(
    store: &Store,
    actor: Actor,
    pending: PendingUpload,
) -> AppResult<JobId> {
    let job = store
        .start_job(
            pending.org,
            JobKind::RegisterImport,
            pending.user,
            &pending.file_name,
        )
        .await?;
    let (store, id) = (store.clone(), job.id);
    tokio::spawn(async move {
        test_hooks::wait().await;
        let outcome = run_register_import(&store, &actor, id, pending).await;
        if let Err(e) = store.finish_job(id, &outcome).await {
            // Shown as interrupted once it is stale.
            tracing::error!(job = %id, "a job's end could not be written: {e}");
        }
    });
    Ok(job.id)
}

async fn run_register_import(
    store: &Store,
    actor: &Actor,
    id: JobId,
    p: PendingUpload,
) -> JobOutcome {
    let (name, bytes, columns) = (p.file_name.clone(), p.bytes, p.columns);
    let read = crate::upload::off_thread(move || {
        insyn_io::parse_file_mapped(&name, &bytes, &Default::default(), Some(&columns))
    })
    .await;
    let records = match read {
        Ok((_, records)) => records,
        Err(e) => return JobOutcome::default().failed(e.code()),
    };
    let total = i64::try_from(records.len()).unwrap_or(i64::MAX);
    let progress = |phase, done: usize| {
        store.job_progress(id, phase, i64::try_from(done).unwrap_or(total), total)
    };
    // Progress is only shown: a failed write of it does not stop the import.
    let _ = progress(JobPhase::Checking, 0).await;
    let mut checked = 0;
    for chunk in records.chunks(CHUNK_ROWS) {
        let ready = chunk.iter().filter(|r| row_ready(r)).count();
        checked += chunk.len();
        tracing::debug!(job = %id, checked, ready, "rows checked");
        let _ = progress(JobPhase::Checking, checked).await;
    }
    let _ = progress(JobPhase::Saving, checked).await;
    if test_hooks::fails(&p.file_name) {
        return JobOutcome::default().failed(SAVE_FAILED);
    }
    match store
        .import(
            actor,
            ImportTarget::Org(p.org),
            &p.file_name,
            &records,
            false,
        )
        .await
    {
        Ok(report) => outcome_of(&report),
        Err(e) => {
            tracing::error!(job = %id, "an import job failed: {e}");
            JobOutcome::default().failed(SAVE_FAILED)
        }
    }
}

/// Whether a row passes the checks that need no database: no error from
/// reading it, not a repeat, and a valid system.
fn row_ready(r: &Record) -> bool {
    r.duplicate_of.is_none()
        && !r.issues.iter().any(|i| i.severity == Severity::Error)
        && r.values.to_draft().validate().is_ok()
}

/// The counts of an import and its rows left out, each error naming its
/// row, column and reason.
pub fn outcome_of(report: &ImportReport) -> JobOutcome {
    let mut o = JobOutcome {
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        skipped: report.skipped,
        ..Default::default()
    };
    for row in report.rows.iter().filter(|r| r.action == RowAction::Skip) {
        for (field, reason, value, error) in &row.issues {
            if *error {
                o.problem(JobProblem {
                    row: row.row,
                    field: field.clone(),
                    reason: reason.clone(),
                    value: value.chars().take(200).collect(),
                });
            }
        }
    }
    o
}

/// What an export job makes.
#[derive(Debug, Clone, Copy)]
pub enum Export<'a> {
    /// The register as `file` (`register.xlsx`, …) in `format` (`xlsx`, …).
    Register { file: &'a str, format: &'static str },
    /// Everything of the organisation as one JSON file.
    Full,
}

/// Starts an export as a job of `me`, refused (409, saying why) while they
/// have [`MAX_RUNNING_EXPORTS`] exports running; returns the job at once.
/// Like the export at once it is a read, and records nothing in the trail.
pub async fn start_export(
    store: &Store,
    me: &Principal,
    org: &Organisation,
    lang: Lang,
    what: Export<'_>,
) -> AppResult<JobId> {
    let (kind, subject) = match what {
        Export::Register { file, .. } => (
            JobKind::RegisterExport,
            crate::export::register_file_name(org, file),
        ),
        Export::Full => (JobKind::FullExport, format!("{}-full.json", org.slug)),
    };
    let job = store
        .start_export_job(org.id, kind, me.user.id, &subject, MAX_RUNNING_EXPORTS)
        .await?
        .ok_or_else(|| AppError::Conflict(FieldErrors::single("export", "job-too-many-exports")))?;
    let (store, org, id) = (store.clone(), org.clone(), job.id);
    let format = match what {
        Export::Register { format, .. } => Some(format),
        Export::Full => None,
    };
    tokio::spawn(async move {
        test_hooks::wait().await;
        let ended = match run_export(&store, id, &org, lang, format, &subject).await {
            Ok((outcome, file)) => store.finish_job_with_file(id, &outcome, file).await,
            Err(e) => {
                tracing::error!(job = %id, "an export job failed: {e:?}");
                let outcome = JobOutcome::default().failed(EXPORT_FAILED);
                store.finish_job(id, &outcome).await
            }
        };
        if let Err(e) = ended {
            tracing::error!(job = %id, "a job's end could not be written: {e}");
        }
    });
    Ok(job.id)
}

/// Makes an export's file: the register (`format`) with its progress
/// written after each page of systems read, or the full export.
async fn run_export(
    store: &Store,
    id: JobId,
    org: &Organisation,
    lang: Lang,
    format: Option<&'static str>,
    subject: &str,
) -> AppResult<(JobOutcome, JobFile)> {
    let (name, media, rows, bytes) = match format {
        Some(format) => {
            let progress = |done: usize, total: i64| async move {
                let done = i64::try_from(done).unwrap_or(total);
                // Progress is only shown: a failed write of it does not stop the export.
                let _ = store.job_progress(id, JobPhase::Writing, done, total).await;
            };
            let (headers, rows) =
                crate::export::register_table_with(store, org.id, lang, progress).await?;
            let n = rows.len();
            let bytes = tokio::task::spawn_blocking(move || {
                crate::export::table_bytes(&headers, &rows, format)
            })
            .await
            .map_err(|e| {
                tracing::error!("writing an export failed: {e}");
                AppError::Internal
            })??;
            let media = crate::export::media_of(format).unwrap_or("application/octet-stream");
            (subject.to_owned(), media, n, bytes)
        }
        None => {
            let (name, rows, bytes) = crate::export::full_export_file(store, org).await?;
            (name, "application/json", rows, bytes)
        }
    };
    if test_hooks::fails(subject) {
        return Err(AppError::Internal);
    }
    let outcome = JobOutcome {
        file: Some(name.clone()),
        rows: Some(rows),
        ..Default::default()
    };
    let file = JobFile {
        name,
        media: media.to_owned(),
        bytes,
    };
    Ok((outcome, file))
}
