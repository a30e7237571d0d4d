//! A database that cannot serve (issue 21): PostgreSQL away, or the disk
//! under SQLite full. Requests fail fast with 503, `Retry-After` and a title
//! that names the cause, in the user's language, as JSON and as a page; once
//! the database is back, insyn serves again without a restart.
//! `scripts/resilience.sh` does the same with real faults (a stopped
//! cluster, a full filesystem) under load.

use insyn_store::db::Queryable as _;
use insyn_store::{DbOptions, Store, StoreError};
use insyn_tests::{App, Resp, Scenario, dual_test, pg_url, url_of};
use insyn_web::error::AppError;
use serde_json::json;
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};

/// What a request of each kind of storage failure turns into: status,
/// `Retry-After` and the title's message key.
fn answer(e: StoreError) -> (u16, Option<String>, &'static str) {
    use axum::response::IntoResponse as _;
    let err = AppError::from(e);
    let title = err.title_key();
    let resp = err.into_response();
    let retry = resp
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap_or_default().to_owned());
    (resp.status().as_u16(), retry, title)
}

/// A PostgreSQL error carrying a SQLSTATE, as the server sends one.
#[derive(Debug)]
struct PgState(&'static str);

impl std::fmt::Display for PgState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SQLSTATE {}", self.0)
    }
}

impl std::error::Error for PgState {}

impl sqlx::error::DatabaseError for PgState {
    fn message(&self) -> &str {
        "refused"
    }
    fn code(&self) -> Option<std::borrow::Cow<'_, str>> {
        Some(self.0.into())
    }
    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }
    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }
    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }
    fn kind(&self) -> sqlx::error::ErrorKind {
        sqlx::error::ErrorKind::Other
    }
}

fn pg(code: &'static str) -> StoreError {
    StoreError::Db(sqlx::Error::Database(Box::new(PgState(code))))
}

fn sqlite(code: std::ffi::c_int) -> StoreError {
    StoreError::Sqlite(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(code),
        None,
    ))
}

#[test]
fn database_errors_are_503_only_when_the_database_cannot_serve() {
    let away = (503, Some("5".to_owned()), "error-unavailable");
    let full = (503, Some("60".to_owned()), "error-disk-full");
    let bug = (500, None, "error-internal");
    let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
    for (e, expected) in [
        (StoreError::Db(sqlx::Error::PoolTimedOut), &away),
        (StoreError::Db(sqlx::Error::Io(refused)), &away),
        (pg("57P01"), &away), // admin_shutdown: pg_ctl stop -m fast
        (pg("57P03"), &away), // cannot_connect_now: starting up
        (pg("08006"), &away), // connection_failure
        (pg("53100"), &full), // disk_full
        (sqlite(rusqlite::ffi::SQLITE_FULL), &full),
        (pg("42P01"), &bug), // undefined_table: a fault of the code
        (sqlite(rusqlite::ffi::SQLITE_CORRUPT), &bug),
        (StoreError::Db(sqlx::Error::RowNotFound), &bug),
    ] {
        let shown = e.to_string();
        assert_eq!(&answer(e), expected, "{shown}");
    }
}

/// A TCP relay between the test's store and the PostgreSQL server, that can
/// be cut (the server "stops": connections closed, new ones refused) and
/// joined again on the same port.
struct Relay {
    port: u16,
    target: String,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Relay {
    async fn start(target: String) -> anyhow::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let mut relay = Relay {
            port,
            target,
            task: None,
        };
        relay.serve(listener);
        Ok(relay)
    }

    fn serve(&mut self, listener: TcpListener) {
        let target = self.target.clone();
        self.task = Some(tokio::spawn(async move {
            let mut conns = tokio::task::JoinSet::new();
            while let Ok((mut client, _)) = listener.accept().await {
                let target = target.clone();
                conns.spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
            }
        }));
    }

    /// Closes every connection and refuses new ones.
    async fn cut(&mut self) {
        if let Some(t) = self.task.take() {
            t.abort();
            let _ = t.await;
        }
    }

    async fn join(&mut self) -> anyhow::Result<()> {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).await?;
        self.serve(listener);
        Ok(())
    }
}

/// Where the host and port of a database URL are.
fn authority_range(url: &str) -> std::ops::Range<usize> {
    let scheme = url.find("://").map_or(0, |i| i + 3);
    let start = url[scheme..].rfind('@').map_or(scheme, |i| scheme + i + 1);
    let end = url[start..]
        .find(['/', '?'])
        .map_or(url.len(), |i| start + i);
    start..end
}

/// `url` with its host and port replaced by `authority`.
fn via(url: &str, authority: &str) -> String {
    let mut out = url.to_owned();
    out.replace_range(authority_range(url), authority);
    out
}

async fn create(app: &App, name: &str) -> Resp {
    app.post_json(
        "/api/v1/orgs/kommunen/systems",
        &json!({ "name": name, "lifecycle": "in_operation", "hosting": "internal" }),
    )
    .await
}

/// The database cannot serve: a write through the API is 503 with
/// `Retry-After` and the cause as its title, and a page names the cause in
/// Swedish, both answered at once (well within the pool's acquire timeout).
async fn assert_refused(app: &App, title: &str, swedish: &str, retry: &str) {
    let started = Instant::now();
    let r = create(app, "Under avbrottet").await;
    assert_eq!(r.status.as_u16(), 503, "{}", r.body);
    assert_eq!(r.header("retry-after"), retry);
    assert_eq!(r.json()["title"], title, "{}", r.body);
    let page = app
        .lang("sv")
        .post_form(
            "/o/kommunen/systems",
            &[
                ("name", "Under avbrottet"),
                ("lifecycle", "in_operation"),
                ("hosting", "internal"),
            ],
        )
        .await;
    assert_eq!(page.status.as_u16(), 503, "{}", page.body);
    assert_eq!(page.header("retry-after"), retry);
    page.assert_text_contains(swedish);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
}

dual_test!(
    a_database_that_cannot_serve_answers_503_and_recovers_without_a_restart,
    |store: Store| async move {
        match &*store.db {
            insyn_store::Db::Sqlite(_) => {
                // A full disk, as SQLite meets it: no page may be added.
                Scenario::new(&store, "kommunen").await?;
                let app = App::new(&store).await;
                create(&app, "Före").await.expect(201);
                let mut tx = store.db.begin().await?;
                let now = tx
                    .one("PRAGMA page_count", vec![], |r| r.i64("page_count"))
                    .await?;
                tx.one(&format!("PRAGMA max_page_count = {now}"), vec![], |r| {
                    r.i64("max_page_count")
                })
                .await?;
                tx.commit().await?;
                let mut refused = None;
                for n in 0..200 {
                    let r = create(&app, &format!("Fyllnad {n}")).await;
                    if r.status.as_u16() != 201 {
                        refused = Some(r);
                        break;
                    }
                }
                let r = refused.expect("the full database took 200 more systems");
                assert_eq!(r.status.as_u16(), 503, "{}", r.body);
                assert_refused(
                    &app,
                    "The database's disk is full",
                    "Databasens disk är full",
                    "60",
                )
                .await;
                // Room again: writes succeed on the same server.
                let mut tx = store.db.begin().await?;
                tx.one("PRAGMA max_page_count = 1073741823", vec![], |r| {
                    r.i64("max_page_count")
                })
                .await?;
                tx.commit().await?;
                create(&app, "Efter").await.expect(201);
            }
            insyn_store::Db::Postgres(_) => {
                let direct = url_of(&store);
                let mut relay =
                    Relay::start(pg_url()[authority_range(&pg_url())].to_owned()).await?;
                let url = via(&direct, &format!("127.0.0.1:{}", relay.port));
                let options = DbOptions {
                    acquire_timeout: Duration::from_secs(1),
                    pool_size: Some(3),
                };
                let relayed = Store::open_with(Some(&url), options).await?;
                assert!(
                    matches!(
                        relayed.pool_use(),
                        insyn_store::ops::PoolUse::Postgres { max: 3, .. }
                    ),
                    "the pool's size is the one asked for"
                );
                Scenario::new(&relayed, "kommunen").await?;
                let app = App::new(&relayed).await;
                create(&app, "Före").await.expect(201);
                relay.cut().await;
                assert_refused(
                    &app,
                    "The database is not available",
                    "Databasen är inte tillgänglig",
                    "5",
                )
                .await;
                let ready = app.get("/readyz").await;
                assert_eq!(ready.status.as_u16(), 503, "{}", ready.body);
                relay.join().await?;
                create(&app, "Efter").await.expect(201);
                app.get("/readyz").await.expect(200);
                let list = app.get_json("/api/v1/orgs/kommunen/systems").await;
                assert_eq!(list["total"], 2, "{list}");
                relayed.db.close().await;
            }
        }
    }
);
