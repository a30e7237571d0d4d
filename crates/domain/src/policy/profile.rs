//! A profile as a whole: parsing and checking its TOML, the questions asked
//! of it (document kinds, recordable controls, a rule's words) and the
//! shipped profiles.

use super::*;
use crate::model::SYSTEM_OWNER;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

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
    /// Who orders, decides and carries out access (insyn's defaults when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<super::AccessRule>,
    /// What is asked of incidents after they close (lessons learned within N days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incidents: Option<super::IncidentRule>,
    /// Suggested continuity requirements and the continuity rules.
    #[serde(default, skip_serializing_if = "ContinuitySection::is_empty")]
    pub continuity: ContinuitySection,
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
            let p = format!("deadline[{}]", i + 1);
            check_id(p.clone(), &d.id, &mut err);
            if d.hours == 0 {
                err(format!("{p}.hours"), PROFILE_BAD_INTERVAL);
            }
            if d.notify.iter().any(|c| !known(c)) {
                err(format!("{p}.notify"), PROFILE_UNKNOWN_ROLE);
            }
        }
        if let Some(i) = &self.incidents
            && (i.lessons_within_days == 0 || i.lessons_within_days > 3650)
        {
            err("incidents.lessons_within_days".into(), PROFILE_BAD_INTERVAL);
        }
        for (i, c) in self.continuity.rules.iter().enumerate() {
            let p = format!("continuity.rule[{}]", i + 1);
            check_id(p.clone(), &c.id, &mut err);
            if c.responsible.as_deref().is_some_and(|r| !known(r)) {
                err(format!("{p}.responsible"), PROFILE_UNKNOWN_ROLE);
            }
            check_when(&p, &c.when, &mut err);
        }
        for (i, s) in self.continuity.suggestions.iter().enumerate() {
            if !(0..=4).contains(&s.availability) {
                err(
                    format!("continuity.suggestion[{}].availability", i + 1),
                    PROFILE_BAD_LEVEL,
                );
            }
        }
        if let Some(a) = &self.access {
            for field in a.unknown_parties(role_codes) {
                err(format!("access.{field}"), PROFILE_UNKNOWN_ROLE);
            }
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

    /// The document kinds the profile asks for (artefacts insyn does not
    /// record itself), sorted.
    pub fn document_kinds(&self) -> Vec<&str> {
        let mut kinds: Vec<&str> = self.document_rules().map(|a| a.artefact.as_str()).collect();
        kinds.sort_unstable();
        kinds
    }

    /// The first rule asking for each document kind, in the profile's order
    /// (its words name the kind).
    pub fn document_rules(&self) -> impl Iterator<Item = &ArtefactRule> {
        let mut seen = BTreeSet::new();
        self.artefacts.iter().filter(move |a| {
            !BUILTIN_ARTEFACTS.contains(&a.artefact.as_str()) && seen.insert(a.artefact.as_str())
        })
    }

    /// The control codes a control record may carry: the profile's controls of
    /// that scope, except those met through their own workflow.
    pub fn recordable_controls(&self, scope: ControlScope) -> Vec<&str> {
        let mut codes: Vec<&str> = self
            .recordable_control_rules(scope)
            .map(|c| c.control.as_str())
            .collect();
        codes.sort_unstable();
        codes.dedup();
        codes
    }

    /// The control rules of that scope a control record may meet, in the
    /// profile's order (not those met through their own workflow).
    pub fn recordable_control_rules(
        &self,
        scope: ControlScope,
    ) -> impl Iterator<Item = &ControlRule> {
        self.controls
            .iter()
            .filter(move |c| c.scope == scope && !WORKFLOW_CONTROLS.contains(&c.control.as_str()))
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
        let continuity = self.continuity.rules.iter().map(|r| RuleRef {
            kind: RuleKind::Continuity,
            id: &r.id,
            text_sv: &r.text_sv,
            text_en: &r.text_en,
            cite: &r.cite,
        });
        roles
            .chain(artefacts)
            .chain(controls)
            .chain(continuity)
            .find(|r| r.id == id)
    }

    pub fn control(&self, control: &str) -> Option<&ControlRule> {
        self.controls.iter().find(|c| c.control == control)
    }
}

fn check_when(path: &str, when: &Condition, err: &mut dyn FnMut(String, &'static str)) {
    if when.min_level.is_some_and(|l| !(0..=4).contains(&l)) {
        err(format!("{path}.when.min_level"), PROFILE_BAD_LEVEL);
    }
    if when
        .min_confidentiality
        .is_some_and(|l| !(0..=4).contains(&l))
    {
        err(
            format!("{path}.when.min_confidentiality"),
            PROFILE_BAD_LEVEL,
        );
    }
}

/// Shipped profiles: (code, TOML text), one per seed document and the 2026 baseline.
pub const SHIPPED: &[(&str, &str)] = &[
    (
        "sodertalje-2004",
        include_str!("../../profiles/sodertalje-2004.toml"),
    ),
    ("svenljunga", include_str!("../../profiles/svenljunga.toml")),
    (
        "soderkoping",
        include_str!("../../profiles/soderkoping.toml"),
    ),
    ("stockholm", include_str!("../../profiles/stockholm.toml")),
    (
        "mjolby-2005",
        include_str!("../../profiles/mjolby-2005.toml"),
    ),
    (
        "baseline-2026",
        include_str!("../../profiles/baseline-2026.toml"),
    ),
];

/// A shipped profile by code, parsed (the shipped files are checked by a test).
pub fn shipped(code: &str, role_codes: &[&str]) -> Option<Profile> {
    SHIPPED
        .iter()
        .find(|(c, _)| *c == code)
        .and_then(|(_, text)| Profile::from_toml(text, role_codes).ok())
}
