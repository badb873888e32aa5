//! Real answers (openapi/CONVENTIONS.md, "Real answers"): every response example of the spec,
//! rewritten the ways MOCO's servers write answers, decodes into its generated type and means
//! the same as the example itself. The variants are derived from the spec, as `with_nulls` in
//! tests/api does, so a new field or operation is covered without a line here:
//!
//! - `integers as floats` / `integers as strings`: every integer (ids, counts, numeric codes,
//!   lists of ids) as `N.0` / `"N"`;
//! - `decimals as strings` / `decimals as numbers`: every `format: decimal` value in the form
//!   the example does not use;
//! - `empty dates`: every nullable date and timestamp as `""`;
//! - `empty objects`: every nullable nested object as `{}`.
//!
//! The tests at the end check that data outside these forms is still a `Decode` error.

#[path = "properties/harness.rs"]
mod harness;

use std::{collections::BTreeMap, sync::OnceLock};

use harness::RESPONSE_TYPES;
use serde_json::{json, Map, Value};

fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/moco.yaml")).unwrap();
        serde_norway::from_str(&text).unwrap()
    })
}

fn resolve(schema: &Value) -> &Value {
    let mut schema = schema;
    while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap();
        schema = &spec()["components"]["schemas"][name];
    }
    schema
}

/// The schema and its `anyOf`/`oneOf`/`allOf` branches, resolved, recursively.
fn branches(schema: &Value) -> Vec<&Value> {
    let schema = resolve(schema);
    let mut all = vec![schema];
    for keyword in ["anyOf", "oneOf", "allOf"] {
        for branch in schema[keyword].as_array().into_iter().flatten() {
            all.extend(branches(branch));
        }
    }
    all
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    IntegersAsFloats,
    IntegersAsStrings,
    DecimalsAsStrings,
    DecimalsAsNumbers,
    EmptyDates,
    EmptyObjects,
}

const CLASSES: [Class; 6] = [
    Class::IntegersAsFloats,
    Class::IntegersAsStrings,
    Class::DecimalsAsStrings,
    Class::DecimalsAsNumbers,
    Class::EmptyDates,
    Class::EmptyObjects,
];

/// `value` (valid for `schema`) rewritten in `class`'s form, and the value it must mean (the
/// example itself, or with the emptied fields null). Counts the rewritten places.
fn variant(schema: &Value, value: &Value, class: Class, changed: &mut usize) -> (Value, Value) {
    let all = branches(schema);
    let has = |test: &dyn Fn(&Value) -> bool| all.iter().any(|b| test(b));
    match class {
        Class::EmptyDates if has(&|b| b["maxLength"] == json!(0)) => {
            *changed += 1;
            return (json!(""), Value::Null);
        }
        Class::EmptyObjects if has(&|b| b["maxProperties"] == json!(0)) => {
            *changed += 1;
            // For a map (custom field values) `{}` is the empty map, for an object absence.
            let map = has(&|b| b.get("additionalProperties").is_some()) && !has(&|b| b.get("properties").is_some());
            return (json!({}), if map { json!({}) } else { Value::Null });
        }
        _ => {}
    }
    let integer = has(&|b| b["type"] == "integer");
    let decimal = has(&|b| b["format"] == "decimal");
    match (value, class) {
        (Value::Number(n), Class::IntegersAsFloats) if integer && n.is_i64() => {
            *changed += 1;
            (json!(n.as_i64().unwrap() as f64), value.clone())
        }
        (Value::Number(n), Class::IntegersAsStrings) if integer && n.is_i64() => {
            *changed += 1;
            (json!(n.to_string()), value.clone())
        }
        (Value::Number(n), Class::DecimalsAsStrings) if decimal => {
            *changed += 1;
            (json!(n.to_string()), value.clone())
        }
        (Value::String(s), Class::DecimalsAsNumbers) if decimal => {
            *changed += 1;
            (serde_json::from_str::<Value>(s).unwrap_or_else(|_| panic!("decimal example {s:?} is not a number")), value.clone())
        }
        (Value::Object(object), _) => {
            let (mut out, mut expected) = (Map::new(), Map::new());
            for (key, field) in object {
                let property = all.iter().find_map(|b| b["properties"].get(key));
                let (v, e) = match property {
                    Some(property) => variant(property, field, class, changed),
                    None => (field.clone(), field.clone()),
                };
                out.insert(key.clone(), v);
                expected.insert(key.clone(), e);
            }
            (Value::Object(out), Value::Object(expected))
        }
        (Value::Array(items), _) => {
            let item_schema = all.iter().find_map(|b| b.get("items")).cloned().unwrap_or(Value::Null);
            let (out, expected) = items.iter().map(|item| variant(&item_schema, item, class, changed)).unzip();
            (Value::Array(out), Value::Array(expected))
        }
        _ => (value.clone(), value.clone()),
    }
}

/// Every operation's 2xx JSON response example, with the name of its `RESPONSE_TYPES` entry
/// and whether the body is a list of it.
fn response_examples() -> Vec<(String, Value, &'static str, bool, Value)> {
    let mut found = Vec::new();
    for item in spec()["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values().filter(|op| op.get("responses").is_some()) {
            let id = op["operationId"].as_str().unwrap();
            for (code, response) in op["responses"].as_object().unwrap() {
                let Some(media) = response.pointer("/content/application~1json").filter(|_| code.starts_with('2')) else { continue };
                let schema = &media["schema"];
                let (target, list) = match (schema.get("$ref"), schema["items"].get("$ref")) {
                    (Some(r), _) => (r.as_str().unwrap().rsplit('/').next().unwrap().to_string(), false),
                    (None, Some(r)) => (r.as_str().unwrap().rsplit('/').next().unwrap().to_string(), true),
                    (None, None) => (format!("{id}[]"), true),
                };
                let entry =
                    RESPONSE_TYPES.iter().find(|r| r.schema == target).unwrap_or_else(|| panic!("{id}: no response type for {target}"));
                let example = match media.get("example") {
                    Some(example) => example.clone(),
                    None => {
                        let item = resolve(if list { &schema["items"] } else { schema })["example"].clone();
                        if item.is_null() {
                            continue;
                        }
                        if list {
                            json!([item])
                        } else {
                            item
                        }
                    }
                };
                found.push((format!("{id} {code}"), schema.clone(), entry.schema, list, example));
            }
        }
    }
    found
}

/// Decodes `body` as the response type (each item of a list) and re-encodes it.
fn decode(entry: &str, list: bool, body: &Value) -> Result<Value, String> {
    let response = RESPONSE_TYPES.iter().find(|r| r.schema == entry).unwrap();
    let decode_one = |value: &Value| (response.reencode)(&serde_json::to_vec(value).unwrap());
    if list {
        body.as_array().ok_or("not a list")?.iter().map(decode_one).collect::<Result<Vec<_>, _>>().map(Value::Array)
    } else {
        decode_one(body)
    }
}

/// Equal as JSON, with numbers compared by value (`20` and `20.0`, `"17999.00"` and `"17999.0"`);
/// a code that is a string or a number (`cost_category`) may keep the form it came in (`"99"`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::String(x), Value::Number(y)) | (Value::Number(y), Value::String(x)) => x.parse::<f64>().ok() == y.as_f64(),
        // A decimal written back as text keeps the places it was read with (`"17999.0"`).
        (Value::String(x), Value::String(y)) if x != y => x.parse::<f64>().is_ok_and(|x| y.parse::<f64>().ok() == Some(x)),
        (Value::Object(x), Value::Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w))),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same(v, w)),
        _ => a == b,
    }
}

#[test]
fn every_response_example_decodes_in_every_real_world_form() {
    let examples = response_examples();
    assert!(examples.len() > 200, "only {} response examples found", examples.len());
    let mut counts: BTreeMap<Class, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for (operation, schema, entry, list, example) in &examples {
        for class in CLASSES {
            let mut changed = 0;
            let (rewritten, meaning) = variant(schema, example, class, &mut changed);
            if changed == 0 {
                continue;
            }
            let count = counts.entry(class).or_default();
            count.0 += 1;
            count.1 += changed;
            match (decode(entry, *list, &rewritten), decode(entry, *list, &meaning)) {
                (Ok(got), Ok(want)) if same(&got, &want) => {}
                (Ok(got), Ok(want)) => failures.push(format!("{operation} [{class:?}]: decodes to\n  {got}\nnot\n  {want}")),
                (Err(e), _) => failures.push(format!("{operation} [{class:?}]: {e}\n  {rewritten}")),
                (_, Err(e)) => failures.push(format!("{operation} [{class:?}] (the example with absent values): {e}")),
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    // Each class rewrote something in many operations: a walk that stopped finding fields fails.
    for class in CLASSES {
        let (operations, places) = counts.get(&class).copied().unwrap_or_default();
        eprintln!("{class:?}: {operations} operations, {places} values");
        let minimum = if class == Class::DecimalsAsNumbers { 3 } else { 40 };
        assert!(operations >= minimum, "{class:?} changed only {operations} operations' examples");
    }
}

/// What stays an error: the forms above and nothing else.
#[test]
fn data_outside_the_real_world_forms_is_still_an_error() {
    let project = RESPONSE_TYPES.iter().find(|r| r.schema == "Project").unwrap();
    let example = resolve(&json!({"$ref": "#/components/schemas/Project"}))["example"].clone();
    let with = |pointer: &str, value: Value| {
        let mut body = example.clone();
        *body.pointer_mut(pointer).unwrap_or_else(|| panic!("no {pointer}")) = value;
        (project.reencode)(&serde_json::to_vec(&body).unwrap())
    };
    assert!(with("/id", json!(12.0)).is_ok() && with("/id", json!("12")).is_ok());
    for (pointer, value, message) in [
        ("/id", json!(12.5), "expected an integer"),
        ("/id", json!("twelve"), "expected an integer"),
        ("/budget", json!("lots"), "expected a decimal"),
        ("/budget", json!({"amount": 1}), "expected a decimal"),
        ("/start_date", json!("next week"), "expected an ISO 8601 date"),
        ("/created_at", json!("yesterday"), "expected an ISO 8601 date"),
        ("/leader", json!("Jane"), "expected struct UserRef"),
        ("/leader", json!([]), "expected struct UserRef"),
        ("/leader", json!({"id": 1.5}), "expected an integer"),
    ] {
        let error = with(pointer, value.clone()).expect_err(&format!("{pointer} = {value} decoded"));
        assert!(error.contains(message), "{pointer} = {value}: {error}");
    }
}
