//! The `insyn` command: configuration, the subcommands and the wiring of
//! storage and HTTP. `main.rs` only parses arguments and calls [`run`].

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use insyn_store::{Store, redact};
use std::net::SocketAddr;
use std::time::Instant;

/// insyn – the register of a municipality's IT systems: which systems
/// exist, who owns and runs them, and whether the security work is done.
#[derive(Debug, Parser)]
#[command(name = "insyn", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args, Clone)]
pub struct DbArgs {
    /// Database URL: postgres://user:password@host/db, or sqlite://PATH.
    /// Without it, an embedded SQLite database in ./insyn-data/ is used
    /// (created on first start).
    #[arg(long, env = "INSYN_DATABASE_URL")]
    pub database_url: Option<String>,
}

#[derive(Debug, Args, Clone)]
pub struct ServeArgs {
    /// Address to listen on. Loopback by default: there is no sign-in yet,
    /// so anyone who can reach the port can read and change the register.
    #[arg(long, env = "INSYN_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    #[command(flatten)]
    pub db: DbArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the web server (pages at /, API at /api/v1/, health at /healthz).
    Serve(ServeArgs),
    /// Fill an empty database with a demo municipality, then serve it.
    Demo {
        /// How many systems the demo municipality gets (deterministic for a given number).
        #[arg(long, default_value_t = 300)]
        systems: usize,
        /// Load the data and exit without serving.
        #[arg(long)]
        no_serve: bool,
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Apply pending database migrations and exit.
    Migrate(DbArgs),
    /// Print the OpenAPI document of the REST API.
    Openapi,
}

/// Logs to standard error; `RUST_LOG` overrides the level.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

pub async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve(args) => {
            let store = open(&args.db).await?;
            serve(store, args.addr).await
        }
        Command::Demo {
            systems,
            no_serve,
            serve: args,
        } => {
            let store = open(&args.db).await?;
            load_demo(&store, systems).await?;
            if no_serve {
                return Ok(());
            }
            serve(store, args.addr).await
        }
        Command::Migrate(db) => {
            let store = open(&db).await?;
            store.db.close().await;
            println!("migrations applied");
            Ok(())
        }
        Command::Openapi => {
            print!("{}", insyn_web::api::openapi_json());
            Ok(())
        }
    }
}

/// Opens the database named by the arguments and migrates it.
pub async fn open(db: &DbArgs) -> Result<Store> {
    let shown = db
        .database_url
        .as_deref()
        .map(redact)
        .unwrap_or_else(|| format!("sqlite://{}", insyn_store::DEFAULT_SQLITE_PATH));
    let store = Store::open(db.database_url.as_deref())
        .await
        .with_context(|| format!("could not open the database {shown}"))?;
    tracing::info!(database = %shown, "database ready");
    Ok(store)
}

/// Loads the demo municipality when the database is empty.
pub async fn load_demo(store: &Store, systems: usize) -> Result<()> {
    if !store.is_empty().await? {
        tracing::info!("the database already has data; the demo is not loaded again");
        return Ok(());
    }
    let started = Instant::now();
    store
        .load_demo(insyn_domain::demo::generate(systems))
        .await
        .context("could not load the demo data")?;
    tracing::info!(
        systems,
        seconds = started.elapsed().as_secs_f64(),
        "demo municipality loaded"
    );
    Ok(())
}

/// Serves until Ctrl-C or SIGTERM.
pub async fn serve(store: Store, addr: SocketAddr) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("could not listen on {addr}"))?;
    let local = listener.local_addr()?;
    if local.ip().is_loopback() {
        tracing::info!(
            "listening on loopback only ({local}): there is no sign-in yet, so insyn is not reachable from other machines; use --addr to change that"
        );
    } else {
        tracing::warn!(
            "listening on {local}, reachable from other machines, and there is no sign-in yet: anyone who reaches this port can read and change the register"
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
    let app = insyn_web::router(store.clone());
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await?;
    store.db.close().await;
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
