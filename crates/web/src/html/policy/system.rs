//! One system's compliance: its findings and who must act, and recording
//! its documents and controls.

use super::{Words, control_draft, holders_text, today};
use crate::AppState;
use crate::context::SystemPath;
use crate::error::AppResult;
use crate::extract::RequestActor;
use crate::forms::FormData;
use crate::html::security::abilities;
use crate::html::{Chrome, Here, form_status, render_status};
use crate::i18n::Lang;
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use insyn_domain::policy::{ControlScope, Finding, RuleKind};
use insyn_domain::validation as v;
use insyn_domain::{FieldErrors, Organisation, System, SystemId};
use insyn_store::StoreError;
use insyn_store::policy::{
    CONTROL_RESULTS, Compliance, ControlRecord, DocumentDraft, SystemCompliance, SystemDocument,
};
use insyn_store::reviews::Review;

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

pub(super) async fn system_view(
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
    let kinds = p
        .document_rules()
        .map(|a| (a.artefact.clone(), a.text(lang.code()).to_owned()))
        .collect();
    // Only what a control record can meet (the store refuses the rest).
    let controls = p
        .recordable_control_rules(ControlScope::System)
        .map(|c| (c.control.clone(), c.name(lang.code()).to_owned()))
        .collect();
    let can_edit = abilities(state, &uri.me, o.id, sid).await?.edit;
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

pub(in crate::html) async fn system_compliance(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    SystemPath { org: o, system, .. }: SystemPath,
) -> AppResult<Response> {
    system_view(&state, lang, &uri, o, system, FieldErrors::new(), "").await
}

pub(super) fn back(o: &Organisation, sid: SystemId, anchor: &str) -> Response {
    Redirect::to(&format!(
        "/o/{}/systems/{sid}/compliance?saved=1#{anchor}",
        o.slug
    ))
    .into_response()
}

pub(in crate::html) async fn record_document(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    SystemPath {
        org: o,
        system: sid,
        ..
    }: SystemPath,
    body: Bytes,
) -> AppResult<Response> {
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

pub(in crate::html) async fn record_system_control(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    SystemPath {
        org: o,
        system: sid,
        ..
    }: SystemPath,
    body: Bytes,
) -> AppResult<Response> {
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
