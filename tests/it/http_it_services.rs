//! IT services through the API and the pages: an editor defines one and
//! follows it up (entered and imported), a reader sees the levels judged
//! and the chart with its table; a bad file changes nothing and names each
//! row and field (in Swedish on the page); readers may not write; the
//! system's tab lists the services it is behind.

use axum::http::Method;
use insyn_domain::AppRole;
use insyn_store::Store;
use insyn_tests::{Scenario, audit_count, dual_test, multipart_upload, problem_fields, unit};
use serde_json::json;

dual_test!(
    a_service_through_the_api_and_its_follow_up_imported_and_charted,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let sys = k.system("Office").await;
        let it = unit(&store, k.org, None, "IT-enheten").await;
        let editor = k.signed_in("eva@kommunen.se", AppRole::Editor).await?;
        let reader = k.signed_in("rut@kommunen.se", AppRole::Reader).await?;
        let services = "/api/v1/orgs/kommunen/services";
        let body = json!({
            "name": "Arbetsplatstjänst",
            "unit_id": it.id,
            "yearly_cost": 1200000,
            "system_ids": [sys.id],
            "levels": { "availability_target": 99.5, "support_hours": "vardagar 07–17",
                        "response_hours": 4, "resolution_hours": 24 },
        });
        reader.post_json(services, &body).await.expect(403);
        let both = json!({ "name": "X", "unit_id": it.id, "supplier_id": it.id, "colour": 1 });
        editor.post_json(services, &both).await.expect(422);
        let bad = json!({ "name": "X", "levels": { "availability_target": 120 } });
        let refused = editor.post_json(services, &bad).await.expect(422).json();
        let fields = problem_fields(&refused);
        assert!(
            fields.contains(&("unit_id".into(), "error-service-one-deliverer".into())),
            "{fields:?}"
        );
        assert!(
            fields.contains(&(
                "levels.availability_target".into(),
                "error-service-percentage".into()
            )),
            "{fields:?}"
        );
        let s = editor.post_json_expecting(services, &body, 201).await;
        assert_eq!(s["delivered_by"]["kind"], "unit");
        assert_eq!(s["delivered_by"]["name"], "IT-enheten");
        let id = s["id"].as_str().unwrap().to_owned();
        let follow_ups = format!("{services}/{id}/follow-ups");
        let f = editor
            .post_json_expecting(
                &follow_ups,
                &json!({ "period": "2026-01", "measured_availability": 98.9, "response_met": 10, "response_missed": 0 }),
                201,
            )
            .await;
        assert_eq!(f["judgement"]["availability"], "missed");
        assert_eq!(f["judgement"]["response"], "met");
        assert_eq!(f["judgement"]["resolution"], "not_measured");
        let again = editor
            .post_json(&follow_ups, &json!({ "period": "2026-01" }))
            .await
            .expect(422)
            .json();
        assert_eq!(problem_fields(&again)[0].1, "error-service-period-taken");

        // A file with a bad row changes nothing and names the row and field.
        let import = format!("{follow_ups}/import");
        let before = audit_count(&store).await?;
        let wrong =
            b"Period;Tillg\xc3\xa4nglighet\r\n2026-02;99,9\r\n2026-03;hundra\r\n2026-14;99\r\n";
        let e = editor
            .request(multipart_upload(&import, "f.csv", wrong))
            .await
            .expect(422)
            .json();
        let fields = problem_fields(&e);
        assert_eq!(
            fields,
            [
                (
                    "rows[3].measured_availability".to_string(),
                    "error-service-percentage".to_string()
                ),
                (
                    "rows[4].period".to_string(),
                    "error-service-period".to_string()
                ),
            ]
        );
        assert_eq!(audit_count(&store).await?, before);
        let good = b"Period;Tillg\xc3\xa4nglighet;Svarstid ej uppfylld;Kommentar\r\n2026-01;99,7;0;R\xc3\xa4ttad\r\n2026-02;99,9;2;\r\n";
        let done = editor
            .request(multipart_upload(&import, "f.csv", good))
            .await
            .expect(200)
            .json();
        assert_eq!(
            (done["added"].clone(), done["replaced"].clone()),
            (json!(1), json!(1))
        );
        let list = reader.get_json(&follow_ups).await;
        assert_eq!(list["total"], 2);
        assert_eq!(list["items"][0]["period"], "2026-02");
        assert_eq!(list["items"][0]["judgement"]["response"], "missed");
        assert_eq!(list["items"][1]["judgement"]["availability"], "met");

        // The page: levels, the chart with its title, the same numbers in the table.
        let page = reader
            .get(&format!("/o/kommunen/services/{id}"))
            .await
            .expect(200);
        page.assert_text_contains("Arbetsplatstjänst");
        for want in [
            "role=\"img\"",
            "Överenskommen och uppmätt tillgänglighet per period",
            "99,5 %",
            "99,9 %",
            "Ej uppfylld",
            "vardagar 07–17",
        ] {
            assert!(page.body.contains(want), "{want} not in {}", page.body);
        }
        assert!(
            !page.body.contains("/follow-ups/import"),
            "a reader gets no forms"
        );
        let list_page = reader.get("/o/kommunen/services").await.expect(200);
        assert!(
            list_page.body.contains("1 200 000 kr")
                || list_page.body.contains("1\u{a0}200\u{a0}000 kr"),
            "{}",
            list_page.body
        );
        let tab = reader
            .get(&format!("/o/kommunen/systems/{}/services", sys.id))
            .await
            .expect(200);
        assert!(tab.body.contains("Arbetsplatstjänst"), "{}", tab.body);

        // The page's import names the row and the column in Swedish.
        let refused = editor
            .request(multipart_upload(
                &format!("/o/kommunen/services/{id}/follow-ups/import"),
                "f.csv",
                wrong,
            ))
            .await
            .expect(422);
        refused.assert_text_contains(
            "Rad 3, kolumnen Tillgänglighet: Ange en procentsats mellan 0 och 100",
        );
        // The page's form: a bad period named on its field, a good one kept.
        let form = format!("/o/kommunen/services/{id}/follow-ups");
        let bad = editor
            .post_form(
                &form,
                &[("period", "mars"), ("measured_availability", "99,2")],
            )
            .await
            .expect(422);
        assert!(bad.body.contains("href=\"#f-period\""), "{}", bad.body);
        assert!(bad.body.contains("value=\"99,2\""), "{}", bad.body);
        editor
            .post_form(
                &form,
                &[("period", "2026-Q2"), ("measured_availability", "99,2")],
            )
            .await
            .expect(303);
        assert_eq!(reader.get_json(&follow_ups).await["total"], 3);
        // The quarter missed its target: its bar hatched and crossed, not only coloured.
        let charted = reader
            .get(&format!("/o/kommunen/services/{id}"))
            .await
            .expect(200);
        assert_eq!(
            charted.body.matches("fill=\"url(#missed-hatch)\"").count(),
            1
        );
        assert_eq!(charted.body.matches(">✗<").count(), 1);

        // Readers may not open the form; removing takes the follow-ups too.
        reader.get("/o/kommunen/services/new").await.expect(403);
        editor
            .send_raw(
                Method::DELETE,
                &format!("{services}/{id}"),
                "application/json",
                String::new(),
            )
            .await
            .expect(204);
        reader.get(&format!("{services}/{id}")).await.expect(404);
    }
);

dual_test!(
    a_service_is_defined_and_changed_through_the_form,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        k.system("Treserva").await;
        let it = unit(&store, k.org, None, "IT-enheten").await;
        k.person("Ola Ägare", Some("ola@kommunen.se")).await?;
        let editor = k.signed_in("eva@kommunen.se", AppRole::Editor).await?;
        editor.get("/o/kommunen/services/new").await.expect(200);
        let unit_id = it.id.to_string();
        let wrong = editor
            .post_form(
                "/o/kommunen/services",
                &[
                    ("name", "Drift"),
                    ("delivered_by", "supplier"),
                    ("supplier", "Ingen sådan"),
                    ("owner", "Ingen"),
                    ("availability_target", "hög"),
                ],
            )
            .await
            .expect(422);
        for field in ["#s-supplier", "#s-owner", "#s-availability_target"] {
            assert!(
                wrong.body.contains(&format!("href=\"{field}\"")),
                "{field} in {}",
                wrong.body
            );
        }
        let done = editor
            .post_form(
                "/o/kommunen/services",
                &[
                    ("name", "Verksamhetssystem drift"),
                    ("delivered_by", "unit"),
                    ("unit_id", &unit_id),
                    ("owner", "ola@kommunen.se"),
                    ("yearly_cost", "450 000"),
                    ("system_ids", "Treserva"),
                    ("availability_target", "99,8"),
                    ("response_hours", "2"),
                ],
            )
            .await
            .expect(303);
        let shown = editor.get(done.location()).await.expect(200);
        for want in ["Ola Ägare", "Treserva", "99,8 %", "2 timmar"] {
            assert!(shown.body.contains(want), "{want} not in {}", shown.body);
        }
        let edit = format!("{}/edit", done.location());
        let form = editor.get(&edit).await.expect(200);
        assert!(form.body.contains("value=\"Treserva\""), "{}", form.body);
        editor
            .post_form(&format!("{}/delete", done.location()), &[])
            .await
            .expect(303);
        editor.get(done.location()).await.expect(404);
    }
);
