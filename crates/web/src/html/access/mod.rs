//! Access management's pages: a system's "Behörigheter" tab with its
//! profiles, who holds them and its orders (`system`); the profile form
//! (`profiles`); the order form, an order's page with the next step's form,
//! and the organisation's open orders (`orders`). Who may order or take a
//! step is the domain's rule, on the facts `crate::access_facts` gathers.

use super::*;
use crate::context::SystemPath;
use insyn_domain::access::*;
use insyn_store::Store;
use insyn_store::access::AccessOrder;
use std::collections::HashMap;

pub(super) mod orders;
pub(super) mod profiles;
pub(super) mod system;

pub(super) use orders::AccessTasks;

/// The names a list of orders or holdings shows for the ids it holds.
#[derive(Default)]
pub(super) struct Names {
    people: HashMap<PersonId, String>,
    profiles: HashMap<AccessProfileId, String>,
    systems: HashMap<SystemId, String>,
}

impl Names {
    /// The names of the people, profiles and systems of these orders.
    pub async fn of_orders(store: &Store, org: OrgId, orders: &[AccessOrder]) -> AppResult<Self> {
        let mut n = Names::of_people_and_systems(store, org, orders).await?;
        let profiles: Vec<AccessProfileId> =
            crate::access_facts::distinct(orders.iter().map(|o| o.profile_id));
        n.profiles = store
            .access_profiles_by_id(org, &profiles)
            .await?
            .into_iter()
            .map(|(id, p)| (id, p.name))
            .collect();
        Ok(n)
    }

    /// The names of the people and systems of these orders (their profiles'
    /// are added by the caller that has read them).
    pub async fn of_people_and_systems(
        store: &Store,
        org: OrgId,
        orders: &[AccessOrder],
    ) -> AppResult<Self> {
        let mut n = Names::default();
        let people: Vec<PersonId> = orders.iter().map(|o| o.person_id).collect();
        n.add_people(store, org, &people).await?;
        let systems: Vec<SystemId> =
            crate::access_facts::distinct(orders.iter().map(|o| o.system_id));
        n.systems = store.system_names(org, &systems).await?;
        Ok(n)
    }

    /// The names of these people, in one query (not one per row).
    pub async fn add_people(
        &mut self,
        store: &Store,
        org: OrgId,
        ids: &[PersonId],
    ) -> AppResult<()> {
        let mut ids: Vec<PersonId> = ids
            .iter()
            .filter(|id| !self.people.contains_key(id))
            .copied()
            .collect();
        ids.sort_unstable_by_key(|id| id.0);
        ids.dedup();
        self.people.extend(store.person_names(org, &ids).await?);
        Ok(())
    }

    pub fn add_profiles<'a>(&mut self, profiles: impl IntoIterator<Item = &'a AccessProfile>) {
        for p in profiles {
            self.profiles.insert(p.id, p.name.clone());
        }
    }

    pub fn person_name(&self, id: &PersonId) -> &str {
        self.people.get(id).map(String::as_str).unwrap_or("?")
    }

    pub fn profile_name(&self, id: &AccessProfileId) -> &str {
        self.profiles.get(id).map(String::as_str).unwrap_or("?")
    }

    pub fn system_name(&self, id: &SystemId) -> &str {
        self.systems.get(id).map(String::as_str).unwrap_or("?")
    }
}

/// A message key for a word of the domain (`carried_out` → `…-carried-out`).
fn key(prefix: &str, word: &str) -> String {
    format!("{prefix}-{}", word.replace('_', "-"))
}

/// The words of access management, in the page's language.
pub(super) trait AccessWords {
    fn chrome(&self) -> &Chrome;

    fn state_text(&self, s: &OrderState) -> String {
        self.chrome().t(&key("access-state", s.as_str()))
    }

    fn kind_text(&self, k: &OrderKind) -> String {
        self.chrome().t(&format!("access-kind-{}", k.as_str()))
    }

    fn step_text(&self, s: &OrderStep) -> String {
        self.chrome().t(&key("access-step", s.as_str()))
    }

    /// A party: the manager (chef), automatic, or a role's name.
    fn party_text(&self, p: &Party) -> String {
        let c = self.chrome();
        match p {
            Party::Manager => c.t("access-party-manager"),
            Party::Automatic => c.t("access-party-automatic"),
            Party::Role(code) => super::policy::role_name(c.lang, code),
        }
    }

    /// "open" or "closed", for the state's badge.
    fn state_class(&self, s: &OrderState) -> &'static str {
        if s.is_closed() { "closed" } else { "open" }
    }
}

/// A link to one page of a paged list, the other parameters kept.
fn page_link(base: &str, params: &[(&str, String)], page_param: &str, n: u32) -> String {
    let mut all: Vec<(&str, String)> = params
        .iter()
        .filter(|(k, _)| *k != page_param)
        .cloned()
        .collect();
    all.push((page_param, n.to_string()));
    format!(
        "{base}?{}",
        serde_urlencoded::to_string(&all).unwrap_or_default()
    )
}

/// The previous and next pages' links of a page of a list.
fn pager<T>(
    p: &Page<T>,
    base: &str,
    params: &[(&str, String)],
    page_param: &str,
) -> (Option<String>, Option<String>) {
    let prev = (p.page > 1).then(|| page_link(base, params, page_param, p.page - 1));
    let next = (p.page < p.pages()).then(|| page_link(base, params, page_param, p.page + 1));
    (prev, next)
}

/// The system's base path, `/o/{org}/systems/{id}`.
fn system_base(org: &Organisation, system: SystemId) -> String {
    format!("/o/{}/systems/{system}", org.slug)
}
