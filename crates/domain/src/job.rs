//! Long work done as a job (issue 23): an import or an export of thousands
//! of rows runs
//! in a task of the instance that accepted it while its progress is kept in
//! the database, so that a page on any instance can show it. The rules here:
//! which states a job is in, when one that stopped being updated counts as
//! interrupted, and who may see it.

use crate::{JobId, OrgId, UserId};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// A job not updated for this long is shown as interrupted: the instance
/// running it died (its apply is one transaction, so nothing is half-written).
pub const STALE_MINUTES: i64 = 5;
/// How long a finished job (and its result) can be looked at.
pub const KEEP_HOURS: i64 = 24;
/// Rows checked between two progress updates.
pub const CHUNK_ROWS: usize = 500;
/// At most this many problems are kept in a job's result (the rest are counted).
pub const MAX_PROBLEMS: usize = 200;
/// At most this many exports of one user run at once; one more is refused.
pub const MAX_RUNNING_EXPORTS: i64 = 3;

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// A spreadsheet confirmed on the register's import page.
    RegisterImport,
    /// The register as .xlsx, .csv or .json, started on the register page.
    RegisterExport,
    /// Everything of the organisation as one JSON file (administrators).
    FullExport,
}

impl JobKind {
    pub const ALL: [JobKind; 3] = [
        JobKind::RegisterImport,
        JobKind::RegisterExport,
        JobKind::FullExport,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::RegisterImport => "register_import",
            JobKind::RegisterExport => "register_export",
            JobKind::FullExport => "full_export",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the job makes a file to download (and counts towards
    /// [`MAX_RUNNING_EXPORTS`]).
    pub fn is_export(self) -> bool {
        matches!(self, JobKind::RegisterExport | JobKind::FullExport)
    }
}

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = JobState))]
pub enum JobState {
    Queued,
    Running,
    Done,
    Failed,
    /// Stopped being updated while running (see [`STALE_MINUTES`]); only
    /// ever shown, never stored.
    Interrupted,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
            JobState::Interrupted => "interrupted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            JobState::Queued,
            JobState::Running,
            JobState::Done,
            JobState::Failed,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }

    /// Whether the job will not change any more.
    pub fn finished(self) -> bool {
        matches!(
            self,
            JobState::Done | JobState::Failed | JobState::Interrupted
        )
    }
}

/// What a running job is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = JobPhase))]
pub enum JobPhase {
    /// Reading the file.
    Reading,
    /// Checking the rows, [`CHUNK_ROWS`] at a time (`done` of `total`).
    Checking,
    /// Saving everything in one transaction (all or nothing).
    Saving,
    /// Writing an export's rows (`done` of `total`).
    Writing,
}

impl JobPhase {
    pub fn as_str(self) -> &'static str {
        match self {
            JobPhase::Reading => "reading",
            JobPhase::Checking => "checking",
            JobPhase::Saving => "saving",
            JobPhase::Writing => "writing",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            JobPhase::Reading,
            JobPhase::Checking,
            JobPhase::Saving,
            JobPhase::Writing,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
}

/// A row the job could not take: its number in the file, the field, the
/// reason (a message key, shown in the reader's language) and the value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = JobProblem))]
pub struct JobProblem {
    pub row: usize,
    pub field: String,
    /// A message key (`import-missing-name`, …).
    pub reason: String,
    pub value: String,
}

/// What a finished job did: counts, the rows left out and why, or (failed)
/// the reason as a message key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = JobOutcome))]
pub struct JobOutcome {
    #[serde(default)]
    pub created: usize,
    #[serde(default)]
    pub updated: usize,
    #[serde(default)]
    pub unchanged: usize,
    #[serde(default)]
    pub skipped: usize,
    /// Rows with errors, at most [`MAX_PROBLEMS`] of them.
    #[serde(default)]
    pub problems: Vec<JobProblem>,
    /// Problems beyond those listed.
    #[serde(default)]
    pub more_problems: usize,
    /// Why the job failed (a message key), when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// An export's file, ready to download from the job's `/file`: the
    /// name it is saved under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// An export's rows (systems, or for a full export every record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<usize>,
}

impl JobOutcome {
    /// Notes a problem, keeping at most [`MAX_PROBLEMS`].
    pub fn problem(&mut self, p: JobProblem) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(p);
        } else {
            self.more_problems += 1;
        }
    }

    /// A failure for the reason `key` (a message key), with what was found
    /// before it.
    pub fn failed(mut self, key: &str) -> Self {
        self.error = Some(key.to_owned());
        self
    }
}

/// A job as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: JobId,
    pub org: OrgId,
    pub kind: JobKind,
    pub owner: UserId,
    /// As stored; see [`Job::state_at`] for what to show.
    pub state: JobState,
    pub phase: JobPhase,
    pub done: i64,
    pub total: i64,
    /// The file or thing it works on, for the page's heading.
    pub subject: String,
    pub outcome: Option<JobOutcome>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl Job {
    /// The state to show at `now`: a job still queued or running but not
    /// updated for [`STALE_MINUTES`] was interrupted.
    pub fn state_at(&self, now: DateTime<Utc>) -> JobState {
        let stale = now - self.updated_at >= Duration::minutes(STALE_MINUTES);
        match self.state {
            JobState::Queued | JobState::Running if stale => JobState::Interrupted,
            s => s,
        }
    }

    /// Whether `user` may see the job: its owner, or an administrator of
    /// its organisation.
    pub fn visible_to(&self, user: UserId, administers: bool) -> bool {
        self.owner == user || administers
    }

    /// The share done, 0–100, when it can be told.
    pub fn percent(&self) -> Option<i64> {
        (self.total > 0 && matches!(self.phase, JobPhase::Checking | JobPhase::Writing))
            .then(|| (self.done.clamp(0, self.total) * 100) / self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(state: JobState, minutes_ago: i64) -> (Job, DateTime<Utc>) {
        let now = Utc::now();
        let at = now - Duration::minutes(minutes_ago);
        (
            Job {
                id: JobId::new(),
                org: OrgId::new(),
                kind: JobKind::RegisterImport,
                owner: UserId::new(),
                state,
                phase: JobPhase::Checking,
                done: 1500,
                total: 10_000,
                subject: "system.xlsx".into(),
                outcome: None,
                created_at: at,
                updated_at: at,
                expires_at: at + Duration::hours(KEEP_HOURS),
            },
            now,
        )
    }

    #[test]
    fn a_running_job_not_updated_for_a_while_was_interrupted() {
        let (j, now) = job(JobState::Running, 1);
        assert_eq!(j.state_at(now), JobState::Running);
        let (j, now) = job(JobState::Running, STALE_MINUTES);
        assert_eq!(j.state_at(now), JobState::Interrupted);
        let (j, now) = job(JobState::Queued, STALE_MINUTES + 1);
        assert_eq!(j.state_at(now), JobState::Interrupted);
        // A finished job stays as it ended however old.
        let (j, now) = job(JobState::Done, 600);
        assert_eq!(j.state_at(now), JobState::Done);
        let (j, now) = job(JobState::Failed, 600);
        assert_eq!(j.state_at(now), JobState::Failed);
    }

    #[test]
    fn only_the_owner_and_administrators_see_a_job() {
        let (j, _) = job(JobState::Running, 0);
        assert!(j.visible_to(j.owner, false));
        assert!(j.visible_to(UserId::new(), true));
        assert!(!j.visible_to(UserId::new(), false));
    }

    #[test]
    fn the_share_done_is_told_only_while_checking() {
        let (mut j, _) = job(JobState::Running, 0);
        assert_eq!(j.percent(), Some(15));
        j.phase = JobPhase::Saving;
        assert_eq!(j.percent(), None);
        j.phase = JobPhase::Writing;
        assert_eq!(j.percent(), Some(15));
        j.phase = JobPhase::Checking;
        j.total = 0;
        assert_eq!(j.percent(), None);
    }

    #[test]
    fn problems_beyond_the_limit_are_counted() {
        let mut o = JobOutcome::default();
        for row in 0..MAX_PROBLEMS + 3 {
            o.problem(JobProblem {
                row,
                field: "name".into(),
                reason: "import-missing-name".into(),
                value: String::new(),
            });
        }
        assert_eq!(o.problems.len(), MAX_PROBLEMS);
        assert_eq!(o.more_problems, 3);
        assert_eq!(o.failed("x").error.as_deref(), Some("x"));
    }

    #[test]
    fn words_read_back() {
        for s in ["queued", "running", "done", "failed"] {
            assert_eq!(JobState::parse(s).map(JobState::as_str), Some(s));
        }
        assert_eq!(JobState::parse("interrupted"), None, "never stored");
        for s in ["reading", "checking", "saving", "writing"] {
            assert_eq!(JobPhase::parse(s).map(JobPhase::as_str), Some(s));
        }
        for k in JobKind::ALL {
            assert_eq!(JobKind::parse(k.as_str()), Some(k));
        }
        assert!(JobKind::FullExport.is_export() && !JobKind::RegisterImport.is_export());
    }
}
