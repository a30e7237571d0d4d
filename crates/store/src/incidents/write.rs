//! Reporting an incident and every change to it: each one transaction with
//! its audit record, and (except plain edits) an entry in its timeline.

use super::{Store, fetch};
use crate::audit::{Actor, Change, diff};
use crate::db::{Queryable, Result, Tx, now};
use crate::{StoreError, params};
use chrono::{DateTime, Utc};
use insyn_domain::incident::*;
use insyn_domain::validation::{self as v, FieldErrors};
use insyn_domain::*;
use uuid::Uuid;

/// Adds a timeline entry on the write's transaction.
async fn entry(
    tx: &mut Tx,
    id: IncidentId,
    at: DateTime<Utc>,
    kind: &str,
    text: &str,
    actor: &Actor,
) -> Result<()> {
    tx.execute(
        "INSERT INTO incident_timeline (id, incident_id, at, kind, text, by_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        params![Uuid::now_v7(), id.0, at, kind, text, actor.name.as_str(), now()],
    )
    .await?;
    Ok(())
}

/// The systems named, each one of the organisation's, or an error on `system_ids`.
async fn check_systems(tx: &mut Tx, org: OrgId, systems: &[SystemId]) -> Result<()> {
    for s in systems {
        if !tx.exists_in_org("systems", org.0, s.0).await? {
            return Err(StoreError::Invalid(FieldErrors::single(
                "system_ids",
                v::UNKNOWN_REFERENCE,
            )));
        }
    }
    Ok(())
}

/// The controller (personuppgiftsansvarig) the register suggests: the top
/// unit (the nämnd's förvaltning) above each affected system's responsible
/// unit, named once each.
async fn controller_of(tx: &mut Tx, org: OrgId, systems: &[SystemId]) -> Result<Option<String>> {
    let mut names: Vec<String> = vec![];
    for s in systems {
        let mut unit = tx
            .opt(
                "SELECT responsible_unit_id FROM systems WHERE org_id = $1 AND id = $2",
                params![org.0, s.0],
                |r| r.opt_uuid("responsible_unit_id"),
            )
            .await?
            .flatten();
        let mut top = None;
        // Units nest a few levels; the bound only guards against a cycle.
        for _ in 0..32 {
            let Some(u) = unit else { break };
            let row = tx
                .opt(
                    "SELECT name, parent_id FROM units WHERE org_id = $1 AND id = $2",
                    params![org.0, u],
                    |r| Ok((r.text("name")?, r.opt_uuid("parent_id")?)),
                )
                .await?;
            let Some((name, parent)) = row else { break };
            top = Some(name);
            unit = parent;
        }
        if let Some(t) = top
            && !names.contains(&t)
        {
            names.push(t);
        }
    }
    Ok((!names.is_empty()).then(|| names.join(", ")))
}

/// The information sets named, each of one of the organisation's systems.
async fn check_sets(tx: &mut Tx, org: OrgId, sets: &[Uuid]) -> Result<()> {
    for s in sets {
        let n = tx
            .count(
                "SELECT COUNT(*) AS n FROM information_sets i JOIN systems s ON s.id = i.system_id \
                 WHERE i.id = $1 AND s.org_id = $2",
                params![*s, org.0],
            )
            .await?;
        if n == 0 {
            return Err(StoreError::Invalid(FieldErrors::single(
                "information_set_ids",
                v::UNKNOWN_REFERENCE,
            )));
        }
    }
    Ok(())
}

async fn set_links(tx: &mut Tx, id: IncidentId, d: &IncidentDraft) -> Result<()> {
    tx.execute(
        "DELETE FROM incident_systems WHERE incident_id = $1",
        params![id.0],
    )
    .await?;
    tx.execute(
        "DELETE FROM incident_information_sets WHERE incident_id = $1",
        params![id.0],
    )
    .await?;
    for s in &d.system_ids {
        tx.execute(
            "INSERT INTO incident_systems (incident_id, system_id) VALUES ($1, $2)",
            params![id.0, s.0],
        )
        .await?;
    }
    for s in &d.information_set_ids {
        tx.execute(
            "INSERT INTO incident_information_sets (incident_id, information_set_id) VALUES ($1, $2)",
            params![id.0, *s],
        )
        .await?;
    }
    Ok(())
}

/// Writes the draft's fields onto the incident's row.
async fn write_fields(
    tx: &mut Tx,
    org: OrgId,
    id: IncidentId,
    d: &IncidentDraft,
    at: DateTime<Utc>,
) -> Result<()> {
    let pd = d.personal_data.clone().unwrap_or_default();
    tx.execute(
        "UPDATE incidents SET title = $3, description = $4, kind = $5, severity = $6, detection = $7, occurred_at = $8, \
         aware_at = $9, reported_by = $10, controller = $11, cause = $12, lessons = $13, personal_data = $14, \
         pd_categories = $15, pd_sensitive = $16, pd_subjects = $17, pd_records = $18, pd_consequences = $19, updated_at = $20 \
         WHERE org_id = $1 AND id = $2",
        params![org.0, id.0, d.title.as_str(), d.description.clone(), d.kind.as_str(), d.severity.as_str(),
            d.detection.as_str(), d.occurred_at, d.aware_at, d.reported_by.clone(), d.controller.clone(), d.cause.clone(),
            d.lessons.clone(), d.personal_data.is_some(), pd.categories, pd.sensitive, pd.subjects, pd.records,
            pd.consequences, at],
    )
    .await?;
    set_links(tx, id, d).await
}

impl Store {
    /// Reports an incident: numbered in its organisation, its controller
    /// suggested from the register when left out, status new.
    pub async fn report_incident(
        &self,
        actor: &Actor,
        org: OrgId,
        draft: IncidentDraft,
        at: DateTime<Utc>,
    ) -> Result<Incident> {
        let mut d = draft.validate_at(at)?;
        let mut tx = self.db.begin().await?;
        if !tx.exists("organisations", org.0).await? {
            return Err(StoreError::NotFound);
        }
        check_systems(&mut tx, org, &d.system_ids).await?;
        check_sets(&mut tx, org, &d.information_set_ids).await?;
        if d.controller.is_none() {
            d.controller = controller_of(&mut tx, org, &d.system_ids).await?;
        }
        let number = tx
            .one(
                "SELECT COALESCE(MAX(number), 0) + 1 AS n FROM incidents WHERE org_id = $1",
                params![org.0],
                |r| r.i64("n"),
            )
            .await?;
        let id = IncidentId::new();
        tx.execute(
            "INSERT INTO incidents (id, org_id, number, title, kind, severity, detection, aware_at, status, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'new', $9, $10, $10)",
            params![id.0, org.0, number, d.title.as_str(), d.kind.as_str(), d.severity.as_str(), d.detection.as_str(),
                d.aware_at, actor.name.as_str(), at],
        )
        .await?;
        write_fields(&mut tx, org, id, &d, at).await?;
        entry(
            &mut tx,
            id,
            d.aware_at,
            "reported",
            IncidentStatus::New.as_str(),
            actor,
        )
        .await?;
        let created = fetch(&mut tx, org, id).await?;
        Change::new(
            Some(org),
            AuditAction::Report,
            AuditObject::Incident,
            id.0,
            diff(None, Some(&created)),
        )
        .commit(tx, actor)
        .await?;
        Ok(created)
    }

    /// Changes what is recorded of an incident; a change of severity goes
    /// into its timeline.
    pub async fn update_incident(
        &self,
        actor: &Actor,
        org: OrgId,
        id: IncidentId,
        draft: IncidentDraft,
        at: DateTime<Utc>,
    ) -> Result<Incident> {
        let d = draft.validate_at(at)?;
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id).await?;
        check_systems(&mut tx, org, &d.system_ids).await?;
        check_sets(&mut tx, org, &d.information_set_ids).await?;
        write_fields(&mut tx, org, id, &d, at).await?;
        if d.severity != before.severity {
            entry(&mut tx, id, at, "severity", d.severity.as_str(), actor).await?;
        }
        let after = fetch(&mut tx, org, id).await?;
        Change::updated(Some(org), AuditObject::Incident, id.0, &before, &after)
            .commit(tx, actor)
            .await?;
        Ok(after)
    }

    /// Moves an incident's status (the timeline records it, with the reason).
    pub async fn change_incident_status(
        &self,
        actor: &Actor,
        org: OrgId,
        id: IncidentId,
        change: StatusChange,
        at: DateTime<Utc>,
    ) -> Result<Incident> {
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id).await?;
        let c = change.validate(before.status)?;
        let contained = matches!(
            c.status,
            IncidentStatus::Contained | IncidentStatus::Resolved | IncidentStatus::Closed
        );
        let closed = !c.status.is_open();
        tx.execute(
            "UPDATE incidents SET status = $3, updated_at = $4, \
             contained_at = CASE WHEN $5 THEN COALESCE(contained_at, $4) ELSE contained_at END, \
             closed_at = CASE WHEN $6 THEN $4 ELSE NULL END WHERE org_id = $1 AND id = $2",
            params![org.0, id.0, c.status.as_str(), at, contained, closed],
        )
        .await?;
        let text = match &c.reason {
            Some(r) => format!("{}: {r}", c.status.as_str()),
            None => c.status.as_str().to_owned(),
        };
        entry(&mut tx, id, at, "status", &text, actor).await?;
        let after = fetch(&mut tx, org, id).await?;
        Change::changed(
            Some(org),
            AuditAction::ChangeStatus,
            AuditObject::Incident,
            id.0,
            &before,
            &after,
        )
        .commit(tx, actor)
        .await?;
        Ok(after)
    }

    /// Records whether the incident is significant under
    /// cybersäkerhetslagen, by whom and why; a new assessment replaces the
    /// old (the trail and the timeline keep both).
    pub async fn assess_incident(
        &self,
        actor: &Actor,
        org: OrgId,
        id: IncidentId,
        draft: SignificanceDraft,
        at: DateTime<Utc>,
    ) -> Result<Incident> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id).await?;
        let word = if d.significant {
            "significant"
        } else {
            "not_significant"
        };
        tx.execute(
            "UPDATE incidents SET significance = $3, significance_by = $4, significance_at = $5, \
             significance_reason = $6, updated_at = $5 WHERE org_id = $1 AND id = $2",
            params![
                org.0,
                id.0,
                word,
                actor.name.as_str(),
                at,
                d.reason.as_str()
            ],
        )
        .await?;
        entry(
            &mut tx,
            id,
            at,
            "assessment",
            &format!("{word}: {}", d.reason),
            actor,
        )
        .await?;
        let after = fetch(&mut tx, org, id).await?;
        Change::changed(
            Some(org),
            AuditAction::Assess,
            AuditObject::Incident,
            id.0,
            &before,
            &after,
        )
        .commit(tx, actor)
        .await?;
        Ok(after)
    }

    /// Records a report made on one of the incident's clocks, or sets the
    /// clock aside with a judgement (only where the deadline allows it).
    /// A later event on the same clock replaces the earlier one.
    pub async fn record_clock(
        &self,
        actor: &Actor,
        org: OrgId,
        id: IncidentId,
        deadline_id: &str,
        draft: ClockEventDraft,
        now_at: DateTime<Utc>,
    ) -> Result<Incident> {
        let deadlines = self.incident_deadlines(org).await?;
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id).await?;
        let Some(deadline) = deadlines.iter().find(|d| d.id == deadline_id) else {
            return Err(StoreError::NotFound);
        };
        let d = draft.validate_at(deadline, before.aware_at, now_at)?;
        let at = d.at.unwrap_or(now_at);
        tx.execute(
            "DELETE FROM incident_clock_events WHERE incident_id = $1 AND deadline_id = $2",
            params![id.0, deadline_id],
        )
        .await?;
        tx.execute(
            "INSERT INTO incident_clock_events (incident_id, deadline_id, kind, at, by_name, note) VALUES ($1, $2, $3, $4, $5, $6)",
            params![id.0, deadline_id, d.kind.as_str(), at, actor.name.as_str(), d.note.clone()],
        )
        .await?;
        tx.execute(
            "UPDATE incidents SET updated_at = $3 WHERE org_id = $1 AND id = $2",
            params![org.0, id.0, now_at],
        )
        .await?;
        entry(
            &mut tx,
            id,
            at,
            "clock",
            &format!("{deadline_id}: {}", d.kind.as_str()),
            actor,
        )
        .await?;
        let after = fetch(&mut tx, org, id).await?;
        let changes = serde_json::json!({
            "clock": { "old": null, "new": {
                "deadline": deadline_id, "kind": d.kind.as_str(), "at": at.to_rfc3339(), "note": d.note,
            } }
        });
        Change::new(
            Some(org),
            AuditAction::RecordClock,
            AuditObject::Incident,
            id.0,
            changes,
        )
        .commit(tx, actor)
        .await?;
        Ok(after)
    }

    /// Writes a note into the incident's timeline.
    pub async fn note_incident(
        &self,
        actor: &Actor,
        org: OrgId,
        id: IncidentId,
        draft: TimelineDraft,
        now_at: DateTime<Utc>,
    ) -> Result<()> {
        let d = draft.validate_at(now_at)?;
        let mut tx = self.db.begin().await?;
        fetch(&mut tx, org, id).await?;
        let at = d.at.unwrap_or(now_at);
        entry(&mut tx, id, at, "note", &d.text, actor).await?;
        let changes = serde_json::json!({ "note": { "old": null, "new": { "at": at.to_rfc3339(), "text": d.text } } });
        Change::new(
            Some(org),
            AuditAction::Note,
            AuditObject::Incident,
            id.0,
            changes,
        )
        .commit(tx, actor)
        .await
    }
}

impl Store {
    /// Adds an action to an incident; its owner must be one of the
    /// organisation's people.
    pub async fn add_incident_action(
        &self,
        actor: &Actor,
        org: OrgId,
        id: IncidentId,
        draft: ActionDraft,
    ) -> Result<Uuid> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        fetch(&mut tx, org, id).await?;
        check_owner(&mut tx, org, d.owner_id).await?;
        let action = Uuid::now_v7();
        let at = now();
        tx.execute(
            "INSERT INTO incident_actions (id, incident_id, what, owner_id, due_on, done_on, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
            params![action, id.0, d.what.as_str(), d.owner_id.map(|p| p.0), d.due_on, d.done_on, at],
        )
        .await?;
        Change::new(
            Some(org),
            AuditAction::Create,
            AuditObject::Incident,
            id.0,
            action_change(action, &d),
        )
        .commit(tx, actor)
        .await?;
        Ok(action)
    }

    /// Changes an action of an incident (e.g. marks it done).
    pub async fn update_incident_action(
        &self,
        actor: &Actor,
        org: OrgId,
        id: IncidentId,
        action: Uuid,
        draft: ActionDraft,
    ) -> Result<()> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        fetch(&mut tx, org, id).await?;
        check_owner(&mut tx, org, d.owner_id).await?;
        let n = tx
            .execute(
                "UPDATE incident_actions SET what = $3, owner_id = $4, due_on = $5, done_on = $6, updated_at = $7 \
                 WHERE incident_id = $1 AND id = $2",
                params![id.0, action, d.what.as_str(), d.owner_id.map(|p| p.0), d.due_on, d.done_on, now()],
            )
            .await?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Change::new(
            Some(org),
            AuditAction::Update,
            AuditObject::Incident,
            id.0,
            action_change(action, &d),
        )
        .commit(tx, actor)
        .await
    }
}

/// The trail's record of an action written (on its incident or its restore
/// test).
pub(crate) fn action_change(id: Uuid, d: &ActionDraft) -> serde_json::Value {
    serde_json::json!({ "action": { "old": null, "new": {
        "id": id, "what": d.what, "owner_id": d.owner_id, "due_on": d.due_on, "done_on": d.done_on,
    } } })
}

/// An action's owner, if any, must be one of the organisation's people
/// (incident actions and restore-test actions alike).
pub(crate) async fn check_owner(tx: &mut Tx, org: OrgId, owner: Option<PersonId>) -> Result<()> {
    if let Some(p) = owner
        && !tx.exists_in_org("people", org.0, p.0).await?
    {
        return Err(StoreError::Invalid(FieldErrors::single(
            "owner_id",
            v::UNKNOWN_REFERENCE,
        )));
    }
    Ok(())
}
