//! Policy pages: "Mina uppgifter", the compliance dashboard, the årshjul,
//! the organisation's policy profile (choose, edit, export, import, the
//! checklist), and per system its findings, documents, controls and reviews.

use super::*;
use crate::auth::Principal;
use axum::extract::Multipart;
use chrono::{Datelike, Utc};
use insyn_domain::policy::{
    self, ChecklistItem, ControlScope, Coverage, Finding, Outcome, ProfileError, RuleKind,
};
use insyn_store::StoreError;
use insyn_store::policy::{
    CONTROL_RESULTS, Compliance, ControlDraft, ControlRecord, DocumentDraft, Holder,
    ProfileVersion, StoredProfile, SystemCompliance, SystemDocument, Task,
};
use insyn_store::reviews::{ANSWERS, Answer, Review};
use uuid::Uuid;

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// Words for findings, shared by every policy page.
pub struct Words<'a> {
    pub c: &'a Chrome,
    pub profile: &'a StoredProfile,
}

impl Words<'_> {
    pub fn rule(&self, f: &Finding) -> String {
        self.profile
            .profile
            .rule(&f.rule_id)
            .map(|r| r.text(self.c.lang.code()).to_owned())
            .unwrap_or_else(|| f.rule_id.clone())
    }

    pub fn cite(&self, f: &Finding) -> String {
        self.profile
            .profile
            .rule(&f.rule_id)
            .map(|r| r.cite.to_owned())
            .unwrap_or_default()
    }

    pub fn state(&self, f: &Finding) -> String {
        self.c
            .t(&format!("outcome-{}", f.outcome.state().replace('_', "-")))
    }

    /// The state's look: met, soon or late.
    pub fn class(&self, f: &Finding) -> &'static str {
        match f.outcome {
            Outcome::Met { .. } => "ok",
            Outcome::DueSoon { .. } => "soon",
            Outcome::Missing { .. }
            | Outcome::Overdue { .. }
            | Outcome::Expired { .. }
            | Outcome::Unknown { .. } => "late",
        }
    }

    /// "sedan 2026-01-10", "senast 2026-12-01", "nästa 2027-03-01".
    pub fn when(&self, f: &Finding) -> String {
        let o = &f.outcome;
        match (o, o.date()) {
            (Outcome::Met { .. }, Some(d)) => format!("{} {d}", self.c.t("outcome-next")),
            (Outcome::DueSoon { .. }, Some(d)) => format!("{} {d}", self.c.t("outcome-due")),
            (Outcome::Unknown { fact }, _) => self
                .c
                .t(&format!("outcome-fill-in-{}", fact.replace('_', "-"))),
            (_, Some(d)) => format!("{} {d}", self.c.t("outcome-since")),
            (_, None) => String::new(),
        }
    }

    pub fn role(&self, code: &str) -> String {
        role_name(self.c.lang, code)
    }
}

/// A role code's name: the default role types' names, else the code.
pub fn role_name(lang: Lang, code: &str) -> String {
    DEFAULT_ROLE_TYPES
        .iter()
        .find(|r| r.0 == code)
        .map(|r| if lang == Lang::En { r.2 } else { r.1 }.to_owned())
        .unwrap_or_else(|| code.to_owned())
}

fn holders_text(h: &[Holder]) -> String {
    h.iter()
        .map(|h| h.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------- tasks

#[derive(Template)]
#[template(path = "tasks.html")]
pub(super) struct TasksPage {
    c: Chrome,
    compliance: Compliance,
    tasks: Vec<Task>,
}

impl TasksPage {
    pub fn w(&self) -> Words<'_> {
        Words {
            c: &self.c,
            profile: &self.compliance.profile,
        }
    }
    pub fn as_role(&self, t: &Task) -> String {
        self.w().role(&t.as_role)
    }
    /// Where to act on it.
    pub fn href(&self, t: &Task) -> String {
        match &t.system {
            Some((id, _)) => format!("/o/{}/systems/{id}/compliance", self.c.org_slug()),
            None => format!("/o/{}/cycle", self.c.org_slug()),
        }
    }
}

pub(super) async fn tasks_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    me: Principal,
    Path(org): Path<String>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let compliance = state.store.compliance(o.id, None, today()).await?;
    let tasks = compliance.tasks_for(&me.user.email);
    Ok(render(&TasksPage {
        c: Chrome::new(lang, &uri, Some(o), "tasks"),
        compliance,
        tasks,
    }))
}

// ---------------------------------------------------------------- dashboard

/// One bar of a chart.
pub struct Bar {
    pub label: String,
    pub coverage: Coverage,
    pub percent: u32,
    pub y: u32,
    pub width: u32,
}

/// A horizontal bar chart drawn on the server, with its data as a table beside it.
pub struct Chart {
    pub id: String,
    pub title: String,
    pub bars: Vec<Bar>,
    pub height: u32,
}

const BAR_HEIGHT: u32 = 26;
const BAR_MAX: u32 = 300;

fn chart(id: &str, title: String, rows: Vec<(String, Coverage)>) -> Chart {
    let bars: Vec<Bar> = rows
        .into_iter()
        .enumerate()
        .map(|(i, (label, coverage))| {
            let percent = coverage.percent().unwrap_or(0);
            Bar {
                label,
                coverage,
                percent,
                y: i as u32 * BAR_HEIGHT,
                width: percent * BAR_MAX / 100,
            }
        })
        .collect();
    Chart {
        id: id.to_owned(),
        title,
        height: (bars.len() as u32).max(1) * BAR_HEIGHT,
        bars,
    }
}

#[derive(Template)]
#[template(path = "compliance.html")]
pub(super) struct CompliancePage {
    c: Chrome,
    compliance: Compliance,
    charts: Vec<Chart>,
    by_rule: Vec<(String, String, Coverage)>,
    /// (system, finding) for every gap, capped.
    gaps: Vec<(SystemId, String, Finding, String)>,
    more: usize,
}

impl CompliancePage {
    pub fn w(&self) -> Words<'_> {
        Words {
            c: &self.c,
            profile: &self.compliance.profile,
        }
    }
    pub fn percent(&self, c: &Coverage) -> String {
        c.percent().map(|p| format!("{p} %")).unwrap_or_default()
    }
    pub fn systems_with_gaps(&self) -> usize {
        self.compliance
            .systems
            .iter()
            .filter(|s| s.gaps().next().is_some())
            .count()
    }
}

const GAP_LIMIT: usize = 300;

pub(super) async fn compliance_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    Path(org): Path<String>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let compliance = state.store.compliance(o.id, None, today()).await?;
    let c = Chrome::new(lang, &uri, Some(o), "compliance");
    let none = c.t("compliance-no-division");
    let label = |k: String| if k.is_empty() { none.clone() } else { k };
    let p = &compliance.profile.profile;
    let mut charts = vec![chart(
        "all",
        c.t("chart-all-rules"),
        compliance
            .coverage_by_division(None)
            .into_iter()
            .map(|r| (label(r.key), r.coverage))
            .collect(),
    )];
    // The headline rules: the owner, a classification, an approved plan, the first recurring control.
    let headline: Vec<&str> = [
        p.roles.first().map(|r| r.id.as_str()),
        p.artefacts
            .iter()
            .find(|a| a.artefact == "classification")
            .map(|a| a.id.as_str()),
        p.artefacts
            .iter()
            .find(|a| a.artefact == "security_plan")
            .map(|a| a.id.as_str()),
        p.controls
            .iter()
            .find(|a| a.scope == ControlScope::System)
            .map(|a| a.id.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();
    for id in headline {
        let title = p
            .rule(id)
            .map(|r| r.text(lang.code()).to_owned())
            .unwrap_or_default();
        charts.push(chart(
            id,
            title,
            compliance
                .coverage_by_division(Some(id))
                .into_iter()
                .map(|r| (label(r.key), r.coverage))
                .collect(),
        ));
    }
    let by_rule = compliance
        .coverage_by_rule()
        .into_iter()
        .map(|r| {
            let (text, cite) = p
                .rule(&r.key)
                .map(|x| (x.text(lang.code()).to_owned(), x.cite.to_owned()))
                .unwrap_or_default();
            (text, cite, r.coverage)
        })
        .collect();
    let mut gaps = vec![];
    let mut total = 0;
    for s in &compliance.systems {
        for f in s.gaps() {
            total += 1;
            if gaps.len() < GAP_LIMIT {
                let (who, _) = compliance.responsible_for(Some(s), f);
                gaps.push((s.id, s.name.clone(), f.clone(), holders_text(&who)));
            }
        }
    }
    Ok(render(&CompliancePage {
        c,
        more: total - gaps.len(),
        compliance,
        charts,
        by_rule,
        gaps,
    }))
}

// ---------------------------------------------------------------- årshjul

pub struct CycleRow {
    pub name: String,
    pub months: [usize; 12],
    pub overdue: usize,
    pub organisation: bool,
}

#[derive(Template)]
#[template(path = "cycle.html")]
pub(super) struct CyclePage {
    c: Chrome,
    year: i32,
    rows: Vec<CycleRow>,
    /// The organisation's own controls: (control code, name, finding, last records).
    org_controls: Vec<(String, String, Finding)>,
    records: Vec<ControlRecord>,
    profile: StoredProfile,
    errors: FieldErrors,
}

impl CyclePage {
    pub fn months(&self) -> Vec<String> {
        (1..=12).map(|m| self.c.t(&format!("month-{m}"))).collect()
    }
    pub fn w(&self) -> Words<'_> {
        Words {
            c: &self.c,
            profile: &self.profile,
        }
    }
    pub fn control_name(&self, code: &str) -> String {
        self.profile
            .profile
            .control(code)
            .map(|c| {
                if self.c.lang == Lang::En {
                    c.name_en.clone()
                } else {
                    c.name_sv.clone()
                }
            })
            .unwrap_or_else(|| code.to_owned())
    }
    pub fn result(&self, r: &str) -> String {
        self.c.t(&format!("control-result-{r}"))
    }
}

#[derive(serde::Deserialize)]
pub(super) struct YearQuery {
    year: Option<i32>,
}

async fn cycle_view(
    state: &AppState,
    lang: Lang,
    uri: &Here,
    o: Organisation,
    year: i32,
    errors: FieldErrors,
) -> AppResult<Response> {
    let compliance = state.store.compliance(o.id, None, today()).await?;
    let records = state.store.control_records(o.id, None).await?;
    let p = &compliance.profile.profile;
    let en = lang == Lang::En;
    let mut rows: Vec<CycleRow> = vec![];
    for rule in &p.controls {
        let mut row = CycleRow {
            name: if en {
                rule.name_en.clone()
            } else {
                rule.name_sv.clone()
            },
            months: [0; 12],
            overdue: 0,
            organisation: rule.scope == ControlScope::Organisation,
        };
        let findings = compliance
            .systems
            .iter()
            .flat_map(|s| s.findings.iter())
            .chain(compliance.organisation.iter())
            .filter(|f| f.rule_id == rule.id);
        for f in findings {
            let next = match f.outcome {
                Outcome::Overdue { since } => {
                    row.overdue += 1;
                    policy::due_dates_in_year(rule, since, year)
                        .into_iter()
                        .skip(1)
                        .collect()
                }
                o => o
                    .date()
                    .map(|d| policy::due_dates_in_year(rule, d, year))
                    .unwrap_or_default(),
            };
            for d in next {
                row.months[d.month0() as usize] += 1;
            }
        }
        rows.push(row);
    }
    let org_controls = compliance
        .organisation
        .iter()
        .map(|f| {
            let name = p
                .control(&f.subject)
                .map(|c| {
                    if en {
                        c.name_en.clone()
                    } else {
                        c.name_sv.clone()
                    }
                })
                .unwrap_or_default();
            (f.subject.clone(), name, f.clone())
        })
        .collect();
    let status = form_status(&errors);
    Ok(render_status(
        status,
        &CyclePage {
            c: Chrome::new(lang, uri, Some(o), "cycle"),
            year,
            rows,
            org_controls,
            records,
            profile: compliance.profile,
            errors,
        },
    ))
}

pub(super) async fn cycle_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    Path(org): Path<String>,
    Query(q): Query<YearQuery>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let year = q
        .year
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or(today().year());
    cycle_view(&state, lang, &uri, o, year, FieldErrors::new()).await
}

fn control_draft(f: &FormData, e: &mut FieldErrors) -> ControlDraft {
    let performed_on = match v::parse_date(f.get("performed_on")) {
        Ok(d) => d,
        Err(code) => {
            e.add("performed_on", code);
            today()
        }
    };
    ControlDraft {
        control: f.get("control").to_owned(),
        performed_on,
        result: f.get("result").to_owned(),
        note: f.opt("note"),
    }
}

/// Records one of the organisation's own controls (a policy revision).
pub(super) async fn record_org_control(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    Path(org): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let f = FormData::parse(&body);
    let mut e = FieldErrors::new();
    let draft = control_draft(&f, &mut e);
    let result = if e.is_empty() {
        state.store.record_control(&actor, o.id, None, draft).await
    } else {
        Err(StoreError::Invalid(e))
    };
    match result {
        Ok(_) => {
            Ok(Redirect::to(&format!("/o/{}/cycle?saved=1#org-controls", o.slug)).into_response())
        }
        Err(StoreError::Invalid(e)) => cycle_view(&state, lang, &uri, o, today().year(), e).await,
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- the profile

#[derive(Template)]
#[template(path = "policy.html")]
pub(super) struct PolicyPage {
    c: Chrome,
    p: StoredProfile,
    versions: Vec<ProfileVersion>,
    shipped: Vec<(String, String)>,
}

impl PolicyPage {
    pub fn role(&self, code: &str) -> String {
        role_name(self.c.lang, code)
    }
    pub fn roles(&self, codes: &[String]) -> String {
        codes
            .iter()
            .map(|c| self.role(c))
            .collect::<Vec<_>>()
            .join(&format!(" {} ", self.c.t("or")))
    }
    pub fn text<'a>(&self, sv: &'a str, en: &'a str) -> &'a str {
        if self.c.lang == Lang::En { en } else { sv }
    }
    pub fn condition(&self, w: &policy::Condition) -> String {
        let mut parts = vec![];
        if let Some(b) = w.business_critical {
            parts.push(self.c.t(if b {
                "cond-critical"
            } else {
                "cond-not-critical"
            }));
        }
        if let Some(n) = w.min_users {
            parts.push(format!("{} ≥ {n}", self.c.t("field-user-count")));
        }
        if w.personal_data == Some(true) {
            parts.push(self.c.t("cond-personal-data"));
        }
        if w.sensitive_personal_data == Some(true) {
            parts.push(self.c.t("cond-sensitive-personal-data"));
        }
        if let Some(l) = w.min_level {
            parts.push(format!("{} ≥ {l}", self.c.t("cond-level")));
        }
        if let Some(n) = w.new_system {
            parts.push(self.c.t(if n {
                "cond-new-system"
            } else {
                "cond-existing-system"
            }));
        }
        if !w.hosting.is_empty() {
            parts.push(
                w.hosting
                    .iter()
                    .map(|h| self.c.hosting(*h))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
        }
        if !w.lifecycle.is_empty() {
            parts.push(
                w.lifecycle
                    .iter()
                    .map(|l| self.c.lifecycle(*l))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
        }
        if parts.is_empty() {
            self.c.t("cond-every-system")
        } else {
            parts.join("; ")
        }
    }
    pub fn artefact(&self, a: &str) -> String {
        let key = format!("artefact-{}", a.replace('_', "-"));
        let t = self.c.t(&key);
        if t == key { a.to_owned() } else { t }
    }
    pub fn interval(&self, months: &u32) -> String {
        format!("{months} {}", self.c.t("months"))
    }
    pub fn scope(&self, s: &ControlScope) -> String {
        self.c.t(match s {
            ControlScope::System => "scope-system",
            ControlScope::Organisation => "scope-organisation",
        })
    }
}

fn shipped_options(lang: Lang) -> Vec<(String, String)> {
    policy::SHIPPED
        .iter()
        .filter_map(|(code, text)| {
            policy::Profile::parse_unchecked(text).ok().map(|p| {
                let name = if lang == Lang::En {
                    p.name_en
                } else {
                    p.name_sv
                };
                ((*code).to_owned(), name)
            })
        })
        .collect()
}

pub(super) async fn policy_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    Path(org): Path<String>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let p = state.store.active_profile(o.id).await?;
    let versions = state.store.profile_versions(o.id).await?;
    Ok(render(&PolicyPage {
        c: Chrome::new(lang, &uri, Some(o), "policy"),
        p,
        versions,
        shipped: shipped_options(lang),
    }))
}

pub(super) async fn adopt_profile(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    Path(org): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let f = FormData::parse(&body);
    state
        .store
        .adopt_profile(&actor, o.id, f.get("profile"))
        .await?;
    Ok(Redirect::to(&format!("/o/{}/policy?saved=1", o.slug)).into_response())
}

#[derive(Template)]
#[template(path = "policy_edit.html")]
pub(super) struct PolicyEditPage {
    c: Chrome,
    text: String,
    note: String,
    errors: Vec<ProfileError>,
}

impl PolicyEditPage {
    pub fn problem(&self, e: &ProfileError) -> String {
        let mut s = self.c.t(e.code);
        if let Some(d) = &e.detail {
            s.push_str(": ");
            s.push_str(d);
        }
        s
    }
    pub fn place(&self, e: &ProfileError) -> String {
        match e.path.strip_prefix("line ") {
            Some(n) => format!("{} {n}", self.c.t("profile-line")),
            None => e.path.clone(),
        }
    }
}

fn edit_page(c: Chrome, text: String, note: String, errors: Vec<ProfileError>) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_status(
        status,
        &PolicyEditPage {
            c,
            text,
            note,
            errors,
        },
    )
}

pub(super) async fn policy_edit(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    Path(org): Path<String>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let p = state.store.active_profile(o.id).await?;
    Ok(edit_page(
        Chrome::new(lang, &uri, Some(o), "policy"),
        p.body,
        String::new(),
        vec![],
    ))
}

async fn save_text(
    state: &AppState,
    lang: Lang,
    uri: &Here,
    actor: &insyn_store::Actor,
    o: Organisation,
    text: String,
    note: String,
) -> AppResult<Response> {
    match state
        .store
        .save_profile(actor, o.id, &text, Some(&note))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/o/{}/policy?saved=1", o.slug)).into_response()),
        Err(StoreError::Profile(errors)) => Ok(edit_page(
            Chrome::new(lang, uri, Some(o), "policy"),
            text,
            note,
            errors,
        )),
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn policy_save(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    Path(org): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let f = FormData::parse(&body);
    let text =
        f.0.iter()
            .find(|(k, _)| k == "profile")
            .map(|(_, v)| v.replace("\r\n", "\n"))
            .unwrap_or_default();
    save_text(
        &state,
        lang,
        &uri,
        &actor,
        o,
        text,
        f.get("note").to_owned(),
    )
    .await
}

/// Uploads a profile file (as exported).
pub(super) async fn policy_import(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    Path(org): Path<String>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let mut text = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            let bytes = field
                .bytes()
                .await
                .map_err(|e| AppError::BadRequest(format!("upload: {e}")))?;
            text = Some(String::from_utf8_lossy(&bytes).replace("\r\n", "\n"));
        }
    }
    let text = text.filter(|t| !t.trim().is_empty()).unwrap_or_default();
    let note = lang.t("profile-imported");
    save_text(&state, lang, &uri, &actor, o, text, note).await
}

pub(super) async fn policy_export(
    State(state): State<AppState>,
    Path(org): Path<String>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let p = state.store.active_profile(o.id).await?;
    let name = format!("{}-{}-v{}.toml", o.slug, p.code, p.version);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/toml; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        p.body,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "checklist.html")]
pub(super) struct ChecklistPage {
    c: Chrome,
    text: String,
    errors: FieldErrors,
}

fn checklist_text(items: &[ChecklistItem]) -> String {
    items
        .iter()
        .map(|i| {
            if i.text_en.trim().is_empty() || i.text_en == i.text_sv {
                i.text_sv.clone()
            } else {
                format!("{} | {}", i.text_sv, i.text_en)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One item per line: "Swedish text | English text" (the English part optional).
/// Items keep the ids of the items whose Swedish text they repeat.
fn parse_checklist(text: &str, before: &[ChecklistItem]) -> Vec<ChecklistItem> {
    let mut used = std::collections::BTreeSet::new();
    let mut out = vec![];
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (sv, en) = match line.split_once('|') {
            Some((a, b)) => (a.trim().to_owned(), b.trim().to_owned()),
            None => (line.to_owned(), line.to_owned()),
        };
        let old = before.iter().find(|i| i.text_sv == sv);
        let mut id = old
            .map(|i| i.id.clone())
            .unwrap_or_else(|| format!("item-{}", out.len() + 1));
        while !used.insert(id.clone()) {
            id.push_str("-b");
        }
        out.push(ChecklistItem {
            id,
            text_sv: sv,
            text_en: en,
            cite: old.and_then(|i| i.cite.clone()),
        });
    }
    out
}

pub(super) async fn checklist_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    Path(org): Path<String>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let p = state.store.active_profile(o.id).await?;
    Ok(render(&ChecklistPage {
        c: Chrome::new(lang, &uri, Some(o), "policy"),
        text: checklist_text(&p.profile.checklist),
        errors: FieldErrors::new(),
    }))
}

pub(super) async fn checklist_save(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    Path(org): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let f = FormData::parse(&body);
    let text = f.get("items").to_owned();
    let before = state.store.active_profile(o.id).await?;
    let items = parse_checklist(&text, &before.profile.checklist);
    match state.store.save_checklist(&actor, o.id, items).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/o/{}/policy?saved=1#checklist", o.slug)).into_response())
        }
        Err(StoreError::Invalid(errors)) => Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ChecklistPage {
                c: Chrome::new(lang, &uri, Some(o), "policy"),
                text,
                errors,
            },
        )),
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- one system

#[derive(Template)]
#[template(path = "system_compliance.html")]
pub(super) struct SystemCompliancePage {
    c: Chrome,
    s: System,
    sc: Option<SystemCompliance>,
    compliance: Compliance,
    documents: Vec<SystemDocument>,
    records: Vec<ControlRecord>,
    reviews: Vec<Review>,
    /// Document kinds the profile asks for: (kind, label).
    kinds: Vec<(String, String)>,
    /// Controls the profile has for systems: (code, name).
    controls: Vec<(String, String)>,
    can_edit: bool,
    errors: FieldErrors,
    form: String,
    year: i32,
}

impl SystemCompliancePage {
    pub fn w(&self) -> Words<'_> {
        Words {
            c: &self.c,
            profile: &self.compliance.profile,
        }
    }
    pub fn base(&self) -> String {
        format!("/o/{}/systems/{}", self.c.org_slug(), self.s.id)
    }
    pub fn findings(&self) -> Vec<Finding> {
        self.sc
            .as_ref()
            .map(|s| s.findings.clone())
            .unwrap_or_default()
    }
    pub fn who(&self, f: &Finding) -> String {
        let (h, vacant) = self.compliance.responsible_for(self.sc.as_ref(), f);
        let role = self.w().role(&f.responsible);
        let names = holders_text(&h);
        if vacant {
            format!("{role} ({}) → {names}", self.c.t("role-vacant"))
        } else {
            format!("{role}: {names}")
        }
    }
    pub fn kind_name(&self, k: &str) -> String {
        self.kinds
            .iter()
            .find(|(c, _)| c == k)
            .map(|(_, l)| l.clone())
            .unwrap_or_else(|| k.to_owned())
    }
    pub fn control_name(&self, k: &str) -> String {
        self.controls
            .iter()
            .find(|(c, _)| c == k)
            .map(|(_, l)| l.clone())
            .unwrap_or_else(|| k.to_owned())
    }
    pub fn result(&self, r: &str) -> String {
        self.c.t(&format!("control-result-{r}"))
    }
    pub fn results(&self) -> &'static [&'static str] {
        CONTROL_RESULTS
    }
    pub fn kind_of(&self, f: &Finding) -> &'static str {
        match f.kind {
            RuleKind::Role => "rule-kind-role",
            RuleKind::Artefact => "rule-kind-artefact",
            RuleKind::Control => "rule-kind-control",
        }
    }
    pub fn today(&self) -> String {
        today().to_string()
    }
}

async fn system_view(
    state: &AppState,
    lang: Lang,
    uri: &Here,
    o: Organisation,
    sid: SystemId,
    errors: FieldErrors,
    form: &str,
) -> AppResult<Response> {
    let s = state.store.get_system(o.id, sid).await?;
    let compliance = state.store.compliance(o.id, Some(sid), today()).await?;
    let documents = state.store.documents(o.id, sid).await?;
    let records = state.store.control_records(o.id, Some(sid)).await?;
    let reviews = state.store.reviews(o.id, sid).await?;
    let p = &compliance.profile.profile;
    let en = lang == Lang::En;
    let kinds = p
        .artefacts
        .iter()
        .filter(|a| !policy::BUILTIN_ARTEFACTS.contains(&a.artefact.as_str()))
        .map(|a| {
            (
                a.artefact.clone(),
                if en {
                    a.text_en.clone()
                } else {
                    a.text_sv.clone()
                },
            )
        })
        .fold(vec![], |mut acc: Vec<(String, String)>, (k, l)| {
            if !acc.iter().any(|(x, _)| *x == k) {
                acc.push((k, l));
            }
            acc
        });
    let controls = p
        .controls
        .iter()
        .filter(|c| c.scope == ControlScope::System && c.control != policy::ANNUAL_REVIEW)
        .map(|c| {
            (
                c.control.clone(),
                if en {
                    c.name_en.clone()
                } else {
                    c.name_sv.clone()
                },
            )
        })
        .collect();
    let can_edit = abilities(state, &uri.me, o.id, sid).await.edit;
    let sc = compliance.systems.first().cloned();
    let status = form_status(&errors);
    Ok(render_status(
        status,
        &SystemCompliancePage {
            c: Chrome::new(lang, uri, Some(o), "systems"),
            s,
            sc,
            compliance,
            documents,
            records,
            reviews,
            kinds,
            controls,
            can_edit,
            errors,
            form: form.to_owned(),
            year: today().year(),
        },
    ))
}

pub(super) async fn system_compliance(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    Path((org, sid)): Path<(String, String)>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    system_view(
        &state,
        lang,
        &uri,
        o,
        parse_id(&sid)?,
        FieldErrors::new(),
        "",
    )
    .await
}

fn back(o: &Organisation, sid: SystemId, anchor: &str) -> Response {
    Redirect::to(&format!(
        "/o/{}/systems/{sid}/compliance?saved=1#{anchor}",
        o.slug
    ))
    .into_response()
}

pub(super) async fn record_document(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    Path((org, sid)): Path<(String, String)>,
    body: Bytes,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let sid: SystemId = parse_id(&sid)?;
    let f = FormData::parse(&body);
    let mut e = FieldErrors::new();
    let dated = v::parse_date(f.get("dated"))
        .map_err(|code| e.add("dated", code))
        .ok();
    let result = match dated {
        Some(dated) if e.is_empty() => {
            state
                .store
                .record_document(
                    &actor,
                    o.id,
                    sid,
                    DocumentDraft {
                        kind: f.get("kind").to_owned(),
                        title: f.get("title").to_owned(),
                        reference: f.opt("reference"),
                        dated,
                    },
                )
                .await
        }
        _ => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(_) => Ok(back(&o, sid, "documents")),
        Err(StoreError::Invalid(e)) => system_view(&state, lang, &uri, o, sid, e, "document").await,
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn record_system_control(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    Path((org, sid)): Path<(String, String)>,
    body: Bytes,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let sid: SystemId = parse_id(&sid)?;
    let f = FormData::parse(&body);
    let mut e = FieldErrors::new();
    let draft = control_draft(&f, &mut e);
    let result = if e.is_empty() {
        state
            .store
            .record_control(&actor, o.id, Some(sid), draft)
            .await
    } else {
        Err(StoreError::Invalid(e))
    };
    match result {
        Ok(_) => Ok(back(&o, sid, "controls")),
        Err(StoreError::Invalid(e)) => system_view(&state, lang, &uri, o, sid, e, "control").await,
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn start_review(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    Path((org, sid)): Path<(String, String)>,
    body: Bytes,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let sid: SystemId = parse_id(&sid)?;
    let f = FormData::parse(&body);
    match state
        .store
        .start_review(&actor, o.id, sid, f.get("period"))
        .await
    {
        Ok(r) => Ok(
            Redirect::to(&format!("/o/{}/systems/{sid}/reviews/{}", o.slug, r.id)).into_response(),
        ),
        Err(StoreError::Invalid(e)) => system_view(&state, lang, &uri, o, sid, e, "review").await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "review.html")]
pub(super) struct ReviewPage {
    c: Chrome,
    s: System,
    r: Review,
    can_edit: bool,
    can_sign: bool,
    errors: FieldErrors,
}

impl ReviewPage {
    pub fn base(&self) -> String {
        format!("/o/{}/systems/{}", self.c.org_slug(), self.s.id)
    }
    pub fn answers(&self) -> &'static [&'static str] {
        ANSWERS
    }
    pub fn answer_name(&self, a: &str) -> String {
        self.c.t(&format!("answer-{a}"))
    }
    pub fn item_error(&self, id: &str) -> String {
        self.c.field_error(&self.errors, id)
    }
    pub fn item_text(&self, id: &str) -> String {
        self.r
            .items
            .iter()
            .find(|i| i.id == id)
            .map(|i| i.text(self.c.lang.code()).to_owned())
            .unwrap_or_else(|| id.to_owned())
    }
}

async fn review_view(
    state: &AppState,
    lang: Lang,
    uri: &Here,
    o: Organisation,
    sid: SystemId,
    rid: Uuid,
    errors: FieldErrors,
) -> AppResult<Response> {
    let s = state.store.get_system(o.id, sid).await?;
    let r = state.store.review(o.id, rid).await?;
    if r.system_id != sid {
        return Err(AppError::NotFound);
    }
    let can = abilities(state, &uri.me, o.id, sid).await;
    let (can_edit, can_sign) = (can.edit, can.owner);
    let status = form_status(&errors);
    Ok(render_status(
        status,
        &ReviewPage {
            c: Chrome::new(lang, uri, Some(o), "systems"),
            s,
            r,
            can_edit,
            can_sign,
            errors,
        },
    ))
}

pub(super) async fn review_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    Path((org, sid, rid)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    review_view(
        &state,
        lang,
        &uri,
        o,
        parse_id(&sid)?,
        parse_id(&rid)?,
        FieldErrors::new(),
    )
    .await
}

pub(super) async fn answer_review(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    Path((org, sid, rid)): Path<(String, String, String)>,
    body: Bytes,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let sid: SystemId = parse_id(&sid)?;
    let rid: Uuid = parse_id(&rid)?;
    let before = state.store.review(o.id, rid).await?;
    if before.system_id != sid {
        return Err(AppError::NotFound);
    }
    let f = FormData::parse(&body);
    let answers = before
        .items
        .iter()
        .map(|i| Answer {
            item: i.id.clone(),
            answer: f.opt(&format!("answer-{}", i.id)),
            comment: f.opt(&format!("comment-{}", i.id)),
        })
        .collect();
    match state.store.answer_review(&actor, o.id, rid, answers).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/o/{}/systems/{sid}/reviews/{rid}?saved=1",
            o.slug
        ))
        .into_response()),
        Err(StoreError::Invalid(e)) => review_view(&state, lang, &uri, o, sid, rid, e).await,
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn sign_review(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    Path((org, sid, rid)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let sid: SystemId = parse_id(&sid)?;
    let rid: Uuid = parse_id(&rid)?;
    let before = state.store.review(o.id, rid).await?;
    if before.system_id != sid {
        return Err(AppError::NotFound);
    }
    match state.store.sign_review(&actor, o.id, rid).await {
        Ok(_) => Ok(back(&o, sid, "reviews")),
        Err(StoreError::Invalid(e)) => review_view(&state, lang, &uri, o, sid, rid, e).await,
        Err(e) => Err(e.into()),
    }
}
