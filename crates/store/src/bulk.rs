//! Writing many rows at once: multi-row `INSERT`s in chunks on SQLite,
//! `COPY` on PostgreSQL, and the new people, systems and role assignments of
//! an import or of the demo load.

use crate::db::{P, Queryable, Result, Tx, TxConn};
use crate::systems::row_values;
use crate::{name_key, params};
use chrono::{DateTime, NaiveDate, Utc};
use insyn_domain::*;
use std::collections::HashSet;
use uuid::Uuid;

/// Rows a bulk insert into PostgreSQL must reach to have its table analysed
/// afterwards (see [`insert_rows`]).
const ANALYZE_AFTER: usize = 1_000;

/// Inserts rows: on PostgreSQL with one `COPY … FROM STDIN` in the
/// transaction (the 10,000-row import spent 3 of its 4.7 s in multi-row
/// `INSERT`s, each parsed, planned and its parameters bound), on SQLite with
/// multi-row VALUES in chunks that stay under its limit on bound parameters.
/// A row COPY refuses fails the statement and so the transaction, as an
/// `INSERT` would.
pub(crate) async fn insert_rows(
    tx: &mut Tx,
    table: &str,
    cols: &[&str],
    rows: Vec<Vec<P>>,
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let many = rows.len() >= ANALYZE_AFTER;
    if let TxConn::Postgres(t) = &mut tx.conn {
        let mut copy = t
            .copy_in_raw(&format!(
                "COPY {table} ({}) FROM STDIN (FORMAT text)",
                cols.join(", ")
            ))
            .await?;
        let mut buf = String::new();
        for row in rows {
            copy_line(&mut buf, &row);
            if buf.len() >= 1 << 16 {
                copy.send(std::mem::take(&mut buf).into_bytes()).await?;
            }
        }
        if !buf.is_empty() {
            copy.send(buf.into_bytes()).await?;
        }
        copy.finish().await?;
        if many {
            // Foreign keys to this table are checked a row at a time by plans
            // the connection keeps; one made while the table was small scans
            // it for each row once it is large (the 100,000-system demo's
            // classifications against their 66,000 new information sets hit
            // the 60-second statement limit). Telling the planner of the new
            // rows here, in the transaction, lets those plans be made again.
            tx.execute(&format!("ANALYZE {table}"), vec![]).await?;
        }
        return Ok(());
    }
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

/// One row in `COPY`'s text format: values separated by tabs, `\N` for
/// NULL, backslash, tab, newline and carriage return escaped.
fn copy_line(out: &mut String, row: &[P]) {
    use std::fmt::Write;
    for (i, v) in row.iter().enumerate() {
        if i > 0 {
            out.push('\t');
        }
        let text = match v {
            P::Text(None) | P::Uuid(None) | P::I64(None) | P::Date(None) | P::OptTs(None) => {
                out.push_str("\\N");
                continue;
            }
            P::Text(Some(s)) => s.clone(),
            P::Uuid(Some(u)) => u.to_string(),
            P::I64(Some(n)) => n.to_string(),
            P::Bool(b) => (if *b { "t" } else { "f" }).to_owned(),
            P::Date(Some(d)) => d.to_string(),
            P::Ts(t) | P::OptTs(Some(t)) => t.format("%Y-%m-%d %H:%M:%S%.6f+00").to_string(),
            P::Json(j) => j.to_string(),
            P::Bytes(b) => {
                let mut h = String::with_capacity(2 + 2 * b.len());
                h.push_str("\\x");
                for x in b {
                    let _ = write!(h, "{x:02x}");
                }
                h
            }
            // An array in COPY's text form: {id,id}.
            P::Uuids(ids) => {
                let ids: Vec<String> = ids.iter().map(Uuid::to_string).collect();
                format!("{{{}}}", ids.join(","))
            }
        };
        for c in text.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\t' => out.push_str("\\t"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                c => out.push(c),
            }
        }
    }
    out.push('\n');
}

/// New people, systems (with their sets) and role assignments, written in
/// bulk (multi-row `INSERT … VALUES`, a few hundred rows a statement) instead
/// of one statement per row: at 10,000 rows, one statement each made the
/// import cost 90,000 round trips. The import and the demo load use it.
#[derive(Default)]
pub(crate) struct Bulk {
    pub(crate) people: Vec<Vec<P>>,
    pub(crate) systems: Vec<Vec<P>>,
    /// The systems in `systems`, not yet written.
    pub(crate) system_ids: HashSet<SystemId>,
    pub(crate) units: Vec<Vec<P>>,
    pub(crate) links: Vec<Vec<P>>,
    pub(crate) capabilities: Vec<Vec<P>>,
    pub(crate) tags: Vec<Vec<P>>,
    pub(crate) roles: Vec<Vec<P>>,
}

impl Bulk {
    /// A person; the e-mail address is kept in lower case.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn add_person(
        &mut self,
        id: PersonId,
        org: OrgId,
        name: &str,
        email: Option<&str>,
        title: Option<&str>,
        unit: Option<UnitId>,
        active: bool,
        at: DateTime<Utc>,
    ) {
        self.people.push(params![
            id.0,
            org.0,
            name,
            name_key(name),
            crate::people::search_text(name, email),
            email.map(str::to_lowercase),
            title,
            unit.map(|u| u.0),
            active,
            at,
            at
        ]);
    }

    /// A role held on a system from `start` on, without an end.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn add_system_role(
        &mut self,
        id: AssignmentId,
        org: OrgId,
        role: RoleTypeId,
        person: PersonId,
        system: SystemId,
        start: NaiveDate,
        note: Option<String>,
        at: DateTime<Utc>,
    ) {
        self.roles.push(params![
            id.0,
            org.0,
            role.0,
            person.0,
            system.0,
            None::<Uuid>,
            start,
            None::<NaiveDate>,
            note,
            at,
            at
        ]);
    }

    pub(crate) fn add_system(
        &mut self,
        org: OrgId,
        id: SystemId,
        d: &SystemDraft,
        at: DateTime<Utc>,
    ) {
        self.systems
            .push([params![id.0, org.0], row_values(d), params![false, at, at]].concat());
        self.system_ids.insert(id);
        for u in &d.using_unit_ids {
            self.units.push(params![id.0, u.0]);
        }
        for (i, l) in d.doc_links.iter().enumerate() {
            self.links
                .push(params![id.0, i as i64, l.label.as_str(), l.url.as_str()]);
        }
        for c in &d.capabilities {
            self.capabilities.push(params![id.0, c.as_str()]);
        }
        for t in &d.tags {
            self.tags.push(params![id.0, t.as_str()]);
        }
    }

    /// Writes everything pending, referenced rows first.
    pub(crate) async fn flush(&mut self, tx: &mut Tx) -> Result<()> {
        let p = std::mem::take(self);
        insert_rows(
            tx,
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
            p.people,
        )
        .await?;
        insert_rows(
            tx,
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
            p.systems,
        )
        .await?;
        insert_rows(tx, "system_units", &["system_id", "unit_id"], p.units).await?;
        insert_rows(
            tx,
            "system_links",
            &["system_id", "position", "label", "url"],
            p.links,
        )
        .await?;
        insert_rows(
            tx,
            "system_capabilities",
            &["system_id", "capability"],
            p.capabilities,
        )
        .await?;
        insert_rows(tx, "system_tags", &["system_id", "tag"], p.tags).await?;
        insert_rows(
            tx,
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
            p.roles,
        )
        .await?;
        Ok(())
    }
}
