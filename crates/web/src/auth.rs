//! Who is asking, and may they? Every route is declared together with the
//! permission it needs ([`Rules`]); one middleware checks it for every
//! request, and a route missing from the table is refused. Deny by default.

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::extract::cookie;
use axum::extract::{FromRequestParts, MatchedPath, RawPathParams, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use insyn_domain::auth::{Grant, OnSystem, role_in};
use insyn_domain::*;
use insyn_store::{Actor, User};
use std::collections::HashMap;

/// The session cookie. `__Host-` binds it to this host, path `/` and HTTPS.
pub const SESSION_COOKIE: &str = "__Host-insyn";

/// How the current user came in.
#[derive(Debug, Clone, PartialEq)]
pub enum Via {
    /// A browser session, signed in with a password or OpenID Connect.
    Session { method: String },
    /// An API token.
    Token { scope: TokenScope, name: String },
}

/// The signed-in user of a request.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user: User,
    pub via: Via,
}

impl Principal {
    pub fn role_in(&self, org: OrgId) -> Option<AppRole> {
        role_in(&self.user.grants, org)
    }

    /// Whether the user may see this organisation at all.
    pub fn sees(&self, org: OrgId) -> bool {
        self.role_in(org).is_some()
    }

    /// An administrator of every organisation (the installation's administrators).
    pub fn is_installation_admin(&self) -> bool {
        self.user
            .grants
            .iter()
            .any(|g| g.org_id.is_none() && g.role == AppRole::Administrator)
    }

    pub fn grants(&self) -> &[Grant] {
        &self.user.grants
    }

    /// The name recorded in the audit trail.
    pub fn actor_name(&self) -> String {
        match &self.via {
            Via::Session { .. } => self.user.email.clone(),
            Via::Token { name, .. } => format!("{} (API-token {name})", self.user.email),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Principal {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Principal>()
            .cloned()
            .ok_or(AppError::Unauthorized)
    }
}

/// One route and what it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub method: Method,
    pub path: String,
    pub perm: Permission,
}

/// Every route of the application with its permission.
#[derive(Debug, Clone, Default)]
pub struct Rules(pub HashMap<(Method, String), Permission>);

impl Rules {
    pub fn list(&self) -> Vec<Rule> {
        let mut v: Vec<Rule> = self
            .0
            .iter()
            .map(|((m, p), perm)| Rule {
                method: m.clone(),
                path: p.clone(),
                perm: *perm,
            })
            .collect();
        v.sort_by(|a, b| (&a.path, a.method.as_str()).cmp(&(&b.path, b.method.as_str())));
        v
    }
}

/// Declares routes and their permissions in one place:
/// `routes!(router, rules, "/prefix"; GET "/path" => handler, Read; …)`.
#[macro_export]
macro_rules! routes {
    ($router:ident, $rules:ident, $prefix:expr; $($method:ident $path:literal => $handler:expr, $perm:ident;)*) => {
        $(
            $router = $router.route($path, $crate::auth::method_router(axum::http::Method::$method, $handler));
            $rules.0.insert(
                (axum::http::Method::$method, format!("{}{}", $prefix, $path)),
                insyn_domain::Permission::$perm,
            );
        )*
    };
}

/// A method router for one method and handler.
pub fn method_router<H, T>(method: Method, handler: H) -> axum::routing::MethodRouter<AppState>
where
    H: axum::handler::Handler<T, AppState>,
    T: 'static,
{
    use axum::routing::{delete, get, patch, post, put};
    match method {
        Method::GET => get(handler),
        Method::POST => post(handler),
        Method::PUT => put(handler),
        Method::PATCH => patch(handler),
        Method::DELETE => delete(handler),
        _ => axum::routing::any(handler),
    }
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// Finds the user behind a session cookie or a bearer token and puts them in
/// the request. Runs before routing, for every request.
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .map(str::to_owned);
    let session = cookie(req.headers(), SESSION_COOKIE).map(str::to_owned);
    let peer = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    let client = crate::limits::client_addr(peer, req.headers(), &state.trusted_proxies);
    req.extensions_mut()
        .insert(crate::extract::ClientIp(client));
    // The metrics token is not a user's: `/metrics` checks it itself.
    let bearer = bearer.filter(|_| req.uri().path() != "/metrics");
    let principal = if let Some(token) = bearer {
        // Tokens are for the API. A page route (the account page that makes
        // tokens, the forms that skip the CSRF check for bearer requests)
        // takes only a browser session, so no token reaches more than the
        // API its scope allows.
        if !is_api(req.uri().path()) {
            return AppError::Unauthorized.into_response();
        }
        match state.store.token_user(&token).await {
            Ok(Some((user, scope, name))) => Some(Principal {
                user,
                via: Via::Token { scope, name },
            }),
            Ok(None) => {
                // A wrong token is an error, not an anonymous request.
                return AppError::Unauthorized.into_response();
            }
            Err(e) => return AppError::from(e).into_response(),
        }
    } else if let Some(secret) = session {
        match state
            .store
            .session_user(&secret, state.session_policy)
            .await
        {
            Ok(Some((user, method))) => Some(Principal {
                user,
                via: Via::Session { method },
            }),
            Ok(None) => None,
            Err(e) => return AppError::from(e).into_response(),
        }
    } else {
        None
    };
    if let Some(p) = principal {
        let actor = Actor {
            name: p.actor_name(),
            request_id: req
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        };
        req.extensions_mut().insert(actor);
        req.extensions_mut().insert(p);
    }
    next.run(req).await
}

/// Browsers send `Sec-Fetch-Site` or `Origin` with every form post; a post
/// carried by a session cookie from another site is refused (CSRF). Requests
/// with a bearer token carry no ambient credentials and need no check.
pub async fn csrf(req: Request, next: Next) -> Response {
    let m = req.method();
    let unsafe_method = !(m == Method::GET || m == Method::HEAD || m == Method::OPTIONS);
    let has_cookie = cookie(req.headers(), SESSION_COOKIE).is_some();
    let has_bearer = req.headers().contains_key(header::AUTHORIZATION);
    if unsafe_method && has_cookie && !has_bearer && !same_origin(req.headers()) {
        tracing::warn!(path = %req.uri().path(), "cross-site request refused");
        return AppError::Forbidden.into_response();
    }
    next.run(req).await
}

fn same_origin(h: &HeaderMap) -> bool {
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin" || site == "none";
    }
    let host = h.get(header::HOST).and_then(|v| v.to_str().ok());
    match (h.get(header::ORIGIN).and_then(|v| v.to_str().ok()), host) {
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, rest)| rest == host),
        _ => false,
    }
}

/// Checks the matched route's permission for the request's user. Runs after
/// routing (`route_layer`), so it knows which route matched.
pub async fn authorize(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let path = parts
        .extensions
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_default();
    let api = is_api(&path);
    // HEAD reaches the GET handler (the router answers it with the GET
    // handler's headers), so it needs exactly what GET needs.
    let as_method = if parts.method == Method::HEAD {
        Method::GET
    } else {
        parts.method.clone()
    };
    let Some(perm) = state.rules.0.get(&(as_method, path.clone())).copied() else {
        if state.rules.0.keys().any(|(_, p)| *p == path) {
            // A method the path does not have: refused here, before any
            // handler could run, whoever asks.
            return AppError::MethodNotAllowed.into_response();
        }
        tracing::error!(%path, method = %parts.method, "route missing from the permission table: refused");
        return AppError::Forbidden.into_response();
    };
    if perm == Permission::Public {
        if path.starts_with("/public") {
            let ip = parts
                .extensions
                .get::<crate::extract::ClientIp>()
                .and_then(|c| c.0);
            if !state.public_limiter.hit(ip) {
                return AppError::TooManyRequests.into_response();
            }
        }
        return next.run(Request::from_parts(parts, body)).await;
    }
    let Some(principal) = parts.extensions.get::<Principal>().cloned() else {
        return if api {
            AppError::Unauthorized.into_response()
        } else {
            let next = if parts.method == Method::GET {
                crate::link::path_and_query(&parts.uri)
            } else {
                "/".into()
            };
            Redirect::to(&format!("/login?next={}", crate::link::urlencode(&next))).into_response()
        };
    };
    if let Via::Token {
        scope: TokenScope::Read,
        ..
    } = principal.via
        // Some steps are open to every reader and decided by who they are
        // (an access order): any method but reading writes.
        && (perm.writes() || !matches!(parts.method, Method::GET | Method::HEAD))
    {
        return AppError::Forbidden.into_response();
    }
    if perm == Permission::Authenticated {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let params = RawPathParams::from_request_parts(&mut parts, &state)
        .await
        .map(|p| {
            p.iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect::<HashMap<String, String>>()
        })
        .unwrap_or_default();
    let allowed = match params.get("org") {
        None => match perm {
            // Installation-wide administration.
            Permission::Administer => principal.is_installation_admin(),
            // Shared data (the product catalogue): anyone with a role somewhere.
            _ => principal.grants().iter().any(|g| g.role.allows(perm)),
        },
        Some(slug) => {
            // Resolved once: the handler's `OrgPath` / `SystemPath` reads it.
            let org = match crate::context::resolve_org(&mut parts, &state, slug).await {
                Ok(o) => o,
                Err(e) => return e.into_response(),
            };
            match principal.role_in(org.id) {
                // Another organisation's records do not exist for this user.
                None => return AppError::NotFound.into_response(),
                Some(role) if role.allows(perm) => true,
                // Object roles: what a person holds on the system in the path.
                Some(_) => match params.get("id").and_then(|s| s.parse::<SystemId>().ok()) {
                    Some(system) if perm.given_on_system() => {
                        match on_system(&state, &principal, org.id, system).await {
                            Ok(may) => may.allows(perm),
                            // A failing store is an error, not a refusal.
                            Err(e) => return e.into_response(),
                        }
                    }
                    _ => false,
                },
            }
        }
    };
    if !allowed {
        // Acting as the owner or for IT: say who may, and why the caller is not.
        return match perm {
            Permission::ActAsOwner => AppError::ForbiddenBecause("error-forbidden-not-owner"),
            Permission::SignForIt => AppError::ForbiddenBecause("error-forbidden-not-it"),
            _ => AppError::Forbidden,
        }
        .into_response();
    }
    next.run(Request::from_parts(parts, body)).await
}

/// What the user may do on one system: their role in the organisation and
/// the roles they hold on the system, by the rule in the domain
/// ([`OnSystem`]). The permission check and the pages both ask this; a
/// database error is an error, never a denial.
pub async fn on_system(
    state: &AppState,
    me: &Principal,
    org: OrgId,
    system: SystemId,
) -> AppResult<OnSystem> {
    let held = state
        .store
        .held_on_system(org, system, &me.user.email)
        .await?;
    Ok(OnSystem::new(me.role_in(org), held))
}

/// The session cookie that signs a browser in (or, with an empty value, out).
pub fn session_cookie(secret: &str, max_age: i64) -> String {
    format!("{SESSION_COOKIE}={secret}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={max_age}")
}
