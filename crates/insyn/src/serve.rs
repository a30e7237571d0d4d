//! Serving: opening the database, the background workers, and the HTTP
//! server until Ctrl-C or SIGTERM.

use crate::cli::{DbArgs, ServeArgs};
use crate::{audit, demo, mail};
use anyhow::{Context, Result};
use insyn_store::{Store, redact};
use std::future::IntoFuture;
use std::net::SocketAddr;

/// `insyn serve`, and `insyn demo` after its data is loaded: the mail worker
/// and the audit checkpointer run beside the server and stop with it. On
/// SIGTERM or Ctrl-C the mail and webhook workers start no new round and the
/// server stops accepting, at once; then requests in flight finish (up to
/// `--shutdown-timeout`), then a worker's round in progress, and the
/// checkpointer writes a last checkpoint.
async fn run_server(
    store: Store,
    args: &ServeArgs,
    mut settings: insyn_web::Settings,
    mailer: Option<mail::Mailer>,
) -> Result<()> {
    let metrics = std::sync::Arc::new(insyn_web::metrics::Metrics::default());
    settings.metrics = Some(metrics.clone());
    let worker = mail::spawn_worker_with(
        store.clone(),
        mailer,
        std::time::Duration::from_secs(args.mail_interval),
        Some(metrics.clone()),
    );
    let hooks = crate::webhook::spawn_worker(
        store.clone(),
        args.webhooks.policy(),
        std::time::Duration::from_secs(args.webhooks.webhook_interval),
    );
    let checkpointer = audit::spawn_checkpointer_with(
        store.clone(),
        args.db
            .audit
            .checkpoint_file(args.db.database_url.as_deref()),
        std::time::Duration::from_secs(args.audit_checkpoint_interval),
        Some(metrics),
    );
    spawn_compliance_warmer(&store);
    let drain = std::time::Duration::from_secs(args.shutdown_timeout);
    let halt = {
        let (worker, hooks) = (worker.halter(), hooks.halter());
        move || {
            worker();
            hooks();
        }
    };
    let served = serve_draining(store.clone(), args.addr, settings, drain, halt).await;
    // A worker's round in progress finishes before the database closes,
    // and the last checkpoint names the trail as the server leaves it.
    worker.stop().await;
    hooks.stop().await;
    checkpointer.stop().await;
    store.db.close().await;
    if served.is_ok() {
        tracing::info!("stopped");
    }
    served
}

/// On SQLite, the lock a server holds on its database file so that
/// `insyn restore` does not replace it underneath (see `insyn_store::backup`).
fn server_lock(db: &DbArgs) -> Result<Option<insyn_store::backup::DbLock>> {
    match audit::sqlite_file(db.database_url.as_deref()) {
        Some(path) => Ok(Some(
            insyn_store::backup::DbLock::server(&path).map_err(|e| anyhow::anyhow!("{e}"))?,
        )),
        None => Ok(None),
    }
}

/// The mailer of `insyn serve` and `insyn demo`, its reminders linking under `--public-url`.
fn mailer(args: &ServeArgs) -> Result<Option<crate::mail::Mailer>> {
    Ok(args
        .mail
        .mailer()?
        .map(|m| m.with_public_url(args.oidc.public_url.clone().filter(|u| !u.is_empty()))))
}

pub(crate) async fn serve_command(args: ServeArgs) -> Result<()> {
    let mailer = mailer(&args)?;
    let store = open_server(&args.db).await?;
    let _lock = server_lock(&args.db)?;
    let settings = args.web_settings(args.oidc.connect(&store).await?)?;
    run_server(store, &args, settings, mailer).await
}

pub(crate) async fn demo_command(
    systems: usize,
    orgs: usize,
    no_serve: bool,
    args: ServeArgs,
) -> Result<()> {
    let mailer = mailer(&args)?;
    let store = open_server(&args.db).await?;
    let _lock = server_lock(&args.db)?;
    // Settings are checked, and the provider reached, before the data is loaded.
    let oidc = if no_serve {
        None
    } else {
        args.oidc.connect(&store).await?
    };
    let settings = args.web_settings(oidc)?;
    demo::load_demo_orgs(&store, systems, orgs).await?;
    if no_serve {
        store.db.close().await;
        return Ok(());
    }
    run_server(store, &args, settings, mailer).await
}

/// Opens the database named by the arguments and migrates it, with the
/// audit key when one is given or in the data directory.
pub async fn open(db: &DbArgs) -> Result<Store> {
    open_with(db, audit::Need::IfPresent).await
}

/// [`open`] for `serve` and `demo`: generates the audit key on SQLite,
/// refuses to start on PostgreSQL without one.
pub async fn open_server(db: &DbArgs) -> Result<Store> {
    open_with(db, audit::Need::Server).await
}

/// Computes every organisation's compliance snapshot in the background at
/// start-up, so that the first person to open tasks or the dashboard of a
/// large organisation does not wait for it (`insyn_store::policy`'s snapshots).
fn spawn_compliance_warmer(store: &Store) {
    let store = store.clone();
    tokio::spawn(async move {
        let started = std::time::Instant::now();
        let today = chrono::Utc::now().date_naive();
        match store.warm_compliance(today).await {
            Ok(n) => tracing::info!(
                organisations = n,
                took_ms = started.elapsed().as_millis() as u64,
                "compliance snapshots computed"
            ),
            Err(e) => {
                tracing::warn!(error = %e, "computing the compliance snapshots at start-up failed")
            }
        }
    });
}

async fn open_with(db: &DbArgs, need: audit::Need) -> Result<Store> {
    let keys = db.audit.keys(db.database_url.as_deref(), need)?;
    let shown = db
        .database_url
        .as_deref()
        .map(redact)
        .unwrap_or_else(|| format!("sqlite://{}", insyn_store::DEFAULT_SQLITE_PATH));
    let store = Store::open_with(db.database_url.as_deref(), db.options())
        .await
        .with_context(|| format!("could not open the database {shown}"))?;
    let store = match keys {
        Some(k) => {
            tracing::info!(database = %shown, audit_key = %k.active().id(), "database ready");
            store.with_audit_keys(k)
        }
        None => {
            tracing::info!(database = %shown, "database ready (no audit key)");
            store
        }
    };
    Ok(store)
}

/// Serves until SIGTERM or Ctrl-C, then drains for up to 20 s.
pub async fn serve(store: Store, addr: SocketAddr, settings: insyn_web::Settings) -> Result<()> {
    serve_draining(
        store,
        addr,
        settings,
        std::time::Duration::from_secs(20),
        || (),
    )
    .await
}

/// Serves until SIGTERM or Ctrl-C; then calls `on_signal` (the workers
/// start no new round), stops accepting connections and waits up to `drain`
/// for the requests in flight.
pub async fn serve_draining(
    store: Store,
    addr: SocketAddr,
    settings: insyn_web::Settings,
    drain: std::time::Duration,
    on_signal: impl FnOnce() + Send + 'static,
) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("could not listen on {addr}"))?;
    let local = listener.local_addr()?;
    if local.ip().is_loopback() {
        tracing::info!(
            "listening on loopback only ({local}): not reachable from other machines; use --addr to change that"
        );
    } else {
        tracing::info!(
            "listening on {local}; serve it to browsers over HTTPS (the session cookie is Secure)"
        );
    }
    println!("insyn is running at http://{local}/");
    let orgs = store.list_orgs().await.unwrap_or_default();
    let main_org = orgs
        .iter()
        .find(|o| o.kind == insyn_domain::OrgKind::Municipality)
        .or(orgs.first());
    if let Some(first) = main_org {
        println!("  register: http://{local}/o/{}/systems", first.slug);
    }
    let app = insyn_web::router_with_settings(store.clone(), settings);
    let (stopping, stop) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown().await;
        on_signal();
        tracing::info!(
            drain_s = drain.as_secs(),
            "shutting down: no new connections; waiting for the requests in flight"
        );
        let _ = stopping.send(true);
    });
    let mut signalled = stop.clone();
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        let _ = signalled.wait_for(|s| *s).await;
    });
    let mut signalled = stop;
    let deadline = async move {
        let _ = signalled.wait_for(|s| *s).await;
        tokio::time::sleep(drain).await;
    };
    tokio::select! {
        served = server.into_future() => served?,
        () = deadline => tracing::warn!(
            drain_s = drain.as_secs(),
            "requests still running at the end of the shutdown timeout were cut off"
        ),
    }
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
