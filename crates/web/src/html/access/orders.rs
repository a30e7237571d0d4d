//! Behörighetsbeställning: the order form on a system, an order's page with
//! its steps and the form of the next step for the party who may take it,
//! the organisation's orders, and the orders waiting for the signed-in
//! person in "Mina uppgifter". Removal orders look and work the same.

use super::*;
use crate::access_facts::{Duty, facts};
use crate::auth::Principal;
use crate::context::OrgPath;
use crate::forms::FormData;
use crate::nav::today;
use crate::query::PagingQuery;
use insyn_store::access::{AccessOrderView, OrderFilter};

pub(in crate::html) use crate::access_facts::{AccessTask, access_tasks_and_profiles};

#[derive(Template)]
#[template(path = "access_order_form.html")]
pub(in crate::html) struct OrderFormPage {
    c: Chrome,
    s: System,
    /// The profiles the signed-in person may order (not archived ones).
    profiles: Vec<AccessProfile>,
    people_hint: Vec<Person>,
    form: FormData,
    errors: FieldErrors,
}

impl OrderFormPage {
    pub fn base(&self) -> String {
        format!("/o/{}/systems/{}", self.c.org_slug(), self.s.id)
    }

    pub fn v(&self, name: &str) -> &str {
        self.form.get(name)
    }

    pub fn chosen(&self, p: &AccessProfile) -> bool {
        self.form
            .all("profile_ids")
            .contains(&p.id.to_string().as_str())
    }

    pub fn err(&self, field: &str) -> Option<String> {
        self.errors
            .get(field)
            .map(|_| self.c.field_error(&self.errors, field))
    }

    /// The profiles that require a reason, by name.
    pub fn reason_required(&self) -> String {
        let names: Vec<&str> = self
            .profiles
            .iter()
            .filter(|p| p.reason_required)
            .map(|p| p.name.as_str())
            .collect();
        names.join(", ")
    }
}

/// The profiles of the system the signed-in person may order.
async fn orderable(
    cx: &Cx,
    me: &Principal,
    org: OrgId,
    sid: SystemId,
    person: Option<PersonId>,
) -> AppResult<Vec<AccessProfile>> {
    let f = facts(cx.store(), me, org, sid, person, None).await?;
    let all = cx.store().access_profiles(org, sid).await?;
    Ok(all
        .into_iter()
        .filter(|p| !p.archived && may_order(&p.parties(), &f))
        .collect())
}

async fn order_form_view(
    cx: &Cx,
    me: &Principal,
    org: Organisation,
    sid: SystemId,
    form: FormData,
    errors: FieldErrors,
) -> AppResult<Response> {
    let s = cx.store().get_system(org.id, sid).await?;
    let page = OrderFormPage {
        profiles: orderable(cx, me, org.id, sid, None).await?,
        people_hint: cx.store().people_if_few(org.id, 500).await?,
        c: cx.chrome(Some(org), "systems"),
        s,
        form,
        errors,
    };
    Ok(form_page(&page.errors, &page))
}

/// The order form's prefill: a removal of one holding, from the tab.
#[derive(Debug, Default, serde::Deserialize)]
pub(in crate::html) struct Prefill {
    kind: Option<String>,
    person: Option<PersonId>,
    profile: Option<AccessProfileId>,
}

pub(in crate::html) async fn order_form(
    cx: Cx,
    me: Principal,
    at: SystemPath,
    Query(pre): Query<Prefill>,
) -> AppResult<Response> {
    let mut form = vec![
        (
            "kind".to_owned(),
            pre.kind.unwrap_or_else(|| "grant".into()),
        ),
        ("start_date".to_owned(), today().to_string()),
    ];
    if let Some(id) = pre.person {
        let p = cx.store().get_person(at.org.id, id).await?;
        let shown = match p.email {
            Some(m) => format!("{} <{m}>", p.name),
            None => p.name,
        };
        form.push(("person".into(), shown));
    }
    if let Some(id) = pre.profile {
        form.push(("profile_ids".into(), id.to_string()));
    }
    let form = FormData(form);
    order_form_view(&cx, &me, at.org, at.system, form, FieldErrors::new()).await
}

/// The order the form describes; the person is found by e-mail or name.
async fn order_draft(
    cx: &Cx,
    org: OrgId,
    form: &FormData,
) -> AppResult<Result<AccessOrderDraft, FieldErrors>> {
    let mut e = FieldErrors::new();
    let kind = OrderKind::parse(form.get("kind")).unwrap_or_else(|| {
        e.add("kind", v::UNKNOWN_CHOICE);
        OrderKind::Grant
    });
    let new_person = match (form.get("new_person.name"), form.get("new_person.email")) {
        ("", "") => None,
        (name, email) => Some(NewPerson {
            name: name.to_owned(),
            email: email.to_owned(),
        }),
    };
    let person = super::systems::resolve_person(&cx.state, org, form.get("person")).await?;
    let named = !form.get("person").trim().is_empty();
    if named && person.is_none() {
        e.add("person", v::UNKNOWN_REFERENCE);
    } else if !named && new_person.is_none() {
        e.add("person", v::REQUIRED);
    }
    let mut profile_ids = vec![];
    for id in form.all("profile_ids") {
        match id.parse() {
            Ok(id) => profile_ids.push(id),
            Err(_) => e.add("profile_ids", v::UNKNOWN_REFERENCE),
        }
    }
    let mut date = |name: &str| match form.get(name) {
        "" => None,
        s => v::parse_date(s).map_err(|code| e.add(name, code)).ok(),
    };
    let start_date = date("start_date");
    let end_date = date("end_date");
    if start_date.is_none() && e.get("start_date").is_none() {
        e.add("start_date", v::REQUIRED);
    }
    let (Some(start_date), true) = (start_date, e.is_empty()) else {
        return Ok(Err(e));
    };
    Ok(Ok(AccessOrderDraft {
        kind,
        person_id: person,
        new_person,
        profile_ids,
        reason: form.opt("reason"),
        start_date,
        end_date,
        ticket: form.opt("ticket"),
    }))
}

pub(in crate::html) async fn place_order(
    cx: Cx,
    me: Principal,
    at: SystemPath,
    form: FormData,
) -> AppResult<Response> {
    let (org, sid) = (at.org.id, at.system);
    let mut draft = order_draft(&cx, org, &form).await?;
    if let Ok(d) = &draft {
        let mine = orderable(&cx, &me, org, sid, d.person_id).await?;
        if d.profile_ids
            .iter()
            .any(|id| !mine.iter().any(|p| p.id == *id))
        {
            draft = Err(FieldErrors::single(
                "profile_ids",
                "error-access-may-not-order",
            ));
        }
    }
    let place = async |d| cx.store().order_access(&cx.actor, org, sid, d).await;
    match submit(draft, place).await? {
        Posted::Done(orders) => match orders.as_slice() {
            [one] => see(format!(
                "/o/{}/access-orders/{}?saved=1",
                at.org.slug, one.id
            )),
            _ => see(format!(
                "{}/access?saved=1#orders",
                system_base(&at.org, sid)
            )),
        },
        Posted::Invalid(errors) => order_form_view(&cx, &me, at.org, sid, form, errors).await,
    }
}

#[derive(Template)]
#[template(path = "access_order.html")]
pub(in crate::html) struct OrderPage {
    c: Chrome,
    v: AccessOrderView,
    person: Person,
    system: System,
    /// The steps the signed-in person may take now.
    steps: Vec<OrderStep>,
    flash: Option<String>,
    form: FormData,
    errors: FieldErrors,
}

impl AccessWords for OrderPage {
    fn chrome(&self) -> &Chrome {
        &self.c
    }
}

impl OrderPage {
    pub fn action(&self) -> String {
        format!("/o/{}/access-orders/{}", self.c.org_slug(), self.v.order.id)
    }

    pub fn waits_for(&self) -> Option<String> {
        let parties = self.v.profile.parties();
        self.v
            .order
            .state
            .next_party(&parties)
            .map(|p| self.party_text(p))
    }

    pub fn may(&self, step: &str) -> bool {
        self.steps.iter().any(|s| s.as_str() == step)
    }

    /// Whether the form is the executor's (with the date it was done).
    pub fn executes(&self) -> bool {
        self.may("carry_out") || self.may("fail")
    }

    pub fn err(&self, field: &str) -> Option<String> {
        self.errors
            .get(field)
            .map(|_| self.c.field_error(&self.errors, field))
    }
}

async fn order_view(
    cx: &Cx,
    me: &Principal,
    org: Organisation,
    id: AccessOrderId,
    form: FormData,
    errors: FieldErrors,
    flash: Option<String>,
) -> AppResult<Response> {
    let store = cx.store();
    let v = store.access_order(org.id, id).await?;
    let f = facts(
        store,
        me,
        org.id,
        v.order.system_id,
        Some(v.order.person_id),
        Some(&v.order.ordered_by),
    )
    .await?;
    let parties = v.profile.parties();
    let steps = OrderStep::ALL
        .iter()
        .copied()
        .filter(|s| v.order.state.after(*s).is_ok() && may_take(*s, &parties, &f).is_ok())
        .collect();
    let page = OrderPage {
        person: store.get_person(org.id, v.order.person_id).await?,
        system: store.get_system(org.id, v.order.system_id).await?,
        c: cx.chrome(Some(org), "access"),
        v,
        steps,
        flash,
        form,
        errors,
    };
    Ok(form_page(&page.errors, &page))
}

#[derive(Debug, Default, serde::Deserialize)]
pub(in crate::html) struct Saved {
    saved: Option<String>,
}

pub(in crate::html) async fn order_page(
    cx: Cx,
    me: Principal,
    at: OrgPath,
    Query(q): Query<Saved>,
) -> AppResult<Response> {
    let id = at.params.id("order")?;
    let flash = q.saved.map(|_| cx.t("flash-saved"));
    let form = FormData(vec![("done_on".into(), today().to_string())]);
    order_view(&cx, &me, at.org, id, form, FieldErrors::new(), flash).await
}

/// Takes the step the pressed button names, if it is the signed-in
/// person's to take.
pub(in crate::html) async fn take_step(
    cx: Cx,
    me: Principal,
    at: OrgPath,
    form: FormData,
) -> AppResult<Response> {
    let org = at.id();
    let id: AccessOrderId = at.params.id("order")?;
    let view = cx.store().access_order(org, id).await?;
    let Some(step) = OrderStep::parse(form.get("step")) else {
        let e = FieldErrors::single("step", v::UNKNOWN_CHOICE);
        return order_view(&cx, &me, at.org, id, form, e, None).await;
    };
    let f = facts(
        cx.store(),
        &me,
        org,
        view.order.system_id,
        Some(view.order.person_id),
        Some(&view.order.ordered_by),
    )
    .await?;
    may_take(step, &view.profile.parties(), &f)
        .map_err(|no| AppError::ForbiddenBecause(no.code()))?;
    let mut e = FieldErrors::new();
    let done_on = match (step, form.get("done_on")) {
        (OrderStep::CarryOut, s) if !s.is_empty() => {
            v::parse_date(s).map_err(|code| e.add("done_on", code)).ok()
        }
        _ => None,
    };
    let draft = e.into_result(OrderStepDraft {
        step,
        comment: form.opt("comment"),
        ticket: form.opt("ticket"),
        done_on,
    });
    let act = async |d| cx.store().order_step(&cx.actor, org, id, d).await;
    match submit(draft, act).await? {
        Posted::Done(_) => see(format!("/o/{}/access-orders/{id}?saved=1", at.org.slug)),
        Posted::Invalid(errors) => order_view(&cx, &me, at.org, id, form, errors, None).await,
    }
}

#[derive(Template)]
#[template(path = "access_orders.html")]
pub(in crate::html) struct OrdersPage {
    c: Chrome,
    orders: Page<AccessOrder>,
    names: Names,
    all_orders: bool,
    prev_href: Option<String>,
    next_href: Option<String>,
}

impl AccessWords for OrdersPage {
    fn chrome(&self) -> &Chrome {
        &self.c
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub(in crate::html) struct OrdersQuery {
    orders: Option<String>,
    page: Option<String>,
}

/// Behörighetsbeställningar: the organisation's open orders (or all), the
/// newest first, a page at a time.
pub(in crate::html) async fn orders_page(
    cx: Cx,
    at: OrgPath,
    Query(q): Query<OrdersQuery>,
) -> AppResult<Response> {
    let org = at.org;
    let all_orders = q.orders.as_deref() == Some("all");
    let paging = PagingQuery {
        page: q.page.clone(),
        per_page: None,
    };
    let filter = OrderFilter {
        open: !all_orders,
        ..OrderFilter::default()
    };
    let orders = cx
        .store()
        .access_orders(org.id, filter, paging.parse().unwrap_or_default())
        .await?;
    let names = Names::of_orders(cx.store(), org.id, &orders.items).await?;
    let kept = if all_orders {
        vec![("orders", "all".to_owned())]
    } else {
        vec![]
    };
    let (prev_href, next_href) = pager(
        &orders,
        &format!("/o/{}/access-orders", org.slug),
        &kept,
        "page",
    );
    Ok(render(&OrdersPage {
        c: cx.chrome(Some(org), "access"),
        orders,
        names,
        all_orders,
        prev_href,
        next_href,
    }))
}

/// The signed-in person's access tasks with the names they show, for "Mina
/// uppgifter".
pub(in crate::html) struct AccessTasks {
    pub tasks: Vec<AccessTask>,
    pub names: Names,
}

impl AccessTasks {
    pub async fn of(cx: &Cx, me: &Principal, org: OrgId) -> AppResult<Self> {
        let (tasks, profiles) = access_tasks_and_profiles(cx.store(), me, org).await?;
        let orders: Vec<AccessOrder> = tasks.iter().map(|t| t.order.clone()).collect();
        let mut names = Names::of_people_and_systems(cx.store(), org, &orders).await?;
        names.add_profiles(profiles.values());
        Ok(Self { tasks, names })
    }

    pub fn kind_text(&self, c: &Chrome, t: &AccessTask) -> String {
        c.t(&format!("access-kind-{}", t.order.kind.as_str()))
    }

    pub fn duty_text(&self, c: &Chrome, t: &AccessTask) -> String {
        c.t(match t.duty {
            Duty::Decide => "access-duty-decide",
            Duty::CarryOut => "access-duty-carry-out",
        })
    }
}
