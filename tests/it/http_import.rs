//! Importing a spreadsheet through the pages: upload, dry run, confirm.

use axum::body::Body;
use axum::http::{Method, Request, header};
use insyn_store::Store;
use insyn_tests::{App, audit_count, dual_test, org_id};

fn upload(file: &str) -> Request<Body> {
    let path = format!(
        "{}/../crates/io/testdata/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let boundary = "insyn-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Request::builder()
        .method(Method::POST)
        .uri("/o/kommunen/import")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .expect("a request")
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
        let none = store
            .list_systems(
                org,
                &Default::default(),
                Default::default(),
                false,
                Default::default(),
            )
            .await?;
        assert_eq!(none.total, 0);
        let token = dry
            .body
            .split("/o/kommunen/import/")
            .nth(1)
            .map(|s| s.chars().take(64).collect::<String>())
            .expect("a confirm form");

        // Someone else cannot confirm another's upload.
        store
            .create_user(
                &insyn_tests::actor(),
                "annan@kommunen.se",
                "Annan",
                None,
                &[insyn_domain::Grant {
                    org_id: Some(org),
                    role: insyn_domain::AppRole::Editor,
                }],
            )
            .await?;
        App::as_user(&store, "annan@kommunen.se")
            .post_empty(&format!("/o/kommunen/import/{token}"))
            .await
            .expect(410);

        let done = app
            .post_empty(&format!("/o/kommunen/import/{token}"))
            .await
            .expect(200);
        assert!(done.text().contains("Importen är klar"), "{}", done.text());
        let systems = store
            .list_systems(
                org,
                &Default::default(),
                Default::default(),
                false,
                Default::default(),
            )
            .await?;
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
        assert!(
            r.text().contains("Ingen rubrikrad hittades"),
            "{}",
            r.text()
        );
    }
);
