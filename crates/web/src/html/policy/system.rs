//! One system's compliance: its findings and who must act, and recording
//! its documents and controls.

use super::{Words, control_draft, holders_text, today};
use crate::context::SystemPath;
use crate::error::AppResult;
use crate::forms::FormData;
use crate::html::{Chrome, Cx, Posted, form_page, see, submit};
use askama::Template;
use axum::response::Response;
use chrono::Datelike;
use insyn_domain::policy::{ControlScope, Finding, RuleKind};
use insyn_domain::validation as v;
use insyn_domain::{FieldErrors, Organisation, System, SystemId};
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
    /// The control chosen in the control form (`?control=` from "Mina uppgifter").
    chosen: String,
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
        let role = self.w().role(f.responsible());
        let names = holders_text(&h);
        if vacant {
            format!("{role} ({}) → {names}", self.c.t("role-vacant"))
        } else {
            format!("{role}: {names}")
        }
    }
    pub fn kind_name(&self, k: &str) -> String {
        label(&self.kinds, k)
    }
    pub fn control_name(&self, k: &str) -> String {
        match self.controls.iter().find(|(c, _)| c == k) {
            Some((_, l)) => l.clone(),
            None => super::unnamed_control(&self.c, k),
        }
    }
    pub fn result(&self, r: &str) -> String {
        self.c.t(&format!("control-result-{r}"))
    }
    pub fn results(&self) -> &'static [&'static str] {
        CONTROL_RESULTS
    }
    pub fn kind_of(&self, f: &Finding) -> &'static str {
        match f.kind() {
            RuleKind::Role => "rule-kind-role",
            RuleKind::Artefact => "rule-kind-artefact",
            RuleKind::Control => "rule-kind-control",
            RuleKind::Continuity => "rule-kind-continuity",
        }
    }
    pub fn today(&self) -> String {
        today().to_string()
    }
}

/// A code's label in a list of (code, label); the code itself when it has none.
fn label(list: &[(String, String)], code: &str) -> String {
    list.iter()
        .find(|(c, _)| c == code)
        .map_or(code, |(_, l)| l.as_str())
        .to_owned()
}

pub(super) async fn system_view(
    cx: &Cx,
    o: Organisation,
    sid: SystemId,
    errors: FieldErrors,
    form: &str,
    chosen: &str,
) -> AppResult<Response> {
    let store = cx.store();
    let s = store.get_system(o.id, sid).await?;
    let compliance = store.compliance(o.id, Some(sid), today()).await?;
    let documents = store.documents(o.id, sid).await?;
    let records = store.control_records(o.id, Some(sid)).await?;
    let reviews = store.reviews(o.id, sid).await?;
    let p = &compliance.profile.profile;
    let lang = cx.lang;
    let kinds = p
        .document_rules()
        .map(|a| (a.artefact.clone(), a.text(lang.code()).to_owned()))
        .collect();
    // Only what a control record can meet (the store refuses the rest).
    let controls = p
        .recordable_control_rules(ControlScope::System)
        .map(|c| (c.control.clone(), c.name(lang.code()).to_owned()))
        .collect();
    let can_edit = cx.on_system(o.id, sid).await?.edit;
    let sc = compliance.systems.first().cloned();
    let page = SystemCompliancePage {
        c: cx.chrome(Some(o), "systems"),
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
        chosen: chosen.trim().to_owned(),
    };
    Ok(form_page(&page.errors, &page))
}

/// The control to choose in the control form.
#[derive(serde::Deserialize, Default)]
pub(in crate::html) struct ChosenControl {
    control: Option<String>,
}

pub(in crate::html) async fn system_compliance(
    cx: Cx,
    at: SystemPath,
    axum::extract::Query(q): axum::extract::Query<ChosenControl>,
) -> AppResult<Response> {
    let chosen = q.control.unwrap_or_default();
    system_view(&cx, at.org, at.system, FieldErrors::new(), "", &chosen).await
}

/// After a post: back to the system's compliance, at the part it changed.
pub(super) fn back(o: &Organisation, sid: SystemId, anchor: &str) -> AppResult<Response> {
    see(format!(
        "/o/{}/systems/{sid}/compliance?saved=1#{anchor}",
        o.slug
    ))
}

fn document_draft(f: &FormData) -> Result<DocumentDraft, FieldErrors> {
    let dated = v::parse_date(f.get("dated")).map_err(|code| FieldErrors::single("dated", code))?;
    Ok(DocumentDraft {
        kind: f.get("kind").to_owned(),
        title: f.get("title").to_owned(),
        reference: f.opt("reference"),
        dated,
    })
}

pub(in crate::html) async fn record_document(
    cx: Cx,
    SystemPath { org, system, .. }: SystemPath,
    form: FormData,
) -> AppResult<Response> {
    let record = async |d| {
        cx.store()
            .record_document(&cx.actor, org.id, system, d)
            .await
    };
    match submit(document_draft(&form), record).await? {
        Posted::Done(_) => back(&org, system, "documents"),
        Posted::Invalid(e) => system_view(&cx, org, system, e, "document", "").await,
    }
}

pub(in crate::html) async fn record_system_control(
    cx: Cx,
    SystemPath { org, system, .. }: SystemPath,
    form: FormData,
) -> AppResult<Response> {
    let record = async |d| {
        cx.store()
            .record_control(&cx.actor, org.id, Some(system), d)
            .await
    };
    match submit(control_draft(&form), record).await? {
        Posted::Done(_) => back(&org, system, "controls"),
        Posted::Invalid(e) => system_view(&cx, org, system, e, "control", "").await,
    }
}
