//! The service and the caller: the health check and `/me`.

use crate::AppState;
use crate::api::support::Acting;
use crate::auth::{Principal, Rules, Via};
use crate::error::AppResult;
use crate::extract::ApiJson;
use axum::Json;
use axum::Router;
use axum::extract::State;
use insyn_domain::access::{Language, LanguageChoice};
use serde::Serialize;

pub fn routes(mut r: Router<AppState>, rules: &mut Rules) -> Router<AppState> {
    crate::routes!(r, rules, "/api/v1";
        GET "/me" => me, Authenticated;
        PUT "/me/language" => set_language, Authenticated;
    );
    r
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(healthz, readyz, me, set_language))]
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

/// Whether this server should be sent requests.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Readiness {
    /// "ready" or "not_ready".
    pub status: String,
    /// Why not, in a few words (only when not ready).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Readiness: 200 when the database answers and has every migration this
/// server knows (and none it does not), else 503 with the reason.
/// `/healthz` is liveness: the process answers.
#[utoipa::path(get, path = "/readyz", tag = "system",
    responses((status = 200, body = Readiness), (status = 503, body = Readiness)))]
pub async fn readyz(State(state): State<AppState>) -> (axum::http::StatusCode, Json<Readiness>) {
    let reason = match state.store.schema_state().await {
        Err(e) => {
            tracing::warn!("readiness: the database does not answer: {e}");
            Some("the database does not answer".to_owned())
        }
        Ok(s) if !s.missing.is_empty() => {
            Some(format!("migrations not applied: {}", join(&s.missing)))
        }
        Ok(s) if !s.unknown.is_empty() => Some(format!(
            "the database was migrated by a newer insyn (migrations {})",
            join(&s.unknown)
        )),
        Ok(_) => None,
    };
    let status = if reason.is_some() {
        axum::http::StatusCode::SERVICE_UNAVAILABLE
    } else {
        axum::http::StatusCode::OK
    };
    (
        status,
        Json(Readiness {
            status: if reason.is_some() {
                "not_ready"
            } else {
                "ready"
            }
            .into(),
            reason,
        }),
    )
}

fn join(versions: &[i64]) -> String {
    versions
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
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
    /// The language of the user's interface and mail.
    pub language: Language,
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
        language: principal.user.language,
    })
}

/// Sets the language of the caller's interface and mail (`sv` or `en`):
/// the notices of access orders are written in it.
#[utoipa::path(put, path = "/api/v1/me/language", tag = "account",
    request_body = LanguageChoice,
    responses((status = 200, body = LanguageChoice), (status = 401), (status = 422)))]
async fn set_language(
    Acting { store, actor }: Acting,
    principal: Principal,
    ApiJson(choice): ApiJson<LanguageChoice>,
) -> AppResult<Json<LanguageChoice>> {
    let user = store
        .set_user_language(&actor, principal.user.id, choice.language)
        .await?;
    Ok(Json(LanguageChoice {
        language: user.language,
    }))
}
