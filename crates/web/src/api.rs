//! The REST API under `/api/v1/`: JSON in and out, lists as
//! `{ items, total, page, per_page }`, errors as problem details. Every
//! organisation-owned record is reached through its organisation's path, and
//! the store scopes every query to that organisation.

use crate::AppState;
use crate::auth::{Principal, Via};
use crate::context::SystemPath;
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, RequestActor};
use crate::extract::{Path, Query};
use crate::query::{PageQuery, SystemQuery};
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use insyn_domain::validation::Validate;
use insyn_domain::*;
use insyn_store::{AssignmentView, AuditEvent};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

pub mod doc;

macro_rules! list_type {
    ($($name:ident($item:ty)),* $(,)?) => {$(
        /// One page of results and the total that matched.
        #[derive(Debug, Serialize, utoipa::ToSchema)]
        pub struct $name {
            pub items: Vec<$item>,
            pub total: i64,
            pub page: u32,
            pub per_page: u32,
            /// True when counting stopped at `total`: more than that many matched.
            #[serde(skip_serializing_if = "std::ops::Not::not")]
            pub total_capped: bool,
        }

        impl From<Page<$item>> for $name {
            fn from(p: Page<$item>) -> Self {
                Self { items: p.items, total: p.total, page: p.page, per_page: p.per_page, total_capped: p.total_capped }
            }
        }

        impl From<Vec<$item>> for $name {
            fn from(items: Vec<$item>) -> Self {
                let total = items.len() as i64;
                Self { per_page: items.len().max(1) as u32, items, total, page: 1, total_capped: false }
            }
        }
    )*};
}

list_type!(
    OrgList(Organisation),
    UnitList(Unit),
    PersonList(Person),
    ProductList(Product),
    SystemList(System),
    RoleTypeList(RoleType),
    AssignmentList(AssignmentOut),
    AuditList(AuditOut),
);

/// A role assignment with the names of its role, person and target.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AssignmentOut {
    #[serde(flatten)]
    pub assignment: RoleAssignment,
    pub role_code: String,
    pub role_name_sv: String,
    pub role_name_en: String,
    pub person_name: String,
    pub target_name: String,
    /// Whether the assignment holds today.
    pub current: bool,
}

impl From<AssignmentView> for AssignmentOut {
    fn from(v: AssignmentView) -> Self {
        Self {
            assignment: v.assignment,
            role_code: v.role_code,
            role_name_sv: v.role_sv,
            role_name_en: v.role_en,
            person_name: v.person_name,
            target_name: v.target_name,
            current: v.current,
        }
    }
}

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

/// The last day an assignment is held.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct EndAssignment {
    pub end_date: NaiveDate,
}

impl Validate for EndAssignment {
    fn problems(&self) -> FieldErrors {
        FieldErrors::new()
    }
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

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: String,
    pub database: String,
}

pub fn routes(rules: &mut crate::auth::Rules) -> Router<AppState> {
    let mut r = Router::new();
    crate::routes!(r, rules, "/api/v1";
        GET "/me" => me, Authenticated;
        GET "/orgs" => list_orgs, Authenticated;
        POST "/orgs" => create_org, Administer;
        GET "/orgs/{org}" => get_org, Read;
        GET "/orgs/{org}/audit" => search_audit, ReadAudit;
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
        GET "/orgs/{org}/people/{id}/roles" => person_roles, Read;
        GET "/products" => list_products, Read;
        POST "/products" => create_product, Administer;
        GET "/products/{id}" => get_product, Read;
        PUT "/products/{id}" => update_product, Administer;
        GET "/orgs/{org}/systems" => list_systems, Read;
        POST "/orgs/{org}/systems" => create_system, EditRegister;
        GET "/orgs/{org}/systems/{id}" => get_system, Read;
        PUT "/orgs/{org}/systems/{id}" => update_system, EditSystem;
        POST "/orgs/{org}/systems/{id}/archive" => archive_system, EditRegister;
        POST "/orgs/{org}/systems/{id}/restore" => restore_system, EditRegister;
        GET "/orgs/{org}/systems/{id}/roles" => system_roles, Read;
        GET "/orgs/{org}/systems/{id}/history" => system_history, ReadAudit;
        GET "/orgs/{org}/role-types" => list_role_types, Read;
        POST "/orgs/{org}/role-types" => create_role_type, Administer;
        GET "/orgs/{org}/role-assignments" => list_assignments, Read;
        POST "/orgs/{org}/role-assignments" => create_assignment, EditRegister;
        GET "/orgs/{org}/role-assignments/{id}" => get_assignment, Read;
        POST "/orgs/{org}/role-assignments/{id}/end" => end_assignment, EditRegister;
    );
    let r = crate::api_security::routes(r, rules);
    crate::api_policy::routes(r, rules)
}

pub(crate) async fn org_of(state: &AppState, slug: &str) -> AppResult<Organisation> {
    Ok(state.store.org_by_slug(slug).await?)
}

/// A malformed id names nothing that exists.
pub(crate) fn id<T: FromStr>(s: &str) -> AppResult<T> {
    s.parse().map_err(|_| AppError::NotFound)
}

pub(crate) type Created<T> = (StatusCode, Json<T>);

pub(crate) fn created<T>(v: T) -> Created<T> {
    (StatusCode::CREATED, Json(v))
}

/// Health check: 200 once the server and its database answer.
#[utoipa::path(get, path = "/healthz", tag = "system", responses((status = 200, body = Health)))]
pub async fn healthz(State(state): State<AppState>) -> AppResult<Json<Health>> {
    state.store.ping().await?;
    Ok(Json(Health {
        status: "ok".into(),
        database: match state.store.backend() {
            insyn_store::Backend::Sqlite => "sqlite".into(),
            insyn_store::Backend::Postgres => "postgres".into(),
        },
    }))
}

/// The signed-in user (or the token's owner) and their grants.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Me {
    pub id: uuid::Uuid,
    pub email: String,
    pub name: String,
    pub grants: Vec<insyn_domain::Grant>,
    /// "session" or "token".
    pub via: String,
    /// The token's scope, when signed in with a token.
    pub scope: Option<insyn_domain::TokenScope>,
}

#[utoipa::path(get, path = "/api/v1/me", tag = "account",
    responses((status = 200, body = Me), (status = 401)))]
async fn me(principal: Principal) -> Json<Me> {
    let (via, scope) = match &principal.via {
        Via::Session { .. } => ("session".to_owned(), None),
        Via::Token { scope, .. } => ("token".to_owned(), Some(*scope)),
    };
    Json(Me {
        id: principal.user.id.0,
        email: principal.user.email,
        name: principal.user.name,
        grants: principal.user.grants,
        via,
        scope,
    })
}

/// The organisations the caller may see.
#[utoipa::path(get, path = "/api/v1/orgs", tag = "organisations", responses((status = 200, body = OrgList)))]
async fn list_orgs(
    State(state): State<AppState>,
    principal: Principal,
) -> AppResult<Json<OrgList>> {
    let orgs: Vec<Organisation> = state
        .store
        .list_orgs()
        .await?
        .into_iter()
        .filter(|o| principal.sees(o.id))
        .collect();
    Ok(Json(orgs.into()))
}

/// Query of the audit trail.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Part of the actor's name or e-mail.
    pub actor: Option<String>,
    /// system, unit, person, role_assignment, organisation, …
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    /// From this day (YYYY-MM-DD), inclusive.
    pub from: Option<String>,
    /// To this day (YYYY-MM-DD), inclusive.
    pub to: Option<String>,
    /// At most this many entries, newest first (default 200, at most 10 000).
    pub limit: Option<String>,
}

impl AuditParams {
    pub fn parse(&self) -> Result<(insyn_store::AuditQuery, i64), FieldErrors> {
        use insyn_domain::validation as v;
        let mut e = FieldErrors::new();
        let present = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let mut day = |field: &str, s: &Option<String>| -> Option<chrono::DateTime<chrono::Utc>> {
            let s = present(s)?;
            match v::parse_date(&s) {
                Ok(d) => d.and_hms_opt(0, 0, 0).map(|t| t.and_utc()),
                Err(c) => {
                    e.add(field, c);
                    None
                }
            }
        };
        let from = day("from", &self.from);
        let to = day("to", &self.to).map(|t| t + chrono::Days::new(1));
        let object_id = match present(&self.object_id) {
            None => None,
            Some(s) => match s.parse() {
                Ok(u) => Some(u),
                Err(_) => {
                    e.add("object_id", v::UNKNOWN_REFERENCE);
                    None
                }
            },
        };
        let limit = match present(&self.limit) {
            None => 200,
            Some(s) => match s.parse::<i64>() {
                Ok(n) => n.clamp(1, 10_000),
                Err(_) => {
                    e.add("limit", v::NOT_A_NUMBER);
                    200
                }
            },
        };
        e.into_result((
            insyn_store::AuditQuery {
                actor: present(&self.actor),
                object_type: present(&self.object_type),
                object_id,
                from,
                to,
            },
            limit,
        ))
    }
}

/// Searches the organisation's audit trail, newest first.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/audit", tag = "audit",
    params(("org" = String, Path), AuditParams),
    responses((status = 200, body = AuditList), (status = 422)))]
async fn search_audit(
    State(state): State<AppState>,
    Path(org): Path<String>,
    Query(q): Query<AuditParams>,
) -> AppResult<Json<AuditList>> {
    let o = org_of(&state, &org).await?;
    let (query, limit) = q.parse().map_err(AppError::Invalid)?;
    let events = state.store.search_audit(o.id, &query, limit).await?;
    Ok(Json(
        events
            .into_iter()
            .map(AuditOut::from)
            .collect::<Vec<_>>()
            .into(),
    ))
}

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

#[utoipa::path(post, path = "/api/v1/orgs", tag = "organisations", request_body = OrgIn,
    responses((status = 201, body = Organisation), (status = 422, description = "Invalid input"), (status = 409, description = "The slug is taken")))]
async fn create_org(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    ApiJson(body): ApiJson<OrgIn>,
) -> AppResult<Created<Organisation>> {
    let parent_id = match body.parent.as_deref() {
        None | Some("") => None,
        Some(slug) => Some(
            state
                .store
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
    Ok(created(state.store.create_org(&actor, draft).await?))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}", tag = "organisations",
    params(("org" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = Organisation), (status = 404)))]
async fn get_org(
    State(state): State<AppState>,
    Path(org): Path<String>,
) -> AppResult<Json<Organisation>> {
    Ok(Json(org_of(&state, &org).await?))
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
    Path(org): Path<String>,
) -> AppResult<axum::response::Response> {
    let o = org_of(&state, &org).await?;
    crate::export::full_export_download(&state.store, &o).await
}

/// Query of the unit list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SinceQuery {
    /// RFC 3339 instant: only records changed after it.
    pub changed_since: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/units", tag = "units",
    params(("org" = String, Path, description = "Organisation slug"), SinceQuery),
    responses((status = 200, body = UnitList), (status = 422)))]
async fn list_units(
    State(state): State<AppState>,
    Path(org): Path<String>,
    Query(q): Query<SinceQuery>,
) -> AppResult<Json<UnitList>> {
    let o = org_of(&state, &org).await?;
    let since = PageQuery {
        changed_since: q.changed_since,
        ..Default::default()
    }
    .since()
    .map_err(AppError::Invalid)?;
    Ok(Json(
        state.store.list_units_changed(o.id, since).await?.into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/orgs/{org}/units", tag = "units", request_body = UnitDraft,
    params(("org" = String, Path, description = "Organisation slug")),
    responses((status = 201, body = Unit), (status = 422)))]
async fn create_unit(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    Path(org): Path<String>,
    ApiJson(draft): ApiJson<UnitDraft>,
) -> AppResult<Created<Unit>> {
    let o = org_of(&state, &org).await?;
    Ok(created(state.store.create_unit(&actor, o.id, draft).await?))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/units/{id}", tag = "units",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Unit), (status = 404)))]
async fn get_unit(
    State(state): State<AppState>,
    Path((org, uid)): Path<(String, String)>,
) -> AppResult<Json<Unit>> {
    let o = org_of(&state, &org).await?;
    Ok(Json(state.store.get_unit(o.id, id(&uid)?).await?))
}

#[utoipa::path(put, path = "/api/v1/orgs/{org}/units/{id}", tag = "units", request_body = UnitDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Unit), (status = 404), (status = 422)))]
async fn update_unit(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    Path((org, uid)): Path<(String, String)>,
    ApiJson(draft): ApiJson<UnitDraft>,
) -> AppResult<Json<Unit>> {
    let o = org_of(&state, &org).await?;
    Ok(Json(
        state
            .store
            .update_unit(&actor, o.id, id(&uid)?, draft)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/orgs/{org}/units/{id}/archive", tag = "units",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Unit), (status = 404)))]
async fn archive_unit(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    Path((org, uid)): Path<(String, String)>,
) -> AppResult<Json<Unit>> {
    let o = org_of(&state, &org).await?;
    Ok(Json(
        state.store.archive_unit(&actor, o.id, id(&uid)?).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/people", tag = "people",
    params(("org" = String, Path), PageQuery),
    responses((status = 200, body = PersonList), (status = 422)))]
async fn list_people(
    State(state): State<AppState>,
    Path(org): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<PersonList>> {
    let o = org_of(&state, &org).await?;
    let since = q.since().map_err(AppError::Invalid)?;
    let (q, page) = q.parse().map_err(AppError::Invalid)?;
    Ok(Json(
        state
            .store
            .list_people_changed(o.id, q.as_deref(), since, page)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/orgs/{org}/people", tag = "people", request_body = PersonDraft,
    params(("org" = String, Path)),
    responses((status = 201, body = Person), (status = 422), (status = 409, description = "The e-mail address is taken")))]
async fn create_person(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    Path(org): Path<String>,
    ApiJson(draft): ApiJson<PersonDraft>,
) -> AppResult<Created<Person>> {
    let o = org_of(&state, &org).await?;
    Ok(created(
        state.store.create_person(&actor, o.id, draft).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/people/{id}", tag = "people",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Person), (status = 404)))]
async fn get_person(
    State(state): State<AppState>,
    Path((org, pid)): Path<(String, String)>,
) -> AppResult<Json<Person>> {
    let o = org_of(&state, &org).await?;
    Ok(Json(state.store.get_person(o.id, id(&pid)?).await?))
}

#[utoipa::path(put, path = "/api/v1/orgs/{org}/people/{id}", tag = "people", request_body = PersonDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Person), (status = 404), (status = 422), (status = 409, description = "The e-mail address is taken")))]
async fn update_person(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    Path((org, pid)): Path<(String, String)>,
    ApiJson(draft): ApiJson<PersonDraft>,
) -> AppResult<Json<Person>> {
    let o = org_of(&state, &org).await?;
    Ok(Json(
        state
            .store
            .update_person(&actor, o.id, id(&pid)?, draft)
            .await?,
    ))
}

/// Everything a person answers for, current and past.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/people/{id}/roles", tag = "people",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = AssignmentList), (status = 404)))]
async fn person_roles(
    State(state): State<AppState>,
    Path((org, pid)): Path<(String, String)>,
) -> AppResult<Json<AssignmentList>> {
    let o = org_of(&state, &org).await?;
    let p = state.store.get_person(o.id, id(&pid)?).await?;
    let roles = state.store.person_roles(o.id, p.id).await?;
    Ok(Json(
        roles
            .into_iter()
            .map(AssignmentOut::from)
            .collect::<Vec<_>>()
            .into(),
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
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    ApiJson(draft): ApiJson<ProductDraft>,
) -> AppResult<Created<Product>> {
    Ok(created(state.store.create_product(&actor, draft).await?))
}

#[utoipa::path(get, path = "/api/v1/products/{id}", tag = "products",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Product), (status = 404)))]
async fn get_product(
    State(state): State<AppState>,
    Path(pid): Path<String>,
) -> AppResult<Json<Product>> {
    Ok(Json(state.store.get_product(id(&pid)?).await?))
}

#[utoipa::path(put, path = "/api/v1/products/{id}", tag = "products", request_body = ProductDraft,
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Product), (status = 404), (status = 422)))]
async fn update_product(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    Path(pid): Path<String>,
    ApiJson(draft): ApiJson<ProductDraft>,
) -> AppResult<Json<Product>> {
    Ok(Json(
        state.store.update_product(&actor, id(&pid)?, draft).await?,
    ))
}

/// The register: filter, sort, search and page through an organisation's systems.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems", tag = "systems",
    params(("org" = String, Path, description = "Organisation slug"), SystemQuery),
    responses((status = 200, body = SystemList), (status = 422, description = "A parameter is malformed")))]
async fn list_systems(
    State(state): State<AppState>,
    Path(org): Path<String>,
    Query(q): Query<SystemQuery>,
) -> AppResult<Json<SystemList>> {
    let o = org_of(&state, &org).await?;
    let r = q.parse().map_err(AppError::Invalid)?;
    Ok(Json(
        state
            .store
            .list_full_systems(o.id, &r.filter, r.sort, r.desc, r.page)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems", tag = "systems", request_body = SystemDraft,
    params(("org" = String, Path)),
    responses((status = 201, body = System), (status = 422), (status = 409, description = "The name is taken")))]
async fn create_system(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    Path(org): Path<String>,
    ApiJson(draft): ApiJson<SystemDraft>,
) -> AppResult<Created<System>> {
    let o = org_of(&state, &org).await?;
    Ok(created(
        state.store.create_system(&actor, o.id, draft).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}", tag = "systems",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = System), (status = 404)))]
async fn get_system(State(state): State<AppState>, at: SystemPath) -> AppResult<Json<System>> {
    Ok(Json(state.store.get_system(at.org.id, at.system).await?))
}

/// Replaces a system's data. Sending the same data again changes nothing.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/systems/{id}", tag = "systems", request_body = SystemDraft,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = System), (status = 404), (status = 422), (status = 409, description = "The name is taken")))]
async fn update_system(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    Path((org, sid)): Path<(String, String)>,
    ApiJson(draft): ApiJson<SystemDraft>,
) -> AppResult<Json<System>> {
    let o = org_of(&state, &org).await?;
    Ok(Json(
        state
            .store
            .update_system(&actor, o.id, id(&sid)?, draft)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/archive", tag = "systems",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = System), (status = 404)))]
async fn archive_system(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    Path((org, sid)): Path<(String, String)>,
) -> AppResult<Json<System>> {
    let o = org_of(&state, &org).await?;
    Ok(Json(
        state.store.archive_system(&actor, o.id, id(&sid)?).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/restore", tag = "systems",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = System), (status = 404), (status = 409, description = "Another system has its name now")))]
async fn restore_system(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    Path((org, sid)): Path<(String, String)>,
) -> AppResult<Json<System>> {
    let o = org_of(&state, &org).await?;
    Ok(Json(
        state.store.restore_system(&actor, o.id, id(&sid)?).await?,
    ))
}

/// Who holds which role on the system, now and before.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/roles", tag = "systems",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = AssignmentList), (status = 404)))]
async fn system_roles(
    State(state): State<AppState>,
    Path((org, sid)): Path<(String, String)>,
) -> AppResult<Json<AssignmentList>> {
    let o = org_of(&state, &org).await?;
    let s = state.store.get_system(o.id, id(&sid)?).await?;
    let roles = state.store.system_roles(o.id, s.id).await?;
    Ok(Json(
        roles
            .into_iter()
            .map(AssignmentOut::from)
            .collect::<Vec<_>>()
            .into(),
    ))
}

/// Every recorded change of the system, oldest first.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/history", tag = "systems",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = AuditList), (status = 404)))]
async fn system_history(
    State(state): State<AppState>,
    Path((org, sid)): Path<(String, String)>,
) -> AppResult<Json<AuditList>> {
    let o = org_of(&state, &org).await?;
    let s = state.store.get_system(o.id, id(&sid)?).await?;
    let events = state.store.history(o.id, s.id.0).await?;
    Ok(Json(
        events
            .into_iter()
            .map(AuditOut::from)
            .collect::<Vec<_>>()
            .into(),
    ))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/role-types", tag = "roles",
    params(("org" = String, Path)),
    responses((status = 200, body = RoleTypeList)))]
async fn list_role_types(
    State(state): State<AppState>,
    Path(org): Path<String>,
) -> AppResult<Json<RoleTypeList>> {
    let o = org_of(&state, &org).await?;
    Ok(Json(state.store.list_role_types(o.id).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/orgs/{org}/role-types", tag = "roles", request_body = RoleTypeDraft,
    params(("org" = String, Path)),
    responses((status = 201, body = RoleType), (status = 422), (status = 409, description = "The code is taken")))]
async fn create_role_type(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    Path(org): Path<String>,
    ApiJson(draft): ApiJson<RoleTypeDraft>,
) -> AppResult<Created<RoleType>> {
    let o = org_of(&state, &org).await?;
    Ok(created(
        state.store.create_role_type(&actor, o.id, draft).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/role-assignments", tag = "roles",
    params(("org" = String, Path), PageQuery),
    responses((status = 200, body = AssignmentList)))]
async fn list_assignments(
    State(state): State<AppState>,
    Path(org): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<AssignmentList>> {
    let o = org_of(&state, &org).await?;
    let since = q.since().map_err(AppError::Invalid)?;
    let (_, page) = q.parse().map_err(AppError::Invalid)?;
    let p = state.store.list_assignments(o.id, since, page).await?;
    Ok(Json(AssignmentList {
        items: p.items.into_iter().map(AssignmentOut::from).collect(),
        total: p.total,
        page: p.page,
        per_page: p.per_page,
        total_capped: p.total_capped,
    }))
}

#[utoipa::path(post, path = "/api/v1/orgs/{org}/role-assignments", tag = "roles", request_body = AssignmentDraft,
    params(("org" = String, Path)),
    responses((status = 201, body = AssignmentOut), (status = 422)))]
async fn create_assignment(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    Path(org): Path<String>,
    ApiJson(draft): ApiJson<AssignmentDraft>,
) -> AppResult<Created<AssignmentOut>> {
    let o = org_of(&state, &org).await?;
    let a = state.store.assign_role(&actor, o.id, draft).await?;
    Ok(created(
        state.store.get_assignment(o.id, a.id).await?.into(),
    ))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/role-assignments/{id}", tag = "roles",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = AssignmentOut), (status = 404)))]
async fn get_assignment(
    State(state): State<AppState>,
    Path((org, aid)): Path<(String, String)>,
) -> AppResult<Json<AssignmentOut>> {
    let o = org_of(&state, &org).await?;
    Ok(Json(
        state.store.get_assignment(o.id, id(&aid)?).await?.into(),
    ))
}

/// Ends an assignment; it stays in the history.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/role-assignments/{id}/end", tag = "roles", request_body = EndAssignment,
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = AssignmentOut), (status = 404), (status = 422)))]
async fn end_assignment(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    Path((org, aid)): Path<(String, String)>,
    ApiJson(body): ApiJson<EndAssignment>,
) -> AppResult<Json<AssignmentOut>> {
    let o = org_of(&state, &org).await?;
    let a = state
        .store
        .end_assignment(&actor, o.id, id(&aid)?, body.end_date)
        .await?;
    Ok(Json(state.store.get_assignment(o.id, a.id).await?.into()))
}

/// Declares the bearer token that every API call (but the health check) needs.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API token from the account page or `insyn token create`.",
                    ))
                    .build(),
            ),
        );
    }
}

#[derive(utoipa::OpenApi)]
#[openapi(
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    info(
        title = "insyn",
        description = "The register of a municipality's IT systems: organisations, units, people, products, systems and who holds which role.",
        license(name = "EUPL-1.2")
    ),
    paths(
        healthz,
        me,
        list_orgs, create_org, get_org, search_audit, export_full,
        list_units, create_unit, get_unit, update_unit, archive_unit,
        list_people, create_person, get_person, update_person, person_roles,
        list_products, create_product, get_product, update_product,
        list_systems, create_system, get_system, update_system, archive_system, restore_system,
        system_roles, system_history,
        list_role_types, create_role_type,
        list_assignments, create_assignment, get_assignment, end_assignment,
    ),
    tags(
        (name = "organisations", description = "A municipality and its companies"),
        (name = "units", description = "The organisation tree"),
        (name = "people"),
        (name = "products", description = "The product catalogue shared by all organisations"),
        (name = "systems", description = "The register of systems"),
        (name = "roles", description = "Role types and who holds them"),
        (name = "system", description = "Operations"),
        (name = "account", description = "The caller"),
        (name = "audit", description = "The audit trail"),
        (name = "security", description = "Classification, security plans and operational approval"),
        (name = "policy", description = "Policy profiles, compliance, tasks, documents and controls"),
    )
)]
pub struct ApiDoc;

/// The OpenAPI document as served at `/api/openapi.json` (and checked in).
pub fn openapi_json() -> String {
    use utoipa::OpenApi;
    let mut api = ApiDoc::openapi();
    api.merge(crate::api_security::SecurityDoc::openapi());
    api.merge(crate::api_policy::PolicyDoc::openapi());
    let mut value = serde_json::to_value(&api).unwrap_or_default();
    doc::complete(&mut value);
    let mut doc = serde_json::to_string_pretty(&value).unwrap_or_else(|_| "{}".into());
    doc.push('\n');
    doc
}
