//! Records of processing activities (registerförteckning, GDPR art. 30) as
//! pages: the organisation's list per controller (the organisation itself,
//! then each unit acting as nämnd) with what each record lacks, a record's
//! page, the create and edit form (`form.rs`), and per controller a
//! printable document and an .xlsx with one row per record and one column
//! per art. 30(1) item (`export.rs`). Secret by default: for the
//! organisation's users only, never in the public register.

mod export;
pub(in crate::html) mod form;

pub(in crate::html) use export::export_xlsx;

use super::*;
use crate::context::OrgPath;
use insyn_domain::processing::*;
use insyn_store::processing::Controller;

/// One controller's records.
pub(in crate::html) struct Group {
    /// `org`, or the unit's id: the print and export links' `controller`.
    pub key: String,
    pub name: String,
    pub records: Vec<ProcessingRecord>,
}

impl Group {
    pub fn incomplete(&self) -> usize {
        self.records
            .iter()
            .filter(|r| !r.missing.is_empty())
            .count()
    }
}

/// The records (the organisation's own first, then per unit) grouped by
/// controller.
fn groups(records: Vec<ProcessingRecord>) -> Vec<Group> {
    let mut out: Vec<Group> = vec![];
    for r in records {
        let key = r
            .draft
            .unit_id
            .map_or_else(|| "org".to_owned(), |u| u.to_string());
        match out.last_mut() {
            Some(g) if g.key == key => g.records.push(r),
            _ => out.push(Group {
                key,
                name: r.controller.clone(),
                records: vec![r],
            }),
        }
    }
    out
}

/// The words the pages share.
pub(in crate::html) trait Wording {
    fn chrome(&self) -> &Chrome;

    fn missing_word(&self, key: &str) -> String {
        self.chrome().t(key)
    }

    fn basis(&self, b: &Option<LegalBasis>) -> String {
        b.map(|b| basis_word(self.chrome().lang, b))
            .unwrap_or_else(|| "–".into())
    }

    fn text(&self, t: &Option<String>) -> String {
        t.clone().unwrap_or_else(|| "–".into())
    }

    fn dpia(&self, r: &ProcessingRecord) -> String {
        dpia_word(self.chrome().lang, r.draft.dpia_required)
    }
}

pub(in crate::html) fn basis_word(lang: Lang, b: LegalBasis) -> String {
    lang.t(&format!(
        "processing-basis-{}",
        b.as_str().replace('_', "-")
    ))
}

pub(in crate::html) fn dpia_word(lang: Lang, required: Option<bool>) -> String {
    lang.t(match required {
        None => "processing-dpia-undecided",
        Some(true) => "processing-dpia-required",
        Some(false) => "processing-dpia-not-required",
    })
}

#[derive(Template)]
#[template(path = "processing_list.html")]
pub(in crate::html) struct ListPage {
    c: Chrome,
    groups: Vec<Group>,
    /// Records of every controller, on every page.
    total: i64,
    prev_href: Option<String>,
    next_href: Option<String>,
}

impl Wording for ListPage {
    fn chrome(&self) -> &Chrome {
        &self.c
    }
}

#[derive(Template)]
#[template(path = "processing_record.html")]
pub(in crate::html) struct RecordPage {
    c: Chrome,
    r: ProcessingRecord,
}

impl Wording for RecordPage {
    fn chrome(&self) -> &Chrome {
        &self.c
    }
}

#[derive(Template)]
#[template(path = "processing_print.html")]
pub(in crate::html) struct PrintPage {
    c: Chrome,
    controller: String,
    records: Vec<ProcessingRecord>,
}

impl Wording for PrintPage {
    fn chrome(&self) -> &Chrome {
        &self.c
    }
}

pub(in crate::html) fn base(org: &str) -> String {
    format!("/o/{org}/processing-records")
}

/// The list's page number (a number it cannot read is the first page).
#[derive(Debug, Default, serde::Deserialize)]
pub(in crate::html) struct ListQuery {
    #[serde(default)]
    page: Option<String>,
}

/// Records a page of the list holds.
const PER_PAGE: u32 = 100;

pub(in crate::html) async fn list_page(
    cx: Cx,
    at: OrgPath,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let n = q.page.and_then(|p| p.trim().parse().ok());
    let page = PageRequest::new(n, Some(PER_PAGE));
    let records = cx
        .store()
        .processing_records(at.id(), Controller::Any, page)
        .await?;
    let link = |n: u32| format!("{}?page={n}", base(&at.org.slug));
    let (prev_href, next_href) = prev_next(&records, link);
    Ok(render(&ListPage {
        c: cx.chrome(Some(at.org), "processing"),
        total: records.total,
        groups: groups(records.items),
        prev_href,
        next_href,
    }))
}

fn record_id(at: &OrgPath) -> AppResult<ProcessingRecordId> {
    Ok(ProcessingRecordId(at.params.id("record")?))
}

pub(in crate::html) async fn record_page(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let r = cx
        .store()
        .processing_record(at.id(), record_id(&at)?)
        .await?;
    Ok(render(&RecordPage {
        c: cx.chrome(Some(at.org), "processing"),
        r,
    }))
}

/// Which controller a print or an export is of: `controller=org` (the
/// organisation's own records) or a unit's id.
#[derive(Debug, Default, serde::Deserialize)]
pub(in crate::html) struct ControllerQuery {
    #[serde(default)]
    controller: Option<String>,
}

/// The controller asked for, and its name; not found for a unit not of
/// the organisation.
async fn controller_of(
    cx: &Cx,
    org: &Organisation,
    q: &ControllerQuery,
) -> AppResult<(Controller, String)> {
    match q.controller.as_deref().map(str::trim) {
        None | Some("" | "org") => Ok((Controller::Organisation, org.name.clone())),
        Some(u) => {
            let id: UnitId = u.parse().map_err(|_| AppError::NotFound)?;
            let unit = cx.store().get_unit(org.id, id).await?;
            Ok((Controller::Unit(id), unit.name))
        }
    }
}

/// One controller's records: its name and the records.
async fn of_controller(
    cx: &Cx,
    at: &OrgPath,
    q: &ControllerQuery,
) -> AppResult<(String, Vec<ProcessingRecord>)> {
    let (controller, name) = controller_of(cx, &at.org, q).await?;
    let records = cx
        .store()
        .controller_processing_records(at.id(), controller)
        .await?;
    Ok((name, records.items))
}

/// The printable record of processing of one controller (A4), every
/// record with every art. 30(1) item.
pub(in crate::html) async fn print_page(
    cx: Cx,
    at: OrgPath,
    Query(q): Query<ControllerQuery>,
) -> AppResult<Response> {
    let (controller, records) = of_controller(&cx, &at, &q).await?;
    Ok(render(&PrintPage {
        c: cx.chrome(Some(at.org), "processing"),
        controller,
        records,
    }))
}
