//! Which of an e-service's fields the public register shows. An e-service
//! reaches the public register only when it is published; then each kind of
//! field is shown only when the organisation has made it public. Who runs
//! it (unit, owner), the systems behind it and the criteria's assessment
//! are kept secret until the organisation says otherwise; what the public
//! already meets on the web (name, description, address, step, target
//! groups, målområden, accessibility statement) is public by default.

use super::record::{
    EService, EServiceAccessibility, EServiceGoalArea, EServiceStep, EServiceTargetGroup,
};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeSet;

macro_rules! eservice_fields {
    ($($variant:ident = $code:literal, $public:literal;)+) => {
        /// A kind of an e-service's field the organisation makes public.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum EServiceField { $($variant),+ }

        impl EServiceField {
            /// Every kind, in the order the settings and the register list them.
            pub const ALL: [EServiceField; [$($code),+].len()] = [$(EServiceField::$variant),+];

            pub const fn as_str(self) -> &'static str {
                match self { $(EServiceField::$variant => $code),+ }
            }

            /// Whether the kind is public until the organisation says otherwise.
            pub const fn public_by_default(self) -> bool {
                match self { $(EServiceField::$variant => $public),+ }
            }
        }
    };
}

eservice_fields! {
    Name = "name", true;
    Description = "description", true;
    Url = "url", true;
    Step = "step", true;
    TargetGroups = "target_groups", true;
    GoalAreas = "goal_areas", true;
    Accessibility = "accessibility", true;
    ResponsibleUnit = "responsible_unit", false;
    Owner = "owner", false;
    Systems = "systems", false;
    Criteria = "criteria", false;
}

impl EServiceField {
    pub fn parse(code: &str) -> Option<EServiceField> {
        EServiceField::ALL.into_iter().find(|f| f.as_str() == code)
    }
}

/// The kinds of field one organisation shows the public.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EServiceSecrecy {
    public: BTreeSet<EServiceField>,
}

impl EServiceSecrecy {
    /// From the organisation's markings (field code, public); a kind not
    /// marked keeps its default, an unknown code is ignored.
    pub fn from_marks(marks: &[(String, bool)]) -> EServiceSecrecy {
        EServiceSecrecy {
            public: EServiceField::ALL
                .into_iter()
                .filter(|f| {
                    marks
                        .iter()
                        .find(|(c, _)| c == f.as_str())
                        .map_or(f.public_by_default(), |(_, public)| *public)
                })
                .collect(),
        }
    }

    pub fn is_public(&self, f: EServiceField) -> bool {
        self.public.contains(&f)
    }

    /// Every kind with whether it is public, in [`EServiceField::ALL`] order.
    pub fn marks(&self) -> Vec<(String, bool)> {
        EServiceField::ALL
            .into_iter()
            .map(|f| (f.as_str().to_owned(), self.is_public(f)))
            .collect()
    }

    /// What the public sees of a published e-service; `None` when it is not
    /// published. Every field of a secret kind is left empty.
    pub fn redact(&self, e: &EService) -> Option<PublicEService> {
        if !e.draft.published {
            return None;
        }
        let d = &e.draft;
        let p = |f| self.is_public(f);
        let accessibility = p(EServiceField::Accessibility);
        Some(PublicEService {
            name: p(EServiceField::Name).then(|| d.name.clone()),
            description: d
                .description
                .clone()
                .filter(|_| p(EServiceField::Description)),
            url: d.url.clone().filter(|_| p(EServiceField::Url)),
            step: p(EServiceField::Step).then_some(d.step),
            target_groups: if p(EServiceField::TargetGroups) {
                d.target_groups.clone()
            } else {
                vec![]
            },
            other_target_groups: d
                .other_target_groups
                .clone()
                .filter(|_| p(EServiceField::TargetGroups)),
            goal_areas: if p(EServiceField::GoalAreas) {
                d.goal_areas.clone()
            } else {
                vec![]
            },
            statement_url: d.statement_url.clone().filter(|_| accessibility),
            statement_date: d.statement_date.filter(|_| accessibility),
            accessibility_status: d.accessibility_status.filter(|_| accessibility),
            statement_reviewed_on: d.statement_reviewed_on.filter(|_| accessibility),
            unit: e.unit.clone().filter(|_| p(EServiceField::ResponsibleUnit)),
            owner: d.owner.clone().filter(|_| p(EServiceField::Owner)),
            systems: if p(EServiceField::Systems) {
                e.systems.iter().map(|s| s.name.clone()).collect()
            } else {
                vec![]
            },
            criteria_met: if p(EServiceField::Criteria) {
                d.verdicts()
                    .into_iter()
                    .map(|(c, v, _)| (c.as_str(), v.as_str()))
                    .collect()
            } else {
                vec![]
            },
        })
    }
}

/// A published e-service as the public sees it: only public fields hold
/// values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicEService {
    pub name: Option<String>,
    pub description: Option<String>,
    pub url: Option<String>,
    pub step: Option<EServiceStep>,
    pub target_groups: Vec<EServiceTargetGroup>,
    pub other_target_groups: Option<String>,
    pub goal_areas: Vec<EServiceGoalArea>,
    pub statement_url: Option<String>,
    pub statement_date: Option<NaiveDate>,
    pub accessibility_status: Option<EServiceAccessibility>,
    pub statement_reviewed_on: Option<NaiveDate>,
    pub unit: Option<String>,
    pub owner: Option<String>,
    pub systems: Vec<String>,
    /// Each criterion's code with its verdict's.
    pub criteria_met: Vec<(&'static str, &'static str)>,
}

impl PublicEService {
    /// The text a public search looks in: only the values left, lower case.
    pub fn search_text(&self) -> String {
        [
            &self.name,
            &self.description,
            &self.other_target_groups,
            &self.unit,
            &self.owner,
        ]
        .into_iter()
        .flatten()
        .chain(&self.systems)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" \n ")
        .to_lowercase()
    }
}
