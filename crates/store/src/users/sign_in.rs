//! Signing in: sessions, external (OpenID Connect) identities linked to
//! users, and the trail of every attempt.

use super::{USER_COLS, User, load_grants, new_secret, secret_hash, user_row};
use crate::audit::{Actor, Change};
use crate::db::{Queryable, Result, Tx, now};
use crate::{Store, params};
use chrono::Duration;
use insyn_domain::*;

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
        let mut tx = self.db.begin().await?;
        sign_in_change(&mut tx, email, outcome, method, from)
            .await?
            .commit(tx, actor)
            .await
    }
}

/// The audit entry of an attempt to sign in (see [`Store::record_sign_in`]).
pub(super) async fn sign_in_change(
    tx: &mut Tx,
    email: &str,
    outcome: SignIn,
    method: &str,
    from: Option<std::net::IpAddr>,
) -> Result<Change> {
    let email: String = email.trim().to_lowercase().chars().take(254).collect();
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
    Ok(Change::new(
        None,
        outcome.action(),
        AuditObject::User,
        user,
        changes,
    ))
}
