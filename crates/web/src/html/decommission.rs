//! The system's "Avveckling" tab: the record types of the information
//! management plan, the media that held the system's data with their
//! erasure records, and the decommissioning case with its gates in words;
//! the owner closes the case (or signs an exception with a reason). A
//! printable report (A4) beside it.

use super::continuity::Words;
use super::*;
use crate::context::SystemPath;
use insyn_domain::auth::OnSystem;
use insyn_domain::decommission::*;
use insyn_store::decommission::CaseView;

#[derive(Template)]
#[template(path = "decommission.html")]
pub(in crate::html) struct DecommissionPage {
    w: Words,
    c: Chrome,
    s: System,
    can: OnSystem,
    case: Option<CaseView>,
    record_types: Vec<RecordType>,
    erasures: Vec<Erasure>,
    /// The systems that may receive the information (editors only).
    systems: Vec<SystemRow>,
    /// The target system's name, when one is set.
    target: Option<String>,
    /// The record type or erasure record being changed (`?edit=`), if any.
    edit: Option<uuid::Uuid>,
}

#[derive(Template)]
#[template(path = "decommission_print.html")]
pub(in crate::html) struct DecommissionPrint {
    c: Chrome,
    s: System,
    case: CaseView,
    record_types: Vec<RecordType>,
    erasures: Vec<Erasure>,
    target: Option<String>,
}

/// The words both views use.
pub(in crate::html) trait Wording {
    fn chrome(&self) -> &Chrome;

    fn gate(&self, g: &Gate) -> String {
        self.chrome().t(g.key())
    }

    fn status(&self, s: &CaseStatus) -> String {
        self.chrome().t(&format!(
            "decommission-status-{}",
            s.as_str().replace('_', "-")
        ))
    }

    fn disposition(&self, d: &Disposition) -> String {
        self.chrome().t(&format!("record-type-{}", d.as_str()))
    }

    fn method_word(&self, m: &ErasureMethod) -> String {
        self.chrome().t(&format!("erasure-method-{}", m.as_str()))
    }

    fn method(&self, m: &Option<ErasureMethod>) -> String {
        m.map(|m| self.method_word(&m))
            .unwrap_or_else(|| "–".into())
    }

    fn result_word(&self, r: &VerificationResult) -> String {
        self.chrome().t(&format!("erasure-result-{}", r.as_str()))
    }

    fn result(&self, r: &Option<VerificationResult>) -> String {
        r.map(|r| self.result_word(&r))
            .unwrap_or_else(|| "–".into())
    }

    fn text(&self, t: &Option<String>) -> String {
        t.clone().unwrap_or_else(|| "–".into())
    }
}

impl Wording for DecommissionPage {
    fn chrome(&self) -> &Chrome {
        &self.c
    }
}

impl Wording for DecommissionPrint {
    fn chrome(&self) -> &Chrome {
        &self.c
    }
}

impl DecommissionPage {
    pub fn base(&self) -> String {
        format!("/o/{}/systems/{}", self.c.org_slug(), self.s.id)
    }

    /// The record type being changed, if any.
    fn editing_type(&self) -> Option<&RecordTypeDraft> {
        let id = self.edit?;
        self.record_types
            .iter()
            .find(|t| t.id == id)
            .map(|t| &t.draft)
    }

    /// The erasure record being changed, if any.
    fn editing_erasure(&self) -> Option<&ErasureDraft> {
        let id = self.edit?;
        self.erasures.iter().find(|e| e.id == id).map(|e| &e.draft)
    }

    /// Where the record type form posts: the one being changed, or a new one.
    pub fn type_action(&self) -> String {
        match self.editing_type() {
            Some(_) => format!(
                "{}/record-types/{}",
                self.base(),
                self.edit.unwrap_or_default()
            ),
            None => format!("{}/record-types", self.base()),
        }
    }

    /// Where the erasure form posts: the record being changed, or a new one.
    pub fn erasure_action(&self) -> String {
        match self.editing_erasure() {
            Some(_) => format!("{}/erasures/{}", self.base(), self.edit.unwrap_or_default()),
            None => format!("{}/erasures", self.base()),
        }
    }

    pub fn is_editing_type(&self) -> bool {
        self.editing_type().is_some()
    }

    pub fn is_editing_erasure(&self) -> bool {
        self.editing_erasure().is_some()
    }

    /// A record type field: as posted, else the one being changed.
    pub fn tv(&self, name: &str) -> String {
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
        let stored = self.editing_type().and_then(|d| match name {
            "name" => Some(d.name.clone()),
            "disposition" => Some(d.disposition.as_str().to_owned()),
            "disposal_period" => d.disposal_period.clone(),
            "decision_reference" => d.decision_reference.clone(),
            "decision_date" => date(d.decision_date),
            "archive_format" => d.archive_format.clone(),
            "delivery_deadline" => date(d.delivery_deadline),
            "delivered_on" => date(d.delivered_on),
            "delivery_reference" => d.delivery_reference.clone(),
            _ => d.note.clone(),
        });
        self.w.value("record-type", name, stored)
    }

    /// An erasure field: as posted, else the record being changed.
    pub fn ev(&self, name: &str) -> String {
        let stored = self.editing_erasure().and_then(|d| match name {
            "medium_type" => Some(d.medium_type.clone()),
            "serial" => d.serial.clone(),
            "method" => d.method.map(|m| m.as_str().to_owned()),
            "tool" => d.tool.clone(),
            "tool_version" => d.tool_version.clone(),
            "operator" => d.operator.clone(),
            "erased_on" => d.erased_on.map(|d| d.to_string()),
            "verified_by" => d.verified_by.clone(),
            "verification_method" => d.verification_method.clone(),
            "verification_result" => d.verification_result.map(|r| r.as_str().to_owned()),
            "certificate_reference" => d.certificate_reference.clone(),
            _ => d.note.clone(),
        });
        self.w.value("erasure", name, stored)
    }

    pub fn dispositions(&self) -> &'static [Disposition] {
        Disposition::ALL
    }

    pub fn methods(&self) -> &'static [ErasureMethod] {
        ErasureMethod::ALL
    }

    pub fn results(&self) -> &'static [VerificationResult] {
        VerificationResult::ALL
    }

    /// No case yet, or an open one: the case form is shown.
    pub fn case_open_or_none(&self) -> bool {
        self.case
            .as_ref()
            .is_none_or(|c| c.case.status == CaseStatus::Open)
    }

    /// The case form's fields, as typed or stored.
    pub fn case_value(&self, name: &str) -> String {
        let d = self
            .case
            .as_ref()
            .map(|c| c.case.draft.clone())
            .unwrap_or_default();
        let stored = match name {
            "decided_by" => d.decided_by,
            "decided_on" => d.decided_on.map(|x| x.to_string()),
            "decision_reference" => d.decision_reference,
            "planned_on" => d.planned_on.map(|x| x.to_string()),
            "target_system_id" => self.target.clone(),
            _ => d.note,
        };
        self.w.value("case", name, stored)
    }
}

async fn target_name(cx: &Cx, org: OrgId, case: &Option<CaseView>) -> AppResult<Option<String>> {
    match case.as_ref().and_then(|c| c.case.draft.target_system_id) {
        Some(t) => Ok(Some(cx.store().get_system(org, t).await?.name)),
        None => Ok(None),
    }
}

/// The tab's query: which record type or erasure record to change.
#[derive(Debug, Default, serde::Deserialize)]
pub(in crate::html) struct EditQuery {
    #[serde(default)]
    edit: Option<String>,
}

async fn view(
    cx: &Cx,
    org: Organisation,
    sid: SystemId,
    w: Option<Words>,
    edit: Option<uuid::Uuid>,
) -> AppResult<Response> {
    let store = cx.store();
    let s = store.get_system(org.id, sid).await?;
    let can = cx.on_system(org.id, sid).await?;
    let case = store
        .decommission_case(org.id, sid, crate::nav::today())
        .await?;
    let systems = if can.edit {
        super::integrations::other_systems(cx, org.id, sid, None).await?
    } else {
        vec![]
    };
    let page = DecommissionPage {
        w: w.unwrap_or_else(|| Words::new(cx.chrome(Some(org.clone()), "systems"))),
        c: cx.chrome(Some(org.clone()), "systems"),
        can,
        target: target_name(cx, org.id, &case).await?,
        case,
        record_types: store.record_types(org.id, sid).await?,
        erasures: store.erasures(org.id, sid).await?,
        systems,
        s,
        edit: edit.filter(|_| can.edit),
    };
    Ok(form_page(&page.w.errors, &page))
}

pub(in crate::html) async fn decommission_page(
    cx: Cx,
    at: SystemPath,
    Query(q): Query<EditQuery>,
) -> AppResult<Response> {
    let edit = q.edit.and_then(|e| e.trim().parse().ok());
    view(&cx, at.org, at.system, None, edit).await
}

/// The printable decommissioning report (A4): the case, its gates, the
/// record types and the erasure records.
pub(in crate::html) async fn decommission_print(cx: Cx, at: SystemPath) -> AppResult<Response> {
    let (org, sid) = (at.org.id, at.system);
    let store = cx.store();
    let case = store
        .decommission_case(org, sid, crate::nav::today())
        .await?
        .ok_or(insyn_store::StoreError::NotFound)?;
    let page = DecommissionPrint {
        c: cx.chrome(Some(at.org.clone()), "systems"),
        s: store.get_system(org, sid).await?,
        target: target_name(&cx, org, &Some(case.clone())).await?,
        case,
        record_types: store.record_types(org, sid).await?,
        erasures: store.erasures(org, sid).await?,
    };
    Ok(render(&page))
}

/// After a post: back to the tab at the form's place, or the tab again
/// with the refused form's values and errors.
async fn after<T>(
    cx: &Cx,
    at: SystemPath,
    form: &str,
    f: FormData,
    posted: Posted<T>,
) -> AppResult<Response> {
    after_editing(cx, at, form, f, posted, None).await
}

/// As [`after`], keeping the record being changed when the form comes back.
async fn after_editing<T>(
    cx: &Cx,
    at: SystemPath,
    form: &str,
    f: FormData,
    posted: Posted<T>,
    edit: Option<uuid::Uuid>,
) -> AppResult<Response> {
    let done = format!(
        "/o/{}/systems/{}/decommissioning?saved=1#{form}",
        at.org.slug, at.system
    );
    let again = async |w| view(cx, at.org.clone(), at.system, Some(w), edit).await;
    Words::after(cx, &at.org, done, form, f, posted, again).await
}

fn record_type_draft(f: &FormData) -> Result<RecordTypeDraft, FieldErrors> {
    let mut e = FieldErrors::new();
    let disposition = f.choice("disposition", &mut e, Disposition::parse);
    if disposition.is_none() && e.is_empty() {
        e.add("disposition", v::REQUIRED);
    }
    let d = RecordTypeDraft {
        name: f.get("name").to_owned(),
        disposition: disposition.unwrap_or(Disposition::Keep),
        disposal_period: f.opt("disposal_period"),
        decision_reference: f.opt("decision_reference"),
        decision_date: f.date("decision_date", &mut e),
        archive_format: f.opt("archive_format"),
        delivery_deadline: f.date("delivery_deadline", &mut e),
        delivered_on: f.date("delivered_on", &mut e),
        delivery_reference: f.opt("delivery_reference"),
        note: f.opt("note"),
    };
    e.into_result(d)
}

fn erasure_draft(f: &FormData) -> Result<ErasureDraft, FieldErrors> {
    let mut e = FieldErrors::new();
    let d = ErasureDraft {
        medium_type: f.get("medium_type").to_owned(),
        serial: f.opt("serial"),
        method: f.choice("method", &mut e, ErasureMethod::parse),
        tool: f.opt("tool"),
        tool_version: f.opt("tool_version"),
        operator: f.opt("operator"),
        erased_on: f.date("erased_on", &mut e),
        verified_by: f.opt("verified_by"),
        verification_method: f.opt("verification_method"),
        verification_result: f.choice("verification_result", &mut e, VerificationResult::parse),
        certificate_reference: f.opt("certificate_reference"),
        note: f.opt("note"),
    };
    e.into_result(d)
}

/// The target system as typed: its name (any case) or its id; `Err` when
/// something was typed that names no system of the register.
async fn typed_target(
    cx: &Cx,
    org: OrgId,
    f: &FormData,
) -> AppResult<Result<Option<SystemId>, ()>> {
    let Some(typed) = f.opt("target_system_id") else {
        return Ok(Ok(None));
    };
    if let Ok(id) = typed.parse::<uuid::Uuid>() {
        return Ok(Ok(Some(SystemId(id))));
    }
    Ok(cx
        .store()
        .system_named(org, &typed)
        .await?
        .map(Some)
        .ok_or(()))
}

fn case_draft(
    f: &FormData,
    target: Result<Option<SystemId>, ()>,
) -> Result<CaseDraft, FieldErrors> {
    let mut e = FieldErrors::new();
    let target = target.unwrap_or_else(|()| {
        e.add(
            "target_system_id",
            super::integrations::form::NO_SYSTEM_NAMED,
        );
        None
    });
    let d = CaseDraft {
        decided_by: f.opt("decided_by"),
        decided_on: f.date("decided_on", &mut e),
        decision_reference: f.opt("decision_reference"),
        planned_on: f.date("planned_on", &mut e),
        target_system_id: target,
        note: f.opt("note"),
    };
    e.into_result(d)
}

pub(in crate::html) async fn add_record_type(
    cx: Cx,
    at: SystemPath,
    f: FormData,
) -> AppResult<Response> {
    let (org, system) = (at.org.id, at.system);
    let add = async |d| cx.store().add_record_type(&cx.actor, org, system, d).await;
    let posted = submit(record_type_draft(&f), add).await?;
    after(&cx, at, "record-type", f, posted).await
}

/// Changes a record type as a whole.
pub(in crate::html) async fn update_record_type(
    cx: Cx,
    at: SystemPath,
    f: FormData,
) -> AppResult<Response> {
    let (org, system) = (at.org.id, at.system);
    let id: uuid::Uuid = at.params.id("record_type")?;
    let save = async |d| {
        cx.store()
            .update_record_type(&cx.actor, org, system, id, d)
            .await
    };
    let posted = submit(record_type_draft(&f), save).await?;
    after_editing(&cx, at, "record-type", f, posted, Some(id)).await
}

/// Removes a record type (the audit trail keeps what it was).
pub(in crate::html) async fn remove_record_type(cx: Cx, at: SystemPath) -> AppResult<Response> {
    let id: uuid::Uuid = at.params.id("record_type")?;
    cx.store()
        .remove_record_type(&cx.actor, at.org.id, at.system, id)
        .await?;
    see(format!(
        "/o/{}/systems/{}/decommissioning#record-type",
        at.org.slug, at.system
    ))
}

/// Changes an erasure record as a whole.
pub(in crate::html) async fn update_erasure(
    cx: Cx,
    at: SystemPath,
    f: FormData,
) -> AppResult<Response> {
    let (org, system) = (at.org.id, at.system);
    let id: uuid::Uuid = at.params.id("erasure")?;
    let save = async |d| {
        cx.store()
            .update_erasure(&cx.actor, org, system, id, d)
            .await
    };
    let posted = submit(erasure_draft(&f), save).await?;
    after_editing(&cx, at, "erasure", f, posted, Some(id)).await
}

/// Removes an erasure record (the audit trail keeps what it was).
pub(in crate::html) async fn remove_erasure(cx: Cx, at: SystemPath) -> AppResult<Response> {
    let id: uuid::Uuid = at.params.id("erasure")?;
    cx.store()
        .remove_erasure(&cx.actor, at.org.id, at.system, id)
        .await?;
    see(format!(
        "/o/{}/systems/{}/decommissioning#erasure",
        at.org.slug, at.system
    ))
}

/// The form names a medium already listed but not yet erased (the same
/// type and serial number): the form records that medium's erasure instead
/// of listing it a second time, which would leave the first one blocking
/// the gate.
fn records_erasure_of(typed: &ErasureDraft, listed: &ErasureDraft) -> bool {
    typed.serial.is_some()
        && !listed.erased()
        && listed.serial == typed.serial
        && listed.medium_type.trim().to_lowercase() == typed.medium_type.trim().to_lowercase()
}

pub(in crate::html) async fn add_erasure(
    cx: Cx,
    at: SystemPath,
    f: FormData,
) -> AppResult<Response> {
    let (org, system) = (at.org.id, at.system);
    let add = async |d: ErasureDraft| {
        let store = cx.store();
        let listed = store.erasures(org, system).await?;
        match listed.iter().find(|e| records_erasure_of(&d, &e.draft)) {
            Some(e) => store.update_erasure(&cx.actor, org, system, e.id, d).await,
            None => store.add_erasure(&cx.actor, org, system, d).await,
        }
    };
    let posted = submit(erasure_draft(&f), add).await?;
    after(&cx, at, "erasure", f, posted).await
}

/// Opens the case, or changes it when one is open.
pub(in crate::html) async fn save_case(cx: Cx, at: SystemPath, f: FormData) -> AppResult<Response> {
    let (org, system) = (at.org.id, at.system);
    let exists = cx
        .store()
        .decommission_case(org, system, crate::nav::today())
        .await?
        .is_some();
    let save = async |d| {
        let store = cx.store();
        if exists {
            store
                .update_decommission_case(&cx.actor, org, system, d)
                .await
        } else {
            store
                .open_decommission_case(&cx.actor, org, system, d)
                .await
        }
    };
    let target = typed_target(&cx, org, &f).await?;
    let posted = submit(case_draft(&f, target), save).await?;
    after(&cx, at, "case", f, posted).await
}

/// The owner closes the case; refused with the failing gates named unless
/// they all pass or an exception's reason is given.
pub(in crate::html) async fn close_case(
    cx: Cx,
    at: SystemPath,
    f: FormData,
) -> AppResult<Response> {
    let (org, system) = (at.org.id, at.system);
    let request = CloseRequest {
        exception_reason: f.opt("exception_reason"),
    };
    let close = async |d| {
        cx.store()
            .close_decommission_case(&cx.actor, org, system, d, crate::nav::today())
            .await
    };
    let posted = submit(Ok(request), close).await?;
    after(&cx, at, "close", f, posted).await
}
