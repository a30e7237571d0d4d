//! Importing a spreadsheet through the pages: upload, dry run, confirm.

use axum::body::Body;
use axum::http::{Method, Request, header};
use insyn_store::Store;
use insyn_tests::{
    App, Scenario, audit_count, default_page, dual_test, io_testdata, multipart_upload, org_id,
};

fn upload(file: &str) -> Request<Body> {
    multipart_upload("/o/kommunen/import", file, &io_testdata(file))
}

dual_test!(
    a_spreadsheet_is_checked_then_imported_through_the_pages,
    |store: Store| async move {
        let org = org_id(&store, "kommunen").await?;
        let app = App::new(&store).await;
        app.get("/o/kommunen/import").await.expect(200);
        let before = audit_count(&store).await?;
        let dry = app.request(upload("asr-messy.xlsx")).await.expect(200);
        let text = dry.text();
        assert!(text.contains("Så här skulle importen bli"), "{text}");
        assert!(
            text.contains("Raden upprepar en tidigare rad"),
            "the duplicate is reported: {text}"
        );
        assert!(
            text.contains("Systemnamn saknas"),
            "the row without a name is reported: {text}"
        );
        assert_eq!(
            audit_count(&store).await?,
            before,
            "the dry run wrote nothing"
        );
        let none = default_page(&store, org).await?;
        assert_eq!(none.total, 0);
        let token = dry
            .body
            .split("/o/kommunen/import/")
            .nth(1)
            .map(|s| s.chars().take(64).collect::<String>())
            .expect("a confirm form");

        // Someone else cannot confirm another's upload.
        Scenario::at(&store, org)
            .user("annan@kommunen.se", "Annan", insyn_domain::AppRole::Editor)
            .await?;
        App::as_user(&store, "annan@kommunen.se")
            .post_empty(&format!("/o/kommunen/import/{token}"))
            .await
            .expect(410);

        let started = app
            .post_empty(&format!("/o/kommunen/import/{token}"))
            .await
            .expect(303);
        assert!(
            started.location().starts_with("/o/kommunen/jobs/"),
            "{}",
            started.location()
        );
        let done = app.finished_job(started.location()).await;
        done.assert_text_contains("Importen är klar");
        let systems = default_page(&store, org).await?;
        assert!(systems.total >= 5, "{}", systems.total);
        // The other user's creation, and the import as one event.
        assert_eq!(
            audit_count(&store).await?,
            before + 2,
            "one audit event for the import"
        );
        // A token is used once.
        app.post_empty(&format!("/o/kommunen/import/{token}"))
            .await
            .expect(410);
        // An unreadable file is refused with a message.
        let boundary = "b";
        let bad = Request::builder()
        .method(Method::POST)
        .uri("/o/kommunen/import")
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.pdf\"\r\n\r\n%PDF-1.4\r\n--{boundary}--\r\n"
        )))?;
        let r = app.request(bad).await.expect(422);
        // Not a spreadsheet: read as text, it has no header row.
        r.assert_text_contains("Ingen rubrikrad hittades");
    }
);

/// The chosen option of the select `col-<i>` on the dry-run page.
fn chosen(html: &str, i: usize) -> String {
    let start = html
        .find(&format!("<select id=\"col-{i}\""))
        .unwrap_or_else(|| panic!("no select col-{i}"));
    let select = &html[start..start + html[start..].find("</select>").expect("an end")];
    let at = select.find(" selected>").expect("a chosen option");
    let open = select[..at].rfind("value=\"").expect("a value") + 7;
    select[open..at].trim_end_matches('"').to_owned()
}

dual_test!(
    the_column_mapping_is_shown_changed_remembered_and_used,
    |store: Store| async move {
        let org = org_id(&store, "kommunen").await?;
        let app = App::new(&store).await;
        let path = format!(
            "{}/../crates/io/testdata/asr-messy.xlsx",
            env!("CARGO_MANIFEST_DIR")
        );
        let rows = insyn_io::read_table(insyn_io::Format::Xlsx, &std::fs::read(&path)?)?;
        let header = insyn_io::find_header(&rows).expect("a header");
        let name_col = header.column_of(insyn_io::Field::Name).expect("a name");
        let desc_col = header
            .column_of(insyn_io::Field::Description)
            .expect("a description");

        let dry = app.request(upload("asr-messy.xlsx")).await.expect(200);
        let html = dry.body.clone();
        assert!(
            html.contains(&format!(
                "<label for=\"col-{name_col}\" class=\"visually-hidden\">Kolumn {} (IT-systemets namn)</label>",
                (b'A' + name_col as u8) as char
            )),
            "each select is labelled with its column: {html}"
        );
        assert_eq!(chosen(&html, name_col), "name");
        assert_eq!(chosen(&html, desc_col), "description");
        let token = html
            .split("/o/kommunen/import/")
            .nth(1)
            .map(|s| s.chars().take(64).collect::<String>())
            .expect("a token");
        let mapping_uri = format!("/o/kommunen/import/{token}/mapping");
        let form = |change: &[(usize, &str)]| -> Vec<(String, String)> {
            header
                .columns
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let v = change
                        .iter()
                        .find(|(c, _)| *c == i)
                        .map(|(_, v)| v.to_string())
                        .unwrap_or_else(|| f.map(|f| f.key().to_owned()).unwrap_or_default());
                    (format!("col-{i}"), v)
                })
                .collect()
        };
        let post = |fields: Vec<(String, String)>| {
            let app = &app;
            let uri = mapping_uri.clone();
            async move {
                let refs: Vec<(&str, &str)> = fields
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                app.post_form(&uri, &refs).await
            }
        };
        let before = audit_count(&store).await?;

        // Two columns as the name, and an unknown field: an error summary
        // that links to each select, and nothing saved.
        let bad = post(form(&[(desc_col, "name"), (0, "nonsense")]))
            .await
            .expect(422);
        let b = bad.text();
        assert!(b.contains("Formuläret innehåller fel"), "{b}");
        assert!(b.contains("Systemnamn är vald för mer än en kolumn"), "{b}");
        assert!(b.contains("Välj ett av alternativen"), "{b}");
        assert!(
            bad.body.contains(&format!("href=\"#col-{desc_col}\"")),
            "{}",
            bad.body
        );
        assert!(bad.body.contains("aria-invalid=\"true\""), "{}", bad.body);
        let none = post(form(&[(name_col, "")])).await.expect(422);
        none.assert_text_contains("Ingen kolumn läses som systemnamn");
        assert_eq!(
            audit_count(&store).await?,
            before,
            "a refused mapping saves nothing"
        );

        // Ignoring the description: saved (one audited write) and the dry run shown again.
        let ok = post(form(&[(desc_col, "")])).await.expect(200);
        ok.assert_text_contains("Så här skulle importen bli");
        assert_eq!(chosen(&ok.body, desc_col), "");
        assert_eq!(audit_count(&store).await?, before + 1);
        let remembered = store.import_mapping(org).await?;
        let key = insyn_io::header_key(header.title(desc_col));
        assert_eq!(remembered.get(&key), Some(&None));

        // The import uses the adjusted mapping: no descriptions.
        let started = app
            .post_empty(&format!("/o/kommunen/import/{token}"))
            .await
            .expect(303);
        app.finished_job(started.location()).await;
        let systems = default_page(&store, org).await?;
        assert!(systems.total >= 5);
        for s in systems.items {
            let s = store.get_system(org, s.id).await?;
            assert_eq!(s.description, None, "{}", s.name);
        }

        // The next upload starts from the remembered mapping.
        let again = app.request(upload("asr-messy.xlsx")).await.expect(200);
        assert_eq!(chosen(&again.body, desc_col), "");
        assert_eq!(chosen(&again.body, name_col), "name");
    }
);
