//! Systems: the register itself.

mod list;
mod named;
mod rows;
mod search;

pub use list::{SystemRow, TOTAL_CAP};
pub(crate) use rows::{fetch, row_values, update_row};
pub use search::{SearchCache, SearchedBy};

use crate::audit::{self, Actor, Change};
use crate::db::{DbRow, Queryable, Result, now};
use crate::name_taken;
use crate::{Store, StoreError, params};
use chrono::{DateTime, Utc};
use insyn_domain::*;
use rows::{check_name, check_refs, insert_row, write_sets};

pub(super) const COLS: &str = "s.id, s.org_id, s.name, s.short_name, s.description, s.purpose, \
    s.responsible_unit_id, s.vendor, s.product_id, s.version, s.hosting, s.user_count, \
    s.business_critical, s.lifecycle, s.go_live_date, s.end_date, s.licence_model, \
    s.licence_count, s.escalation_route, s.notes, s.archived, s.created_at, s.updated_at";

pub(super) fn system_base(r: &dyn DbRow) -> Result<System> {
    Ok(System {
        id: SystemId(r.uuid("id")?),
        org_id: OrgId(r.uuid("org_id")?),
        name: r.text("name")?,
        short_name: r.opt_text("short_name")?,
        description: r.opt_text("description")?,
        purpose: r.opt_text("purpose")?,
        responsible_unit_id: r.opt_uuid("responsible_unit_id")?.map(UnitId),
        using_unit_ids: vec![],
        vendor: r.opt_text("vendor")?,
        product_id: r.opt_uuid("product_id")?.map(ProductId),
        version: r.opt_text("version")?,
        hosting: Hosting::parse(&r.text("hosting")?).unwrap_or(Hosting::Internal),
        user_count: r.opt_i64("user_count")?,
        business_critical: r.bool("business_critical")?,
        lifecycle: Lifecycle::parse(&r.text("lifecycle")?).unwrap_or(Lifecycle::InOperation),
        go_live_date: r.opt_date("go_live_date")?,
        end_date: r.opt_date("end_date")?,
        licence_model: r.opt_text("licence_model")?,
        licence_count: r.opt_i64("licence_count")?,
        doc_links: vec![],
        escalation_route: r.opt_text("escalation_route")?,
        capabilities: vec![],
        tags: vec![],
        notes: r.opt_text("notes")?,
        archived: r.bool("archived")?,
        created_at: r.ts("created_at")?,
        updated_at: r.ts("updated_at")?,
    })
}

/// The text the search looks in, lower-cased: the same on both backends.
pub(crate) fn search_text(d: &SystemDraft) -> String {
    let mut parts: Vec<&str> = vec![d.name.as_str()];
    for s in [&d.short_name, &d.description, &d.purpose, &d.vendor]
        .into_iter()
        .flatten()
    {
        parts.push(s);
    }
    parts.extend(d.capabilities.iter().map(String::as_str));
    parts.extend(d.tags.iter().map(String::as_str));
    parts.join(" \n ").to_lowercase()
}

/// The most other systems of one capability the system page names.
pub const OVERLAP_NAMED: usize = 5;
/// How far the system page counts the other systems of one capability.
pub const OVERLAP_COUNT_CAP: i64 = 100;
/// The most capabilities of one system the system page looks up.
pub const OVERLAP_CAPABILITIES: usize = 20;

/// The organisation's other active systems serving one of a system's
/// capabilities ([`Store::overlapping_systems`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Overlap {
    pub capability: String,
    /// By name, when there are at most [`OVERLAP_NAMED`]; empty otherwise.
    pub systems: Vec<(SystemId, String)>,
    /// How many, at most [`OVERLAP_COUNT_CAP`].
    pub others: i64,
    /// Whether there are more than [`OVERLAP_COUNT_CAP`].
    pub capped: bool,
}

impl Store {
    pub async fn get_system(&self, org: OrgId, id: SystemId) -> Result<System> {
        fetch(&mut self.db.read(), org, id).await
    }

    pub async fn create_system(
        &self,
        actor: &Actor,
        org: OrgId,
        draft: SystemDraft,
    ) -> Result<System> {
        self.create_system_with_id(actor, org, SystemId::new(), draft)
            .await
    }

    pub async fn create_system_with_id(
        &self,
        actor: &Actor,
        org: OrgId,
        id: SystemId,
        draft: SystemDraft,
    ) -> Result<System> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        check_refs(&mut tx, org, None, &d).await?;
        let at = now();
        insert_row(&mut tx, org, id, &d, at)
            .await
            .map_err(name_taken)?;
        write_sets(&mut tx, id, &d).await?;
        // What was just written, without reading it back (two statements less
        // while the one writer is held).
        let created = stored(org, id, d, at);
        Change::created(Some(org), AuditObject::System, id.0, &created)
            .commit(tx, actor)
            .await?;
        Ok(created)
    }

    /// Replaces a system's data with the draft. A draft that changes nothing
    /// writes nothing (no new timestamp, no audit entry).
    pub async fn update_system(
        &self,
        actor: &Actor,
        org: OrgId,
        id: SystemId,
        draft: SystemDraft,
    ) -> Result<System> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id).await?;
        guarded_edit(&before, &d).map_err(StoreError::Invalid)?;
        check_refs(&mut tx, org, Some(id), &d).await?;
        update_row(&mut tx, org, id, &d).await.map_err(name_taken)?;
        let after = fetch(&mut tx, org, id).await?;
        let changes = audit::diff(Some(&before), Some(&after));
        if changes.as_object().is_some_and(|m| m.is_empty()) {
            // Nothing changed: roll back so that updated_at stays as it was.
            drop(tx);
            return Ok(before);
        }
        Change::new(
            Some(org),
            AuditAction::Update,
            AuditObject::System,
            id.0,
            changes,
        )
        .commit(tx, actor)
        .await?;
        Ok(after)
    }

    /// Takes a system out of the active register; its data and history stay.
    pub async fn archive_system(&self, actor: &Actor, org: OrgId, id: SystemId) -> Result<System> {
        self.set_archived(actor, org, id, true).await
    }

    /// Brings an archived system back into the active register.
    pub async fn restore_system(&self, actor: &Actor, org: OrgId, id: SystemId) -> Result<System> {
        self.set_archived(actor, org, id, false).await
    }

    async fn set_archived(
        &self,
        actor: &Actor,
        org: OrgId,
        id: SystemId,
        archived: bool,
    ) -> Result<System> {
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id).await?;
        if before.archived == archived {
            return Ok(before);
        }
        if !archived {
            let mut e = FieldErrors::new();
            check_name(&mut tx, org, Some(id), &before.name, &mut e).await?;
            if !e.is_empty() {
                return Err(StoreError::Invalid(e));
            }
        }
        tx.execute(
            "UPDATE systems SET archived = $3, updated_at = $4 WHERE org_id = $1 AND id = $2",
            params![org.0, id.0, archived, now()],
        )
        .await
        .map_err(name_taken)?;
        let after = fetch(&mut tx, org, id).await?;
        let action = if archived {
            AuditAction::Archive
        } else {
            AuditAction::Restore
        };
        Change::changed(
            Some(org),
            action,
            AuditObject::System,
            id.0,
            &before,
            &after,
        )
        .commit(tx, actor)
        .await?;
        Ok(after)
    }

    /// Other active systems of the organisation that share a capability with
    /// this one (R-REG-6: two systems serving the same purpose). Per
    /// capability of system `id` (its first [`OVERLAP_CAPABILITIES`]), the
    /// other systems serving it are named by name
    /// when there are at most [`OVERLAP_NAMED`], otherwise only counted, up
    /// to [`OVERLAP_COUNT_CAP`] (the page links to the register filtered by
    /// the capability, which sorts and pages them all). One statement of at
    /// most `OVERLAP_COUNT_CAP + 1` rows per capability, so the system page
    /// costs the same whether 3 or 4,000 systems share a capability (it read
    /// and sorted them all: 17 ms at 100,000 systems).
    pub async fn overlapping_systems(
        &self,
        org: OrgId,
        id: SystemId,
        capabilities: &[String],
    ) -> Result<Vec<Overlap>> {
        let mut read = self.db.read();
        let mut out = vec![];
        for c in capabilities.iter().take(OVERLAP_CAPABILITIES) {
            let mut found = read
                .all(
                    "SELECT s.id, s.name, s.name_key FROM system_capabilities sc \
                     JOIN systems s ON s.id = sc.system_id \
                     WHERE sc.capability = $1 AND sc.system_id <> $2 AND s.org_id = $3 AND s.archived = FALSE \
                     LIMIT $4",
                    params![c.as_str(), id.0, org.0, OVERLAP_COUNT_CAP + 1],
                    |r| Ok((r.text("name_key")?, SystemId(r.uuid("id")?), r.text("name")?)),
                )
                .await?;
            let n = found.len() as i64;
            if n == 0 {
                continue;
            }
            let systems = if found.len() <= OVERLAP_NAMED {
                found.sort();
                found.into_iter().map(|(_, id, name)| (id, name)).collect()
            } else {
                vec![]
            };
            out.push(Overlap {
                capability: c.clone(),
                systems,
                others: n.min(OVERLAP_COUNT_CAP),
                capped: n > OVERLAP_COUNT_CAP,
            });
        }
        Ok(out)
    }

    /// The names of the organisation's systems among `ids` (archived ones
    /// too), in one statement per few hundred; ids of no system of the
    /// organisation are left out.
    pub async fn system_names(
        &self,
        org: OrgId,
        ids: &[SystemId],
    ) -> Result<std::collections::HashMap<SystemId, String>> {
        let ids: Vec<uuid::Uuid> = ids.iter().map(|i| i.0).collect();
        let names = crate::db::names_by_id(&mut self.db.read(), "systems", org, &ids).await?;
        Ok(names.into_iter().map(|(id, n)| (SystemId(id), n)).collect())
    }

    /// The capabilities the organisation's active systems name, by name
    /// (at most `limit`), for choosing one: from the counts the triggers of
    /// migration 46 keep.
    pub async fn capability_names(&self, org: OrgId, limit: u32) -> Result<Vec<String>> {
        self.db
            .read()
            .all(
                "SELECT capability FROM capability_counts WHERE org_id = $1 AND n > 0 \
                 ORDER BY capability LIMIT $2",
                params![org.0, i64::from(limit)],
                |r| r.text("capability"),
            )
            .await
    }

    /// Capabilities served by more than one active system, with how many
    /// (the kept counts, like [`Store::capability_names`]).
    pub async fn capability_overlaps(&self, org: OrgId) -> Result<Vec<(String, i64)>> {
        self.db
            .read()
            .all(
                "SELECT capability, n FROM capability_counts WHERE org_id = $1 AND n > 1 \
                 ORDER BY n DESC, capability LIMIT 100",
                params![org.0],
                |r| Ok((r.text("capability")?, r.i64("n")?)),
            )
            .await
    }
}

/// The system a validated draft becomes when inserted at `at`: what
/// [`fetch`] would read back.
fn stored(org: OrgId, id: SystemId, d: SystemDraft, at: DateTime<Utc>) -> System {
    System {
        id,
        org_id: org,
        name: d.name,
        short_name: d.short_name,
        description: d.description,
        purpose: d.purpose,
        responsible_unit_id: d.responsible_unit_id,
        using_unit_ids: d.using_unit_ids,
        vendor: d.vendor,
        product_id: d.product_id,
        version: d.version,
        hosting: d.hosting,
        user_count: d.user_count,
        business_critical: d.business_critical,
        lifecycle: d.lifecycle,
        go_live_date: d.go_live_date,
        end_date: d.end_date,
        licence_model: d.licence_model,
        licence_count: d.licence_count,
        doc_links: d.doc_links,
        escalation_route: d.escalation_route,
        capabilities: d.capabilities,
        tags: d.tags,
        notes: d.notes,
        archived: false,
        created_at: at,
        updated_at: at,
    }
}
