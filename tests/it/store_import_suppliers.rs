//! The import's supplier column: a cell names a supplier of the register by
//! name (in any case) or by organisation number, and the system is linked
//! to it with its name as the vendor; a name the register does not know
//! becomes a supplier (listed in the report, once however many rows name
//! it); an organisation number no supplier has is an error on its row, and
//! that row is not imported.

use insyn_store::Store;
use insyn_store::import::{ImportTarget, RowAction, UNKNOWN_SUPPLIER};
use insyn_tests::{Scenario, actor, dual_test};

dual_test!(
    the_supplier_column_links_known_suppliers_creates_new_names_and_refuses_unknown_numbers,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let visma = store
            .create_supplier(&actor(), k.org, crate::store_suppliers::draft("Visma"))
            .await?;
        let csv = "Systemnamn;Leverantör\r\nEkonomi;visma\r\nLön;212000-0142\r\n\
                   Okänt;Okänd AB\r\nAnnat;okänd ab\r\nNummer;556016-0680\r\n";
        let recs = insyn::parse_spreadsheet("lista.csv", csv.as_bytes()).expect("parses");
        let dry = store
            .import(&actor(), ImportTarget::Org(k.org), "lista.csv", &recs, true)
            .await?;
        assert_eq!((dry.created, dry.skipped), (4, 1));
        assert!(
            store.supplier_named(k.org, "Okänd AB").await?.is_none(),
            "a dry run keeps nothing"
        );
        let report = store
            .import(
                &actor(),
                ImportTarget::Org(k.org),
                "lista.csv",
                &recs,
                false,
            )
            .await?;
        assert_eq!(
            (report.created, report.skipped, report.suppliers_linked),
            (4, 1, 4)
        );
        assert_eq!(report.suppliers_created, vec!["Okänd AB".to_string()]);
        let bad = report
            .rows
            .iter()
            .find(|r| r.name == "Nummer")
            .expect("the row");
        assert_eq!(bad.action, RowAction::Skip);
        assert!(
            bad.issues
                .iter()
                .any(|i| i.1 == UNKNOWN_SUPPLIER && i.2 == "556016-0680" && i.3),
            "{:?}",
            bad.issues
        );
        let new = store
            .supplier_named(k.org, "Okänd AB")
            .await?
            .expect("created");
        for row in report.rows.iter().filter(|r| r.action == RowAction::Create) {
            let sid = row.system_id.expect("created");
            let linked = store.system_supplier(k.org, sid).await?.expect("linked");
            let expected = if ["Okänt", "Annat"].contains(&row.name.as_str()) {
                (new, "Okänd AB")
            } else {
                (visma.id, "Visma")
            };
            assert_eq!(linked.id, expected.0, "{}", row.name);
            assert_eq!(
                store.get_system(k.org, sid).await?.vendor.as_deref(),
                Some(expected.1)
            );
        }
        // Imported again: nothing changes.
        let again = store
            .import(
                &actor(),
                ImportTarget::Org(k.org),
                "lista.csv",
                &recs,
                false,
            )
            .await?;
        assert_eq!((again.created, again.suppliers_linked), (0, 0));
        assert!(again.suppliers_created.is_empty());
    }
);
