//! The `insyn` command: configuration, the subcommands and the wiring of
//! storage and HTTP. `main.rs` only parses arguments and calls [`run`].

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use insyn_domain::{AppRole, Grant, TokenScope};
use insyn_store::import::ImportTarget;
use insyn_store::{Actor, Store, StoreError, Verified, redact};
use std::io::Read;
use std::net::SocketAddr;
use std::time::Instant;

pub mod audit;
pub mod config;
pub mod mail;

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
    #[command(flatten)]
    pub audit: audit::AuditArgs,
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
            let mailer = args.mail.mailer()?;
            let store = open_server(&args.db).await?;
            let settings = args.web_settings(args.oidc.connect(&store).await?)?;
            let worker = mail::spawn_worker(
                store.clone(),
                mailer,
                std::time::Duration::from_secs(args.mail_interval),
            );
            let checkpointer = spawn_checkpointer(&store, &args);
            let served = serve(store.clone(), args.addr, settings).await;
            // The mail worker finishes its round before the database closes,
            // and the last checkpoint names the trail as the server leaves it.
            worker.stop().await;
            checkpointer.stop().await;
            store.db.close().await;
            served
        }
        Command::Demo {
            systems,
            no_serve,
            serve: args,
        } => {
            let mailer = args.mail.mailer()?;
            let store = open_server(&args.db).await?;
            // Settings are checked, and the provider reached, before the data is loaded.
            let oidc = if no_serve {
                None
            } else {
                args.oidc.connect(&store).await?
            };
            let settings = args.web_settings(oidc)?;
            load_demo(&store, systems).await?;
            if no_serve {
                store.db.close().await;
                return Ok(());
            }
            let worker = mail::spawn_worker(
                store.clone(),
                mailer,
                std::time::Duration::from_secs(args.mail_interval),
            );
            let checkpointer = spawn_checkpointer(&store, &args);
            let served = serve(store.clone(), args.addr, settings).await;
            // The mail worker finishes its round before the database closes,
            // and the last checkpoint names the trail as the server leaves it.
            worker.stop().await;
            checkpointer.stop().await;
            store.db.close().await;
            served
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
        Command::User(UserCommand::Add {
            email,
            name,
            role,
            org,
            db,
        }) => {
            let store = open(&db).await?;
            let role = AppRole::parse(&role).with_context(|| {
                format!("unknown role {role:?}: use administrator, security_coordinator, editor or reader")
            })?;
            let org_id = match org {
                Some(slug) => Some(
                    store
                        .org_by_slug(&slug)
                        .await
                        .with_context(|| format!("no organisation with the slug {slug:?}"))?
                        .id,
                ),
                None => None,
            };
            let (password, generated) = password_from_stdin()?;
            let user = store
                .create_user(
                    &Actor::new("cli"),
                    &email,
                    &name,
                    Some(&password),
                    &[Grant { org_id, role }],
                )
                .await
                .map_err(explain)?;
            println!("user {} created", user.email);
            if generated {
                println!("password (shown once): {password}");
            }
            Ok(())
        }
        Command::User(UserCommand::ResetPassword { email, db }) => {
            let store = open(&db).await?;
            let user = store
                .user_by_email(&email)
                .await
                .with_context(|| format!("no user with the e-mail {email}"))?;
            let (password, generated) = password_from_stdin()?;
            store
                .set_password(&Actor::new("cli"), user.id, &password)
                .await
                .map_err(explain)?;
            println!("password of {} set; their sessions have ended", user.email);
            if generated {
                println!("password (shown once): {password}");
            }
            Ok(())
        }
        Command::Token(TokenCommand::Create {
            email,
            scope,
            name,
            expires_in_days,
            db,
        }) => {
            let store = open(&db).await?;
            let scope = TokenScope::parse(&scope)
                .with_context(|| format!("unknown scope {scope:?}: use read or write"))?;
            let user = store
                .user_by_email(&email)
                .await
                .with_context(|| format!("no user with the e-mail {email}"))?;
            let (_, secret) = store
                .create_token_until(
                    &Actor::new("cli"),
                    user.id,
                    &name,
                    scope,
                    expires_in_days
                        .map(|d| chrono::Utc::now() + chrono::Duration::days(i64::from(d))),
                )
                .await
                .map_err(explain)?;
            println!("{secret}");
            Ok(())
        }
        Command::Import {
            file,
            org,
            dry_run,
            db,
        } => {
            let store = open(&db).await?;
            let bytes = read_import_file(&file)?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let existing = store.org_by_slug(&org).await.ok();
            // The columns as the organisation's last adjusted import mapped them.
            let remembered = match &existing {
                Some(o) => store.import_mapping(o.id).await?,
                None => Default::default(),
            };
            let records = parse_spreadsheet_mapped(&name, &bytes, &remembered)?;
            let target = match existing {
                Some(o) => ImportTarget::Org(o.id),
                // Created by the import itself, in its transaction.
                None => ImportTarget::NewOrg(insyn_domain::OrgDraft {
                    slug: org.clone(),
                    name: org.clone(),
                    kind: insyn_domain::OrgKind::Municipality,
                    parent_id: None,
                }),
            };
            let report = store
                .import(&Actor::new("cli"), target, &name, &records, dry_run)
                .await
                .map_err(explain)?;
            print!("{}", report_text(&report));
            if report.errors() > 0 && !dry_run {
                println!("rows with errors were skipped; fix them and import again");
            }
            Ok(())
        }
        Command::Export {
            org,
            format,
            out,
            db,
        } => {
            let store = open(&db).await?;
            let o = store
                .org_by_slug(&org)
                .await
                .with_context(|| format!("no organisation with the slug {org:?}"))?;
            let bytes = if format == "full" {
                store.export_full(o.id).await?.to_json()
            } else {
                insyn_web::export::register_file(&store, o.id, &format, insyn_web::i18n::Lang::Sv)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e:?}"))?
            };
            std::fs::write(&out, bytes)
                .with_context(|| format!("could not write {}", out.display()))?;
            println!("wrote {}", out.display());
            Ok(())
        }
        Command::Mail(MailCommand::SendOnce { mail: args, db }) => {
            let mailer = args.mailer()?.context(
                "no SMTP server: give --smtp-url (INSYN_SMTP_URL) and --mail-from (INSYN_MAIL_FROM)",
            )?;
            let store = open(&db).await?;
            let sent = mail::send_pending(&store, &mailer, &mail::worker_id()).await;
            store.db.close().await;
            println!("{} mails sent", sent?);
            Ok(())
        }
        Command::Mail(MailCommand::Status { org, db }) => {
            let store = open(&db).await?;
            let org_id = match org {
                Some(slug) => Some(
                    store
                        .org_by_slug(&slug)
                        .await
                        .with_context(|| format!("no organisation with the slug {slug:?}"))?
                        .id,
                ),
                None => None,
            };
            let s = store.outbox_status(org_id).await?;
            println!(
                "{} pending, {} sent, {} failed",
                s.pending, s.sent, s.failed
            );
            for m in &s.latest {
                println!(
                    "{}  {:<7}  {:>2} attempts  {}  {}{}",
                    m.created_at.format("%Y-%m-%d %H:%M"),
                    format!("{:?}", m.state).to_lowercase(),
                    m.attempts,
                    m.recipient,
                    m.subject,
                    m.last_error
                        .as_deref()
                        .map(|e| format!("  ({e})"))
                        .unwrap_or_default()
                );
            }
            Ok(())
        }
        Command::ImportFull { file, db } => {
            let bytes = std::fs::read(&file)
                .with_context(|| format!("could not read {}", file.display()))?;
            let doc = insyn_store::full::FullExport::from_json(&bytes).map_err(explain)?;
            let store = open(&db).await?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let o = store
                .import_full(&Actor::new("cli"), &doc, &name)
                .await
                .map_err(explain)?;
            let count = |s: &str| doc.rows(s).len();
            println!(
                "imported {} ({}): {} systems, {} units, {} people, {} users, {} entries of audit history (kept as the organisation's imported history)",
                o.name,
                o.slug,
                count("systems"),
                count("units"),
                count("people"),
                count("users"),
                doc.audit_appendix.len()
            );
            if count("users") > 0 {
                println!(
                    "users have no password here: set one with `insyn user reset-password --email …`, or sign in with OpenID Connect"
                );
            }
            Ok(())
        }
        Command::Audit(AuditCommand::Verify { db }) => {
            let file = db.audit.checkpoint_file(db.database_url.as_deref());
            let checkpoints =
                insyn_store::audit::read_checkpoints(&file).map_err(anyhow::Error::msg)?;
            let store = open(&db).await?;
            let report = insyn_store::audit::verify_against(&store.db, &checkpoints).await;
            store.db.close().await;
            let report = report?;
            match report.verdict {
                Verified::Intact(n) => {
                    println!("audit trail intact: {n} entries checked");
                    match report.keyed_from {
                        Some(first) if report.unkeyed > 0 => println!(
                            "  sealed with the audit key from entry {first} on; the {} entries before it were written before the key existed and are only hash-chained",
                            report.unkeyed
                        ),
                        Some(_) => println!("  every entry is sealed with the audit key"),
                        None if n > 0 => println!(
                            "  warning: no entry is sealed with an audit key: someone who can change the database could rewrite the trail and chain it again"
                        ),
                        None => {}
                    }
                    if report.checkpoints > 0 {
                        println!(
                            "  {} signed checkpoint{} in {} match{} the trail",
                            report.checkpoints,
                            if report.checkpoints == 1 { "" } else { "s" },
                            file.display(),
                            if report.checkpoints == 1 { "es" } else { "" }
                        );
                    } else if n > 0 {
                        println!(
                            "  warning: no checkpoints in {}: removing the newest entries cannot be detected (run `insyn audit checkpoint`, or insyn serve, which writes them)",
                            file.display()
                        );
                    }
                    Ok(())
                }
                Verified::Broken { seq, id, reason } => {
                    let id = id.map(|i| format!(" ({i})")).unwrap_or_default();
                    anyhow::bail!("audit trail broken at entry {seq}{id}: {reason}")
                }
            }
        }
        Command::Audit(AuditCommand::Checkpoint { out, db }) => {
            let file = out.unwrap_or_else(|| db.audit.checkpoint_file(db.database_url.as_deref()));
            let store = open(&db).await?;
            let written = store.audit_checkpoint(&file).await;
            store.db.close().await;
            match written.map_err(explain)? {
                Some(c) => println!(
                    "checkpoint of entry {} written to {} (key {})",
                    c.seq,
                    file.display(),
                    c.key_id
                ),
                None => println!(
                    "nothing to add: the audit trail is empty, or the last checkpoint in {} names its newest entry already",
                    file.display()
                ),
            }
            Ok(())
        }
        Command::Audit(AuditCommand::RotateKey { db }) => {
            if db.audit.audit_key.is_some() {
                anyhow::bail!(
                    "the audit key comes from INSYN_AUDIT_KEY here: rotate it where that is set (add a new key after the \
                     old ones, separated by a space), or keep the keys in a file (--audit-key-file) and run this again"
                );
            }
            let file = db.audit.key_file(db.database_url.as_deref());
            let id = audit::add_key(&file)?;
            println!(
                "new audit key {id} added to {}: it seals the audit trail from the next start of insyn on \
                 (restart insyn serve). Keep the earlier keys in the file: they verify older entries.",
                file.display()
            );
            Ok(())
        }
    }
}

/// The message for a file that cannot be imported (it names the limit a
/// file went over, and what the file had).
fn import_refusal(e: &insyn_io::ReadError) -> anyhow::Error {
    anyhow::anyhow!(insyn_web::i18n::Lang::En.t_args(e.code(), &e.args()))
}

/// Reads a file to import, refusing one over the size limit before reading it.
pub fn read_import_file(path: &std::path::Path) -> Result<Vec<u8>> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("could not read {}", path.display()))?
        .len();
    if size > insyn_io::LIMITS.file_bytes {
        let over = insyn_io::OverLimit::new(insyn_io::Limit::FileBytes, size);
        return Err(import_refusal(&over.into()));
    }
    std::fs::read(path).with_context(|| format!("could not read {}", path.display()))
}

/// Reads a spreadsheet into records, or says clearly why it cannot.
pub fn parse_spreadsheet(name: &str, bytes: &[u8]) -> Result<Vec<insyn_io::Record>> {
    insyn_io::parse_file(name, bytes).map_err(|e| import_refusal(&e))
}

/// Reads a spreadsheet into records with a remembered column mapping
/// (normalised title → field, see `Store::import_mapping`).
pub fn parse_spreadsheet_mapped(
    name: &str,
    bytes: &[u8],
    remembered: &insyn_store::mapping::Mapping,
) -> Result<Vec<insyn_io::Record>> {
    insyn_io::parse_file_mapped(name, bytes, remembered, None)
        .map(|(_, records)| records)
        .map_err(|e| import_refusal(&e))
}

/// The report of an import as text: one line per row, then totals.
pub fn report_text(r: &insyn_store::import::ImportReport) -> String {
    use std::fmt::Write;
    let lang = insyn_web::i18n::Lang::En;
    let mut out = String::new();
    for row in &r.rows {
        let _ = writeln!(
            out,
            "row {:>4}  {:<9} {}",
            row.row,
            format!("{:?}", row.action).to_lowercase(),
            row.name
        );
        for (column, code, value, error) in &row.issues {
            // Headers broken over lines ("Avdel-\nning") read as one line.
            let column = column.replace("-\n", "").replace('\n', " ");
            let _ = writeln!(
                out,
                "          {} [{column}] {}{}",
                if *error { "error:  " } else { "warning:" },
                lang.t(code),
                if value.is_empty() {
                    String::new()
                } else {
                    format!(" ({value})")
                }
            );
        }
    }
    let _ = writeln!(
        out,
        "{}{} created, {} updated, {} unchanged, {} skipped; {} units, {} people, {} products created; {} roles assigned; {} errors, {} warnings",
        if r.dry_run {
            "dry run (nothing changed): "
        } else {
            ""
        },
        r.created,
        r.updated,
        r.unchanged,
        r.skipped,
        r.units_created.len(),
        r.people_created.len(),
        r.products_created.len(),
        r.roles_assigned,
        r.errors(),
        r.warnings()
    );
    out
}

/// A password from standard input (first line), or a generated one.
fn password_from_stdin() -> Result<(String, bool)> {
    let mut input = String::new();
    if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        std::io::stdin().read_to_string(&mut input)?;
    }
    let pw = input.lines().next().unwrap_or("").to_owned();
    if pw.is_empty() {
        Ok((insyn_store::users::new_secret()[..20].to_owned(), true))
    } else {
        Ok((pw, false))
    }
}

/// Turns validation errors into a readable message.
fn explain(e: StoreError) -> anyhow::Error {
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

/// The demo's sign-ins, one per application role, and a system owner who
/// has no application role beyond reading but may edit the systems they own.
/// (e-mail, name, role, password)
pub const DEMO_LOGINS: &[(&str, &str, AppRole, &str)] = &[
    (
        "admin@exempelstad.se",
        "Ada Administratör",
        AppRole::Administrator,
        "demo-administrator",
    ),
    (
        "sakerhet@exempelstad.se",
        "Sara Säkerhet",
        AppRole::SecurityCoordinator,
        "demo-sakerhetssamordnare",
    ),
    (
        "redaktor@exempelstad.se",
        "Rolf Redaktör",
        AppRole::Editor,
        "demo-redaktor-2026",
    ),
    (
        "revisor@exempelstad.se",
        "Rut Revisor",
        AppRole::Reader,
        "demo-revisor-2026",
    ),
];

/// The demo system owner's password (their e-mail is that of Treserva's owner).
pub const DEMO_OWNER_PASSWORD: &str = "demo-systemagare";

/// Loads the demo municipality when the database is empty.
pub async fn load_demo(store: &Store, systems: usize) -> Result<()> {
    if !store.is_empty().await? {
        tracing::info!("the database already has data; the demo is not loaded again");
        print_demo_logins(store).await;
        return Ok(());
    }
    let started = Instant::now();
    let data = insyn_domain::demo::generate(systems);
    let kommun = data.orgs[0].id;
    store
        .load_demo(data)
        .await
        .context("could not load the demo data")?;
    let actor = Actor::new("insyn demo");
    for (email, name, role, password) in DEMO_LOGINS {
        let org_id = (*role != AppRole::Administrator).then_some(kommun);
        store
            .create_user(
                &actor,
                email,
                name,
                Some(password),
                &[Grant {
                    org_id,
                    role: *role,
                }],
            )
            .await
            .map_err(explain)?;
    }
    if let Some((email, name)) = demo_owner(store, kommun).await? {
        store
            .create_user(
                &actor,
                &email,
                &name,
                Some(DEMO_OWNER_PASSWORD),
                &[Grant {
                    org_id: Some(kommun),
                    role: AppRole::Reader,
                }],
            )
            .await
            .map_err(explain)?;
    }
    demo_policy(store, kommun).await.map_err(explain)?;
    print_demo_logins(store).await;
    tracing::info!(
        systems,
        seconds = started.elapsed().as_secs_f64(),
        "demo municipality loaded"
    );
    Ok(())
}

/// The demo follows Söderköping's guideline (Treserva is its example), and
/// the demo security coordinator holds that role, so that "Mina uppgifter"
/// and the compliance dashboard have something to show.
async fn demo_policy(store: &Store, org: insyn_domain::OrgId) -> insyn_store::db::Result<()> {
    let actor = Actor::new("insyn demo");
    store.adopt_profile(&actor, org, "soderkoping").await?;
    let Some(top) = store
        .list_units(org)
        .await?
        .into_iter()
        .find(|u| u.parent_id.is_none())
    else {
        return Ok(());
    };
    let sara = store
        .create_person(
            &actor,
            org,
            insyn_domain::PersonDraft {
                name: "Sara Säkerhet".into(),
                email: Some("sakerhet@exempelstad.se".into()),
                title: Some("IT-säkerhetssamordnare".into()),
                unit_id: Some(top.id),
                active: true,
            },
        )
        .await?;
    let coordinator = store
        .list_role_types(org)
        .await?
        .into_iter()
        .find(|r| r.code == insyn_domain::policy::COORDINATOR);
    if let Some(rt) = coordinator {
        store
            .assign_role(
                &actor,
                org,
                insyn_domain::AssignmentDraft {
                    role_type_id: rt.id,
                    person_id: sara.id,
                    system_id: None,
                    unit_id: Some(top.id),
                    start_date: chrono::Utc::now().date_naive(),
                    end_date: None,
                    note: None,
                },
            )
            .await?;
    }
    Ok(())
}

/// The person who owns Treserva in the demo: a system owner with no
/// application role beyond reading.
async fn demo_owner(store: &Store, org: insyn_domain::OrgId) -> Result<Option<(String, String)>> {
    let filter = insyn_domain::SystemFilter {
        q: Some("Treserva".into()),
        ..Default::default()
    };
    let page = store
        .list_systems(org, &filter, Default::default(), false, Default::default())
        .await?;
    let Some(owner) = page.items.first().and_then(|s| s.owners.first()) else {
        return Ok(None);
    };
    let p = store.get_person(org, owner.0).await?;
    Ok(p.email.map(|e| (e, p.name)))
}

async fn print_demo_logins(store: &Store) {
    println!("demo logins (e-mail / password):");
    for (email, _, role, password) in DEMO_LOGINS {
        if store.user_by_email(email).await.is_ok() {
            println!("  {:<22} {email} / {password}", role.as_str());
        }
    }
    if let Ok(Some(owner)) = store.list_users().await.map(|u| {
        u.into_iter()
            .find(|u| !DEMO_LOGINS.iter().any(|d| d.0 == u.email))
    }) {
        println!(
            "  {:<22} {} / {DEMO_OWNER_PASSWORD} (system owner of Treserva; may edit it)",
            "system owner", owner.email
        );
    }
}

/// Serves until Ctrl-C or SIGTERM. The caller closes the database.
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
            ..Default::default()
        })
    }
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
