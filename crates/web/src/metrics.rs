//! `GET /metrics` in the Prometheus text format, written by hand: requests
//! counted by method, route *template* (the matched path, `/o/{org}/systems`,
//! never the URL asked for, so the series stay as few as the routes) and
//! status, a latency histogram per route with fixed buckets, the database's
//! connections, the outbox's backlog, the mail worker's reminder rounds, the
//! age of the last signed audit checkpoint and the process's start time.
//!
//! Who may read it: the route is in the permission table as `Public` (no
//! user signs in to scrape), and the handler decides. With a metrics token
//! configured (`--metrics-token`), only a request carrying it as
//! `Authorization: Bearer …`; without one, only a request straight from this
//! machine (a loopback peer with no `Forwarded`/`X-Forwarded-For`/`X-Real-IP`
//! header, so nothing relayed by a proxy on the same host). Everyone else
//! gets 404, as if there were nothing there.

use crate::AppState;
use crate::error::{AppError, AppResult};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use insyn_store::ops::PoolUse;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// The latency buckets' upper bounds, in seconds.
pub const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The route label of a request no route matched.
pub const UNMATCHED: &str = "unmatched";

/// One route's latency histogram and counts by status.
#[derive(Debug, Default, Clone)]
struct RouteStats {
    by_status: BTreeMap<u16, u64>,
    /// Requests at or under each bound of [`BUCKETS`] (not yet cumulative).
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum_seconds: f64,
}

/// The counters the server and its workers keep; one per process, shared.
#[derive(Debug)]
pub struct Metrics {
    started_unix: f64,
    /// By (method, route template).
    http: Mutex<BTreeMap<(String, String), RouteStats>>,
    reminder_rounds: AtomicU64,
    /// Unix seconds of the last reminder round; 0 before the first.
    last_reminder_round: AtomicI64,
    /// Unix seconds of the newest signed audit checkpoint; 0 when none is known.
    last_checkpoint: AtomicI64,
}

fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

impl Default for Metrics {
    fn default() -> Self {
        Self {
            started_unix: unix_now(),
            http: Mutex::default(),
            reminder_rounds: AtomicU64::new(0),
            last_reminder_round: AtomicI64::new(0),
            last_checkpoint: AtomicI64::new(0),
        }
    }
}

impl Metrics {
    /// Counts one answered request.
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let mut http = self.http.lock().unwrap_or_else(|e| e.into_inner());
        let s = http
            .entry((method.to_owned(), route.to_owned()))
            .or_default();
        *s.by_status.entry(status).or_default() += 1;
        if let Some(i) = BUCKETS.iter().position(|b| seconds <= *b) {
            s.buckets[i] += 1;
        }
        s.count += 1;
        s.sum_seconds += seconds;
    }

    /// The mail worker ran a round that looked for due reminders.
    pub fn reminder_round(&self) {
        self.reminder_rounds.fetch_add(1, Ordering::Relaxed);
        self.last_reminder_round
            .store(unix_now() as i64, Ordering::Relaxed);
    }

    /// A signed audit checkpoint at `unix` seconds is the newest one.
    pub fn checkpoint_at(&self, unix: i64) {
        self.last_checkpoint.fetch_max(unix, Ordering::Relaxed);
    }

    /// The exposition text, with the facts asked of the store.
    pub fn render(&self, db: &DbFacts) -> String {
        let mut out = String::with_capacity(8192);
        let now = unix_now();
        gauge(
            &mut out,
            "insyn_process_start_time_seconds",
            "When the process started, in seconds since the Unix epoch.",
            self.started_unix,
        );
        self.render_http(&mut out);
        render_db(&mut out, db, now);
        counter(
            &mut out,
            "insyn_reminder_rounds_total",
            "Rounds of the mail worker that looked for due reminders.",
            self.reminder_rounds.load(Ordering::Relaxed) as f64,
        );
        gauge(
            &mut out,
            "insyn_reminder_last_round_timestamp_seconds",
            "When the last reminder round ran (0: none since the start).",
            self.last_reminder_round.load(Ordering::Relaxed) as f64,
        );
        let checkpoint = self.last_checkpoint.load(Ordering::Relaxed);
        if checkpoint > 0 {
            gauge(
                &mut out,
                "insyn_audit_checkpoint_age_seconds",
                "Seconds since the newest signed checkpoint of the audit trail (one is written only when the trail has grown).",
                (now - checkpoint as f64).max(0.0),
            );
        }
        out
    }

    fn render_http(&self, out: &mut String) {
        let http = self.http.lock().unwrap_or_else(|e| e.into_inner()).clone();
        help(
            out,
            "insyn_http_requests_total",
            "counter",
            "HTTP requests answered, by method, route template and status.",
        );
        for ((method, route), s) in &http {
            for (status, n) in &s.by_status {
                let _ = writeln!(
                    out,
                    "insyn_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {n}",
                    escape(method),
                    escape(route)
                );
            }
        }
        help(
            out,
            "insyn_http_request_duration_seconds",
            "histogram",
            "Time to answer an HTTP request, by method and route template.",
        );
        for ((method, route), s) in &http {
            let labels = format!("method=\"{}\",route=\"{}\"", escape(method), escape(route));
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(s.buckets) {
                cumulative += n;
                let _ = writeln!(
                    out,
                    "insyn_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "insyn_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                s.count
            );
            let _ = writeln!(
                out,
                "insyn_http_request_duration_seconds_sum{{{labels}}} {}",
                s.sum_seconds
            );
            let _ = writeln!(
                out,
                "insyn_http_request_duration_seconds_count{{{labels}}} {}",
                s.count
            );
        }
    }
}

/// What the store tells at the moment of a scrape.
#[derive(Debug, Clone)]
pub struct DbFacts {
    pub pool: PoolUse,
    /// None when the outbox could not be read.
    pub outbox: Option<insyn_store::ops::OutboxBacklog>,
}

fn render_db(out: &mut String, db: &DbFacts, now: f64) {
    match db.pool {
        PoolUse::Sqlite {
            readers_busy,
            readers_idle,
        } => {
            gauge(
                out,
                "insyn_db_sqlite_readers_in_use",
                "SQLite reader connections running a statement.",
                readers_busy as f64,
            );
            gauge(
                out,
                "insyn_db_sqlite_readers_idle",
                "SQLite reader connections kept open and idle.",
                readers_idle as f64,
            );
        }
        PoolUse::Postgres { size, idle, max } => {
            gauge(
                out,
                "insyn_db_pool_connections",
                "PostgreSQL connections open in the pool.",
                f64::from(size),
            );
            gauge(
                out,
                "insyn_db_pool_idle_connections",
                "PostgreSQL connections open and idle.",
                idle as f64,
            );
            gauge(
                out,
                "insyn_db_pool_max_connections",
                "The most connections the pool opens.",
                f64::from(max),
            );
        }
    }
    if let Some(b) = db.outbox {
        gauge(
            out,
            "insyn_outbox_pending",
            "Mails in the outbox neither sent nor given up.",
            b.pending as f64,
        );
        let age = b
            .oldest
            .map(|t| (now - t.timestamp_micros() as f64 / 1e6).max(0.0))
            .unwrap_or(0.0);
        gauge(
            out,
            "insyn_outbox_oldest_pending_age_seconds",
            "Seconds the oldest pending mail has waited (0: none waits).",
            age,
        );
    }
}

fn help(out: &mut String, name: &str, kind: &str, text: &str) {
    let _ = writeln!(out, "# HELP {name} {text}\n# TYPE {name} {kind}");
}

fn gauge(out: &mut String, name: &str, text: &str, v: f64) {
    help(out, name, "gauge", text);
    let _ = writeln!(out, "{name} {v}");
}

fn counter(out: &mut String, name: &str, text: &str, v: f64) {
    help(out, name, "counter", text);
    let _ = writeln!(out, "{name} {v}");
}

/// A label value as the text format wants it.
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The matched route, carried from the route layer out to [`track`].
#[derive(Debug, Clone)]
struct RouteTemplate(String);

/// Route layer: notes on the response which route answered.
pub async fn tag_route(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned());
    let mut resp = next.run(req).await;
    if let Some(r) = route {
        resp.extensions_mut().insert(RouteTemplate(r));
    }
    resp
}

/// Outer layer: times every request and counts it under its route template.
pub async fn track(
    State(metrics): State<std::sync::Arc<Metrics>>,
    req: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = req.method().as_str().to_owned();
    let resp = next.run(req).await;
    let route = resp
        .extensions()
        .get::<RouteTemplate>()
        .map(|r| r.0.as_str())
        .unwrap_or(UNMATCHED);
    metrics.observe(
        &method,
        route,
        resp.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    resp
}

/// Whether this request may read the metrics (see the module's documentation).
pub fn may_scrape(
    token: Option<&str>,
    headers: &HeaderMap,
    peer: Option<std::net::IpAddr>,
) -> bool {
    match token {
        Some(expected) => headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| same(given.trim().as_bytes(), expected.as_bytes())),
        None => {
            let relayed = ["forwarded", "x-forwarded-for", "x-real-ip"]
                .iter()
                .any(|h| headers.contains_key(*h));
            !relayed && peer.is_some_and(|p| p.is_loopback())
        }
    }
}

/// Compares in time that depends on the length only.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `GET /metrics`.
pub async fn metrics(State(state): State<AppState>, req: Request) -> AppResult<Response> {
    let peer = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    if !may_scrape(state.metrics_token.as_deref(), req.headers(), peer) {
        return Err(AppError::NotFound);
    }
    let outbox = match state.store.outbox_backlog().await {
        Ok(b) => Some(b),
        Err(e) => {
            tracing::warn!("metrics: the outbox could not be read: {e}");
            None
        }
    };
    let facts = DbFacts {
        pool: state.store.pool_use(),
        outbox,
    };
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(&facts),
    )
        .into_response())
}
