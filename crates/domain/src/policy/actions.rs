//! What a task asks for in plain words ("Utse en systemförvaltare för
//! Treserva", "Gör den årliga uppföljningen av Treserva (senast
//! 2027-01-31)"): a message key with its arguments, and the form where it is
//! done. The words are the language files'; this decides which, for every
//! rule kind, built-in artefact and control the shipped profiles use.

use super::*;
use chrono::NaiveDate;

/// Where a task is done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionForm {
    /// The system's role form, with this role chosen.
    AssignRole(String),
    /// The system's information sets and their classification (KLASSA).
    Classification,
    /// The system's security plan.
    SecurityPlan,
    /// The system's operational approval (driftgodkännande).
    Approval,
    /// The decision on whether the system is business-critical.
    CriticalDecision,
    /// The system's outage plan (avbrottsplan).
    OutagePlan,
    /// The system's continuity tab (RTO and RPO, backups, restore tests).
    Continuity,
    /// The system's decommissioning tab.
    Decommissioning,
    /// The records of processing (registerförteckning).
    ProcessingRecords,
    /// The processor agreements (personuppgiftsbiträdesavtal).
    ProcessorAgreements,
    /// The contracts (support and operation).
    Contracts,
    /// The system's AI Act facts (FRIA).
    AiAct,
    /// The system's documents.
    Documents,
    /// The system's control record form, with this control chosen.
    SystemControl(String),
    /// The system's annual review (the checklist).
    AnnualReview,
    /// The organisation's control record form in the årshjul.
    OrgControl(String),
    /// The system's own form (user count, go-live date).
    EditSystem,
}

/// The date the words add, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionWhen {
    None,
    /// Due on this day ("senast 2027-01-31").
    DueBy(NaiveDate),
    /// Late since this day.
    LateSince(NaiveDate),
    /// Lapsed on this day (a classification past its valid-until date).
    ExpiredSince(NaiveDate),
}

impl ActionWhen {
    /// The message key of the words the date goes in, with the date.
    pub fn key(self) -> Option<(&'static str, NaiveDate)> {
        match self {
            ActionWhen::None => None,
            ActionWhen::DueBy(d) => Some(("task-when-due", d)),
            ActionWhen::LateSince(d) => Some(("task-when-late", d)),
            ActionWhen::ExpiredSince(d) => Some(("task-when-expired", d)),
        }
    }
}

/// A task in plain words. The message takes `$system` (the system's name,
/// absent for the organisation's own) and, as the key needs them, `$role`
/// (the roles named, joined by "or"), `$control` (the profile's name of the
/// control) and `$document` (the rule's words for a document kind).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub key: &'static str,
    /// Role codes the words name (any one of them will do).
    pub roles: Vec<String>,
    /// Whether the words name the control by the profile's name for it.
    pub names_control: bool,
    /// Whether the words name the document by its rule's words.
    pub names_document: bool,
    pub when: ActionWhen,
    pub form: ActionForm,
}

impl Action {
    fn new(key: &'static str, form: ActionForm) -> Action {
        Action {
            key,
            roles: vec![],
            names_control: false,
            names_document: false,
            when: ActionWhen::None,
            form,
        }
    }
}

/// The message keys [`action`] can give, for the language files' test.
pub const ACTION_KEYS: &[&str] = &[
    "task-appoint",
    "task-fill-in-user-count",
    "task-fill-in-go-live-date",
    "task-classify",
    "task-reclassify",
    "task-security-plan",
    "task-approval",
    "task-approval-renew",
    "task-critical-decision",
    "task-outage-plan",
    "task-continuity-requirements",
    "task-decommission-gates",
    "task-processing-record",
    "task-processor-agreement",
    "task-support-contract",
    "task-fria",
    "task-dpia",
    "task-management-plan",
    "task-continuity-plan",
    "task-security-instructions",
    "task-service-agreement",
    "task-document",
    "task-annual-review",
    "task-access-review",
    "task-log-review",
    "task-restore-test",
    "task-benefit-review",
    "task-classification-review",
    "task-security-review",
    "task-control",
    "task-policy-revision",
    "task-strategy-revision",
    "task-org-control",
    "task-restore-test-deviations",
    "task-when-due",
    "task-when-late",
    "task-when-expired",
];

/// What to do about a finding: on a system (`on_system`) or, for the
/// organisation's own controls, for the whole organisation.
pub fn action(f: &Finding, on_system: bool) -> Action {
    if let Outcome::Unknown { fact } = f.outcome {
        return match fact {
            Fact::UserCount => Action::new("task-fill-in-user-count", ActionForm::EditSystem),
            Fact::GoLive => Action::new("task-fill-in-go-live-date", ActionForm::EditSystem),
            Fact::Classification => Action::new("task-classify", ActionForm::Classification),
        };
    }
    let mut a = match f.kind() {
        RuleKind::Role => {
            let roles: Vec<String> = f.subject().split(',').map(str::to_owned).collect();
            let first = roles.first().cloned().unwrap_or_default();
            Action {
                roles,
                ..Action::new("task-appoint", ActionForm::AssignRole(first))
            }
        }
        RuleKind::Artefact => artefact_action(f.subject(), &f.outcome),
        RuleKind::Control if on_system => system_control_action(f.subject()),
        RuleKind::Control => org_control_action(f.subject()),
        RuleKind::Continuity => Action::new("task-restore-test-deviations", ActionForm::Continuity),
    };
    a.when = match f.outcome {
        Outcome::DueSoon { due } => ActionWhen::DueBy(due),
        Outcome::Overdue { since } if f.kind() == RuleKind::Control => ActionWhen::LateSince(since),
        Outcome::Expired { since } => ActionWhen::ExpiredSince(since),
        _ => ActionWhen::None,
    };
    a
}

fn artefact_action(artefact: &str, outcome: &Outcome) -> Action {
    use ActionForm as F;
    let expired = matches!(outcome, Outcome::Expired { .. });
    let (key, form) = match artefact {
        "classification" if expired => ("task-reclassify", F::Classification),
        "classification" => ("task-classify", F::Classification),
        "security_plan" => ("task-security-plan", F::SecurityPlan),
        "operational_approval" if expired => ("task-approval-renew", F::Approval),
        "operational_approval" => ("task-approval", F::Approval),
        "business_critical_decision" => ("task-critical-decision", F::CriticalDecision),
        OUTAGE_PLAN => ("task-outage-plan", F::OutagePlan),
        CONTINUITY_REQUIREMENTS => ("task-continuity-requirements", F::Continuity),
        DECOMMISSION_GATES => ("task-decommission-gates", F::Decommissioning),
        PROCESSING_RECORD => ("task-processing-record", F::ProcessingRecords),
        PROCESSOR_AGREEMENT => ("task-processor-agreement", F::ProcessorAgreements),
        SUPPORT_CONTRACT => ("task-support-contract", F::Contracts),
        FRIA => ("task-fria", F::AiAct),
        DPIA => ("task-dpia", F::ProcessingRecords),
        // Document kinds the shipped profiles ask for.
        "management_plan" => ("task-management-plan", F::Documents),
        "continuity_plan" => ("task-continuity-plan", F::Documents),
        "security_instructions" => ("task-security-instructions", F::Documents),
        "service_agreement" => ("task-service-agreement", F::Documents),
        _ => {
            return Action {
                names_document: true,
                ..Action::new("task-document", F::Documents)
            };
        }
    };
    Action::new(key, form)
}

fn system_control_action(control: &str) -> Action {
    let record = || ActionForm::SystemControl(control.to_owned());
    match control {
        ANNUAL_REVIEW => Action::new("task-annual-review", ActionForm::AnnualReview),
        CLASSIFICATION_REVIEW => {
            Action::new("task-classification-review", ActionForm::Classification)
        }
        "access_review" => Action::new("task-access-review", record()),
        "log_review" => Action::new("task-log-review", record()),
        "restore_test" => Action::new("task-restore-test", ActionForm::Continuity),
        "benefit_review" => Action::new("task-benefit-review", record()),
        "security_review" => Action::new("task-security-review", record()),
        _ => Action {
            names_control: true,
            ..Action::new("task-control", record())
        },
    }
}

fn org_control_action(control: &str) -> Action {
    let record = ActionForm::OrgControl(control.to_owned());
    match control {
        "policy_revision" => Action::new("task-policy-revision", record),
        "strategy_revision" => Action::new("task-strategy-revision", record),
        _ => Action {
            names_control: true,
            ..Action::new("task-org-control", record)
        },
    }
}

/// A person's tasks under one heading: one system's, or (`None`) the
/// organisation's own.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskGroup {
    pub system: Option<(crate::ids::SystemId, String)>,
    pub tasks: Vec<Task>,
}

/// The same thing to do: the same words, form and roles.
pub fn same_action(a: &Finding, b: &Finding) -> bool {
    let (a, b) = (action(a, true), action(b, true));
    (a.key, a.form, a.roles) == (b.key, b.form, b.roles)
}

/// Items grouped by their system, each system where its first item comes
/// (the order of `items` kept within each group), one item for the same
/// thing to do in a system (`same`); the items without a system apart, in
/// their order.
pub fn group_in_order<T, K: Eq + std::hash::Hash>(
    items: impl IntoIterator<Item = T>,
    system: impl Fn(&T) -> Option<K>,
    same: impl Fn(&T, &T) -> bool,
) -> (Vec<Vec<T>>, Vec<T>) {
    let mut groups: Vec<Vec<T>> = vec![];
    let mut index: std::collections::HashMap<K, usize> = Default::default();
    let mut own: Vec<T> = vec![];
    for t in items {
        let Some(key) = system(&t) else {
            own.push(t);
            continue;
        };
        match index.get(&key) {
            // The same thing to do twice (a classification missing, and
            // needed to tell whether another rule applies) is one task.
            Some(&i) if groups[i].iter().any(|o| same(o, &t)) => {}
            Some(&i) => groups[i].push(t),
            None => {
                index.insert(key, groups.len());
                groups.push(vec![t]);
            }
        }
    }
    (groups, own)
}

/// Tasks grouped by system (one task for the same thing to do), the system with the most urgent task first (the
/// order [`Compliance::tasks_for`] gives, kept within each group), the
/// organisation's own after every system.
pub fn group_by_system(tasks: Vec<Task>) -> Vec<TaskGroup> {
    let (groups, own) = group_in_order(
        tasks,
        |t| t.system.as_ref().map(|s| s.0),
        |a, b| same_action(&a.finding, &b.finding),
    );
    let mut groups: Vec<TaskGroup> = groups
        .into_iter()
        .map(|tasks| TaskGroup {
            system: tasks[0].system.clone(),
            tasks,
        })
        .collect();
    if !own.is_empty() {
        groups.push(TaskGroup {
            system: None,
            tasks: own,
        });
    }
    groups
}
