//! The webhook worker (issue 21): each round makes the deliveries that
//! committed changes call for (`Store::enqueue_webhooks`), claims the due
//! ones (two instances never hold the same one) and POSTs each, signed as
//! the Standard Webhooks specification says with a `webhook-id` that stays
//! the same on every retry. The address is resolved first and refused when
//! it is in a loopback, private, link-local or unique-local network
//! (unless `--webhook-allow-private`), and the connection goes to the
//! address that was checked; no redirects are followed, the answer is read
//! up to a few KB, and a receiver has 10 seconds. Secrets are never logged.

use anyhow::Result;
use chrono::{DateTime, Utc};
use clap::Args;
use insyn_domain::feed::FeedScope;
use insyn_domain::webhook::{
    EVENTS_IN_PAYLOAD_MAX, RESPONSE_BODY_MAX, TIMEOUT, WebhookPolicy, address_public, delivered,
};
use insyn_store::Store;
use insyn_store::webhooks::sign::{sign, webhook_id};
use insyn_store::webhooks::{ClaimedDelivery, DeliveryOutcome};
use serde_json::json;
use std::net::SocketAddr;
use std::time::Duration;

/// How many deliveries a worker claims at a time.
pub const BATCH: i64 = 20;
/// How long a claim holds: longer than a batch of time-outs.
pub const LEASE: Duration = Duration::from_secs(20 * 12);

/// Webhook settings of `insyn serve` and `insyn demo`.
#[derive(Debug, Args, Clone, Default)]
pub struct WebhookArgs {
    /// Seconds between rounds of the webhook worker.
    #[arg(long, env = "INSYN_WEBHOOK_INTERVAL", default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..))]
    pub webhook_interval: u64,
    /// Let webhook addresses be http:// (otherwise only https://).
    #[arg(long, env = "INSYN_WEBHOOK_ALLOW_HTTP")]
    pub webhook_allow_http: bool,
    /// Let webhooks be delivered to loopback, private, link-local and
    /// unique-local addresses (a receiver on the same network, tests).
    #[arg(long, env = "INSYN_WEBHOOK_ALLOW_PRIVATE")]
    pub webhook_allow_private: bool,
}

impl WebhookArgs {
    pub fn policy(&self) -> WebhookPolicy {
        WebhookPolicy {
            allow_http: self.webhook_allow_http,
            allow_private: self.webhook_allow_private,
        }
    }
}

/// The body of a delivery: the announcement (the same on every attempt)
/// and, when the subscription asks, the events themselves.
pub async fn payload(store: &Store, d: &ClaimedDelivery) -> Result<Vec<u8>> {
    let mut data = json!({
        "organisation": d.org_slug,
        "after": d.after_seq,
        "up_to": d.up_to_seq,
        "feed": format!("/api/v1/orgs/{}/changes?after={}", d.org_slug, d.after_seq),
    });
    if d.include_events {
        let page = store
            .change_feed(
                d.org_id,
                d.after_seq,
                EVENTS_IN_PAYLOAD_MAX,
                FeedScope::default(),
                &d.object_types,
            )
            .await?;
        let more = page.has_more || page.events.iter().any(|e| e.seq > d.up_to_seq);
        let events: Vec<_> = page
            .events
            .into_iter()
            .filter(|e| e.seq <= d.up_to_seq)
            .collect();
        data["events"] = json!(events);
        data["more_events"] = json!(more);
    }
    Ok(serde_json::to_vec(&json!({
        "type": "insyn.changes",
        "timestamp": d.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "data": data,
    }))?)
}

/// Where a delivery may connect: the address's resolved addresses, all of
/// them public unless the policy allows private ones.
async fn destination(
    url: &reqwest::Url,
    policy: WebhookPolicy,
) -> std::result::Result<(String, SocketAddr), String> {
    match url.scheme() {
        "https" => {}
        "http" if policy.allow_http => {}
        other => return Err(format!("the scheme {other} is not allowed")),
    }
    let host = url.host_str().ok_or("the address has no host")?.to_owned();
    let port = url
        .port_or_known_default()
        .ok_or("the address has no port")?;
    let bare = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let addrs: Vec<SocketAddr> =
        tokio::time::timeout(TIMEOUT, tokio::net::lookup_host((bare.as_str(), port)))
            .await
            .map_err(|_| "resolving the host timed out".to_owned())?
            .map_err(|e| format!("the host could not be resolved: {e}"))?
            .collect();
    if !policy.allow_private
        && let Some(bad) = addrs.iter().find(|a| !address_public(a.ip()))
    {
        return Err(format!(
            "refused: the host resolves to {}, in a loopback, private, link-local or unique-local network",
            bad.ip()
        ));
    }
    let first = *addrs.first().ok_or("the host has no address")?;
    Ok((host, first))
}

/// One attempt: the answer's status and start, or why there was none.
pub async fn send(d: &ClaimedDelivery, body: Vec<u8>, policy: WebhookPolicy) -> DeliveryOutcome {
    let url = match reqwest::Url::parse(&d.url) {
        Ok(u) => u,
        Err(e) => return failed(format!("not an address: {e}")),
    };
    let (host, addr) = match destination(&url, policy).await {
        Ok(x) => x,
        Err(e) => return failed(e),
    };
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(TIMEOUT)
        .connect_timeout(TIMEOUT)
        .no_proxy()
        .resolve(&host, addr)
        .build();
    let client = match client {
        Ok(c) => c,
        Err(e) => return failed(format!("no HTTP client: {e}")),
    };
    let id = webhook_id(d.id);
    let timestamp = Utc::now().timestamp();
    let signature = sign(&d.secret, &id, timestamp, &body);
    let answer = client
        .post(url)
        .header("content-type", "application/json")
        .header("user-agent", "insyn-webhooks")
        .header("webhook-id", id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(body)
        .send()
        .await;
    let mut resp = match answer {
        Ok(r) => r,
        Err(e) => return failed(format!("no answer: {}", e.without_url())),
    };
    let status = resp.status().as_u16();
    let mut start = Vec::new();
    while start.len() < RESPONSE_BODY_MAX {
        match resp.chunk().await {
            Ok(Some(c)) => {
                start.extend_from_slice(&c[..c.len().min(RESPONSE_BODY_MAX - start.len())])
            }
            _ => break,
        }
    }
    DeliveryOutcome {
        status: Some(status),
        error: (!delivered(status)).then(|| format!("the receiver answered {status}")),
        response: Some(String::from_utf8_lossy(&start).into_owned()),
    }
}

fn failed(error: String) -> DeliveryOutcome {
    DeliveryOutcome {
        error: Some(error),
        ..Default::default()
    }
}

/// One round at `at`: makes the deliveries new changes call for, then
/// sends what is due, batch after batch. Returns how many were delivered.
pub async fn deliver_pending(
    store: &Store,
    policy: WebhookPolicy,
    worker: &str,
    at: DateTime<Utc>,
) -> Result<usize> {
    store.enqueue_webhooks(at).await?;
    let mut done = 0;
    loop {
        let batch = store
            .claim_webhook_deliveries(worker, BATCH, LEASE, at)
            .await?;
        for d in &batch {
            let body = payload(store, d).await?;
            let outcome = send(d, body, policy).await;
            let ok = outcome.status.is_some_and(delivered);
            if !ok {
                tracing::warn!(
                    subscription = %d.subscription_id,
                    webhook_id = %webhook_id(d.id),
                    attempt = d.attempts,
                    "a webhook delivery failed: {}",
                    outcome.error.as_deref().unwrap_or("")
                );
            }
            if store.record_webhook_attempt(d, ok, &outcome, at).await? {
                done += 1;
            }
        }
        if batch.len() < BATCH as usize {
            return Ok(done);
        }
    }
}

/// Starts the worker that `insyn serve` runs: a round every `interval`.
pub fn spawn_worker(
    store: Store,
    policy: WebhookPolicy,
    interval: Duration,
) -> crate::mail::MailWorker {
    let worker = crate::mail::worker_id();
    crate::mail::spawn_rounds(interval, move || {
        let (store, worker) = (store.clone(), worker.clone());
        async move {
            match deliver_pending(&store, policy, &worker, Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(delivered = n, "webhooks delivered"),
                Err(e) => tracing::warn!("the webhook worker failed this round: {e:#}"),
            }
        }
    })
}
