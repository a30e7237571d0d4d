//! What a handler needs to know about where it is: the organisation named by
//! the path's `{org}`, and for system routes the system's id. Pages and API
//! handlers take these instead of parsing the path themselves.
//!
//! The `authorize` middleware resolves the organisation once, when it checks
//! the route's permission, and leaves it in the request; the extractors read
//! it from there and only ask the store when nothing has (public routes).

use crate::AppState;
use crate::error::{AppError, AppResult};
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use insyn_domain::{OrgId, Organisation, SystemId};
use std::str::FromStr;

/// The path's parameters, by name.
#[derive(Debug, Clone, Default)]
pub struct PathParams(Vec<(String, String)>);

impl PathParams {
    async fn of(parts: &mut Parts, state: &AppState) -> Self {
        match RawPathParams::from_request_parts(parts, state).await {
            Ok(p) => Self(
                p.iter()
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect(),
            ),
            Err(_) => Self::default(),
        }
    }

    /// The raw value of `{name}`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `{name}` parsed as an id; a missing or malformed id names nothing
    /// that exists (404).
    pub fn id<T: FromStr>(&self, name: &str) -> AppResult<T> {
        self.get(name)
            .and_then(|s| s.parse().ok())
            .ok_or(AppError::NotFound)
    }
}

/// A route's path parameters (`/admin/users/{id}`), for routes outside an
/// organisation.
impl FromRequestParts<AppState> for PathParams {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self::of(parts, state).await)
    }
}

/// The organisation the path names, resolved once per request.
pub async fn resolve_org(
    parts: &mut Parts,
    state: &AppState,
    slug: &str,
) -> AppResult<Organisation> {
    if let Some(org) = parts.extensions.get::<Organisation>()
        && org.slug == slug
    {
        return Ok(org.clone());
    }
    let org = state.store.org_by_slug(slug).await?;
    parts.extensions.insert(org.clone());
    Ok(org)
}

/// The organisation of `/…/{org}/…`, with the rest of the path's parameters.
pub struct OrgPath {
    pub org: Organisation,
    pub params: PathParams,
}

impl OrgPath {
    pub fn id(&self) -> OrgId {
        self.org.id
    }
}

impl FromRequestParts<AppState> for OrgPath {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let params = PathParams::of(parts, state).await;
        let slug = params.get("org").ok_or(AppError::NotFound)?.to_owned();
        let org = resolve_org(parts, state, &slug).await?;
        Ok(Self { org, params })
    }
}

/// A system route, `/…/{org}/systems/{id}/…`: the organisation and the
/// system's id (not loaded: handlers load what they show).
pub struct SystemPath {
    pub org: Organisation,
    pub system: SystemId,
    pub params: PathParams,
}

impl FromRequestParts<AppState> for SystemPath {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let OrgPath { org, params } = OrgPath::from_request_parts(parts, state).await?;
        let system = params.id("id")?;
        Ok(Self {
            org,
            system,
            params,
        })
    }
}
