//! The system's "Kontinuitet" tab: its continuity requirements (with the
//! suggestion from the availability level of its classification), its
//! backups and its restore tests (`test.rs`: one test, its judgement and its
//! deviation actions). Durations are entered in minutes, hours or days and
//! stored in minutes.

pub(super) mod planned;
pub(super) mod test;

use super::*;
use crate::context::SystemPath;
use insyn_domain::auth::OnSystem;
use insyn_domain::continuity::*;
use insyn_domain::security::Aspect;
use insyn_store::continuity::RestoreTestView;
use uuid::Uuid;

/// The forms' words and values shared by the tab and a test's page.
pub(in crate::html) struct Words {
    pub c: Chrome,
    /// Which form was posted and refused (its fields' ids start with it).
    pub form: String,
    /// What that form held.
    pub posted: FormData,
    pub errors: FieldErrors,
}

impl Words {
    /// The words of a page shown again with a refused form.
    pub(in crate::html) fn refused(
        cx: &Cx,
        org: &Organisation,
        form: &str,
        posted: FormData,
        errors: FieldErrors,
    ) -> Self {
        Words {
            c: cx.chrome(Some(org.clone()), "systems"),
            form: form.to_owned(),
            posted,
            errors,
        }
    }

    /// After a form post on a system's tab: to `done` when it was kept, or
    /// the page again (`again`) with the refused form's values and errors.
    pub(in crate::html) async fn after<T>(
        cx: &Cx,
        org: &Organisation,
        done: String,
        form: &str,
        f: FormData,
        posted: Posted<T>,
        again: impl AsyncFnOnce(Words) -> AppResult<Response>,
    ) -> AppResult<Response> {
        match posted {
            Posted::Done(_) => see(done),
            Posted::Invalid(errors) => again(Words::refused(cx, org, form, f, errors)).await,
        }
    }

    pub(in crate::html) fn new(c: Chrome) -> Self {
        Words {
            c,
            form: String::new(),
            posted: FormData(vec![]),
            errors: FieldErrors::new(),
        }
    }

    /// A field's value: as posted when this form came back, else `stored`.
    pub fn value(&self, form: &str, name: &str, stored: Option<String>) -> String {
        if self.form == form {
            self.posted.get(name).to_owned()
        } else {
            stored.unwrap_or_default()
        }
    }

    /// A field's error message, if this form came back with one for it.
    pub fn err(&self, form: &str, field: &str) -> String {
        if self.form != form {
            return String::new();
        }
        self.errors
            .get_error(field)
            .map(|e| self.c.lang.field_message(e))
            .unwrap_or_default()
    }

    pub fn units(&self) -> [TimeUnit; 3] {
        TimeUnit::ALL
    }

    pub fn unit_name(&self, u: &TimeUnit) -> String {
        self.c.t(&format!("continuity-unit-{}", u.as_str()))
    }

    /// A duration for the eye: "6 h", "–" when none.
    pub fn duration(&self, m: &Option<i64>) -> String {
        m.map(format_minutes).unwrap_or_else(|| "–".into())
    }

    /// A stored duration as the number typed in its fitting unit.
    fn number(m: Option<i64>) -> Option<String> {
        m.map(|m| (m / TimeUnit::fitting(m).minutes()).to_string())
    }

    fn unit(m: Option<i64>, default: TimeUnit) -> String {
        m.map_or(default, TimeUnit::fitting).as_str().to_owned()
    }

    pub fn verdict(&self, t: &RestoreTestView) -> String {
        match &t.judgement {
            Some(j) => self.c.t(&format!(
                "restore-verdict-{}",
                j.verdict.as_str().replace('_', "-")
            )),
            None => self.c.t("restore-planned"),
        }
    }

    pub fn open_actions(&self, t: &RestoreTestView) -> usize {
        t.actions.iter().filter(|a| a.done_on.is_none()).count()
    }

    /// The verdict's look: met, not met, neither.
    pub fn verdict_class(&self, t: &RestoreTestView) -> &'static str {
        match t.judgement.map(|j| j.verdict) {
            Some(Verdict::Met) => "ok",
            Some(Verdict::NotMet) => "late",
            _ => "soon",
        }
    }

    /// The figures against the requirements: "Återläsningen tog 6 h,
    /// kravet är högst 4 h."
    pub fn figures(&self, t: &RestoreTestView) -> Vec<String> {
        let Some(j) = t.judgement else {
            return vec![];
        };
        [("restore-figure-rto", j.rto), ("restore-figure-rpo", j.rpo)]
            .into_iter()
            .filter_map(|(key, c)| {
                let c = c?;
                Some(self.c.lang.t_args(
                    key,
                    &[
                        ("measured", format_minutes(c.measured)),
                        ("required", format_minutes(c.required)),
                    ],
                ))
            })
            .collect()
    }

    /// A restore test's fields as typed (the form `form`), or as stored.
    pub fn test_value(&self, form: &str, t: Option<&RestoreTest>, name: &str) -> String {
        let d = t.map(|t| t.draft.clone()).unwrap_or_default();
        let stored = match name {
            "planned_on" => d.planned_on.map(|x| x.to_string()),
            "performed_on" => d.performed_on.map(|x| x.to_string()),
            "performed_by" => d.performed_by,
            "restored" => d.restored,
            "restore_point" => d.restore_point,
            "restore_minutes" => Self::number(d.restore_minutes),
            "restore_minutes_unit" => Some(Self::unit(d.restore_minutes, TimeUnit::Hours)),
            "data_loss_minutes" => Self::number(d.data_loss_minutes),
            "data_loss_minutes_unit" => Some(Self::unit(d.data_loss_minutes, TimeUnit::Hours)),
            "evidence_url" => d.evidence_url,
            "note" => d.note,
            _ => None,
        };
        self.value(form, name, stored)
    }
}

/// A duration typed as a number and a unit (`{name}` and `{name}_unit`).
fn duration(form: &FormData, e: &mut FieldErrors, name: &str) -> Option<i64> {
    parse_duration(form.get(name), form.get(&format!("{name}_unit")))
        .map_err(|code| e.add(name, code))
        .ok()
        .flatten()
}

fn requirements_draft(form: &FormData) -> Result<Requirements, FieldErrors> {
    let mut e = FieldErrors::new();
    let d = Requirements {
        rto_minutes: duration(form, &mut e, "rto_minutes"),
        rpo_minutes: duration(form, &mut e, "rpo_minutes"),
        mtd_minutes: duration(form, &mut e, "mtd_minutes"),
        critical_periods: form.opt("critical_periods"),
        fallback_routine: form.opt("fallback_routine"),
    };
    e.into_result(d)
}

fn backup_draft(form: &FormData) -> Result<BackupDraft, FieldErrors> {
    Ok(BackupDraft {
        what: form.get("what").to_owned(),
        location: form.opt("location"),
        frequency: form.opt("frequency"),
        retention: form.opt("retention"),
        responsible: form.opt("responsible"),
        note: form.opt("note"),
    })
}

pub(in crate::html) fn test_draft(form: &FormData) -> Result<RestoreTestDraft, FieldErrors> {
    let mut e = FieldErrors::new();
    let d = RestoreTestDraft {
        planned_on: form.date("planned_on", &mut e),
        performed_on: form.date("performed_on", &mut e),
        performed_by: form.opt("performed_by"),
        restored: form.opt("restored"),
        restore_point: form.opt("restore_point"),
        restore_minutes: duration(form, &mut e, "restore_minutes"),
        data_loss_minutes: duration(form, &mut e, "data_loss_minutes"),
        evidence_url: form.opt("evidence_url"),
        note: form.opt("note"),
    };
    e.into_result(d)
}

#[derive(Template)]
#[template(path = "continuity.html")]
pub(in crate::html) struct ContinuityPage {
    w: Words,
    c: Chrome,
    s: System,
    can: OnSystem,
    req: Option<Continuity>,
    /// The availability level and the profile's suggestion for it.
    suggestion: Option<(i16, Suggestion)>,
    /// Fill the requirements form with the suggestion.
    suggest: bool,
    backups: Vec<Backup>,
    tests: Vec<RestoreTestView>,
}

impl ContinuityPage {
    pub fn base(&self) -> String {
        format!("/o/{}/systems/{}", self.c.org_slug(), self.s.id)
    }

    /// The requirements as stored, or the suggestion's durations with the
    /// stored texts when asked to fill them in.
    fn stored(&self) -> Requirements {
        let stored = self
            .req
            .as_ref()
            .map(|r| r.requirements.clone())
            .unwrap_or_default();
        match (&self.suggestion, self.suggest) {
            (Some((_, s)), true) => Requirements {
                critical_periods: stored.critical_periods,
                fallback_routine: stored.fallback_routine,
                ..s.requirements()
            },
            _ => stored,
        }
    }

    /// The requirements form's fields, as typed, suggested or stored.
    pub fn req_value(&self, name: &str) -> String {
        let r = self.stored();
        let minutes = |n: &str| match n {
            "rto_minutes" => r.rto_minutes,
            "rpo_minutes" => r.rpo_minutes,
            _ => r.mtd_minutes,
        };
        let stored = match name {
            "critical_periods" => r.critical_periods.clone(),
            "fallback_routine" => r.fallback_routine.clone(),
            n if n.ends_with("_unit") => Some(Words::unit(
                minutes(n.trim_end_matches("_unit")),
                TimeUnit::Hours,
            )),
            n => Words::number(minutes(n)),
        };
        self.w.value("requirements", name, stored)
    }

    pub fn suggestion_text(&self) -> String {
        let Some((level, s)) = self.suggestion else {
            return String::new();
        };
        let r = s.requirements();
        self.c.lang.t_args(
            "continuity-suggestion",
            &[
                ("level", level.to_string()),
                ("rto", self.w.duration(&r.rto_minutes)),
                ("rpo", self.w.duration(&r.rpo_minutes)),
                ("mtd", self.w.duration(&r.mtd_minutes)),
            ],
        )
    }

    /// The new restore test's fields, as typed.
    pub fn tv(&self, name: &str) -> String {
        self.w.test_value("test", None, name)
    }

    pub fn backup_value(&self, b: &Backup, name: &str) -> String {
        let d = &b.draft;
        let stored = match name {
            "what" => Some(d.what.clone()),
            "location" => d.location.clone(),
            "frequency" => d.frequency.clone(),
            "retention" => d.retention.clone(),
            "responsible" => d.responsible.clone(),
            _ => d.note.clone(),
        };
        self.w.value(&format!("backup-{}", b.id), name, stored)
    }

    pub fn backup_fields(&self) -> [&'static str; 6] {
        [
            "what",
            "location",
            "frequency",
            "retention",
            "responsible",
            "note",
        ]
    }
}

async fn view(
    cx: &Cx,
    org: Organisation,
    sid: SystemId,
    suggest: bool,
    w: Option<Words>,
) -> AppResult<Response> {
    let store = cx.store();
    let s = store.get_system(org.id, sid).await?;
    let req = store.continuity(org.id, sid).await?;
    let availability = store
        .security_state(org.id, sid)
        .await?
        .levels
        .get(Aspect::Availability);
    let profile = store.active_profile(org.id).await?;
    let suggestion = availability
        .and_then(|l| suggestion_for(&profile.profile.continuity.suggestions, l).map(|s| (l, s)));
    let page = ContinuityPage {
        w: w.unwrap_or_else(|| Words::new(cx.chrome(Some(org.clone()), "systems"))),
        c: cx.chrome(Some(org.clone()), "systems"),
        can: cx.on_system(org.id, sid).await?,
        req,
        suggestion,
        suggest,
        backups: store.backups(org.id, sid).await?,
        tests: store.restore_tests(org.id, sid).await?,
        s,
    };
    Ok(form_page(&page.w.errors, &page))
}

#[derive(serde::Deserialize)]
pub(in crate::html) struct SuggestQuery {
    suggest: Option<String>,
}

pub(in crate::html) async fn continuity_page(
    cx: Cx,
    at: SystemPath,
    Query(q): Query<SuggestQuery>,
) -> AppResult<Response> {
    view(&cx, at.org, at.system, q.suggest.is_some(), None).await
}

/// After a post: back to the tab at the form's place, or the tab again
/// with the refused form's values and errors.
async fn after<T>(
    cx: &Cx,
    at: SystemPath,
    form: &str,
    f: FormData,
    posted: Posted<T>,
) -> AppResult<Response> {
    let anchor = form.split('-').next().unwrap_or(form);
    let done = format!(
        "/o/{}/systems/{}/continuity?saved=1#{anchor}",
        at.org.slug, at.system
    );
    let again = async |w| view(cx, at.org.clone(), at.system, false, Some(w)).await;
    Words::after(cx, &at.org, done, form, f, posted, again).await
}

pub(in crate::html) async fn save_requirements(
    cx: Cx,
    at: SystemPath,
    f: FormData,
) -> AppResult<Response> {
    let (org, system) = (at.org.id, at.system);
    let save = async |d| cx.store().set_continuity(&cx.actor, org, system, d).await;
    let posted = submit(requirements_draft(&f), save).await?;
    after(&cx, at, "requirements", f, posted).await
}

pub(in crate::html) async fn add_backup(
    cx: Cx,
    at: SystemPath,
    f: FormData,
) -> AppResult<Response> {
    let (org, system) = (at.org.id, at.system);
    let add = async |d| cx.store().add_backup(&cx.actor, org, system, d).await;
    let posted = submit(backup_draft(&f), add).await?;
    after(&cx, at, "backup", f, posted).await
}

pub(in crate::html) async fn update_backup(
    cx: Cx,
    at: SystemPath,
    f: FormData,
) -> AppResult<Response> {
    let (org, system, id): (_, _, Uuid) = (at.org.id, at.system, at.params.id("backup")?);
    let save = async |d| {
        cx.store()
            .update_backup(&cx.actor, org, system, id, d)
            .await
    };
    let posted = submit(backup_draft(&f), save).await?;
    after(&cx, at, &format!("backup-{id}"), f, posted).await
}

pub(in crate::html) async fn remove_backup(cx: Cx, at: SystemPath) -> AppResult<Response> {
    let id: Uuid = at.params.id("backup")?;
    cx.store()
        .remove_backup(&cx.actor, at.org.id, at.system, id)
        .await?;
    see(format!(
        "/o/{}/systems/{}/continuity?saved=1#backups",
        at.org.slug, at.system
    ))
}

/// Records a restore test and goes to its page.
pub(in crate::html) async fn record_test(
    cx: Cx,
    at: SystemPath,
    f: FormData,
) -> AppResult<Response> {
    let (org, system) = (at.org.id, at.system);
    let today = crate::nav::today();
    let record = async |d| {
        cx.store()
            .record_restore_test(&cx.actor, org, system, d, today)
            .await
    };
    match submit(test_draft(&f), record).await? {
        Posted::Done(t) => see(format!(
            "/o/{}/systems/{}/restore-tests/{}?saved=1",
            at.org.slug, at.system, t.id
        )),
        invalid => after(&cx, at, "test", f, invalid).await,
    }
}
