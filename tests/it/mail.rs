//! The e-mail outbox and sending it by SMTP, against a real SMTP server
//! (`aiosmtpd`, started per test on a free port; see
//! `insyn_tests::SmtpServer`), on SQLite and PostgreSQL.

use insyn::mail::{Mailer, send_pending};
use insyn_store::db::Queryable as _;
use insyn_store::outbox::{MAX_ATTEMPTS, enqueue};
use insyn_store::{MailState, OutboxMail, Store, params};
use insyn_tests::{SmtpServer, dual_test, free_port, insyn_bin, org_id, url_of};
use std::collections::BTreeMap;

const FROM: &str = "Insyn Exempelstad <insyn@exempelstad.se>";
const SUBJECT: &str = "Påminnelse: årlig översyn av Ärendehanteringssystemet, åäö ÅÄÖ";
const BODY: &str = "Hej Örjan!\n\nDen årliga översynen av Ärendehanteringssystemet ska göras \
                    senast 2026-12-31.\nSäkerhetsklassningen (KLASSA) behöver förnyas.\n\n\
                    Vänliga hälsningar\ninsyn\n";

fn mail(key: &str, to: &str) -> OutboxMail {
    OutboxMail {
        org_id: None,
        dedupe_key: key.to_owned(),
        recipient: to.to_owned(),
        subject: SUBJECT.to_owned(),
        body: BODY.to_owned(),
    }
}

fn mailer(server: &str) -> Mailer {
    Mailer::new(server, FROM).expect("a mailer")
}

async fn rows(store: &Store) -> anyhow::Result<i64> {
    Ok(store
        .db
        .read()
        .count("SELECT COUNT(*) AS n FROM outbox", vec![])
        .await?)
}

/// Moves every waiting retry to now: the retry delay has passed.
async fn retry_delay_passes(store: &Store) -> anyhow::Result<()> {
    let mut tx = store.db.begin().await?;
    tx.execute(
        "UPDATE outbox SET claimed_until = $1 WHERE sent_at IS NULL AND claimed_by IS NULL",
        params![insyn_store::db::now() - chrono::Duration::seconds(1)],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

dual_test!(a_dedupe_key_makes_a_mail_exist_once, |store| async move {
    let org = org_id(&store, "kommunen").await?;
    let mut first = mail("reminder:review:sys-1:2026-12-31", "agare@exempelstad.se");
    first.org_id = Some(org);
    assert!(store.enqueue_mail(&first).await?, "the first is new");
    // The same key again, even with other content, in another transaction.
    let mut tx = store.db.begin().await?;
    let mut again = first.clone();
    again.subject = "Annat".into();
    assert!(!enqueue(&mut tx, &again).await?, "the second is ignored");
    tx.commit().await?;
    assert_eq!(rows(&store).await?, 1);
    let status = store.outbox_status(Some(org)).await?;
    assert_eq!((status.pending, status.sent, status.failed), (1, 0, 0));
    assert_eq!(
        status.latest[0].subject, SUBJECT,
        "the first one's content stays"
    );
    // Another key is another mail; status per organisation and for all.
    store
        .enqueue_mail(&mail("notice:other", "it@exempelstad.se"))
        .await?;
    assert_eq!(store.outbox_status(Some(org)).await?.pending, 1);
    assert_eq!(store.outbox_status(None).await?.pending, 2);
});

dual_test!(
    a_mail_queued_in_a_rolled_back_transaction_never_exists,
    |store| async move {
        let server = SmtpServer::start().await;
        {
            let mut tx = store.db.begin().await?;
            assert!(enqueue(&mut tx, &mail("rolled-back", "agare@exempelstad.se")).await?);
            // The decision fails after the mail was queued: dropped, not committed.
            drop(tx);
        }
        assert_eq!(rows(&store).await?, 0);
        let sent = send_pending(&store, &mailer(&server.url()), "w1").await?;
        assert_eq!(sent, 0);
        assert!(server.messages().is_empty());
        // The key is free for a later decision that commits.
        assert!(
            store
                .enqueue_mail(&mail("rolled-back", "agare@exempelstad.se"))
                .await?
        );
    }
);

dual_test!(
    pending_mail_is_delivered_once_to_a_real_smtp_server,
    |store| async move {
        let server = SmtpServer::start().await;
        let org = org_id(&store, "kommunen").await?;
        let mut m = mail("reminder:1", "orjan.ostlund@exempelstad.se");
        m.org_id = Some(org);
        store.enqueue_mail(&m).await?;
        let mailer = mailer(&server.url());

        assert_eq!(send_pending(&store, &mailer, "w1").await?, 1);
        let got = server.messages();
        assert_eq!(got.len(), 1, "{got:#?}");
        let r = &got[0];
        assert_eq!(r.rcpt_to, ["orjan.ostlund@exempelstad.se"]);
        assert_eq!(r.to, "orjan.ostlund@exempelstad.se");
        assert_eq!(r.mail_from, "insyn@exempelstad.se");
        assert_eq!(r.from, FROM);
        assert_eq!(r.subject, SUBJECT);
        // The transfer encoding may add a line break at the end.
        assert_eq!(r.body.replace("\r\n", "\n").trim_end(), BODY.trim_end());
        assert_eq!(r.content_type, "text/plain; charset=utf-8");

        let status = store.outbox_status(Some(org)).await?;
        assert_eq!((status.pending, status.sent, status.failed), (0, 1, 0));
        let row = &status.latest[0];
        assert_eq!(row.state, MailState::Sent);
        assert_eq!(row.attempts, 1);
        assert!(row.sent_at.is_some());
        assert_eq!(
            r.message_id,
            format!("<{}@exempelstad.se>", row.id.simple())
        );

        // Nothing is sent twice.
        assert_eq!(send_pending(&store, &mailer, "w1").await?, 0);
        assert_eq!(send_pending(&store, &mailer, "w2").await?, 0);
        assert_eq!(server.messages().len(), 1);
    }
);

dual_test!(
    mail_fails_while_the_server_is_down_and_goes_out_once_it_is_up,
    |store| async move {
        let port = free_port();
        let url = format!("smtp://127.0.0.1:{port}");
        store
            .enqueue_mail(&mail("reminder:down", "agare@exempelstad.se"))
            .await?;
        let mailer = mailer(&url);

        assert_eq!(send_pending(&store, &mailer, "w1").await?, 0);
        let status = store.outbox_status(None).await?;
        assert_eq!((status.pending, status.sent, status.failed), (1, 0, 0));
        let row = &status.latest[0];
        assert_eq!((row.state, row.attempts), (MailState::Pending, 1));
        let error = row.last_error.clone().unwrap_or_default();
        assert!(!error.is_empty(), "the error is kept");
        // Not tried again before the retry delay has passed.
        assert_eq!(send_pending(&store, &mailer, "w1").await?, 0);
        assert_eq!(store.outbox_status(None).await?.latest[0].attempts, 1);

        let server = SmtpServer::start_on(port).await;
        assert_eq!(
            send_pending(&store, &mailer, "w1").await?,
            0,
            "still waiting"
        );
        retry_delay_passes(&store).await?;
        assert_eq!(send_pending(&store, &mailer, "w1").await?, 1);
        let got = server.messages();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].subject, SUBJECT);
        let status = store.outbox_status(None).await?;
        assert_eq!((status.pending, status.sent, status.failed), (0, 1, 0));
        assert_eq!(status.latest[0].attempts, 2);
        assert_eq!(
            status.latest[0].last_error.as_deref(),
            Some(error.as_str()),
            "the earlier error stays as history"
        );
    }
);

dual_test!(
    a_mail_is_given_up_after_the_last_attempt_and_stays_visible,
    |store| async move {
        let url = format!("smtp://127.0.0.1:{}", free_port());
        store
            .enqueue_mail(&mail("reminder:never", "agare@exempelstad.se"))
            .await?;
        let mailer = mailer(&url);
        for attempt in 1..=MAX_ATTEMPTS {
            assert_eq!(send_pending(&store, &mailer, "w1").await?, 0);
            let row = store.outbox_status(None).await?.latest[0].clone();
            assert_eq!(row.attempts, attempt);
            retry_delay_passes(&store).await?;
        }
        let status = store.outbox_status(None).await?;
        assert_eq!((status.pending, status.sent, status.failed), (0, 0, 1));
        assert_eq!(status.latest[0].state, MailState::Failed);
        assert!(status.latest[0].last_error.is_some());
        // Given up: no worker claims it any more.
        assert!(
            store
                .claim_mail("w2", 10, std::time::Duration::from_secs(60))
                .await?
                .is_empty()
        );
    }
);

dual_test!(
    an_expired_claim_is_taken_over_and_a_live_one_is_not,
    |store| async move {
        store
            .enqueue_mail(&mail("reminder:lease", "agare@exempelstad.se"))
            .await?;
        let short = std::time::Duration::from_millis(300);
        let first = store.claim_mail("w1", 10, short).await?;
        assert_eq!(first.len(), 1);
        assert!(
            store.claim_mail("w2", 10, short).await?.is_empty(),
            "claimed by w1"
        );
        // w1 died; its lease runs out and w2 takes the mail (at least once).
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        let second = store.claim_mail("w2", 10, short).await?;
        assert_eq!(second.len(), 1);
        assert_eq!(second[0].id, first[0].id);
        assert_eq!(second[0].attempts, 2);
    }
);

/// Mails `0..n` with distinct keys and subjects.
async fn queue_many(store: &Store, n: usize) -> anyhow::Result<()> {
    let mut tx = store.db.begin().await?;
    for i in 0..n {
        let mut m = mail(
            &format!("reminder:many:{i}"),
            &format!("p{i}@exempelstad.se"),
        );
        m.subject = format!("Påminnelse {i}: översyn");
        enqueue(&mut tx, &m).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Every subject received, with how many times.
fn subjects(server: &SmtpServer) -> BTreeMap<String, usize> {
    let mut seen = BTreeMap::new();
    for m in server.messages() {
        *seen.entry(m.subject).or_insert(0) += 1;
    }
    seen
}

fn assert_each_once(server: &SmtpServer, n: usize) {
    let seen = subjects(server);
    let twice: Vec<_> = seen.iter().filter(|(_, c)| **c > 1).collect();
    assert!(twice.is_empty(), "sent more than once: {twice:?}");
    assert_eq!(seen.len(), n, "received {} of {n}", seen.len());
}

const MANY: usize = 50;

dual_test!(
    two_instances_sending_at_once_send_each_mail_once,
    |store| async move {
        let server = SmtpServer::start().await;
        queue_many(&store, MANY).await?;
        // A second instance: its own pools, the same database.
        let other = Store::open(Some(&url_of(&store))).await?;
        let mailer = mailer(&server.url());
        let mut tasks = vec![];
        for (i, s) in [&store, &other, &store, &other].into_iter().enumerate() {
            let (s, mailer) = (s.clone(), mailer.clone());
            tasks.push(tokio::spawn(async move {
                let mut sent = 0;
                for round in 0..10 {
                    sent += send_pending(&s, &mailer, &format!("w{i}-{round}")).await?;
                }
                anyhow::Ok(sent)
            }));
        }
        let mut counts = vec![];
        for t in tasks {
            counts.push(t.await??);
        }
        eprintln!("mails sent by each worker: {counts:?}");
        let total: usize = counts.iter().sum();
        other.db.close().await;
        assert_eq!(total, MANY);
        assert_each_once(&server, MANY);
        let status = store.outbox_status(None).await?;
        assert_eq!(
            (status.pending, status.sent, status.failed),
            (0, MANY as i64, 0)
        );
    }
);

dual_test!(
    two_insyn_processes_sending_at_once_send_each_mail_once,
    |store| async move {
        let server = SmtpServer::start().await;
        queue_many(&store, MANY).await?;
        let (bin, url, smtp) = (insyn_bin(), url_of(&store), server.url());
        let send_once = move || {
            std::process::Command::new(&bin)
                .args(["mail", "send-once", "--database-url", &url])
                .args(["--smtp-url", &smtp, "--mail-from", FROM])
                .stdin(std::process::Stdio::null())
                .output()
        };
        let other = send_once.clone();
        let (a, b) = tokio::task::spawn_blocking(move || {
            let a = std::thread::spawn(send_once);
            let b = std::thread::spawn(other);
            (a.join(), b.join())
        })
        .await?;
        let mut counts = vec![];
        for out in [a, b] {
            let out = out.map_err(|_| anyhow::anyhow!("a thread panicked"))??;
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success(),
                "insyn mail send-once failed: {stdout}{}",
                String::from_utf8_lossy(&out.stderr)
            );
            counts.push(
                stdout
                    .trim()
                    .strip_suffix(" mails sent")
                    .and_then(|n| n.parse::<usize>().ok())
                    .unwrap_or_else(|| panic!("unexpected output: {stdout:?}")),
            );
        }
        eprintln!("mails sent by each process: {counts:?}");
        assert_eq!(counts.iter().sum::<usize>(), MANY);
        assert_each_once(&server, MANY);
    }
);

#[tokio::test]
async fn send_once_without_an_smtp_server_says_what_is_missing() {
    use clap::Parser;
    let err = insyn::run(insyn::Cli::parse_from(["insyn", "mail", "send-once"]))
        .await
        .expect_err("no SMTP server");
    assert!(err.to_string().contains("--smtp-url"), "{err}");
    let err = insyn::run(insyn::Cli::parse_from([
        "insyn",
        "mail",
        "send-once",
        "--smtp-url",
        "smtp://127.0.0.1:25",
    ]))
    .await
    .expect_err("no sender");
    assert!(err.to_string().contains("--mail-from"), "{err}");
}

dual_test!(a_bad_address_is_given_up_at_once, |store| async move {
    let server = SmtpServer::start().await;
    store
        .enqueue_mail(&mail("reminder:bad", "inte en adress"))
        .await?;
    store
        .enqueue_mail(&mail("reminder:good", "agare@exempelstad.se"))
        .await?;
    assert_eq!(send_pending(&store, &mailer(&server.url()), "w1").await?, 1);
    let status = store.outbox_status(None).await?;
    assert_eq!((status.pending, status.sent, status.failed), (0, 1, 1));
    let bad = status
        .latest
        .iter()
        .find(|r| r.dedupe_key == "reminder:bad")
        .expect("the bad one is listed");
    assert_eq!(bad.state, MailState::Failed);
    assert!(
        bad.last_error
            .as_deref()
            .is_some_and(|e| e.contains("not an e-mail address")),
        "{bad:?}"
    );
    assert_eq!(server.messages().len(), 1);
});

dual_test!(
    the_serve_worker_sends_queued_mail_and_stops_between_rounds,
    |store| async move {
        let server = SmtpServer::start().await;
        let worker = insyn::mail::spawn_worker(
            store.clone(),
            Some(mailer(&server.url())),
            std::time::Duration::from_secs(1),
        );
        store
            .enqueue_mail(&mail("reminder:worker", "agare@exempelstad.se"))
            .await?;
        let started = std::time::Instant::now();
        while server.messages().is_empty() {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(20),
                "the worker sent nothing within 20 s"
            );
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        worker.stop().await;
        assert_eq!(store.outbox_status(None).await?.sent, 1);
        // Stopped: a mail queued now stays in the outbox.
        store
            .enqueue_mail(&mail("reminder:after", "agare@exempelstad.se"))
            .await?;
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        assert_eq!(server.messages().len(), 1);
        assert_eq!(store.outbox_status(None).await?.pending, 1);
    }
);
