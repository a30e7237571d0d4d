//! The two databases behind one small interface.
//!
//! SQL is written once with `$1` placeholders (SQLite and PostgreSQL both
//! accept them) and run through [`Queryable`], which the read side
//! ([`Read`]) and write transactions ([`Tx`]) both implement. Values travel as
//! [`P`], rows come back as [`DbRow`], so repository code never names a
//! backend. SQLite has one writer connection and a pool of readers.

use crate::StoreError;
use crate::sqlite::{Sqlite, SqliteTx};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use sqlx::{AssertSqlSafe, Row as _};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which database an installation runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(Arc<Sqlite>),
    Postgres(PgPool),
}

/// The default embedded database file.
pub const DEFAULT_SQLITE_PATH: &str = "insyn-data/insyn.db";

/// How the database is opened.
#[derive(Debug, Clone, Copy)]
pub struct DbOptions {
    /// How long a request waits for a PostgreSQL connection before it fails
    /// (503 in the web layer): short, so that while the server is away
    /// requests fail fast instead of piling up.
    pub acquire_timeout: Duration,
    /// The most PostgreSQL connections the pool opens; `None`: 16.
    pub pool_size: Option<u32>,
}

impl Default for DbOptions {
    fn default() -> Self {
        Self {
            acquire_timeout: Duration::from_secs(3),
            pool_size: None,
        }
    }
}

/// Whether a PostgreSQL error means the server is away (or out of disk)
/// rather than that the statement was wrong: the pool found no connection in
/// time, the connection broke, or the server said it is shutting down,
/// starting up or cannot take connections (SQLSTATE class 08, 57P01–57P03).
pub(crate) fn pg_outage(e: &sqlx::Error) -> Option<crate::Outage> {
    use crate::Outage::*;
    match e {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => Some(Unreachable),
        sqlx::Error::Database(d) => match d.code().as_deref() {
            Some(c) if c.starts_with("08") || matches!(c, "57P01" | "57P02" | "57P03") => {
                Some(Unreachable)
            }
            Some("53100") => Some(DiskFull),
            _ => None,
        },
        _ => None,
    }
}

/// How long a PostgreSQL connection may sit idle before it is pinged
/// before use.
const IDLE_PING: Duration = Duration::from_secs(1);

impl Db {
    /// Opens the database named by `url`: `postgres://…`, `sqlite://path` or
    /// `sqlite:path`. `None` means the embedded default under `./insyn-data/`,
    /// created on first start.
    pub async fn connect(url: Option<&str>) -> Result<Db> {
        Self::connect_with(url, DbOptions::default()).await
    }

    /// [`Db::connect`] with options.
    pub async fn connect_with(url: Option<&str>, options: DbOptions) -> Result<Db> {
        match url {
            Some(u) if u.starts_with("postgres://") || u.starts_with("postgresql://") => {
                let mut opts = PgConnectOptions::from_str(u)?;
                if !u.contains("statement_timeout") {
                    // No statement runs for ever: a request that would is
                    // stopped by the server (migrations lift it for themselves).
                    opts = opts.options([("statement_timeout", "60s")]);
                }
                let size = options.pool_size.unwrap_or(16);
                let pool = PgPoolOptions::new()
                    .max_connections(size)
                    // sqlx pings a connection when it is handed back (and
                    // drops it if broken); by default it also pings before
                    // handing one out: a second round trip for every
                    // statement. Only a connection idle for a while is
                    // pinged first now: one that sat through a restart of
                    // the server is found broken there, not by a request.
                    .test_before_acquire(false)
                    .before_acquire(|conn, meta| {
                        Box::pin(async move {
                            if meta.idle_for >= IDLE_PING {
                                sqlx::Connection::ping(conn).await?;
                            }
                            Ok(true)
                        })
                    })
                    .acquire_timeout(options.acquire_timeout)
                    .connect_with(opts)
                    .await?;
                Ok(Db::Postgres(pool))
            }
            Some(u) => {
                let path = u
                    .strip_prefix("sqlite://")
                    .or_else(|| u.strip_prefix("sqlite:"))
                    .ok_or_else(|| {
                        StoreError::Config(format!(
                            "unknown database URL (use postgres://… or sqlite://PATH): {}",
                            redact(u)
                        ))
                    })?;
                Self::open_sqlite(Path::new(path)).await
            }
            None => Self::open_sqlite(Path::new(DEFAULT_SQLITE_PATH)).await,
        }
    }

    pub async fn open_sqlite(path: &Path) -> Result<Db> {
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Config(format!("cannot create {}: {e}", dir.display())))?;
        }
        Ok(Db::Sqlite(Arc::new(Sqlite::open(path)?)))
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite { .. } => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(s) => s.close().await,
            Db::Postgres(p) => p.close().await,
        }
    }

    /// Starts a write transaction; dropping it without `commit` rolls back.
    /// It carries no audit key: the store's writes go through
    /// [`Database::begin`], which hands the transaction the key.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(Tx {
            conn: match self {
                Db::Sqlite(s) => TxConn::Sqlite(s.begin().await?),
                Db::Postgres(p) => TxConn::Postgres(p.begin().await?),
            },
            audit: None,
        })
    }

    pub fn read(&self) -> Read<'_> {
        Read(self)
    }
}

/// The database with the installation's audit keys: what [`crate::Store`]
/// holds. Everything of [`Db`] is reached through it; [`Database::begin`]
/// gives each write transaction the key that seals its audit entries, so
/// every write of the store is keyed without naming the key.
#[derive(Clone, Debug)]
pub struct Database {
    db: Db,
    audit: Option<Arc<crate::audit::AuditKeys>>,
}

impl Database {
    /// The database without audit keys (entries are chained by SHA-256 only).
    pub fn new(db: Db) -> Self {
        Self { db, audit: None }
    }

    /// The same database, its audit entries sealed with `keys` (the active one).
    pub fn with_audit_keys(mut self, keys: crate::audit::AuditKeys) -> Self {
        self.audit = Some(Arc::new(keys));
        self
    }

    pub fn audit_keys(&self) -> Option<&crate::audit::AuditKeys> {
        self.audit.as_deref()
    }

    /// Starts a write transaction that seals its audit entries with the active key.
    pub async fn begin(&self) -> Result<Tx> {
        let mut tx = self.db.begin().await?;
        tx.audit = self.audit.clone();
        Ok(tx)
    }
}

impl std::ops::Deref for Database {
    type Target = Db;
    fn deref(&self) -> &Db {
        &self.db
    }
}

/// Hides the password in a database URL for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// A value bound to a placeholder.
#[derive(Debug, Clone)]
pub enum P {
    Text(Option<String>),
    Uuid(Option<Uuid>),
    I64(Option<i64>),
    Bool(bool),
    Date(Option<NaiveDate>),
    Ts(DateTime<Utc>),
    OptTs(Option<DateTime<Utc>>),
    Json(serde_json::Value),
    /// Bytes (BLOB in SQLite, BYTEA in PostgreSQL).
    Bytes(Vec<u8>),
    /// A list of ids, as one `uuid[]` (PostgreSQL only: see [`member_of`]).
    Uuids(Vec<Uuid>),
}

/// `From` for every type a parameter is made of: `type => |v| the P`.
macro_rules! from_values {
    ($($t:ty => |$v:ident| $p:expr;)+) => {
        $(impl From<$t> for P {
            fn from($v: $t) -> Self {
                $p
            }
        })+
    };
}

from_values! {
    &str => |v| P::Text(Some(v.to_owned()));
    String => |v| P::Text(Some(v));
    Option<String> => |v| P::Text(v);
    Option<&str> => |v| P::Text(v.map(str::to_owned));
    Uuid => |v| P::Uuid(Some(v));
    Option<Uuid> => |v| P::Uuid(v);
    i64 => |v| P::I64(Some(v));
    Option<i64> => |v| P::I64(v);
    bool => |v| P::Bool(v);
    NaiveDate => |v| P::Date(Some(v));
    Option<NaiveDate> => |v| P::Date(v);
    DateTime<Utc> => |v| P::Ts(v);
    Option<DateTime<Utc>> => |v| P::OptTs(v);
    serde_json::Value => |v| P::Json(v);
    Vec<u8> => |v| P::Bytes(v);
}

/// Builds a parameter list: `params![a, b, c]`.
#[macro_export]
macro_rules! params {
    ($($v:expr),* $(,)?) => { vec![$($crate::db::P::from($v)),*] };
}

/// A PostgreSQL statement with its parameters bound.
fn pg_query(
    sql: &str,
    params: Vec<P>,
) -> sqlx::query::Query<'static, sqlx::Postgres, sqlx::postgres::PgArguments> {
    let mut q = sqlx::query(AssertSqlSafe(sql.to_owned()));
    for p in params {
        q = match p {
            P::Text(v) => q.bind(v),
            P::Uuid(v) => q.bind(v),
            P::I64(v) => q.bind(v),
            P::Bool(v) => q.bind(v),
            P::Date(v) => q.bind(v),
            P::Ts(v) => q.bind(v),
            P::OptTs(v) => q.bind(v),
            P::Json(v) => q.bind(sqlx::types::Json(v)),
            P::Bytes(v) => q.bind(v),
            P::Uuids(v) => q.bind(v),
        };
    }
    q
}

/// Typed access to a result row's columns, the same for both backends.
pub trait DbRow {
    fn uuid(&self, col: &str) -> Result<Uuid>;
    fn opt_uuid(&self, col: &str) -> Result<Option<Uuid>>;
    fn text(&self, col: &str) -> Result<String>;
    fn opt_text(&self, col: &str) -> Result<Option<String>>;
    fn i64(&self, col: &str) -> Result<i64>;
    fn opt_i64(&self, col: &str) -> Result<Option<i64>>;
    fn i32(&self, col: &str) -> Result<i32>;
    fn opt_i32(&self, col: &str) -> Result<Option<i32>>;
    fn bool(&self, col: &str) -> Result<bool>;
    fn date(&self, col: &str) -> Result<NaiveDate>;
    fn opt_date(&self, col: &str) -> Result<Option<NaiveDate>>;
    fn ts(&self, col: &str) -> Result<DateTime<Utc>>;
    fn opt_ts(&self, col: &str) -> Result<Option<DateTime<Utc>>>;
    fn json(&self, col: &str) -> Result<serde_json::Value>;
    fn bytes(&self, col: &str) -> Result<Vec<u8>>;
}

/// The getters that read a column as it is (every one but `json`).
macro_rules! pg_getters {
    ($($name:ident: $t:ty,)+) => {
        $(fn $name(&self, col: &str) -> Result<$t> {
            Ok(self.try_get(col)?)
        })+
    };
}

impl DbRow for PgRow {
    pg_getters! {
        uuid: Uuid,
        opt_uuid: Option<Uuid>,
        text: String,
        opt_text: Option<String>,
        i64: i64,
        opt_i64: Option<i64>,
        i32: i32,
        opt_i32: Option<i32>,
        bool: bool,
        date: NaiveDate,
        opt_date: Option<NaiveDate>,
        ts: DateTime<Utc>,
        opt_ts: Option<DateTime<Utc>>,
        bytes: Vec<u8>,
    }
    fn json(&self, col: &str) -> Result<serde_json::Value> {
        let v: sqlx::types::Json<serde_json::Value> = self.try_get(col)?;
        Ok(v.0)
    }
}

/// Runs SQL against either backend, on the read side or in a transaction.
#[allow(async_fn_in_trait)]
pub trait Queryable {
    fn backend(&self) -> Backend;
    async fn execute(&mut self, sql: &str, params: Vec<P>) -> Result<u64>;
    async fn all<T>(
        &mut self,
        sql: &str,
        params: Vec<P>,
        f: impl Fn(&dyn DbRow) -> Result<T>,
    ) -> Result<Vec<T>>;

    async fn opt<T>(
        &mut self,
        sql: &str,
        params: Vec<P>,
        f: impl Fn(&dyn DbRow) -> Result<T>,
    ) -> Result<Option<T>> {
        Ok(self.all(sql, params, f).await?.into_iter().next())
    }

    async fn one<T>(
        &mut self,
        sql: &str,
        params: Vec<P>,
        f: impl Fn(&dyn DbRow) -> Result<T>,
    ) -> Result<T> {
        self.opt(sql, params, f).await?.ok_or(StoreError::NotFound)
    }

    async fn count(&mut self, sql: &str, params: Vec<P>) -> Result<i64> {
        self.one(sql, params, |r| r.i64("n")).await
    }

    /// Whether `table` (a name written in the code, never input) has a row
    /// with this id.
    async fn exists(&mut self, table: &str, id: Uuid) -> Result<bool> {
        let sql = format!("SELECT COUNT(*) AS n FROM {table} WHERE id = $1");
        Ok(self.count(&sql, params![id]).await? > 0)
    }

    /// Whether `table` (a name written in the code, never input) has a row
    /// with this id in the organisation.
    async fn exists_in_org(&mut self, table: &str, org: Uuid, id: Uuid) -> Result<bool> {
        let sql = format!("SELECT COUNT(*) AS n FROM {table} WHERE org_id = $1 AND id = $2");
        Ok(self.count(&sql, params![org, id]).await? > 0)
    }

    /// The row of `table` with this organisation and id, its columns `cols`,
    /// or `NotFound` (also for another organisation's row).
    async fn org_row<T>(
        &mut self,
        cols: &str,
        table: &str,
        org: insyn_domain::OrgId,
        id: Uuid,
        f: impl Fn(&dyn DbRow) -> Result<T>,
    ) -> Result<T> {
        self.one(
            &format!("SELECT {cols} FROM {table} WHERE org_id = $1 AND id = $2"),
            vec![P::from(org.0), P::from(id)],
            f,
        )
        .await
    }
}

/// The read side: SQLite's reader pool, or the PostgreSQL pool.
pub struct Read<'a>(&'a Db);

impl Queryable for Read<'_> {
    fn backend(&self) -> Backend {
        self.0.backend()
    }

    async fn execute(&mut self, sql: &str, params: Vec<P>) -> Result<u64> {
        Ok(match self.0 {
            Db::Sqlite(s) => s.read(|c| crate::sqlite::execute(c, sql, &params))?,
            Db::Postgres(p) => pg_query(sql, params).execute(p).await?.rows_affected(),
        })
    }

    async fn all<T>(
        &mut self,
        sql: &str,
        params: Vec<P>,
        f: impl Fn(&dyn DbRow) -> Result<T>,
    ) -> Result<Vec<T>> {
        match self.0 {
            Db::Sqlite(s) => s.read(|c| crate::sqlite::all(c, sql, &params, f)),
            Db::Postgres(p) => {
                let rows = pg_query(sql, params).fetch_all(p).await?;
                rows.iter().map(|r| f(r)).collect()
            }
        }
    }
}

/// A write transaction. Every change and its audit record go through one.
pub struct Tx {
    pub(crate) conn: TxConn,
    /// The keys that seal the transaction's audit entries (none: SHA-256 only).
    pub(crate) audit: Option<Arc<crate::audit::AuditKeys>>,
}

pub(crate) enum TxConn {
    Sqlite(SqliteTx),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        match self.conn {
            TxConn::Sqlite(t) => t.commit()?,
            TxConn::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

impl Queryable for Tx {
    fn backend(&self) -> Backend {
        match self.conn {
            TxConn::Sqlite(_) => Backend::Sqlite,
            TxConn::Postgres(_) => Backend::Postgres,
        }
    }

    async fn execute(&mut self, sql: &str, params: Vec<P>) -> Result<u64> {
        Ok(match &mut self.conn {
            TxConn::Sqlite(t) => crate::sqlite::execute(t.conn(), sql, &params)?,
            TxConn::Postgres(t) => pg_query(sql, params)
                .execute(&mut **t)
                .await?
                .rows_affected(),
        })
    }

    async fn all<T>(
        &mut self,
        sql: &str,
        params: Vec<P>,
        f: impl Fn(&dyn DbRow) -> Result<T>,
    ) -> Result<Vec<T>> {
        match &mut self.conn {
            TxConn::Sqlite(t) => crate::sqlite::all(t.conn(), sql, &params, f),
            TxConn::Postgres(t) => {
                let rows = pg_query(sql, params).fetch_all(&mut **t).await?;
                rows.iter().map(|r| f(r)).collect()
            }
        }
    }
}

/// A column holding one of a text enum's words.
pub(crate) fn word<T>(r: &dyn DbRow, col: &str, parse: fn(&str) -> Option<T>) -> Result<T> {
    let s = r.text(col)?;
    parse(&s).ok_or_else(|| StoreError::Column(col.to_owned(), s))
}

tokio::task_local! {
    /// The time [`now`] gives inside [`crate::demo_history::dated`]: the
    /// demo's history is written on the days it tells of. Never set by a
    /// request.
    pub(crate) static DATED: DateTime<Utc>;
}

/// Now, to the microsecond (what PostgreSQL keeps), so values read back
/// compare equal; inside the demo's [`crate::demo_history::dated`], the
/// historic time it gives.
pub fn now() -> DateTime<Utc> {
    DATED.try_with(|at| *at).unwrap_or_else(|_| wall_clock())
}

/// The real time, to the microsecond, even inside the demo's `demo_dated`.
pub(crate) fn wall_clock() -> DateTime<Utc> {
    let n = Utc::now();
    DateTime::from_timestamp_micros(n.timestamp_micros()).unwrap_or(n)
}

/// A parameter list that hands out `$n` placeholders as values are pushed,
/// for queries assembled from optional filters.
#[derive(Default, Debug)]
pub struct Params(pub Vec<P>);

impl Params {
    pub fn push(&mut self, v: impl Into<P>) -> String {
        self.0.push(v.into());
        format!("${}", self.0.len())
    }
}

/// The rows of a statement over many ids, a chunk of them at a time (one
/// statement per chunk, not one per id). `head` holds the statement's own
/// parameters (`$1`…); `sql` gets the chunk's membership test from
/// [`member_of`], to follow a column: `id IN ($2, $3)` on SQLite,
/// `id = ANY($2)` on PostgreSQL.
pub(crate) async fn by_ids<T>(
    q: &mut impl Queryable,
    head: &Params,
    ids: &[uuid::Uuid],
    sql: impl Fn(&str) -> String,
    row: impl Fn(&dyn DbRow) -> Result<T> + Copy,
) -> Result<Vec<T>> {
    let backend = q.backend();
    let mut out = vec![];
    for chunk in ids.chunks(in_chunk(backend)) {
        let mut p = Params(head.0.clone());
        let member = member_of(backend, &mut p, chunk);
        out.extend(q.all(&sql(&member), p.0, row).await?);
    }
    Ok(out)
}

/// How many ids one membership test of [`by_ids`] holds: a few hundred
/// placeholders on SQLite; on PostgreSQL, whose list is one array
/// parameter (planned once, whatever its length), more.
pub(crate) fn in_chunk(backend: Backend) -> usize {
    match backend {
        Backend::Sqlite => IN_CHUNK,
        Backend::Postgres => 10 * IN_CHUNK,
    }
}

/// "Is one of `ids`", to follow a column: `IN ($2, $3, …)` on SQLite, one
/// placeholder per id; `= ANY($2)` on PostgreSQL, the ids as one `uuid[]`
/// (a list of 500 placeholders took PostgreSQL about a millisecond to
/// plan on every statement).
pub(crate) fn member_of(backend: Backend, p: &mut Params, ids: &[Uuid]) -> String {
    match backend {
        Backend::Sqlite => {
            let marks: Vec<String> = ids.iter().map(|id| p.push(*id)).collect();
            format!("IN ({})", marks.join(", "))
        }
        Backend::Postgres => format!("= ANY({})", p.push(P::Uuids(ids.to_vec()))),
    }
}

/// How many ids one `IN` list of [`by_ids`] holds on SQLite.
pub(crate) const IN_CHUNK: usize = 500;

/// The `name` of each row of `table` (a table of the organisation's, with
/// `id`, `org_id` and `name`) among `ids`; ids of no row of the
/// organisation are left out.
pub(crate) async fn names_by_id(
    q: &mut impl Queryable,
    table: &'static str,
    org: insyn_domain::OrgId,
    ids: &[uuid::Uuid],
) -> Result<Vec<(uuid::Uuid, String)>> {
    by_ids(
        q,
        &Params(vec![org.0.into()]),
        ids,
        |member| format!("SELECT id, name FROM {table} WHERE org_id = $1 AND id {member}"),
        |r| Ok((r.uuid("id")?, r.text("name")?)),
    )
    .await
}
