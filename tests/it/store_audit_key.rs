//! The audit trail sealed with a key kept outside the database, and signed
//! checkpoints in a file outside it: someone who can change the database
//! but has neither cannot cut the newest entries off, nor rewrite the trail
//! and seal it again, without `insyn audit verify` saying so.

use clap::Parser;
use insyn_domain::OrgId;
use insyn_store::audit::{
    self, AuditKeys, Checkpoint, CheckpointLine, Verified, VerifyReport, entry_hash, entry_mac,
    read_checkpoints,
};
use insyn_store::db::{DbRow, Queryable};
use insyn_store::{Store, StoreError};
use insyn_tests::{TempDirGuard, dual_test, org_id, system, url_of};
use std::path::{Path, PathBuf};

const KEY_A: &str = "a-first-audit-key-of-at-least-32-characters";
const KEY_B: &str = "b-second-audit-key-after-the-rotation-0000";
const KEY_EVIL: &str = "a-key-someone-made-up-to-seal-the-trail-again";

fn keys(text: &str) -> AuditKeys {
    AuditKeys::parse(text).expect("valid keys")
}

async fn exec(store: &Store, sql: &str) -> anyhow::Result<u64> {
    let mut tx = store.db.begin().await?;
    let n = tx.execute(sql, vec![]).await?;
    tx.commit().await?;
    Ok(n)
}

async fn write_some(store: &Store, org: OrgId, names: &[&str]) {
    for n in names {
        system(store, org, n).await;
    }
}

/// A store sealing with key A, where the systems `names` of "kommunen"
/// were written: the store, the organisation, and a checkpoint file in a
/// directory removed when the guard is dropped.
async fn keyed(
    store: Store,
    names: &[&str],
) -> anyhow::Result<(Store, OrgId, PathBuf, TempDirGuard)> {
    let store = store.with_audit_keys(keys(KEY_A));
    let dir = TempDirGuard::new();
    let file = dir.path().join("checkpoints.jsonl");
    let org = org_id(&store, "kommunen").await?;
    write_some(&store, org, names).await;
    Ok((store, org, file, dir))
}

async fn report(store: &Store, checkpoints: &Path) -> anyhow::Result<VerifyReport> {
    let lines = read_checkpoints(checkpoints).map_err(anyhow::Error::msg)?;
    Ok(audit::verify_against(&store.db, &lines).await?)
}

fn broken(r: &VerifyReport) -> (i64, String) {
    match &r.verdict {
        Verified::Broken { seq, reason, .. } => (*seq, reason.clone()),
        Verified::Intact(n) => panic!("expected a broken trail, got intact ({n} entries)"),
    }
}

/// What a database administrator without the key can do: recompute every
/// seal from entry 1 on, unkeyed (`None`) or with a key of their own, and
/// point the head at the end.
async fn reseal(store: &Store, with: Option<&audit::AuditKey>) -> anyhow::Result<()> {
    let rows = store
        .db
        .read()
        .all(
            &format!(
                "SELECT {} FROM audit_events ORDER BY seq",
                audit::EVENT_COLS
            ),
            vec![],
            audit::event,
        )
        .await?;
    let mut tx = store.db.begin().await?;
    let mut prev = audit::GENESIS.to_owned();
    for e in &rows {
        let (h, k) = match with {
            Some(k) => (entry_mac(k, &prev, e), Some(k.id().to_owned())),
            None => (entry_hash(&prev, e), None),
        };
        tx.execute(
            "UPDATE audit_events SET prev_hash = $1, hash = $2, key_id = $3 WHERE seq = $4",
            insyn_store::params![prev.as_str(), h.as_str(), k, e.seq],
        )
        .await?;
        prev = h;
    }
    let last = rows.last().map_or(0, |e| e.seq);
    tx.execute(
        "UPDATE audit_head SET last_seq = $1, last_hash = $2, key_id = NULL WHERE id = 1",
        insyn_store::params![last, prev.as_str()],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[test]
fn keys_are_read_with_the_last_one_active_and_short_ones_refused() {
    let k = keys(&format!("# a comment\n{KEY_A}\n\n{KEY_B}\n"));
    assert_eq!(k.ids().len(), 2);
    assert_eq!(k.active().id(), keys(KEY_B).active().id());
    assert!(k.get(keys(KEY_A).active().id()).is_some());
    assert_ne!(keys(KEY_A).active().id(), keys(KEY_B).active().id());
    // The same keys separated by a space (INSYN_AUDIT_KEY).
    assert_eq!(keys(&format!("{KEY_A} {KEY_B}")).ids(), k.ids());
    let e = AuditKeys::parse("kort").expect_err("too short");
    assert!(e.contains("at least 32"), "{e}");
    assert!(AuditKeys::parse("# only a comment\n").is_err());
    // The secret is never shown.
    assert!(!format!("{k:?}").contains(KEY_A));
    // A checkpoint signed with one key does not check with another.
    let c = Checkpoint::sign(k.active(), 7, "abc", chrono::Utc::now());
    assert!(c.check(Some(&k)).is_ok());
    let e = c.check(Some(&keys(KEY_A))).expect_err("another key");
    assert!(e.contains("not among the keys given"), "{e}");
    let mut forged = c.clone();
    forged.seq = 6;
    let e = forged.check(Some(&k)).expect_err("changed");
    assert!(e.contains("signature does not match"), "{e}");
}

dual_test!(
    a_keyed_trail_with_checkpoints_verifies,
    |store: Store| async move {
        let (store, org, file, _dir) = keyed(store, &["Ett", "Två"]).await?;
        let first = store.audit_checkpoint(&file).await?.expect("written");
        // Nothing new: no second line.
        assert_eq!(store.audit_checkpoint(&file).await?, None);
        write_some(&store, org, &["Tre"]).await;
        let second = store.audit_checkpoint(&file).await?.expect("written");
        assert!(second.seq > first.seq);
        assert_eq!(second.key_id, keys(KEY_A).active().id());
        let r = report(&store, &file).await?;
        assert!(
            matches!(r.verdict, Verified::Intact(n) if n as i64 == second.seq),
            "{r:?}"
        );
        assert_eq!((r.unkeyed, r.keyed_from, r.checkpoints), (0, Some(1), 2));
        // A checkpoint line changed by hand (to a later entry) no longer checks.
        write_some(&store, org, &["Fyra"]).await;
        let text = std::fs::read_to_string(&file)?;
        let mut lines: Vec<CheckpointLine> = read_checkpoints(&file).map_err(anyhow::Error::msg)?;
        lines[1].checkpoint.seq += 1;
        let r = audit::verify_against(&store.db, &lines).await?;
        let (_, why) = broken(&r);
        assert!(
            why.contains("checkpoint line 2") && why.contains("signature does not match"),
            "{why}"
        );
        std::fs::write(&file, text.replace(&second.mac, &"0".repeat(64)))?;
        let (_, why) = broken(&report(&store, &file).await?);
        assert!(why.contains("signature does not match"), "{why}");
    }
);

dual_test!(
    cutting_off_the_newest_entries_and_moving_the_head_fails_against_a_checkpoint,
    |store: Store| async move {
        let (store, _, file, _dir) = keyed(store, &["Ett", "Två", "Tre"]).await?;
        let c = store.audit_checkpoint(&file).await?.expect("written");
        // With the server stopped: the two newest entries go, and the head
        // is pointed at the new last entry.
        exec(
            &store,
            &format!("DELETE FROM audit_events WHERE seq > {}", c.seq - 2),
        )
        .await?;
        exec(
            &store,
            &format!(
                "UPDATE audit_head SET last_seq = {0}, last_hash = (SELECT hash FROM audit_events WHERE seq = {0}) WHERE id = 1",
                c.seq - 2
            ),
        )
        .await?;
        // The chain alone is consistent again: that is what the checkpoint is for.
        assert!(matches!(
            audit::verify(&store.db).await?,
            Verified::Intact(_)
        ));
        let r = report(&store, &file).await?;
        let (seq, why) = broken(&r);
        assert_eq!(seq, c.seq);
        assert!(
            why.contains(&format!(
                "names entry {}, which is no longer in the trail",
                c.seq
            )),
            "{why}"
        );
    }
);

dual_test!(
    sealing_the_trail_again_without_the_key_fails,
    |store: Store| async move {
        let (store, org, file, _dir) = keyed(store, &["Ett", "Två"]).await?;
        store.audit_checkpoint(&file).await?.expect("written");
        write_some(&store, org, &["Tre"]).await;
        exec(
            &store,
            "UPDATE audit_events SET actor = 'någon annan' WHERE seq = 2",
        )
        .await?;
        let (seq, why) = broken(&report(&store, &file).await?);
        assert_eq!(seq, 2);
        assert!(why.contains("does not match its seal"), "{why}");

        // Sealed again with a key of one's own: not one of the installation's.
        let evil = keys(KEY_EVIL);
        reseal(&store, Some(evil.active())).await?;
        let (seq, why) = broken(&report(&store, &file).await?);
        assert_eq!(seq, 1);
        assert!(why.contains("which is not among the keys given"), "{why}");

        // … or claiming the installation's key id: the seals do not match.
        exec(
            &store,
            &format!(
                "UPDATE audit_events SET key_id = '{}'",
                keys(KEY_A).active().id()
            ),
        )
        .await?;
        let (seq, why) = broken(&report(&store, &file).await?);
        assert_eq!(seq, 1);
        assert!(why.contains("does not match its seal"), "{why}");

        // Sealed again without any key, as if the trail predated the key:
        // the chain is consistent, the checkpoint is not.
        reseal(&store, None).await?;
        assert!(matches!(
            audit::verify(&store.db).await?,
            Verified::Intact(_)
        ));
        let (_, why) = broken(&report(&store, &file).await?);
        assert!(
            why.contains("checkpoint line 1") && why.contains("rewritten"),
            "{why}"
        );
    }
);

dual_test!(
    an_unkeyed_prefix_then_keyed_entries_verifies,
    |store: Store| async move {
        // An installation from before the key: plain SHA-256 links.
        let org = org_id(&store, "kommunen").await?;
        write_some(&store, org, &["Ett", "Två"]).await;
        let before = match audit::verify(&store.db).await? {
            Verified::Intact(n) => n,
            other => panic!("{other:?}"),
        };
        let keyed = store.clone().with_audit_keys(keys(KEY_A));
        write_some(&keyed, org, &["Tre"]).await;
        let dir = TempDirGuard::new();
        let file = dir.path().join("checkpoints.jsonl");
        keyed.audit_checkpoint(&file).await?.expect("written");
        let r = report(&keyed, &file).await?;
        assert!(matches!(r.verdict, Verified::Intact(_)), "{r:?}");
        assert_eq!(r.unkeyed, before);
        assert_eq!(r.keyed_from, Some(before as i64 + 1));

        // Without the key, the keyed part cannot be checked …
        let (seq, why) = broken(&audit::verify_against(&store.db, &[]).await?);
        assert_eq!(seq, before as i64 + 1);
        assert!(why.contains("no audit key was given"), "{why}");
        // … nor written to: an unkeyed entry after keyed ones would not verify.
        match store
            .create_system(
                &insyn_tests::actor(),
                org,
                insyn_domain::SystemDraft::named("Fyra"),
            )
            .await
        {
            Err(StoreError::Config(m)) => assert!(m.contains("--audit-key-file"), "{m}"),
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert!(matches!(
            audit::verify(&keyed.db).await?,
            Verified::Intact(_)
        ));

        // An unkeyed entry slipped in after the keyed ones is named.
        exec(&store, "UPDATE audit_head SET key_id = NULL WHERE id = 1").await?;
        system(&store, org, "Smuggel").await;
        let (_, why) = broken(&audit::verify_against(&keyed.db, &[]).await?);
        assert!(
            why.contains("it has no audit key, but the trail is keyed from entry"),
            "{why}"
        );
    }
);

dual_test!(
    after_a_key_rotation_older_entries_and_checkpoints_still_verify,
    |store: Store| async move {
        let dir = TempDirGuard::new();
        let file = dir.path().join("checkpoints.jsonl");
        let old = store.clone().with_audit_keys(keys(KEY_A));
        let org = org_id(&old, "kommunen").await?;
        write_some(&old, org, &["Ett"]).await;
        old.audit_checkpoint(&file).await?.expect("written");
        let rotated = store
            .clone()
            .with_audit_keys(keys(&format!("{KEY_A}\n{KEY_B}\n")));
        write_some(&rotated, org, &["Två"]).await;
        let c = rotated.audit_checkpoint(&file).await?.expect("written");
        assert_eq!(c.key_id, keys(KEY_B).active().id());
        let r = report(&rotated, &file).await?;
        assert!(matches!(r.verdict, Verified::Intact(_)), "{r:?}");
        assert_eq!(r.checkpoints, 2);
        let ids: Vec<String> = rotated
            .db
            .read()
            .all(
                "SELECT DISTINCT key_id FROM audit_events ORDER BY key_id",
                vec![],
                |r: &dyn DbRow| r.text("key_id"),
            )
            .await?;
        assert_eq!(ids.len(), 2, "{ids:?}");
        // The new key alone cannot check what the old one sealed.
        let only_new = store.clone().with_audit_keys(keys(KEY_B));
        let (seq, why) = broken(&report(&only_new, &file).await?);
        assert_eq!(seq, 1);
        assert!(why.contains("not among the keys given"), "{why}");
    }
);

/// `insyn …` with the database of `store`, the key file and the checkpoint file.
fn cli(args: &[&str], url: &str, key_file: &Path, checkpoints: &Path) -> insyn::Cli {
    let mut all = vec!["insyn"];
    all.extend_from_slice(args);
    let (k, c) = (
        key_file.to_str().expect("a path"),
        checkpoints.to_str().expect("a path"),
    );
    all.extend_from_slice(&[
        "--database-url",
        url,
        "--audit-key-file",
        k,
        "--audit-checkpoint-file",
        c,
    ]);
    insyn::Cli::parse_from(all)
}

dual_test!(
    the_audit_commands_checkpoint_verify_and_rotate_the_key,
    |store: Store| async move {
        let dir = TempDirGuard::new();
        let key_file = dir.path().join("keys").join("audit.key");
        let checkpoints = dir.path().join("audit-checkpoints.jsonl");
        let url = url_of(&store);
        let run =
            |args: &'static [&'static str]| insyn::run(cli(args, &url, &key_file, &checkpoints));
        // The key file is made by rotate-key, readable by its owner only.
        run(&["audit", "rotate-key"]).await?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&key_file)?.permissions().mode();
            assert_eq!(mode & 0o077, 0, "{mode:o}");
        }
        let k =
            AuditKeys::parse(&std::fs::read_to_string(&key_file)?).map_err(anyhow::Error::msg)?;
        let keyed = store.clone().with_audit_keys(k.clone());
        let org = org_id(&keyed, "kommunen").await?;
        write_some(&keyed, org, &["Ett", "Två", "Tre"]).await;
        run(&["audit", "checkpoint"]).await?;
        let written = read_checkpoints(&checkpoints).map_err(anyhow::Error::msg)?;
        assert_eq!(written.len(), 1);
        run(&["audit", "verify"]).await?;

        // Rotation: a second key, active; the first stays and still verifies.
        run(&["audit", "rotate-key"]).await?;
        let k2 =
            AuditKeys::parse(&std::fs::read_to_string(&key_file)?).map_err(anyhow::Error::msg)?;
        assert_eq!(k2.ids().len(), 2);
        assert_eq!(k2.ids()[0], k.active().id());
        let keyed = store.clone().with_audit_keys(k2);
        write_some(&keyed, org, &["Fyra"]).await;
        run(&["audit", "checkpoint"]).await?;
        run(&["audit", "verify"]).await?;

        // The newest entries cut off and the head moved: verify fails, in plain words.
        let last = written[0].checkpoint.seq;
        exec(
            &store,
            &format!("DELETE FROM audit_events WHERE seq > {}", last - 1),
        )
        .await?;
        exec(
            &store,
            &format!(
                "UPDATE audit_head SET last_seq = {0}, last_hash = (SELECT hash FROM audit_events WHERE seq = {0}) WHERE id = 1",
                last - 1
            ),
        )
        .await?;
        let err = run(&["audit", "verify"])
            .await
            .expect_err("entries were removed");
        let err = err.to_string();
        assert!(
            err.contains("checkpoint line 1") && err.contains("no longer in the trail"),
            "{err}"
        );

        // Without the key, the keyed trail cannot be checked.
        let err = insyn::run(insyn::Cli::parse_from([
            "insyn",
            "audit",
            "verify",
            "--database-url",
            &url,
            "--audit-checkpoint-file",
            checkpoints.to_str().expect("a path"),
        ]))
        .await
        .expect_err("no key");
        assert!(err.to_string().contains("no audit key was given"), "{err}");
    }
);

#[tokio::test]
async fn the_server_refuses_postgresql_without_a_key_and_makes_one_for_sqlite() {
    // Refused before the database is reached (nothing listens on port 1).
    let err = insyn::run(insyn::Cli::parse_from([
        "insyn",
        "demo",
        "--no-serve",
        "--database-url",
        "postgres://insyn@127.0.0.1:1/insyn",
    ]))
    .await
    .expect_err("no key");
    let err = err.to_string();
    assert!(
        err.contains("no audit key") && err.contains("rotate-key"),
        "{err}"
    );

    // SQLite: the key is made next to the database, and the other commands find it.
    let dir = TempDirGuard::new();
    let url = format!("sqlite://{}", dir.path().join("insyn.db").display());
    insyn::run(insyn::Cli::parse_from([
        "insyn",
        "demo",
        "--no-serve",
        "--systems",
        "3",
        "--database-url",
        &url,
    ]))
    .await
    .expect("the demo loads");
    let key_file = dir.path().join("audit.key");
    let keys =
        AuditKeys::parse(&std::fs::read_to_string(&key_file).expect("a key file")).expect("a key");
    insyn::run(insyn::Cli::parse_from([
        "insyn",
        "audit",
        "checkpoint",
        "--database-url",
        &url,
    ]))
    .await
    .expect("a checkpoint");
    let written = read_checkpoints(&dir.path().join("audit-checkpoints.jsonl")).expect("readable");
    assert_eq!(written.len(), 1);
    assert_eq!(written[0].checkpoint.key_id, keys.active().id());
    insyn::run(insyn::Cli::parse_from([
        "insyn",
        "audit",
        "verify",
        "--database-url",
        &url,
    ]))
    .await
    .expect("the demo's trail verifies");
}

dual_test!(
    the_server_checkpoints_at_start_when_the_trail_grew_and_at_shutdown,
    |store: Store| async move {
        let store = store.with_audit_keys(keys(KEY_A));
        let org = org_id(&store, "kommunen").await?;
        let dir = TempDirGuard::new();
        let file = dir.path().join("audit").join("checkpoints.jsonl");
        let lines = || read_checkpoints(&file).map_err(anyhow::Error::msg);
        let worker = insyn::audit::spawn_checkpointer(
            store.clone(),
            file.clone(),
            std::time::Duration::from_secs(3600),
        );
        // The first round runs at once.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while lines()?.is_empty() {
            assert!(
                std::time::Instant::now() < deadline,
                "no checkpoint at start"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        write_some(&store, org, &["Ett"]).await;
        worker.stop().await;
        let written = lines()?;
        assert_eq!(written.len(), 2, "at start and at shutdown: {written:?}");
        assert!(written[1].checkpoint.seq > written[0].checkpoint.seq);
        let r = report(&store, &file).await?;
        assert!(matches!(r.verdict, Verified::Intact(_)), "{r:?}");
        assert_eq!(r.checkpoints, 2);
        // Stopped again with nothing new: no line added.
        insyn::audit::spawn_checkpointer(
            store.clone(),
            file.clone(),
            std::time::Duration::from_secs(3600),
        )
        .stop()
        .await;
        assert_eq!(lines()?.len(), 2);
    }
);

#[test]
fn the_audit_commands_and_key_options_explain_themselves() {
    use clap::CommandFactory;
    let help = |args: &[&str]| match insyn::Cli::try_parse_from(args) {
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelp => e.render().to_string(),
        other => panic!("{args:?}: {other:?}"),
    };
    insyn::Cli::command().debug_assert();
    let audit = help(&["insyn", "audit", "--help"]);
    for part in ["verify", "checkpoint", "rotate-key"] {
        assert!(audit.contains(part), "{part:?} missing in:\n{audit}");
    }
    let serve = help(&["insyn", "serve", "--help"]);
    for part in [
        "--audit-key-file",
        "INSYN_AUDIT_KEY_FILE",
        "INSYN_AUDIT_KEY",
        "--audit-checkpoint-file",
        "--audit-checkpoint-interval",
    ] {
        assert!(serve.contains(part), "{part:?} missing in:\n{serve}");
    }
    // The key given on the command line is never shown back.
    let cli = insyn::Cli::try_parse_from(["insyn", "audit", "verify", "--audit-key", KEY_A])
        .expect("parses");
    assert!(!format!("{cli:?}").contains(KEY_A));
}
