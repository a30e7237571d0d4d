//! Importing a system's user list in the API: a multipart upload (the
//! field `file`: .xlsx, .ods or CSV), with `dry_run=true` to see the
//! differences and the changes without making them.

use crate::api::support::{Acting, area};
use crate::context::SystemPath;
use crate::error::AppResult;
use crate::extract::Query;
use crate::upload::{api_file, api_refusal, merge_issues, user_list};
use axum::Json;
use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;
use insyn_store::access::RosterReport;
use serde::Deserialize;

area! {
    POST "/orgs/{org}/systems/{id}/user-list" => import_user_list, EditSystem;
}

/// Whether to only look.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DryRunQuery {
    /// `true`: report what the import would do, change nothing.
    pub dry_run: Option<bool>,
}

/// A multipart form with the user list as the field `file`.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct UserListUpload {
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    pub file: String,
}

/// Compares the system's user list with who holds its access profiles:
/// accounts insyn does not know, accounts of people who have left, and
/// holdings the list lacks; matching by e-mail or user name. Unless
/// `dry_run`, records the list's user names on the holdings they match and
/// the holdings of people in the register that the list shows, all in one
/// transaction (importing the same list again changes nothing). Rows that
/// cannot be used are named with their column and why.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/user-list", tag = "access",
    request_body(content = UserListUpload, content_type = "multipart/form-data"),
    params(("org" = String, Path), ("id" = uuid::Uuid, Path), DryRunQuery),
    responses((status = 200, body = RosterReport), (status = 400, description = "Not a well-formed multipart body"), (status = 404), (status = 413, description = "The file is over the size limit"),
        (status = 422, description = "No file, or not a user list that can be read")))]
async fn import_user_list(
    Acting { store, actor }: Acting,
    at: SystemPath,
    Query(q): Query<DryRunQuery>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Json<RosterReport>> {
    store.get_system(at.org.id, at.system).await?;
    let (name, bytes) = api_file(multipart).await?;
    let (list, issues) = user_list(&name, &bytes).await.map_err(api_refusal)?;
    let mut report = store
        .import_roster(
            &actor,
            at.org.id,
            at.system,
            &name,
            &list.accounts,
            q.dry_run.unwrap_or(false),
        )
        .await?;
    merge_issues(&mut report.issues, issues);
    Ok(Json(report))
}
