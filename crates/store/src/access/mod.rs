//! Access management (behörighetshantering): a system's access profiles
//! (`profiles.rs`), orders for access and for its removal with the steps
//! taken on them (`orders.rs`), and who holds what (`holdings.rs`), access reviews on a frozen snapshot (`reviews.rs`), with the
//! removal orders a leaver or mover leaves behind. The rules are
//! `insyn_domain::access`; the store checks what needs the database (the
//! profile belongs to the system, the person holds what is removed, the
//! most holders) and keeps every step in the audit trail. Who may take a
//! step is the caller's to check: an order comes back with its profile,
//! whose parties say who orders, decides and carries out. Each step mails
//! the party who acts next through the outbox (`notices.rs`), and a
//! system's own user list is compared with its holdings (`roster.rs`).

mod holdings;
mod notices;
mod orders;
mod profiles;
mod review_answers;
mod review_reminders;
mod reviews;
mod roster;

pub(crate) use holdings::order_removals;
pub use orders::{AccessOrder, AccessOrderView, OrderFilter, OrderStepRecord};
pub(crate) use review_reminders::queue_review_mails;
pub use reviews::{
    ACCESS_REVIEW_CONTROL, AccessReview, AccessReviewDraft, AccessReviewItem, AccessReviewView,
    ReviewFilter,
};
pub use roster::RosterReport;

use chrono::{NaiveDate, Utc};

/// Today, as the store dates holdings and steps.
fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// Whether a holding row is current on `day` (the same test as
/// `Holding::is_current`, in SQL), for holdings aliased `h` and the day as `$n`.
fn current_on(day: &str) -> String {
    format!("h.since <= {day} AND (h.until IS NULL OR h.until >= {day})")
}
