//! Migrations: both backends end up with the same schema, and migrating
//! again changes nothing.

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
