//! Importing an HR file (personalfil) in the API: a multipart upload (the
//! field `file`: .xlsx, .ods or CSV), with `dry_run=true` to see what would
//! change and `complete=true` when the file lists everyone employed.

use crate::api::support::{Acting, area};
use crate::context::OrgPath;
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::extract::Query;
use crate::upload::{api_file, api_refusal, hr_file, merge_issues};
use axum::Json;
use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;
use axum::http::StatusCode;
use insyn_domain::Person;
use insyn_domain::access::HrPersonDraft;
use insyn_store::hr::HrReport;
use serde::Deserialize;

area! {
    POST "/orgs/{org}/people/hr-file" => import_hr_file, EditRegister;
    PUT "/orgs/{org}/people/by-external-id/{external_id}" => put_person, EditRegister;
}

/// Whether to only look, and whether the file lists everyone.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HrFileQuery {
    /// `true`: report what the import would do, change nothing.
    pub dry_run: Option<bool>,
    /// `true`: the file lists everyone employed, so active people missing
    /// from it are leavers.
    pub complete: Option<bool>,
}

/// A multipart form with the HR file as the field `file`.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct HrFileUpload {
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    pub file: String,
}

/// Imports an HR file: the people it adds, the people whose name, e-mail or
/// unit changed (a new unit makes a mover), and the leavers (inactive, an
/// end date that has passed, or missing from a complete file), matched by
/// e-mail. Unless `dry_run`, makes the changes in one transaction, each
/// audited; a leaver gets removal orders for what they hold, as leaving
/// through the person page gives. Importing the same file again changes
/// nothing. Rows that cannot be used are named with their column and why.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/people/hr-file", tag = "access",
    request_body(content = HrFileUpload, content_type = "multipart/form-data"),
    params(("org" = String, Path), HrFileQuery),
    responses((status = 200, body = HrReport), (status = 400, description = "Not a well-formed multipart body"), (status = 413, description = "The file is over the size limit"),
        (status = 422, description = "No file, or not an HR file that can be read")))]
async fn import_hr_file(
    Acting { store, actor }: Acting,
    at: OrgPath,
    Query(q): Query<HrFileQuery>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Json<HrReport>> {
    let (name, bytes) = api_file(multipart).await?;
    let (file, issues) = hr_file(&name, &bytes).await.map_err(api_refusal)?;
    let mut report = store
        .import_hr(
            &actor,
            at.org.id,
            &name,
            &file.rows,
            q.complete.unwrap_or(false),
            q.dry_run.unwrap_or(false),
        )
        .await?;
    merge_issues(&mut report.issues, issues);
    Ok(Json(report))
}

/// Creates or updates one person by the HR system's own id (kept as their
/// employee number), idempotently: matched by that id, else by e-mail (a
/// person the register had without an id gets it). A unit is named as the
/// register names it. An end date that has passed makes the person a
/// leaver, as the HR file and the person page do (removal orders for
/// their access; their roles become the leavers' tasks); a future end
/// date is not kept. Each change is audited with the person.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/people/by-external-id/{external_id}", tag = "access",
    request_body = HrPersonDraft,
    params(("org" = String, Path), ("external_id" = String, Path, description = "The HR system's id of the person (at most 50 characters)")),
    responses((status = 201, body = Person, description = "The person was created"),
        (status = 200, body = Person, description = "The person was updated, or was already so"),
        (status = 404, description = "No such organisation"),
        (status = 409, description = "The e-mail address belongs to another person"),
        (status = 422, description = "A field is missing or wrong, or the unit is not the register's")))]
async fn put_person(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<HrPersonDraft>,
) -> AppResult<(StatusCode, Json<Person>)> {
    let external_id = at.params.get("external_id").unwrap_or_default().to_owned();
    let (created, person) = store
        .put_hr_person(&actor, at.org.id, &external_id, &draft)
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(person)))
}
