//! The service form (new, edit, remove; `EditRegister` like the API): the
//! deliverer a unit chosen from the organisation's or a supplier typed by
//! name, the owner, the contract and the systems typed by name with
//! bounded suggestions, the cost and the agreed service levels.

use super::*;
use insyn_domain::validation as v;
use insyn_store::it_services::ServiceFormChoices;

/// The most names each suggestion list offers.
const SUGGESTED: i64 = 200;
/// Empty system rows the form offers after the filled ones.
const SPARE_ROWS: usize = 2;

pub const NO_SUPPLIER_NAMED: &str = "error-no-supplier-named";
pub const NO_SYSTEM_NAMED: &str = "error-no-system-named";
pub const NO_PERSON_NAMED: &str = "error-no-person-named";

#[derive(Template)]
#[template(path = "it_service_form.html")]
struct FormPage {
    c: Chrome,
    w: Words,
    editing: Option<Service>,
    units: Vec<(String, String)>,
    choices: ServiceFormChoices,
    /// The system rows' values.
    systems: Vec<String>,
}

impl FormPage {
    pub fn action(&self) -> String {
        match &self.editing {
            Some(s) => format!("/o/{}/services/{}", self.c.org_slug(), s.id),
            None => format!("/o/{}/services", self.c.org_slug()),
        }
    }
    pub fn v(&self, name: &str) -> String {
        self.w.value("s", name)
    }
    pub fn by_supplier(&self) -> bool {
        self.v("delivered_by") == "supplier"
    }
    pub fn chosen_contract(&self, id: &ContractId) -> bool {
        self.v("contract_id") == id.to_string()
    }
}

/// The form's values as stored.
fn stored(s: &Service) -> FormData {
    let mut v: Vec<(String, String)> = vec![];
    let mut put = |k: &str, x: String| v.push((k.into(), x));
    put("name", s.name.clone());
    put("description", s.description.clone().unwrap_or_default());
    match &s.delivered_by {
        Deliverer::Unit { id, .. } => {
            put("delivered_by", "unit".into());
            put("unit_id", id.to_string());
        }
        Deliverer::Supplier { name, .. } => {
            put("delivered_by", "supplier".into());
            put("supplier", name.clone());
        }
    }
    put("owner", s.owner_name.clone().unwrap_or_default());
    put(
        "yearly_cost",
        s.yearly_cost.map(|c| c.to_string()).unwrap_or_default(),
    );
    put(
        "contract_id",
        s.contract_id.map(|c| c.to_string()).unwrap_or_default(),
    );
    let l = &s.levels;
    put(
        "availability_target",
        l.availability_target
            .map(|a| a.to_string())
            .unwrap_or_default(),
    );
    put("support_hours", l.support_hours.clone().unwrap_or_default());
    put(
        "response_hours",
        l.response_hours.map(|h| h.to_string()).unwrap_or_default(),
    );
    put(
        "resolution_hours",
        l.resolution_hours
            .map(|h| h.to_string())
            .unwrap_or_default(),
    );
    for sys in &s.systems {
        put("system_ids", sys.name.clone());
    }
    FormData(v)
}

async fn form_view(
    cx: &Cx,
    at: &OrgPath,
    editing: Option<Service>,
    posted: FormData,
    errors: FieldErrors,
) -> AppResult<Response> {
    let store = cx.store();
    let mut systems: Vec<String> = posted
        .all("system_ids")
        .into_iter()
        .map(str::to_owned)
        .filter(|s| !s.trim().is_empty())
        .collect();
    systems.extend(std::iter::repeat_n(String::new(), SPARE_ROWS));
    let mut w = Words::new(cx.lang);
    (w.form, w.posted, w.errors) = ("s".into(), posted, errors);
    let page = FormPage {
        c: cx.chrome(Some(at.org.clone()), "services"),
        units: unit_options(store.list_units(at.id()).await?),
        choices: store.it_service_form_choices(at.id(), SUGGESTED).await?,
        w,
        editing,
        systems,
    };
    Ok(form_page(&page.w.errors, &page))
}

/// The form to define a service (delivered by a unit at first).
pub(in crate::html) async fn new_form(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let fresh = FormData(vec![("delivered_by".into(), "unit".into())]);
    form_view(&cx, &at, None, fresh, FieldErrors::new()).await
}

/// The form to change a service.
pub(in crate::html) async fn edit_form(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let s = cx
        .store()
        .get_it_service(at.id(), at.params.id("service")?)
        .await?;
    let values = stored(&s);
    form_view(&cx, &at, Some(s), values, FieldErrors::new()).await
}

/// The form's draft, the names looked up, or what is wrong field by field.
async fn parse(cx: &Cx, org: OrgId, f: &FormData) -> AppResult<Result<ServiceDraft, FieldErrors>> {
    let store = cx.store();
    let mut e = FieldErrors::new();
    let (mut unit_id, mut supplier_id) = (None, None);
    if f.get("delivered_by") == "supplier" {
        match f.get("supplier").trim() {
            "" => e.add("supplier", v::REQUIRED),
            s => match store.supplier_named(org, s).await? {
                Some(id) => supplier_id = Some(id),
                None => e.add("supplier", NO_SUPPLIER_NAMED),
            },
        }
    } else {
        match f.get("unit_id").parse() {
            Ok(u) => unit_id = Some(u),
            Err(_) => e.add("unit_id", v::REQUIRED),
        }
    }
    let owner_id = match f.get("owner").trim() {
        "" => None,
        s => {
            let p = store.person_named(org, s).await?;
            if p.is_none() {
                e.add("owner", NO_PERSON_NAMED);
            }
            p
        }
    };
    let mut system_ids = vec![];
    for name in f
        .all("system_ids")
        .into_iter()
        .filter(|s| !s.trim().is_empty())
    {
        match store.system_named(org, name.trim()).await? {
            Some(id) => system_ids.push(id),
            None => e.add("system_ids", NO_SYSTEM_NAMED),
        }
    }
    let mut number =
        |name: &str, code: &'static str| match f.get(name).trim().trim_end_matches('%').trim() {
            "" => None,
            s => s
                .replace(',', ".")
                .replace([' ', '\u{a0}'], "")
                .parse::<f64>()
                .map_err(|_| e.add(name, code))
                .ok(),
        };
    let availability_target = number("availability_target", NOT_A_PERCENTAGE);
    let cost = number("yearly_cost", v::NOT_A_NUMBER);
    let response_hours = number("response_hours", v::NOT_A_NUMBER);
    let resolution_hours = number("resolution_hours", v::NOT_A_NUMBER);
    let whole = |x: Option<f64>| x.map(|x| x.round() as i64);
    let hours = |x: Option<f64>| x.map(|x| x.clamp(0.0, f64::from(u32::MAX)).round() as u32);
    let contract_id = match f.get("contract_id") {
        "" => None,
        s => s
            .parse()
            .map_err(|_| e.add("contract_id", v::UNKNOWN_REFERENCE))
            .ok(),
    };
    let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let draft = ServiceDraft {
        name: f.get("name").into(),
        description: opt(f.get("description")),
        unit_id,
        supplier_id,
        owner_id,
        yearly_cost: whole(cost),
        contract_id,
        system_ids,
        levels: ServiceLevels {
            availability_target,
            support_hours: opt(f.get("support_hours")),
            response_hours: hours(response_hours),
            resolution_hours: hours(resolution_hours),
        },
    };
    // A deliverer not chosen is named on its own field, not twice.
    let draft = draft.validate().map_err(|mut d| {
        if !e.is_empty() {
            d.0.retain(|x| x.field != "unit_id");
        }
        d
    });
    Ok(crate::forms::validated(e, draft).map_err(form_fields))
}

/// The draft's field names as the form's (`levels.response_hours` is the
/// field `response_hours`, `supplier_id` the typed `supplier`).
fn form_fields(mut e: FieldErrors) -> FieldErrors {
    for x in &mut e.0 {
        let name = x.field.trim_start_matches("levels.");
        x.field = match name {
            "supplier_id" => "supplier",
            "owner_id" => "owner",
            other => other,
        }
        .to_owned();
    }
    e
}

/// Defines a service, then shows it.
pub(in crate::html) async fn create(cx: Cx, at: OrgPath, form: FormData) -> AppResult<Response> {
    let draft = parse(&cx, at.id(), &form).await?;
    let create = async |d| cx.store().create_it_service(&cx.actor, at.id(), d).await;
    match submit(draft, create).await? {
        Posted::Done(s) => see(format!("/o/{}/services/{}", at.org.slug, s.id)),
        Posted::Invalid(e) => form_view(&cx, &at, None, form, form_fields(e)).await,
    }
}

/// Saves a service, then shows it.
pub(in crate::html) async fn update(cx: Cx, at: OrgPath, form: FormData) -> AppResult<Response> {
    let id: ItServiceId = at.params.id("service")?;
    let before = cx.store().get_it_service(at.id(), id).await?;
    let draft = parse(&cx, at.id(), &form).await?;
    let update = async |d| {
        cx.store()
            .update_it_service(&cx.actor, at.id(), id, d)
            .await
    };
    match submit(draft, update).await? {
        Posted::Done(s) => see(format!("/o/{}/services/{}", at.org.slug, s.id)),
        Posted::Invalid(e) => form_view(&cx, &at, Some(before), form, form_fields(e)).await,
    }
}

/// Removes a service and its follow-ups, then shows the list.
pub(in crate::html) async fn remove(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let id: ItServiceId = at.params.id("service")?;
    cx.store().remove_it_service(&cx.actor, at.id(), id).await?;
    see(format!("/o/{}/services", at.org.slug))
}
