//! Policy profiles: a municipality's governance rules as data (R-ROLE-4,
//! R-SEC, R-CYCLE, R-CONT), and the evaluation of one system or one
//! organisation against them. No I/O: the store gathers the facts, this
//! module decides what is met, due soon, missing or overdue.
//!
//! A profile is a TOML document (`[[role]]`, `[[artefact]]`, `[[control]]`,
//! `[[deadline]]`, `[[checklist]]`); the shipped ones live in
//! `crates/domain/profiles/`, each rule citing the section of the document it
//! comes from.

use crate::model::{Hosting, Lifecycle, SYSTEM_OWNER};
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The role code that acts when a rule names nobody and when the named role
/// is vacant: the organisation's information security coordinator.
pub const COORDINATOR: &str = "security_coordinator";

/// Artefacts that insyn records itself; any other artefact name is a document
/// kind (a continuity plan, a management plan …) registered on the system.
pub const BUILTIN_ARTEFACTS: &[&str] = &[
    "classification",
    "security_plan",
    "operational_approval",
    "business_critical_decision",
];

/// The control whose completion is an answered and signed checklist.
pub const ANNUAL_REVIEW: &str = "annual_review";

/// The control that classifying every information set again performs.
pub const CLASSIFICATION_REVIEW: &str = "classification_review";

/// Controls that insyn records through their own workflow (the signed
/// checklist, a new classification), never as a bare control record.
pub const WORKFLOW_CONTROLS: &[&str] = &[ANNUAL_REVIEW, CLASSIFICATION_REVIEW];

/// A policy profile: which roles, artefacts and recurring controls every
/// system needs, under which conditions, and the deadlines that apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// A stable code (`mjolby-2005`, `baseline-2026`).
    pub code: String,
    pub name_sv: String,
    pub name_en: String,
    /// The document the rules come from.
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, rename = "role")]
    pub roles: Vec<RoleRule>,
    #[serde(default, rename = "artefact")]
    pub artefacts: Vec<ArtefactRule>,
    #[serde(default, rename = "control")]
    pub controls: Vec<ControlRule>,
    #[serde(default, rename = "deadline")]
    pub deadlines: Vec<Deadline>,
    /// The default "årlig uppföljning" checklist.
    #[serde(default)]
    pub checklist: Vec<ChecklistItem>,
}

/// Which systems a rule applies to. Every field that is set must hold;
/// an empty condition applies to every system that is not decommissioned.
/// An unknown value (no user count, no classification) does not satisfy a
/// numeric condition.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Condition {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_critical: Option<bool>,
    /// At least this many users (Mjölby's "more than one user" is 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_users: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal_data: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive_personal_data: Option<bool>,
    /// The system's highest classification level is at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_level: Option<i16>,
    /// Any of these (empty: any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hosting: Vec<Hosting>,
    /// Any of these (empty: every stage but decommissioned).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lifecycle: Vec<Lifecycle>,
    /// A new system: one not yet live (planned, procuring) or that went live
    /// on or after the day the organisation adopted the profile ("samtliga
    /// nya system"). A system in use whose go-live date is unknown cannot be
    /// told apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_system: Option<bool>,
}

impl Condition {
    pub fn is_empty(&self) -> bool {
        *self == Condition::default()
    }

    /// Whether the condition holds; a condition that holds as far as it is
    /// known but needs a fact the register lacks names that fact.
    pub fn check(&self, s: &SystemFacts) -> Applies {
        let known = self.holds_if_known(s);
        if !known {
            return Applies::No;
        }
        if self.min_users.is_some() && s.user_count.is_none() {
            return Applies::Unknown(FACT_USER_COUNT);
        }
        if self.min_level.is_some() && s.highest_level.is_none() {
            return Applies::Unknown(FACT_CLASSIFICATION);
        }
        if self.new_system.is_some() && s.is_new().is_none() {
            return Applies::Unknown(FACT_GO_LIVE);
        }
        Applies::Yes
    }

    /// The condition with every unknown fact taken as satisfying it.
    fn holds_if_known(&self, s: &SystemFacts) -> bool {
        let lifecycle_ok = if self.lifecycle.is_empty() {
            s.lifecycle != Lifecycle::Decommissioned
        } else {
            self.lifecycle.contains(&s.lifecycle)
        };
        lifecycle_ok
            && self
                .business_critical
                .is_none_or(|b| b == s.business_critical)
            && self
                .min_users
                .is_none_or(|m| s.user_count.is_none_or(|n| n >= m))
            && self.personal_data.is_none_or(|b| b == s.personal_data)
            && self
                .sensitive_personal_data
                .is_none_or(|b| b == s.sensitive_personal_data)
            && self
                .min_level
                .is_none_or(|m| s.highest_level.is_none_or(|l| l >= m))
            && (self.hosting.is_empty() || self.hosting.contains(&s.hosting))
            && self
                .new_system
                .is_none_or(|want| s.is_new().is_none_or(|n| n == want))
    }

    /// Whether the condition certainly holds (an unknown fact does not satisfy it).
    pub fn holds(&self, s: &SystemFacts) -> bool {
        self.check(s) == Applies::Yes
    }
}

/// Whether a rule applies to a system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applies {
    Yes,
    No,
    /// It would apply, but the condition needs a fact the register lacks.
    Unknown(&'static str),
}

/// The facts a condition may need that a system can lack.
pub const FACT_USER_COUNT: &str = "user_count";
pub const FACT_CLASSIFICATION: &str = "classification";
pub const FACT_GO_LIVE: &str = "go_live_date";

/// At least one of `any_of` must be held on the system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RoleRule {
    pub id: String,
    pub any_of: Vec<String>,
    #[serde(default, skip_serializing_if = "Condition::is_empty")]
    pub when: Condition,
    /// Who must act when the role is missing (default: the system owner, or
    /// the security coordinator when the missing role is the owner).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible: Option<String>,
    pub text_sv: String,
    pub text_en: String,
    /// The section of the source document.
    pub cite: String,
}

/// A document or decision the system must have.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ArtefactRule {
    pub id: String,
    /// One of [`BUILTIN_ARTEFACTS`] or a document kind.
    pub artefact: String,
    #[serde(default, skip_serializing_if = "Condition::is_empty")]
    pub when: Condition,
    /// Days allowed from the system's entry in the register before it counts as missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grace_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible: Option<String>,
    pub text_sv: String,
    pub text_en: String,
    pub cite: String,
}

/// Where a recurring control is performed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ControlScope {
    #[default]
    System,
    /// Once for the organisation (revising the governing documents).
    Organisation,
}

/// A control that recurs every `interval_months`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ControlRule {
    pub id: String,
    /// The control's code (`annual_review`, `access_review`, `log_review`,
    /// `restore_test`, `classification_review`, `policy_revision` …).
    pub control: String,
    pub name_sv: String,
    pub name_en: String,
    pub interval_months: u32,
    #[serde(default, skip_serializing_if = "is_default")]
    pub scope: ControlScope,
    #[serde(default, skip_serializing_if = "Condition::is_empty")]
    pub when: Condition,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible: Option<String>,
    /// How long before the due date the reminder goes out.
    #[serde(default = "default_remind_days")]
    pub remind_days_before: u32,
    /// For a system already in use when it entered the register, with no
    /// record of the control: days from its entry until the first is due
    /// (none: due at once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grace_days: Option<u32>,
    pub text_sv: String,
    pub text_en: String,
    pub cite: String,
}

impl ControlRule {
    /// A recurring control runs on systems in use: without a lifecycle in its
    /// condition, only on systems in operation or being phased out.
    pub fn applies(&self, s: &SystemFacts) -> bool {
        self.check(s) == Applies::Yes
    }

    /// As [`ControlRule::applies`], naming a missing fact the condition needs.
    pub fn check(&self, s: &SystemFacts) -> Applies {
        let in_use = matches!(s.lifecycle, Lifecycle::InOperation | Lifecycle::PhasingOut);
        if self.when.lifecycle.is_empty() && !in_use {
            return Applies::No;
        }
        self.when.check(s)
    }
}

fn default_remind_days() -> u32 {
    30
}

fn is_default<T: Default + PartialEq>(t: &T) -> bool {
    *t == T::default()
}

/// A deadline that starts from an event (an incident's discovery).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Deadline {
    pub id: String,
    pub hours: u32,
    pub name_sv: String,
    pub name_en: String,
    /// Who is told, or where the report goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    pub cite: String,
}

/// One question of the annual review checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    pub id: String,
    pub text_sv: String,
    pub text_en: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cite: Option<String>,
}

/// A problem with a profile: where, which message key, and any detail
/// (the parser's own words for a syntax error).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileError {
    /// `role[2].any_of`, or `line 14` for a syntax error.
    pub path: String,
    pub code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

pub const PROFILE_SYNTAX: &str = "error-profile-syntax";
pub const PROFILE_DUPLICATE_ID: &str = "error-profile-duplicate-id";
pub const PROFILE_NO_OWNER_RULE: &str = "error-profile-no-owner-rule";
pub const PROFILE_UNKNOWN_ROLE: &str = "error-profile-unknown-role";
pub const PROFILE_BAD_INTERVAL: &str = "error-profile-bad-interval";
pub const PROFILE_BAD_LEVEL: &str = "error-profile-bad-level";
pub const PROFILE_UNSATISFIABLE: &str = "error-profile-unsatisfiable";
/// Every message key this module can produce.
pub const PROFILE_ERROR_CODES: &[&str] = &[
    PROFILE_SYNTAX,
    PROFILE_DUPLICATE_ID,
    PROFILE_NO_OWNER_RULE,
    PROFILE_UNKNOWN_ROLE,
    PROFILE_BAD_INTERVAL,
    PROFILE_BAD_LEVEL,
    PROFILE_UNSATISFIABLE,
    crate::validation::REQUIRED,
    crate::validation::NOT_A_SLUG,
];

fn is_code(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

impl Profile {
    /// Parses and checks a profile. `role_codes` are the organisation's role
    /// types; every role a rule names must be one of them.
    pub fn from_toml(text: &str, role_codes: &[&str]) -> Result<Profile, Vec<ProfileError>> {
        let profile = Profile::parse_unchecked(text)?;
        profile.check(role_codes)?;
        Ok(profile)
    }

    /// Parses without the checks (for versions that were checked when saved).
    pub fn parse_unchecked(text: &str) -> Result<Profile, Vec<ProfileError>> {
        toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            vec![ProfileError {
                path: line.map(|l| format!("line {l}")).unwrap_or_default(),
                code: PROFILE_SYNTAX,
                detail: Some(e.message().to_owned()),
            }]
        })
    }

    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).expect("a profile always serialises")
    }

    /// The rules that need no database: unique slug ids, known role codes,
    /// positive intervals, an owner rule (R-ROLE-3: every profile requires one).
    pub fn check(&self, role_codes: &[&str]) -> Result<(), Vec<ProfileError>> {
        let mut errors = vec![];
        let mut err = |path: String, code: &'static str| {
            errors.push(ProfileError {
                path,
                code,
                detail: None,
            })
        };
        if !is_code(&self.code) {
            err("code".into(), crate::validation::NOT_A_SLUG);
        }
        for (field, value) in [("name_sv", &self.name_sv), ("name_en", &self.name_en)] {
            if value.trim().is_empty() {
                err(field.into(), crate::validation::REQUIRED);
            }
        }
        let mut ids = BTreeSet::new();
        let mut check_id = |path: String, id: &str, err: &mut dyn FnMut(String, &'static str)| {
            if !is_code(id) {
                err(format!("{path}.id"), crate::validation::NOT_A_SLUG);
            } else if !ids.insert(id.to_owned()) {
                err(format!("{path}.id"), PROFILE_DUPLICATE_ID);
            }
        };
        let known = |code: &str| role_codes.contains(&code);
        for (i, r) in self.roles.iter().enumerate() {
            let p = format!("role[{}]", i + 1);
            check_id(p.clone(), &r.id, &mut err);
            if r.any_of.is_empty() {
                err(format!("{p}.any_of"), crate::validation::REQUIRED);
            }
            if r.any_of.iter().any(|c| !known(c)) {
                err(format!("{p}.any_of"), PROFILE_UNKNOWN_ROLE);
            }
            if r.responsible.as_deref().is_some_and(|c| !known(c)) {
                err(format!("{p}.responsible"), PROFILE_UNKNOWN_ROLE);
            }
            check_when(&p, &r.when, &mut err);
        }
        for (i, a) in self.artefacts.iter().enumerate() {
            let p = format!("artefact[{}]", i + 1);
            check_id(p.clone(), &a.id, &mut err);
            if !is_code(&a.artefact) {
                err(format!("{p}.artefact"), crate::validation::NOT_A_SLUG);
            }
            if a.responsible.as_deref().is_some_and(|c| !known(c)) {
                err(format!("{p}.responsible"), PROFILE_UNKNOWN_ROLE);
            }
            check_when(&p, &a.when, &mut err);
        }
        for (i, c) in self.controls.iter().enumerate() {
            let p = format!("control[{}]", i + 1);
            check_id(p.clone(), &c.id, &mut err);
            if !is_code(&c.control) {
                err(format!("{p}.control"), crate::validation::NOT_A_SLUG);
            }
            if c.interval_months == 0 || c.interval_months > 120 {
                err(format!("{p}.interval_months"), PROFILE_BAD_INTERVAL);
            }
            if c.responsible.as_deref().is_some_and(|r| !known(r)) {
                err(format!("{p}.responsible"), PROFILE_UNKNOWN_ROLE);
            }
            check_when(&p, &c.when, &mut err);
        }
        for (i, d) in self.deadlines.iter().enumerate() {
            check_id(format!("deadline[{}]", i + 1), &d.id, &mut err);
        }
        for (i, c) in self.checklist.iter().enumerate() {
            let p = format!("checklist[{}]", i + 1);
            check_id(p.clone(), &c.id, &mut err);
            if c.text_sv.trim().is_empty() {
                err(format!("{p}.text_sv"), crate::validation::REQUIRED);
            }
        }
        let owner_rule = self
            .roles
            .iter()
            .any(|r| r.any_of == [SYSTEM_OWNER] && r.when.is_empty());
        if !owner_rule {
            err("role".into(), PROFILE_NO_OWNER_RULE);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Rules that no workflow of insyn can meet, each named by its place and
    /// id: a role rule none of whose roles can be held on a system
    /// (`system_roles`: the organisation's system-level role codes), and an
    /// organisation-wide control that only a system's workflow performs.
    pub fn unsatisfiable(&self, system_roles: &[&str]) -> Vec<ProfileError> {
        let mut out = vec![];
        for (i, r) in self.roles.iter().enumerate() {
            if !r.any_of.iter().any(|c| system_roles.contains(&c.as_str())) {
                out.push(ProfileError {
                    path: format!("role[{}].any_of", i + 1),
                    code: PROFILE_UNSATISFIABLE,
                    detail: Some(format!(
                        "{}: {} cannot be held on a system",
                        r.id,
                        r.any_of.join(", ")
                    )),
                });
            }
        }
        for (i, c) in self.controls.iter().enumerate() {
            if c.scope == ControlScope::Organisation
                && WORKFLOW_CONTROLS.contains(&c.control.as_str())
            {
                out.push(ProfileError {
                    path: format!("control[{}].scope", i + 1),
                    code: PROFILE_UNSATISFIABLE,
                    detail: Some(format!(
                        "{}: {} is performed on a system, not for the organisation",
                        c.id, c.control
                    )),
                });
            }
        }
        out
    }

    /// The document kinds the profile asks for (artefacts insyn does not record itself).
    pub fn document_kinds(&self) -> Vec<&str> {
        let mut kinds: Vec<&str> = self
            .artefacts
            .iter()
            .map(|a| a.artefact.as_str())
            .filter(|a| !BUILTIN_ARTEFACTS.contains(a))
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        kinds
    }

    /// The control codes a control record may carry: the profile's controls of
    /// that scope, except those met through their own workflow.
    pub fn recordable_controls(&self, scope: ControlScope) -> Vec<&str> {
        let mut codes: Vec<&str> = self
            .controls
            .iter()
            .filter(|c| c.scope == scope && !WORKFLOW_CONTROLS.contains(&c.control.as_str()))
            .map(|c| c.control.as_str())
            .collect();
        codes.sort_unstable();
        codes.dedup();
        codes
    }

    /// The words and source of one rule, for showing a finding.
    pub fn rule(&self, id: &str) -> Option<RuleRef<'_>> {
        let roles = self.roles.iter().map(|r| RuleRef {
            kind: RuleKind::Role,
            id: &r.id,
            text_sv: &r.text_sv,
            text_en: &r.text_en,
            cite: &r.cite,
        });
        let artefacts = self.artefacts.iter().map(|r| RuleRef {
            kind: RuleKind::Artefact,
            id: &r.id,
            text_sv: &r.text_sv,
            text_en: &r.text_en,
            cite: &r.cite,
        });
        let controls = self.controls.iter().map(|r| RuleRef {
            kind: RuleKind::Control,
            id: &r.id,
            text_sv: &r.text_sv,
            text_en: &r.text_en,
            cite: &r.cite,
        });
        roles.chain(artefacts).chain(controls).find(|r| r.id == id)
    }

    pub fn control(&self, control: &str) -> Option<&ControlRule> {
        self.controls.iter().find(|c| c.control == control)
    }
}

fn check_when(path: &str, when: &Condition, err: &mut dyn FnMut(String, &'static str)) {
    if when.min_level.is_some_and(|l| !(0..=4).contains(&l)) {
        err(format!("{path}.when.min_level"), PROFILE_BAD_LEVEL);
    }
}

/// What kind of rule a finding comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    Role,
    Artefact,
    Control,
}

impl RuleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Role => "role",
            RuleKind::Artefact => "artefact",
            RuleKind::Control => "control",
        }
    }
}

/// One rule's words, whatever its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleRef<'a> {
    pub kind: RuleKind,
    pub id: &'a str,
    pub text_sv: &'a str,
    pub text_en: &'a str,
    pub cite: &'a str,
}

impl RuleRef<'_> {
    pub fn text(&self, lang: &str) -> &str {
        if lang == "en" {
            self.text_en
        } else {
            self.text_sv
        }
    }
}

/// What the store knows about one system, as far as the rules ask.
#[derive(Debug, Clone, PartialEq)]
pub struct SystemFacts {
    pub business_critical: bool,
    pub user_count: Option<i64>,
    pub personal_data: bool,
    pub sensitive_personal_data: bool,
    /// The highest current classification level, if classified.
    pub highest_level: Option<i16>,
    pub hosting: Hosting,
    pub lifecycle: Lifecycle,
    /// When the system entered the register: rules count from here.
    pub start: NaiveDate,
    /// When the system went live, if known: recurring controls count from here.
    pub go_live: Option<NaiveDate>,
    /// When the organisation adopted its profile (none: the default applies,
    /// and the system's entry in the register stands in).
    pub adopted: Option<NaiveDate>,
    /// Role codes held on the system today.
    pub roles: BTreeSet<String>,
    /// Role codes held before but not today, with the last day held.
    pub roles_ended: BTreeMap<String, NaiveDate>,
    /// Artefacts the system has (a [`BUILTIN_ARTEFACTS`] name or a document
    /// kind), with the date each has been in place since.
    pub artefacts: BTreeMap<String, NaiveDate>,
    /// Artefacts the system had but which have lapsed (a classification past
    /// its valid-until date), with the first day they no longer held.
    pub expired: BTreeMap<String, NaiveDate>,
    /// Control code → the last day it was performed.
    pub controls_done: BTreeMap<String, NaiveDate>,
}

impl SystemFacts {
    /// A system in operation that entered the register on `start`, with nothing recorded.
    pub fn new(start: NaiveDate) -> Self {
        SystemFacts {
            business_critical: false,
            user_count: None,
            personal_data: false,
            sensitive_personal_data: false,
            highest_level: None,
            hosting: Hosting::Internal,
            lifecycle: Lifecycle::InOperation,
            start,
            go_live: None,
            adopted: None,
            roles: BTreeSet::new(),
            roles_ended: BTreeMap::new(),
            artefacts: BTreeMap::new(),
            expired: BTreeMap::new(),
            controls_done: BTreeMap::new(),
        }
    }
}

impl SystemFacts {
    /// Whether this is a new system in the sense of [`Condition::new_system`];
    /// `None` when it is in use and its go-live date is unknown.
    pub fn is_new(&self) -> Option<bool> {
        match self.lifecycle {
            Lifecycle::Planned | Lifecycle::Procuring => Some(true),
            Lifecycle::Decommissioned => Some(false),
            Lifecycle::InOperation | Lifecycle::PhasingOut => self
                .go_live
                .map(|g| g >= self.adopted.unwrap_or(self.start)),
        }
    }
}

/// How one applicable rule stands for one system (or the organisation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Outcome {
    /// Met; a recurring control is next due on `next_due`.
    Met { next_due: Option<NaiveDate> },
    /// Not yet met, but not late: due on `due` (within the reminder window or grace period).
    DueSoon { due: NaiveDate },
    /// Missing; lacking since `since` where known.
    Missing { since: Option<NaiveDate> },
    /// A recurring control past its due date.
    Overdue { since: NaiveDate },
    /// Was met, but has lapsed since `since` (a classification past its
    /// valid-until date).
    Expired { since: NaiveDate },
    /// Whether the rule applies cannot be told: the register lacks `fact`
    /// (`user_count`, `classification`), which someone must fill in.
    Unknown { fact: &'static str },
}

impl Outcome {
    /// Whether the rule counts as complied with today (a task may still be due).
    pub fn complies(&self) -> bool {
        matches!(self, Outcome::Met { .. } | Outcome::DueSoon { .. })
    }

    /// Whether someone has something to do about it now.
    pub fn is_task(&self) -> bool {
        !matches!(self, Outcome::Met { .. })
    }

    pub fn state(&self) -> &'static str {
        match self {
            Outcome::Met { .. } => "met",
            Outcome::DueSoon { .. } => "due_soon",
            Outcome::Missing { .. } => "missing",
            Outcome::Overdue { .. } => "overdue",
            Outcome::Expired { .. } => "expired",
            Outcome::Unknown { .. } => "unknown",
        }
    }

    /// The date that matters: when it is due, or since when it is lacking.
    pub fn date(&self) -> Option<NaiveDate> {
        match *self {
            Outcome::Met { next_due } => next_due,
            Outcome::DueSoon { due } => Some(due),
            Outcome::Missing { since } => since,
            Outcome::Overdue { since } => Some(since),
            Outcome::Expired { since } => Some(since),
            Outcome::Unknown { .. } => None,
        }
    }
}

/// One applicable rule's outcome for one system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Finding {
    pub rule_id: String,
    pub kind: RuleKind,
    /// The role codes, artefact or control concerned.
    pub subject: String,
    /// The role code that must act.
    pub responsible: String,
    #[serde(flatten)]
    pub outcome: Outcome,
}

impl Finding {
    pub fn is_gap(&self) -> bool {
        !self.outcome.complies()
    }
}

fn add_months(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_add_months(Months::new(months)).unwrap_or(d)
}

/// When a system's control is first due, with no record of it: one interval
/// after go-live for a system that went live after it entered the register;
/// for one already in use when it entered (or whose go-live is unknown), at
/// once, that is at its entry plus the rule's grace period, unless one
/// interval after go-live is later still.
pub fn first_due(c: &ControlRule, start: NaiveDate, go_live: Option<NaiveDate>) -> NaiveDate {
    let at_once = start + chrono::Days::new(c.grace_days.unwrap_or(0).into());
    match go_live {
        Some(g) if g >= start => add_months(g, c.interval_months),
        Some(g) => add_months(g, c.interval_months).max(at_once),
        None => at_once,
    }
}

fn control_outcome(
    c: &ControlRule,
    last_done: Option<NaiveDate>,
    first_due: NaiveDate,
    today: NaiveDate,
) -> Outcome {
    // Then one interval after the last performed control.
    let due = match last_done {
        Some(d) => add_months(d, c.interval_months),
        None => first_due,
    };
    if today > due {
        Outcome::Overdue { since: due }
    } else if today + chrono::Days::new(c.remind_days_before.into()) >= due {
        Outcome::DueSoon { due }
    } else {
        Outcome::Met {
            next_due: Some(due),
        }
    }
}

/// Evaluates every rule of `profile` that applies to the system. Rules that do
/// not apply give no finding; met rules are included (for coverage figures).
pub fn evaluate_system(profile: &Profile, s: &SystemFacts, today: NaiveDate) -> Vec<Finding> {
    let mut out = vec![];
    for r in profile.roles.iter() {
        let applies = r.when.check(s);
        if applies == Applies::No {
            continue;
        }
        let outcome = if let Applies::Unknown(fact) = applies {
            Outcome::Unknown { fact }
        } else if r.any_of.iter().any(|c| s.roles.contains(c)) {
            Outcome::Met { next_due: None }
        } else {
            // Lacking since the last of the roles ended, or since the system entered the register.
            let ended = r
                .any_of
                .iter()
                .filter_map(|c| s.roles_ended.get(c))
                .max()
                .map(|d| *d + chrono::Days::new(1));
            Outcome::Missing {
                since: Some(ended.unwrap_or(s.start)),
            }
        };
        let default_responsible = if r.any_of.iter().any(|c| c == SYSTEM_OWNER) {
            COORDINATOR
        } else {
            SYSTEM_OWNER
        };
        out.push(Finding {
            rule_id: r.id.clone(),
            kind: RuleKind::Role,
            subject: r.any_of.join(","),
            responsible: r
                .responsible
                .clone()
                .unwrap_or_else(|| default_responsible.into()),
            outcome,
        });
    }
    for a in profile.artefacts.iter() {
        let applies = a.when.check(s);
        if applies == Applies::No {
            continue;
        }
        let outcome = if let Applies::Unknown(fact) = applies {
            Outcome::Unknown { fact }
        } else if s.artefacts.contains_key(&a.artefact) {
            Outcome::Met { next_due: None }
        } else if let Some(since) = s.expired.get(&a.artefact) {
            Outcome::Expired { since: *since }
        } else {
            let due = s.start + chrono::Days::new(a.grace_days.unwrap_or(0).into());
            if today <= due && a.grace_days.is_some() {
                Outcome::DueSoon { due }
            } else {
                Outcome::Missing { since: Some(due) }
            }
        };
        out.push(Finding {
            rule_id: a.id.clone(),
            kind: RuleKind::Artefact,
            subject: a.artefact.clone(),
            responsible: a.responsible.clone().unwrap_or_else(|| SYSTEM_OWNER.into()),
            outcome,
        });
    }
    for c in profile
        .controls
        .iter()
        .filter(|c| c.scope == ControlScope::System)
    {
        let outcome = match c.check(s) {
            Applies::No => continue,
            Applies::Unknown(fact) => Outcome::Unknown { fact },
            Applies::Yes => {
                let last = s.controls_done.get(&c.control).copied();
                control_outcome(c, last, first_due(c, s.start, s.go_live), today)
            }
        };
        out.push(Finding {
            rule_id: c.id.clone(),
            kind: RuleKind::Control,
            subject: c.control.clone(),
            responsible: c.responsible.clone().unwrap_or_else(|| SYSTEM_OWNER.into()),
            outcome,
        });
    }
    out
}

/// Evaluates the organisation-wide controls (revising the governing
/// documents). `start` is when the organisation adopted the profile.
pub fn evaluate_organisation(
    profile: &Profile,
    controls_done: &BTreeMap<String, NaiveDate>,
    start: NaiveDate,
    today: NaiveDate,
) -> Vec<Finding> {
    profile
        .controls
        .iter()
        .filter(|c| c.scope == ControlScope::Organisation)
        .map(|c| Finding {
            rule_id: c.id.clone(),
            kind: RuleKind::Control,
            subject: c.control.clone(),
            responsible: c.responsible.clone().unwrap_or_else(|| COORDINATOR.into()),
            outcome: control_outcome(
                c,
                controls_done.get(&c.control).copied(),
                add_months(start, c.interval_months),
                today,
            ),
        })
        .collect()
}

/// The due dates of a recurring control within one calendar year, from its
/// next due date on, stepping by its interval (the årshjul). Earlier dates
/// of the year are shown from the records of what was done, not from here.
pub fn due_dates_in_year(rule: &ControlRule, next_due: NaiveDate, year: i32) -> Vec<NaiveDate> {
    let mut out = vec![];
    let mut d = next_due;
    while d.year() <= year {
        if d.year() == year {
            out.push(d);
        }
        d = add_months(d, rule.interval_months.max(1));
    }
    out
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

/// Shipped profiles: (code, TOML text), one per seed document and the 2026 baseline.
pub const SHIPPED: &[(&str, &str)] = &[
    (
        "sodertalje-2004",
        include_str!("../profiles/sodertalje-2004.toml"),
    ),
    ("svenljunga", include_str!("../profiles/svenljunga.toml")),
    ("soderkoping", include_str!("../profiles/soderkoping.toml")),
    ("stockholm", include_str!("../profiles/stockholm.toml")),
    ("mjolby-2005", include_str!("../profiles/mjolby-2005.toml")),
    (
        "baseline-2026",
        include_str!("../profiles/baseline-2026.toml"),
    ),
];

/// A shipped profile by code, parsed (the shipped files are checked by a test).
pub fn shipped(code: &str, role_codes: &[&str]) -> Option<Profile> {
    SHIPPED
        .iter()
        .find(|(c, _)| *c == code)
        .and_then(|(_, text)| Profile::from_toml(text, role_codes).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DEFAULT_ROLE_TYPES;

    fn codes() -> Vec<&'static str> {
        DEFAULT_ROLE_TYPES.iter().map(|r| r.0).collect()
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const PROFILE: &str = r#"
code = "test"
name_sv = "Test"
name_en = "Test"
source = "test"

[[role]]
id = "owner"
any_of = ["system_owner"]
text_sv = "Ägare"
text_en = "Owner"
cite = "1"

[[role]]
id = "manager-if-users"
any_of = ["system_manager"]
when = { min_users = 2 }
text_sv = "Förvaltare"
text_en = "Manager"
cite = "2"

[[artefact]]
id = "plan"
artefact = "security_plan"
when = { business_critical = true }
text_sv = "Plan"
text_en = "Plan"
cite = "3"

[[artefact]]
id = "continuity"
artefact = "continuity_plan"
grace_days = 30
when = { business_critical = true }
text_sv = "Kontinuitet"
text_en = "Continuity"
cite = "4"

[[control]]
id = "restore"
control = "restore_test"
name_sv = "Återläsningstest"
name_en = "Restore test"
interval_months = 12
remind_days_before = 14
text_sv = "Återläsning"
text_en = "Restore"
cite = "5"

[[control]]
id = "policy"
control = "policy_revision"
scope = "organisation"
name_sv = "Revision"
name_en = "Revision"
interval_months = 12
text_sv = "Policy"
text_en = "Policy"
cite = "6"
"#;

    fn profile() -> Profile {
        Profile::from_toml(PROFILE, &codes()).unwrap()
    }

    fn outcome(f: &[Finding], id: &str) -> Option<Outcome> {
        f.iter().find(|x| x.rule_id == id).map(|x| x.outcome)
    }

    #[test]
    fn a_bare_system_lacks_its_owner_and_only_the_rules_that_apply() {
        let s = SystemFacts::new(day("2026-01-10"));
        let f = evaluate_system(&profile(), &s, day("2026-03-01"));
        assert_eq!(
            outcome(&f, "owner"),
            Some(Outcome::Missing {
                since: Some(day("2026-01-10"))
            })
        );
        // Unknown user count: whether a förvaltare is needed cannot be told,
        // which is reported, not passed over; not business-critical: no plan.
        assert_eq!(
            outcome(&f, "manager-if-users"),
            Some(Outcome::Unknown {
                fact: FACT_USER_COUNT
            })
        );
        assert!(
            f.iter()
                .any(|x| x.rule_id == "manager-if-users" && x.is_gap())
        );
        assert_eq!(outcome(&f, "plan"), None);
        // In operation, go-live unknown, never restored: due on entering the register.
        assert_eq!(
            outcome(&f, "restore"),
            Some(Outcome::Overdue {
                since: day("2026-01-10")
            })
        );
        let owner = f.iter().find(|x| x.rule_id == "owner").unwrap();
        assert_eq!(owner.responsible, COORDINATOR);
        assert!(owner.is_gap());
    }

    #[test]
    fn conditions_select_rules_and_held_things_meet_them() {
        let mut s = SystemFacts::new(day("2025-01-01"));
        s.user_count = Some(2);
        s.business_critical = true;
        s.roles.insert("system_owner".into());
        s.roles_ended
            .insert("system_manager".into(), day("2025-06-30"));
        s.artefacts
            .insert("security_plan".into(), day("2025-02-01"));
        let f = evaluate_system(&profile(), &s, day("2025-08-01"));
        assert_eq!(outcome(&f, "owner"), Some(Outcome::Met { next_due: None }));
        assert_eq!(
            outcome(&f, "manager-if-users"),
            Some(Outcome::Missing {
                since: Some(day("2025-07-01"))
            })
        );
        let manager = f.iter().find(|x| x.rule_id == "manager-if-users").unwrap();
        assert_eq!(manager.responsible, SYSTEM_OWNER);
        assert_eq!(outcome(&f, "plan"), Some(Outcome::Met { next_due: None }));
        assert_eq!(
            outcome(&f, "continuity"),
            Some(Outcome::Missing {
                since: Some(day("2025-01-31"))
            })
        );
        s.lifecycle = Lifecycle::Decommissioned;
        assert!(evaluate_system(&profile(), &s, day("2025-08-01")).is_empty());
        // A planned system has its roles and documents judged, but no recurring controls yet.
        s.lifecycle = Lifecycle::Planned;
        let f = evaluate_system(&profile(), &s, day("2027-08-01"));
        assert!(outcome(&f, "owner").is_some());
        assert_eq!(outcome(&f, "restore"), None);
    }

    #[test]
    fn grace_periods_and_controls_move_from_met_to_due_soon_to_overdue() {
        let mut s = SystemFacts::new(day("2026-01-01"));
        s.business_critical = true;
        let p = profile();
        assert_eq!(
            outcome(&evaluate_system(&p, &s, day("2026-01-20")), "continuity"),
            Some(Outcome::DueSoon {
                due: day("2026-01-31")
            })
        );
        s.controls_done
            .insert("restore_test".into(), day("2026-02-15"));
        let at = |d: &str| outcome(&evaluate_system(&p, &s, day(d)), "restore").unwrap();
        assert_eq!(
            at("2027-01-31"),
            Outcome::Met {
                next_due: Some(day("2027-02-15"))
            }
        );
        assert_eq!(
            at("2027-02-01"),
            Outcome::DueSoon {
                due: day("2027-02-15")
            }
        );
        assert_eq!(at("2027-02-15").state(), "due_soon");
        assert_eq!(
            at("2027-02-16"),
            Outcome::Overdue {
                since: day("2027-02-15")
            }
        );
    }

    #[test]
    fn a_control_is_first_due_from_go_live_or_at_once_for_a_system_already_in_use() {
        let p = profile();
        let mut c = p.control("restore_test").unwrap().clone();
        let registered = day("2026-03-01");
        // Went live after entering the register: one interval after go-live.
        assert_eq!(
            first_due(&c, registered, Some(day("2026-05-01"))),
            day("2027-05-01")
        );
        // Live for twenty years when registered: due at once.
        assert_eq!(
            first_due(&c, registered, Some(day("2006-01-01"))),
            registered
        );
        // Live for two months: one interval after go-live is still ahead.
        assert_eq!(
            first_due(&c, registered, Some(day("2026-01-01"))),
            day("2027-01-01")
        );
        assert_eq!(first_due(&c, registered, None), registered);
        // The profile's grace period puts "at once" off.
        c.grace_days = Some(60);
        assert_eq!(
            first_due(&c, registered, Some(day("2006-01-01"))),
            day("2026-04-30")
        );
        // On the day a twenty-year-old system is imported, the control is due;
        // the day after the grace period, overdue; a record restarts the clock.
        let mut s = SystemFacts::new(registered);
        s.business_critical = true;
        s.go_live = Some(day("2006-01-01"));
        let at = |s: &SystemFacts, d: &str| outcome(&evaluate_system(&p, s, day(d)), "restore");
        assert_eq!(
            at(&s, "2026-03-01"),
            Some(Outcome::DueSoon { due: registered })
        );
        assert_eq!(
            at(&s, "2026-03-02"),
            Some(Outcome::Overdue { since: registered })
        );
        s.controls_done
            .insert("restore_test".into(), day("2026-03-10"));
        assert_eq!(
            at(&s, "2026-04-01"),
            Some(Outcome::Met {
                next_due: Some(day("2027-03-10"))
            })
        );
    }

    #[test]
    fn organisation_controls_are_evaluated_once_for_the_organisation() {
        let p = profile();
        let f = evaluate_organisation(&p, &BTreeMap::new(), day("2025-01-01"), day("2026-06-01"));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].subject, "policy_revision");
        assert_eq!(f[0].responsible, COORDINATOR);
        assert_eq!(
            f[0].outcome,
            Outcome::Overdue {
                since: day("2026-01-01")
            }
        );
        // and not per system
        let s = SystemFacts::new(day("2025-01-01"));
        assert!(outcome(&evaluate_system(&p, &s, day("2026-06-01")), "policy").is_none());
    }

    #[test]
    fn a_syntax_error_names_its_line() {
        let text = "code = \"x\"\nname_sv = \"X\"\nname_en = [\n";
        let e = Profile::from_toml(text, &codes()).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].code, PROFILE_SYNTAX);
        assert!(e[0].path.starts_with("line "), "{:?}", e[0]);
        assert!(e[0].detail.is_some());
    }

    #[test]
    fn rule_errors_name_the_rule_and_field() {
        let text = PROFILE
            .replace("any_of = [\"system_manager\"]", "any_of = [\"nobody\"]")
            .replace(
                "interval_months = 12\nremind",
                "interval_months = 0\nremind",
            )
            .replace("id = \"policy\"", "id = \"restore\"");
        let e = Profile::from_toml(&text, &codes()).unwrap_err();
        let got: Vec<(&str, &str)> = e.iter().map(|e| (e.path.as_str(), e.code)).collect();
        assert_eq!(
            got,
            vec![
                ("role[2].any_of", PROFILE_UNKNOWN_ROLE),
                ("control[1].interval_months", PROFILE_BAD_INTERVAL),
                ("control[2].id", PROFILE_DUPLICATE_ID),
            ]
        );
        let no_owner = PROFILE.replace("any_of = [\"system_owner\"]", "any_of = [\"pilot\"]");
        let e = Profile::from_toml(&no_owner, &codes()).unwrap_err();
        assert_eq!(e[0].code, PROFILE_NO_OWNER_RULE);
        let unknown_field = PROFILE.replace("cite = \"1\"", "cite = \"1\"\ncolour = \"red\"");
        assert_eq!(
            Profile::from_toml(&unknown_field, &codes()).unwrap_err()[0].code,
            PROFILE_SYNTAX
        );
    }

    #[test]
    fn a_rule_no_workflow_can_meet_is_named() {
        let p = profile();
        let system_roles = ["system_owner", "system_manager"];
        assert!(p.unsatisfiable(&system_roles).is_empty());
        // A förvaltare that can only be held on a unit; the annual review for
        // the organisation as a whole.
        let text = PROFILE.replace(
            "control = \"policy_revision\"",
            "control = \"annual_review\"",
        );
        let p = Profile::from_toml(&text, &codes()).unwrap();
        let e = p.unsatisfiable(&["system_owner"]);
        let got: Vec<(&str, &str)> = e.iter().map(|e| (e.path.as_str(), e.code)).collect();
        assert_eq!(
            got,
            vec![
                ("role[2].any_of", PROFILE_UNSATISFIABLE),
                ("control[2].scope", PROFILE_UNSATISFIABLE),
            ]
        );
        assert!(
            e[0].detail
                .as_deref()
                .unwrap()
                .starts_with("manager-if-users:")
        );
        assert!(e[1].detail.as_deref().unwrap().starts_with("policy:"));
    }

    #[test]
    fn a_profile_survives_a_round_trip_through_its_file() {
        let p = profile();
        assert_eq!(Profile::from_toml(&p.to_toml(), &codes()).unwrap(), p);
        assert_eq!(p.document_kinds(), vec!["continuity_plan"]);
        assert_eq!(p.rule("plan").unwrap().cite, "3");
        assert_eq!(p.rule("restore").unwrap().kind, RuleKind::Control);
    }

    #[test]
    fn every_shipped_profile_parses_and_passes_its_checks() {
        for (code, text) in SHIPPED {
            let p = Profile::from_toml(text, &codes()).unwrap_or_else(|e| panic!("{code}: {e:?}"));
            assert_eq!(&p.code, code);
            assert!(!p.checklist.is_empty(), "{code} has no checklist");
            for r in &p.roles {
                assert!(!r.cite.trim().is_empty(), "{code}: {} cites nothing", r.id);
            }
        }
    }

    #[test]
    fn the_year_view_lists_each_due_date_in_the_year() {
        let p = profile();
        let c = p.control("restore_test").unwrap();
        assert_eq!(
            due_dates_in_year(c, day("2027-02-15"), 2026),
            Vec::<NaiveDate>::new()
        );
        assert_eq!(
            due_dates_in_year(c, day("2025-02-15"), 2026),
            vec![day("2026-02-15")]
        );
        let mut quarterly = c.clone();
        quarterly.interval_months = 3;
        assert_eq!(
            due_dates_in_year(&quarterly, day("2026-05-10"), 2026),
            vec![day("2026-05-10"), day("2026-08-10"), day("2026-11-10")]
        );
        let cov = Coverage {
            applicable: 3,
            compliant: 2,
        };
        assert_eq!(cov.percent(), Some(66));
        assert_eq!(Coverage::default().percent(), None);
    }
}
