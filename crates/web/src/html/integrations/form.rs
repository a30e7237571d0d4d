//! The integration form on a system's page: the other system, which side
//! this system is on, and the flow's facts, as typed; and the draft it
//! parses into.

use crate::forms::FormData;
use insyn_domain::integration::*;
use insyn_domain::validation::{self as v, FieldErrors};
use insyn_domain::*;

/// No active system has the name typed for the other end.
pub const NO_SYSTEM_NAMED: &str = "error-no-system-named";

/// No person of the organisation has the name or e-mail typed as responsible.
pub const NO_PERSON_NAMED: &str = "error-no-person-named";

/// What the form shows: every field as text, as typed or as stored.
#[derive(Debug, Clone, Default)]
pub struct IntegrationForm {
    /// The system at the other end, as typed: its name (or its id).
    pub other: String,
    /// The id the typed name was found to be (empty: not looked up, or not found).
    pub other_id: String,
    /// `from`: this system sends; `to`: this system receives.
    pub side: String,
    pub direction: String,
    pub interface: String,
    pub sets: Vec<String>,
    pub frequency: String,
    pub criticality: String,
    /// The responsible person as typed: a name, an e-mail (or an id).
    pub responsible: String,
    /// The id the typed person was found to be (empty: not looked up, or not found).
    pub responsible_id: String,
    pub note: String,
}

impl IntegrationForm {
    pub fn new_flow() -> Self {
        Self {
            side: "from".into(),
            direction: Direction::OneWay.as_str().into(),
            frequency: Frequency::Daily.as_str().into(),
            criticality: Criticality::Medium.as_str().into(),
            ..Self::default()
        }
    }

    /// The stored integration, seen from `system`.
    pub fn from_integration(i: &Integration, system: SystemId) -> Self {
        let sends = i.from_system_id == system;
        let (other_id, other) = if sends {
            (i.to_system_id, &i.to_system_name)
        } else {
            (i.from_system_id, &i.from_system_name)
        };
        Self {
            other: other.clone(),
            other_id: other_id.to_string(),
            side: if sends { "from" } else { "to" }.into(),
            direction: i.direction.as_str().into(),
            interface: i.interface.clone().unwrap_or_default(),
            sets: i
                .information_sets
                .iter()
                .map(|s| s.id.to_string())
                .collect(),
            frequency: i.frequency.as_str().into(),
            criticality: i.criticality.as_str().into(),
            responsible: i
                .responsible_name
                .clone()
                .or(i.responsible_id.map(|p| p.to_string()))
                .unwrap_or_default(),
            responsible_id: i.responsible_id.map(|p| p.to_string()).unwrap_or_default(),
            note: i.note.clone().unwrap_or_default(),
        }
    }

    pub fn from_form(f: &FormData) -> Self {
        Self {
            other: f.get("other_system_id").into(),
            other_id: String::new(),
            side: f.get("side").into(),
            direction: f.get("direction").into(),
            interface: f.get("interface").into(),
            sets: f
                .all("information_set_ids")
                .into_iter()
                .map(str::to_owned)
                .collect(),
            frequency: f.get("frequency").into(),
            criticality: f.get("criticality").into(),
            responsible: f.get("responsible_id").into(),
            responsible_id: String::new(),
            note: f.get("note").into(),
        }
    }

    pub fn has_set(&self, id: &uuid::Uuid) -> bool {
        self.sets.iter().any(|s| *s == id.to_string())
    }

    /// The draft the form names with `system` on its side, or what is wrong
    /// field by field (the store checks the references).
    pub fn draft(&self, system: SystemId) -> Result<IntegrationDraft, FieldErrors> {
        let mut e = FieldErrors::new();
        use crate::forms::choice as pick;
        let direction = pick(
            &mut e,
            "direction",
            &self.direction,
            Direction::ALL,
            Direction::as_str,
        );
        let frequency = pick(
            &mut e,
            "frequency",
            &self.frequency,
            Frequency::ALL,
            Frequency::as_str,
        );
        let criticality = pick(
            &mut e,
            "criticality",
            &self.criticality,
            Criticality::ALL,
            Criticality::as_str,
        );
        let other: Option<SystemId> = match (self.other_id.as_str(), self.other.trim()) {
            (_, "") => {
                e.add("other_system_id", v::REQUIRED);
                None
            }
            ("", s) => s
                .parse()
                .map_err(|_| e.add("other_system_id", NO_SYSTEM_NAMED))
                .ok(),
            (id, _) => id
                .parse()
                .map_err(|_| e.add("other_system_id", v::UNKNOWN_REFERENCE))
                .ok(),
        };
        let responsible = match (self.responsible_id.as_str(), self.responsible.trim()) {
            (_, "") => None,
            ("", s) => s
                .parse()
                .map_err(|_| e.add("responsible_id", NO_PERSON_NAMED))
                .ok(),
            (id, _) => id
                .parse()
                .map_err(|_| e.add("responsible_id", v::UNKNOWN_REFERENCE))
                .ok(),
        };
        let information_set_ids = self
            .sets
            .iter()
            .filter_map(|s| {
                s.parse()
                    .map_err(|_| e.add("information_set_ids", v::UNKNOWN_REFERENCE))
                    .ok()
            })
            .collect();
        let other = other.unwrap_or(system);
        let (from, to) = if self.side == "to" {
            (other, system)
        } else {
            (system, other)
        };
        let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let draft = IntegrationDraft {
            from_system_id: from,
            to_system_id: to,
            direction: direction.unwrap_or(Direction::OneWay),
            interface: opt(&self.interface),
            information_set_ids,
            frequency: frequency.unwrap_or(Frequency::Daily),
            criticality: criticality.unwrap_or(Criticality::Medium),
            responsible_id: responsible,
            note: opt(&self.note),
        };
        crate::forms::validated(e, draft.validate()).map_err(on_form)
    }
}

/// The errors on the two ends (the draft's or the store's), as the form's
/// one field for the other system.
pub fn on_form(mut e: FieldErrors) -> FieldErrors {
    for x in &mut e.0 {
        if x.field == "from_system_id" || x.field == "to_system_id" {
            x.field = "other_system_id".into();
        }
    }
    let mut seen = std::collections::HashSet::new();
    e.0.retain(|x| seen.insert(x.field.clone()));
    e
}
