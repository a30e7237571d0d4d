//! API tokens: created with a secret shown once, stored only as its hash.

use super::{User, fetch_user, new_secret, secret_hash};
use crate::audit::{Actor, Change};
use crate::db::{DbRow, Queryable, Result, now};
use crate::{Store, StoreError, params};
use chrono::{DateTime, Duration, Utc};
use insyn_domain::auth::TokenScope;
use insyn_domain::validation as v;
use insyn_domain::*;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiToken {
    pub id: TokenId,
    pub user_id: UserId,
    pub name: String,
    pub scope: TokenScope,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked: bool,
    /// After this moment the token opens nothing.
    pub expires_at: Option<DateTime<Utc>>,
}

impl ApiToken {
    pub fn expired(&self, at: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|e| e <= at)
    }
}
fn token_row(r: &dyn DbRow) -> Result<ApiToken> {
    Ok(ApiToken {
        id: TokenId(r.uuid("id")?),
        user_id: UserId(r.uuid("user_id")?),
        name: r.text("name")?,
        scope: TokenScope::parse(&r.text("scope")?).unwrap_or(TokenScope::Read),
        created_at: r.ts("created_at")?,
        last_used_at: r.opt_ts("last_used_at")?,
        revoked: r.opt_ts("revoked_at")?.is_some(),
        expires_at: r.opt_ts("expires_at")?,
    })
}

impl Store {
    /// Creates an API token that does not expire; the secret is returned
    /// once and never stored.
    pub async fn create_token(
        &self,
        actor: &Actor,
        user: UserId,
        name: &str,
        scope: TokenScope,
    ) -> Result<(ApiToken, String)> {
        self.create_token_until(actor, user, name, scope, None)
            .await
    }

    /// Creates an API token valid until `expires_at` (or for good).
    pub async fn create_token_until(
        &self,
        actor: &Actor,
        user: UserId,
        name: &str,
        scope: TokenScope,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<(ApiToken, String)> {
        let mut e = FieldErrors::new();
        let name = v::required_text(&mut e, "name", name, 100);
        if expires_at.is_some_and(|x| x <= now()) {
            e.add("expires_at", v::NOT_IN_FUTURE);
        }
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        let secret = format!("insyn_{}", new_secret());
        let id = TokenId::new();
        let mut tx = self.db.begin().await?;
        fetch_user(&mut tx, user).await?;
        tx.execute(
            "INSERT INTO api_tokens (id, user_id, name, token_hash, scope, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            params![id.0, user.0, name.as_str(), secret_hash(&secret), scope.as_str(), now(), expires_at],
        )
        .await?;
        let token = tx
            .one(
                "SELECT id, user_id, name, scope, created_at, last_used_at, revoked_at, expires_at FROM api_tokens WHERE id = $1",
                params![id.0],
                token_row,
            )
            .await?;
        Change::created(None, AuditObject::ApiToken, id.0, &token)
            .commit(tx, actor)
            .await?;
        Ok((token, secret))
    }

    pub async fn list_tokens(&self, user: UserId) -> Result<Vec<ApiToken>> {
        self.db
            .read()
            .all(
                "SELECT id, user_id, name, scope, created_at, last_used_at, revoked_at, expires_at FROM api_tokens \
                 WHERE user_id = $1 ORDER BY created_at DESC",
                params![user.0],
                token_row,
            )
            .await
    }

    /// Revokes one of a user's tokens.
    pub async fn revoke_token(&self, actor: &Actor, user: UserId, id: TokenId) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let n = tx
            .execute(
                "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
                params![id.0, user.0, now()],
            )
            .await?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Change::new(
            None,
            AuditAction::Revoke,
            AuditObject::ApiToken,
            id.0,
            serde_json::json!({ "revoked": { "old": false, "new": true } }),
        )
        .commit(tx, actor)
        .await?;
        self.cache.clear_tokens();
        Ok(())
    }

    /// The user and scope of a valid token, noting when it was last used.
    pub async fn token_user(&self, secret: &str) -> Result<Option<(User, TokenScope, String)>> {
        let h = secret_hash(secret);
        if let Some(t) = self.cache.token(&h) {
            let at = now();
            if t.expires_at.is_some_and(|e| e <= at) {
                return Ok(None);
            }
            if t.last_used_at.is_none_or(|u| at - u > Duration::minutes(1)) {
                self.touch_token(t.id, at).await?;
                self.cache.token_used(&h, at);
            }
            return Ok(Some((t.user, t.scope, t.name)));
        }
        let generation = self.cache.generation();
        let found = self
            .db
            .read()
            .opt(
                "SELECT t.id, t.user_id, t.name, t.scope, t.created_at, t.last_used_at, t.revoked_at, t.expires_at, u.active \
                 FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
                params![h.as_str()],
                |r| Ok((token_row(r)?, r.bool("active")?)),
            )
            .await?;
        let Some((t, active)) = found else {
            return Ok(None);
        };
        let at = now();
        if t.revoked || !active || t.expired(at) {
            return Ok(None);
        }
        let mut last_used_at = t.last_used_at;
        if t.last_used_at.is_none_or(|u| at - u > Duration::minutes(1)) {
            self.touch_token(t.id, at).await?;
            last_used_at = Some(at);
        }
        let user = self.get_user(t.user_id).await?;
        self.cache.put_token(
            &h,
            crate::cache::TokenEntry {
                id: t.id,
                user: user.clone(),
                scope: t.scope,
                name: t.name.clone(),
                last_used_at,
                expires_at: t.expires_at,
            },
            generation,
        );
        Ok(Some((user, t.scope, t.name)))
    }

    /// Notes when a token was last used (at most once a minute: reads stay reads).
    async fn touch_token(&self, id: TokenId, at: chrono::DateTime<Utc>) -> Result<()> {
        let mut tx = self.db.begin().await?;
        tx.execute(
            "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1",
            params![id.0, at],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
