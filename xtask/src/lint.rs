//! The spec lint: what every change to `openapi/moco.yaml` must keep true.
//!
//! 1. The document is OpenAPI 3.0.x: it validates against the OpenAPI Initiative's schema
//!    (`schemas/openapi-3.0.schema.json`) and parses as `openapiv3::OpenAPI`.
//! 2. Every operation has an operationId (unique), a declared tag and a summary, a 2xx response,
//!    and a path parameter for every `{placeholder}` of its path.
//! 3. Every example (schemas, parameters, request and response bodies) validates against its
//!    schema, with formats (`date`, `date-time`, `uuid`) checked.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

const OPENAPI_30_SCHEMA: &str = include_str!("../schemas/openapi-3.0.schema.json");
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

#[derive(Debug, Default)]
pub struct Report {
    pub problems: Vec<String>,
    pub operations: usize,
    pub schemas: usize,
    pub examples: usize,
}

pub fn lint(text: &str) -> Report {
    let mut report = Report::default();
    let doc: Value = match serde_norway::from_str(text) {
        Ok(doc) => doc,
        Err(e) => {
            report.problems.push(format!("not YAML: {e}"));
            return report;
        }
    };
    let version = doc.get("openapi").and_then(Value::as_str).unwrap_or("");
    if !version.starts_with("3.0.") {
        report.problems.push(format!("openapi is {version:?}; the generator needs 3.0.x"));
        return report;
    }
    check_against_openapi_schema(&doc, &mut report);
    if let Err(e) = serde_json::from_value::<openapiv3::OpenAPI>(doc.clone()) {
        report.problems.push(format!("not an OpenAPI 3.0 document: {e}"));
    }
    check_operations(&doc, &mut report);
    check_examples(&doc, &mut report);
    report
}

fn check_against_openapi_schema(doc: &Value, report: &mut Report) {
    let schema: Value = serde_json::from_str(OPENAPI_30_SCHEMA).expect("bundled schema is JSON");
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&schema)
        .expect("bundled schema compiles");
    for error in validator.iter_errors(doc).take(20) {
        report.problems.push(format!("invalid OpenAPI 3.0 at {}: {}", error.instance_path(), shorten(&error.to_string())));
    }
}

fn check_operations(doc: &Value, report: &mut Report) {
    let declared_tags: BTreeSet<&str> = doc["tags"]
        .as_array()
        .map(|tags| tags.iter().filter_map(|t| t["name"].as_str()).collect())
        .unwrap_or_default();
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let Some(paths) = doc["paths"].as_object() else { return };
    for (path, item) in paths {
        let shared_params = item.get("parameters");
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            report.operations += 1;
            let at = format!("{} {path}", method.to_uppercase());
            match op["operationId"].as_str() {
                None | Some("") => report.problems.push(format!("{at}: no operationId")),
                Some(id) => {
                    if let Some(first) = ids.insert(id.to_string(), at.clone()) {
                        report.problems.push(format!("{at}: operationId {id} is also used by {first}"));
                    }
                }
            }
            match op["tags"].as_array().filter(|t| !t.is_empty()) {
                None => report.problems.push(format!("{at}: no tag")),
                Some(tags) => {
                    for tag in tags.iter().filter_map(Value::as_str) {
                        if !declared_tags.contains(tag) {
                            report.problems.push(format!("{at}: tag {tag:?} is not declared in the top-level tags"));
                        }
                    }
                }
            }
            if op["summary"].as_str().is_none_or(|s| s.trim().is_empty()) {
                report.problems.push(format!("{at}: no summary"));
            }
            let has_success = op["responses"].as_object().is_some_and(|r| r.keys().any(|code| code.starts_with('2')));
            if !has_success {
                report.problems.push(format!("{at}: no 2xx response"));
            }
            let path_params: BTreeSet<String> = [shared_params, op.get("parameters")]
                .into_iter()
                .flatten()
                .filter_map(Value::as_array)
                .flatten()
                .map(|p| resolve(doc, p))
                .filter(|p| p["in"] == "path")
                .filter_map(|p| p["name"].as_str().map(str::to_string))
                .collect();
            for placeholder in placeholders(path) {
                if !path_params.contains(&placeholder) {
                    report.problems.push(format!("{at}: no path parameter for {{{placeholder}}}"));
                }
            }
        }
    }
}

fn placeholders(path: &str) -> Vec<String> {
    path.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string())).collect()
}

fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
        Some(pointer) => doc.pointer(pointer).unwrap_or(&Value::Null),
        None => value,
    }
}

fn check_examples(doc: &Value, report: &mut Report) {
    let schemas = doc["components"]["schemas"].as_object().cloned().unwrap_or_default();
    report.schemas = schemas.len();
    let defs: Map<String, Value> = schemas.iter().map(|(name, s)| (name.clone(), to_json_schema(s))).collect();
    let check = |at: String, schema: &Value, example: &Value, report: &mut Report| {
        report.examples += 1;
        let mut root = to_json_schema(schema);
        if let Some(obj) = root.as_object_mut() {
            obj.insert("$defs".into(), Value::Object(defs.clone()));
        } else {
            root = json!({ "allOf": [root], "$defs": defs });
        }
        let validator = match jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(&root)
        {
            Ok(v) => v,
            Err(e) => {
                report.problems.push(format!("{at}: schema does not compile: {e}"));
                return;
            }
        };
        for error in validator.iter_errors(example).take(5) {
            report.problems.push(format!("example of {at} at {}: {}", error.instance_path(), shorten(&error.to_string())));
        }
    };
    for (name, schema) in &schemas {
        match schema.get("example") {
            Some(example) => check(format!("schema {name}"), schema, example, report),
            None => report.problems.push(format!("schema {name}: no example")),
        }
    }
    for (name, param) in doc["components"]["parameters"].as_object().into_iter().flatten() {
        if let (Some(example), Some(schema)) = (param.get("example"), param.get("schema")) {
            check(format!("parameter {name}"), schema, example, report);
        }
    }
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let at = format!("{} {path}", method.to_uppercase());
            for param in op["parameters"].as_array().into_iter().flatten() {
                if let (Some(example), Some(schema)) = (param.get("example"), param.get("schema")) {
                    check(format!("{at} parameter {}", param["name"]), schema, example, report);
                }
            }
            for (media, content) in op["requestBody"]["content"].as_object().into_iter().flatten() {
                if let (Some(example), Some(schema)) = (content.get("example"), content.get("schema")) {
                    check(format!("{at} request {media}"), schema, example, report);
                }
            }
            for (code, response) in op["responses"].as_object().into_iter().flatten() {
                let response = resolve(doc, response);
                for (media, content) in response["content"].as_object().into_iter().flatten() {
                    if let (Some(example), Some(schema)) = (content.get("example"), content.get("schema")) {
                        check(format!("{at} response {code} {media}"), schema, example, report);
                    }
                }
            }
        }
    }
}

/// OpenAPI 3.0 schema object → JSON Schema 2020-12: `nullable` becomes a `null` alternative,
/// component references point into `$defs`, OpenAPI-only keywords are dropped.
fn to_json_schema(schema: &Value) -> Value {
    match schema {
        Value::Array(items) => Value::Array(items.iter().map(to_json_schema).collect()),
        Value::Object(obj) => {
            if let Some(reference) = obj.get("$ref").and_then(Value::as_str) {
                return json!({ "$ref": reference.replace("#/components/schemas/", "#/$defs/") });
            }
            let mut out = Map::new();
            for (key, value) in obj {
                match key.as_str() {
                    "example" | "examples" | "nullable" | "discriminator" | "xml" | "externalDocs" | "readOnly"
                    | "writeOnly" | "deprecated" => {}
                    k if k.starts_with("x-") => {}
                    // Maps keyed by names: convert the values, not the keys.
                    "properties" => {
                        let props = value.as_object().map(|p| {
                            p.iter().map(|(name, s)| (name.clone(), to_json_schema(s))).collect::<Map<_, _>>()
                        });
                        out.insert(key.clone(), Value::Object(props.unwrap_or_default()));
                    }
                    "description" | "title" | "enum" | "default" | "required" | "format" | "pattern" | "type" => {
                        out.insert(key.clone(), value.clone());
                    }
                    _ => {
                        out.insert(key.clone(), to_json_schema(value));
                    }
                }
            }
            if obj.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::Array(values)) = out.get_mut("enum") {
                    values.push(Value::Null);
                }
                return json!({ "anyOf": [{ "type": "null" }, Value::Object(out)] });
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

fn shorten(text: &str) -> String {
    let mut short: String = text.chars().take(300).collect();
    if text.chars().count() > 300 {
        short.push('…');
    }
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r##"
openapi: 3.0.3
info: {title: t, version: v1}
tags: [{name: Things}]
paths:
  /things/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
    get:
      operationId: get_thing
      tags: [Things]
      summary: Get a thing
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
              example: {id: 1, day: '2020-01-31', note: null}
components:
  schemas:
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: integer}
        day: {type: string, format: date}
        note: {type: string, nullable: true}
      example: {id: 2, day: '2021-12-01'}
"##;

    fn problems(spec: &str) -> Vec<String> {
        lint(spec).problems
    }

    #[test]
    fn a_good_spec_passes() {
        let report = lint(GOOD);
        assert_eq!(report.problems, Vec::<String>::new());
        assert_eq!((report.operations, report.schemas, report.examples), (1, 1, 2));
    }

    #[test]
    fn openapi_31_is_refused() {
        let found = problems(&GOOD.replace("openapi: 3.0.3", "openapi: 3.1.0"));
        assert!(found[0].contains("3.0.x"), "{found:?}");
    }

    #[test]
    fn structural_errors_are_found() {
        let found = problems(&GOOD.replace("info: {title: t, version: v1}", "info: {title: t}"));
        assert!(found.iter().any(|p| p.contains("invalid OpenAPI 3.0")), "{found:?}");
    }

    #[test]
    fn missing_operation_fields_are_found() {
        let spec = GOOD.replace("      operationId: get_thing\n", "").replace("      summary: Get a thing\n", "");
        let found = problems(&spec);
        assert!(found.iter().any(|p| p == "GET /things/{id}: no operationId"), "{found:?}");
        assert!(found.iter().any(|p| p == "GET /things/{id}: no summary"), "{found:?}");
        let found = problems(&GOOD.replace("tags: [Things]", "tags: [Other]"));
        assert!(found.iter().any(|p| p.contains("tag \"Other\" is not declared")), "{found:?}");
    }

    #[test]
    fn duplicate_operation_ids_are_found() {
        let spec = GOOD.replace(
            "components:",
            "  /others:\n    get:\n      operationId: get_thing\n      tags: [Things]\n      summary: s\n      responses: {'200': {description: ok}}\ncomponents:",
        );
        let found = problems(&spec);
        assert!(found.iter().any(|p| p.contains("operationId get_thing is also used by GET ")), "{found:?}");
    }

    #[test]
    fn an_undeclared_path_parameter_is_found() {
        let found = problems(&GOOD.replace("{name: id, in: path", "{name: thing_id, in: path"));
        assert!(found.iter().any(|p| p.contains("no path parameter for {id}")), "{found:?}");
    }

    #[test]
    fn examples_that_do_not_fit_their_schema_are_found() {
        let found = problems(&GOOD.replace("example: {id: 2, day: '2021-12-01'}", "example: {id: 'two', day: '2021-12-01'}"));
        assert!(found.iter().any(|p| p.starts_with("example of schema Thing at /id")), "{found:?}");
        let found = problems(&GOOD.replace("day: '2020-01-31'", "day: '31.01.2020'"));
        assert!(found.iter().any(|p| p.starts_with("example of GET /things/{id} response 200")), "{found:?}");
        let found = problems(&GOOD.replace("note: null}", "note: 5}"));
        assert!(found.iter().any(|p| p.contains("/note")), "{found:?}");
    }

    #[test]
    fn a_schema_without_example_is_found() {
        let found = problems(&GOOD.replace("      example: {id: 2, day: '2021-12-01'}\n", ""));
        assert!(found.iter().any(|p| p == "schema Thing: no example"), "{found:?}");
    }
}
