//! Where a request is and who makes it ([`Here`]), and what day it is: what
//! the pages and the OpenID Connect sign-in share, without importing each
//! other. (Paths and links are in [`crate::link`], which the permission
//! check uses too.)

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
        crate::link::path_and_query(&self.uri)
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

/// Today's date (UTC), as every page and API handler counts days.
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}
