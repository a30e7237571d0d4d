//! Issue 7: what keeps a page cheap at 100,000 systems, checked without
//! timing anything: every filter and sort of the register stays on an index
//! (the plan, not the clock), the maintained counts agree with the rows, and
//! a capped total says so.

use chrono::{TimeZone, Utc};
use insyn_domain::demo::generate;
use insyn_domain::*;
use insyn_store::db::Queryable as _;
use insyn_store::{Backend, Store};
use insyn_tests::{Scenario, actor, dual_test, org_id, system};

fn page() -> PageRequest {
    PageRequest::new(Some(1), Some(50))
}

/// The total from the maintained counts, and the same total counted row by
/// row (a `changed_since` long ago matches every system and is counted from
/// the rows, up to the cap).
async fn both_totals(store: &Store, org: OrgId, f: SystemFilter) -> anyhow::Result<(i64, i64)> {
    let counted = store
        .list_systems(org, &f, SystemSort::Name, false, page())
        .await?;
    assert!(!counted.total_capped);
    let rows = SystemFilter {
        changed_since: Some(Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap()),
        ..f
    };
    let by_rows = store
        .list_systems(org, &rows, SystemSort::Name, false, page())
        .await?;
    Ok((counted.total, by_rows.total))
}

dual_test!(
    maintained_counts_follow_every_write,
    |store: Store| async move {
        let org = org_id(&store, "stad").await?;
        let a = system(&store, org, "Alfa").await;
        let b = system(&store, org, "Beta").await;
        system(&store, org, "Gamma").await;
        let mut d = SystemDraft::named("Delta");
        d.lifecycle = Lifecycle::Planned;
        d.business_critical = true;
        store.create_system(&actor(), org, d).await?;
        // A change of lifecycle and of business_critical moves a system between counts.
        let mut d = SystemDraft::named("Alfa");
        d.lifecycle = Lifecycle::PhasingOut;
        store.update_system(&actor(), org, a.id, d).await?;
        // Business-criticality changes through a recorded decision.
        Scenario::at(&store, org).decide_critical(a.id).await?;
        store.archive_system(&actor(), org, b.id).await?;

        let filters = [
            SystemFilter::default(),
            SystemFilter {
                include_archived: true,
                ..Default::default()
            },
            SystemFilter {
                lifecycle: Some(Lifecycle::InOperation),
                ..Default::default()
            },
            SystemFilter {
                lifecycle: Some(Lifecycle::PhasingOut),
                business_critical: Some(true),
                ..Default::default()
            },
            SystemFilter {
                business_critical: Some(true),
                include_archived: true,
                ..Default::default()
            },
        ];
        let expected = [3, 4, 1, 1, 2];
        for (f, want) in filters.iter().zip(expected) {
            let (counted, by_rows) = both_totals(&store, org, f.clone()).await?;
            assert_eq!((counted, by_rows), (want, want), "{f:?}");
        }
        store.restore_system(&actor(), org, b.id).await?;
        let (counted, by_rows) = both_totals(&store, org, SystemFilter::default()).await?;
        assert_eq!((counted, by_rows), (4, 4));
        // Another organisation's systems are not in this one's counts.
        let other = org_id(&store, "annan").await?;
        system(&store, other, "Alfa").await;
        let (counted, _) = both_totals(&store, org, SystemFilter::default()).await?;
        assert_eq!(counted, 4);
    }
);

dual_test!(
    counts_after_a_bulk_load_agree_and_big_totals_are_capped,
    |store: Store| async move {
        store.load_demo(generate(1_500)).await?;
        let org = store.org_by_slug("exempelstad").await?.id;
        for f in [
            SystemFilter::default(),
            SystemFilter {
                lifecycle: Some(Lifecycle::Planned),
                ..Default::default()
            },
            SystemFilter {
                business_critical: Some(true),
                ..Default::default()
            },
        ] {
            let (counted, by_rows) = both_totals(&store, org, f.clone()).await?;
            if by_rows < insyn_store::TOTAL_CAP {
                assert_eq!(counted, by_rows, "{f:?}");
            } else {
                assert!(counted >= by_rows, "{f:?}");
            }
        }
        let all = store
            .list_systems(
                org,
                &SystemFilter::default(),
                SystemSort::Name,
                false,
                page(),
            )
            .await?;
        assert_eq!((all.total, all.total_capped), (1_500, false));
        // Counted from the rows: stops at the cap and says so; the pages go on.
        let changed = SystemFilter {
            changed_since: Some(Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap()),
            ..Default::default()
        };
        let p = store
            .list_systems(org, &changed, SystemSort::Name, false, page())
            .await?;
        assert_eq!((p.total, p.total_capped), (insyn_store::TOTAL_CAP, true));
        assert_eq!(p.items.len(), 50);
        assert!(p.pages() > 1);
        // Past the cap, the count goes as far as the page: the last page is exact.
        let last = store
            .list_systems(
                org,
                &changed,
                SystemSort::Name,
                false,
                PageRequest::new(Some(3), Some(500)),
            )
            .await?;
        assert_eq!((last.total, last.total_capped), (1_500, false));
        assert_eq!(last.items.len(), 500);
        assert_eq!(last.pages(), 3);
        // The same rows, in the same order, as without the cap.
        let names = |p: &Page<insyn_store::SystemRow>| {
            p.items.iter().map(|r| r.name.clone()).collect::<Vec<_>>()
        };
        let plain = store
            .list_systems(
                org,
                &SystemFilter::default(),
                SystemSort::Name,
                false,
                PageRequest::new(Some(3), Some(500)),
            )
            .await?;
        assert_eq!(names(&last), names(&plain));
    }
);

/// The plan's lines, lower-cased, for one list request.
async fn plan(store: &Store, org: OrgId, f: SystemFilter, sort: SystemSort, desc: bool) -> String {
    store
        .explain_list(org, &f, sort, desc, page())
        .await
        .expect("explain")
        .join("\n")
        .to_lowercase()
}

dual_test!(
    every_filter_and_sort_stays_on_an_index,
    |store: Store| async move {
        // The load ends with ANALYZE (what autovacuum does soon after a
        // bulk load on PostgreSQL).
        store.load_demo(generate(5_000)).await?;
        let org = store.org_by_slug("exempelstad").await?.id;
        let unit = store.list_units(org).await?[0].id;
        let sqlite = store.backend() == Backend::Sqlite;
        // (filter, sort, the index the plan must use; alternatives split by |)
        let search_index = if sqlite {
            // The matches from FTS, their sort keys from an index.
            "system_fts&systems_seq_keys"
        } else {
            // The candidates from the trigram index (fenced off from
            // a walk of the organisation's name index).
            "systems_search"
        };
        let cases = [
            // With nothing archived, "every system by name" serves as well.
            (
                SystemFilter::default(),
                SystemSort::Name,
                "systems_org_name|systems_org_all_name",
            ),
            (
                SystemFilter {
                    lifecycle: Some(Lifecycle::InOperation),
                    ..Default::default()
                },
                SystemSort::Name,
                "systems_org_lifecycle",
            ),
            (
                SystemFilter::default(),
                SystemSort::Lifecycle,
                "systems_org_lifecycle",
            ),
            (
                SystemFilter {
                    business_critical: Some(true),
                    ..Default::default()
                },
                SystemSort::Name,
                "systems_org_critical",
            ),
            (
                SystemFilter {
                    include_archived: true,
                    ..Default::default()
                },
                SystemSort::Name,
                "systems_org_all_name",
            ),
            (
                SystemFilter::default(),
                SystemSort::Updated,
                "systems_org_updated",
            ),
            (
                SystemFilter::default(),
                SystemSort::Users,
                "systems_org_users",
            ),
            (
                SystemFilter::default(),
                SystemSort::GoLive,
                "systems_org_golive",
            ),
            (
                SystemFilter {
                    unit_id: Some(unit),
                    ..Default::default()
                },
                SystemSort::Name,
                "systems_org",
            ),
            (
                SystemFilter {
                    q: Some("ekonomi".into()),
                    ..Default::default()
                },
                SystemSort::Name,
                search_index,
            ),
            (
                SystemFilter {
                    q: Some("ekonomi".into()),
                    lifecycle: Some(Lifecycle::InOperation),
                    ..Default::default()
                },
                SystemSort::Name,
                search_index,
            ),
        ];
        let mut wrong = vec![];
        for (f, sort, index) in cases {
            let p = plan(&store, org, f.clone(), sort, false).await;
            let mut why = vec![];
            // `a|b`: on a or b; `a&b`: on both.
            if !index
                .split('&')
                .all(|part| part.split('|').any(|i| p.contains(i)))
            {
                why.push(format!("not on {index}"));
            }
            if f.q.is_none() && f.unit_id.is_none() {
                // The index gives the order: no sort of the matching rows.
                let sorts = if sqlite {
                    p.contains("temp b-tree")
                } else {
                    p.contains("sort")
                };
                if sorts {
                    why.push("sorts".into());
                }
            }
            // A scan of the whole table.
            let scans = p
                .lines()
                .any(|l| l.trim() == "scan s" || l.contains("seq scan on systems"));
            if scans {
                why.push("scans the table".into());
            }
            if !why.is_empty() {
                wrong.push(format!("{f:?} by {sort:?}: {}\n{p}", why.join(", ")));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
    }
);

/// A SQLite store with 20 systems just written.
async fn sqlite_with_20_systems() -> (Store, insyn_tests::TempDirGuard) {
    let (store, dir) = insyn_tests::sqlite_store().await;
    let org = org_id(&store, "stad").await.expect("an organisation");
    for i in 0..20 {
        system(&store, org, &format!("System {i}")).await;
    }
    (store, dir)
}

/// SQLite: the WAL reaches the database file without a writer's commit
/// doing it (the checkpointer thread). Read with `immutable=1`, which looks
/// at the database file alone and ignores the WAL.
#[tokio::test]
async fn committed_writes_reach_the_database_file_in_the_background() {
    // The store stays open (its checkpointer runs while it lives).
    let (_store, dir) = sqlite_with_20_systems().await;
    let uri = format!("file:{}?immutable=1", dir.path().join("insyn.db").display());
    // An error (no table yet: the schema itself may still be in the WAL)
    // counts as not there yet.
    let in_file = || {
        rusqlite::Connection::open_with_flags(
            &uri,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI,
        )
        .and_then(|c| c.query_row("SELECT COUNT(*) FROM systems", [], |r| r.get::<_, i64>(0)))
        .unwrap_or(-1)
    };
    // Wait for up to 5 s (the checkpointer runs every 0.5 s).
    let mut n = in_file();
    for _ in 0..50 {
        if n == 20 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        n = in_file();
    }
    assert_eq!(n, 20, "the 20 systems are in the database file itself");
}

/// SQLite: closing the store leaves no WAL to read at the next start (a
/// start after a 100,000-system demo load read a long WAL first: 126 ms
/// instead of 20).
#[tokio::test]
async fn closing_leaves_an_empty_wal() {
    let (store, dir) = sqlite_with_20_systems().await;
    let wal = dir.path().join("insyn.db-wal");
    let size = || std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert!(size() > 0, "the writes went to the WAL first");
    store.db.close().await;
    assert_eq!(size(), 0, "the WAL is empty after close");
}

/// No read runs for ever: SQLite interrupts a read past its limit, and
/// PostgreSQL connections carry a statement time limit.
#[tokio::test]
async fn a_read_that_would_run_for_ever_is_stopped() {
    let (store, _dir) = insyn_tests::sqlite_store().await;
    let insyn_store::Db::Sqlite(s) = &*store.db else {
        panic!("SQLite");
    };
    s.set_read_limit(std::time::Duration::from_millis(300));
    let started = std::time::Instant::now();
    let r = store
        .db
        .read()
        .count(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) AS n FROM c",
            vec![],
        )
        .await;
    assert!(r.is_err(), "an endless read ends in an error: {r:?}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "stopped near its limit: {:?}",
        started.elapsed()
    );
    // The reader is fine afterwards.
    assert_eq!(
        store.db.read().count("SELECT 1 AS n", vec![]).await.ok(),
        Some(1)
    );
}

insyn_tests::dual_test!(
    postgresql_statements_have_a_time_limit,
    |store: Store| async move {
        if let insyn_store::Db::Postgres(pool) = &*store.db {
            let limit: (String,) = sqlx::query_as("SHOW statement_timeout")
                .fetch_one(pool)
                .await?;
            assert_eq!(limit.0, "1min");
        }
    }
);
