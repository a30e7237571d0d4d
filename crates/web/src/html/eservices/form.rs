//! The form that creates or edits an e-service: its step (with the
//! document's words for each), target groups, målområden, the systems typed
//! by name (a bounded `<datalist>` of suggestions), the accessibility
//! statement and the five e-function criteria; and its removal after a
//! confirmation on its page.

use super::*;
use crate::html::continuity::Words;
use crate::html::processing::form::typed_systems;

/// The form's name: its fields' ids start with it.
const FORM: &str = "e";
/// Empty rows offered for more systems.
const SPARE_ROWS: usize = 2;
/// The most system names suggested in the datalist.
const SUGGESTED: u32 = 100;

#[derive(Template)]
#[template(path = "eservice_form.html")]
pub(in crate::html) struct FormPage {
    c: Chrome,
    w: Words,
    editing: Option<EService>,
    units: Vec<Unit>,
    /// Suggestions for the systems' names (at most [`SUGGESTED`]).
    systems: Vec<SystemRow>,
}

impl EServiceWords for FormPage {
    fn lang(&self) -> Lang {
        self.c.lang
    }
}

impl FormPage {
    pub fn action(&self) -> String {
        let b = base(self.c.org_slug());
        match &self.editing {
            Some(e) => format!("{b}/{}", e.id),
            None => b,
        }
    }

    fn refused(&self) -> bool {
        self.w.form == FORM
    }

    fn stored(&self, name: &str) -> Option<String> {
        let Some(e) = &self.editing else {
            return (name == "step").then(|| EServiceStep::Information.as_str().to_owned());
        };
        let d = &e.draft;
        let day = |x: Option<chrono::NaiveDate>| x.map(|x| x.to_string());
        if let Some(c) = name.strip_prefix("verdict_") {
            let c = EServiceCriterionKind::parse(c)?;
            return d
                .verdicts()
                .into_iter()
                .find(|v| v.0 == c)
                .map(|v| v.1.as_str().to_owned());
        }
        if let Some(c) = name.strip_prefix("note_") {
            let c = EServiceCriterionKind::parse(c)?;
            return d
                .verdicts()
                .into_iter()
                .find(|v| v.0 == c)?
                .2
                .map(str::to_owned);
        }
        match name {
            "name" => Some(d.name.clone()),
            "description" => d.description.clone(),
            "url" => d.url.clone(),
            "unit_id" => d.unit_id.map(|u| u.to_string()),
            "owner" => d.owner.clone(),
            "step" => Some(d.step.as_str().to_owned()),
            "other_target_groups" => d.other_target_groups.clone(),
            "statement_url" => d.statement_url.clone(),
            "statement_date" => day(d.statement_date),
            "accessibility_status" => d.accessibility_status.map(|s| s.as_str().to_owned()),
            "statement_reviewed_on" => day(d.statement_reviewed_on),
            _ => None,
        }
    }

    /// A field's value: as posted when the form came back, else as stored.
    pub fn v(&self, name: &str) -> String {
        self.w.value(FORM, name, self.stored(name))
    }

    /// Whether a box of a list (target groups, målområden) is ticked.
    pub fn ticked(&self, name: &str, code: &str) -> bool {
        if self.refused() {
            return self.w.posted.all(name).contains(&code);
        }
        self.editing.as_ref().is_some_and(|e| match name {
            "target_groups" => e.draft.target_groups.iter().any(|g| g.as_str() == code),
            _ => e.draft.goal_areas.iter().any(|g| g.as_str() == code),
        })
    }

    pub fn published(&self) -> bool {
        if self.refused() {
            return self.w.posted.checked("published");
        }
        self.editing.as_ref().is_some_and(|e| e.draft.published)
    }

    pub fn steps(&self) -> &'static [EServiceStep] {
        EServiceStep::ALL
    }

    pub fn target_groups(&self) -> &'static [EServiceTargetGroup] {
        EServiceTargetGroup::ALL
    }

    pub fn goal_areas(&self) -> &'static [EServiceGoalArea] {
        EServiceGoalArea::ALL
    }

    pub fn statuses(&self) -> &'static [EServiceAccessibility] {
        EServiceAccessibility::ALL
    }

    pub fn criteria(&self) -> &'static [EServiceCriterionKind] {
        EServiceCriterionKind::ALL
    }

    /// The verdicts, "not assessed" first (the choice of a new form).
    pub fn verdicts(&self) -> [EServiceVerdict; 3] {
        [
            EServiceVerdict::NotAssessed,
            EServiceVerdict::Met,
            EServiceVerdict::NotMet,
        ]
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
                .flat_map(|e| e.systems.iter().map(|s| s.name.clone()))
                .collect()
        };
        rows.extend(std::iter::repeat_n(String::new(), SPARE_ROWS + 1));
        rows
    }
}

async fn show(
    cx: &Cx,
    org: Organisation,
    editing: Option<EService>,
    w: Option<Words>,
) -> AppResult<Response> {
    let store = cx.store();
    let page = PageRequest::new(Some(1), Some(SUGGESTED));
    let filter = SystemFilter::default();
    let systems = store
        .list_systems(org.id, &filter, SystemSort::Name, false, page)
        .await?
        .items;
    let page = FormPage {
        w: w.unwrap_or_else(|| Words::new(cx.chrome(Some(org.clone()), "eservices"))),
        c: cx.chrome(Some(org.clone()), "eservices"),
        units: store.list_units(org.id).await?,
        editing,
        systems,
    };
    Ok(form_page(&page.w.errors, &page))
}

pub(in crate::html) async fn new_page(cx: Cx, at: OrgPath) -> AppResult<Response> {
    show(&cx, at.org, None, None).await
}

pub(in crate::html) async fn edit_page(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let id = eservice_id(&at)?;
    let e = cx.store().eservice(at.id(), id, today()).await?;
    show(&cx, at.org, Some(e), None).await
}

fn date(f: &FormData, e: &mut FieldErrors, name: &str) -> Option<chrono::NaiveDate> {
    f.opt(name)
        .and_then(|d| v::parse_date(&d).map_err(|c| e.add(name, c)).ok())
}

/// A word of a closed set, refused on its field when it is not one.
fn choice<T>(e: &mut FieldErrors, field: &str, s: &str, parse: fn(&str) -> Option<T>) -> Option<T> {
    let x = parse(s);
    if x.is_none() {
        e.add(field, v::UNKNOWN_CHOICE);
    }
    x
}

/// The form as a draft.
async fn parse(cx: &Cx, org: OrgId, f: &FormData) -> AppResult<Result<EServiceDraft, FieldErrors>> {
    let mut e = FieldErrors::new();
    let system_ids = typed_systems(cx, org, f, &mut e).await?;
    let unit_id = f.opt("unit_id").and_then(|u| {
        u.parse::<UnitId>()
            .map_err(|_| e.add("unit_id", v::UNKNOWN_CHOICE))
            .ok()
    });
    let step = choice(&mut e, "step", f.get("step"), EServiceStep::parse)
        .unwrap_or(EServiceStep::Information);
    let mut target_groups = vec![];
    for g in f.all("target_groups") {
        target_groups.extend(choice(
            &mut e,
            "target_groups",
            g,
            EServiceTargetGroup::parse,
        ));
    }
    let mut goal_areas = vec![];
    for g in f.all("goal_areas") {
        goal_areas.extend(choice(&mut e, "goal_areas", g, EServiceGoalArea::parse));
    }
    let accessibility_status = f.opt("accessibility_status").and_then(|s| {
        choice(
            &mut e,
            "accessibility_status",
            &s,
            EServiceAccessibility::parse,
        )
    });
    let mut criteria = vec![];
    for c in EServiceCriterionKind::ALL {
        let verdict = f
            .opt(&format!("verdict_{}", c.as_str()))
            .and_then(|s| choice(&mut e, "criteria", &s, EServiceVerdict::parse))
            .unwrap_or(EServiceVerdict::NotAssessed);
        let note = f.opt(&format!("note_{}", c.as_str()));
        if verdict != EServiceVerdict::NotAssessed || note.is_some() {
            criteria.push(EServiceCriterion {
                criterion: *c,
                verdict,
                note,
            });
        }
    }
    let d = EServiceDraft {
        name: f.get("name").to_owned(),
        description: f.opt("description"),
        url: f.opt("url"),
        unit_id,
        owner: f.opt("owner"),
        step,
        target_groups,
        other_target_groups: f.opt("other_target_groups"),
        goal_areas,
        system_ids,
        statement_url: f.opt("statement_url"),
        statement_date: date(f, &mut e, "statement_date"),
        accessibility_status,
        statement_reviewed_on: date(f, &mut e, "statement_reviewed_on"),
        criteria,
        published: f.checked("published"),
    };
    // A refused form names every field at once: the draft's own problems too.
    if !e.is_empty() {
        for p in v::Validate::problems(&d).0 {
            if e.get(&p.field).is_none() {
                e.0.push(p);
            }
        }
    }
    Ok(e.into_result(d))
}

/// After a post: to the e-service, or the form again with what was typed.
async fn after(
    cx: &Cx,
    at: OrgPath,
    editing: Option<EService>,
    f: FormData,
    posted: Posted<EService>,
) -> AppResult<Response> {
    match posted {
        Posted::Done(e) => see(format!("{}/{}?saved=1", base(&at.org.slug), e.id)),
        Posted::Invalid(errors) => {
            let w = Words {
                c: cx.chrome(Some(at.org.clone()), "eservices"),
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
    let add = async |d| cx.store().create_eservice(&cx.actor, org, d, today()).await;
    let posted = submit(draft, add).await?;
    after(&cx, at, None, f, posted).await
}

pub(in crate::html) async fn update(cx: Cx, at: OrgPath, f: FormData) -> AppResult<Response> {
    let (org, id) = (at.id(), eservice_id(&at)?);
    let before = cx.store().eservice(org, id, today()).await?;
    let draft = parse(&cx, org, &f).await?;
    let save = async |d| {
        cx.store()
            .update_eservice(&cx.actor, org, id, d, today())
            .await
    };
    let posted = submit(draft, save).await?;
    after(&cx, at, Some(before), f, posted).await
}

pub(in crate::html) async fn remove(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let (org, id) = (at.id(), eservice_id(&at)?);
    cx.store().remove_eservice(&cx.actor, org, id).await?;
    see(base(&at.org.slug))
}
