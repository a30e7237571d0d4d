//! Failed password sign-ins, per account and per address, for the back-off
//! (`insyn_domain::back_off` is the rule). Kept in the database so that every
//! instance on it sees the same failures: a guesser spread over instances
//! behind a load balancer meets the same wait as on one. Each failure is
//! counted in the transaction that records it in the audit trail; failures
//! an hour old are removed on the way, and at most
//! [`back_off::MAX_KEYS`] keys are kept.

use super::sign_in::{SignIn, sign_in_change};
use crate::audit::Actor;
use crate::db::{Queryable, Result, now};
use crate::{Store, params};
use insyn_domain::back_off;
use std::net::IpAddr;

const METHOD: &str = "password";

impl Store {
    /// How long a password sign-in of `email` from `from` must still wait;
    /// zero when it may be tried now.
    pub async fn sign_in_wait(
        &self,
        email: &str,
        from: Option<IpAddr>,
    ) -> Result<chrono::Duration> {
        let keys = back_off::keys(from, email);
        let rows = self
            .db
            .read()
            .all(
                "SELECT key, failures, last_at FROM sign_in_failures WHERE key IN ($1, $2)",
                params![keys[0].0.as_str(), keys[1].0.as_str()],
                |r| Ok((r.text("key")?, r.i64("failures")?, r.ts("last_at")?)),
            )
            .await?;
        let failures: Vec<(u32, u32, _)> = rows
            .into_iter()
            .filter_map(|(key, n, last)| {
                let free = keys.iter().find(|(k, _)| *k == key)?.1;
                Some((u32::try_from(n).unwrap_or(u32::MAX), free, last))
            })
            .collect();
        Ok(back_off::remaining(&failures, now()))
    }

    /// A wrong password: counts the failure against the account and the
    /// address and records it in the audit trail, with the throttling when
    /// the account (or address) must wait after it, in one transaction.
    /// True when it must wait. (Attempts refused while waiting are not
    /// failures: they never reach the password check, so each wait begins
    /// with exactly one `true`.)
    pub async fn sign_in_failed(
        &self,
        actor: &Actor,
        email: &str,
        from: Option<IpAddr>,
    ) -> Result<bool> {
        let at = now();
        let mut tx = self.db.begin().await?;
        tx.execute(
            "DELETE FROM sign_in_failures WHERE last_at <= $1",
            params![at - back_off::forget_after()],
        )
        .await?;
        let mut throttled = false;
        for (key, free) in back_off::keys(from, email) {
            // One statement: two instances counting the same key at once
            // both count.
            let n = tx
                .one(
                    "INSERT INTO sign_in_failures (key, failures, last_at) VALUES ($1, 1, $2) \
                     ON CONFLICT (key) DO UPDATE SET failures = sign_in_failures.failures + 1, \
                     last_at = excluded.last_at RETURNING failures",
                    params![key.as_str(), at],
                    |r| r.i64("failures"),
                )
                .await?;
            throttled |= back_off::waits(u32::try_from(n).unwrap_or(u32::MAX), free);
        }
        let kept = tx
            .count("SELECT COUNT(*) AS n FROM sign_in_failures", vec![])
            .await?;
        if usize::try_from(kept).unwrap_or(0) > back_off::MAX_KEYS {
            // Still full of recent failures: the stalest tenth goes at once.
            tx.execute(
                "DELETE FROM sign_in_failures WHERE key IN \
                 (SELECT key FROM sign_in_failures ORDER BY last_at LIMIT $1)",
                params![kept / 10],
            )
            .await?;
        }
        sign_in_change(&mut tx, email, SignIn::Failed, METHOD, from)
            .await?
            .record(&mut tx, actor)
            .await?;
        if throttled {
            sign_in_change(&mut tx, email, SignIn::Throttled, METHOD, from)
                .await?
                .record(&mut tx, actor)
                .await?;
        }
        tx.commit().await?;
        Ok(throttled)
    }

    /// The right password: the account's failures are forgotten and the
    /// sign-in recorded, in one transaction.
    pub async fn sign_in_succeeded(
        &self,
        actor: &Actor,
        email: &str,
        from: Option<IpAddr>,
    ) -> Result<()> {
        let mut tx = self.db.begin().await?;
        tx.execute(
            "DELETE FROM sign_in_failures WHERE key = $1",
            params![back_off::account_key(email)],
        )
        .await?;
        sign_in_change(&mut tx, email, SignIn::Succeeded, METHOD, from)
            .await?
            .commit(tx, actor)
            .await
    }
}
