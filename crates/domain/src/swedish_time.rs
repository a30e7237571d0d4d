//! Swedish time (Europe/Stockholm), computed here rather than from a
//! time-zone database: summer time (UTC+2) from the last Sunday of March
//! 01:00 UTC to the last Sunday of October 01:00 UTC, otherwise UTC+1 (the
//! EU rule since 1996). Deadlines are shown, and times typed, in it.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc};

/// The last Sunday of a month, at 01:00 UTC.
fn last_sunday_0100(year: i32, month: u32) -> Option<NaiveDateTime> {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }?;
    let last = next.pred_opt()?;
    let back = last.weekday().num_days_from_sunday();
    (last - Duration::days(i64::from(back))).and_hms_opt(1, 0, 0)
}

/// Stockholm's offset from UTC, in hours, at a moment.
pub fn stockholm_offset(at: DateTime<Utc>) -> i64 {
    let t = at.naive_utc();
    match (
        last_sunday_0100(t.year(), 3),
        last_sunday_0100(t.year(), 10),
    ) {
        (Some(start), Some(end)) if t >= start && t < end => 2,
        _ => 1,
    }
}

/// The wall-clock time in Stockholm at a moment.
pub fn stockholm(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc() + Duration::hours(stockholm_offset(at))
}

/// The moment a Stockholm wall-clock time names (the later one in the hour
/// that repeats in October; a time skipped in March counts as summer time).
pub fn from_stockholm(local: NaiveDateTime) -> DateTime<Utc> {
    let summer = (local - Duration::hours(2)).and_utc();
    if stockholm_offset(summer) == 2 {
        summer
    } else {
        (local - Duration::hours(1)).and_utc()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().expect("a time")
    }

    #[test]
    fn summer_time_runs_from_the_last_sunday_of_march_to_the_last_of_october() {
        // 2026: 29 March and 25 October.
        assert_eq!(stockholm_offset(utc("2026-03-29T00:59:00Z")), 1);
        assert_eq!(stockholm_offset(utc("2026-03-29T01:00:00Z")), 2);
        assert_eq!(stockholm_offset(utc("2026-10-25T00:59:00Z")), 2);
        assert_eq!(stockholm_offset(utc("2026-10-25T01:00:00Z")), 1);
        assert_eq!(stockholm_offset(utc("2026-12-09T13:32:00Z")), 1);
        assert_eq!(stockholm_offset(utc("2027-07-01T12:00:00Z")), 2);
        // 2027: 28 March.
        assert_eq!(stockholm_offset(utc("2027-03-28T00:30:00Z")), 1);
        assert_eq!(stockholm_offset(utc("2027-03-28T01:30:00Z")), 2);
    }

    #[test]
    fn a_local_time_goes_back_to_the_moment_it_names() {
        for s in [
            "2026-12-09T13:32:00Z",
            "2026-07-01T10:00:00Z",
            "2026-03-29T02:00:00Z",
        ] {
            let at = utc(s);
            assert_eq!(from_stockholm(stockholm(at)), at, "{s}");
        }
        let local = "2026-12-09T14:32:00".parse().expect("a local time");
        assert_eq!(from_stockholm(local), utc("2026-12-09T13:32:00Z"));
    }
}
