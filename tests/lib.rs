//! The harness of insyn's integration tests: a fresh database per test, on
//! SQLite and on PostgreSQL, and [`dual_test!`] to write a test once and run
//! it on both.
//!
//! PostgreSQL comes from `INSYN_TEST_PG_URL`, which `scripts/test.sh` sets
//! after starting a throwaway cluster. Every test gets its own database.

use chrono::NaiveDate;
use insyn_domain::{
    FieldErrors, OrgDraft, OrgId, OrgKind, Organisation, Page, PageRequest, System, SystemDraft,
    SystemFilter, SystemSort, Unit, UnitDraft, UnitId,
};
use insyn_store::{Actor, Store, StoreError, SystemRow};
use sqlx::{AssertSqlSafe, Connection};
use std::path::{Path, PathBuf};

pub use anyhow;

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

/// The database URL of a test store, for running `insyn` subcommands on it.
pub fn url_of(store: &Store) -> String {
    match &*store.db {
        insyn_store::Db::Sqlite(s) => format!("sqlite://{}", s.path().display()),
        insyn_store::Db::Postgres(pool) => {
            let db = pool
                .connect_options()
                .get_database()
                .map(str::to_owned)
                .expect("a database name");
            with_database(&pg_url(), &db)
        }
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

/// Who the tests say they are in the audit trail.
pub fn actor() -> Actor {
    Actor::new("test")
}

/// Creates a municipality with the given slug (its name is derived from it).
pub async fn org(store: &Store, slug: &str) -> anyhow::Result<Organisation> {
    Ok(store
        .create_org(
            &actor(),
            OrgDraft {
                slug: slug.to_owned(),
                name: format!("Org {slug}"),
                kind: OrgKind::Municipality,
                parent_id: None,
            },
        )
        .await?)
}

/// The id of a freshly created organisation.
pub async fn org_id(store: &Store, slug: &str) -> anyhow::Result<OrgId> {
    Ok(org(store, slug).await?.id)
}

/// A date that exists.
pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// The field errors of a refused write; panics on anything else.
#[track_caller]
pub fn invalid<T: std::fmt::Debug>(r: Result<T, StoreError>) -> FieldErrors {
    match r {
        Err(StoreError::Invalid(e)) => e,
        other => panic!("expected StoreError::Invalid, got {other:?}"),
    }
}

/// Panics unless the result is `StoreError::NotFound`.
#[track_caller]
pub fn not_found<T: std::fmt::Debug>(r: Result<T, StoreError>) {
    match r {
        Err(StoreError::NotFound) => {}
        other => panic!("expected StoreError::NotFound, got {other:?}"),
    }
}

/// Creates a unit (level "Enhet").
pub async fn unit(store: &Store, org: OrgId, parent: Option<UnitId>, name: &str) -> Unit {
    store
        .create_unit(
            &actor(),
            org,
            UnitDraft {
                parent_id: parent,
                name: name.to_owned(),
                level: "Enhet".to_owned(),
            },
        )
        .await
        .expect("unit created")
}

/// Creates a system with only a name.
pub async fn system(store: &Store, org: OrgId, name: &str) -> System {
    store
        .create_system(&actor(), org, SystemDraft::named(name))
        .await
        .expect("system created")
}

/// Every system matching `filter` (up to 500), sorted by name.
pub async fn list(
    store: &Store,
    org: OrgId,
    filter: &SystemFilter,
) -> anyhow::Result<Page<SystemRow>> {
    Ok(store
        .list_systems(
            org,
            filter,
            SystemSort::Name,
            false,
            PageRequest::new(None, Some(PageRequest::MAX_SIZE)),
        )
        .await?)
}

/// The names of every system matching `filter`, sorted by name.
pub async fn names(
    store: &Store,
    org: OrgId,
    filter: &SystemFilter,
) -> anyhow::Result<Vec<String>> {
    Ok(list(store, org, filter)
        .await?
        .items
        .into_iter()
        .map(|r| r.name)
        .collect())
}

/// The names found by a search for `q`.
pub async fn search(store: &Store, org: OrgId, q: &str) -> anyhow::Result<Vec<String>> {
    names(
        store,
        org,
        &SystemFilter {
            q: Some(q.to_owned()),
            ..Default::default()
        },
    )
    .await
}

// --- HTTP -------------------------------------------------------------------

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use serde_json::Value;
use tower::ServiceExt as _;

/// The whole application (pages, API, static files) over a store, driven
/// in-process with `oneshot`: no sockets. Requests carry the `lang` cookie
/// when one is set with [`App::lang`], and, like a browser's, a session
/// cookie (signed in as [`App::new`]'s administrator or [`App::as_user`]'s
/// user) and `Sec-Fetch-Site: same-origin`.
#[derive(Clone)]
pub struct App {
    router: axum::Router,
    store: Store,
    lang: Option<&'static str>,
    /// Who to sign in as on the first request; None: nobody.
    who: Option<String>,
    session: std::sync::Arc<tokio::sync::OnceCell<String>>,
}

/// The e-mail of the administrator that [`App::new`] signs in as.
pub const TEST_ADMIN: &str = "test-admin@insyn.test";

/// A response with its body read: status, headers and text.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Resp {
    /// A header's value, "" when absent.
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Where a redirect points.
    pub fn location(&self) -> &str {
        self.header("location")
    }

    /// The body as JSON; panics with the body when it is not.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}), status {}: {}", self.status, self.body))
    }

    /// Panics, showing the body, unless the status is `expected`.
    #[track_caller]
    pub fn expect(self, expected: u16) -> Self {
        assert_eq!(
            self.status.as_u16(),
            expected,
            "unexpected status; body:\n{}",
            self.body
        );
        self
    }

    /// The page's visible text: tags removed, entities decoded, spaces collapsed.
    pub fn text(&self) -> String {
        html_text(&self.body)
    }

    /// Every `href` on the page, entities decoded.
    pub fn hrefs(&self) -> Vec<String> {
        attr_values(&self.body, "href")
    }
}

impl App {
    /// Signed in as an administrator of every organisation (created now,
    /// so that its audit entry comes before anything the test counts).
    pub async fn new(store: &Store) -> Self {
        let app = Self::as_user(store, TEST_ADMIN);
        app.session().await;
        app
    }

    /// Signed in as the user with this e-mail (created by the test first;
    /// [`TEST_ADMIN`] is created on demand).
    pub fn as_user(store: &Store, email: &str) -> Self {
        Self {
            router: insyn_web::router(store.clone()),
            store: store.clone(),
            lang: None,
            who: Some(email.to_owned()),
            session: Default::default(),
        }
    }

    /// Not signed in, over a router built with settings of the test's own.
    pub fn from_router(store: &Store, router: axum::Router) -> Self {
        Self {
            router,
            ..Self::anonymous(store)
        }
    }

    /// Not signed in.
    pub fn anonymous(store: &Store) -> Self {
        Self {
            who: None,
            ..Self::as_user(store, TEST_ADMIN)
        }
    }

    /// The store behind the application.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The `Cookie` header value of this app's session.
    pub async fn session_cookie(&self) -> String {
        match self.session().await {
            Some(s) => format!("{}={s}", insyn_web::auth::SESSION_COOKIE),
            None => String::new(),
        }
    }

    /// The same application, with the `lang` cookie set on every request.
    pub fn lang(&self, lang: &'static str) -> Self {
        Self {
            lang: Some(lang),
            ..self.clone()
        }
    }

    /// The session secret, signing in on first use.
    async fn session(&self) -> Option<String> {
        let email = self.who.clone()?;
        let store = self.store.clone();
        let secret = self
            .session
            .get_or_init(|| async move {
                let user = match store.user_by_email(&email).await {
                    Ok(u) => u,
                    Err(_) if email == TEST_ADMIN => store
                        .create_user(
                            &insyn_store::Actor::new("test"),
                            TEST_ADMIN,
                            "Test Administratör",
                            None,
                            &[insyn_domain::Grant {
                                org_id: None,
                                role: insyn_domain::AppRole::Administrator,
                            }],
                        )
                        .await
                        .expect("the test administrator is created"),
                    Err(e) => panic!("no user {email}: {e}"),
                };
                store
                    .create_session(user.id, "password", Default::default())
                    .await
                    .expect("a session")
            })
            .await;
        Some(secret.clone())
    }

    pub async fn request(&self, req: Request<Body>) -> Resp {
        let mut req = req;
        let mut cookies = vec![];
        if let Some(l) = self.lang {
            cookies.push(format!("lang={l}"));
        }
        if let Some(s) = self.session().await {
            cookies.push(format!("{}={s}", insyn_web::auth::SESSION_COOKIE));
        }
        if !cookies.is_empty() && !req.headers().contains_key(header::COOKIE) {
            req.headers_mut().insert(
                header::COOKIE,
                cookies.join("; ").parse().expect("a header value"),
            );
        }
        if !req.headers().contains_key("sec-fetch-site") {
            req.headers_mut().insert(
                "sec-fetch-site",
                "same-origin".parse().expect("a header value"),
            );
        }
        let resp = self
            .router
            .clone()
            .oneshot(req)
            .await
            .unwrap_or_else(|e| match e {});
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .expect("the body is read");
        Resp {
            status,
            headers,
            body: String::from_utf8(bytes.to_vec()).expect("the body is UTF-8"),
        }
    }

    fn build(method: Method, uri: &str, content_type: Option<&str>, body: Body) -> Request<Body> {
        let mut b = Request::builder().method(method).uri(uri);
        if let Some(ct) = content_type {
            b = b.header(header::CONTENT_TYPE, ct);
        }
        b.body(body).expect("a valid request")
    }

    pub async fn get(&self, uri: &str) -> Resp {
        self.request(Self::build(Method::GET, uri, None, Body::empty()))
            .await
    }

    /// Posts a form (`application/x-www-form-urlencoded`); keys may repeat.
    pub async fn post_form(&self, uri: &str, fields: &[(&str, &str)]) -> Resp {
        let body = serde_urlencoded::to_string(fields).expect("form encodes");
        self.request(Self::build(
            Method::POST,
            uri,
            Some("application/x-www-form-urlencoded"),
            Body::from(body),
        ))
        .await
    }

    /// Posts with no body (the archive, restore and end buttons).
    pub async fn post_empty(&self, uri: &str) -> Resp {
        self.post_form(uri, &[]).await
    }

    pub async fn post_json(&self, uri: &str, body: &Value) -> Resp {
        self.send_raw(Method::POST, uri, "application/json", body.to_string())
            .await
    }

    pub async fn put_json(&self, uri: &str, body: &Value) -> Resp {
        self.send_raw(Method::PUT, uri, "application/json", body.to_string())
            .await
    }

    /// Sends any text body, e.g. malformed JSON.
    pub async fn send_raw(
        &self,
        method: Method,
        uri: &str,
        content_type: &str,
        body: String,
    ) -> Resp {
        self.request(Self::build(
            method,
            uri,
            Some(content_type),
            Body::from(body),
        ))
        .await
    }
}

/// Decodes the entities askama writes (and numeric ones).
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The visible text of an HTML fragment: tags removed, entities decoded,
/// every run of white space (no-break spaces too) made one space.
pub fn html_text(html: &str) -> String {
    let mut raw = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                raw.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => raw.push(c),
            _ => {}
        }
    }
    unescape(&raw)
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every value of an attribute (`attr="…"`) in an HTML text, decoded.
pub fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = vec![];
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        out.push(unescape(&rest[..end]));
        rest = &rest[end..];
    }
    out
}

/// The first element that carries `id="…"`, from its start tag to the end of
/// its start tag's line of text (up to the next `</`): enough to read a
/// message beside a field.
pub fn element_by_id<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    let needle = format!("id=\"{id}\"");
    let i = html.find(&needle)?;
    let start = html[..i].rfind('<')?;
    let end = html[i..].find("</").map_or(html.len(), |e| i + e);
    Some(&html[start..end])
}

/// The text of the element with `id`, as [`element_by_id`] finds it.
pub fn text_by_id(html: &str, id: &str) -> Option<String> {
    element_by_id(html, id).map(html_text)
}

/// How many audit records the whole database holds.
pub async fn audit_count(store: &Store) -> anyhow::Result<i64> {
    use insyn_store::db::Queryable as _;
    Ok(store
        .db
        .read()
        .count("SELECT COUNT(*) AS n FROM audit_events", vec![])
        .await?)
}

/// Asserts that a response is a problem document (`application/problem+json`)
/// with the given status, and returns its body.
#[track_caller]
pub fn problem(r: &Resp, status: u16) -> Value {
    assert_eq!(r.status.as_u16(), status, "body: {}", r.body);
    assert_eq!(
        r.header("content-type"),
        "application/problem+json",
        "body: {}",
        r.body
    );
    let v = r.json();
    assert_eq!(v["status"], status, "{v}");
    v
}

/// The `(field, code)` pairs of a 422 problem document.
#[track_caller]
pub fn problem_fields(v: &Value) -> Vec<(String, String)> {
    v["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors in {v}"))
        .iter()
        .map(|e| {
            assert!(
                e["message"].as_str().is_some_and(|m| !m.is_empty()),
                "an error without a message: {e}"
            );
            (
                e["field"].as_str().unwrap_or_default().to_owned(),
                e["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// Creates an active person with an e-mail address.
pub async fn person(
    store: &Store,
    org: OrgId,
    name: &str,
    email: Option<&str>,
) -> anyhow::Result<insyn_domain::Person> {
    Ok(store
        .create_person(
            &actor(),
            org,
            insyn_domain::PersonDraft {
                name: name.to_owned(),
                email: email.map(str::to_owned),
                title: None,
                unit_id: None,
                active: true,
            },
        )
        .await?)
}

/// The organisation's role type with this code (e.g. `system_owner`).
pub async fn role_type(
    store: &Store,
    org: OrgId,
    code: &str,
) -> anyhow::Result<insyn_domain::RoleType> {
    store
        .list_role_types(org)
        .await?
        .into_iter()
        .find(|r| r.code == code)
        .ok_or_else(|| anyhow::anyhow!("role type {code} missing"))
}

// --- databases shared by two stores -------------------------------------------

/// The URL of the database behind `store`, to open a second, separate
/// [`Store`] (its own connection pools) on the same database, as a second
/// instance of insyn would.
pub fn store_url(store: &Store) -> String {
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

// --- a real SMTP server -------------------------------------------------------

/// `aiosmtpd` (from PyPI; `scripts/test.sh` installs it) listening on
/// 127.0.0.1, writing every mail it accepts into a Maildir of its own.
/// Stopped when dropped.
pub struct SmtpServer {
    child: std::process::Child,
    port: u16,
    dir: TempDirGuard,
}

/// A mail as the SMTP server received it, decoded by Python's `email` package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMail {
    /// The envelope's recipients (RCPT TO).
    pub rcpt_to: Vec<String>,
    /// The envelope's sender (MAIL FROM).
    pub mail_from: String,
    /// The `From:` and `To:` headers.
    pub from: String,
    pub to: String,
    /// Decoded from encoded words.
    pub subject: String,
    pub message_id: String,
    /// The text, decoded from its transfer encoding and charset.
    pub body: String,
    pub content_type: String,
}

/// A port on 127.0.0.1 that nothing listens on (at the moment of asking).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Reads a Maildir and prints its messages as JSON.
const READ_MAILDIR: &str = r#"
import email, email.policy, json, mailbox, sys
out = []
for key, msg in mailbox.Maildir(sys.argv[1], factory=None, create=False).iteritems():
    m = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
    body = m.get_body(preferencelist=("plain",))
    rcpt = m.get("X-RcptTo", "")
    out.append({
        "rcpt_to": [r.strip() for r in str(rcpt).split(",") if r.strip()],
        "mail_from": str(m.get("X-MailFrom", "")),
        "from": str(m.get("From", "")),
        "to": str(m.get("To", "")),
        "subject": str(m.get("Subject", "")),
        "message_id": str(m.get("Message-ID", "")),
        "body": body.get_content() if body is not None else "",
        "content_type": m.get_content_type() + "; charset=" + str(m.get_content_charset()),
    })
json.dump(out, sys.stdout)
"#;

/// Whether an SMTP server on 127.0.0.1:`port` sends its greeting.
fn greets(port: u16) -> bool {
    use std::io::Read as _;
    let timeout = std::time::Duration::from_secs(2);
    let Ok(mut s) = std::net::TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), timeout)
    else {
        return false;
    };
    let _ = s.set_read_timeout(Some(timeout));
    let mut buf = [0u8; 3];
    s.read_exact(&mut buf).is_ok() && &buf == b"220"
}

impl SmtpServer {
    /// Starts the server on a free port and waits until it answers.
    pub async fn start() -> Self {
        Self::start_on(free_port()).await
    }

    /// Starts the server on `port` and waits until it answers.
    pub async fn start_on(port: u16) -> Self {
        let dir = TempDirGuard::new();
        let maildir = dir.path().join("Maildir");
        let child = std::process::Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start python3 -m aiosmtpd: {e}"));
        let mut server = Self { child, port, dir };
        let started = std::time::Instant::now();
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!(
                    "aiosmtpd exited ({status}) before it listened on port {port}: is it installed? \
                     `python3 -m pip install aiosmtpd` (scripts/test.sh does)"
                );
            }
            if greets(port) {
                break;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(20),
                "aiosmtpd did not answer on port {port} within 20 s"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        server
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `smtp://127.0.0.1:PORT`, the form `--smtp-url` takes.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every mail received so far, in no particular order.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        let maildir = self.dir.path().join("Maildir");
        if !maildir.join("new").is_dir() {
            return vec![];
        }
        let out = std::process::Command::new("python3")
            .args(["-c", READ_MAILDIR])
            .arg(&maildir)
            .output()
            .expect("python3 runs");
        assert!(
            out.status.success(),
            "reading the Maildir failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Vec<Value> = serde_json::from_slice(&out.stdout).expect("JSON from python");
        v.into_iter()
            .map(|m| {
                let s = |k: &str| m[k].as_str().unwrap_or_default().to_owned();
                ReceivedMail {
                    rcpt_to: m["rcpt_to"]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|r| r.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default(),
                    mail_from: s("mail_from"),
                    from: s("from"),
                    to: s("to"),
                    subject: s("subject"),
                    message_id: s("message_id"),
                    body: s("body"),
                    content_type: s("content_type"),
                }
            })
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// --- the insyn binary -----------------------------------------------------------

/// The environment variable naming the `insyn` binary for tests that run it
/// as a process of its own.
pub const BIN_VAR: &str = "INSYN_BIN";

/// The `insyn` binary from `INSYN_BIN`, which `scripts/test.sh` builds and
/// sets; panics with how to get one.
pub fn insyn_bin() -> PathBuf {
    match std::env::var(BIN_VAR) {
        Ok(p) if Path::new(&p).is_file() => PathBuf::from(p),
        _ => panic!(
            "{BIN_VAR} is not set to a file: this test runs the insyn binary. Run \
             `scripts/test.sh`, which builds it, or `cargo build -p insyn` and set \
             {BIN_VAR}=target/debug/insyn"
        ),
    }
}
