//! Links from each creating operation (and each list) to the operations on
//! the record it returns, for clients and for stateful API tests.

use super::OpInfo;
use serde_json::{Map, Value, json};

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
/// with the new parameter taken from the response (`id`, an organisation's
/// `slug`, or a document's `version`) and the others from the request.
pub(super) fn add_links(doc: &mut Value, ops: &[OpInfo]) {
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
            let key = match new_param {
                "org" => "slug",
                // A version of a versioned document is named by its number.
                "version" => "version",
                _ => "id",
            };
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
