//! An e-service as entered (its draft) and as stored.

use super::{DUPLICATE_CRITERION, MAX_SHORT, MAX_SYSTEMS, MAX_TEXT, MAX_URL};
use crate::ids::{EServiceId, OrgId, SystemId, UnitId};
use crate::model::text_enum;
use crate::validation::{self as v, FieldErrors};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

text_enum!(
    /// The step on Utvecklingstrappan (Södertälje 3.1, after Statskontoret).
    EServiceStep {
        /// Steg 1. Information: static information about the service.
        Information = "information",
        /// Steg 2. Interaktion: forms to fill in on the screen, search.
        Interaction = "interaction",
        /// Steg 3. Transaktion: personal information sent and fetched
        /// securely, an errand followed.
        Transaction = "transaction",
        /// Steg 4. Integration: works together with other authorities, one
        /// place for the whole errand.
        Integration = "integration",
    }
);

impl EServiceStep {
    /// The step's number, 1–4.
    pub fn number(self) -> u8 {
        match self {
            EServiceStep::Information => 1,
            EServiceStep::Interaction => 2,
            EServiceStep::Transaction => 3,
            EServiceStep::Integration => 4,
        }
    }
}

text_enum!(
    /// A målgrupp (Södertälje 2.1 and 3.2).
    EServiceTargetGroup {
        /// Medborgaren
        Citizens = "citizens",
        /// Föräldern
        Parents = "parents",
        /// Eleven
        Pupils = "pupils",
        /// Den kommunanställda
        Employees = "employees",
        /// Den förtroendevalda
        ElectedRepresentatives = "elected_representatives",
        /// Företagaren
        Businesses = "businesses",
        /// Organisationer/föreningar
        Associations = "associations",
    }
);

text_enum!(
    /// A målområde (Södertälje 3.1).
    EServiceGoalArea {
        /// e-demokrati
        EDemocracy = "e_democracy",
        /// e-service
        EService = "e_service",
        /// e-processer
        EProcesses = "e_processes",
    }
);

text_enum!(
    /// What the accessibility statement says of the service's compliance
    /// with the requirements (DOS-lagen 12 §).
    EServiceAccessibility {
        /// Helt förenlig
        FullyCompliant = "fully_compliant",
        /// Delvis förenlig
        PartiallyCompliant = "partially_compliant",
        /// Inte förenlig
        NotCompliant = "not_compliant",
    }
);

text_enum!(
    /// Södertälje's five criteria of an e-funktion (3.3), in its order.
    EServiceCriterionKind {
        /// "En e-funktion stödjer en positiv samhällsutvecklingen enligt visionen."
        Vision = "vision",
        /// "… är inriktad på e-demokrati, e-processer eller e-service som är
        /// de prioriterade målområdena."
        GoalArea = "goal_area",
        /// "… stödjer någon/några av de prioriterade målgrupperna i kommunen."
        TargetGroups = "target_groups",
        /// "… sköts utifrån hur kommunen har bestämt att IT-verksamheten
        /// skall organiseras"
        ItOrganisation = "it_organisation",
        /// "… har den gemensamma IT-infrastrukturen som plattform."
        Infrastructure = "infrastructure",
    }
);

text_enum!(
    /// One criterion's assessment.
    EServiceVerdict {
        Met = "met",
        NotMet = "not_met",
        NotAssessed = "not_assessed",
    }
);

/// One e-funktion criterion as assessed for one e-service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EServiceCriterion {
    pub criterion: EServiceCriterionKind,
    pub verdict: EServiceVerdict,
    /// Why (the assessment's reasoning).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub note: Option<String>,
}

/// An e-service as created or edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EServiceDraft {
    /// The e-service's name (e.g. "Ansökan om bygglov").
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 300, pattern = r"\S")
    )]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub description: Option<String>,
    /// Where the public finds it (http or https).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub url: Option<String>,
    /// The unit responsible for it.
    #[serde(default)]
    pub unit_id: Option<UnitId>,
    /// Who owns it (tjänsteägare), by name.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub owner: Option<String>,
    /// Its step on Utvecklingstrappan.
    pub step: EServiceStep,
    #[serde(default)]
    pub target_groups: Vec<EServiceTargetGroup>,
    /// Other target groups, in words.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub other_target_groups: Option<String>,
    #[serde(default)]
    pub goal_areas: Vec<EServiceGoalArea>,
    /// The systems behind it, of the organisation.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub system_ids: Vec<SystemId>,
    /// The accessibility statement (tillgänglighetsredogörelse).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub statement_url: Option<String>,
    /// When the statement was made.
    #[serde(default)]
    pub statement_date: Option<NaiveDate>,
    #[serde(default)]
    pub accessibility_status: Option<EServiceAccessibility>,
    /// When the statement was last reviewed.
    #[serde(default)]
    pub statement_reviewed_on: Option<NaiveDate>,
    /// The e-funktion criteria assessed; one not named is not assessed.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 5))]
    pub criteria: Vec<EServiceCriterion>,
    /// Whether the public register shows it (with the fields the
    /// organisation has made public). Not published by default.
    #[serde(default)]
    pub published: bool,
}

fn url(e: &mut FieldErrors, field: &str, value: Option<&str>) -> Option<String> {
    let u = v::optional_text(e, field, value, MAX_URL);
    if u.as_deref().is_some_and(|u| !v::is_url(u)) && e.get(field).is_none() {
        e.add(field, v::NOT_A_URL);
    }
    u
}

impl EServiceDraft {
    /// An e-service with its name and step, nothing else.
    pub fn new(name: &str, step: EServiceStep) -> EServiceDraft {
        EServiceDraft {
            name: name.to_owned(),
            description: None,
            url: None,
            unit_id: None,
            owner: None,
            step,
            target_groups: vec![],
            other_target_groups: None,
            goal_areas: vec![],
            system_ids: vec![],
            statement_url: None,
            statement_date: None,
            accessibility_status: None,
            statement_reviewed_on: None,
            criteria: vec![],
            published: false,
        }
    }

    /// Trims the texts, checks lengths, URLs and dates, sorts and dedups the
    /// lists and orders the criteria as the document does.
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.name = v::required_text(&mut e, "name", &self.name, MAX_SHORT);
        self.description =
            v::optional_text(&mut e, "description", self.description.as_deref(), MAX_TEXT);
        self.owner = v::optional_text(&mut e, "owner", self.owner.as_deref(), MAX_SHORT);
        self.other_target_groups = v::optional_text(
            &mut e,
            "other_target_groups",
            self.other_target_groups.as_deref(),
            MAX_SHORT,
        );
        self.url = url(&mut e, "url", self.url.as_deref());
        self.statement_url = url(&mut e, "statement_url", self.statement_url.as_deref());
        if let (Some(made), Some(reviewed)) = (self.statement_date, self.statement_reviewed_on)
            && reviewed < made
        {
            e.add("statement_reviewed_on", v::END_BEFORE_START);
        }
        if self.system_ids.len() > MAX_SYSTEMS {
            e.add("system_ids", v::TOO_LONG);
        }
        self.system_ids.sort();
        self.system_ids.dedup();
        self.target_groups.sort_by_key(|g| g.as_str());
        self.target_groups.dedup();
        self.goal_areas.sort_by_key(|g| g.as_str());
        self.goal_areas.dedup();
        let order =
            |c: EServiceCriterionKind| EServiceCriterionKind::ALL.iter().position(|x| *x == c);
        self.criteria.sort_by_key(|c| order(c.criterion));
        if self
            .criteria
            .windows(2)
            .any(|w| w[0].criterion == w[1].criterion)
        {
            e.add("criteria", DUPLICATE_CRITERION);
        }
        for c in &mut self.criteria {
            c.note = v::optional_text(&mut e, "criteria", c.note.as_deref(), MAX_TEXT);
        }
        e.into_result(self)
    }

    /// The verdict on each of the five criteria, in the document's order
    /// (not assessed where none is recorded).
    pub fn verdicts(&self) -> Vec<(EServiceCriterionKind, EServiceVerdict, Option<&str>)> {
        EServiceCriterionKind::ALL
            .iter()
            .map(|c| match self.criteria.iter().find(|a| a.criterion == *c) {
                Some(a) => (*c, a.verdict, a.note.as_deref()),
                None => (*c, EServiceVerdict::NotAssessed, None),
            })
            .collect()
    }
}

impl v::Validate for EServiceDraft {
    fn problems(&self) -> FieldErrors {
        self.clone().validate().err().unwrap_or_default()
    }
}

/// A system behind an e-service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EServiceSystem {
    pub id: SystemId,
    pub name: String,
}

/// An e-service as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EService {
    pub id: EServiceId,
    pub org_id: OrgId,
    #[serde(flatten)]
    pub draft: EServiceDraft,
    /// The responsible unit's name.
    pub unit: Option<String>,
    pub systems: Vec<EServiceSystem>,
    /// What needs attention today, as message keys
    /// ([`super::findings`]).
    pub findings: Vec<String>,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}
