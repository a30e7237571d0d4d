//! Compliance that is read, not recomputed on every visit.
//!
//! Judging a whole organisation gathers every fact the rules ask about and
//! evaluates every system: about 0.1 s at 10,000 systems and seconds at
//! 100,000. The pages a person lands on (tasks, the compliance dashboard,
//! the årshjul) and the compliance API read a **snapshot** instead: the
//! organisation's [`Compliance`] on one day, computed once and kept per
//! organisation in this process, with what those pages ask of it computed
//! with it (who must act on each gap, coverage per rule and förvaltning).
//!
//! **When a snapshot is current.** Every write records its audit event in
//! the same transaction, and the events of an organisation are numbered in
//! commit order (the audit head serialises them). The newest number is the
//! organisation's *data version*, read with one indexed statement per visit.
//! A snapshot is current when it was computed from that version on that day.
//!
//! **When it is not.** If computing the organisation last took less than
//! [`SYNC_BUDGET`], it is computed again at once (one request per
//! organisation computes; the others wait for its answer), so a person who
//! has just done a task sees it gone. A larger organisation is served its last
//! snapshot at once, marked stale with the time it shows, while one
//! background task computes the next: the lag is bounded by one computation.
//! Date-dependent states (due soon, overdue) come from the day the snapshot was
//! computed for; the first visit on a new day starts the next one.
//!
//! **Several instances** each keep their own snapshots; the data version comes
//! from the shared database, so no instance serves a snapshot older than the
//! last write it can see, beyond the bounded lag above.
//!
//! Memory is bounded: at most [`MAX_SYSTEMS`] systems are kept over all
//! organisations; the least recently used organisation goes first.

use crate::db::{Queryable, Result};
use crate::{Store, params};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use insyn_domain::OrgId;
use insyn_domain::listing::{Page, PageRequest};
use insyn_domain::policy::{
    COORDINATOR, Compliance, CoverageRow, Finding, SystemCompliance, Task, TaskGroup, YearCounts,
    group_in_order, same_action, urgency,
};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Organisations computed faster than this are computed again as soon as
/// their data changes; slower ones are served their last snapshot meanwhile.
pub const SYNC_BUDGET: Duration = Duration::from_millis(300);
/// The most systems kept in snapshots over all organisations: a national
/// installation (290 municipalities of about 500 systems, 145,000 in all)
/// keeps every organisation's, instead of computing them again in turn as
/// visits go round. A snapshot costs about 1.5 KB a system since findings
/// share their rule's text (heaptrack at 100,000 systems: 217 MB peak heap
/// with the search index and the gathering), so this bounds them near 225 MB.
pub const MAX_SYSTEMS: usize = 150_000;

/// Who must act on one gap, found once when the snapshot is made.
#[derive(Debug, Clone, Copy)]
struct Duty {
    /// The system's index in `compliance.systems`, or none for the
    /// organisation's own findings (an index in `compliance.organisation`).
    system: Option<u32>,
    finding: u32,
    /// It falls to them because the responsible role is vacant.
    vacant: bool,
}

/// One person's duties as "Mina uppgifter" shows them, ordered once per
/// snapshot so that a visit reads one page of them: grouped by system (the
/// system with the most urgent duty first), each group most urgent first,
/// one duty for the same thing to do in a system, the organisation's own
/// last (the order of [`insyn_domain::policy::group_by_system`] over
/// [`Compliance::tasks_for`]).
#[derive(Debug, Default)]
struct Agenda {
    duties: Vec<Duty>,
    /// Where each group starts in `duties`.
    starts: Vec<u32>,
}

impl Agenda {
    /// The duties of group `g`.
    fn group(&self, g: usize) -> &[Duty] {
        let start = self.starts[g] as usize;
        let end = self
            .starts
            .get(g + 1)
            .map_or(self.duties.len(), |&e| e as usize);
        &self.duties[start..end]
    }
}

/// An organisation's compliance on one day, and what the pages ask of it.
#[derive(Debug)]
pub struct ComplianceSnapshot {
    pub compliance: Compliance,
    /// The organisation's data version it was computed from.
    pub version: i64,
    pub computed_at: DateTime<Utc>,
    /// How long gathering and judging took.
    pub took: Duration,
    /// Coverage per rule, in the profile's order.
    pub coverage_by_rule: Vec<CoverageRow>,
    /// Per förvaltning over every rule (`None`) and per headline rule.
    by_division: Vec<(Option<String>, Vec<CoverageRow>)>,
    /// How many systems fall short of at least one rule.
    pub systems_with_gaps: usize,
    /// Each person's duties by their e-mail address in lower case.
    duties: HashMap<String, Vec<Duty>>,
    /// The same, ordered and grouped as their tasks page shows them.
    agendas: HashMap<String, Agenda>,
    /// The årshjul's counts per control for the years asked for, counted
    /// once per snapshot (at most [`YEARS_KEPT`] years, the newest asked last).
    year_counts: Mutex<Vec<(i32, Arc<Vec<YearCounts>>)>>,
}

/// How many years' årshjul counts a snapshot keeps.
const YEARS_KEPT: usize = 4;

/// Which of a snapshot's findings a list shows (every field optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindingFilter {
    /// The förvaltning by name; `""` for systems without one.
    pub division: Option<String>,
    pub rule: Option<String>,
    /// An outcome's state (`met`, `due_soon`, `missing`, `overdue`,
    /// `expired`, `unknown`), or `gap` for every finding short of its rule.
    pub state: Option<String>,
    /// Findings that fall to the person with this e-mail address.
    pub responsible: Option<String>,
}

/// The states a [`FindingFilter`] accepts.
pub const FILTER_STATES: [&str; 7] = [
    "gap", "met", "due_soon", "missing", "overdue", "expired", "unknown",
];

impl FindingFilter {
    fn matches(&self, s: &SystemCompliance, f: &Finding) -> bool {
        self.division
            .as_deref()
            .is_none_or(|d| s.division.as_deref().unwrap_or("") == d)
            && self.rule.as_deref().is_none_or(|r| f.rule_id() == r)
            && self.state.as_deref().is_none_or(|st| match st {
                "gap" => f.is_gap(),
                st => f.outcome.state() == st,
            })
    }
}

impl ComplianceSnapshot {
    fn new(compliance: Compliance, version: i64, took: Duration) -> Self {
        let mut duties: HashMap<String, Vec<Duty>> = HashMap::new();
        let mut add = |system: Option<(usize, &SystemCompliance)>, i: usize, f: &Finding| {
            if !f.outcome.is_task() {
                return;
            }
            let (people, vacant) = compliance.responsible_for(system.map(|s| s.1), f);
            let mut seen: Vec<String> = vec![];
            for p in people {
                let Some(email) = p.email.map(|e| e.trim().to_lowercase()) else {
                    continue;
                };
                if seen.contains(&email) {
                    continue;
                }
                duties.entry(email.clone()).or_default().push(Duty {
                    system: system.map(|s| s.0 as u32),
                    finding: i as u32,
                    vacant,
                });
                seen.push(email);
            }
        };
        for (si, s) in compliance.systems.iter().enumerate() {
            for (i, f) in s.findings.iter().enumerate() {
                add(Some((si, s)), i, f);
            }
        }
        for (i, f) in compliance.organisation.iter().enumerate() {
            add(None, i, f);
        }
        let agendas = duties
            .iter()
            .map(|(email, d)| (email.clone(), agenda(&compliance, d)))
            .collect();
        let p = &compliance.profile.profile;
        let by_division = std::iter::once(None)
            .chain(p.headline_rules().into_iter().map(|r| Some(r.to_owned())))
            .map(|r| {
                let rows = compliance.coverage_by_division(r.as_deref());
                (r, rows)
            })
            .collect();
        let this_year = vec![(
            compliance.today.year(),
            Arc::new(compliance.year_counts(compliance.today.year())),
        )];
        ComplianceSnapshot {
            year_counts: Mutex::new(this_year),
            systems_with_gaps: compliance.systems_with_gaps(),
            coverage_by_rule: compliance.coverage_by_rule(),
            by_division,
            duties,
            agendas,
            version,
            computed_at: Utc::now(),
            took,
            compliance,
        }
    }

    /// The årshjul's counts per control of the profile (in its order) for
    /// `year`: kept with the snapshot, so a visit does not walk every finding.
    pub fn year_counts(&self, year: i32) -> Arc<Vec<YearCounts>> {
        let lock = || self.year_counts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, c)) = lock().iter().find(|(y, _)| *y == year) {
            return c.clone();
        }
        let counts = Arc::new(self.compliance.year_counts(year));
        let mut kept = lock();
        if !kept.iter().any(|(y, _)| *y == year) {
            if kept.len() >= YEARS_KEPT {
                // Keep the snapshot's own year; drop the oldest other asked for.
                let today = self.compliance.today.year();
                if let Some(i) = kept.iter().position(|(y, _)| *y != today) {
                    kept.remove(i);
                }
            }
            kept.push((year, counts.clone()));
        }
        counts
    }

    /// Coverage per förvaltning over every rule (`None`) or one headline rule.
    pub fn coverage_by_division(&self, rule: Option<&str>) -> Vec<CoverageRow> {
        match self.by_division.iter().find(|(r, _)| r.as_deref() == rule) {
            Some((_, rows)) => rows.clone(),
            None => self.compliance.coverage_by_division(rule),
        }
    }

    /// The systems' findings that pass the filter, system by system in the
    /// register's order. With a responsible person, only their duties are
    /// read (from the index), not every finding.
    pub fn findings_matching<'a>(
        &'a self,
        filter: &'a FindingFilter,
    ) -> Box<dyn Iterator<Item = (&'a SystemCompliance, &'a Finding)> + 'a> {
        let c = &self.compliance;
        match &filter.responsible {
            Some(email) => Box::new(
                self.duties
                    .get(&email.trim().to_lowercase())
                    .into_iter()
                    .flatten()
                    .filter_map(|d| {
                        let s = &c.systems[d.system? as usize];
                        Some((s, &s.findings[d.finding as usize]))
                    })
                    .filter(|(s, f)| filter.matches(s, f)),
            ),
            None => Box::new(
                c.systems
                    .iter()
                    .flat_map(|s| s.findings.iter().map(move |f| (s, f)))
                    .filter(|(s, f)| filter.matches(s, f)),
            ),
        }
    }

    /// The finding a duty is about, and its system's id and name.
    fn duty(&self, d: &Duty) -> (Option<&SystemCompliance>, &Finding) {
        let c = &self.compliance;
        match d.system {
            Some(s) => {
                let s = &c.systems[s as usize];
                (Some(s), &s.findings[d.finding as usize])
            }
            None => (None, &c.organisation[d.finding as usize]),
        }
    }

    fn task(&self, d: &Duty) -> Task {
        let (system, f) = self.duty(d);
        Task {
            system: system.map(|s| (s.id, s.name.clone())),
            finding: f.clone(),
            as_role: if d.vacant {
                COORDINATOR.to_owned()
            } else {
                f.responsible().to_string()
            },
            vacant: d.vacant,
        }
    }

    fn agenda(&self, email: &str) -> Option<&Agenda> {
        self.agendas.get(&email.trim().to_lowercase())
    }

    /// How many tasks fall to the person with this e-mail address (one for
    /// the same thing to do in a system), as their tasks page counts them.
    pub fn task_count(&self, email: &str) -> usize {
        self.agenda(email).map_or(0, |a| a.duties.len())
    }

    /// One page of the person's tasks grouped by system, `req` counting
    /// groups: the page "Mina uppgifter" shows, read from the index. The
    /// page's `total` is the number of groups.
    pub fn task_groups(&self, email: &str, req: PageRequest) -> Page<TaskGroup> {
        let Some(a) = self.agenda(email) else {
            return Page::of(vec![], 0, req);
        };
        let first = usize::try_from(req.offset()).unwrap_or(usize::MAX);
        let groups = (first..a.starts.len())
            .take(req.per_page as usize)
            .map(|g| {
                let tasks: Vec<Task> = a.group(g).iter().map(|d| self.task(d)).collect();
                TaskGroup {
                    system: tasks[0].system.clone(),
                    tasks,
                }
            })
            .collect();
        Page::of(groups, a.starts.len() as i64, req)
    }

    /// The person's tasks in the order of their tasks page, `take` of them
    /// after the first `skip`.
    pub fn tasks_slice(&self, email: &str, skip: usize, take: usize) -> Vec<Task> {
        self.agenda(email)
            .map(|a| &a.duties[..])
            .unwrap_or_default()
            .iter()
            .skip(skip)
            .take(take)
            .map(|d| self.task(d))
            .collect()
    }
}

/// A person's duties ordered and grouped as [`Agenda`] says.
fn agenda(c: &Compliance, duties: &[Duty]) -> Agenda {
    let finding = |d: &Duty| match d.system {
        Some(s) => &c.systems[s as usize].findings[d.finding as usize],
        None => &c.organisation[d.finding as usize],
    };
    let mut sorted = duties.to_vec();
    // Stable: within the same urgency and date, the register's order.
    sorted.sort_by_key(|d| {
        let f = finding(d);
        (urgency(&f.outcome), f.outcome.date())
    });
    let (groups, own) = group_in_order(
        sorted,
        |d| d.system,
        |a, b| same_action(finding(a), finding(b)),
    );
    let mut agenda = Agenda::default();
    for g in groups.into_iter().chain((!own.is_empty()).then_some(own)) {
        agenda.starts.push(agenda.duties.len() as u32);
        agenda.duties.extend(g);
    }
    agenda
}

/// A snapshot as a page gets it.
#[derive(Debug, Clone)]
pub struct SnapshotRead {
    pub snapshot: Arc<ComplianceSnapshot>,
    /// False when the data changed (or the day turned) since it was computed
    /// and a newer one is being computed.
    pub current: bool,
}

impl SnapshotRead {
    /// Every task of the person, in the order of their tasks page (by
    /// system, one for the same thing to do), from the snapshot's index.
    /// Defined here so that the `Deref` to [`Compliance`] never walks every
    /// finding for it; pages read [`ComplianceSnapshot::task_groups`].
    pub fn tasks_for(&self, email: &str) -> Vec<Task> {
        self.snapshot.tasks_slice(email, 0, usize::MAX)
    }
}

/// Reads as the organisation's [`Compliance`].
impl std::ops::Deref for SnapshotRead {
    type Target = Compliance;
    fn deref(&self) -> &Compliance {
        &self.snapshot.compliance
    }
}

#[derive(Debug, Default)]
struct Slot {
    snapshot: Option<Arc<ComplianceSnapshot>>,
    /// One computation per organisation at a time.
    computing: Arc<tokio::sync::Mutex<()>>,
    /// A background computation has been started and not finished.
    refreshing: bool,
    used: Option<Instant>,
}

/// The snapshots of this process, per organisation.
#[derive(Debug, Default)]
pub struct SnapshotCache {
    slots: Mutex<HashMap<OrgId, Slot>>,
    /// [`SYNC_BUDGET`] unless set otherwise, in milliseconds (0: unset).
    budget_ms: AtomicU64,
}

impl SnapshotCache {
    /// How long a computation may take and still be repeated within a request.
    fn budget(&self) -> Duration {
        match self.budget_ms.load(Ordering::Relaxed) {
            0 => SYNC_BUDGET,
            ms => Duration::from_millis(ms),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<OrgId, Slot>> {
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Keeps a new snapshot, then drops the least recently used
    /// organisations' while more than [`MAX_SYSTEMS`] systems are kept.
    fn put(&self, org: OrgId, s: Arc<ComplianceSnapshot>) {
        let mut slots = self.lock();
        let slot = slots.entry(org).or_default();
        slot.snapshot = Some(s);
        slot.used = Some(Instant::now());
        loop {
            let kept: usize = slots
                .values()
                .filter_map(|s| s.snapshot.as_ref())
                .map(|s| s.compliance.systems.len())
                .sum();
            if kept <= MAX_SYSTEMS {
                break;
            }
            let oldest = slots
                .iter()
                .filter(|(o, s)| **o != org && s.snapshot.is_some())
                .min_by_key(|(_, s)| s.used)
                .map(|(o, _)| *o);
            match oldest {
                Some(o) => slots.get_mut(&o).expect("found above").snapshot = None,
                None => break,
            }
        }
    }
}

/// The organisation's data version: its newest audit event's number.
pub(crate) async fn data_version(q: &mut impl Queryable, org: OrgId) -> Result<i64> {
    q.one(
        "SELECT COALESCE(MAX(seq), 0) AS v FROM audit_events WHERE org_id = $1",
        params![org.0],
        |r| r.i64("v"),
    )
    .await
}

impl Store {
    /// The organisation's compliance on `today`, from its snapshot when that
    /// is current (see the module's documentation for when it is not).
    pub async fn compliance_snapshot(&self, org: OrgId, today: NaiveDate) -> Result<SnapshotRead> {
        let version = data_version(&mut self.db.read(), org).await?;
        let (last, computing) = {
            let mut slots = self.snapshots.lock();
            let slot = slots.entry(org).or_default();
            slot.used = Some(Instant::now());
            (slot.snapshot.clone(), slot.computing.clone())
        };
        let current = |s: &ComplianceSnapshot| s.version == version && s.compliance.today == today;
        if let Some(s) = last {
            if current(&s) {
                return Ok(SnapshotRead {
                    snapshot: s,
                    current: true,
                });
            }
            if s.took >= self.snapshots.budget() {
                self.refresh_in_background(org, today);
                return Ok(SnapshotRead {
                    snapshot: s,
                    current: false,
                });
            }
        }
        let _one = computing.lock().await;
        // Another request may have computed it while this one waited.
        let again = self
            .snapshots
            .lock()
            .get(&org)
            .and_then(|s| s.snapshot.clone());
        if let Some(s) = again
            && s.version >= version
            && s.compliance.today == today
        {
            return Ok(SnapshotRead {
                snapshot: s,
                current: true,
            });
        }
        Ok(SnapshotRead {
            snapshot: self.compute_snapshot(org, today).await?,
            current: true,
        })
    }

    /// Computes and keeps the organisation's snapshot now.
    async fn compute_snapshot(
        &self,
        org: OrgId,
        today: NaiveDate,
    ) -> Result<Arc<ComplianceSnapshot>> {
        let started = Instant::now();
        // The version is read before the facts: a write between the two makes
        // the snapshot look older than it is (computed again), never newer.
        let version = data_version(&mut self.db.read(), org).await?;
        let compliance = self.compliance(org, None, today).await?;
        let s = Arc::new(ComplianceSnapshot::new(
            compliance,
            version,
            started.elapsed(),
        ));
        self.snapshots.put(org, s.clone());
        Ok(s)
    }

    /// Starts one background computation of the organisation's snapshot,
    /// unless one is running.
    fn refresh_in_background(&self, org: OrgId, today: NaiveDate) {
        let computing = {
            let mut slots = self.snapshots.lock();
            let slot = slots.entry(org).or_default();
            if slot.refreshing {
                return;
            }
            slot.refreshing = true;
            slot.computing.clone()
        };
        let store = self.clone();
        tokio::spawn(async move {
            let done = {
                let _one = computing.lock().await;
                store.compute_snapshot(org, today).await
            };
            if let Err(e) = done {
                tracing::warn!(org = %org.0, error = %e, "computing a compliance snapshot failed");
            }
            if let Some(slot) = store.snapshots.lock().get_mut(&org) {
                slot.refreshing = false;
            }
        });
    }

    /// Sets how long computing an organisation may take and still be
    /// repeated within a request when its data changed (default
    /// [`SYNC_BUDGET`]; at least 1 ms, so `Duration::ZERO` means 1 ms).
    pub fn set_compliance_sync_budget(&self, budget: Duration) {
        let ms = u64::try_from(budget.as_millis()).unwrap_or(u64::MAX).max(1);
        self.snapshots.budget_ms.store(ms, Ordering::Relaxed);
    }

    /// Computes the snapshot of every organisation (at start-up, so that the
    /// first visit to a large one does not wait), smallest first.
    pub async fn warm_compliance(&self, today: NaiveDate) -> Result<usize> {
        let orgs = self
            .db
            .read()
            .all(
                "SELECT o.id FROM organisations o LEFT JOIN systems s ON s.org_id = o.id \
                 GROUP BY o.id ORDER BY COUNT(s.id), o.id",
                params![],
                |r| Ok(OrgId(r.uuid("id")?)),
            )
            .await?;
        let mut systems = 0;
        for org in &orgs {
            let s = self.compliance_snapshot(*org, today).await?;
            systems += s.systems.len();
            if systems > MAX_SYSTEMS {
                break;
            }
        }
        Ok(orgs.len())
    }
}
