//! Where a request is, and the small helpers for paths and dates that pages,
//! the permission check and the OpenID Connect sign-in share. Imports nothing
//! of the rest of the crate but the principal's type, so that `html`, `auth`
//! and `oidc` can all use it without importing each other.

use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use chrono::{NaiveDate, Utc};

/// Where the request is, and who makes it: what every page needs to draw
/// its frame.
pub struct Here {
    pub uri: axum::http::Uri,
    pub me: Option<crate::auth::Principal>,
}

impl Here {
    /// The current path and query ("/" when there is none).
    pub fn path_and_query(&self) -> String {
        path_and_query(&self.uri)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Here {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let uri = parts
            .extensions
            .get::<OriginalUri>()
            .map(|u| u.0.clone())
            .unwrap_or_else(|| parts.uri.clone());
        Ok(Here {
            uri,
            me: parts.extensions.get::<crate::auth::Principal>().cloned(),
        })
    }
}

/// A URI's path and query ("/" when there is none).
pub fn path_and_query(uri: &axum::http::Uri) -> String {
    uri.path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/".into())
}

/// A path on this site: one leading slash, no scheme or host, no backslash
/// or control character that a browser could read as another host.
pub fn is_local_path(s: &str) -> bool {
    s.starts_with('/')
        && !s[1..].starts_with(['/', '\\'])
        && !s
            .chars()
            .any(|c| c.is_control() || c == '\\' || c.is_whitespace())
}

/// A value for a query string (`next=…`).
pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|x| x.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

/// Today's date (UTC), as every page and API handler counts days.
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}
