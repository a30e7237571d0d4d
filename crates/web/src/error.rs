//! One error type for the whole HTTP layer. It renders as
//! `application/problem+json` for the API; for pages, the `html_errors`
//! middleware turns the same error into a page in the user's language.
//! Internal causes are logged, never shown.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use insyn_domain::FieldErrors;
use insyn_store::{Outage, StoreError};
use serde_json::json;

#[derive(Debug, Clone)]
pub enum AppError {
    NotFound,
    /// No valid session or token.
    Unauthorized,
    /// Signed in, but the role does not allow this.
    Forbidden,
    /// Signed in, but not the person who may do this: the message key says
    /// who may, and why the caller is not that person.
    ForbiddenBecause(&'static str),
    /// Too many attempts; try again later.
    TooManyRequests,
    /// The path exists, but not with this method.
    MethodNotAllowed,
    /// Input that failed validation, field by field.
    Invalid(FieldErrors),
    /// A request that cannot be understood (an upload that is not a spreadsheet, …).
    BadRequest(String),
    /// An API request whose body or query string cannot be read (malformed
    /// JSON, a repeated parameter): 422 like every other invalid input, with
    /// what is wrong as the detail.
    Malformed(String),
    /// A body over the size limit.
    TooLarge,
    /// The record's state does not allow this now (a plan that is no longer
    /// a draft, an approval without its basis), field by field like `Invalid`.
    Conflict(FieldErrors),
    /// The database cannot serve now (PostgreSQL away, its disk full): 503
    /// with `Retry-After`, nothing changed; the request may be sent again.
    Unavailable(Outage),
    Internal,
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Invalid(f) => AppError::Invalid(f),
            // A profile's problems, each named by its line or rule.
            StoreError::Profile(problems) => AppError::Invalid(insyn_domain::FieldErrors(
                problems
                    .into_iter()
                    .map(|p| insyn_domain::FieldError {
                        field: p.path,
                        code: p.code,
                        allowed: vec![],
                    })
                    .collect(),
            )),
            StoreError::Refused(why) => AppError::BadRequest(why),
            other if let Some(outage) = other.outage() => {
                tracing::error!(error = %other, ?outage, "the database cannot serve the request");
                AppError::Unavailable(outage)
            }
            other => {
                tracing::error!(error = %other, "storage error");
                AppError::Internal
            }
        }
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::ForbiddenBecause(_) => StatusCode::FORBIDDEN,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            // A unique value that is taken (a slug, an e-mail address, a
            // system's name) conflicts with a record that exists: 409.
            AppError::Invalid(e)
                if !e.is_empty()
                    && e.0
                        .iter()
                        .all(|x| x.code == insyn_domain::validation::TAKEN) =>
            {
                StatusCode::CONFLICT
            }
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Malformed(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Seconds a client should wait before sending the request again
    /// (`Retry-After`), for errors that pass by themselves.
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            AppError::Unavailable(Outage::Unreachable) => Some(5),
            AppError::Unavailable(Outage::DiskFull) => Some(60),
            _ => None,
        }
    }

    /// The message key of the explanation under the title.
    pub fn detail_key(&self) -> String {
        format!("{}-detail", self.title_key())
    }

    /// The message key of the title shown to people.
    pub fn title_key(&self) -> &'static str {
        match self {
            AppError::NotFound => "error-not-found",
            AppError::Unauthorized => "error-unauthorized",
            AppError::Forbidden | AppError::ForbiddenBecause(_) => "error-forbidden",
            AppError::TooManyRequests => "error-too-many-requests",
            AppError::MethodNotAllowed => "error-method-not-allowed",
            AppError::Invalid(_) => "error-invalid",
            AppError::BadRequest(_) => "error-bad-request",
            AppError::Malformed(_) => "error-invalid",
            AppError::TooLarge => "error-too-large",
            AppError::Conflict(_) => "error-conflict",
            AppError::Unavailable(Outage::Unreachable) => "error-unavailable",
            AppError::Unavailable(Outage::DiskFull) => "error-disk-full",
            AppError::Internal => "error-internal",
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let lang = crate::i18n::Lang::En;
        let mut body = json!({
            "type": "about:blank",
            "title": lang.t(self.title_key()),
            "status": status.as_u16(),
        });
        match &self {
            AppError::Invalid(errors) | AppError::Conflict(errors) => {
                body["errors"] = json!(
                    errors
                        .0
                        .iter()
                        .map(|e| {
                            let mut o = json!({
                                "field": e.field,
                                "code": e.code,
                                "message": lang.field_message(e),
                            });
                            if !e.allowed.is_empty() {
                                o["allowed"] = json!(e.allowed);
                            }
                            o
                        })
                        .collect::<Vec<_>>()
                );
            }
            AppError::BadRequest(detail) | AppError::Malformed(detail) => {
                body["detail"] = json!(detail)
            }
            AppError::ForbiddenBecause(key) => body["detail"] = json!(lang.t(key)),
            AppError::Unavailable(_) => body["detail"] = json!(lang.t(&self.detail_key())),
            _ => {}
        }
        let mut resp = (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body.to_string(),
        )
            .into_response();
        if let Some(seconds) = self.retry_after() {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, axum::http::HeaderValue::from(seconds));
        }
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"insyn\""),
            );
        }
        resp.extensions_mut().insert(self);
        resp
    }
}

pub type AppResult<T> = Result<T, AppError>;
