//! Importing a system's user list over HTTP: the API (a multipart upload,
//! `dry_run`) and the page's two steps; and the user's language, which
//! the notices of access orders are written in.

use insyn_domain::access::{AccessProfileDraft, Parties};
use insyn_store::Store;
use insyn_tests::{App, Scenario, actor, audit_count, dual_test, multipart_upload, problem_fields};
use serde_json::json;

const LIST: &str = "E-post;Behörighet\r\nann@kommunen.se;Läsare\r\n;Läsare\r\n";

/// An organisation with Treserva, its one profile "Läsare", and Ann.
async fn setup(store: &Store) -> anyhow::Result<(App, String)> {
    let k = Scenario::new(store, "kommunen").await?;
    let app = App::new(store).await;
    let system = k.system("Treserva").await.id;
    store
        .create_access_profile(
            &actor(),
            k.org,
            system,
            AccessProfileDraft::named("Läsare"),
            &Parties::default(),
        )
        .await?;
    k.person("Ann Ek", Some("ann@kommunen.se")).await?;
    Ok((app, system.to_string()))
}

dual_test!(
    the_api_shows_the_differences_then_records_them_once,
    |store: Store| async move {
        let (app, system) = setup(&store).await?;
        let uri = format!("/api/v1/orgs/kommunen/systems/{system}/user-list");
        let before = audit_count(&store).await?;
        let dry = app
            .request(multipart_upload(
                &format!("{uri}?dry_run=true"),
                "users.csv",
                LIST.as_bytes(),
            ))
            .await
            .expect(200)
            .json();
        assert_eq!(dry["dry_run"], true);
        assert_eq!(dry["differences"], json!([{ "kind": "unknown", "row": 2 }]));
        assert_eq!(dry["changes"][0]["kind"], "holding");
        assert_eq!(dry["changes"].as_array().map(Vec::len), Some(1));
        assert_eq!(
            dry["issues"],
            json!([{ "row": 3, "column": "email", "code": "import-roster-no-account", "value": "" }])
        );
        assert_eq!(audit_count(&store).await?, before);

        let done = app
            .request(multipart_upload(&uri, "users.csv", LIST.as_bytes()))
            .await
            .expect(200)
            .json();
        assert_eq!(done["changes"].as_array().map(Vec::len), Some(1));
        assert_eq!(audit_count(&store).await?, before + 1);
        let held = app
            .get_json(&format!("/api/v1/orgs/kommunen/systems/{system}/holdings"))
            .await;
        assert_eq!(held["total"], 1);
        // Again: the list and insyn agree, nothing is written.
        let again = app
            .request(multipart_upload(&uri, "users.csv", LIST.as_bytes()))
            .await
            .expect(200)
            .json();
        assert_eq!(again["differences"], json!([]));
        assert_eq!(again["changes"], json!([]));
        assert_eq!(audit_count(&store).await?, before + 1);

        // Not a user list: the file is named, nothing changes.
        let r = app
            .request(multipart_upload(
                &uri,
                "users.csv",
                b"Namn;Roll\r\nAnn;Reader\r\n",
            ))
            .await;
        assert_eq!(
            problem_fields(&r.expect(422).json()),
            [("file".to_owned(), "import-no-header".to_owned())]
        );
        let unknown = format!(
            "/api/v1/orgs/kommunen/systems/{}/user-list",
            uuid::Uuid::now_v7()
        );
        app.request(multipart_upload(&unknown, "users.csv", LIST.as_bytes()))
            .await
            .expect(404);
    }
);

dual_test!(
    the_page_shows_the_dry_run_and_records_on_confirmation,
    |store: Store| async move {
        let (app, system) = setup(&store).await?;
        let page = format!("/o/kommunen/systems/{system}/user-list");
        app.get(&page)
            .await
            .expect(200)
            .assert_text_contains("Importera användarlista");
        let dry = app
            .request(multipart_upload(&page, "users.csv", LIST.as_bytes()))
            .await
            .expect(200);
        dry.assert_text_contains("Rad 2: Ann Ek har Läsare enligt listan.");
        dry.assert_text_contains(
            "Rad 3, kolumnen e-post: Raden saknar både användarnamn och e-postadress.",
        );
        let token = dry
            .body
            .split(&format!("{page}/"))
            .nth(1)
            .map(|s| s.chars().take(64).collect::<String>())
            .expect("a confirm form");
        let done = app.post_empty(&format!("{page}/{token}")).await.expect(200);
        done.assert_text_contains("Användarlistan är importerad.");
        // The token is used up.
        app.post_empty(&format!("{page}/{token}")).await.expect(410);
        let none = app
            .request(multipart_upload(&page, "users.csv", b""))
            .await
            .expect(422);
        none.assert_text_contains("Välj en fil att importera.");
    }
);

dual_test!(
    a_user_sets_their_language_on_the_account_page_and_in_the_api,
    |store: Store| async move {
        let app = App::new_with_org(&store, "kommunen").await?;
        assert_eq!(app.get_json("/api/v1/me").await["language"], "sv");
        let set = app
            .put_json_expecting("/api/v1/me/language", &json!({ "language": "en" }), 200)
            .await;
        assert_eq!(set["language"], "en");
        assert_eq!(app.get_json("/api/v1/me").await["language"], "en");
        // The pages start in it (the language switch's cookie still wins).
        app.get("/account")
            .await
            .expect(200)
            .assert_text_contains("My account");
        app.lang("sv")
            .get("/account")
            .await
            .expect(200)
            .assert_text_contains("Mitt konto");
        app.put_json("/api/v1/me/language", &json!({ "language": "de" }))
            .await
            .expect(422);
        app.post_form("/account/language", &[("language", "sv")])
            .await
            .expect(303);
        assert_eq!(app.get_json("/api/v1/me").await["language"], "sv");
        app.post_form("/account/language", &[("language", "xx")])
            .await
            .expect(422);
    }
);
