//! The pages. Every action is a plain link or form post; a successful post
//! redirects (post/redirect/get), a failed one shows the form again with the
//! typed values, an error summary at the top and a message beside each field.

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::extract::{RequestActor, lang_of};
use crate::forms::{FormData, SystemFormValues, system_draft};
use crate::i18n::Lang;
use crate::query::{ListRequest, PageQuery, SystemQuery};
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use insyn_domain::validation as v;
use insyn_domain::*;
use insyn_store::{AssignmentView, AuditEvent, SystemRow, UnitNode};
use std::str::FromStr;

mod account;
mod admin;
mod audit;
pub mod import;
mod org;
mod people;
mod policy;
mod public;
mod security;
mod systems;

use account::*;
use admin::*;
use audit::*;
use import::*;
use org::*;
use people::*;
use policy::*;
use public::*;
use security::*;
use systems::*;

pub fn routes(rules: &mut crate::auth::Rules) -> Router<AppState> {
    let mut r = Router::new();
    crate::routes!(r, rules, "";
        GET "/" => home, Authenticated;
        GET "/lang/{code}" => set_lang, Public;
        GET "/static/insyn.css" => stylesheet, Public;
        GET "/login" => login_page, Public;
        POST "/login" => login, Public;
        GET "/login/oidc" => crate::oidc::start, Public;
        GET "/login/oidc/callback" => crate::oidc::callback, Public;
        POST "/logout" => logout, Public;
        GET "/account" => account_page, Authenticated;
        POST "/account/tokens" => create_token, Authenticated;
        POST "/account/tokens/{id}/revoke" => revoke_token, Authenticated;
        POST "/account/logout-all" => logout_all, Authenticated;
        GET "/admin/users" => users_page, Administer;
        POST "/admin/users" => create_user, Administer;
        GET "/admin/users/new" => new_user, Administer;
        GET "/admin/users/{id}" => user_page, Administer;
        POST "/admin/users/{id}" => update_user, Administer;
        GET "/admin/audit" => installation_audit_page, Administer;
        GET "/o/{org}" => org_page, Read;
        GET "/o/{org}/audit" => audit_page, ReadAudit;
        GET "/o/{org}/systems" => register, Read;
        POST "/o/{org}/systems" => create_system, EditRegister;
        GET "/o/{org}/systems/new" => new_system, EditRegister;
        GET "/o/{org}/systems/{id}" => system_page, Read;
        POST "/o/{org}/systems/{id}" => update_system, EditSystem;
        GET "/o/{org}/systems/{id}/edit" => edit_system, EditSystem;
        POST "/o/{org}/systems/{id}/archive" => archive_system, EditRegister;
        POST "/o/{org}/systems/{id}/restore" => restore_system, EditRegister;
        POST "/o/{org}/systems/{id}/roles" => assign_role, EditSystem;
        POST "/o/{org}/assignments/{id}/end" => end_assignment, EditRegister;
        GET "/o/{org}/people" => people_page, Read;
        POST "/o/{org}/people" => create_person, EditRegister;
        GET "/o/{org}/people/new" => new_person, EditRegister;
        GET "/o/{org}/people/{id}" => person_page, Read;
        POST "/o/{org}/people/{id}" => update_person, EditRegister;
        GET "/o/{org}/people/{id}/edit" => edit_person, EditRegister;
        POST "/o/{org}/units" => create_unit, EditRegister;
        GET "/o/{org}/units/new" => new_unit, EditRegister;
        GET "/o/{org}/units/{id}" => unit_page, Read;
        POST "/o/{org}/units/{id}" => update_unit, EditRegister;
        GET "/o/{org}/units/{id}/edit" => edit_unit, EditRegister;
        GET "/static/print.css" => print_stylesheet, Public;
        GET "/tillganglighet" => accessibility, Public;
        GET "/public" => public_orgs, Public;
        GET "/public/{org}" => public_register, Public;
        GET "/public/{org}/{file}" => public_export, Public;
        GET "/o/{org}/export/{file}" => export_register, Read;
        GET "/o/{org}/export-full" => export_full, Administer;
        GET "/o/{org}/import" => import_page, EditRegister;
        POST "/o/{org}/import" => upload, EditRegister;
        POST "/o/{org}/import/{token}" => confirm, EditRegister;
        POST "/o/{org}/import/{token}/mapping" => remap, EditRegister;
        GET "/o/{org}/settings/secrecy" => secrecy_page, Administer;
        POST "/o/{org}/settings/secrecy" => save_secrecy, Administer;
        GET "/o/{org}/systems/{id}/security" => security_page, Read;
        POST "/o/{org}/systems/{id}/security/sets" => create_set, EditSystem;
        POST "/o/{org}/systems/{id}/security/sets/{set}/classify" => classify_set, EditSystem;
        POST "/o/{org}/systems/{id}/security/decision" => decide, EditSystem;
        GET "/o/{org}/systems/{id}/plan" => plan_page, Read;
        POST "/o/{org}/systems/{id}/plan" => start_plan, EditSystem;
        GET "/o/{org}/systems/{id}/plan/{plan}" => plan_version_page, Read;
        POST "/o/{org}/systems/{id}/plan/{plan}" => save_plan, EditSystem;
        GET "/o/{org}/systems/{id}/plan/{plan}/print" => plan_print, Read;
        POST "/o/{org}/systems/{id}/plan/{plan}/submit" => submit_plan, EditSystem;
        POST "/o/{org}/systems/{id}/plan/{plan}/return" => return_plan, EditSystem;
        POST "/o/{org}/systems/{id}/plan/{plan}/approve" => approve_plan, ActAsOwner;
        GET "/o/{org}/systems/{id}/approval" => approval_page, Read;
        POST "/o/{org}/systems/{id}/approval" => create_approval, EditSystem;
        POST "/o/{org}/systems/{id}/approval/{approval}/sign-owner" => sign_as_owner, ActAsOwner;
        POST "/o/{org}/systems/{id}/approval/{approval}/sign-it" => sign_for_it, SignForIt;
        GET "/o/{org}/tasks" => tasks_page, Read;
        GET "/o/{org}/compliance" => compliance_page, Read;
        GET "/o/{org}/cycle" => cycle_page, Read;
        POST "/o/{org}/cycle/controls" => record_org_control, EditRegister;
        GET "/o/{org}/policy" => policy_page, Read;
        POST "/o/{org}/policy/adopt" => adopt_profile, Administer;
        GET "/o/{org}/policy/edit" => policy_edit, Administer;
        POST "/o/{org}/policy/edit" => policy_save, Administer;
        POST "/o/{org}/policy/import" => policy_import, Administer;
        GET "/o/{org}/policy/export" => policy_export, Read;
        GET "/o/{org}/policy/checklist" => checklist_page, Administer;
        POST "/o/{org}/policy/checklist" => checklist_save, Administer;
        GET "/o/{org}/systems/{id}/compliance" => system_compliance, Read;
        POST "/o/{org}/systems/{id}/documents" => record_document, EditSystem;
        POST "/o/{org}/systems/{id}/controls" => record_system_control, EditSystem;
        POST "/o/{org}/systems/{id}/reviews" => start_review, EditSystem;
        GET "/o/{org}/systems/{id}/reviews/{review}" => review_page, Read;
        POST "/o/{org}/systems/{id}/reviews/{review}" => answer_review, EditSystem;
        POST "/o/{org}/systems/{id}/reviews/{review}/sign" => sign_review, ActAsOwner;
    );
    r
}

/// What the layout needs on every page.
pub struct Chrome {
    pub lang: Lang,
    /// The current path and query, for the language switch to come back to.
    pub here: String,
    pub org: Option<Organisation>,
    /// Which main navigation entry is current.
    pub section: &'static str,
    /// The signed-in user's name.
    pub me: Option<String>,
    /// Whether the user administers the whole installation.
    pub admin: bool,
    /// The user's role in the current organisation.
    pub role: Option<AppRole>,
}

/// Where the request is, and who makes it: what every page needs to draw
/// its frame.
pub struct Here {
    pub uri: axum::http::Uri,
    pub me: Option<crate::auth::Principal>,
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Here {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        let uri = parts
            .extensions
            .get::<OriginalUri>()
            .map(|u| u.0.clone())
            .unwrap_or_else(|| parts.uri.clone());
        Ok(Here {
            uri,
            me: parts.extensions.get::<crate::auth::Principal>().cloned(),
        })
    }
}

impl Chrome {
    fn new(lang: Lang, uri: &Here, org: Option<Organisation>, section: &'static str) -> Self {
        let role = match (&uri.me, &org) {
            (Some(me), Some(o)) => me.role_in(o.id),
            _ => None,
        };
        Self {
            lang,
            here: uri
                .uri
                .path_and_query()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_else(|| "/".into()),
            org,
            section,
            me: uri.me.as_ref().map(|p| p.user.name.clone()),
            admin: uri.me.as_ref().is_some_and(|p| p.is_installation_admin()),
            role,
        }
    }

    /// The fields an audit entry changed, by name.
    pub fn changed_fields(&self, e: &AuditEvent) -> String {
        e.changes
            .as_object()
            .map(|m| m.keys().cloned().collect::<Vec<_>>().join(", "))
            .unwrap_or_default()
    }

    /// Whether the signed-in user administers this organisation.
    pub fn administers(&self) -> bool {
        self.role.is_some_and(|r| r.allows(Permission::Administer))
    }

    /// Whether the signed-in user may change this organisation's register.
    pub fn can_edit(&self) -> bool {
        self.role
            .is_some_and(|r| r.allows(Permission::EditRegister))
    }

    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// The link that switches to the other language and comes back here.
    pub fn switch_href(&self) -> String {
        format!(
            "/lang/{}?next={}",
            self.lang.other().code(),
            urlencode(&self.here)
        )
    }

    pub fn org_slug(&self) -> &str {
        self.org.as_ref().map(|o| o.slug.as_str()).unwrap_or("")
    }

    pub fn lifecycle(&self, l: impl Val<Lifecycle>) -> String {
        self.lang.t(&format!("lifecycle-{}", l.val().as_str()))
    }

    pub fn hosting(&self, h: impl Val<Hosting>) -> String {
        self.lang.t(&format!("hosting-{}", h.val().as_str()))
    }

    pub fn yes_no(&self, b: impl Val<bool>) -> String {
        self.lang.t(if b.val() { "yes" } else { "no" })
    }

    pub fn date(&self, d: impl Val<Option<NaiveDate>>) -> String {
        d.val().map(|d| d.to_string()).unwrap_or_default()
    }

    pub fn count(&self, n: impl Val<Option<i64>>) -> String {
        n.val().map(group_digits).unwrap_or_default()
    }

    pub fn role_name(&self, a: &AssignmentView) -> String {
        a.role_name(self.lang.code()).to_owned()
    }

    pub fn field_error(&self, errors: &FieldErrors, field: &str) -> String {
        errors
            .get_error(field)
            .map(|e| self.lang.field_message(e))
            .unwrap_or_default()
    }
}

/// A copyable value, whether askama hands it over by value or by reference.
pub trait Val<T> {
    fn val(&self) -> T;
}

macro_rules! val {
    ($($t:ty),*) => {$(
        impl Val<$t> for $t { fn val(&self) -> $t { *self } }
        impl Val<$t> for &$t { fn val(&self) -> $t { **self } }
        impl Val<$t> for &&$t { fn val(&self) -> $t { ***self } }
    )*};
}
val!(
    Lifecycle,
    Hosting,
    bool,
    Option<NaiveDate>,
    Option<i64>,
    i64
);

/// 1250 → "1 250", as Swedish writes numbers (a no-break space).
pub fn group_digits(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|x| x.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            AppError::Internal.into_response()
        }
    }
}

fn render_status(status: StatusCode, t: &impl Template) -> Response {
    let mut r = render(t);
    *r.status_mut() = status;
    r
}

/// A form shown fresh is 200; shown again with errors, 422.
fn form_status(errors: &FieldErrors) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

fn parse_id<T: FromStr>(s: &str) -> AppResult<T> {
    s.parse().map_err(|_| AppError::NotFound)
}

async fn org_of(state: &AppState, slug: &str) -> AppResult<Organisation> {
    Ok(state.store.org_by_slug(slug).await?)
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    title: String,
    detail: String,
}

/// Turns an error response from a page handler into a page in the user's language.
pub async fn html_errors(req: Request, next: Next) -> Response {
    let lang = lang_of(req.headers());
    let uri = Here {
        uri: req.uri().clone(),
        me: req.extensions().get::<crate::auth::Principal>().cloned(),
    };
    let resp = next.run(req).await;
    let Some(err) = resp.extensions().get::<AppError>().cloned() else {
        return resp;
    };
    let detail = match &err {
        AppError::NotFound => lang.t("error-not-found-detail"),
        AppError::Unauthorized => lang.t("error-unauthorized-detail"),
        AppError::Forbidden => lang.t("error-forbidden-detail"),
        AppError::ForbiddenBecause(key) => lang.t(key),
        AppError::TooManyRequests => lang.t("error-too-many-requests-detail"),
        AppError::MethodNotAllowed => lang.t("error-method-not-allowed-detail"),
        AppError::Invalid(e) | AppError::Conflict(e) => {
            e.0.iter()
                .map(|x| {
                    let label = lang.t(&format!("field-{}", x.field.replace('_', "-")));
                    format!("{label}: {}", lang.field_message(x))
                })
                .collect::<Vec<_>>()
                .join("; ")
        }
        AppError::BadRequest(_) | AppError::Malformed(_) => lang.t("error-bad-request-detail"),
        AppError::TooLarge => lang.t("error-too-large-detail"),
        AppError::Internal => lang.t("error-internal-detail"),
    };
    render_status(
        err.status(),
        &ErrorPage {
            c: Chrome::new(lang, &uri, None, ""),
            title: lang.t(err.title_key()),
            detail,
        },
    )
}

/// The redirect that sets the session cookie (for OpenID Connect sign-in).
pub(crate) use account::signed_in;

/// An error page in the user's language, outside the [`AppError`] cases
/// (a failed OpenID Connect sign-in).
pub(crate) fn error_page(
    lang: Lang,
    uri: &Here,
    status: StatusCode,
    title: String,
    detail: String,
) -> Response {
    render_status(
        status,
        &ErrorPage {
            c: Chrome::new(lang, uri, None, ""),
            title,
            detail,
        },
    )
}

pub async fn not_found(lang: Lang, uri: Here) -> Response {
    if uri.uri.path().starts_with("/api/") {
        return AppError::NotFound.into_response();
    }
    render_status(
        StatusCode::NOT_FOUND,
        &ErrorPage {
            c: Chrome::new(lang, &uri, None, ""),
            title: lang.t("error-not-found"),
            detail: lang.t("error-not-found-detail"),
        },
    )
}

#[derive(Template)]
#[template(path = "accessibility.html")]
struct AccessibilityPage {
    c: Chrome,
}

/// Tillgänglighetsredogörelse: the accessibility statement the law on
/// accessible digital public services requires.
async fn accessibility(lang: Lang, uri: Here) -> Response {
    render(&AccessibilityPage {
        c: Chrome::new(lang, &uri, None, "a11y"),
    })
}

async fn print_stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/print.css"),
    )
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/insyn.css"),
    )
}

#[derive(serde::Deserialize)]
struct Next_ {
    next: Option<String>,
}

/// Sets the language cookie and goes back to where the user was.
async fn set_lang(Path(code): Path<String>, Query(q): Query<Next_>) -> Response {
    let lang = Lang::parse(&code).unwrap_or_default();
    // Only local paths: never redirect elsewhere.
    let next = q
        .next
        .filter(|n| is_local_path(n))
        .unwrap_or_else(|| "/".into());
    let mut r = Redirect::to(&next).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    )) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

/// A path on this site: one leading slash, no scheme or host, no backslash
/// or control character that a browser could read as another host.
pub fn is_local_path(s: &str) -> bool {
    s.starts_with('/')
        && !s[1..].starts_with(['/', '\\'])
        && !s
            .chars()
            .any(|c| c.is_control() || c == '\\' || c.is_whitespace())
}

/// One field of a [`SimpleForm`].
pub struct FormField {
    pub name: &'static str,
    /// Message key of the label.
    pub label: &'static str,
    /// text, email, select or checkbox.
    pub kind: &'static str,
    pub value: String,
    pub required: bool,
    /// (value, shown text) for selects.
    pub options: Vec<(String, String)>,
}

impl FormField {
    pub fn text(name: &'static str, label: &'static str, value: String, required: bool) -> Self {
        Self {
            name,
            label,
            kind: "text",
            value,
            required,
            options: vec![],
        }
    }

    pub fn kind(mut self, kind: &'static str) -> Self {
        self.kind = kind;
        self
    }

    pub fn select(
        name: &'static str,
        label: &'static str,
        value: String,
        options: Vec<(String, String)>,
    ) -> Self {
        Self {
            name,
            label,
            kind: "select",
            value,
            required: false,
            options,
        }
    }

    pub fn is(&self, kind: &str) -> bool {
        self.kind == kind
    }
}

/// A plain form of a few fields (people, units), with an error summary.
#[derive(Template)]
#[template(path = "simple_form.html")]
pub struct SimpleForm {
    pub c: Chrome,
    pub heading: String,
    pub action: String,
    pub cancel: String,
    pub fields: Vec<FormField>,
    pub errors: FieldErrors,
}

impl SimpleForm {
    pub fn has_err(&self, field: &str) -> bool {
        self.errors.get(field).is_some()
    }

    pub fn err(&self, field: &str) -> String {
        self.c.field_error(&self.errors, field)
    }

    pub fn label_of(&self, field: &str) -> String {
        self.fields
            .iter()
            .find(|f| f.name == field)
            .map(|f| self.c.t(f.label))
            .unwrap_or_else(|| field.to_owned())
    }

    /// Shows the form: 200 when fresh, 422 when it comes back with errors.
    pub fn respond(self) -> Response {
        let status = form_status(&self.errors);
        render_status(status, &self)
    }
}

/// The units of an organisation as select options, indented by depth.
pub fn unit_options(units: Vec<Unit>) -> Vec<(String, String)> {
    insyn_store::units_tree_order(units)
        .into_iter()
        .map(|(u, depth)| {
            (
                u.id.to_string(),
                format!("{}{}", "\u{a0}\u{a0}".repeat(depth), u.name),
            )
        })
        .collect()
}
