//! Importing a system's user list: the differences against insyn's
//! holdings (`compare_roster`) and the changes recorded from it
//! (`plan_roster`), all or nothing. A dry run computes the same report and
//! writes nothing; an import that changes nothing writes nothing either, so
//! importing the same list twice is a no-op.

use super::holdings::current;
use super::profiles::profile;
use super::today;
use crate::audit::{Actor, Change};
use crate::db::{Queryable, Result, now};
use crate::people::person;
use crate::policy::system_in_org;
use crate::{Store, params};
use insyn_domain::access::*;
use insyn_domain::*;
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;

/// What importing a user list found and did (or, in a dry run, would do).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterReport {
    pub dry_run: bool,
    /// The accounts read from the list.
    pub accounts: usize,
    /// Where the list and insyn differ, as they stood before the import.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub differences: Vec<RosterDifference>,
    /// What the import records.
    pub changes: Vec<RosterChange>,
    /// Rows the import could not use.
    pub issues: Vec<RosterRowIssue>,
    /// The names of the people and profiles the report mentions, by id.
    pub people: HashMap<PersonId, String>,
    pub profiles: HashMap<AccessProfileId, String>,
    /// The holdings the report mentions: (person, profile) by holding id.
    pub holdings: HashMap<HoldingId, (PersonId, AccessProfileId)>,
}

impl Store {
    /// Compares a system's user list with its holdings and, unless
    /// `dry_run`, records what [`plan_roster`] says in one transaction with
    /// one audit record.
    pub async fn import_roster(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        file_name: &str,
        listed: &[ListedAccount],
        dry_run: bool,
    ) -> Result<RosterReport> {
        let mut tx = self.db.begin().await?;
        system_in_org(&mut tx, org, system).await?;
        let held = current(&mut tx, org, "h.system_id = $3", params![system.0]).await?;
        let profiles = tx
            .all(
                "SELECT id, org_id, system_id, name, grants, personal_data, secret_info, max_holders, \
                 reason_required, orderer, decider, executor, archived \
                 FROM access_profiles WHERE org_id = $1 AND system_id = $2 ORDER BY name_key, id",
                params![org.0, system.0],
                profile,
            )
            .await?;
        let people = tx
            .all(
                &format!(
                    "SELECT {} FROM people WHERE org_id = $1 ORDER BY id",
                    crate::people::COLS
                ),
                params![org.0],
                person,
            )
            .await?;
        let by_person: HashMap<PersonId, &Person> = people.iter().map(|p| (p.id, p)).collect();
        let by_profile: HashMap<AccessProfileId, &AccessProfile> =
            profiles.iter().map(|p| (p.id, p)).collect();
        let known: Vec<KnownHolding> = held
            .iter()
            .filter_map(|h| {
                Some(KnownHolding {
                    holding: h,
                    person: by_person.get(&h.person_id)?,
                    profile_name: &by_profile.get(&h.profile_id)?.name,
                })
            })
            .collect();
        let differences = compare_roster(&known, listed);
        let (changes, issues) = plan_roster(&known, listed, &profiles, &people);
        let mut report = RosterReport {
            dry_run,
            accounts: listed.len(),
            differences,
            changes,
            issues,
            people: HashMap::new(),
            profiles: profiles.iter().map(|p| (p.id, p.name.clone())).collect(),
            holdings: held
                .iter()
                .map(|h| (h.id, (h.person_id, h.profile_id)))
                .collect(),
        };
        let mentioned = report
            .differences
            .iter()
            .filter_map(|d| match d {
                RosterDifference::Leaver { person_id, .. }
                | RosterDifference::OtherProfile { person_id, .. } => Some(*person_id),
                _ => None,
            })
            .chain(held.iter().map(|h| h.person_id))
            .chain(report.changes.iter().map(|c| match c {
                RosterChange::Account { person_id, .. }
                | RosterChange::Holding { person_id, .. } => *person_id,
            }));
        for id in mentioned.collect::<Vec<_>>() {
            if let Some(p) = by_person.get(&id) {
                report.people.insert(id, p.name.clone());
            }
        }
        if dry_run || report.changes.is_empty() {
            // Dropped: rolled back.
            return Ok(report);
        }
        let at = now();
        for c in &report.changes {
            match c {
                RosterChange::Account {
                    holding_id,
                    account,
                    ..
                } => {
                    tx.execute(
                        "UPDATE access_holdings SET account = $3, updated_at = $4 WHERE org_id = $1 AND id = $2",
                        params![org.0, holding_id.0, account.as_str(), at],
                    )
                    .await?;
                }
                RosterChange::Holding {
                    person_id,
                    profile_id,
                    account,
                    ..
                } => {
                    tx.execute(
                        "INSERT INTO access_holdings (id, org_id, system_id, profile_id, person_id, since, until, order_id, account, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL, $7, $8, $8)",
                        params![HoldingId::new().0, org.0, system.0, profile_id.0, person_id.0, today(), account.clone(), at],
                    )
                    .await?;
                }
            }
        }
        Change::new(
            Some(org),
            AuditAction::Import,
            AuditObject::System,
            system.0,
            json!({ "file": file_name, "user_list": report.changes }),
        )
        .commit(tx, actor)
        .await?;
        Ok(report)
    }
}
