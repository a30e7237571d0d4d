//! The contract form: every field the API takes, as text; the supplier and
//! the systems covered typed by name (with bounded suggestions), looked up
//! here; and the draft it parses into, with an error per field.

use super::FormField;
use crate::forms::{FormData, choice, validated};
use insyn_domain::contract::*;
use insyn_domain::validation::{self as v, FieldErrors, parse_count, parse_date};
use insyn_domain::*;
use insyn_store::Store;

/// No supplier of the organisation has the name or number typed.
pub const NO_SUPPLIER_NAMED: &str = "error-no-supplier-named";
/// No active system has a name typed among the systems covered.
pub const NO_SYSTEM_NAMED: &str = "error-no-system-named";

/// The single-valued fields, in the order the form posts them.
const FIELDS: &[&str] = &[
    "name",
    "supplier_id",
    "kind",
    "reference",
    "diary_number",
    "procurement",
    "procurement_reference",
    "responsible_role_id",
    "note",
    "signed_on",
    "start_date",
    "initial_months",
    "end_date",
    "renewal",
    "renewal_months",
    "options_count",
    "options_used",
    "customer_notice_months",
    "customer_notice_end_of",
    "supplier_notice_months",
    "supplier_notice_end_of",
    "notice_given_on",
    "notice_given_by",
    "value_sek",
    "yearly_cost_sek",
];

/// A contract's fields as the form shows them.
#[derive(Debug, Clone, Default)]
pub struct ContractForm {
    pub values: Vec<(&'static str, String)>,
    /// The names of the systems covered, as typed or stored.
    pub systems: Vec<String>,
}

fn opt_text<T: ToString>(x: &Option<T>) -> String {
    x.as_ref().map(ToString::to_string).unwrap_or_default()
}

impl ContractForm {
    pub fn get(&self, name: &str) -> &str {
        self.values
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    fn set(&mut self, name: &'static str, value: String) {
        self.values.retain(|(k, _)| *k != name);
        self.values.push((name, value));
    }

    /// A new contract (of `supplier`, when named): no renewal, no notice.
    pub fn fresh(supplier: String) -> Self {
        let mut f = Self::default();
        f.set("supplier_id", supplier);
        f.set("kind", ContractKind::Licence.as_str().into());
        f.set("renewal", RenewalKind::None.as_str().into());
        for n in ["options_count", "options_used", "customer_notice_months"] {
            f.set(n, "0".into());
        }
        f.set("supplier_notice_months", "0".into());
        f
    }

    pub fn from_contract(c: &Contract) -> Self {
        let d = c.draft();
        let mut f = Self::default();
        let pairs: [(&'static str, String); 25] = [
            ("name", d.name),
            ("supplier_id", c.supplier_name.clone()),
            ("kind", d.kind.as_str().into()),
            ("reference", opt_text(&d.reference)),
            ("diary_number", opt_text(&d.diary_number)),
            ("procurement", opt_text(&d.procurement)),
            ("procurement_reference", opt_text(&d.procurement_reference)),
            ("responsible_role_id", opt_text(&d.responsible_role_id)),
            ("note", opt_text(&d.note)),
            ("signed_on", opt_text(&d.signed_on)),
            ("start_date", opt_text(&d.start_date)),
            ("initial_months", opt_text(&d.initial_months)),
            ("end_date", opt_text(&d.end_date)),
            ("renewal", d.renewal.as_str().into()),
            ("renewal_months", opt_text(&d.renewal_months)),
            ("options_count", d.options_count.to_string()),
            ("options_used", d.options_used.to_string()),
            (
                "customer_notice_months",
                d.customer_notice_months.to_string(),
            ),
            (
                "customer_notice_end_of",
                d.customer_notice_end_of.as_str().into(),
            ),
            (
                "supplier_notice_months",
                d.supplier_notice_months.to_string(),
            ),
            (
                "supplier_notice_end_of",
                d.supplier_notice_end_of.as_str().into(),
            ),
            ("notice_given_on", opt_text(&d.notice_given_on)),
            (
                "notice_given_by",
                opt_text(&d.notice_given_by.map(|p| p.as_str())),
            ),
            ("value_sek", opt_text(&d.value_sek)),
            ("yearly_cost_sek", opt_text(&d.yearly_cost_sek)),
        ];
        f.values = pairs.into();
        f.systems = c.systems.iter().map(|s| s.name.clone()).collect();
        f
    }

    pub fn from_form(form: &FormData) -> Self {
        Self {
            values: FIELDS
                .iter()
                .map(|n| (*n, form.get(n).to_owned()))
                .collect(),
            systems: form
                .all("system_ids")
                .into_iter()
                .map(str::to_owned)
                .collect(),
        }
    }

    /// The draft the form names: the supplier and systems looked up by
    /// name, every other field parsed; or what is wrong, field by field.
    pub async fn draft(
        &self,
        store: &Store,
        org: OrgId,
    ) -> Result<Result<ContractDraft, FieldErrors>, insyn_store::StoreError> {
        let mut e = FieldErrors::new();
        let supplier = match self.get("supplier_id") {
            "" => {
                e.add("supplier_id", v::REQUIRED);
                None
            }
            typed => {
                let found = store.supplier_named(org, typed).await?;
                if found.is_none() {
                    e.add("supplier_id", NO_SUPPLIER_NAMED);
                }
                found
            }
        };
        let mut system_ids = vec![];
        for name in self.systems.iter().take(MAX_SYSTEMS + 1) {
            match store.system_named(org, name).await? {
                Some(id) if !system_ids.contains(&id) => system_ids.push(id),
                Some(_) => {}
                None => {
                    if e.get("system_ids").is_none() {
                        e.add("system_ids", NO_SYSTEM_NAMED);
                    }
                }
            }
        }
        let draft = self.fields(
            &mut e,
            supplier.unwrap_or(SupplierId(uuid::Uuid::nil())),
            system_ids,
        );
        Ok(validated(e, draft.validate()))
    }

    /// Every field but the supplier and the systems, parsed.
    fn fields(
        &self,
        e: &mut FieldErrors,
        supplier_id: SupplierId,
        system_ids: Vec<SystemId>,
    ) -> ContractDraft {
        let text = |n: &str| Some(self.get(n).to_owned()).filter(|s| !s.is_empty());
        let date = |e: &mut FieldErrors, n: &str| match self.get(n) {
            "" => None,
            s => parse_date(s).map_err(|code| e.add(n, code)).ok(),
        };
        let signed_on = date(e, "signed_on");
        let start_date = date(e, "start_date");
        let end_date = date(e, "end_date");
        let notice_given_on = date(e, "notice_given_on");
        let number = |e: &mut FieldErrors, n: &str| match self.get(n) {
            "" => None,
            s => parse_count(s).map_err(|code| e.add(n, code)).ok(),
        };
        let months = |e: &mut FieldErrors, n: &str| {
            number(e, n).and_then(|m| {
                u32::try_from(m)
                    .map_err(|_| e.add(n, MONTHS_OUT_OF_RANGE))
                    .ok()
            })
        };
        let initial_months = months(e, "initial_months");
        let renewal_months = months(e, "renewal_months");
        let options_count = months(e, "options_count").unwrap_or(0);
        let options_used = months(e, "options_used").unwrap_or(0);
        let customer_notice_months = months(e, "customer_notice_months").unwrap_or(0);
        let supplier_notice_months = months(e, "supplier_notice_months").unwrap_or(0);
        let value_sek = number(e, "value_sek");
        let yearly_cost_sek = number(e, "yearly_cost_sek");
        let kind = choice(
            e,
            "kind",
            self.get("kind"),
            ContractKind::ALL,
            ContractKind::as_str,
        );
        let renewal = choice(
            e,
            "renewal",
            self.get("renewal"),
            RenewalKind::ALL,
            RenewalKind::as_str,
        );
        let customer_end = choice(
            e,
            "customer_notice_end_of",
            self.get("customer_notice_end_of"),
            EndOf::ALL,
            EndOf::as_str,
        );
        let supplier_end = choice(
            e,
            "supplier_notice_end_of",
            self.get("supplier_notice_end_of"),
            EndOf::ALL,
            EndOf::as_str,
        );
        let notice_given_by = match self.get("notice_given_by") {
            "" => None,
            s => {
                let p = ContractParty::parse(s);
                if p.is_none() {
                    e.add("notice_given_by", v::UNKNOWN_CHOICE);
                }
                p
            }
        };
        let responsible_role_id = match self.get("responsible_role_id") {
            "" => None,
            s => s
                .parse()
                .map_err(|_| e.add("responsible_role_id", v::UNKNOWN_REFERENCE))
                .ok(),
        };
        ContractDraft {
            name: self.get("name").to_owned(),
            supplier_id,
            kind: kind.unwrap_or(ContractKind::Licence),
            reference: text("reference"),
            diary_number: text("diary_number"),
            procurement: text("procurement"),
            procurement_reference: text("procurement_reference"),
            signed_on,
            start_date,
            initial_months,
            end_date,
            renewal: renewal.unwrap_or(RenewalKind::None),
            renewal_months,
            options_count,
            options_used,
            customer_notice_months,
            customer_notice_end_of: customer_end.unwrap_or_default(),
            supplier_notice_months,
            supplier_notice_end_of: supplier_end.unwrap_or_default(),
            notice_given_on,
            notice_given_by,
            value_sek,
            yearly_cost_sek,
            system_ids,
            responsible_role_id,
            note: text("note"),
        }
    }
}

/// A group of the form's fields under a legend.
pub struct Group {
    pub legend: &'static str,
    pub fields: Vec<FormField>,
}

/// The form's fields in their groups, with the choices in `lang`.
pub fn groups(f: &ContractForm, lang: crate::i18n::Lang, roles: &[RoleType]) -> Vec<Group> {
    let t = |n: &'static str, label: &'static str| {
        FormField::text(n, label, f.get(n).to_owned(), false)
    };
    let words = |group: &str, all: Vec<&'static str>| -> Vec<(String, String)> {
        all.into_iter()
            .map(|w| {
                (
                    w.to_owned(),
                    lang.t(&format!("contract-{group}-{}", w.replace('_', "-"))),
                )
            })
            .collect()
    };
    let pick = |n: &'static str, label: &'static str, options: Vec<(String, String)>| {
        FormField::select(n, label, f.get(n).to_owned(), options)
    };
    let mut kind = pick(
        "kind",
        "contract-kind",
        words(
            "kind",
            ContractKind::ALL.iter().map(|k| k.as_str()).collect(),
        ),
    );
    kind.required = true;
    let mut renewal = pick(
        "renewal",
        "contract-renewal",
        words(
            "renewal",
            RenewalKind::ALL.iter().map(|k| k.as_str()).collect(),
        ),
    );
    renewal.required = true;
    let end_of = |n: &'static str, label: &'static str| {
        let mut s = pick(
            n,
            label,
            words("end-of", EndOf::ALL.iter().map(|k| k.as_str()).collect()),
        );
        s.required = true;
        s
    };
    let parties = words("party", vec!["customer", "supplier"]);
    let role_options = roles
        .iter()
        .map(|r| {
            let name = match lang {
                crate::i18n::Lang::Sv => &r.name_sv,
                crate::i18n::Lang::En => &r.name_en,
            };
            (r.id.to_string(), name.clone())
        })
        .collect();
    vec![
        Group {
            legend: "contract-details",
            fields: vec![
                FormField::text("name", "contract-name", f.get("name").to_owned(), true),
                FormField::text(
                    "supplier_id",
                    "contract-supplier",
                    f.get("supplier_id").to_owned(),
                    true,
                ),
                kind,
                t("reference", "contract-reference"),
                t("diary_number", "contract-diary-number"),
                t("procurement", "contract-procurement"),
                t("procurement_reference", "contract-procurement-reference"),
                pick(
                    "responsible_role_id",
                    "contract-responsible-role",
                    role_options,
                ),
                t("note", "contract-note").kind("textarea"),
            ],
        },
        Group {
            legend: "contract-term",
            fields: vec![
                t("signed_on", "contract-signed-on").kind("date"),
                t("start_date", "contract-start-date").kind("date"),
                t("initial_months", "contract-initial-months").kind("number"),
                t("end_date", "contract-end-date").kind("date"),
                renewal,
                t("renewal_months", "contract-renewal-months").kind("number"),
                t("options_count", "contract-options-count").kind("number"),
                t("options_used", "contract-options-used-count").kind("number"),
            ],
        },
        Group {
            legend: "contract-notice-heading",
            fields: vec![
                t("customer_notice_months", "contract-customer-notice-months").kind("number"),
                end_of("customer_notice_end_of", "contract-customer-notice-end-of"),
                t("supplier_notice_months", "contract-supplier-notice-months").kind("number"),
                end_of("supplier_notice_end_of", "contract-supplier-notice-end-of"),
                t("notice_given_on", "contract-notice-given").kind("date"),
                pick("notice_given_by", "contract-notice-given-by", parties),
            ],
        },
        Group {
            legend: "contract-money",
            fields: vec![
                t("value_sek", "contract-value-sek").kind("number"),
                t("yearly_cost_sek", "contract-yearly-cost-sek").kind("number"),
            ],
        },
    ]
}
