//! Webhooks (issue 21): an organisation's subscriptions, the rules for
//! their addresses and event filters, where a delivery may go, and the
//! retry schedule. Signing and sending are the store's and the binary's.
//!
//! A delivery announces that the organisation's change feed has new
//! events up to a sequence number (optionally with the events); it is
//! signed as the Standard Webhooks specification says, keeps its
//! `webhook-id` across retries, is retried with exponential back-off and
//! then parked until an administrator replays it.

use crate::validation::{self as v, FieldErrors};
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

/// The longest subscription address, in characters.
pub const URL_MAX: usize = 2000;
/// The most subscriptions an organisation has.
pub const SUBSCRIPTIONS_MAX: i64 = 20;
/// The most object types in an event filter.
pub const FILTER_MAX: usize = 60;
/// The longest description, in characters.
pub const DESCRIPTION_MAX: usize = 200;
/// How many attempts a delivery gets before it is parked.
pub const MAX_ATTEMPTS: i64 = 8;
/// How much of a receiver's answer is read and kept, in bytes.
pub const RESPONSE_BODY_MAX: usize = 2048;
/// How long a receiver has to answer.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// How many events a payload carries at most (when it carries them).
pub const EVENTS_IN_PAYLOAD_MAX: u32 = 100;
/// How many attempts a subscription's delivery log shows.
pub const LOG_ROWS: i64 = 25;

/// The message key: an address neither `https://` nor (when allowed) `http://`.
pub const URL_SCHEME: &str = "error-webhook-url-scheme";
/// The message key: an address with a user name or password in it.
pub const URL_CREDENTIALS: &str = "error-webhook-url-credentials";
/// The message key: the organisation has as many subscriptions as it may.
pub const TOO_MANY: &str = "error-webhook-too-many";
/// The message key: a parked delivery is needed to replay it.
pub const NOT_PARKED: &str = "error-webhook-not-parked";

/// What the installation allows beyond the safe defaults (its
/// configuration; tests with a local receiver allow both).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WebhookPolicy {
    /// Addresses may be `http://`.
    pub allow_http: bool,
    /// Deliveries may go to loopback, private, link-local and unique-local addresses.
    pub allow_private: bool,
}

/// A subscription as written by an administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookDraft {
    /// Where deliveries are sent: `https://…` (`http://` only when the
    /// installation allows it).
    #[cfg_attr(feature = "openapi", schema(max_length = 2000, pattern = r"\S"))]
    pub url: String,
    /// What the subscription is for.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub description: Option<String>,
    /// The object types (`system`, `person`, `role_assignment` …) whose
    /// changes are announced; empty: every type the feed has.
    #[serde(default)]
    pub object_types: Vec<String>,
    /// Whether a delivery carries the new events (at most 100) besides
    /// announcing them.
    #[serde(default)]
    pub include_events: bool,
    /// Whether deliveries are made.
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

impl WebhookDraft {
    /// The draft cleaned (address trimmed, types sorted once each) or
    /// every problem by field; `http://` only with `allow_http`.
    pub fn validate(&self, allow_http: bool) -> Result<WebhookDraft, FieldErrors> {
        let mut e = FieldErrors::new();
        let url = v::required_text(&mut e, "url", &self.url, URL_MAX);
        if e.get("url").is_none()
            && let Some(code) = url_problem(&url, allow_http)
        {
            e.add("url", code);
        }
        let description = v::optional_text(
            &mut e,
            "description",
            self.description.as_deref(),
            DESCRIPTION_MAX,
        );
        let mut types: Vec<String> = self
            .object_types
            .iter()
            .map(|t| t.trim().to_owned())
            .collect();
        types.sort();
        types.dedup();
        if types.len() > FILTER_MAX {
            e.add("object_types", v::TOO_LONG);
        }
        let known = filterable_types();
        if types.iter().any(|t| !known.contains(&t.as_str())) {
            e.add_choice("object_types", &known);
        }
        e.into_result(WebhookDraft {
            url,
            description,
            object_types: types,
            include_events: self.include_events,
            active: self.active,
        })
    }
}

impl v::Validate for WebhookDraft {
    /// The draft's problems when `http://` is allowed (the store checks
    /// the address again against the installation's setting).
    fn problems(&self) -> FieldErrors {
        self.validate(true).err().unwrap_or_default()
    }
}

/// The object types an event filter may name: the trail's, less those the
/// feed never carries.
pub fn filterable_types() -> Vec<&'static str> {
    crate::AuditObject::ALL
        .iter()
        .map(|o| o.as_str())
        .filter(|t| crate::feed::visible(t, crate::feed::FeedScope::default()))
        .collect()
}

/// What is wrong with a subscription address, if anything: the scheme, a
/// missing host, credentials, spaces.
pub fn url_problem(url: &str, allow_http: bool) -> Option<&'static str> {
    let rest = if let Some(r) = url.strip_prefix("https://") {
        r
    } else if let Some(r) = url.strip_prefix("http://").filter(|_| allow_http) {
        r
    } else {
        return Some(URL_SCHEME);
    };
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some(v::NOT_A_URL);
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return Some(URL_CREDENTIALS);
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.split(':').next().unwrap_or(""),
    };
    if host.is_empty() {
        return Some(v::NOT_A_URL);
    }
    None
}

/// Whether a delivery may go to `ip` when private networks are not
/// allowed: not loopback, private, link-local, unique-local, shared
/// (CGNAT), unspecified, broadcast, multicast or documentation addresses.
pub fn address_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => v4_public(a),
        IpAddr::V6(a) => match a.to_ipv4_mapped() {
            Some(v4) => v4_public(v4),
            None => v6_public(a),
        },
    }
}

fn v4_public(a: Ipv4Addr) -> bool {
    let [b0, b1, ..] = a.octets();
    !(a.is_loopback()
        || a.is_private()
        || a.is_link_local()
        || a.is_unspecified()
        || a.is_broadcast()
        || a.is_multicast()
        || a.is_documentation()
        || b0 == 0
        || (b0 == 100 && (64..128).contains(&b1))
        || (b0 == 198 && (b1 == 18 || b1 == 19))
        || b0 >= 240)
}

fn v6_public(a: Ipv6Addr) -> bool {
    let s0 = a.segments()[0];
    !(a.is_loopback()
        || a.is_unspecified()
        || a.is_multicast()
        || (s0 & 0xfe00) == 0xfc00
        || (s0 & 0xffc0) == 0xfe80
        || s0 == 0x2001 && a.segments()[1] == 0x0db8
        || a.to_ipv4().is_some_and(|v4| !v4_public(v4)) && s0 == 0)
}

/// How long to wait after the `attempts`-th failed attempt before the
/// next: 30 seconds, then doubling (1, 2, 4 … minutes), at most 4 hours.
pub fn retry_delay(attempts: i64) -> Duration {
    let exp = attempts.clamp(1, 20) - 1;
    Duration::from_secs((30u64 << exp).min(4 * 3600))
}

/// Whether an answer's status means delivered.
pub fn delivered(status: u16) -> bool {
    (200..300).contains(&status)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(url: &str) -> WebhookDraft {
        WebhookDraft {
            url: url.into(),
            description: None,
            object_types: vec![],
            include_events: false,
            active: true,
        }
    }

    #[test]
    fn https_is_needed_unless_http_is_allowed() {
        assert!(draft("https://hr.kommunen.se/hook").validate(false).is_ok());
        let e = draft("http://hr.kommunen.se/hook")
            .validate(false)
            .unwrap_err();
        assert_eq!(e.get("url"), Some(URL_SCHEME));
        assert!(draft("http://127.0.0.1:8080/hook").validate(true).is_ok());
        let e = draft("ftp://x").validate(true).unwrap_err();
        assert_eq!(e.get("url"), Some(URL_SCHEME));
    }

    #[test]
    fn addresses_with_credentials_spaces_no_host_or_too_long_are_refused() {
        for (url, code) in [
            ("https://user:pw@host/", URL_CREDENTIALS),
            ("https://host/a b", v::NOT_A_URL),
            ("https:///path", v::NOT_A_URL),
            ("", v::REQUIRED),
        ] {
            assert_eq!(
                draft(url).validate(false).unwrap_err().get("url"),
                Some(code),
                "{url}"
            );
        }
        let long = format!("https://h/{}", "a".repeat(URL_MAX));
        assert_eq!(
            draft(&long).validate(false).unwrap_err().get("url"),
            Some(v::TOO_LONG)
        );
    }

    #[test]
    fn the_filter_names_only_types_the_feed_has() {
        let mut d = draft("https://h/");
        d.object_types = vec!["system".into(), "person".into(), "system".into()];
        assert_eq!(
            d.validate(false).unwrap().object_types,
            ["person", "system"]
        );
        d.object_types = vec!["user".into()];
        assert!(d.validate(false).unwrap_err().get("object_types").is_some());
        d.object_types = vec!["nonsense".into()];
        assert!(d.validate(false).unwrap_err().get("object_types").is_some());
    }

    #[test]
    fn private_and_local_addresses_are_not_public() {
        for a in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fc00::1",
            "fd12::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "255.255.255.255",
            "224.0.0.1",
        ] {
            assert!(!address_public(a.parse().unwrap()), "{a}");
        }
        for a in ["93.184.216.34", "2a00:1450:4001::1", "194.71.11.1"] {
            assert!(address_public(a.parse().unwrap()), "{a}");
        }
    }

    #[test]
    fn retries_back_off_exponentially_and_are_bounded() {
        assert_eq!(retry_delay(1), Duration::from_secs(30));
        assert_eq!(retry_delay(2), Duration::from_secs(60));
        assert_eq!(retry_delay(3), Duration::from_secs(120));
        assert_eq!(retry_delay(30), Duration::from_secs(4 * 3600));
        assert!(delivered(204) && !delivered(301) && !delivered(500));
    }
}
