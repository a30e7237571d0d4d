//! A job's progress page (issue 23): while the job runs it refreshes itself
//! every two seconds without any script (a `<meta http-equiv="refresh">`
//! inside `<noscript>`), and where scripts run `/static/job.js` polls the
//! job's JSON each second and updates the page in place; finished, it shows
//! the result or why it failed. The owner and the organisation's
//! administrators see it; anyone else gets a 404.

use super::*;
use crate::auth::Principal;
use crate::context::OrgPath;
use insyn_domain::job::{Job, JobPhase, JobState};

#[derive(Template)]
#[template(path = "job.html")]
pub(super) struct JobPage {
    c: Chrome,
    job: Job,
    state: JobState,
}

impl JobPage {
    pub fn running(&self) -> bool {
        !self.state.finished()
    }

    pub fn failed(&self) -> bool {
        matches!(self.state, JobState::Failed | JobState::Interrupted)
    }

    pub fn interrupted(&self) -> bool {
        self.state == JobState::Interrupted
    }

    /// "1 500 av 10 000 rader kontrollerade", "Raderna sparas …".
    pub fn status(&self) -> String {
        match self.job.phase {
            JobPhase::Reading => self.c.t("job-reading"),
            JobPhase::Checking => {
                self.checking(&group_digits(self.job.done), &group_digits(self.job.total))
            }
            JobPhase::Saving => {
                self.c
                    .lang
                    .t_with("job-saving", "total", group_digits(self.job.total))
            }
        }
    }

    fn checking(&self, done: &str, total: &str) -> String {
        self.c.lang.t_args(
            "job-checking",
            &[("done", done.to_owned()), ("total", total.to_owned())],
        )
    }

    /// The checking words with `{done}` and `{total}` for the script to fill in.
    pub fn checking_pattern(&self) -> String {
        self.checking("{done}", "{total}")
    }

    /// The saving words with `{total}` for the script to fill in.
    pub fn saving_pattern(&self) -> String {
        self.c.lang.t_with("job-saving", "total", "{total}")
    }

    /// The progress bar's value, when the share done can be told.
    pub fn value(&self) -> Option<i64> {
        self.job
            .percent()
            .map(|_| self.job.done.clamp(0, self.job.total))
    }

    pub fn number(&self, n: &usize) -> String {
        group_digits(i64::try_from(*n).unwrap_or(i64::MAX))
    }

    /// Why it failed, in the reader's language.
    pub fn reason(&self) -> String {
        if self.interrupted() {
            return self.c.t("job-interrupted");
        }
        self.job
            .outcome
            .as_ref()
            .and_then(|o| o.error.as_deref())
            .map(|k| self.c.t(k))
            .unwrap_or_default()
    }
}

pub(super) async fn job_page(cx: Cx, me: Principal, at: OrgPath) -> AppResult<Response> {
    let id = at.params.get("job").unwrap_or_default();
    let job = crate::jobs::visible_job(&cx.state.store, &me, at.id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(render(&JobPage {
        state: job.state_at(chrono::Utc::now()),
        c: cx.chrome(Some(at.org), "systems"),
        job,
    }))
}
