//! Loads the generated demo municipality into an empty database, in bulk:
//! 100,000 systems take seconds, not minutes.

use crate::audit::{self, Actor};
use crate::db::{P, Queryable, Result, Tx, now};
use crate::{Store, name_key, params};
use insyn_domain::demo::DemoData;
use insyn_domain::*;
use serde_json::json;
use std::collections::HashMap;

/// Inserts rows with multi-row VALUES, in chunks that stay under both
/// backends' limits on bound parameters.
pub(crate) async fn insert_rows(
    tx: &mut Tx,
    table: &str,
    cols: &[&str],
    rows: Vec<Vec<P>>,
) -> Result<()> {
    // SQLite looks `$n` names up one by one (quadratic in their number), so
    // bulk inserts there use plain `?` placeholders, which bind by position.
    let positional = tx.backend() == crate::db::Backend::Sqlite;
    let per_chunk = (4_000 / cols.len().max(1)).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<P>> = rows.by_ref().take(per_chunk).collect();
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", cols.join(", "));
        let mut params = Vec::with_capacity(chunk.len() * cols.len());
        for (i, row) in chunk.into_iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for (j, v) in row.into_iter().enumerate() {
                if j > 0 {
                    sql.push_str(", ");
                }
                params.push(v);
                if positional {
                    sql.push('?');
                } else {
                    sql.push_str(&format!("${}", params.len()));
                }
            }
            sql.push(')');
        }
        tx.execute(&sql, params).await?;
    }
    Ok(())
}

impl Store {
    /// Whether any organisation exists yet.
    pub async fn is_empty(&self) -> Result<bool> {
        Ok(self
            .db
            .read()
            .count("SELECT COUNT(*) AS n FROM organisations", vec![])
            .await?
            == 0)
    }

    /// Loads the demo data. Call on an empty database only.
    pub async fn load_demo(&self, data: DemoData) -> Result<()> {
        let actor = Actor::new("insyn demo");
        for (id, p) in data.products {
            self.create_product_with_id(&actor, id, p).await?;
        }
        for org in data.orgs {
            self.create_org_with_id(&actor, org.id, org.draft.clone())
                .await?;
            let roles: HashMap<String, RoleTypeId> = self
                .list_role_types(org.id)
                .await?
                .into_iter()
                .map(|r| (r.code, r.id))
                .collect();
            let at = now();
            let mut tx = self.db.begin().await?;
            let unit_rows = org
                .units
                .iter()
                .map(|(id, u)| {
                    params![
                        id.0,
                        org.id.0,
                        u.parent_id.map(|p| p.0),
                        u.name.as_str(),
                        name_key(&u.name),
                        u.level.as_str(),
                        false,
                        at,
                        at
                    ]
                })
                .collect();
            insert_rows(
                &mut tx,
                "units",
                &[
                    "id",
                    "org_id",
                    "parent_id",
                    "name",
                    "name_key",
                    "level",
                    "archived",
                    "created_at",
                    "updated_at",
                ],
                unit_rows,
            )
            .await?;
            let people_rows = org
                .people
                .iter()
                .map(|(id, p)| {
                    params![
                        id.0,
                        org.id.0,
                        p.name.as_str(),
                        name_key(&p.name),
                        crate::people::search_text(&p.name, p.email.as_deref()),
                        p.email.clone(),
                        p.title.clone(),
                        p.unit_id.map(|u| u.0),
                        p.active,
                        at,
                        at
                    ]
                })
                .collect();
            insert_rows(
                &mut tx,
                "people",
                &[
                    "id",
                    "org_id",
                    "name",
                    "name_key",
                    "search_text",
                    "email",
                    "title",
                    "unit_id",
                    "active",
                    "created_at",
                    "updated_at",
                ],
                people_rows,
            )
            .await?;
            let mut sys_rows = Vec::with_capacity(org.systems.len());
            let (mut su, mut sl, mut sc, mut st) = (vec![], vec![], vec![], vec![]);
            for (id, d) in &org.systems {
                sys_rows.push(
                    [
                        params![id.0, org.id.0],
                        crate::systems::row_values(d),
                        params![false, at, at],
                    ]
                    .concat(),
                );
                for u in &d.using_unit_ids {
                    su.push(params![id.0, u.0]);
                }
                for (i, l) in d.doc_links.iter().enumerate() {
                    sl.push(params![id.0, i as i64, l.label.as_str(), l.url.as_str()]);
                }
                for c in &d.capabilities {
                    sc.push(params![id.0, c.as_str()]);
                }
                for t in &d.tags {
                    st.push(params![id.0, t.as_str()]);
                }
            }
            insert_rows(
                &mut tx,
                "systems",
                &[
                    "id",
                    "org_id",
                    "name",
                    "name_key",
                    "short_name",
                    "description",
                    "purpose",
                    "responsible_unit_id",
                    "vendor",
                    "product_id",
                    "version",
                    "hosting",
                    "user_count",
                    "business_critical",
                    "lifecycle",
                    "go_live_date",
                    "end_date",
                    "licence_model",
                    "licence_count",
                    "escalation_route",
                    "notes",
                    "search_text",
                    "archived",
                    "created_at",
                    "updated_at",
                ],
                sys_rows,
            )
            .await?;
            insert_rows(&mut tx, "system_units", &["system_id", "unit_id"], su).await?;
            insert_rows(
                &mut tx,
                "system_links",
                &["system_id", "position", "label", "url"],
                sl,
            )
            .await?;
            insert_rows(
                &mut tx,
                "system_capabilities",
                &["system_id", "capability"],
                sc,
            )
            .await?;
            insert_rows(&mut tx, "system_tags", &["system_id", "tag"], st).await?;
            let ra_rows = org
                .assignments
                .iter()
                .map(|(code, person, system, start)| {
                    params![
                        AssignmentId::new().0,
                        org.id.0,
                        roles[*code].0,
                        person.0,
                        Some(system.0),
                        None::<uuid::Uuid>,
                        *start,
                        None::<chrono::NaiveDate>,
                        None::<String>,
                        at,
                        at
                    ]
                })
                .collect();
            insert_rows(
                &mut tx,
                "role_assignments",
                &[
                    "id",
                    "org_id",
                    "role_type_id",
                    "person_id",
                    "system_id",
                    "unit_id",
                    "start_date",
                    "end_date",
                    "note",
                    "created_at",
                    "updated_at",
                ],
                ra_rows,
            )
            .await?;
            audit::record(
                &mut tx,
                &actor,
                Some(org.id),
                "demo",
                "organisation",
                org.id.0,
                json!({
                    "units": org.units.len(),
                    "people": org.people.len(),
                    "systems": org.systems.len(),
                    "role_assignments": org.assignments.len(),
                }),
            )
            .await?;
            tx.commit().await?;
        }
        if let crate::db::Db::Sqlite { write, .. } = &self.db {
            sqlx::query("ANALYZE").execute(write).await?;
        }
        if let crate::db::Db::Postgres(p) = &self.db {
            sqlx::query("ANALYZE").execute(p).await?;
        }
        Ok(())
    }
}
