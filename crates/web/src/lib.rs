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
pub mod jobs;
pub mod limits;
pub mod link;
pub mod metrics;
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
    /// The request budget of the public register, per address (and per
    /// instance; the sign-in back-off is in the database).
    pub public_limiter: Arc<limits::RateLimiter>,
    /// Proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Arc<Vec<limits::IpNet>>,
    /// OpenID Connect sign-in, when configured.
    pub oidc: Option<Arc<oidc::Oidc>>,
    /// The counters behind `/metrics`.
    pub metrics: Arc<metrics::Metrics>,
    /// The bearer token that may read `/metrics` (see [`metrics`]).
    pub metrics_token: Option<String>,
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
    /// The counters behind `/metrics`, shared with the workers (a new set when not given).
    pub metrics: Option<Arc<metrics::Metrics>>,
    /// The bearer token that may read `/metrics`; without it only this
    /// machine may, directly (see [`metrics`]).
    pub metrics_token: Option<String>,
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
        GET "/readyz" => api::readyz, Public;
        // Public in the table: the handler lets only the metrics token or
        // this machine read it (see `metrics`).
        GET "/metrics" => metrics::metrics, Public;
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
        public_limiter: Arc::new(limits::RateLimiter::new(
            settings.public_requests_per_minute.unwrap_or(600),
        )),
        trusted_proxies: Arc::new(settings.trusted_proxies),
        oidc: settings.oidc,
        metrics: settings.metrics.unwrap_or_default(),
        metrics_token: settings.metrics_token.filter(|t| !t.is_empty()),
        webhooks: settings.webhooks,
    };
    let counters = state.metrics.clone();
    let authz = middleware::from_fn_with_state(state.clone(), auth::authorize);
    let app = Router::new()
        .merge(
            pages
                .route_layer(authz.clone())
                .route_layer(middleware::from_fn(metrics::tag_route))
                .layer(middleware::from_fn(html::html_errors)),
        )
        .nest(
            "/api/v1",
            api.route_layer(authz.clone())
                .route_layer(middleware::from_fn(metrics::tag_route)),
        )
        .merge(
            top.route_layer(authz)
                .route_layer(middleware::from_fn(metrics::tag_route)),
        )
        .fallback(html::not_found)
        .with_state(state.clone())
        .layer(middleware::from_fn(auth::csrf))
        .layer(middleware::from_fn_with_state(state, auth::authenticate))
        .layer(middleware::from_fn(html::html_errors))
        .layer(middleware::from_fn_with_state(hsts, security_headers))
        // One limit for every body: the one the import page names.
        .layer(axum::extract::DefaultBodyLimit::max(
            usize::try_from(html::import::UPLOAD_LIMIT_BYTES).unwrap_or(usize::MAX),
        ))
        .layer(middleware::from_fn_with_state(counters, metrics::track))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(middleware::map_request(drop_client_request_id));
    (app, rules)
}

/// The span every request's log lines carry: method, route template when
/// known, path (never the query string, which may carry search words) and
/// the request id the response carries too.
fn request_span(req: &Request) -> tracing::Span {
    let id = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!(
        "request",
        method = %req.method(),
        path = %req.uri().path(),
        request_id = %id,
    )
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
