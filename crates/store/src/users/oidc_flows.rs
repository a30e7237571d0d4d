//! OpenID Connect sign-ins in progress: the PKCE verifier, nonce and state
//! of a browser sent to the provider, kept in the database so that the
//! callback may reach any instance. Stored by the hash of the id in the
//! browser's cookie (a copy of the database cannot finish anyone's sign-in),
//! only until the browser comes back: taking a flow deletes it, so each is
//! used once, and expired ones are removed whenever a flow starts.
//!
//! Like sessions, these rows are the sign-in's own state, not register data:
//! the audit trail records the sign-in they lead to.

use super::secret_hash;
use crate::db::{Queryable, Result, now};
use crate::{Store, params};

/// A sign-in waiting for the browser to come back from the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcFlow {
    pub state: String,
    pub nonce: String,
    pub verifier: String,
    /// Where to go after signing in (a local path).
    pub next: String,
}

impl Store {
    /// Keeps `flow` under `id` (a secret only the browser holds) for `ttl`.
    /// At most `max` flows wait at once; the oldest goes first.
    pub async fn put_oidc_flow(
        &self,
        id: &str,
        flow: &OidcFlow,
        ttl: chrono::Duration,
        max: usize,
    ) -> Result<()> {
        let at = now();
        let mut tx = self.db.begin().await?;
        let max = i64::try_from(max).unwrap_or(i64::MAX);
        crate::expiring::make_room(&mut tx, "oidc_flows", "id_hash", max, at).await?;
        tx.execute(
            "INSERT INTO oidc_flows (id_hash, state, nonce, verifier, next_path, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
            params![
                secret_hash(id),
                flow.state.as_str(),
                flow.nonce.as_str(),
                flow.verifier.as_str(),
                flow.next.as_str(),
                at + ttl
            ],
        )
        .await?;
        tx.commit().await
    }

    /// Takes the flow under `id` out (each can be finished once, by one
    /// instance), if it has not expired.
    pub async fn take_oidc_flow(&self, id: &str) -> Result<Option<OidcFlow>> {
        let mut tx = self.db.begin().await?;
        let found = tx
            .opt(
                "DELETE FROM oidc_flows WHERE id_hash = $1 \
                 RETURNING state, nonce, verifier, next_path, expires_at",
                params![secret_hash(id)],
                |r| {
                    Ok((
                        OidcFlow {
                            state: r.text("state")?,
                            nonce: r.text("nonce")?,
                            verifier: r.text("verifier")?,
                            next: r.text("next_path")?,
                        },
                        r.ts("expires_at")?,
                    ))
                },
            )
            .await?;
        tx.commit().await?;
        Ok(found.filter(|(_, until)| now() < *until).map(|(f, _)| f))
    }

    /// How many sign-ins wait for their browser (expired ones included
    /// until the next start removes them).
    pub async fn oidc_flows_waiting(&self) -> Result<i64> {
        self.db
            .read()
            .count("SELECT COUNT(*) AS n FROM oidc_flows", vec![])
            .await
    }
}
