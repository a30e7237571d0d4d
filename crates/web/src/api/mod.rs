//! The REST API under `/api/v1/`: JSON in and out, lists as
//! `{ items, total, page, per_page }`, errors as problem details. Every
//! organisation-owned record is reached through its organisation's path, and
//! the store scopes every query to that organisation.
//!
//! One module per area, each with its routes (`routes`) and its part of the
//! OpenAPI document (`Doc`); this module only puts them together.

use crate::AppState;
use crate::auth::Rules;
use axum::Router;

pub mod audit;
pub mod openapi;
pub mod policy;
pub mod register;
pub mod roles;
pub mod security;
pub mod service;
mod support;
pub mod systems;

pub use openapi::openapi_json;
pub use service::healthz;

/// The audit query, shared with the audit page (it lives in [`crate::query`]).
pub use crate::query::AuditParams;

/// Every API route, to be nested under `/api/v1`.
pub fn routes(rules: &mut Rules) -> Router<AppState> {
    let r = Router::new();
    let r = service::routes(r, rules);
    let r = register::routes(r, rules);
    let r = systems::routes(r, rules);
    let r = roles::routes(r, rules);
    let r = audit::routes(r, rules);
    let r = security::routes(r, rules);
    policy::routes(r, rules)
}
