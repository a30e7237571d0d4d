//! The system's "Licenser" tab (issue 19 item 3): what was bought against
//! what is in use, each licence's findings in words (overused, idle,
//! ended) and its cost per user; the form for a new licence, and a
//! licence's own page to change it or, after a confirmation, remove it.
//! The organisation's list is in `licence_list.rs`.

use super::continuity::Words;
use super::*;
use crate::context::SystemPath;
use insyn_domain::auth::OnSystem;
use insyn_domain::contract::Contract;
use insyn_domain::licence::*;
use uuid::Uuid;

/// How a licence, its metric and its findings read on a page.
pub(in crate::html) struct LicenceWords {
    pub lang: Lang,
}

impl LicenceWords {
    pub fn metric(&self, m: &Metric) -> String {
        self.lang.t(&format!("licence-metric-{}", m.as_str()))
    }

    pub fn source(&self, s: &InUseSource) -> String {
        self.lang.t(&format!("licence-source-{}", s.as_str()))
    }

    /// Each finding in words with its numbers, or "no remarks".
    pub fn findings(&self, l: &LicenceView) -> Vec<String> {
        let d = &l.licence.draft;
        let num = |n: Option<i64>| n.map(group_digits).unwrap_or_default();
        let args = [
            ("bought", num(d.quantity)),
            ("in_use", num(l.judged.in_use)),
            ("unused", num(l.judged.unused.map(i64::abs))),
            (
                "until",
                d.valid_until.map(|u| u.to_string()).unwrap_or_default(),
            ),
        ];
        l.judged
            .findings
            .iter()
            .map(|f| self.lang.t_args(f.key(), &args))
            .collect()
    }

    /// The number in use, or "not known".
    pub fn in_use(&self, l: &LicenceView) -> String {
        l.judged
            .in_use
            .map(group_digits)
            .unwrap_or_else(|| self.lang.t("licence-in-use-unknown"))
    }

    /// Kronor with thin groups, "–" when none.
    pub fn kronor(&self, n: &Option<i64>) -> String {
        n.map(|n| format!("{} kr", group_digits(n)))
            .unwrap_or_else(|| "–".into())
    }

    pub fn quantity(&self, n: &Option<i64>) -> String {
        n.map(group_digits).unwrap_or_else(|| "–".into())
    }

    /// Whether a finding is one to act on (overuse, idle).
    pub fn alarming(&self, l: &LicenceView) -> bool {
        l.judged
            .findings
            .iter()
            .any(|f| matches!(f, LicenceFinding::Overuse | LicenceFinding::Idle))
    }
}

#[derive(Template)]
#[template(path = "licences.html")]
pub(in crate::html) struct LicencesPage {
    w: Words,
    lw: LicenceWords,
    c: Chrome,
    s: System,
    can: OnSystem,
    licences: Vec<LicenceView>,
    /// The contracts covering the system, to choose from.
    contracts: Vec<Contract>,
    /// The licence being changed (its own page), else none (the tab).
    editing: Option<Licence>,
}

impl LicencesPage {
    pub fn base(&self) -> String {
        format!("/o/{}/systems/{}", self.c.org_slug(), self.s.id)
    }

    /// The form's name and where it posts.
    pub fn form(&self) -> (&'static str, String) {
        match &self.editing {
            Some(l) => ("licence-edit", format!("{}/licences/{}", self.base(), l.id)),
            None => ("licence", format!("{}/licences", self.base())),
        }
    }

    pub fn metrics(&self) -> &'static [Metric] {
        Metric::ALL
    }

    pub fn sources(&self) -> &'static [InUseSource] {
        InUseSource::ALL
    }

    /// A field of the form: as posted when it came back, else the licence's.
    pub fn typed(&self, name: &str) -> String {
        let d = self.editing.as_ref().map(|l| &l.draft);
        let n = |f: fn(&LicenceDraft) -> Option<i64>| d.and_then(f).map(|n| n.to_string());
        let day = |f: fn(&LicenceDraft) -> Option<chrono::NaiveDate>| {
            d.and_then(f).map(|n| n.to_string())
        };
        let stored = match name {
            "name" => d.map(|d| d.name.clone()),
            "metric" => Some(d.map_or("named_user", |d| d.metric.as_str()).to_owned()),
            "quantity" => n(|d| d.quantity),
            "yearly_cost" => n(|d| d.yearly_cost),
            "contract_id" => d.and_then(|d| d.contract_id).map(|c| c.0.to_string()),
            "valid_from" => day(|d| d.valid_from),
            "valid_until" => day(|d| d.valid_until),
            "in_use_source" => Some(
                d.map_or("holdings", |d| d.in_use_source.as_str())
                    .to_owned(),
            ),
            "in_use_entered" => n(|d| d.in_use_entered),
            "notes" => d.and_then(|d| d.notes.clone()),
            _ => None,
        };
        self.w.value(self.form().0, name, stored)
    }
}

async fn view(
    cx: &Cx,
    org: Organisation,
    sid: SystemId,
    editing: Option<Uuid>,
    w: Option<Words>,
) -> AppResult<Response> {
    let store = cx.store();
    let today = crate::nav::today();
    let editing = match editing {
        Some(id) => Some(store.licence(org.id, sid, id).await?),
        None => None,
    };
    let page = LicencesPage {
        w: w.unwrap_or_else(|| Words::new(cx.chrome(Some(org.clone()), "systems"))),
        lw: LicenceWords { lang: cx.lang },
        c: cx.chrome(Some(org.clone()), "systems"),
        can: cx.on_system(org.id, sid).await?,
        licences: store.system_licences(org.id, sid, today).await?,
        contracts: store.system_contracts(org.id, sid, today).await?,
        s: store.get_system(org.id, sid).await?,
        editing,
    };
    Ok(form_page(&page.w.errors, &page))
}

pub(in crate::html) async fn licences_page(cx: Cx, at: SystemPath) -> AppResult<Response> {
    view(&cx, at.org, at.system, None, None).await
}

pub(in crate::html) async fn licence_page(cx: Cx, at: SystemPath) -> AppResult<Response> {
    let id = at.params.id("licence")?;
    view(&cx, at.org, at.system, Some(id), None).await
}

fn number(f: &FormData, e: &mut FieldErrors, name: &str) -> Option<i64> {
    match f.get(name).trim() {
        "" => None,
        s => v::parse_count(s).map_err(|c| e.add(name, c)).ok(),
    }
}

fn draft(f: &FormData) -> Result<LicenceDraft, FieldErrors> {
    let mut e = FieldErrors::new();
    let metric = f.choice("metric", &mut e, Metric::parse);
    if metric.is_none() && e.get("metric").is_none() {
        e.add("metric", v::REQUIRED);
    }
    let source = f.choice("in_use_source", &mut e, InUseSource::parse);
    let contract_id = match f.get("contract_id").trim() {
        "" => None,
        s => s
            .parse()
            .map(ContractId)
            .map_err(|_| e.add("contract_id", v::UNKNOWN_REFERENCE))
            .ok(),
    };
    let d = LicenceDraft {
        name: f.get("name").to_owned(),
        metric: metric.unwrap_or(Metric::NamedUser),
        quantity: number(f, &mut e, "quantity"),
        yearly_cost: number(f, &mut e, "yearly_cost"),
        contract_id,
        valid_from: f.date("valid_from", &mut e),
        valid_until: f.date("valid_until", &mut e),
        in_use_source: source.unwrap_or(InUseSource::Entered),
        in_use_entered: number(f, &mut e, "in_use_entered"),
        notes: f.opt("notes"),
    };
    // The number entered is ignored when the holdings count.
    let d = match d.in_use_source {
        InUseSource::Holdings => LicenceDraft {
            in_use_entered: None,
            ..d
        },
        InUseSource::Entered => d,
    };
    e.into_result(d)
}

fn tab(at: &SystemPath) -> String {
    format!(
        "/o/{}/systems/{}/licences?saved=1#licences",
        at.org.slug, at.system
    )
}

pub(in crate::html) async fn add_licence(
    cx: Cx,
    at: SystemPath,
    f: FormData,
) -> AppResult<Response> {
    let (org, system) = (at.org.id, at.system);
    let add = async |d| cx.store().add_licence(&cx.actor, org, system, d).await;
    let posted = submit(draft(&f), add).await?;
    let again = async |w| view(&cx, at.org.clone(), at.system, None, Some(w)).await;
    Words::after(&cx, &at.org, tab(&at), "licence", f, posted, again).await
}

pub(in crate::html) async fn update_licence(
    cx: Cx,
    at: SystemPath,
    f: FormData,
) -> AppResult<Response> {
    let (org, system, id) = (at.org.id, at.system, at.params.id("licence")?);
    let save = async |d| {
        cx.store()
            .update_licence(&cx.actor, org, system, id, d)
            .await
    };
    let posted = submit(draft(&f), save).await?;
    let again = async |w| view(&cx, at.org.clone(), at.system, Some(id), Some(w)).await;
    Words::after(&cx, &at.org, tab(&at), "licence-edit", f, posted, again).await
}

pub(in crate::html) async fn remove_licence(cx: Cx, at: SystemPath) -> AppResult<Response> {
    let id: Uuid = at.params.id("licence")?;
    cx.store()
        .remove_licence(&cx.actor, at.org.id, at.system, id)
        .await?;
    see(tab(&at))
}
