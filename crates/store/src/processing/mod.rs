//! Records of processing activities (registerförteckning, GDPR art. 30):
//! each read with its controller's name, its systems (with their approved
//! security plans), information sets, transfers and what art. 30(1) says it
//! still lacks (`insyn_domain::processing::missing`); the writes in
//! `write.rs`, each one transaction with its audit record; the compliance
//! fact "processing_record" (`covered_systems`). Secret by default:
//! `public.rs` never reads these tables.

mod write;

use crate::db::{DbRow, Queryable, Result};
use crate::{Store, params};
use chrono::NaiveDate;
use insyn_domain::processing::*;
use insyn_domain::*;
use uuid::Uuid;

const COLS: &str = "r.id, r.org_id, r.unit_id, r.name, r.contact, r.purposes, r.legal_basis, \
     r.legal_reference, r.data_subjects, r.data_categories, r.sensitive_data, r.offence_data, \
     r.personal_numbers, r.recipients, r.processors, r.retention, r.security_measures, \
     r.dpia_required, r.dpia_reason, r.dpia_date, r.dpia_result, r.dpia_next_review, \
     r.updated_by, r.updated_at, COALESCE(u.name, o.name) AS controller";
const FROM: &str = "processing_records r JOIN organisations o ON o.id = r.org_id \
     LEFT JOIN units u ON u.id = r.unit_id";

/// How `dpia_required` is kept: `yes`, `no`, or empty until decided.
fn yes_no(b: Option<bool>) -> Option<&'static str> {
    b.map(|b| if b { "yes" } else { "no" })
}

fn record(r: &dyn DbRow) -> Result<ProcessingRecord> {
    let draft = ProcessingDraft {
        unit_id: r.opt_uuid("unit_id")?.map(UnitId),
        name: r.text("name")?,
        contact: r.opt_text("contact")?,
        purposes: r.opt_text("purposes")?,
        legal_basis: crate::decommission::opt_word(r, "legal_basis", LegalBasis::parse)?,
        legal_reference: r.opt_text("legal_reference")?,
        data_subjects: r.opt_text("data_subjects")?,
        data_categories: r.opt_text("data_categories")?,
        sensitive_data: r.bool("sensitive_data")?,
        offence_data: r.bool("offence_data")?,
        personal_numbers: r.bool("personal_numbers")?,
        recipients: r.opt_text("recipients")?,
        processors: r.opt_text("processors")?,
        transfers: vec![],
        retention: r.opt_text("retention")?,
        security_measures: r.opt_text("security_measures")?,
        dpia_required: r.opt_text("dpia_required")?.map(|s| s == "yes"),
        dpia_reason: r.opt_text("dpia_reason")?,
        dpia_date: r.opt_date("dpia_date")?,
        dpia_result: r.opt_text("dpia_result")?,
        dpia_next_review: r.opt_date("dpia_next_review")?,
        system_ids: vec![],
        information_set_ids: vec![],
    };
    Ok(ProcessingRecord {
        id: ProcessingRecordId(r.uuid("id")?),
        org_id: OrgId(r.uuid("org_id")?),
        draft,
        controller: r.text("controller")?,
        systems: vec![],
        information_sets: vec![],
        missing: vec![],
        updated_by: r.text("updated_by")?,
        updated_at: r.ts("updated_at")?,
    })
}

/// Fills in a record's systems, sets and transfers, and what it lacks.
async fn fill(q: &mut impl Queryable, p: &mut ProcessingRecord) -> Result<()> {
    let id = p.id.0;
    p.systems = q
        .all(
            "SELECT s.id, s.name, (SELECT MAX(sp.version) FROM security_plans sp \
             WHERE sp.system_id = s.id AND sp.status = 'approved') AS plan \
             FROM processing_record_systems l JOIN systems s ON s.id = l.system_id \
             WHERE l.processing_record_id = $1 ORDER BY s.name_key, s.id",
            params![id],
            |r| {
                Ok(LinkedSystem {
                    id: SystemId(r.uuid("id")?),
                    name: r.text("name")?,
                    approved_plan_version: r.opt_i32("plan")?.map(i64::from),
                })
            },
        )
        .await?;
    p.information_sets = q
        .all(
            "SELECT i.id, i.system_id, i.name, i.personal_data, i.sensitive_personal_data \
             FROM processing_record_sets l JOIN information_sets i ON i.id = l.information_set_id \
             WHERE l.processing_record_id = $1 ORDER BY i.name, i.id",
            params![id],
            |r| {
                Ok(LinkedSet {
                    id: r.uuid("id")?,
                    system_id: SystemId(r.uuid("system_id")?),
                    name: r.text("name")?,
                    personal_data: r.bool("personal_data")?,
                    sensitive_personal_data: r.bool("sensitive_personal_data")?,
                })
            },
        )
        .await?;
    p.draft.transfers = q
        .all(
            "SELECT country, mechanism FROM processing_transfers \
             WHERE processing_record_id = $1 ORDER BY position",
            params![id],
            |r| {
                Ok(Transfer {
                    country: r.text("country")?,
                    mechanism: r.opt_text("mechanism")?,
                })
            },
        )
        .await?;
    p.draft.system_ids = p.systems.iter().map(|s| s.id).collect();
    p.draft.system_ids.sort();
    p.draft.information_set_ids = p.information_sets.iter().map(|s| s.id).collect();
    p.draft.information_set_ids.sort();
    p.missing = missing_keys(&p.draft);
    Ok(())
}

async fn fetch(
    q: &mut impl Queryable,
    org: OrgId,
    id: ProcessingRecordId,
) -> Result<ProcessingRecord> {
    let mut p = q
        .one(
            &format!("SELECT {COLS} FROM {FROM} WHERE r.org_id = $1 AND r.id = $2"),
            params![org.0, id.0],
            record,
        )
        .await?;
    fill(q, &mut p).await?;
    Ok(p)
}

/// Which records a list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Controller {
    /// Every controller's.
    #[default]
    Any,
    /// The organisation's own (no unit).
    Organisation,
    /// One unit's (nämnd).
    Unit(UnitId),
}

/// The compliance fact "processing_record": each system named in a record
/// of the organisation, on the day that record was last changed.
pub(crate) async fn covered_systems(
    q: &mut impl Queryable,
    org: OrgId,
    only: Option<SystemId>,
) -> Result<Vec<(Uuid, NaiveDate)>> {
    let (filter, p) = match only {
        Some(s) => (" AND l.system_id = $2", params![org.0, s.0]),
        None => ("", params![org.0]),
    };
    q.all(
        &format!(
            "SELECT l.system_id, r.updated_at FROM processing_record_systems l \
             JOIN processing_records r ON r.id = l.processing_record_id WHERE l.org_id = $1{filter}"
        ),
        p,
        |r| Ok((r.uuid("system_id")?, r.ts("updated_at")?.date_naive())),
    )
    .await
}

impl Store {
    /// The organisation's records of processing, by controller and name.
    pub async fn processing_records(
        &self,
        org: OrgId,
        controller: Controller,
    ) -> Result<Vec<ProcessingRecord>> {
        let mut read = self.db.read();
        let (filter, p) = match controller {
            Controller::Any => ("", params![org.0]),
            Controller::Organisation => (" AND r.unit_id IS NULL", params![org.0]),
            Controller::Unit(u) => (" AND r.unit_id = $2", params![org.0, u.0]),
        };
        let mut items = read
            .all(
                &format!(
                    "SELECT {COLS} FROM {FROM} WHERE r.org_id = $1{filter} \
                     ORDER BY r.unit_id IS NOT NULL, u.name_key, r.name, r.id"
                ),
                p,
                record,
            )
            .await?;
        for it in &mut items {
            fill(&mut read, it).await?;
        }
        Ok(items)
    }

    /// One record of processing of the organisation.
    pub async fn processing_record(
        &self,
        org: OrgId,
        id: ProcessingRecordId,
    ) -> Result<ProcessingRecord> {
        fetch(&mut self.db.read(), org, id).await
    }
}
