//! Users and what they may do, for the installation's administrators.

use super::*;
use crate::context::PathParams;
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

pub(super) async fn users_page(cx: Cx) -> AppResult<Response> {
    Ok(render(&UsersPage {
        users: cx.store().list_users().await?,
        orgs: cx.store().list_orgs().await?,
        c: cx.chrome(None, "admin"),
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
    cx: &Cx,
    id: Option<UserId>,
    form: FormData,
    errors: FieldErrors,
) -> AppResult<Response> {
    let page = UserForm {
        c: cx.chrome(None, "admin"),
        id,
        form,
        orgs: cx.store().list_orgs().await?,
        errors,
    };
    Ok(form_page(&page.errors, &page))
}

pub(super) async fn new_user(cx: Cx) -> AppResult<Response> {
    let form = FormData(vec![("active".into(), "on".into())]);
    user_form(&cx, None, form, FieldErrors::new()).await
}

pub(super) async fn user_page(cx: Cx, path: PathParams) -> AppResult<Response> {
    let u = cx.store().get_user(path.id("id")?).await?;
    user_form(&cx, Some(u.id), form_of(&u), FieldErrors::new()).await
}

pub(super) async fn create_user(cx: Cx, form: FormData) -> AppResult<Response> {
    let orgs = cx.store().list_orgs().await?;
    let password = form.opt("password");
    let grants = grants_of(&form, &orgs);
    let create = async |f: &FormData| {
        let (email, name) = (f.get("email"), f.get("name"));
        let store = cx.store();
        store
            .create_user(&cx.actor, email, name, password.as_deref(), &grants)
            .await
    };
    match submit(Ok(&form), create).await? {
        Posted::Done(u) => see(format!("/admin/users/{}", u.id)),
        Posted::Invalid(e) => user_form(&cx, None, without_password(form), e).await,
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

pub(super) async fn update_user(cx: Cx, path: PathParams, form: FormData) -> AppResult<Response> {
    let id: UserId = path.id("id")?;
    let before = cx.store().get_user(id).await?;
    let orgs = cx.store().list_orgs().await?;
    let grants = grants_of(&form, &orgs);
    let update = async |f: &FormData| {
        let store = cx.store();
        let (name, active) = (f.get("name"), f.checked("active"));
        store
            .update_user(&cx.actor, id, name, active, &grants)
            .await?;
        match f.opt("password") {
            Some(pw) => store.set_password(&cx.actor, id, &pw).await,
            None => Ok(()),
        }
    };
    match submit(Ok(&form), update).await? {
        Posted::Done(()) => see(format!("/admin/users/{id}?saved=1")),
        Posted::Invalid(e) => {
            let mut form = without_password(form);
            form.0.retain(|(k, _)| k != "email");
            form.0.push(("email".into(), before.email));
            user_form(&cx, Some(id), form, e).await
        }
    }
}
