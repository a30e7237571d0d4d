//! Reminders by e-mail: which controls, reviews and documents fall due, and
//! who is told.

use crate::Store;
use crate::db::Result;
use chrono::NaiveDate;

impl Store {
    /// Queues, with [`crate::outbox::enqueue`], the reminders due on `today`
    /// and returns how many new mails were queued. The mail worker calls it
    /// before each round of sending.
    ///
    /// A placeholder that queues nothing: it is filled in by the policy work
    /// (issue 5), which knows what falls due and whom to remind.
    pub async fn queue_reminders(&self, today: NaiveDate) -> Result<usize> {
        let _ = today;
        Ok(0)
    }
}
