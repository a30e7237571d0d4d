//! Who may see and handle the incident a request names, for the API and the
//! pages alike: the domain's rule (`incident::may_see`, `may_handle`) on the
//! facts the store gathers. An incident the caller may not see is 404, as if
//! it did not exist; one they may only see is 403 to change.

use crate::auth::Principal;
use crate::context::OrgPath;
use crate::error::{AppError, AppResult};
use insyn_domain::IncidentId;
use insyn_domain::incident::{IncidentFacts, may_handle, may_see};
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
