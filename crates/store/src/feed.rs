//! The change feed (issue 21): an organisation's changes in the order they
//! were committed, read from its audit trail.
//!
//! Every write records its audit entry in its own transaction, and an
//! entry's `seq` is taken while the transaction holds the trail's head
//! (`audit_head`, locked `FOR UPDATE` on PostgreSQL; SQLite has one
//! writer), which it keeps until it commits. So a transaction that gets a
//! higher `seq` commits after every one with a lower `seq` has committed or
//! rolled back: a reader who has seen `seq` N will never later find a new
//! entry below N, and reading on from a cursor misses nothing. Numbers are
//! increasing, not contiguous (other organisations' entries and rolled-back
//! transactions take numbers too).
//!
//! What a caller sees follows `insyn_domain::feed`: accounts, tokens and
//! webhook subscriptions never, incidents only for who sees them all, and
//! no secret, password, token or hash field anywhere in a change.

use crate::db::{Queryable, Result};
use crate::{Store, params};
use chrono::{DateTime, Utc};
use insyn_domain::OrgId;
use insyn_domain::feed::{FeedScope, hidden_object_types, is_tombstone, key_hidden};
use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

/// One change of the feed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedEvent {
    /// The entry's sequence number: the feed's order and cursor.
    pub seq: i64,
    /// When the change was committed.
    pub at: DateTime<Utc>,
    /// `system`, `person`, `role_assignment`, `unit`, `contract` …
    pub object_type: String,
    pub object_id: Uuid,
    /// `create`, `update`, `archive`, `restore`, `remove` … (the audit trail's words).
    pub action: String,
    /// The object is gone from the register (a removal): forget it.
    pub tombstone: bool,
    /// Each changed field with its new value, `null` for a field emptied
    /// (a created object: every field that has a value; a tombstone: nothing).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub changes: Map<String, Value>,
}

/// A page of the feed: the events after the cursor, the cursor to ask
/// with next, and whether more events are there already.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedPage {
    pub events: Vec<FeedEvent>,
    /// Give as `after` next time: the last event's `seq` (the same cursor when there was none).
    pub next: i64,
    /// More events follow `next` already.
    pub has_more: bool,
}

/// A change's `{ field: { old, new } }` as `{ field: new }`, without the
/// fields no reader gets; a value of another shape (an import's counts) as
/// it is, cleaned the same way.
fn new_values(action: &str, changes: Value) -> Map<String, Value> {
    if is_tombstone(action) {
        return Map::new();
    }
    let Value::Object(fields) = changes else {
        return Map::new();
    };
    fields
        .into_iter()
        .filter(|(k, _)| !key_hidden(k))
        .map(|(k, v)| {
            let v = match v {
                Value::Object(mut m) if m.contains_key("new") && m.len() <= 2 => {
                    m.remove("new").unwrap_or(Value::Null)
                }
                other => other,
            };
            (k, scrub(v))
        })
        .collect()
}

/// A value with every hidden key removed at every depth.
fn scrub(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(k, _)| !key_hidden(k))
                .map(|(k, v)| (k, scrub(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(scrub).collect()),
        other => other,
    }
}

impl Store {
    /// The organisation's changes after `after`, at most `limit`, oldest
    /// first, as a caller with `scope` may see them; only of `types` when
    /// given (a webhook's filter).
    pub async fn change_feed(
        &self,
        org: OrgId,
        after: i64,
        limit: u32,
        scope: FeedScope,
        types: &[String],
    ) -> Result<FeedPage> {
        let mut p = crate::db::Params(params![org.0, after]);
        let hidden: Vec<String> = hidden_object_types(scope)
            .into_iter()
            .map(|t| p.push(t))
            .collect();
        let mut w = format!(
            "org_id = $1 AND seq > $2 AND object_type NOT IN ({})",
            hidden.join(", ")
        );
        if !types.is_empty() {
            let only: Vec<String> = types.iter().map(|t| p.push(t.as_str())).collect();
            w.push_str(&format!(" AND object_type IN ({})", only.join(", ")));
        }
        let lim = p.push(i64::from(limit) + 1);
        let mut rows = self
            .db
            .read()
            .all(
                &format!(
                    "SELECT seq, at, object_type, object_id, action, changes FROM audit_events \
                     WHERE {w} ORDER BY seq LIMIT {lim}"
                ),
                p.0,
                |r| {
                    let action = r.text("action")?;
                    Ok(FeedEvent {
                        seq: r.i64("seq")?,
                        at: r.ts("at")?,
                        object_type: r.text("object_type")?,
                        object_id: r.uuid("object_id")?,
                        tombstone: is_tombstone(&action),
                        changes: new_values(&action, r.json("changes")?),
                        action,
                    })
                },
            )
            .await?;
        let has_more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        Ok(FeedPage {
            next: rows.last().map_or(after, |e| e.seq),
            events: rows,
            has_more,
        })
    }

    /// The newest `seq` of the organisation's changes of `types` (every
    /// type the feed has when empty), 0 when there is none: how far a
    /// webhook has to announce.
    pub async fn feed_head(&self, org: OrgId, types: &[String]) -> Result<i64> {
        let mut p = crate::db::Params(params![org.0]);
        let hidden: Vec<String> = hidden_object_types(FeedScope::default())
            .into_iter()
            .map(|t| p.push(t))
            .collect();
        let mut w = format!("org_id = $1 AND object_type NOT IN ({})", hidden.join(", "));
        if !types.is_empty() {
            let only: Vec<String> = types.iter().map(|t| p.push(t.as_str())).collect();
            w.push_str(&format!(" AND object_type IN ({})", only.join(", ")));
        }
        Ok(self
            .db
            .read()
            .opt(
                &format!("SELECT MAX(seq) AS s FROM audit_events WHERE {w}"),
                p.0,
                |r| r.opt_i64("s"),
            )
            .await?
            .flatten()
            .unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_change_becomes_its_new_values_without_secrets() {
        let c = json!({
            "name": { "old": "A", "new": "B" },
            "notes": { "old": "x", "new": null },
            "password_hash": { "old": null, "new": "$argon2" },
            "hr_file": { "new_people": 1, "token": "t" },
        });
        let m = new_values("update", c);
        assert_eq!(
            Value::Object(m),
            json!({ "name": "B", "notes": null, "hr_file": { "new_people": 1 } })
        );
    }

    #[test]
    fn a_tombstone_carries_nothing() {
        assert!(new_values("remove", json!({ "name": { "old": "A", "new": null } })).is_empty());
    }
}
