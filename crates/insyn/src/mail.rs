//! Sending the outbox by SMTP, and the worker that `insyn serve` runs.
//!
//! Mail is queued in the database (`insyn_store::outbox::enqueue`, in the
//! transaction that decides it) and sent from here after commit: every
//! `--mail-interval` the worker first queues the reminders due today
//! ([`Store::queue_reminders`]) and then calls [`send_pending`]. Several
//! servers may run the worker against one database: each mail is claimed by
//! one of them at a time. Delivery is at least once: a worker that dies
//! after the SMTP server accepted a mail and before it was marked sent
//! leaves it to be sent again when its lease expires (see
//! `insyn_store::outbox`). The Message-ID is the outbox row's, so a resent
//! mail carries the same one as the first.

use anyhow::{Context, Result, bail};
use clap::Args;
use insyn_store::{ClaimedMail, Store, redact};
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How many mails a worker claims at a time.
pub const BATCH: i64 = 20;
/// How long a claim holds. A batch that is not done within half of it hands
/// back what it has not tried, so a slow worker is never overtaken.
pub const LEASE: Duration = Duration::from_secs(15 * 60);
/// How long one SMTP command may take.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Mail settings of `insyn serve`, `insyn demo` and `insyn mail send-once`.
#[derive(Debug, Args, Clone, Default)]
pub struct MailArgs {
    /// The SMTP server: smtp://host:port (plain, e.g. a relay on the same
    /// network), smtp://host:587?tls=required (STARTTLS) or smtps://host:465
    /// (TLS), with user:password@ before the host to log in. Without it,
    /// mail is kept in the outbox and not sent.
    #[arg(long, env = "INSYN_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// A file whose content (trailing line break removed) is the SMTP URL;
    /// keeps the password out of the process list.
    #[arg(long, env = "INSYN_SMTP_URL_FILE")]
    pub smtp_url_file: Option<PathBuf>,
    /// The sender, e.g. "insyn <insyn@kommun.se>". Needed with an SMTP server.
    #[arg(long, env = "INSYN_MAIL_FROM")]
    pub mail_from: Option<String>,
}

/// The longest public address taken.
pub const PUBLIC_URL_MAX: usize = 200;

/// `--public-url` (the option is `OidcArgs::public_url`, shared by sign-in
/// and mail): an http:// or https:// address with a host and no query
/// or fragment, without its trailing `/`.
pub fn public_url(s: &str) -> Result<String, String> {
    let s = s.trim().trim_end_matches('/');
    if s.is_empty() {
        return Ok(String::new());
    }
    let host = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or(
            "the public URL must start with https:// (or http://), e.g. https://insyn.kommun.se",
        )?;
    if s.len() > PUBLIC_URL_MAX {
        return Err(format!(
            "the public URL may be at most {PUBLIC_URL_MAX} characters"
        ));
    }
    let authority = host.split('/').next().unwrap_or_default();
    if authority.is_empty() || authority.starts_with(':') {
        return Err("the public URL names no host, e.g. https://insyn.kommun.se".into());
    }
    if let Some(c) = s.chars().find(|c| {
        c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '@' | '"' | '<' | '>')
    }) {
        return Err(format!(
            "the public URL may not contain {c:?}: give only the address insyn is reached at"
        ));
    }
    Ok(s.to_owned())
}

impl MailArgs {
    /// The mailer, or None when no SMTP server is configured.
    pub fn mailer(&self) -> Result<Option<Mailer>> {
        let url = match (&self.smtp_url, &self.smtp_url_file) {
            (Some(_), Some(_)) => {
                bail!("give the SMTP server once: --smtp-url or --smtp-url-file, not both")
            }
            (Some(u), None) => u.trim().to_owned(),
            (None, Some(path)) => std::fs::read_to_string(path)
                .with_context(|| format!("could not read the SMTP URL file {}", path.display()))?
                .trim()
                .to_owned(),
            (None, None) => return Ok(None),
        };
        if url.is_empty() {
            return Ok(None);
        }
        let from = self
            .mail_from
            .as_deref()
            .filter(|f| !f.trim().is_empty())
            .context("--smtp-url needs --mail-from (INSYN_MAIL_FROM): the sender's address")?;
        Mailer::new(&url, from).map(Some)
    }
}

/// An SMTP connection's settings and the sender; opens a connection per mail.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The URL without its password, for logs.
    shown: String,
    /// insyn's own address for full links in mails (`--public-url`).
    public_url: Option<String>,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("smtp", &self.shown)
            .field("from", &self.from.to_string())
            .finish()
    }
}

impl Mailer {
    /// `smtp_url` as [`MailArgs::smtp_url`] describes it; `from` an address
    /// with or without a name.
    pub fn new(smtp_url: &str, from: &str) -> Result<Self> {
        let shown = redact(smtp_url);
        let from: Mailbox = from
            .trim()
            .parse()
            .with_context(|| format!("--mail-from is not an e-mail address: {from:?}"))?;
        let plain = smtp_url.starts_with("smtp://") && !smtp_url.contains("tls=");
        if plain && smtp_url.contains('@') {
            tracing::warn!(smtp = %shown, "the SMTP password would travel unencrypted: use smtps:// or ?tls=required");
        }
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .with_context(|| format!("not an SMTP URL that insyn understands: {shown}"))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(Self {
            transport,
            from,
            shown,
            public_url: None,
        })
    }

    /// The mailer whose reminder mails link to insyn at `public_url` (as
    /// [`public_url`] returns it).
    pub fn with_public_url(self, public_url: Option<String>) -> Self {
        Self { public_url, ..self }
    }

    /// The server, without a password.
    pub fn server(&self) -> &str {
        &self.shown
    }

    /// Hands one mail to the SMTP server; Ok once the server accepted it.
    pub async fn send(&self, mail: &ClaimedMail) -> Result<(), SendError> {
        let to: Mailbox = mail.recipient.trim().parse().map_err(|e| {
            SendError::Permanent(format!("not an e-mail address: {:?} ({e})", mail.recipient))
        })?;
        let domain = self.from.email.domain().to_owned();
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .message_id(Some(format!("<{}@{domain}>", mail.id.simple())))
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| SendError::Permanent(format!("the mail could not be built: {e}")))?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            // A 5xx answer (e.g. no such mailbox): trying again will not help.
            Err(e) if e.is_permanent() => Err(SendError::Permanent(error_chain(&e))),
            Err(e) => Err(SendError::Transient(error_chain(&e))),
        }
    }
}

/// Why a mail was not sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Worth trying again later: the server is down, busy or slow.
    #[error("{0}")]
    Transient(String),
    /// Not worth trying again: a bad address, a permanent refusal.
    #[error("{0} (permanent)")]
    Permanent(String),
}

/// An error and its causes on one line.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(c) = source {
        let text = c.to_string();
        if !s.contains(&text) {
            s.push_str(": ");
            s.push_str(&text);
        }
        source = c.source();
    }
    s
}

/// A name for this process's worker in `claimed_by`: host, process id and a
/// random part, so that two workers never share one.
pub fn worker_id() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "insyn".to_owned());
    let random = uuid::Uuid::new_v4().simple().to_string();
    format!("{host}:{}:{}", std::process::id(), &random[..8])
}

/// Sends what is due in the outbox: claims mails in batches for
/// `worker`, hands each to the SMTP server, and marks it sent or failed
/// (failed mails are retried later, see `insyn_store::outbox`). Returns how
/// many were sent. Stops when nothing more can be claimed.
pub async fn send_pending(store: &Store, mailer: &Mailer, worker: &str) -> Result<usize> {
    let mut sent = 0;
    loop {
        let batch = store.claim_mail(worker, BATCH, LEASE).await?;
        let claimed = batch.len();
        let started = Instant::now();
        for (i, mail) in batch.iter().enumerate() {
            if started.elapsed() > LEASE / 2 {
                let rest: Vec<_> = batch[i..].iter().map(|m| m.id).collect();
                store.release_mail(worker, &rest).await?;
                tracing::warn!(
                    left = rest.len(),
                    "sending is slow: the rest of the batch is handed back for later"
                );
                return Ok(sent);
            }
            match mailer.send(mail).await {
                Ok(()) => {
                    store.mark_sent(mail.id).await?;
                    sent += 1;
                }
                Err(e) => {
                    tracing::warn!(
                        id = %mail.id,
                        attempt = mail.attempts,
                        smtp = %mailer.server(),
                        "a mail could not be sent: {e}"
                    );
                    match e {
                        SendError::Transient(m) => store.mark_failed(mail.id, &m).await?,
                        SendError::Permanent(m) => store.give_up_mail(mail.id, &m).await?,
                    }
                }
            }
        }
        if claimed < BATCH as usize {
            return Ok(sent);
        }
    }
}

/// How often the worker looks for new reminders: they are daily matters, and
/// looking means judging every system of every organisation.
pub const REMINDER_EVERY: Duration = Duration::from_secs(3600);

/// One round of the worker: queue the reminders due today (when `remind`),
/// then send what is pending. Without an SMTP server nothing is queued or
/// sent: reminders queued then would only go out late.
pub async fn round(
    store: &Store,
    mailer: Option<&Mailer>,
    worker: &str,
    remind: bool,
) -> Result<usize> {
    let Some(m) = mailer else {
        return Ok(0);
    };
    if remind {
        let today = chrono::Local::now().date_naive();
        let queued = store
            .queue_reminders_linked(today, m.public_url.as_deref())
            .await
            .context("queueing reminders")?;
        if queued > 0 {
            tracing::info!(queued, "reminders queued");
        }
        let queued = store
            .queue_incident_reminders(chrono::Utc::now(), m.public_url.as_deref())
            .await
            .context("queueing incident reminders")?;
        if queued > 0 {
            tracing::info!(queued, "incident reminders queued");
        }
        let queued = store
            .queue_contract_reminders(today, m.public_url.as_deref())
            .await
            .context("queueing contract reminders")?;
        if queued > 0 {
            tracing::info!(queued, "contract reminders queued");
        }
        let queued = store
            .queue_processor_reminders(today, m.public_url.as_deref())
            .await
            .context("queueing processor review reminders")?;
        if queued > 0 {
            tracing::info!(queued, "processor review reminders queued");
        }
    }
    send_pending(store, m, worker).await
}

/// The worker that `insyn serve` runs (also the webhook worker);
/// [`MailWorker::halter`] keeps it from starting another round,
/// [`MailWorker::stop`] then waits for the round in progress.
pub struct MailWorker {
    pub(crate) stop: std::sync::Arc<tokio::sync::watch::Sender<bool>>,
    pub(crate) task: tokio::task::JoinHandle<()>,
}

/// How long [`MailWorker::stop`] lets a round in progress finish.
pub const STOP_GRACE: Duration = Duration::from_secs(40);

impl MailWorker {
    /// What keeps the worker from starting another round (a round in
    /// progress goes on): called as soon as a shutdown begins, before the
    /// server drains its requests.
    pub fn halter(&self) -> impl Fn() + Send + Sync + 'static {
        let stop = self.stop.clone();
        move || {
            let _ = stop.send(true);
        }
    }

    /// Lets a round in progress finish (up to [`STOP_GRACE`]; a mail cut
    /// off in the middle is sent again after its lease), then ends the worker.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let abort = self.task.abort_handle();
        if tokio::time::timeout(STOP_GRACE, self.task).await.is_err() {
            tracing::warn!("the mail worker did not finish its round in time; stopped");
            abort.abort();
        }
    }
}

/// Starts the worker that `insyn serve` runs: a round every `interval`,
/// the first at once. Without a mailer it still queues reminders, and says
/// once, now, that mail is not sent.
pub fn spawn_worker(store: Store, mailer: Option<Mailer>, interval: Duration) -> MailWorker {
    spawn_worker_with(store, mailer, interval, None)
}

/// [`spawn_worker`] that counts its reminder rounds in `metrics`.
pub fn spawn_worker_with(
    store: Store,
    mailer: Option<Mailer>,
    interval: Duration,
    metrics: Option<std::sync::Arc<insyn_web::metrics::Metrics>>,
) -> MailWorker {
    let worker = worker_id();
    match &mailer {
        Some(m) => {
            tracing::info!(smtp = %m.server(), worker = %worker, every_s = interval.as_secs(), "sending mail from the outbox")
        }
        None => tracing::info!(
            "no SMTP server configured (--smtp-url, INSYN_SMTP_URL): mail is kept in the outbox and not sent"
        ),
    }
    let mut reminded: Option<std::time::Instant> = None;
    spawn_rounds(interval, move || {
        let remind = reminded.is_none_or(|t| t.elapsed() >= REMINDER_EVERY);
        if remind {
            reminded = Some(std::time::Instant::now());
        }
        let (store, mailer, worker, metrics) = (
            store.clone(),
            mailer.clone(),
            worker.clone(),
            metrics.clone(),
        );
        async move {
            let result = round(&store, mailer.as_ref(), &worker, remind).await;
            // A round looks for reminders only with a mailer (see `round`).
            if remind
                && mailer.is_some()
                && let Some(m) = &metrics
            {
                m.reminder_round();
            }
            match result {
                Ok(0) => {}
                Ok(n) => tracing::info!(sent = n, "mail sent"),
                Err(e) => tracing::warn!("the mail worker failed this round: {e:#}"),
            }
        }
    })
}

/// A worker running `round` every `interval` (the first at once) until it
/// is halted: once halted it starts no round, even when one is due.
pub(crate) fn spawn_rounds<F, R>(interval: Duration, mut round: F) -> MailWorker
where
    F: FnMut() -> R + Send + 'static,
    R: std::future::Future<Output = ()> + Send,
{
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(async move {
        let mut tick = tokio::time::interval(interval.max(Duration::from_secs(1)));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stopped.changed() => return,
            }
            // Both may have been ready: a halt wins over a due round.
            if *stopped.borrow() {
                return;
            }
            round().await;
        }
    });
    MailWorker {
        stop: std::sync::Arc::new(stop),
        task,
    }
}

/// `insyn mail …`: send the outbox once, or say what is in it.
pub async fn command(cmd: crate::cli::MailCommand) -> Result<()> {
    use crate::cli::MailCommand;
    match cmd {
        MailCommand::SendOnce { mail: args, db } => {
            let mailer = args.mailer()?.context(
                "no SMTP server: give --smtp-url (INSYN_SMTP_URL) and --mail-from (INSYN_MAIL_FROM)",
            )?;
            let store = crate::open(&db).await?;
            let sent = send_pending(&store, &mailer, &worker_id()).await;
            store.db.close().await;
            println!("{} mails sent", sent?);
            Ok(())
        }
        MailCommand::Status { org, db } => {
            let store = crate::open(&db).await?;
            let org_id = match org {
                Some(slug) => Some(crate::org_id(&store, &slug).await?),
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
    }
}

#[cfg(test)]
mod tests {
    use super::public_url;

    #[test]
    fn the_public_url_is_an_http_address_without_its_last_slash() {
        assert_eq!(
            public_url(" https://insyn.kommun.se/ ").unwrap(),
            "https://insyn.kommun.se"
        );
        assert_eq!(
            public_url("http://10.0.0.5:8080/insyn").unwrap(),
            "http://10.0.0.5:8080/insyn"
        );
        assert_eq!(public_url("").unwrap(), "");
        for bad in [
            "insyn.kommun.se",
            "ftp://x.se",
            "https://",
            "https://:443",
            "https://x.se/?a=1",
            "https://x.se/a b",
        ] {
            assert!(public_url(bad).is_err(), "{bad}");
        }
        assert!(public_url(&format!("https://{}.se", "a".repeat(200))).is_err());
    }
}
