//! People: the list and the page that says what a person answers for.

use super::*;
use crate::context::OrgPath;

#[derive(Template)]
#[template(path = "people.html")]
pub(super) struct PeoplePage {
    c: Chrome,
    q: String,
    people: Page<Person>,
    prev_href: Option<String>,
    next_href: Option<String>,
}

pub(super) async fn people_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    Path(org): Path<String>,
    Query(pq): Query<PageQuery>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let (q, page) = pq.parse().unwrap_or((None, PageRequest::default()));
    let people = state.store.list_people(o.id, q.as_deref(), page).await?;
    let base = format!("/o/{}/people", o.slug);
    let link = |n: u32| {
        let mut x = pq.clone();
        x.page = Some(n.to_string());
        format!(
            "{base}?{}",
            serde_urlencoded::to_string(&x).unwrap_or_default()
        )
    };
    let prev_href = (people.page > 1).then(|| link(people.page - 1));
    let next_href = (people.page < people.pages()).then(|| link(people.page + 1));
    Ok(render(&PeoplePage {
        c: Chrome::new(lang, &uri, Some(o), "people"),
        q: q.unwrap_or_default(),
        people,
        prev_href,
        next_href,
    }))
}

#[derive(Template)]
#[template(path = "person.html")]
pub(super) struct PersonPage {
    c: Chrome,
    p: Person,
    unit: Option<Unit>,
    current: Vec<AssignmentView>,
    past: Vec<AssignmentView>,
    history: Vec<AuditEvent>,
}

pub(super) async fn person_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    OrgPath { org: o, params }: OrgPath,
) -> AppResult<Response> {
    let p = state.store.get_person(o.id, params.id("id")?).await?;
    let unit = match p.unit_id {
        Some(u) => state.store.get_unit(o.id, u).await.ok(),
        None => None,
    };
    let (current, past) = state
        .store
        .person_roles(o.id, p.id)
        .await?
        .into_iter()
        .partition(|a| a.current);
    let mut history = state.store.history(o.id, p.id.0).await?;
    history.reverse();
    Ok(render(&PersonPage {
        c: Chrome::new(lang, &uri, Some(o), "people"),
        p,
        unit,
        current,
        past,
        history,
    }))
}

fn person_fields(form: &FormData, units: Vec<Unit>, editing: bool) -> Vec<FormField> {
    let mut f = vec![
        FormField::text("name", "person-name", form.get("name").to_owned(), true),
        FormField::text("email", "person-email", form.get("email").to_owned(), false).kind("email"),
        FormField::text("title", "person-title", form.get("title").to_owned(), false),
        FormField::select(
            "unit_id",
            "person-unit",
            form.get("unit_id").to_owned(),
            unit_options(units),
        ),
    ];
    if editing {
        f.push(
            FormField::text(
                "active",
                "field-active",
                if form.checked("active") { "on" } else { "" }.to_owned(),
                false,
            )
            .kind("checkbox"),
        );
    }
    f
}

fn person_draft(form: &FormData, editing: bool) -> Result<PersonDraft, FieldErrors> {
    let mut e = FieldErrors::new();
    let unit_id = match form.get("unit_id") {
        "" => None,
        s => s
            .parse()
            .map_err(|_| e.add("unit_id", v::UNKNOWN_REFERENCE))
            .ok(),
    };
    let d = PersonDraft {
        name: form.get("name").to_owned(),
        email: form.opt("email"),
        title: form.opt("title"),
        unit_id,
        active: !editing || form.checked("active"),
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

#[allow(clippy::too_many_arguments)]
async fn person_form(
    state: &AppState,
    lang: Lang,
    uri: &Here,
    o: Organisation,
    id: Option<PersonId>,
    form: FormData,
    errors: FieldErrors,
) -> AppResult<Response> {
    let units = state.store.list_units(o.id).await?;
    let (heading, action, cancel) = match id {
        Some(id) => (
            lang.t("person-edit"),
            format!("/o/{}/people/{id}", o.slug),
            format!("/o/{}/people/{id}", o.slug),
        ),
        None => (
            lang.t("person-new"),
            format!("/o/{}/people", o.slug),
            format!("/o/{}/people", o.slug),
        ),
    };
    Ok(SimpleForm {
        c: Chrome::new(lang, uri, Some(o), "people"),
        heading,
        action,
        cancel,
        fields: person_fields(&form, units, id.is_some()),
        errors,
    }
    .respond())
}

pub(super) async fn new_person(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    Path(org): Path<String>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    person_form(
        &state,
        lang,
        &uri,
        o,
        None,
        FormData::default(),
        FieldErrors::new(),
    )
    .await
}

pub(super) async fn edit_person(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    OrgPath { org: o, params }: OrgPath,
) -> AppResult<Response> {
    let p = state.store.get_person(o.id, params.id("id")?).await?;
    let form = FormData(vec![
        ("name".into(), p.name.clone()),
        ("email".into(), p.email.clone().unwrap_or_default()),
        ("title".into(), p.title.clone().unwrap_or_default()),
        (
            "unit_id".into(),
            p.unit_id.map(|u| u.to_string()).unwrap_or_default(),
        ),
        ("active".into(), if p.active { "on" } else { "" }.into()),
    ]);
    person_form(&state, lang, &uri, o, Some(p.id), form, FieldErrors::new()).await
}

pub(super) async fn create_person(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    Path(org): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let form = FormData::parse(&body);
    let result = match person_draft(&form, false) {
        Ok(d) => state
            .store
            .create_person(&actor, o.id, d)
            .await
            .map_err(AppError::from),
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(p) => Ok(Redirect::to(&format!("/o/{}/people/{}", o.slug, p.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            person_form(&state, lang, &uri, o, None, form, errors).await
        }
        Err(e) => Err(e),
    }
}

pub(super) async fn update_person(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    Path((org, pid)): Path<(String, String)>,
    body: Bytes,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let id: PersonId = parse_id(&pid)?;
    state.store.get_person(o.id, id).await?;
    let form = FormData::parse(&body);
    let result = match person_draft(&form, true) {
        Ok(d) => state
            .store
            .update_person(&actor, o.id, id, d)
            .await
            .map_err(AppError::from),
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(p) => Ok(Redirect::to(&format!("/o/{}/people/{}", o.slug, p.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            person_form(&state, lang, &uri, o, Some(id), form, errors).await
        }
        Err(e) => Err(e),
    }
}
