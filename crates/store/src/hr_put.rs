//! One person from the HR system by the HR system's id (issue 21): an
//! idempotent create-or-update through the HR file's own rules
//! (`insyn_domain::access::plan_hr` on a one-row file), in one
//! transaction with each change's audit record. A passed end date makes a
//! leaver as the file import and the person page do.

use crate::Store;
use crate::audit::Actor;
use crate::db::{Queryable, Result, Tx};
use crate::hr::{apply_plan, set_employee_number};
use crate::people::{COLS, insert_person, person};
use crate::{StoreError, params};
use insyn_domain::access::*;
use insyn_domain::validation::{FieldErrors, TAKEN};
use insyn_domain::*;
use std::collections::HashMap;

fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

async fn by_number(tx: &mut Tx, org: OrgId, number: &str) -> Result<Option<Person>> {
    tx.opt(
        &format!("SELECT {COLS} FROM people WHERE org_id = $1 AND employee_number = $2"),
        params![org.0, number],
        person,
    )
    .await
}

/// A LIKE pattern (with `ESCAPE '\'`, against `lower(column)`) that every
/// value whose `plan_hr` key equals `s`'s matches, on both backends: the key
/// lower-cased and with its spaces collapsed, each space and each non-ASCII
/// letter (which SQLite's `lower` leaves as it is) a `%`. It may match a
/// few more; `plan_hr` then compares exactly.
fn key_pattern(s: &str) -> String {
    let key = s
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let mut out = String::with_capacity(key.len());
    for c in key.chars() {
        match c {
            ' ' => out.push('%'),
            c if !c.is_ascii() => out.push('%'),
            '%' | '_' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// The people `plan_hr` could match `row` with, or who hold its e-mail:
/// the same employee number, the same e-mail, or (without an e-mail) the
/// same name. One statement over the organisation's people instead of
/// reading them all on every PUT.
async fn candidates(tx: &mut Tx, org: OrgId, row: &HrRow) -> Result<Vec<Person>> {
    let pattern = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(key_pattern)
    };
    tx.all(
        &format!(
            "SELECT {COLS} FROM people WHERE org_id = $1 AND ( \
             lower(employee_number) LIKE $2 ESCAPE '\\' \
             OR lower(email) LIKE $3 ESCAPE '\\' \
             OR (email IS NULL AND lower(name) LIKE $4 ESCAPE '\\')) ORDER BY id"
        ),
        params![
            org.0,
            pattern(&row.employee_number),
            pattern(&row.email),
            pattern(&row.name)
        ],
        person,
    )
    .await
}

impl Store {
    /// Creates or updates the person the HR system knows as `external_id`
    /// (kept as their employee number): matched by that number, else by
    /// e-mail (a person the register had without a number gets it). Sending
    /// the same again changes nothing. Returns whether the person was
    /// created, and the person as they are now. An e-mail address that
    /// another employee (another number) has is refused as taken.
    pub async fn put_hr_person(
        &self,
        actor: &Actor,
        org: OrgId,
        external_id: &str,
        draft: &HrPersonDraft,
    ) -> Result<(bool, Person)> {
        let row = draft.row(external_id)?;
        let number = row.employee_number.clone().unwrap_or_default();
        let mut tx = self.db.begin().await?;
        let people = candidates(&mut tx, org, &row).await?;
        let known = people.iter().any(|p| {
            p.employee_number
                .as_deref()
                .is_some_and(|n| same(n, &number))
        });
        let email_of_another = row.email.as_deref().is_some_and(|m| {
            people.iter().any(|p| {
                p.email.as_deref().is_some_and(|e| same(e, m))
                    && p.employee_number
                        .as_deref()
                        .is_some_and(|n| !same(n, &number))
            })
        });
        if !known && email_of_another {
            return Err(StoreError::Invalid(FieldErrors::single("email", TAKEN)));
        }
        let units = tx
            .all(
                &format!(
                    "SELECT {} FROM units WHERE org_id = $1 ORDER BY id",
                    crate::units::COLS
                ),
                params![org.0],
                crate::units::unit,
            )
            .await?;
        let today = chrono::Utc::now().date_naive();
        let plan = plan_hr(std::slice::from_ref(&row), &people, &units, false, today);
        if !plan.issues.is_empty() {
            return Err(StoreError::Invalid(put_errors(&plan.issues)));
        }
        if plan.is_empty() {
            if let Some(p) = by_number(&mut tx, org, &number).await? {
                // Nothing changes: nothing written.
                return Ok((false, p));
            }
            // Someone who has already left and whom the register did not
            // know: kept, as a leaver, so the id names someone.
            let d = PersonDraft {
                name: row.name.clone().unwrap_or_default(),
                email: row.email.clone(),
                title: None,
                unit_id: None,
                active: false,
            }
            .validate()?;
            let created = insert_person(&mut tx, actor, org, PersonId::new(), &d).await?;
            set_employee_number(&mut tx, actor, &created, &number).await?;
            let after = by_number(&mut tx, org, &number).await?;
            tx.commit().await?;
            return after.map(|p| (true, p)).ok_or(StoreError::NotFound);
        }
        let by_id: HashMap<PersonId, &Person> = people.iter().map(|p| (p.id, p)).collect();
        apply_plan(
            &mut tx,
            actor,
            org,
            (&plan.new_people, &plan.changed, &plan.leavers),
            &by_id,
        )
        .await?;
        let after = by_number(&mut tx, org, &number)
            .await?
            .ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok((!plan.new_people.is_empty(), after))
    }
}
