//! Policy in the API: the organisation's profile (read, replace), compliance
//! per organisation and per system, the caller's tasks, and recording
//! documents and controls.

use crate::AppState;
use crate::api::support::{Acting, Created, area, created, list_type};
use crate::auth::Principal;
use crate::context::{OrgPath, SystemPath};
use crate::error::AppError;
use crate::error::AppResult;
use crate::extract::{ApiJson, Query};
use crate::query::PagingQuery;
use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use insyn_domain::policy::{Finding, LessonsFinding, Profile, SystemCompliance};
use insyn_domain::validation::Validate;
use insyn_domain::*;
use insyn_store::policy::{
    ComplianceSnapshot, ControlDraft, DocumentDraft, FILTER_STATES, FindingFilter, StoredProfile,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

area! {
    GET "/orgs/{org}/policy" => get_policy, Read;
    PUT "/orgs/{org}/policy" => put_policy, Administer;
    GET "/orgs/{org}/compliance" => org_compliance, Read;
    GET "/orgs/{org}/tasks" => my_tasks, Read;
    GET "/orgs/{org}/systems/{id}/compliance" => system_compliance, Read;
    POST "/orgs/{org}/systems/{id}/documents" => record_document, EditSystem;
    POST "/orgs/{org}/systems/{id}/controls" => record_control, EditSystem;
}

use crate::nav::today;

/// The organisation's policy profile.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PolicyOut {
    pub code: String,
    /// 0 when the organisation has chosen none and the default applies.
    pub version: i32,
    pub chosen: bool,
    pub based_on: Option<String>,
    /// The profile as TOML, as saved.
    pub toml: String,
    pub profile: Profile,
}

impl From<StoredProfile> for PolicyOut {
    fn from(p: StoredProfile) -> Self {
        Self {
            code: p.code,
            version: p.version,
            chosen: p.chosen,
            based_on: p.based_on,
            toml: p.body,
            profile: p.profile,
        }
    }
}

/// A new version of the profile, or a shipped profile to adopt.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct PolicyIn {
    /// The profile as TOML (see `GET …/policy`).
    #[serde(default)]
    pub toml: Option<String>,
    /// Or the code of a shipped profile to adopt instead.
    #[serde(default)]
    pub shipped: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

impl Validate for PolicyIn {
    fn problems(&self) -> FieldErrors {
        match (&self.toml, &self.shipped) {
            (Some(_), None) | (None, Some(_)) => FieldErrors::new(),
            _ => FieldErrors::single("toml", insyn_domain::validation::REQUIRED),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/policy", tag = "policy",
    params(("org" = String, Path)),
    responses((status = 200, body = PolicyOut), (status = 404)))]
async fn get_policy(State(state): State<AppState>, at: OrgPath) -> AppResult<Json<PolicyOut>> {
    Ok(Json(state.store.active_profile(at.id()).await?.into()))
}

/// Saves a new version of the profile (or adopts a shipped one). Problems
/// name the line (`line 4`) or the rule (`role[2].any_of`).
#[utoipa::path(put, path = "/api/v1/orgs/{org}/policy", tag = "policy",
    params(("org" = String, Path)), request_body = PolicyIn,
    responses((status = 200, body = PolicyOut), (status = 422)))]
async fn put_policy(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(input): ApiJson<PolicyIn>,
) -> AppResult<Json<PolicyOut>> {
    let saved = match (input.toml, input.shipped) {
        (Some(text), _) => {
            store
                .save_profile(&actor, at.id(), &text, input.note.as_deref())
                .await?
        }
        (None, Some(code)) => store.adopt_profile(&actor, at.id(), &code).await?,
        (None, None) => unreachable!("checked by Validate"),
    };
    Ok(Json(saved.into()))
}

/// One rule's outcome, with the rule's words and where they come from.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FindingOut {
    #[serde(flatten)]
    pub finding: Finding,
    /// The rule's text in Swedish and English.
    pub text_sv: String,
    pub text_en: String,
    /// The section of the source document the rule cites.
    pub cite: String,
    /// The document the profile's rules come from.
    pub source: String,
}

impl FindingOut {
    fn new(p: &StoredProfile, finding: Finding) -> Self {
        let rule = p.profile.rule(finding.rule_id());
        Self {
            text_sv: rule.map(|r| r.text_sv.to_owned()).unwrap_or_default(),
            text_en: rule.map(|r| r.text_en.to_owned()).unwrap_or_default(),
            cite: rule.map(|r| r.cite.to_owned()).unwrap_or_default(),
            source: p.profile.source.clone(),
            finding,
        }
    }
}

/// One system's findings.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SystemComplianceOut {
    pub id: Uuid,
    pub name: String,
    /// The top of the unit tree above the responsible unit.
    pub division: Option<String>,
    pub findings: Vec<FindingOut>,
}

/// Coverage of one rule over the organisation's systems.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RuleCoverage {
    pub rule_id: String,
    pub applicable: u32,
    pub compliant: u32,
}

/// The organisation judged against its profile today: coverage over every
/// system, and one page of the systems with the findings that pass the filter.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ComplianceOut {
    pub profile: String,
    pub version: i32,
    pub today: NaiveDate,
    pub coverage: Vec<RuleCoverage>,
    /// One page of the systems with at least one finding that passes the
    /// filter (every system when there is no filter), in the register's order.
    pub systems: Vec<SystemComplianceOut>,
    /// How many systems pass the filter, over all pages.
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
    /// When the figures were computed, and whether the data has changed
    /// since (a newer computation is then running; ask again shortly).
    pub computed_at: chrono::DateTime<chrono::Utc>,
    pub current: bool,
    /// The organisation's own controls (revising the governing documents).
    pub organisation: Vec<FindingOut>,
    /// Lessons learned of closed incidents, when the profile asks for them
    /// within a number of days of closing: each incident late, with its link.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incident_lessons: Option<LessonsOut>,
}

/// The lessons-learned finding with the rule's words and each late incident.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LessonsOut {
    #[serde(flatten)]
    pub finding: LessonsFinding,
    pub text_sv: String,
    pub text_en: String,
    pub cite: String,
    /// Each late incident's path in the API, in the order of `late`.
    pub links: Vec<String>,
}

impl LessonsOut {
    fn new(p: &StoredProfile, finding: LessonsFinding) -> Option<Self> {
        let rule = p.profile.incidents.as_ref()?;
        Some(Self {
            text_sv: rule.text_sv.clone(),
            text_en: rule.text_en.clone(),
            cite: rule.cite.clone(),
            links: vec![],
            finding,
        })
    }

    /// Links each late incident in the organisation with this slug.
    fn link(&mut self, org: &str) {
        self.links = self
            .finding
            .late
            .iter()
            .map(|l| format!("/api/v1/orgs/{org}/incidents/{}", l.incident_id))
            .collect();
    }
}

impl SystemComplianceOut {
    /// A system with these of its findings.
    fn new<'a>(
        p: &StoredProfile,
        s: &SystemCompliance,
        findings: impl IntoIterator<Item = &'a Finding>,
    ) -> Self {
        Self {
            id: s.id.0,
            name: s.name.clone(),
            division: s.division.clone(),
            findings: findings
                .into_iter()
                .map(|f| FindingOut::new(p, f.clone()))
                .collect(),
        }
    }
}

/// Which findings the compliance list holds, and which page of its systems.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComplianceQuery {
    /// A förvaltning by name (the top of the unit tree above a system's
    /// responsible unit); empty for systems without one.
    #[param(max_length = 300)]
    pub division: Option<String>,
    /// A rule's id in the organisation's profile (one it lacks matches nothing).
    #[param(max_length = 100)]
    pub rule: Option<String>,
    /// A finding's state, or `gap` for every finding short of its rule (empty: any).
    #[param(pattern = "^(gap|met|due_soon|missing|overdue|expired|unknown)?$")]
    pub state: Option<String>,
    /// The e-mail address of the person the open findings fall to.
    #[param(max_length = 320)]
    pub responsible: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

impl ComplianceQuery {
    fn parse(&self) -> Result<(FindingFilter, PageRequest), FieldErrors> {
        let page = crate::query::PagingQuery {
            page: self.page.clone(),
            per_page: self.per_page.clone(),
        }
        .parse()?;
        let mut e = FieldErrors::new();
        let mut text = |name: &str, v: &Option<String>, max: usize| {
            let v = v.as_deref().map(str::trim)?;
            if v.chars().count() > max {
                e.add(name, insyn_domain::validation::TOO_LONG);
            }
            Some(v.to_owned())
        };
        let division = text("division", &self.division, 300);
        let rule = text("rule", &self.rule, 100).filter(|r| !r.is_empty());
        let state = text("state", &self.state, 20).filter(|s| !s.is_empty());
        let responsible = text("responsible", &self.responsible, 320).filter(|s| !s.is_empty());
        if state
            .as_deref()
            .is_some_and(|s| !FILTER_STATES.contains(&s))
        {
            e.add("state", insyn_domain::validation::UNKNOWN_CHOICE);
        }
        let filter = FindingFilter {
            division,
            rule,
            state,
            responsible,
        };
        e.into_result((filter, page))
    }
}

/// One page of the systems whose findings pass the filter, each with those findings.
fn compliance_page(
    s: &ComplianceSnapshot,
    filter: &FindingFilter,
    req: PageRequest,
) -> (Vec<SystemComplianceOut>, i64) {
    let p = &s.compliance.profile;
    let out = |sys: &SystemCompliance, findings: Vec<&Finding>| {
        SystemComplianceOut::new(p, sys, findings)
    };
    let (skip, take) = (req.offset() as usize, req.limit() as usize);
    if *filter == FindingFilter::default() {
        let systems = &s.compliance.systems;
        let items = systems
            .iter()
            .skip(skip)
            .take(take)
            .map(|sys| out(sys, sys.findings.iter().collect()))
            .collect();
        return (items, systems.len() as i64);
    }
    // Findings come system by system: group the runs of one system.
    let mut items = vec![];
    let mut total = 0usize;
    let mut run: Option<(&SystemCompliance, Vec<&Finding>)> = None;
    let mut flush = |run: Option<(&SystemCompliance, Vec<&Finding>)>, total: &mut usize| {
        if let Some((sys, fs)) = run {
            if *total >= skip && *total < skip + take {
                items.push(out(sys, fs));
            }
            *total += 1;
        }
    };
    for (sys, f) in s.findings_matching(filter) {
        match &mut run {
            Some((cur, fs)) if cur.id == sys.id => fs.push(f),
            _ => flush(run.replace((sys, vec![f])), &mut total),
        }
    }
    flush(run, &mut total);
    (items, total as i64)
}

/// The organisation's compliance: coverage per rule over every system, and
/// one page of systems with their findings, filtered by förvaltning, rule,
/// state and responsible person. Read from the organisation's snapshot
/// (`computed_at`, `current`), not recomputed per request.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/compliance", tag = "policy",
    params(("org" = String, Path), ComplianceQuery),
    responses((status = 200, body = ComplianceOut), (status = 404), (status = 422)))]
async fn org_compliance(
    State(state): State<AppState>,
    at: OrgPath,
    Query(q): Query<ComplianceQuery>,
) -> AppResult<Json<ComplianceOut>> {
    let snap = state.store.compliance_snapshot(at.id(), today()).await?;
    let (filter, req) = q.parse().map_err(AppError::Invalid)?;
    let (systems, total) = compliance_page(&snap.snapshot, &filter, req);
    let c = &snap.snapshot.compliance;
    let mut out = ComplianceOut {
        profile: c.profile.code.clone(),
        version: c.profile.version,
        today: c.today,
        coverage: snap
            .snapshot
            .coverage_by_rule
            .iter()
            .map(|r| RuleCoverage {
                rule_id: r.key.clone(),
                applicable: r.coverage.applicable,
                compliant: r.coverage.compliant,
            })
            .collect(),
        systems,
        total,
        page: req.page,
        per_page: req.per_page,
        computed_at: snap.snapshot.computed_at,
        current: snap.current,
        organisation: c
            .organisation
            .iter()
            .map(|f| FindingOut::new(&c.profile, f.clone()))
            .collect(),
        incident_lessons: c
            .incident_lessons
            .clone()
            .and_then(|l| LessonsOut::new(&c.profile, l)),
    };
    if let Some(l) = &mut out.incident_lessons {
        l.link(&at.org.slug);
    }
    Ok(Json(out))
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/systems/{id}/compliance", tag = "policy",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)),
    responses((status = 200, body = SystemComplianceOut), (status = 404)))]
async fn system_compliance(
    State(state): State<AppState>,
    at: SystemPath,
) -> AppResult<Json<SystemComplianceOut>> {
    let (org, sid) = (at.org.id, at.system);
    // Existence (and the organisation) first: an archived system is still found.
    state.store.get_system(org, sid).await?;
    let c = state.store.compliance(org, Some(sid), today()).await?;
    let s = c
        .systems
        .first()
        .map(|s| SystemComplianceOut::new(&c.profile, s, &s.findings));
    Ok(Json(s.unwrap_or(SystemComplianceOut {
        id: sid.0,
        name: String::new(),
        division: None,
        findings: vec![],
    })))
}

/// What kind of thing a task is.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// A rule of the profile the caller must act on (`finding`).
    Finding,
    /// A planned restore test due or overdue (`restore_test`).
    RestoreTest,
    /// A contract whose last day to give notice (or use an option) is near
    /// (`contract`).
    Contract,
}

/// A planned restore test the caller has to perform.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PlannedRestoreOut {
    pub id: Uuid,
    pub planned_on: NaiveDate,
    /// `due` (within the restore-test control's reminder window) or `overdue`.
    pub state: insyn_domain::policy::PlannedState,
    /// Who the test names to perform it.
    pub performer: Option<String>,
}

/// A contract whose last day to give notice is within the organisation's
/// lead time, as its reminder tells the caller.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ContractTaskOut {
    pub id: Uuid,
    pub name: String,
    pub supplier: String,
    /// The municipality's last day to give notice (or use an option).
    pub last_notice_day: Option<NaiveDate>,
    /// What to do by then: `give_notice` or `use_option`.
    pub action: Option<insyn_domain::contract::NoticeAction>,
}

/// Something the caller has to do.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TaskOut {
    pub kind: TaskKind,
    pub system_id: Option<Uuid>,
    pub system_name: Option<String>,
    /// The role through which it is the caller's (none: the restore test
    /// names them).
    pub as_role: Option<String>,
    /// True when it is the caller's because the responsible role is vacant.
    pub vacant: bool,
    /// The rule's finding (kind `finding`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finding: Option<FindingOut>,
    /// The planned restore test (kind `restore_test`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restore_test: Option<PlannedRestoreOut>,
    /// The contract near its last notice day (kind `contract`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contract: Option<ContractTaskOut>,
}

/// The caller's tasks, one page: the findings of the roles they hold
/// (matched by e-mail) in the order of "Mina uppgifter" (by system, the
/// most urgent first, one task for the same thing to do in a system), then
/// the planned restore tests due or overdue that fall to them, then the
/// contracts whose reminder goes to them (the nearest last notice day
/// first, as "Mina uppgifter" lists them).
#[utoipa::path(get, path = "/api/v1/orgs/{org}/tasks", tag = "policy",
    params(("org" = String, Path), PagingQuery),
    responses((status = 200, body = TaskList), (status = 404), (status = 422)))]
async fn my_tasks(
    State(state): State<AppState>,
    me: Principal,
    at: OrgPath,
    Query(q): Query<PagingQuery>,
) -> AppResult<Json<TaskList>> {
    let req = q.parse().map_err(AppError::Invalid)?;
    let c = state.store.compliance_snapshot(at.id(), today()).await?;
    let planned = state
        .store
        .planned_restore_tasks(at.id(), &c, &me.user.email, &me.user.name)
        .await?;
    let contracts = state
        .store
        .contract_tasks_for(at.id(), &me.user.email, today())
        .await?;
    let email = &me.user.email;
    let findings = c.snapshot.task_count(email);
    let (skip, take) = (
        usize::try_from(req.offset()).unwrap_or(usize::MAX),
        req.per_page as usize,
    );
    let on_page = c.snapshot.tasks_slice(email, skip, take);
    let tests_skip = skip.saturating_sub(findings);
    let tests_take = take - on_page.len();
    let contracts_skip = skip.saturating_sub(findings + planned.len());
    let total = (findings + planned.len() + contracts.len()) as i64;
    let findings = on_page.into_iter().map(|t| TaskOut {
        kind: TaskKind::Finding,
        system_id: t.system.as_ref().map(|s| s.0.0),
        system_name: t.system.map(|s| s.1),
        as_role: Some(t.as_role),
        vacant: t.vacant,
        finding: Some(FindingOut::new(&c.profile, t.finding)),
        restore_test: None,
        contract: None,
    });
    let tests = planned
        .into_iter()
        .skip(tests_skip)
        .take(tests_take)
        .map(|t| TaskOut {
            kind: TaskKind::RestoreTest,
            system_id: Some(t.test.system_id.0),
            system_name: Some(t.test.system_name),
            as_role: t.as_role,
            vacant: t.vacant,
            finding: None,
            restore_test: Some(PlannedRestoreOut {
                id: t.test.test_id,
                planned_on: t.test.planned_on,
                state: t.state,
                performer: t.test.performer,
            }),
            contract: None,
        });
    let mut items: Vec<TaskOut> = findings.chain(tests).collect();
    let contracts_take = take - items.len();
    items.extend(
        contracts
            .into_iter()
            .skip(contracts_skip)
            .take(contracts_take)
            .map(|k| TaskOut {
                kind: TaskKind::Contract,
                // A contract may cover several systems: the first by name.
                system_id: k.systems.first().map(|s| s.id.0),
                system_name: k.systems.first().map(|s| s.name.clone()),
                as_role: None,
                vacant: false,
                finding: None,
                restore_test: None,
                contract: Some(ContractTaskOut {
                    id: k.id.0,
                    name: k.name,
                    supplier: k.supplier_name,
                    last_notice_day: k.dates.last_notice_day,
                    action: k.dates.action,
                }),
            }),
    );
    Ok(Json(insyn_domain::Page::of(items, total, req).into()))
}

list_type!(TaskList(TaskOut));

/// A document registered on a system (a continuity plan, a management plan …).
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct DocumentIn {
    /// A document kind the profile names (`continuity_plan`, `management_plan` …);
    /// a classification, plan, approval or decision is never a document.
    #[schema(pattern = r"^\s*[a-z0-9_-]+\s*$")]
    pub kind: String,
    #[schema(min_length = 1, max_length = 300, pattern = r"\S")]
    pub title: String,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub reference: Option<String>,
    pub dated: NaiveDate,
}

impl Validate for DocumentIn {
    fn problems(&self) -> FieldErrors {
        FieldErrors::new()
    }
}

#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/documents", tag = "policy",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)), request_body = DocumentIn,
    responses((status = 201, body = DocumentIn), (status = 422), (status = 404)))]
async fn record_document(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(d): ApiJson<DocumentIn>,
) -> AppResult<Created<DocumentIn>> {
    let doc = store
        .record_document(
            &actor,
            at.org.id,
            at.system,
            DocumentDraft {
                kind: d.kind,
                title: d.title,
                reference: d.reference,
                dated: d.dated,
            },
        )
        .await?;
    Ok(created(DocumentIn {
        kind: doc.kind,
        title: doc.title,
        reference: doc.reference,
        dated: doc.dated,
    }))
}

/// How a control went (the values of `insyn_store::policy::CONTROL_RESULTS`;
/// a test keeps the two the same). Only for the schema.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum ControlResult {
    Ok,
    Remarks,
}

/// A recurring control performed on a system.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ControlIn {
    /// The control's code in the profile (`access_review`, `restore_test` …);
    /// the annual review and the classification review are recorded through
    /// their own workflows, not here.
    #[schema(min_length = 1, pattern = r"\S")]
    pub control: String,
    pub performed_on: NaiveDate,
    #[schema(value_type = ControlResult)]
    pub result: String,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub note: Option<String>,
}

impl Validate for ControlIn {
    fn problems(&self) -> FieldErrors {
        FieldErrors::new()
    }
}

#[utoipa::path(post, path = "/api/v1/orgs/{org}/systems/{id}/controls", tag = "policy",
    params(("org" = String, Path), ("id" = uuid::Uuid, Path)), request_body = ControlIn,
    responses((status = 201, body = ControlIn), (status = 422), (status = 404)))]
async fn record_control(
    Acting { store, actor }: Acting,
    at: SystemPath,
    ApiJson(c): ApiJson<ControlIn>,
) -> AppResult<Created<ControlIn>> {
    let r = store
        .record_control(
            &actor,
            at.org.id,
            Some(at.system),
            ControlDraft {
                control: c.control,
                performed_on: c.performed_on,
                result: c.result,
                note: c.note,
            },
        )
        .await?;
    Ok(created(ControlIn {
        control: r.control,
        performed_on: r.performed_on,
        result: r.result,
        note: r.note,
    }))
}
