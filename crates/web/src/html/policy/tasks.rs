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
use axum::response::Response;
use insyn_store::access::{AccessReview, ReviewFilter};
use insyn_store::policy::{SnapshotRead, Task};

#[derive(Template)]
#[template(path = "tasks.html")]
pub(super) struct TasksPage {
    c: Chrome,
    compliance: SnapshotRead,
    tasks: Vec<Task>,
    /// Said when the snapshot is older than the data.
    stale: Option<String>,
    /// The open access reviews the person is the reviewer of.
    access_reviews: Vec<AccessReview>,
    /// Roles still held by people who have left: the security
    /// coordinator's (and the administrator's) to hand over or end.
    leavers: Vec<insyn_store::AssignmentView>,
    /// The access orders waiting for the person to decide or carry out.
    access: AccessTasks,
    /// The open reporting clocks of the incidents the person handles.
    incident_clocks: Vec<IncidentTask>,
    /// The planned restore tests due or overdue that are the person's.
    restore_tests: Vec<PlannedItem>,
    /// The roles of people who moved from a unit the person manages (or,
    /// for a coordinator, from a unit without a manager): to hand over or keep.
    handovers: Vec<insyn_store::movers::RoleHandover>,
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
    /// Where to act on it.
    pub fn href(&self, t: &Task) -> String {
        match &t.system {
            Some((id, _)) => format!("/o/{}/systems/{id}/compliance", self.c.org_slug()),
            None => format!("/o/{}/cycle", self.c.org_slug()),
        }
    }
}

pub(in crate::html) async fn tasks_page(
    cx: Cx,
    me: Principal,
    OrgPath { org, .. }: OrgPath,
) -> AppResult<Response> {
    let compliance = cx.store().compliance_snapshot(org.id, today()).await?;
    let tasks = compliance.tasks_for(&me.user.email);
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
        cx.store().leavers_roles(org.id).await?
    } else {
        vec![]
    };
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
    let c = cx.chrome(Some(org), "tasks");
    Ok(render(&TasksPage {
        stale: stale_note(&c, &compliance),
        c,
        compliance,
        tasks,
        access_reviews,
        leavers,
        access,
        incident_clocks,
        restore_tests,
        handovers,
    }))
}
