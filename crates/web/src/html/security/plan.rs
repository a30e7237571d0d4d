//! The system security plan: its versions, editing a draft, moving it
//! through review to approval, and the print view.

use super::super::*;
use super::{ShowsLevels, back};
use crate::context::SystemPath;
use insyn_domain::auth::OnSystem;
use insyn_domain::security::*;
use insyn_store::security::{ScaleLevel, SecurityState};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "plan.html")]
pub(in crate::html) struct PlanPage {
    c: Chrome,
    s: System,
    plan: Option<SecurityPlan>,
    versions: Vec<SecurityPlan>,
    can: OnSystem,
    errors: FieldErrors,
}

impl PlanPage {
    pub fn base(&self) -> String {
        format!("/o/{}/systems/{}", self.c.org_slug(), self.s.id)
    }

    pub fn sections(&self) -> &'static [&'static str] {
        PLAN_SECTIONS
    }

    pub fn text(&self, key: &str) -> String {
        self.plan
            .as_ref()
            .and_then(|p| p.sections.get(key).cloned())
            .unwrap_or_default()
    }

    pub fn editable(&self) -> bool {
        self.can.edit
            && self
                .plan
                .as_ref()
                .is_some_and(|p| p.status == PlanStatus::Draft)
    }

    pub fn status_text(&self, p: &SecurityPlan) -> String {
        self.c.t(&format!("plan-status-{}", p.status.as_str()))
    }
}

async fn plan_view(
    cx: &Cx,
    org: Organisation,
    sid: SystemId,
    which: Option<Uuid>,
    errors: FieldErrors,
) -> AppResult<Response> {
    let s = cx.store().get_system(org.id, sid).await?;
    let versions = cx.store().plans(org.id, sid).await?;
    let plan = match which {
        Some(id) => Some(cx.store().plan(org.id, sid, id).await?),
        None => versions.first().cloned(),
    };
    let can = cx.on_system(org.id, sid).await?;
    let page = PlanPage {
        c: cx.chrome(Some(org), "systems"),
        s,
        plan,
        versions,
        can,
        errors,
    };
    Ok(form_page(&page.errors, &page))
}

pub(in crate::html) async fn plan_page(cx: Cx, at: SystemPath) -> AppResult<Response> {
    plan_view(&cx, at.org, at.system, None, FieldErrors::new()).await
}

pub(in crate::html) async fn plan_version_page(cx: Cx, at: SystemPath) -> AppResult<Response> {
    let plan = Some(at.params.id("plan")?);
    plan_view(&cx, at.org, at.system, plan, FieldErrors::new()).await
}

pub(in crate::html) async fn start_plan(cx: Cx, at: SystemPath) -> AppResult<Response> {
    let store = cx.store();
    store
        .new_plan_version(&cx.actor, at.org.id, at.system)
        .await?;
    back(&at.org, at.system, "plan", "plan")
}

pub(in crate::html) async fn save_plan(
    cx: Cx,
    SystemPath {
        org,
        system,
        params,
    }: SystemPath,
    f: FormData,
) -> AppResult<Response> {
    let plan: Uuid = params.id("plan")?;
    let sections: BTreeMap<String, String> = PLAN_SECTIONS
        .iter()
        .filter(|k| f.0.iter().any(|(name, _)| name == *k))
        .map(|k| ((*k).to_owned(), f.get(k).to_owned()))
        .collect();
    let edit = async |d| {
        cx.store()
            .edit_plan(&cx.actor, org.id, system, plan, d)
            .await
    };
    let posted = submit(Ok(sections), edit).await?;
    after(&cx, org, system, plan, posted).await
}

/// After a post on a plan: back to it, or the plan again with the errors.
async fn after<T>(
    cx: &Cx,
    org: Organisation,
    system: SystemId,
    plan: Uuid,
    posted: Posted<T>,
) -> AppResult<Response> {
    match posted {
        Posted::Done(_) => back(&org, system, "plan", "plan"),
        Posted::Invalid(e) => plan_view(cx, org, system, Some(plan), e).await,
    }
}

/// Moves a plan; the route's permission decides who may (only the owner approves).
async fn move_plan(cx: Cx, at: SystemPath, action: PlanAction) -> AppResult<Response> {
    let SystemPath {
        org,
        system,
        params,
    } = at;
    let plan: Uuid = params.id("plan")?;
    let step = async |a| {
        cx.store()
            .move_plan(&cx.actor, org.id, system, plan, a)
            .await
    };
    let posted = submit(Ok(action), step).await?;
    after(&cx, org, system, plan, posted).await
}

pub(in crate::html) async fn submit_plan(cx: Cx, at: SystemPath) -> AppResult<Response> {
    move_plan(cx, at, PlanAction::Submit).await
}

pub(in crate::html) async fn return_plan(cx: Cx, at: SystemPath) -> AppResult<Response> {
    move_plan(cx, at, PlanAction::Return).await
}

pub(in crate::html) async fn approve_plan(cx: Cx, at: SystemPath) -> AppResult<Response> {
    move_plan(cx, at, PlanAction::Approve).await
}

#[derive(Template)]
#[template(path = "plan_print.html")]
pub(in crate::html) struct PlanPrint {
    c: Chrome,
    s: System,
    plan: SecurityPlan,
    st: SecurityState,
    scale: Vec<ScaleLevel>,
    owners: Vec<String>,
    unit: Option<String>,
}

impl ShowsLevels for PlanPrint {
    fn levels(&self) -> (&[ScaleLevel], Lang, &SecurityState) {
        (&self.scale, self.c.lang, &self.st)
    }
}

impl PlanPrint {
    pub fn sections(&self) -> &'static [&'static str] {
        PLAN_SECTIONS
    }

    pub fn text(&self, key: &str) -> String {
        self.plan.sections.get(key).cloned().unwrap_or_default()
    }

    pub fn aspects(&self) -> [Aspect; 3] {
        [
            Aspect::Confidentiality,
            Aspect::Integrity,
            Aspect::Availability,
        ]
    }
}

pub(in crate::html) async fn plan_print(
    cx: Cx,
    SystemPath {
        org: o,
        system: sid,
        params,
    }: SystemPath,
) -> AppResult<Response> {
    let store = cx.store();
    let s = store.get_system(o.id, sid).await?;
    let plan = store.plan(o.id, sid, params.id("plan")?).await?;
    let st = store.security_state(o.id, sid).await?;
    let (scale, _) = store.classification_scale(o.id).await?;
    let (owners, unit) = print_heading(store, o.id, &s).await?;
    Ok(render(&PlanPrint {
        c: cx.chrome(Some(o), "systems"),
        s,
        plan,
        st,
        scale,
        owners,
        unit,
    }))
}

/// What a printed plan's heading names: the system's current owners and
/// its responsible unit.
pub(in crate::html) async fn print_heading(
    store: &insyn_store::Store,
    org: OrgId,
    s: &System,
) -> AppResult<(Vec<String>, Option<String>)> {
    let owners = store
        .system_roles(org, s.id)
        .await?
        .into_iter()
        .filter(|a| a.current && a.role_code == SYSTEM_OWNER)
        .map(|a| a.person_name)
        .collect();
    let unit = match s.responsible_unit_id {
        Some(u) => store.get_unit(org, u).await.ok().map(|u| u.name),
        None => None,
    };
    Ok((owners, unit))
}
