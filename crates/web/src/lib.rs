//! insyn's HTTP layer: HTML pages (askama templates, plain forms that work
//! without JavaScript) and the JSON API with its OpenAPI document. Handlers
//! extract, call the store, and render; nothing else.

pub mod access_facts;
pub mod api;
pub mod auth;
pub mod compilation;
pub mod context;
pub mod error;
pub mod export;
pub mod extract;
pub mod forms;
pub mod html;
pub mod i18n;
pub mod incident_access;
pub mod limits;
pub mod link;
pub mod nav;
pub mod oidc;
pub mod query;
pub mod upload;

use axum::Router;
use axum::extract::{Request, State};
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
    /// Back-off for failed sign-ins.
    pub limiter: Arc<limits::LoginLimiter>,
    /// The request budget of the public register, per address.
    pub public_limiter: Arc<limits::RateLimiter>,
    /// Proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Arc<Vec<limits::IpNet>>,
    /// OpenID Connect sign-in, when configured.
    pub oidc: Option<Arc<oidc::Oidc>>,
    /// Uploaded spreadsheets waiting for their confirmation.
    pub pending_imports: Arc<html::import::PendingImports>,
    /// Whether webhook addresses may be `http://` or private.
    pub webhooks: insyn_domain::webhook::WebhookPolicy,
}

/// How the server is set up, beyond its store.
#[derive(Clone, Default)]
pub struct Settings {
    pub session_policy: SessionPolicy,
    /// OpenID Connect sign-in (see [`oidc::Oidc::discover`]).
    pub oidc: Option<Arc<oidc::Oidc>>,
    /// The address browsers reach insyn at; an `https://` address turns on
    /// `Strict-Transport-Security`.
    pub public_url: Option<String>,
    /// Proxies (addresses or ranges) whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<limits::IpNet>,
    /// Requests a minute one address may make to the public register
    /// (600 when not set).
    pub public_requests_per_minute: Option<u32>,
    /// Whether webhook addresses may be `http://` or private (tests, a
    /// receiver on the same network when the administrator says so).
    pub webhooks: insyn_domain::webhook::WebhookPolicy,
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole application with default settings.
pub fn router(store: Store) -> Router {
    router_with_settings(store, Settings::default())
}

/// The whole application: pages, API, static files, health check, each
/// route behind the permission it is declared with.
pub fn router_with(store: Store, session_policy: SessionPolicy) -> Router {
    router_with_settings(
        store,
        Settings {
            session_policy,
            ..Default::default()
        },
    )
}

/// The whole application, with OpenID Connect sign-in when `oidc` is given
/// (see [`oidc::Oidc::discover`]).
pub fn router_with_oidc(
    store: Store,
    session_policy: SessionPolicy,
    oidc: Option<Arc<oidc::Oidc>>,
) -> Router {
    router_with_settings(
        store,
        Settings {
            session_policy,
            oidc,
            ..Default::default()
        },
    )
}

/// The whole application with every setting.
pub fn router_with_settings(store: Store, settings: Settings) -> Router {
    build(store, settings).0
}

/// The route table alone, for tests that walk every route.
pub fn route_rules(store: Store) -> Vec<auth::Rule> {
    build(store, Settings::default()).1.list()
}

fn build(store: Store, settings: Settings) -> (Router, auth::Rules) {
    let mut rules = auth::Rules::default();
    let pages = html::routes(&mut rules).merge(oidc::routes(&mut rules));
    let api = api::routes(&mut rules);
    let mut top = Router::new();
    routes!(top, rules, "";
        GET "/healthz" => api::healthz, Public;
        GET "/api/openapi.json" => openapi, Public;
    );
    let hsts = settings
        .public_url
        .as_deref()
        .is_some_and(|u| u.trim().to_ascii_lowercase().starts_with("https://"));
    let state = AppState {
        store,
        rules: Arc::new(rules.clone()),
        session_policy: settings.session_policy,
        limiter: Arc::new(limits::LoginLimiter::default()),
        public_limiter: Arc::new(limits::RateLimiter::new(
            settings.public_requests_per_minute.unwrap_or(600),
        )),
        trusted_proxies: Arc::new(settings.trusted_proxies),
        oidc: settings.oidc,
        pending_imports: Arc::default(),
        webhooks: settings.webhooks,
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
        .layer(middleware::from_fn_with_state(hsts, security_headers))
        // One limit for every body: the one the import page names.
        .layer(axum::extract::DefaultBodyLimit::max(
            usize::try_from(html::import::UPLOAD_LIMIT_BYTES).unwrap_or(usize::MAX),
        ))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(middleware::map_request(drop_client_request_id));
    (app, rules)
}

async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        api::openapi_json(),
    )
}

/// The request id is the server's own: one sent by the client is dropped
/// before [`SetRequestIdLayer`] makes a new one, so nothing a client sends
/// is written into the audit trail as a request id.
async fn drop_client_request_id(mut req: Request) -> Request {
    req.headers_mut().remove(REQUEST_ID);
    req
}

/// Headers every response carries: no inline script, no framing, no sniffing.
async fn security_headers(State(hsts): State<bool>, req: Request, next: Next) -> Response {
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
    // Nothing a signed-in user sees may stay in a shared or browser cache;
    // only responses that say otherwise (the stylesheets) are cached.
    set(h, header::CACHE_CONTROL, "no-store");
    if hsts {
        // Served over HTTPS (the public address says so): browsers must
        // never come back over plain HTTP.
        set(
            h,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    resp
}
