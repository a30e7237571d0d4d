//! `/metrics` (who may read it, route templates not URLs, the store's
//! facts) and `/readyz`.

use axum::body::Body;
use axum::http::{Method, Request};
use insyn_store::Store;
use insyn_tests::{App, bearer, dual_test, org};

fn with_token(store: &Store, token: Option<&str>) -> App {
    App::from_router(
        store,
        insyn_web::router_with_settings(
            store.clone(),
            insyn_web::Settings {
                metrics_token: token.map(str::to_owned),
                ..Default::default()
            },
        ),
    )
}

fn scrape(token: &str) -> Request<Body> {
    bearer(token, Method::GET, "/metrics", "")
}

/// The value of the sample `series` (name with labels) in the text.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

dual_test!(
    metrics_need_the_token_and_count_requests_by_route_template,
    |store| async move {
        org(&store, "kommunen").await?;
        let app = with_token(&store, Some("scrape-secret"));
        // Not for the public, nor for a wrong token (and never a user's 401).
        app.get("/metrics").await.expect(404);
        app.request(scrape("wrong")).await.expect(404);
        // Two different URLs of one route, and one no route matches.
        app.get("/o/kommunen/systems").await;
        app.get("/o/kommunen/systems?q=abc").await;
        app.get("/o/kommunen/no-such-page-here").await.expect(404);
        let r = app.request(scrape("scrape-secret")).await.expect(200);
        assert!(
            r.header("content-type")
                .starts_with("text/plain; version=0.0.4"),
            "{}",
            r.header("content-type")
        );
        let text = r.body;
        // Anonymous: both were sent to the sign-in page (303) under the template.
        assert_eq!(
            sample(
                &text,
                "insyn_http_requests_total{method=\"GET\",route=\"/o/{org}/systems\",status=\"303\"}"
            ),
            Some(2.0),
            "{text}"
        );
        assert!(
            !text.contains("/o/kommunen"),
            "a raw URL became a label:\n{text}"
        );
        assert!(!text.contains("q=abc"), "{text}");
        assert!(
            text.contains(
                "insyn_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"}"
            ),
            "{text}"
        );
        assert_eq!(
            sample(
                &text,
                "insyn_http_request_duration_seconds_count{method=\"GET\",route=\"/o/{org}/systems\"}"
            ),
            Some(2.0)
        );
        assert!(
            text.contains("insyn_http_request_duration_seconds_bucket{method=\"GET\",route=\"/o/{org}/systems\",le=\"+Inf\"} 2"),
            "{text}"
        );
        // The store's facts.
        let pool = match store.backend() {
            insyn_store::Backend::Sqlite => "insyn_db_sqlite_readers_in_use",
            insyn_store::Backend::Postgres => "insyn_db_pool_connections",
        };
        assert!(sample(&text, pool).is_some(), "{pool} missing:\n{text}");
        assert_eq!(sample(&text, "insyn_outbox_pending"), Some(0.0), "{text}");
        assert!(sample(&text, "insyn_process_start_time_seconds").is_some_and(|t| t > 1.7e9));
        assert_eq!(sample(&text, "insyn_reminder_rounds_total"), Some(0.0));
    }
);

dual_test!(
    without_a_token_metrics_answer_only_this_machine_directly,
    |store| async move {
        // The test's requests come from no address at all: not this machine.
        let app = with_token(&store, None);
        app.get("/metrics").await.expect(404);
        let r = app.request(scrape("anything")).await;
        assert_eq!(r.status, 404, "{}", r.body);
    }
);

dual_test!(
    readyz_is_ready_when_the_database_has_every_migration,
    |store| async move {
        let app = App::anonymous(&store);
        let v = app.get("/readyz").await.expect(200).json();
        assert_eq!(v["status"], "ready");
        assert!(v.get("reason").is_none(), "{v}");
        // A migration this binary does not know: another insyn migrated it.
        {
            use insyn_store::db::Queryable;
            let mut tx = store.db.begin().await?;
            tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'from_the_future', $1)",
                insyn_store::params![insyn_store::db::now()],
            )
            .await?;
            tx.commit().await?;
        }
        let v = app.get("/readyz").await.expect(503).json();
        assert_eq!(v["status"], "not_ready");
        assert!(v["reason"].as_str().unwrap_or("").contains("9999"), "{v}");
        assert_eq!(store.schema_state().await?.unknown, vec![9999]);
    }
);

#[test]
fn a_token_or_a_direct_local_peer_may_scrape() {
    use axum::http::{HeaderMap, header};
    use insyn_web::metrics::may_scrape;
    let local = Some("127.0.0.1".parse().unwrap());
    let remote = Some("10.1.2.3".parse().unwrap());
    let mut h = HeaderMap::new();
    assert!(may_scrape(None, &h, local));
    assert!(!may_scrape(None, &h, remote));
    assert!(!may_scrape(None, &h, None));
    // With a token, only the token.
    assert!(!may_scrape(Some("s3cret"), &h, local));
    h.insert(header::AUTHORIZATION, "Bearer s3cret".parse().unwrap());
    assert!(may_scrape(Some("s3cret"), &h, remote));
    assert!(!may_scrape(Some("s3cret-"), &h, remote));
    // Relayed by a proxy on this machine: not this machine.
    let mut proxied = HeaderMap::new();
    proxied.insert("x-forwarded-for", "203.0.113.9".parse().unwrap());
    assert!(!may_scrape(None, &proxied, local));
}

#[test]
fn the_histogram_is_cumulative_and_ends_with_the_count() {
    use insyn_store::ops::PoolUse;
    use insyn_web::metrics::{DbFacts, Metrics};
    let m = Metrics::default();
    m.observe("GET", "/o/{org}/systems", 200, 0.003);
    m.observe("GET", "/o/{org}/systems", 200, 0.2);
    m.observe("GET", "/o/{org}/systems", 404, 20.0);
    let text = m.render(&DbFacts {
        pool: PoolUse::Sqlite {
            readers_busy: 1,
            readers_idle: 2,
        },
        outbox: None,
    });
    for line in [
        "insyn_http_requests_total{method=\"GET\",route=\"/o/{org}/systems\",status=\"200\"} 2",
        "insyn_http_requests_total{method=\"GET\",route=\"/o/{org}/systems\",status=\"404\"} 1",
        "insyn_http_request_duration_seconds_bucket{method=\"GET\",route=\"/o/{org}/systems\",le=\"0.005\"} 1",
        "insyn_http_request_duration_seconds_bucket{method=\"GET\",route=\"/o/{org}/systems\",le=\"0.25\"} 2",
        "insyn_http_request_duration_seconds_bucket{method=\"GET\",route=\"/o/{org}/systems\",le=\"10\"} 2",
        "insyn_http_request_duration_seconds_bucket{method=\"GET\",route=\"/o/{org}/systems\",le=\"+Inf\"} 3",
        "insyn_http_request_duration_seconds_count{method=\"GET\",route=\"/o/{org}/systems\"} 3",
        "insyn_db_sqlite_readers_in_use 1",
    ] {
        assert!(text.contains(line), "{line} missing in\n{text}");
    }
    // No checkpoint known: no age; one known: its age.
    assert!(!text.contains("insyn_audit_checkpoint_age_seconds"));
    m.checkpoint_at(chrono::Utc::now().timestamp() - 120);
    let text = m.render(&DbFacts {
        pool: PoolUse::Sqlite {
            readers_busy: 0,
            readers_idle: 0,
        },
        outbox: None,
    });
    let age: f64 = sample(&text, "insyn_audit_checkpoint_age_seconds").expect("an age");
    assert!((119.0..200.0).contains(&age), "{age}");
}
