//! What the OpenAPI document says beyond each handler's annotation, derived
//! from the code rather than repeated by hand:
//!
//! - every error an operation can answer, as `application/problem+json`
//!   (401 without a valid token; 403 when the permission table can refuse
//!   the caller; 404 when the path names an organisation or a record; 413 and
//!   422 for a JSON body; 422 for query parameters), from the permission
//!   table and the operation's own shape;
//! - the query parameters' types and limits (one table, [`QUERY_PARAMS`],
//!   which the API's [`Query`](crate::extract::Query) extractor also
//!   enforces, so the document and the server cannot disagree);
//! - links from each creating operation (and each list) to the operations on
//!   the record it returns, for clients and for stateful API tests.

use axum::http::Method;
use insyn_domain::validation as v;
use insyn_domain::{FieldErrors, PageRequest, Permission};
use serde_json::{Map, Value, json};

/// What a query parameter must be. The pages are lenient (an empty or
/// padded value counts as absent); the API is strict: a parameter is
/// either absent or exactly what the document says.
#[derive(Debug, Clone, Copy)]
pub enum Expect {
    /// A whole number in `min..=max`.
    Int { min: u64, max: u64, default: u64 },
    /// A UUID in its hyphenated form.
    Uuid,
    /// An RFC 3339 instant.
    DateTime,
    /// A day, `YYYY-MM-DD`.
    Date,
    /// One of these words.
    Choice(&'static [&'static str]),
    /// Free text of at most this many characters.
    Text { max: usize },
    /// A search: at most `MAX_SEARCH_CHARS` characters and `MAX_SEARCH_WORDS` words.
    Search,
    /// Free text.
    AnyText,
}

/// The words the register accepts for yes and no (as in its forms).
pub const BOOLEAN_WORDS: &[&str] = &[
    "true", "false", "1", "0", "on", "off", "yes", "no", "ja", "nej",
];

/// The longest search text, in characters.
pub const MAX_SEARCH_CHARS: usize = insyn_domain::validation::MAX_SEARCH_CHARS;

/// The most audit entries one request returns.
pub const MAX_AUDIT_LIMIT: u64 = 10_000;

const LIFECYCLES: &[&str] = &[
    "planned",
    "procuring",
    "in_operation",
    "phasing_out",
    "decommissioned",
];
const SORTS: &[&str] = &["name", "unit", "lifecycle", "users", "go_live", "updated"];

/// Every query parameter of the API, by name.
pub const QUERY_PARAMS: &[(&str, Expect)] = &[
    ("q", Expect::Search),
    ("unit", Expect::Uuid),
    ("holder", Expect::Uuid),
    ("object_id", Expect::Uuid),
    ("lifecycle", Expect::Choice(LIFECYCLES)),
    ("sort", Expect::Choice(SORTS)),
    ("business_critical", Expect::Choice(BOOLEAN_WORDS)),
    ("no_owner", Expect::Choice(BOOLEAN_WORDS)),
    ("include_archived", Expect::Choice(BOOLEAN_WORDS)),
    ("desc", Expect::Choice(BOOLEAN_WORDS)),
    ("changed_since", Expect::DateTime),
    ("from", Expect::Date),
    ("to", Expect::Date),
    (
        "page",
        Expect::Int {
            min: 1,
            max: u32::MAX as u64,
            default: 1,
        },
    ),
    (
        "per_page",
        Expect::Int {
            min: 1,
            max: PageRequest::MAX_SIZE as u64,
            default: PageRequest::DEFAULT_SIZE as u64,
        },
    ),
    (
        "limit",
        Expect::Int {
            min: 1,
            max: MAX_AUDIT_LIMIT,
            default: 200,
        },
    ),
    ("capability", Expect::AnyText),
    ("tag", Expect::AnyText),
    ("actor", Expect::AnyText),
    ("object_type", Expect::AnyText),
];

/// The message key for a number outside its range.
pub const OUT_OF_RANGE: &str = "error-out-of-range";

fn expect_of(name: &str) -> Option<Expect> {
    QUERY_PARAMS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, e)| *e)
}

/// Checks a query string against [`QUERY_PARAMS`]; names it does not know
/// are left to the handler (which ignores them).
pub fn check_query(query: &str) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::new();
    for (name, value) in form_urlencoded_pairs(query) {
        let Some(expect) = expect_of(&name) else {
            continue;
        };
        if e.get(&name).is_some() {
            continue;
        }
        if let Err(code) = check_value(expect, &value) {
            e.add(&name, code);
        }
    }
    e.into_result(())
}

fn form_urlencoded_pairs(query: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap_or_default()
}

fn check_value(expect: Expect, s: &str) -> Result<(), &'static str> {
    match expect {
        Expect::Int { min, max, .. } => {
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(v::NOT_A_NUMBER);
            }
            match s.parse::<u64>() {
                Ok(n) if (min..=max).contains(&n) => Ok(()),
                _ => Err(OUT_OF_RANGE),
            }
        }
        Expect::Uuid => {
            if s.len() == 36 && uuid::Uuid::try_parse(s).is_ok() {
                Ok(())
            } else {
                Err(v::UNKNOWN_REFERENCE)
            }
        }
        Expect::DateTime => chrono::DateTime::parse_from_rfc3339(s)
            .map(|_| ())
            .map_err(|_| v::NOT_A_DATE),
        Expect::Date => {
            let b = s.as_bytes();
            if b.len() == 10
                && b[4] == b'-'
                && b[7] == b'-'
                && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
            {
                Ok(())
            } else {
                Err(v::NOT_A_DATE)
            }
        }
        Expect::Choice(words) => {
            if words.contains(&s) {
                Ok(())
            } else {
                Err(v::UNKNOWN_CHOICE)
            }
        }
        Expect::Text { max } => {
            if s.chars().count() <= max {
                Ok(())
            } else {
                Err(v::TOO_LONG)
            }
        }
        Expect::Search => {
            let mut e = insyn_domain::FieldErrors::new();
            v::search(&mut e, "q", Some(s));
            match e.0.first() {
                None => Ok(()),
                Some(p) => Err(p.code),
            }
        }
        Expect::AnyText => Ok(()),
    }
}

fn schema_of(expect: Expect) -> Value {
    match expect {
        Expect::Int { min, max, default } => {
            json!({ "type": "integer", "minimum": min, "maximum": max, "default": default })
        }
        Expect::Uuid => json!({ "type": "string", "format": "uuid" }),
        Expect::DateTime => json!({ "type": "string", "format": "date-time" }),
        Expect::Date => json!({ "type": "string", "format": "date" }),
        Expect::Choice(words) => json!({ "type": "string", "enum": words }),
        Expect::Text { max } => json!({ "type": "string", "maxLength": max }),
        Expect::Search => json!({
            "type": "string",
            "maxLength": MAX_SEARCH_CHARS,
            "pattern": v::SEARCH_PATTERN,
        }),
        Expect::AnyText => json!({ "type": "string" }),
    }
}

const PROBLEM: &str = "application/problem+json";

fn problem_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": { PROBLEM: { "schema": { "$ref": "#/components/schemas/Problem" } } }
    })
}

/// The standard error answers, each with the name it has under
/// `components/responses`.
const ERRORS: &[(&str, &str, &str)] = &[
    (
        "401",
        "Unauthorized",
        "No valid API token (or session): sign in or send `Authorization: Bearer …`.",
    ),
    (
        "403",
        "Forbidden",
        "The caller's role does not allow this, or a read-only token tried to change something.",
    ),
    (
        "404",
        "NotFound",
        "The organisation or record does not exist, or belongs to an organisation the caller cannot see.",
    ),
    (
        "409",
        "Conflict",
        "The record is not in a state that allows this (a plan that is no longer a draft, …).",
    ),
    (
        "413",
        "TooLarge",
        "The body is larger than the server accepts (2 MiB).",
    ),
    (
        "422",
        "Invalid",
        "The input is not valid: `errors` names each field and its problem; a body that is not JSON, or a repeated query parameter, is described in `detail`.",
    ),
];

/// Closed sets that the code keeps as constants rather than as Rust enums:
/// (schema, property, its schema).
fn enumerations() -> Vec<(&'static str, &'static str, Value)> {
    use insyn_domain::security::{FIELD_SECRECY_DEFAULTS, PLAN_SECTIONS};
    let secrecy_kinds: Vec<&str> = FIELD_SECRECY_DEFAULTS.iter().map(|(k, _)| *k).collect();
    let shipped: Vec<&str> = insyn_domain::policy::SHIPPED
        .iter()
        .map(|(c, _)| *c)
        .collect();
    let sections = json!({
        "type": "object",
        "description": "Section key → text; the keys are the plan's sections.",
        "propertyNames": { "enum": PLAN_SECTIONS },
        "additionalProperties": { "type": "string" }
    });
    vec![
        (
            "PersonDraft",
            "email",
            json!({
                "description": "Empty (or only spaces) for none.",
                "anyOf": [
                    { "type": "null" },
                    { "type": "string", "format": "email", "maxLength": 254 },
                    { "type": "string", "pattern": "^\\s*$", "maxLength": 254 }
                ]
            }),
        ),
        ("PlanIn", "sections", sections.clone()),
        ("SecurityPlan", "sections", sections),
        (
            "Secrecy",
            "fields",
            json!({
                "type": "object",
                "description": "Kind of field → secret (true) or public (false).",
                "propertyNames": { "enum": secrecy_kinds },
                "additionalProperties": { "type": "boolean" }
            }),
        ),
        (
            "ControlIn",
            "result",
            json!({ "type": "string", "enum": insyn_store::policy::CONTROL_RESULTS }),
        ),
        (
            "PolicyIn",
            "shipped",
            json!({
                "description": "Or the code of a shipped profile to adopt instead.",
                "anyOf": [{ "type": "null" }, { "type": "string", "enum": shipped }]
            }),
        ),
    ]
}

/// An example of each request body that names no other record (clients
/// copy them; API tests start from them).
fn examples() -> Vec<(&'static str, Value)> {
    vec![
        (
            "OrgIn",
            json!({ "slug": "exempelbolaget", "name": "Exempelbolaget AB", "kind": "company", "parent": "exempelstad" }),
        ),
        (
            "UnitDraft",
            json!({ "name": "Kulturförvaltningen", "level": "Förvaltning", "parent_id": null }),
        ),
        (
            "PersonDraft",
            json!({ "name": "Anna Andersson", "email": "anna.andersson@exempelstad.se", "title": "Systemförvaltare", "unit_id": null, "active": true }),
        ),
        (
            "ProductDraft",
            json!({ "name": "Treserva", "vendor": "CGI", "description": "Verksamhetssystem för socialtjänsten" }),
        ),
        (
            "SystemDraft",
            json!({
                "name": "Ekonomisystemet", "short_name": "Eko", "lifecycle": "in_operation",
                "hosting": "saas", "business_critical": true, "user_count": 250,
                "go_live_date": "2019-03-01",
                "doc_links": [{ "label": "Användarhandbok", "url": "https://intranat.exempelstad.se/eko" }],
                "tags": ["ekonomi"]
            }),
        ),
        (
            "RoleTypeDraft",
            json!({ "code": "information_owner", "name_sv": "Informationsägare", "name_en": "Information owner", "scope": "system", "description": null }),
        ),
        ("EndAssignment", json!({ "end_date": "2026-12-31" })),
        (
            "InformationSetDraft",
            json!({ "name": "Vårddokumentation", "description": "Journalanteckningar", "personal_data": true, "sensitive_personal_data": true }),
        ),
        (
            "ClassificationDraft",
            json!({ "confidentiality": 3, "integrity": 3, "availability": 2, "traceability": 2, "justification": "Känsliga personuppgifter (OSL 26 kap.)", "valid_until": null }),
        ),
        (
            "DecisionIn",
            json!({ "critical": true, "owner_name": "Jonas Olsson", "it_name": "Eva Ek", "note": null }),
        ),
        (
            "PlanIn",
            json!({ "sections": { "business": "Stöd för handläggning inom socialtjänsten." } }),
        ),
        (
            "ApprovalDraft",
            json!({ "baseline": "Grundnivå enligt MSB:s metodstöd", "measures": [{ "description": "Inför tvåfaktorsinloggning", "owner": "Systemförvaltaren", "deadline": "2027-06-30", "done": false }] }),
        ),
        (
            "Scale",
            json!({ "levels": [{ "level": 0, "name_sv": "Ingen eller försumbar", "name_en": "None or negligible" }], "traceability_required": false }),
        ),
        (
            "Secrecy",
            json!({ "fields": { "version": true, "hosting": true } }),
        ),
        (
            "PolicyIn",
            json!({ "toml": null, "shipped": "baseline-2026", "note": "Grundprofilen" }),
        ),
        (
            "DocumentIn",
            json!({ "kind": "continuity_plan", "title": "Kontinuitetsplan", "reference": "2026/123", "dated": "2026-01-15" }),
        ),
        (
            "ControlIn",
            json!({ "control": "access_review", "performed_on": "2026-01-15", "result": "ok", "note": null }),
        ),
    ]
}

/// `"type": ["string", "null"]` with constraints (a format, a length) as
/// `anyOf: [null, string with the constraints]`: the same meaning, in the
/// form that generators read without mistaking the constraints' scope.
fn split_nullable(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            for v in map.values_mut() {
                split_nullable(v);
            }
            let Some(types) = map.get("type").and_then(Value::as_array).cloned() else {
                return;
            };
            let non_null: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
            const CONSTRAINTS: &[&str] = &[
                "format",
                "minLength",
                "maxLength",
                "pattern",
                "minimum",
                "maximum",
                "enum",
                "items",
                "minItems",
                "maxItems",
            ];
            if non_null.len() != 1 || !CONSTRAINTS.iter().any(|k| map.contains_key(*k)) {
                return;
            }
            let mut inner = Map::new();
            inner.insert("type".into(), non_null[0].clone());
            for k in CONSTRAINTS {
                if let Some(v) = map.remove(*k) {
                    inner.insert((*k).to_owned(), v);
                }
            }
            map.remove("type");
            map.insert(
                "anyOf".into(),
                json!([{ "type": "null" }, Value::Object(inner)]),
            );
        }
        Value::Array(items) => items.iter_mut().for_each(split_nullable),
        _ => {}
    }
}

/// Completes the document (see the module's description).
pub fn complete(doc: &mut Value) {
    let rules = permission_table();
    add_components(doc);
    for (schema, property, value) in enumerations() {
        if let Some(p) = doc
            .pointer_mut(&format!("/components/schemas/{schema}/properties"))
            .and_then(Value::as_object_mut)
        {
            p.insert(property.to_owned(), value);
        }
    }
    for (schema, example) in examples() {
        if let Some(s) = doc
            .pointer_mut(&format!("/components/schemas/{schema}"))
            .and_then(Value::as_object_mut)
        {
            s.insert("examples".into(), json!([example]));
        }
    }
    if let Some(schemas) = doc.pointer_mut("/components/schemas") {
        split_nullable(schemas);
        // A documentation link left empty (label and address) is dropped, not refused.
        if let Some(link) = schemas.get_mut("DocLink") {
            let given = link.clone();
            *link = json!({
                "description": given.get("description").cloned().unwrap_or(json!("A link to documentation or a user guide.")),
                "anyOf": [
                    given,
                    {
                        "type": "object",
                        "description": "An empty entry, ignored.",
                        "required": ["label", "url"],
                        "properties": {
                            "label": { "type": "string", "pattern": "^\\s*$" },
                            "url": { "type": "string", "pattern": "^\\s*$" }
                        }
                    }
                ]
            });
        }
    }
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    // Operation ids and response shapes first, for the links.
    let mut ops: Vec<OpInfo> = Vec::new();
    for (path, item) in paths.iter() {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                ops.push(OpInfo {
                    path: path.clone(),
                    method: method.clone(),
                    operation_id: id.to_owned(),
                });
            }
        }
    }
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            let Ok(m) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            let perm = if path == "/healthz" {
                Permission::Public
            } else {
                rules
                    .0
                    .get(&(m.clone(), path.clone()))
                    .copied()
                    .unwrap_or(Permission::Administer)
            };
            complete_operation(path, perm, op);
        }
    }
    add_links(doc, &ops);
}

struct OpInfo {
    path: String,
    method: String,
    operation_id: String,
}

fn permission_table() -> crate::auth::Rules {
    let mut rules = crate::auth::Rules::default();
    let _ = super::routes(&mut rules);
    rules
}

fn add_components(doc: &mut Value) {
    let components = doc
        .as_object_mut()
        .expect("an OpenAPI document is an object")
        .entry("components")
        .or_insert_with(|| json!({}));
    let schemas = components
        .as_object_mut()
        .expect("components")
        .entry("schemas")
        .or_insert_with(|| json!({}));
    schemas["Problem"] = json!({
        "type": "object",
        "description": "An error (RFC 9457 problem details).",
        "required": ["type", "title", "status"],
        "properties": {
            "type": { "type": "string" },
            "title": { "type": "string", "description": "What went wrong, in English." },
            "status": { "type": "integer", "minimum": 400, "maximum": 599 },
            "detail": { "type": "string", "description": "More about what went wrong." },
            "errors": {
                "type": "array",
                "description": "Each invalid field with its problem (422).",
                "items": {
                    "type": "object",
                    "required": ["field", "code", "message"],
                    "properties": {
                        "field": { "type": "string" },
                        "code": { "type": "string", "description": "A stable message key, such as `error-required`." },
                        "message": { "type": "string" }
                    }
                }
            }
        }
    });
    let responses = components
        .as_object_mut()
        .expect("components")
        .entry("responses")
        .or_insert_with(|| json!({}));
    for (_, name, description) in ERRORS {
        responses[*name] = problem_response(description);
    }
}

fn complete_operation(path: &str, perm: Permission, op: &mut Value) {
    let Some(op) = op.as_object_mut() else {
        return;
    };
    if perm == Permission::Public {
        // No token needed: the global bearer requirement does not apply. A
        // token sent anyway is refused: the server takes tokens under /api/ only.
        op.insert("security".into(), json!([]));
        if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
            responses.insert(
                "401".into(),
                problem_response(
                    "A bearer token was sent: tokens are accepted under `/api/` only.",
                ),
            );
        }
        return;
    }
    let has_body = op.contains_key("requestBody");
    if let Some(body) = op.get_mut("requestBody").and_then(Value::as_object_mut) {
        body.insert("required".into(), json!(true));
    }
    let mut has_query = false;
    if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
        for p in params.iter_mut() {
            if p["in"] == "query" {
                has_query = true;
                let name = p["name"].as_str().unwrap_or_default().to_owned();
                if let Some(expect) = expect_of(&name) {
                    p["schema"] = schema_of(expect);
                }
            }
        }
    }
    let mut statuses = vec!["401"];
    if perm != Permission::Authenticated {
        statuses.push("403");
    }
    if path.contains('{') {
        statuses.push("404");
    }
    if has_body {
        statuses.push("413");
    }
    if has_body || has_query {
        statuses.push("422");
    }
    let responses = op
        .entry("responses")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .expect("responses");
    for (status, name, _) in ERRORS {
        if statuses.contains(status) && !responses.contains_key(*status) {
            responses.insert(
                (*status).to_owned(),
                json!({ "$ref": format!("#/components/responses/{name}") }),
            );
        }
    }
    // An error the handler declared (with its own description) comes as a problem too.
    for (status, r) in responses.iter_mut() {
        if status.starts_with('4') && r.get("content").is_none() && r.get("$ref").is_none() {
            let description = r["description"].as_str().unwrap_or_default().to_owned();
            *r = problem_response(&description);
        }
    }
}

/// The response body's shape, for links: which JSON pointer holds the new
/// record's key.
fn key_pointer(doc: &Value, response: &Value, key: &str) -> Option<String> {
    let schema = response
        .get("content")?
        .get("application/json")?
        .get("schema")?;
    let schema = resolve(doc, schema)?;
    if has_property(doc, schema, key) {
        return Some(format!("$response.body#/{key}"));
    }
    if let Some(items) = schema.get("properties").and_then(|p| p.get("items")) {
        let item = resolve(doc, items.get("items")?)?;
        if has_property(doc, item, key) {
            return Some(format!("$response.body#/items/0/{key}"));
        }
    }
    if schema["type"] == "array" {
        let item = resolve(doc, schema.get("items")?)?;
        if has_property(doc, item, key) {
            return Some(format!("$response.body#/0/{key}"));
        }
    }
    None
}

fn has_property(doc: &Value, schema: &Value, key: &str) -> bool {
    if schema.get("properties").and_then(|p| p.get(key)).is_some() {
        return true;
    }
    // `allOf` (flattened structs): any part with the property.
    schema
        .get("allOf")
        .and_then(Value::as_array)
        .is_some_and(|parts| {
            parts
                .iter()
                .filter_map(|p| resolve(doc, p))
                .any(|p| has_property(doc, p, key))
        })
}

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> Option<&'a Value> {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => doc.pointer(r.strip_prefix('#')?),
        None => Some(schema),
    }
}

fn path_params(path: &str) -> Vec<&str> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .collect()
}

/// From each operation that creates a record (201) or lists records (GET),
/// a link to every operation on one such record: the path one level below,
/// with the new parameter taken from the response (`id`, or an
/// organisation's `slug`) and the others from the request.
fn add_links(doc: &mut Value, ops: &[OpInfo]) {
    let mut found: Vec<(String, String, String, Map<String, Value>)> = Vec::new();
    for source in ops {
        let is_create = source.method == "post";
        let is_list = source.method == "get";
        if !is_create && !is_list {
            continue;
        }
        let status = if is_create { "201" } else { "200" };
        let Some(response) = doc["paths"][&source.path][&source.method]["responses"].get(status)
        else {
            continue;
        };
        let prefix = format!("{}/{{", source.path);
        let source_params = path_params(&source.path);
        let mut links = Map::new();
        for target in ops {
            let Some(rest) = target.path.strip_prefix(&prefix) else {
                continue;
            };
            let new_param = rest.split('}').next().unwrap_or_default();
            let key = if new_param == "org" { "slug" } else { "id" };
            let Some(pointer) = key_pointer(doc, response, key) else {
                continue;
            };
            let target_params = path_params(&target.path);
            // Only targets whose every parameter is known: one new level, no more.
            if target_params
                .iter()
                .any(|p| *p != new_param && !source_params.contains(p))
            {
                continue;
            }
            let mut parameters = Map::new();
            for p in target_params {
                let value = if p == new_param {
                    pointer.clone()
                } else {
                    format!("$request.path.{p}")
                };
                parameters.insert(format!("path.{p}"), json!(value));
            }
            links.insert(
                target.operation_id.clone(),
                json!({ "operationId": target.operation_id, "parameters": parameters }),
            );
        }
        if !links.is_empty() {
            found.push((
                source.path.clone(),
                source.method.clone(),
                status.to_owned(),
                links,
            ));
        }
    }
    for (path, method, status, links) in found {
        if let Some(r) = doc["paths"][&path][&method]["responses"]
            .get_mut(&status)
            .and_then(Value::as_object_mut)
        {
            r.insert("links".into(), Value::Object(links));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use insyn_domain::{Lifecycle, SystemSort};

    #[test]
    fn query_values_are_checked_as_documented() {
        assert!(check_query("per_page=500&page=1").is_ok());
        let e = check_query("per_page=501&page=0").unwrap_err();
        assert_eq!(e.get("per_page"), Some(OUT_OF_RANGE));
        assert_eq!(e.get("page"), Some(OUT_OF_RANGE));
        assert_eq!(
            check_query("per_page=").unwrap_err().get("per_page"),
            Some(v::NOT_A_NUMBER)
        );
        assert_eq!(
            check_query("lifecycle=%20planned")
                .unwrap_err()
                .get("lifecycle"),
            Some(v::UNKNOWN_CHOICE)
        );
        assert!(
            check_query("lifecycle=planned&desc=ja&unit=0190c3a0-0000-7000-8000-000000000000")
                .is_ok()
        );
        let long = "a".repeat(MAX_SEARCH_CHARS + 1);
        assert_eq!(
            check_query(&format!("q={long}")).unwrap_err().get("q"),
            Some(v::TOO_LONG)
        );
        assert!(check_query("from=2026-01-31&to=2026-1-31").is_err());
        assert!(check_query("changed_since=2026-01-31T10:00:00Z&unknown=x").is_ok());
    }

    #[test]
    fn the_tables_match_the_domain() {
        let lifecycles: Vec<&str> = Lifecycle::ALL.iter().map(|l| l.as_str()).collect();
        assert_eq!(lifecycles, LIFECYCLES);
        let sorts: Vec<&str> = SystemSort::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(sorts, SORTS);
    }
}
