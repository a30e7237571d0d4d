//! The service and the caller: the health check and `/me`.

use crate::AppState;
use crate::auth::{Principal, Rules, Via};
use crate::error::AppResult;
use axum::Json;
use axum::Router;
use axum::extract::State;
use serde::Serialize;

pub fn routes(mut r: Router<AppState>, rules: &mut Rules) -> Router<AppState> {
    crate::routes!(r, rules, "/api/v1";
        GET "/me" => me, Authenticated;
    );
    r
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(healthz, me))]
pub struct Doc;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: String,
    pub database: String,
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
