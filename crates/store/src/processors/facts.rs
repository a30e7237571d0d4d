//! What the profile's supplier rules read: which systems have a supplier,
//! which are covered by a processor agreement in force with that supplier
//! (`processor_agreement`), which by an active support or operation contract
//! (`support_contract`); and the gaps the processor agreement page lists:
//! each system holding personal data whose supplier has no agreement in
//! force covering it, naming the supplier.

use super::{COLS, FROM, agreement};
use crate::db::{Queryable, Result};
use crate::{Store, params};
use chrono::NaiveDate;
use insyn_domain::contract::ContractKind;
use insyn_domain::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// The most gaps the page and the API list (the total is said beside).
pub const MAX_GAPS: usize = 200;

/// The supplier facts of the organisation's systems (or one).
pub(crate) struct SupplierFacts {
    /// Each system with a supplier, and that supplier.
    pub supplier_of: BTreeMap<Uuid, Uuid>,
    /// Systems covered by an agreement in force with their supplier, and
    /// the day the newest such agreement was signed.
    pub processor: BTreeMap<Uuid, NaiveDate>,
    /// Systems covered by an active support or operation contract, and the
    /// day the newest was signed.
    pub support: Vec<(Uuid, NaiveDate)>,
}

pub(crate) async fn supplier_facts(
    q: &mut impl Queryable,
    org: OrgId,
    only: Option<SystemId>,
    today: NaiveDate,
) -> Result<SupplierFacts> {
    let (filter, p) = match only {
        Some(s) => (" AND l.system_id = $2", params![org.0, s.0]),
        None => ("", params![org.0]),
    };
    let supplier_of: BTreeMap<Uuid, Uuid> = q
        .all(
            &format!("SELECT l.system_id, l.supplier_id FROM system_suppliers l WHERE l.org_id = $1{filter}"),
            p.clone(),
            |r| Ok((r.uuid("system_id")?, r.uuid("supplier_id")?)),
        )
        .await?
        .into_iter()
        .collect();
    let covering = q
        .all(
            &format!(
                "SELECT {COLS}, l.system_id AS covered FROM {FROM} \
                 JOIN processor_agreement_systems l ON l.agreement_id = p.id WHERE p.org_id = $1{filter}"
            ),
            p,
            |r| Ok((r.uuid("covered")?, agreement(r, today)?)),
        )
        .await?;
    let mut processor = BTreeMap::new();
    for (sid, a) in covering {
        if a.assessment.status.covers() && supplier_of.get(&sid) == Some(&a.supplier_id.0) {
            let on = a.signed_on.unwrap_or(today);
            let e = processor.entry(sid).or_insert(on);
            *e = (*e).max(on);
        }
    }
    let support = crate::contracts::active_cover(
        q,
        org,
        &[ContractKind::Support, ContractKind::Operation],
        only,
        today,
    )
    .await?;
    Ok(SupplierFacts {
        supplier_of,
        processor,
        support,
    })
}

/// A system holding personal data whose supplier has no processor agreement
/// in force covering it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProcessorGap {
    pub system_id: SystemId,
    pub system_name: String,
    pub supplier_id: SupplierId,
    pub supplier_name: String,
}

/// The gaps of the organisation's systems (or one), by system name.
async fn gaps(
    q: &mut impl Queryable,
    org: OrgId,
    only: Option<SystemId>,
    today: NaiveDate,
) -> Result<Vec<ProcessorGap>> {
    let facts = supplier_facts(q, org, only, today).await?;
    let (one, p) = match only {
        Some(s) => (
            " AND s.id = $3",
            params![org.0, Lifecycle::Decommissioned.as_str(), s.0],
        ),
        None => ("", params![org.0, Lifecycle::Decommissioned.as_str()]),
    };
    // From the systems that have a supplier (SQLite is told the join order:
    // in name order it would walk every system of the organisation to find
    // them), then sorted.
    let candidates = q
        .all(
            &format!(
                "SELECT s.id, s.name, sup.id AS supplier_id, sup.name AS supplier_name \
                 FROM system_suppliers l CROSS JOIN systems s \
                 JOIN suppliers sup ON sup.id = l.supplier_id \
                 WHERE l.org_id = $1 AND s.id = l.system_id \
                 AND s.org_id = $1 AND s.archived = FALSE AND s.lifecycle <> $2{one} AND EXISTS \
                 (SELECT 1 FROM information_sets i WHERE i.system_id = s.id AND i.archived = FALSE \
                  AND (i.personal_data OR i.sensitive_personal_data)) \
                 ORDER BY s.name_key, s.id"
            ),
            p,
            |r| {
                Ok(ProcessorGap {
                    system_id: SystemId(r.uuid("id")?),
                    system_name: r.text("name")?,
                    supplier_id: SupplierId(r.uuid("supplier_id")?),
                    supplier_name: r.text("supplier_name")?,
                })
            },
        )
        .await?;
    let covered: BTreeSet<Uuid> = facts.processor.into_keys().collect();
    Ok(candidates
        .into_iter()
        .filter(|g| !covered.contains(&g.system_id.0))
        .collect())
}

impl Store {
    /// The organisation's systems (not decommissioned) holding personal data
    /// whose supplier has no processor agreement in force covering them, by
    /// system name: at most [`MAX_GAPS`], and how many there are.
    pub async fn processor_gaps(
        &self,
        org: OrgId,
        today: NaiveDate,
    ) -> Result<(Vec<ProcessorGap>, usize)> {
        let all = gaps(&mut self.db.read(), org, None, today).await?;
        let total = all.len();
        Ok((all.into_iter().take(MAX_GAPS).collect(), total))
    }

    /// The system's gap, if it holds personal data and its supplier has no
    /// processor agreement in force covering it.
    pub async fn processor_gap_of(
        &self,
        org: OrgId,
        system: SystemId,
        today: NaiveDate,
    ) -> Result<Option<ProcessorGap>> {
        Ok(gaps(&mut self.db.read(), org, Some(system), today)
            .await?
            .pop())
    }
}
