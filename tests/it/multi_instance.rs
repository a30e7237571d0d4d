//! Several insyn instances on one PostgreSQL behind a load balancer (issue
//! 21): two `insyn serve` processes on one fresh database behind haproxy
//! (round-robin, no stickiness), and a person who signs in with a password
//! and with OpenID Connect, loads pages, imports a spreadsheet and approves
//! a security plan through the proxy, while both instances' mail workers
//! send the reminders. Every step that spans two requests is checked to
//! have been served by both instances (haproxy names the server in a
//! response header of the test's own configuration), so state kept in one
//! process's memory would fail it.
//!
//! PostgreSQL only: several processes on one SQLite file is not a supported
//! installation. Needs `haproxy` (Debian package; `scripts/test.sh`
//! installs it), Node.js for the OpenID provider and aiosmtpd for the mail.

use crate::http_oidc::{Browser, CLIENT_ID, CLIENT_SECRET, Page, Provider, ROLE_MAP};
use insyn_domain::security::PlanAction;
use insyn_domain::{AppRole, Grant, OrgId, SystemDraft, SystemId};
use insyn_store::Store;
use insyn_tests::{
    REMINDERS_PROFILE, Scenario, SmtpServer, TempDirGuard, actor, free_port, insyn_bin,
    io_testdata, url_of,
};
use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The header the test's haproxy adds: which server answered.
const SERVED_BY: &str = "x-served-by";
const PASSWORD: &str = "ett långt lösenord för test";
/// One audit key for both instances (they seal one trail).
const AUDIT_KEY: &str = "multi-instance-audit-key-of-at-least-32-characters";

/// A child process, killed when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits until `url` answers 200 (a minute at most).
async fn ready(url: &str, what: &str, proc: &mut Running) {
    let http = reqwest::Client::new();
    for _ in 0..240 {
        if let Ok(Some(status)) = proc.0.try_wait() {
            panic!("{what} exited at start ({status})");
        }
        if http
            .get(url)
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("{what} did not answer at {url}");
}

/// `insyn serve` on `port`, its output in `dir`.
fn instance(
    name: &str,
    port: u16,
    db: &str,
    dir: &TempDirGuard,
    public_url: &str,
    issuer: &str,
    smtp: &str,
) -> Running {
    let log = |ext: &str| {
        std::fs::File::create(dir.path().join(format!("{name}.{ext}"))).expect("a log file")
    };
    let child = Command::new(insyn_bin())
        .arg("serve")
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .args(["--database-url", db])
        .args([
            "--audit-checkpoint-file",
            &dir.path()
                .join(format!("{name}-checkpoints.jsonl"))
                .display()
                .to_string(),
        ])
        .args(["--trusted-proxy", "127.0.0.1"])
        .args(["--public-url", public_url])
        .args(["--oidc-issuer", issuer, "--oidc-client-id", CLIENT_ID])
        .args(["--oidc-role-map", ROLE_MAP])
        .args(["--smtp-url", smtp, "--mail-from", "insyn@kommunen.se"])
        .args(["--mail-interval", "1"])
        .env("INSYN_AUDIT_KEY", AUDIT_KEY)
        .env("INSYN_OIDC_CLIENT_SECRET", CLIENT_SECRET)
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(log("out"))
        .stderr(log("err"))
        .spawn()
        .expect("insyn serve starts");
    Running(child)
}

/// haproxy in front of the instances: round-robin, no stickiness, and the
/// answering server's name in [`SERVED_BY`].
fn haproxy(port: u16, backends: &[(&str, u16)], dir: &TempDirGuard) -> Running {
    let servers: String = backends
        .iter()
        .map(|(name, p)| format!("    server {name} 127.0.0.1:{p}\n"))
        .collect();
    let config = format!(
        "global\n    maxconn 200\n\
         defaults\n    mode http\n    timeout connect 5s\n    timeout client 60s\n    timeout server 60s\n\
         frontend insyn\n    bind 127.0.0.1:{port}\n    default_backend instances\n\
         backend instances\n    balance roundrobin\n    option forwardfor\n\
         \x20   http-response set-header {SERVED_BY} %[srv_name]\n{servers}"
    );
    let path = dir.path().join("haproxy.cfg");
    std::fs::write(&path, config).expect("the haproxy configuration");
    // Debian puts it in /usr/sbin, which a user's PATH may lack.
    let bin = ["haproxy", "/usr/sbin/haproxy"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("-v")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .expect("haproxy is missing: install the Debian package `haproxy` (scripts/test.sh does)");
    let child = Command::new(bin)
        .args(["-f", &path.display().to_string(), "-db"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.path().join("haproxy.err")).expect("a log file"))
        .spawn()
        .expect("haproxy starts");
    Running(child)
}

/// Counts the page for the instance that served it.
fn tally(served: &mut BTreeMap<String, usize>, p: &Page) {
    *served.entry(served_by(p)).or_default() += 1;
}

fn served_by(p: &Page) -> String {
    p.headers
        .get(SERVED_BY)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no {SERVED_BY} at {}", p.url))
        .to_owned()
}

/// The organisation: Ola (a user with a password, editor, owner of the
/// business-critical Lönesystem with a submitted security plan) and the
/// reminders profile, so each mail worker has a reminder to send.
async fn setup(store: &Store) -> anyhow::Result<(OrgId, SystemId, String)> {
    let k = Scenario::new(store, "kommunen").await?;
    store
        .save_profile(&actor(), k.org, REMINDERS_PROFILE, None)
        .await?;
    let mut d = SystemDraft::named("Lönesystem");
    d.business_critical = true;
    let lon = store.create_system(&actor(), k.org, d).await?;
    k.owner(&lon, "Ola Ägare", "ola@kommunen.se").await?;
    store
        .create_user(
            &actor(),
            "ola@kommunen.se",
            "Ola Ägare",
            Some(PASSWORD),
            &[Grant {
                org_id: Some(k.org),
                role: AppRole::Editor,
            }],
        )
        .await?;
    let plan = store.new_plan_version(&actor(), k.org, lon.id).await?;
    let sections = insyn_domain::security::PLAN_SECTIONS
        .iter()
        .map(|s| ((*s).to_owned(), format!("Text om {s}.")))
        .collect();
    store
        .edit_plan(&actor(), k.org, lon.id, plan.id, sections)
        .await?;
    store
        .move_plan(&actor(), k.org, lon.id, plan.id, PlanAction::Submit)
        .await?;
    Ok((k.org, lon.id, plan.id.to_string()))
}

#[tokio::test]
async fn two_instances_behind_a_round_robin_proxy_share_sign_in_import_and_reminders() {
    let store = insyn_tests::pg_store().await;
    insyn_tests::check(run(&store).await);
    insyn_tests::drop_pg_store(store).await;
}

async fn run(store: &Store) -> anyhow::Result<()> {
    let (org, system, plan) = setup(store).await?;
    let dir = TempDirGuard::new();
    let (proxy_port, port_a, port_b) = (free_port(), free_port(), free_port());
    let base = format!("http://127.0.0.1:{proxy_port}");
    let provider = Provider::start(&format!("{base}/login/oidc/callback"));
    let smtp = SmtpServer::start().await;
    let db = url_of(store);
    let mut a = instance("a", port_a, &db, &dir, &base, &provider.issuer, &smtp.url());
    let mut b = instance("b", port_b, &db, &dir, &base, &provider.issuer, &smtp.url());
    ready(
        &format!("http://127.0.0.1:{port_a}/healthz"),
        "instance a",
        &mut a,
    )
    .await;
    ready(
        &format!("http://127.0.0.1:{port_b}/healthz"),
        "instance b",
        &mut b,
    )
    .await;
    let mut proxy = haproxy(proxy_port, &[("a", port_a), ("b", port_b)], &dir);
    ready(&format!("{base}/healthz"), "haproxy", &mut proxy).await;
    let url = |path: &str| format!("{base}{path}");
    let mut served: BTreeMap<String, usize> = BTreeMap::new();

    // Password sign-in, then pages: every one signed in, whichever instance answers.
    let mut ola = Browser::new();
    let login = ola
        .post(
            &url("/login"),
            &[
                ("email", "ola@kommunen.se"),
                ("password", PASSWORD),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(login.status, 303, "{}", login.body);
    assert!(login.sets_session());
    tally(&mut served, &login);
    for path in [
        "/o/kommunen/systems",
        "/o/kommunen/tasks",
        "/account",
        "/o/kommunen/systems",
    ] {
        let page = ola.get(&url(path)).await;
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        page.assert_text_contains("Ola Ägare");
        tally(&mut served, &page);
    }

    // The back-off is one for all instances: five wrong passwords spread
    // over both, and the next attempt waits whichever instance it reaches.
    let mut guesser = Browser::new();
    let mut guessed_on = vec![];
    for _ in 0..insyn_domain::back_off::FREE_PER_ACCOUNT {
        let r = guesser
            .post(
                &url("/login"),
                &[("email", "ola@kommunen.se"), ("password", "gissning")],
            )
            .await;
        assert_eq!(r.status, 401, "{}", r.body);
        guessed_on.push(served_by(&r));
    }
    assert!(
        guessed_on.contains(&"a".to_owned()) && guessed_on.contains(&"b".to_owned()),
        "the guesses reached both instances: {guessed_on:?}"
    );
    for _ in 0..2 {
        let r = guesser
            .post(
                &url("/login"),
                &[("email", "ola@kommunen.se"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(r.status, 429, "on {}: {}", served_by(&r), r.body);
    }

    // A spreadsheet: uploaded on one instance, confirmed on the other.
    let dry = ola
        .post_file(
            &url("/o/kommunen/import"),
            "asr-messy.xlsx",
            &io_testdata("asr-messy.xlsx"),
        )
        .await;
    assert_eq!(dry.status, 200, "{}", dry.body);
    dry.assert_text_contains("Så här skulle importen bli");
    let token: String = dry
        .body
        .split("/o/kommunen/import/")
        .nth(1)
        .map(|s| s.chars().take(64).collect())
        .expect("a confirm form");
    let confirmed = ola
        .post(&url(&format!("/o/kommunen/import/{token}")), &[])
        .await;
    assert_eq!(confirmed.status, 303, "{}", confirmed.body);
    assert_ne!(
        served_by(&dry),
        served_by(&confirmed),
        "upload and confirmation on different instances"
    );
    // The job runs on the instance that took the confirmation; its
    // progress and result are read on both.
    let job = confirmed.location();
    let api = job.replacen("/o/", "/api/v1/orgs/", 1);
    let done = loop {
        let status = ola.get(&api).await;
        assert_eq!(status.status, 200, "{}", status.body);
        let state: serde_json::Value = serde_json::from_str(&status.body)?;
        if state["state"] == "done" {
            break ola.get(&job).await;
        }
        assert_eq!(state["state"], "running", "{}", status.body);
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(done.status, 200, "{}", done.body);
    done.assert_text_contains("Importen är klar");
    let again = ola
        .post(&url(&format!("/o/kommunen/import/{token}")), &[])
        .await;
    assert_eq!(
        again.status, 410,
        "a confirmed upload is gone on every instance"
    );
    tally(&mut served, &dry);
    tally(&mut served, &done);

    // The owner approves the security plan.
    let approve = url(&format!("/o/kommunen/systems/{system}/plan/{plan}/approve"));
    let approved = ola.post(&approve, &[]).await;
    assert!(
        approved.is_redirect(),
        "{}: {}",
        approved.status,
        approved.body
    );
    tally(&mut served, &approved);
    let security = ola.get(&approved.location()).await;
    assert_eq!(security.status, 200, "{}", security.body);
    tally(&mut served, &security);
    let plans = store.plans(org, system).await?;
    assert_eq!(
        plans.iter().map(|p| p.status.as_str()).collect::<Vec<_>>(),
        ["approved"]
    );

    // OpenID Connect: started on one instance, the provider's answer taken
    // on the other, and a replayed answer refused on the first.
    let mut kim = Browser::new();
    let start = kim.get(&url("/login/oidc?next=/o/kommunen/systems")).await;
    assert_eq!(start.status, 303, "{}", start.body);
    let mut page = kim.get(&start.location()).await;
    let back = loop {
        if page.is_redirect() {
            let to = page.location();
            if to.starts_with(&url("/login/oidc/callback")) {
                break to;
            }
            page = kim.get(&to).await;
            continue;
        }
        assert_eq!(page.status, 200, "at {}: {}", page.url, page.body);
        let action = insyn_tests::attr_values(&page.body, "action")
            .into_iter()
            .find(|a| a.ends_with("/login"))
            .unwrap_or_else(|| panic!("no login form at {}: {}", page.url, page.body));
        page = kim.post(&page.resolve(&action), &[("login", "kim")]).await;
    };
    let signed_in = kim.get(&back).await;
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);
    assert!(signed_in.sets_session());
    assert_ne!(
        served_by(&start),
        served_by(&signed_in),
        "the flow started and finished on different instances"
    );
    let replay = kim.get(&back).await;
    assert_eq!(replay.status, 400, "a replayed callback is refused");
    let systems = kim.get(&url("/o/kommunen/systems")).await;
    assert_eq!(systems.status, 200, "{}", systems.body);
    systems.assert_text_contains("Kim Kommun");
    for p in [&start, &signed_in, &replay, &systems] {
        tally(&mut served, p);
    }
    assert_eq!(
        store.oidc_flows_waiting().await?,
        0,
        "no flow's secrets are kept after the callback"
    );

    // Both instances served, about as often as each other.
    assert_eq!(served.len(), 2, "{served:?}");
    assert!(served.values().all(|n| *n >= 5), "{served:?}");

    // Both mail workers ran their rounds: each reminder was mailed once.
    let mut mails = vec![];
    for _ in 0..60 {
        mails = smtp.messages();
        if mails.iter().any(|m| m.rcpt_to == ["ola@kommunen.se"]) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // A few more rounds of both workers.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let mails = smtp.messages();
    let mut each: BTreeMap<(Vec<String>, String), usize> = BTreeMap::new();
    for m in &mails {
        *each
            .entry((m.rcpt_to.clone(), m.subject.clone()))
            .or_default() += 1;
    }
    assert!(
        each.keys().any(|(to, _)| to == &["ola@kommunen.se"]),
        "Ola was reminded: {each:?}"
    );
    assert!(each.values().all(|n| *n == 1), "each mail once: {each:?}");
    drop(proxy);
    drop((a, b));
    Ok(())
}
