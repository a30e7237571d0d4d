//! `insyn backup` and `insyn restore` as an operator runs them: a backup
//! taken while a server keeps writing holds every write acknowledged before
//! it began, restores into a new path, and its audit trail verifies. Runs
//! the binary (`INSYN_BIN`) on SQLite, the only database they apply to.

use crate::ops_process::{Server, insyn, insyn_ok};
use insyn_tests::TempDirGuard;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

/// Names of systems the server acknowledged (201), and whether to go on.
#[derive(Default)]
struct Written {
    acknowledged: Vec<String>,
    stop: bool,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_writes_holds_every_acknowledged_write_and_restores_with_an_intact_trail()
-> anyhow::Result<()> {
    let dir = TempDirGuard::new();
    let db = dir.path().join("data/insyn.db");
    let url = format!("sqlite://{}", db.display());
    insyn_ok(&[
        "demo",
        "--systems",
        "3",
        "--no-serve",
        "--database-url",
        &url,
    ])?;
    let token = insyn_ok(&[
        "token",
        "create",
        "--email",
        "admin@exempelstad.se",
        "--scope",
        "write",
        "--database-url",
        &url,
    ])?
    .trim()
    .to_owned();
    let server = Server::start(&url, &[])?;

    // A writer that keeps creating systems through the API.
    let written = Arc::new(Mutex::new(Written::default()));
    let writer = {
        let (written, base, token) = (written.clone(), server.base.clone(), token.clone());
        tokio::spawn(async move {
            let http = reqwest::Client::new();
            for i in 0.. {
                if written.lock().unwrap().stop {
                    return anyhow::Ok(i);
                }
                let name = format!("Skrivet system {i:04}");
                let r = http
                    .post(format!("{base}/api/v1/orgs/exempelstad/systems"))
                    .bearer_auth(&token)
                    .header("content-type", "application/json")
                    .body(serde_json::json!({ "name": name }).to_string())
                    .send()
                    .await?;
                anyhow::ensure!(r.status() == 201, "{name}: {}", r.status());
                written.lock().unwrap().acknowledged.push(name);
            }
            unreachable!()
        })
    };
    while written.lock().unwrap().acknowledged.len() < 15 {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // Everything acknowledged before the backup begins must be in it.
    let before: BTreeSet<String> = written
        .lock()
        .unwrap()
        .acknowledged
        .iter()
        .cloned()
        .collect();
    let backup = dir.path().join("backup.db");
    let take_backup = [
        "backup",
        "--out",
        backup.to_str().unwrap(),
        "--database-url",
        &url,
    ];
    let out = insyn_ok(&take_backup)?;
    assert!(out.contains("backup written to"), "{out}");
    let after_backup = written.lock().unwrap().acknowledged.len();
    // The writer went on while the backup ran, and after it.
    while written.lock().unwrap().acknowledged.len() < after_backup + 5 {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    written.lock().unwrap().stop = true;
    let total = writer.await??;
    eprintln!(
        "{} writes acknowledged before the backup, {total} in all",
        before.len()
    );

    // A backup never overwrites.
    let again = insyn(&take_backup)?;
    assert!(!again.status.success());
    assert!(again.stderr.contains("exists already"), "{}", again.stderr);

    // Restoring over the database the server runs on is refused.
    let over = insyn(&["restore", backup.to_str().unwrap(), "--database-url", &url])?;
    assert!(!over.status.success());
    assert!(over.stderr.contains("server is running"), "{}", over.stderr);

    // Restored into a new path, with the trail checked against the key and
    // the checkpoints the running server wrote.
    let key = dir.path().join("data/audit.key");
    let checkpoints = dir.path().join("data/audit-checkpoints.jsonl");
    let restored = dir.path().join("restored/insyn.db");
    let restored_url = format!("sqlite://{}", restored.display());
    let keys = [
        "--audit-key-file",
        key.to_str().unwrap(),
        "--audit-checkpoint-file",
        checkpoints.to_str().unwrap(),
    ];
    let mut args = vec![
        "restore",
        backup.to_str().unwrap(),
        "--verify",
        "--database-url",
        &restored_url,
    ];
    args.extend(keys);
    let out = insyn_ok(&args)?;
    assert!(out.contains("audit trail intact"), "{out}");
    assert!(out.contains("restored to"), "{out}");
    // `insyn audit verify` as an operator runs it on the restored copy (its
    // own data directory has no checkpoints: only the key is given).
    let out = insyn_ok(&[
        "audit",
        "verify",
        "--database-url",
        &restored_url,
        "--audit-key-file",
        key.to_str().unwrap(),
    ])?;
    assert!(out.contains("audit trail intact"), "{out}");

    let conn = rusqlite::Connection::open(&restored)?;
    let names: BTreeSet<String> = conn
        .prepare("SELECT name FROM systems WHERE name LIKE 'Skrivet system %'")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let missing: Vec<_> = before.difference(&names).collect();
    assert!(
        missing.is_empty(),
        "acknowledged before the backup, not in it: {missing:?}"
    );
    assert!(
        names.len() < total,
        "the backup is a moment's copy, not the end state"
    );

    // Something that is not an insyn database is refused.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"not a database at all")?;
    let bad = insyn(&[
        "restore",
        junk.to_str().unwrap(),
        "--database-url",
        &format!("sqlite://{}", dir.path().join("other/insyn.db").display()),
    ])?;
    assert!(!bad.status.success());
    assert!(
        bad.stderr.contains("not an SQLite database"),
        "{}",
        bad.stderr
    );

    let code = server.stop()?;
    assert_eq!(code, Some(0), "insyn serve exits 0 on SIGTERM");
    Ok(())
}

#[test]
fn on_postgresql_backup_names_the_postgresql_tools() -> anyhow::Result<()> {
    let out = insyn(&[
        "backup",
        "--out",
        "/nonexistent/x.db",
        "--database-url",
        "postgres://nobody@127.0.0.1:1/none",
    ])?;
    assert!(!out.status.success());
    assert!(out.stderr.contains("pg_dump"), "{}", out.stderr);
    assert!(out.stderr.contains("pg_basebackup"), "{}", out.stderr);
    Ok(())
}
