//! Paths and links: which paths are this site's own, a request's path as a
//! link back, and values for query strings. Imports nothing of the crate, so
//! the permission check, the pages and the sign-in all use it.

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
