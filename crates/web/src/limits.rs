//! Who is really asking, and how often: the client's address behind trusted
//! proxies, back-off for failed sign-ins, and a request budget for the
//! public register. Every table here has a fixed maximum size, so no
//! stream of requests from new addresses can grow the server's memory.

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

/// Failures of one key (an account or an address).
#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

/// Back-off for failed sign-ins, per account and per address. The first
/// few failures cost nothing; after that each further attempt must wait
/// twice as long as the one before (up to a quarter of an hour), counted
/// from the last failure. Nobody is locked out for good, and an attacker
/// who spreads guesses over addresses still meets the account's back-off.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Failures>>,
}

impl LoginLimiter {
    /// Failures of an account before it must wait.
    pub const FREE_PER_ACCOUNT: u32 = 5;
    /// Failures from one address (many accounts) before it must wait.
    pub const FREE_PER_ADDRESS: u32 = 30;
    /// The longest wait.
    pub const MAX_WAIT: Duration = Duration::from_secs(15 * 60);
    /// Failures are forgotten this long after the last one.
    pub const FORGET_AFTER: Duration = Duration::from_secs(60 * 60);
    /// The most keys remembered; the stalest go first.
    pub const MAX_KEYS: usize = 10_000;

    fn keys(ip: Option<IpAddr>, email: &str) -> [(String, u32); 2] {
        [
            (
                format!("user:{}", email.trim().to_lowercase()),
                Self::FREE_PER_ACCOUNT,
            ),
            (
                format!("ip:{}", ip.map(|i| i.to_string()).unwrap_or_default()),
                Self::FREE_PER_ADDRESS,
            ),
        ]
    }

    fn wait_for(f: Failures, free: u32) -> Duration {
        if f.count < free {
            return Duration::ZERO;
        }
        let doublings = (f.count - free).min(20);
        Duration::from_secs(1u64 << doublings).min(Self::MAX_WAIT)
    }

    /// How long the caller must still wait before another attempt; zero
    /// when they may try now.
    pub fn wait(&self, ip: Option<IpAddr>, email: &str) -> Duration {
        self.wait_at(ip, email, Instant::now())
    }

    fn wait_at(&self, ip: Option<IpAddr>, email: &str, now: Instant) -> Duration {
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        Self::keys(ip, email)
            .iter()
            .filter_map(|(k, free)| {
                let f = map.get(k)?;
                let until = f.last + Self::wait_for(*f, *free);
                Some(until.saturating_duration_since(now))
            })
            .max()
            .unwrap_or(Duration::ZERO)
    }

    /// Notes a failure; true when the account (or address) must wait after
    /// it. (Attempts refused while waiting are not failures: they never reach
    /// the password check, so each wait begins with exactly one `true`.)
    pub fn failed(&self, ip: Option<IpAddr>, email: &str) -> bool {
        self.failed_at(ip, email, Instant::now())
    }

    fn failed_at(&self, ip: Option<IpAddr>, email: &str, now: Instant) -> bool {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let mut throttled = false;
        for (k, free) in Self::keys(ip, email) {
            if !map.contains_key(&k) && map.len() >= Self::MAX_KEYS {
                map.retain(|_, f| now.saturating_duration_since(f.last) < Self::FORGET_AFTER);
                if map.len() >= Self::MAX_KEYS {
                    // Still full of recent failures: the stalest tenth goes at once.
                    let mut lasts: Vec<Instant> = map.values().map(|f| f.last).collect();
                    let cut = lasts.len() / 10;
                    let (_, cutoff, _) = lasts.select_nth_unstable(cut);
                    let cutoff = *cutoff;
                    map.retain(|_, f| f.last > cutoff);
                }
            }
            let f = map.entry(k).or_insert(Failures {
                count: 0,
                last: now,
            });
            if now.saturating_duration_since(f.last) >= Self::FORGET_AFTER {
                f.count = 0;
            }
            f.count += 1;
            f.last = now;
            throttled |= f.count >= free;
        }
        throttled
    }

    /// A successful sign-in clears the account's failures.
    pub fn succeeded(&self, email: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&format!("user:{}", email.trim().to_lowercase()));
    }

    /// How many keys are remembered.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .len()
    }
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
    fn failures_back_off_doubling_and_are_forgotten() {
        let l = LoginLimiter::default();
        let t0 = Instant::now();
        let who = Some(ip("192.0.2.1"));
        for i in 0..LoginLimiter::FREE_PER_ACCOUNT - 1 {
            assert!(!l.failed_at(who, "a@k.se", t0), "failure {i} is free");
            assert_eq!(l.wait_at(who, "a@k.se", t0), Duration::ZERO);
        }
        assert!(l.failed_at(who, "a@k.se", t0), "now it waits");
        assert_eq!(l.wait_at(who, "a@k.se", t0), Duration::from_secs(1));
        assert!(l.failed_at(who, "a@k.se", t0));
        assert_eq!(l.wait_at(who, "a@k.se", t0), Duration::from_secs(2));
        // Another address does not escape the account's back-off.
        assert_eq!(
            l.wait_at(Some(ip("192.0.2.2")), "A@k.se", t0),
            Duration::from_secs(2)
        );
        // Another account from the same address is free.
        assert_eq!(l.wait_at(who, "b@k.se", t0), Duration::ZERO);
        // Never longer than the maximum.
        for _ in 0..40 {
            l.failed_at(who, "a@k.se", t0);
        }
        assert_eq!(l.wait_at(who, "a@k.se", t0), LoginLimiter::MAX_WAIT);
        assert_eq!(
            l.wait_at(who, "a@k.se", t0 + LoginLimiter::MAX_WAIT),
            Duration::ZERO,
            "after the wait, one more try"
        );
        l.succeeded("a@k.se");
        assert_eq!(
            l.wait_at(Some(ip("192.0.2.3")), "a@k.se", t0),
            Duration::ZERO
        );
    }

    #[test]
    fn the_limiters_memory_is_bounded() {
        let l = LoginLimiter::default();
        let t0 = Instant::now();
        for i in 0..(LoginLimiter::MAX_KEYS as u32 + 500) {
            let a = IpAddr::from(i.to_be_bytes());
            l.failed_at(Some(a), &format!("{i}@k.se"), t0);
        }
        assert!(l.len() <= LoginLimiter::MAX_KEYS, "{}", l.len());
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
