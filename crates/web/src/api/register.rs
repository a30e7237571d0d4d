//! The register's directory in the API: organisations, their units and
//! people, and the product catalogue that all organisations share.

use crate::AppState;
use crate::api::support::{Acting, Created, area, created, list_type};
use crate::auth::Principal;
use crate::context::OrgPath;
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, Path, Query};
use crate::query::{PageQuery, SinceQuery};
use axum::Json;
use axum::extract::State;
use insyn_domain::validation::Validate;
use insyn_domain::*;
use serde::Deserialize;

area! {
    GET "/orgs" => list_orgs, Authenticated;
    POST "/orgs" => create_org, Administer;
    GET "/orgs/{org}" => get_org, Read;
    GET "/orgs/{org}/export-full" => export_full, Administer;
    GET "/orgs/{org}/units" => list_units, Read;
    POST "/orgs/{org}/units" => create_unit, EditRegister;
    GET "/orgs/{org}/units/{id}" => get_unit, Read;
    PUT "/orgs/{org}/units/{id}" => update_unit, EditRegister;
    POST "/orgs/{org}/units/{id}/archive" => archive_unit, EditRegister;
    GET "/orgs/{org}/people" => list_people, Read;
    POST "/orgs/{org}/people" => create_person, EditRegister;
    GET "/orgs/{org}/people/{id}" => get_person, Read;
    PUT "/orgs/{org}/people/{id}" => update_person, EditRegister;
    GET "/products" => list_products, Read;
    POST "/products" => create_product, Administer;
    GET "/products/{id}" => get_product, Read;
    PUT "/products/{id}" => update_product, Administer;
}

list_type!(
    OrgList(Organisation),
    UnitList(Unit),
    PersonList(Person),
    ProductList(Product),
);

/// Draft of an organisation.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct OrgIn {
    #[schema(
        min_length = 1,
        pattern = r"^\s*[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?\s*$"
    )]
    pub slug: String,
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    pub kind: OrgKind,
    /// The slug of the municipality a company belongs to.
    pub parent: Option<String>,
}

impl Validate for OrgIn {
    fn problems(&self) -> FieldErrors {
        OrgDraft {
            slug: self.slug.clone(),
            name: self.name.clone(),
            kind: self.kind,
            parent_id: None,
        }
        .problems()
    }
}

/// The organisations the caller may see.
#[utoipa::path(get, path = "/api/v1/orgs", tag = "organisations", responses((status = 200, body = OrgList)))]
async fn list_orgs(
    State(state): State<AppState>,
    principal: Principal,
) -> AppResult<Json<OrgList>> {
    let mut orgs = state.store.list_orgs().await?;
    orgs.retain(|o| principal.sees(o.id));
    Ok(Json(orgs.into()))
}

#[utoipa::path(post, path = "/api/v1/orgs", tag = "organisations", request_body = OrgIn,
    responses((status = 201, body = Organisation), (status = 422, description = "Invalid input"), (status = 409, description = "The slug is taken")))]
async fn create_org(
    Acting { store, actor }: Acting,
    ApiJson(body): ApiJson<OrgIn>,
) -> AppResult<Created<Organisation>> {
    let parent_id = match body.parent.as_deref() {
        None | Some("") => None,
        Some(slug) => Some(
            store
                .org_by_slug(slug)
                .await
                .map_err(|_| {
                    AppError::Invalid(FieldErrors::single(
                        "parent",
                        insyn_domain::validation::UNKNOWN_REFERENCE,
                    ))
                })?
                .id,
        ),
    };
    let draft = OrgDraft {
        slug: body.slug,
        name: body.name,
        kind: body.kind,
        parent_id,
    };
    Ok(created(store.create_org(&actor, draft).await?))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}", tag = "organisations",
    params(("org" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = Organisation), (status = 404)))]
async fn get_org(at: OrgPath) -> Json<Organisation> {
    Json(at.org)
}

/// Everything of one organisation as one JSON document (format
/// `insyn-full-export`, with `format_version`): the organisation and its
/// settings, units, people, products, systems, roles, classification,
/// security plans, approvals, users' grants (never passwords, sessions or
/// tokens) and the audit trail as an appendix. `insyn import-full` loads it
/// into an installation that does not have the organisation.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/export-full", tag = "organisations",
    params(("org" = String, Path, description = "Organisation slug")),
    responses(
        (status = 200, description = "The full export document", content_type = "application/json"),
        (status = 403), (status = 404)))]
async fn export_full(
    State(state): State<AppState>,
    at: OrgPath,
) -> AppResult<axum::response::Response> {
    crate::export::full_export_download(&state.store, &at.org).await
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/units", tag = "units",
    params(("org" = String, Path, description = "Organisation slug"), SinceQuery),
    responses((status = 200, body = UnitList), (status = 422)))]
async fn list_units(
    State(state): State<AppState>,
    at: OrgPath,
    Query(q): Query<SinceQuery>,
) -> AppResult<Json<UnitList>> {
    let since = q.since().map_err(AppError::Invalid)?;
    let units = state.store.list_units_changed(at.id(), since).await?;
    Ok(Json(units.into()))
}

#[utoipa::path(post, path = "/api/v1/orgs/{org}/units", tag = "units", request_body = UnitDraft,
    params(("org" = String, Path, description = "Organisation slug")),
    responses((status = 201, body = Unit), (status = 422)))]
async fn create_unit(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<UnitDraft>,
) -> AppResult<Created<Unit>> {
    Ok(created(store.create_unit(&actor, at.id(), draft).await?))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/units/{id}", tag = "units",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Unit), (status = 404)))]
async fn get_unit(State(state): State<AppState>, at: OrgPath) -> AppResult<Json<Unit>> {
    let unit = at.params.id("id")?;
    Ok(Json(state.store.get_unit(at.id(), unit).await?))
}

#[utoipa::path(put, path = "/api/v1/orgs/{org}/units/{id}", tag = "units", request_body = UnitDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Unit), (status = 404), (status = 422)))]
async fn update_unit(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<UnitDraft>,
) -> AppResult<Json<Unit>> {
    let unit = at.params.id("id")?;
    Ok(Json(store.update_unit(&actor, at.id(), unit, draft).await?))
}

#[utoipa::path(post, path = "/api/v1/orgs/{org}/units/{id}/archive", tag = "units",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Unit), (status = 404)))]
async fn archive_unit(Acting { store, actor }: Acting, at: OrgPath) -> AppResult<Json<Unit>> {
    let unit = at.params.id("id")?;
    Ok(Json(store.archive_unit(&actor, at.id(), unit).await?))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/people", tag = "people",
    params(("org" = String, Path), PageQuery),
    responses((status = 200, body = PersonList), (status = 422)))]
async fn list_people(
    State(state): State<AppState>,
    at: OrgPath,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<PersonList>> {
    let since = q.since().map_err(AppError::Invalid)?;
    let (q, page) = q.parse().map_err(AppError::Invalid)?;
    let people = state
        .store
        .list_people_changed(at.id(), q.as_deref(), since, page)
        .await?;
    Ok(Json(people.into()))
}

#[utoipa::path(post, path = "/api/v1/orgs/{org}/people", tag = "people", request_body = PersonDraft,
    params(("org" = String, Path)),
    responses((status = 201, body = Person), (status = 422), (status = 409, description = "The e-mail address is taken")))]
async fn create_person(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<PersonDraft>,
) -> AppResult<Created<Person>> {
    Ok(created(store.create_person(&actor, at.id(), draft).await?))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/people/{id}", tag = "people",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Person), (status = 404)))]
async fn get_person(State(state): State<AppState>, at: OrgPath) -> AppResult<Json<Person>> {
    let person = at.params.id("id")?;
    Ok(Json(state.store.get_person(at.id(), person).await?))
}

#[utoipa::path(put, path = "/api/v1/orgs/{org}/people/{id}", tag = "people", request_body = PersonDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Person), (status = 404), (status = 422), (status = 409, description = "The e-mail address is taken")))]
async fn update_person(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<PersonDraft>,
) -> AppResult<Json<Person>> {
    let person = at.params.id("id")?;
    Ok(Json(
        store.update_person(&actor, at.id(), person, draft).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/products", tag = "products",
    responses((status = 200, body = ProductList)))]
async fn list_products(State(state): State<AppState>) -> AppResult<Json<ProductList>> {
    Ok(Json(state.store.list_products().await?.into()))
}

#[utoipa::path(post, path = "/api/v1/products", tag = "products", request_body = ProductDraft,
    responses((status = 201, body = Product), (status = 422)))]
async fn create_product(
    Acting { store, actor }: Acting,
    ApiJson(draft): ApiJson<ProductDraft>,
) -> AppResult<Created<Product>> {
    Ok(created(store.create_product(&actor, draft).await?))
}

#[utoipa::path(get, path = "/api/v1/products/{id}", tag = "products",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Product), (status = 404)))]
async fn get_product(
    State(state): State<AppState>,
    Path(product): Path<String>,
) -> AppResult<Json<Product>> {
    let product = product.parse().map_err(|_| AppError::NotFound)?;
    Ok(Json(state.store.get_product(product).await?))
}

#[utoipa::path(put, path = "/api/v1/products/{id}", tag = "products", request_body = ProductDraft,
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Product), (status = 404), (status = 422)))]
async fn update_product(
    Acting { store, actor }: Acting,
    Path(product): Path<String>,
    ApiJson(draft): ApiJson<ProductDraft>,
) -> AppResult<Json<Product>> {
    let product = product.parse().map_err(|_| AppError::NotFound)?;
    Ok(Json(store.update_product(&actor, product, draft).await?))
}
