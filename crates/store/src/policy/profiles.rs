//! An organisation's policy profile: the version that applies, its history,
//! adopting a shipped one, saving an edited one and its checklist.

use crate::audit::{Actor, Change};
use crate::db::{DbRow, Queryable, Result, now};
use crate::{Store, StoreError, params};
use chrono::{DateTime, Utc};
use insyn_domain::policy::{self, *};
use insyn_domain::validation as v;
use insyn_domain::*;
use serde::Serialize;
use uuid::Uuid;

/// The profile an organisation uses when it has chosen none.
pub const DEFAULT_PROFILE: &str = "baseline-2026";

/// A version in the list of an organisation's profile versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileVersion {
    pub code: String,
    pub version: i32,
    pub based_on: Option<String>,
    pub note: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

fn stored(r: &dyn DbRow) -> Result<StoredProfile> {
    let body = r.text("body")?;
    // Checked when saved; read without the checks so that a role type removed
    // later does not make the organisation's history unreadable.
    let profile = Profile::parse_unchecked(&body).map_err(|_| {
        StoreError::Config(format!(
            "stored profile {} cannot be read",
            r.text("code").unwrap_or_default()
        ))
    })?;
    Ok(StoredProfile {
        id: r.uuid("id")?,
        code: r.text("code")?,
        version: r.i32("version")?,
        body,
        profile,
        based_on: r.opt_text("based_on")?,
        note: r.opt_text("note")?,
        created_by: r.text("created_by")?,
        created_at: r.ts("created_at")?,
        chosen: true,
    })
}

const PROFILE_COLS: &str = "id, code, version, body, based_on, note, created_by, created_at";

/// The codes of the organisation's role types: the roles a profile may name.
pub(crate) async fn role_codes(q: &mut impl Queryable, org: OrgId) -> Result<Vec<String>> {
    q.all(
        "SELECT code FROM role_types WHERE org_id = $1 ORDER BY code",
        params![org.0],
        |r| r.text("code"),
    )
    .await
}

impl Store {
    /// The profile that applies to the organisation: the newest version of
    /// the one it chose, or the shipped default.
    pub async fn active_profile(&self, org: OrgId) -> Result<StoredProfile> {
        let mut read = self.db.read();
        let chosen = read
            .opt(
                &format!(
                    "SELECT {PROFILE_COLS} FROM policy_profiles p WHERE p.org_id = $1 AND p.code = \
                     (SELECT policy_code FROM organisations WHERE id = $1) ORDER BY version DESC LIMIT 1"
                ),
                params![org.0],
                stored,
            )
            .await?;
        if let Some(p) = chosen {
            return Ok(p);
        }
        let (_, body) = policy::SHIPPED
            .iter()
            .find(|(c, _)| *c == DEFAULT_PROFILE)
            .ok_or_else(|| StoreError::Config("no default profile".into()))?;
        let profile = Profile::parse_unchecked(body)
            .map_err(|_| StoreError::Config("the default profile cannot be read".into()))?;
        Ok(StoredProfile {
            id: Uuid::nil(),
            code: profile.code.clone(),
            version: 0,
            body: (*body).to_owned(),
            profile,
            based_on: Some(DEFAULT_PROFILE.into()),
            note: None,
            created_by: String::new(),
            created_at: DateTime::<Utc>::UNIX_EPOCH,
            chosen: false,
        })
    }

    pub async fn profile_versions(&self, org: OrgId) -> Result<Vec<ProfileVersion>> {
        self.db
            .read()
            .all(
                "SELECT code, version, based_on, note, created_by, created_at FROM policy_profiles \
                 WHERE org_id = $1 ORDER BY created_at DESC, version DESC",
                params![org.0],
                |r| {
                    Ok(ProfileVersion {
                        code: r.text("code")?,
                        version: r.i32("version")?,
                        based_on: r.opt_text("based_on")?,
                        note: r.opt_text("note")?,
                        created_by: r.text("created_by")?,
                        created_at: r.ts("created_at")?,
                    })
                },
            )
            .await
    }

    pub async fn profile_version(
        &self,
        org: OrgId,
        code: &str,
        version: i32,
    ) -> Result<StoredProfile> {
        self.db.read().one(
            &format!(
                "SELECT {PROFILE_COLS} FROM policy_profiles WHERE org_id = $1 AND code = $2 AND version = $3"
            ),
            params![org.0, code, i64::from(version)],
            stored,
        )
        .await
    }

    /// Chooses a shipped profile: it is copied into the organisation as a new
    /// version, which the organisation can then edit.
    pub async fn adopt_profile(
        &self,
        actor: &Actor,
        org: OrgId,
        shipped_code: &str,
    ) -> Result<StoredProfile> {
        let (_, body) = policy::SHIPPED
            .iter()
            .find(|(c, _)| *c == shipped_code)
            .ok_or_else(|| {
                let mut e = FieldErrors::new();
                let codes: Vec<&str> = policy::SHIPPED.iter().map(|(c, _)| *c).collect();
                e.add_choice("profile", &codes);
                StoreError::Invalid(e)
            })?;
        self.save_profile_text(actor, org, body, Some(shipped_code), None)
            .await
    }

    /// Saves an edited or uploaded profile as the newest version of its code
    /// and makes it the organisation's profile. Errors name the line or the rule.
    pub async fn save_profile(
        &self,
        actor: &Actor,
        org: OrgId,
        text: &str,
        note: Option<&str>,
    ) -> Result<StoredProfile> {
        self.save_profile_text(actor, org, text, None, note).await
    }

    async fn save_profile_text(
        &self,
        actor: &Actor,
        org: OrgId,
        text: &str,
        based_on: Option<&str>,
        note: Option<&str>,
    ) -> Result<StoredProfile> {
        let mut tx = self.db.begin().await?;
        let codes = role_codes(&mut tx, org).await?;
        let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
        let profile = Profile::from_toml(text, &codes).map_err(StoreError::Profile)?;
        // Every rule must be one that some workflow can meet.
        let system_roles: Vec<String> = tx
            .all(
                "SELECT code FROM role_types WHERE org_id = $1 AND scope = $2",
                params![org.0, RoleScope::System.as_str()],
                |r| r.text("code"),
            )
            .await?;
        let system_roles: Vec<&str> = system_roles.iter().map(String::as_str).collect();
        let unmeetable = profile.unsatisfiable(&system_roles);
        if !unmeetable.is_empty() {
            return Err(StoreError::Profile(unmeetable));
        }
        let before: Option<String> = tx
            .one(
                "SELECT policy_code FROM organisations WHERE id = $1",
                params![org.0],
                |r| r.opt_text("policy_code"),
            )
            .await?;
        let version = tx
            .one(
                "SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) AS n FROM policy_profiles WHERE org_id = $1 AND code = $2",
                params![org.0, profile.code.as_str()],
                |r| r.i64("n"),
            )
            .await?
            + 1;
        let based_on = match based_on {
            Some(b) => Some(b.to_owned()),
            // An edit keeps the origin of the version it edits.
            None => tx
                .opt(
                    "SELECT based_on FROM policy_profiles WHERE org_id = $1 AND code = $2 \
                     ORDER BY version DESC LIMIT 1",
                    params![org.0, profile.code.as_str()],
                    |r| r.opt_text("based_on"),
                )
                .await?
                .flatten(),
        };
        let id = Uuid::now_v7();
        let at = now();
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        tx.execute(
            "INSERT INTO policy_profiles (id, org_id, code, version, body, based_on, note, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            params![id, org.0, profile.code.as_str(), version, text, based_on.clone(), note, actor.name.as_str(), at],
        )
        .await?;
        let today = at.date_naive();
        if before.as_deref() != Some(profile.code.as_str()) {
            tx.execute(
                "UPDATE organisations SET policy_code = $2, policy_adopted_on = $3, updated_at = $4 WHERE id = $1",
                params![org.0, profile.code.as_str(), today, at],
            )
            .await?;
        }
        Change::new(
            Some(org),
            if before.as_deref() == Some(profile.code.as_str()) {
                AuditAction::Update
            } else {
                AuditAction::Adopt
            },
            AuditObject::PolicyProfile,
            id,
            serde_json::json!({
                "code": { "old": before, "new": profile.code },
                "version": { "new": version },
                "based_on": { "new": based_on },
                "note": { "new": note },
            }),
        )
        .commit(tx, actor)
        .await?;
        Ok(StoredProfile {
            id,
            code: profile.code.clone(),
            version: version as i32,
            body: text.to_owned(),
            profile,
            based_on,
            note: note.map(str::to_owned),
            created_by: actor.name.clone(),
            created_at: at,
            chosen: true,
        })
    }

    /// Replaces the annual review checklist of the organisation's profile
    /// (a new profile version).
    pub async fn save_checklist(
        &self,
        actor: &Actor,
        org: OrgId,
        items: Vec<ChecklistItem>,
    ) -> Result<StoredProfile> {
        let mut current = self.active_profile(org).await?;
        if items.is_empty() {
            return Err(StoreError::Invalid(FieldErrors::single(
                "items",
                v::REQUIRED,
            )));
        }
        current.profile.checklist = items;
        let text = current.profile.to_toml();
        let based_on = current.based_on.clone();
        self.save_profile_text(actor, org, &text, based_on.as_deref(), Some("checklist"))
            .await
    }
}
