//! Organisations: a municipality and its companies.

use crate::audit::{Actor, Change};
use crate::db::{DbRow, Queryable, Result, Tx, now};
use crate::{Store, StoreError, params};
use insyn_domain::validation as v;
use insyn_domain::*;

const COLS: &str = "id, slug, name, kind, parent_id, created_at";

fn org(r: &dyn DbRow) -> Result<Organisation> {
    Ok(Organisation {
        id: OrgId(r.uuid("id")?),
        slug: r.text("slug")?,
        name: r.text("name")?,
        kind: OrgKind::parse(&r.text("kind")?).unwrap_or(OrgKind::Municipality),
        parent_id: r.opt_uuid("parent_id")?.map(OrgId),
        created_at: r.ts("created_at")?,
    })
}

impl Store {
    /// Every organisation: each municipality by name, its companies right
    /// after it (an administrator looks for the kommun first).
    pub async fn list_orgs(&self) -> Result<Vec<Organisation>> {
        self.db
            .read()
            .all(
                &format!(
                    "SELECT {COLS} FROM organisations ORDER BY \
                     COALESCE((SELECT p.name FROM organisations p WHERE p.id = organisations.parent_id), name), \
                     COALESCE(parent_id, id), parent_id IS NOT NULL, name, id"
                ),
                vec![],
                org,
            )
            .await
    }

    /// The organisation with this slug; remembered for a while (see [`crate::cache`]).
    pub async fn org_by_slug(&self, slug: &str) -> Result<Organisation> {
        if let Some(o) = self.cache.org(slug) {
            return Ok(o);
        }
        let o = self
            .db
            .read()
            .one(
                &format!("SELECT {COLS} FROM organisations WHERE slug = $1"),
                params![slug],
                org,
            )
            .await?;
        self.cache.put_org(&o);
        Ok(o)
    }

    pub async fn org_by_id(&self, id: OrgId) -> Result<Organisation> {
        self.db
            .read()
            .one(
                &format!("SELECT {COLS} FROM organisations WHERE id = $1"),
                params![id.0],
                org,
            )
            .await
    }

    /// Creates an organisation with the default role types, in one transaction.
    pub async fn create_org(&self, actor: &Actor, draft: OrgDraft) -> Result<Organisation> {
        self.create_org_with_id(actor, OrgId::new(), draft).await
    }

    pub async fn create_org_with_id(
        &self,
        actor: &Actor,
        id: OrgId,
        draft: OrgDraft,
    ) -> Result<Organisation> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        let created = insert_org(&mut tx, id, d).await?;
        Change::created(Some(id), AuditObject::Organisation, id.0, &created)
            .commit(tx, actor)
            .await?;
        Ok(created)
    }
}

/// Inserts an organisation with its default role types and classification
/// scale, inside the caller's transaction (no audit record: the caller writes it).
pub(crate) async fn insert_org(tx: &mut Tx, id: OrgId, d: OrgDraft) -> Result<Organisation> {
    let taken = tx
        .count(
            "SELECT COUNT(*) AS n FROM organisations WHERE slug = $1",
            params![d.slug.as_str()],
        )
        .await?;
    if taken > 0 {
        return Err(StoreError::Invalid(FieldErrors::single("slug", v::TAKEN)));
    }
    if let Some(p) = d.parent_id
        && !tx.exists("organisations", p.0).await?
    {
        return Err(StoreError::Invalid(FieldErrors::single(
            "parent_id",
            v::UNKNOWN_REFERENCE,
        )));
    }
    let at = now();
    tx.execute(
        "INSERT INTO organisations (id, slug, name, kind, parent_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
        params![
            id.0,
            d.slug.as_str(),
            d.name.as_str(),
            d.kind.as_str(),
            d.parent_id.map(|p| p.0),
            at
        ],
    )
    .await?;
    for (i, (code, sv, en, scope, desc)) in DEFAULT_ROLE_TYPES.iter().enumerate() {
        tx.execute(
                "INSERT INTO role_types (id, org_id, code, name_sv, name_en, scope, description, sort_order, grants_edit, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
                params![
                    RoleTypeId::new().0,
                    id.0,
                    *code,
                    *sv,
                    *en,
                    scope.as_str(),
                    *desc,
                    i as i64 * 10,
                    EDITING_ROLES.contains(code),
                    at
                ],
            )
            .await?;
    }
    for (level, sv, en) in insyn_domain::security::DEFAULT_SCALE {
        tx.execute(
                "INSERT INTO classification_levels (org_id, level, name_sv, name_en) VALUES ($1, $2, $3, $4)",
                params![id.0, i64::from(*level), *sv, *en],
            )
            .await?;
    }
    let created = Organisation {
        id,
        slug: d.slug,
        name: d.name,
        kind: d.kind,
        parent_id: d.parent_id,
        created_at: at,
    };
    Ok(created)
}
