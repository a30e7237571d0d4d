//! Who the caller is as a party to access orders on a system (the facts the
//! domain's rules `may_order` and `may_take` are asked about), and the
//! profile a path names. Below `html` and `api`, so that the pages and the
//! API ask the same questions the same way.

use crate::auth::Principal;
use crate::context::SystemPath;
use crate::error::{AppError, AppResult};
use insyn_domain::access::{AccessProfile, ActingFacts, OrderState, OrderStep, may_take};
use insyn_domain::{AccessProfileId, OrgId, PageRequest, PersonId, SystemId};
use insyn_store::Store;
use insyn_store::access::{AccessOrder, OrderFilter};
use std::collections::HashMap;

/// What is known of the caller as a party to orders on `system` for
/// `person` (when known): the caller manages them when they are the manager
/// (chef) of the person's unit.
pub async fn facts(
    store: &Store,
    me: &Principal,
    org: OrgId,
    system: SystemId,
    person: Option<PersonId>,
    placed_by: Option<&str>,
) -> AppResult<ActingFacts> {
    let email = &me.user.email;
    // Without a person yet (the order form's list of profiles), managing
    // anyone is enough; the order itself is checked for its person.
    let manages_person = match person {
        Some(p) => store.manages_person(org, email, p).await?,
        None => store.manages_anyone(org, email).await?,
    };
    Ok(ActingFacts {
        app_role: me.role_in(org),
        system_roles: store.roles_on_system(org, system, email).await?,
        manages_person,
        placed_order: placed_by.is_some_and(|by| placed(email, by)),
    })
}

/// Whether the user with `email` placed an order the trail says was placed
/// `by`: the actor's name is the e-mail address, followed by the token's
/// name when the order was placed with an API token.
fn placed(email: &str, by: &str) -> bool {
    by == email || by.starts_with(&format!("{email} ("))
}

/// The system's profile named in the path, or 404 (also when it is another
/// system's).
pub async fn profile_at(store: &Store, at: &SystemPath) -> AppResult<AccessProfile> {
    let p = store
        .access_profile(at.org.id, at.params.id("profile")?)
        .await?;
    if p.system_id == at.system {
        Ok(p)
    } else {
        Err(AppError::NotFound)
    }
}

/// Each id once, in the order first met.
pub(crate) fn distinct<T: Copy + Eq + std::hash::Hash>(ids: impl Iterator<Item = T>) -> Vec<T> {
    let mut seen = std::collections::HashSet::new();
    ids.filter(|id| seen.insert(*id)).collect()
}

/// What an order waits for the caller to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Duty {
    /// Approve or reject it (the decider).
    Decide,
    /// Carry it out or report that it could not be (the executor).
    CarryOut,
}

/// An open order whose next step is the caller's.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AccessTask {
    pub duty: Duty,
    pub order: AccessOrder,
}

/// The most open orders looked through for the caller's tasks.
const MOST_OPEN: u32 = 500;

/// The organisation's open orders whose next step the caller may take, the
/// newest first: to decide, or to carry out.
pub async fn access_tasks(store: &Store, me: &Principal, org: OrgId) -> AppResult<Vec<AccessTask>> {
    Ok(access_tasks_and_profiles(store, me, org).await?.0)
}

/// [`access_tasks`], with the profiles of the open orders it read (for
/// their names, without reading them again).
pub async fn access_tasks_and_profiles(
    store: &Store,
    me: &Principal,
    org: OrgId,
) -> AppResult<(Vec<AccessTask>, HashMap<AccessProfileId, AccessProfile>)> {
    let open = OrderFilter {
        open: true,
        ..OrderFilter::default()
    };
    let orders = store
        .access_orders(org, open, PageRequest::new(Some(1), Some(MOST_OPEN)))
        .await?;
    // The facts are the same for every order of a profile, of a system and
    // of the people the caller manages: each is read once for all orders.
    let managed = store.people_managed_by(org, &me.user.email).await?;
    let profiles = distinct(orders.items.iter().map(|o| o.profile_id));
    let profiles = store.access_profiles_by_id(org, &profiles).await?;
    let systems = distinct(orders.items.iter().map(|o| o.system_id));
    let roles = store
        .roles_on_systems(org, &systems, &me.user.email)
        .await?;
    let mut out = vec![];
    for order in orders.items {
        let (duty, step) = match order.state {
            OrderState::Ordered => (Duty::Decide, OrderStep::Approve),
            _ => (Duty::CarryOut, OrderStep::CarryOut),
        };
        let Some(parties) = profiles.get(&order.profile_id).map(AccessProfile::parties) else {
            continue; // an order's profile is the organisation's (a foreign key)
        };
        let system_roles = roles.get(&order.system_id).cloned().unwrap_or_default();
        let f = ActingFacts {
            app_role: me.role_in(org),
            system_roles,
            manages_person: managed.contains(&order.person_id),
            placed_order: placed(&me.user.email, &order.ordered_by),
        };
        if may_take(step, &parties, &f).is_ok() {
            out.push(AccessTask { duty, order });
        }
    }
    Ok((out, profiles))
}

/// Whether the caller settles the role handovers of movers from units
/// without a manager (and may settle any): security coordinators and
/// administrators, who also hand over leavers' roles.
pub fn coordinates(me: &Principal, org: OrgId) -> bool {
    matches!(
        me.role_in(org),
        Some(insyn_domain::AppRole::SecurityCoordinator | insyn_domain::AppRole::Administrator)
    )
}
