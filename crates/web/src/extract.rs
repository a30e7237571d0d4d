//! Request extractors: the user's language, the acting party, JSON bodies
//! whose errors come back as problem details.

use crate::error::AppError;
use crate::i18n::Lang;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use insyn_domain::FieldErrors;
use insyn_domain::validation::{self, Validate};
use insyn_store::Actor;
use serde::de::DeserializeOwned;

mod strict;

/// The language from the `lang` cookie; Swedish when absent.
impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    /// The language chosen with the switch (the `lang` cookie), else the
    /// signed-in user's own, else Swedish.
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let chosen = cookie(&parts.headers, "lang").and_then(Lang::parse);
        let own = || {
            let me = parts.extensions.get::<crate::auth::Principal>()?;
            Lang::parse(me.user.language.as_str())
        };
        Ok(chosen.or_else(own).unwrap_or_default())
    }
}

pub fn lang_of(headers: &axum::http::HeaderMap) -> Lang {
    cookie(headers, "lang")
        .and_then(Lang::parse)
        .unwrap_or_default()
}

/// The value of a request cookie.
pub fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Who acts in this request. Until sign-in exists this is the interface
/// used ("webb" or "api"), with the request id for tracing.
pub struct RequestActor(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for RequestActor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        // The signed-in user, as the authentication middleware found them.
        if let Some(actor) = parts.extensions.get::<Actor>() {
            return Ok(RequestActor(actor.clone()));
        }
        // Nested routers see their path without the prefix: ask for the original.
        let path = parts
            .extensions
            .get::<axum::extract::OriginalUri>()
            .map(|u| u.0.path().to_owned())
            .unwrap_or_else(|| parts.uri.path().to_owned());
        let name = if path.starts_with("/api/") {
            "api"
        } else {
            "webb"
        };
        let request_id = parts
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Ok(RequestActor(Actor {
            name: name.to_owned(),
            request_id,
        }))
    }
}

/// A JSON body. Malformed JSON is a 422 problem whose `detail` says what is
/// wrong; well-formed JSON with wrong or missing values is a 422 that names
/// every such field, together with the draft's own validation problems; a
/// body over the limit is a 413.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Validate> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| {
                if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::TooLarge
                } else {
                    AppError::Malformed(e.body_text())
                }
            })?;
        let mut value: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| AppError::Malformed(format!("invalid JSON body: {e}")))?;
        // Every request body of the API is a JSON object (and every struct
        // in it, which `strict::Strict` sees to): serde would also read a
        // struct from an array of its fields in order.
        if !value.is_object() {
            return Err(AppError::Invalid(FieldErrors::single(
                "body",
                insyn_domain::validation::WRONG_TYPE,
            )));
        }
        integral_numbers(&mut value);
        // PostgreSQL cannot store a NUL character in text, and no one types
        // one: dropped from every string, as from form posts.
        drop_nul(&mut value);
        parse_collecting(value).map(ApiJson)
    }
}

/// Removes NUL characters from every string value.
fn drop_nul(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::String(s) if s.contains('\0') => *s = s.replace('\0', ""),
        serde_json::Value::Array(a) => a.iter_mut().for_each(drop_nul),
        serde_json::Value::Object(o) => o.values_mut().for_each(drop_nul),
        _ => {}
    }
}

/// JSON does not tell `2` from `2.0` (JSON Schema calls both an integer):
/// a number without a fraction becomes an integer, so that integer fields
/// take it.
fn integral_numbers(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|_| n.is_f64())
                && f.fract() == 0.0
                && f.abs() < 9.0e15
            {
                *n = serde_json::Number::from(f as i64);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(integral_numbers),
        serde_json::Value::Object(map) => map.values_mut().for_each(integral_numbers),
        _ => {}
    }
}

/// Deserialises `value`; each top-level field of the wrong type or missing is
/// noted and set aside, and the rest is tried again, so that one answer
/// names every problem.
fn parse_collecting<T: DeserializeOwned + Validate>(
    mut value: serde_json::Value,
) -> Result<T, AppError> {
    let mut errors = FieldErrors::new();
    for _ in 0..64 {
        match serde_path_to_error::deserialize::<_, T>(strict::Strict(&value)) {
            Ok(v) => {
                for p in v.problems().0 {
                    if errors.get(&p.field).is_none() {
                        errors.0.push(p);
                    }
                }
                return if errors.is_empty() {
                    Ok(v)
                } else {
                    Err(AppError::Invalid(errors))
                };
            }
            Err(e) => {
                let path = e.path().to_string();
                let msg = e.into_inner().to_string();
                let (field, code) = match msg.strip_prefix("missing field `") {
                    Some(rest) => (
                        rest.split('`').next().unwrap_or("").to_owned(),
                        validation::REQUIRED,
                    ),
                    None => (path, validation::WRONG_TYPE),
                };
                let top = field.split(['.', '[']).next().unwrap_or("").to_owned();
                if errors.get(&field).is_some() || errors.get(&top).is_some() {
                    // A stand-in for a missing field did not fit either: stop here.
                    return Err(AppError::Invalid(errors));
                }
                errors.add(&field, code);
                let Some(obj) = value.as_object_mut() else {
                    return Err(AppError::Invalid(errors));
                };
                if code == validation::REQUIRED {
                    // A stand-in lets the rest be checked; the error is already noted.
                    obj.insert(top.clone(), serde_json::Value::String(String::new()));
                } else if obj.remove(&top).is_none() {
                    return Err(AppError::Invalid(errors));
                }
            }
        }
    }
    Err(AppError::Invalid(errors))
}

/// The API's query string: one that cannot be read (a parameter given twice)
/// is a 422 problem, like any other invalid input, instead of axum's plain 400;
/// each known parameter must be what the OpenAPI document says
/// ([`crate::query::strict::QUERY_PARAMS`]: no empty numbers, no `per_page` over
/// the cap), where the pages are lenient.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let q = axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map_err(|e| AppError::Malformed(e.body_text()))?;
        crate::query::strict::check_query_on(
            parts.uri.path(),
            parts.uri.query().unwrap_or_default(),
        )
        .map_err(AppError::Invalid)?;
        Ok(Query(q.0))
    }
}

/// The API's path parameters: a segment that cannot be read (not UTF-8 once
/// decoded) names nothing that exists, a 404 problem instead of axum's plain 400.
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(p) => Ok(Path(p.0)),
            Err(e) if e.status().is_server_error() => {
                tracing::error!(error = %e.body_text(), "path parameters do not fit the handler");
                Err(AppError::Internal)
            }
            Err(_) => Err(AppError::NotFound),
        }
    }
}

/// The client's address, when the server knows it (not in tests without a
/// socket): the peer's, or behind a trusted proxy the address it forwarded
/// for (see [`crate::limits::client_addr`]). The authentication middleware
/// works it out once per request.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<ClientIp>()
            .copied()
            .unwrap_or(ClientIp(
                parts
                    .extensions
                    .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                    .map(|c| c.0.ip()),
            )))
    }
}
