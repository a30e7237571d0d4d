//! The OpenAPI document: each area's paths and schemas (its `Doc`) merged
//! under one title, and what the document says beyond each handler's
//! annotation, derived from the code rather than repeated by hand:
//!
//! - every error an operation can answer, as `application/problem+json`
//!   (401 without a valid token; 403 when the permission table can refuse
//!   the caller; 404 when the path names an organisation or a record; 413 and
//!   422 for a JSON body; 422 for query parameters), from the permission
//!   table and the operation's own shape;
//! - the query parameters' types and limits (the table in
//!   [`strict`](crate::query::strict), which the API's
//!   [`Query`](crate::extract::Query) extractor also enforces, so the
//!   document and the server cannot disagree);
//! - links from each creating operation (and each list) to the operations on
//!   the record it returns, for clients and for stateful API tests.

mod links;
mod tables;

use crate::query::strict::{expect_on, schema_of};
use axum::http::Method;
use insyn_domain::Permission;
use serde_json::{Map, Value, json};

/// Declares the bearer token that every API call (but the health check) needs.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API token from the account page or `insyn token create`.",
                    ))
                    .build(),
            ),
        );
    }
}

/// The document's frame: title, tags and the bearer token; the areas' `Doc`s
/// bring the paths.
#[derive(utoipa::OpenApi)]
#[openapi(
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    info(
        title = "insyn",
        description = "The register of a municipality's IT systems: organisations, units, people, products, systems and who holds which role.",
        license(name = "EUPL-1.2")
    ),
    tags(
        (name = "organisations", description = "A municipality and its companies"),
        (name = "units", description = "The organisation tree"),
        (name = "people"),
        (name = "products", description = "The product catalogue shared by all organisations"),
        (name = "systems", description = "The register of systems"),
        (name = "roles", description = "Role types and who holds them"),
        (name = "system", description = "Operations"),
        (name = "account", description = "The caller"),
        (name = "audit", description = "The audit trail"),
        (name = "security", description = "Classification, security plans and operational approval"),
        (name = "policy", description = "Policy profiles, compliance, tasks, documents and controls"),
        (name = "access", description = "Access profiles, who holds them, and orders for access"),
        (name = "incidents", description = "Incidents and their reporting clocks (GDPR art. 33, cybersäkerhetslagen), counted from when the organisation became aware"),
        (name = "continuity", description = "Continuity requirements (RTO, RPO, MTD), backups and restore tests judged against the requirements, and outage plans (avbrottsplaner) approved by the system owner"),
        (name = "decommissioning", description = "Record types of the information management plan (keep or dispose, disposal decision, e-archive delivery), archive responsibility, erasure records of media (NIST SP 800-88), and the decommissioning case that closes only when the register shows nothing left behind, or with an exception the system owner signs"),
        (name = "integrations", description = "Integrations between systems (samverkande system), a system's neighbourhood map and what stops if it is down; secret by default"),
        (name = "suppliers", description = "Suppliers (leverantörer) and the supplier each system has; secret by default"),
        (name = "contracts", description = "Contracts with suppliers, their status and the last day to give notice with the arithmetic in words; secret by default"),
        (name = "processing", description = "Records of processing activities (registerförteckning, GDPR art. 30) per controller, each with the art. 30(1) items it still lacks; secret by default"),
        (name = "processors", description = "Processor agreements (personuppgiftsbiträdesavtal, GDPR art. 28): sub-processors, third-country transfers and their mechanism, supervision, the state computed with its reasons in words, and the systems holding personal data whose supplier has none; secret by default"),
        (name = "regulatory", description = "Regulatory facts as data: the organisation's entity class under cybersäkerhetslagen (NIS2) and each system's AI Act facts (AI system or not, risk class, role, the fundamental-rights impact assessment); secret by default"),
        (name = "licences", description = "Licences per system: what was bought (metric, quantity, yearly cost, contract, validity) against what is in use (the system's access holdings, or entered), with overuse, idle and ended named and the cost per user; secret by default"),
        (name = "eservices", description = "E-services (e-tjänster): their step on Utvecklingstrappan, target groups, målområden, systems, accessibility statement (DOS-lagen) and Södertälje's five e-function criteria, with findings in words; published ones reach the public register with only the fields the organisation makes public"),
        (name = "services", description = "IT services (IT-tjänster, Stockholm 5): who delivers them, their cost, systems and agreed service levels, and their follow-up per month or quarter judged met or missed, entered or imported from a file; secret by default"),
        (name = "feed", description = "The change feed: the organisation's changes in commit order from a cursor, archivals and removals (tombstones) included, read from the audit trail; what the caller may not read is left out"),
        (name = "webhooks", description = "Webhook subscriptions: signed deliveries (Standard Webhooks) announcing new events of the change feed, retried with back-off, then parked until replayed; administrators only"),
        (name = "jobs", description = "Long work (an import of thousands of rows) and its progress, for its owner and the organisation's administrators"),
    )
)]
struct ApiDoc;

/// The OpenAPI document as served at `/api/openapi.json` (and checked in).
pub fn openapi_json() -> String {
    use utoipa::OpenApi;
    let mut api = ApiDoc::openapi();
    for area in super::docs() {
        api.merge(area);
    }
    let mut value = serde_json::to_value(&api).unwrap_or_default();
    complete(&mut value);
    let mut doc = serde_json::to_string_pretty(&value).unwrap_or_else(|_| "{}".into());
    doc.push('\n');
    doc
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
fn complete(doc: &mut Value) {
    let rules = permission_table();
    add_components(doc);
    for (schema, property, value) in tables::enumerations() {
        if let Some(p) = doc
            .pointer_mut(&format!("/components/schemas/{schema}/properties"))
            .and_then(Value::as_object_mut)
        {
            p.insert(property.to_owned(), value);
        }
    }
    for (schema, example) in tables::examples() {
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
            let perm = if path == "/healthz" || path == "/readyz" {
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
    links::add_links(doc, &ops);
}

/// One operation: where it is and its id.
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
                if let Some(expect) = expect_on(path, &name) {
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
