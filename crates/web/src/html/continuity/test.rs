//! One restore test: what was done and measured, met or not against the
//! requirements it was judged by (with the figures), the evidence, recording
//! a planned test as performed, and its deviation actions.

use super::*;
use crate::html::incidents::page::action_draft;

#[derive(Template)]
#[template(path = "restore_test.html")]
pub(in crate::html) struct TestPage {
    w: Words,
    c: Chrome,
    s: System,
    can: OnSystem,
    t: RestoreTestView,
    people: Vec<Person>,
}

impl TestPage {
    pub fn base(&self) -> String {
        format!(
            "/o/{}/systems/{}/restore-tests/{}",
            self.c.org_slug(),
            self.s.id,
            self.t.test.id
        )
    }

    pub fn system_base(&self) -> String {
        format!("/o/{}/systems/{}", self.c.org_slug(), self.s.id)
    }

    pub fn tv(&self, name: &str) -> String {
        self.w.test_value("test", Some(&self.t.test), name)
    }
}

async fn view(cx: &Cx, at: &SystemPath, id: Uuid, w: Option<Words>) -> AppResult<Response> {
    let (org, sid) = (&at.org, at.system);
    let store = cx.store();
    let can = cx.on_system(org.id, sid).await?;
    let people = if can.edit {
        store.people_if_few(org.id, 500).await?
    } else {
        vec![]
    };
    let page = TestPage {
        w: w.unwrap_or_else(|| Words::new(cx.chrome(Some(org.clone()), "systems"))),
        c: cx.chrome(Some(org.clone()), "systems"),
        s: store.get_system(org.id, sid).await?,
        t: store.restore_test(org.id, sid, id).await?,
        can,
        people,
    };
    Ok(form_page(&page.w.errors, &page))
}

pub(in crate::html) async fn test_page(cx: Cx, at: SystemPath) -> AppResult<Response> {
    let id = at.params.id("test")?;
    view(&cx, &at, id, None).await
}

/// Back to the test, or the test again with the refused form.
async fn after<T>(
    cx: &Cx,
    at: SystemPath,
    id: Uuid,
    form: &str,
    f: FormData,
    posted: Posted<T>,
) -> AppResult<Response> {
    let done = format!(
        "/o/{}/systems/{}/restore-tests/{id}?saved=1#{form}",
        at.org.slug, at.system
    );
    let again = async |w| view(cx, &at, id, Some(w)).await;
    Words::after(cx, &at.org, done, form, f, posted, again).await
}

pub(in crate::html) async fn save_test(cx: Cx, at: SystemPath, f: FormData) -> AppResult<Response> {
    let (org, system, id): (_, _, Uuid) = (at.org.id, at.system, at.params.id("test")?);
    let today = crate::nav::today();
    let save = async |d| {
        cx.store()
            .update_restore_test(&cx.actor, org, system, id, d, today)
            .await
    };
    let posted = submit(test_draft(&f), save).await?;
    after(&cx, at, id, "test", f, posted).await
}

pub(in crate::html) async fn add_action(
    cx: Cx,
    at: SystemPath,
    f: FormData,
) -> AppResult<Response> {
    let (org, system, id): (_, _, Uuid) = (at.org.id, at.system, at.params.id("test")?);
    let add = async |d| {
        cx.store()
            .add_restore_action(&cx.actor, org, system, id, d)
            .await
    };
    let posted = submit(action_draft(&f), add).await?;
    after(&cx, at, id, "action", f, posted).await
}

/// Marks an action done today.
pub(in crate::html) async fn finish_action(cx: Cx, at: SystemPath) -> AppResult<Response> {
    let (org, system) = (at.org.id, at.system);
    let (id, action): (Uuid, Uuid) = (at.params.id("test")?, at.params.id("action")?);
    let t = cx.store().restore_test(org, system, id).await?;
    let a = t
        .actions
        .into_iter()
        .find(|a| a.id == action)
        .ok_or(AppError::NotFound)?;
    let draft = a.done(crate::nav::today());
    cx.store()
        .update_restore_action(&cx.actor, org, system, id, action, draft)
        .await?;
    see(format!(
        "/o/{}/systems/{}/restore-tests/{id}?saved=1#actions",
        at.org.slug, at.system
    ))
}

/// Removes a planned test after the page's confirmation (a performed one
/// stays: the page says why), back to the system's continuity tab.
pub(in crate::html) async fn remove_test(cx: Cx, at: SystemPath) -> AppResult<Response> {
    let (org, system, id): (_, _, Uuid) = (at.org.id, at.system, at.params.id("test")?);
    let remove = async |()| {
        cx.store()
            .remove_planned_restore_test(&cx.actor, org, system, id)
            .await
    };
    match submit(Ok(()), remove).await? {
        Posted::Done(_) => see(format!(
            "/o/{}/systems/{}/continuity?saved=1",
            at.org.slug, at.system
        )),
        Posted::Invalid(errors) => {
            let w = Words::refused(&cx, &at.org, "remove", FormData::default(), errors);
            view(&cx, &at, id, Some(w)).await
        }
    }
}
