//! Compliance of a whole organisation on one day: every system's findings
//! under the organisation's profile, coverage per rule and per förvaltning,
//! the dashboard's headline rules, and who must act on a finding.

use super::*;
use crate::ids::SystemId;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use uuid::Uuid;

/// One stored version of an organisation's profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredProfile {
    pub id: Uuid,
    pub code: String,
    pub version: i32,
    /// The TOML text as saved.
    pub body: String,
    pub profile: Profile,
    /// The shipped profile it was copied from, if any.
    pub based_on: Option<String>,
    pub note: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    /// False when the organisation has chosen nothing and the default applies.
    pub chosen: bool,
}

/// Someone who holds a role, as far as a task needs to know. The text is
/// shared: a person holding roles on thousands of systems is one name in
/// memory, not one per system (see [`Holders`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Holder {
    pub name: Arc<str>,
    pub email: Option<Arc<str>>,
}

/// The current holders of each role on one system, by role code: a short
/// list in code order (a system has a handful of roles; a map per system
/// cost more than its holders at 100,000 systems).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holders(Vec<(Arc<str>, Vec<Holder>)>);

impl Holders {
    /// The holders of the role `code`, if anyone holds it.
    pub fn get(&self, code: &str) -> Option<&Vec<Holder>> {
        self.0
            .binary_search_by(|(c, _)| (**c).cmp(code))
            .ok()
            .map(|i| &self.0[i].1)
    }

    /// Adds `holder` to the role `code` (once: a second assignment of the
    /// same person is not a second holder).
    pub fn add(&mut self, code: &Arc<str>, holder: Holder) {
        let i = match self.0.binary_search_by(|(c, _)| (**c).cmp(code)) {
            Ok(i) => i,
            Err(i) => {
                self.0.insert(i, (code.clone(), vec![]));
                i
            }
        };
        let h = &mut self.0[i].1;
        if let Err(at) = h.binary_search(&holder) {
            h.insert(at, holder);
        }
    }

    /// Gives the lists no more room than they hold.
    pub fn shrink_to_fit(&mut self) {
        for (_, h) in &mut self.0 {
            h.shrink_to_fit();
        }
        self.0.shrink_to_fit();
    }
}

/// One system's findings under the organisation's profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SystemCompliance {
    pub id: SystemId,
    pub name: String,
    /// The top of the unit tree above the responsible unit (the förvaltning).
    pub division: Option<String>,
    pub findings: Vec<Finding>,
    /// Current holders per role code.
    #[serde(skip)]
    pub holders: Holders,
}

impl SystemCompliance {
    pub fn gaps(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.is_gap())
    }
}

/// The whole organisation judged against its profile on one day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Compliance {
    pub profile: StoredProfile,
    pub today: NaiveDate,
    pub systems: Vec<SystemCompliance>,
    /// Organisation-wide controls (revising the governing documents).
    pub organisation: Vec<Finding>,
    /// Lessons learned of closed incidents, when the profile asks for them
    /// (and the whole organisation is judged).
    pub incident_lessons: Option<LessonsFinding>,
    /// Holders of unit-level roles anywhere in the organisation, per role code.
    #[serde(skip)]
    pub org_holders: BTreeMap<String, Vec<Holder>>,
}

/// One system as the rules see it: who it is, who holds its roles today,
/// and the facts its rules ask about.
#[derive(Debug, Clone, PartialEq)]
pub struct SystemRecord {
    pub id: SystemId,
    pub name: String,
    /// The top of the unit tree above the responsible unit (the förvaltning).
    pub division: Option<String>,
    /// Current holders per role code.
    pub holders: Holders,
    pub facts: SystemFacts,
}

/// Everything the rules ask about an organisation, as the store gathers it.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgFacts {
    pub systems: Vec<SystemRecord>,
    /// Organisation-wide control code → the last day it was performed.
    pub controls_done: BTreeMap<String, NaiveDate>,
    /// Holders of unit-level roles anywhere in the organisation, per role code.
    pub holders: BTreeMap<String, Vec<Holder>>,
    /// When the organisation adopted its profile (or, having chosen none,
    /// entered insyn): its own controls count from here.
    pub start: NaiveDate,
    /// The organisation's closed incidents (none gathered when only one
    /// system is judged).
    pub closed_incidents: Option<Vec<ClosedIncident>>,
}

/// Compliance figures: how many systems a rule applies to and how many meet it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Coverage {
    pub applicable: u32,
    pub compliant: u32,
}

impl Coverage {
    pub fn add(&mut self, complies: bool) {
        self.applicable += 1;
        if complies {
            self.compliant += 1;
        }
    }

    /// Whole percent, rounded down; `None` when nothing applies.
    pub fn percent(&self) -> Option<u32> {
        (self.applicable > 0).then(|| self.compliant * 100 / self.applicable)
    }
}

/// A coverage figure under a heading (a rule, a förvaltning).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageRow {
    pub key: String,
    pub coverage: Coverage,
}

impl Profile {
    /// Every rule's id in the profile's order: roles, artefacts, controls.
    pub fn rule_ids(&self) -> impl Iterator<Item = &str> {
        self.roles
            .iter()
            .map(|r| r.id.as_str())
            .chain(self.artefacts.iter().map(|r| r.id.as_str()))
            .chain(self.controls.iter().map(|r| r.id.as_str()))
    }

    /// The dashboard's headline rules, those of them the profile has: the
    /// owner (its first role rule), a classification, an approved security
    /// plan, and the first recurring control on systems.
    pub fn headline_rules(&self) -> Vec<&str> {
        let artefact = |name: &str| {
            self.artefacts
                .iter()
                .find(|a| a.artefact == name)
                .map(|a| a.id.as_str())
        };
        [
            self.roles.first().map(|r| r.id.as_str()),
            artefact("classification"),
            artefact("security_plan"),
            self.controls
                .iter()
                .find(|c| c.scope == ControlScope::System)
                .map(|c| c.id.as_str()),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

impl Compliance {
    /// Judges every system and the organisation's own controls against the
    /// profile on `today`.
    pub fn evaluate(profile: StoredProfile, facts: OrgFacts, today: NaiveDate) -> Compliance {
        let labels = Labels::new(&profile.profile);
        let systems = facts
            .systems
            .into_iter()
            .map(|s| SystemCompliance {
                findings: evaluate_system_with(&profile.profile, &labels, &s.facts, today),
                id: s.id,
                name: s.name,
                division: s.division,
                holders: s.holders,
            })
            .collect();
        let organisation =
            evaluate_organisation(&profile.profile, &facts.controls_done, facts.start, today);
        let incident_lessons = profile
            .profile
            .incidents
            .as_ref()
            .zip(facts.closed_incidents.as_deref())
            .map(|(rule, closed)| lessons_finding(rule, closed, today));
        Compliance {
            profile,
            today,
            systems,
            organisation,
            incident_lessons,
            org_holders: facts.holders,
        }
    }

    /// Every finding with its system: the systems' in order, then the organisation's own.
    pub fn findings(&self) -> impl Iterator<Item = (Option<&SystemCompliance>, &Finding)> {
        self.systems
            .iter()
            .flat_map(|s| s.findings.iter().map(move |f| (Some(s), f)))
            .chain(self.organisation.iter().map(|f| (None, f)))
    }

    /// Every finding on a system that falls short of its rule, system by system.
    pub fn gaps(&self) -> impl Iterator<Item = (&SystemCompliance, &Finding)> {
        self.systems
            .iter()
            .flat_map(|s| s.gaps().map(move |f| (s, f)))
    }

    /// How many systems fall short of at least one rule.
    pub fn systems_with_gaps(&self) -> usize {
        self.systems
            .iter()
            .filter(|s| s.gaps().next().is_some())
            .count()
    }

    /// Per rule: how many systems it applies to and how many meet it, in the
    /// profile's order.
    pub fn coverage_by_rule(&self) -> Vec<CoverageRow> {
        let mut by: BTreeMap<&str, Coverage> = BTreeMap::new();
        for s in &self.systems {
            for f in &s.findings {
                by.entry(f.rule_id()).or_default().add(f.outcome.complies());
            }
        }
        self.profile
            .profile
            .rule_ids()
            .filter_map(|id| {
                by.get(id).map(|c| CoverageRow {
                    key: id.to_owned(),
                    coverage: *c,
                })
            })
            .collect()
    }

    /// Per förvaltning (by name; `""` for systems without one): systems that
    /// meet one rule, or with `None` every rule that applies to them.
    pub fn coverage_by_division(&self, rule: Option<&str>) -> Vec<CoverageRow> {
        let mut by: BTreeMap<String, Coverage> = BTreeMap::new();
        for s in &self.systems {
            let mut relevant = s
                .findings
                .iter()
                .filter(|f| rule.is_none_or(|r| f.rule_id() == r))
                .peekable();
            if relevant.peek().is_none() {
                continue;
            }
            let ok = relevant.all(|f| f.outcome.complies());
            by.entry(s.division.clone().unwrap_or_default())
                .or_default()
                .add(ok);
        }
        by.into_iter()
            .map(|(key, coverage)| CoverageRow { key, coverage })
            .collect()
    }

    /// Who must act on a finding: the holders of its responsible role on the
    /// system (or in the organisation for unit-level roles); when nobody holds
    /// it, the security coordinators. The flag says the role was vacant.
    pub fn responsible_for(
        &self,
        system: Option<&SystemCompliance>,
        f: &Finding,
    ) -> (Vec<Holder>, bool) {
        let on_system = system
            .and_then(|s| s.holders.get(f.responsible()))
            .cloned()
            .unwrap_or_default();
        if !on_system.is_empty() {
            return (on_system, false);
        }
        if let Some(h) = self.org_holders.get(f.responsible())
            && !h.is_empty()
        {
            return (h.clone(), false);
        }
        (
            self.org_holders
                .get(COORDINATOR)
                .cloned()
                .unwrap_or_default(),
            true,
        )
    }
}
