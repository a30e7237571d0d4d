//! A mover's roles: the old unit's manager (or, without one, a security
//! coordinator) hands each role over to a successor or keeps it with the
//! person who moved. Listed in "Mina uppgifter"; one role at a time here.

use super::*;
use crate::access_facts::coordinates;
use crate::auth::Principal;
use crate::context::{OrgPath, PathParams};
use crate::forms::opt_id;
use insyn_domain::access::RoleHandoverDraft;
use insyn_store::movers::RoleHandover;

/// The item named in the path, when the caller is the one asked.
async fn asked(
    cx: &Cx,
    me: &Principal,
    org: OrgId,
    params: &PathParams,
) -> AppResult<RoleHandover> {
    let h = cx
        .store()
        .role_handover(org, params.id("handover")?)
        .await?;
    if h.may_settle(&me.user.email, coordinates(me, org)) {
        Ok(h)
    } else {
        Err(AppError::ForbiddenBecause("handover-not-yours"))
    }
}

async fn handover_form(
    cx: &Cx,
    o: Organisation,
    h: RoleHandover,
    form: FormData,
    errors: FieldErrors,
) -> AppResult<Response> {
    let people = cx
        .store()
        .people_if_few(o.id, 2000)
        .await?
        .into_iter()
        .filter(|p| p.active && p.id != h.person_id)
        .map(|p| (p.id.to_string(), p.name))
        .collect();
    let mut field = FormField::select(
        "successor_id",
        "transfer-successor",
        form.get("successor_id").to_owned(),
        people,
    );
    field.required = true;
    Ok(SimpleForm {
        heading: format!(
            "{}: {} – {} ({})",
            cx.t("handover-title"),
            h.person_name,
            h.role_name(cx.lang.code()),
            h.target_name
        ),
        action: format!("/o/{}/role-handovers/{}", o.slug, h.id),
        cancel: format!("/o/{}/tasks", o.slug),
        fields: vec![field],
        errors,
        c: cx.chrome(Some(o), "tasks"),
    }
    .respond())
}

pub(super) async fn handover_page(
    cx: Cx,
    me: Principal,
    OrgPath { org, params }: OrgPath,
) -> AppResult<Response> {
    let h = asked(&cx, &me, org.id, &params).await?;
    handover_form(&cx, org, h, FormData::default(), FieldErrors::new()).await
}

/// Hands the role over (`successor_id`) or keeps it (`keep`).
pub(super) async fn settle_handover(
    cx: Cx,
    me: Principal,
    OrgPath { org, params }: OrgPath,
    form: FormData,
) -> AppResult<Response> {
    let h = asked(&cx, &me, org.id, &params).await?;
    let mut e = FieldErrors::new();
    let keep = !form.get("keep").is_empty();
    let successor_id = if keep {
        None
    } else {
        opt_id(&form, "successor_id", &mut e)
    };
    let draft = if e.is_empty() {
        Ok(RoleHandoverDraft { keep, successor_id })
    } else {
        Err(e)
    };
    let settle = async |d| {
        cx.store()
            .settle_role_handover(&cx.actor, org.id, h.id, d)
            .await
    };
    match submit(draft, settle).await? {
        Posted::Done(_) => see(format!("/o/{}/tasks", org.slug)),
        Posted::Invalid(errors) => handover_form(&cx, org, h, form, errors).await,
    }
}
