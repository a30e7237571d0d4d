//! The supplier and contract forms and the reminder setting as pages: an
//! editor records a supplier and a contract by typing the supplier's and
//! the systems' names, sees the last day to give notice after saving,
//! edits and removes it; errors come back per field in the reader's
//! language; readers may not write, and only administrators set the lead
//! time.

use insyn_domain::AppRole;
use insyn_store::Store;
use insyn_tests::{Scenario, dual_test};

/// The contract form's fields: a 36-month licence renewed by 12 months.
fn contract<'a>(supplier: &'a str, system: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", "Ekonomisystem"),
        ("supplier_id", supplier),
        ("kind", "subscription"),
        ("signed_on", "2023-12-01"),
        ("start_date", "2024-01-01"),
        ("initial_months", "36"),
        ("renewal", "tacit"),
        ("renewal_months", "12"),
        ("options_count", "0"),
        ("options_used", "0"),
        ("customer_notice_months", "3"),
        ("customer_notice_end_of", "quarter"),
        ("supplier_notice_months", "0"),
        ("supplier_notice_end_of", "day"),
        ("value_sek", "1 200 000"),
        ("system_ids", system),
        ("system_ids", ""),
    ]
}

dual_test!(
    an_editor_records_a_supplier_and_a_contract_through_the_forms,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        k.system("Ekonomisystemet").await;
        let editor = k.signed_in("eva@kommunen.se", AppRole::Editor).await?;
        let reader = k.signed_in("rut@kommunen.se", AppRole::Reader).await?;

        editor.get("/o/kommunen/suppliers/new").await.expect(200);
        reader.get("/o/kommunen/suppliers/new").await.expect(403);
        let bad = editor
            .post_form(
                "/o/kommunen/suppliers",
                &[("name", "Visma"), ("org_number", "212000-0143")],
            )
            .await
            .expect(422)
            .body;
        assert!(bad.contains("Organisationsnummer"), "{bad}");
        assert!(bad.contains("aria-invalid=\"true\""), "{bad}");
        let made = editor
            .post_form(
                "/o/kommunen/suppliers",
                &[
                    ("name", "Visma"),
                    ("org_number", "2120000142"),
                    ("support_hours", "Vardagar 8–17"),
                ],
            )
            .await
            .expect(303);
        let supplier_page = made.location().to_owned();
        assert!(
            editor
                .get_text(&supplier_page)
                .await
                .contains("Vardagar 8–17")
        );
        let edit = editor
            .get(&format!("{supplier_page}/edit"))
            .await
            .expect(200)
            .body;
        assert!(edit.contains("212000-0142"), "{edit}");

        // Names typed: an unknown supplier and an unknown system are
        // refused by field, in Swedish and in English.
        let unknown = editor
            .post_form(
                "/o/kommunen/contracts",
                &contract("Okänd AB", "Inget sådant"),
            )
            .await
            .expect(422)
            .body;
        assert!(
            unknown.contains("Ingen leverantör har det namnet"),
            "{unknown}"
        );
        assert!(unknown.contains("href=\"#system_ids\""), "{unknown}");
        let en = editor
            .lang("en")
            .post_form(
                "/o/kommunen/contracts",
                &contract("Okänd AB", "Ekonomisystemet"),
            )
            .await
            .expect(422)
            .text();
        assert!(en.contains("No supplier has that name"), "{en}");
        reader
            .post_form(
                "/o/kommunen/contracts",
                &contract("visma", "Ekonomisystemet"),
            )
            .await
            .expect(403);

        // By the organisation number as well as by the name in any case.
        let saved = editor
            .post_form(
                "/o/kommunen/contracts",
                &contract("212000-0142", "ekonomisystemet"),
            )
            .await
            .expect(303);
        let page = saved.location().to_owned();
        let shown = reader.get_text(&page).await;
        assert!(shown.contains("Sista dag att säga upp"), "{shown}");
        assert!(shown.contains("Ekonomisystemet"), "{shown}");
        assert!(
            shown.contains("36 månader till och med 2026-12-31"),
            "{shown}"
        );
        let form = editor.get(&format!("{page}/edit")).await.expect(200).body;
        assert!(form.contains("value=\"Visma\""), "{form}");
        assert!(form.contains("value=\"Ekonomisystemet\""), "{form}");

        // An edit moves the dates; the page tells the new arithmetic.
        let mut longer = contract("Visma", "Ekonomisystemet");
        longer[5] = ("initial_months", "60");
        editor.post_form(&page, &longer).await.expect(303);
        assert!(
            reader
                .get_text(&page)
                .await
                .contains("60 månader till och med 2028-12-31")
        );
        let list = reader.get_text("/o/kommunen/suppliers").await;
        assert!(list.contains("Visma"), "{list}");

        reader
            .post_empty(&format!("{page}/delete"))
            .await
            .expect(403);
        editor
            .post_empty(&format!("{page}/delete"))
            .await
            .expect(303);
        reader.get(&page).await.expect(404);
    }
);

dual_test!(
    only_an_administrator_sets_the_contract_lead_time_on_its_page,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let admin = k
            .signed_in("ada@kommunen.se", AppRole::Administrator)
            .await?;
        let editor = k.signed_in("eva@kommunen.se", AppRole::Editor).await?;
        let page = "/o/kommunen/settings/contracts";
        assert!(
            admin
                .get(page)
                .await
                .expect(200)
                .body
                .contains("value=\"90\"")
        );
        editor.get(page).await.expect(403);
        editor
            .post_form(page, &[("lead_days", "30")])
            .await
            .expect(403);
        for bad in ["0", "731", "tre"] {
            let r = admin
                .post_form(page, &[("lead_days", bad)])
                .await
                .expect(422);
            assert!(r.body.contains("id=\"lead_days-error\""), "{bad}");
        }
        admin
            .post_form(page, &[("lead_days", "30")])
            .await
            .expect(303);
        assert_eq!(store.contract_lead_days(k.org).await?, 30);
        assert!(
            admin
                .get(page)
                .await
                .expect(200)
                .body
                .contains("value=\"30\"")
        );
    }
);
