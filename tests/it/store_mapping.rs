//! Remembered import mappings: saved as one audited write, kept per
//! organisation, and used by the next import from the command line.

use clap::Parser;
use insyn_io::Field;
use insyn_store::{AuditQuery, Store};
use insyn_tests::{TempDirGuard, actor, audit_count, dual_test, names, org_id, url_of};

dual_test!(
    a_saved_mapping_is_audited_remembered_and_used_by_the_cli,
    |store: Store| async move {
        let org = org_id(&store, "kommunen").await?;
        let other = org_id(&store, "grannen").await?;
        assert!(store.import_mapping(org).await?.is_empty());
        let before = audit_count(&store).await?;
        let cols = vec![
            ("appl".to_owned(), Some(Field::Name)),
            ("systemnamn".to_owned(), None),
            // An untitled column is not remembered.
            (String::new(), Some(Field::Notes)),
        ];
        assert_eq!(store.save_import_mapping(&actor(), org, &cols).await?, 2);
        assert_eq!(audit_count(&store).await?, before + 1, "one audit event");
        assert_eq!(
            store.save_import_mapping(&actor(), org, &cols).await?,
            0,
            "the same mapping again changes nothing"
        );
        assert_eq!(audit_count(&store).await?, before + 1, "and writes nothing");
        let m = store.import_mapping(org).await?;
        assert_eq!(m.len(), 2);
        assert_eq!(m.get("appl"), Some(&Some(Field::Name)));
        assert_eq!(m.get("systemnamn"), Some(&None));
        assert!(
            store.import_mapping(other).await?.is_empty(),
            "per organisation"
        );
        let events = store
            .search_audit(
                org,
                &AuditQuery {
                    object_type: Some("import_mapping".into()),
                    ..Default::default()
                },
                10,
            )
            .await?;
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].changes["appl"]["new"], "name");
        assert_eq!(events[0].changes["systemnamn"]["new"], "ignored");
        assert_eq!(events[0].changes["appl"]["old"], serde_json::Value::Null);

        // A change is one more event, with the old value.
        store
            .save_import_mapping(&actor(), org, &[("systemnamn".into(), Some(Field::Notes))])
            .await?;
        assert_eq!(audit_count(&store).await?, before + 2);
        store
            .save_import_mapping(&actor(), org, &[("systemnamn".into(), None)])
            .await?;

        // The supplier column names a supplier of the register (issue 19).
        for o in [org, other] {
            store
                .create_supplier(&actor(), o, crate::store_suppliers::draft("Visma"))
                .await?;
        }
        // The command line reads "Appl." as the name and ignores "Systemnamn".
        let dir = TempDirGuard::new();
        let csv = dir.path().join("lista.csv");
        std::fs::write(
            &csv,
            "Systemnamn;Appl.;Leverantör\r\nFel namn;Ekonomi;Visma\r\n",
        )?;
        let url = url_of(&store);
        let import = |slug: &str| {
            insyn::Cli::parse_from([
                "insyn",
                "import",
                csv.to_str().expect("a path"),
                "--org",
                slug,
                "--database-url",
                url.as_str(),
            ])
        };
        insyn::run(import("kommunen")).await?;
        assert_eq!(names(&store, org, &Default::default()).await?, ["Ekonomi"]);
        // The neighbour has no remembered mapping: the first column is the name.
        insyn::run(import("grannen")).await?;
        assert_eq!(
            names(&store, other, &Default::default()).await?,
            ["Fel namn"]
        );
    }
);
