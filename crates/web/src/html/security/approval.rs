//! The operational approval: drawing it up with its baseline and measures,
//! and the two signatures (the business's owner, and IT).

use super::super::*;
use super::back;
use crate::context::SystemPath;
use insyn_domain::auth::OnSystem;
use insyn_domain::security::*;
use insyn_store::security::SecurityState;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "approval.html")]
pub(in crate::html) struct ApprovalPage {
    c: Chrome,
    s: System,
    approvals: Vec<Approval>,
    st: SecurityState,
    can: OnSystem,
    errors: FieldErrors,
    baseline: String,
    measures: String,
}

impl ApprovalPage {
    pub fn base(&self) -> String {
        format!("/o/{}/systems/{}", self.c.org_slug(), self.s.id)
    }

    pub fn status_text(&self, a: &Approval) -> String {
        self.c.t(&format!("approval-status-{}", a.status.as_str()))
    }

    pub fn reason_text(&self, r: &RenewalReason) -> String {
        let key = serde_json::to_value(r)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        self.c.t(&format!("renewal-{key}"))
    }

    pub fn rests_on(&self, a: &Approval) -> String {
        let when = self
            .st
            .information_sets
            .iter()
            .flat_map(|s| s.current.iter())
            .map(|c| c.classified_at)
            .max()
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        let version = a.plan_version.map(|v| v.to_string()).unwrap_or_default();
        self.c
            .lang
            .t_args("approval-rests-on", &[("when", when), ("version", version)])
    }
}

async fn approval_view(
    cx: &Cx,
    org: Organisation,
    sid: SystemId,
    errors: FieldErrors,
    form: &FormData,
) -> AppResult<Response> {
    let s = cx.store().get_system(org.id, sid).await?;
    let approvals = cx.store().approvals(org.id, sid).await?;
    let st = cx.store().security_state(org.id, sid).await?;
    let can = cx.on_system(org.id, sid).await?;
    let page = ApprovalPage {
        c: cx.chrome(Some(org), "systems"),
        s,
        approvals,
        st,
        can,
        errors,
        baseline: form.get("baseline").to_owned(),
        measures: form.get("measures").to_owned(),
    };
    Ok(form_page(&page.errors, &page))
}

pub(in crate::html) async fn approval_page(cx: Cx, at: SystemPath) -> AppResult<Response> {
    approval_view(
        &cx,
        at.org,
        at.system,
        FieldErrors::new(),
        &FormData::default(),
    )
    .await
}

/// "Åtgärd | Ansvarig | 2026-06-30", one per line.
fn parse_measures(text: &str, e: &mut FieldErrors) -> Vec<Measure> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .filter_map(|l| {
            let parts: Vec<&str> = l.split('|').map(str::trim).collect();
            match parts.as_slice() {
                [d, o, date] => match v::parse_date(date) {
                    Ok(deadline) => Some(Measure {
                        description: (*d).to_owned(),
                        owner: (*o).to_owned(),
                        deadline,
                        done: false,
                    }),
                    Err(code) => {
                        e.add("measures", code);
                        None
                    }
                },
                _ => {
                    e.add("measures", v::UNKNOWN_CHOICE);
                    None
                }
            }
        })
        .collect()
}

pub(in crate::html) async fn create_approval(
    cx: Cx,
    SystemPath { org, system, .. }: SystemPath,
    f: FormData,
) -> AppResult<Response> {
    let mut e = FieldErrors::new();
    let measures = parse_measures(f.get("measures"), &mut e);
    let draft = match e.is_empty() {
        true => Ok(ApprovalDraft {
            baseline: f.get("baseline").to_owned(),
            measures,
        }),
        false => Err(e),
    };
    let create = async |d| {
        cx.store()
            .create_approval(&cx.actor, org.id, system, d)
            .await
    };
    match submit(draft, create).await? {
        Posted::Done(_) => back(&org, system, "approval", "approval"),
        Posted::Invalid(e) => approval_view(&cx, org, system, e, &f).await,
    }
}

/// Signs an approval; the route's permission decides who may.
async fn sign(cx: Cx, at: SystemPath, as_owner: bool) -> AppResult<Response> {
    let SystemPath {
        org,
        system,
        params,
    } = at;
    let approval: Uuid = params.id("approval")?;
    let sign = async |owner| {
        let store = cx.store();
        store
            .sign_approval(&cx.actor, org.id, system, approval, owner)
            .await
    };
    match submit(Ok(as_owner), sign).await? {
        Posted::Done(_) => back(&org, system, "approval", "approval"),
        Posted::Invalid(e) => approval_view(&cx, org, system, e, &FormData::default()).await,
    }
}

pub(in crate::html) async fn sign_owner(cx: Cx, at: SystemPath) -> AppResult<Response> {
    sign(cx, at, true).await
}

pub(in crate::html) async fn sign_it(cx: Cx, at: SystemPath) -> AppResult<Response> {
    sign(cx, at, false).await
}
