//! Reading the trail: an object's history and the audit search.

use super::{AuditEvent, EVENT_COLS, event};
use crate::db::{Queryable, Result};
use crate::{Store, params};
use chrono::{DateTime, Utc};
use insyn_domain::OrgId;
use uuid::Uuid;

/// The organisation's own entries and the history it brought along in a
/// full export (`audit_imported`, sequence number 0, ordered before its own
/// entries by `ord`), for reading an organisation's history.
const WITH_IMPORTED: &str = "(SELECT seq AS ord, seq, id, org_id, at, actor, request_id, action, object_type, object_id, changes \
     FROM audit_events \
     UNION ALL SELECT pos - 4000000000000000000 AS ord, CAST(0 AS BIGINT) AS seq, id, org_id, at, actor, request_id, action, object_type, object_id, changes \
     FROM audit_imported) AS e";

/// What the audit search looks for.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<Uuid>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

impl Store {
    /// The history of one object of an organisation, oldest first (what it
    /// brought along in a full export before its entries here).
    pub async fn history(&self, org: OrgId, object_id: Uuid) -> Result<Vec<AuditEvent>> {
        self.db
            .read()
            .all(
                &format!(
                    "SELECT {EVENT_COLS} FROM {WITH_IMPORTED} WHERE object_id = $1 AND org_id = $2 ORDER BY ord"
                ),
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
                &format!(
                    "SELECT {EVENT_COLS} FROM audit_events WHERE object_id = $1 AND org_id IS NULL ORDER BY seq"
                ),
                params![object_id],
                event,
            )
            .await
    }

    /// Searches the installation's own trail (entries of no organisation:
    /// sign-ins, users, tokens, the product catalogue), newest first.
    pub async fn search_installation_audit(
        &self,
        q: &AuditQuery,
        limit: i64,
    ) -> Result<Vec<AuditEvent>> {
        self.search_audit_in(None, q, limit).await
    }

    /// Searches an organisation's trail, newest first, at most `limit`
    /// entries (its imported history last).
    pub async fn search_audit(
        &self,
        org: OrgId,
        q: &AuditQuery,
        limit: i64,
    ) -> Result<Vec<AuditEvent>> {
        self.search_audit_in(Some(org), q, limit).await
    }

    async fn search_audit_in(
        &self,
        org: Option<OrgId>,
        q: &AuditQuery,
        limit: i64,
    ) -> Result<Vec<AuditEvent>> {
        let mut e = insyn_domain::FieldErrors::new();
        insyn_domain::validation::search(&mut e, "actor", q.actor.as_deref());
        if !e.is_empty() {
            return Err(crate::StoreError::Invalid(e));
        }
        let mut p = crate::db::Params::default();
        let mut w = vec![match org {
            Some(org) => format!("org_id = {}", p.push(org.0)),
            None => "org_id IS NULL".to_owned(),
        }];
        if let Some(a) = q.actor.as_deref().filter(|a| !a.trim().is_empty()) {
            w.push(format!(
                "lower(actor) LIKE {} ESCAPE '\\'",
                p.push(format!(
                    "%{}%",
                    crate::like_escape(&a.trim().to_lowercase())
                ))
            ));
        }
        if let Some(t) = q.object_type.as_deref().filter(|t| !t.is_empty()) {
            w.push(format!("object_type = {}", p.push(t)));
        }
        if let Some(o) = q.object_id {
            w.push(format!("object_id = {}", p.push(o)));
        }
        if let Some(f) = q.from {
            w.push(format!("at >= {}", p.push(f)));
        }
        if let Some(t) = q.to {
            w.push(format!("at < {}", p.push(t)));
        }
        let lim = p.push(limit);
        let mut read = self.db.read();
        let mut found = read
            .all(
                &format!(
                    "SELECT {EVENT_COLS} FROM audit_events WHERE {} ORDER BY seq DESC LIMIT {lim}",
                    w.join(" AND ")
                ),
                p.0.clone(),
                event,
            )
            .await?;
        // The imported history is older than every entry here: read only
        // when the page has room left.
        if (found.len() as i64) < limit {
            let mut rest = read
                .all(
                    &format!(
                        "SELECT pos AS seq, id, org_id, at, actor, request_id, action, object_type, object_id, changes \
                         FROM audit_imported WHERE {} ORDER BY pos DESC LIMIT {lim}",
                        w.join(" AND ")
                    ),
                    p.0,
                    event,
                )
                .await?;
            rest.truncate((limit - found.len() as i64).max(0) as usize);
            for e in &mut rest {
                e.seq = 0;
            }
            found.append(&mut rest);
        }
        Ok(found)
    }
}
