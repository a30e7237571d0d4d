//! Who may see and handle the incident a request names, for the API and the
//! pages alike: the domain's rule (`incident::may_see`, `may_handle`) on the
//! facts the store gathers. An incident the caller may not see is 404, as if
//! it did not exist; one they may only see is 403 to change. Whether the
//! organisation lets its readers see incidents is its setting (the store's
//! `incident_readers`).

use crate::auth::Principal;
use crate::context::OrgPath;
use crate::error::{AppError, AppResult};
use insyn_domain::incident::{
    IncidentFacts, handles_all, may_handle, may_see, sees_all as sees_all_incidents,
};
use insyn_domain::{IncidentId, OrgId};
use insyn_store::Store;

/// What the caller is to the incident in the path (`{incident}`); 404 when
/// they may not see it (or it is another organisation's).
pub async fn facts(
    store: &Store,
    me: &Principal,
    at: &OrgPath,
) -> AppResult<(IncidentId, IncidentFacts)> {
    let id = at.params.id("incident")?;
    let (holds, reported) = store.incident_facts(at.id(), id, &me.user.email).await?;
    let f = IncidentFacts {
        app_role: me.role_in(at.id()),
        holds_role_on_affected: holds,
        reported_it: reported,
        readers_allowed: store.incident_readers(at.id()).await?,
    };
    if may_see(&f) {
        Ok((id, f))
    } else {
        Err(AppError::NotFound)
    }
}

/// The incident in the path, if the caller may handle it (403 when they may
/// only see it).
pub async fn handled(store: &Store, me: &Principal, at: &OrgPath) -> AppResult<IncidentId> {
    let (id, f) = facts(store, me, at).await?;
    if may_handle(&f) {
        Ok(id)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Whether the caller sees every incident of the organisation (those who
/// handle them, and its readers when it allows), rather than only those
/// they reported or hold a role on.
pub async fn sees_all(store: &Store, me: &Principal, org: OrgId) -> AppResult<bool> {
    let role = me.role_in(org);
    // Those who handle every incident need not ask the setting.
    Ok(handles_all(role) || sees_all_incidents(role, store.incident_readers(org).await?))
}
