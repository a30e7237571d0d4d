//! People: the list and the page that says what a person answers for.

use super::*;
use crate::context::OrgPath;
use crate::forms::{opt_id, validated};

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
    cx: Cx,
    OrgPath { org: o, .. }: OrgPath,
    Query(pq): Query<PageQuery>,
) -> AppResult<Response> {
    let (q, page) = pq.parse().unwrap_or((None, PageRequest::default()));
    let people = cx.store().list_people(o.id, q.as_deref(), page).await?;
    let base = format!("/o/{}/people", o.slug);
    let link = |n: u32| {
        let mut x = pq.clone();
        x.page = Some(n.to_string());
        format!(
            "{base}?{}",
            serde_urlencoded::to_string(&x).unwrap_or_default()
        )
    };
    let (prev_href, next_href) = prev_next(&people, link);
    Ok(render(&PeoplePage {
        c: cx.chrome(Some(o), "people"),
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
    cx: Cx,
    OrgPath { org: o, params }: OrgPath,
) -> AppResult<Response> {
    let state = &cx.state;
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
        c: cx.chrome(Some(o), "people"),
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
    let d = PersonDraft {
        name: form.get("name").to_owned(),
        email: form.opt("email"),
        title: form.opt("title"),
        unit_id: opt_id(form, "unit_id", &mut e),
        active: !editing || form.checked("active"),
    };
    validated(e, d.validate())
}

async fn person_form(
    cx: &Cx,
    o: Organisation,
    id: Option<PersonId>,
    form: FormData,
    errors: FieldErrors,
) -> AppResult<Response> {
    let units = cx.store().list_units(o.id).await?;
    let (heading, back) = match id {
        Some(id) => ("person-edit", format!("/o/{}/people/{id}", o.slug)),
        None => ("person-new", format!("/o/{}/people", o.slug)),
    };
    Ok(SimpleForm {
        heading: cx.t(heading),
        action: back.clone(),
        cancel: back,
        fields: person_fields(&form, units, id.is_some()),
        errors,
        c: cx.chrome(Some(o), "people"),
    }
    .respond())
}

pub(super) async fn new_person(cx: Cx, OrgPath { org, .. }: OrgPath) -> AppResult<Response> {
    person_form(&cx, org, None, FormData::default(), FieldErrors::new()).await
}

pub(super) async fn edit_person(cx: Cx, OrgPath { org, params }: OrgPath) -> AppResult<Response> {
    let p = cx.store().get_person(org.id, params.id("id")?).await?;
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
    person_form(&cx, org, Some(p.id), form, FieldErrors::new()).await
}

pub(super) async fn create_person(
    cx: Cx,
    OrgPath { org, .. }: OrgPath,
    form: FormData,
) -> AppResult<Response> {
    let draft = person_draft(&form, false);
    let create = async |d| cx.store().create_person(&cx.actor, org.id, d).await;
    match submit(draft, create).await? {
        Posted::Done(p) => see(format!("/o/{}/people/{}", org.slug, p.id)),
        Posted::Invalid(errors) => person_form(&cx, org, None, form, errors).await,
    }
}

pub(super) async fn update_person(
    cx: Cx,
    OrgPath { org, params }: OrgPath,
    form: FormData,
) -> AppResult<Response> {
    let id: PersonId = params.id("id")?;
    cx.store().get_person(org.id, id).await?;
    let draft = person_draft(&form, true);
    let update = async |d| cx.store().update_person(&cx.actor, org.id, id, d).await;
    match submit(draft, update).await? {
        Posted::Done(p) => see(format!("/o/{}/people/{}", org.slug, p.id)),
        Posted::Invalid(errors) => person_form(&cx, org, Some(id), form, errors).await,
    }
}
