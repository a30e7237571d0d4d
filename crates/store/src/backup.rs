//! Backup and restore of the embedded SQLite database: a consistent copy
//! made while the server runs (`VACUUM INTO` on a reader connection, which
//! reads one snapshot), the checks a file must pass before it may replace a
//! database, and the lock a running server holds so that nothing replaces
//! the file under it. PostgreSQL is backed up with its own tools (pg_dump,
//! or base backups with WAL archiving); nothing here applies to it.

use crate::StoreError;
use crate::db::Result;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// What a backup file holds, as far as an operator needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFacts {
    pub bytes: u64,
    /// The newest migration applied.
    pub schema_version: i64,
    /// Entries in the audit trail, and the newest one's sequence number.
    pub audit_entries: i64,
    pub audit_head: i64,
    pub organisations: i64,
    pub systems: i64,
}

fn config(msg: String) -> StoreError {
    StoreError::Config(msg)
}

/// Writes a consistent copy of the SQLite database at `db` to `out` while
/// other connections (a running server) read and write it. Refuses when
/// `out` exists. The copy is compacted and has no WAL of its own.
pub fn backup_sqlite(db: &Path, out: &Path) -> Result<FileFacts> {
    if !db.is_file() {
        return Err(config(format!("no database at {}", db.display())));
    }
    if out.exists() {
        return Err(config(format!(
            "{} exists already: a backup never overwrites a file; choose another name",
            out.display()
        )));
    }
    let conn = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // A writer holds its lock briefly; wait for it rather than fail.
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    let target = out
        .to_str()
        .ok_or_else(|| config(format!("{} is not a UTF-8 path", out.display())))?;
    conn.execute("VACUUM INTO ?1", [target])?;
    drop(conn);
    file_facts(out)
}

/// Opens a file read-only and checks that it is an insyn database this
/// binary can run: SQLite's integrity check passes, and every migration it
/// has applied is one this binary knows. Returns what it holds.
pub fn check_sqlite_file(path: &Path) -> Result<FileFacts> {
    if !path.is_file() {
        return Err(config(format!("no file at {}", path.display())));
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let not_sqlite = |e: rusqlite::Error| {
        config(format!(
            "{} is not an SQLite database ({e})",
            path.display()
        ))
    };
    let verdict: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .and_then(|mut s| {
            s.query_map([], |r| r.get::<_, String>(0))?
                .collect::<std::result::Result<_, _>>()
        })
        .map_err(not_sqlite)?;
    if verdict != ["ok"] {
        return Err(config(format!(
            "{} fails SQLite's integrity check: {}",
            path.display(),
            verdict.into_iter().take(5).collect::<Vec<_>>().join("; ")
        )));
    }
    let applied: Vec<i64> = conn
        .prepare("SELECT version FROM schema_migrations ORDER BY version")
        .and_then(|mut s| {
            s.query_map([], |r| r.get::<_, i64>(0))?
                .collect::<std::result::Result<_, _>>()
        })
        .map_err(|_| {
            config(format!(
                "{} is an SQLite database but not insyn's (it has no schema_migrations table)",
                path.display()
            ))
        })?;
    let known: Vec<i64> = crate::migrate::MIGRATIONS.iter().map(|m| m.0).collect();
    if let Some(v) = applied.iter().find(|v| !known.contains(v)) {
        return Err(config(format!(
            "{} was migrated by a newer insyn (migration {v} is unknown to this one): restore it with that version",
            path.display()
        )));
    }
    if applied.is_empty() {
        return Err(config(format!(
            "{} is not an insyn database: no migration was ever applied to it",
            path.display()
        )));
    }
    drop(conn);
    file_facts(path)
}

fn file_facts(path: &Path) -> Result<FileFacts> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let one = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0));
    Ok(FileFacts {
        bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        schema_version: one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")?,
        audit_entries: one("SELECT COUNT(*) FROM audit_events")?,
        audit_head: one("SELECT COALESCE(MAX(seq), 0) FROM audit_events")?,
        organisations: one("SELECT COUNT(*) FROM organisations")?,
        systems: one("SELECT COUNT(*) FROM systems")?,
    })
}

/// The lock file beside a database file.
fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_owned();
    name.push(".lock");
    db.with_file_name(name)
}

/// A lock on `<database>.lock`: shared by each server running on the
/// database (several may), exclusive while a restore replaces the file.
/// Released when dropped or when the process ends, however it ends.
#[derive(Debug)]
pub struct DbLock {
    _file: std::fs::File,
}

impl DbLock {
    /// The lock of a server running on `db`; fails only while a restore
    /// replaces it.
    pub fn server(db: &Path) -> Result<DbLock> {
        Self::take(db, true)?.ok_or_else(|| {
            config(format!(
                "{} is being restored (insyn restore holds {}): start the server after it",
                db.display(),
                lock_path(db).display()
            ))
        })
    }

    /// The lock of a restore: refused while a server runs on `db`.
    pub fn restore(db: &Path) -> Result<DbLock> {
        Self::take(db, false)?.ok_or_else(|| {
            config(format!(
                "an insyn server is running on {} (it holds {}): stop it first, or restore into another path with --database-url sqlite://OTHER.db",
                db.display(),
                lock_path(db).display()
            ))
        })
    }

    /// Takes the lock without waiting; None while another process holds it.
    fn take(db: &Path, shared: bool) -> Result<Option<DbLock>> {
        let path = lock_path(db);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| config(format!("cannot open the lock file {}: {e}", path.display())))?;
        let taken = if shared {
            file.try_lock_shared()
        } else {
            file.try_lock()
        };
        Ok(taken.ok().map(|()| DbLock { _file: file }))
    }
}
