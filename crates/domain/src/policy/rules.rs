//! The rules a profile is made of: conditions on a system's facts, role,
//! artefact and control rules, deadlines, checklist items, and a rule's words.

use super::*;
use crate::model::{Hosting, Lifecycle};
use crate::regulatory::NisEntityClass;
use serde::{Deserialize, Serialize};

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
    /// The system has a supplier (leverantör) recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_supplier: Option<bool>,
    /// The highest confidentiality level of the system's information (KLASSA) is at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_confidentiality: Option<i16>,
    /// The system contains a high-risk AI system the organisation deploys (AI Act art. 6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ai_high_risk: Option<bool>,
    /// The organisation is an essential entity under cybersäkerhetslagen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nis_essential: Option<bool>,
    /// The organisation is an important entity under cybersäkerhetslagen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nis_important: Option<bool>,
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
            return Applies::Unknown(Fact::UserCount);
        }
        if (self.min_level.is_some() && s.highest_level.is_none())
            || (self.min_confidentiality.is_some() && s.highest_confidentiality.is_none())
        {
            return Applies::Unknown(Fact::Classification);
        }
        if self.new_system.is_some() && s.is_new().is_none() {
            return Applies::Unknown(Fact::GoLive);
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
            && self.has_supplier.is_none_or(|b| b == s.has_supplier)
            && self
                .min_confidentiality
                .is_none_or(|m| s.highest_confidentiality.is_none_or(|l| l >= m))
            && self.ai_high_risk.is_none_or(|b| b == s.ai_high_risk)
            && self
                .nis_essential
                .is_none_or(|b| b == (s.nis_class == NisEntityClass::Essential))
            && self
                .nis_important
                .is_none_or(|b| b == (s.nis_class == NisEntityClass::Important))
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
    Unknown(Fact),
}

/// A fact a condition may need that a system can lack. One byte (a
/// `&'static str` was 16 and made every [`Outcome`] 24 bytes); it is written
/// as [`Fact::as_str`] wherever it is shown or sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fact {
    UserCount,
    Classification,
    GoLive,
}

impl Fact {
    /// The fact's name in the API and in message keys.
    pub const fn as_str(self) -> &'static str {
        match self {
            Fact::UserCount => "user_count",
            Fact::Classification => "classification",
            Fact::GoLive => "go_live_date",
        }
    }
}

impl Serialize for Fact {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

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

impl ArtefactRule {
    /// Its words in the language with this code (`en`, else Swedish).
    pub fn text(&self, lang: &str) -> &str {
        if lang == "en" {
            &self.text_en
        } else {
            &self.text_sv
        }
    }
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
    /// Its name in the language with this code (`en`, else Swedish).
    pub fn name(&self, lang: &str) -> &str {
        if lang == "en" {
            &self.name_en
        } else {
            &self.name_sv
        }
    }

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
    /// How the report is made (a portal's address, a form, an e-mail
    /// address): data, since the receiving authorities move.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Which incidents the deadline applies to.
    #[serde(default, skip_serializing_if = "is_default")]
    pub applies: DeadlineApplies,
    /// Whether the clock may be set aside with a recorded judgement (GDPR
    /// art. 33.1: no notification when the breach is unlikely to result in
    /// a risk to people).
    #[serde(default, skip_serializing_if = "is_default")]
    pub waivable: bool,
    /// Roles (codes) reminded as the clock runs, besides the
    /// IT-säkerhetssamordnare.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notify: Vec<String>,
    pub cite: String,
}

/// Which incidents a deadline applies to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeadlineApplies {
    /// Every incident (an internal report).
    #[default]
    All,
    /// Incidents that concern personal data.
    PersonalData,
    /// Incidents assessed as significant (cybersäkerhetslagen, NIS2 art. 23.3).
    Significant,
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

/// What kind of rule a finding comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    Role,
    Artefact,
    Control,
    Continuity,
}

impl RuleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Role => "role",
            RuleKind::Artefact => "artefact",
            RuleKind::Control => "control",
            RuleKind::Continuity => "continuity",
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
