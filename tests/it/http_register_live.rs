//! The register's search as you type and the job page's live update
//! (issue 23): the scripts are files of this origin (the CSP allows no
//! inline script), and the register answers the script's header with its
//! results alone — the count and the rows for the typed words — while the
//! page without it is the whole page with the plain form, as before.

use axum::body::Body;
use axum::http::Request;
use insyn_store::Store;
use insyn_tests::{App, Scenario, dual_test, org_id};

dual_test!(
    the_register_answers_the_script_with_its_results_alone,
    |store: Store| async move {
        let org = org_id(&store, "kommunen").await?;
        let at = Scenario::at(&store, org);
        at.system("Lönesystemet").await;
        at.system("Ärendehanteringen").await;
        let app = App::new(&store).await;

        let fragment = |uri: &str| {
            Request::builder()
                .uri(uri)
                .header("x-insyn-fragment", "results")
                .body(Body::empty())
                .expect("a request")
        };
        let only = app
            .request(fragment("/o/kommunen/systems?q=L%C3%B6ne"))
            .await
            .expect(200);
        assert!(only.body.contains(r#"id="register-count" role="status""#));
        assert!(only.body.contains(r#"id="register-rows""#));
        assert!(only.body.contains("Lönesystemet"), "{}", only.body);
        assert!(!only.body.contains("Ärendehanteringen"), "{}", only.body);
        assert!(!only.body.contains("<html"), "the results alone");
        assert!(!only.body.contains("<form"), "no form in the results");
        only.assert_text_contains("av 1 system");

        let none = app
            .request(fragment("/o/kommunen/systems?q=finnsinte"))
            .await
            .expect(200);
        none.assert_text_contains("Inga system matchar");

        // Without the header: the whole page, its form and its script.
        let page = app.get("/o/kommunen/systems?q=L%C3%B6ne").await.expect(200);
        assert!(page.body.contains("<html"));
        assert!(page.body.contains(r#"<form class="filters" method="get""#));
        assert!(
            page.body
                .contains(r#"<script src="/static/register.js" defer></script>"#)
        );
        assert!(page.body.contains(r#"id="register-results""#));
        assert!(page.body.contains("Lönesystemet"));
        assert!(!page.body.contains("Ärendehanteringen"));
    }
);

dual_test!(
    the_scripts_are_served_as_javascript,
    |store: Store| async move {
        let app = App::new(&store).await;
        for (path, needle) in [
            ("/static/register.js", "x-insyn-fragment"),
            ("/static/job.js", "job-bar"),
        ] {
            let r = App::anonymous(&store).get(path).await.expect(200);
            assert_eq!(r.header("content-type"), "text/javascript; charset=utf-8");
            assert!(r.body.contains(needle), "{path}");
            assert!(
                r.header("content-security-policy")
                    .contains("script-src 'self'")
            );
        }
        app.get("/static/nothing.js").await.expect(404);
    }
);
