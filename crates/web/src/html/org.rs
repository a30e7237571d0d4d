//! The start page, the organisation with its unit tree, and unit pages.

use super::*;
use crate::context::OrgPath;
use crate::forms::{opt_id, validated};

#[derive(Template)]
#[template(path = "home.html")]
pub(super) struct HomePage {
    c: Chrome,
    orgs: Vec<Organisation>,
}

pub(super) async fn home(cx: Cx) -> AppResult<Response> {
    let (state, uri) = (&cx.state, &cx.here);
    let orgs: Vec<Organisation> = state
        .store
        .list_orgs()
        .await?
        .into_iter()
        .filter(|o| uri.me.as_ref().is_some_and(|me| me.sees(o.id)))
        .collect();
    if orgs.len() == 1 {
        // Someone who holds a role (a system owner) sees their tasks first.
        let holds = match &uri.me {
            Some(me) => {
                state
                    .store
                    .holds_any_role(orgs[0].id, &me.user.email)
                    .await?
            }
            None => false,
        };
        let page = if holds { "tasks" } else { "systems" };
        return Ok(Redirect::to(&format!("/o/{}/{page}", orgs[0].slug)).into_response());
    }
    Ok(render(&HomePage {
        c: cx.chrome(None, "home"),
        orgs,
    }))
}

#[derive(Template)]
#[template(path = "org.html")]
pub(super) struct OrgPage {
    c: Chrome,
    tree: Vec<UnitNode>,
    overlaps: Vec<(String, i64)>,
    companies: Vec<Organisation>,
    parent: Option<Organisation>,
    /// The entity class under cybersäkerhetslagen, as its message key.
    nis_class: String,
}

pub(super) async fn org_page(cx: Cx, OrgPath { org: o, .. }: OrgPath) -> AppResult<Response> {
    let state = &cx.state;
    let tree = state.store.unit_tree(o.id).await?;
    let overlaps = state.store.capability_overlaps(o.id).await?;
    let all = state.store.list_orgs().await?;
    let companies = all
        .iter()
        .filter(|x| x.parent_id == Some(o.id))
        .cloned()
        .collect();
    let parent = all.iter().find(|x| Some(x.id) == o.parent_id).cloned();
    let class = state.store.nis_facts(o.id).await?.draft.entity_class;
    Ok(render(&OrgPage {
        c: cx.chrome(Some(o), "org"),
        tree,
        overlaps,
        companies,
        parent,
        nis_class: format!("nis-class-{}", class.as_str().replace('_', "-")),
    }))
}

#[derive(Template)]
#[template(path = "unit.html")]
pub(super) struct UnitPage {
    c: Chrome,
    u: Unit,
    manager: Option<Person>,
    path: Vec<Unit>,
    children: Vec<UnitNode>,
    systems: Page<SystemRow>,
    roles: Vec<AssignmentView>,
    history: Vec<AuditEvent>,
}

pub(super) async fn unit_page(cx: Cx, OrgPath { org: o, params }: OrgPath) -> AppResult<Response> {
    let state = &cx.state;
    let u = state.store.get_unit(o.id, params.id("id")?).await?;
    let tree = state.store.unit_tree(o.id).await?;
    let children = tree
        .iter()
        .filter(|n| n.unit.parent_id == Some(u.id))
        .cloned()
        .collect();
    // The way up to the top of the tree, for the breadcrumb.
    let mut path = vec![];
    let mut up = u.parent_id;
    while let Some(p) = up {
        match tree.iter().find(|n| n.unit.id == p) {
            Some(n) if path.len() < 32 => {
                path.insert(0, n.unit.clone());
                up = n.unit.parent_id;
            }
            _ => break,
        }
    }
    let filter = SystemFilter {
        unit_id: Some(u.id),
        ..Default::default()
    };
    let systems = state
        .store
        .list_systems(
            o.id,
            &filter,
            SystemSort::Name,
            false,
            PageRequest::new(Some(1), Some(200)),
        )
        .await?;
    let roles = state.store.unit_roles(o.id, u.id).await?;
    let manager = match u.manager_id {
        Some(m) => Some(state.store.get_person(o.id, m).await?),
        None => None,
    };
    let mut history = state.store.history(o.id, u.id.0).await?;
    history.reverse();
    Ok(render(&UnitPage {
        c: cx.chrome(Some(o), "org"),
        u,
        manager,
        path,
        children,
        systems,
        roles,
        history,
    }))
}

fn unit_fields(form: &FormData, units: Vec<Unit>, people: Vec<Person>) -> Vec<FormField> {
    vec![
        FormField::text("name", "unit-name", form.get("name").to_owned(), true),
        FormField::text("level", "unit-level", form.get("level").to_owned(), true),
        FormField::select(
            "parent_id",
            "field-parent-id",
            form.get("parent_id").to_owned(),
            unit_options(units),
        ),
        FormField::select(
            "manager_id",
            "unit-manager",
            form.get("manager_id").to_owned(),
            people
                .into_iter()
                .map(|p| (p.id.to_string(), p.name))
                .collect(),
        ),
    ]
}

fn unit_draft(form: &FormData) -> Result<UnitDraft, FieldErrors> {
    let mut e = FieldErrors::new();
    let d = UnitDraft {
        parent_id: opt_id(form, "parent_id", &mut e),
        name: form.get("name").to_owned(),
        level: form.get("level").to_owned(),
        manager_id: opt_id(form, "manager_id", &mut e),
    };
    validated(e, d.validate())
}

async fn unit_form(
    cx: &Cx,
    o: Organisation,
    id: Option<UnitId>,
    form: FormData,
    errors: FieldErrors,
) -> AppResult<Response> {
    // A unit cannot be its own parent.
    let units = cx
        .store()
        .list_units(o.id)
        .await?
        .into_iter()
        .filter(|u| Some(u.id) != id)
        .collect();
    let people = manager_choices(cx, o.id, form.get("manager_id")).await?;
    let (heading, action, cancel) = match id {
        Some(id) => {
            let unit = format!("/o/{}/units/{id}", o.slug);
            ("unit-edit", unit.clone(), unit)
        }
        None => (
            "unit-new",
            format!("/o/{}/units", o.slug),
            format!("/o/{}", o.slug),
        ),
    };
    Ok(SimpleForm {
        heading: cx.t(heading),
        action,
        cancel,
        fields: unit_fields(&form, units, people),
        errors,
        c: cx.chrome(Some(o), "org"),
    }
    .respond())
}

/// Who may be chosen as the unit's manager: the organisation's active
/// people when they are few enough to list, and the manager chosen now.
async fn manager_choices(cx: &Cx, org: OrgId, chosen: &str) -> AppResult<Vec<Person>> {
    let mut people: Vec<Person> = cx
        .store()
        .people_if_few(org, 2000)
        .await?
        .into_iter()
        .filter(|p| p.active || p.id.to_string() == chosen)
        .collect();
    if let Ok(id) = chosen.parse()
        && !people.iter().any(|p| p.id == id)
        && let Ok(p) = cx.store().get_person(org, id).await
    {
        people.insert(0, p);
    }
    Ok(people)
}

#[derive(serde::Deserialize)]
pub(super) struct ParentQuery {
    parent: Option<String>,
}

pub(super) async fn new_unit(
    cx: Cx,
    OrgPath { org, .. }: OrgPath,
    Query(q): Query<ParentQuery>,
) -> AppResult<Response> {
    let form = FormData(vec![("parent_id".into(), q.parent.unwrap_or_default())]);
    unit_form(&cx, org, None, form, FieldErrors::new()).await
}

pub(super) async fn edit_unit(cx: Cx, OrgPath { org, params }: OrgPath) -> AppResult<Response> {
    let u = cx.store().get_unit(org.id, params.id("id")?).await?;
    let form = FormData(vec![
        ("name".into(), u.name.clone()),
        ("level".into(), u.level.clone()),
        (
            "parent_id".into(),
            u.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        ),
        (
            "manager_id".into(),
            u.manager_id.map(|p| p.to_string()).unwrap_or_default(),
        ),
    ]);
    unit_form(&cx, org, Some(u.id), form, FieldErrors::new()).await
}

pub(super) async fn create_unit(
    cx: Cx,
    OrgPath { org, .. }: OrgPath,
    form: FormData,
) -> AppResult<Response> {
    let draft = unit_draft(&form);
    let create = async |d| cx.store().create_unit(&cx.actor, org.id, d).await;
    match submit(draft, create).await? {
        Posted::Done(u) => see(format!("/o/{}/units/{}", org.slug, u.id)),
        Posted::Invalid(errors) => unit_form(&cx, org, None, form, errors).await,
    }
}

pub(super) async fn update_unit(
    cx: Cx,
    OrgPath { org, params }: OrgPath,
    form: FormData,
) -> AppResult<Response> {
    let id: UnitId = params.id("id")?;
    cx.store().get_unit(org.id, id).await?;
    let draft = unit_draft(&form);
    let update = async |d| cx.store().update_unit(&cx.actor, org.id, id, d).await;
    match submit(draft, update).await? {
        Posted::Done(u) => see(format!("/o/{}/units/{}", org.slug, u.id)),
        Posted::Invalid(errors) => unit_form(&cx, org, Some(id), form, errors).await,
    }
}
