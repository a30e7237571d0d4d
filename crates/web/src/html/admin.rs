//! Users and what they may do, for the installation's administrators.

use super::*;
use insyn_domain::Grant;
use insyn_store::User;

#[derive(Template)]
#[template(path = "users.html")]
pub(super) struct UsersPage {
    c: Chrome,
    users: Vec<User>,
    orgs: Vec<Organisation>,
}

impl UsersPage {
    pub fn grants_text(&self, u: &User) -> String {
        u.grants
            .iter()
            .map(|g| {
                let org = match g.org_id {
                    None => self.c.t("grant-all-orgs"),
                    Some(id) => self
                        .orgs
                        .iter()
                        .find(|o| o.id == id)
                        .map(|o| o.name.clone())
                        .unwrap_or_default(),
                };
                format!(
                    "{}: {}",
                    org,
                    self.c.t(&format!("app-role-{}", g.role.as_str()))
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

pub(super) async fn users_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
) -> AppResult<Response> {
    Ok(render(&UsersPage {
        c: Chrome::new(lang, &uri, None, "admin"),
        users: state.store.list_users().await?,
        orgs: state.store.list_orgs().await?,
    }))
}

#[derive(Template)]
#[template(path = "user_form.html")]
pub(super) struct UserForm {
    c: Chrome,
    id: Option<UserId>,
    form: FormData,
    orgs: Vec<Organisation>,
    errors: FieldErrors,
}

impl UserForm {
    pub fn v(&self, k: &str) -> String {
        self.form.get(k).to_owned()
    }

    pub fn err(&self, field: &str) -> String {
        self.c.field_error(&self.errors, field)
    }

    pub fn has_err(&self, field: &str) -> bool {
        self.errors.get(field).is_some()
    }

    pub fn role_options(&self) -> Vec<(&'static str, String)> {
        AppRole::ALL
            .iter()
            .map(|r| (r.as_str(), self.c.t(&format!("app-role-{}", r.as_str()))))
            .collect()
    }
}

/// Grants from the form: `role-all` for every organisation, `role-<org id>` per organisation.
fn grants_of(form: &FormData, orgs: &[Organisation]) -> Vec<Grant> {
    let mut g = vec![];
    if let Some(r) = AppRole::parse(form.get("role-all")) {
        g.push(Grant {
            org_id: None,
            role: r,
        });
    }
    for o in orgs {
        if let Some(r) = AppRole::parse(form.get(&format!("role-{}", o.id))) {
            g.push(Grant {
                org_id: Some(o.id),
                role: r,
            });
        }
    }
    g
}

fn form_of(u: &User) -> FormData {
    let mut f = vec![
        ("email".to_owned(), u.email.clone()),
        ("name".to_owned(), u.name.clone()),
        (
            "active".to_owned(),
            if u.active { "on" } else { "" }.to_owned(),
        ),
    ];
    for g in &u.grants {
        let key = match g.org_id {
            None => "role-all".to_owned(),
            Some(o) => format!("role-{o}"),
        };
        f.push((key, g.role.as_str().to_owned()));
    }
    FormData(f)
}

async fn user_form(
    state: &AppState,
    lang: Lang,
    uri: &Here,
    id: Option<UserId>,
    form: FormData,
    errors: FieldErrors,
) -> AppResult<Response> {
    let status = form_status(&errors);
    Ok(render_status(
        status,
        &UserForm {
            c: Chrome::new(lang, uri, None, "admin"),
            id,
            form,
            orgs: state.store.list_orgs().await?,
            errors,
        },
    ))
}

pub(super) async fn new_user(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
) -> AppResult<Response> {
    let form = FormData(vec![("active".into(), "on".into())]);
    user_form(&state, lang, &uri, None, form, FieldErrors::new()).await
}

pub(super) async fn user_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let u = state.store.get_user(parse_id(&id)?).await?;
    user_form(
        &state,
        lang,
        &uri,
        Some(u.id),
        form_of(&u),
        FieldErrors::new(),
    )
    .await
}

pub(super) async fn create_user(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    body: Bytes,
) -> AppResult<Response> {
    let form = FormData::parse(&body);
    let orgs = state.store.list_orgs().await?;
    let password = form.opt("password");
    match state
        .store
        .create_user(
            &actor,
            form.get("email"),
            form.get("name"),
            password.as_deref(),
            &grants_of(&form, &orgs),
        )
        .await
    {
        Ok(u) => Ok(Redirect::to(&format!("/admin/users/{}", u.id)).into_response()),
        Err(insyn_store::StoreError::Invalid(e)) => {
            user_form(&state, lang, &uri, None, without_password(form), e).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A password is never sent back to the browser.
fn without_password(form: FormData) -> FormData {
    FormData(
        form.0
            .into_iter()
            .filter(|(k, _)| k != "password")
            .collect(),
    )
}

pub(super) async fn update_user(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    Path(id): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let id: UserId = parse_id(&id)?;
    let before = state.store.get_user(id).await?;
    let form = FormData::parse(&body);
    let orgs = state.store.list_orgs().await?;
    let result = state
        .store
        .update_user(
            &actor,
            id,
            form.get("name"),
            form.checked("active"),
            &grants_of(&form, &orgs),
        )
        .await;
    let result = match (result, form.opt("password")) {
        (Ok(_), Some(pw)) => state.store.set_password(&actor, id, &pw).await,
        (r, _) => r.map(|_| ()),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin/users/{id}?saved=1")).into_response()),
        Err(insyn_store::StoreError::Invalid(e)) => {
            let mut form = without_password(form);
            form.0.retain(|(k, _)| k != "email");
            form.0.push(("email".into(), before.email));
            user_form(&state, lang, &uri, Some(id), form, e).await
        }
        Err(e) => Err(e.into()),
    }
}
