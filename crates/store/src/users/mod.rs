//! Users, their grants, sessions and API tokens. Passwords are stored as
//! Argon2id hashes; session ids and tokens only as SHA-256 hashes, so a copy
//! of the database does not let anyone sign in.

mod back_off;
mod oidc_flows;
mod sign_in;
mod tokens;

pub use oidc_flows::OidcFlow;
pub use sign_in::{SessionPolicy, SignIn};
pub use tokens::ApiToken;

use crate::audit::{Actor, Change};
use crate::db::{DbRow, Queryable, Result, Tx, now};
use crate::{Store, StoreError, params};
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use chrono::{DateTime, Utc};
use insyn_domain::access::Language;
use insyn_domain::auth::{Grant, check_password};
use insyn_domain::reminder_mail::MailFrequency;
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
    /// The interface's and the user's mail's language.
    pub language: Language,
    /// How often the user wants the policy reminders' mail.
    pub mail_frequency: MailFrequency,
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
/// A hash to verify against when the user does not exist, so that a wrong
/// e-mail address takes as long as a wrong password.
fn dummy_hash() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| hash_password("not a real password, only for timing"))
}

pub(super) const USER_COLS: &str =
    "id, email, name, active, password_hash, last_login_at, language, mail_frequency";

pub(super) fn user_row(r: &dyn DbRow) -> Result<(User, Option<String>)> {
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
            language: Language::parse(&r.text("language")?).unwrap_or_default(),
            mail_frequency: MailFrequency::parse(&r.text("mail_frequency")?).unwrap_or_default(),
        },
        hash,
    ))
}

pub(super) async fn load_grants(q: &mut impl Queryable, user: &mut User) -> Result<()> {
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
        fetch_user(&mut self.db.read(), id).await
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
}

/// The users' own choices on "Mitt konto": a column of `users` each.
#[derive(Clone, Copy)]
enum OwnChoice {
    Language,
    MailFrequency,
}

impl Store {
    /// Sets the language of a user's interface and mail.
    pub async fn set_user_language(
        &self,
        actor: &Actor,
        id: UserId,
        language: Language,
    ) -> Result<User> {
        self.set_own_choice(actor, id, OwnChoice::Language, language.as_str())
            .await
    }

    /// Sets how often a user wants the policy reminders' mail.
    pub async fn set_user_mail_frequency(
        &self,
        actor: &Actor,
        id: UserId,
        frequency: MailFrequency,
    ) -> Result<User> {
        self.set_own_choice(actor, id, OwnChoice::MailFrequency, frequency.as_str())
            .await
    }

    /// Writes one of the user's own choices and its audit record in one
    /// transaction; nothing when it is already so.
    async fn set_own_choice(
        &self,
        actor: &Actor,
        id: UserId,
        choice: OwnChoice,
        value: &str,
    ) -> Result<User> {
        let mut tx = self.db.begin().await?;
        let before = fetch_user(&mut tx, id).await?;
        let (now_value, sql) = match choice {
            OwnChoice::Language => (
                before.language.as_str(),
                "UPDATE users SET language = $2, updated_at = $3 WHERE id = $1",
            ),
            OwnChoice::MailFrequency => (
                before.mail_frequency.as_str(),
                "UPDATE users SET mail_frequency = $2, updated_at = $3 WHERE id = $1",
            ),
        };
        if now_value == value {
            return Ok(before);
        }
        tx.execute(sql, params![id.0, value, now()]).await?;
        let after = fetch_user(&mut tx, id).await?;
        Change::updated(None, AuditObject::User, id.0, &before, &after)
            .commit(tx, actor)
            .await?;
        // The language is in cached token answers.
        self.cache.clear_tokens();
        Ok(after)
    }
}

async fn write_grants(tx: &mut Tx, user: UserId, grants: &[Grant]) -> Result<()> {
    for g in grants {
        if let Some(o) = g.org_id
            && !tx.exists("organisations", o.0).await?
        {
            return Err(StoreError::Invalid(FieldErrors::single(
                "org",
                v::UNKNOWN_REFERENCE,
            )));
        }
        tx.execute(
            "INSERT INTO user_grants (id, user_id, org_id, role, created_at) VALUES ($1, $2, $3, $4, $5)",
            params![uuid::Uuid::now_v7(), user.0, g.org_id.map(|o| o.0), g.role.as_str(), now()],
        )
        .await?;
    }
    Ok(())
}

pub(super) async fn fetch_user(q: &mut impl Queryable, id: UserId) -> Result<User> {
    let (mut u, _) = q
        .one(
            &format!("SELECT {USER_COLS} FROM users WHERE id = $1"),
            params![id.0],
            user_row,
        )
        .await?;
    load_grants(q, &mut u).await?;
    Ok(u)
}
