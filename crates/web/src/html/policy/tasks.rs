//! "Mina uppgifter": what the signed-in person must do under the profile.

use super::{Words, stale_note, today};
use crate::auth::Principal;
use crate::context::OrgPath;
use crate::error::AppResult;
use crate::html::access::AccessTasks;
use crate::html::continuity::planned::{PlannedItem, planned_tasks};
use crate::html::incidents::tasks::{IncidentTask, incident_tasks};
use crate::html::{Chrome, Cx, render};
use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use insyn_domain::listing::PageRequest;
use insyn_domain::policy::{ActionForm, TaskGroup, action};
use insyn_store::access::{AccessReview, ReviewFilter};
use insyn_store::policy::{SnapshotRead, Task};

#[derive(Template)]
#[template(path = "tasks.html")]
pub(super) struct TasksPage {
    c: Chrome,
    compliance: SnapshotRead,
    /// Said when the snapshot is older than the data.
    stale: Option<String>,
    /// One page of the person's compliance tasks, one group per system,
    /// the organisation's own last.
    groups: Vec<TaskGroup>,
    /// How many tasks there are on every page.
    task_total: usize,
    prev_href: Option<String>,
    next_href: Option<String>,
    /// "Sida 2 av 5 000", when there is more than one page.
    page_of: Option<String>,
    /// The open access reviews the person is the reviewer of.
    access_reviews: Vec<AccessReview>,
    /// Roles still held by people who have left: the security
    /// coordinator's (and the administrator's) to hand over or end.
    leavers: Vec<insyn_store::AssignmentView>,
    /// How many roles leavers hold, and the links to the other pages of them.
    leavers_total: i64,
    leavers_prev: Option<String>,
    leavers_next: Option<String>,
    /// The access orders waiting for the person to decide or carry out.
    access: AccessTasks,
    /// The open reporting clocks of the incidents the person handles.
    incident_clocks: Vec<IncidentTask>,
    /// The planned restore tests due or overdue that are the person's.
    restore_tests: Vec<PlannedItem>,
    /// The contracts whose last day to give notice is near and whose
    /// reminders go to the person.
    contracts: Vec<ContractTask>,
    /// The roles of people who moved from a unit the person manages (or,
    /// for a coordinator, from a unit without a manager): to hand over or keep.
    handovers: Vec<insyn_store::movers::RoleHandover>,
}

/// A contract whose last day to give notice is near.
pub(super) struct ContractTask {
    href: String,
    name: String,
    supplier: String,
    day: String,
    /// What to do by that day, in the reader's language.
    action: String,
}

impl TasksPage {
    pub fn w(&self) -> Words<'_> {
        Words {
            c: &self.c,
            profile: &self.compliance.profile,
        }
    }
    pub fn as_role(&self, t: &Task) -> String {
        self.w().role(&t.as_role)
    }

    /// What to do, in plain words ("Utse en systemförvaltare för Treserva
    /// (senast 2027-01-31)").
    pub fn action(&self, t: &Task) -> String {
        let lang = self.c.lang;
        let a = action(&t.finding, t.system.is_some());
        let mut args = vec![];
        if let Some((_, name)) = &t.system {
            args.push(("system", name.clone()));
        }
        if !a.roles.is_empty() {
            args.push(("role", roles_in_words(lang, &a.roles)));
        }
        if a.names_control {
            let p = &self.compliance.profile.profile;
            let name = p
                .controls
                .iter()
                .find(|c| *c.control == *t.finding.subject())
                .map(|c| c.name(lang.code()).to_owned())
                .unwrap_or_else(|| t.finding.subject().to_string());
            args.push(("control", name));
        }
        if a.names_document {
            args.push(("document", self.w().rule(&t.finding)));
        }
        let words = lang.t_args(a.key, &args);
        match a.when.key() {
            Some((key, date)) => format!("{words} ({})", lang.t_with(key, "date", date)),
            None => words,
        }
    }

    /// Where the task is done: the form that does it.
    pub fn href(&self, t: &Task) -> String {
        let org = format!("/o/{}", self.c.org_slug());
        let Some((id, _)) = &t.system else {
            return format!("{org}/cycle#org-controls");
        };
        let sys = format!("{org}/systems/{id}");
        match action(&t.finding, true).form {
            ActionForm::AssignRole(role) => format!("{sys}?role={role}#assign-heading"),
            ActionForm::Classification => format!("{sys}/security#sets"),
            ActionForm::SecurityPlan => format!("{sys}/plan"),
            ActionForm::Approval => format!("{sys}/approval#new-approval"),
            ActionForm::CriticalDecision => format!("{sys}/security#decision"),
            ActionForm::OutagePlan => format!("{sys}/outage-plan"),
            ActionForm::Continuity => format!("{sys}/continuity"),
            ActionForm::Decommissioning => format!("{sys}/decommissioning"),
            ActionForm::ProcessingRecords => format!("{org}/processing-records"),
            ActionForm::ProcessorAgreements => format!("{sys}/processors"),
            ActionForm::Contracts => format!("{org}/contracts"),
            ActionForm::AiAct => format!("{sys}/ai"),
            ActionForm::Documents => format!("{sys}/compliance#documents"),
            ActionForm::SystemControl(code) => format!("{sys}/compliance?control={code}#controls"),
            ActionForm::AnnualReview => format!("{sys}/compliance#reviews"),
            ActionForm::OrgControl(_) => format!("{org}/cycle#org-controls"),
            ActionForm::EditSystem => format!("{sys}/edit"),
        }
    }

    /// The words on the task's button.
    pub fn button(&self, t: &Task) -> String {
        let key = match action(&t.finding, t.system.is_some()).form {
            ActionForm::AssignRole(_) => "task-go-appoint",
            ActionForm::Classification => "task-go-classify",
            ActionForm::SecurityPlan | ActionForm::OutagePlan => "task-go-plan",
            ActionForm::Approval | ActionForm::CriticalDecision => "task-go-decide",
            ActionForm::SystemControl(_) | ActionForm::OrgControl(_) => "task-go-record",
            ActionForm::AnnualReview => "task-go-review",
            ActionForm::EditSystem => "task-go-fill-in",
            _ => "task-go-open",
        };
        self.c.t(key)
    }
}

/// Role names in a sentence with their article: "en systemförvaltare eller
/// systemadministratör", "an operations manager or system contact person".
fn roles_in_words(lang: crate::i18n::Lang, codes: &[String]) -> String {
    let names: Vec<String> = codes
        .iter()
        .map(|c| in_sentence(&super::role_name(lang, c)))
        .collect();
    let joined = names.join(&format!(" {} ", lang.t("task-or")));
    let article = match lang {
        crate::i18n::Lang::En if joined.starts_with(['a', 'e', 'i', 'o', 'u']) => "an",
        crate::i18n::Lang::En => "a",
        crate::i18n::Lang::Sv => "en",
    };
    format!("{article} {joined}")
}

/// A name as it reads inside a sentence: lower case first, unless it is an
/// abbreviation ("IT-säkerhetssamordnare").
fn in_sentence(name: &str) -> String {
    let mut chars = name.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if !second.is_uppercase() => {
            first.to_lowercase().chain(name.chars().skip(1)).collect()
        }
        _ => name.to_owned(),
    }
}

/// How many systems' tasks one page shows.
const GROUPS_PER_PAGE: u32 = 20;
/// How many of the leavers' roles one page shows.
const LEAVERS_PER_PAGE: u32 = 20;

/// Which page of the tasks, and which of the leavers' roles.
#[derive(Debug, Default, serde::Deserialize)]
pub(in crate::html) struct TasksQuery {
    page: Option<String>,
    leavers: Option<String>,
}

pub(in crate::html) async fn tasks_page(
    cx: Cx,
    me: Principal,
    OrgPath { org, .. }: OrgPath,
    Query(pq): Query<TasksQuery>,
) -> AppResult<Response> {
    let compliance = cx.store().compliance_snapshot(org.id, today()).await?;
    // A page past the end shows nothing more; a malformed number the first page.
    let number = |n: &Option<String>| n.as_deref().and_then(|n| n.trim().parse::<u32>().ok());
    let page = number(&pq.page).unwrap_or(1);
    let req = PageRequest::new(Some(page), Some(GROUPS_PER_PAGE));
    let snapshot = &compliance.snapshot;
    let groups = snapshot.task_groups(&me.user.email, req);
    let task_total = snapshot.task_count(&me.user.email);
    let base = format!("/o/{}/tasks", org.slug);
    let (prev_href, next_href) =
        crate::html::page::prev_next(&groups, |n| format!("{base}?page={n}#tasks-heading"));
    let page_of = (groups.pages() > 1).then(|| {
        cx.lang.t_args(
            "tasks-page-of",
            &[
                ("page", groups.page.to_string()),
                ("pages", groups.pages().to_string()),
                ("per", GROUPS_PER_PAGE.to_string()),
            ],
        )
    });
    let open = ReviewFilter {
        system: None,
        open: true,
    };
    let email = me.user.email.trim();
    let access_reviews = cx
        .store()
        .access_reviews(org.id, open)
        .await?
        .into_iter()
        .filter(|r| {
            r.reviewer_email
                .as_deref()
                .is_some_and(|e| e.trim().eq_ignore_ascii_case(email))
        })
        .collect();
    let coordinates = crate::access_facts::coordinates(&me, org.id);
    let handovers = cx
        .store()
        .role_handovers_for(org.id, &me.user.email, coordinates)
        .await?;
    let leavers = if coordinates {
        let req = PageRequest::new(number(&pq.leavers), Some(LEAVERS_PER_PAGE));
        cx.store().leavers_roles(org.id, req).await?
    } else {
        insyn_domain::Page::of(vec![], 0, PageRequest::default())
    };
    let (leavers_prev, leavers_next) =
        crate::html::page::prev_next(&leavers, |n| format!("{base}?leavers={n}#h-leavers"));
    let access = AccessTasks::of(&cx, &me, org.id).await?;
    let incident_clocks = incident_tasks(&cx, &me, org.id, &org.slug).await?;
    let restore_tests = planned_tasks(
        &cx,
        org.id,
        &org.slug,
        &compliance,
        &me.user.email,
        &me.user.name,
    )
    .await?;
    let words = crate::html::contracts::Words { lang: cx.lang };
    let contracts = cx
        .store()
        .contract_tasks_for(org.id, &me.user.email, today())
        .await?
        .into_iter()
        .map(|k| ContractTask {
            href: format!("/o/{}/contracts/{}", org.slug, k.id),
            day: k
                .dates
                .last_notice_day
                .map(|d| d.to_string())
                .unwrap_or_default(),
            action: k.dates.action.map(|a| words.action(&a)).unwrap_or_default(),
            name: k.name,
            supplier: k.supplier_name,
        })
        .collect();
    let c = cx.chrome(Some(org), "tasks");
    Ok(render(&TasksPage {
        stale: stale_note(&c, &compliance),
        c,
        compliance,
        groups: groups.items,
        task_total,
        prev_href,
        next_href,
        page_of,
        access_reviews,
        leavers_total: leavers.total,
        leavers: leavers.items,
        leavers_prev,
        leavers_next,
        access,
        incident_clocks,
        restore_tests,
        contracts,
        handovers,
    }))
}
