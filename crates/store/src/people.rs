//! People: name, e-mail, title, unit, active or left.

use crate::audit::{self, Actor};
use crate::db::{DbRow, Queryable, Result, Tx, now};
use crate::units::check_units;
use crate::{Store, StoreError, params};
use insyn_domain::validation as v;
use insyn_domain::*;

const COLS: &str = "id, org_id, name, email, title, unit_id, active, updated_at";

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
        let mut p = crate::db::Params::default();
        let mut wh = format!("org_id = {}", p.push(org.0));
        if let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) {
            let pat = p.push(format!("%{}%", q.to_lowercase()));
            wh.push_str(&format!(
                " AND (lower(name) LIKE {pat} OR lower(email) LIKE {pat})"
            ));
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
                &format!("SELECT {COLS} FROM people WHERE {wh} ORDER BY name, id LIMIT {lim} OFFSET {off}"),
                p.0,
                person,
            )
            .await?;
        Ok(Page {
            items,
            total,
            page: page.page,
            per_page: page.per_page,
        })
    }

    pub async fn get_person(&self, org: OrgId, id: PersonId) -> Result<Person> {
        self.db
            .read()
            .one(
                &format!("SELECT {COLS} FROM people WHERE org_id = $1 AND id = $2"),
                params![org.0, id.0],
                person,
            )
            .await
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
        check(&mut tx, org, None, &d).await?;
        let at = now();
        tx.execute(
            "INSERT INTO people (id, org_id, name, email, title, unit_id, active, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
            params![id.0, org.0, d.name.as_str(), d.email.clone(), d.title.clone(), d.unit_id.map(|u| u.0), d.active, at],
        )
        .await?;
        let created = fetch(&mut tx, org, id).await?;
        audit::record(
            &mut tx,
            actor,
            Some(org),
            "create",
            "person",
            id.0,
            audit::diff(None, Some(&created)),
        )
        .await?;
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
        let before = fetch(&mut tx, org, id).await?;
        check(&mut tx, org, Some(id), &d).await?;
        tx.execute(
            "UPDATE people SET name = $3, email = $4, title = $5, unit_id = $6, active = $7, updated_at = $8 \
             WHERE org_id = $1 AND id = $2",
            params![org.0, id.0, d.name.as_str(), d.email.clone(), d.title.clone(), d.unit_id.map(|u| u.0), d.active, now()],
        )
        .await?;
        let after = fetch(&mut tx, org, id).await?;
        audit::record(
            &mut tx,
            actor,
            Some(org),
            "update",
            "person",
            id.0,
            audit::diff(Some(&before), Some(&after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}

async fn fetch(tx: &mut Tx, org: OrgId, id: PersonId) -> Result<Person> {
    tx.one(
        &format!("SELECT {COLS} FROM people WHERE org_id = $1 AND id = $2"),
        params![org.0, id.0],
        person,
    )
    .await
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
