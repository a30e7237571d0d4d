//! A report draft as a printable A4 page: what one clock's report says,
//! pre-filled from the incident and the register (the same draft the API
//! gives as JSON), with the recipient and channel of the profile's deadline.

use super::words;
use super::{Chrome, Cx, render};
use crate::context::OrgPath;
use crate::error::{AppError, AppResult};
use crate::incident_access::facts;
use askama::Template;
use axum::response::Response;
use chrono::Utc;
use insyn_store::incidents::{ReportDraft, ReportForm};

#[derive(Template)]
#[template(path = "incident_draft.html")]
struct DraftPage {
    c: Chrome,
    d: ReportDraft,
    incident: String,
}

impl DraftPage {
    pub fn state(&self) -> String {
        words::clock_state(self.c.lang, &self.d.clock)
    }
    pub fn gdpr(&self) -> bool {
        self.d.form == ReportForm::Gdpr
    }
    pub fn nis2(&self) -> bool {
        self.d.form == ReportForm::Nis2
    }
    /// The heading of the report's form (GDPR art. 33.3, NIS2, internal).
    pub fn form_name(&self) -> String {
        let form = match self.d.form {
            ReportForm::Internal => "internal",
            ReportForm::Gdpr => "gdpr",
            ReportForm::Nis2 => "nis2",
        };
        self.c.t(&format!("incident-draft-form-{form}"))
    }
}

super::incident_words!(DraftPage);

/// The printable draft for one clock; seen by whoever may see the incident.
pub(in crate::html) async fn draft_page(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let me = cx.me().ok_or(AppError::NotFound)?;
    let (id, _) = facts(cx.store(), me, &at).await?;
    let deadline: String = at.params.id("deadline")?;
    let d = cx
        .store()
        .incident_report_draft(at.id(), id, &deadline, Utc::now())
        .await?;
    Ok(render(&DraftPage {
        c: cx.chrome(Some(at.org.clone()), "incidents"),
        incident: format!("/o/{}/incidents/{id}", at.org.slug),
        d,
    }))
}
