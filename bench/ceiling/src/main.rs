//! `insyn-ceiling DATABASE_FILE ORG_SLUG ADDR`: serves
//!
//! * `GET /systems?page=N` — the page of 50 systems in operation, sorted by
//!   name, with the same fields as insyn's API list (`items`, `total`, `page`,
//!   `per_page`; each item every field of insyn's `System`);
//! * `GET /systems/{id}` — one system, the same fields.
//!
//! from the SQLite file insyn's demo wrote, read-only, with one connection
//! per worker thread and the statements cached: what any server must at
//! least do for these answers. The total comes from the counts insyn
//! maintains (`system_counts`), as insyn's own list reads it. scripts/bench.sh runs the same wrk cases
//! against it and insyn and prints insyn's figure as a ratio of this one.

use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use serde_json::{Map, Value, json};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

const PER_PAGE: i64 = 50;
/// The columns of insyn's `System` stored in the row itself.
const COLS: &str = "id, org_id, name, short_name, description, purpose, responsible_unit_id, \
    vendor, product_id, version, hosting, user_count, business_critical, lifecycle, go_live_date, \
    end_date, licence_model, licence_count, escalation_route, notes, archived, created_at, updated_at";

static DB: OnceLock<(String, Vec<u8>)> = OnceLock::new();

thread_local! {
    static CONN: RefCell<Option<Connection>> = const { RefCell::new(None) };
}

type Failed = (StatusCode, String);

fn failed(e: impl std::fmt::Display) -> Failed {
    (StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
}

/// Runs `f` on this thread's read-only connection.
fn with_conn<T>(f: impl FnOnce(&Connection, &[u8]) -> rusqlite::Result<T>) -> Result<T, Failed> {
    let (path, org) = DB.get().ok_or_else(|| failed("not started"))?;
    CONN.with(|c| {
        let mut c = c.borrow_mut();
        if c.is_none() {
            let conn = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            conn.set_prepared_statement_cache_capacity(32);
            *c = Some(conn);
        }
        f(c.as_ref().expect("opened above"), org)
    })
    .map_err(failed)
}

fn uuid_text(v: rusqlite::types::ValueRef<'_>) -> Value {
    match v {
        rusqlite::types::ValueRef::Blob(b) => uuid::Uuid::from_slice(b)
            .map(|u| Value::String(u.to_string()))
            .unwrap_or(Value::Null),
        rusqlite::types::ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into()),
        _ => Value::Null,
    }
}

fn plain(v: rusqlite::types::ValueRef<'_>) -> Value {
    use rusqlite::types::ValueRef as V;
    match v {
        V::Null => Value::Null,
        V::Integer(i) => i.into(),
        V::Real(f) => f.into(),
        V::Text(t) => Value::String(String::from_utf8_lossy(t).into()),
        V::Blob(_) => uuid_text(v),
    }
}

/// A row of `COLS` as insyn's `System` (the sets added after).
fn system_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Vec<u8>, Map<String, Value>)> {
    let mut m = Map::new();
    let names = COLS.split(", ").map(str::trim);
    for (i, name) in names.enumerate() {
        let v = r.get_ref(i)?;
        let v = match name {
            // Stored as RFC 3339 with +00:00; insyn writes them with Z.
            "created_at" | "updated_at" => match plain(v) {
                Value::String(t) => Value::String(match t.strip_suffix("+00:00") {
                    Some(head) => format!("{head}Z"),
                    None => t,
                }),
                other => other,
            },
            "business_critical" | "archived" => {
                Value::Bool(matches!(v, rusqlite::types::ValueRef::Integer(1)))
            }
            _ => plain(v),
        };
        m.insert(name.to_owned(), v);
    }
    for set in ["using_unit_ids", "doc_links", "capabilities", "tags"] {
        m.insert(set.to_owned(), Value::Array(vec![]));
    }
    Ok((r.get(0)?, m))
}

/// The four sets of the given systems in one statement, as insyn reads them.
fn add_sets(
    conn: &Connection,
    systems: &mut [(Vec<u8>, Map<String, Value>)],
) -> rusqlite::Result<()> {
    if systems.is_empty() {
        return Ok(());
    }
    let marks = vec!["?"; systems.len()].join(", ");
    let sql = format!(
        "SELECT system_id, 0 AS k, unit_id AS unit, NULL AS a, NULL AS b, 0 AS pos \
         FROM system_units WHERE system_id IN ({marks}) \
         UNION ALL SELECT system_id, 1, NULL, label, url, position FROM system_links WHERE system_id IN ({marks}) \
         UNION ALL SELECT system_id, 2, NULL, capability, NULL, 0 FROM system_capabilities WHERE system_id IN ({marks}) \
         UNION ALL SELECT system_id, 3, NULL, tag, NULL, 0 FROM system_tags WHERE system_id IN ({marks}) \
         ORDER BY 2, 6, 3"
    );
    let idx: HashMap<Vec<u8>, usize> = systems
        .iter()
        .enumerate()
        .map(|(i, s)| (s.0.clone(), i))
        .collect();
    let ids: Vec<&[u8]> = systems.iter().map(|s| s.0.as_slice()).collect();
    let all: Vec<&dyn rusqlite::ToSql> = (0..4)
        .flat_map(|_| ids.iter().map(|i| i as &dyn rusqlite::ToSql))
        .collect();
    let mut st = conn.prepare_cached(&sql)?;
    let mut rows = st.query(all.as_slice())?;
    while let Some(r) = rows.next()? {
        let id: Vec<u8> = r.get(0)?;
        let Some(&i) = idx.get(&id) else { continue };
        let k: i64 = r.get(1)?;
        let (set, v) = match k {
            0 => ("using_unit_ids", uuid_text(r.get_ref(2)?)),
            1 => (
                "doc_links",
                json!({ "label": plain(r.get_ref(3)?), "url": plain(r.get_ref(4)?) }),
            ),
            2 => ("capabilities", plain(r.get_ref(3)?)),
            _ => ("tags", plain(r.get_ref(3)?)),
        };
        if let Some(Value::Array(a)) = systems[i].1.get_mut(set) {
            a.push(v);
        }
    }
    // insyn keeps capabilities and tags sorted.
    for (_, m) in systems.iter_mut() {
        for set in ["capabilities", "tags"] {
            if let Some(Value::Array(a)) = m.get_mut(set) {
                a.sort_by(|x, y| x.as_str().cmp(&y.as_str()));
            }
        }
    }
    Ok(())
}

#[derive(serde::Deserialize)]
struct PageQuery {
    page: Option<i64>,
}

async fn list(Query(q): Query<PageQuery>) -> Result<Json<Value>, Failed> {
    let page = q.page.unwrap_or(1).max(1);
    let (items, total) = with_conn(|conn, org| {
        let total: i64 = conn
            .prepare_cached(
                "SELECT COALESCE(SUM(n), 0) FROM system_counts \
                 WHERE org_id = ?1 AND archived = FALSE AND lifecycle = 'in_operation'",
            )?
            .query_row(params![org], |r| r.get(0))?;
        let mut st = conn.prepare_cached(&format!(
            "SELECT {COLS} FROM systems WHERE org_id = ?1 AND archived = FALSE \
             AND lifecycle = 'in_operation' ORDER BY name_key, id LIMIT ?2 OFFSET ?3"
        ))?;
        let mut items = st
            .query_map(params![org, PER_PAGE, (page - 1) * PER_PAGE], system_of)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        add_sets(conn, &mut items)?;
        Ok((items, total))
    })?;
    let items: Vec<Value> = items.into_iter().map(|(_, m)| Value::Object(m)).collect();
    Ok(Json(json!({
        "items": items, "total": total, "page": page, "per_page": PER_PAGE
    })))
}

async fn one(Path(id): Path<String>) -> Result<Response, Failed> {
    let Ok(id) = uuid::Uuid::parse_str(&id) else {
        return Ok(StatusCode::NOT_FOUND.into_response());
    };
    let found = with_conn(|conn, org| {
        let mut st = conn.prepare_cached(&format!(
            "SELECT {COLS} FROM systems WHERE org_id = ?1 AND id = ?2"
        ))?;
        let Some(s) = st
            .query_row(params![org, id.as_bytes().as_slice()], system_of)
            .optional()?
        else {
            return Ok(None);
        };
        let mut one = [s];
        add_sets(conn, &mut one)?;
        let [s] = one;
        Ok(Some(s.1))
    })?;
    Ok(match found {
        Some(m) => Json(Value::Object(m)).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    })
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, path, slug, addr] = args.as_slice() else {
        eprintln!("usage: insyn-ceiling DATABASE_FILE ORG_SLUG ADDR");
        std::process::exit(2);
    };
    let org: Vec<u8> = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|c| {
            c.query_row(
                "SELECT id FROM organisations WHERE slug = ?1",
                [slug],
                |r| r.get(0),
            )
        })
        .unwrap_or_else(|e| {
            eprintln!("insyn-ceiling: no organisation {slug} in {path}: {e}");
            std::process::exit(1);
        });
    DB.set((path.clone(), org)).expect("set once");
    let app = Router::new()
        .route("/systems", get(list))
        .route("/systems/{id}", get(one))
        .route("/healthz", get(|| async { "ok" }));
    let listener = tokio::net::TcpListener::bind(addr.as_str())
        .await
        .unwrap_or_else(|e| {
            eprintln!("insyn-ceiling: cannot listen on {addr}: {e}");
            std::process::exit(1);
        });
    axum::serve(listener, app).await.expect("serve");
}
