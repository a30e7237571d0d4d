//! A system's access profiles (behörighetsprofiler).

use crate::audit::{Actor, Change};
use crate::db::{DbRow, Queryable, Result, Tx, now};
use crate::policy::{role_codes, system_in_org};
use crate::{Store, StoreError, name_key, name_taken, params};
use insyn_domain::access::{AccessProfile, AccessProfileDraft, Parties, Party};
use insyn_domain::validation as v;
use insyn_domain::*;

const COLS: &str = "id, org_id, system_id, name, grants, personal_data, secret_info, max_holders, \
                    reason_required, orderer, decider, executor, archived";

fn party(r: &dyn DbRow, col: &str) -> Result<Party> {
    let s = r.text(col)?;
    Party::parse(&s).ok_or_else(|| StoreError::Column(col.to_owned(), s))
}

pub(super) fn profile(r: &dyn DbRow) -> Result<AccessProfile> {
    Ok(AccessProfile {
        id: AccessProfileId(r.uuid("id")?),
        org_id: OrgId(r.uuid("org_id")?),
        system_id: SystemId(r.uuid("system_id")?),
        name: r.text("name")?,
        grants: r.opt_text("grants")?,
        personal_data: r.bool("personal_data")?,
        secret_info: r.bool("secret_info")?,
        max_holders: r.opt_i64("max_holders")?,
        reason_required: r.bool("reason_required")?,
        orderer: party(r, "orderer")?,
        decider: party(r, "decider")?,
        executor: party(r, "executor")?,
        archived: r.bool("archived")?,
    })
}

/// One of the organisation's profiles, or `NotFound`.
pub(super) async fn fetch(
    q: &mut impl Queryable,
    org: OrgId,
    id: AccessProfileId,
) -> Result<AccessProfile> {
    q.org_row(COLS, "access_profiles", org, id.0, profile).await
}

impl Store {
    /// The system's access profiles, by name, archived ones last.
    pub async fn access_profiles(
        &self,
        org: OrgId,
        system: SystemId,
    ) -> Result<Vec<AccessProfile>> {
        self.db
            .read()
            .all(
                &format!(
                    "SELECT {COLS} FROM access_profiles WHERE org_id = $1 AND system_id = $2 \
                     ORDER BY archived, name_key, id"
                ),
                params![org.0, system.0],
                profile,
            )
            .await
    }

    pub async fn access_profile(&self, org: OrgId, id: AccessProfileId) -> Result<AccessProfile> {
        fetch(&mut self.db.read(), org, id).await
    }

    /// The organisation's profiles among `ids`, by id (one statement per
    /// few hundred, not one per profile); ids of no profile of the
    /// organisation are left out.
    pub async fn access_profiles_by_id(
        &self,
        org: OrgId,
        ids: &[AccessProfileId],
    ) -> Result<std::collections::HashMap<AccessProfileId, AccessProfile>> {
        let ids: Vec<uuid::Uuid> = ids.iter().map(|i| i.0).collect();
        let found = crate::db::by_ids(
            &mut self.db.read(),
            &crate::db::Params(vec![org.0.into()]),
            &ids,
            |member| {
                format!("SELECT {COLS} FROM access_profiles WHERE org_id = $1 AND id {member}")
            },
            profile,
        )
        .await?;
        Ok(found.into_iter().map(|p| (p.id, p)).collect())
    }

    /// A new profile of `system`; parties the draft leaves out come from
    /// `defaults` (the organisation's policy profile).
    pub async fn create_access_profile(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        draft: AccessProfileDraft,
        defaults: &Parties,
    ) -> Result<AccessProfile> {
        let mut tx = self.db.begin().await?;
        system_in_org(&mut tx, org, system).await?;
        let d = checked(&mut tx, org, system, None, draft).await?;
        let id = AccessProfileId::new();
        let p = d.parties(defaults);
        let at = now();
        tx.execute(
            "INSERT INTO access_profiles (id, org_id, system_id, name, name_key, grants, personal_data, secret_info, \
             max_holders, reason_required, orderer, decider, executor, archived, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, FALSE, $14, $14)",
            params![id.0, org.0, system.0, d.name.as_str(), name_key(&d.name), d.grants.clone(), d.personal_data, d.secret_info,
                d.max_holders, d.reason_required, p.orderer.as_str(), p.decider.as_str(), p.executor.as_str(), at],
        )
        .await
        .map_err(name_taken)?;
        let created = fetch(&mut tx, org, id).await?;
        Change::created(Some(org), AuditObject::AccessProfile, id.0, &created)
            .commit(tx, actor)
            .await?;
        Ok(created)
    }

    /// Changes a profile; parties the draft leaves out stay as they are.
    pub async fn update_access_profile(
        &self,
        actor: &Actor,
        org: OrgId,
        id: AccessProfileId,
        draft: AccessProfileDraft,
    ) -> Result<AccessProfile> {
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id).await?;
        let d = checked(&mut tx, org, before.system_id, Some(id), draft).await?;
        let p = d.parties(&before.parties());
        tx.execute(
            "UPDATE access_profiles SET name = $3, name_key = $4, grants = $5, personal_data = $6, secret_info = $7, \
             max_holders = $8, reason_required = $9, orderer = $10, decider = $11, executor = $12, updated_at = $13 \
             WHERE org_id = $1 AND id = $2",
            params![org.0, id.0, d.name.as_str(), name_key(&d.name), d.grants.clone(), d.personal_data, d.secret_info,
                d.max_holders, d.reason_required, p.orderer.as_str(), p.decider.as_str(), p.executor.as_str(), now()],
        )
        .await
        .map_err(name_taken)?;
        let after = fetch(&mut tx, org, id).await?;
        Change::updated(Some(org), AuditObject::AccessProfile, id.0, &before, &after)
            .commit(tx, actor)
            .await?;
        Ok(after)
    }

    /// Archives a profile: it can no longer be ordered; holdings stay.
    pub async fn archive_access_profile(
        &self,
        actor: &Actor,
        org: OrgId,
        id: AccessProfileId,
    ) -> Result<AccessProfile> {
        let table = ("access_profiles", COLS);
        self.archive_row(actor, org, AuditObject::AccessProfile, table, id.0, profile)
            .await
    }
}

/// The draft validated against the organisation's role types, its name
/// free among the system's profiles (archived ones included: the unique
/// index covers them).
async fn checked(
    tx: &mut Tx,
    org: OrgId,
    system: SystemId,
    me: Option<AccessProfileId>,
    draft: AccessProfileDraft,
) -> Result<AccessProfileDraft> {
    let codes = role_codes(tx, org).await?;
    let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
    let d = draft.validate(&codes)?;
    let n = tx
        .count(
            "SELECT COUNT(*) AS n FROM access_profiles WHERE system_id = $1 AND name_key = $2 AND id <> $3",
            params![system.0, name_key(&d.name), me.map(|m| m.0).unwrap_or_default()],
        )
        .await?;
    if n > 0 {
        return Err(StoreError::Invalid(FieldErrors::single("name", v::TAKEN)));
    }
    Ok(d)
}
