//! Documents registered on a system (the kinds the profile asks for).

use super::system_in_org;
use crate::audit::{Actor, Change};
use crate::db::{DbRow, Queryable, Result, now};
use crate::{Store, params};
use chrono::{DateTime, NaiveDate, Utc};
use insyn_domain::validation as v;
use insyn_domain::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A document registered on a system (a continuity plan, a management plan …).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SystemDocument {
    pub id: Uuid,
    pub system_id: SystemId,
    pub kind: String,
    pub title: String,
    pub reference: Option<String>,
    pub dated: NaiveDate,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DocumentDraft {
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub reference: Option<String>,
    pub dated: NaiveDate,
}

fn document(r: &dyn DbRow) -> Result<SystemDocument> {
    Ok(SystemDocument {
        id: r.uuid("id")?,
        system_id: SystemId(r.uuid("system_id")?),
        kind: r.text("kind")?,
        title: r.text("title")?,
        reference: r.opt_text("reference")?,
        dated: r.date("dated")?,
        recorded_by: r.text("recorded_by")?,
        recorded_at: r.ts("recorded_at")?,
    })
}

impl Store {
    pub async fn documents(&self, org: OrgId, system: SystemId) -> Result<Vec<SystemDocument>> {
        self.db
            .read()
            .all(
                "SELECT id, system_id, kind, title, reference, dated, recorded_by, recorded_at \
                 FROM system_documents WHERE org_id = $1 AND system_id = $2 ORDER BY dated DESC, recorded_at DESC",
                params![org.0, system.0],
                document,
            )
            .await
    }

    pub async fn record_document(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        d: DocumentDraft,
    ) -> Result<SystemDocument> {
        let mut e = FieldErrors::new();
        let kind = d.kind.trim().to_owned();
        // Only the kinds the profile asks for: a classification, plan, approval
        // or decision is met through its own workflow, never by a document.
        let profile = self.active_profile(org).await?;
        let kinds = profile.profile.document_kinds();
        if kind.is_empty() {
            e.add("kind", v::REQUIRED);
        } else if !kinds.contains(&kind.as_str()) {
            e.add_choice("kind", &kinds);
        }
        let title = v::required_text(&mut e, "title", &d.title, 300);
        let reference = v::optional_text(&mut e, "reference", d.reference.as_deref(), 1000);
        if !e.is_empty() {
            return Err(e.into());
        }
        let mut tx = self.db.begin().await?;
        system_in_org(&mut tx, org, system).await?;
        let doc = SystemDocument {
            id: Uuid::now_v7(),
            system_id: system,
            kind,
            title,
            reference,
            dated: d.dated,
            recorded_by: actor.name.clone(),
            recorded_at: now(),
        };
        tx.execute(
            "INSERT INTO system_documents (id, org_id, system_id, kind, title, reference, dated, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            params![doc.id, org.0, system.0, doc.kind.as_str(), doc.title.as_str(), doc.reference.clone(), doc.dated, doc.recorded_by.as_str(), doc.recorded_at],
        )
        .await?;
        Change::created(Some(org), AuditObject::SystemDocument, doc.id, &doc)
            .commit(tx, actor)
            .await?;
        Ok(doc)
    }
}
