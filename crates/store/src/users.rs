//! Users, their grants, sessions and API tokens. Passwords are stored as
//! Argon2id hashes; session ids and tokens only as SHA-256 hashes, so a copy
//! of the database does not let anyone sign in.

use crate::audit::{Actor, Change};
use crate::db::{DbRow, Queryable, Result, Tx, now};
use crate::{Store, StoreError, params};
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use chrono::{DateTime, Duration, Utc};
use insyn_domain::auth::{Grant, TokenScope, check_password};
use insyn_domain::validation as v;
use insyn_domain::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub active: bool,
    pub grants: Vec<Grant>,
    pub has_password: bool,
    pub last_login_at: Option<DateTime<Utc>>,
}

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

/// A new random secret: 32 bytes, hex.
pub fn new_secret() -> String {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).expect("the operating system's random source");
    hex::encode(b)
}

/// What is stored of a session id or token: its SHA-256.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

pub fn hash_password(pw: &str) -> String {
    Argon2::default()
        .hash_password(pw.as_bytes())
        .map(|h| h.to_string())
        .expect("hashing a password")
}

fn password_matches(pw: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| Argon2::default().verify_password(pw.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

/// At most two password hashes are worked out at once, in the whole
/// process: each takes ~19 MiB and a core for a moment, so a burst of
/// sign-ins queues here instead of exhausting memory and the blocking pool.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Runs a password hash (or check) off the async threads, within [`HASHING`].
async fn hashing<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let _permit = HASHING.acquire().await.ok()?;
    tokio::task::spawn_blocking(work).await.ok()
}

/// What became of an attempt to sign in, as the audit trail records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignIn {
    Succeeded,
    Failed,
    /// The failure after which the account (or address) must wait: recorded
    /// once when the waiting begins, not for each attempt refused during it.
    Throttled,
}

impl SignIn {
    pub fn action(self) -> AuditAction {
        match self {
            SignIn::Succeeded => AuditAction::SignIn,
            SignIn::Failed => AuditAction::SignInFailed,
            SignIn::Throttled => AuditAction::SignInThrottled,
        }
    }
}

/// A hash to verify against when the user does not exist, so that a wrong
/// e-mail address takes as long as a wrong password.
fn dummy_hash() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| hash_password("not a real password, only for timing"))
}

const USER_COLS: &str = "id, email, name, active, password_hash, last_login_at";

fn user_row(r: &dyn DbRow) -> Result<(User, Option<String>)> {
    let hash = r.opt_text("password_hash")?;
    Ok((
        User {
            id: UserId(r.uuid("id")?),
            email: r.text("email")?,
            name: r.text("name")?,
            active: r.bool("active")?,
            grants: vec![],
            has_password: hash.is_some(),
            last_login_at: r.opt_ts("last_login_at")?,
        },
        hash,
    ))
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

async fn load_grants(q: &mut impl Queryable, user: &mut User) -> Result<()> {
    user.grants = q
        .all(
            "SELECT org_id, role FROM user_grants WHERE user_id = $1 ORDER BY created_at",
            params![user.id.0],
            |r| {
                Ok(Grant {
                    org_id: r.opt_uuid("org_id")?.map(OrgId),
                    role: AppRole::parse(&r.text("role")?).unwrap_or(AppRole::Reader),
                })
            },
        )
        .await?;
    Ok(())
}

/// Session lifetimes: idle and absolute.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    pub idle: Duration,
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle: Duration::hours(2),
            absolute: Duration::hours(12),
        }
    }
}

impl Store {
    /// Creates a user. A password is optional (people who sign in with
    /// OpenID Connect have none).
    pub async fn create_user(
        &self,
        actor: &Actor,
        email: &str,
        name: &str,
        password: Option<&str>,
        grants: &[Grant],
    ) -> Result<User> {
        let mut e = FieldErrors::new();
        let email = email.trim().to_lowercase();
        if !v::is_email(&email) {
            e.add("email", v::NOT_AN_EMAIL);
        }
        let name = v::required_text(&mut e, "name", name, 200);
        if let Some(pw) = password
            && let Err(code) = check_password(pw)
        {
            e.add("password", code);
        }
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        let hash = match password {
            Some(pw) => {
                let pw = pw.to_owned();
                Some(
                    hashing(move || hash_password(&pw))
                        .await
                        .ok_or_else(|| StoreError::Refused("hashing stopped".into()))?,
                )
            }
            None => None,
        };
        let mut tx = self.db.begin().await?;
        let n = tx
            .count(
                "SELECT COUNT(*) AS n FROM users WHERE email = $1",
                params![email.as_str()],
            )
            .await?;
        if n > 0 {
            return Err(StoreError::Invalid(FieldErrors::single("email", v::TAKEN)));
        }
        let id = UserId::new();
        let at = now();
        tx.execute(
            "INSERT INTO users (id, email, name, password_hash, active, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, TRUE, $5, $5)",
            params![id.0, email.as_str(), name.as_str(), hash, at],
        )
        .await?;
        write_grants(&mut tx, id, grants).await?;
        let user = fetch_user(&mut tx, id).await?;
        Change::created(None, AuditObject::User, id.0, &user)
            .commit(tx, actor)
            .await?;
        Ok(user)
    }

    pub async fn list_users(&self) -> Result<Vec<User>> {
        let mut read = self.db.read();
        let mut users: Vec<User> = read
            .all(
                &format!("SELECT {USER_COLS} FROM users ORDER BY email"),
                vec![],
                user_row,
            )
            .await?
            .into_iter()
            .map(|(u, _)| u)
            .collect();
        for u in &mut users {
            load_grants(&mut read, u).await?;
        }
        Ok(users)
    }

    pub async fn get_user(&self, id: UserId) -> Result<User> {
        let mut read = self.db.read();
        let (mut u, _) = read
            .one(
                &format!("SELECT {USER_COLS} FROM users WHERE id = $1"),
                params![id.0],
                user_row,
            )
            .await?;
        load_grants(&mut read, &mut u).await?;
        Ok(u)
    }

    pub async fn user_by_email(&self, email: &str) -> Result<User> {
        let mut read = self.db.read();
        let (mut u, _) = read
            .one(
                &format!("SELECT {USER_COLS} FROM users WHERE email = $1"),
                params![email.trim().to_lowercase()],
                user_row,
            )
            .await?;
        load_grants(&mut read, &mut u).await?;
        Ok(u)
    }

    /// The user whose e-mail and password these are, if active.
    pub async fn check_login(&self, email: &str, password: &str) -> Result<Option<User>> {
        let found = self
            .db
            .read()
            .opt(
                &format!("SELECT {USER_COLS} FROM users WHERE email = $1"),
                params![email.trim().to_lowercase()],
                user_row,
            )
            .await?;
        let (user, hash) = match found {
            Some((u, Some(h))) => (Some(u), h),
            _ => (None, dummy_hash().to_owned()),
        };
        if password.chars().count() > insyn_domain::auth::MAX_PASSWORD_CHARS {
            // No stored password is that long: refused without hashing it.
            return Ok(None);
        }
        // Hashing is slow on purpose: keep it off the async threads.
        let pw = password.to_owned();
        let ok = hashing(move || password_matches(&pw, &hash))
            .await
            .unwrap_or(false);
        match user {
            Some(mut u) if ok && u.active => {
                load_grants(&mut self.db.read(), &mut u).await?;
                Ok(Some(u))
            }
            _ => Ok(None),
        }
    }

    pub async fn set_password(&self, actor: &Actor, id: UserId, password: &str) -> Result<()> {
        if let Err(code) = check_password(password) {
            return Err(StoreError::Invalid(FieldErrors::single("password", code)));
        }
        let pw = password.to_owned();
        let hash = hashing(move || hash_password(&pw))
            .await
            .ok_or_else(|| StoreError::Refused("hashing stopped".into()))?;
        let mut tx = self.db.begin().await?;
        fetch_user(&mut tx, id).await?;
        tx.execute(
            "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1",
            params![id.0, hash, now()],
        )
        .await?;
        // A new password ends every session.
        tx.execute("DELETE FROM sessions WHERE user_id = $1", params![id.0])
            .await?;
        Change::new(
            None,
            AuditAction::Update,
            AuditObject::User,
            id.0,
            serde_json::json!({ "password": { "old": "***", "new": "***" } }),
        )
        .commit(tx, actor)
        .await?;
        Ok(())
    }

    /// Replaces a user's grants and active flag.
    pub async fn update_user(
        &self,
        actor: &Actor,
        id: UserId,
        name: &str,
        active: bool,
        grants: &[Grant],
    ) -> Result<User> {
        let mut e = FieldErrors::new();
        let name = v::required_text(&mut e, "name", name, 200);
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        let mut tx = self.db.begin().await?;
        let before = fetch_user(&mut tx, id).await?;
        tx.execute(
            "UPDATE users SET name = $2, active = $3, updated_at = $4 WHERE id = $1",
            params![id.0, name.as_str(), active, now()],
        )
        .await?;
        tx.execute("DELETE FROM user_grants WHERE user_id = $1", params![id.0])
            .await?;
        write_grants(&mut tx, id, grants).await?;
        if !active {
            tx.execute("DELETE FROM sessions WHERE user_id = $1", params![id.0])
                .await?;
        }
        let after = fetch_user(&mut tx, id).await?;
        Change::updated(None, AuditObject::User, id.0, &before, &after)
            .commit(tx, actor)
            .await?;
        // Grants and the active flag are in cached token answers.
        self.cache.clear_tokens();
        Ok(after)
    }

    /// Starts a session; returns the secret for the cookie.
    pub async fn create_session(
        &self,
        user: UserId,
        method: &str,
        policy: SessionPolicy,
    ) -> Result<String> {
        let secret = new_secret();
        let at = now();
        let mut tx = self.db.begin().await?;
        tx.execute(
            "INSERT INTO sessions (id_hash, user_id, method, created_at, last_seen_at, expires_at) \
             VALUES ($1, $2, $3, $4, $4, $5)",
            params![
                secret_hash(&secret),
                user.0,
                method,
                at,
                at + policy.absolute
            ],
        )
        .await?;
        tx.execute(
            "UPDATE users SET last_login_at = $2 WHERE id = $1",
            params![user.0, at],
        )
        .await?;
        // Old sessions of anyone are cleared now and then.
        tx.execute("DELETE FROM sessions WHERE expires_at < $1", params![at])
            .await?;
        tx.commit().await?;
        Ok(secret)
    }

    /// The user of a live session. Ends the session when it has been idle
    /// too long or reached its absolute limit.
    pub async fn session_user(
        &self,
        secret: &str,
        policy: SessionPolicy,
    ) -> Result<Option<(User, String)>> {
        let h = secret_hash(secret);
        let found = self
            .db
            .read()
            .opt(
                "SELECT s.user_id, s.method, s.last_seen_at, s.expires_at, u.active FROM sessions s \
                 JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1",
                params![h.as_str()],
                |r| {
                    Ok((
                        UserId(r.uuid("user_id")?),
                        r.text("method")?,
                        r.ts("last_seen_at")?,
                        r.ts("expires_at")?,
                        r.bool("active")?,
                    ))
                },
            )
            .await?;
        let Some((uid, method, seen, expires, active)) = found else {
            return Ok(None);
        };
        let at = now();
        if !active || at >= expires || at - seen > policy.idle {
            self.end_session(secret).await?;
            return Ok(None);
        }
        // Refresh the idle clock at most once a minute: reads stay reads.
        if at - seen > Duration::minutes(1) {
            let mut tx = self.db.begin().await?;
            tx.execute(
                "UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1",
                params![h.as_str(), at],
            )
            .await?;
            tx.commit().await?;
        }
        Ok(Some((self.get_user(uid).await?, method)))
    }

    pub async fn end_session(&self, secret: &str) -> Result<()> {
        let mut tx = self.db.begin().await?;
        tx.execute(
            "DELETE FROM sessions WHERE id_hash = $1",
            params![secret_hash(secret)],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Signs a user out everywhere; returns how many sessions ended.
    pub async fn end_all_sessions(&self, user: UserId) -> Result<u64> {
        let mut tx = self.db.begin().await?;
        let n = tx
            .execute("DELETE FROM sessions WHERE user_id = $1", params![user.0])
            .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// The account bound to an OpenID Connect identity (issuer and subject).
    pub async fn user_by_oidc(&self, issuer: &str, subject: &str) -> Result<Option<User>> {
        let found = self
            .db
            .read()
            .opt(
                &format!(
                    "SELECT {USER_COLS} FROM users WHERE oidc_issuer = $1 AND oidc_subject = $2"
                ),
                params![issuer, subject],
                user_row,
            )
            .await?;
        match found {
            Some((mut u, _)) => {
                load_grants(&mut self.db.read(), &mut u).await?;
                Ok(Some(u))
            }
            None => Ok(None),
        }
    }

    /// The OpenID Connect identity an account is bound to, if any.
    pub async fn oidc_identity(&self, user: UserId) -> Result<Option<(String, String)>> {
        self.db
            .read()
            .opt(
                "SELECT oidc_issuer, oidc_subject FROM users WHERE id = $1 AND oidc_subject IS NOT NULL",
                params![user.0],
                |r| Ok((r.text("oidc_issuer")?, r.text("oidc_subject")?)),
            )
            .await
    }

    /// Binds an account to an OpenID Connect identity, once: an account
    /// already bound (to this or another identity) is left as it is and the
    /// answer is false.
    pub async fn link_oidc(
        &self,
        actor: &Actor,
        user: UserId,
        issuer: &str,
        subject: &str,
    ) -> Result<bool> {
        let mut tx = self.db.begin().await?;
        let n = tx
            .execute(
                "UPDATE users SET oidc_issuer = $2, oidc_subject = $3, updated_at = $4 \
                 WHERE id = $1 AND oidc_subject IS NULL",
                params![user.0, issuer, subject, now()],
            )
            .await?;
        if n == 0 {
            return Ok(false);
        }
        Change::new(
            None,
            AuditAction::LinkSignIn,
            AuditObject::User,
            user.0,
            serde_json::json!({
                "oidc_issuer": { "old": null, "new": issuer },
                "oidc_subject": { "old": null, "new": subject },
            }),
        )
        .commit(tx, actor)
        .await?;
        Ok(true)
    }

    /// Records an attempt to sign in (any method) in the audit trail, with
    /// the address it came from. An attempt for an address that has no
    /// account is recorded too, under the nil id.
    pub async fn record_sign_in(
        &self,
        actor: &Actor,
        email: &str,
        outcome: SignIn,
        method: &str,
        from: Option<std::net::IpAddr>,
    ) -> Result<()> {
        let email: String = email.trim().to_lowercase().chars().take(254).collect();
        let mut tx = self.db.begin().await?;
        let user = tx
            .opt(
                "SELECT id FROM users WHERE email = $1",
                params![email.as_str()],
                |r| r.uuid("id"),
            )
            .await?
            .unwrap_or(uuid::Uuid::nil());
        let changes = serde_json::json!({
            "email": { "old": null, "new": email },
            "method": { "old": null, "new": method },
            "address": { "old": null, "new": from.map(|a| a.to_string()) },
        });
        Change::new(None, outcome.action(), AuditObject::User, user, changes)
            .commit(tx, actor)
            .await?;
        Ok(())
    }

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

    /// Whether the person with this e-mail currently holds, on this system, a
    /// role whose type lets its holders edit the system.
    pub async fn holds_editing_role(
        &self,
        org: OrgId,
        system: SystemId,
        email: &str,
    ) -> Result<bool> {
        let today = Utc::now().date_naive();
        Ok(self
            .db
            .read()
            .count(
                "SELECT COUNT(*) AS n FROM role_assignments ra \
                 JOIN role_types rt ON rt.id = ra.role_type_id \
                 JOIN people pe ON pe.id = ra.person_id \
                 WHERE ra.org_id = $1 AND ra.system_id = $2 AND pe.email = $3 AND pe.active = TRUE \
                 AND rt.grants_edit = TRUE AND ra.start_date <= $4 \
                 AND (ra.end_date IS NULL OR ra.end_date >= $4)",
                params![org.0, system.0, email.to_lowercase(), today],
            )
            .await?
            > 0)
    }
}

impl Store {
    /// Whether the person with this e-mail address holds any role in the
    /// organisation today (then their start page is their tasks).
    pub async fn holds_any_role(&self, org: OrgId, email: &str) -> Result<bool> {
        let today = Utc::now().date_naive();
        Ok(self
            .db
            .read()
            .count(
                "SELECT COUNT(*) AS n FROM role_assignments ra \
                 JOIN people pe ON pe.id = ra.person_id \
                 WHERE ra.org_id = $1 AND pe.email = $2 AND pe.active = TRUE \
                 AND ra.start_date <= $3 AND (ra.end_date IS NULL OR ra.end_date >= $3)",
                params![org.0, email.to_lowercase(), today],
            )
            .await?
            > 0)
    }
}

async fn write_grants(tx: &mut Tx, user: UserId, grants: &[Grant]) -> Result<()> {
    for g in grants {
        if let Some(o) = g.org_id {
            let n = tx
                .count(
                    "SELECT COUNT(*) AS n FROM organisations WHERE id = $1",
                    params![o.0],
                )
                .await?;
            if n == 0 {
                return Err(StoreError::Invalid(FieldErrors::single(
                    "org",
                    v::UNKNOWN_REFERENCE,
                )));
            }
        }
        tx.execute(
            "INSERT INTO user_grants (id, user_id, org_id, role, created_at) VALUES ($1, $2, $3, $4, $5)",
            params![uuid::Uuid::now_v7(), user.0, g.org_id.map(|o| o.0), g.role.as_str(), now()],
        )
        .await?;
    }
    Ok(())
}

async fn fetch_user(tx: &mut Tx, id: UserId) -> Result<User> {
    let (mut u, _) = tx
        .one(
            &format!("SELECT {USER_COLS} FROM users WHERE id = $1"),
            params![id.0],
            user_row,
        )
        .await?;
    load_grants(tx, &mut u).await?;
    Ok(u)
}
