//! The change feed in the API (issue 21): an organisation's changes in
//! commit order from a cursor, archivals and removals included, so that a
//! helpdesk, the HR system or the e-archive can follow the register
//! without polling every list. Read from the audit trail
//! (`insyn_store::feed`); readable by whoever may read the register, each
//! seeing only what they may (incidents only for who sees them all).

use crate::api::support::area;
use crate::auth::Principal;
use crate::context::OrgPath;
use crate::error::{AppError, AppResult};
use crate::query::strict::check_query_on;
use axum::Json;
use axum::extract::RawQuery;
use insyn_domain::feed::{FEED_DEFAULT_LIMIT, FeedScope};
use insyn_store::Store;
use insyn_store::feed::FeedPage;
use serde::Deserialize;

area! {
    GET "/orgs/{org}/changes" => changes, Read;
}

/// Where to read from and how much.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// The cursor: events after this `seq` (the `next` of the page before; 0 from the start).
    pub after: Option<String>,
    /// At most this many events (1–1000, 100 by default).
    pub limit: Option<String>,
}

/// What each parameter must be, for a 400's detail.
fn explain(field: &str) -> String {
    match field {
        "after" => "after: must be a whole number from 0 (the `next` of the page before)".into(),
        _ => "limit: must be a whole number from 1 to 1000".into(),
    }
}

/// The cursor and the page size of a query string, or a 400 naming the
/// parameter and what it must be.
fn parse(path: &str, raw: &str) -> AppResult<(i64, u32)> {
    let q: FeedQuery = serde_urlencoded::from_str(raw)
        .map_err(|_| AppError::BadRequest("the query string cannot be read".into()))?;
    if let Err(e) = check_query_on(path, raw) {
        let field = e.0.first().map(|f| f.field.as_str()).unwrap_or("limit");
        return Err(AppError::BadRequest(explain(field)));
    }
    let after = q.after.as_deref().map_or(Ok(0), str::parse::<i64>);
    let limit = q
        .limit
        .as_deref()
        .map_or(Ok(FEED_DEFAULT_LIMIT), str::parse::<u32>);
    match (after, limit) {
        (Ok(a), Ok(l)) => Ok((a, l)),
        (Err(_), _) => Err(AppError::BadRequest(explain("after"))),
        (_, Err(_)) => Err(AppError::BadRequest(explain("limit"))),
    }
}

/// What the caller may see beyond the register.
pub async fn scope_of(store: &Store, me: &Principal, at: &OrgPath) -> AppResult<FeedScope> {
    Ok(FeedScope {
        incidents: crate::incident_access::sees_all(store, me, at.id()).await?,
    })
}

/// The organisation's changes after `after`, oldest first: each with its
/// sequence number, time, object type and id, action (`create`, `update`,
/// `archive`, `restore`, `remove` …), and its changed fields with their new
/// values; a removal is a tombstone. Read on with `after=next` while
/// `has_more`; a reader who stops and resumes from its cursor misses
/// nothing and sees nothing twice. Secrets, passwords, tokens and hashes
/// never appear; accounts, tokens and webhook subscriptions are not in the
/// feed; incidents only for whoever sees every incident.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/changes", tag = "feed",
    params(("org" = String, Path), FeedQuery),
    responses((status = 200, body = FeedPage),
        (status = 400, description = "`after` or `limit` is not a whole number in its range"),
        (status = 404, description = "No such organisation")))]
async fn changes(
    state: axum::extract::State<crate::AppState>,
    me: Principal,
    at: OrgPath,
    uri: axum::http::Uri,
    RawQuery(raw): RawQuery,
) -> AppResult<Json<FeedPage>> {
    let (after, limit) = parse(uri.path(), raw.as_deref().unwrap_or(""))?;
    let scope = scope_of(&state.store, &me, &at).await?;
    Ok(Json(
        state
            .store
            .change_feed(at.id(), after, limit, scope, &[])
            .await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: &str = "/api/v1/orgs/k/changes";

    #[test]
    fn the_cursor_and_limit_are_read_with_their_defaults() {
        assert_eq!(parse(P, "").ok(), Some((0, 100)));
        assert_eq!(parse(P, "after=42&limit=1000").ok(), Some((42, 1000)));
    }

    #[test]
    fn bad_values_are_a_400_naming_the_parameter() {
        for (q, field) in [
            ("after=-1", "after"),
            ("after=x", "after"),
            ("limit=0", "limit"),
            ("limit=1001", "limit"),
            ("limit=", "limit"),
        ] {
            match parse(P, q) {
                Err(AppError::BadRequest(d)) => assert!(d.starts_with(field), "{q}: {d}"),
                other => panic!("{q}: {other:?}"),
            }
        }
    }
}
