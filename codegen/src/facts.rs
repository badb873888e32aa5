//! What the spec says about each operation that the generated code no longer shows once the spec
//! is adapted for progenitor: which parameters are path parameters (they become method
//! arguments), which are comma-separated lists and of what (they become typed setters), and
//! what a request requires (documented on the method).

use std::collections::BTreeMap;

use serde_json::Value;

/// The item type of a comma-separated list parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListItem {
    /// `integer` items: the setter takes anything `Into<i64>`.
    Integer,
    /// `string` items: anything `Into<String>`.
    Text,
    /// Items that reference a component schema (a closed string enum): anything `Into<types::Name>`.
    Schema(String),
}

/// Facts about one operation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Operation {
    /// Path parameters in the order they appear in the path.
    pub path_params: Vec<String>,
    /// Comma-separated query parameters and their item type.
    pub comma_lists: Vec<(String, ListItem)>,
    /// Query parameters marked `required`.
    pub required_query: Vec<String>,
    /// Required fields of the JSON request body's schema.
    pub required_body: Vec<String>,
    /// Whether the operation takes MOCO's `custom_properties[Name]=value` filter.
    pub custom_field_filter: bool,
}

/// Facts by `operationId`.
pub type Operations = BTreeMap<String, Operation>;

const METHODS: [&str; 5] = ["get", "put", "post", "patch", "delete"];

/// Reads the facts of every operation from the spec as written.
pub fn read(spec: &Value) -> Operations {
    let mut operations = Operations::new();
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else { return operations };
    for (path, item) in paths {
        let shared: Vec<Value> = item.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let Some(id) = op.get("operationId").and_then(Value::as_str) else { continue };
            let own: Vec<Value> = op.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
            let params: Vec<&Value> = shared.iter().chain(own.iter()).map(|p| resolve(spec, p)).collect();
            let mut facts = Operation::default();
            let mut path_params: Vec<(usize, String)> = Vec::new();
            for param in params {
                let name = param.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
                match param.get("in").and_then(Value::as_str) {
                    Some("path") => {
                        let at = path.find(&format!("{{{name}}}")).unwrap_or(usize::MAX);
                        path_params.push((at, name));
                    }
                    Some("query") => {
                        if param.get("style").and_then(Value::as_str) == Some("deepObject") && name == "custom_properties" {
                            facts.custom_field_filter = true;
                        }
                        if param.get("required") == Some(&Value::Bool(true)) {
                            facts.required_query.push(name.clone());
                        }
                        if let Some(item) = comma_list_item(spec, param) {
                            facts.comma_lists.push((name, item));
                        }
                    }
                    _ => {}
                }
            }
            path_params.sort();
            facts.path_params = path_params.into_iter().map(|(_, name)| name).collect();
            let body_schema = op.pointer("/requestBody/content/application~1json/schema").map(|s| resolve(spec, s));
            if let Some(required) = body_schema.and_then(|s| s.get("required")).and_then(Value::as_array) {
                facts.required_body = required.iter().filter_map(Value::as_str).map(str::to_string).collect();
            }
            operations.insert(id.to_string(), facts);
        }
    }
    operations
}

fn comma_list_item(spec: &Value, param: &Value) -> Option<ListItem> {
    let is_comma_list =
        param.get("explode") == Some(&Value::Bool(false)) && param.pointer("/schema/type").and_then(Value::as_str) == Some("array");
    if !is_comma_list {
        return None;
    }
    let items = param.pointer("/schema/items")?;
    if let Some(reference) = items.get("$ref").and_then(Value::as_str) {
        // typify makes integer codes validated newtypes (no `From<i64>`): take plain numbers.
        if resolve(spec, items).get("type").and_then(Value::as_str) == Some("integer") {
            return Some(ListItem::Integer);
        }
        return Some(ListItem::Schema(reference.rsplit('/').next()?.to_string()));
    }
    Some(match items.get("type").and_then(Value::as_str) {
        Some("integer") => ListItem::Integer,
        _ => ListItem::Text,
    })
}

/// Follows a local `$ref` (one level is all the spec uses for parameters and bodies).
fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
        Some(pointer) => spec.pointer(pointer).unwrap_or(value),
        None => value,
    }
}
