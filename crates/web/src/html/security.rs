//! The security pages of a system: classification of its information, the
//! decision on business-criticality, the system security plan (with a print
//! view) and the operational approval.

use super::*;
use crate::auth::Principal;
use insyn_domain::security::*;
use insyn_store::security::{DecisionDraft, ScaleLevel, SecurityState};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Who may do what on this system's security pages.
pub struct Abilities {
    pub edit: bool,
    pub owner: bool,
    pub it: bool,
}

pub(super) async fn abilities(
    state: &AppState,
    me: &Option<Principal>,
    org: OrgId,
    system: SystemId,
) -> Abilities {
    let Some(me) = me else {
        return Abilities {
            edit: false,
            owner: false,
            it: false,
        };
    };
    let role = me.role_in(org);
    let owner = state
        .store
        .holds_role(org, system, &me.user.email, SYSTEM_OWNER)
        .await
        .unwrap_or(false);
    let edit = role.is_some_and(|r| r.allows(Permission::EditSystem))
        || state
            .store
            .holds_editing_role(org, system, &me.user.email)
            .await
            .unwrap_or(false);
    let it = matches!(
        role,
        Some(AppRole::Administrator | AppRole::SecurityCoordinator)
    );
    Abilities { edit, owner, it }
}

/// The name of a level in the organisation's scale, in the user's language.
fn level_name(scale: &[ScaleLevel], lang: Lang, level: Option<i16>) -> String {
    match level {
        None => lang.t("security-not-classified"),
        Some(l) => scale
            .iter()
            .find(|s| s.level == l)
            .map(|s| {
                let name = if lang == Lang::En {
                    &s.name_en
                } else {
                    &s.name_sv
                };
                format!("{l} – {name}")
            })
            .unwrap_or_else(|| l.to_string()),
    }
}

#[derive(Template)]
#[template(path = "security.html")]
pub(super) struct SecurityPage {
    c: Chrome,
    s: System,
    st: SecurityState,
    scale: Vec<ScaleLevel>,
    traceability: bool,
    can: Abilities,
    errors: FieldErrors,
    /// Which form the errors belong to.
    form: String,
}

impl SecurityPage {
    pub fn level(&self, a: &Aspect) -> String {
        level_name(&self.scale, self.c.lang, self.st.levels.get(*a))
    }

    pub fn set_level(&self, set: &InformationSet, a: &Aspect) -> String {
        level_name(
            &self.scale,
            self.c.lang,
            set.current.as_ref().and_then(|c| c.level(*a)),
        )
    }

    pub fn aspects(&self) -> Vec<Aspect> {
        Aspect::ALL
            .into_iter()
            .filter(|a| *a != Aspect::Traceability || self.traceability)
            .collect()
    }

    pub fn base(&self) -> String {
        format!("/o/{}/systems/{}", self.c.org_slug(), self.s.id)
    }
}

async fn security_view(
    state: &AppState,
    lang: Lang,
    uri: &Here,
    org: Organisation,
    sid: SystemId,
    errors: FieldErrors,
    form: &str,
) -> AppResult<Response> {
    let s = state.store.get_system(org.id, sid).await?;
    let st = state.store.security_state(org.id, sid).await?;
    let (scale, traceability) = state.store.classification_scale(org.id).await?;
    let can = abilities(state, &uri.me, org.id, sid).await;
    let status = form_status(&errors);
    Ok(render_status(
        status,
        &SecurityPage {
            c: Chrome::new(lang, uri, Some(org), "systems"),
            s,
            st,
            scale,
            traceability,
            can,
            errors,
            form: form.to_owned(),
        },
    ))
}

pub(super) async fn security_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    Path((org, sid)): Path<(String, String)>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    security_view(
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

/// After a successful post, back to the page (post/redirect/get).
fn back(org: &Organisation, sid: SystemId, page: &str, anchor: &str) -> Response {
    Redirect::to(&format!(
        "/o/{}/systems/{sid}/{page}?saved=1#{anchor}",
        org.slug
    ))
    .into_response()
}

pub(super) async fn create_set(
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
    let draft = InformationSetDraft {
        name: f.get("name").to_owned(),
        description: f.opt("description"),
        personal_data: f.checked("personal_data"),
        sensitive_personal_data: f.checked("sensitive_personal_data"),
    };
    match state
        .store
        .create_information_set(&actor, o.id, sid, draft)
        .await
    {
        Ok(_) => Ok(back(&o, sid, "security", "sets")),
        Err(insyn_store::StoreError::Invalid(e)) => {
            security_view(&state, lang, &uri, o, sid, e, "set").await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn classify_set(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    Path((org, sid, set)): Path<(String, String, String)>,
    body: Bytes,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let sid: SystemId = parse_id(&sid)?;
    let set: Uuid = parse_id(&set)?;
    let f = FormData::parse(&body);
    let mut e = FieldErrors::new();
    let mut level = |field: &str| -> Option<i16> {
        match f.get(field) {
            "" => None,
            s => s.parse().map_err(|_| e.add(field, v::UNKNOWN_CHOICE)).ok(),
        }
    };
    let (c, i, a, t) = (
        level("confidentiality"),
        level("integrity"),
        level("availability"),
        level("traceability"),
    );
    for (field, value) in [
        ("confidentiality", c),
        ("integrity", i),
        ("availability", a),
    ] {
        if value.is_none() && e.get(field).is_none() {
            e.add(field, v::REQUIRED);
        }
    }
    let valid_until = match f.get("valid_until") {
        "" => None,
        s => v::parse_date(s)
            .map_err(|code| e.add("valid_until", code))
            .ok(),
    };
    let form = format!("classify-{set}");
    if !e.is_empty() {
        return security_view(&state, lang, &uri, o, sid, e, &form).await;
    }
    let draft = ClassificationDraft {
        confidentiality: c.unwrap_or_default(),
        integrity: i.unwrap_or_default(),
        availability: a.unwrap_or_default(),
        traceability: t,
        justification: f.get("justification").to_owned(),
        valid_until,
    };
    match state.store.classify(&actor, o.id, sid, set, draft).await {
        Ok(_) => Ok(back(&o, sid, "security", "sets")),
        Err(insyn_store::StoreError::Invalid(e)) => {
            security_view(&state, lang, &uri, o, sid, e, &form).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn decide(
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
    let d = DecisionDraft {
        critical: f.get("critical") == "true",
        owner_name: f.get("owner_name").to_owned(),
        it_name: f.get("it_name").to_owned(),
        note: f.opt("note"),
    };
    match state
        .store
        .decide_business_critical(&actor, o.id, sid, &d)
        .await
    {
        Ok(_) => Ok(back(&o, sid, "security", "decision")),
        Err(insyn_store::StoreError::Invalid(e)) => {
            security_view(&state, lang, &uri, o, sid, e, "decision").await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "plan.html")]
pub(super) struct PlanPage {
    c: Chrome,
    s: System,
    plan: Option<SecurityPlan>,
    versions: Vec<SecurityPlan>,
    can: Abilities,
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
    state: &AppState,
    lang: Lang,
    uri: &Here,
    org: Organisation,
    sid: SystemId,
    which: Option<Uuid>,
    errors: FieldErrors,
) -> AppResult<Response> {
    let s = state.store.get_system(org.id, sid).await?;
    let versions = state.store.plans(org.id, sid).await?;
    let plan = match which {
        Some(id) => Some(state.store.plan(org.id, sid, id).await?),
        None => versions.first().cloned(),
    };
    let can = abilities(state, &uri.me, org.id, sid).await;
    let status = form_status(&errors);
    Ok(render_status(
        status,
        &PlanPage {
            c: Chrome::new(lang, uri, Some(org), "systems"),
            s,
            plan,
            versions,
            can,
            errors,
        },
    ))
}

pub(super) async fn plan_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    Path((org, sid)): Path<(String, String)>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    plan_view(
        &state,
        lang,
        &uri,
        o,
        parse_id(&sid)?,
        None,
        FieldErrors::new(),
    )
    .await
}

pub(super) async fn plan_version_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    Path((org, sid, plan)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    plan_view(
        &state,
        lang,
        &uri,
        o,
        parse_id(&sid)?,
        Some(parse_id(&plan)?),
        FieldErrors::new(),
    )
    .await
}

pub(super) async fn start_plan(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    Path((org, sid)): Path<(String, String)>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let sid: SystemId = parse_id(&sid)?;
    state.store.new_plan_version(&actor, o.id, sid).await?;
    Ok(back(&o, sid, "plan", "plan"))
}

pub(super) async fn save_plan(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    Path((org, sid, plan)): Path<(String, String, String)>,
    body: Bytes,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let sid: SystemId = parse_id(&sid)?;
    let plan: Uuid = parse_id(&plan)?;
    let f = FormData::parse(&body);
    let sections: BTreeMap<String, String> = PLAN_SECTIONS
        .iter()
        .filter(|k| f.0.iter().any(|(name, _)| name == *k))
        .map(|k| ((*k).to_owned(), f.get(k).to_owned()))
        .collect();
    match state
        .store
        .edit_plan(&actor, o.id, sid, plan, sections)
        .await
    {
        Ok(_) => Ok(back(&o, sid, "plan", "plan")),
        Err(insyn_store::StoreError::Invalid(e)) => {
            plan_view(&state, lang, &uri, o, sid, Some(plan), e).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Moves a plan; the route's permission decides who may (only the owner approves).
async fn move_plan(
    state: AppState,
    lang: Lang,
    uri: Here,
    actor: insyn_store::Actor,
    (org, sid, plan): (String, String, String),
    action: PlanAction,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let sid: SystemId = parse_id(&sid)?;
    let plan: Uuid = parse_id(&plan)?;
    match state.store.move_plan(&actor, o.id, sid, plan, action).await {
        Ok(_) => Ok(back(&o, sid, "plan", "plan")),
        Err(insyn_store::StoreError::Invalid(e)) => {
            plan_view(&state, lang, &uri, o, sid, Some(plan), e).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn submit_plan(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    Path(path): Path<(String, String, String)>,
) -> AppResult<Response> {
    move_plan(state, lang, uri, actor, path, PlanAction::Submit).await
}

pub(super) async fn return_plan(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    Path(path): Path<(String, String, String)>,
) -> AppResult<Response> {
    move_plan(state, lang, uri, actor, path, PlanAction::Return).await
}

pub(super) async fn approve_plan(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    Path(path): Path<(String, String, String)>,
) -> AppResult<Response> {
    move_plan(state, lang, uri, actor, path, PlanAction::Approve).await
}

#[derive(Template)]
#[template(path = "plan_print.html")]
pub(super) struct PlanPrint {
    c: Chrome,
    s: System,
    plan: SecurityPlan,
    st: SecurityState,
    scale: Vec<ScaleLevel>,
    owners: Vec<String>,
    unit: Option<String>,
}

impl PlanPrint {
    pub fn sections(&self) -> &'static [&'static str] {
        PLAN_SECTIONS
    }

    pub fn text(&self, key: &str) -> String {
        self.plan.sections.get(key).cloned().unwrap_or_default()
    }

    pub fn level(&self, a: &Aspect) -> String {
        level_name(&self.scale, self.c.lang, self.st.levels.get(*a))
    }

    pub fn set_level(&self, set: &InformationSet, a: &Aspect) -> String {
        level_name(
            &self.scale,
            self.c.lang,
            set.current.as_ref().and_then(|c| c.level(*a)),
        )
    }

    pub fn aspects(&self) -> [Aspect; 3] {
        [
            Aspect::Confidentiality,
            Aspect::Integrity,
            Aspect::Availability,
        ]
    }
}

pub(super) async fn plan_print(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    Path((org, sid, plan)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let sid: SystemId = parse_id(&sid)?;
    let s = state.store.get_system(o.id, sid).await?;
    let plan = state.store.plan(o.id, sid, parse_id(&plan)?).await?;
    let st = state.store.security_state(o.id, sid).await?;
    let (scale, _) = state.store.classification_scale(o.id).await?;
    let owners = state
        .store
        .system_roles(o.id, sid)
        .await?
        .into_iter()
        .filter(|a| a.current && a.role_code == SYSTEM_OWNER)
        .map(|a| a.person_name)
        .collect();
    let unit = match s.responsible_unit_id {
        Some(u) => state.store.get_unit(o.id, u).await.ok().map(|u| u.name),
        None => None,
    };
    Ok(render(&PlanPrint {
        c: Chrome::new(lang, &uri, Some(o), "systems"),
        s,
        plan,
        st,
        scale,
        owners,
        unit,
    }))
}

#[derive(Template)]
#[template(path = "approval.html")]
pub(super) struct ApprovalPage {
    c: Chrome,
    s: System,
    approvals: Vec<Approval>,
    st: SecurityState,
    can: Abilities,
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
    state: &AppState,
    lang: Lang,
    uri: &Here,
    org: Organisation,
    sid: SystemId,
    errors: FieldErrors,
    form: &FormData,
) -> AppResult<Response> {
    let s = state.store.get_system(org.id, sid).await?;
    let approvals = state.store.approvals(org.id, sid).await?;
    let st = state.store.security_state(org.id, sid).await?;
    let can = abilities(state, &uri.me, org.id, sid).await;
    let status = form_status(&errors);
    Ok(render_status(
        status,
        &ApprovalPage {
            c: Chrome::new(lang, uri, Some(org), "systems"),
            s,
            approvals,
            st,
            can,
            errors,
            baseline: form.get("baseline").to_owned(),
            measures: form.get("measures").to_owned(),
        },
    ))
}

pub(super) async fn approval_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    Path((org, sid)): Path<(String, String)>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    approval_view(
        &state,
        lang,
        &uri,
        o,
        parse_id(&sid)?,
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

pub(super) async fn create_approval(
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
    let measures = parse_measures(f.get("measures"), &mut e);
    if !e.is_empty() {
        return approval_view(&state, lang, &uri, o, sid, e, &f).await;
    }
    let draft = ApprovalDraft {
        baseline: f.get("baseline").to_owned(),
        measures,
    };
    match state.store.create_approval(&actor, o.id, sid, draft).await {
        Ok(_) => Ok(back(&o, sid, "approval", "approval")),
        Err(insyn_store::StoreError::Invalid(e)) => {
            approval_view(&state, lang, &uri, o, sid, e, &f).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Signs an approval; the route's permission decides who may.
async fn sign(
    state: AppState,
    lang: Lang,
    uri: Here,
    actor: insyn_store::Actor,
    (org, sid, approval): (String, String, String),
    as_owner: bool,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let sid: SystemId = parse_id(&sid)?;
    let approval: Uuid = parse_id(&approval)?;
    match state
        .store
        .sign_approval(&actor, o.id, sid, approval, as_owner)
        .await
    {
        Ok(_) => Ok(back(&o, sid, "approval", "approval")),
        Err(insyn_store::StoreError::Invalid(e)) => {
            approval_view(&state, lang, &uri, o, sid, e, &FormData::default()).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn sign_as_owner(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    Path(path): Path<(String, String, String)>,
) -> AppResult<Response> {
    sign(state, lang, uri, actor, path, true).await
}

pub(super) async fn sign_for_it(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    Path(path): Path<(String, String, String)>,
) -> AppResult<Response> {
    sign(state, lang, uri, actor, path, false).await
}
