//! `insyn backup` and `insyn restore`: the embedded SQLite database copied
//! consistently while the server runs, and a copy put back only after it
//! passes the checks and only while no server runs on the file it replaces.
//! PostgreSQL is backed up with its own tools (see the README).

use crate::audit::{self, is_postgres, sqlite_file};
use crate::cli::DbArgs;
use anyhow::{Context, Result, bail};
use insyn_store::backup::{DbLock, FileFacts, backup_sqlite, check_sqlite_file};
use std::path::{Path, PathBuf};

const POSTGRES_BACKUP: &str = "insyn backup copies the embedded SQLite database. On PostgreSQL use its own tools: \
     `pg_dump --format=custom` for a copy, or `pg_basebackup` with WAL archiving for point-in-time recovery \
     (README, \"Backup and restore\")";

const POSTGRES_RESTORE: &str = "insyn restore puts back an SQLite backup. On PostgreSQL restore with `pg_restore` \
     (from pg_dump) or from a base backup and the archived WAL (README, \"Backup and restore\")";

fn describe(f: &FileFacts) -> String {
    format!(
        "{} bytes, schema version {}, {} organisation(s), {} system(s), {} audit entries (newest {})",
        f.bytes, f.schema_version, f.organisations, f.systems, f.audit_entries, f.audit_head
    )
}

/// A store error as the operator reads it (a refusal says only why).
fn plain(e: insyn_store::StoreError) -> anyhow::Error {
    match e {
        insyn_store::StoreError::Config(m) => anyhow::anyhow!(m),
        other => other.into(),
    }
}

/// Runs a blocking SQLite job off the async workers.
async fn blocking<T: Send + 'static>(
    job: impl FnOnce() -> insyn_store::db::Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(job)
        .await
        .context("the backup job stopped")?
        .map_err(plain)
}

/// `insyn backup --out FILE`.
pub(crate) async fn backup(out: PathBuf, db: DbArgs) -> Result<()> {
    let url = db.database_url.as_deref();
    if is_postgres(url) {
        bail!(POSTGRES_BACKUP);
    }
    let source = sqlite_file(url).context("not an SQLite database URL")?;
    let target = out.clone();
    let facts = blocking(move || backup_sqlite(&source, &target)).await?;
    println!("backup written to {}: {}", out.display(), describe(&facts));
    println!(
        "  not in it, by design: the audit key ({}) and the checkpoint file ({}); keep copies of them apart from the backup",
        db.audit.key_file(url).display(),
        db.audit.checkpoint_file(url).display()
    );
    Ok(())
}

/// A file's name with a suffix added (`insyn.db` → `insyn.db.restoring`).
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(suffix);
    path.with_file_name(name)
}

/// Removes a scratch database and its WAL files, if there.
fn remove_db_files(path: &Path) {
    for p in [path.to_owned(), beside(path, "-wal"), beside(path, "-shm")] {
        let _ = std::fs::remove_file(p);
    }
}

/// Checks the backup's audit trail on a scratch copy (opening it writes
/// its WAL header; the backup itself stays as it is): the chain and seals
/// with the audit key of the target, and the target's checkpoints up to the
/// backup's newest entry (later ones name entries made after the backup).
async fn verify_trail(file: &Path, target: &Path, facts: &FileFacts, db: &DbArgs) -> Result<()> {
    let url = db.database_url.as_deref();
    let keys = db.audit.keys(url, audit::Need::IfPresent)?;
    let checkpoint_file = db.audit.checkpoint_file(url);
    let checkpoints: Vec<_> = insyn_store::audit::read_checkpoints(&checkpoint_file)
        .map_err(anyhow::Error::msg)?
        .into_iter()
        .filter(|c| c.checkpoint.seq <= facts.audit_head)
        .collect();
    let scratch = beside(target, ".verifying");
    remove_db_files(&scratch);
    std::fs::copy(file, &scratch)
        .with_context(|| format!("could not copy the backup to {}", scratch.display()))?;
    let result = async {
        let conn = insyn_store::Db::open_sqlite(&scratch).await?;
        let mut database = insyn_store::Database::new(conn);
        if let Some(k) = keys {
            database = database.with_audit_keys(k);
        }
        let report = insyn_store::audit::verify_against(&database, &checkpoints).await;
        database.close().await;
        anyhow::Ok(report?)
    }
    .await;
    remove_db_files(&scratch);
    audit::print_verdict(result?, &checkpoint_file)
}

/// `insyn restore FILE [--verify]`.
pub(crate) async fn restore(file: PathBuf, verify: bool, db: DbArgs) -> Result<()> {
    let url = db.database_url.as_deref();
    if is_postgres(url) {
        bail!(POSTGRES_RESTORE);
    }
    let target = sqlite_file(url).context("not an SQLite database URL")?;
    let checked = file.clone();
    let facts = blocking(move || check_sqlite_file(&checked)).await?;
    println!(
        "{} is an intact insyn database: {}",
        file.display(),
        describe(&facts)
    );
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("could not create {}", dir.display()))?;
    }
    // Held to the end: no server starts on the file while it is replaced.
    let _lock = DbLock::restore(&target).map_err(plain)?;
    if verify {
        verify_trail(&file, &target, &facts, &db).await?;
    }
    let incoming = beside(&target, ".restoring");
    remove_db_files(&incoming);
    std::fs::copy(&file, &incoming)
        .with_context(|| format!("could not copy the backup to {}", incoming.display()))?;
    std::fs::File::open(&incoming)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("could not write {} to disk", incoming.display()))?;
    let kept = if target.exists() {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let kept = beside(&target, &format!(".before-restore-{stamp}"));
        // The database with its WAL, so the kept copy stays whole.
        for suffix in ["", "-wal", "-shm"] {
            let from = beside(&target, suffix);
            if from.exists() {
                std::fs::rename(&from, beside(&kept, suffix))
                    .with_context(|| format!("could not move {} aside", from.display()))?;
            }
        }
        Some(kept)
    } else {
        None
    };
    std::fs::rename(&incoming, &target)
        .with_context(|| format!("could not put the backup in place at {}", target.display()))?;
    println!("restored to {}", target.display());
    if let Some(k) = kept {
        println!("  the database it replaced is kept as {}", k.display());
    }
    println!(
        "  start insyn serve on it (it applies migrations the backup lacks); `insyn audit verify` checks its trail"
    );
    Ok(())
}
