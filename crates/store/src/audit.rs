//! The audit trail: every change records who, when, the request, the object
//! and each field's old and new value, in the same transaction as the change.

use crate::db::{DbRow, Queryable, Result, Tx, now};
use crate::{Store, params};
use chrono::{DateTime, Utc};
use insyn_domain::OrgId;
use serde::Serialize;
use serde_json::{Map, Value, json};
use uuid::Uuid;

/// Who is making a change, and in which request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub name: String,
    pub request_id: Option<String>,
}

impl Actor {
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            request_id: None,
        }
    }

    pub fn system() -> Self {
        Self::new("insyn")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEvent {
    pub id: Uuid,
    pub org_id: Option<OrgId>,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub request_id: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: Uuid,
    /// `{ field: { "old": …, "new": … } }`
    pub changes: Value,
}

/// Field-by-field differences between two versions of an object, as
/// `{ field: { "old": …, "new": … } }`. `None` on one side means the object
/// was created (or removed): every field of the other side is listed.
pub fn diff<T: Serialize>(old: Option<&T>, new: Option<&T>) -> Value {
    let to_map = |v: Option<&T>| -> Map<String, Value> {
        match v.map(serde_json::to_value) {
            Some(Ok(Value::Object(m))) => m,
            _ => Map::new(),
        }
    };
    let (a, b) = (to_map(old), to_map(new));
    let mut out = Map::new();
    let skip = ["updated_at", "created_at"];
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for k in keys {
        if skip.contains(&k.as_str()) {
            continue;
        }
        let (o, n) = (
            a.get(k).cloned().unwrap_or(Value::Null),
            b.get(k).cloned().unwrap_or(Value::Null),
        );
        if o != n {
            out.insert(k.clone(), json!({ "old": o, "new": n }));
        }
    }
    Value::Object(out)
}

pub(crate) async fn record(
    tx: &mut Tx,
    actor: &Actor,
    org: Option<OrgId>,
    action: &str,
    object_type: &str,
    object_id: Uuid,
    changes: Value,
) -> Result<()> {
    tx.execute(
        "INSERT INTO audit_events (id, org_id, at, actor, request_id, action, object_type, object_id, changes) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        params![
            Uuid::now_v7(),
            org.map(|o| o.0),
            now(),
            actor.name.as_str(),
            actor.request_id.clone(),
            action,
            object_type,
            object_id,
            changes
        ],
    )
    .await?;
    Ok(())
}

fn event(r: &dyn DbRow) -> Result<AuditEvent> {
    Ok(AuditEvent {
        id: r.uuid("id")?,
        org_id: r.opt_uuid("org_id")?.map(OrgId),
        at: r.ts("at")?,
        actor: r.text("actor")?,
        request_id: r.opt_text("request_id")?,
        action: r.text("action")?,
        object_type: r.text("object_type")?,
        object_id: r.uuid("object_id")?,
        changes: r.json("changes")?,
    })
}

impl Store {
    /// The history of one object of an organisation, oldest first.
    pub async fn history(&self, org: OrgId, object_id: Uuid) -> Result<Vec<AuditEvent>> {
        self.db
            .read()
            .all(
                "SELECT id, org_id, at, actor, request_id, action, object_type, object_id, changes \
                 FROM audit_events WHERE object_id = $1 AND org_id = $2 ORDER BY seq",
                params![object_id, org.0],
                event,
            )
            .await
    }

    /// The history of a shared object (a catalogue product), oldest first.
    pub async fn shared_history(&self, object_id: Uuid) -> Result<Vec<AuditEvent>> {
        self.db
            .read()
            .all(
                "SELECT id, org_id, at, actor, request_id, action, object_type, object_id, changes \
                 FROM audit_events WHERE object_id = $1 AND org_id IS NULL ORDER BY seq",
                params![object_id],
                event,
            )
            .await
    }
}
