//! Processor agreements through the API and the pages: an editor records
//! one, a reader sees its state and reasons; a bad country and an unknown
//! field are refused naming them; the gap list names the supplier until an
//! agreement is recorded through the form, where the supplier and the
//! system are typed by name (an unknown name is refused naming the field).

use axum::http::Method;
use insyn_domain::AppRole;
use insyn_store::Store;
use insyn_tests::{Scenario, dual_test};
use serde_json::json;

dual_test!(
    an_agreement_through_the_api_and_a_gap_closed_through_the_form,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let sys = k.system("Procapita").await;
        k.information_set(sys.id, "Brukare", true, false).await?;
        let editor = k.signed_in("eva@kommunen.se", AppRole::Editor).await?;
        let reader = k.signed_in("rut@kommunen.se", AppRole::Reader).await?;
        let api = "/api/v1/orgs/kommunen";
        let s = editor
            .post_json_expecting(
                &format!("{api}/suppliers"),
                &json!({ "name": "Tieto" }),
                201,
            )
            .await;
        let sid = s["id"].as_str().unwrap().to_owned();
        editor
            .put_json_expecting(
                &format!("{api}/systems/{}/supplier", sys.id),
                &json!({ "supplier_id": sid }),
                200,
            )
            .await;
        let gaps = reader.get_json(&format!("{api}/processor-gaps")).await;
        assert_eq!(gaps["total"], 1);
        assert_eq!(gaps["items"][0]["supplier_name"], "Tieto");
        let page = reader.get("/o/kommunen/processors").await.expect(200);
        assert!(page.body.contains("Procapita"), "{}", page.body);

        let agreements = format!("{api}/processor-agreements");
        let bad =
            json!({ "supplier_id": sid, "transfers": [{ "country": "USA", "mechanism": "none" }] });
        let refused = editor.post_json(&agreements, &bad).await.expect(422);
        assert!(refused.body.contains("transfers"), "{}", refused.body);
        assert!(
            refused.body.contains("error-processor-country"),
            "{}",
            refused.body
        );
        let unknown = json!({ "supplier_id": sid, "colour": "red" });
        editor.post_json(&agreements, &unknown).await.expect(422);
        let body = json!({
            "supplier_id": sid,
            "system_ids": [sys.id],
            "signed_on": "2025-01-10",
            "transfers": [{ "country": "US", "mechanism": "none" }],
        });
        reader.post_json(&agreements, &body).await.expect(403);
        let a = editor.post_json_expecting(&agreements, &body, 201).await;
        assert_eq!(a["assessment"]["status"], "not_valid");
        let id = a["id"].as_str().unwrap().to_owned();
        let got = reader.get_json(&format!("{agreements}/{id}")).await;
        assert!(
            got["assessment"]["reasons_en"][0]
                .as_str()
                .is_some_and(|r| r.contains("US has no transfer mechanism")),
            "{got}"
        );
        assert_eq!(reader.get_json(&agreements).await["total"], 1);
        // Still a gap: the agreement is not valid.
        assert_eq!(
            reader.get_json(&format!("{api}/processor-gaps")).await["total"],
            1
        );

        // Through the form: an unknown supplier name is refused naming the field.
        let wrong = editor
            .post_form(
                "/o/kommunen/processors",
                &[("supplier_id", "Ingen sådan"), ("system_ids", "Procapita")],
            )
            .await
            .expect(422);
        assert!(
            wrong.body.contains("href=\"#supplier_id\""),
            "{}",
            wrong.body
        );
        let done = editor
            .post_form(
                "/o/kommunen/processors",
                &[
                    ("supplier_id", "tieto"),
                    ("system_ids", "Procapita"),
                    ("signed_on", "2025-02-01"),
                    ("review_interval_months", "24"),
                    ("sub_name", "Drift Oy"),
                    ("sub_country", "fi"),
                    ("sub_activity", "Drift"),
                    ("transfer_country", ""),
                    ("transfer_mechanism", "none"),
                    ("transfer_note", ""),
                ],
            )
            .await
            .expect(303);
        let shown = reader.get(done.location()).await.expect(200);
        assert!(shown.body.contains("Drift Oy"), "{}", shown.body);
        assert!(shown.body.contains("Giltigt"), "{}", shown.body);
        assert_eq!(
            reader.get_json(&format!("{api}/processor-gaps")).await["total"],
            0
        );
        let tab = reader
            .get(&format!("/o/kommunen/systems/{}/processors", sys.id))
            .await
            .expect(200);
        assert!(tab.body.contains("Tieto"), "{}", tab.body);
        // Removed from its page by an editor (never by a reader): the gap is back.
        let remove = format!("{}/delete", done.location());
        reader.post_form(&remove, &[]).await.expect(403);
        assert!(
            !shown.body.contains("Ta bort biträdesavtalet"),
            "{}",
            shown.body
        );
        let own = editor.get(done.location()).await.expect(200);
        assert!(own.body.contains("Ta bort biträdesavtalet"), "{}", own.body);
        let gone = editor.post_form(&remove, &[]).await.expect(303);
        assert_eq!(gone.location(), "/o/kommunen/processors");
        reader.get(done.location()).await.expect(404);
        assert_eq!(
            reader.get_json(&format!("{api}/processor-gaps")).await["total"],
            1
        );
        // Readers may not open the form; another organisation sees nothing.
        reader.get("/o/kommunen/processors/new").await.expect(403);
        editor
            .send_raw(
                Method::DELETE,
                &format!("{agreements}/{id}"),
                "application/json",
                String::new(),
            )
            .await
            .expect(204);
        reader.get(&format!("{agreements}/{id}")).await.expect(404);
    }
);
