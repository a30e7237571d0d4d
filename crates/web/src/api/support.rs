//! What the API's areas share: the list envelope, the `201 Created` answer
//! and the refusals of state changes. Only the area modules import this;
//! it imports none of them.

use crate::error::AppError;
use axum::Json;
use axum::http::StatusCode;
use insyn_domain::Page;
use insyn_store::StoreError;

/// Declares an area of the API: its routes, each with the permission it
/// needs (as [`crate::routes!`]), nested under `/api/v1`, and its part of the
/// OpenAPI document (`Doc`, the same handlers' paths), so that a route
/// cannot be left out of the document.
macro_rules! area {
    ($($method:ident $path:literal => $($handler:ident)::+, $perm:ident;)*) => {
        pub fn routes(
            mut r: axum::Router<$crate::AppState>,
            rules: &mut $crate::auth::Rules,
        ) -> axum::Router<$crate::AppState> {
            $crate::routes!(r, rules, "/api/v1"; $($method $path => $($handler)::+, $perm;)*);
            r
        }

        /// This area's paths and schemas in the OpenAPI document.
        #[derive(utoipa::OpenApi)]
        #[openapi(paths($($($handler)::+),*))]
        pub struct Doc;
    };
}
pub(crate) use area;

/// Declares list types: one page of `$item`s, made from a store page or a
/// whole list of anything that converts into `$item`.
macro_rules! list_type {
    ($($name:ident($item:ty)),* $(,)?) => {$(
        /// One page of results and the total that matched.
        #[derive(Debug, serde::Serialize, utoipa::ToSchema)]
        pub struct $name {
            pub items: Vec<$item>,
            pub total: i64,
            pub page: u32,
            pub per_page: u32,
            /// True when counting stopped at `total`: more than that many matched.
            #[serde(skip_serializing_if = "std::ops::Not::not")]
            pub total_capped: bool,
        }

        impl<T: Into<$item>> From<insyn_domain::Page<T>> for $name {
            fn from(p: insyn_domain::Page<T>) -> Self {
                Self {
                    items: p.items.into_iter().map(Into::into).collect(),
                    total: p.total,
                    page: p.page,
                    per_page: p.per_page,
                    total_capped: p.total_capped,
                }
            }
        }

        impl<T: Into<$item>> From<Vec<T>> for $name {
            fn from(items: Vec<T>) -> Self {
                Self::from($crate::api::support::whole(items))
            }
        }
    )*};
}
pub(crate) use list_type;

/// A whole list as its only page.
pub fn whole<T>(items: Vec<T>) -> Page<T> {
    let total = items.len() as i64;
    Page {
        per_page: items.len().max(1) as u32,
        items,
        total,
        page: 1,
        total_capped: false,
    }
}

/// A new record, answered with `201 Created`.
pub type Created<T> = (StatusCode, Json<T>);

pub fn created<T>(v: impl Into<T>) -> Created<T> {
    (StatusCode::CREATED, Json(v.into()))
}

/// What the store refuses on an operation whose errors name the record's
/// state (`status`) or its missing basis: a 409 conflict, not a 422.
pub fn conflict(e: StoreError) -> AppError {
    const STATE_FIELDS: &[&str] = &["status", "classification", "plan"];
    match e {
        StoreError::Invalid(f) if f.0.iter().all(|x| STATE_FIELDS.contains(&x.field.as_str())) => {
            AppError::Conflict(f)
        }
        other => other.into(),
    }
}

/// Every refusal of an operation that only moves a record's state (no body:
/// submit, return, approve, sign) is a conflict.
pub fn state_conflict(e: StoreError) -> AppError {
    match e {
        StoreError::Invalid(f) => AppError::Conflict(f),
        other => other.into(),
    }
}

/// What a handler that changes something takes: the store, and who acts
/// (the audit trail names them).
pub struct Acting {
    pub store: insyn_store::Store,
    pub actor: insyn_store::Actor,
}

impl axum::extract::FromRequestParts<crate::AppState> for Acting {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &crate::AppState,
    ) -> Result<Self, Self::Rejection> {
        let crate::extract::RequestActor(actor) =
            crate::extract::RequestActor::from_request_parts(parts, state).await?;
        Ok(Acting {
            store: state.store.clone(),
            actor,
        })
    }
}
