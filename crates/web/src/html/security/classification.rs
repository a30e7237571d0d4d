//! Classifying a system's information (KLASSA) and deciding whether it is
//! business-critical.

use super::super::*;
use super::{ShowsLevels, back};
use crate::context::SystemPath;
use insyn_domain::auth::OnSystem;
use insyn_domain::security::*;
use insyn_store::security::{DecisionDraft, ScaleLevel, SecurityState};
use uuid::Uuid;

#[derive(Template)]
#[template(path = "security.html")]
pub(in crate::html) struct SecurityPage {
    c: Chrome,
    s: System,
    st: SecurityState,
    scale: Vec<ScaleLevel>,
    traceability: bool,
    can: OnSystem,
    errors: FieldErrors,
    /// Which form the errors belong to.
    form: String,
}

impl ShowsLevels for SecurityPage {
    fn levels(&self) -> (&[ScaleLevel], Lang, &SecurityState) {
        (&self.scale, self.c.lang, &self.st)
    }
}

impl SecurityPage {
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
    cx: &Cx,
    org: Organisation,
    sid: SystemId,
    errors: FieldErrors,
    form: &str,
) -> AppResult<Response> {
    let s = cx.store().get_system(org.id, sid).await?;
    let st = cx.store().security_state(org.id, sid).await?;
    let (scale, traceability) = cx.store().classification_scale(org.id).await?;
    let can = cx.on_system(org.id, sid).await?;
    let page = SecurityPage {
        c: cx.chrome(Some(org), "systems"),
        s,
        st,
        scale,
        traceability,
        can,
        errors,
        form: form.to_owned(),
    };
    Ok(form_page(&page.errors, &page))
}

pub(in crate::html) async fn security_page(cx: Cx, at: SystemPath) -> AppResult<Response> {
    security_view(&cx, at.org, at.system, FieldErrors::new(), "").await
}

pub(in crate::html) async fn create_set(
    cx: Cx,
    SystemPath { org, system, .. }: SystemPath,
    f: FormData,
) -> AppResult<Response> {
    let draft = InformationSetDraft {
        name: f.get("name").to_owned(),
        description: f.opt("description"),
        personal_data: f.checked("personal_data"),
        sensitive_personal_data: f.checked("sensitive_personal_data"),
    };
    let create = async |d| {
        let store = cx.store();
        store
            .create_information_set(&cx.actor, org.id, system, d)
            .await
    };
    match submit(Ok(draft), create).await? {
        Posted::Done(_) => back(&org, system, "security", "sets"),
        Posted::Invalid(e) => security_view(&cx, org, system, e, "set").await,
    }
}

/// The classification the form gives, or what is wrong with it.
fn classification_draft(f: &FormData) -> Result<ClassificationDraft, FieldErrors> {
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
    if !e.is_empty() {
        return Err(e);
    }
    Ok(ClassificationDraft {
        confidentiality: c.unwrap_or_default(),
        integrity: i.unwrap_or_default(),
        availability: a.unwrap_or_default(),
        traceability: t,
        justification: f.get("justification").to_owned(),
        valid_until,
    })
}

pub(in crate::html) async fn classify_set(
    cx: Cx,
    SystemPath {
        org,
        system,
        params,
    }: SystemPath,
    f: FormData,
) -> AppResult<Response> {
    let set: Uuid = params.id("set")?;
    let draft = classification_draft(&f);
    let classify = async |d| cx.store().classify(&cx.actor, org.id, system, set, d).await;
    match submit(draft, classify).await? {
        Posted::Done(_) => back(&org, system, "security", "sets"),
        Posted::Invalid(e) => {
            let form = format!("classify-{set}");
            security_view(&cx, org, system, e, &form).await
        }
    }
}

pub(in crate::html) async fn decide_critical(
    cx: Cx,
    SystemPath { org, system, .. }: SystemPath,
    f: FormData,
) -> AppResult<Response> {
    let d = DecisionDraft {
        critical: f.get("critical") == "true",
        owner_name: f.get("owner_name").to_owned(),
        it_name: f.get("it_name").to_owned(),
        note: f.opt("note"),
    };
    let decide = async |d: DecisionDraft| {
        let store = cx.store();
        store.decide_critical(&cx.actor, org.id, system, &d).await
    };
    match submit(Ok(d), decide).await? {
        Posted::Done(_) => back(&org, system, "security", "decision"),
        Posted::Invalid(e) => security_view(&cx, org, system, e, "decision").await,
    }
}
