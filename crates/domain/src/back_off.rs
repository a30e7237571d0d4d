//! Back-off for failed password sign-ins, per account and per address. The
//! first few failures cost nothing; after that each further attempt must
//! wait twice as long as the one before (up to a quarter of an hour),
//! counted from the last failure. Nobody is locked out for good, and an
//! attacker who spreads guesses over addresses still meets the account's
//! back-off. The store keeps the failures (shared by every instance on the
//! database); the rule is here.

use chrono::{DateTime, Duration, Utc};
use std::net::IpAddr;

/// Failures of an account before it must wait.
pub const FREE_PER_ACCOUNT: u32 = 5;
/// Failures from one address (many accounts) before it must wait.
pub const FREE_PER_ADDRESS: u32 = 30;
/// The longest wait, in seconds (a quarter of an hour).
pub const MAX_WAIT_SECS: i64 = 15 * 60;
/// Failures are forgotten this many seconds after the last one.
pub const FORGET_AFTER_SECS: i64 = 60 * 60;
/// The most keys remembered; the stalest go first.
pub const MAX_KEYS: usize = 10_000;

/// The longest wait.
pub fn max_wait() -> Duration {
    Duration::seconds(MAX_WAIT_SECS)
}

/// How long failures are remembered after the last one.
pub fn forget_after() -> Duration {
    Duration::seconds(FORGET_AFTER_SECS)
}

/// The key of an account's failures.
pub fn account_key(email: &str) -> String {
    format!("user:{}", email.trim().to_lowercase())
}

/// The keys an attempt counts against, each with its free failures: the
/// account's and the address's.
pub fn keys(ip: Option<IpAddr>, email: &str) -> [(String, u32); 2] {
    [
        (account_key(email), FREE_PER_ACCOUNT),
        (
            format!("ip:{}", ip.map(|i| i.to_string()).unwrap_or_default()),
            FREE_PER_ADDRESS,
        ),
    ]
}

/// The wait after `failures` failures of a key with `free` free ones.
pub fn wait_after(failures: u32, free: u32) -> Duration {
    if failures < free {
        return Duration::zero();
    }
    let doublings = (failures - free).min(20);
    Duration::seconds(1i64 << doublings).min(max_wait())
}

/// Whether a key with `failures` failures (counting the one just made) must
/// now wait.
pub fn waits(failures: u32, free: u32) -> bool {
    failures >= free
}

/// How long the caller must still wait at `now`, given each key's failures,
/// free failures and last failure; zero when they may try now.
pub fn remaining(keys: &[(u32, u32, DateTime<Utc>)], now: DateTime<Utc>) -> Duration {
    keys.iter()
        .map(|&(failures, free, last)| {
            let until = last + wait_after(failures, free);
            (until - now).max(Duration::zero())
        })
        .max()
        .unwrap_or_else(Duration::zero)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_back_off_doubling_up_to_the_maximum() {
        let t0 = DateTime::from_timestamp(1_800_000_000, 0).expect("a time");
        for n in 1..FREE_PER_ACCOUNT {
            assert!(!waits(n, FREE_PER_ACCOUNT), "failure {n} is free");
            assert_eq!(
                remaining(&[(n, FREE_PER_ACCOUNT, t0)], t0),
                Duration::zero()
            );
        }
        let n = FREE_PER_ACCOUNT;
        assert!(waits(n, FREE_PER_ACCOUNT), "now it waits");
        assert_eq!(
            remaining(&[(n, FREE_PER_ACCOUNT, t0)], t0),
            Duration::seconds(1)
        );
        assert_eq!(
            remaining(&[(n + 1, FREE_PER_ACCOUNT, t0)], t0),
            Duration::seconds(2)
        );
        // Counted from the last failure.
        assert_eq!(
            remaining(&[(n + 1, FREE_PER_ACCOUNT, t0)], t0 + Duration::seconds(1)),
            Duration::seconds(1)
        );
        // The longer of the account's and the address's waits counts.
        assert_eq!(
            remaining(
                &[
                    (n + 1, FREE_PER_ACCOUNT, t0),
                    (FREE_PER_ADDRESS, FREE_PER_ADDRESS, t0)
                ],
                t0
            ),
            Duration::seconds(2)
        );
        // Never longer than the maximum, and over once it has passed.
        assert_eq!(
            wait_after(FREE_PER_ACCOUNT + 40, FREE_PER_ACCOUNT),
            max_wait()
        );
        assert_eq!(
            remaining(
                &[(FREE_PER_ACCOUNT + 40, FREE_PER_ACCOUNT, t0)],
                t0 + max_wait()
            ),
            Duration::zero()
        );
        assert!(
            max_wait() < forget_after(),
            "a wait ends before its failures are forgotten"
        );
    }

    #[test]
    fn an_account_is_one_key_whatever_its_case_and_each_address_another() {
        let ip: IpAddr = "192.0.2.1".parse().expect("an address");
        let [(a, fa), (b, fb)] = keys(Some(ip), " A@k.se ");
        assert_eq!((a.as_str(), fa), ("user:a@k.se", FREE_PER_ACCOUNT));
        assert_eq!((b.as_str(), fb), ("ip:192.0.2.1", FREE_PER_ADDRESS));
        assert_eq!(account_key("a@K.SE"), a);
    }
}
