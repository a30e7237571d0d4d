//! Rows of a follow-up file checked together before any is stored: each
//! row's draft valid, each period once.

use super::{FollowUpDraft, PERIOD_TAKEN};
use std::collections::HashSet;

/// A problem with one row: its row in the file (1-based), the draft's
/// field and a message key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub field: String,
    pub code: &'static str,
}

impl RowError {
    /// The row's field as the API names it (`rows[5].period`).
    pub fn path(&self) -> String {
        format!("rows[{}].{}", self.row, self.field)
    }
}

/// The rows' drafts validated, or every problem by row; a period already
/// in an earlier row is refused on the later one.
pub fn check_rows(rows: Vec<(usize, FollowUpDraft)>) -> Result<Vec<FollowUpDraft>, Vec<RowError>> {
    let mut errors = vec![];
    let mut seen = HashSet::new();
    let mut valid = vec![];
    for (row, d) in rows {
        if !seen.insert(d.period) {
            errors.push(RowError {
                row,
                field: "period".into(),
                code: PERIOD_TAKEN,
            });
        }
        match d.validate() {
            Ok(d) => valid.push(d),
            Err(e) => errors.extend(e.0.into_iter().map(|f| RowError {
                row,
                field: f.field,
                code: f.code,
            })),
        }
    }
    if errors.is_empty() {
        Ok(valid)
    } else {
        Err(errors)
    }
}
