//! Schema migrations: two folders with the same numbering, one per backend,
//! embedded in the binary. Each runs once, in its own transaction, and is
//! recorded in `schema_migrations`.

use crate::db::{Backend, Db, Queryable, Result};
use crate::params;
use sqlx::AssertSqlSafe;

/// (version, name, SQLite text, PostgreSQL text)
pub const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "register",
        include_str!("../migrations/sqlite/0001_register.sql"),
        include_str!("../migrations/postgres/0001_register.sql"),
    ),
    (
        2,
        "auth",
        include_str!("../migrations/sqlite/0002_auth.sql"),
        include_str!("../migrations/postgres/0002_auth.sql"),
    ),
    (
        3,
        "security",
        include_str!("../migrations/sqlite/0003_security.sql"),
        include_str!("../migrations/postgres/0003_security.sql"),
    ),
    (
        4,
        "performance",
        include_str!("../migrations/sqlite/0004_performance.sql"),
        include_str!("../migrations/postgres/0004_performance.sql"),
    ),
    (
        5,
        "import_mapping",
        include_str!("../migrations/sqlite/0005_import_mapping.sql"),
        include_str!("../migrations/postgres/0005_import_mapping.sql"),
    ),
    (
        6,
        "policy",
        include_str!("../migrations/sqlite/0006_policy.sql"),
        include_str!("../migrations/postgres/0006_policy.sql"),
    ),
    (
        7,
        "search_keys",
        include_str!("../migrations/sqlite/0007_search_keys.sql"),
        include_str!("../migrations/postgres/0007_search_keys.sql"),
    ),
    (
        8,
        "audit_key",
        include_str!("../migrations/sqlite/0008_audit_key.sql"),
        include_str!("../migrations/postgres/0008_audit_key.sql"),
    ),
    (
        10,
        "sign_in_identity",
        include_str!("../migrations/sqlite/0010_sign_in_identity.sql"),
        include_str!("../migrations/postgres/0010_sign_in_identity.sql"),
    ),
    (
        11,
        "access",
        include_str!("../migrations/sqlite/0011_access.sql"),
        include_str!("../migrations/postgres/0011_access.sql"),
    ),
    (
        12,
        "user_language",
        include_str!("../migrations/sqlite/0012_user_language.sql"),
        include_str!("../migrations/postgres/0012_user_language.sql"),
    ),
    (
        15,
        "incidents",
        include_str!("../migrations/sqlite/0015_incidents.sql"),
        include_str!("../migrations/postgres/0015_incidents.sql"),
    ),
    (
        16,
        "continuity",
        include_str!("../migrations/sqlite/0016_continuity.sql"),
        include_str!("../migrations/postgres/0016_continuity.sql"),
    ),
    (
        17,
        "incident_readers",
        include_str!("../migrations/sqlite/0017_incident_readers.sql"),
        include_str!("../migrations/postgres/0017_incident_readers.sql"),
    ),
    (
        18,
        "restore_tests",
        include_str!("../migrations/sqlite/0018_restore_tests.sql"),
        include_str!("../migrations/postgres/0018_restore_tests.sql"),
    ),
    (
        19,
        "integrations",
        include_str!("../migrations/sqlite/0019_integrations.sql"),
        include_str!("../migrations/postgres/0019_integrations.sql"),
    ),
    (
        20,
        "outage_plans",
        include_str!("../migrations/sqlite/0020_outage_plans.sql"),
        include_str!("../migrations/postgres/0020_outage_plans.sql"),
    ),
    (
        21,
        "movers",
        include_str!("../migrations/sqlite/0021_movers.sql"),
        include_str!("../migrations/postgres/0021_movers.sql"),
    ),
    (
        22,
        "suppliers",
        include_str!("../migrations/sqlite/0022_suppliers.sql"),
        include_str!("../migrations/postgres/0022_suppliers.sql"),
    ),
    (
        23,
        "contracts",
        include_str!("../migrations/sqlite/0023_contracts.sql"),
        include_str!("../migrations/postgres/0023_contracts.sql"),
    ),
    (
        25,
        "record_types",
        include_str!("../migrations/sqlite/0025_record_types.sql"),
        include_str!("../migrations/postgres/0025_record_types.sql"),
    ),
    (
        26,
        "erasures",
        include_str!("../migrations/sqlite/0026_erasures.sql"),
        include_str!("../migrations/postgres/0026_erasures.sql"),
    ),
    (
        27,
        "decommission_cases",
        include_str!("../migrations/sqlite/0027_decommission_cases.sql"),
        include_str!("../migrations/postgres/0027_decommission_cases.sql"),
    ),
    (
        28,
        "contract_dates",
        include_str!("../migrations/sqlite/0028_contract_dates.sql"),
        include_str!("../migrations/postgres/0028_contract_dates.sql"),
    ),
    (
        29,
        "processing_records",
        include_str!("../migrations/sqlite/0029_processing_records.sql"),
        include_str!("../migrations/postgres/0029_processing_records.sql"),
    ),
    (
        30,
        "processor_agreements",
        include_str!("../migrations/sqlite/0030_processor_agreements.sql"),
        include_str!("../migrations/postgres/0030_processor_agreements.sql"),
    ),
    (
        31,
        "licences",
        include_str!("../migrations/sqlite/0031_licences.sql"),
        include_str!("../migrations/postgres/0031_licences.sql"),
    ),
    (
        32,
        "benefit_assessments",
        include_str!("../migrations/sqlite/0032_benefit_assessments.sql"),
        include_str!("../migrations/postgres/0032_benefit_assessments.sql"),
    ),
    (
        33,
        "it_services",
        include_str!("../migrations/sqlite/0033_it_services.sql"),
        include_str!("../migrations/postgres/0033_it_services.sql"),
    ),
    (
        34,
        "eservices",
        include_str!("../migrations/sqlite/0034_eservices.sql"),
        include_str!("../migrations/postgres/0034_eservices.sql"),
    ),
    (
        35,
        "regulatory_facts",
        include_str!("../migrations/sqlite/0035_regulatory_facts.sql"),
        include_str!("../migrations/postgres/0035_regulatory_facts.sql"),
    ),
    (
        36,
        "processing_record_agreements",
        include_str!("../migrations/sqlite/0036_processing_record_agreements.sql"),
        include_str!("../migrations/postgres/0036_processing_record_agreements.sql"),
    ),
    (
        37,
        "shared_state",
        include_str!("../migrations/sqlite/0037_shared_state.sql"),
        include_str!("../migrations/postgres/0037_shared_state.sql"),
    ),
    (
        38,
        "webhooks",
        include_str!("../migrations/sqlite/0038_webhooks.sql"),
        include_str!("../migrations/postgres/0038_webhooks.sql"),
    ),
    (
        39,
        "jobs",
        include_str!("../migrations/sqlite/0039_jobs.sql"),
        include_str!("../migrations/postgres/0039_jobs.sql"),
    ),
    (
        41,
        "mail_frequency",
        include_str!("../migrations/sqlite/0041_mail_frequency.sql"),
        include_str!("../migrations/postgres/0041_mail_frequency.sql"),
    ),
    (
        42,
        "job_files",
        include_str!("../migrations/sqlite/0042_job_files.sql"),
        include_str!("../migrations/postgres/0042_job_files.sql"),
    ),
    (
        43,
        "search_versions",
        include_str!("../migrations/sqlite/0043_search_versions.sql"),
        include_str!("../migrations/postgres/0043_search_versions.sql"),
    ),
    (
        44,
        "leavers_roles",
        include_str!("../migrations/sqlite/0044_leavers_roles.sql"),
        include_str!("../migrations/postgres/0044_leavers_roles.sql"),
    ),
    (
        45,
        "page_indexes",
        include_str!("../migrations/sqlite/0045_page_indexes.sql"),
        include_str!("../migrations/postgres/0045_page_indexes.sql"),
    ),
    (
        46,
        "capability_counts",
        include_str!("../migrations/sqlite/0046_capability_counts.sql"),
        include_str!("../migrations/postgres/0046_capability_counts.sql"),
    ),
    (
        47,
        "role_holders",
        include_str!("../migrations/sqlite/0047_role_holders.sql"),
        include_str!("../migrations/postgres/0047_role_holders.sql"),
    ),
    (
        48,
        "unit_counts",
        include_str!("../migrations/sqlite/0048_unit_counts.sql"),
        include_str!("../migrations/postgres/0048_unit_counts.sql"),
    ),
];

/// Applies every migration not yet applied; returns how many ran.
pub async fn migrate(db: &Db) -> Result<usize> {
    let create = match db.backend() {
        Backend::Sqlite => {
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        }
        Backend::Postgres => {
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY NOT NULL, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
        }
    };
    let mut tx = db.begin().await?;
    tx.execute(create, vec![]).await?;
    tx.commit().await?;

    let mut ran = 0;
    for &(version, name, sqlite_sql, pg_sql) in MIGRATIONS {
        let mut tx = db.begin().await?;
        if db.backend() == crate::db::Backend::Postgres {
            // Two servers starting at once must not both migrate.
            tx.execute("SELECT pg_advisory_xact_lock(4242)", vec![])
                .await?;
            // A migration may take longer than a request may (an index on
            // a large table): no statement time limit inside it.
            tx.execute("SET LOCAL statement_timeout = 0", vec![])
                .await?;
        }
        let done = tx
            .count(
                "SELECT COUNT(*) AS n FROM schema_migrations WHERE version = $1",
                params![version],
            )
            .await?;
        if done > 0 {
            continue;
        }
        let sql = match db.backend() {
            Backend::Sqlite => sqlite_sql,
            Backend::Postgres => pg_sql,
        };
        match &mut tx.conn {
            crate::db::TxConn::Sqlite(t) => t.conn().execute_batch(sql)?,
            crate::db::TxConn::Postgres(t) => {
                sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut **t).await?;
            }
        }
        if version == 2 {
            // Entries written before the chain existed are chained now, once.
            crate::audit::seal_unchained(&mut tx).await?;
        }
        if version == 22 {
            // The systems' free-text vendors become supplier records.
            crate::suppliers::vendors_to_suppliers(&mut tx).await?;
        }
        if version == 28 {
            // Existing contracts get their stored dates and name key.
            crate::contracts::backfill_dates(&mut tx).await?;
        }
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            params![version, name, crate::db::now()],
        )
        .await?;
        tx.commit().await?;
        tracing::info!(version, name, "migration applied");
        ran += 1;
    }
    Ok(ran)
}

/// One column as the schema describes it, for comparing the two backends.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ColumnInfo {
    pub table: String,
    pub column: String,
    pub not_null: bool,
}

/// Tables, columns and nullability of the migrated schema (search index
/// internals excluded: they are backend-specific by design).
pub async fn describe(db: &Db) -> Result<Vec<ColumnInfo>> {
    let sql = match db.backend() {
        Backend::Sqlite => {
            "SELECT m.name AS t, p.name AS c, (p.\"notnull\" OR p.pk > 0) AS nn \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
             AND m.name NOT LIKE 'system_fts%'"
        }
        Backend::Postgres => {
            "SELECT table_name::text AS t, column_name::text AS c, (is_nullable = 'NO') AS nn \
             FROM information_schema.columns WHERE table_schema = current_schema()"
        }
    };
    let mut cols = db
        .read()
        .all(sql, vec![], |r| {
            Ok(ColumnInfo {
                table: r.text("t")?,
                column: r.text("c")?,
                not_null: r.bool("nn")?,
            })
        })
        .await?;
    cols.sort();
    Ok(cols)
}
