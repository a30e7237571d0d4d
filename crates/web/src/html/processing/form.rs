//! The form that creates or edits a record of processing: the controller
//! (the organisation or one of its units), the art. 30(1) items, the DPIA,
//! the systems typed by name (a bounded `<datalist>` of suggestions, looked
//! up with `Store::system_named`) and the information sets of those systems.

use super::*;
use crate::html::continuity::Words;
use crate::html::integrations::form::NO_SYSTEM_NAMED;
use insyn_domain::security::InformationSet;
use uuid::Uuid;

/// The form's name: its fields' ids start with it.
const FORM: &str = "p";
/// Empty rows offered for more systems and transfers.
const SPARE_ROWS: usize = 2;
/// The most system names suggested in the datalist.
const SUGGESTED: u32 = 100;
/// The most processor agreements offered to choose from.
const AGREEMENTS: u32 = 200;

#[derive(Template)]
#[template(path = "processing_form.html")]
pub(in crate::html) struct FormPage {
    c: Chrome,
    w: Words,
    editing: Option<ProcessingRecord>,
    units: Vec<Unit>,
    /// Suggestions for the systems' names (at most [`SUGGESTED`]).
    systems: Vec<SystemRow>,
    /// The information sets of the record's systems.
    sets: Vec<InformationSet>,
    /// The organisation's processor agreements to choose from (at most
    /// [`AGREEMENTS`]).
    agreements: Vec<insyn_domain::processor::ProcessorAgreement>,
}

impl FormPage {
    pub fn action(&self) -> String {
        let b = base(self.c.org_slug());
        match &self.editing {
            Some(r) => format!("{b}/{}", r.id),
            None => b,
        }
    }

    fn refused(&self) -> bool {
        self.w.form == FORM
    }

    fn stored(&self, name: &str) -> Option<String> {
        let d = &self.editing.as_ref()?.draft;
        let date = |x: Option<chrono::NaiveDate>| x.map(|x| x.to_string());
        match name {
            "unit_id" => d.unit_id.map(|u| u.to_string()),
            "name" => Some(d.name.clone()),
            "contact" => d.contact.clone(),
            "purposes" => d.purposes.clone(),
            "legal_basis" => d.legal_basis.map(|b| b.as_str().to_owned()),
            "legal_reference" => d.legal_reference.clone(),
            "data_subjects" => d.data_subjects.clone(),
            "data_categories" => d.data_categories.clone(),
            "recipients" => d.recipients.clone(),
            "processors" => d.processors.clone(),
            "retention" => d.retention.clone(),
            "security_measures" => d.security_measures.clone(),
            "dpia_required" => d
                .dpia_required
                .map(|b| if b { "yes" } else { "no" }.to_owned()),
            "dpia_reason" => d.dpia_reason.clone(),
            "dpia_date" => date(d.dpia_date),
            "dpia_result" => d.dpia_result.clone(),
            "dpia_next_review" => date(d.dpia_next_review),
            _ => None,
        }
    }

    /// A field's value: as posted when the form came back, else as stored.
    pub fn v(&self, name: &str) -> String {
        self.w.value(FORM, name, self.stored(name))
    }

    pub fn checked(&self, name: &str) -> bool {
        if self.refused() {
            return self.w.posted.checked(name);
        }
        self.editing.as_ref().is_some_and(|r| match name {
            "sensitive_data" => r.draft.sensitive_data,
            "offence_data" => r.draft.offence_data,
            _ => r.draft.personal_numbers,
        })
    }

    pub fn bases(&self) -> &'static [LegalBasis] {
        LegalBasis::ALL
    }

    pub fn basis_name(&self, b: &LegalBasis) -> String {
        basis_word(self.c.lang, *b)
    }

    /// The systems' names, one input each, with empty rows to add more.
    pub fn system_rows(&self) -> Vec<String> {
        let mut rows: Vec<String> = if self.refused() {
            let all = self.w.posted.all("system");
            all.into_iter()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        } else {
            self.editing
                .iter()
                .flat_map(|r| r.systems.iter().map(|s| s.name.clone()))
                .collect()
        };
        rows.extend(std::iter::repeat_n(String::new(), SPARE_ROWS + 1));
        rows
    }

    /// The transfers (country, mechanism), with an empty row to add one.
    pub fn transfer_rows(&self) -> Vec<(String, String)> {
        let mut rows: Vec<(String, String)> = if self.refused() {
            typed_transfers(&self.w.posted)
        } else {
            self.editing
                .iter()
                .flat_map(|r| r.draft.transfers.iter())
                .map(|t| (t.country.clone(), t.mechanism.clone().unwrap_or_default()))
                .collect()
        };
        rows.push((String::new(), String::new()));
        rows
    }

    pub fn set_checked(&self, id: &Uuid) -> bool {
        if self.refused() {
            let id = id.to_string();
            return self
                .w
                .posted
                .all("information_set_ids")
                .contains(&id.as_str());
        }
        self.editing
            .as_ref()
            .is_some_and(|r| r.draft.information_set_ids.contains(id))
    }

    pub fn agreement_checked(&self, id: &ProcessorAgreementId) -> bool {
        if self.refused() {
            let id = id.to_string();
            return self
                .w
                .posted
                .all("processor_agreement_ids")
                .contains(&id.as_str());
        }
        self.editing
            .as_ref()
            .is_some_and(|r| r.draft.processor_agreement_ids.contains(id))
    }

    pub fn system_name(&self, id: &SystemId) -> String {
        self.editing
            .iter()
            .flat_map(|r| r.systems.iter())
            .find(|s| s.id == *id)
            .map(|s| s.name.clone())
            .unwrap_or_default()
    }
}

async fn show(
    cx: &Cx,
    org: Organisation,
    editing: Option<ProcessingRecord>,
    w: Option<Words>,
) -> AppResult<Response> {
    let store = cx.store();
    let page = PageRequest::new(Some(1), Some(SUGGESTED));
    let systems = store
        .list_systems(
            org.id,
            &SystemFilter::default(),
            SystemSort::Name,
            false,
            page,
        )
        .await?
        .items;
    let mut sets = vec![];
    for s in editing.iter().flat_map(|r| r.systems.iter()) {
        sets.extend(store.information_sets(org.id, s.id).await?);
    }
    let agreements = store
        .list_processor_agreements(
            org.id,
            PageRequest::new(Some(1), Some(AGREEMENTS)),
            crate::nav::today(),
        )
        .await?
        .items;
    let page = FormPage {
        agreements,
        w: w.unwrap_or_else(|| Words::new(cx.chrome(Some(org.clone()), "processing"))),
        c: cx.chrome(Some(org.clone()), "processing"),
        units: store.list_units(org.id).await?,
        editing,
        systems,
        sets,
    };
    Ok(form_page(&page.w.errors, &page))
}

pub(in crate::html) async fn new_page(cx: Cx, at: OrgPath) -> AppResult<Response> {
    show(&cx, at.org, None, None).await
}

pub(in crate::html) async fn edit_page(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let r = cx
        .store()
        .processing_record(at.id(), record_id(&at)?)
        .await?;
    show(&cx, at.org, Some(r), None).await
}

/// The transfer rows typed (`transfer_country_N`, `transfer_mechanism_N`),
/// in the form's order; rows left empty are skipped.
fn typed_transfers(f: &FormData) -> Vec<(String, String)> {
    f.0.iter()
        .filter_map(|(k, country)| {
            let n = k.strip_prefix("transfer_country_")?;
            let mechanism = f.get(&format!("transfer_mechanism_{n}"));
            let country = country.trim();
            (!country.is_empty() || !mechanism.is_empty())
                .then(|| (country.to_owned(), mechanism.to_owned()))
        })
        .collect()
}

fn date(f: &FormData, e: &mut FieldErrors, name: &str) -> Option<chrono::NaiveDate> {
    f.opt(name)
        .and_then(|d| v::parse_date(&d).map_err(|c| e.add(name, c)).ok())
}

/// The systems typed by name (or id), each looked up in the register.
pub(in crate::html) async fn typed_systems(
    cx: &Cx,
    org: OrgId,
    f: &FormData,
    e: &mut FieldErrors,
) -> AppResult<Vec<SystemId>> {
    let typed: Vec<&str> = f
        .all("system")
        .into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if typed.len() > MAX_ITEMS {
        e.add("system_ids", v::TOO_LONG);
        return Ok(vec![]);
    }
    let mut ids = vec![];
    for name in typed {
        let found = match name.parse::<SystemId>() {
            Ok(id) => Some(id),
            Err(_) if name.chars().count() > MAX_SHORT => None,
            Err(_) => cx.store().system_named(org, name).await?,
        };
        match found {
            Some(id) => ids.push(id),
            None => e.add("system_ids", NO_SYSTEM_NAMED),
        }
    }
    Ok(ids)
}

/// The form as a draft; the information sets kept are those of the named
/// systems (a set whose system was taken off the list goes with it).
async fn parse(
    cx: &Cx,
    org: OrgId,
    f: &FormData,
) -> AppResult<Result<ProcessingDraft, FieldErrors>> {
    let mut e = FieldErrors::new();
    let system_ids = typed_systems(cx, org, f, &mut e).await?;
    let unit_id = match f.opt("unit_id") {
        None => None,
        Some(u) => u
            .parse::<UnitId>()
            .map_err(|_| e.add("unit_id", v::UNKNOWN_CHOICE))
            .ok(),
    };
    let legal_basis = f.opt("legal_basis").and_then(|b| {
        let x = LegalBasis::parse(&b);
        if x.is_none() {
            e.add("legal_basis", v::UNKNOWN_CHOICE);
        }
        x
    });
    let dpia_required = match f.opt("dpia_required").as_deref() {
        None => None,
        Some("yes") => Some(true),
        Some("no") => Some(false),
        Some(_) => {
            e.add("dpia_required", v::UNKNOWN_CHOICE);
            None
        }
    };
    let transfers = typed_transfers(f)
        .into_iter()
        .map(|(country, mechanism)| Transfer {
            country,
            mechanism: Some(mechanism),
        })
        .collect();
    let mut processor_agreement_ids = vec![];
    for a in f.all("processor_agreement_ids") {
        match a.trim().parse::<ProcessorAgreementId>() {
            Ok(id) => processor_agreement_ids.push(id),
            Err(_) => e.add("processor_agreement_ids", v::UNKNOWN_CHOICE),
        }
    }
    let mut information_set_ids = vec![];
    for s in &system_ids {
        for set in cx.store().information_sets(org, *s).await? {
            if f.all("information_set_ids")
                .contains(&set.id.to_string().as_str())
            {
                information_set_ids.push(set.id);
            }
        }
    }
    let d = ProcessingDraft {
        unit_id,
        name: f.get("name").to_owned(),
        contact: f.opt("contact"),
        purposes: f.opt("purposes"),
        legal_basis,
        legal_reference: f.opt("legal_reference"),
        data_subjects: f.opt("data_subjects"),
        data_categories: f.opt("data_categories"),
        sensitive_data: f.checked("sensitive_data"),
        offence_data: f.checked("offence_data"),
        personal_numbers: f.checked("personal_numbers"),
        recipients: f.opt("recipients"),
        processors: f.opt("processors"),
        transfers,
        retention: f.opt("retention"),
        security_measures: f.opt("security_measures"),
        dpia_required,
        dpia_reason: f.opt("dpia_reason"),
        dpia_date: date(f, &mut e, "dpia_date"),
        dpia_result: f.opt("dpia_result"),
        dpia_next_review: date(f, &mut e, "dpia_next_review"),
        system_ids,
        information_set_ids,
        processor_agreement_ids,
    };
    Ok(e.into_result(d))
}

/// After a post: to the record, or the form again with what was typed.
async fn after(
    cx: &Cx,
    at: OrgPath,
    editing: Option<ProcessingRecord>,
    f: FormData,
    posted: Posted<ProcessingRecord>,
) -> AppResult<Response> {
    match posted {
        Posted::Done(r) => see(format!("{}/{}?saved=1", base(&at.org.slug), r.id)),
        Posted::Invalid(errors) => {
            let w = Words {
                c: cx.chrome(Some(at.org.clone()), "processing"),
                form: FORM.to_owned(),
                posted: f,
                errors,
            };
            show(cx, at.org, editing, Some(w)).await
        }
    }
}

pub(in crate::html) async fn create(cx: Cx, at: OrgPath, f: FormData) -> AppResult<Response> {
    let org = at.id();
    let draft = parse(&cx, org, &f).await?;
    let add = async |d| cx.store().create_processing_record(&cx.actor, org, d).await;
    let posted = submit(draft, add).await?;
    after(&cx, at, None, f, posted).await
}

pub(in crate::html) async fn update(cx: Cx, at: OrgPath, f: FormData) -> AppResult<Response> {
    let (org, id) = (at.id(), record_id(&at)?);
    let before = cx.store().processing_record(org, id).await?;
    let draft = parse(&cx, org, &f).await?;
    let save = async |d| {
        cx.store()
            .update_processing_record(&cx.actor, org, id, d)
            .await
    };
    let posted = submit(draft, save).await?;
    after(&cx, at, Some(before), f, posted).await
}

pub(in crate::html) async fn remove(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let (org, id) = (at.id(), record_id(&at)?);
    cx.store()
        .remove_processing_record(&cx.actor, org, id)
        .await?;
    see(base(&at.org.slug))
}
