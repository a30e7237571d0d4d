//! Importing an HR file (personalfil): the people it adds, changes and
//! makes leavers ([`plan_hr`]), all in one transaction with an audit
//! record for each person and one for the import. A leaver or a mover gets
//! what leaving or moving through the person page gives (removal orders
//! for their holdings; their roles become the leavers' tasks). A dry run
//! computes the same report and writes nothing; a file that changes
//! nothing writes nothing, so importing the same file twice is a no-op.

use crate::audit::{Actor, Change};
use crate::db::{Queryable, Result, Tx, now};
use crate::people::{COLS, insert_person, person, update_person_in};
use crate::units::unit;
use crate::{Store, params};
use insyn_domain::access::*;
use insyn_domain::*;
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;

/// What importing an HR file found and did (or, in a dry run, would do).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HrReport {
    pub dry_run: bool,
    /// Whether people missing from the file are leavers.
    pub complete: bool,
    /// The rows read from the file.
    pub rows: usize,
    pub new_people: Vec<HrNewPerson>,
    /// People whose name, e-mail, unit or status changes (`moved`: a new unit).
    pub changed: Vec<HrChangedPerson>,
    pub leavers: Vec<HrLeaver>,
    /// Rows the import could not use.
    pub issues: Vec<RosterRowIssue>,
    /// The names of the people the report mentions, by id.
    pub people: HashMap<PersonId, String>,
    /// The names of the units the report mentions, by id.
    pub units: HashMap<UnitId, String>,
}

impl Store {
    /// Compares an HR file's rows with the organisation's people and, unless
    /// `dry_run`, makes the changes in one transaction.
    pub async fn import_hr(
        &self,
        actor: &Actor,
        org: OrgId,
        file_name: &str,
        rows: &[HrRow],
        complete: bool,
        dry_run: bool,
    ) -> Result<HrReport> {
        let mut tx = self.db.begin().await?;
        let people = tx
            .all(
                &format!("SELECT {COLS} FROM people WHERE org_id = $1 ORDER BY id"),
                params![org.0],
                person,
            )
            .await?;
        let units = tx
            .all(
                &format!(
                    "SELECT {} FROM units WHERE org_id = $1 ORDER BY id",
                    crate::units::COLS
                ),
                params![org.0],
                unit,
            )
            .await?;
        let plan = plan_hr(
            rows,
            &people,
            &units,
            complete,
            chrono::Utc::now().date_naive(),
        );
        let by_id: HashMap<PersonId, &Person> = people.iter().map(|p| (p.id, p)).collect();
        let mentioned = plan
            .changed
            .iter()
            .map(|c| c.person_id)
            .chain(plan.leavers.iter().map(|l| l.person_id));
        let report = HrReport {
            dry_run,
            complete,
            rows: rows.len(),
            people: mentioned
                .filter_map(|id| Some((id, by_id.get(&id)?.name.clone())))
                .collect(),
            units: units.iter().map(|u| (u.id, u.name.clone())).collect(),
            new_people: plan.new_people,
            changed: plan.changed,
            leavers: plan.leavers,
            issues: plan.issues,
        };
        if dry_run
            || (report.new_people.is_empty()
                && report.changed.is_empty()
                && report.leavers.is_empty())
        {
            // Dropped: rolled back.
            return Ok(report);
        }
        apply_plan(
            &mut tx,
            actor,
            org,
            (&report.new_people, &report.changed, &report.leavers),
            &by_id,
        )
        .await?;
        Change::new(
            Some(org),
            AuditAction::Import,
            AuditObject::Organisation,
            org.0,
            json!({
                "file": file_name,
                "hr_file": {
                    "new_people": report.new_people.len(),
                    "changed": report.changed.len(),
                    "leavers": report.leavers.len(),
                    "complete": complete,
                }
            }),
        )
        .commit(tx, actor)
        .await?;
        Ok(report)
    }
}

/// Makes a plan's changes in `tx`, each person's with its audit record:
/// the new people, the changed ones (employee numbers first), the leavers.
pub(crate) async fn apply_plan(
    tx: &mut Tx,
    actor: &Actor,
    org: OrgId,
    (new_people, changed, leavers): (&[HrNewPerson], &[HrChangedPerson], &[HrLeaver]),
    by_id: &HashMap<PersonId, &Person>,
) -> Result<()> {
    for n in new_people {
        let d = PersonDraft {
            name: n.name.clone(),
            email: n.email.clone(),
            title: None,
            unit_id: n.unit_id,
            active: true,
        };
        let created = insert_person(tx, actor, org, PersonId::new(), &d).await?;
        if let Some(number) = &n.employee_number {
            set_employee_number(tx, actor, &created, number).await?;
        }
    }
    // The employee numbers first: a person's number may be taken over
    // only once nobody else holds it.
    for c in changed {
        let p = by_id[&c.person_id];
        if let Some(number) = c
            .employee_number
            .as_deref()
            .filter(|_| c.employee_number != p.employee_number)
        {
            set_employee_number(tx, actor, p, number).await?;
        }
    }
    let changes = changed.iter().map(|c| {
        let p = by_id[&c.person_id];
        (p, changed_draft(p, c))
    });
    let leaving = leavers.iter().map(|l| {
        let p = by_id[&l.person_id];
        let d = PersonDraft {
            name: p.name.clone(),
            email: p.email.clone(),
            title: p.title.clone(),
            unit_id: p.unit_id,
            active: false,
        };
        (p, d)
    });
    for (p, d) in changes.chain(leaving).collect::<Vec<_>>() {
        let (_, after) = update_person_in(tx, actor, org, p.id, &d).await?;
        Change::updated(Some(org), AuditObject::Person, p.id.0, p, &after)
            .record(tx, actor)
            .await?;
    }
    Ok(())
}

/// Gives `p` the employee number an HR file carries, with its audit record.
pub(crate) async fn set_employee_number(
    tx: &mut Tx,
    actor: &Actor,
    p: &Person,
    number: &str,
) -> Result<()> {
    tx.execute(
        "UPDATE people SET employee_number = $3, updated_at = $4 WHERE org_id = $1 AND id = $2",
        params![p.org_id.0, p.id.0, number, now()],
    )
    .await?;
    Change::changed(
        Some(p.org_id),
        AuditAction::Update,
        AuditObject::Person,
        p.id.0,
        &json!({ "employee_number": p.employee_number }),
        &json!({ "employee_number": number }),
    )
    .record(tx, actor)
    .await
}
