//! Request validation: request body schemas of the spec, converted from OpenAPI 3.0 to JSON
//! Schema 2020-12 and checked with `jsonschema`; violations become MOCO's 422 body
//! (`{"message": ..., "errors": {field: [..]}}`).

use std::sync::OnceLock;

use jsonschema::{error::ValidationErrorKind, Validator};
use serde_json::{json, Map, Value};

use crate::spec::{spec, Operation};

/// A compiled request body schema.
pub(crate) struct BodyValidator {
    validator: Validator,
}

impl std::fmt::Debug for BodyValidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BodyValidator")
    }
}

/// The components' schemas converted to JSON Schema, as `$defs`.
fn defs() -> &'static Value {
    static DEFS: OnceLock<Value> = OnceLock::new();
    DEFS.get_or_init(|| {
        let mut out = Map::new();
        if let Some(schemas) = spec().doc["components"]["schemas"].as_object() {
            for (name, schema) in schemas {
                out.insert(name.clone(), convert(schema));
            }
        }
        Value::Object(out)
    })
}

/// OpenAPI 3.0 schema → JSON Schema 2020-12: `nullable: true` adds `"null"` to `type` (and to a
/// closed `enum`), `$ref`s point into `$defs`, examples and extensions are dropped.
pub(crate) fn convert(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                match key.as_str() {
                    "example" | "nullable" | "discriminator" | "xml" | "externalDocs" | "deprecated" => {}
                    k if k.starts_with("x-") => {}
                    "$ref" => {
                        let target = value.as_str().unwrap_or_default();
                        let name = target.rsplit('/').next().unwrap_or_default();
                        out.insert(key.clone(), Value::String(format!("#/$defs/{name}")));
                    }
                    "properties" => {
                        let props = value
                            .as_object()
                            .map(|p| p.iter().map(|(k, v)| (k.clone(), convert(v))).collect::<Map<_, _>>())
                            .unwrap_or_default();
                        out.insert(key.clone(), Value::Object(props));
                    }
                    "enum" | "required" => {
                        out.insert(key.clone(), value.clone());
                    }
                    _ => {
                        out.insert(key.clone(), convert(value));
                    }
                }
            }
            if map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(kind) = out.get("type").cloned() {
                    let kinds = match kind {
                        Value::String(k) => vec![Value::String(k), Value::String("null".into())],
                        Value::Array(mut ks) => {
                            ks.push(Value::String("null".into()));
                            ks
                        }
                        other => vec![other],
                    };
                    out.insert("type".into(), Value::Array(kinds));
                }
                if let Some(Value::Array(values)) = out.get_mut("enum") {
                    if !values.iter().any(Value::is_null) {
                        values.push(Value::Null);
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(convert).collect()),
        other => other.clone(),
    }
}

/// Compiles a (converted) schema with every component available under `$defs`.
pub(crate) fn compile(schema: &Value) -> Option<Validator> {
    compile_with(convert(schema), defs())
}

/// Like [`compile`], for an answer: an integer may also be a numeric string there, as the
/// spec's introduction says MOCO sends them (and the fake does, see `answers.rs`).
#[cfg(test)]
pub(crate) fn compile_answer(schema: &Value) -> Option<Validator> {
    static DEFS: OnceLock<Value> = OnceLock::new();
    let defs = DEFS.get_or_init(|| integers_as_text(defs().clone()));
    compile_with(integers_as_text(convert(schema)), defs)
}

/// `{type: integer}` (or `[integer, null]`) also admits a string of digits.
#[cfg(test)]
fn integers_as_text(schema: Value) -> Value {
    match schema {
        Value::Object(map) => {
            let map: Map<String, Value> = map.into_iter().map(|(k, v)| (k, integers_as_text(v))).collect();
            let integer = match map.get("type") {
                Some(Value::String(t)) => t == "integer",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
                _ => false,
            };
            if integer && !map.contains_key("enum") {
                json!({ "anyOf": [Value::Object(map), { "type": "string", "pattern": "^-?[0-9]+$" }] })
            } else {
                Value::Object(map)
            }
        }
        Value::Array(items) => Value::Array(items.into_iter().map(integers_as_text).collect()),
        other => other,
    }
}

fn compile_with(schema: Value, defs: &Value) -> Option<Validator> {
    let mut root = match schema {
        Value::Object(map) => map,
        _ => return None,
    };
    root.insert("$schema".into(), json!("https://json-schema.org/draft/2020-12/schema"));
    root.insert("$defs".into(), defs.clone());
    jsonschema::options().with_draft(jsonschema::Draft::Draft202012).should_validate_formats(true).build(&Value::Object(root)).ok()
}

impl BodyValidator {
    pub(crate) fn for_operation(op: &Operation) -> Option<&BodyValidator> {
        op.validator
            .get_or_init(|| {
                let body = op.body.as_ref()?;
                if !body.content_type.contains("json") {
                    return None;
                }
                compile(&body.schema).map(|validator| BodyValidator { validator })
            })
            .as_ref()
    }

    /// `None` when `body` is valid, otherwise MOCO's 422 body.
    pub(crate) fn check(&self, body: &Value) -> Option<Value> {
        let mut errors: Map<String, Value> = Map::new();
        let mut first: Option<String> = None;
        for error in self.validator.iter_errors(body).take(20) {
            let path: Vec<String> = error.instance_path().segments().map(|s| s.to_string()).collect();
            let (field, message) = match error.kind() {
                ValidationErrorKind::Required { property } => {
                    let name = property.as_str().map(str::to_string).unwrap_or_else(|| property.to_string());
                    let mut full = path.clone();
                    full.push(name);
                    (full.join("."), "can't be blank".to_string())
                }
                ValidationErrorKind::Enum { options } => (path.join("."), format!("is not included in the list ({})", list(options))),
                ValidationErrorKind::Type { .. } => (path.join("."), format!("is invalid: {}", error)),
                ValidationErrorKind::Format { format } => (path.join("."), format!("is not a valid {format}")),
                _ => (path.join("."), format!("is invalid: {}", error)),
            };
            let field = if field.is_empty() { "base".to_string() } else { field };
            if first.is_none() {
                first = Some(if field == "base" { message.clone() } else { format!("{field} {message}") });
            }
            let entry = errors.entry(field).or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(messages) = entry {
                if !messages.iter().any(|m| m.as_str() == Some(message.as_str())) {
                    messages.push(Value::String(message));
                }
            }
        }
        let first = first?;
        Some(json!({ "message": format!("Validation failed: {first}"), "errors": errors }))
    }
}

fn list(options: &Value) -> String {
    options
        .as_array()
        .map(|values| values.iter().map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())).collect::<Vec<_>>().join(", "))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_adds_null() {
        let converted = convert(&json!({"type": "string", "nullable": true, "enum": ["a"]}));
        assert_eq!(converted, json!({"type": ["string", "null"], "enum": ["a", null]}));
    }

    #[test]
    fn refs_point_into_defs() {
        let converted = convert(&json!({"items": {"$ref": "#/components/schemas/Project"}}));
        assert_eq!(converted, json!({"items": {"$ref": "#/$defs/Project"}}));
    }

    #[test]
    fn every_request_body_schema_compiles_and_accepts_its_example() {
        for op in &spec().ops {
            let Some(body) = &op.body else { continue };
            if !body.content_type.contains("json") {
                continue;
            }
            let validator = BodyValidator::for_operation(op).unwrap_or_else(|| panic!("{} does not compile", op.id));
            let example = spec().example(&body.schema);
            assert!(validator.check(&example).is_none(), "{}: its example is invalid: {:?}", op.id, validator.check(&example));
        }
    }
}
