//! The IT-säkerhetssamordnare's compilation of incidents for a period
//! (Mjölby 3.2.7: "sammanställa och rapportera incidenter"): counts per
//! type, severity, system and unit, how long it took to become aware and
//! to contain, and how the reporting clocks went. Pure: the store gathers
//! the incidents and their clocks.

use super::{Clock, ClockState, Incident};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// One count in a compilation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Count {
    pub key: String,
    pub count: i64,
}

/// How the reporting clocks of the period's incidents went.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClockTally {
    /// The deadline's id.
    pub deadline: String,
    /// Its name from the profile, in Swedish and English.
    pub name_sv: String,
    pub name_en: String,
    pub met: i64,
    pub met_late: i64,
    pub missed: i64,
    pub running: i64,
    pub not_applicable: i64,
}

impl ClockTally {
    /// The deadline's name in the language with this code (`en`, else Swedish).
    pub fn name(&self, lang: &str) -> &str {
        if lang == "en" {
            &self.name_en
        } else {
            &self.name_sv
        }
    }
}

/// The compilation of the incidents the organisation became aware of in a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Compilation {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub total: i64,
    pub open: i64,
    pub by_kind: Vec<Count>,
    pub by_severity: Vec<Count>,
    pub by_system: Vec<Count>,
    pub by_unit: Vec<Count>,
    /// The median number of hours from occurring to awareness, over the
    /// incidents whose occurrence is known.
    pub median_hours_to_awareness: Option<i64>,
    /// The median number of hours from awareness to containment, over the
    /// incidents contained.
    pub median_hours_to_containment: Option<i64>,
    pub clocks: Vec<ClockTally>,
}

/// One incident as the compilation needs it: the record, its clocks, and
/// the names of its systems with their responsible units.
pub struct Compiled<'a> {
    pub incident: &'a Incident,
    pub clocks: &'a [Clock],
    pub systems: &'a [(String, Option<String>)],
}

fn counts(map: BTreeMap<String, i64>) -> Vec<Count> {
    let mut v: Vec<Count> = map
        .into_iter()
        .map(|(key, count)| Count { key, count })
        .collect();
    // The largest first; ties by name, so the order is stable.
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    v
}

fn median(mut hours: Vec<i64>) -> Option<i64> {
    if hours.is_empty() {
        return None;
    }
    hours.sort_unstable();
    let n = hours.len();
    Some(if n % 2 == 1 {
        hours[n / 2]
    } else {
        (hours[n / 2 - 1] + hours[n / 2]) / 2
    })
}

/// Compiles the incidents aware within `from..to`; the caller passes
/// only those.
pub fn compile(from: DateTime<Utc>, to: DateTime<Utc>, items: &[Compiled<'_>]) -> Compilation {
    let mut kind = BTreeMap::new();
    let mut severity = BTreeMap::new();
    let mut system = BTreeMap::new();
    let mut unit = BTreeMap::new();
    let mut clocks: BTreeMap<String, ClockTally> = BTreeMap::new();
    let mut order: Vec<String> = vec![];
    let (mut to_aware, mut to_contain) = (vec![], vec![]);
    let mut open = 0;
    for c in items {
        let i = c.incident;
        *kind.entry(i.kind.as_str().to_owned()).or_insert(0) += 1;
        *severity.entry(i.severity.as_str().to_owned()).or_insert(0) += 1;
        let mut units: Vec<&str> = vec![];
        for (name, u) in c.systems {
            *system.entry(name.clone()).or_insert(0) += 1;
            if let Some(u) = u.as_deref()
                && !units.contains(&u)
            {
                units.push(u);
            }
        }
        for u in units {
            *unit.entry(u.to_owned()).or_insert(0) += 1;
        }
        if i.status.is_open() {
            open += 1;
        }
        if let Some(o) = i.occurred_at {
            to_aware.push((i.aware_at - o).num_hours());
        }
        if let Some(at) = i.contained_at {
            to_contain.push((at - i.aware_at).num_hours());
        }
        for clock in c.clocks {
            let id = clock.deadline.id.clone();
            if !order.contains(&id) {
                order.push(id.clone());
            }
            let t = clocks.entry(id.clone()).or_insert_with(|| ClockTally {
                deadline: id,
                name_sv: clock.deadline.name_sv.clone(),
                name_en: clock.deadline.name_en.clone(),
                ..Default::default()
            });
            match clock.state {
                ClockState::Met { late: false, .. } => t.met += 1,
                ClockState::Met { late: true, .. } => t.met_late += 1,
                ClockState::Missed { .. } => t.missed += 1,
                ClockState::Running { .. } | ClockState::AwaitingAssessment { .. } => {
                    t.running += 1
                }
                ClockState::NotApplicable { .. } => t.not_applicable += 1,
            }
        }
    }
    Compilation {
        from,
        to,
        total: items.len() as i64,
        open,
        by_kind: counts(kind),
        by_severity: counts(severity),
        by_system: counts(system),
        by_unit: counts(unit),
        median_hours_to_awareness: median(to_aware),
        median_hours_to_containment: median(to_contain),
        clocks: order
            .into_iter()
            .filter_map(|id| clocks.remove(&id))
            .collect(),
    }
}

impl Compilation {
    /// The compilation as CSV (UTF-8, `;`, as Swedish spreadsheets expect):
    /// one line per figure, `section;key;count`, the same figures as the
    /// page's tables.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("section;key;count\n");
        let field = |s: &str| {
            if s.contains([';', '"', '\n', '\r']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_owned()
            }
        };
        out.push_str(&format!("total;incidents;{}\n", self.total));
        out.push_str(&format!("total;open;{}\n", self.open));
        for (section, rows) in [
            ("kind", &self.by_kind),
            ("severity", &self.by_severity),
            ("system", &self.by_system),
            ("unit", &self.by_unit),
        ] {
            for r in rows {
                out.push_str(&format!("{section};{};{}\n", field(&r.key), r.count));
            }
        }
        for (key, v) in [
            ("hours_to_awareness", self.median_hours_to_awareness),
            ("hours_to_containment", self.median_hours_to_containment),
        ] {
            if let Some(v) = v {
                out.push_str(&format!("median;{key};{v}\n"));
            }
        }
        for c in &self.clocks {
            for (what, n) in [
                ("met", c.met),
                ("met_late", c.met_late),
                ("missed", c.missed),
                ("running", c.running),
                ("not_applicable", c.not_applicable),
            ] {
                out.push_str(&format!("clock;{}:{what};{n}\n", field(&c.deadline)));
            }
        }
        out
    }
}
