//! The system form: a new system, editing one, archiving and restoring.

use super::super::*;
use crate::context::{OrgPath, SystemPath};

#[derive(Template)]
#[template(path = "system_form.html")]
pub(in crate::html) struct SystemForm {
    c: Chrome,
    /// None for a new system.
    id: Option<SystemId>,
    values: SystemFormValues,
    errors: FieldErrors,
    units: Vec<(Unit, usize)>,
    products: Vec<Product>,
    /// Suggestions for the supplier field (bounded).
    supplier_names: Vec<String>,
}

impl SystemForm {
    pub fn action(&self) -> String {
        match self.id {
            Some(id) => format!("/o/{}/systems/{id}", self.c.org_slug()),
            None => format!("/o/{}/systems", self.c.org_slug()),
        }
    }

    pub fn err(&self, field: &str) -> String {
        self.c.field_error(&self.errors, field)
    }

    pub fn has_err(&self, field: &str) -> bool {
        self.errors.get(field).is_some()
    }

    /// Attributes that tie a field to its error message for screen readers.
    pub fn described(&self, field: &str) -> String {
        if self.has_err(field) {
            format!("aria-invalid=\"true\" aria-describedby=\"{field}-error\"")
        } else {
            String::new()
        }
    }

    pub fn label_of(&self, field: &str) -> String {
        self.c.t(&format!("field-{}", field.replace('_', "-")))
    }
}

async fn system_form(
    cx: &Cx,
    o: Organisation,
    id: Option<SystemId>,
    values: SystemFormValues,
    errors: FieldErrors,
) -> AppResult<Response> {
    let units = insyn_store::units_tree_order(cx.store().list_units(o.id).await?);
    let products = cx.store().list_products().await?;
    let supplier_names = cx.store().supplier_names(o.id, "").await?;
    let page = SystemForm {
        c: cx.chrome(Some(o), "systems"),
        id,
        values,
        errors,
        units,
        products,
        supplier_names,
    };
    Ok(form_page(&page.errors, &page))
}

/// After a save: the system's page, saying it was saved.
fn saved(o: &Organisation, s: &System) -> AppResult<Response> {
    see(format!("/o/{}/systems/{}?saved=1", o.slug, s.id))
}

pub(in crate::html) async fn new_system(
    cx: Cx,
    OrgPath { org, .. }: OrgPath,
) -> AppResult<Response> {
    let values = SystemFormValues::new_system();
    system_form(&cx, org, None, values, FieldErrors::new()).await
}

pub(in crate::html) async fn edit_system(cx: Cx, at: SystemPath) -> AppResult<Response> {
    let s = cx.store().get_system(at.org.id, at.system).await?;
    let mut values = SystemFormValues::from_system(&s);
    values.fields.insert(
        super::supplier::FIELD,
        super::supplier::current(&cx, at.org.id, s.id).await?,
    );
    system_form(&cx, at.org, Some(s.id), values, FieldErrors::new()).await
}

pub(in crate::html) async fn create_system(
    cx: Cx,
    OrgPath { org, .. }: OrgPath,
    form: FormData,
) -> AppResult<Response> {
    let choice = match super::supplier::chosen(&cx, org.id, &form).await? {
        Ok(c) => c,
        Err(errors) => return again(&cx, org, None, &form, errors).await,
    };
    let draft = system_draft(&form);
    let create = async |d| cx.store().create_system(&cx.actor, org.id, d).await;
    match submit(draft, create).await? {
        Posted::Done(s) => {
            super::supplier::link(&cx, org.id, s.id, choice).await?;
            saved(&org, &s)
        }
        Posted::Invalid(errors) => again(&cx, org, None, &form, errors).await,
    }
}

/// The form shown again as typed, with its errors.
async fn again(
    cx: &Cx,
    org: Organisation,
    id: Option<SystemId>,
    form: &FormData,
    errors: FieldErrors,
) -> AppResult<Response> {
    let mut values = SystemFormValues::from_form(form);
    values.fields.insert(
        super::supplier::FIELD,
        form.get(super::supplier::FIELD).to_owned(),
    );
    system_form(cx, org, id, values, errors).await
}

pub(in crate::html) async fn update_system(
    cx: Cx,
    SystemPath { org, system, .. }: SystemPath,
    form: FormData,
) -> AppResult<Response> {
    let choice = match super::supplier::chosen(&cx, org.id, &form).await? {
        Ok(c) => c,
        Err(errors) => {
            cx.store().get_system(org.id, system).await?;
            return again(&cx, org, Some(system), &form, errors).await;
        }
    };
    let draft = system_draft(&form);
    let update = async |d| cx.store().update_system(&cx.actor, org.id, system, d).await;
    match submit(draft, update).await? {
        Posted::Done(s) => {
            super::supplier::link(&cx, org.id, s.id, choice).await?;
            saved(&org, &s)
        }
        Posted::Invalid(errors) => {
            // The system must exist (and be this organisation's) to show its form again.
            cx.store().get_system(org.id, system).await?;
            again(&cx, org, Some(system), &form, errors).await
        }
    }
}

pub(in crate::html) async fn archive_system(cx: Cx, at: SystemPath) -> AppResult<Response> {
    let s = cx
        .store()
        .archive_system(&cx.actor, at.org.id, at.system)
        .await?;
    saved(&at.org, &s)
}

pub(in crate::html) async fn restore_system(cx: Cx, at: SystemPath) -> AppResult<Response> {
    let s = cx
        .store()
        .restore_system(&cx.actor, at.org.id, at.system)
        .await?;
    saved(&at.org, &s)
}
