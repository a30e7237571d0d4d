//! The processor agreement form: the supplier and the systems typed by name
//! (with bounded suggestions), the contract chosen from the organisation's
//! processor agreement contracts, the dates, the sub-processors and the
//! third-country transfers in rows, the supervision; and the draft it
//! parses into.

use crate::forms::FormData;
use insyn_domain::processor::*;
use insyn_domain::validation::{self as v, FieldErrors};
use insyn_domain::*;

/// No supplier of the organisation has the name typed.
pub const NO_SUPPLIER_NAMED: &str = "error-no-supplier-named";
/// No active system has a name typed.
pub const NO_SYSTEM_NAMED: &str = "error-no-system-named";

/// Empty rows the form offers after the filled ones.
const SPARE_ROWS: usize = 2;

/// What the form shows: every field as text, as typed or as stored.
#[derive(Debug, Clone, Default)]
pub struct ProcessorForm {
    pub supplier: String,
    pub systems: Vec<String>,
    pub contract: String,
    pub reference: String,
    pub signed_on: String,
    pub ends_on: String,
    pub terminated_on: String,
    pub interval: String,
    pub last_review_on: String,
    /// (name, country, activity)
    pub subs: Vec<(String, String, String)>,
    /// (country, mechanism, note)
    pub transfers: Vec<(String, String, String)>,
    pub note: String,
}

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// The rows as typed, blank ones dropped, with spare rows after them.
fn with_spares<T: Default + Clone>(mut rows: Vec<T>) -> Vec<T> {
    rows.extend(std::iter::repeat_n(T::default(), SPARE_ROWS));
    rows
}

fn rows3(f: &FormData, a: &str, b: &str, c: &str) -> Vec<(String, String, String)> {
    let (xs, ys, zs) = (f.all(a), f.all(b), f.all(c));
    (0..xs.len().max(ys.len()).max(zs.len()))
        .map(|i| {
            let at = |v: &Vec<&str>| v.get(i).map(|s| s.trim().to_owned()).unwrap_or_default();
            (at(&xs), at(&ys), at(&zs))
        })
        .filter(|(x, _, z)| !x.is_empty() || !z.is_empty())
        .collect()
}

impl ProcessorForm {
    /// A new agreement's form, for the supplier and system named (if any).
    pub fn new_agreement(supplier: Option<&str>, system: Option<&str>) -> Self {
        Self {
            supplier: supplier.unwrap_or_default().into(),
            systems: with_spares(system.map(|s| vec![s.to_owned()]).unwrap_or_default()),
            interval: "12".into(),
            subs: with_spares(vec![]),
            transfers: with_spares(vec![]),
            ..Self::default()
        }
    }

    /// The stored agreement.
    pub fn from_agreement(a: &ProcessorAgreement) -> Self {
        Self {
            supplier: a.supplier_name.clone(),
            systems: with_spares(a.systems.iter().map(|s| s.name.clone()).collect()),
            contract: a.contract_id.map(|c| c.to_string()).unwrap_or_default(),
            reference: a.reference.clone().unwrap_or_default(),
            signed_on: date(a.signed_on),
            ends_on: date(a.ends_on),
            terminated_on: date(a.terminated_on),
            interval: a
                .review_interval_months
                .map(|m| m.to_string())
                .unwrap_or_default(),
            last_review_on: date(a.last_review_on),
            subs: with_spares(
                a.sub_processors
                    .iter()
                    .map(|s| {
                        let activity = s.activity.clone().unwrap_or_default();
                        (s.name.clone(), s.country.clone(), activity)
                    })
                    .collect(),
            ),
            transfers: with_spares(
                a.transfers
                    .iter()
                    .map(|t| {
                        let note = t.note.clone().unwrap_or_default();
                        (t.country.clone(), t.mechanism.as_str().to_owned(), note)
                    })
                    .collect(),
            ),
            note: a.note.clone().unwrap_or_default(),
        }
    }

    pub fn from_form(f: &FormData) -> Self {
        Self {
            supplier: f.get("supplier_id").trim().into(),
            systems: f
                .all("system_ids")
                .into_iter()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect(),
            contract: f.get("contract_id").into(),
            reference: f.get("reference").into(),
            signed_on: f.get("signed_on").into(),
            ends_on: f.get("ends_on").into(),
            terminated_on: f.get("terminated_on").into(),
            interval: f.get("review_interval_months").into(),
            last_review_on: f.get("last_review_on").into(),
            subs: rows3(f, "sub_name", "sub_country", "sub_activity"),
            transfers: rows3(f, "transfer_country", "transfer_mechanism", "transfer_note"),
            note: f.get("note").into(),
        }
    }

    /// The form again after a refusal, with spare rows.
    pub fn again(mut self) -> Self {
        self.systems = with_spares(self.systems);
        self.subs = with_spares(self.subs);
        self.transfers = with_spares(self.transfers);
        self
    }

    /// The draft the form names, the supplier and the systems already looked
    /// up (`None`: no such name), or what is wrong field by field.
    pub fn draft(
        &self,
        supplier: Option<SupplierId>,
        systems: &[Option<SystemId>],
    ) -> Result<ProcessorDraft, FieldErrors> {
        let mut e = FieldErrors::new();
        let supplier_id = match supplier {
            Some(s) => s,
            None => {
                e.add(
                    "supplier_id",
                    if self.supplier.is_empty() {
                        v::REQUIRED
                    } else {
                        NO_SUPPLIER_NAMED
                    },
                );
                SupplierId::new()
            }
        };
        if systems.iter().any(Option::is_none) {
            e.add("system_ids", NO_SYSTEM_NAMED);
        }
        let mut day = |field: &str, s: &str| match s.trim() {
            "" => None,
            s => v::parse_date(s).map_err(|c| e.add(field, c)).ok(),
        };
        let signed_on = day("signed_on", &self.signed_on);
        let ends_on = day("ends_on", &self.ends_on);
        let terminated_on = day("terminated_on", &self.terminated_on);
        let last_review_on = day("last_review_on", &self.last_review_on);
        let review_interval_months = match self.interval.trim() {
            "" => None,
            s => s
                .parse()
                .map_err(|_| e.add("review_interval_months", v::NOT_A_NUMBER))
                .ok(),
        };
        let contract_id = match self.contract.trim() {
            "" => None,
            s => s
                .parse()
                .map_err(|_| e.add("contract_id", v::UNKNOWN_REFERENCE))
                .ok(),
        };
        let transfers = self
            .transfers
            .iter()
            .map(|(country, m, note)| Transfer {
                country: country.clone(),
                mechanism: TransferMechanism::parse(m).unwrap_or_else(|| {
                    e.add_choice(
                        "transfers",
                        &TransferMechanism::ALL
                            .iter()
                            .map(|m| m.as_str())
                            .collect::<Vec<_>>(),
                    );
                    TransferMechanism::None
                }),
                note: Some(note.clone()),
            })
            .collect();
        let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let draft = ProcessorDraft {
            supplier_id,
            system_ids: systems.iter().flatten().copied().collect(),
            contract_id,
            reference: opt(&self.reference),
            signed_on,
            ends_on,
            terminated_on,
            sub_processors: self
                .subs
                .iter()
                .map(|(name, country, activity)| SubProcessor {
                    name: name.clone(),
                    country: country.clone(),
                    activity: Some(activity.clone()),
                })
                .collect(),
            transfers,
            review_interval_months,
            last_review_on,
            note: opt(&self.note),
        };
        crate::forms::validated(e, draft.validate())
    }
}
