//! The product catalogue, shared by all organisations.

use crate::audit::{self, Actor, Change};
use crate::db::{DbRow, Queryable, Result, now};
use crate::{Store, name_key, params};
use insyn_domain::*;

const COLS: &str = "id, name, vendor, description, updated_at";

fn product(r: &dyn DbRow) -> Result<Product> {
    Ok(Product {
        id: ProductId(r.uuid("id")?),
        name: r.text("name")?,
        vendor: r.opt_text("vendor")?,
        description: r.opt_text("description")?,
        updated_at: r.ts("updated_at")?,
    })
}

impl Store {
    pub async fn list_products(&self) -> Result<Vec<Product>> {
        self.db
            .read()
            .all(
                &format!("SELECT {COLS} FROM products ORDER BY name_key, id"),
                vec![],
                product,
            )
            .await
    }

    pub async fn get_product(&self, id: ProductId) -> Result<Product> {
        fetch(&mut self.db.read(), id).await
    }

    pub async fn create_product(&self, actor: &Actor, draft: ProductDraft) -> Result<Product> {
        self.create_product_with_id(actor, ProductId::new(), draft)
            .await
    }

    pub async fn create_product_with_id(
        &self,
        actor: &Actor,
        id: ProductId,
        draft: ProductDraft,
    ) -> Result<Product> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        let at = now();
        tx.execute(
            "INSERT INTO products (id, name, name_key, vendor, description, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
            params![id.0, d.name.as_str(), name_key(&d.name), d.vendor.clone(), d.description.clone(), at],
        )
        .await?;
        let created = fetch(&mut tx, id).await?;
        Change::created(None, AuditObject::Product, id.0, &created)
            .commit(tx, actor)
            .await?;
        Ok(created)
    }

    pub async fn update_product(
        &self,
        actor: &Actor,
        id: ProductId,
        draft: ProductDraft,
    ) -> Result<Product> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, id).await?;
        tx.execute(
            "UPDATE products SET name = $2, name_key = $3, vendor = $4, description = $5, updated_at = $6 WHERE id = $1",
            params![id.0, d.name.as_str(), name_key(&d.name), d.vendor.clone(), d.description.clone(), now()],
        )
        .await?;
        let after = fetch(&mut tx, id).await?;
        let changes = audit::diff(Some(&before), Some(&after));
        Change::new(
            None,
            AuditAction::Update,
            AuditObject::Product,
            id.0,
            changes.clone(),
        )
        .record(&mut tx, actor)
        .await?;
        // The catalogue is shared: each organisation with a system of this
        // product sees the change in its own log too.
        let using: Vec<uuid::Uuid> = tx
            .all(
                "SELECT DISTINCT org_id FROM systems WHERE product_id = $1 ORDER BY org_id",
                params![id.0],
                |r| r.uuid("org_id"),
            )
            .await?;
        for org in using {
            Change::new(
                Some(OrgId(org)),
                AuditAction::Update,
                AuditObject::Product,
                id.0,
                changes.clone(),
            )
            .record(&mut tx, actor)
            .await?;
        }
        tx.commit().await?;
        Ok(after)
    }
}

async fn fetch(q: &mut impl Queryable, id: ProductId) -> Result<Product> {
    q.one(
        &format!("SELECT {COLS} FROM products WHERE id = $1"),
        params![id.0],
        product,
    )
    .await
}
