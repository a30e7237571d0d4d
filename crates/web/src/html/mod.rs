//! The pages. Every action is a plain link or form post; a successful post
//! redirects (post/redirect/get), a failed one shows the form again with the
//! typed values, an error summary at the top and a message beside each field.

use crate::AppState;
pub use crate::i18n::Val;
pub use crate::nav::{Here, is_local_path, urlencode};
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
mod chrome;
mod form;
mod page;
mod admin;
mod audit;
pub mod import;
mod org;
mod people;
mod policy;
mod public;
mod security;
mod systems;

pub use chrome::{Chrome, group_digits};
pub use form::{FormField, SimpleForm, unit_options};
pub(crate) use page::{Cx, Posted, form_status, render, render_status, see, submit};
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

