//! insyn's HTTP layer: HTML pages (askama templates, plain forms that work
//! without JavaScript) and the JSON API with its OpenAPI document. Handlers
//! extract, call the store, and render; nothing else.

pub mod api;
pub mod api_policy;
pub mod api_security;
pub mod auth;
pub mod error;
pub mod export;
pub mod extract;
pub mod forms;
pub mod html;
pub mod i18n;
pub mod oidc;
pub mod query;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use insyn_store::{SessionPolicy, Store};
use std::sync::Arc;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Every route with the permission it needs.
    pub rules: Arc<auth::Rules>,
    pub session_policy: SessionPolicy,
    pub limiter: Arc<auth::LoginLimiter>,
    /// OpenID Connect sign-in, when configured.
    pub oidc: Option<Arc<oidc::Oidc>>,
    /// Uploaded spreadsheets waiting for their confirmation.
    pub pending_imports: Arc<html::import::PendingImports>,
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole application with default settings.
pub fn router(store: Store) -> Router {
    router_with(store, SessionPolicy::default())
}

/// The whole application: pages, API, static files, health check, each
/// route behind the permission it is declared with.
pub fn router_with(store: Store, session_policy: SessionPolicy) -> Router {
    router_with_oidc(store, session_policy, None)
}

/// The whole application, with OpenID Connect sign-in when `oidc` is given
/// (see [`oidc::Oidc::discover`]).
pub fn router_with_oidc(
    store: Store,
    session_policy: SessionPolicy,
    oidc: Option<Arc<oidc::Oidc>>,
) -> Router {
    let (app, _) = build(store, session_policy, oidc);
    app
}

/// The route table alone, for tests that walk every route.
pub fn route_rules(store: Store) -> Vec<auth::Rule> {
    build(store, SessionPolicy::default(), None).1.list()
}

fn build(
    store: Store,
    session_policy: SessionPolicy,
    oidc: Option<Arc<oidc::Oidc>>,
) -> (Router, auth::Rules) {
    let mut rules = auth::Rules::default();
    let pages = html::routes(&mut rules);
    let api = api::routes(&mut rules);
    let mut top = Router::new();
    routes!(top, rules, "";
        GET "/healthz" => api::healthz, Public;
        GET "/api/openapi.json" => openapi, Public;
    );
    let state = AppState {
        store,
        rules: Arc::new(rules.clone()),
        session_policy,
        limiter: Arc::new(auth::LoginLimiter::default()),
        oidc,
        pending_imports: Arc::default(),
    };
    let authz = middleware::from_fn_with_state(state.clone(), auth::authorize);
    let app = Router::new()
        .merge(
            pages
                .route_layer(authz.clone())
                .layer(middleware::from_fn(html::html_errors)),
        )
        .nest("/api/v1", api.route_layer(authz.clone()))
        .merge(top.route_layer(authz))
        .fallback(html::not_found)
        .with_state(state.clone())
        .layer(middleware::from_fn(auth::csrf))
        .layer(middleware::from_fn_with_state(state, auth::authenticate))
        .layer(middleware::from_fn(security_headers))
        .layer(axum::extract::DefaultBodyLimit::max(2 * 1024 * 1024))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid));
    (app, rules)
}

async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        api::openapi_json(),
    )
}

/// Headers every response carries: no inline script, no framing, no sniffing.
async fn security_headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, k: HeaderName, v: &'static str| {
        h.entry(k).or_insert(HeaderValue::from_static(v));
    };
    set(
        h,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::REFERRER_POLICY, "same-origin");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    resp
}
