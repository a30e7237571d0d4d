//! insyn's HTTP layer: HTML pages (askama templates, plain forms that work
//! without JavaScript) and the JSON API with its OpenAPI document. Handlers
//! extract, call the store, and render; nothing else.

pub mod api;
pub mod error;
pub mod extract;
pub mod forms;
pub mod html;
pub mod i18n;
pub mod query;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use insyn_store::Store;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole application: pages, API, static files, health check.
pub fn router(store: Store) -> Router {
    let state = AppState { store };
    let pages = html::routes().layer(middleware::from_fn(html::html_errors));
    Router::new()
        .merge(pages)
        .nest("/api/v1", api::routes())
        .route("/api/openapi.json", get(openapi))
        .route("/healthz", get(api::healthz))
        .fallback(html::not_found)
        .with_state(state)
        .layer(middleware::from_fn(security_headers))
        .layer(axum::extract::DefaultBodyLimit::max(2 * 1024 * 1024))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
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
