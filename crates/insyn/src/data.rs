//! `insyn import`, `insyn export` and `insyn import-full`: spreadsheets and
//! full exports in and out.

use crate::cli::DbArgs;
use crate::{explain, open};
use anyhow::{Context, Result};
use insyn_store::Actor;
use insyn_store::import::ImportTarget;
use std::path::PathBuf;

pub(crate) async fn import(file: PathBuf, org: String, dry_run: bool, db: DbArgs) -> Result<()> {
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

pub(crate) async fn export(org: String, format: String, out: PathBuf, db: DbArgs) -> Result<()> {
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
    std::fs::write(&out, bytes).with_context(|| format!("could not write {}", out.display()))?;
    println!("wrote {}", out.display());
    Ok(())
}

pub(crate) async fn import_full(file: PathBuf, db: DbArgs) -> Result<()> {
    let bytes =
        std::fs::read(&file).with_context(|| format!("could not read {}", file.display()))?;
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
        "{}{} created, {} updated, {} unchanged, {} skipped; {} units, {} people, {} products, {} suppliers created; {} roles assigned; {} errors, {} warnings",
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
        r.suppliers_created.len(),
        r.roles_assigned,
        r.errors(),
        r.warnings()
    );
    out
}
