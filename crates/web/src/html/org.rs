//! The start page, the organisation with its unit tree, and unit pages.

use super::*;

#[derive(Template)]
#[template(path = "home.html")]
pub(super) struct HomePage {
    c: Chrome,
    orgs: Vec<Organisation>,
}

pub(super) async fn home(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
) -> AppResult<Response> {
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
        c: Chrome::new(lang, &uri, None, "home"),
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
}

pub(super) async fn org_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    Path(org): Path<String>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let tree = state.store.unit_tree(o.id).await?;
    let overlaps = state.store.capability_overlaps(o.id).await?;
    let all = state.store.list_orgs().await?;
    let companies = all
        .iter()
        .filter(|x| x.parent_id == Some(o.id))
        .cloned()
        .collect();
    let parent = all.iter().find(|x| Some(x.id) == o.parent_id).cloned();
    Ok(render(&OrgPage {
        c: Chrome::new(lang, &uri, Some(o), "org"),
        tree,
        overlaps,
        companies,
        parent,
    }))
}

/// A column header link that sorts by the column (toggling direction).
#[derive(Template)]
#[template(path = "unit.html")]
pub(super) struct UnitPage {
    c: Chrome,
    u: Unit,
    path: Vec<Unit>,
    children: Vec<UnitNode>,
    systems: Page<SystemRow>,
    roles: Vec<AssignmentView>,
    history: Vec<AuditEvent>,
}

pub(super) async fn unit_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    Path((org, uid)): Path<(String, String)>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let u = state.store.get_unit(o.id, parse_id(&uid)?).await?;
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
    let mut history = state.store.history(o.id, u.id.0).await?;
    history.reverse();
    Ok(render(&UnitPage {
        c: Chrome::new(lang, &uri, Some(o), "org"),
        u,
        path,
        children,
        systems,
        roles,
        history,
    }))
}

fn unit_fields(form: &FormData, units: Vec<Unit>) -> Vec<FormField> {
    vec![
        FormField::text("name", "unit-name", form.get("name").to_owned(), true),
        FormField::text("level", "unit-level", form.get("level").to_owned(), true),
        FormField::select(
            "parent_id",
            "field-parent-id",
            form.get("parent_id").to_owned(),
            unit_options(units),
        ),
    ]
}

fn unit_draft(form: &FormData) -> Result<UnitDraft, FieldErrors> {
    let mut e = FieldErrors::new();
    let parent_id = match form.get("parent_id") {
        "" => None,
        s => s
            .parse()
            .map_err(|_| e.add("parent_id", v::UNKNOWN_REFERENCE))
            .ok(),
    };
    let d = UnitDraft {
        parent_id,
        name: form.get("name").to_owned(),
        level: form.get("level").to_owned(),
    };
    match d.validate() {
        Ok(d) if e.is_empty() => Ok(d),
        Ok(_) => Err(e),
        Err(more) => {
            e.0.extend(more.0);
            Err(e)
        }
    }
}

async fn unit_form(
    state: &AppState,
    lang: Lang,
    uri: &Here,
    o: Organisation,
    id: Option<UnitId>,
    form: FormData,
    errors: FieldErrors,
) -> AppResult<Response> {
    let units = state
        .store
        .list_units(o.id)
        .await?
        .into_iter()
        .filter(|u| Some(u.id) != id)
        .collect();
    let (heading, action, cancel) = match id {
        Some(id) => (
            lang.t("unit-edit"),
            format!("/o/{}/units/{id}", o.slug),
            format!("/o/{}/units/{id}", o.slug),
        ),
        None => (
            lang.t("unit-new"),
            format!("/o/{}/units", o.slug),
            format!("/o/{}", o.slug),
        ),
    };
    Ok(SimpleForm {
        c: Chrome::new(lang, uri, Some(o), "org"),
        heading,
        action,
        cancel,
        fields: unit_fields(&form, units),
        errors,
    }
    .respond())
}

#[derive(serde::Deserialize)]
pub(super) struct ParentQuery {
    parent: Option<String>,
}

pub(super) async fn new_unit(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    Path(org): Path<String>,
    Query(q): Query<ParentQuery>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let form = FormData(vec![("parent_id".into(), q.parent.unwrap_or_default())]);
    unit_form(&state, lang, &uri, o, None, form, FieldErrors::new()).await
}

pub(super) async fn edit_unit(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    Path((org, uid)): Path<(String, String)>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let u = state.store.get_unit(o.id, parse_id(&uid)?).await?;
    let form = FormData(vec![
        ("name".into(), u.name.clone()),
        ("level".into(), u.level.clone()),
        (
            "parent_id".into(),
            u.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        ),
    ]);
    unit_form(&state, lang, &uri, o, Some(u.id), form, FieldErrors::new()).await
}

pub(super) async fn create_unit(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    Path(org): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let form = FormData::parse(&body);
    let result = match unit_draft(&form) {
        Ok(d) => state
            .store
            .create_unit(&actor, o.id, d)
            .await
            .map_err(AppError::from),
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(u) => Ok(Redirect::to(&format!("/o/{}/units/{}", o.slug, u.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            unit_form(&state, lang, &uri, o, None, form, errors).await
        }
        Err(e) => Err(e),
    }
}

pub(super) async fn update_unit(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    Path((org, uid)): Path<(String, String)>,
    body: Bytes,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let id: UnitId = parse_id(&uid)?;
    state.store.get_unit(o.id, id).await?;
    let form = FormData::parse(&body);
    let result = match unit_draft(&form) {
        Ok(d) => state
            .store
            .update_unit(&actor, o.id, id, d)
            .await
            .map_err(AppError::from),
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(u) => Ok(Redirect::to(&format!("/o/{}/units/{}", o.slug, u.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            unit_form(&state, lang, &uri, o, Some(id), form, errors).await
        }
        Err(e) => Err(e),
    }
}
