//! The embedded database: SQLite through rusqlite, called on the thread that
//! asks.
//!
//! A statement runs to its last row in one call, with no hand-off to another
//! thread: a read costs one lock of the reader pool and the statement's own
//! work. (Through sqlx every statement and every row crossed a channel to a
//! worker thread and back; that hand-off was most of a list request's CPU,
//! see BENCHMARKS.md.) Statements are prepared once per connection and kept.
//!
//! Readers: a few connections, taken and given back around one statement;
//! any number of them read at once (WAL). The writer: one connection behind
//! an async lock, held by one transaction at a time for as long as it lives,
//! so this process never meets `database is locked`. Another process writing
//! at the same moment is waited for (`busy_timeout`, 10 s).
//!
//! Values are stored as sqlx stored them, so databases written before stay
//! readable and SQL compares the same: UUIDs as 16-byte blobs, timestamps
//! as RFC 3339 text (`2026-11-30T14:43:06.897410+00:00`), dates as
//! `YYYY-MM-DD`, booleans as 0/1, JSON as text.

use crate::StoreError;
use crate::db::{DbRow, P, Result};
use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{Connection, OpenFlags, ToSql};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Reader connections kept open between requests. More are opened when more
/// threads read at once, and closed again after their statement.
const READERS: usize = 4;
/// Prepared statements kept per connection (the register's filters make a
/// few dozen distinct statements; the rest of the application a few hundred).
const STATEMENTS: usize = 512;

pub struct Sqlite {
    path: PathBuf,
    readers: Mutex<Vec<Connection>>,
    /// Reader connections taken and not yet given back (for the metrics).
    readers_busy: std::sync::atomic::AtomicUsize,
    writer: Arc<tokio::sync::Mutex<Connection>>,
    /// The longest a read may run, in milliseconds ([`READ_LIMIT`] unless set).
    read_limit_ms: std::sync::atomic::AtomicU64,
    /// The checkpointer thread runs while this lives.
    _alive: Arc<()>,
}

/// How often the checkpointer copies the WAL into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

impl std::fmt::Debug for Sqlite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sqlite").field("path", &self.path).finish()
    }
}

/// The longest a read may run. A statement still running then is
/// interrupted (the request fails) instead of holding a reader and the
/// thread that asked: no single request can tie up the server.
pub const READ_LIMIT: Duration = Duration::from_secs(60);

thread_local! {
    /// When the read running on this thread must stop. Reads run on the
    /// thread that asks, so the progress handler of its connection sees it.
    static READ_DEADLINE: std::cell::Cell<Option<Instant>> = const { std::cell::Cell::new(None) };
}

fn connect(path: &Path, read_only: bool, cache_kib: i64) -> Result<Connection> {
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    if !read_only {
        conn.pragma_update(None, "journal_mode", "WAL")?;
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "cache_size", -cache_kib)?;
    conn.set_prepared_statement_cache_capacity(STATEMENTS);
    if read_only {
        // Asked every 100,000 virtual-machine steps (well under a millisecond).
        conn.progress_handler(
            100_000,
            Some(|| READ_DEADLINE.with(|d| d.get().is_some_and(|t| Instant::now() > t))),
        )?;
    }
    Ok(conn)
}

impl Sqlite {
    /// Opens (and creates) the database file. The writer has a 16 MB page
    /// cache for the index pages inserts touch; each reader 8 MB. The file
    /// itself stays in the operating system's cache, shared by all
    /// connections and not counted in the server's memory: nine connections
    /// with 32 MB each made the server 747 MB at 100,000 systems.
    ///
    /// The WAL is copied back into the database file by a thread of its own
    /// (a passive checkpoint every 0.5 s), not by whichever commit crossed
    /// 1,000 pages: that checkpoint, with its fsync, was 11% of the CPU of
    /// creating systems, inside the one writer's turn.
    pub fn open(path: &Path) -> Result<Sqlite> {
        let writer = connect(path, false, 16_000)?;
        writer.pragma_update(None, "wal_autocheckpoint", 0)?;
        let alive = Arc::new(());
        checkpointer(path.to_owned(), Arc::downgrade(&alive))?;
        Ok(Sqlite {
            path: path.to_owned(),
            readers: Mutex::new(vec![]),
            readers_busy: Default::default(),
            writer: Arc::new(tokio::sync::Mutex::new(writer)),
            read_limit_ms: std::sync::atomic::AtomicU64::new(
                u64::try_from(READ_LIMIT.as_millis()).unwrap_or(u64::MAX),
            ),
            _alive: alive,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Changes the longest a read may run (tests use a short one).
    pub fn set_read_limit(&self, limit: Duration) {
        self.read_limit_ms.store(
            u64::try_from(limit.as_millis()).unwrap_or(u64::MAX),
            std::sync::atomic::Ordering::Relaxed,
        );
    }

    fn reader(&self) -> Result<Connection> {
        let idle = self.readers.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let conn = match idle {
            Some(c) => c,
            None => connect(&self.path, true, 8_000)?,
        };
        self.readers_busy
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(conn)
    }

    /// Reader connections in use now, and idle ones kept open.
    pub fn readers(&self) -> (usize, usize) {
        let idle = self.readers.lock().unwrap_or_else(|e| e.into_inner()).len();
        (
            self.readers_busy.load(std::sync::atomic::Ordering::Relaxed),
            idle,
        )
    }

    fn give_back(&self, conn: Connection) {
        self.readers_busy
            .fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
        let mut idle = self.readers.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < READERS {
            idle.push(conn);
        }
    }

    /// Runs a read on a reader connection, within [`READ_LIMIT`].
    pub fn read<T>(&self, run: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.reader()?;
        let limit = Duration::from_millis(
            self.read_limit_ms
                .load(std::sync::atomic::Ordering::Relaxed),
        );
        READ_DEADLINE.with(|d| d.set(Some(Instant::now() + limit)));
        let out = run(&conn);
        READ_DEADLINE.with(|d| d.set(None));
        self.give_back(conn);
        out
    }

    /// Starts a write transaction: waits for this process's other writers,
    /// then takes SQLite's write lock at once (`BEGIN IMMEDIATE`), so a
    /// transaction never fails half-way because another process began
    /// writing after it read.
    pub async fn begin(&self) -> Result<SqliteTx> {
        let conn = self.writer.clone().lock_owned().await;
        conn.execute_batch("BEGIN IMMEDIATE")?;
        Ok(SqliteTx { conn, open: true })
    }

    /// Closes the idle readers and copies the whole WAL into the database
    /// file, leaving it empty, so that the next start does not begin with a
    /// long WAL. Waits up to 10 s for the checkpointer's round or another
    /// process's readers to finish; after that the WAL stays (and is still
    /// valid). The writer itself closes with the last handle.
    pub async fn close(&self) {
        self.readers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        let writer = self.writer.lock().await;
        let started = std::time::Instant::now();
        loop {
            // (busy, WAL frames, frames checkpointed); busy = 1 when it
            // could not finish.
            // Another checkpoint running (the checkpointer's round) is
            // SQLITE_BUSY: the same as readers in the way.
            let busy = match writer.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                r.get::<_, i64>(0)
            }) {
                Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => Ok(1),
                other => other,
            };
            match busy {
                Ok(0) => break,
                Ok(_) if started.elapsed() < Duration::from_secs(10) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Ok(_) => {
                    tracing::warn!("the WAL could not be emptied at close: readers stayed");
                    break;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "SQLite checkpoint at close failed");
                    break;
                }
            }
        }
    }
}

/// Checkpoints the WAL every [`CHECKPOINT_EVERY`] until `alive` is gone.
/// Passive: it copies what no reader still needs and never waits for or
/// blocks the writer. Each round opens its own connection and closes it, so
/// that the process's last connection to close is still one of the store's
/// (the one that checkpoints the rest and removes the WAL file).
fn checkpointer(path: PathBuf, alive: std::sync::Weak<()>) -> Result<()> {
    std::thread::Builder::new()
        .name("insyn-checkpoint".into())
        .spawn(move || {
            loop {
                std::thread::sleep(CHECKPOINT_EVERY);
                if alive.upgrade().is_none() {
                    break;
                }
                let done = connect(&path, false, 1_000).and_then(|c| {
                    c.pragma_update(None, "wal_autocheckpoint", 0)?;
                    c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
                    Ok(())
                });
                if let Err(e) = done {
                    tracing::warn!(error = %e, "SQLite checkpoint failed");
                }
            }
        })
        .map_err(|e| StoreError::Config(format!("cannot start the checkpoint thread: {e}")))?;
    Ok(())
}

/// A write transaction on the writer connection; dropped without
/// [`SqliteTx::commit`], it rolls back.
pub struct SqliteTx {
    conn: tokio::sync::OwnedMutexGuard<Connection>,
    open: bool,
}

impl SqliteTx {
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn commit(mut self) -> Result<()> {
        self.open = false;
        if let Err(e) = self.conn.execute_batch("COMMIT") {
            let _ = self.conn.execute_batch("ROLLBACK");
            return Err(e.into());
        }
        Ok(())
    }
}

impl Drop for SqliteTx {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

/// Runs one statement to its end and returns the rows it changed.
pub fn execute(conn: &Connection, sql: &str, params: &[P]) -> Result<u64> {
    let mut stmt = conn.prepare_cached(sql)?;
    bind(&mut stmt, sql, params)?;
    let mut rows = stmt.raw_query();
    while rows.next()?.is_some() {}
    drop(rows);
    Ok(conn.changes())
}

/// Runs one query and turns each row into a `T` as it comes.
pub fn all<T>(
    conn: &Connection,
    sql: &str,
    params: &[P],
    f: impl Fn(&dyn DbRow) -> Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    bind(&mut stmt, sql, params)?;
    // Columns are found by name: once per statement here, not once per
    // value through SQLite (which measured 8% of a list request).
    let names: Vec<String> = stmt.column_names().into_iter().map(str::to_owned).collect();
    let mut rows = stmt.raw_query();
    let mut out = vec![];
    while let Some(row) = rows.next()? {
        out.push(f(&Row { row, names: &names })?);
    }
    Ok(out)
}

/// Binds `$n` to the n-th value, wherever and however often it appears.
///
/// SQLite numbers the distinct names in the order they first appear, and
/// asking it for one parameter's name scans its list from the start: for a
/// statement with an `IN` list of 500 ids, asking each name cost more than
/// running the statement. So the order is read from the text once, checked
/// against SQLite's count and last name, and SQLite is asked name by name
/// only when they differ.
fn bind(stmt: &mut rusqlite::Statement<'_>, sql: &str, params: &[P]) -> Result<()> {
    let count = stmt.parameter_count();
    let order = placeholder_order(sql).filter(|o| {
        o.len() == count
            && o.last()
                .is_none_or(|n| stmt.parameter_name(count) == Some(format!("${n}").as_str()))
    });
    for i in 1..=count {
        let n = match &order {
            Some(o) => o[i - 1],
            None => stmt
                .parameter_name(i)
                .and_then(|name| name.strip_prefix('$').or_else(|| name.strip_prefix('?')))
                .and_then(|d| d.parse::<usize>().ok())
                .unwrap_or(i),
        };
        let v = params.get(n - 1).ok_or_else(|| {
            StoreError::Column(format!("${n}"), "no value for the placeholder".into())
        })?;
        stmt.raw_bind_parameter(i, v)?;
    }
    Ok(())
}

/// The numbers of the `$n` placeholders of `sql` in the order they first
/// appear (each once), skipping quoted text and names and comments; `None`
/// when the text has a placeholder of another kind (`?`, `:a`, `@a`, `$a`).
fn placeholder_order(sql: &str) -> Option<Vec<usize>> {
    let b = sql.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80;
    let mut out: Vec<usize> = vec![];
    let mut seen = std::collections::HashSet::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\'' | b'"' | b'`' | b'[' => {
                let end = if c == b'[' { b']' } else { c };
                i += 1;
                while i < b.len() && b[i] != end {
                    i += 1;
                }
                i += 1;
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i += 2;
            }
            b'$' if i > 0 && word(b[i - 1]) => i += 1,
            b'$' => {
                let start = i + 1;
                i = start;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                if i == start || (i < b.len() && word(b[i])) {
                    return None;
                }
                let n: usize = sql[start..i].parse().ok()?;
                if seen.insert(n) {
                    out.push(n);
                }
            }
            b'?' | b':' | b'@' => return None,
            _ => i += 1,
        }
    }
    Some(out)
}

impl ToSql for P {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            P::Text(Some(s)) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            P::Uuid(Some(u)) => ToSqlOutput::Borrowed(ValueRef::Blob(u.as_bytes())),
            P::I64(Some(i)) => ToSqlOutput::Owned(Value::Integer(*i)),
            P::Bool(b) => ToSqlOutput::Owned(Value::Integer(i64::from(*b))),
            P::Date(Some(d)) => ToSqlOutput::Owned(Value::Text(d.format("%F").to_string())),
            P::Ts(t) | P::OptTs(Some(t)) => ToSqlOutput::Owned(Value::Text(ts_text(t))),
            P::Json(v) => ToSqlOutput::Owned(Value::Text(v.to_string())),
            P::Bytes(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
            P::Uuids(_) => {
                return Err(rusqlite::Error::ToSqlConversionFailure(
                    "a list of ids is bound as one parameter on PostgreSQL only".into(),
                ));
            }
            P::Text(None) | P::Uuid(None) | P::I64(None) | P::Date(None) | P::OptTs(None) => {
                ToSqlOutput::Owned(Value::Null)
            }
        })
    }
}

/// A timestamp as stored: RFC 3339 with as many fraction digits as needed.
pub fn ts_text(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

struct Row<'a, 'b> {
    row: &'a rusqlite::Row<'b>,
    names: &'a [String],
}

fn wrong(col: &str, v: ValueRef<'_>, want: &str) -> StoreError {
    StoreError::Column(
        col.into(),
        format!("{:?} where {want} was expected", v.data_type()),
    )
}

impl Row<'_, '_> {
    fn value(&self, col: &str) -> Result<ValueRef<'_>> {
        let i = self
            .names
            .iter()
            .position(|n| n == col)
            .or_else(|| self.names.iter().position(|n| n.eq_ignore_ascii_case(col)))
            .ok_or_else(|| StoreError::Column(col.into(), "no such column in the result".into()))?;
        Ok(self.row.get_ref(i)?)
    }

    /// The value, or `None` for NULL.
    fn opt<T>(
        &self,
        col: &str,
        conv: impl Fn(ValueRef<'_>) -> Option<T>,
        want: &str,
    ) -> Result<Option<T>> {
        match self.value(col)? {
            ValueRef::Null => Ok(None),
            v => conv(v).map(Some).ok_or_else(|| wrong(col, v, want)),
        }
    }

    fn req<T>(&self, col: &str, conv: impl Fn(ValueRef<'_>) -> Option<T>, want: &str) -> Result<T> {
        self.opt(col, conv, want)?.ok_or_else(|| {
            StoreError::Column(col.into(), format!("NULL where {want} was expected"))
        })
    }
}

fn as_uuid(v: ValueRef<'_>) -> Option<Uuid> {
    match v {
        ValueRef::Blob(b) => Uuid::from_slice(b).ok(),
        ValueRef::Text(t) => Uuid::try_parse_ascii(t).ok(),
        _ => None,
    }
}

fn as_text(v: ValueRef<'_>) -> Option<String> {
    match v {
        ValueRef::Text(t) => String::from_utf8(t.to_vec()).ok(),
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(f) => Some(f.to_string()),
        _ => None,
    }
}

fn as_i64(v: ValueRef<'_>) -> Option<i64> {
    match v {
        ValueRef::Integer(i) => Some(i),
        ValueRef::Real(f) if f.fract() == 0.0 => Some(f as i64),
        _ => None,
    }
}

fn as_date(v: ValueRef<'_>) -> Option<NaiveDate> {
    let t = std::str::from_utf8(v.as_bytes().ok()?).ok()?;
    NaiveDate::parse_from_str(t.get(..10)?, "%F").ok()
}

/// Timestamps as this module writes them, and SQLite's own
/// `YYYY-MM-DD HH:MM:SS[.fff]` (UTC), and Unix seconds.
fn as_ts(v: ValueRef<'_>) -> Option<DateTime<Utc>> {
    match v {
        ValueRef::Text(t) => {
            let t = std::str::from_utf8(t).ok()?;
            DateTime::parse_from_rfc3339(t)
                .map(|d| d.with_timezone(&Utc))
                .ok()
                .or_else(|| {
                    ["%F %T%.f", "%FT%T%.f"].iter().find_map(|f| {
                        NaiveDateTime::parse_from_str(t, f)
                            .ok()
                            .map(|n| n.and_utc())
                    })
                })
        }
        ValueRef::Integer(i) => DateTime::from_timestamp(i, 0),
        _ => None,
    }
}

fn as_json(v: ValueRef<'_>) -> Option<serde_json::Value> {
    match v {
        ValueRef::Text(t) | ValueRef::Blob(t) => serde_json::from_slice(t).ok(),
        ValueRef::Integer(i) => Some(i.into()),
        ValueRef::Real(f) => Some(f.into()),
        ValueRef::Null => None,
    }
}

impl DbRow for Row<'_, '_> {
    fn uuid(&self, col: &str) -> Result<Uuid> {
        self.req(col, as_uuid, "a UUID")
    }
    fn opt_uuid(&self, col: &str) -> Result<Option<Uuid>> {
        self.opt(col, as_uuid, "a UUID")
    }
    fn text(&self, col: &str) -> Result<String> {
        self.req(col, as_text, "text")
    }
    fn opt_text(&self, col: &str) -> Result<Option<String>> {
        self.opt(col, as_text, "text")
    }
    fn i64(&self, col: &str) -> Result<i64> {
        self.req(col, as_i64, "an integer")
    }
    fn opt_i64(&self, col: &str) -> Result<Option<i64>> {
        self.opt(col, as_i64, "an integer")
    }
    fn i32(&self, col: &str) -> Result<i32> {
        self.req(
            col,
            |v| as_i64(v).and_then(|i| i32::try_from(i).ok()),
            "a 32-bit integer",
        )
    }
    fn opt_i32(&self, col: &str) -> Result<Option<i32>> {
        self.opt(
            col,
            |v| as_i64(v).and_then(|i| i32::try_from(i).ok()),
            "a 32-bit integer",
        )
    }
    fn bool(&self, col: &str) -> Result<bool> {
        self.req(col, |v| as_i64(v).map(|i| i != 0), "a boolean")
    }
    fn date(&self, col: &str) -> Result<NaiveDate> {
        self.req(col, as_date, "a date")
    }
    fn opt_date(&self, col: &str) -> Result<Option<NaiveDate>> {
        self.opt(col, as_date, "a date")
    }
    fn ts(&self, col: &str) -> Result<DateTime<Utc>> {
        self.req(col, as_ts, "a timestamp")
    }
    fn opt_ts(&self, col: &str) -> Result<Option<DateTime<Utc>>> {
        self.opt(col, as_ts, "a timestamp")
    }
    fn json(&self, col: &str) -> Result<serde_json::Value> {
        self.req(col, as_json, "JSON")
    }
    fn bytes(&self, col: &str) -> Result<Vec<u8>> {
        self.req(
            col,
            |v| match v {
                ValueRef::Blob(b) => Some(b.to_vec()),
                _ => None,
            },
            "bytes",
        )
    }
}

/// Whether a failed write broke a unique index or primary key.
pub fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error().map(|e| e.extended_code),
        Some(rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY)
    )
}

/// A full disk: SQLITE_FULL, which SQLite's unix layer also returns for a
/// write refused with ENOSPC.
pub fn outage(e: &rusqlite::Error) -> Option<crate::Outage> {
    (e.sqlite_error()?.code == rusqlite::ErrorCode::DiskFull).then_some(crate::Outage::DiskFull)
}
