//! The REST API under `/api/v1/`: JSON in and out, lists as
//! `{ items, total, page, per_page }`, errors as problem details. Every
//! organisation-owned record is reached through its organisation's path, and
//! the store scopes every query to that organisation.
//!
//! One module per area, each with its routes (`routes`) and its part of the
//! OpenAPI document (`Doc`), declared together with `area!`; this module
//! only puts the areas together.

use crate::AppState;
use crate::auth::Rules;
use axum::Router;
use utoipa::OpenApi;

pub mod access;
pub mod access_reviews;
pub mod audit;
pub mod benefit;
pub mod continuity;
pub mod contracts;
pub mod cycle;
pub mod decommission;
pub mod eservices;
pub mod feed;
pub mod hr;
pub mod incidents;
pub mod integrations;
pub mod it_services;
pub mod jobs;
pub mod licences;
pub mod movers;
pub mod openapi;
pub mod outage_plans;
pub mod policy;
pub mod processing;
pub mod processors;
pub mod register;
pub mod regulatory;
pub mod roles;
pub mod roster;
pub mod security;
pub mod service;
pub mod suppliers;
mod support;
pub mod systems;
pub mod webhooks;

pub use openapi::openapi_json;
pub use service::{healthz, readyz};

/// An area: its routes, and its part of the OpenAPI document.
type Area = (
    fn(Router<AppState>, &mut Rules) -> Router<AppState>,
    fn() -> utoipa::openapi::OpenApi,
);

/// Every area of the API.
const AREAS: &[Area] = &[
    (service::routes, service::Doc::openapi),
    (register::routes, register::Doc::openapi),
    (systems::routes, systems::Doc::openapi),
    (roles::routes, roles::Doc::openapi),
    (audit::routes, audit::Doc::openapi),
    (security::routes, security::Doc::openapi),
    (policy::routes, policy::Doc::openapi),
    (cycle::routes, cycle::Doc::openapi),
    (access::routes, access::Doc::openapi),
    (incidents::routes, incidents::Doc::openapi),
    (access_reviews::routes, access_reviews::Doc::openapi),
    (roster::routes, roster::Doc::openapi),
    (hr::routes, hr::Doc::openapi),
    (continuity::routes, continuity::Doc::openapi),
    (integrations::routes, integrations::Doc::openapi),
    (outage_plans::routes, outage_plans::Doc::openapi),
    (decommission::routes, decommission::Doc::openapi),
    (movers::routes, movers::Doc::openapi),
    (suppliers::routes, suppliers::Doc::openapi),
    (contracts::routes, contracts::Doc::openapi),
    (benefit::routes, benefit::Doc::openapi),
    (licences::routes, licences::Doc::openapi),
    (processing::routes, processing::Doc::openapi),
    (processors::routes, processors::Doc::openapi),
    (regulatory::routes, regulatory::Doc::openapi),
    (eservices::routes, eservices::Doc::openapi),
    (it_services::routes, it_services::Doc::openapi),
    (feed::routes, feed::Doc::openapi),
    (webhooks::routes, webhooks::Doc::openapi),
    (jobs::routes, jobs::Doc::openapi),
];

/// Every API route, to be nested under `/api/v1`.
pub fn routes(rules: &mut Rules) -> Router<AppState> {
    AREAS
        .iter()
        .fold(Router::new(), |r, (routes, _)| routes(r, rules))
}

/// Every area's paths and schemas.
fn docs() -> impl Iterator<Item = utoipa::openapi::OpenApi> {
    AREAS.iter().map(|(_, doc)| doc())
}
