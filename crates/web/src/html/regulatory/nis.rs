//! The organisation's entity class under cybersäkerhetslagen (2025:1506):
//! essential, important, not covered or not assessed, its sector and its
//! registration with the supervisory authority. Anyone of the organisation
//! reads it (an auditor too); administrators set it (the same facts as the
//! API's `PUT /orgs/{org}/nis-entity-class`).

use super::super::continuity::Words;
use super::super::*;
use crate::context::OrgPath;
use insyn_domain::regulatory::*;

#[derive(Template)]
#[template(path = "nis.html")]
struct NisPage {
    w: Words,
    c: Chrome,
    facts: NisFacts,
    saved: bool,
}

impl NisPage {
    pub fn classes(&self) -> &'static [NisEntityClass] {
        NisEntityClass::ALL
    }

    pub fn sectors(&self) -> &'static [NisSector] {
        NisSector::ALL
    }

    pub fn class_word(&self, c: &NisEntityClass) -> String {
        self.c
            .t(&format!("nis-class-{}", c.as_str().replace('_', "-")))
    }

    pub fn sector_word(&self, s: &NisSector) -> String {
        self.c
            .t(&format!("nis-sector-{}", s.as_str().replace('_', "-")))
    }

    pub fn sector(&self) -> String {
        self.facts
            .draft
            .sector
            .map_or_else(|| "–".into(), |s| self.sector_word(&s))
    }

    pub fn text(&self, t: &Option<String>) -> String {
        t.clone().unwrap_or_else(|| "–".into())
    }

    /// A field of the form: as posted when it came back, else as stored.
    pub fn value(&self, name: &str) -> String {
        let d = &self.facts.draft;
        let stored = match name {
            "entity_class" => Some(d.entity_class.as_str().to_owned()),
            "sector" => d.sector.map(|x| x.as_str().to_owned()),
            "registered_on" => d.registered_on.map(|x| x.to_string()),
            "registration_reference" => d.registration_reference.clone(),
            _ => None,
        };
        self.w.value("nis", name, stored)
    }
}

#[derive(serde::Deserialize, Default)]
pub(in crate::html) struct Saved {
    saved: Option<String>,
}

async fn view(cx: &Cx, org: Organisation, saved: bool, w: Option<Words>) -> AppResult<Response> {
    let page = NisPage {
        w: w.unwrap_or_else(|| Words::new(cx.chrome(Some(org.clone()), "org"))),
        c: cx.chrome(Some(org.clone()), "org"),
        facts: cx.store().nis_facts(org.id).await?,
        saved,
    };
    Ok(form_page(&page.w.errors, &page))
}

pub(in crate::html) async fn nis_page(
    cx: Cx,
    at: OrgPath,
    Query(q): Query<Saved>,
) -> AppResult<Response> {
    view(&cx, at.org, q.saved.is_some(), None).await
}

fn draft(f: &FormData) -> Result<NisDraft, FieldErrors> {
    let mut e = FieldErrors::new();
    let class = f.choice("entity_class", &mut e, NisEntityClass::parse);
    if class.is_none() && e.get("entity_class").is_none() {
        e.add("entity_class", v::REQUIRED);
    }
    let d = NisDraft {
        entity_class: class.unwrap_or(NisEntityClass::NotAssessed),
        sector: f.choice("sector", &mut e, NisSector::parse),
        registered_on: f.date("registered_on", &mut e),
        registration_reference: f.opt("registration_reference"),
    };
    e.into_result(d)
}

pub(in crate::html) async fn save_nis(cx: Cx, at: OrgPath, f: FormData) -> AppResult<Response> {
    let (org, today) = (at.org.id, crate::nav::today());
    let set = async |d| cx.store().set_nis_facts(&cx.actor, org, d, today).await;
    let posted = submit(draft(&f), set).await?;
    let done = format!("/o/{}/settings/nis?saved=1", at.org.slug);
    let again = async |w| view(&cx, at.org.clone(), false, Some(w)).await;
    Words::after(&cx, &at.org, done, "nis", f, posted, again).await
}
