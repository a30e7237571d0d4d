//! Snapshots (insta) of what the application promises its clients: the
//! route table (method, path, permission) and representative API bodies,
//! with what changes from run to run (ids, timestamps, dates) redacted.
//! The API bodies are the same on both databases: one snapshot serves both.
//!
//! A changed snapshot fails the test; review it with `cargo insta review`
//! (or `INSTA_UPDATE=always` and `git diff`) and commit the `.snap` file.
//! With `CI=true` insta writes nothing and a missing snapshot fails.

use insyn_domain::{AppRole, SystemDraft};
use insyn_store::Store;
use insyn_tests::{App, On, Scenario, actor, dual_test, sqlite_store};
use serde_json::Value;

/// `value` with what differs between runs replaced by a placeholder: ids
/// (UUIDs), timestamps and dates, also inside strings (URLs).
fn redact(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(redact_text(&s)),
        Value::Array(a) => Value::Array(a.into_iter().map(redact).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, redact(v))).collect()),
        other => other,
    }
}

/// Replaces every UUID, RFC 3339 timestamp and ISO date in `s`.
fn redact_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < s.len() {
        if let Some(n) = uuid_at(&s[i..]) {
            out.push_str("[id]");
            i += n;
        } else if let Some(n) = date_at(bytes, i) {
            let rest = &s[i + n..];
            let time = timestamp_tail(rest);
            out.push_str(if time > 0 { "[timestamp]" } else { "[date]" });
            i += n + time;
        } else {
            let c = s[i..].chars().next().expect("a char");
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

fn uuid_at(s: &str) -> Option<usize> {
    let candidate = s.get(..36)?;
    uuid::Uuid::try_parse(candidate).ok().map(|_| 36)
}

/// `YYYY-MM-DD` at `i`.
fn date_at(b: &[u8], i: usize) -> Option<usize> {
    let d = b.get(i..i + 10)?;
    let digits = |r: std::ops::Range<usize>| d[r].iter().all(u8::is_ascii_digit);
    (digits(0..4) && d[4] == b'-' && digits(5..7) && d[7] == b'-' && digits(8..10)).then_some(10)
}

/// The length of a `THH:MM:SS[.fff][Z|±HH:MM]` that follows a date, 0 if none.
fn timestamp_tail(rest: &str) -> usize {
    if !rest.starts_with('T') && !rest.starts_with(' ') {
        return 0;
    }
    let end = rest[1..]
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, ':' | '.' | '+' | '-' | 'Z')))
        .map_or(rest.len(), |e| e + 1);
    if end > 8 && rest.as_bytes()[3] == b':' {
        end
    } else {
        0
    }
}

#[tokio::test]
async fn the_route_table() {
    let (store, _dir) = sqlite_store().await;
    let table: Vec<String> = insyn_web::route_rules(store)
        .into_iter()
        .map(|r| format!("{:<6} {:<75} {:?}", r.method.as_str(), r.path, r.perm))
        .collect();
    insta::assert_snapshot!("route_table", table.join("\n"));
}

#[test]
fn redaction_replaces_ids_timestamps_and_dates_only() {
    let v = serde_json::json!({
        "id": "0190a3b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b",
        "at": "2026-03-01T12:34:56.789Z",
        "pg_at": "2026-03-01 12:34:56+00:00",
        "on": "2026-03-01",
        "url": "/api/v1/orgs/k/systems/0190a3b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b/plans",
        "name": "Lön 2026",
        "n": 3,
    });
    assert_eq!(
        redact(v),
        serde_json::json!({
            "id": "[id]",
            "at": "[timestamp]",
            "pg_at": "[timestamp]",
            "on": "[date]",
            "url": "/api/v1/orgs/k/systems/[id]/plans",
            "name": "Lön 2026",
            "n": 3,
        })
    );
}

/// Kommunen with two systems, one of them described and owned.
async fn register(store: &Store) -> anyhow::Result<(App, String)> {
    let k = Scenario::new(store, "kommunen").await?;
    let mut d = SystemDraft::named("Treserva");
    d.short_name = Some("TRS".into());
    d.description = Some("Verksamhetssystem för socialtjänsten".into());
    d.vendor = Some("CGI".into());
    d.business_critical = true;
    d.user_count = Some(300);
    let treserva = store.create_system(&actor(), k.org, d).await?;
    k.system("Webbplats").await;
    let ola = k.person("Ola Ägare", Some("ola@kommunen.se")).await?;
    k.holds("system_owner", &ola, On::System(treserva.id))
        .await?;
    let reader = k.signed_in("las@kommunen.se", AppRole::Reader).await?;
    Ok((
        reader,
        format!("/api/v1/orgs/kommunen/systems/{}", treserva.id),
    ))
}

dual_test!(
    api_bodies_of_a_system_and_a_page_of_systems,
    |store| async move {
        let (app, system) = register(&store).await?;
        let one = app.get_json(&system).await;
        insta::assert_json_snapshot!("api_system", redact(one));
        let page = app
            .get_json("/api/v1/orgs/kommunen/systems?sort=name")
            .await;
        insta::assert_json_snapshot!("api_systems_page", redact(page));
    }
);

dual_test!(api_bodies_of_compliance, |store| async move {
    let (app, system) = register(&store).await?;
    let one = app.get_json(&format!("{system}/compliance")).await;
    insta::assert_json_snapshot!("api_system_compliance", redact(one));
    let all = app.get_json("/api/v1/orgs/kommunen/compliance").await;
    insta::assert_json_snapshot!("api_compliance", redact(all));
});
