//! The e-services the public register may show: only the published ones,
//! each with every field the organisation keeps secret already emptied
//! (`insyn_domain::eservice::public`), so secret values never reach the
//! public pages, their search or their exports.

use super::{COLS, FROM, eservice, fill};
use crate::db::{Queryable, Result};
use crate::{Store, params};
use insyn_domain::eservice::public::{EServiceSecrecy, PublicEService};
use insyn_domain::*;

/// How many published e-services a public search reads before it stops
/// (and says the total is capped).
const SEARCH_CANDIDATES: i64 = 2_000;

impl Store {
    /// A page of the organisation's published e-services, by name, with
    /// only their public fields; `q` looks only in those.
    pub async fn public_eservices(
        &self,
        org: OrgId,
        q: Option<&str>,
        page: PageRequest,
    ) -> Result<(Page<PublicEService>, EServiceSecrecy)> {
        let secrecy = EServiceSecrecy::from_marks(&self.eservice_marks(org).await?);
        let tokens: Vec<String> = q
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        let mut read = self.db.read();
        let total = read
            .count(
                "SELECT COUNT(*) AS n FROM eservices WHERE org_id = $1 AND published = TRUE",
                params![org.0],
            )
            .await?;
        let (limit, offset) = if tokens.is_empty() {
            (page.limit(), page.offset())
        } else {
            (SEARCH_CANDIDATES, 0)
        };
        let mut rows = read
            .all(
                &format!(
                    "SELECT {COLS} FROM {FROM} WHERE e.org_id = $1 AND e.published = TRUE \
                     ORDER BY LOWER(e.name), e.id LIMIT {limit} OFFSET {offset}"
                ),
                params![org.0],
                eservice,
            )
            .await?;
        let today = chrono::Utc::now().date_naive();
        let mut items = vec![];
        for e in &mut rows {
            fill(&mut read, e, today).await?;
            items.extend(secrecy.redact(e));
        }
        if tokens.is_empty() {
            return Ok((Page::of(items, total, page), secrecy));
        }
        items.retain(|p| {
            let text = p.search_text();
            tokens.iter().all(|t| text.contains(t.as_str()))
        });
        let found = items.len() as i64;
        let items = items
            .into_iter()
            .skip(usize::try_from(page.offset()).unwrap_or(usize::MAX))
            .take(usize::try_from(page.limit()).unwrap_or(0))
            .collect();
        Ok((
            Page {
                total_capped: total > SEARCH_CANDIDATES,
                ..Page::of(items, found, page)
            },
            secrecy,
        ))
    }
}
