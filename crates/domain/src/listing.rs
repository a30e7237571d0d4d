//! What a list of systems can be filtered and sorted by, and how it pages.

use crate::ids::*;
use crate::model::Lifecycle;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Filters for the system register. Every field narrows the list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SystemFilter {
    /// Full-text search over name, short name, description, purpose, vendor,
    /// tags and capabilities. Matches inside words ("ekonomi" finds "Ekonomisystem").
    pub q: Option<String>,
    /// The responsible unit, or any unit below it.
    pub unit_id: Option<UnitId>,
    pub lifecycle: Option<Lifecycle>,
    pub business_critical: Option<bool>,
    /// Systems where this person currently holds any role.
    pub holder_id: Option<PersonId>,
    /// Only systems with no current system owner.
    pub no_owner: bool,
    /// Include archived systems (default: only active ones).
    pub include_archived: bool,
    /// Only systems changed after this instant (for synchronisation through the API).
    pub changed_since: Option<DateTime<Utc>>,
    pub capability: Option<String>,
    pub tag: Option<String>,
}

/// Sortable columns of the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SystemSort {
    #[default]
    Name,
    Unit,
    Lifecycle,
    Users,
    GoLive,
    Updated,
}

impl SystemSort {
    pub const ALL: &'static [SystemSort] = &[
        SystemSort::Name,
        SystemSort::Unit,
        SystemSort::Lifecycle,
        SystemSort::Users,
        SystemSort::GoLive,
        SystemSort::Updated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SystemSort::Name => "name",
            SystemSort::Unit => "unit",
            SystemSort::Lifecycle => "lifecycle",
            SystemSort::Users => "users",
            SystemSort::GoLive => "go_live",
            SystemSort::Updated => "updated",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|x| x.as_str() == s)
    }
}

/// A page request: 1-based page number and size (capped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u32,
    pub per_page: u32,
}

impl PageRequest {
    pub const DEFAULT_SIZE: u32 = 50;
    pub const MAX_SIZE: u32 = 500;

    pub fn new(page: Option<u32>, per_page: Option<u32>) -> Self {
        Self {
            page: page.unwrap_or(1).max(1),
            per_page: per_page
                .unwrap_or(Self::DEFAULT_SIZE)
                .clamp(1, Self::MAX_SIZE),
        }
    }

    pub fn offset(&self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }

    pub fn limit(&self) -> i64 {
        i64::from(self.per_page)
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self::new(None, None)
    }
}

/// One page of results and the total count that matched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many matched; with `total_capped`, only a lower bound.
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
    /// The count stopped at `total`: more than that many matched. Counts that
    /// would read many rows (a search, a unit, a role holder) stop early so
    /// that a page costs the same at 100,000 systems as at 1,000.
    pub total_capped: bool,
}

impl<T> Page<T> {
    /// The page `req` asked for, of `total` (counted exactly).
    pub fn of(items: Vec<T>, total: i64, req: PageRequest) -> Self {
        Page {
            items,
            total,
            page: req.page,
            per_page: req.per_page,
            total_capped: false,
        }
    }

    /// How many pages there are; with a capped total, how many are known.
    pub fn pages(&self) -> u32 {
        let per = i64::from(self.per_page.max(1));
        // A capped count goes past the end of the requested page, so the
        // next page is known to exist.
        u32::try_from((self.total + per - 1) / per)
            .unwrap_or(u32::MAX)
            .max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_is_bounded() {
        let p = PageRequest::new(Some(0), Some(10_000));
        assert_eq!(p.page, 1);
        assert_eq!(p.per_page, PageRequest::MAX_SIZE);
        assert_eq!(PageRequest::new(Some(3), Some(50)).offset(), 100);
        let page: Page<()> = Page {
            items: vec![],
            total: 101,
            page: 1,
            per_page: 50,
            total_capped: false,
        };
        assert_eq!(page.pages(), 3);
        let empty: Page<()> = Page {
            items: vec![],
            total: 0,
            page: 1,
            per_page: 50,
            total_capped: false,
        };
        assert_eq!(empty.pages(), 1);
    }

    #[test]
    fn sort_names_round_trip() {
        for s in SystemSort::ALL {
            assert_eq!(SystemSort::parse(s.as_str()), Some(*s));
        }
    }
}
