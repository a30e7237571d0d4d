//! A real SMTP server for the mail tests.

use crate::TempDirGuard;
use crate::process::free_port;
use serde_json::Value;

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
