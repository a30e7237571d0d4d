//! Importing the messy ASR spreadsheets (made with LibreOffice, in
//! crates/io/testdata) on both databases: a dry run changes nothing, a real
//! import keeps all of it in one audit event, importing again changes
//! nothing, and an export imports back to the same register.

use insyn_store::Store;
use insyn_store::import::{ImportTarget, RowAction};
use insyn_tests::{actor, audit_count, dual_test};

fn records(file: &str) -> Vec<insyn_io::Record> {
    let path = format!(
        "{}/../crates/io/testdata/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    insyn::parse_spreadsheet(file, &bytes).expect("the test file parses")
}

fn new_org(slug: &str) -> ImportTarget {
    ImportTarget::NewOrg(insyn_domain::OrgDraft {
        slug: slug.to_owned(),
        name: format!("Kommun {slug}"),
        kind: insyn_domain::OrgKind::Municipality,
        parent_id: None,
    })
}

async fn names(store: &Store, slug: &str) -> anyhow::Result<Vec<String>> {
    let org = store.org_by_slug(slug).await?.id;
    let p = insyn_tests::default_page(store, org).await?;
    Ok(p.items.into_iter().map(|s| s.name).collect())
}

dual_test!(
    the_messy_spreadsheets_import_the_same_from_xlsx_ods_and_csv,
    |store: Store| async move {
        let mut seen = vec![];
        for (file, slug) in [
            ("asr-messy.xlsx", "x"),
            ("asr-messy.ods", "o"),
            ("asr-messy-cp1252.csv", "c"),
        ] {
            let recs = records(file);
            let before = audit_count(&store).await?;
            let dry = store
                .import(&actor(), new_org(slug), file, &recs, true)
                .await?;
            assert!(dry.dry_run);
            assert_eq!(
                audit_count(&store).await?,
                before,
                "{file}: a dry run writes nothing"
            );
            assert!(
                store.org_by_slug(slug).await.is_err(),
                "{file}: not even the organisation"
            );
            let real = store
                .import(&actor(), new_org(slug), file, &recs, false)
                .await?;
            // The dry run said exactly what the import did.
            assert_eq!(
                (
                    dry.created,
                    dry.skipped,
                    dry.roles_assigned,
                    dry.people_created.len(),
                    dry.units_created.len()
                ),
                (
                    real.created,
                    real.skipped,
                    real.roles_assigned,
                    real.people_created.len(),
                    real.units_created.len()
                ),
                "{file}"
            );
            assert_eq!(
                audit_count(&store).await?,
                before + 1,
                "{file}: one audit event"
            );
            // The duplicate row and the rows with errors are reported, not imported.
            assert!(
                real.rows.iter().any(|r| r.action == RowAction::Skip
                    && r.issues.iter().any(|i| i.1 == "import-duplicate-row")),
                "{file}"
            );
            assert!(
                real.rows.iter().any(|r| r.action == RowAction::Skip
                    && r.issues.iter().any(|i| i.1 == "import-missing-name")),
                "{file}"
            );
            assert!(
                real.rows
                    .iter()
                    .any(|r| r.issues.iter().any(|i| i.1 == "import-approximate" && !i.3))
            );
            seen.push((
                file,
                names(&store, slug).await?,
                real.created,
                real.roles_assigned,
            ));
        }
        assert_eq!(seen[0].1, seen[1].1, "xlsx and ods give the same register");
        assert_eq!(seen[0].1, seen[2].1, "xlsx and csv give the same register");
        assert!(seen[0].2 >= 5, "{seen:?}");

        // The appendix's own example: "IT-chef, Jonas Knutson" is the owner, with his title.
        let org = store.org_by_slug("x").await?.id;
        let people = store
            .list_people(org, Some("knutson"), Default::default())
            .await?;
        assert_eq!(people.items.len(), 1, "{people:?}");
        assert_eq!(people.items[0].title.as_deref(), Some("IT-chef"));
        let roles = store.person_roles(org, people.items[0].id).await?;
        assert!(roles.iter().any(|r| r.current), "{roles:?}");
    }
);

dual_test!(
    importing_the_same_file_again_changes_nothing,
    |store: Store| async move {
        let recs = records("asr-messy.xlsx");
        store
            .import(&actor(), new_org("k"), "asr-messy.xlsx", &recs, false)
            .await?;
        let org = store.org_by_slug("k").await?.id;
        let before = audit_count(&store).await?;
        let again = store
            .import(
                &actor(),
                ImportTarget::Org(org),
                "asr-messy.xlsx",
                &recs,
                false,
            )
            .await?;
        assert_eq!(
            (again.created, again.updated, again.roles_assigned),
            (0, 0, 0),
            "{again:?}"
        );
        assert!(again.units_created.is_empty() && again.people_created.is_empty());
        assert!(
            again
                .rows
                .iter()
                .filter(|r| r.action != RowAction::Skip)
                .all(|r| r.action == RowAction::Unchanged)
        );
        assert_eq!(
            audit_count(&store).await?,
            before,
            "nothing changed, nothing recorded"
        );
    }
);

dual_test!(
    an_export_imports_back_to_the_same_register,
    |store: Store| async move {
        let recs = records("asr-messy.ods");
        store
            .import(&actor(), new_org("ut"), "asr-messy.ods", &recs, false)
            .await?;
        let org = store.org_by_slug("ut").await?.id;
        for format in ["xlsx", "csv"] {
            let bytes =
                insyn_web::export::register_file(&store, org, format, insyn_web::i18n::Lang::Sv)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            let file = format!("export.{format}");
            let back = insyn::parse_spreadsheet(&file, &bytes)?;
            let slug = format!("in-{format}");
            let r = store
                .import(&actor(), new_org(&slug), &file, &back, false)
                .await?;
            assert_eq!(r.skipped, 0, "{format}: {r:?}");
            assert_eq!(
                names(&store, &slug).await?,
                names(&store, "ut").await?,
                "{format}"
            );
            // And into the organisation it came from, the export is a no-op.
            let same = store
                .import(&actor(), ImportTarget::Org(org), &file, &back, true)
                .await?;
            assert_eq!((same.created, same.updated), (0, 0), "{format}: {same:?}");
        }
    }
);
