//! Long work as jobs (issue 23): a confirmed register import runs in a task
//! of this instance while its progress goes to the database
//! (`insyn_store::jobs`), so the progress page and its JSON answer on any
//! instance. The rows are checked [`CHUNK_ROWS`] at a time with the progress
//! written between chunks in short transactions of their own; then the
//! import is saved in its one all-or-nothing transaction (phase "saving"),
//! so a failure leaves the register as it was. Below `html` and `api`,
//! which both show jobs.

use crate::auth::Principal;
use crate::error::AppResult;
use insyn_domain::import::{Record, Severity};
use insyn_domain::job::{CHUNK_ROWS, Job, JobKind, JobOutcome, JobPhase, JobProblem};
use insyn_domain::{JobId, OrgId, Permission};
use insyn_store::Store;
use insyn_store::audit::Actor;
use insyn_store::import::pending::PendingUpload;
use insyn_store::import::{ImportReport, ImportTarget, RowAction};

/// A job's failure when saving went wrong (the database refused it).
pub const SAVE_FAILED: &str = "job-failed-save";

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
