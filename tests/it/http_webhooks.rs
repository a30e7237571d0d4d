//! Webhooks (issue 21) against a real receiver: a small HTTP server on a
//! free local port that fails the first attempt and accepts the second.
//! Every delivery is signed as Standard Webhooks says and verified here,
//! a retry keeps its `webhook-id`, the log shows both attempts; an address
//! in a private network is refused at delivery time unless allowed, a
//! delivery that keeps failing is parked and can be replayed; the secret
//! is shown once and is in no list, feed or audit entry.

use axum::http::HeaderMap;
use insyn::webhook::deliver_pending;
use insyn_domain::webhook::{MAX_ATTEMPTS, WebhookPolicy};
use insyn_store::Store;
use insyn_store::webhooks::sign::verify;
use insyn_tests::{App, Scenario, assert_problem_fields, dual_test};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

const API: &str = "/api/v1/orgs/kommunen";
const LOCAL: WebhookPolicy = WebhookPolicy {
    allow_http: true,
    allow_private: true,
};

/// What the receiver was sent: headers and body, in order.
type Received = Arc<Mutex<Vec<(HeaderMap, String)>>>;

/// Starts a receiver that answers 500 to the first `fail` requests and
/// 204 to the rest; returns its address and what it receives.
async fn receiver(fail: usize) -> anyhow::Result<(String, Received)> {
    let got: Received = Arc::default();
    let seen = got.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let seen = seen.clone();
            async move {
                let mut v = seen.lock().expect("the receiver's list");
                v.push((headers, body));
                if v.len() <= fail {
                    axum::http::StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    axum::http::StatusCode::NO_CONTENT
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok((format!("http://{addr}/hook"), got))
}

/// An administrator over a server that allows local receivers.
async fn local_admin(store: &Store) -> App {
    let settings = insyn_web::Settings {
        webhooks: LOCAL,
        ..Default::default()
    };
    App::new(store)
        .await
        .with_router(insyn_web::router_with_settings(store.clone(), settings))
}

/// A system made through the API: a change the feed announces.
async fn new_system(admin: &App, name: &str) -> Value {
    admin
        .post_json_expecting(&format!("{API}/systems"), &json!({ "name": name }), 201)
        .await
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> &'a str {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

dual_test!(
    a_failed_delivery_is_retried_with_the_same_id_and_signed,
    |store: Store| async move {
        Scenario::new(&store, "kommunen").await?;
        let (url, got) = receiver(1).await?;
        let admin = local_admin(&store).await;
        let sub = admin
            .post_json_expecting(
                &format!("{API}/webhooks"),
                &json!({ "url": url, "object_types": ["system"], "include_events": true }),
                201,
            )
            .await;
        let secret = sub["secret"].as_str().unwrap_or_default().to_owned();
        assert!(secret.starts_with("whsec_"), "{sub}");
        let id = sub["id"].as_str().unwrap_or_default().to_owned();
        let system = new_system(&admin, "Treserva").await;

        let now = chrono::Utc::now();
        assert_eq!(deliver_pending(&store, LOCAL, "w1", now).await?, 0);
        assert_eq!(got.lock().unwrap().len(), 1, "the first attempt failed");
        // A change while the delivery waits for its retry: no second delivery yet.
        new_system(&admin, "Procapita").await;
        // Not due yet: nothing sent.
        assert_eq!(deliver_pending(&store, LOCAL, "w1", now).await?, 0);
        assert_eq!(got.lock().unwrap().len(), 1);
        // After the back-off, the retry is accepted.
        let later = now + chrono::Duration::minutes(2);
        assert_eq!(deliver_pending(&store, LOCAL, "w2", later).await?, 1);
        let sent = got.lock().unwrap().clone();
        assert_eq!(sent.len(), 2);
        let ids: Vec<&str> = sent.iter().map(|(h, _)| header(h, "webhook-id")).collect();
        assert!(ids[0].starts_with("msg_"), "{ids:?}");
        assert_eq!(ids[0], ids[1], "a retry keeps its webhook-id");
        for (h, body) in &sent {
            let ts: i64 = header(h, "webhook-timestamp").parse()?;
            assert!((chrono::Utc::now().timestamp() - ts).abs() < 300);
            assert!(
                verify(
                    &secret,
                    header(h, "webhook-id"),
                    ts,
                    body.as_bytes(),
                    header(h, "webhook-signature")
                ),
                "the signature verifies: {h:?}"
            );
            assert!(!verify(
                &secret,
                header(h, "webhook-id"),
                ts,
                b"{}",
                header(h, "webhook-signature")
            ));
        }
        let body: Value = serde_json::from_str(&sent[1].1)?;
        assert_eq!(body["type"], "insyn.changes");
        assert_eq!(body["data"]["organisation"], "kommunen");
        let events = body["data"]["events"].as_array().expect("events");
        assert_eq!(events.len(), 1, "{body}");
        assert_eq!(
            (events[0]["object_id"].clone(), events[0]["action"].clone()),
            (system["id"].clone(), json!("create"))
        );
        assert_eq!(body["data"]["up_to"], events[0]["seq"]);
        // What the receiver reads next: the feed from the announced cursor.
        let feed = admin
            .get_json(body["data"]["feed"].as_str().unwrap_or_default())
            .await;
        assert!(
            feed["events"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["object_id"] == system["id"])
        );

        // Then the change that came meanwhile, in a delivery of its own.
        assert_eq!(deliver_pending(&store, LOCAL, "w1", later).await?, 1);
        let third: Value = serde_json::from_str(&got.lock().unwrap()[2].1)?;
        assert_eq!(third["data"]["after"], body["data"]["up_to"]);
        assert_ne!(header(&got.lock().unwrap()[2].0, "webhook-id"), ids[0]);
        // Nothing new: no new delivery.
        assert_eq!(deliver_pending(&store, LOCAL, "w1", later).await?, 0);
        assert_eq!(got.lock().unwrap().len(), 3);

        let log = admin.get_json(&format!("{API}/webhooks/{id}")).await;
        // The newest first: the second delivery, then the retried one.
        assert_eq!(log["deliveries"][1]["state"], "delivered", "{log}");
        assert_eq!(log["deliveries"][1]["attempts"], 2);
        assert_eq!(log["deliveries"][1]["webhook_id"], ids[0]);
        let statuses: Vec<Value> = log["attempts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["status"].clone())
            .collect();
        assert_eq!(statuses, [json!(204), json!(204), json!(500)]);

        // The secret was shown once: not in the list, the log, the feed or the trail.
        for page in [
            admin.get(&format!("{API}/webhooks")).await.body,
            admin.get(&format!("{API}/webhooks/{id}")).await.body,
            admin.get(&format!("{API}/changes?limit=1000")).await.body,
            admin.get(&format!("{API}/audit?limit=1000")).await.body,
        ] {
            assert!(!page.contains(&secret), "{page}");
            assert!(!page.contains("whsec_"), "{page}");
        }
    }
);

dual_test!(
    a_private_address_is_refused_then_parked_and_replayed,
    |store: Store| async move {
        Scenario::new(&store, "kommunen").await?;
        let (url, got) = receiver(0).await?;
        let admin = local_admin(&store).await;
        let sub = admin
            .post_json_expecting(&format!("{API}/webhooks"), &json!({ "url": url }), 201)
            .await;
        let id = sub["id"].as_str().unwrap_or_default().to_owned();
        new_system(&admin, "Treserva").await;
        let strict = WebhookPolicy {
            allow_http: true,
            allow_private: false,
        };
        let mut at = chrono::Utc::now();
        for _ in 0..MAX_ATTEMPTS {
            assert_eq!(deliver_pending(&store, strict, "w", at).await?, 0);
            at += chrono::Duration::hours(5);
        }
        assert!(
            got.lock().unwrap().is_empty(),
            "nothing reached the loopback receiver"
        );
        let log = admin.get_json(&format!("{API}/webhooks/{id}")).await;
        let d = &log["deliveries"][0];
        assert_eq!(d["state"], "parked", "{log}");
        assert_eq!(d["attempts"], MAX_ATTEMPTS);
        assert!(
            d["last_error"]
                .as_str()
                .unwrap_or_default()
                .contains("refused"),
            "{d}"
        );
        let replay = format!(
            "{API}/webhooks/{id}/deliveries/{}/replay",
            d["id"].as_str().unwrap_or_default()
        );
        admin.post_empty(&replay).await.expect(204);
        assert_problem_fields(
            &admin.post_empty(&replay).await,
            409,
            &[("status", "error-webhook-not-parked")],
        );
        // Allowed now: the replay reaches the receiver.
        assert_eq!(deliver_pending(&store, LOCAL, "w", at).await?, 1);
        assert_eq!(got.lock().unwrap().len(), 1);
    }
);

dual_test!(
    addresses_and_counts_are_bounded,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        // Default settings: only https.
        let admin = App::new(&store).await;
        let r = admin
            .post_json(
                &format!("{API}/webhooks"),
                &json!({ "url": "http://example.org/hook" }),
            )
            .await;
        assert_problem_fields(&r, 422, &[("url", "error-webhook-url-scheme")]);
        let r = admin
            .post_json(
                &format!("{API}/webhooks"),
                &json!({ "url": "https://example.org/hook", "object_types": ["user"] }),
            )
            .await;
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        for i in 0..insyn_domain::webhook::SUBSCRIPTIONS_MAX {
            admin
                .post_json_expecting(
                    &format!("{API}/webhooks"),
                    &json!({ "url": format!("https://example.org/{i}") }),
                    201,
                )
                .await;
        }
        let r = admin
            .post_json(
                &format!("{API}/webhooks"),
                &json!({ "url": "https://example.org/more" }),
            )
            .await;
        assert_problem_fields(&r, 422, &[("url", "error-webhook-too-many")]);
        // Editors are not administrators.
        let editor = k
            .signed_in("redaktor@kommunen.se", insyn_domain::AppRole::Editor)
            .await?;
        editor.get(&format!("{API}/webhooks")).await.expect(403);
    }
);
