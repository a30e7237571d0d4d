//! What every response carries (security headers, a request id), the 404s
//! of pages and API, the health check, and the static files.

use insyn_store::Store;
use insyn_tests::{App, Resp, assert_problem_fields, dual_test, org_id, problem, system};
use serde_json::json;

#[track_caller]
fn assert_security_headers(what: &str, r: &Resp) {
    let csp = r.header("content-security-policy");
    assert!(!csp.is_empty(), "{what}: no content-security-policy");
    let directive = |name: &str| -> Option<String> {
        csp.split(';')
            .map(str::trim)
            .find(|d| d.split_whitespace().next() == Some(name))
            .map(str::to_owned)
    };
    let script = directive("script-src")
        .or_else(|| directive("default-src"))
        .unwrap_or_else(|| panic!("{what}: no script-src or default-src in {csp}"));
    assert!(!script.contains("'unsafe-inline'"), "{what}: {script}");
    assert!(!script.contains("'unsafe-eval'"), "{what}: {script}");
    assert!(!script.contains('*'), "{what}: {script}");
    assert_eq!(
        directive("frame-ancestors").as_deref(),
        Some("frame-ancestors 'none'"),
        "{what}: {csp}"
    );
    assert!(directive("default-src").is_some(), "{what}: {csp}");
    assert_eq!(r.header("x-content-type-options"), "nosniff", "{what}");
    let referrer = r.header("referrer-policy");
    assert!(
        [
            "no-referrer",
            "same-origin",
            "strict-origin",
            "strict-origin-when-cross-origin"
        ]
        .contains(&referrer),
        "{what}: referrer-policy {referrer:?}"
    );
    assert!(
        !r.header("x-request-id").is_empty(),
        "{what}: no x-request-id"
    );
}

dual_test!(
    every_response_carries_the_security_headers,
    |store: Store| async move {
        let org = org_id(&store, "kommunen").await?;
        let s = system(&store, org, "Procapita").await;
        let app = App::new(&store).await;
        let sys = format!("/o/kommunen/systems/{}", s.id);
        let gets = [
            "/",
            "/o/kommunen",
            "/o/kommunen/systems",
            "/o/kommunen/systems/new",
            sys.as_str(),
            "/o/kommunen/people",
            "/finns/inte",
            "/o/finnsinte/systems",
            "/static/insyn.css",
            "/healthz",
            "/api/openapi.json",
            "/api/v1/orgs",
            "/api/v1/orgs/kommunen/systems",
            "/api/v1/orgs/kommunen/systems?lifecycle=bogus",
            "/api/v1/finns-inte",
            "/lang/en?next=/o/kommunen",
        ];
        for path in gets {
            let r = app.get(path).await;
            assert_security_headers(path, &r);
        }
        let posts = [
            (
                "form 303",
                app.post_form(
                    "/o/kommunen/systems",
                    &[("name", "X"), ("lifecycle", "planned"), ("hosting", "saas")],
                )
                .await,
            ),
            (
                "form 422",
                app.post_form("/o/kommunen/systems", &[("name", "")]).await,
            ),
            (
                "api 201",
                app.post_json("/api/v1/orgs/kommunen/systems", &json!({ "name": "Y" }))
                    .await,
            ),
            (
                "api 422",
                app.post_json("/api/v1/orgs/kommunen/systems", &json!({ "name": "" }))
                    .await,
            ),
            (
                "api malformed JSON",
                app.send_raw(
                    axum::http::Method::POST,
                    "/api/v1/orgs/kommunen/systems",
                    "application/json",
                    "{".into(),
                )
                .await,
            ),
        ];
        for (what, r) in &posts {
            assert_security_headers(what, r);
        }
        assert_eq!(posts[0].1.status, 303);
        assert_eq!(posts[2].1.status, 201);
    }
);

dual_test!(
    unknown_pages_are_html_and_unknown_api_paths_are_problems,
    |store: Store| async move {
        let app = App::new_with_org(&store, "kommunen").await?;
        for path in [
            "/finns/inte",
            "/o/kommunen/finns-inte",
            "/o/kommunen/systems/a/b/c",
        ] {
            let r = app.get(path).await.expect(404);
            assert_eq!(
                r.header("content-type"),
                "text/html; charset=utf-8",
                "{path}"
            );
            assert!(r.body.contains("<html lang=\"sv\">"), "{path}");
            let text = r.text();
            assert!(text.contains("Sidan finns inte"), "{path}: {text}");
            assert!(r.hrefs().contains(&"/".to_owned()), "a way back");
        }
        for path in [
            "/api/v1/finns-inte",
            "/api/v1/orgs/kommunen/finns-inte",
            "/api/v2/orgs",
            "/api/finns-inte",
        ] {
            let p = problem(&app.get(path).await, 404);
            assert_eq!(p["title"], "Page not found", "{path}");
        }
        // A method a route does not have is not a page either.
        let r = app
            .send_raw(
                axum::http::Method::DELETE,
                "/api/v1/orgs/kommunen",
                "application/json",
                String::new(),
            )
            .await;
        assert_eq!(r.status, 405, "{}", r.body);
    }
);

dual_test!(
    the_health_check_names_the_database,
    |store: Store| async move {
        let expected = match store.backend() {
            insyn_store::Backend::Sqlite => "sqlite",
            insyn_store::Backend::Postgres => "postgres",
        };
        let app = App::new(&store).await;
        let r = app.get("/healthz").await.expect(200);
        assert_eq!(r.header("content-type"), "application/json");
        assert_eq!(r.json(), json!({ "status": "ok", "database": expected }));
    }
);

dual_test!(
    the_start_page_lists_organisations_or_goes_to_the_only_one,
    |store: Store| async move {
        let app = App::new(&store).await;
        let empty = app.get("/").await.expect(200);
        assert!(empty.text().contains("Det finns inga organisationer ännu."));
        org_id(&store, "kommunen").await?;
        let r = app.get("/").await.expect(303);
        assert_eq!(r.location(), "/o/kommunen/systems");
        org_id(&store, "bolaget").await?;
        let both = app.get("/").await.expect(200);
        let hrefs = both.hrefs();
        assert!(
            hrefs.iter().any(|h| h.starts_with("/o/kommunen")),
            "{hrefs:?}"
        );
        assert!(
            hrefs.iter().any(|h| h.starts_with("/o/bolaget")),
            "{hrefs:?}"
        );
    }
);

dual_test!(the_stylesheet_is_served_as_css, |store: Store| async move {
    let app = App::new(&store).await;
    let r = app.get("/static/insyn.css").await.expect(200);
    assert_eq!(r.header("content-type"), "text/css; charset=utf-8");
    assert!(!r.body.is_empty());
    // Pages link it; nothing inline that the policy would block.
    let page = app.get("/").await.expect(200);
    assert!(page.body.contains("href=\"/static/insyn.css\""));
    assert!(!page.body.contains("<script"), "no script at all so far");
    assert!(
        !page.body.contains("style=\""),
        "no inline styles (style-src 'self')"
    );
});

dual_test!(
    what_people_type_is_shown_as_text_never_as_markup,
    |store: Store| async move {
        let app = App::new_with_org(&store, "kommunen").await?;
        let evil = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";
        let s = app
            .post_json_expecting(
                "/api/v1/orgs/kommunen/systems",
                &json!({ "name": evil, "vendor": evil, "tags": [evil], "capabilities": [evil] }),
                201,
            )
            .await;
        let id = s["id"].as_str().expect("an id");
        for path in [
            "/o/kommunen/systems".to_owned(),
            format!("/o/kommunen/systems/{id}"),
            format!("/o/kommunen/systems/{id}/edit"),
            "/o/kommunen/systems?q=%3Cscript%3E".to_owned(),
            "/o/kommunen/systems?q=alert(1)%3C%2Fscript%3E%22%3E".to_owned(),
        ] {
            let r = app.get(&path).await.expect(200);
            // The register's own script file (search as you type) is the
            // only script element.
            let own = r#"<script src="/static/register.js" defer></script>"#;
            assert!(!r.body.replace(own, "").contains("<script"), "{path}");
            assert!(!r.body.contains("<img"), "{path}");
            assert!(
                r.text().contains("<script>alert(1)</script>"),
                "{path}: shown as text"
            );
        }
        // Nor through a link that comes back in the page: a JavaScript URL is refused.
        let r = app
            .post_json(
                "/api/v1/orgs/kommunen/systems",
                &json!({ "name": "Länk", "doc_links": [{ "label": "x", "url": "javascript:alert(1)" }] }),
            )
            .await;
        assert_problem_fields(&r, 422, &[("doc_links", "error-not-a-url")]);
    }
);
