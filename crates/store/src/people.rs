//! People: name, e-mail, title, unit, active or left.

use crate::audit::{Actor, Change};
use crate::db::{DbRow, Queryable, Result, Tx, now};
use crate::units::check_units;
use crate::{Store, StoreError, params};
use insyn_domain::validation as v;
use insyn_domain::*;

pub(crate) const COLS: &str =
    "id, org_id, name, email, title, unit_id, active, updated_at, employee_number";

pub(crate) fn person(r: &dyn DbRow) -> Result<Person> {
    Ok(Person {
        id: PersonId(r.uuid("id")?),
        org_id: OrgId(r.uuid("org_id")?),
        name: r.text("name")?,
        email: r.opt_text("email")?,
        title: r.opt_text("title")?,
        unit_id: r.opt_uuid("unit_id")?.map(UnitId),
        active: r.bool("active")?,
        updated_at: r.ts("updated_at")?,
        employee_number: r.opt_text("employee_number")?,
    })
}

impl Store {
    /// People of an organisation, by name; `q` matches name or e-mail.
    pub async fn list_people(
        &self,
        org: OrgId,
        q: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<Person>> {
        self.list_people_changed(org, q, None, page).await
    }

    /// People matching `q`, changed after `since` when given (for synchronisation).
    pub async fn list_people_changed(
        &self,
        org: OrgId,
        q: Option<&str>,
        since: Option<chrono::DateTime<chrono::Utc>>,
        page: PageRequest,
    ) -> Result<Page<Person>> {
        let mut p = crate::db::Params::default();
        let mut wh = format!("org_id = {}", p.push(org.0));
        if let Some(t) = since {
            wh.push_str(&format!(" AND updated_at > {}", p.push(t)));
        }
        // The search text is lower-cased in Rust, so å, ä and ö match in any
        // case on both backends.
        for word in q.unwrap_or("").split_whitespace() {
            let pat = p.push(format!("%{}%", crate::like_escape(&word.to_lowercase())));
            wh.push_str(&format!(" AND search_text LIKE {pat} ESCAPE '\\'"));
        }
        let total = self
            .db
            .read()
            .count(
                &format!("SELECT COUNT(*) AS n FROM people WHERE {wh}"),
                p.0.clone(),
            )
            .await?;
        let lim = p.push(page.limit());
        let off = p.push(page.offset());
        let items = self
            .db
            .read()
            .all(
                &format!("SELECT {COLS} FROM people WHERE {wh} ORDER BY name_key, id LIMIT {lim} OFFSET {off}"),
                p.0,
                person,
            )
            .await?;
        Ok(Page {
            items,
            total,
            page: page.page,
            per_page: page.per_page,
            total_capped: false,
        })
    }

    /// Everyone in the organisation, by name, when there are at most `max`;
    /// otherwise nothing (a form then asks for a name instead of offering a
    /// list). Counts no further than `max + 1`: the system page asked for
    /// the total of 25,000 people and read 500 of them on every view.
    pub async fn people_if_few(&self, org: OrgId, max: i64) -> Result<Vec<Person>> {
        let n = self
            .db
            .read()
            .count(
                "SELECT COUNT(*) AS n FROM (SELECT 1 FROM people WHERE org_id = $1 LIMIT $2) x",
                params![org.0, max + 1],
            )
            .await?;
        if n > max {
            return Ok(vec![]);
        }
        self.db
            .read()
            .all(
                &format!("SELECT {COLS} FROM people WHERE org_id = $1 ORDER BY name_key, id"),
                params![org.0],
                person,
            )
            .await
    }

    pub async fn get_person(&self, org: OrgId, id: PersonId) -> Result<Person> {
        fetch(&mut self.db.read(), org, id).await
    }

    /// The names of the organisation's people among `ids`, read a few
    /// hundred at a time (not one query per person); ids of no person of
    /// the organisation are left out.
    pub async fn person_names(
        &self,
        org: OrgId,
        ids: &[PersonId],
    ) -> Result<std::collections::HashMap<PersonId, String>> {
        let ids: Vec<uuid::Uuid> = ids.iter().map(|i| i.0).collect();
        let names = crate::db::names_by_id(&mut self.db.read(), "people", org, &ids).await?;
        Ok(names.into_iter().map(|(id, n)| (PersonId(id), n)).collect())
    }

    pub async fn create_person(
        &self,
        actor: &Actor,
        org: OrgId,
        draft: PersonDraft,
    ) -> Result<Person> {
        self.create_person_with_id(actor, org, PersonId::new(), draft)
            .await
    }

    pub async fn create_person_with_id(
        &self,
        actor: &Actor,
        org: OrgId,
        id: PersonId,
        draft: PersonDraft,
    ) -> Result<Person> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        let created = insert_person(&mut tx, actor, org, id, &d).await?;
        tx.commit().await?;
        Ok(created)
    }

    pub async fn update_person(
        &self,
        actor: &Actor,
        org: OrgId,
        id: PersonId,
        draft: PersonDraft,
    ) -> Result<Person> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        let (before, after) = update_person_in(&mut tx, actor, org, id, &d).await?;
        Change::updated(Some(org), AuditObject::Person, id.0, &before, &after)
            .commit(tx, actor)
            .await?;
        Ok(after)
    }
}

/// Changes a checked person inside the caller's transaction: a leaver's or
/// a mover's access follows (removal orders for what they hold). Returns
/// the person before and after; the caller records the change.
pub(crate) async fn update_person_in(
    tx: &mut Tx,
    actor: &Actor,
    org: OrgId,
    id: PersonId,
    d: &PersonDraft,
) -> Result<(Person, Person)> {
    let before = fetch(tx, org, id).await?;
    check(tx, org, Some(id), d).await?;
    tx.execute(
        "UPDATE people SET name = $3, name_key = $4, search_text = $5, email = $6, title = $7, unit_id = $8, active = $9, updated_at = $10 \
         WHERE org_id = $1 AND id = $2",
        params![org.0, id.0, d.name.as_str(), crate::name_key(&d.name), search_text(&d.name, d.email.as_deref()), d.email.clone(), d.title.clone(), d.unit_id.map(|u| u.0), d.active, now()],
    )
    .await?;
    let after = fetch(tx, org, id).await?;
    if let Some(why) = insyn_domain::access::departure(&before, &after) {
        crate::access::order_removals(tx, actor, org, id, why).await?;
        if why == insyn_domain::access::Departure::Moved {
            crate::movers::open_handovers(tx, actor, &before, &after).await?;
        }
    }
    Ok((before, after))
}

/// Adds a checked person inside the caller's transaction, with its audit
/// record; also what an access order for a new person uses.
pub(crate) async fn insert_person(
    tx: &mut Tx,
    actor: &Actor,
    org: OrgId,
    id: PersonId,
    d: &PersonDraft,
) -> Result<Person> {
    check(tx, org, None, d).await?;
    let at = now();
    tx.execute(
        "INSERT INTO people (id, org_id, name, name_key, search_text, email, title, unit_id, active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
        params![id.0, org.0, d.name.as_str(), crate::name_key(&d.name), search_text(&d.name, d.email.as_deref()), d.email.clone(), d.title.clone(), d.unit_id.map(|u| u.0), d.active, at],
    )
    .await?;
    let created = fetch(tx, org, id).await?;
    Change::created(Some(org), AuditObject::Person, id.0, &created)
        .record(tx, actor)
        .await?;
    Ok(created)
}

/// What a search for people looks in: name and e-mail, lower-cased.
pub(crate) fn search_text(name: &str, email: Option<&str>) -> String {
    format!("{name} {}", email.unwrap_or("")).to_lowercase()
}

async fn fetch(q: &mut impl Queryable, org: OrgId, id: PersonId) -> Result<Person> {
    q.org_row(COLS, "people", org, id.0, person).await
}

async fn check(tx: &mut Tx, org: OrgId, me: Option<PersonId>, d: &PersonDraft) -> Result<()> {
    let mut e = FieldErrors::new();
    if let Some(u) = d.unit_id {
        check_units(tx, org, "unit_id", &[u], &mut e).await?;
    }
    if let Some(mail) = &d.email {
        let n = tx
            .count(
                "SELECT COUNT(*) AS n FROM people WHERE org_id = $1 AND email = $2 AND id <> $3",
                params![org.0, mail.as_str(), me.map(|m| m.0).unwrap_or_default()],
            )
            .await?;
        if n > 0 {
            e.add("email", v::TAKEN);
        }
    }
    if e.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Invalid(e))
    }
}
