//! Importing an HR file (personalfil) over HTTP: the API (a multipart
//! upload, `dry_run`, `complete`) and the page's two steps, with the
//! LibreOffice fixture (`tests/fixtures/personalfil.xlsx`); readers are
//! refused.

use insyn_domain::*;
use insyn_store::Store;
use insyn_tests::{App, Scenario, audit_count, dual_test, multipart_upload, problem_fields, unit};
use serde_json::json;

const FILE: &[u8] = include_bytes!("../fixtures/personalfil.xlsx");

/// Kommunen with IT-enheten and HR-enheten, Kim and Lo in IT, Ann and Eva in HR.
async fn setup(store: &Store) -> anyhow::Result<Scenario> {
    let k = Scenario::new(store, "kommunen").await?;
    let it = unit(store, k.org, None, "IT-enheten").await;
    let hr = unit(store, k.org, None, "HR-enheten").await;
    for (name, email, u) in [
        ("Kim Karlsson", "kim@kommunen.se", &it),
        ("Lo Lind", "lo@kommunen.se", &it),
        ("Ann Ek", "ann@kommunen.se", &hr),
        ("Eva Ek", "eva@kommunen.se", &hr),
    ] {
        k.person_in(name, Some(email), u.id).await?;
    }
    Ok(k)
}

dual_test!(
    the_api_shows_an_hr_files_changes_then_makes_them_once,
    |store: Store| async move {
        let k = setup(&store).await?;
        let app = App::new(&store).await;
        let uri = "/api/v1/orgs/kommunen/people/hr-file";
        let before = audit_count(&store).await?;
        let dry = app
            .request(multipart_upload(
                &format!("{uri}?dry_run=true&complete=true"),
                "personalfil.xlsx",
                FILE,
            ))
            .await
            .expect(200)
            .json();
        assert_eq!(
            (
                dry["dry_run"].clone(),
                dry["complete"].clone(),
                dry["rows"].clone()
            ),
            (json!(true), json!(true), json!(5))
        );
        assert_eq!(dry["new_people"][0]["name"], "Nya Nilsson");
        assert_eq!(dry["new_people"].as_array().map(Vec::len), Some(1));
        // The file's employee numbers (Anst.nr) are kept: Kim gets hers,
        // Lo hers with the new name and unit.
        assert_eq!(dry["changed"][0]["fields"], json!(["employee_number"]));
        assert_eq!(dry["changed"][0]["employee_number"], "1001");
        assert_eq!(
            dry["changed"][1]["fields"],
            json!(["name", "employee_number", "unit"])
        );
        assert_eq!(dry["changed"][1]["moved"], true);
        assert_eq!(dry["new_people"][0]["employee_number"], "1004");
        let reasons: Vec<&str> = dry["leavers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["reason"].as_str().unwrap())
            .collect();
        assert_eq!(reasons, ["inactive", "missing"]);
        assert_eq!(
            dry["issues"],
            json!([{ "row": 6, "column": "unit", "code": "import-hr-unknown-unit", "value": "Ekonomi" }])
        );
        assert_eq!(audit_count(&store).await?, before);

        let done = app
            .request(multipart_upload(uri, "personalfil.xlsx", FILE))
            .await
            .expect(200)
            .json();
        assert_eq!(
            done["leavers"].as_array().map(Vec::len),
            Some(1),
            "not complete: Eva stays"
        );
        let written = audit_count(&store).await?;
        assert!(written > before);
        let people = app.get_json("/api/v1/orgs/kommunen/people?q=ann").await;
        assert_eq!(people["items"][0]["active"], false);
        // Again: nothing is written.
        let again = app
            .request(multipart_upload(uri, "personalfil.xlsx", FILE))
            .await
            .expect(200)
            .json();
        assert_eq!(
            (
                again["new_people"].clone(),
                again["changed"].clone(),
                again["leavers"].clone()
            ),
            (json!([]), json!([]), json!([]))
        );
        assert_eq!(audit_count(&store).await?, written);

        // Not an HR file: the file is named, nothing changes.
        let r = app
            .request(multipart_upload(uri, "p.csv", b"Namn;Enhet\r\nAnn;IT\r\n"))
            .await;
        assert_eq!(
            problem_fields(&r.expect(422).json()),
            [("file".to_owned(), "import-no-header".to_owned())]
        );
        assert_eq!(audit_count(&store).await?, written);
        // A reader may not.
        let reader = k.signed_in("rut@kommunen.se", AppRole::Reader).await?;
        reader
            .request(multipart_upload(uri, "personalfil.xlsx", FILE))
            .await
            .expect(403);
    }
);

dual_test!(
    the_page_shows_the_dry_run_and_imports_on_confirmation,
    |store: Store| async move {
        let k = setup(&store).await?;
        let app = App::new(&store).await;
        let page = "/o/kommunen/people/hr-file";
        app.get("/o/kommunen/people")
            .await
            .expect(200)
            .assert_text_contains("Importera personalfil");
        app.get(page)
            .await
            .expect(200)
            .assert_text_contains("Importera personalfil");
        let dry = app
            .request(multipart_upload(page, "personalfil.xlsx", FILE))
            .await
            .expect(200);
        dry.assert_text_contains(
            "Rad 5: Nya Nilsson (nya@kommunen.se) läggs till, enhet: HR-enheten.",
        );
        dry.assert_text_contains(
            "Rad 3: Lo Lind: namnet blir Lo Lindqvist, anställningsnumret blir 1002, flyttar till HR-enheten. En flytt",
        );
        dry.assert_text_contains("Rad 4: Ann Ek är inaktiv i filen.");
        dry.assert_text_contains(
            "Rad 6, kolumnen enhet: Organisationen har ingen enhet med det namnet (eller flera).",
        );
        let token = dry
            .body
            .split(&format!("{page}/"))
            .nth(1)
            .map(|s| s.chars().take(64).collect::<String>())
            .expect("a confirm form");
        let done = app.post_empty(&format!("{page}/{token}")).await.expect(200);
        done.assert_text_contains("Personalfilen är importerad.");
        // The token is used up.
        app.post_empty(&format!("{page}/{token}")).await.expect(410);
        let again = app
            .request(multipart_upload(page, "personalfil.xlsx", FILE))
            .await
            .expect(200);
        again.assert_text_contains("Inget att ändra");
        // English.
        app.lang("en")
            .get(page)
            .await
            .expect(200)
            .assert_text_contains("Import HR file");
        // A reader may not see the page.
        let reader = k.signed_in("rut@kommunen.se", AppRole::Reader).await?;
        reader.get(page).await.expect(403);
        // The main navigation leads everyone with a role to the access orders.
        let people = reader.get("/o/kommunen/people").await.expect(200);
        assert!(
            people
                .hrefs()
                .contains(&"/o/kommunen/access-orders".to_owned())
        );
        assert!(
            !people.hrefs().contains(&page.to_owned()),
            "no import link for readers"
        );
    }
);
