//! The facts of the coordinator's compilation: the incidents the
//! organisation became aware of in a period, with their clocks and their
//! systems' units. The figures are `insyn_domain::incident::compile`'s.

use super::{Store, incident};
use crate::db::{Queryable, Result};
use crate::params;
use chrono::{DateTime, Utc};
use insyn_domain::incident::*;
use insyn_domain::*;

/// The most incidents one compilation reads; a period with more is refused
/// by the caller's choice of a shorter period (the count says so).
pub const MAX_COMPILED: i64 = 5_000;

impl Store {
    /// The compilation of the incidents aware within `from..to`, their
    /// clocks as they stand at `now`. `None` when the period holds more than
    /// [`MAX_COMPILED`] incidents.
    pub async fn incident_compilation(
        &self,
        org: OrgId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Option<Compilation>> {
        let deadlines = self.incident_deadlines(org).await?;
        let mut read = self.db.read();
        let n = read
            .count(
                "SELECT COUNT(*) AS n FROM incidents WHERE org_id = $1 AND aware_at >= $2 AND aware_at < $3",
                params![org.0, from, to],
            )
            .await?;
        if n > MAX_COMPILED {
            return Ok(None);
        }
        let incidents = read
            .all(
                &format!(
                    "SELECT {} FROM incidents WHERE org_id = $1 AND aware_at >= $2 AND aware_at < $3 ORDER BY number",
                    super::COLS
                ),
                params![org.0, from, to],
                incident,
            )
            .await?;
        let mut rows = Vec::with_capacity(incidents.len());
        for i in incidents {
            let systems = read
                .all(
                    "SELECT s.name, u.name AS unit FROM incident_systems x JOIN systems s ON s.id = x.system_id \
                     LEFT JOIN units u ON u.id = s.responsible_unit_id WHERE x.incident_id = $1",
                    params![i.id.0],
                    |r| Ok((r.text("name")?, r.opt_text("unit")?)),
                )
                .await?;
            let facts = Self::clock_facts(&mut read, &i).await?;
            let clocks = clocks(&deadlines, &facts, now);
            rows.push((i, clocks, systems));
        }
        let items: Vec<Compiled<'_>> = rows
            .iter()
            .map(|(incident, clocks, systems)| Compiled {
                incident,
                clocks,
                systems,
            })
            .collect();
        Ok(Some(compile(from, to, &items)))
    }
}
