//! What the operator's metrics and readiness check ask of the database:
//! connections in use, the outbox's backlog, and whether every migration
//! this binary knows is applied. Reads only.

use crate::db::{Db, Queryable, Result, now};
use crate::migrate::MIGRATIONS;
use crate::outbox::MAX_ATTEMPTS;
use crate::{Store, params};
use chrono::{DateTime, Utc};

/// The database connections as the store sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolUse {
    /// SQLite: reader connections in use and kept idle (the one writer is
    /// not counted).
    Sqlite {
        readers_busy: usize,
        readers_idle: usize,
    },
    /// PostgreSQL: connections open in the pool and idle among them, and the pool's maximum.
    Postgres { size: u32, idle: usize, max: u32 },
}

/// Mail waiting to be sent: how many, and when the oldest was queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutboxBacklog {
    pub pending: i64,
    pub oldest: Option<DateTime<Utc>>,
}

/// Whether the schema is the one this binary expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaState {
    /// Versions this binary knows and the database has not applied.
    pub missing: Vec<i64>,
    /// Versions the database has applied that this binary does not know
    /// (a newer insyn migrated it).
    pub unknown: Vec<i64>,
}

impl SchemaState {
    pub fn is_current(&self) -> bool {
        self.missing.is_empty() && self.unknown.is_empty()
    }
}

impl Store {
    pub fn pool_use(&self) -> PoolUse {
        match &*self.db {
            Db::Sqlite(s) => {
                let (readers_busy, readers_idle) = s.readers();
                PoolUse::Sqlite {
                    readers_busy,
                    readers_idle,
                }
            }
            Db::Postgres(p) => PoolUse::Postgres {
                size: p.size(),
                idle: p.num_idle(),
                max: p.options().get_max_connections(),
            },
        }
    }

    /// Mail neither sent nor given up.
    pub async fn outbox_backlog(&self) -> Result<OutboxBacklog> {
        self.db
            .read()
            .one(
                "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox \
                 WHERE sent_at IS NULL AND NOT (attempts >= $2 AND (claimed_until IS NULL OR claimed_until <= $1))",
                params![now(), MAX_ATTEMPTS],
                |r| {
                    Ok(OutboxBacklog {
                        pending: r.i64("n")?,
                        oldest: r.opt_ts("oldest")?,
                    })
                },
            )
            .await
    }

    /// The applied migrations against the ones this binary knows.
    pub async fn schema_state(&self) -> Result<SchemaState> {
        schema_state(&self.db).await
    }
}

/// [`Store::schema_state`] of any database (also one not opened as a store:
/// a file being restored).
pub async fn schema_state(db: &Db) -> Result<SchemaState> {
    let applied = db
        .read()
        .all("SELECT version FROM schema_migrations", vec![], |r| {
            r.i64("version")
        })
        .await?;
    let known: Vec<i64> = MIGRATIONS.iter().map(|m| m.0).collect();
    Ok(SchemaState {
        missing: known
            .iter()
            .copied()
            .filter(|v| !applied.contains(v))
            .collect(),
        unknown: applied
            .iter()
            .copied()
            .filter(|v| !known.contains(v))
            .collect(),
    })
}
