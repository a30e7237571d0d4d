//! The evaluation of one system, or of the organisation's own controls,
//! against a profile on one day: what is met, due soon, missing or overdue.

use super::*;
use crate::model::{Hosting, Lifecycle, SYSTEM_OWNER};
use crate::regulatory::NisEntityClass;
use chrono::{Months, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// What the store knows about one system, as far as the rules ask.
#[derive(Debug, Clone, PartialEq)]
pub struct SystemFacts {
    pub business_critical: bool,
    pub user_count: Option<i64>,
    pub personal_data: bool,
    pub sensitive_personal_data: bool,
    /// A supplier is recorded for the system.
    pub has_supplier: bool,
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
    /// What the continuity rules ask about.
    pub continuity: ContinuityFacts,
    /// The highest current confidentiality level (KLASSA), if classified.
    pub highest_confidentiality: Option<i16>,
    /// High-risk AI the organisation deploys (AI Act; `crate::regulatory`).
    pub ai_high_risk: bool,
    /// The organisation's entity class under cybersäkerhetslagen.
    pub nis_class: NisEntityClass,
}

impl SystemFacts {
    /// A system in operation that entered the register on `start`, with nothing recorded.
    pub fn new(start: NaiveDate) -> Self {
        SystemFacts {
            business_critical: false,
            user_count: None,
            personal_data: false,
            sensitive_personal_data: false,
            has_supplier: false,
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
            continuity: ContinuityFacts::default(),
            highest_confidentiality: None,
            ai_high_risk: false,
            nis_class: NisEntityClass::NotAssessed,
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
    Unknown {
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
        fact: Fact,
    },
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

/// One applicable rule's outcome for one system: a pointer to what it
/// repeats from its rule ([`RuleLabels`], shared with every other finding of
/// the rule) and its [`Outcome`]. An organisation of 100,000 systems holds
/// over a million findings in its snapshot, so their size is most of its
/// memory: 16 bytes, where three `Arc<str>`, a `RuleKind` and an `Outcome`
/// with a `&'static str` in it were 80.
///
/// Written in JSON (and described in the OpenAPI document) as it was when its
/// labels were fields of its own: `rule_id`, `kind`, `subject`,
/// `responsible` and the outcome's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    labels: Arc<RuleLabels>,
    pub outcome: Outcome,
}

// A `Finding` was 80 bytes (three `Arc<str>` of 16, a `RuleKind`, a 24-byte
// `Outcome`); it is 16 now: the labels' pointer and an 8-byte `Outcome` (a
// tag, a one-byte `Fact` or a 4-byte `Option<NaiveDate>`).
const _: () = assert!(std::mem::size_of::<Finding>() <= 16);
const _: () = assert!(std::mem::size_of::<Outcome>() <= 8);

impl Finding {
    /// A finding with labels of its own (tests, the organisation's controls);
    /// an evaluation shares one [`RuleLabels`] per rule instead.
    pub fn new(
        rule_id: &str,
        kind: RuleKind,
        subject: &str,
        responsible: &str,
        outcome: Outcome,
    ) -> Self {
        Arc::new(RuleLabels::new(rule_id, kind, subject, responsible)).finding(outcome)
    }

    /// The id of the profile's rule.
    pub fn rule_id(&self) -> &str {
        &self.labels.rule_id
    }

    pub fn kind(&self) -> RuleKind {
        self.labels.kind
    }

    /// The role codes, artefact or control concerned.
    pub fn subject(&self) -> &str {
        &self.labels.subject
    }

    /// The role code that must act.
    pub fn responsible(&self) -> &str {
        &self.labels.responsible
    }

    pub fn is_gap(&self) -> bool {
        !self.outcome.complies()
    }

    /// Whether the two findings point at the same labels (not a copy).
    #[cfg(test)]
    pub(super) fn shares_labels_with(&self, other: &Finding) -> bool {
        Arc::ptr_eq(&self.labels, &other.labels)
    }
}

// How a `Finding` is written in JSON and described in the OpenAPI document
// (as `Finding`): its rule's labels as fields of their own. Its doc comments
// are the schema's descriptions.
/// One applicable rule's outcome for one system.
#[derive(Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = Finding))]
struct FindingWire<'a> {
    rule_id: &'a str,
    kind: RuleKind,
    /// The role codes, artefact or control concerned.
    subject: &'a str,
    /// The role code that must act.
    responsible: &'a str,
    #[serde(flatten)]
    outcome: Outcome,
}

impl Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        FindingWire {
            rule_id: self.rule_id(),
            kind: self.kind(),
            subject: self.subject(),
            responsible: self.responsible(),
            outcome: self.outcome,
        }
        .serialize(s)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Finding {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        <FindingWire<'static> as utoipa::PartialSchema>::schema()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Finding {
    fn name() -> std::borrow::Cow<'static, str> {
        <FindingWire<'static> as utoipa::ToSchema>::name()
    }

    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        <FindingWire<'static> as utoipa::ToSchema>::schemas(schemas)
    }
}

pub(crate) fn add_months(d: NaiveDate, months: u32) -> NaiveDate {
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

/// What a finding repeats from its rule (its id, kind, subject and the role
/// that must act), made once per rule so that the findings of an evaluation
/// share it: at 100,000 systems an organisation has over a million findings,
/// and strings of their own each were most of a snapshot's memory.
#[derive(Debug, PartialEq, Eq)]
pub struct RuleLabels {
    rule_id: Box<str>,
    kind: RuleKind,
    subject: Box<str>,
    responsible: Box<str>,
}

impl RuleLabels {
    fn new(rule_id: &str, kind: RuleKind, subject: &str, responsible: &str) -> Self {
        RuleLabels {
            rule_id: rule_id.into(),
            kind,
            subject: subject.into(),
            responsible: responsible.into(),
        }
    }

    /// The finding of this rule with `outcome`.
    pub(super) fn finding(self: &Arc<Self>, outcome: Outcome) -> Finding {
        Finding {
            labels: Arc::clone(self),
            outcome,
        }
    }
}

/// The [`RuleLabels`] of every rule of a profile that a system is judged by,
/// in the profile's order per kind of rule.
#[derive(Debug, Clone)]
pub struct Labels {
    roles: Vec<Arc<RuleLabels>>,
    artefacts: Vec<Arc<RuleLabels>>,
    /// The system-scope controls only.
    controls: Vec<Arc<RuleLabels>>,
    pub(super) continuity: Vec<Arc<RuleLabels>>,
}

impl Labels {
    pub fn new(profile: &Profile) -> Self {
        let label = |id: &str, kind, subject: &str, r: &Option<String>, default: &str| {
            Arc::new(RuleLabels::new(
                id,
                kind,
                subject,
                r.as_deref().unwrap_or(default),
            ))
        };
        Labels {
            roles: profile
                .roles
                .iter()
                .map(|r| {
                    let default = if r.any_of.iter().any(|c| c == SYSTEM_OWNER) {
                        COORDINATOR
                    } else {
                        SYSTEM_OWNER
                    };
                    let subject = r.any_of.join(",");
                    label(&r.id, RuleKind::Role, &subject, &r.responsible, default)
                })
                .collect(),
            artefacts: profile
                .artefacts
                .iter()
                .map(|a| {
                    let (id, subject) = (&a.id, &a.artefact);
                    label(
                        id,
                        RuleKind::Artefact,
                        subject,
                        &a.responsible,
                        SYSTEM_OWNER,
                    )
                })
                .collect(),
            controls: profile
                .controls
                .iter()
                .filter(|c| c.scope == ControlScope::System)
                .map(|c| {
                    let (id, subject) = (&c.id, &c.control);
                    label(id, RuleKind::Control, subject, &c.responsible, SYSTEM_OWNER)
                })
                .collect(),
            continuity: profile
                .continuity
                .rules
                .iter()
                .map(|r| {
                    let (id, subject) = (&r.id, r.kind.as_str());
                    label(
                        id,
                        RuleKind::Continuity,
                        subject,
                        &r.responsible,
                        SYSTEM_OWNER,
                    )
                })
                .collect(),
        }
    }
}

/// Evaluates every rule of `profile` that applies to the system. Rules that do
/// not apply give no finding; met rules are included (for coverage figures).
pub fn evaluate_system(profile: &Profile, s: &SystemFacts, today: NaiveDate) -> Vec<Finding> {
    evaluate_system_with(profile, &Labels::new(profile), s, today)
}

/// [`evaluate_system`] with the profile's labels made beforehand (`labels`
/// must be `Labels::new(profile)`): what an organisation's evaluation calls
/// once per system.
pub fn evaluate_system_with(
    profile: &Profile,
    labels: &Labels,
    s: &SystemFacts,
    today: NaiveDate,
) -> Vec<Finding> {
    let mut out = Vec::with_capacity(
        labels.roles.len()
            + labels.artefacts.len()
            + labels.controls.len()
            + labels.continuity.len(),
    );
    for (r, label) in profile.roles.iter().zip(&labels.roles) {
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
        out.push(label.finding(outcome));
    }
    for (a, label) in profile.artefacts.iter().zip(&labels.artefacts) {
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
        out.push(label.finding(outcome));
    }
    let controls = profile
        .controls
        .iter()
        .filter(|c| c.scope == ControlScope::System);
    for (c, label) in controls.zip(&labels.controls) {
        let outcome = match c.check(s) {
            Applies::No => continue,
            Applies::Unknown(fact) => Outcome::Unknown { fact },
            Applies::Yes => {
                let last = s.controls_done.get(&c.control).copied();
                control_outcome(c, last, first_due(c, s.start, s.go_live), today)
            }
        };
        out.push(label.finding(outcome));
    }
    evaluate_continuity(profile, labels, s, &mut out);
    out.shrink_to_fit();
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
        .map(|c| {
            Finding::new(
                &c.id,
                RuleKind::Control,
                &c.control,
                c.responsible.as_deref().unwrap_or(COORDINATOR),
                control_outcome(
                    c,
                    controls_done.get(&c.control).copied(),
                    add_months(start, c.interval_months),
                    today,
                ),
            )
        })
        .collect()
}
