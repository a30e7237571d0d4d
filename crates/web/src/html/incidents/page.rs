//! One incident's page: every clock in plain words at the top, then the
//! record, its systems and information sets, the timeline and the actions;
//! and the forms of those who handle it (status, significance, a report on a
//! clock or setting it aside, a note, an action and marking it done). Each
//! post checks `incident_access::handled` first: 404 to whoever may not see
//! the incident, 403 to whoever may only see it.

use super::words::{self, parse_local};
use super::{Chrome, Cx, Posted, form_page, see, submit};
use crate::context::OrgPath;
use crate::error::{AppError, AppResult};
use crate::forms::FormData;
use crate::incident_access::{facts, handled};
use askama::Template;
use axum::response::Response;
use chrono::{DateTime, Utc};
use insyn_domain::incident::*;
use insyn_domain::validation::{self as v, FieldErrors};
use insyn_domain::*;
use insyn_store::incidents::{IncidentView, TimelineEntry};

#[derive(Template)]
#[template(path = "incident.html")]
struct IncidentPage {
    c: Chrome,
    v: IncidentView,
    can_handle: bool,
    people: Vec<Person>,
    /// Which form the errors belong to (`status`, `clock-gdpr-imy` …).
    form: String,
    errors: FieldErrors,
}

impl IncidentPage {
    pub fn base(&self) -> String {
        format!("/o/{}/incidents/{}", self.c.org_slug(), self.v.incident.id)
    }
    pub fn clock_due(&self, c: &Clock) -> String {
        self.c
            .lang
            .t_with("incident-clock-due", "when", self.when(&c.due_at))
    }
    pub fn clock_state(&self, c: &Clock) -> String {
        words::clock_state(self.c.lang, c)
    }
    pub fn clock_class(&self, c: &Clock) -> &'static str {
        words::clock_class(c)
    }
    /// Clocks a report may still be recorded on.
    pub fn recordable(&self) -> Vec<&Clock> {
        self.v
            .clocks
            .iter()
            .filter(|c| !matches!(c.state, ClockState::Met { .. }))
            .collect()
    }
    pub fn statuses(&self) -> Vec<IncidentStatus> {
        IncidentStatus::ALL
            .iter()
            .copied()
            .filter(|s| self.v.incident.status.may_become(*s))
            .collect()
    }
    pub fn err(&self, form: &str, field: &str) -> String {
        if self.form == form {
            self.c.field_error(&self.errors, field)
        } else {
            String::new()
        }
    }
    pub fn clock_err(&self, c: &Clock, field: &str) -> String {
        self.err(&format!("clock-{}", c.deadline.id), field)
    }
    pub fn set_system(&self, s: &SystemId) -> String {
        self.v
            .systems
            .iter()
            .find(|x| x.id == *s)
            .map(|x| x.name.clone())
            .unwrap_or_default()
    }
    /// A timeline entry in words: the store writes codes for what it
    /// enters itself (`status`: "closed: reason", `clock`: "gdpr-imy:
    /// reported" …); a note is the text written.
    pub fn entry_text(&self, e: &TimelineEntry) -> String {
        let (code, rest) = match e.text.split_once(": ") {
            Some((c, r)) => (c, Some(r)),
            None => (e.text.as_str(), None),
        };
        let said = match e.kind.as_str() {
            "reported" => self.c.t("incident-timeline-reported"),
            "status" => format!(
                "{}: {}",
                self.c.t("incident-status"),
                self.word("status", code)
            ),
            "severity" => format!(
                "{}: {}",
                self.c.t("incident-severity"),
                self.word("severity", code)
            ),
            "assessment" if code == "significant" => self.c.t("incident-significant"),
            "assessment" if code == "not_significant" => self.c.t("incident-not-significant"),
            "clock" => {
                let name = self
                    .v
                    .clocks
                    .iter()
                    .find(|k| k.deadline.id == code)
                    .map(|k| self.clock_name(k))
                    .unwrap_or_else(|| code.to_owned());
                let what = match rest {
                    Some("waived") => self.c.t("incident-clock-set-aside"),
                    _ => self.c.t("incident-clock-reported"),
                };
                return format!("{name}: {what}");
            }
            _ => return e.text.clone(),
        };
        match rest {
            Some(r) => format!("{said} – {r}"),
            None => said,
        }
    }
    pub fn now_local(&self) -> String {
        words::local_input(Utc::now())
    }
}

super::incident_words!(IncidentPage);

async fn show(cx: &Cx, at: OrgPath, form: String, errors: FieldErrors) -> AppResult<Response> {
    let me = cx.me().ok_or(AppError::NotFound)?;
    let (id, f) = facts(cx.store(), me, &at).await?;
    let v = cx.store().incident(at.id(), id, Utc::now()).await?;
    let can_handle = may_handle(&f);
    let people = if can_handle {
        cx.store().people_if_few(at.id(), 500).await?
    } else {
        vec![]
    };
    let page = IncidentPage {
        c: cx.chrome(Some(at.org), "incidents"),
        v,
        can_handle,
        people,
        form,
        errors,
    };
    Ok(form_page(&page.errors, &page))
}

pub(in crate::html) async fn incident_page(cx: Cx, at: OrgPath) -> AppResult<Response> {
    show(&cx, at, String::new(), FieldErrors::new()).await
}

/// A post by whoever handles the incident: `act` parses and stores; refused
/// input shows the page again with the errors beside `form`'s fields.
async fn handle<T, E>(
    cx: Cx,
    at: OrgPath,
    form: String,
    act: impl AsyncFnOnce(&Cx, OrgId, IncidentId) -> Result<Result<T, E>, FieldErrors>,
) -> AppResult<Response>
where
    AppError: From<E>,
{
    let me = cx.me().ok_or(AppError::NotFound)?;
    let id = handled(cx.store(), me, &at).await?;
    let org = at.id();
    let posted = match act(&cx, org, id).await {
        Err(e) => Posted::Invalid(e),
        Ok(r) => submit(Ok(()), async |()| r).await?,
    };
    match posted {
        Posted::Done(_) => see(format!("/o/{}/incidents/{id}", at.org.slug)),
        Posted::Invalid(e) => show(&cx, at, form, e).await,
    }
}

/// A moment typed in a form (Swedish time); now when left empty.
fn moment(form: &FormData, field: &str) -> Result<Option<DateTime<Utc>>, FieldErrors> {
    match form.opt(field) {
        None => Ok(None),
        Some(s) => parse_local(&s)
            .map(Some)
            .ok_or_else(|| FieldErrors::single(field, v::NOT_A_DATE)),
    }
}

pub(in crate::html) async fn change_status(
    cx: Cx,
    at: OrgPath,
    form: FormData,
) -> AppResult<Response> {
    handle(cx, at, "status".into(), async |cx, org, id| {
        let status = IncidentStatus::parse(form.get("status")).ok_or_else(|| {
            let mut e = FieldErrors::new();
            e.add("status", v::UNKNOWN_CHOICE);
            e
        })?;
        let change = StatusChange {
            status,
            reason: form.opt("reason"),
        };
        Ok(cx
            .store()
            .change_incident_status(&cx.actor, org, id, change, Utc::now())
            .await)
    })
    .await
}

pub(in crate::html) async fn assess(cx: Cx, at: OrgPath, form: FormData) -> AppResult<Response> {
    handle(cx, at, "assessment".into(), async |cx, org, id| {
        let significant = match form.get("significant") {
            "yes" => true,
            "no" => false,
            _ => return Err(FieldErrors::single("significant", v::REQUIRED)),
        };
        let draft = SignificanceDraft {
            significant,
            reason: form.get("reason").to_owned(),
        };
        Ok(cx
            .store()
            .assess_incident(&cx.actor, org, id, draft, Utc::now())
            .await)
    })
    .await
}

pub(in crate::html) async fn record_clock(
    cx: Cx,
    at: OrgPath,
    form: FormData,
) -> AppResult<Response> {
    let deadline: String = at.params.id("deadline")?;
    handle(cx, at, format!("clock-{deadline}"), async |cx, org, id| {
        let kind = ClockEventKind::parse(form.get("kind"))
            .ok_or_else(|| FieldErrors::single("kind", v::UNKNOWN_CHOICE))?;
        let draft = ClockEventDraft {
            kind,
            at: moment(&form, "at")?,
            note: form.opt("note"),
        };
        Ok(cx
            .store()
            .record_clock(&cx.actor, org, id, &deadline, draft, Utc::now())
            .await)
    })
    .await
}

pub(in crate::html) async fn add_note(cx: Cx, at: OrgPath, form: FormData) -> AppResult<Response> {
    handle(cx, at, "note".into(), async |cx, org, id| {
        let draft = TimelineDraft {
            text: form.get("text").to_owned(),
            at: moment(&form, "at")?,
        };
        Ok(cx
            .store()
            .note_incident(&cx.actor, org, id, draft, Utc::now())
            .await)
    })
    .await
}

pub(in crate::html) fn action_draft(form: &FormData) -> Result<ActionDraft, FieldErrors> {
    let mut e = FieldErrors::new();
    let owner_id = crate::forms::opt_id(form, "owner_id", &mut e);
    let due_on = form
        .opt("due_on")
        .and_then(|d| d.parse().map_err(|_| e.add("due_on", v::NOT_A_DATE)).ok());
    let draft = ActionDraft {
        what: form.get("what").to_owned(),
        owner_id,
        due_on,
        done_on: None,
    };
    e.into_result(draft)
}

pub(in crate::html) async fn add_action(
    cx: Cx,
    at: OrgPath,
    form: FormData,
) -> AppResult<Response> {
    handle(cx, at, "action".into(), async |cx, org, id| {
        let draft = action_draft(&form)?;
        Ok(cx
            .store()
            .add_incident_action(&cx.actor, org, id, draft)
            .await)
    })
    .await
}

/// Marks an action done today.
pub(in crate::html) async fn finish_action(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let action: uuid::Uuid = at.params.id("action")?;
    handle(cx, at, "done".into(), async |cx, org, id| {
        let v = cx.store().incident(org, id, Utc::now()).await;
        let a = match v {
            Ok(v) => v.actions.into_iter().find(|a| a.id == action),
            Err(e) => return Ok(Err(e)),
        };
        let Some(a) = a else {
            return Ok(Err(insyn_store::StoreError::NotFound));
        };
        let draft = a.done(crate::nav::today());
        Ok(cx
            .store()
            .update_incident_action(&cx.actor, org, id, action, draft)
            .await)
    })
    .await
}
