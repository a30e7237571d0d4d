//! The incident clocks in "Mina uppgifter": every open clock (running,
//! awaiting the significance assessment, or missed) of the open incidents
//! the signed-in person handles, the most urgent first, in plain words.

use super::words::{clock_class, clock_state, when};
use crate::auth::Principal;
use crate::error::AppResult;
use crate::html::Cx;
use chrono::Utc;
use insyn_domain::incident::{IncidentFacts, handles_all, may_handle};
use insyn_domain::*;
use insyn_store::incidents::IncidentFilter;

/// The most open incidents read for one person's tasks.
const READ: u32 = 50;

/// One open clock of an incident the person handles.
pub struct IncidentTask {
    pub href: String,
    pub number: i64,
    pub title: String,
    /// The deadline, by name in the page's language.
    pub clock: String,
    pub due: String,
    pub state: String,
    pub class: &'static str,
    due_at: chrono::DateTime<Utc>,
}

/// Builds the list for the signed-in person.
pub async fn incident_tasks(
    cx: &Cx,
    me: &Principal,
    org: OrgId,
    slug: &str,
) -> AppResult<Vec<IncidentTask>> {
    let store = cx.store();
    let role = me.role_in(org);
    let all = handles_all(role);
    let filter = IncidentFilter {
        open: true,
        system: None,
        visible_to: (!all).then(|| me.user.email.clone()),
    };
    let page = PageRequest {
        page: 1,
        per_page: READ,
    };
    let now = Utc::now();
    let mut handled = vec![];
    for i in store.incidents(org, filter, page).await?.items {
        if !all {
            // The reporter sees an incident but does not handle it.
            let (holds, reported) = store.incident_facts(org, i.id, &me.user.email).await?;
            let f = IncidentFacts {
                app_role: role,
                holds_role_on_affected: holds,
                reported_it: reported,
                // What the organisation lets readers see changes nothing of
                // what they handle.
                readers_allowed: false,
            };
            if !may_handle(&f) {
                continue;
            }
        }
        handled.push(i);
    }
    // The clocks only, not each incident's whole view.
    let clocks = store.incident_clocks(org, &handled, now).await?;
    let mut out = vec![];
    for (i, clocks) in handled.iter().zip(clocks) {
        for c in clocks.iter().filter(|c| c.is_open()) {
            out.push(IncidentTask {
                href: format!("/o/{slug}/incidents/{}", i.id),
                number: i.number,
                title: i.title.clone(),
                clock: match cx.lang {
                    crate::i18n::Lang::En => c.deadline.name_en.clone(),
                    _ => c.deadline.name_sv.clone(),
                },
                due: when(cx.lang, c.due_at),
                state: clock_state(cx.lang, c),
                class: clock_class(c),
                due_at: c.due_at,
            });
        }
    }
    out.sort_by_key(|t| t.due_at);
    Ok(out)
}
