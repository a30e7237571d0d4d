//! Incidents: the register (`write.rs` reports and changes them, each with
//! its audit record and timeline entry in one transaction), their reporting
//! clocks (computed here from the organisation's deadlines and the events
//! recorded, at a `now` the caller gives, so that tests inject the time),
//! and the clocks' reminders (`remind.rs`). The rules are
//! `insyn_domain::incident`; who may see an incident is the caller's to
//! check (incidents are secret: never in the public register).

mod compile;
mod draft;
mod remind;

mod settings;
mod write;

pub(crate) use write::{action_change, check_owner};

pub use compile::MAX_COMPILED;
pub use draft::{ReportDraft, ReportForm};

use crate::db::{DbRow, Params, Queryable, Result, word};
use crate::{Store, StoreError, params};
use chrono::{DateTime, Utc};
use insyn_domain::incident::*;
use insyn_domain::policy::Deadline;
use insyn_domain::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// An action as read with its owner's name (`a.id, a.what, a.owner_id,
/// p.name AS owner, a.due_on, a.done_on`): incident actions and restore-test
/// actions alike.
pub(crate) fn action(r: &dyn DbRow) -> Result<IncidentAction> {
    Ok(IncidentAction {
        id: r.uuid("id")?,
        what: r.text("what")?,
        owner_id: r.opt_uuid("owner_id")?.map(PersonId),
        owner: r.opt_text("owner")?,
        due_on: r.opt_date("due_on")?,
        done_on: r.opt_date("done_on")?,
    })
}

const COLS: &str = "id, org_id, number, title, description, kind, severity, detection, occurred_at, aware_at, \
     reported_by, controller, cause, lessons, status, personal_data, pd_categories, pd_sensitive, pd_subjects, \
     pd_records, pd_consequences, significance, significance_by, significance_at, significance_reason, \
     contained_at, closed_at, created_by, created_at, updated_at";

fn incident(r: &dyn DbRow) -> Result<Incident> {
    let personal_data = r.bool("personal_data")?.then(|| {
        Ok::<_, StoreError>(PersonalDataImpact {
            categories: r.opt_text("pd_categories")?,
            sensitive: r.bool("pd_sensitive")?,
            subjects: r.opt_i64("pd_subjects")?,
            records: r.opt_i64("pd_records")?,
            consequences: r.opt_text("pd_consequences")?,
        })
    });
    let significance = match r.opt_text("significance")?.as_deref() {
        None => None,
        Some(s) => Some(Significance {
            significant: s == "significant",
            judgement: Judgement {
                by: r.opt_text("significance_by")?.unwrap_or_default(),
                at: r.opt_ts("significance_at")?.unwrap_or_default(),
                reason: r.opt_text("significance_reason")?.unwrap_or_default(),
            },
        }),
    };
    Ok(Incident {
        id: IncidentId(r.uuid("id")?),
        org_id: OrgId(r.uuid("org_id")?),
        number: r.i64("number")?,
        title: r.text("title")?,
        description: r.opt_text("description")?,
        kind: word(r, "kind", IncidentKind::parse)?,
        severity: word(r, "severity", Severity::parse)?,
        detection: word(r, "detection", Detection::parse)?,
        occurred_at: r.opt_ts("occurred_at")?,
        aware_at: r.ts("aware_at")?,
        reported_by: r.opt_text("reported_by")?,
        controller: r.opt_text("controller")?,
        cause: r.opt_text("cause")?,
        lessons: r.opt_text("lessons")?,
        status: word(r, "status", IncidentStatus::parse)?,
        personal_data: personal_data.transpose()?,
        significance,
        system_ids: vec![],
        information_set_ids: vec![],
        contained_at: r.opt_ts("contained_at")?,
        closed_at: r.opt_ts("closed_at")?,
        created_by: r.text("created_by")?,
        created_at: r.ts("created_at")?,
        updated_at: r.ts("updated_at")?,
    })
}

/// One of the organisation's incidents with its systems, or `NotFound`.
async fn fetch(q: &mut impl Queryable, org: OrgId, id: IncidentId) -> Result<Incident> {
    let mut i = q.org_row(COLS, "incidents", org, id.0, incident).await?;
    links(q, std::slice::from_mut(&mut i)).await?;
    Ok(i)
}

/// Fills in the systems and information sets the incidents name: two
/// statements per few hundred incidents, not two per incident.
async fn links(q: &mut impl Queryable, items: &mut [Incident]) -> Result<()> {
    let ids: Vec<uuid::Uuid> = items.iter().map(|i| i.id.0).collect();
    let none = crate::db::Params::default();
    let pairs = |r: &dyn crate::db::DbRow, col: &str| Ok((r.uuid("incident_id")?, r.uuid(col)?));
    let systems = crate::db::by_ids(
        q,
        &none,
        &ids,
        |member| {
            format!(
                "SELECT incident_id, system_id FROM incident_systems WHERE incident_id {member} \
                 ORDER BY incident_id, system_id"
            )
        },
        |r| pairs(r, "system_id"),
    )
    .await?;
    let sets = crate::db::by_ids(
        q,
        &none,
        &ids,
        |member| {
            format!(
                "SELECT incident_id, information_set_id FROM incident_information_sets \
                 WHERE incident_id {member} ORDER BY incident_id, information_set_id"
            )
        },
        |r| pairs(r, "information_set_id"),
    )
    .await?;
    let mut by_incident: std::collections::HashMap<uuid::Uuid, &mut Incident> =
        items.iter_mut().map(|i| (i.id.0, i)).collect();
    for (incident, system) in systems {
        if let Some(i) = by_incident.get_mut(&incident) {
            i.system_ids.push(SystemId(system));
        }
    }
    for (incident, set) in sets {
        if let Some(i) = by_incident.get_mut(&incident) {
            i.information_set_ids.push(set);
        }
    }
    Ok(())
}

const EVENT_COLS: &str = "deadline_id, kind, at, by_name, note";

/// A clock event: the deadline it concerns, reported or waived, by whom.
type ClockEvent = (String, ClockEventKind, Judgement);

fn clock_event(r: &dyn crate::db::DbRow) -> Result<ClockEvent> {
    Ok((
        r.text("deadline_id")?,
        word(r, "kind", ClockEventKind::parse)?,
        Judgement {
            by: r.text("by_name")?,
            at: r.ts("at")?,
            reason: r.opt_text("note")?.unwrap_or_default(),
        },
    ))
}

/// What the clocks of an incident are computed from: its facts and its
/// clock events.
fn facts_of(i: &Incident, events: Vec<ClockEvent>) -> ClockFacts {
    let mut facts = ClockFacts {
        aware_at: i.aware_at,
        personal_data: i.concerns_personal_data(),
        significance: i.significance.clone(),
        waived: BTreeMap::new(),
        reported: BTreeMap::new(),
    };
    for (deadline, kind, j) in events {
        match kind {
            ClockEventKind::Reported => {
                facts.reported.insert(deadline, j.at);
            }
            ClockEventKind::Waived => {
                facts.waived.insert(deadline, j);
            }
        }
    }
    facts
}

/// One entry of an incident's timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    /// `note` (written by hand), `reported`, `status`, `severity`,
    /// `assessment` or `clock`.
    pub kind: String,
    pub text: String,
    pub by: String,
}

/// A system an incident touches, with what the register knows of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AffectedSystem {
    pub id: SystemId,
    pub name: String,
    /// The unit responsible for it (its förvaltning).
    pub unit: Option<String>,
}

/// An information set an incident touches, with what the register knows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AffectedSet {
    pub id: uuid::Uuid,
    pub name: String,
    pub system_id: SystemId,
    pub personal_data: bool,
    pub sensitive_personal_data: bool,
}

/// An incident with its systems, timeline and clocks at a given moment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncidentView {
    pub incident: Incident,
    pub systems: Vec<AffectedSystem>,
    pub information_sets: Vec<AffectedSet>,
    pub timeline: Vec<TimelineEntry>,
    pub actions: Vec<IncidentAction>,
    pub clocks: Vec<Clock>,
}

/// Which incidents to list; every field left out matches all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IncidentFilter {
    /// Only those still being handled.
    pub open: bool,
    pub system: Option<SystemId>,
    /// Only those this user (by e-mail address) may see without handling
    /// every incident: those they reported and those on systems where they
    /// hold a role today.
    pub visible_to: Option<String>,
}

/// Who acted, by e-mail address: the actor's name is the address, followed
/// by the token's name for a write through an API token.
fn by_clause(col: &str, email: &str, p: &mut Params) -> String {
    // A prefix compared as text, not LIKE: an address may hold `_` or `%`,
    // which LIKE would read as wildcards matching other people's names.
    let prefix = format!("{email} (");
    // The length is a number this code counted: written into the SQL, since
    // PostgreSQL's SUBSTR takes an int4 and a bound i64 is an int8.
    let n = prefix.chars().count();
    let exact = p.push(email.to_owned());
    let token = p.push(prefix);
    format!("({col} = {exact} OR SUBSTR({col}, 1, {n}) = {token})")
}

/// Incidents on systems where the person with this address holds a role today.
fn on_held_systems(email: &str, day: chrono::NaiveDate, p: &mut Params) -> String {
    let e = p.push(email.trim().to_lowercase());
    let d = p.push(day);
    format!(
        "SELECT isys.incident_id FROM incident_systems isys \
         JOIN role_assignments ra ON ra.system_id = isys.system_id JOIN people pe ON pe.id = ra.person_id \
         WHERE LOWER(pe.email) = {e} AND ra.start_date <= {d} AND (ra.end_date IS NULL OR ra.end_date >= {d})"
    )
}

impl Store {
    /// The deadlines the organisation's incidents run: its profile's, and
    /// the statutory ones it does not restate.
    pub async fn incident_deadlines(&self, org: OrgId) -> Result<Vec<Deadline>> {
        let own = match self.active_profile(org).await {
            Ok(p) => p.profile.deadlines,
            Err(StoreError::NotFound) => vec![],
            Err(e) => return Err(e),
        };
        Ok(deadlines_for(&own, &statutory()))
    }

    /// The clock facts of an incident: what was reported or set aside.
    async fn clock_facts(q: &mut impl Queryable, i: &Incident) -> Result<ClockFacts> {
        let events = q
            .all(
                &format!("SELECT {EVENT_COLS} FROM incident_clock_events WHERE incident_id = $1"),
                params![i.id.0],
                clock_event,
            )
            .await?;
        Ok(facts_of(i, events))
    }

    /// The clocks of these incidents as they stand at `now`, in their
    /// order: the deadlines read once and each incident's clock events, not
    /// the whole view (systems, sets, timeline, actions) of each.
    pub async fn incident_clocks(
        &self,
        org: OrgId,
        incidents: &[Incident],
        now: DateTime<Utc>,
    ) -> Result<Vec<Vec<Clock>>> {
        if incidents.is_empty() {
            return Ok(vec![]);
        }
        let deadlines = self.incident_deadlines(org).await?;
        let ids: Vec<uuid::Uuid> = incidents.iter().map(|i| i.id.0).collect();
        let events = crate::db::by_ids(
            &mut self.db.read(),
            &crate::db::Params::default(),
            &ids,
            |member| {
                format!(
                    "SELECT incident_id, {EVENT_COLS} FROM incident_clock_events WHERE incident_id {member}"
                )
            },
            |r| Ok((r.uuid("incident_id")?, clock_event(r)?)),
        )
        .await?;
        let mut by_incident: std::collections::HashMap<uuid::Uuid, Vec<ClockEvent>> =
            std::collections::HashMap::new();
        for (incident, e) in events {
            by_incident.entry(incident).or_default().push(e);
        }
        Ok(incidents
            .iter()
            .map(|i| {
                let events = by_incident.remove(&i.id.0).unwrap_or_default();
                clocks(&deadlines, &facts_of(i, events), now)
            })
            .collect())
    }

    /// An incident with its systems, timeline and clocks as they stand at `now`.
    pub async fn incident(
        &self,
        org: OrgId,
        id: IncidentId,
        now: DateTime<Utc>,
    ) -> Result<IncidentView> {
        let deadlines = self.incident_deadlines(org).await?;
        let mut read = self.db.read();
        let incident = fetch(&mut read, org, id).await?;
        let systems = read
            .all(
                "SELECT s.id, s.name, u.name AS unit FROM incident_systems i JOIN systems s ON s.id = i.system_id \
                 LEFT JOIN units u ON u.id = s.responsible_unit_id WHERE i.incident_id = $1 ORDER BY s.name, s.id",
                params![id.0],
                |r| {
                    Ok(AffectedSystem {
                        id: SystemId(r.uuid("id")?),
                        name: r.text("name")?,
                        unit: r.opt_text("unit")?,
                    })
                },
            )
            .await?;
        let timeline = read
            .all(
                "SELECT at, kind, text, by_name FROM incident_timeline WHERE incident_id = $1 ORDER BY at, created_at, id",
                params![id.0],
                |r| {
                    Ok(TimelineEntry {
                        at: r.ts("at")?,
                        kind: r.text("kind")?,
                        text: r.text("text")?,
                        by: r.text("by_name")?,
                    })
                },
            )
            .await?;
        let information_sets = read
            .all(
                "SELECT s.id, s.name, s.system_id, s.personal_data, s.sensitive_personal_data \
                 FROM incident_information_sets i JOIN information_sets s ON s.id = i.information_set_id \
                 WHERE i.incident_id = $1 ORDER BY s.name, s.id",
                params![id.0],
                |r| {
                    Ok(AffectedSet {
                        id: r.uuid("id")?,
                        name: r.text("name")?,
                        system_id: SystemId(r.uuid("system_id")?),
                        personal_data: r.bool("personal_data")?,
                        sensitive_personal_data: r.bool("sensitive_personal_data")?,
                    })
                },
            )
            .await?;
        let actions = read
            .all(
                "SELECT a.id, a.what, a.owner_id, p.name AS owner, a.due_on, a.done_on FROM incident_actions a \
                 LEFT JOIN people p ON p.id = a.owner_id WHERE a.incident_id = $1 ORDER BY a.created_at, a.id",
                params![id.0],
                action,
            )
            .await?;
        let facts = Self::clock_facts(&mut read, &incident).await?;
        let clocks = clocks(&deadlines, &facts, now);
        Ok(IncidentView {
            incident,
            systems,
            information_sets,
            timeline,
            actions,
            clocks,
        })
    }

    /// What the caller with this address is to an incident: whether they
    /// hold a role on one of its systems today, and whether they reported it.
    /// `NotFound` for another organisation's incident.
    pub async fn incident_facts(
        &self,
        org: OrgId,
        id: IncidentId,
        email: &str,
    ) -> Result<(bool, bool)> {
        let mut read = self.db.read();
        let i = fetch(&mut read, org, id).await?;
        let mut p = Params::default();
        let held = on_held_systems(email, Utc::now().date_naive(), &mut p);
        let me = p.push(id.0);
        let holds = read
            .count(
                &format!("SELECT COUNT(*) AS n FROM ({held}) x WHERE x.incident_id = {me}"),
                p.0,
            )
            .await?
            > 0;
        let reported = i.created_by == email || i.created_by.starts_with(&format!("{email} ("));
        Ok((holds, reported))
    }

    /// One page of the organisation's incidents that match `filter`, the
    /// latest known first.
    pub async fn incidents(
        &self,
        org: OrgId,
        filter: IncidentFilter,
        page: PageRequest,
    ) -> Result<Page<Incident>> {
        let mut p = Params::default();
        let mut wh = format!("org_id = {}", p.push(org.0));
        if filter.open {
            wh.push_str(" AND status NOT IN ('closed', 'dismissed')");
        }
        if let Some(email) = filter.visible_to.as_deref() {
            let mine = by_clause("created_by", email, &mut p);
            let held = on_held_systems(email, Utc::now().date_naive(), &mut p);
            wh.push_str(&format!(" AND ({mine} OR id IN ({held}))"));
        }
        if let Some(s) = filter.system {
            wh.push_str(&format!(
                " AND id IN (SELECT incident_id FROM incident_systems WHERE system_id = {})",
                p.push(s.0)
            ));
        }
        let total = self
            .db
            .read()
            .count(
                &format!("SELECT COUNT(*) AS n FROM incidents WHERE {wh}"),
                p.0.clone(),
            )
            .await?;
        let (lim, off) = (p.push(page.limit()), p.push(page.offset()));
        let mut read = self.db.read();
        let mut items = read
            .all(
                &format!(
                    "SELECT {COLS} FROM incidents WHERE {wh} ORDER BY aware_at DESC, number DESC LIMIT {lim} OFFSET {off}"
                ),
                p.0,
                incident,
            )
            .await?;
        links(&mut read, &mut items).await?;
        Ok(Page {
            items,
            total,
            page: page.page,
            per_page: page.per_page,
            total_capped: false,
        })
    }
}
