//! The `insyn` command: configuration, the subcommands and the wiring of
//! storage and HTTP. `main.rs` only parses arguments and calls [`run`]; each
//! subcommand lives in the module named after it.

use anyhow::{Context, Result};
use insyn_store::{Store, StoreError};

pub mod audit;
mod backup;
pub mod cli;
pub mod config;
pub mod config_file;
mod data;
pub mod demo;
pub mod mail;
mod serve;
mod users;
pub mod webhook;

pub use cli::{
    AuditCommand, Cli, Command, DbArgs, LogFormat, MailCommand, ServeArgs, TokenCommand,
    UserCommand,
};
pub use data::{parse_spreadsheet, parse_spreadsheet_mapped, read_import_file, report_text};
pub use demo::{DEMO_LOGINS, DEMO_OWNER_PASSWORD, load_demo, load_demo_orgs};
pub use serve::{open, open_server, serve, serve_draining};

/// Logs to standard error, as text or one JSON object a line (with the
/// request's span: method, path, request id); `RUST_LOG` overrides the level.
pub fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into());
    let fmt = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => fmt.try_init(),
        LogFormat::Json => fmt
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
}

/// [`run`] with what the configuration file gave: `insyn config` shows it.
pub async fn run_parsed(parsed: config_file::Parsed) -> Result<()> {
    if let Command::Config(args) = &parsed.cli.command {
        check_settings(args)?;
        println!("{}", config_file::describe(&parsed));
        return Ok(());
    }
    run(parsed.cli).await
}

/// What `insyn serve` checks of its settings before it opens anything.
fn check_settings(args: &ServeArgs) -> Result<()> {
    args.web_settings(None)?;
    args.mail.mailer()?;
    args.oidc.settings()?;
    Ok(())
}

pub async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve(args) => serve::serve_command(args).await,
        Command::Demo {
            systems,
            orgs,
            no_serve,
            serve: args,
        } => serve::demo_command(systems, orgs.into(), no_serve, args).await,
        Command::Migrate(db) => {
            let store = open(&db).await?;
            store.db.close().await;
            println!("migrations applied");
            Ok(())
        }
        Command::Config(args) => {
            check_settings(&args)?;
            println!("the settings are valid");
            Ok(())
        }
        Command::Backup { out, db } => backup::backup(out, db).await,
        Command::Restore { file, verify, db } => backup::restore(file, verify, db).await,
        Command::Openapi => {
            print!("{}", insyn_web::api::openapi_json());
            Ok(())
        }
        Command::User(cmd) => users::user(cmd).await,
        Command::Token(cmd) => users::token(cmd).await,
        Command::Audit(cmd) => audit::command(cmd).await,
        Command::Mail(cmd) => mail::command(cmd).await,
        Command::Import {
            file,
            org,
            dry_run,
            db,
        } => data::import(file, org, dry_run, db).await,
        Command::Export {
            org,
            format,
            out,
            db,
        } => data::export(org, format, out, db).await,
        Command::ImportFull { file, db } => data::import_full(file, db).await,
    }
}

/// The id of the organisation with this slug, or an error that names it.
pub(crate) async fn org_id(store: &Store, slug: &str) -> Result<insyn_domain::OrgId> {
    Ok(store
        .org_by_slug(slug)
        .await
        .with_context(|| format!("no organisation with the slug {slug:?}"))?
        .id)
}

/// Turns validation errors into a readable message.
pub(crate) fn explain(e: StoreError) -> anyhow::Error {
    match e {
        StoreError::Invalid(f) => {
            let lang = insyn_web::i18n::Lang::En;
            let parts: Vec<String> =
                f.0.iter()
                    .map(|x| format!("{}: {}", x.field, lang.t(x.code)))
                    .collect();
            anyhow::anyhow!(parts.join("; "))
        }
        other => other.into(),
    }
}
