//! Jobs: long work (an import of thousands of rows) run in a task of the
//! instance that accepted it, its progress written here in short
//! transactions of their own so that a page on any instance can show it
//! (issue 23; the rules in `insyn_domain::job`). Like pending uploads, a job
//! row is not register data and is not audited: the import it makes is.
//! Kept [`KEEP_HOURS`]; at most [`MAX_JOBS`] at once, expired ones removed
//! whenever a job is started. An export's finished file is kept beside its
//! job (`job_files`, removed with it), so that any instance can serve it.

use crate::db::{Queryable, Result, now};
use crate::{Store, StoreError, params};
use chrono::Duration;
use insyn_domain::job::{Job, JobKind, JobOutcome, JobPhase, JobState, KEEP_HOURS, STALE_MINUTES};
use insyn_domain::{JobId, OrgId, UserId};

/// An export's finished file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobFile {
    /// The name it is saved under.
    pub name: String,
    /// Its media type.
    pub media: String,
    pub bytes: Vec<u8>,
}

/// At most this many jobs are kept, in the whole installation.
pub const MAX_JOBS: i64 = 1000;

const COLS: &str = "id, org_id, kind, owner_id, state, phase, done, total, subject, result, \
                    created_at, updated_at, expires_at";

fn read_job(r: &dyn crate::db::DbRow) -> Result<Job> {
    let word = |col: &str, v: String| StoreError::Column(col.to_owned(), v);
    let kind = r.text("kind")?;
    let state = r.text("state")?;
    let phase = r.text("phase")?;
    let state = JobState::parse(&state).ok_or_else(|| word("state", state))?;
    let outcome = if state.finished() {
        Some(
            serde_json::from_value::<JobOutcome>(r.json("result")?)
                .map_err(|e| word("result", e.to_string()))?,
        )
    } else {
        None
    };
    Ok(Job {
        id: JobId(r.uuid("id")?),
        org: OrgId(r.uuid("org_id")?),
        kind: JobKind::parse(&kind).ok_or_else(|| word("kind", kind))?,
        owner: UserId(r.uuid("owner_id")?),
        state,
        phase: JobPhase::parse(&phase).ok_or_else(|| word("phase", phase))?,
        done: r.i64("done")?,
        total: r.i64("total")?,
        subject: r.text("subject")?,
        outcome,
        created_at: r.ts("created_at")?,
        updated_at: r.ts("updated_at")?,
        expires_at: r.ts("expires_at")?,
    })
}

impl Store {
    /// Starts a job of `owner` in `org`, running and reading, on `subject`
    /// (a file's name, at most 300 characters kept).
    pub async fn start_job(
        &self,
        org: OrgId,
        kind: JobKind,
        owner: UserId,
        subject: &str,
    ) -> Result<Job> {
        let id = self.insert_job(org, kind, owner, subject, None).await?;
        let id = id.ok_or(StoreError::NotFound)?;
        self.job(org, id).await?.ok_or(StoreError::NotFound)
    }

    /// Starts an export of `owner` like [`Store::start_job`], unless they
    /// already have `max_running` exports running (not finished, not
    /// interrupted, not expired): then none is started and `None` returned.
    pub async fn start_export_job(
        &self,
        org: OrgId,
        kind: JobKind,
        owner: UserId,
        subject: &str,
        max_running: i64,
    ) -> Result<Option<Job>> {
        match self
            .insert_job(org, kind, owner, subject, Some(max_running))
            .await?
        {
            Some(id) => self.job(org, id).await,
            None => Ok(None),
        }
    }

    /// Inserts a running job in one transaction with the room made for it;
    /// with `max_running`, only when the owner has fewer exports running.
    async fn insert_job(
        &self,
        org: OrgId,
        kind: JobKind,
        owner: UserId,
        subject: &str,
        max_running: Option<i64>,
    ) -> Result<Option<JobId>> {
        let at = now();
        let subject: String = subject.chars().take(300).collect();
        let id = JobId::new();
        let mut tx = self.db.begin().await?;
        crate::expiring::make_room(&mut tx, "jobs", "id", MAX_JOBS, at).await?;
        if let Some(max) = max_running {
            let exports: Vec<String> = JobKind::ALL
                .into_iter()
                .filter(|k| k.is_export())
                .map(|k| format!("'{}'", k.as_str()))
                .collect();
            let running = tx
                .count(
                    &format!(
                        "SELECT COUNT(*) AS n FROM jobs WHERE owner_id = $1 \
                         AND kind IN ({}) AND state IN ('queued', 'running') \
                         AND updated_at > $2",
                        exports.join(", ")
                    ),
                    params![owner.0, at - Duration::minutes(STALE_MINUTES)],
                )
                .await?;
            if running >= max {
                return Ok(None);
            }
        }
        tx.execute(
            &format!("INSERT INTO jobs ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, 0, 0, $7, $8, $9, $9, $10)"),
            params![
                id.0,
                org.0,
                kind.as_str(),
                owner.0,
                JobState::Running.as_str(),
                JobPhase::Reading.as_str(),
                subject,
                serde_json::json!({}),
                at,
                at + Duration::hours(KEEP_HOURS)
            ],
        )
        .await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    /// Notes how far a job has come (its own short transaction); a job
    /// already finished is left as it is.
    pub async fn job_progress(
        &self,
        id: JobId,
        phase: JobPhase,
        done: i64,
        total: i64,
    ) -> Result<()> {
        let mut tx = self.db.begin().await?;
        tx.execute(
            "UPDATE jobs SET phase = $2, done = $3, total = $4, updated_at = $5 \
             WHERE id = $1 AND state IN ('queued', 'running')",
            params![id.0, phase.as_str(), done, total, now()],
        )
        .await?;
        tx.commit().await
    }

    /// Ends a job: done, or failed when the outcome names an error.
    pub async fn finish_job(&self, id: JobId, outcome: &JobOutcome) -> Result<()> {
        self.end_job(id, outcome, None).await
    }

    /// Ends an export done, with its file (`name`, media type, bytes) kept
    /// beside the job until the job expires, in the same transaction.
    pub async fn finish_job_with_file(
        &self,
        id: JobId,
        outcome: &JobOutcome,
        file: JobFile,
    ) -> Result<()> {
        self.end_job(id, outcome, Some(file)).await
    }

    async fn end_job(&self, id: JobId, outcome: &JobOutcome, file: Option<JobFile>) -> Result<()> {
        let state = if outcome.error.is_some() {
            JobState::Failed
        } else {
            JobState::Done
        };
        let result = serde_json::to_value(outcome)
            .map_err(|e| StoreError::Column("result".into(), e.to_string()))?;
        let mut tx = self.db.begin().await?;
        if let Some(f) = file {
            tx.execute(
                "INSERT INTO job_files (job_id, name, media, bytes) VALUES ($1, $2, $3, $4)",
                params![id.0, f.name, f.media, f.bytes],
            )
            .await?;
        }
        tx.execute(
            "UPDATE jobs SET state = $2, result = $3, updated_at = $4 WHERE id = $1",
            params![id.0, state.as_str(), result, now()],
        )
        .await?;
        tx.commit().await
    }

    /// The file of a finished export of `org`, while its job has not expired.
    /// (Who may have it is the job's rule: see [`Store::job_for`].)
    pub async fn job_file(&self, org: OrgId, id: JobId) -> Result<Option<JobFile>> {
        self.db
            .read()
            .opt(
                "SELECT f.name, f.media, f.bytes FROM job_files f JOIN jobs j ON j.id = f.job_id \
                 WHERE f.job_id = $1 AND j.org_id = $2 AND j.expires_at > $3",
                params![id.0, org.0, now()],
                |r| {
                    Ok(JobFile {
                        name: r.text("name")?,
                        media: r.text("media")?,
                        bytes: r.bytes("bytes")?,
                    })
                },
            )
            .await
    }

    /// A job of `org` that has not expired.
    pub async fn job(&self, org: OrgId, id: JobId) -> Result<Option<Job>> {
        self.db
            .read()
            .opt(
                &format!(
                    "SELECT {COLS} FROM jobs WHERE id = $1 AND org_id = $2 AND expires_at > $3"
                ),
                params![id.0, org.0, now()],
                read_job,
            )
            .await
    }

    /// A job of `org` as `viewer` may see it: only its owner, or an
    /// administrator of the organisation (`administers`); none otherwise.
    pub async fn job_for(
        &self,
        org: OrgId,
        id: JobId,
        viewer: UserId,
        administers: bool,
    ) -> Result<Option<Job>> {
        Ok(self
            .job(org, id)
            .await?
            .filter(|j| j.visible_to(viewer, administers)))
    }
}
