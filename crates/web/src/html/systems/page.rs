//! A system's page, and giving people roles on it.

use super::super::*;
use super::resolve_person;
use crate::context::{OrgPath, SystemPath};
use crate::nav::today;

#[derive(Template)]
#[template(path = "system.html")]
pub(in crate::html) struct SystemPage {
    c: Chrome,
    s: System,
    responsible_unit: Option<Unit>,
    using_units: Vec<Unit>,
    product: Option<Product>,
    roles: Vec<AssignmentView>,
    role_types: Vec<RoleType>,
    people_hint: Vec<Person>,
    overlaps: Vec<insyn_store::Overlap>,
    history: Vec<AuditEvent>,
    assign: AssignForm,
    today: String,
    flash: Option<String>,
    /// Editors, and holders of an editing role on this system.
    can_edit_system: bool,
    security: insyn_store::security::SecurityState,
    /// The e-services the system serves (id, name, step).
    eservices: Vec<(EServiceId, String, insyn_domain::eservice::EServiceStep)>,
}

#[derive(serde::Deserialize, Default)]
pub(in crate::html) struct Flash {
    saved: Option<String>,
    /// A role type's code to choose in the role form ("Mina uppgifter"
    /// links here to appoint a missing role).
    role: Option<String>,
}

/// The role form on the system page, as typed, with its errors.
#[derive(Default)]
pub struct AssignForm {
    pub errors: FieldErrors,
    pub person: String,
    pub role: String,
    pub start: String,
}

async fn system_view(
    cx: &Cx,
    o: Organisation,
    id: SystemId,
    assign: AssignForm,
    flash: Option<String>,
) -> AppResult<SystemPage> {
    let store = cx.store();
    let s = store.get_system(o.id, id).await?;
    let units = store.list_units(o.id).await?;
    let responsible_unit = units
        .iter()
        .find(|u| Some(u.id) == s.responsible_unit_id)
        .cloned();
    let using_units = units
        .iter()
        .filter(|u| s.using_unit_ids.contains(&u.id))
        .cloned()
        .collect();
    let product = match s.product_id {
        Some(p) => store.get_product(p).await.ok(),
        None => None,
    };
    let roles = store.system_roles(o.id, id).await?;
    let role_types = store
        .list_role_types(o.id)
        .await?
        .into_iter()
        .filter(|r| r.scope == RoleScope::System)
        .collect();
    let people_hint = store.people_if_few(o.id, 500).await?;
    let overlaps = store.overlapping_systems(o.id, id, &s.capabilities).await?;
    let mut history = store.history(o.id, id.0).await?;
    history.reverse();
    let can_edit_system = cx.on_system(o.id, id).await?.edit;
    let security = store.security_state(o.id, id).await?;
    let eservices = store.eservices_of_system(o.id, id).await?;
    Ok(SystemPage {
        c: cx.chrome(Some(o), "systems"),
        s,
        responsible_unit,
        using_units,
        product,
        roles,
        role_types,
        people_hint,
        overlaps,
        history,
        today: if assign.start.is_empty() {
            today().to_string()
        } else {
            assign.start.clone()
        },
        assign,
        flash,
        can_edit_system,
        security,
        eservices,
    })
}

pub(in crate::html) async fn system_page(
    cx: Cx,
    at: SystemPath,
    Query(flash): Query<Flash>,
) -> AppResult<Response> {
    let saved = flash.saved.map(|_| cx.t("flash-saved"));
    let mut page = system_view(&cx, at.org, at.system, AssignForm::default(), saved).await?;
    if let Some(code) = flash.role.as_deref().map(str::trim)
        && let Some(rt) = page.role_types.iter().find(|r| r.code == code)
    {
        page.assign.role = rt.id.to_string();
    }
    Ok(render(&page))
}

/// Who may make someone the system owner from the system's page: the
/// register's keepers (editors, coordinators, administrators) or the current
/// owner handing over; holding an editing role on the system is not enough,
/// or a förvaltare could make themselves owner and then sign as owner.
async fn may_assign(cx: &Cx, org: OrgId, system: SystemId, role: RoleTypeId) -> AppResult<bool> {
    let Ok(rt) = cx.store().get_role_type(org, role).await else {
        return Ok(true); // an unknown role type is reported by the store
    };
    let keeps_register = cx
        .me()
        .and_then(|me| me.role_in(org))
        .is_some_and(|r| r.allows(Permission::EditRegister));
    if rt.code != SYSTEM_OWNER || keeps_register {
        return Ok(true);
    }
    Ok(cx.on_system(org, system).await?.owner)
}

pub(in crate::html) async fn assign_role(
    cx: Cx,
    SystemPath {
        org: o, system: id, ..
    }: SystemPath,
    form: FormData,
) -> AppResult<Response> {
    let mut errors = FieldErrors::new();
    let person = resolve_person(&cx.state, o.id, form.get("person")).await?;
    if person.is_none() {
        errors.add(
            "person",
            if form.get("person").is_empty() {
                v::REQUIRED
            } else {
                v::UNKNOWN_REFERENCE
            },
        );
    }
    let role: Option<RoleTypeId> = form.get("role_type_id").parse().ok();
    match role {
        None => errors.add("role_type_id", v::REQUIRED),
        Some(r) if !may_assign(&cx, o.id, id, r).await? => {
            errors.add("role_type_id", "error-owner-assign-not-allowed")
        }
        Some(_) => {}
    }
    let start = match form.get("start_date") {
        "" => Some(today()),
        s => v::parse_date(s)
            .map_err(|c| errors.add("start_date", c))
            .ok(),
    };
    if let (true, Some(person), Some(role), Some(start)) = (errors.is_empty(), person, role, start)
    {
        let draft = AssignmentDraft {
            role_type_id: role,
            person_id: person,
            system_id: Some(id),
            unit_id: None,
            start_date: start,
            end_date: None,
            note: form.opt("note"),
        };
        let assign = async |d| cx.store().assign_role(&cx.actor, o.id, d).await;
        match submit(Ok(draft), assign).await? {
            Posted::Done(_) => return see(format!("/o/{}/systems/{id}?saved=1#roller", o.slug)),
            Posted::Invalid(e) => errors = e,
        }
    }
    let assign = AssignForm {
        errors,
        person: form.get("person").to_owned(),
        role: form.get("role_type_id").to_owned(),
        start: form.get("start_date").to_owned(),
    };
    let page = system_view(&cx, o, id, assign, None).await?;
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

pub(in crate::html) async fn end_assignment(
    cx: Cx,
    OrgPath { org: o, params }: OrgPath,
) -> AppResult<Response> {
    let id: AssignmentId = params.id("id")?;
    let current = cx.store().get_assignment(o.id, id).await?;
    let end = current.assignment.end_for(today());
    let a = cx.store().end_assignment(&cx.actor, o.id, id, end).await?;
    see(match (a.system_id, a.unit_id) {
        (Some(s), _) => format!("/o/{}/systems/{s}?saved=1#roller", o.slug),
        (None, Some(u)) => format!("/o/{}/units/{u}", o.slug),
        _ => format!("/o/{}/people/{}", o.slug, a.person_id),
    })
}
