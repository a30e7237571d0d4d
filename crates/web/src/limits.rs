//! Who is really asking, and how often: the client's address behind trusted
//! proxies, and a request budget for the public register. The budget is
//! counted per instance (with several instances behind a load balancer an
//! address gets at most the budget once per instance); its table has a fixed
//! maximum size, so no stream of requests from new addresses can grow the
//! server's memory. The back-off for failed sign-ins is kept in the database,
//! shared by every instance (`Store::sign_in_failed`, the rule in
//! `insyn_domain::back_off`).

use axum::http::HeaderMap;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// An address range, `10.0.0.0/8` or a single address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    /// Parses `ADDR` or `ADDR/PREFIX`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let (a, p) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = a
            .parse()
            .map_err(|_| format!("{s:?} is not an IP address or range"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{s:?}: the prefix must be 0 to {max}"))?,
        };
        Ok(Self { addr, prefix })
    }

    /// Parses a comma-separated list; empty gives none.
    pub fn parse_list(s: &str) -> Result<Vec<Self>, String> {
        s.split(',')
            .filter(|p| !p.trim().is_empty())
            .map(Self::parse)
            .collect()
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let bits = |ip: IpAddr| -> Option<(u128, u8)> {
            match ip {
                IpAddr::V4(v) => Some((u128::from(u32::from(v)), 32)),
                IpAddr::V6(v) => match v.to_ipv4_mapped() {
                    Some(v4) => Some((u128::from(u32::from(v4)), 32)),
                    None => Some((u128::from(v), 128)),
                },
            }
        };
        let (Some((net, width)), Some((ip, ip_width))) = (bits(self.addr), bits(ip)) else {
            return false;
        };
        if width != ip_width {
            return false;
        }
        let host_bits = u32::from(width - self.prefix.min(width));
        if host_bits >= 128 {
            return true;
        }
        (net >> host_bits) == (ip >> host_bits)
    }
}

/// The client's address: the peer's, or, when the peer is a trusted proxy,
/// the nearest address in `X-Forwarded-For` that is not a trusted proxy
/// (addresses further left were written by the client and prove nothing).
pub fn client_addr(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpNet]) -> Option<IpAddr> {
    let peer = peer?;
    let is_trusted = |ip: IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(peer) {
        return Some(peer);
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    let mut client = peer;
    for ip in forwarded.into_iter().rev() {
        client = ip;
        if !is_trusted(ip) {
            break;
        }
    }
    Some(client)
}

/// A request budget per address for the pages anyone may use without
/// signing in (the public register and its exports): so many requests a
/// minute, then 429 until the minute is over.
#[derive(Debug)]
pub struct RateLimiter {
    per_minute: u32,
    windows: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimiter {
    pub const MAX_KEYS: usize = 10_000;
    const WINDOW: Duration = Duration::from_secs(60);

    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute,
            windows: Mutex::default(),
        }
    }

    /// Counts a request; false when the address has used its budget.
    pub fn hit(&self, ip: Option<IpAddr>) -> bool {
        // Without an address (in-process tests) every caller shares one budget.
        let ip = ip.unwrap_or(IpAddr::from([0, 0, 0, 0]));
        let now = Instant::now();
        let mut map = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if !map.contains_key(&ip) && map.len() >= Self::MAX_KEYS {
            map.retain(|_, (start, _)| now.saturating_duration_since(*start) < Self::WINDOW);
            if map.len() >= Self::MAX_KEYS {
                // Every slot is in use this minute: a new address waits.
                return false;
            }
        }
        let (start, n) = map.entry(ip).or_insert((now, 0));
        if now.saturating_duration_since(*start) >= Self::WINDOW {
            *start = now;
            *n = 0;
        }
        *n += 1;
        *n <= self.per_minute
    }
}

impl Default for RateLimiter {
    fn default() -> Self {
        Self::new(600)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("an address")
    }

    #[test]
    fn ranges_contain_their_addresses_only() {
        let n = IpNet::parse("10.1.0.0/16").expect("a range");
        assert!(n.contains(ip("10.1.200.3")));
        assert!(!n.contains(ip("10.2.0.1")));
        assert!(
            IpNet::parse("0.0.0.0/0")
                .expect("all")
                .contains(ip("8.8.8.8"))
        );
        assert!(IpNet::parse("::1").expect("one").contains(ip("::1")));
        assert!(
            IpNet::parse("127.0.0.1")
                .expect("one")
                .contains(ip("::ffff:127.0.0.1"))
        );
        assert!(
            !IpNet::parse("fd00::/8")
                .expect("v6")
                .contains(ip("10.0.0.1"))
        );
        assert!(IpNet::parse("10.0.0.0/33").is_err());
        assert!(IpNet::parse("proxy").is_err());
        assert_eq!(
            IpNet::parse_list(" 10.0.0.1, 192.168.0.0/24 ").map(|l| l.len()),
            Ok(2)
        );
    }

    #[test]
    fn the_client_is_the_nearest_untrusted_forwarded_address() {
        let trusted = IpNet::parse_list("10.0.0.0/8").expect("list");
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            "6.6.6.6, 192.0.2.7, 10.0.0.2".parse().expect("header"),
        );
        // Behind the trusted proxy: the address the proxy saw, not the forged first one.
        assert_eq!(
            client_addr(Some(ip("10.0.0.1")), &h, &trusted),
            Some(ip("192.0.2.7"))
        );
        // Straight from the internet the header is ignored.
        assert_eq!(
            client_addr(Some(ip("192.0.2.9")), &h, &trusted),
            Some(ip("192.0.2.9"))
        );
        // Without a trusted proxy configured, too.
        assert_eq!(
            client_addr(Some(ip("10.0.0.1")), &h, &[]),
            Some(ip("10.0.0.1"))
        );
    }

    #[test]
    fn the_request_budget_is_per_address_and_its_memory_bounded() {
        let r = RateLimiter::new(2);
        assert!(r.hit(Some(ip("192.0.2.1"))));
        assert!(r.hit(Some(ip("192.0.2.1"))));
        assert!(!r.hit(Some(ip("192.0.2.1"))), "the third in a minute waits");
        assert!(
            r.hit(Some(ip("192.0.2.2"))),
            "another address has its own budget"
        );
        for i in 0..(RateLimiter::MAX_KEYS as u32 + 10) {
            r.hit(Some(IpAddr::from(i.to_be_bytes())));
        }
        assert!(r.windows.lock().map(|m| m.len()).unwrap_or(0) <= RateLimiter::MAX_KEYS);
    }
}
