//! Adaptations of the in-memory spec for what progenitor cannot express. The file on disk stays
//! truthful (SPEC_GUIDE principle 1); only the generator's copy changes.

use serde_json::{json, Value};

/// Applies every adaptation.
pub fn adapt_spec(spec: &mut Value) {
    real_world_forms(spec);
    nullable_refs_to_all_of(spec);
    drop_multipart_operations(spec);
    drop_string_patterns(spec);
    empty_answers_of_downloads_as_binary(spec);
    empty_answers_of_json_operations_as_null(spec);
    comma_lists_to_strings(spec);
    drop_deep_object_parameters(spec);
    if let Some(schemas) = spec.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
        schemas.values_mut().for_each(optional_arrays_to_nullable);
    }
}

/// typify leaves an optional array out of the JSON when it is empty, so `tags: []` (remove all
/// tags) could not be sent. As `Option<Vec<_>>`, `None` is left out and `Some(vec![])` is sent.
fn optional_arrays_to_nullable(schema: &mut Value) {
    let required: Vec<Value> = schema.get("required").and_then(Value::as_array).cloned().unwrap_or_default();
    if let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        for (name, property) in properties.iter_mut() {
            if property.get("type") == Some(&json!("array")) && !required.contains(&json!(name)) {
                property["nullable"] = json!(true);
            }
            optional_arrays_to_nullable(property);
        }
    }
    if let Some(items) = schema.get_mut("items") {
        optional_arrays_to_nullable(items);
    }
}

/// progenitor rejects `style: deepObject` (the `custom_properties[Name]=value` filter). Such
/// parameters are left out of the generated builders; `Client::filter_custom_fields` sends them.
fn drop_deep_object_parameters(spec: &mut Value) {
    let is_deep = |p: &Value| p.get("style") == Some(&json!("deepObject"));
    let deep_refs: Vec<Value> = spec
        .pointer("/components/parameters")
        .and_then(Value::as_object)
        .map(|params| params.iter().filter(|(_, p)| is_deep(p)).map(|(name, _)| json!(format!("#/components/parameters/{name}"))).collect())
        .unwrap_or_default();
    let keep = |p: &Value| !is_deep(p) && !p.get("$ref").is_some_and(|r| deep_refs.contains(r));
    if let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for (key, value) in item.iter_mut() {
                let params = if key == "parameters" { Some(value) } else { value.get_mut("parameters") };
                if let Some(list) = params.and_then(Value::as_array_mut) {
                    list.retain(keep);
                }
            }
        }
    }
}

/// progenitor ignores `explode: false` and would send `ids=1&ids=2`, while MOCO expects
/// `ids=1,2`. Such parameters become plain strings here; callers build the value with
/// `mocoapp::CommaList`.
fn comma_lists_to_strings(spec: &mut Value) {
    if let Some(params) = spec.pointer_mut("/components/parameters").and_then(Value::as_object_mut) {
        params.values_mut().for_each(comma_list_to_string);
    }
    if let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for (key, value) in item.iter_mut() {
                let params = if key == "parameters" { Some(value) } else { value.get_mut("parameters") };
                if let Some(list) = params.and_then(Value::as_array_mut) {
                    list.iter_mut().for_each(comma_list_to_string);
                }
            }
        }
    }
}

fn comma_list_to_string(param: &mut Value) {
    let is_comma_list = param.get("in") == Some(&json!("query"))
        && param.get("explode") == Some(&json!(false))
        && param.pointer("/schema/type") == Some(&json!("array"));
    if is_comma_list {
        param["schema"] = json!({ "type": "string" });
        param.as_object_mut().map(|p| p.remove("explode"));
    }
}

/// One method per distinct operation: an operation marked `x-alias-of` (a PUT that MOCO accepts
/// beside the documented PATCH update, or the other way round; openapi/CONVENTIONS.md) is left
/// out of the generator's copy, and the docs of the operation it repeats say that MOCO takes
/// both. The spec keeps both, for other tools and the fake.
pub fn merge_aliases(spec: &mut Value) {
    let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        let aliases: Vec<(&str, String, String)> = METHODS
            .iter()
            .filter_map(|method| {
                let op = item.get(*method)?;
                let of = op.get("x-alias-of")?.as_str()?.to_string();
                Some((*method, op.get("operationId")?.as_str()?.to_string(), of))
            })
            .collect();
        for (method, alias_id, of) in aliases {
            item.remove(method);
            let target = METHODS.iter().find(|m| item.get(**m).and_then(|op| op.get("operationId")) == Some(&json!(of)));
            if let Some(target_method) = target {
                let op = &mut item[*target_method];
                let note = format!(
                    "MOCO also accepts this update with {} (`{alias_id}` in the spec); this method sends {}.",
                    method.to_uppercase(),
                    target_method.to_uppercase()
                );
                let description =
                    op.get("description").and_then(Value::as_str).map(|d| format!("{}\n\n{note}", d.trim_end())).unwrap_or(note);
                op["description"] = json!(description);
            }
        }
    }
}

/// The placeholder components that stand for exact decimals: `Decimal` (a number on the wire in
/// requests) and `DecimalText` (a string in requests, where the docs send one). progenitor maps
/// both to `crate::Decimal` (`generate.rs`), and `lenient.rs` gives their fields the serde
/// functions that read either form and write the right one.
pub const DECIMAL_PLACEHOLDERS: [&str; 2] = ["Decimal", "DecimalText"];

/// The real-world forms of openapi/CONVENTIONS.md as the generator needs them:
/// - a decimal (`format: decimal`: `anyOf` number or string in responses, the docs' form first;
///   a number or a string in requests) becomes a reference to the placeholder of the docs' form
///   (written back that way), nullable where a branch is;
/// - a nullable date or timestamp that also admits `""` (`anyOf` with a `maxLength: 0` branch)
///   becomes the plain nullable date: the Rust type reads `""` as absent (`lenient.rs`).
///
/// Nullable references that admit `{}` are left to [`nullable_refs_to_all_of`].
fn real_world_forms(spec: &mut Value) {
    let mut used = [false; 2];
    rewrite_forms(spec, &mut used);
    if let Some(schemas) = spec.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
        for (name, used) in DECIMAL_PLACEHOLDERS.iter().zip(used) {
            if used {
                schemas.insert((*name).into(), json!({ "type": "string", "description": "An exact decimal" }));
            }
        }
    }
}

fn rewrite_forms(value: &mut Value, used: &mut [bool; 2]) {
    match value {
        Value::Object(map) => {
            let decimal = |b: &Value| b.get("format") == Some(&json!("decimal"));
            let nullable = |b: &Value| b.get("nullable") == Some(&json!(true));
            let empty_text = |b: &Value| b.get("maxLength") == Some(&json!(0));
            let (this_decimal, this_nullable) = (map.get("format") == Some(&json!("decimal")), map.get("nullable") == Some(&json!(true)));
            let replacement = match (map.get("anyOf").and_then(Value::as_array), map.get("type").and_then(Value::as_str)) {
                // The first branch is the docs' form, which is how the value is written back.
                (Some(branches), _) if !branches.is_empty() && branches.iter().all(decimal) => {
                    let placeholder = usize::from(branches[0].get("type") == Some(&json!("string")));
                    let target = format!("#/components/schemas/{}", DECIMAL_PLACEHOLDERS[placeholder]);
                    Some((json!({ "allOf": [{ "$ref": target }] }), branches.iter().any(nullable), placeholder))
                }
                (Some(branches), _) if branches.len() == 2 && branches.iter().any(empty_text) => {
                    let date = branches.iter().find(|b| !empty_text(b)).cloned().unwrap_or_default();
                    Some((date, true, 2))
                }
                (None, Some("number")) if this_decimal => {
                    Some((json!({ "allOf": [{ "$ref": "#/components/schemas/Decimal" }] }), this_nullable, 0))
                }
                (None, Some("string")) if this_decimal => {
                    Some((json!({ "allOf": [{ "$ref": "#/components/schemas/DecimalText" }] }), this_nullable, 1))
                }
                _ => None,
            };
            if let Some((mut new, is_nullable, placeholder)) = replacement {
                if placeholder < 2 {
                    used[placeholder] = true;
                }
                if is_nullable {
                    new["nullable"] = json!(true);
                }
                if let Some(description) = map.get("description") {
                    new["description"] = description.clone();
                }
                *value = new;
                return;
            }
            map.values_mut().for_each(|v| rewrite_forms(v, used));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_forms(v, used)),
        _ => {}
    }
}

/// The spec writes "X or null" as `anyOf: [{$ref: X}, {type: object, nullable: true, enum: [null]}]`,
/// the one form every strict OpenAPI 3.0.3 tool reads that way (openapi/CONVENTIONS.md), and in
/// responses as `anyOf: [{$ref: X}, {type: object, nullable: true, maxProperties: 0}]` ("X, or
/// null or `{}`"; `lenient.rs` reads `{}` as absent). typify would make a struct of two optional
/// halves out of it; `allOf: [X]` + `nullable: true` gives the `Option<X>` it means.
fn nullable_refs_to_all_of(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let null_branch = |v: &Value| {
                v.get("enum") == Some(&json!([null]))
                    || (v.get("maxProperties") == Some(&json!(0)) && v.get("nullable") == Some(&json!(true)))
            };
            let rewrite = match map.get("anyOf").and_then(Value::as_array) {
                Some(branches) if branches.len() == 2 && branches.iter().any(null_branch) => {
                    branches.iter().find(|b| !null_branch(b)).cloned()
                }
                _ => None,
            };
            if let Some(target) = rewrite {
                map.remove("anyOf");
                map.insert("allOf".into(), json!([target]));
                map.insert("nullable".into(), json!(true));
            }
            map.values_mut().for_each(nullable_refs_to_all_of);
        }
        Value::Array(items) => items.iter_mut().for_each(nullable_refs_to_all_of),
        _ => {}
    }
}

const METHODS: [&str; 5] = ["get", "put", "post", "patch", "delete"];

/// progenitor rejects `multipart/form-data` bodies. Such operations (the purchase document
/// upload) are left out of the generated client and written by hand in `src/uploads.rs`.
fn drop_multipart_operations(spec: &mut Value) {
    let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        for method in METHODS {
            let multipart = item
                .get(method)
                .and_then(|op| op.pointer("/requestBody/content"))
                .and_then(Value::as_object)
                .is_some_and(|content| content.contains_key("multipart/form-data"));
            if multipart {
                item.remove(method);
            }
        }
    }
    paths.retain(|_, item| item.as_object().is_some_and(|i| METHODS.iter().any(|m| i.contains_key(*m))));
}

/// A download that may also answer 204 without a body (a purchase draft that is not a PDF) has
/// two success types for progenitor, which it cannot generate. In the generator's copy the 204
/// carries the same binary content: callers get an empty body with status 204.
fn empty_answers_of_downloads_as_binary(spec: &mut Value) {
    let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        for method in METHODS {
            let Some(responses) = item.get_mut(method).and_then(|op| op.get_mut("responses")).and_then(Value::as_object_mut) else {
                continue;
            };
            let binary = responses
                .iter()
                .filter(|(code, _)| code.starts_with('2'))
                .find_map(|(_, r)| r.get("content").and_then(Value::as_object).filter(|c| !c.contains_key("application/json")).cloned());
            let Some(binary) = binary else { continue };
            for (code, response) in responses.iter_mut() {
                if code.starts_with('2') && response.get("content").is_none() {
                    response["content"] = Value::Object(binary.clone());
                }
            }
        }
    }
}

/// An operation that answers JSON or nothing (`disregard_project_expenses`: 200 with the
/// entries, or 204 without a body) has two success types for progenitor, which it cannot
/// generate. In the generator's copy every 2xx carries the JSON, made nullable: callers get an
/// `Option`, `None` for an empty answer (`answer.rs` reads an empty body as `null`).
fn empty_answers_of_json_operations_as_null(spec: &mut Value) {
    let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        for method in METHODS {
            let Some(responses) = item.get_mut(method).and_then(|op| op.get_mut("responses")).and_then(Value::as_object_mut) else {
                continue;
            };
            let success = |code: &String| code.starts_with('2');
            let json = responses
                .iter()
                .filter(|(code, _)| success(code))
                .find_map(|(_, r)| r.pointer("/content/application~1json/schema").cloned());
            let empty = responses.iter().any(|(code, r)| success(code) && r.get("content").is_none());
            let (Some(schema), true) = (json, empty) else { continue };
            let nullable = json!({ "allOf": [schema], "nullable": true });
            for (code, response) in responses.iter_mut() {
                if success(code) {
                    response["content"] = json!({ "application/json": { "schema": nullable.clone() } });
                }
            }
        }
    }
}

/// typify turns a string `pattern` into a validating newtype that needs a regex engine at run
/// time and makes callers build values through `TryFrom`. MOCO checks these formats itself (and
/// answers 422), so the generator's copy leaves them out; the spec keeps them for other tools.
fn drop_string_patterns(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.get("type") == Some(&json!("string")) && map.get("pattern").is_some_and(Value::is_string) {
                map.remove("pattern");
            }
            map.values_mut().for_each(drop_string_patterns);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_string_patterns),
        _ => {}
    }
}
