//! Processor agreements (personuppgiftsbiträdesavtal, PUB-avtal) as pages:
//! the organisation's list (paged in the database) with the gaps beside it
//! (systems holding personal data whose supplier has no agreement in force,
//! naming the supplier), each agreement's page with its state and reasons
//! in the reader's language, the form to record or change one, and a
//! system's tab listing the agreements that cover it. Secret by default.

mod form;

use super::*;
use crate::context::{OrgPath, SystemPath};
use form::ProcessorForm;
use insyn_domain::processor::*;
use insyn_store::processors::{FormChoices, ProcessorGap};

/// The most names each of the form's suggestion lists offers.
const SUGGESTED: i64 = 200;

/// The words the agreement pages share.
pub(super) struct Words {
    pub lang: Lang,
}

impl Words {
    pub fn status(&self, s: &ProcessorStatus) -> String {
        self.lang.t(&format!(
            "processor-status-{}",
            s.as_str().replace('_', "-")
        ))
    }
    pub fn mechanism(&self, m: &str) -> String {
        self.lang
            .t(&format!("processor-mechanism-{}", m.replace('_', "-")))
    }
    pub fn mechanisms(&self) -> &'static [TransferMechanism] {
        TransferMechanism::ALL
    }
    /// Why, in the reader's language.
    pub fn reasons<'a>(&self, a: &'a Assessment) -> &'a [String] {
        match self.lang {
            Lang::Sv => &a.reasons_sv,
            Lang::En => &a.reasons_en,
        }
    }
    pub fn date(&self, d: &Option<NaiveDate>) -> String {
        d.map(|d| d.to_string()).unwrap_or_else(|| "–".into())
    }
}

#[derive(Template)]
#[template(path = "processors.html")]
struct ListPage {
    c: Chrome,
    w: Words,
    agreements: Page<ProcessorAgreement>,
    gaps: Vec<ProcessorGap>,
    gap_total: usize,
    prev_href: Option<String>,
    next_href: Option<String>,
}

/// The organisation's processor agreements by supplier, 50 a page, and the
/// systems that lack one.
pub(in crate::html) async fn list_page(
    cx: Cx,
    at: OrgPath,
    Query(q): Query<crate::query::PagingQuery>,
) -> AppResult<Response> {
    let page = q.parse().unwrap_or_default();
    let store = cx.store();
    let today = crate::nav::today();
    let agreements = store
        .list_processor_agreements(at.id(), page, today)
        .await?;
    let (gaps, gap_total) = store.processor_gaps(at.id(), today).await?;
    let href = |n: u32| format!("/o/{}/processors?page={n}", at.org.slug);
    Ok(render(&ListPage {
        c: cx.chrome(Some(at.org.clone()), "contracts"),
        w: Words { lang: cx.lang },
        prev_href: (agreements.page > 1).then(|| href(agreements.page - 1)),
        next_href: (agreements.page < agreements.pages()).then(|| href(agreements.page + 1)),
        agreements,
        gaps,
        gap_total,
    }))
}

#[derive(Template)]
#[template(path = "processor.html")]
struct AgreementPage {
    c: Chrome,
    w: Words,
    a: ProcessorAgreement,
}

/// One agreement: every field, its state today and why.
pub(in crate::html) async fn agreement_page(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let id = at.params.id("agreement")?;
    let a = cx
        .store()
        .get_processor_agreement(at.id(), id, crate::nav::today())
        .await?;
    Ok(render(&AgreementPage {
        c: cx.chrome(Some(at.org.clone()), "contracts"),
        w: Words { lang: cx.lang },
        a,
    }))
}

#[derive(Template)]
#[template(path = "processor_form.html")]
struct FormPage {
    c: Chrome,
    w: Words,
    f: ProcessorForm,
    editing: Option<ProcessorAgreementId>,
    choices: FormChoices,
    errors: FieldErrors,
}

impl FormPage {
    pub fn err(&self, field: &str) -> String {
        self.c.field_error(&self.errors, field)
    }
    pub fn action(&self) -> String {
        match self.editing {
            Some(id) => format!("/o/{}/processors/{id}", self.c.org_slug()),
            None => format!("/o/{}/processors", self.c.org_slug()),
        }
    }
    /// The plain fields: (name, label, value, input type).
    pub fn fields(&self) -> [(&'static str, &'static str, &str, &'static str); 7] {
        let f = &self.f;
        [
            ("reference", "processor-reference", &f.reference, "text"),
            ("signed_on", "processor-signed-on", &f.signed_on, "date"),
            ("ends_on", "processor-ends-on", &f.ends_on, "date"),
            (
                "terminated_on",
                "processor-terminated-on",
                &f.terminated_on,
                "date",
            ),
            (
                "review_interval_months",
                "processor-interval",
                &f.interval,
                "number",
            ),
            (
                "last_review_on",
                "processor-last-review",
                &f.last_review_on,
                "date",
            ),
            ("note", "processor-note", &f.note, "text"),
        ]
    }
    pub fn chosen(&self, id: &ContractId) -> bool {
        self.f.contract == id.to_string()
    }
}

async fn form_view(
    cx: &Cx,
    at: &OrgPath,
    editing: Option<ProcessorAgreementId>,
    f: ProcessorForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let page = FormPage {
        c: cx.chrome(Some(at.org.clone()), "contracts"),
        w: Words { lang: cx.lang },
        f,
        editing,
        choices: cx
            .store()
            .processor_form_choices(at.id(), SUGGESTED)
            .await?,
        errors,
    };
    Ok(form_page(&page.errors, &page))
}

/// Which supplier and system a new agreement starts with (from the gap list).
#[derive(Debug, Default, serde::Deserialize)]
pub(in crate::html) struct NewQuery {
    #[serde(default)]
    supplier: Option<String>,
    #[serde(default)]
    system: Option<String>,
}

/// The form to record an agreement.
pub(in crate::html) async fn new_form(
    cx: Cx,
    at: OrgPath,
    Query(q): Query<NewQuery>,
) -> AppResult<Response> {
    let f = ProcessorForm::new_agreement(q.supplier.as_deref(), q.system.as_deref());
    form_view(&cx, &at, None, f, FieldErrors::new()).await
}

/// The form to change an agreement.
pub(in crate::html) async fn edit_form(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let id = at.params.id("agreement")?;
    let a = cx
        .store()
        .get_processor_agreement(at.id(), id, crate::nav::today())
        .await?;
    let f = ProcessorForm::from_agreement(&a);
    form_view(&cx, &at, Some(id), f, FieldErrors::new()).await
}

/// The form's draft, its supplier and systems looked up by name.
async fn parse(
    cx: &Cx,
    org: OrgId,
    f: &ProcessorForm,
) -> AppResult<Result<ProcessorDraft, FieldErrors>> {
    let store = cx.store();
    let supplier = match f.supplier.as_str() {
        "" => None,
        s => store.supplier_named(org, s).await?,
    };
    let mut systems = vec![];
    for s in &f.systems {
        systems.push(store.system_named(org, s).await?);
    }
    Ok(f.draft(supplier, &systems))
}

/// Records an agreement, then shows it.
pub(in crate::html) async fn create(cx: Cx, at: OrgPath, form: FormData) -> AppResult<Response> {
    let f = ProcessorForm::from_form(&form);
    let draft = parse(&cx, at.id(), &f).await?;
    let today = crate::nav::today();
    let create = async |d| {
        cx.store()
            .create_processor_agreement(&cx.actor, at.id(), d, today)
            .await
    };
    match submit(draft, create).await? {
        Posted::Done(a) => see(format!("/o/{}/processors/{}", at.org.slug, a.id)),
        Posted::Invalid(e) => form_view(&cx, &at, None, f.again(), e).await,
    }
}

/// Saves an agreement, then shows it.
pub(in crate::html) async fn update(cx: Cx, at: OrgPath, form: FormData) -> AppResult<Response> {
    let id: ProcessorAgreementId = at.params.id("agreement")?;
    let f = ProcessorForm::from_form(&form);
    let draft = parse(&cx, at.id(), &f).await?;
    let today = crate::nav::today();
    let update = async |d| {
        cx.store()
            .update_processor_agreement(&cx.actor, at.id(), id, d, today)
            .await
    };
    match submit(draft, update).await? {
        Posted::Done(a) => see(format!("/o/{}/processors/{}", at.org.slug, a.id)),
        Posted::Invalid(e) => form_view(&cx, &at, Some(id), f.again(), e).await,
    }
}

/// Removes the agreement (the audit trail keeps what it was).
pub(in crate::html) async fn remove(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let id: ProcessorAgreementId = at.params.id("agreement")?;
    cx.store()
        .remove_processor_agreement(&cx.actor, at.id(), id)
        .await?;
    see(format!("/o/{}/processors", at.org.slug))
}

#[derive(Template)]
#[template(path = "processors_system.html")]
struct SystemTab {
    c: Chrome,
    w: Words,
    s: System,
    agreements: Vec<ProcessorAgreement>,
    gap: Option<ProcessorGap>,
    /// The records of processing that name the system: id, name, controller.
    records: Vec<(insyn_domain::ProcessingRecordId, String, String)>,
}

/// The agreements that cover a system, and whether it lacks one.
pub(in crate::html) async fn system_tab(cx: Cx, at: SystemPath) -> AppResult<Response> {
    let (org, id) = (at.org.id, at.system);
    let store = cx.store();
    let today = crate::nav::today();
    let s = store.get_system(org, id).await?;
    let agreements = store.system_processor_agreements(org, id, today).await?;
    let gap = store.processor_gap_of(org, id, today).await?;
    let records = store.system_processing_records(org, id).await?;
    Ok(render(&SystemTab {
        records,
        c: cx.chrome(Some(at.org.clone()), "systems"),
        w: Words { lang: cx.lang },
        s,
        agreements,
        gap,
    }))
}
