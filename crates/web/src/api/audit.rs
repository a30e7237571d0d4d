//! The audit trail in the API: an organisation's, searched, and one
//! system's history.

use crate::AppState;
use crate::api::support::{area, list_type};
use crate::context::{OrgPath, SystemPath};
use crate::error::{AppError, AppResult};
use crate::extract::Query;
use crate::query::AuditParams;
use axum::Json;
use axum::extract::State;
use insyn_store::AuditEvent;
use serde::Serialize;

area! {
    GET "/orgs/{org}/audit" => search_audit, ReadAudit;
    GET "/orgs/{org}/systems/{id}/history" => system_history, ReadAudit;
}

list_type!(AuditList(AuditOut));

/// One entry of an object's history.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditOut {
    pub id: uuid::Uuid,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor: String,
    pub request_id: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: uuid::Uuid,
    /// `{ field: { "old": …, "new": … } }`
    #[schema(value_type = Object)]
    pub changes: serde_json::Value,
}

impl From<AuditEvent> for AuditOut {
    fn from(e: AuditEvent) -> Self {
        Self {
            id: e.id,
            at: e.at,
            actor: e.actor,
            request_id: e.request_id,
            action: e.action,
            object_type: e.object_type,
            object_id: e.object_id,
            changes: e.changes,
        }
    }
}

/// Searches the organisation's audit trail, newest first.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/audit", tag = "audit",
    params(("org" = String, Path), AuditParams),
    responses((status = 200, body = AuditList), (status = 422)))]
async fn search_audit(
    State(state): State<AppState>,
    at: OrgPath,
    Query(q): Query<AuditParams>,
) -> AppResult<Json<AuditList>> {
    let (query, limit) = q.parse().map_err(AppError::Invalid)?;
    let events = state.store.search_audit(at.id(), &query, limit).await?;
    Ok(Json(events.into()))
}

/// Every recorded change of the system, oldest first.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/history", tag = "systems",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = AuditList), (status = 404)))]
async fn system_history(
    State(state): State<AppState>,
    at: SystemPath,
) -> AppResult<Json<AuditList>> {
    let s = state.store.get_system(at.org.id, at.system).await?;
    Ok(Json(state.store.history(at.org.id, s.id.0).await?.into()))
}
