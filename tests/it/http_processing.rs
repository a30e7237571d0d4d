//! Records of processing (GDPR art. 30) through the API and as pages: an
//! editor records, a reader reads and may not write; strict bodies name the
//! field; the list per controller names what a record lacks in Swedish and
//! English; the form finds systems by name; the export per controller is an
//! .xlsx the project's reader (calamine) and LibreOffice both open.

use insyn_domain::AppRole;
use insyn_store::Store;
use insyn_tests::{Scenario, dual_test, unit};
use serde_json::json;

dual_test!(
    an_editor_records_a_processing_and_a_reader_sees_what_it_lacks,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let sys = k.system("Treserva").await;
        let editor = k.signed_in("eva@kommunen.se", AppRole::Editor).await?;
        let reader = k.signed_in("rut@kommunen.se", AppRole::Reader).await?;
        let list = "/api/v1/orgs/kommunen/processing-records";

        let body = json!({ "name": "Ekonomiskt bistånd", "system_ids": [sys.id] });
        reader.post_json(list, &body).await.expect(403);
        let long = json!({ "name": "X", "retention": "å".repeat(4001) });
        let refused = editor.post_json(list, &long).await.expect(422);
        assert!(refused.body.contains("retention"), "{}", refused.body);

        let r = editor.post_json_expecting(list, &body, 201).await;
        assert_eq!(r["controller"], "Org kommunen");
        assert!(
            r["missing"]
                .as_array()
                .unwrap()
                .contains(&json!("processing-missing-purposes")),
            "{r}"
        );
        let one = format!("{list}/{}", r["id"].as_str().unwrap());
        let mut d = body.clone();
        d["purposes"] = json!("Handläggning");
        let r = editor.put_json_expecting(&one, &d, 200).await;
        assert!(
            !r["missing"]
                .as_array()
                .unwrap()
                .contains(&json!("processing-missing-purposes")),
            "{r}"
        );
        assert_eq!(reader.get_json(list).await["total"], 1);
        // The system's personal-data tab links the record that names it.
        let tab = reader
            .get(&format!("/o/kommunen/systems/{}/processors", sys.id))
            .await
            .expect(200);
        assert!(
            tab.body.contains(&format!(
                "/o/kommunen/processing-records/{}",
                r["id"].as_str().unwrap()
            )),
            "{}",
            tab.body
        );
        // One controller's records, a page at a time; a controller that is
        // neither `org` nor an id is named in the error.
        let own = reader
            .get_json(&format!("{list}?controller=org&per_page=1"))
            .await;
        assert_eq!(
            (own["total"].as_i64(), own["per_page"].as_i64()),
            (Some(1), Some(1))
        );
        let other_unit = format!("{list}?controller={}", uuid::Uuid::new_v4());
        assert_eq!(reader.get_json(&other_unit).await["total"], 0);
        let bad = reader
            .get(&format!("{list}?controller=nämnden"))
            .await
            .expect(422);
        assert!(bad.body.contains("controller"), "{}", bad.body);
        assert_eq!(
            reader.get_json(&one).await["systems"][0]["name"],
            "Treserva"
        );
        reader.put_json(&one, &d).await.expect(403);
        let gone = editor
            .request(
                axum::http::Request::delete(&one)
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(gone.status, 204, "{}", gone.body);
        reader.get(&one).await.expect(404);
    }
);

dual_test!(
    the_pages_list_per_controller_with_the_missing_items_and_the_form_finds_systems,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let nämnd = unit(&store, k.org, None, "Socialnämnden").await;
        k.system("Treserva").await;
        let editor = k.signed_in("eva@kommunen.se", AppRole::Editor).await?;
        let base = "/o/kommunen/processing-records";

        // A name no system has: refused, naming the field.
        let unit_id = nämnd.id.to_string();
        let refused = editor
            .post_form(
                base,
                &[
                    ("unit_id", unit_id.as_str()),
                    ("name", "Ekonomiskt bistånd"),
                    ("system", "Finns inte"),
                ],
            )
            .await
            .expect(422);
        assert!(
            refused.body.contains(r#"value="Finns inte""#),
            "{}",
            refused.body
        );
        assert!(
            refused.body.contains("p-system_ids-error"),
            "{}",
            refused.body
        );

        let done = editor
            .post_form(
                base,
                &[
                    ("unit_id", unit_id.as_str()),
                    ("name", "Ekonomiskt bistånd"),
                    ("purposes", "Handläggning"),
                    ("system", "treserva"),
                    ("transfer_country_1", "Indien"),
                    ("transfer_mechanism_1", ""),
                ],
            )
            .await
            .expect(303);
        let record = editor.get(done.location()).await.expect(200);
        record.assert_text_contains("Treserva");
        record.assert_text_contains("skyddsåtgärd för överföring till tredjeland");

        let sv = editor.get(base).await.expect(200);
        sv.assert_text_contains("Socialnämnden");
        sv.assert_text_contains("Ofullständig");
        sv.assert_text_contains("gallringsfrist");
        let en = editor.lang("en").get(base).await.expect(200);
        en.assert_text_contains("time limits for erasure");

        let print = editor
            .get(&format!("{base}/print?controller={unit_id}"))
            .await
            .expect(200);
        print.assert_text_contains("Ekonomiskt bistånd");
        print.assert_text_contains("Personuppgiftsansvarig: Socialnämnden");
        editor
            .get(&format!("{base}/print?controller=x"))
            .await
            .expect(404);

        // A reader sees the list but gets no form.
        let reader = k.signed_in("rut@kommunen.se", AppRole::Reader).await?;
        reader.get(base).await.expect(200);
        reader.get(&format!("{base}/new")).await.expect(403);
    }
);

dual_test!(
    the_export_per_controller_opens_in_the_xlsx_reader_and_in_libreoffice,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let nämnd = unit(&store, k.org, None, "Socialnämnden").await;
        let s = k.system("Treserva").await;
        let d = crate::store_processing::complete("Ekonomiskt bistånd", Some(nämnd.id), vec![s.id]);
        store
            .create_processing_record(&insyn_tests::actor(), k.org, d)
            .await?;
        let other = crate::store_processing::complete("Personalregister", None, vec![]);
        store
            .create_processing_record(&insyn_tests::actor(), k.org, other)
            .await?;
        let reader = k.signed_in("rut@kommunen.se", AppRole::Reader).await?;
        let uri = format!(
            "/o/kommunen/processing-records/export.xlsx?controller={}",
            nämnd.id
        );
        let (status, headers, bytes) = reader.get_bytes(&uri).await;
        assert_eq!(status, 200);
        assert!(
            headers["content-disposition"]
                .to_str()?
                .contains("registerforteckning.xlsx")
        );
        let rows = insyn_io::read_table(insyn_io::Format::Xlsx, &bytes)?;
        let text = |c: &insyn_io::Cell| format!("{c:?}");
        let header: Vec<String> = rows[0].iter().map(text).collect();
        assert_eq!(header.len(), 23, "{header:?}");
        assert!(header[3].contains("Ändamål"), "{header:?}");
        assert_eq!(rows.len(), 2, "one row per record of this controller");
        let row: Vec<String> = rows[1].iter().map(text).collect();
        assert!(row[0].contains("Ekonomiskt bistånd"), "{row:?}");
        assert!(row[1].contains("Socialnämnden"), "{row:?}");
        assert!(
            row[13].contains("USA (EU–US Data Privacy Framework)"),
            "{row:?}"
        );
        assert!(row[21].contains("Treserva"), "{row:?}");

        // LibreOffice, when installed, converts it to CSV.
        let dir = std::env::temp_dir().join(format!("insyn-processing-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir)?;
        let file = dir.join("registerforteckning.xlsx");
        std::fs::write(&file, &bytes)?;
        let converted = std::process::Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                dir.join("profile").display()
            ))
            // UTF-8 (76), comma-separated (44), quoted with " (34).
            .args([
                "--headless",
                "--convert-to",
                "csv:Text - txt - csv (StarCalc):44,34,76",
                "--outdir",
            ])
            .arg(&dir)
            .arg(&file)
            .output();
        match converted {
            Err(e) => eprintln!(
                "skipping the LibreOffice check: soffice cannot be started ({e}); the xlsx reader's check above ran"
            ),
            Ok(out) => {
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                let csv = std::fs::read(dir.join("registerforteckning.csv"))?;
                let csv = String::from_utf8_lossy(&csv);
                assert!(csv.contains("Ekonomiskt bistånd"), "{csv}");
                assert!(csv.contains("Socialnämnden"), "{csv}");
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
);
