//! The language: Swedish by default, English with the `lang` cookie, which
//! `/lang/{code}` sets before going back, only ever to a local path.

use insyn_store::Store;
use insyn_tests::{App, dual_test};

dual_test!(
    swedish_by_default_and_english_with_the_cookie,
    |store: Store| async move {
        let app = App::new_with_org(&store, "kommunen").await?;

        let sv = app.get("/o/kommunen/systems").await.expect(200);
        assert!(sv.body.starts_with("<!DOCTYPE html>"));
        assert!(sv.body.contains("<html lang=\"sv\">"));
        let text = sv.text();
        for part in [
            "Systemregister",
            "Hoppa till innehållet",
            "Nytt system",
            "Personer",
        ] {
            assert!(text.contains(part), "{part:?} missing: {text}");
        }
        assert!(!text.contains("System register"));
        // The switch offers English, in English, and comes back here.
        assert!(
            sv.hrefs()
                .contains(&"/lang/en?next=%2Fo%2Fkommunen%2Fsystems".to_owned()),
            "{:?}",
            sv.hrefs()
        );
        assert!(sv.body.contains("lang=\"en\" hreflang=\"en\">English</a>"));

        // Switching: the cookie, and back to the page.
        let r = app
            .get("/lang/en?next=%2Fo%2Fkommunen%2Fsystems%3Fq%3Dekonomi")
            .await
            .expect(303);
        assert_eq!(r.location(), "/o/kommunen/systems?q=ekonomi");
        let cookie = r.header("set-cookie");
        assert!(cookie.starts_with("lang=en;"), "{cookie}");
        assert!(cookie.contains("Path=/"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"), "{cookie}");
        let r = app.get("/lang/en?next=/o/x/systems").await.expect(303);
        assert_eq!(r.location(), "/o/x/systems");
        let r = app.get("/lang/sv?next=/o/x/systems").await.expect(303);
        assert!(r.header("set-cookie").starts_with("lang=sv;"));
        // Without a next, to the start page.
        assert_eq!(app.get("/lang/en").await.expect(303).location(), "/");

        // With the cookie: English.
        let en = app.lang("en").get("/o/kommunen/systems").await.expect(200);
        assert!(en.body.contains("<html lang=\"en\">"));
        let text = en.text();
        for part in ["System register", "Skip to content", "New system", "People"] {
            assert!(text.contains(part), "{part:?} missing: {text}");
        }
        assert!(!text.contains("Systemregister"));
        assert!(en.body.contains("lang=\"sv\" hreflang=\"sv\">Svenska</a>"));
        // An unknown language in the cookie is Swedish.
        let other = app.lang("de").get("/o/kommunen/systems").await.expect(200);
        assert!(other.body.contains("<html lang=\"sv\">"));
        // Error pages follow the language too.
        let nf = app.lang("en").get("/finns/inte").await.expect(404);
        assert!(nf.body.contains("<html lang=\"en\">"));
        assert!(nf.text().contains("Page not found"));
    }
);

/// The switch touches no data: one backend is enough.
#[tokio::test]
async fn the_language_switch_never_sends_anyone_elsewhere() {
    let (store, _dir) = insyn_tests::sqlite_store().await;
    {
        let app = App::new(&store).await;
        // Absolute and protocol-relative addresses go to the start page.
        for next in [
            "https://evil.example",
            "https%3A%2F%2Fevil.example%2Fo%2Fx",
            "//evil.example",
            "%2F%2Fevil.example",
            "javascript:alert(1)",
            "evil.example",
        ] {
            let r = app.get(&format!("/lang/en?next={next}")).await.expect(303);
            assert_eq!(r.location(), "/", "next={next}");
        }
        // Browsers read a backslash as a slash, and drop tabs and line breaks
        // inside a URL: "/\evil.example" and "/<TAB>/evil.example" both lead
        // to evil.example. Such a `next` must not come back as the Location.
        for next in [
            "/%5Cevil.example",
            "/%5C%5Cevil.example",
            "/%09/evil.example",
            "/%0A/evil.example",
        ] {
            let r = app.get(&format!("/lang/en?next={next}")).await;
            assert!(
                r.status.is_redirection(),
                "next={next}: {} {}",
                r.status,
                r.body
            );
            let loc = r.location();
            let normalised: String = loc
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .map(|c| if c == '\\' { '/' } else { c })
                .collect();
            assert!(
                normalised.starts_with('/') && !normalised.starts_with("//"),
                "next={next} redirects to {loc:?}, which a browser reads as another site"
            );
            assert!(r.header("set-cookie").starts_with("lang=en;"));
        }
    }
}
