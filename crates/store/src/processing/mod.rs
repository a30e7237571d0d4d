//! Records of processing activities (registerförteckning, GDPR art. 30):
//! each read with its controller's name, its systems (with their approved
//! security plans), information sets, transfers and what art. 30(1) says it
//! still lacks (`insyn_domain::processing::missing`); the writes in
//! `write.rs`, each one transaction with its audit record; the compliance
//! fact "processing_record" (`covered_systems`). Secret by default:
//! `public.rs` never reads these tables.

mod write;

use crate::db::member_of;
use crate::db::{DbRow, Params, Queryable, Result};
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
        processor_agreement_ids: vec![],
    };
    Ok(ProcessingRecord {
        id: ProcessingRecordId(r.uuid("id")?),
        org_id: OrgId(r.uuid("org_id")?),
        draft,
        controller: r.text("controller")?,
        systems: vec![],
        information_sets: vec![],
        processor_agreements: vec![],
        missing: vec![],
        updated_by: r.text("updated_by")?,
        updated_at: r.ts("updated_at")?,
    })
}

/// Fills in the records' systems, sets, processor agreements and
/// transfers, and what each lacks: four queries for the whole slice,
/// however many records it holds.
async fn fill(q: &mut impl Queryable, items: &mut [ProcessingRecord]) -> Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = items.iter().map(|p| p.id.0).collect();
    let mut p = Params::default();
    let member = member_of(q.backend(), &mut p, &ids);
    let systems = q
        .all(
            &format!(
                "SELECT l.processing_record_id AS record, s.id, s.name, \
                 (SELECT MAX(sp.version) FROM security_plans sp \
                 WHERE sp.system_id = s.id AND sp.status = 'approved') AS plan \
                 FROM processing_record_systems l JOIN systems s ON s.id = l.system_id \
                 WHERE l.processing_record_id {member} ORDER BY s.name_key, s.id"
            ),
            p.0,
            |r| {
                let s = LinkedSystem {
                    id: SystemId(r.uuid("id")?),
                    name: r.text("name")?,
                    approved_plan_version: r.opt_i32("plan")?.map(i64::from),
                };
                Ok((r.uuid("record")?, s))
            },
        )
        .await?;
    let mut p = Params::default();
    let member = member_of(q.backend(), &mut p, &ids);
    let sets = q
        .all(
            &format!(
                "SELECT l.processing_record_id AS record, i.id, i.system_id, i.name, \
                 i.personal_data, i.sensitive_personal_data \
                 FROM processing_record_sets l JOIN information_sets i ON i.id = l.information_set_id \
                 WHERE l.processing_record_id {member} ORDER BY i.name, i.id"
            ),
            p.0,
            |r| {
                let s = LinkedSet {
                    id: r.uuid("id")?,
                    system_id: SystemId(r.uuid("system_id")?),
                    name: r.text("name")?,
                    personal_data: r.bool("personal_data")?,
                    sensitive_personal_data: r.bool("sensitive_personal_data")?,
                };
                Ok((r.uuid("record")?, s))
            },
        )
        .await?;
    let mut p = Params::default();
    let member = member_of(q.backend(), &mut p, &ids);
    let transfers = q
        .all(
            &format!(
                "SELECT processing_record_id AS record, country, mechanism \
                 FROM processing_transfers WHERE processing_record_id {member} \
                 ORDER BY position"
            ),
            p.0,
            |r| {
                let t = Transfer {
                    country: r.text("country")?,
                    mechanism: r.opt_text("mechanism")?,
                };
                Ok((r.uuid("record")?, t))
            },
        )
        .await?;
    let mut p = Params::default();
    let member = member_of(q.backend(), &mut p, &ids);
    let agreements = q
        .all(
            &format!(
                "SELECT l.processing_record_id AS record, a.id, s.name AS supplier_name \
                 FROM processing_record_agreements l \
                 JOIN processor_agreements a ON a.id = l.agreement_id \
                 JOIN suppliers s ON s.id = a.supplier_id \
                 WHERE l.processing_record_id {member} ORDER BY s.name_key, a.id"
            ),
            p.0,
            |r| {
                let a = LinkedAgreement {
                    id: ProcessorAgreementId(r.uuid("id")?),
                    supplier_name: r.text("supplier_name")?,
                };
                Ok((r.uuid("record")?, a))
            },
        )
        .await?;
    for it in items.iter_mut() {
        let id = it.id.0;
        it.processor_agreements = pick(&agreements, id);
        it.draft.processor_agreement_ids = it.processor_agreements.iter().map(|a| a.id).collect();
        it.draft.processor_agreement_ids.sort();
        it.systems = pick(&systems, id);
        it.information_sets = pick(&sets, id);
        it.draft.transfers = pick(&transfers, id);
        it.draft.system_ids = it.systems.iter().map(|s| s.id).collect();
        it.draft.system_ids.sort();
        it.draft.information_set_ids = it.information_sets.iter().map(|s| s.id).collect();
        it.draft.information_set_ids.sort();
        it.missing = missing_keys(&it.draft);
    }
    Ok(())
}

/// The values of `rows` that belong to record `id`, in their order.
fn pick<T: Clone>(rows: &[(Uuid, T)], id: Uuid) -> Vec<T> {
    rows.iter()
        .filter(|(r, _)| *r == id)
        .map(|(_, v)| v.clone())
        .collect()
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
    fill(q, std::slice::from_mut(&mut p)).await?;
    Ok(p)
}

/// The most records one controller's print or export holds.
pub const CONTROLLER_MAX: u32 = 2000;

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
    /// One page of the organisation's records of processing (the
    /// controller's, when one is named), by controller and name.
    pub async fn processing_records(
        &self,
        org: OrgId,
        controller: Controller,
        page: PageRequest,
    ) -> Result<Page<ProcessingRecord>> {
        let mut read = self.db.read();
        let (filter, p) = match controller {
            Controller::Any => ("", params![org.0]),
            Controller::Organisation => (" AND r.unit_id IS NULL", params![org.0]),
            Controller::Unit(u) => (" AND r.unit_id = $2", params![org.0, u.0]),
        };
        let total = read
            .count(
                &format!(
                    "SELECT COUNT(*) AS n FROM processing_records r WHERE r.org_id = $1{filter}"
                ),
                p.clone(),
            )
            .await?;
        let mut p = Params(p);
        let limit = p.push(page.limit());
        let offset = p.push(page.offset());
        let mut items = read
            .all(
                &format!(
                    "SELECT {COLS} FROM {FROM} WHERE r.org_id = $1{filter} \
                     ORDER BY r.unit_id IS NOT NULL, u.name_key, r.name, r.id \
                     LIMIT {limit} OFFSET {offset}"
                ),
                p.0,
                record,
            )
            .await?;
        fill(&mut read, &mut items).await?;
        Ok(Page::of(items, total, page))
    }

    /// Every record of one controller, for its printable register and its
    /// export: at most [`CONTROLLER_MAX`] (a nämnd keeps tens, not
    /// thousands); `total` says how many there are.
    pub async fn controller_processing_records(
        &self,
        org: OrgId,
        controller: Controller,
    ) -> Result<Page<ProcessingRecord>> {
        let all = PageRequest {
            page: 1,
            per_page: CONTROLLER_MAX,
        };
        self.processing_records(org, controller, all).await
    }

    /// The records of processing that name a system (at most 100), by
    /// controller and name: `(id, name, controller)`.
    pub async fn system_processing_records(
        &self,
        org: OrgId,
        system: SystemId,
    ) -> Result<Vec<(ProcessingRecordId, String, String)>> {
        self.db
            .read()
            .all(
                &format!(
                    "SELECT r.id, r.name, COALESCE(u.name, o.name) AS controller FROM {FROM} \
                     JOIN processing_record_systems l ON l.processing_record_id = r.id \
                     WHERE r.org_id = $1 AND l.system_id = $2 \
                     ORDER BY r.unit_id IS NOT NULL, u.name_key, r.name, r.id LIMIT 100"
                ),
                params![org.0, system.0],
                |r| {
                    Ok((
                        ProcessingRecordId(r.uuid("id")?),
                        r.text("name")?,
                        r.text("controller")?,
                    ))
                },
            )
            .await
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
