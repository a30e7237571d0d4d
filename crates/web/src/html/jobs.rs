//! A job's progress page (issue 23): while the job runs it refreshes itself
//! every two seconds without any script (a `<meta http-equiv="refresh">`
//! inside `<noscript>`), and where scripts run `/static/job.js` polls the
//! job's JSON each second and updates the page in place; finished, it shows
//! the result or why it failed; an export's finished page links to its
//! file (`/file`, served from the database by any instance). The owner and
//! the organisation's administrators see both; anyone else gets a 404.

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

    /// Whether the job makes a file to download.
    pub fn export(&self) -> bool {
        self.job.kind.is_export()
    }

    /// The import's words, or the export's (`import`, `export`).
    fn words(&self, import: &str, export: &str) -> String {
        self.c.t(if self.export() { export } else { import })
    }

    /// "Import: system.xlsx", "Export: kommunen-register.xlsx".
    pub fn title(&self) -> String {
        let key = if self.export() {
            "job-export-title"
        } else {
            "job-import-title"
        };
        self.c.lang.t_with(key, "file", self.job.subject.clone())
    }

    /// "Filen läses in …", "Registret läses …".
    pub fn reading(&self) -> String {
        self.words("job-reading", "job-export-reading")
    }

    pub fn refresh_hint(&self) -> String {
        self.words("job-refresh-hint", "job-export-refresh-hint")
    }

    pub fn failed_heading(&self) -> String {
        self.words("job-failed-heading", "job-export-failed-heading")
    }

    pub fn try_again(&self) -> String {
        self.words("job-try-again", "job-export-try-again")
    }

    /// Where to try again: the import page, or the register with its exports.
    pub fn again_href(&self) -> String {
        let page = if self.export() { "systems" } else { "import" };
        format!("/o/{}/{page}", self.c.org_slug())
    }

    /// "Ladda ner kommunen-register.xlsx (1 200 rader)".
    pub fn download_text(&self) -> String {
        let o = self.job.outcome.as_ref();
        self.c.lang.t_args(
            "job-download",
            &[
                ("file", o.and_then(|o| o.file.clone()).unwrap_or_default()),
                ("rows", self.number(&o.and_then(|o| o.rows).unwrap_or(0))),
            ],
        )
    }

    /// "1 500 av 10 000 rader kontrollerade", "Raderna sparas …".
    pub fn status(&self) -> String {
        match self.job.phase {
            JobPhase::Reading => self.reading(),
            JobPhase::Checking => self.counted(
                "job-checking",
                &group_digits(self.job.done),
                &group_digits(self.job.total),
            ),
            JobPhase::Saving => {
                self.c
                    .lang
                    .t_with("job-saving", "total", group_digits(self.job.total))
            }
            JobPhase::Writing => self.counted(
                "job-writing",
                &group_digits(self.job.done),
                &group_digits(self.job.total),
            ),
        }
    }

    /// The writing words with `{done}` and `{total}` for the script to fill in.
    pub fn writing_pattern(&self) -> String {
        self.counted("job-writing", "{done}", "{total}")
    }

    /// "`done` av `total` …" in the words of `key`.
    fn counted(&self, key: &str, done: &str, total: &str) -> String {
        self.c.lang.t_args(
            key,
            &[("done", done.to_owned()), ("total", total.to_owned())],
        )
    }

    /// The checking words with `{done}` and `{total}` for the script to fill in.
    pub fn checking_pattern(&self) -> String {
        self.counted("job-checking", "{done}", "{total}")
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
            return self.words("job-interrupted", "job-export-interrupted");
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

/// A finished export's file, under the name the export at once gives it;
/// the job's rule says who may have it (404 for anyone else, and once the
/// job has expired).
pub(super) async fn job_file(cx: Cx, me: Principal, at: OrgPath) -> AppResult<Response> {
    let id = at.params.get("job").unwrap_or_default();
    let store = &cx.state.store;
    let job = crate::jobs::visible_job(store, &me, at.id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let file = store
        .job_file(at.id(), job.id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(crate::export::download(&file.media, &file.name, file.bytes))
}
