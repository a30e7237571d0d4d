//! The command line: the subcommands and their options.

use crate::{audit, config, mail};
use anyhow::Result;
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;

/// insyn – the register of a municipality's IT systems: which systems
/// exist, who owns and runs them, and whether the security work is done.
#[derive(Debug, Parser)]
#[command(name = "insyn", version, about, long_about = None)]
pub struct Cli {
    /// A TOML file of settings: each key is an option's long name with `_`
    /// for `-` (database_url = "sqlite:///var/lib/insyn/insyn.db"). Options
    /// and environment variables win over it; an unknown key is refused.
    /// `insyn config` shows what is in effect.
    #[arg(long, env = "INSYN_CONFIG", global = true)]
    pub config: Option<std::path::PathBuf>,
    /// How log lines on standard error look: text, or json (one object a
    /// line, with the request id).
    #[arg(long, env = "INSYN_LOG_FORMAT", global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

/// The form of log lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Args, Clone)]
pub struct DbArgs {
    /// Database URL: postgres://user:password@host/db, or sqlite://PATH.
    /// Without it, an embedded SQLite database in ./insyn-data/ is used
    /// (created on first start).
    #[arg(long, env = "INSYN_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Seconds a request waits for a free PostgreSQL connection before it
    /// is answered 503 (with Retry-After): while the server is away requests
    /// fail this fast instead of piling up.
    #[arg(long, env = "INSYN_DB_POOL_TIMEOUT", default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=300))]
    pub db_pool_timeout: u64,
    /// The most PostgreSQL connections insyn opens (16 without it). Each
    /// instance opens its own: with several instances, keep their sum under
    /// the server's max_connections.
    #[arg(long, env = "INSYN_DB_POOL_SIZE", value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub db_pool_size: Option<u32>,
    #[command(flatten)]
    pub audit: audit::AuditArgs,
}

impl DbArgs {
    /// How the database is opened.
    pub fn options(&self) -> insyn_store::DbOptions {
        insyn_store::DbOptions {
            acquire_timeout: std::time::Duration::from_secs(self.db_pool_timeout),
            pool_size: self.db_pool_size,
        }
    }
}

#[derive(Debug, Args, Clone)]
pub struct ServeArgs {
    /// Address to listen on. Loopback by default; in production put insyn
    /// behind a TLS-terminating proxy (the session cookie is Secure).
    #[arg(long, env = "INSYN_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    #[command(flatten)]
    pub db: DbArgs,
    #[command(flatten)]
    pub oidc: config::OidcArgs,
    #[command(flatten)]
    pub mail: mail::MailArgs,
    #[command(flatten)]
    pub webhooks: crate::webhook::WebhookArgs,
    /// Proxies in front of insyn whose X-Forwarded-For header names the
    /// client (addresses or ranges, comma-separated, e.g. 127.0.0.1 or
    /// 10.0.0.0/8). Sign-in back-off and the public register's request budget
    /// then count per real client instead of per proxy. Leave it empty when
    /// browsers reach insyn directly.
    #[arg(
        long = "trusted-proxy",
        env = "INSYN_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<String>,
    /// Requests a minute one address may make to the public register.
    #[arg(long, env = "INSYN_PUBLIC_REQUESTS_PER_MINUTE", default_value_t = 600, value_parser = clap::value_parser!(u32).range(1..))]
    pub public_requests_per_minute: u32,
    /// Seconds between rounds of the mail worker (queue due reminders, send the outbox).
    #[arg(long, env = "INSYN_MAIL_INTERVAL", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub mail_interval: u64,
    /// Seconds between signed checkpoints of the audit trail (written only
    /// when it has grown; also at start and at shutdown).
    #[arg(long, env = "INSYN_AUDIT_CHECKPOINT_INTERVAL", default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..))]
    pub audit_checkpoint_interval: u64,
    /// A bearer token that lets a monitoring system read /metrics from
    /// anywhere (`Authorization: Bearer <token>`). Without it, /metrics
    /// answers only requests made directly from this machine.
    #[arg(long, env = "INSYN_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// Seconds a shutdown (SIGTERM, Ctrl-C) waits for requests in flight
    /// before it stops them.
    #[arg(long, env = "INSYN_SHUTDOWN_TIMEOUT", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub shutdown_timeout: u64,
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
        /// How many municipalities, each with --systems systems: Exempelstad
        /// (and its company) and kommun-002, kommun-003, … (the national shape
        /// is --orgs 290 --systems 500). Each follows the demo's policy profile.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=1000))]
        orgs: u16,
        /// Load the data and exit without serving.
        #[arg(long)]
        no_serve: bool,
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Apply pending database migrations and exit.
    Migrate(DbArgs),
    /// Show the settings `insyn serve` would use with these options, where
    /// each comes from (option, environment, configuration file, default),
    /// secrets hidden, and check them.
    Config(ServeArgs),
    /// Write a consistent copy of the embedded SQLite database while insyn
    /// runs (never a file copy). On PostgreSQL use pg_dump or base backups
    /// with WAL archiving instead (see the README).
    Backup {
        /// The file to write; refused if it exists.
        #[arg(long)]
        out: std::path::PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Put a backup made by `insyn backup` in place of the configured SQLite
    /// database (or at the path --database-url names), after checking that
    /// it is an intact insyn database. Refused while a server runs on it;
    /// the database it replaces is kept beside it.
    Restore {
        /// The backup file.
        file: std::path::PathBuf,
        /// Also check the backup's audit trail against the audit key and
        /// the checkpoints it should match.
        #[arg(long)]
        verify: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Print the OpenAPI document of the REST API.
    Openapi,
    /// Manage users: create one, or reset a password.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Check the audit trail, write a signed checkpoint of it, or rotate its key.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The e-mail outbox: send it now, or see what is in it.
    #[command(subcommand)]
    Mail(MailCommand),
    /// Import a register from .xlsx, .ods or .csv (UTF-8, or Windows-1252 with `;`).
    /// All rows or none; run with --dry-run first to see what would happen.
    Import {
        /// The spreadsheet.
        file: std::path::PathBuf,
        /// The organisation's slug; it is created if it does not exist.
        #[arg(long)]
        org: String,
        /// Show what would be created, updated or skipped, and change nothing.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Export an organisation's register as .xlsx, .csv (UTF-8 with BOM, `;`) or JSON;
    /// or, with `--format full`, everything of the organisation as one JSON
    /// document for `insyn import-full` (no passwords, sessions or API tokens).
    Export {
        #[arg(long)]
        org: String,
        /// xlsx, csv, json, or full.
        #[arg(long, default_value = "xlsx")]
        format: String,
        /// Where to write it.
        #[arg(long)]
        out: std::path::PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Load a full export (`insyn export --format full`) into this
    /// installation, all of it or nothing. Refused if the organisation exists
    /// here already. Users come without passwords: set one with
    /// `insyn user reset-password`, or sign in with OpenID Connect.
    ImportFull {
        /// The JSON document.
        file: std::path::PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user. The password is read from standard input; if standard
    /// input is empty, a password is generated and printed once.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// administrator, security_coordinator, editor or reader.
        #[arg(long)]
        role: String,
        /// The organisation's slug; without it the role applies in every organisation.
        #[arg(long)]
        org: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Set a new password (read from standard input, or generated and printed
    /// once) and end the user's sessions.
    ResetPassword {
        #[arg(long)]
        email: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user and print it once.
    Create {
        #[arg(long)]
        email: String,
        /// read or write.
        #[arg(long, default_value = "read")]
        scope: String,
        /// A name that says what the token is for.
        #[arg(long, default_value = "cli")]
        name: String,
        /// Days the token works; without it, until it is revoked.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=3650))]
        expires_in_days: Option<u32>,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Send what is due in the outbox once, print how many were sent, and exit.
    SendOnce {
        #[command(flatten)]
        mail: mail::MailArgs,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Count pending, sent and failed mails and list the newest.
    Status {
        /// Only this organisation's mail.
        #[arg(long)]
        org: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the chain of the whole audit trail with the audit key, and
    /// check it against every signed checkpoint in the checkpoint file. Exits
    /// non-zero and names the first broken entry or checkpoint if any entry
    /// was changed, inserted or removed, or the trail was sealed again without the key.
    Verify {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Append a signed checkpoint of the trail's newest entry (sequence
    /// number, hash, time, key id, signature) to the checkpoint file, unless
    /// the last one names it already.
    Checkpoint {
        /// The checkpoint file (default: --audit-checkpoint-file, or
        /// audit-checkpoints.jsonl in the data directory).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Add a new random audit key at the end of the key file (created if
    /// missing); it seals entries from the next start of insyn on. The
    /// earlier keys stay in the file: they verify older entries.
    RotateKey {
        #[command(flatten)]
        db: DbArgs,
    },
}

impl ServeArgs {
    /// The web layer's settings from these options.
    pub fn web_settings(
        &self,
        oidc: Option<std::sync::Arc<insyn_web::oidc::Oidc>>,
    ) -> Result<insyn_web::Settings> {
        let trusted_proxies = self
            .trusted_proxies
            .iter()
            .map(|p| insyn_web::limits::IpNet::parse(p))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| anyhow::anyhow!("--trusted-proxy (INSYN_TRUSTED_PROXIES): {e}"))?;
        Ok(insyn_web::Settings {
            oidc,
            public_url: self.oidc.public_url.clone(),
            trusted_proxies,
            public_requests_per_minute: Some(self.public_requests_per_minute),
            metrics_token: self
                .metrics_token
                .clone()
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty()),
            webhooks: self.webhooks.policy(),
            ..Default::default()
        })
    }
}
