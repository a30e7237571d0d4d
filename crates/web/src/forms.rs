//! HTML form bodies: parsed from `application/x-www-form-urlencoded`
//! (repeated keys allowed) into typed drafts, with an error per field.

use insyn_domain::validation::{self as v, parse_count, parse_date};
use insyn_domain::*;
use std::collections::HashMap;

/// A submitted form: every (name, value) pair in order.
#[derive(Debug, Clone, Default)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    /// The fields of a form post. NUL characters are dropped: no database
    /// stores them (PostgreSQL refuses them), and no one types them.
    pub fn parse(body: &[u8]) -> FormData {
        let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
        FormData(
            fields
                .into_iter()
                .map(|(k, v)| (k.replace('\0', ""), v.replace('\0', "")))
                .collect(),
        )
    }

    /// The first value of a field, trimmed; "" when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .unwrap_or("")
    }

    pub fn opt(&self, name: &str) -> Option<String> {
        Some(self.get(name))
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
            .collect()
    }

    pub fn checked(&self, name: &str) -> bool {
        matches!(self.get(name), "on" | "true" | "1" | "ja")
    }

    /// An optional date field (YYYY-MM-DD); a malformed one is an error on the field.
    pub fn date(&self, name: &str, e: &mut FieldErrors) -> Option<chrono::NaiveDate> {
        let s = self.get(name);
        if s.is_empty() {
            return None;
        }
        parse_date(s).map_err(|code| e.add(name, code)).ok()
    }

    /// An optional choice among a text enum's words; an unknown word is an
    /// error on the field.
    pub fn choice<T>(
        &self,
        name: &str,
        e: &mut FieldErrors,
        parse: fn(&str) -> Option<T>,
    ) -> Option<T> {
        let s = self.get(name);
        if s.is_empty() {
            return None;
        }
        let x = parse(s);
        if x.is_none() {
            e.add(name, v::UNKNOWN_CHOICE);
        }
        x
    }
}

/// A form post's body as an extractor (the last argument of a handler); a
/// body that cannot be read is refused as before any parsing.
impl<S: Send + Sync> axum::extract::FromRequest<S> for FormData {
    type Rejection = axum::response::Response;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        use axum::response::IntoResponse;
        let body = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(FormData::parse(&body))
    }
}

/// The values a system form shows: from a stored system, or as the user typed them.
#[derive(Debug, Clone, Default)]
pub struct SystemFormValues {
    pub fields: HashMap<&'static str, String>,
    pub using_units: Vec<String>,
    pub business_critical: bool,
}

impl SystemFormValues {
    pub fn v(&self, k: &str) -> &str {
        self.fields.get(k).map(String::as_str).unwrap_or("")
    }

    pub fn uses(&self, unit: &UnitId) -> bool {
        self.using_units.iter().any(|u| *u == unit.to_string())
    }

    pub fn from_system(s: &System) -> Self {
        let mut f = HashMap::new();
        let o = |x: &Option<String>| x.clone().unwrap_or_default();
        f.insert("name", s.name.clone());
        f.insert("short_name", o(&s.short_name));
        f.insert("description", o(&s.description));
        f.insert("purpose", o(&s.purpose));
        f.insert(
            "responsible_unit_id",
            s.responsible_unit_id
                .map(|u| u.to_string())
                .unwrap_or_default(),
        );
        f.insert("vendor", o(&s.vendor));
        f.insert(
            "product_id",
            s.product_id.map(|u| u.to_string()).unwrap_or_default(),
        );
        f.insert("version", o(&s.version));
        f.insert("hosting", s.hosting.as_str().to_owned());
        f.insert(
            "user_count",
            s.user_count.map(|n| n.to_string()).unwrap_or_default(),
        );
        f.insert("lifecycle", s.lifecycle.as_str().to_owned());
        f.insert(
            "go_live_date",
            s.go_live_date.map(|d| d.to_string()).unwrap_or_default(),
        );
        f.insert(
            "end_date",
            s.end_date.map(|d| d.to_string()).unwrap_or_default(),
        );
        f.insert("licence_model", o(&s.licence_model));
        f.insert(
            "licence_count",
            s.licence_count.map(|n| n.to_string()).unwrap_or_default(),
        );
        f.insert("escalation_route", o(&s.escalation_route));
        f.insert("notes", o(&s.notes));
        f.insert(
            "doc_links",
            s.doc_links
                .iter()
                .map(|l| {
                    if l.label.is_empty() {
                        l.url.clone()
                    } else {
                        format!("{} | {}", l.label, l.url)
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
        );
        f.insert("capabilities", s.capabilities.join(", "));
        f.insert("tags", s.tags.join(", "));
        Self {
            fields: f,
            using_units: s.using_unit_ids.iter().map(|u| u.to_string()).collect(),
            business_critical: s.business_critical,
        }
    }

    pub fn from_form(form: &FormData) -> Self {
        let mut f = HashMap::new();
        for k in SYSTEM_FIELDS {
            f.insert(*k, form.get(k).to_owned());
        }
        Self {
            fields: f,
            using_units: form
                .all("using_unit_ids")
                .into_iter()
                .map(str::to_owned)
                .collect(),
            business_critical: form.checked("business_critical"),
        }
    }

    /// A new system's defaults.
    pub fn new_system() -> Self {
        let mut f = HashMap::new();
        f.insert("hosting", Hosting::Internal.as_str().to_owned());
        f.insert("lifecycle", Lifecycle::InOperation.as_str().to_owned());
        Self {
            fields: f,
            ..Default::default()
        }
    }
}

const SYSTEM_FIELDS: &[&str] = &[
    "name",
    "short_name",
    "description",
    "purpose",
    "responsible_unit_id",
    "vendor",
    "product_id",
    "version",
    "hosting",
    "user_count",
    "lifecycle",
    "go_live_date",
    "end_date",
    "licence_model",
    "licence_count",
    "escalation_route",
    "notes",
    "doc_links",
    "capabilities",
    "tags",
];

/// An optional reference (a unit, a product): empty is none; anything that
/// is not an id names nothing that exists.
pub fn opt_id<T: std::str::FromStr>(
    form: &FormData,
    field: &str,
    e: &mut FieldErrors,
) -> Option<T> {
    let s = form.get(field);
    if s.is_empty() {
        return None;
    }
    match s.parse() {
        Ok(v) => Some(v),
        Err(_) => {
            e.add(field, v::UNKNOWN_REFERENCE);
            None
        }
    }
}

fn opt_count(form: &FormData, field: &str, e: &mut FieldErrors) -> Option<i64> {
    let s = form.get(field);
    if s.is_empty() {
        return None;
    }
    parse_count(s).map_err(|code| e.add(field, code)).ok()
}

/// "Label | https://…" or a bare URL, one per line.
pub fn parse_links(s: &str) -> Vec<DocLink> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.rsplit_once('|') {
            Some((label, url)) => DocLink {
                label: label.trim().to_owned(),
                url: url.trim().to_owned(),
            },
            None => DocLink {
                label: String::new(),
                url: l.to_owned(),
            },
        })
        .collect()
}

/// Parses a submitted system form into a validated draft, or every field error.
pub fn system_draft(form: &FormData) -> Result<SystemDraft, FieldErrors> {
    let mut e = FieldErrors::new();
    let mut d = SystemDraft::named(form.get("name"));
    d.short_name = form.opt("short_name");
    d.description = form.opt("description");
    d.purpose = form.opt("purpose");
    d.responsible_unit_id = opt_id(form, "responsible_unit_id", &mut e);
    for u in form.all("using_unit_ids") {
        match u.parse() {
            Ok(id) => d.using_unit_ids.push(id),
            Err(_) => e.add("using_unit_ids", v::UNKNOWN_REFERENCE),
        }
    }
    d.vendor = form.opt("vendor");
    d.product_id = opt_id(form, "product_id", &mut e);
    d.version = form.opt("version");
    match Hosting::parse(form.get("hosting")) {
        Some(h) => d.hosting = h,
        None => e.add("hosting", v::UNKNOWN_CHOICE),
    }
    d.user_count = opt_count(form, "user_count", &mut e);
    d.business_critical = form.checked("business_critical");
    match Lifecycle::parse(form.get("lifecycle")) {
        Some(l) => d.lifecycle = l,
        None => e.add("lifecycle", v::UNKNOWN_CHOICE),
    }
    d.go_live_date = form.date("go_live_date", &mut e);
    d.end_date = form.date("end_date", &mut e);
    d.licence_model = form.opt("licence_model");
    d.licence_count = opt_count(form, "licence_count", &mut e);
    d.escalation_route = form.opt("escalation_route");
    d.notes = form.opt("notes");
    d.doc_links = parse_links(form.get("doc_links"));
    d.capabilities = split_list(form.get("capabilities"));
    d.tags = split_list(form.get("tags"));
    validated(e, d.validate())
}

/// A draft parsed from a form and validated: the parsing errors first, then
/// what validation found that parsing did not.
pub fn validated<D>(mut e: FieldErrors, draft: Result<D, FieldErrors>) -> Result<D, FieldErrors> {
    match draft {
        Ok(d) if e.is_empty() => Ok(d),
        Ok(_) => Err(e),
        Err(more) => {
            for x in more.0 {
                if e.get(&x.field).is_none() {
                    e.0.push(x);
                }
            }
            Err(e)
        }
    }
}

/// One of `all`, by its word (a select's value); anything else, the empty
/// text too, is refused naming the choices.
pub fn choice<T: Copy>(
    e: &mut FieldErrors,
    field: &str,
    s: &str,
    all: &[T],
    word: fn(T) -> &'static str,
) -> Option<T> {
    let found = all.iter().copied().find(|x| word(*x) == s);
    if found.is_none() {
        let allowed: Vec<&str> = all.iter().map(|x| word(*x)).collect();
        e.add_choice(field, &allowed);
    }
    found
}
