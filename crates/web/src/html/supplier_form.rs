//! Creating and editing a supplier through its form (the same permission
//! as the API's: `EditRegister`): name, organisation number (checked with
//! its Luhn digit), contacts, support channel and hours. Suppliers are not
//! removed from the pages: contracts and systems refer to them.

use super::*;
use crate::context::OrgPath;
use insyn_domain::contract::{Supplier, SupplierDraft};

fn fields(form: &FormData) -> Vec<FormField> {
    let t = |n: &'static str, label: &'static str, required: bool| {
        FormField::text(n, label, form.get(n).to_owned(), required)
    };
    vec![
        t("name", "supplier-name", true),
        t("org_number", "supplier-org-number", false),
        t("contacts", "supplier-contacts", false),
        t("support_channel", "supplier-support-channel", false),
        t("support_hours", "supplier-support-hours", false),
    ]
}

fn draft(form: &FormData) -> Result<SupplierDraft, FieldErrors> {
    Ok(SupplierDraft {
        name: form.get("name").to_owned(),
        org_number: form.opt("org_number"),
        contacts: form.opt("contacts"),
        support_channel: form.opt("support_channel"),
        support_hours: form.opt("support_hours"),
    })
}

fn show(
    cx: &Cx,
    org: Organisation,
    s: Option<&Supplier>,
    form: &FormData,
    errors: FieldErrors,
) -> Response {
    let list = format!("/o/{}/suppliers", org.slug);
    let (heading, action, cancel) = match s {
        Some(s) => {
            let at = format!("{list}/{}", s.id);
            (cx.t("supplier-edit"), at.clone(), at)
        }
        None => (cx.t("supplier-new"), list.clone(), list),
    };
    SimpleForm {
        heading,
        action,
        cancel,
        fields: fields(form),
        errors,
        c: cx.chrome(Some(org), "contracts"),
    }
    .respond()
}

pub(super) async fn new_supplier(cx: Cx, at: OrgPath) -> AppResult<Response> {
    Ok(show(
        &cx,
        at.org,
        None,
        &FormData::default(),
        FieldErrors::new(),
    ))
}

pub(super) async fn edit_supplier(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let s = cx
        .store()
        .get_supplier(at.id(), at.params.id("supplier")?)
        .await?;
    let form = FormData(vec![
        ("name".into(), s.name.clone()),
        (
            "org_number".into(),
            s.org_number.clone().unwrap_or_default(),
        ),
        ("contacts".into(), s.contacts.clone().unwrap_or_default()),
        (
            "support_channel".into(),
            s.support_channel.clone().unwrap_or_default(),
        ),
        (
            "support_hours".into(),
            s.support_hours.clone().unwrap_or_default(),
        ),
    ]);
    Ok(show(&cx, at.org, Some(&s), &form, FieldErrors::new()))
}

pub(super) async fn create_supplier(cx: Cx, at: OrgPath, form: FormData) -> AppResult<Response> {
    let org = at.org;
    let create = async |d| cx.store().create_supplier(&cx.actor, org.id, d).await;
    match submit(draft(&form), create).await? {
        Posted::Done(s) => see(format!("/o/{}/suppliers/{}", org.slug, s.id)),
        Posted::Invalid(errors) => Ok(show(&cx, org, None, &form, errors)),
    }
}

pub(super) async fn update_supplier(cx: Cx, at: OrgPath, form: FormData) -> AppResult<Response> {
    let org = at.org;
    let s = cx
        .store()
        .get_supplier(org.id, at.params.id("supplier")?)
        .await?;
    let update = async |d| cx.store().update_supplier(&cx.actor, org.id, s.id, d).await;
    match submit(draft(&form), update).await? {
        Posted::Done(s) => see(format!("/o/{}/suppliers/{}", org.slug, s.id)),
        Posted::Invalid(errors) => Ok(show(&cx, org, Some(&s), &form, errors)),
    }
}
