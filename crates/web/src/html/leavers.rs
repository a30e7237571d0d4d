//! A leaver's roles: the one-step handover of everything a person answers
//! for (systemägare, systemförvaltare …) to a named successor.

use super::*;
use crate::context::OrgPath;
use crate::forms::opt_id;
use insyn_domain::access::RoleTransferDraft;

/// The people who may take over, by name: those still active, other than
/// the leaver, when they are few enough to list.
async fn successors(cx: &Cx, org: OrgId, leaver: PersonId) -> AppResult<Vec<(String, String)>> {
    Ok(cx
        .store()
        .people_if_few(org, 2000)
        .await?
        .into_iter()
        .filter(|p| p.active && p.id != leaver)
        .map(|p| (p.id.to_string(), p.name))
        .collect())
}

async fn transfer_form(
    cx: &Cx,
    o: Organisation,
    p: Person,
    form: FormData,
    errors: FieldErrors,
) -> AppResult<Response> {
    let back = format!("/o/{}/people/{}", o.slug, p.id);
    let mut field = FormField::select(
        "successor_id",
        "transfer-successor",
        form.get("successor_id").to_owned(),
        successors(cx, o.id, p.id).await?,
    );
    field.required = true;
    Ok(SimpleForm {
        heading: format!("{}: {}", cx.t("transfer-title"), p.name),
        action: format!("{back}/transfer-roles"),
        cancel: back,
        fields: vec![field],
        errors,
        c: cx.chrome(Some(o), "people"),
    }
    .respond())
}

pub(super) async fn transfer_page(cx: Cx, OrgPath { org, params }: OrgPath) -> AppResult<Response> {
    let p = cx.store().get_person(org.id, params.id("id")?).await?;
    transfer_form(&cx, org, p, FormData::default(), FieldErrors::new()).await
}

pub(super) async fn transfer_roles(
    cx: Cx,
    OrgPath { org, params }: OrgPath,
    form: FormData,
) -> AppResult<Response> {
    let p = cx.store().get_person(org.id, params.id("id")?).await?;
    let mut e = FieldErrors::new();
    let draft = match opt_id(&form, "successor_id", &mut e) {
        Some(successor_id) => Ok(RoleTransferDraft { successor_id }),
        None if e.is_empty() => Err(FieldErrors::single("successor_id", v::REQUIRED)),
        None => Err(e),
    };
    let transfer = async |d| cx.store().transfer_roles(&cx.actor, org.id, p.id, d).await;
    match submit(draft, transfer).await? {
        Posted::Done(_) => see(format!("/o/{}/people/{}", org.slug, p.id)),
        Posted::Invalid(errors) => transfer_form(&cx, org, p, form, errors).await,
    }
}
