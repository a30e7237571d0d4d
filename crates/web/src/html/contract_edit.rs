//! Creating, editing and removing a contract through its form (the same
//! permission as the API's: `EditRegister`). After a save the contract's
//! page shows the computed last day to give notice and how it was reached.

use super::contract_form::{ContractForm, Group, groups};
use super::*;
use crate::context::OrgPath;
use insyn_domain::ContractId;

#[derive(Template)]
#[template(path = "contract_form.html")]
struct FormPage {
    c: Chrome,
    heading: String,
    action: String,
    cancel: String,
    groups: Vec<Group>,
    systems: Vec<String>,
    supplier_names: Vec<String>,
    system_names: Vec<String>,
    errors: FieldErrors,
}

impl FormPage {
    fn has_err(&self, field: &str) -> bool {
        self.errors.get(field).is_some()
    }

    fn err(&self, field: &str) -> String {
        self.c.field_error(&self.errors, field)
    }

    fn label_of(&self, field: &str) -> String {
        if field == "system_ids" {
            return self.c.t("contract-systems");
        }
        self.groups
            .iter()
            .flat_map(|g| g.fields.iter())
            .find(|f| f.name == field)
            .map(|f| self.c.t(f.label))
            .unwrap_or_else(|| field.to_owned())
    }

    /// The typed systems and three empty rows for more.
    fn system_rows(&self) -> Vec<String> {
        let mut rows = self.systems.clone();
        rows.extend(std::iter::repeat_n(String::new(), 3));
        rows
    }
}

/// How many system names the form suggests.
const SUGGESTED_SYSTEMS: u32 = 200;

async fn show(
    cx: &Cx,
    org: Organisation,
    id: Option<ContractId>,
    f: ContractForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let store = cx.store();
    let roles = store.list_role_types(org.id).await?;
    let typed = if errors.get("supplier_id").is_some() {
        f.get("supplier_id")
    } else {
        ""
    };
    let supplier_names = store.supplier_names(org.id, typed).await?;
    let system_names = store
        .list_systems(
            org.id,
            &SystemFilter::default(),
            SystemSort::Name,
            false,
            PageRequest::new(Some(1), Some(SUGGESTED_SYSTEMS)),
        )
        .await?
        .items
        .into_iter()
        .map(|s| s.name)
        .collect();
    let base = format!("/o/{}/contracts", org.slug);
    let (heading, action, cancel) = match id {
        Some(id) => (
            "contract-edit",
            format!("{base}/{id}"),
            format!("{base}/{id}"),
        ),
        None => ("contract-new", base.clone(), base),
    };
    let page = FormPage {
        heading: cx.t(heading),
        action,
        cancel,
        groups: groups(&f, cx.lang, &roles),
        systems: f.systems,
        supplier_names,
        system_names,
        errors,
        c: cx.chrome(Some(org), "contracts"),
    };
    Ok(form_page(&page.errors, &page))
}

#[derive(Debug, Default, serde::Deserialize)]
pub(super) struct NewQuery {
    #[serde(default)]
    supplier: Option<String>,
}

/// The empty form (with the supplier filled in when coming from its page).
pub(super) async fn new_contract(
    cx: Cx,
    at: OrgPath,
    Query(q): Query<NewQuery>,
) -> AppResult<Response> {
    let supplier = match q.supplier.as_deref().and_then(|s| s.trim().parse().ok()) {
        Some(id) => cx
            .store()
            .get_supplier(at.id(), insyn_domain::SupplierId(id))
            .await
            .map(|s| s.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    show(
        &cx,
        at.org,
        None,
        ContractForm::fresh(supplier),
        FieldErrors::new(),
    )
    .await
}

pub(super) async fn edit_contract(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let id = at.params.id("contract")?;
    let c = cx
        .store()
        .get_contract(at.id(), id, crate::nav::today())
        .await?;
    show(
        &cx,
        at.org,
        Some(id),
        ContractForm::from_contract(&c),
        FieldErrors::new(),
    )
    .await
}

pub(super) async fn create_contract(cx: Cx, at: OrgPath, form: FormData) -> AppResult<Response> {
    let f = ContractForm::from_form(&form);
    let org = at.org;
    let draft = f.draft(cx.store(), org.id).await?;
    let create = async |d| {
        cx.store()
            .create_contract(&cx.actor, org.id, d, crate::nav::today())
            .await
    };
    match submit(draft, create).await? {
        Posted::Done(c) => see(format!("/o/{}/contracts/{}", org.slug, c.id)),
        Posted::Invalid(errors) => show(&cx, org, None, f, errors).await,
    }
}

pub(super) async fn update_contract(cx: Cx, at: OrgPath, form: FormData) -> AppResult<Response> {
    let id: ContractId = at.params.id("contract")?;
    let org = at.org;
    let today = crate::nav::today();
    cx.store().get_contract(org.id, id, today).await?;
    let f = ContractForm::from_form(&form);
    let draft = f.draft(cx.store(), org.id).await?;
    let update = async |d| {
        cx.store()
            .update_contract(&cx.actor, org.id, id, d, today)
            .await
    };
    match submit(draft, update).await? {
        Posted::Done(c) => see(format!("/o/{}/contracts/{}", org.slug, c.id)),
        Posted::Invalid(errors) => show(&cx, org, Some(id), f, errors).await,
    }
}

/// Removes the contract (the audit trail keeps what it was).
pub(super) async fn remove_contract(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let id: ContractId = at.params.id("contract")?;
    cx.store().remove_contract(&cx.actor, at.id(), id).await?;
    see(format!("/o/{}/contracts", at.org.slug))
}
