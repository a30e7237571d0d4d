//! Serving: opening the database, the background workers, and the HTTP
//! server until Ctrl-C or SIGTERM.

use crate::cli::{DbArgs, ServeArgs};
use crate::{audit, demo, mail};
use anyhow::{Context, Result};
use insyn_store::{Store, redact};
use std::net::SocketAddr;

/// `insyn serve`, and `insyn demo` after its data is loaded: the mail worker
/// and the audit checkpointer run beside the server and stop with it.
async fn run_server(
    store: Store,
    args: &ServeArgs,
    settings: insyn_web::Settings,
    mailer: Option<mail::Mailer>,
) -> Result<()> {
    let worker = mail::spawn_worker(
        store.clone(),
        mailer,
        std::time::Duration::from_secs(args.mail_interval),
    );
    let hooks = crate::webhook::spawn_worker(
        store.clone(),
        args.webhooks.policy(),
        std::time::Duration::from_secs(args.webhooks.webhook_interval),
    );
    let checkpointer = spawn_checkpointer(&store, args);
    let served = serve(store.clone(), args.addr, settings).await;
    // The mail worker finishes its round before the database closes,
    // and the last checkpoint names the trail as the server leaves it.
    worker.stop().await;
    hooks.stop().await;
    checkpointer.stop().await;
    store.db.close().await;
    served
}

pub(crate) async fn serve_command(args: ServeArgs) -> Result<()> {
    let mailer = args.mail.mailer()?;
    let store = open_server(&args.db).await?;
    let settings = args.web_settings(args.oidc.connect(&store).await?)?;
    run_server(store, &args, settings, mailer).await
}

pub(crate) async fn demo_command(systems: usize, no_serve: bool, args: ServeArgs) -> Result<()> {
    let mailer = args.mail.mailer()?;
    let store = open_server(&args.db).await?;
    // Settings are checked, and the provider reached, before the data is loaded.
    let oidc = if no_serve {
        None
    } else {
        args.oidc.connect(&store).await?
    };
    let settings = args.web_settings(oidc)?;
    demo::load_demo(&store, systems).await?;
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

fn spawn_checkpointer(store: &Store, args: &ServeArgs) -> audit::Checkpointer {
    audit::spawn_checkpointer(
        store.clone(),
        args.db
            .audit
            .checkpoint_file(args.db.database_url.as_deref()),
        std::time::Duration::from_secs(args.audit_checkpoint_interval),
    )
}

async fn open_with(db: &DbArgs, need: audit::Need) -> Result<Store> {
    let keys = db.audit.keys(db.database_url.as_deref(), need)?;
    let shown = db
        .database_url
        .as_deref()
        .map(redact)
        .unwrap_or_else(|| format!("sqlite://{}", insyn_store::DEFAULT_SQLITE_PATH));
    let store = Store::open(db.database_url.as_deref())
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

pub async fn serve(store: Store, addr: SocketAddr, settings: insyn_web::Settings) -> Result<()> {
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
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await?;
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
    tracing::info!("shutting down");
}
