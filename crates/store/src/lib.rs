//! insyn's storage: repositories over SQLite (embedded, the default) and
//! PostgreSQL, with the SQL written once. Every write is one transaction
//! with its audit record inside it.

pub mod access;
pub mod audit;
pub mod backup;
mod benefit;
mod bulk;
pub mod cache;
pub mod continuity;
pub mod contracts;
pub mod db;
pub mod decommission;
pub mod demo;
mod demo_history;
pub mod eservices;
mod expiring;
pub mod feed;
pub mod full;
pub mod hr;
mod hr_put;
pub mod import;
pub mod incidents;
pub mod integrations;
pub mod it_services;
pub mod jobs;
mod leavers;
pub mod licences;
mod links;
pub mod mapping;
pub mod migrate;
pub mod movers;
pub mod ops;
mod orgs;
mod outage_plans;
pub mod outbox;
mod people;
pub mod policy;
pub mod processing;
pub mod processors;
mod products;
pub mod public;
mod regulatory;
mod reminders;
pub mod reviews;
mod roles;
pub mod security;
pub mod sqlite;
mod supplier_named;
pub use supplier_named::SUGGESTED_SUPPLIERS;
mod suppliers;
mod system_child;
mod systems;
mod units;
pub mod users;
pub mod webhooks;

pub use audit::{Actor, AuditEvent, AuditKeys, AuditQuery, Verified};
pub use db::{Backend, DEFAULT_SQLITE_PATH, Database, Db, DbOptions, redact};
pub use demo_history::demo_dated;
pub use outbox::{ClaimedMail, MailState, OutboxEntry, OutboxMail, OutboxStatus};
pub use roles::{AssignmentView, HeldRole};
pub use systems::{
    OVERLAP_CAPABILITIES, OVERLAP_COUNT_CAP, OVERLAP_NAMED, Overlap, SearchedBy, SystemRow,
    TOTAL_CAP,
};
pub use units::{UnitNode, tree_order as units_tree_order};
pub use users::{ApiToken, SessionPolicy, SignIn, User};

use insyn_domain::FieldErrors;

/// What can go wrong in storage. Validation problems carry field errors for
/// the form or the API; database errors are logged, never shown.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    /// A policy profile that cannot be saved: each problem names the line or the rule.
    #[error("invalid profile: {0:?}")]
    Profile(Vec<insyn_domain::policy::ProfileError>),
    #[error("configuration: {0}")]
    Config(String),
    /// Input that cannot be loaded as a whole (a full export), with the
    /// reason in English for the command line.
    #[error("{0}")]
    Refused(String),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A column whose value is not what the code reads it as.
    #[error("database: column {0}: {1}")]
    Column(String, String),
}

/// Why the database cannot serve a request now through no fault of the
/// request: the caller may try again later (the web layer answers 503).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outage {
    /// PostgreSQL does not answer: stopped, restarting, unreachable, or no
    /// connection free within the pool's acquire timeout.
    Unreachable,
    /// The disk under the database is full (SQLITE_FULL, PostgreSQL 53100).
    DiskFull,
}

impl StoreError {
    /// Whether this is an [`Outage`] rather than a fault of the request or a bug.
    pub fn outage(&self) -> Option<Outage> {
        match self {
            StoreError::Db(e) => db::pg_outage(e),
            StoreError::Sqlite(e) => sqlite::outage(e),
            _ => None,
        }
    }

    /// Whether a failed write broke a unique index or primary key.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            StoreError::Db(sqlx::Error::Database(d)) => d.is_unique_violation(),
            StoreError::Sqlite(e) => sqlite::is_unique_violation(e),
            _ => false,
        }
    }
}

impl From<FieldErrors> for StoreError {
    fn from(e: FieldErrors) -> Self {
        StoreError::Invalid(e)
    }
}

/// The repository: one handle, cheap to clone, shared by all requests.
#[derive(Clone, Debug)]
pub struct Store {
    /// The database, with the audit keys (if any) that seal its trail.
    pub db: Database,
    /// Organisations by slug and API tokens, briefly (see [`cache`]).
    pub cache: std::sync::Arc<cache::Cache>,
    /// Each organisation's compliance, computed once per change (see [`policy::SnapshotCache`]).
    pub(crate) snapshots: std::sync::Arc<policy::SnapshotCache>,
    /// The register's search indexes, per organisation (`systems/search.rs`).
    pub(crate) search: std::sync::Arc<systems::SearchCache>,
}

impl Store {
    /// Opens the database and applies any pending migrations.
    pub async fn open(url: Option<&str>) -> db::Result<Store> {
        Self::open_with(url, DbOptions::default()).await
    }

    /// [`Store::open`] with options (the pool's acquire timeout).
    pub async fn open_with(url: Option<&str>, options: DbOptions) -> db::Result<Store> {
        let db = Db::connect_with(url, options).await?;
        migrate::migrate(&db).await?;
        Ok(Store {
            db: Database::new(db),
            cache: Default::default(),
            snapshots: Default::default(),
            search: Default::default(),
        })
    }

    /// The same store, sealing its audit entries with the active one of
    /// `keys` (HMAC-SHA256) and verifying with all of them; see [`audit`].
    pub fn with_audit_keys(mut self, keys: AuditKeys) -> Store {
        self.db = self.db.with_audit_keys(keys);
        self
    }

    pub fn backend(&self) -> Backend {
        self.db.backend()
    }

    /// Refreshes the planner statistics (on PostgreSQL what autovacuum does
    /// soon after a bulk load), after the demo load and in tests. On SQLite
    /// they matter only with stale or no statistics; STAT4 is left out of
    /// the build (`.cargo/config.toml`), so only table sizes are kept.
    pub async fn analyze(&self) -> db::Result<()> {
        use db::Queryable;
        let mut tx = self.db.begin().await?;
        tx.execute("ANALYZE", vec![]).await?;
        tx.commit().await
    }

    /// Archives one of the organisation's rows of `table` (its columns
    /// `cols`, read by `row`), in one transaction with its audit entry, and
    /// returns the row as it is now.
    pub(crate) async fn archive_row<T: serde::Serialize>(
        &self,
        actor: &Actor,
        org: insyn_domain::OrgId,
        object: insyn_domain::AuditObject,
        (table, cols): (&str, &str),
        id: uuid::Uuid,
        row: impl Fn(&dyn db::DbRow) -> db::Result<T> + Copy,
    ) -> db::Result<T> {
        use db::Queryable;
        let mut tx = self.db.begin().await?;
        let before = tx.org_row(cols, table, org, id, row).await?;
        tx.execute(
            &format!(
                "UPDATE {table} SET archived = TRUE, updated_at = $3 WHERE org_id = $1 AND id = $2"
            ),
            params![org.0, id, db::now()],
        )
        .await?;
        let after = tx.org_row(cols, table, org, id, row).await?;
        audit::Change::changed(
            Some(org),
            insyn_domain::AuditAction::Archive,
            object,
            id,
            &before,
            &after,
        )
        .commit(tx, actor)
        .await?;
        Ok(after)
    }

    /// Answers once the database answers a query.
    pub async fn ping(&self) -> db::Result<()> {
        use db::Queryable;
        self.db
            .read()
            .count("SELECT CAST(1 AS BIGINT) AS n", vec![])
            .await?;
        Ok(())
    }
}

/// Key used for sorting and for uniqueness of names, the same on both backends.
pub fn name_key(name: &str) -> String {
    sort_key(name)
}

/// Two writers that pass a name check at once meet the unique index on
/// `name_key`; the loser gets the same field error as a sequential duplicate.
pub(crate) fn name_taken(e: StoreError) -> StoreError {
    match e {
        e if e.is_unique_violation() => {
            StoreError::Invalid(FieldErrors::single("name", insyn_domain::validation::TAKEN))
        }
        other => other,
    }
}

/// Sort key for names: lower case, with Swedish å, ä, ö after z (in that
/// order) so both backends sort alike without a locale.
pub fn sort_key(name: &str) -> String {
    name.trim()
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'å' => '{',
            'ä' | 'æ' => '|',
            'ö' | 'ø' => '}',
            'é' | 'è' => 'e',
            'ü' => 'y',
            c => c,
        })
        .collect()
}

/// Escapes `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`.
pub(crate) fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
