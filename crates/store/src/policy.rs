//! Policy profiles per organisation (versioned), the documents and control
//! records they ask for, and compliance: the facts of every system gathered
//! in a few statements and judged by `insyn_domain::policy`.

use crate::audit::{self, Actor};
use crate::db::{DbRow, Queryable, Result, now};
use crate::{Store, StoreError, params};
use chrono::{DateTime, NaiveDate, Utc};
use insyn_domain::policy::{self, *};
use insyn_domain::security::{ApprovalStatus, CurrentBasis, PlanStatus, approval_status};
use insyn_domain::validation as v;
use insyn_domain::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The profile an organisation uses when it has chosen none.
pub const DEFAULT_PROFILE: &str = "baseline-2026";

/// One stored version of an organisation's profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredProfile {
    pub id: Uuid,
    pub code: String,
    pub version: i32,
    /// The TOML text as saved.
    pub body: String,
    pub profile: Profile,
    /// The shipped profile it was copied from, if any.
    pub based_on: Option<String>,
    pub note: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    /// False when the organisation has chosen nothing and the default applies.
    pub chosen: bool,
}

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

/// A document registered on a system (a continuity plan, a management plan …).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SystemDocument {
    pub id: Uuid,
    pub system_id: SystemId,
    pub kind: String,
    pub title: String,
    pub reference: Option<String>,
    pub dated: NaiveDate,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DocumentDraft {
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub reference: Option<String>,
    pub dated: NaiveDate,
}

/// A recurring control performed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlRecord {
    pub id: Uuid,
    pub system_id: Option<SystemId>,
    pub control: String,
    pub performed_on: NaiveDate,
    /// `ok` or `remarks`.
    pub result: String,
    pub note: Option<String>,
    pub review_id: Option<Uuid>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ControlDraft {
    pub control: String,
    pub performed_on: NaiveDate,
    pub result: String,
    #[serde(default)]
    pub note: Option<String>,
}

pub const CONTROL_RESULTS: &[&str] = &["ok", "remarks"];

/// Someone who holds a role, as far as a task needs to know.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Holder {
    pub name: String,
    pub email: Option<String>,
}

/// One system's findings under the organisation's profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SystemCompliance {
    pub id: SystemId,
    pub name: String,
    /// The top of the unit tree above the responsible unit (the förvaltning).
    pub division: Option<String>,
    pub findings: Vec<Finding>,
    /// Current holders per role code.
    #[serde(skip)]
    pub holders: BTreeMap<String, Vec<Holder>>,
}

impl SystemCompliance {
    pub fn gaps(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.is_gap())
    }
}

/// The whole organisation judged against its profile on one day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Compliance {
    pub profile: StoredProfile,
    pub today: NaiveDate,
    pub systems: Vec<SystemCompliance>,
    /// Organisation-wide controls (revising the governing documents).
    pub organisation: Vec<Finding>,
    /// Holders of unit-level roles anywhere in the organisation, per role code.
    #[serde(skip)]
    pub org_holders: BTreeMap<String, Vec<Holder>>,
}

/// A coverage figure under a heading (a rule, a förvaltning).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageRow {
    pub key: String,
    pub coverage: Coverage,
}

/// Something a person has to do, and why it is theirs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Task {
    pub system: Option<(SystemId, String)>,
    pub finding: Finding,
    /// The role through which it is theirs.
    pub as_role: String,
    /// True when it falls to them because the responsible role is vacant.
    pub vacant: bool,
}

impl Compliance {
    /// Per rule: how many systems it applies to and how many meet it.
    pub fn coverage_by_rule(&self) -> Vec<CoverageRow> {
        let mut by: BTreeMap<&str, Coverage> = BTreeMap::new();
        for s in &self.systems {
            for f in &s.findings {
                by.entry(&f.rule_id).or_default().add(f.outcome.complies());
            }
        }
        // In the profile's order.
        let p = &self.profile.profile;
        let order: Vec<&str> = p
            .roles
            .iter()
            .map(|r| r.id.as_str())
            .chain(p.artefacts.iter().map(|r| r.id.as_str()))
            .chain(p.controls.iter().map(|r| r.id.as_str()))
            .collect();
        order
            .into_iter()
            .filter_map(|id| {
                by.get(id).map(|c| CoverageRow {
                    key: id.to_owned(),
                    coverage: *c,
                })
            })
            .collect()
    }

    /// Per förvaltning: systems that meet one rule (or, with `None`, every rule).
    pub fn coverage_by_division(&self, rule: Option<&str>) -> Vec<CoverageRow> {
        let mut by: BTreeMap<String, Coverage> = BTreeMap::new();
        for s in &self.systems {
            let relevant: Vec<&Finding> = s
                .findings
                .iter()
                .filter(|f| rule.is_none_or(|r| f.rule_id == r))
                .collect();
            if relevant.is_empty() {
                continue;
            }
            let ok = relevant.iter().all(|f| f.outcome.complies());
            by.entry(s.division.clone().unwrap_or_default())
                .or_default()
                .add(ok);
        }
        by.into_iter()
            .map(|(key, coverage)| CoverageRow { key, coverage })
            .collect()
    }

    /// Who must act on a finding: the holders of its responsible role on the
    /// system (or in the organisation for unit-level roles); when nobody holds
    /// it, the security coordinators. The flag says the role was vacant.
    pub fn responsible_for(
        &self,
        system: Option<&SystemCompliance>,
        f: &Finding,
    ) -> (Vec<Holder>, bool) {
        let on_system = system
            .and_then(|s| s.holders.get(&f.responsible))
            .cloned()
            .unwrap_or_default();
        if !on_system.is_empty() {
            return (on_system, false);
        }
        if let Some(h) = self.org_holders.get(&f.responsible)
            && !h.is_empty()
        {
            return (h.clone(), false);
        }
        (
            self.org_holders
                .get(COORDINATOR)
                .cloned()
                .unwrap_or_default(),
            true,
        )
    }

    /// Everything that falls to the person with this e-mail address, most urgent first.
    pub fn tasks_for(&self, email: &str) -> Vec<Task> {
        let email = email.trim().to_lowercase();
        let mine = |h: &[Holder]| {
            h.iter().any(|h| {
                h.email
                    .as_deref()
                    .is_some_and(|e| e.to_lowercase() == email)
            })
        };
        let mut tasks = vec![];
        let mut consider = |system: Option<&SystemCompliance>, f: &Finding| {
            if !f.outcome.is_task() {
                return;
            }
            let (people, vacant) = self.responsible_for(system, f);
            if mine(&people) {
                tasks.push(Task {
                    system: system.map(|s| (s.id, s.name.clone())),
                    finding: f.clone(),
                    as_role: if vacant {
                        COORDINATOR.to_owned()
                    } else {
                        f.responsible.clone()
                    },
                    vacant,
                });
            }
        };
        for s in &self.systems {
            for f in &s.findings {
                consider(Some(s), f);
            }
        }
        for f in &self.organisation {
            consider(None, f);
        }
        tasks.sort_by_key(|t| (urgency(&t.finding.outcome), t.finding.outcome.date()));
        tasks
    }
}

/// Overdue and missing first, then what is due soon.
fn urgency(o: &Outcome) -> u8 {
    match o {
        Outcome::Overdue { .. } => 0,
        Outcome::Missing { .. } | Outcome::Expired { .. } | Outcome::Unknown { .. } => 1,
        Outcome::DueSoon { .. } => 2,
        Outcome::Met { .. } => 3,
    }
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

fn document(r: &dyn DbRow) -> Result<SystemDocument> {
    Ok(SystemDocument {
        id: r.uuid("id")?,
        system_id: SystemId(r.uuid("system_id")?),
        kind: r.text("kind")?,
        title: r.text("title")?,
        reference: r.opt_text("reference")?,
        dated: r.date("dated")?,
        recorded_by: r.text("recorded_by")?,
        recorded_at: r.ts("recorded_at")?,
    })
}

fn control_record(r: &dyn DbRow) -> Result<ControlRecord> {
    Ok(ControlRecord {
        id: r.uuid("id")?,
        system_id: r.opt_uuid("system_id")?.map(SystemId),
        control: r.text("control")?,
        performed_on: r.date("performed_on")?,
        result: r.text("result")?,
        note: r.opt_text("note")?,
        review_id: r.opt_uuid("review_id")?,
        recorded_by: r.text("recorded_by")?,
        recorded_at: r.ts("recorded_at")?,
    })
}

const CONTROL_COLS: &str =
    "id, system_id, control, performed_on, result, note, review_id, recorded_by, recorded_at";

/// The codes of the organisation's role types: the roles a profile may name.
async fn role_codes(q: &mut impl Queryable, org: OrgId) -> Result<Vec<String>> {
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
        audit::record(
            &mut tx,
            actor,
            Some(org),
            if before.as_deref() == Some(profile.code.as_str()) {
                "update"
            } else {
                "adopt"
            },
            "policy_profile",
            id,
            serde_json::json!({
                "code": { "old": before, "new": profile.code },
                "version": { "new": version },
                "based_on": { "new": based_on },
                "note": { "new": note },
            }),
        )
        .await?;
        tx.commit().await?;
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

    pub async fn documents(&self, org: OrgId, system: SystemId) -> Result<Vec<SystemDocument>> {
        self.db
            .read()
            .all(
                "SELECT id, system_id, kind, title, reference, dated, recorded_by, recorded_at \
                 FROM system_documents WHERE org_id = $1 AND system_id = $2 ORDER BY dated DESC, recorded_at DESC",
                params![org.0, system.0],
                document,
            )
            .await
    }

    pub async fn record_document(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        d: DocumentDraft,
    ) -> Result<SystemDocument> {
        let mut e = FieldErrors::new();
        let kind = d.kind.trim().to_owned();
        // Only the kinds the profile asks for: a classification, plan, approval
        // or decision is met through its own workflow, never by a document.
        let profile = self.active_profile(org).await?;
        let kinds = profile.profile.document_kinds();
        if kind.is_empty() {
            e.add("kind", v::REQUIRED);
        } else if !kinds.contains(&kind.as_str()) {
            e.add_choice("kind", &kinds);
        }
        let title = v::required_text(&mut e, "title", &d.title, 300);
        let reference = v::optional_text(&mut e, "reference", d.reference.as_deref(), 1000);
        if !e.is_empty() {
            return Err(e.into());
        }
        let mut tx = self.db.begin().await?;
        system_in_org(&mut tx, org, system).await?;
        let doc = SystemDocument {
            id: Uuid::now_v7(),
            system_id: system,
            kind,
            title,
            reference,
            dated: d.dated,
            recorded_by: actor.name.clone(),
            recorded_at: now(),
        };
        tx.execute(
            "INSERT INTO system_documents (id, org_id, system_id, kind, title, reference, dated, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            params![doc.id, org.0, system.0, doc.kind.as_str(), doc.title.as_str(), doc.reference.clone(), doc.dated, doc.recorded_by.as_str(), doc.recorded_at],
        )
        .await?;
        audit::record(
            &mut tx,
            actor,
            Some(org),
            "create",
            "system_document",
            doc.id,
            audit::diff(None, Some(&doc)),
        )
        .await?;
        tx.commit().await?;
        Ok(doc)
    }

    /// Control records of one system, or the organisation's own (`None`).
    pub async fn control_records(
        &self,
        org: OrgId,
        system: Option<SystemId>,
    ) -> Result<Vec<ControlRecord>> {
        let sql = match system {
            Some(_) => format!(
                "SELECT {CONTROL_COLS} FROM control_records WHERE org_id = $1 AND system_id = $2 \
                 ORDER BY performed_on DESC, recorded_at DESC"
            ),
            None => format!(
                "SELECT {CONTROL_COLS} FROM control_records WHERE org_id = $1 AND system_id IS NULL \
                 ORDER BY performed_on DESC, recorded_at DESC"
            ),
        };
        let mut p = params![org.0];
        if let Some(s) = system {
            p.push(s.0.into());
        }
        self.db.read().all(&sql, p, control_record).await
    }

    /// Records a control as performed (on a system, or for the organisation).
    pub async fn record_control(
        &self,
        actor: &Actor,
        org: OrgId,
        system: Option<SystemId>,
        d: ControlDraft,
    ) -> Result<ControlRecord> {
        // Only the profile's controls of that scope; the annual review and the
        // classification review are met through their own workflow.
        let profile = self.active_profile(org).await?;
        let scope = match system {
            Some(_) => ControlScope::System,
            None => ControlScope::Organisation,
        };
        let codes = profile.profile.recordable_controls(scope);
        let code = d.control.trim();
        if !code.is_empty() && !codes.contains(&code) {
            let mut e = FieldErrors::new();
            e.add_choice("control", &codes);
            return Err(StoreError::Invalid(e));
        }
        let mut tx = self.db.begin().await?;
        let r = insert_control(&mut tx, actor, org, system, d, None).await?;
        tx.commit().await?;
        Ok(r)
    }

    /// The organisation's compliance under its profile on `today`
    /// (every system, or one).
    pub async fn compliance(
        &self,
        org: OrgId,
        only: Option<SystemId>,
        today: NaiveDate,
    ) -> Result<Compliance> {
        let profile = self.active_profile(org).await?;
        let mut read = self.db.read();
        let facts = gather(&mut read, org, only, today).await?;
        let adopted: Option<NaiveDate> = read
            .one(
                "SELECT policy_adopted_on FROM organisations WHERE id = $1",
                params![org.0],
                |r| r.opt_date("policy_adopted_on"),
            )
            .await?;
        let org_start = adopted.unwrap_or(facts.org_created);
        let systems = facts
            .systems
            .into_iter()
            .map(|(s, f)| SystemCompliance {
                findings: evaluate_system(&profile.profile, &f, today),
                id: s.id,
                name: s.name,
                division: s.division,
                holders: s.holders,
            })
            .collect();
        let organisation =
            evaluate_organisation(&profile.profile, &facts.org_controls, org_start, today);
        Ok(Compliance {
            profile,
            today,
            systems,
            organisation,
            org_holders: facts.org_holders,
        })
    }
}

/// The system must be this organisation's.
pub(crate) use crate::security::check_system as system_in_org;

pub(crate) async fn insert_control(
    tx: &mut crate::db::Tx,
    actor: &Actor,
    org: OrgId,
    system: Option<SystemId>,
    d: ControlDraft,
    review: Option<Uuid>,
) -> Result<ControlRecord> {
    let mut e = FieldErrors::new();
    let control = d.control.trim().to_owned();
    if control.is_empty() {
        e.add("control", v::REQUIRED);
    }
    if !CONTROL_RESULTS.contains(&d.result.as_str()) {
        e.add_choice("result", CONTROL_RESULTS);
    }
    let note = v::optional_text(&mut e, "note", d.note.as_deref(), 4000);
    if d.performed_on > Utc::now().date_naive() {
        e.add("performed_on", v::IN_FUTURE);
    }
    if !e.is_empty() {
        return Err(e.into());
    }
    if let Some(s) = system {
        system_in_org(tx, org, s).await?;
    }
    let rec = ControlRecord {
        id: Uuid::now_v7(),
        system_id: system,
        control,
        performed_on: d.performed_on,
        result: d.result,
        note,
        review_id: review,
        recorded_by: actor.name.clone(),
        recorded_at: now(),
    };
    tx.execute(
        "INSERT INTO control_records (id, org_id, system_id, control, performed_on, result, note, review_id, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        params![rec.id, org.0, system.map(|s| s.0), rec.control.as_str(), rec.performed_on, rec.result.as_str(), rec.note.clone(), review, rec.recorded_by.as_str(), rec.recorded_at],
    )
    .await?;
    audit::record(
        tx,
        actor,
        Some(org),
        "create",
        "control_record",
        rec.id,
        audit::diff(None, Some(&rec)),
    )
    .await?;
    Ok(rec)
}

struct SystemBasics {
    id: SystemId,
    name: String,
    division: Option<String>,
    holders: BTreeMap<String, Vec<Holder>>,
}

struct Gathered {
    systems: Vec<(SystemBasics, SystemFacts)>,
    org_controls: BTreeMap<String, NaiveDate>,
    org_holders: BTreeMap<String, Vec<Holder>>,
    org_created: NaiveDate,
}

fn keep_latest(map: &mut BTreeMap<String, NaiveDate>, key: &str, day: NaiveDate) {
    let e = map.entry(key.to_owned()).or_insert(day);
    if day > *e {
        *e = day;
    }
}

/// Reads what the rules ask about every system of the organisation (or one)
/// in a fixed number of statements, whatever the number of systems.
async fn gather(
    q: &mut impl Queryable,
    org: OrgId,
    only: Option<SystemId>,
    today: NaiveDate,
) -> Result<Gathered> {
    let filter = |col: &str| match only {
        Some(_) => format!(" AND {col} = $2"),
        None => String::new(),
    };
    let p = || {
        let mut p = params![org.0];
        if let Some(s) = only {
            p.push(s.0.into());
        }
        p
    };
    let (org_created, adopted) = q
        .one(
            "SELECT created_at, policy_adopted_on FROM organisations WHERE id = $1",
            params![org.0],
            |r| {
                Ok((
                    r.ts("created_at")?.date_naive(),
                    r.opt_date("policy_adopted_on")?,
                ))
            },
        )
        .await?;

    // Units: each system's förvaltning is the top of its unit's branch.
    let units: BTreeMap<Uuid, (Option<Uuid>, String)> = q
        .all(
            "SELECT id, parent_id, name FROM units WHERE org_id = $1",
            params![org.0],
            |r| Ok((r.uuid("id")?, (r.opt_uuid("parent_id")?, r.text("name")?))),
        )
        .await?
        .into_iter()
        .collect();
    let division = |mut u: Uuid| {
        for _ in 0..64 {
            match units.get(&u) {
                Some((Some(parent), _)) => u = *parent,
                Some((None, name)) => return Some(name.clone()),
                None => return None,
            }
        }
        None
    };

    struct Row {
        id: Uuid,
        name: String,
        unit: Option<Uuid>,
        facts: SystemFacts,
    }
    let rows = q
        .all(
            &format!(
                "SELECT id, name, responsible_unit_id, business_critical, user_count, hosting, lifecycle, go_live_date, created_at \
                 FROM systems WHERE org_id = $1 AND archived = FALSE{} ORDER BY name_key",
                filter("id")
            ),
            p(),
            |r| {
                let mut f = SystemFacts::new(r.ts("created_at")?.date_naive());
                f.business_critical = r.bool("business_critical")?;
                f.user_count = r.opt_i64("user_count")?;
                f.go_live = r.opt_date("go_live_date")?;
                f.adopted = adopted;
                f.hosting = Hosting::parse(&r.text("hosting")?).unwrap_or(Hosting::Internal);
                f.lifecycle =
                    Lifecycle::parse(&r.text("lifecycle")?).unwrap_or(Lifecycle::InOperation);
                Ok(Row {
                    id: r.uuid("id")?,
                    name: r.text("name")?,
                    unit: r.opt_uuid("responsible_unit_id")?,
                    facts: f,
                })
            },
        )
        .await?;
    let index: BTreeMap<Uuid, usize> = rows.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let mut systems: Vec<(SystemBasics, SystemFacts)> = rows
        .into_iter()
        .map(|r| {
            (
                SystemBasics {
                    id: SystemId(r.id),
                    name: r.name,
                    division: r.unit.and_then(&division),
                    holders: BTreeMap::new(),
                },
                r.facts,
            )
        })
        .collect();
    macro_rules! each {
        ($id:expr, |$b:ident, $f:ident| $body:block) => {
            if let Some(&i) = index.get(&$id) {
                let ($b, $f) = &mut systems[i];
                let _ = &$b;
                $body
            }
        };
    }

    // Roles held on systems, and unit-level roles anywhere in the organisation.
    let mut org_holders: BTreeMap<String, Vec<Holder>> = BTreeMap::new();
    let assignments = q
        .all(
            &format!(
                "SELECT ra.system_id, rt.code, ra.start_date, ra.end_date, pe.name, pe.email, pe.active \
                 FROM role_assignments ra JOIN role_types rt ON rt.id = ra.role_type_id \
                 JOIN people pe ON pe.id = ra.person_id WHERE ra.org_id = $1{}",
                match only {
                    Some(_) => " AND (ra.system_id = $2 OR ra.system_id IS NULL)",
                    None => "",
                }
            ),
            p(),
            |r| {
                Ok((
                    r.opt_uuid("system_id")?,
                    r.text("code")?,
                    r.date("start_date")?,
                    r.opt_date("end_date")?,
                    Holder {
                        name: r.text("name")?,
                        email: r.opt_text("email")?,
                    },
                    r.bool("active")?,
                ))
            },
        )
        .await?;
    for (system, code, start, end, holder, active) in assignments {
        let current = active && start <= today && end.is_none_or(|e| e >= today);
        match system {
            Some(sid) => each!(sid, |b, f| {
                if current {
                    f.roles.insert(code.clone());
                    b.holders.entry(code).or_default().push(holder);
                } else if let Some(e) = end.filter(|e| *e < today) {
                    keep_latest(&mut f.roles_ended, &code, e);
                }
            }),
            None if current => {
                let h = org_holders.entry(code).or_default();
                if !h.contains(&holder) {
                    h.push(holder);
                }
            }
            None => {}
        }
    }
    for (b, f) in &mut systems {
        // Someone who lost their role keeps no "ended" date while another holds it.
        f.roles_ended.retain(|c, _| !f.roles.contains(c));
        for h in b.holders.values_mut() {
            h.sort();
            h.dedup();
        }
    }

    // Classification: every active information set classified and none
    // expired; the levels and personal data of those sets.
    let sets = q
        .all(
            &format!(
                "SELECT s.system_id, s.personal_data, s.sensitive_personal_data, c.id AS class_id, \
                 c.confidentiality, c.integrity, c.availability, c.traceability, c.classified_at, c.valid_until \
                 FROM information_sets s LEFT JOIN classifications c ON c.seq = \
                 (SELECT MAX(x.seq) FROM classifications x WHERE x.information_set_id = s.id) \
                 WHERE s.org_id = $1 AND s.archived = FALSE{}",
                filter("s.system_id")
            ),
            p(),
            |r| {
                let levels = match r.opt_uuid("class_id")? {
                    Some(_) => Some((
                        [
                            r.opt_i32("confidentiality")?,
                            r.opt_i32("integrity")?,
                            r.opt_i32("availability")?,
                            r.opt_i32("traceability")?,
                        ]
                        .into_iter()
                        .flatten()
                        .max()
                        .unwrap_or(0) as i16,
                        r.ts("classified_at")?.date_naive(),
                        r.opt_date("valid_until")?,
                    )),
                    None => None,
                };
                Ok((
                    r.uuid("system_id")?,
                    r.bool("personal_data")?,
                    r.bool("sensitive_personal_data")?,
                    levels,
                ))
            },
        )
        .await?;
    let mut class_state: BTreeMap<Uuid, (bool, Option<NaiveDate>, Option<NaiveDate>)> =
        BTreeMap::new();
    // The first day a set's newest classification no longer held, per system.
    let mut lapsed: BTreeMap<Uuid, NaiveDate> = BTreeMap::new();
    let mut unclassified: std::collections::BTreeSet<Uuid> = Default::default();
    for (sid, personal, sensitive, levels) in sets {
        each!(sid, |_b, f| {
            f.personal_data |= personal;
            f.sensitive_personal_data |= sensitive;
            // (all classified and valid, newest date, oldest date)
            let st = class_state.entry(sid).or_insert((true, None, None));
            match levels {
                Some((level, on, valid_until)) => {
                    f.highest_level = Some(f.highest_level.map_or(level, |l| l.max(level)));
                    if let Some(v) = valid_until.filter(|v| *v < today) {
                        st.0 = false;
                        let first = v + chrono::Days::new(1);
                        let e = lapsed.entry(sid).or_insert(first);
                        *e = (*e).min(first);
                    }
                    st.1 = Some(st.1.map_or(on, |d| d.max(on)));
                    st.2 = Some(st.2.map_or(on, |d| d.min(on)));
                }
                None => {
                    st.0 = false;
                    unclassified.insert(sid);
                }
            }
        });
    }
    // Every set classified, but one classification past its valid-until date:
    // expired (since then), not missing.
    for (sid, since) in lapsed {
        if !unclassified.contains(&sid) {
            each!(sid, |_b, f| {
                f.expired.insert("classification".into(), since);
            });
        }
    }
    for (sid, (complete, newest, oldest)) in class_state {
        each!(sid, |_b, f| {
            if let (true, Some(newest)) = (complete, newest) {
                f.artefacts.insert("classification".into(), newest);
            }
            if let Some(oldest) = oldest {
                // Classifying every set again is a classification review.
                keep_latest(&mut f.controls_done, "classification_review", oldest);
            }
        });
    }

    // Approved plans, the newest classification and approvals (whose status
    // depends on both).
    let plans = q
        .all(
            &format!(
                "SELECT system_id, id, version, approved_at FROM security_plans \
                 WHERE org_id = $1 AND status = '{}'{} ORDER BY version",
                PlanStatus::Approved.as_str(),
                filter("system_id")
            ),
            p(),
            |r| {
                Ok((
                    r.uuid("system_id")?,
                    r.uuid("id")?,
                    r.opt_ts("approved_at")?,
                ))
            },
        )
        .await?;
    let mut approved_plan: BTreeMap<Uuid, Uuid> = BTreeMap::new();
    for (sid, pid, at) in plans {
        approved_plan.insert(sid, pid);
        each!(sid, |_b, f| {
            f.artefacts.insert(
                "security_plan".into(),
                at.map(|a| a.date_naive()).unwrap_or(f.start),
            );
        });
    }
    let newest_class: BTreeMap<Uuid, Uuid> = q
        .all(
            &format!(
                "SELECT s.system_id, c.id FROM classifications c JOIN information_sets s ON s.id = c.information_set_id \
                 WHERE c.org_id = $1 AND s.archived = FALSE{} ORDER BY c.seq",
                filter("s.system_id")
            ),
            p(),
            |r| Ok((r.uuid("system_id")?, r.uuid("id")?)),
        )
        .await?
        .into_iter()
        .collect();
    let approvals = q
        .all(
            &format!(
                "SELECT {} FROM approvals WHERE org_id = $1{} ORDER BY created_at",
                crate::security::APPROVAL_COLS,
                filter("system_id")
            ),
            p(),
            crate::security::approval,
        )
        .await?;
    let mut latest_approval: BTreeMap<Uuid, insyn_domain::security::Approval> = BTreeMap::new();
    for a in approvals {
        latest_approval.insert(a.system_id.0, a);
    }
    for (sid, a) in latest_approval {
        let basis = CurrentBasis {
            classification_id: newest_class.get(&sid).copied(),
            plan_id: approved_plan.get(&sid).copied(),
        };
        let (status, _) = approval_status(&a, basis, today);
        if status == ApprovalStatus::Approved {
            let signed = a
                .owner_signed_at
                .max(a.it_signed_at)
                .map(|t| t.date_naive());
            each!(sid, |_b, f| {
                f.artefacts
                    .insert("operational_approval".into(), signed.unwrap_or(f.start));
            });
        }
    }

    let decisions = q
        .all(
            &format!(
                "SELECT system_id, decided_at FROM business_critical_decisions WHERE org_id = $1{}",
                filter("system_id")
            ),
            p(),
            |r| Ok((r.uuid("system_id")?, r.ts("decided_at")?.date_naive())),
        )
        .await?;
    for (sid, on) in decisions {
        each!(sid, |_b, f| {
            keep_latest(&mut f.artefacts, "business_critical_decision", on);
        });
    }

    let documents = q
        .all(
            &format!(
                "SELECT system_id, kind, dated FROM system_documents WHERE org_id = $1{}",
                filter("system_id")
            ),
            p(),
            |r| Ok((r.uuid("system_id")?, r.text("kind")?, r.date("dated")?)),
        )
        .await?;
    // A document never stands in for what insyn records itself (rows of such
    // kinds may remain from before kinds were checked, or from a full import).
    for (sid, kind, dated) in documents {
        if BUILTIN_ARTEFACTS.contains(&kind.as_str()) {
            continue;
        }
        each!(sid, |_b, f| {
            keep_latest(&mut f.artefacts, &kind, dated);
        });
    }

    let mut org_controls = BTreeMap::new();
    let controls = q
        .all(
            &format!(
                "SELECT system_id, control, performed_on, review_id FROM control_records WHERE org_id = $1{}",
                match only {
                    Some(_) => " AND (system_id = $2 OR system_id IS NULL)",
                    None => "",
                }
            ),
            p(),
            |r| {
                Ok((
                    r.opt_uuid("system_id")?,
                    r.text("control")?,
                    r.date("performed_on")?,
                    r.opt_uuid("review_id")?,
                ))
            },
        )
        .await?;
    for (sid, control, on, review) in controls {
        // The annual review counts only as a signed checklist; the
        // classification review only as classifications (gathered above).
        if (control == ANNUAL_REVIEW && review.is_none()) || control == CLASSIFICATION_REVIEW {
            continue;
        }
        match sid {
            Some(sid) => each!(sid, |_b, f| {
                keep_latest(&mut f.controls_done, &control, on);
            }),
            None => keep_latest(&mut org_controls, &control, on),
        }
    }

    Ok(Gathered {
        systems,
        org_controls,
        org_holders,
        org_created,
    })
}
