//! Error pages: an error a page handler returns, a path that names nothing,
//! and the failures of an OpenID Connect sign-in, each as a page in the
//! user's language.

use super::*;
use crate::extract::lang_of;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    title: String,
    detail: String,
}

/// Turns an error response from a page handler into a page in the user's
/// language. Layered twice: inside, around the page routes (the page knows
/// who is signed in), and outside sign-in, for the errors that come before
/// routing (a database that is away when the session is looked up); API
/// paths keep their JSON.
pub async fn html_errors(req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
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
        AppError::Unavailable(_) | AppError::Internal => lang.t(&err.detail_key()),
    };
    let mut page = error_page(lang, &uri, err.status(), lang.t(err.title_key()), detail);
    if let Some(seconds) = err.retry_after() {
        page.headers_mut()
            .insert(axum::http::header::RETRY_AFTER, seconds.into());
    }
    page
}

/// An error page in the user's language, outside the [`AppError`] cases
/// (a failed OpenID Connect sign-in).
pub fn error_page(
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
    let (title, detail) = (lang.t("error-not-found"), lang.t("error-not-found-detail"));
    error_page(lang, &uri, StatusCode::NOT_FOUND, title, detail)
}
