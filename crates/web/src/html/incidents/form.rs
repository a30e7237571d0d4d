//! The incident form (report and edit): its values as typed, the choices it
//! offers, and the draft it parses into. Times are typed in Swedish time
//! (`words::parse_local`).

use super::words::{local_input, parse_local};
use crate::forms::FormData;
use chrono::{DateTime, Utc};
use insyn_domain::SystemId;
use insyn_domain::incident::*;
use insyn_domain::validation::{self as v, FieldErrors};
use insyn_store::SystemRow;

/// What the form shows: every field as text, as typed or as stored.
#[derive(Debug, Clone, Default)]
pub struct IncidentForm {
    pub title: String,
    pub description: String,
    pub kind: String,
    pub severity: String,
    pub detection: String,
    pub occurred_at: String,
    pub aware_at: String,
    pub reported_by: String,
    pub system_ids: Vec<String>,
    pub information_set_ids: Vec<String>,
    pub personal_data: bool,
    pub pd_categories: String,
    pub pd_sensitive: bool,
    pub pd_subjects: String,
    pub pd_records: String,
    pub pd_consequences: String,
    pub controller: String,
    pub cause: String,
    pub lessons: String,
}

fn text(o: &Option<String>) -> String {
    o.clone().unwrap_or_default()
}

fn number(o: Option<i64>) -> String {
    o.map(|n| n.to_string()).unwrap_or_default()
}

impl IncidentForm {
    /// A fresh report: aware now, found internally.
    pub fn new_report(now: DateTime<Utc>) -> Self {
        Self {
            kind: IncidentKind::Security.as_str().into(),
            severity: Severity::Medium.as_str().into(),
            detection: Detection::Internal.as_str().into(),
            aware_at: local_input(now),
            ..Self::default()
        }
    }

    pub fn from_incident(i: &Incident) -> Self {
        let pd = i.personal_data.clone().unwrap_or_default();
        Self {
            title: i.title.clone(),
            description: text(&i.description),
            kind: i.kind.as_str().into(),
            severity: i.severity.as_str().into(),
            detection: i.detection.as_str().into(),
            occurred_at: i.occurred_at.map(local_input).unwrap_or_default(),
            aware_at: local_input(i.aware_at),
            reported_by: text(&i.reported_by),
            system_ids: i.system_ids.iter().map(|s| s.to_string()).collect(),
            information_set_ids: i
                .information_set_ids
                .iter()
                .map(|s| s.to_string())
                .collect(),
            personal_data: i.personal_data.is_some(),
            pd_categories: text(&pd.categories),
            pd_sensitive: pd.sensitive,
            pd_subjects: number(pd.subjects),
            pd_records: number(pd.records),
            pd_consequences: text(&pd.consequences),
            controller: text(&i.controller),
            cause: text(&i.cause),
            lessons: text(&i.lessons),
        }
    }

    pub fn from_form(f: &FormData) -> Self {
        let all = |k: &str| f.all(k).into_iter().map(str::to_owned).collect();
        Self {
            title: f.get("title").into(),
            description: f.get("description").into(),
            kind: f.get("kind").into(),
            severity: f.get("severity").into(),
            detection: f.get("detection").into(),
            occurred_at: f.get("occurred_at").into(),
            aware_at: f.get("aware_at").into(),
            reported_by: f.get("reported_by").into(),
            system_ids: all("system_ids"),
            information_set_ids: all("information_set_ids"),
            personal_data: f.checked("personal_data"),
            pd_categories: f.get("pd_categories").into(),
            pd_sensitive: f.checked("pd_sensitive"),
            pd_subjects: f.get("pd_subjects").into(),
            pd_records: f.get("pd_records").into(),
            pd_consequences: f.get("pd_consequences").into(),
            controller: f.get("controller").into(),
            cause: f.get("cause").into(),
            lessons: f.get("lessons").into(),
        }
    }

    pub fn has_system(&self, s: &SystemRow) -> bool {
        self.system_ids.iter().any(|x| *x == s.id.to_string())
    }

    pub fn has_set(&self, id: &uuid::Uuid) -> bool {
        self.information_set_ids
            .iter()
            .any(|x| *x == id.to_string())
    }

    /// The draft the form names, or what is wrong with it field by field
    /// (the domain's own checks follow in the store).
    pub fn draft(&self) -> Result<IncidentDraft, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut choice = |field: &str, s: &str, allowed: &[&'static str]| {
            if !allowed.contains(&s) {
                e.add_choice(field, allowed);
            }
        };
        let kinds: Vec<&'static str> = IncidentKind::ALL.iter().map(|k| k.as_str()).collect();
        let severities: Vec<&'static str> = Severity::ALL.iter().map(|k| k.as_str()).collect();
        let detections: Vec<&'static str> = Detection::ALL.iter().map(|k| k.as_str()).collect();
        choice("kind", &self.kind, &kinds);
        choice("severity", &self.severity, &severities);
        choice("detection", &self.detection, &detections);
        let mut time = |field: &str, s: &str, required: bool| match s.trim() {
            "" if required => {
                e.add(field, v::REQUIRED);
                None
            }
            "" => None,
            s => parse_local(s).or_else(|| {
                e.add(field, v::NOT_A_DATE);
                None
            }),
        };
        let occurred_at = time("occurred_at", &self.occurred_at, false);
        let aware_at = time("aware_at", &self.aware_at, true);
        let mut count = |field: &str, s: &str| match s.trim() {
            "" => None,
            s => s.parse::<i64>().ok().or_else(|| {
                e.add(field, v::NOT_A_NUMBER);
                None
            }),
        };
        let subjects = count("personal_data.subjects", &self.pd_subjects);
        let records = count("personal_data.records", &self.pd_records);
        let mut ids = |field: &str, xs: &[String]| -> Vec<uuid::Uuid> {
            xs.iter()
                .filter_map(|x| {
                    x.parse().ok().or_else(|| {
                        e.add(field, v::UNKNOWN_REFERENCE);
                        None
                    })
                })
                .collect()
        };
        let system_ids = ids("system_ids", &self.system_ids);
        let information_set_ids = ids("information_set_ids", &self.information_set_ids);
        let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let kind = IncidentKind::parse(&self.kind).unwrap_or(IncidentKind::Security);
        let personal_data = (self.personal_data || kind == IncidentKind::PersonalData).then(|| {
            PersonalDataImpact {
                categories: opt(&self.pd_categories),
                sensitive: self.pd_sensitive,
                subjects,
                records,
                consequences: opt(&self.pd_consequences),
            }
        });
        let draft = IncidentDraft {
            title: self.title.clone(),
            description: opt(&self.description),
            kind,
            severity: Severity::parse(&self.severity).unwrap_or(Severity::Medium),
            detection: Detection::parse(&self.detection).unwrap_or(Detection::Internal),
            occurred_at,
            aware_at: aware_at.unwrap_or_else(Utc::now),
            reported_by: opt(&self.reported_by),
            system_ids: system_ids.into_iter().map(SystemId).collect(),
            information_set_ids,
            personal_data,
            controller: opt(&self.controller),
            cause: opt(&self.cause),
            lessons: opt(&self.lessons),
        };
        crate::forms::validated(e, draft.validate())
    }
}
