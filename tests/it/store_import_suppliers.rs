//! The import's supplier column: a cell names a supplier of the register by
//! name (in any case) or by organisation number, and the system is linked
//! to it with its name as the vendor; a cell that names none is an error on
//! its row, and that row is not imported.

use insyn_store::Store;
use insyn_store::import::{ImportTarget, RowAction, UNKNOWN_SUPPLIER};
use insyn_tests::{Scenario, actor, dual_test};

dual_test!(
    the_supplier_column_links_known_suppliers_and_refuses_unknown_ones_per_row,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let visma = store
            .create_supplier(&actor(), k.org, crate::store_suppliers::draft("Visma"))
            .await?;
        let csv = "Systemnamn;Leverantör\r\nEkonomi;visma\r\nLön;212000-0142\r\nOkänt;Okänd AB\r\n";
        let recs = insyn::parse_spreadsheet("lista.csv", csv.as_bytes()).expect("parses");
        let dry = store
            .import(&actor(), ImportTarget::Org(k.org), "lista.csv", &recs, true)
            .await?;
        assert_eq!((dry.created, dry.skipped), (2, 1));
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
            (2, 1, 2)
        );
        let bad = report
            .rows
            .iter()
            .find(|r| r.name == "Okänt")
            .expect("the row");
        assert_eq!(bad.action, RowAction::Skip);
        assert!(
            bad.issues
                .iter()
                .any(|i| i.1 == UNKNOWN_SUPPLIER && i.2 == "Okänd AB" && i.3),
            "{:?}",
            bad.issues
        );
        for row in report.rows.iter().filter(|r| r.action == RowAction::Create) {
            let sid = row.system_id.expect("created");
            let linked = store.system_supplier(k.org, sid).await?.expect("linked");
            assert_eq!(linked.id, visma.id);
            assert_eq!(
                store.get_system(k.org, sid).await?.vendor.as_deref(),
                Some("Visma")
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
    }
);
