//! A job's progress in the API (issue 23): what the progress page's script
//! polls, and what a client that started long work may follow. Only the
//! job's owner and the organisation's administrators see it; anyone else
//! gets a 404 as if it did not exist.

use crate::api::support::area;
use crate::auth::Principal;
use crate::context::OrgPath;
use crate::error::{AppError, AppResult};
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use insyn_domain::JobId;
use insyn_domain::job::{Job, JobOutcome, JobPhase, JobState};
use serde::Serialize;

area! {
    GET "/orgs/{org}/jobs/{job}" => get_job, Read;
}

/// A job and how far it has come.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct JobStatus {
    pub id: JobId,
    /// What it does: `register_import`.
    pub kind: String,
    /// `queued`, `running`, `done`, `failed`, or `interrupted` (it stopped
    /// being updated while running: nothing of it was saved).
    pub state: JobState,
    /// While running: `reading`, `checking` (rows `done` of `total`) or `saving`.
    pub phase: JobPhase,
    pub done: i64,
    pub total: i64,
    /// The file it works on.
    pub subject: String,
    /// When finished: the counts and the rows left out, or why it failed.
    pub outcome: Option<JobOutcome>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl JobStatus {
    /// The job as it is at `now` (a stale one is interrupted).
    pub fn at(j: Job, now: DateTime<Utc>) -> Self {
        Self {
            id: j.id,
            kind: j.kind.as_str().to_owned(),
            state: j.state_at(now),
            phase: j.phase,
            done: j.done,
            total: j.total,
            subject: j.subject,
            outcome: j.outcome,
            created_at: j.created_at,
            updated_at: j.updated_at,
        }
    }
}

/// One job: its state, phase and progress, and when finished its outcome.
/// Poll it (about once a second) until `state` is `done`, `failed` or
/// `interrupted`.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/jobs/{job}", tag = "jobs",
    params(("org" = String, Path), ("job" = uuid::Uuid, Path)),
    responses((status = 200, body = JobStatus),
        (status = 404, description = "No such organisation, or no such job the caller may see")))]
async fn get_job(
    State(state): State<crate::AppState>,
    me: Principal,
    at: OrgPath,
) -> AppResult<Json<JobStatus>> {
    let id = at.params.get("job").unwrap_or_default();
    let job = crate::jobs::visible_job(&state.store, &me, at.id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(JobStatus::at(job, Utc::now())))
}
