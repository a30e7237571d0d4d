//! An organisation with systems, people, role holders and users in a few
//! lines, instead of a set-up written out per test file:
//!
//! ```ignore
//! let k = Scenario::new(&store, "kommunen").await?;
//! let treserva = k.system("Treserva").await;
//! k.owner(&treserva, "Ola Ägare", "ola@kommunen.se").await?;
//! let ola = k.signed_in("ola@kommunen.se", AppRole::Reader).await?;
//! ```
//!
//! Role assignments start on [`Scenario::SINCE`] (2024-01-01) and have no end.

use crate::{App, actor, date, org_id, person, role_type, system};
use chrono::NaiveDate;
use insyn_domain::security::{InformationSet, InformationSetDraft};
use insyn_domain::{
    AppRole, AssignmentDraft, Grant, OrgId, Person, PersonId, RoleAssignment, System, SystemId,
    UnitId,
};
use insyn_store::Store;
use insyn_store::security::DecisionDraft;
use insyn_store::users::User;

/// What a role is held on.
#[derive(Debug, Clone, Copy)]
pub enum On {
    System(SystemId),
    Unit(UnitId),
}

/// One organisation of a test, and the store it lives in.
#[derive(Clone)]
pub struct Scenario {
    pub store: Store,
    pub org: OrgId,
}

impl Scenario {
    /// When the roles a scenario hands out begin.
    pub const SINCE: (i32, u32, u32) = (2024, 1, 1);

    /// Creates the organisation (a municipality; its name derived from `slug`).
    pub async fn new(store: &Store, slug: &str) -> anyhow::Result<Self> {
        Ok(Self::at(store, org_id(store, slug).await?))
    }

    /// An organisation the test made otherwise.
    pub fn at(store: &Store, org: OrgId) -> Self {
        Self {
            store: store.clone(),
            org,
        }
    }

    /// A system with only a name.
    pub async fn system(&self, name: &str) -> System {
        system(&self.store, self.org, name).await
    }

    /// An active person, with an e-mail address when given.
    pub async fn person(&self, name: &str, email: Option<&str>) -> anyhow::Result<Person> {
        person(&self.store, self.org, name, email).await
    }

    /// An active person in `unit`, with an e-mail address when given.
    pub async fn person_in(
        &self,
        name: &str,
        email: Option<&str>,
        unit: UnitId,
    ) -> anyhow::Result<Person> {
        let p = self.person(name, email).await?;
        let d = insyn_domain::PersonDraft {
            name: p.name.clone(),
            email: p.email.clone(),
            title: None,
            unit_id: Some(unit),
            active: true,
        };
        Ok(self
            .store
            .update_person(&actor(), self.org, p.id, d)
            .await?)
    }

    /// `who` holds the role type `code` (e.g. `system_owner`) on a system or
    /// a unit from [`Self::SINCE`] on.
    pub async fn holds(&self, code: &str, who: &Person, on: On) -> anyhow::Result<RoleAssignment> {
        let (y, m, d) = Self::SINCE;
        self.holds_from(code, who.id, on, date(y, m, d)).await
    }

    /// `who` holds the role type `code` on a system or a unit from `start` on.
    pub async fn holds_from(
        &self,
        code: &str,
        who: PersonId,
        on: On,
        start: NaiveDate,
    ) -> anyhow::Result<RoleAssignment> {
        self.holds_during(code, who, on, start, None).await
    }

    /// `who` holds the role type `code` on a system or a unit from `start`
    /// to `end` (none: open-ended).
    pub async fn holds_during(
        &self,
        code: &str,
        who: PersonId,
        on: On,
        start: NaiveDate,
        end: Option<NaiveDate>,
    ) -> anyhow::Result<RoleAssignment> {
        let (system_id, unit_id) = match on {
            On::System(s) => (Some(s), None),
            On::Unit(u) => (None, Some(u)),
        };
        Ok(self
            .store
            .assign_role(
                &actor(),
                self.org,
                AssignmentDraft {
                    role_type_id: role_type(&self.store, self.org, code).await?.id,
                    person_id: who,
                    system_id,
                    unit_id,
                    start_date: start,
                    end_date: end,
                    note: None,
                },
            )
            .await?)
    }

    /// A new person with this name and e-mail, the system owner of `system`.
    pub async fn owner(&self, system: &System, name: &str, email: &str) -> anyhow::Result<Person> {
        let p = self.person(name, Some(email)).await?;
        self.holds(insyn_domain::SYSTEM_OWNER, &p, On::System(system.id))
            .await?;
        Ok(p)
    }

    /// An information set on `system`, without a description.
    pub async fn information_set(
        &self,
        system: SystemId,
        name: &str,
        personal_data: bool,
        sensitive_personal_data: bool,
    ) -> anyhow::Result<InformationSet> {
        Ok(self
            .store
            .create_information_set(
                &actor(),
                self.org,
                system,
                InformationSetDraft {
                    name: name.to_owned(),
                    description: None,
                    personal_data,
                    sensitive_personal_data,
                },
            )
            .await?)
    }

    /// The recorded decision that `system` is business-critical, signed by
    /// "Ägaren" for the business and "IT" for IT.
    pub async fn decide_critical(&self, system: SystemId) -> anyhow::Result<()> {
        self.store
            .decide_critical(
                &actor(),
                self.org,
                system,
                &DecisionDraft {
                    critical: true,
                    owner_name: "Ägaren".into(),
                    it_name: "IT".into(),
                    note: None,
                },
            )
            .await?;
        Ok(())
    }

    /// A user (no password) with one application role in this organisation.
    pub async fn user(&self, email: &str, name: &str, role: AppRole) -> anyhow::Result<User> {
        Ok(self
            .store
            .create_user(
                &actor(),
                email,
                name,
                None,
                &[Grant {
                    org_id: Some(self.org),
                    role,
                }],
            )
            .await?)
    }

    /// A user named by their e-mail, with one application role here, and the
    /// application signed in as them.
    pub async fn signed_in(&self, email: &str, role: AppRole) -> anyhow::Result<App> {
        self.user(email, email, role).await?;
        Ok(App::as_user(&self.store, email))
    }
}
