//! A register that looks lived in: four years of governance on the demo's
//! systems, written through the store's own methods so the audit trail
//! records each step. Most systems have a systemansvarig, classified
//! information (KLASSA levels varied), a förvaltningsplan and controls done
//! in past months of this year and the last; some have an approved security
//! plan and a signed driftgodkännande, a few an approval to renew (classified
//! again since); some controls are overdue and some systems have nothing yet,
//! so the charts show neither 0 % nor 100 %. Most took a new version into
//! use since they were entered. Most systems with a supplier
//! have a contract with it (a few with their last day to give notice within
//! the next two months, some expired), and the business-critical ones have
//! restore tests done in past years, some planned soon and some overdue.
//!
//! The history is first made as dated steps, then written in the order of
//! their days, each inside the store's [`demo_dated`]: every audit entry,
//! and every row's time, is that of the day it tells of, and the trail's
//! sequence is its time order, so `insyn audit verify` (and a checkpoint
//! written afterwards) holds and each system's Historik spreads over years.
//! Only the systems' entry into the register, made in bulk, is moved back
//! with the store's `demo_backdate_systems`.
//!
//! Only the first [`LIVED_IN`] systems by name get a history, so a demo of
//! a hundred thousand systems loads about as fast as before; the others get
//! their governance of today in bulk ([`demo_rest`]); the systems the other
//! demo journeys start from (`skip`) keep their gaps.

use chrono::{DateTime, Datelike, Days, Duration, Months, NaiveDate, NaiveTime, Utc};
use insyn_domain::continuity::{Requirements, RestoreTestDraft};
use insyn_domain::contract::{
    ContractDraft, ContractKind, EndOf, RenewalKind, SupplierDraft, schedule,
};
use insyn_domain::security::{ApprovalDraft, ClassificationDraft, InformationSetDraft, PlanAction};
use insyn_domain::*;
use insyn_store::db::Result;
use insyn_store::policy::{ControlDraft, DocumentDraft};
use insyn_store::reviews::Answer;
use insyn_store::{Actor, Store, SystemRow, demo_dated};
use std::collections::{BTreeMap, HashMap};

/// How many systems (the first by name) get a history.
pub const LIVED_IN: u32 = 300;

/// How many months ago the demo municipality began to use insyn: its
/// organisation, people, policy and sign-ins date from then, before every
/// system's history.
const BEGAN_MONTHS: u32 = 50;

/// The rules of the 2026 baseline (GDPR and the AI Act) the demo adds to
/// Söderköping's guideline, so the dashboard shows their gaps too.
const BASELINE_RULES: &[&str] = &[
    "processor-agreement",
    "processing-record",
    "dpia-sensitive",
    "dpia-confidential",
    "fria",
];

/// The baseline's yearly restore test, which the demo asks of its
/// business-critical systems.
const RESTORE_TEST_RULE: &str = "restore-test";

/// Söderköping's guideline with the 2026 baseline's GDPR and AI Act rules
/// and its yearly restore test for business-critical systems, saved as the
/// organisation's next profile version.
pub async fn demo_profile(store: &Store, org: OrgId, actor: &Actor) -> Result<()> {
    let current = store.active_profile(org).await?;
    let mut profile = current.profile.clone();
    let codes: Vec<&str> = DEFAULT_ROLE_TYPES.iter().map(|r| r.0).collect();
    let Some(baseline) = insyn_domain::policy::shipped("baseline-2026", &codes) else {
        return Ok(());
    };
    profile.artefacts.extend(
        baseline
            .artefacts
            .into_iter()
            .filter(|a| BASELINE_RULES.contains(&a.id.as_str())),
    );
    profile.controls.extend(
        baseline
            .controls
            .into_iter()
            .filter(|c| c.id == RESTORE_TEST_RULE)
            .map(|mut c| {
                c.when.business_critical = Some(true);
                c
            }),
    );
    store
        .save_profile(
            actor,
            org,
            &profile.to_toml(),
            Some("Söderköpings riktlinje med 2026 års grundnivå för GDPR, AI-förordningen och återläsningstest"),
        )
        .await?;
    Ok(())
}

/// `today` less `months` months.
fn ago(today: NaiveDate, months: u32) -> NaiveDate {
    today
        .checked_sub_months(Months::new(months))
        .unwrap_or(today)
}

/// `d` plus `months` months.
fn after(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_add_months(Months::new(months)).unwrap_or(d)
}

/// The day at `hour`, plus `minutes`.
fn on(d: NaiveDate, hour: u32, minutes: i64) -> DateTime<Utc> {
    d.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default())
        .and_utc()
        + Duration::minutes(minutes)
}

/// When the demo municipality began to use insyn (noon, [`BEGAN_MONTHS`] ago).
pub fn began(today: NaiveDate) -> DateTime<Utc> {
    on(ago(today, BEGAN_MONTHS), 12, 0)
}

/// One step of a system's history, applied on its day.
enum Step {
    Appoint {
        role: &'static str,
        person: PersonId,
        start: NaiveDate,
        /// The day the person left the role (it is vacant since).
        end: Option<NaiveDate>,
    },
    /// Every information set classified; `again` varies the levels.
    Classify {
        again: bool,
        valid_until: Option<NaiveDate>,
    },
    Document {
        kind: &'static str,
        dated: NaiveDate,
    },
    Control {
        control: &'static str,
        on: NaiveDate,
    },
    PlanAndApproval,
    Review,
    /// A contract with the named supplier (registered with its first contract).
    Contract {
        supplier: String,
        draft: Box<ContractDraft>,
    },
    Continuity(Requirements),
    RestoreTest(Box<RestoreTestDraft>),
    /// A new version taken into use, by more users.
    Upgrade {
        version: String,
    },
}

struct Event {
    at: DateTime<Utc>,
    system: SystemId,
    i: usize,
    step: Step,
}

/// What every step needs.
struct Cx<'a> {
    store: &'a Store,
    org: OrgId,
    coordinator: Actor,
    it: Actor,
    owner: Actor,
    editor: Actor,
    personal: Vec<SystemId>,
    roles: BTreeMap<String, RoleTypeId>,
    suppliers: HashMap<String, SupplierId>,
}

/// The history of the first [`LIVED_IN`] systems but those in `skip`
/// (`flagship`, the demo owner's system, kept without a late duty and
/// leaving its security plan and this year's annual review to the journeys),
/// made as steps on their days between [`began`] and `until` (now), sorted,
/// and written in the order of those days: up to a moment with
/// [`History::until`] (so the other journeys can be written between them
/// on their own days), the rest with [`History::finish`].
pub struct History<'a> {
    cx: Cx<'a>,
    events: std::iter::Peekable<std::vec::IntoIter<Event>>,
    today: NaiveDate,
    /// The systems holding personal data whose records of processing,
    /// processor agreements and DPIA decisions the journeys keep.
    pub recorded: Vec<SystemId>,
}

impl History<'_> {
    /// Writes the steps dated before `at`, each on the store's clock of its time.
    pub async fn until(&mut self, at: DateTime<Utc>) -> Result<()> {
        while let Some(e) = self.events.next_if(|e| e.at < at) {
            let at = e.at;
            demo_dated(at, apply(&mut self.cx, e)).await?;
        }
        Ok(())
    }

    /// Writes the remaining steps, then stores the contracts' notice days as
    /// of today, for the lists that sort by them.
    pub async fn finish(mut self) -> Result<()> {
        let end = DateTime::<Utc>::MAX_UTC;
        self.until(end).await?;
        self.cx.store.refresh_contract_dates(self.today).await?;
        Ok(())
    }
}

/// Makes the history (see [`History`]) and moves the systems' entry into
/// the register back to their days; nothing of the steps is written yet.
pub async fn demo_history<'a>(
    store: &'a Store,
    org: OrgId,
    systems: &[SystemRow],
    skip: &[SystemId],
    flagship: Option<SystemId>,
    owner_email: Option<&str>,
    until: DateTime<Utc>,
) -> Result<History<'a>> {
    let today = until.date_naive();
    let people = store
        .list_people(org, None, PageRequest::new(Some(1), Some(200)))
        .await?
        .items;
    // The systems the demo owner holds a role on: their information is not
    // personal data and their restore tests are not planned, so the owner's
    // landing page stays a handful of tasks.
    let mine: Vec<SystemId> = match people
        .iter()
        .find(|p| p.email.is_some() && p.email.as_deref() == owner_email)
    {
        Some(p) => {
            let filter = SystemFilter {
                holder_id: Some(p.id),
                ..Default::default()
            };
            let page = PageRequest::new(Some(1), Some(PageRequest::MAX_SIZE));
            store
                .list_systems(org, &filter, Default::default(), false, page)
                .await?
                .items
                .iter()
                .map(|r| r.id)
                .collect()
        }
        None => vec![],
    };
    let people = people
        .into_iter()
        // The demo owner's tasks are those of an owner: a handful.
        .filter(|p| p.active && p.email.as_deref() != owner_email)
        .collect::<Vec<_>>();
    // The continuity journey's systems (the first business-critical ones)
    // keep the restore tests it gives them.
    let continuity_journey: Vec<SystemId> = store
        .list_systems(
            org,
            &SystemFilter {
                business_critical: Some(true),
                ..Default::default()
            },
            Default::default(),
            false,
            PageRequest {
                page: 1,
                per_page: super::continuity::JOURNEY_SYSTEMS,
            },
        )
        .await?
        .items
        .iter()
        .map(|s| s.id)
        .collect();
    let latest = on(today - Days::new(1), 16, 0).min(until);
    let worse = worse_divisions(store, org).await?;
    // The systems whose information sets hold personal data (not the demo
    // owner's): those late with their GDPR records, which the 2026
    // baseline's rules then ask for, and one in three of the others, whose
    // records the journeys keep (`recorded`).
    let (mut personal, mut recorded) = (vec![], vec![]);
    for (i, s) in systems.iter().enumerate() {
        if mine.contains(&s.id) || skip.contains(&s.id) {
            continue;
        }
        let worse = s.responsible_unit_id.is_some_and(|u| worse.contains(&u));
        if Late::of(i, worse).gdpr {
            personal.push(s.id);
        } else if i % 3 == 1 {
            personal.push(s.id);
            recorded.push(s.id);
        }
    }
    let mut entered = vec![];
    let mut events = vec![];
    for (i, row) in systems.iter().enumerate() {
        if skip.contains(&row.id) {
            continue;
        }
        let e = entered_on(i, today);
        entered.push((row.id, e));
        let flagship = flagship == Some(row.id);
        let late = if flagship {
            Late::default()
        } else {
            Late::of(
                i,
                row.responsible_unit_id.is_some_and(|u| worse.contains(&u)),
            )
        };
        let mut steps = vec![];
        // Every system has a systemansvarig, appointed up to three years
        // ago, and an owner; on a few the systemansvarig left some weeks ago
        // and the role is vacant since.
        if !people.is_empty() {
            let start = ago(today, (i % 36) as u32 + 4);
            let person = people[(i * 13 + 5) % people.len()].id;
            let end = late
                .roles
                .then(|| today - Days::new(12 + (i * 11 % 80) as u64));
            let role = "system_responsible";
            steps.push((
                start,
                Step::Appoint {
                    role,
                    person,
                    start,
                    end,
                },
            ));
            if row.owners.is_empty() {
                let person = people[(i * 7 + 3) % people.len()].id;
                let role = "system_owner";
                steps.push((
                    e,
                    Step::Appoint {
                        role,
                        person,
                        start: e,
                        end: None,
                    },
                ));
            }
        }
        // Classified (every set), levels varied, within two months of
        // entering the register; a few only until a day some weeks or
        // months ago (expired).
        let classified = e + Days::new((i % 60) as u64);
        let valid_until = late
            .classification
            .then(|| today - Days::new(15 + (i * 17 % 120) as u64));
        steps.push((
            classified,
            Step::Classify {
                again: false,
                valid_until,
            },
        ));
        // A förvaltningsplan.
        let dated = ago(today, (i % 30) as u32 + 1);
        steps.push((
            dated,
            Step::Document {
                kind: "management_plan",
                dated,
            },
        ));
        for (control, day) in controls(i, &late, today) {
            steps.push((day, Step::Control { control, on: day }));
        }
        // One in three, and every system new since the policy was adopted,
        // has an approved plan and a signed driftgodkännande; one in four
        // of those has been classified again since: to renew.
        let new = matches!(row.lifecycle, Lifecycle::Procuring)
            || row
                .go_live_date
                .is_some_and(|d| d >= began(today).date_naive());
        if (i.is_multiple_of(3) || new) && !flagship {
            let approved = classified + Days::new(30 + (i % 20) as u64);
            steps.push((approved, Step::PlanAndApproval));
            if i.is_multiple_of(12) {
                let again = Step::Classify {
                    again: true,
                    valid_until,
                };
                steps.push((approved + Days::new(60), again));
            }
        }
        // The annual review signed in the past year (a few nearly a year
        // ago: due again soon), or, by the late, a year and some weeks ago.
        // The flagship's last one in December of last year: this year's is
        // due in December, and the owner's journey starts it.
        let signed = if flagship {
            NaiveDate::from_ymd_opt(today.year() - 1, 12, 10).unwrap_or(today)
        } else {
            review_signed(i, late.review, today)
        };
        steps.push((signed, Step::Review));
        // Two in three took a new version into use some months after
        // entering the register, one in three again a year later.
        for k in 0..[1, 2, 0][i % 3] {
            let day = after(e, 8 + (i % 5) as u32 + 12 * k);
            if day < today {
                let version = format!("{}.{}", 4 + k, i * 3 % 10);
                steps.push((day, Step::Upgrade { version }));
            }
        }
        steps.extend(contract(i, row, e, today));
        // The owner's systems have none (their planned tests would be the
        // owner's tasks), but the flagship's done ones.
        if row.business_critical
            && (flagship || !mine.contains(&row.id))
            && !continuity_journey.contains(&row.id)
        {
            steps.extend(
                restore_tests(i, late.restore, e, today)
                    .into_iter()
                    .filter(|(_, s)| {
                        !flagship || !matches!(s, Step::RestoreTest(t) if t.performed_on.is_none())
                    }),
            );
        }
        // Within a day, in the order made, spread over the working day;
        // nothing later than yesterday afternoon (today is the visitor's).
        let entered_at = on(e, 12, 1);
        for (k, (day, step)) in steps.into_iter().enumerate() {
            let at = on(day, 8, (i * 37 % 480) as i64 + k as i64)
                .max(entered_at + Duration::minutes(k as i64))
                .min(latest + Duration::minutes(k as i64));
            events.push(Event {
                at,
                system: row.id,
                i,
                step,
            });
        }
    }
    // Entered years ago, before any of their history.
    demo_dated(
        began(today) + Duration::hours(1),
        store.demo_backdate_systems(org, &entered),
    )
    .await?;
    events.sort_by_key(|e| e.at);
    let cx = Cx {
        store,
        org,
        coordinator: Actor::new(insyn_domain::demo::DEMO_COORDINATOR),
        it: Actor::new("it-chef@exempelstad.se"),
        owner: Actor::new("systemagare@exempelstad.se"),
        editor: Actor::new("redaktor@exempelstad.se"),
        personal,
        roles: store
            .list_role_types(org)
            .await?
            .into_iter()
            .map(|r| (r.code, r.id))
            .collect(),
        suppliers: HashMap::new(),
    };
    Ok(History {
        cx,
        events: events.into_iter().peekable(),
        today,
        recorded,
    })
}

/// Writes one step, on the store's clock of its day.
async fn apply(cx: &mut Cx<'_>, e: Event) -> Result<()> {
    let (store, org, system, i) = (cx.store, cx.org, e.system, e.i);
    let day = e.at.date_naive();
    match e.step {
        Step::Appoint {
            role,
            person,
            start,
            end,
        } => {
            let Some(rt) = cx.roles.get(role) else {
                return Ok(());
            };
            store
                .assign_role(
                    &cx.coordinator,
                    org,
                    AssignmentDraft {
                        role_type_id: *rt,
                        person_id: person,
                        system_id: Some(system),
                        unit_id: None,
                        start_date: start,
                        end_date: end,
                        note: None,
                    },
                )
                .await?;
        }
        Step::Classify { again, valid_until } => {
            let personal = cx.personal.contains(&system);
            let k = if again { i + 1 } else { i };
            classify_all(
                store,
                &cx.coordinator,
                org,
                system,
                k,
                personal,
                valid_until,
            )
            .await?;
        }
        Step::Document { kind, dated } => {
            let title = match kind {
                "management_plan" => "Förvaltningsplan",
                other => other,
            };
            store
                .record_document(
                    &cx.coordinator,
                    org,
                    system,
                    DocumentDraft {
                        kind: kind.into(),
                        title: format!("{title} {}", dated.year()),
                        reference: None,
                        dated,
                    },
                )
                .await?;
        }
        Step::Control { control, on } => {
            store
                .record_control(
                    &cx.coordinator,
                    org,
                    Some(system),
                    ControlDraft {
                        control: control.into(),
                        performed_on: on,
                        result: if i.is_multiple_of(5) { "remarks" } else { "ok" }.into(),
                        note: None,
                    },
                )
                .await?;
        }
        Step::PlanAndApproval => {
            plan_and_approval(store, &cx.coordinator, &cx.owner, &cx.it, org, system).await?;
        }
        Step::Review => annual_review(store, &cx.owner, org, system, day).await?,
        Step::Contract {
            supplier,
            mut draft,
        } => {
            let id = match cx.suppliers.get(&supplier) {
                Some(id) => *id,
                None => {
                    let s = store
                        .create_supplier(
                            &cx.coordinator,
                            org,
                            SupplierDraft {
                                name: supplier.clone(),
                                support_channel: Some(format!(
                                    "support@{}.example",
                                    supplier.to_lowercase().replace(' ', "-")
                                )),
                                ..SupplierDraft::default()
                            },
                        )
                        .await?;
                    cx.suppliers.insert(supplier, s.id);
                    s.id
                }
            };
            draft.supplier_id = id;
            store
                .set_system_supplier(&cx.coordinator, org, system, Some(id))
                .await?;
            store
                .create_contract(&cx.coordinator, org, *draft, day)
                .await?;
        }
        Step::Continuity(req) => {
            store.set_continuity(&cx.it, org, system, req).await?;
        }
        Step::Upgrade { version } => {
            let before = store.get_system(org, system).await?;
            let mut d = before.draft();
            d.version = Some(version);
            d.user_count = before.user_count.map(|n| n + n / 10 + 1);
            store.update_system(&cx.editor, org, system, d).await?;
        }
        Step::RestoreTest(draft) => {
            store
                .record_restore_test(&cx.it, org, system, *draft, day)
                .await?;
        }
    }
    Ok(())
}

/// Every system after the first [`LIVED_IN`] (a demo of thousands): a
/// systemansvarig, a classification and a förvaltningsplan of today, in
/// bulk (the store's `demo_bulk_governance`; in the worse förvaltningar
/// one in three not classified yet), so that the dashboard at 10,000
/// systems is not all gaps and the load stays about as fast.
pub async fn demo_rest(
    store: &Store,
    org: OrgId,
    lived_in: &[SystemId],
    owner_email: Option<&str>,
) -> Result<()> {
    let people: Vec<PersonId> = store
        .list_people(org, None, PageRequest::new(Some(1), Some(200)))
        .await?
        .items
        .into_iter()
        .filter(|p| p.active && p.email.is_some() && p.email.as_deref() != owner_email)
        .map(|p| p.id)
        .collect();
    let Some(rt) = store
        .list_role_types(org)
        .await?
        .into_iter()
        .find(|r| r.code == "system_responsible")
    else {
        return Ok(());
    };
    store
        .demo_bulk_governance(
            org,
            lived_in,
            rt.id,
            &people,
            &worse_divisions(store, org).await?,
        )
        .await?;
    Ok(())
}

/// When the `i`th system entered the register: between one and four years ago.
fn entered_on(i: usize, today: NaiveDate) -> NaiveDate {
    ago(today, 13 + (i * 7 % 36) as u32) - Days::new((i % 28) as u64)
}

/// Which duties a system is late with: most systems none; of the rest
/// (one in five, and about half in the worse förvaltningar) one or two,
/// late by weeks or months, never years.
#[derive(Default)]
struct Late {
    review: bool,
    access: bool,
    log: bool,
    restore: bool,
    classification: bool,
    roles: bool,
    gdpr: bool,
}

impl Late {
    fn of(i: usize, worse: bool) -> Self {
        let mut late = Late::default();
        // An even spread over the systems (37 is prime to 100).
        if i * 37 % 100 >= if worse { 50 } else { 18 } {
            return late;
        }
        let kinds = if i.is_multiple_of(3) { 2 } else { 1 };
        for k in 0..kinds {
            match (i + k * 3) % 7 {
                0 => late.review = true,
                1 => late.access = true,
                2 => late.log = true,
                3 => late.restore = true,
                4 => late.classification = true,
                5 => late.roles = true,
                _ => late.gdpr = true,
            }
        }
        late
    }
}

/// The units of the förvaltningar that keep up less well than the others
/// (every third by name, from the second): the dashboard shows a few worse.
async fn worse_divisions(store: &Store, org: OrgId) -> Result<Vec<UnitId>> {
    let units = store.list_units(org).await?;
    let parent: HashMap<UnitId, Option<UnitId>> =
        units.iter().map(|u| (u.id, u.parent_id)).collect();
    let top = |mut u: UnitId| {
        for _ in 0..64 {
            match parent.get(&u) {
                Some(Some(p)) => u = *p,
                _ => break,
            }
        }
        u
    };
    let mut tops: Vec<(&str, UnitId)> = units
        .iter()
        .filter(|u| u.parent_id.is_none())
        .map(|u| (u.name.as_str(), u.id))
        .collect();
    tops.sort();
    let worse: Vec<UnitId> = tops
        .iter()
        .enumerate()
        .filter(|(k, _)| k % 3 == 1)
        .map(|(_, t)| t.1)
        .collect();
    Ok(units
        .iter()
        .filter(|u| worse.contains(&top(u.id)))
        .map(|u| u.id)
        .collect())
}

/// When the `i`th system's last annual review was signed: within the past
/// eleven months, one in seven eleven months and a few days ago (due again
/// within the month); by the late a year and some weeks ago (overdue).
fn review_signed(i: usize, late: bool, today: NaiveDate) -> NaiveDate {
    if late {
        return ago(today, 12) - Days::new(10 + (i * 7 % 80) as u64);
    }
    match i % 7 {
        6 => ago(today, 11) - Days::new(3 + (i % 20) as u64),
        _ => (ago(today, (i * 5 % 11) as u32) - Days::new((i % 9) as u64)).min(today),
    }
}

/// The access and log reviews: done in the past year (one in six a year
/// ago less a few days: due this month), by the late a year and some weeks
/// ago (overdue); each also a year before.
fn controls(i: usize, late: &Late, today: NaiveDate) -> Vec<(&'static str, NaiveDate)> {
    let when = |k: usize, late: bool, soon: usize| {
        if late {
            ago(today, 12) - Days::new(7 + (i * 13 % 90) as u64)
        } else if i % 6 == soon {
            ago(today, 12) + Days::new(3 + (i % 20) as u64)
        } else {
            ago(today, (i * k) as u32 % 11) - Days::new((i % 20) as u64)
        }
    };
    let done = [
        ("access_review", when(1, late.access, 0)),
        ("log_review", when(5, late.log, 1)),
    ];
    // The same controls a year earlier, so last year's årshjul shows them done.
    let before = done.map(|(c, d)| (c, ago(d, 12)));
    before.into_iter().chain(done).collect()
}

/// Suppliers the demo names for systems its generator gave no supplier of
/// their own (their own development aside).
const SUPPLIERS: &[&str] = &["CGI", "Sokigo", "Formpipe", "IST", "Evry"];

/// A contract for four in five systems with a supplier, signed when the
/// system entered the register (day `e`): one in thirty with its last day
/// to give notice within the next two months (the others' outside them), one in fifteen ended in the
/// past months, the rest running for three or four years and renewed a year
/// at a time unless notice is given, or extended by options.
fn contract(
    i: usize,
    row: &SystemRow,
    e: NaiveDate,
    today: NaiveDate,
) -> Option<(NaiveDate, Step)> {
    let supplier = match row.vendor.as_deref() {
        Some("Egen utveckling") => return None,
        Some(v) if !v.trim().is_empty() => v.trim().to_owned(),
        _ => SUPPLIERS[i % SUPPLIERS.len()].to_owned(),
    };
    if i % 5 == 4 {
        return None;
    }
    let kind = [
        ContractKind::Subscription,
        ContractKind::Licence,
        ContractKind::Support,
        ContractKind::Operation,
    ][i % 4];
    let name = match kind {
        ContractKind::Subscription => format!("Molntjänst {}", row.name),
        ContractKind::Licence => format!("Licensavtal {}", row.name),
        ContractKind::Support => format!("Support och förvaltning av {}", row.name),
        _ => format!("Drift av {}", row.name),
    };
    let signed = e - Days::new(10 + (i % 30) as u64);
    let yearly = 40_000 + (i * 7919 % 40) as i64 * 10_000;
    let mut d = ContractDraft {
        name,
        supplier_id: SupplierId(uuid::Uuid::nil()),
        kind,
        reference: Some(format!("AVT-{}-{:03}", signed.year(), i)),
        diary_number: Some(format!("KS {}/{}", signed.year(), 100 + i)),
        procurement: i
            .is_multiple_of(3)
            .then(|| "Avrop från ramavtal Programvaror och tjänster".into()),
        procurement_reference: None,
        signed_on: Some(signed),
        start_date: Some(e),
        initial_months: Some(if i.is_multiple_of(2) { 36 } else { 48 }),
        end_date: None,
        renewal: RenewalKind::Tacit,
        renewal_months: Some(12),
        options_count: 0,
        options_used: 0,
        customer_notice_months: [3, 6, 9][i % 3],
        customer_notice_end_of: if i % 4 == 1 { EndOf::Month } else { EndOf::Day },
        supplier_notice_months: 12,
        supplier_notice_end_of: EndOf::Day,
        notice_given_on: None,
        notice_given_by: None,
        value_sek: Some(yearly * 4),
        yearly_cost_sek: Some(yearly),
        system_ids: vec![row.id],
        responsible_role_id: None,
        note: None,
    };
    match i % 30 {
        // The last day to give notice within the next two months.
        3 => {
            d.customer_notice_months = 3;
            d.customer_notice_end_of = EndOf::Day;
            d.initial_months = None;
            d.end_date = Some(after(today, 3) + Days::new(5 + (i % 50) as u64));
        }
        // Ended without renewal some months ago.
        7 | 17 => {
            d.renewal = RenewalKind::None;
            d.renewal_months = None;
            d.initial_months = None;
            d.end_date = Some(ago(today, 1 + (i % 8) as u32));
        }
        n => {
            // Two options of a year each, none used yet.
            if n % 3 == 0 {
                d.renewal = RenewalKind::Options;
                d.options_count = 2;
            }
            // The others' last notice day outside the next two months, so
            // the ones above are the few that are near.
            while let Some(day) = schedule(&d.term(), today).last_notice_day
                && (today..=today + Days::new(60)).contains(&day)
                && d.customer_notice_months < 12
            {
                d.customer_notice_months += 3;
            }
        }
    }
    Some((
        e,
        Step::Contract {
            supplier,
            draft: Box::new(d),
        },
    ))
}

/// Restore tests of a business-critical system that entered the register
/// on `e`: requirements set soon after, then a test every year, the last
/// between two and eleven months ago, by the late a year and some weeks
/// ago; of every four such systems one has its next test planned in the
/// coming weeks and one a planned test whose day has passed.
fn restore_tests(i: usize, late: bool, e: NaiveDate, today: NaiveDate) -> Vec<(NaiveDate, Step)> {
    // (RTO, RPO, MTD) in hours.
    let (rto, rpo, mtd) = [(4, 1, 24), (8, 4, 48), (24, 24, 72)][i % 3];
    let mut out = vec![(
        e + Days::new(20),
        Step::Continuity(Requirements {
            rto_minutes: Some(rto * 60),
            rpo_minutes: Some(rpo * 60),
            mtd_minutes: Some(mtd * 60),
            critical_periods: None,
            fallback_routine: Some("Manuella rutiner enligt avbrottsplanen".into()),
        }),
    )];
    let last = if late {
        ago(today, 12) - Days::new(10 + (i * 7 % 60) as u64)
    } else {
        // Not before the requirements were set.
        (today - Days::new(60 + (i * 29 % 270) as u64)).max(e + Days::new(60))
    };
    // Yearly back from the last, from soon after the requirements were set.
    let mut days = vec![];
    let mut day = last;
    while day > e + Days::new(40) {
        days.push(day);
        day = ago(day, 12);
    }
    for day in days.into_iter().rev() {
        let test = RestoreTestDraft {
            performed_on: Some(day),
            performed_by: Some("IT-enhetens driftgrupp".into()),
            restored: Some("Databasen".into()),
            restore_point: Some("Nattens säkerhetskopia".into()),
            restore_minutes: Some(rto * 60 / 2 + (i % 30) as i64),
            data_loss_minutes: Some(rpo * 60 / 2),
            ..RestoreTestDraft::default()
        };
        out.push((day, Step::RestoreTest(Box::new(test))));
    }
    let planned = match i % 4 {
        1 => today - Days::new(10 + (i % 30) as u64),
        2 => today + Days::new(5 + (i % 20) as u64),
        _ => return out,
    };
    let test = RestoreTestDraft {
        planned_on: Some(planned),
        performed_by: Some("IT-enhetens driftgrupp".into()),
        ..RestoreTestDraft::default()
    };
    out.push((planned - Days::new(45), Step::RestoreTest(Box::new(test))));
    out
}

/// Classifies every information set of the system (creating one, of
/// personal data or not, if it has none); `i` varies the levels.
async fn classify_all(
    store: &Store,
    actor: &Actor,
    org: OrgId,
    system: SystemId,
    i: usize,
    personal: bool,
    valid_until: Option<NaiveDate>,
) -> Result<()> {
    let mut sets = store.information_sets(org, system).await?;
    if sets.is_empty() {
        sets.push(
            store
                .create_information_set(
                    actor,
                    org,
                    system,
                    InformationSetDraft {
                        name: if personal {
                            "Uppgifter om invånare".into()
                        } else {
                            "Verksamhetsinformation".into()
                        },
                        description: None,
                        personal_data: personal,
                        // One in six, late or recorded.
                        sensitive_personal_data: personal && i % 12 <= 1,
                    },
                )
                .await?,
        );
    }
    let level = |k: usize| (1 + (i * k + k) % 4) as i16;
    for set in sets {
        store
            .classify(
                actor,
                org,
                system,
                set.id,
                ClassificationDraft {
                    confidentiality: level(7),
                    integrity: level(3),
                    availability: level(5),
                    traceability: None,
                    justification: "Klassad enligt KLASSA tillsammans med verksamheten.".into(),
                    valid_until,
                },
            )
            .await?;
    }
    Ok(())
}

/// A security plan written, submitted and approved by the owner, and the
/// driftgodkännande signed by the owner and by IT.
async fn plan_and_approval(
    store: &Store,
    coordinator: &Actor,
    owner: &Actor,
    it: &Actor,
    org: OrgId,
    system: SystemId,
) -> Result<()> {
    let plan = store.new_plan_version(coordinator, org, system).await?;
    let sections = insyn_domain::security::PLAN_SECTIONS
        .iter()
        .map(|s| (s.to_string(), "Beskrivet i förvaltningsplanen.".to_owned()))
        .collect();
    store
        .edit_plan(coordinator, org, system, plan.id, sections)
        .await?;
    store
        .move_plan(coordinator, org, system, plan.id, PlanAction::Submit)
        .await?;
    store
        .move_plan(owner, org, system, plan.id, PlanAction::Approve)
        .await?;
    let approval = store
        .create_approval(
            coordinator,
            org,
            system,
            ApprovalDraft {
                baseline: "Grundskyddet enligt KLASSA är infört.".into(),
                measures: vec![],
            },
        )
        .await?;
    store
        .sign_approval(owner, org, system, approval.id, true)
        .await?;
    store
        .sign_approval(it, org, system, approval.id, false)
        .await?;
    Ok(())
}

/// The annual review for `signed`'s year, every item answered yes and
/// signed (on the store's clock, `signed`).
async fn annual_review(
    store: &Store,
    owner: &Actor,
    org: OrgId,
    system: SystemId,
    signed: NaiveDate,
) -> Result<()> {
    let review = store
        .start_review(owner, org, system, &signed.year().to_string())
        .await?;
    let answers = review
        .items
        .iter()
        .map(|i| Answer {
            item: i.id.clone(),
            answer: Some("yes".into()),
            comment: None,
        })
        .collect();
    store.answer_review(owner, org, review.id, answers).await?;
    store.sign_review(owner, org, review.id).await?;
    Ok(())
}
