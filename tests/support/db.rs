//! Fresh databases for tests: a migrated SQLite file in a temporary
//! directory, or a PostgreSQL database of its own on the server named by
//! `INSYN_TEST_PG_URL`; and [`dual_test!`](crate::dual_test), which writes a
//! test once and runs it on both.

use insyn_store::Store;
use sqlx::{AssertSqlSafe, Connection};
use std::path::{Path, PathBuf};

/// The environment variable naming the PostgreSQL server for tests.
pub const PG_URL_VAR: &str = "INSYN_TEST_PG_URL";

/// A temporary directory, removed with everything in it when dropped.
#[derive(Debug)]
pub struct TempDirGuard(PathBuf);

impl TempDirGuard {
    pub fn new() -> Self {
        let dir =
            std::env::temp_dir().join(format!("insyn-test-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        Self(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Default for TempDirGuard {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TempDirGuard {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh, migrated SQLite database in a new temporary directory. Keep the
/// guard alive as long as the store.
pub async fn sqlite_store() -> (Store, TempDirGuard) {
    let dir = TempDirGuard::new();
    let path = dir.path().join("insyn.db");
    let store = Store::open(Some(&format!("sqlite://{}", path.display())))
        .await
        .unwrap_or_else(|e| panic!("cannot open SQLite at {}: {e:?}", path.display()));
    (store, dir)
}

/// The server URL from `INSYN_TEST_PG_URL`; panics with how to get one.
pub fn pg_url() -> String {
    match std::env::var(PG_URL_VAR) {
        Ok(u) if !u.trim().is_empty() => u,
        _ => panic!(
            "{PG_URL_VAR} is not set: the PostgreSQL half of the tests needs a server. \
             Run `scripts/test.sh` (add `--no-lint` to skip fmt and clippy), which starts a \
             throwaway cluster and sets it, or point {PG_URL_VAR} at a server where the user \
             may create databases, e.g. postgres://postgres@127.0.0.1:5432/postgres"
        ),
    }
}

/// `url` with its database (the path) replaced by `db`; the query string stays.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let authority_end = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    match query {
        Some(q) => format!("{}/{db}?{q}", &base[..authority_end]),
        None => format!("{}/{db}", &base[..authority_end]),
    }
}

/// A fresh, migrated PostgreSQL database of its own (`t_<uuid>`) on the
/// test server.
pub async fn pg_store() -> Store {
    let url = pg_url();
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {PG_URL_VAR} ({url}): {e}"));
    sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut admin)
        .await
        .unwrap_or_else(|e| panic!("cannot create database {name}: {e}"));
    let _ = admin.close().await;
    Store::open(Some(&with_database(&url, &name)))
        .await
        .unwrap_or_else(|e| panic!("cannot open PostgreSQL database {name}: {e:?}"))
}

/// Closes a store from [`pg_store`] and drops its database. Called after a
/// test passed; a failed test leaves its database for a look.
pub async fn drop_pg_store(store: Store) {
    let insyn_store::Db::Postgres(pool) = &*store.db else {
        return;
    };
    let Some(name) = pool.connect_options().get_database().map(str::to_owned) else {
        return;
    };
    store.db.close().await;
    if let Ok(mut admin) = sqlx::PgConnection::connect(&pg_url()).await {
        let _ = sqlx::raw_sql(AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
        )))
        .execute(&mut admin)
        .await;
        let _ = admin.close().await;
    }
}

/// The database URL of a test store: for running `insyn` subcommands on it,
/// or for opening a second, separate [`Store`] (its own connection pools) on
/// the same database, as a second instance of insyn would.
pub fn url_of(store: &Store) -> String {
    match &*store.db {
        insyn_store::Db::Sqlite(s) => format!("sqlite://{}", s.path().display()),
        insyn_store::Db::Postgres(pool) => with_database(
            &pg_url(),
            pool.connect_options()
                .get_database()
                .expect("the test database has a name"),
        ),
    }
}

/// Turns a failed test body into a panic that shows the error and its causes.
pub fn check(result: anyhow::Result<()>) {
    if let Err(e) = result {
        panic!("{e:?}");
    }
}

/// Runs a storage test on both backends. The test is written once:
///
/// ```ignore
/// dual_test!(creates_and_reads_a_system, |store: Store| async move {
///     let org = org(&store, "a").await?;
///     …                           // `?` works: the body returns anyhow::Result<()>
/// });
/// ```
///
/// and expands to a module `creates_and_reads_a_system` with two tests,
/// `sqlite` and `pg`, each on a fresh database of its own. Pick one backend
/// with a filter: `cargo nextest run -E 'test(/::pg$/)'`. The body is a block
/// that ends without a value; the surrounding module's items are in scope.
#[macro_export]
macro_rules! dual_test {
    ($(#[$meta:meta])* $name:ident, |$store:ident: $ty:ty| async move $body:block $(,)?) => {
        $crate::dual_test!(@expand $(#[$meta])* $name, $store, $ty, $body);
    };
    ($(#[$meta:meta])* $name:ident, |$store:ident| async move $body:block $(,)?) => {
        $crate::dual_test!(@expand $(#[$meta])* $name, $store, $crate::__Store, $body);
    };
    (@expand $(#[$meta:meta])* $name:ident, $store:ident, $ty:ty, $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($store: $ty) -> $crate::anyhow::Result<()> {
                $body
                Ok(())
            }

            #[::tokio::test]
            async fn sqlite() {
                let (store, _dir) = $crate::sqlite_store().await;
                $crate::check(run(store).await);
            }

            #[::tokio::test]
            async fn pg() {
                let store = $crate::pg_store().await;
                $crate::check(run(store.clone()).await);
                $crate::drop_pg_store(store).await;
            }
        }
    };
}

#[doc(hidden)]
pub use insyn_store::Store as __Store;
