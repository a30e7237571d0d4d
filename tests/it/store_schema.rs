//! Migrations: both backends end up with the same schema (tables, columns,
//! nullability, indexes, foreign keys and defaults), and migrating again
//! changes nothing.

use insyn_store::migrate::{self, ColumnInfo};
use insyn_store::{Backend, Store};
use insyn_tests::{dual_test, pg_store, sqlite_store};
use std::collections::{BTreeMap, BTreeSet};

fn tables(cols: &[ColumnInfo]) -> BTreeSet<&str> {
    cols.iter().map(|c| c.table.as_str()).collect()
}

#[tokio::test]
async fn both_backends_have_the_same_tables_columns_and_nullability() {
    let (sqlite, _dir) = sqlite_store().await;
    let pg = pg_store().await;
    assert_eq!(sqlite.backend(), Backend::Sqlite);
    assert_eq!(pg.backend(), Backend::Postgres);

    let s = migrate::describe(&sqlite.db).await.unwrap();
    let p = migrate::describe(&pg.db).await.unwrap();

    // The register's tables are all there, on both.
    for t in [
        "schema_migrations",
        "organisations",
        "units",
        "people",
        "products",
        "systems",
        "system_units",
        "system_links",
        "system_capabilities",
        "system_tags",
        "role_types",
        "role_assignments",
        "audit_events",
    ] {
        assert!(tables(&s).contains(t), "SQLite lacks table {t}");
        assert!(tables(&p).contains(t), "PostgreSQL lacks table {t}");
    }
    assert_eq!(tables(&s), tables(&p), "the backends' tables differ");

    // Column by column, so that a difference reads as one line.
    let key = |c: &ColumnInfo| (c.table.clone(), c.column.clone());
    let sm: BTreeMap<_, _> = s.iter().map(|c| (key(c), c.not_null)).collect();
    let pm: BTreeMap<_, _> = p.iter().map(|c| (key(c), c.not_null)).collect();
    let mut differences = Vec::new();
    for (k, nn) in &sm {
        match pm.get(k) {
            None => differences.push(format!("{}.{} only in SQLite", k.0, k.1)),
            Some(pnn) if pnn != nn => differences.push(format!(
                "{}.{}: NOT NULL is {nn} in SQLite, {pnn} in PostgreSQL",
                k.0, k.1
            )),
            _ => {}
        }
    }
    for k in pm.keys().filter(|k| !sm.contains_key(*k)) {
        differences.push(format!("{}.{} only in PostgreSQL", k.0, k.1));
    }
    assert!(
        differences.is_empty(),
        "schemas differ:\n{}",
        differences.join("\n")
    );
    assert_eq!(s, p);

    // A few columns whose nullability the application relies on.
    let nn = |t: &str, c: &str| sm[&(t.to_owned(), c.to_owned())];
    assert!(nn("systems", "name"));
    assert!(nn("systems", "org_id"));
    assert!(!nn("systems", "responsible_unit_id"));
    assert!(!nn("role_assignments", "end_date"));
    assert!(nn("audit_events", "changes"));

    insyn_tests::drop_pg_store(pg).await;
}

/// Differences between the backends' indexes that are there by design, for
/// the lead to confirm: search. SQLite searches a full-text (FTS5 trigram)
/// table and looks the matches up by rowid through a covering index
/// (0007_search_keys.sql); PostgreSQL searches a trigram GIN index on
/// `search_text` (0001_register.sql). Everything else (every foreign key
/// with its ON DELETE, every default) is the same on both.
const KNOWN_DIFFERENCES: &[&str] = &[
    r#"index only in SQLite: Index { table: "systems", columns: ["seq", "org_id", "archived", "name_key", "id"], unique: false, partial: false }"#,
    r#"index only in PostgreSQL: Index { table: "people", columns: ["search_text"], unique: false, partial: false }"#,
    r#"index only in PostgreSQL: Index { table: "systems", columns: ["search_text"], unique: false, partial: false }"#,
];

#[tokio::test]
async fn both_backends_have_the_same_indexes_foreign_keys_and_defaults() {
    let (sqlite, _dir) = sqlite_store().await;
    let pg = pg_store().await;
    let s = detail::read(&sqlite).await.unwrap();
    let p = detail::read(&pg).await.unwrap();

    // The comparison reads something on both sides.
    for d in [&s, &p] {
        assert!(d.indexes.len() > 10, "{:?}", d.indexes);
        assert!(d.foreign_keys.len() > 10, "{:?}", d.foreign_keys);
        assert!(d.defaults.len() > 10, "{:?}", d.defaults);
    }
    let mut differences = detail::differences("index", &s.indexes, &p.indexes);
    differences.extend(detail::differences(
        "foreign key",
        &s.foreign_keys,
        &p.foreign_keys,
    ));
    differences.extend(detail::differences("default", &s.defaults, &p.defaults));
    for known in KNOWN_DIFFERENCES {
        assert!(
            differences.iter().any(|d| d == known),
            "a known difference is gone; take it off KNOWN_DIFFERENCES: {known}"
        );
    }
    differences.retain(|d| !KNOWN_DIFFERENCES.contains(&d.as_str()));
    assert!(
        differences.is_empty(),
        "schemas differ:\n{}",
        differences.join("\n")
    );

    insyn_tests::drop_pg_store(pg).await;
}

#[test]
fn defaults_are_normalised_to_one_spelling() {
    for (raw, normal) in [
        ("'active'::text", "'active'"),
        ("'{}'::jsonb", "'{}'"),
        ("0", "0"),
        ("(0)", "0"),
        ("false", "0"),
        ("TRUE", "1"),
        ("now()", "now"),
        ("CURRENT_TIMESTAMP", "now"),
        ("'internal'", "'internal'"),
    ] {
        assert_eq!(detail::normalise_default(raw), normal, "{raw}");
    }
}

dual_test!(migrating_again_is_a_no_op, |store: Store| async move {
    // `open` already migrated: nothing is left to run, however often we ask.
    assert_eq!(migrate::migrate(&store.db).await?, 0);
    assert_eq!(migrate::migrate(&store.db).await?, 0);
    let before = migrate::describe(&store.db).await?;
    assert!(!before.is_empty());
    // Data survives, the schema is unchanged.
    let org = insyn_tests::org_id(&store, "stad").await?;
    assert_eq!(migrate::migrate(&store.db).await?, 0);
    assert_eq!(migrate::describe(&store.db).await?, before);
    assert_eq!(store.org_by_slug("stad").await?.id, org);
});

dual_test!(ping_answers, |store: Store| async move {
    store.ping().await?;
});

#[tokio::test]
async fn reopening_an_existing_sqlite_database_keeps_its_data() {
    let (store, dir) = sqlite_store().await;
    let org = insyn_tests::org_id(&store, "stad").await.unwrap();
    store.db.close().await;
    let url = format!("sqlite://{}", dir.path().join("insyn.db").display());
    let again = Store::open(Some(&url)).await.unwrap();
    assert_eq!(migrate::migrate(&again.db).await.unwrap(), 0);
    assert_eq!(again.org_by_slug("stad").await.unwrap().id, org);
}

/// The schema test's second half: indexes, foreign keys and column defaults
/// read from each database's own catalogue (SQLite's pragmas, PostgreSQL's
/// `pg_index` and `information_schema`), normalised where the two spell the
/// same thing differently, so that the comparison sees only real differences.
mod detail {
    use insyn_store::{Db, Store};
    use sqlx::Row as _;
    use std::collections::{BTreeMap, BTreeSet};

    /// An index as both databases can describe it: its table, its columns in
    /// order (an expression as `expr`), whether it is unique and partial. Names
    /// are left out (a constraint's index is named by each database), and so
    /// is which unique key is the primary one: SQLite's tables with a `seq`
    /// key the rows by `seq INTEGER PRIMARY KEY` (the rowid) and `id UNIQUE`,
    /// PostgreSQL's by `id PRIMARY KEY` and `seq UNIQUE`.
    #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
    pub struct Index {
        pub table: String,
        pub columns: Vec<String>,
        pub unique: bool,
        pub partial: bool,
    }

    /// A foreign key: `table(columns)` refers to `refers(ref_columns)`.
    #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
    pub struct ForeignKey {
        pub table: String,
        pub columns: Vec<String>,
        pub refers: String,
        pub ref_columns: Vec<String>,
        pub on_delete: String,
    }

    /// A column's default, normalised (see [`normalise_default`]).
    #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
    pub struct ColumnDefault {
        pub table: String,
        pub column: String,
        pub value: String,
    }

    /// What the comparison reads of one database.
    #[derive(Debug, Default)]
    pub struct Detail {
        pub indexes: BTreeSet<Index>,
        pub foreign_keys: BTreeSet<ForeignKey>,
        pub defaults: BTreeSet<ColumnDefault>,
    }

    /// One spelling of a default for both databases: type casts (`'x'::text`)
    /// and outer parentheses dropped, booleans as 0 and 1, the clock as `now`.
    pub fn normalise_default(raw: &str) -> String {
        let mut v = raw.trim().to_owned();
        while v.starts_with('(') && v.ends_with(')') {
            v = v[1..v.len() - 1].trim().to_owned();
        }
        if let Some(i) = v.find("::")
            && (v.starts_with('\'') || v[..i].chars().all(|c| c.is_ascii_digit() || c == '-'))
        {
            v.truncate(i);
        }
        match v.to_ascii_lowercase().as_str() {
            "false" => "0".to_owned(),
            "true" => "1".to_owned(),
            "now()" | "current_timestamp" | "transaction_timestamp()" => "now".to_owned(),
            _ => v,
        }
    }

    /// A column name, or `expr` for anything else (an expression).
    fn column_or_expr(c: &str) -> String {
        let c = c.trim().trim_matches('"');
        if !c.is_empty() && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_') {
            c.to_owned()
        } else {
            "expr".to_owned()
        }
    }

    /// The indexes, foreign keys and defaults of the database behind `store`.
    pub async fn read(store: &Store) -> anyhow::Result<Detail> {
        match &*store.db {
            Db::Sqlite(s) => sqlite(s.path()),
            Db::Postgres(pool) => postgres(pool).await,
        }
    }

    fn sqlite(path: &std::path::Path) -> anyhow::Result<Detail> {
        let conn = rusqlite::Connection::open(path)?;
        let tables: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                   AND sql NOT LIKE 'CREATE VIRTUAL%'",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        // The full-text search's virtual tables and their shadow tables
        // (`system_fts_data`, …) are SQLite's own: PostgreSQL searches
        // with an index instead (see KNOWN_DIFFERENCES).
        let virtual_tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL%'")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let tables: Vec<String> = tables
            .into_iter()
            .filter(|t| {
                !virtual_tables
                    .iter()
                    .any(|v| t.starts_with(&format!("{v}_")))
            })
            .collect();
        let mut d = Detail::default();
        for t in &tables {
            // An `INTEGER PRIMARY KEY` is the rowid, which has no index of
            // its own; it is unique all the same.
            // (name, type, default, position in the primary key)
            let columns: Vec<(String, String, Option<String>, i64)> = conn
                .prepare(&format!("PRAGMA table_info(\"{t}\")"))?
                .query_map([], |r| Ok((r.get(1)?, r.get(2)?, r.get(4)?, r.get(5)?)))?
                .collect::<Result<_, _>>()?;
            let pk: Vec<_> = columns.iter().filter(|c| c.3 > 0).collect();
            if let [(column, ty, _, _)] = pk.as_slice()
                && ty.eq_ignore_ascii_case("INTEGER")
            {
                d.indexes.insert(Index {
                    table: t.clone(),
                    columns: vec![column.clone()],
                    unique: true,
                    partial: false,
                });
            }
            // (name, unique, origin: c created, u unique constraint, pk, partial)
            let list: Vec<(String, bool, String, bool)> = conn
                .prepare(&format!("PRAGMA index_list(\"{t}\")"))?
                .query_map([], |r| Ok((r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
                .collect::<Result<_, _>>()?;
            for (name, unique, _origin, partial) in list {
                let columns: Vec<String> = conn
                    .prepare(&format!("PRAGMA index_info(\"{name}\")"))?
                    .query_map([], |r| r.get::<_, Option<String>>(2))?
                    .map(|c| c.map(|c| column_or_expr(&c.unwrap_or_default())))
                    .collect::<Result<_, _>>()?;
                d.indexes.insert(Index {
                    table: t.clone(),
                    columns,
                    unique,
                    partial,
                });
            }
            // (id, seq, table, from, to, on_delete), one row per column of a key.
            let rows: Vec<(i64, String, String, Option<String>, String)> = conn
                .prepare(&format!("PRAGMA foreign_key_list(\"{t}\")"))?
                .query_map([], |r| {
                    Ok((r.get(0)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(6)?))
                })?
                .collect::<Result<_, _>>()?;
            let mut keys: BTreeMap<i64, ForeignKey> = BTreeMap::new();
            for (id, refers, from, to, on_delete) in rows {
                let k = keys.entry(id).or_insert_with(|| ForeignKey {
                    table: t.clone(),
                    columns: vec![],
                    refers,
                    ref_columns: vec![],
                    on_delete: on_delete.to_ascii_uppercase(),
                });
                k.columns.push(from);
                k.ref_columns.push(to.unwrap_or_default());
            }
            d.foreign_keys.extend(keys.into_values());
            for (column, _, value, _) in columns {
                if let Some(v) = value {
                    d.defaults.insert(ColumnDefault {
                        table: t.clone(),
                        column,
                        value: normalise_default(&v),
                    });
                }
            }
        }
        Ok(d)
    }

    async fn postgres(pool: &sqlx::PgPool) -> anyhow::Result<Detail> {
        let mut d = Detail::default();
        let indexes = sqlx::query(
            "SELECT t.relname AS tbl, ix.indisunique AS uniq, ix.indpred IS NOT NULL AS partial,
                    ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k, true)
                            FROM generate_series(1, ix.indnkeyatts) AS k) AS cols
               FROM pg_index ix
               JOIN pg_class t ON t.oid = ix.indrelid
               JOIN pg_namespace n ON n.oid = t.relnamespace
              WHERE n.nspname = current_schema()",
        )
        .fetch_all(pool)
        .await?;
        for r in indexes {
            let cols: Vec<String> = r.try_get("cols")?;
            d.indexes.insert(Index {
                table: r.try_get("tbl")?,
                columns: cols.iter().map(|c| column_or_expr(c)).collect(),
                unique: r.try_get("uniq")?,
                partial: r.try_get("partial")?,
            });
        }
        let keys = sqlx::query(
            "SELECT c.conrelid::regclass::text AS tbl, c.confrelid::regclass::text AS refers,
                    ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(num, n)
                            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num
                           ORDER BY k.n) AS cols,
                    ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(num, n)
                            JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.num
                           ORDER BY k.n) AS ref_cols,
                    CASE c.confdeltype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT'
                         WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' ELSE 'SET DEFAULT' END
                      AS on_delete
               FROM pg_constraint c
              WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace",
        )
        .fetch_all(pool)
        .await?;
        for r in keys {
            d.foreign_keys.insert(ForeignKey {
                table: r.try_get("tbl")?,
                columns: r.try_get("cols")?,
                refers: r.try_get("refers")?,
                ref_columns: r.try_get("ref_cols")?,
                on_delete: r.try_get("on_delete")?,
            });
        }
        let defaults = sqlx::query(
            "SELECT table_name::text AS tbl, column_name::text AS col, column_default::text AS def
               FROM information_schema.columns
              WHERE table_schema = current_schema() AND column_default IS NOT NULL",
        )
        .fetch_all(pool)
        .await?;
        for r in defaults {
            let value: String = r.try_get("def")?;
            d.defaults.insert(ColumnDefault {
                table: r.try_get("tbl")?,
                column: r.try_get("col")?,
                value: normalise_default(&value),
            });
        }
        Ok(d)
    }

    /// The lines of `a` missing from `b`, and those of `b` missing from `a`.
    pub fn differences<T: Ord + std::fmt::Debug>(
        what: &str,
        a: &BTreeSet<T>,
        b: &BTreeSet<T>,
    ) -> Vec<String> {
        let only = |x: &BTreeSet<T>, y: &BTreeSet<T>, side: &str| {
            x.difference(y)
                .map(|i| format!("{what} only in {side}: {i:?}"))
                .collect::<Vec<_>>()
        };
        let mut out = only(a, b, "SQLite");
        out.extend(only(b, a, "PostgreSQL"));
        out
    }
}
