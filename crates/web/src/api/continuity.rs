//! Continuity in the API: a system's requirements (RTO, RPO, MTD in
//! minutes, critical periods, fallback routine), its backups, and its
//! restore tests with their judgement against the requirements and their
//! deviation actions. Reading needs the organisation; writing, the right to
//! edit the system (its owner, förvaltare, an editor, the coordinator).

use crate::api::support::{Acting, Created, area, created, list_type};
use crate::context::SystemPath;
use crate::error::AppResult;
use crate::extract::ApiJson;
use axum::Json;
use axum::http::StatusCode;
use chrono::Utc;
use insyn_domain::continuity::*;
use insyn_domain::incident::ActionDraft;
use insyn_store::continuity::RestoreTestView;
use serde::Serialize;

area! {
    GET "/orgs/{org}/systems/{id}/continuity" => get_continuity, Read;
    PUT "/orgs/{org}/systems/{id}/continuity" => set_continuity, EditSystem;
    GET "/orgs/{org}/systems/{id}/backups" => list_backups, Read;
    POST "/orgs/{org}/systems/{id}/backups" => add_backup, EditSystem;
    PUT "/orgs/{org}/systems/{id}/backups/{backup}" => update_backup, EditSystem;
    DELETE "/orgs/{org}/systems/{id}/backups/{backup}" => remove_backup, EditSystem;
    GET "/orgs/{org}/systems/{id}/restore-tests" => list_restore_tests, Read;
    POST "/orgs/{org}/systems/{id}/restore-tests" => record_restore_test, EditSystem;
    GET "/orgs/{org}/systems/{id}/restore-tests/{test}" => get_restore_test, Read;
    PUT "/orgs/{org}/systems/{id}/restore-tests/{test}" => update_restore_test, EditSystem;
    POST "/orgs/{org}/systems/{id}/restore-tests/{test}/actions" => add_restore_action, EditSystem;
    PUT "/orgs/{org}/systems/{id}/restore-tests/{test}/actions/{action}" => update_restore_action, EditSystem;
    DELETE "/orgs/{org}/systems/{id}/restore-tests/{test}" => remove_restore_test, EditSystem;
}

list_type!(BackupList(Backup), RestoreTestList(RestoreTestView));

/// A system's continuity requirements; all empty until set.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ContinuityOut {
    #[serde(flatten)]
    pub requirements: Requirements,
    /// Who set them last, and when (none until set).
    pub updated_by: Option<String>,
    pub updated_at: Option<chrono::DateTime<Utc>>,
}

impl From<Option<Continuity>> for ContinuityOut {
    fn from(c: Option<Continuity>) -> Self {
        match c {
            Some(c) => ContinuityOut {
                requirements: c.requirements,
                updated_by: Some(c.updated_by),
                updated_at: Some(c.updated_at),
            },
            None => ContinuityOut {
                requirements: Requirements::default(),
                updated_by: None,
                updated_at: None,
            },
        }
    }
}

/// The new action's id.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ActionCreated {
    pub id: uuid::Uuid,
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/continuity", tag = "continuity",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = ContinuityOut), (status = 404)))]
async fn get_continuity(
    Acting { store, .. }: Acting,
    at: SystemPath,
) -> AppResult<Json<ContinuityOut>> {
    Ok(Json(store.continuity(at.org.id, at.system).await?.into()))
}

/// Sets the requirements as a whole (a field left out is emptied): RTO, RPO
/// and MTD in minutes, positive, at most a year, MTD at least RTO.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/systems/{id}/continuity", tag = "continuity",
    request_body = Requirements,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = ContinuityOut), (status = 404), (status = 422)))]
async fn set_continuity(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(d): ApiJson<Requirements>,
) -> AppResult<Json<ContinuityOut>> {
    let c = store
        .set_continuity(&actor, at.org.id, at.system, d)
        .await?;
    Ok(Json(Some(c).into()))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/backups", tag = "continuity",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = BackupList), (status = 404)))]
async fn list_backups(Acting { store, .. }: Acting, at: SystemPath) -> AppResult<Json<BackupList>> {
    Ok(Json(store.backups(at.org.id, at.system).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/backups", tag = "continuity",
    request_body = BackupDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 201, body = Backup), (status = 404), (status = 422)))]
async fn add_backup(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(d): ApiJson<BackupDraft>,
) -> AppResult<Created<Backup>> {
    Ok(created(
        store.add_backup(&actor, at.org.id, at.system, d).await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/orgs/{org}/systems/{id}/backups/{backup}", tag = "continuity",
    request_body = BackupDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("backup" = uuid::Uuid, Path)),
    responses((status = 200, body = Backup), (status = 404), (status = 422)))]
async fn update_backup(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(d): ApiJson<BackupDraft>,
) -> AppResult<Json<Backup>> {
    let id = at.params.id("backup")?;
    Ok(Json(
        store
            .update_backup(&actor, at.org.id, at.system, id, d)
            .await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/orgs/{org}/systems/{id}/backups/{backup}", tag = "continuity",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("backup" = uuid::Uuid, Path)),
    responses((status = 204), (status = 404)))]
async fn remove_backup(Acting { store, actor }: Acting, at: SystemPath) -> AppResult<StatusCode> {
    let id = at.params.id("backup")?;
    store
        .remove_backup(&actor, at.org.id, at.system, id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The system's restore tests, newest first, each judged against the RTO
/// and RPO in force when it was recorded, with its actions.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/restore-tests", tag = "continuity",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = RestoreTestList), (status = 404)))]
async fn list_restore_tests(
    Acting { store, .. }: Acting,
    at: SystemPath,
) -> AppResult<Json<RestoreTestList>> {
    Ok(Json(
        store.restore_tests(at.org.id, at.system).await?.into(),
    ))
}

/// Records a restore test, planned (`planned_on`) or performed
/// (`performed_on` with the measured minutes). A performed test keeps the
/// system's RTO and RPO of now and records the restore-test control.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/restore-tests", tag = "continuity",
    request_body = RestoreTestDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 201, body = RestoreTestView), (status = 404), (status = 422)))]
async fn record_restore_test(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(d): ApiJson<RestoreTestDraft>,
) -> AppResult<Created<RestoreTestView>> {
    let today = crate::nav::today();
    let (org, system) = (at.org.id, at.system);
    let t = store
        .record_restore_test(&actor, org, system, d, today)
        .await?;
    Ok(created(store.restore_test(org, system, t.id).await?))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/restore-tests/{test}", tag = "continuity",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("test" = uuid::Uuid, Path)),
    responses((status = 200, body = RestoreTestView), (status = 404)))]
async fn get_restore_test(
    Acting { store, .. }: Acting,
    at: SystemPath,
) -> AppResult<Json<RestoreTestView>> {
    let id = at.params.id("test")?;
    Ok(Json(store.restore_test(at.org.id, at.system, id).await?))
}

/// Changes a restore test as a whole; recording a planned one as performed
/// judges it against the requirements of now.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/systems/{id}/restore-tests/{test}", tag = "continuity",
    request_body = RestoreTestDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("test" = uuid::Uuid, Path)),
    responses((status = 200, body = RestoreTestView), (status = 404), (status = 422)))]
async fn update_restore_test(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(d): ApiJson<RestoreTestDraft>,
) -> AppResult<Json<RestoreTestView>> {
    let id = at.params.id("test")?;
    let (org, system, today) = (at.org.id, at.system, crate::nav::today());
    store
        .update_restore_test(&actor, org, system, id, d, today)
        .await?;
    Ok(Json(store.restore_test(org, system, id).await?))
}

/// Adds a deviation action (owner: a person of the organisation).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/restore-tests/{test}/actions", tag = "continuity",
    request_body = ActionDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("test" = uuid::Uuid, Path)),
    responses((status = 201, body = ActionCreated), (status = 404), (status = 422)))]
async fn add_restore_action(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(d): ApiJson<ActionDraft>,
) -> AppResult<Created<ActionCreated>> {
    let test = at.params.id("test")?;
    let id = store
        .add_restore_action(&actor, at.org.id, at.system, test, d)
        .await?;
    Ok(created(ActionCreated { id }))
}

/// Changes a deviation action as a whole (e.g. `done_on` when it is done).
#[utoipa::path(put, path = "/api/v1/orgs/{org}/systems/{id}/restore-tests/{test}/actions/{action}", tag = "continuity",
    request_body = ActionDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("test" = uuid::Uuid, Path), ("action" = uuid::Uuid, Path)),
    responses((status = 200, body = RestoreTestView), (status = 404), (status = 422)))]
async fn update_restore_action(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(d): ApiJson<ActionDraft>,
) -> AppResult<Json<RestoreTestView>> {
    let (test, action) = (at.params.id("test")?, at.params.id("action")?);
    let (org, system) = (at.org.id, at.system);
    store
        .update_restore_action(&actor, org, system, test, action, d)
        .await?;
    Ok(Json(store.restore_test(org, system, test).await?))
}

/// Removes a planned restore test that was not performed, with any actions
/// on it; a performed test cannot be removed (422 on `performed_on`): it is
/// the restore-test control's evidence.
#[utoipa::path(delete, path = "/api/v1/orgs/{org}/systems/{id}/restore-tests/{test}", tag = "continuity",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), ("test" = uuid::Uuid, Path)),
    responses((status = 204), (status = 404), (status = 422)))]
async fn remove_restore_test(
    Acting { store, actor }: Acting,
    at: SystemPath,
) -> AppResult<StatusCode> {
    let id = at.params.id("test")?;
    store
        .remove_planned_restore_test(&actor, at.org.id, at.system, id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
