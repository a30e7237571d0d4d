//! The outage plan (avbrottsplan) of a system: its versions, writing a
//! draft, moving it through submission to the owner's approval, and the
//! print view (A4).

use super::*;
use crate::context::SystemPath;
use insyn_domain::auth::OnSystem;
use insyn_domain::outage_plan::*;
use insyn_domain::security::{PlanAction, PlanStatus};

#[derive(Template)]
#[template(path = "outage_plan.html")]
pub(super) struct OutagePlanPage {
    c: Chrome,
    s: System,
    plan: Option<OutagePlan>,
    versions: Vec<OutagePlan>,
    can: OnSystem,
    /// The texts as typed, when a save was refused.
    typed: Option<OutagePlanSections>,
    errors: FieldErrors,
}

impl OutagePlanPage {
    pub fn base(&self) -> String {
        format!("/o/{}/systems/{}", self.c.org_slug(), self.s.id)
    }

    pub fn sections(&self) -> &'static [&'static str] {
        OUTAGE_PLAN_SECTIONS
    }

    pub fn text(&self, key: &str) -> String {
        match (&self.typed, &self.plan) {
            (Some(t), _) => t.text(key).to_owned(),
            (None, Some(p)) => p.sections.text(key).to_owned(),
            (None, None) => String::new(),
        }
    }

    pub fn editable(&self) -> bool {
        self.can.edit && self.status() == Some(PlanStatus::Draft)
    }

    pub fn status(&self) -> Option<PlanStatus> {
        self.plan.as_ref().map(|p| p.status)
    }

    pub fn status_text(&self, p: &OutagePlan) -> String {
        self.c.t(&format!("plan-status-{}", p.status.as_str()))
    }

    pub fn label(&self, key: &str) -> String {
        section_label(&self.c, key)
    }
}

async fn view(
    cx: &Cx,
    org: Organisation,
    sid: SystemId,
    which: Option<i32>,
    typed: Option<OutagePlanSections>,
    errors: FieldErrors,
) -> AppResult<Response> {
    let store = cx.store();
    let s = store.get_system(org.id, sid).await?;
    let versions = store.outage_plans(org.id, sid).await?;
    let plan = match which {
        Some(v) => Some(
            versions
                .iter()
                .find(|p| p.version == v)
                .cloned()
                .ok_or(AppError::NotFound)?,
        ),
        None => versions.first().cloned(),
    };
    let can = cx.on_system(org.id, sid).await?;
    let page = OutagePlanPage {
        c: cx.chrome(Some(org), "systems"),
        s,
        plan,
        versions,
        can,
        typed,
        errors,
    };
    Ok(form_page(&page.errors, &page))
}

fn back(org: &Organisation, sid: SystemId, version: i32) -> AppResult<Response> {
    see(format!(
        "/o/{}/systems/{sid}/outage-plan/{version}?saved=1#outage-plan",
        org.slug
    ))
}

pub(super) async fn current(cx: Cx, at: SystemPath) -> AppResult<Response> {
    view(&cx, at.org, at.system, None, None, FieldErrors::new()).await
}

pub(super) async fn version(cx: Cx, at: SystemPath) -> AppResult<Response> {
    let v = at.params.id("version")?;
    view(&cx, at.org, at.system, Some(v), None, FieldErrors::new()).await
}

pub(super) async fn start(cx: Cx, at: SystemPath) -> AppResult<Response> {
    let p = cx
        .store()
        .new_outage_plan(&cx.actor, at.org.id, at.system)
        .await?;
    back(&at.org, at.system, p.version)
}

pub(super) async fn save(cx: Cx, at: SystemPath, f: FormData) -> AppResult<Response> {
    let SystemPath {
        org,
        system,
        params,
    } = at;
    let v: i32 = params.id("version")?;
    let mut typed = OutagePlanSections::default();
    for k in OUTAGE_PLAN_SECTIONS {
        if f.0.iter().any(|(name, _)| name == k) {
            typed.set(k, Some(f.get(k).to_owned()));
        }
    }
    let edit = async |d| {
        cx.store()
            .edit_outage_plan(&cx.actor, org.id, system, v, d)
            .await
    };
    match submit(Ok(typed.clone()), edit).await? {
        Posted::Done(_) => back(&org, system, v),
        Posted::Invalid(e) => view(&cx, org, system, Some(v), Some(typed), e).await,
    }
}

/// Moves a plan; the route's permission decides who may (only the owner approves).
async fn step(cx: Cx, at: SystemPath, action: PlanAction) -> AppResult<Response> {
    let SystemPath {
        org,
        system,
        params,
    } = at;
    let v: i32 = params.id("version")?;
    let act = async |a| {
        cx.store()
            .move_outage_plan(&cx.actor, org.id, system, v, a)
            .await
    };
    match submit(Ok(action), act).await? {
        Posted::Done(_) => back(&org, system, v),
        Posted::Invalid(e) => view(&cx, org, system, Some(v), None, e).await,
    }
}

pub(super) async fn submit_plan(cx: Cx, at: SystemPath) -> AppResult<Response> {
    step(cx, at, PlanAction::Submit).await
}

pub(super) async fn return_plan(cx: Cx, at: SystemPath) -> AppResult<Response> {
    step(cx, at, PlanAction::Return).await
}

pub(super) async fn approve_plan(cx: Cx, at: SystemPath) -> AppResult<Response> {
    step(cx, at, PlanAction::Approve).await
}

#[derive(Template)]
#[template(path = "outage_plan_print.html")]
pub(super) struct OutagePlanPrint {
    c: Chrome,
    s: System,
    plan: OutagePlan,
    owners: Vec<String>,
    unit: Option<String>,
}

impl OutagePlanPrint {
    pub fn sections(&self) -> &'static [&'static str] {
        OUTAGE_PLAN_SECTIONS
    }

    pub fn text(&self, key: &str) -> &str {
        self.plan.sections.text(key)
    }

    pub fn label(&self, key: &str) -> String {
        section_label(&self.c, key)
    }
}

pub(super) async fn print(cx: Cx, at: SystemPath) -> AppResult<Response> {
    let store = cx.store();
    let (o, sid) = (at.org, at.system);
    let s = store.get_system(o.id, sid).await?;
    let plan = store
        .outage_plan(o.id, sid, at.params.id("version")?)
        .await?;
    let (owners, unit) = super::security::plan::print_heading(store, o.id, &s).await?;
    Ok(render(&OutagePlanPrint {
        c: cx.chrome(Some(o), "systems"),
        s,
        plan,
        owners,
        unit,
    }))
}

/// A section's heading: its key, with hyphens, names the message.
fn section_label(c: &Chrome, key: &str) -> String {
    c.t(&format!("outage-plan-section-{}", key.replace('_', "-")))
}
