//! Short-lived memory of what nearly every request looks up: the
//! organisation behind a slug, and the user and grants behind an API token.
//! Without it, each API request ran five statements before its own work.
//!
//! Correctness: every write through this [`Store`](crate::Store) that can
//! change an answer (revoking a token, changing a user's grants or active
//! flag) clears the token cache right after its commit, before it returns, so
//! this server does not serve a revoked token or old grants to any request that
//! starts after the write answered. A lookup that read the database before
//! the clear does not put its answer back (a generation counter). Changes made by another
//! process (the command line, a second server on the same PostgreSQL) are seen
//! after at most [`TOKEN_TTL`]: entries older than that are looked up again.
//! Only found organisations are remembered (slugs, names and kinds are never
//! changed or removed), and only live tokens of active users.

use crate::users::User;
use chrono::{DateTime, Utc};
use insyn_domain::{Organisation, TokenId, TokenScope};
use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long a token's user and grants are trusted without asking the database.
pub const TOKEN_TTL: Duration = Duration::from_secs(5);
/// How long an organisation looked up by slug is remembered.
pub const ORG_TTL: Duration = Duration::from_secs(60);
/// At most this many entries each; a full map is emptied (simple and bounded).
const MAX_ENTRIES: usize = 10_000;

/// A live token of an active user, as looked up.
#[derive(Debug, Clone)]
pub(crate) struct TokenEntry {
    pub id: TokenId,
    pub user: User,
    pub scope: TokenScope,
    pub name: String,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Default)]
pub struct Cache {
    orgs: RwLock<HashMap<String, (Organisation, Instant)>>,
    /// By the token's hash, never the secret itself.
    tokens: RwLock<HashMap<String, (TokenEntry, Instant)>>,
    /// Bumped by [`Cache::clear_tokens`]: a lookup that began before a clear
    /// does not put its (possibly old) answer back.
    generation: AtomicU64,
}

impl Cache {
    pub(crate) fn org(&self, slug: &str) -> Option<Organisation> {
        let m = self.orgs.read().unwrap_or_else(|e| e.into_inner());
        m.get(slug)
            .filter(|(_, at)| at.elapsed() < ORG_TTL)
            .map(|(o, _)| o.clone())
    }

    pub(crate) fn put_org(&self, o: &Organisation) {
        let mut m = self.orgs.write().unwrap_or_else(|e| e.into_inner());
        if m.len() >= MAX_ENTRIES {
            m.clear();
        }
        m.insert(o.slug.clone(), (o.clone(), Instant::now()));
    }

    pub(crate) fn token(&self, hash: &str) -> Option<TokenEntry> {
        let m = self.tokens.read().unwrap_or_else(|e| e.into_inner());
        m.get(hash)
            .filter(|(_, at)| at.elapsed() < TOKEN_TTL)
            .map(|(t, _)| t.clone())
    }

    /// The generation to pass to [`Cache::put_token`]; take it before reading the database.
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    pub(crate) fn put_token(&self, hash: &str, t: TokenEntry, generation: u64) {
        let mut m = self.tokens.write().unwrap_or_else(|e| e.into_inner());
        if self.generation.load(Ordering::SeqCst) != generation {
            return;
        }
        if m.len() >= MAX_ENTRIES {
            m.clear();
        }
        m.insert(hash.to_owned(), (t, Instant::now()));
    }

    /// Records that a token was used at `at` (its entry keeps its age).
    pub(crate) fn token_used(&self, hash: &str, at: DateTime<Utc>) {
        let mut m = self.tokens.write().unwrap_or_else(|e| e.into_inner());
        if let Some((t, _)) = m.get_mut(hash) {
            t.last_used_at = Some(at);
        }
    }

    /// Forgets every token: called by every write that revokes a token or
    /// changes a user's grants or active flag, before it returns.
    pub fn clear_tokens(&self) {
        let mut m = self.tokens.write().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::SeqCst);
        m.clear();
    }
}
