//! The spec lint: what every change to `openapi/moco.yaml` must keep true.
//!
//! 1. The document is OpenAPI 3.0.x: it validates against the OpenAPI Initiative's schema
//!    (`schemas/openapi-3.0.schema.json`) and parses as `openapiv3::OpenAPI`.
//! 2. Every operation has an operationId (unique), a declared tag and a summary, a 2xx response,
//!    and a path parameter for every `{placeholder}` of its path.
//! 3. `nullable` only stands beside a `type` in the same schema object (OpenAPI 3.0.3: elsewhere
//!    it has no effect, and strict tools ignore or reject it); a finding names the schema path.
//! 4. Every example (schemas, parameters, request and response bodies, named media examples)
//!    validates against its schema, with formats (`date`, `date-time`, `uuid`) checked, under the
//!    same strict semantics as openapi-schema-validator's `OAS30Validator`: `null` is accepted only
//!    by a schema object whose `type` has `nullable: true` beside it (and, for an `enum`, only if
//!    `null` is one of its values), or through an `anyOf`/`oneOf` branch that accepts it.

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
    check_nullable(&doc, &mut report);
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

/// Every schema of the document, named by where it sits (`schema Project`, `parameter PerPage`,
/// `GET /projects response 200 application/json`, ...).
fn schema_roots(doc: &Value) -> Vec<(String, &Value)> {
    fn media<'a>(at: &str, holder: &'a Value, roots: &mut Vec<(String, &'a Value)>) {
        for (media, content) in holder["content"].as_object().into_iter().flatten() {
            if let Some(schema) = content.get("schema") {
                roots.push((format!("{at} {media}"), schema));
            }
        }
    }
    fn headers<'a>(at: &str, holder: &'a Value, roots: &mut Vec<(String, &'a Value)>) {
        for (name, header) in holder["headers"].as_object().into_iter().flatten() {
            if let Some(schema) = header.get("schema") {
                roots.push((format!("{at} header {name}"), schema));
            }
        }
    }
    fn parameters<'a>(at: &str, holder: &'a Value, roots: &mut Vec<(String, &'a Value)>) {
        for param in holder["parameters"].as_array().into_iter().flatten() {
            if let Some(schema) = param.get("schema") {
                roots.push((format!("{at} parameter {}", param["name"].as_str().unwrap_or("?")), schema));
            }
        }
    }
    let mut roots = Vec::new();
    let components = &doc["components"];
    for (name, schema) in components["schemas"].as_object().into_iter().flatten() {
        roots.push((format!("schema {name}"), schema));
    }
    for (name, param) in components["parameters"].as_object().into_iter().flatten() {
        if let Some(schema) = param.get("schema") {
            roots.push((format!("parameter {name}"), schema));
        }
    }
    for (name, header) in components["headers"].as_object().into_iter().flatten() {
        if let Some(schema) = header.get("schema") {
            roots.push((format!("header {name}"), schema));
        }
    }
    for (name, response) in components["responses"].as_object().into_iter().flatten() {
        media(&format!("response {name}"), response, &mut roots);
        headers(&format!("response {name}"), response, &mut roots);
    }
    for (name, body) in components["requestBodies"].as_object().into_iter().flatten() {
        media(&format!("request body {name}"), body, &mut roots);
    }
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        parameters(path, item, &mut roots);
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let at = format!("{} {path}", method.to_uppercase());
            parameters(&at, op, &mut roots);
            media(&format!("{at} request"), &op["requestBody"], &mut roots);
            for (code, response) in op["responses"].as_object().into_iter().flatten() {
                media(&format!("{at} response {code}"), response, &mut roots);
                headers(&format!("{at} response {code}"), response, &mut roots);
            }
        }
    }
    roots
}

/// OpenAPI 3.0.3: "`nullable: true` … has no effect unless `type` is present in the same Schema
/// Object". Next to a `$ref`, an `allOf` or nothing, strict tools ignore it (and Redocly and Spectral
/// stop checking examples), so such a schema is a finding, named by its path.
fn check_nullable(doc: &Value, report: &mut Report) {
    fn walk(schema: &Value, at: &str, report: &mut Report) {
        let Some(obj) = schema.as_object() else { return };
        if obj.contains_key("nullable") && !obj.contains_key("type") {
            report.problems.push(format!(
                "{at}: `nullable` without `type` beside it has no effect in OpenAPI 3.0.3; write `type: X` + \
                 `nullable: true`, or `anyOf: [{{$ref: ...}}, {{type: object, nullable: true, enum: [null]}}]`"
            ));
        }
        for (name, property) in obj.get("properties").and_then(Value::as_object).into_iter().flatten() {
            walk(property, &format!("{at}.{name}"), report);
        }
        if let Some(items) = obj.get("items") {
            walk(items, &format!("{at}[]"), report);
        }
        if let Some(additional) = obj.get("additionalProperties") {
            walk(additional, &format!("{at}.*"), report);
        }
        if let Some(not) = obj.get("not") {
            walk(not, &format!("{at}.not"), report);
        }
        for keyword in ["allOf", "anyOf", "oneOf"] {
            for (i, branch) in obj.get(keyword).and_then(Value::as_array).into_iter().flatten().enumerate() {
                walk(branch, &format!("{at}.{keyword}[{i}]"), report);
            }
        }
    }
    for (at, schema) in schema_roots(doc) {
        walk(schema, &at, report);
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
            for (media, content) in resolve(doc, &op["requestBody"])["content"].as_object().into_iter().flatten() {
                let Some(schema) = content.get("schema") else { continue };
                for (name, example) in media_examples(doc, content) {
                    check(format!("{at} request {media}{name}"), schema, example, report);
                }
            }
            for (code, response) in op["responses"].as_object().into_iter().flatten() {
                let response = resolve(doc, response);
                for (media, content) in response["content"].as_object().into_iter().flatten() {
                    let Some(schema) = content.get("schema") else { continue };
                    for (name, example) in media_examples(doc, content) {
                        check(format!("{at} response {code} {media}{name}"), schema, example, report);
                    }
                }
            }
        }
    }
}

/// A media type's `example` and the values of its named `examples` (which may be references to
/// `components/examples`), with a label for each named one.
fn media_examples<'a>(doc: &'a Value, content: &'a Value) -> Vec<(String, &'a Value)> {
    let mut found: Vec<(String, &Value)> = content.get("example").map(|e| (String::new(), e)).into_iter().collect();
    for (name, example) in content["examples"].as_object().into_iter().flatten() {
        if let Some(value) = resolve(doc, example).get("value") {
            found.push((format!(" example {name}"), value));
        }
    }
    found
}

/// OpenAPI 3.0 schema object → JSON Schema 2020-12 with OpenAPI 3.0.3's strict `nullable`:
/// `type: X` + `nullable: true` becomes `type: [X, "null"]` (an `enum` beside it is kept as it is,
/// so it only admits `null` if it lists it); `nullable` without `type` is ignored, as the standard
/// says (and reported by `check_nullable`). Component references point into `$defs`, OpenAPI-only
/// keywords are dropped.
fn to_json_schema(schema: &Value) -> Value {
    match schema {
        Value::Array(items) => Value::Array(items.iter().map(to_json_schema).collect()),
        Value::Object(obj) => {
            if let Some(reference) = obj.get("$ref").and_then(Value::as_str) {
                return json!({ "$ref": reference.replace("#/components/schemas/", "#/$defs/") });
            }
            let nullable = obj.get("nullable") == Some(&Value::Bool(true));
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
                    "type" => {
                        let value = match value {
                            Value::String(name) if nullable => json!([name, "null"]),
                            other => other.clone(),
                        };
                        out.insert(key.clone(), value);
                    }
                    "description" | "title" | "enum" | "default" | "required" | "format" | "pattern" => {
                        out.insert(key.clone(), value.clone());
                    }
                    _ => {
                        out.insert(key.clone(), to_json_schema(value));
                    }
                }
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

    /// GOOD with one more property on `Thing` and that property's value in the response example.
    fn with_property(property: &str, value: &str) -> String {
        GOOD.replace(
            "        note: {type: string, nullable: true}\n",
            &format!("        note: {{type: string, nullable: true}}\n        {property}\n"),
        )
        .replace("note: null}", &format!("note: null, {value}}}"))
    }

    #[test]
    fn a_loose_nullable_reference_is_found_with_the_schema_name() {
        // `allOf: [$ref]` + `nullable`: no `type` beside it, so OpenAPI 3.0.3 ignores the `nullable`
        // and a strict validator rejects the docs' `null`.
        let found = problems(&with_property(
            "parent: {allOf: [{$ref: '#/components/schemas/Thing'}], nullable: true}",
            "parent: null",
        ));
        assert!(found.iter().any(|p| p.starts_with("schema Thing.parent: `nullable` without `type`")), "{found:?}");
        assert!(
            found.iter().any(|p| p.starts_with("example of GET /things/{id} response 200 application/json at /parent")),
            "{found:?}"
        );
    }

    #[test]
    fn the_strict_nullable_reference_passes() {
        let spec = with_property(
            "parent: {anyOf: [{$ref: '#/components/schemas/Thing'}, {type: object, nullable: true, enum: [null]}]}",
            "parent: null",
        );
        assert_eq!(problems(&spec), Vec::<String>::new());
        let spec = spec.replace("parent: null", "parent: {id: 7}");
        assert_eq!(problems(&spec), Vec::<String>::new());
        let found = problems(&spec.replace("parent: {id: 7}", "parent: {id: 'seven'}"));
        assert!(found.iter().any(|p| p.contains("at /parent")), "{found:?}");
    }

    #[test]
    fn nullable_without_type_is_found_wherever_a_schema_is() {
        let spec = with_property("extra: {description: anything, nullable: true}", "extra: 1")
            .replace("schema: {$ref: '#/components/schemas/Thing'}", "schema: {$ref: '#/components/schemas/Thing', nullable: true}")
            .replace(
                "{name: id, in: path, required: true, schema: {type: integer}}",
                "{name: id, in: path, required: true, schema: {oneOf: [{type: integer}, {nullable: true}]}}",
            );
        let found: Vec<String> = problems(&spec).into_iter().filter(|p| p.contains("`nullable` without `type`")).collect();
        let places: Vec<&str> = found.iter().filter_map(|p| p.split(": `nullable`").next()).collect();
        assert_eq!(
            places,
            ["schema Thing.extra", "/things/{id} parameter id.oneOf[1]", "GET /things/{id} response 200 application/json"],
            "{found:?}"
        );
    }

    #[test]
    fn null_is_accepted_only_where_a_typed_schema_is_nullable() {
        // Not nullable: null is refused.
        let found = problems(&GOOD.replace("note: {type: string, nullable: true}", "note: {type: string}"));
        assert!(found.iter().any(|p| p.contains("response 200 application/json at /note")), "{found:?}");
        // A nullable enum admits null only if it lists it (OpenAPI 3.0.3's clarification).
        let found = problems(&GOOD.replace("note: {type: string, nullable: true}", "note: {type: string, nullable: true, enum: [a, b]}"));
        assert!(found.iter().any(|p| p.contains("at /note")), "{found:?}");
        let spec = GOOD.replace("note: {type: string, nullable: true}", "note: {type: string, nullable: true, enum: [a, b, null]}");
        assert_eq!(problems(&spec), Vec::<String>::new());
        // An open enum: an anyOf branch with a nullable type admits null and unknown values.
        let open = "note: {anyOf: [{type: string, enum: [a, b]}, {type: string, nullable: true}]}";
        let spec = GOOD.replace("note: {type: string, nullable: true}", open);
        assert_eq!(problems(&spec), Vec::<String>::new());
        assert_eq!(problems(&spec.replace("note: null}", "note: c}")), Vec::<String>::new());
        // A nullable branch inside allOf does not make the whole schema nullable.
        let found = problems(&GOOD.replace(
            "note: {type: string, nullable: true}",
            "note: {allOf: [{type: string, nullable: true}, {type: string, minLength: 1}]}",
        ));
        assert!(found.iter().any(|p| p.contains("at /note")), "{found:?}");
    }

    #[test]
    fn named_media_examples_are_checked() {
        let spec = GOOD.replace(
            "              example: {id: 1, day: '2020-01-31', note: null}\n",
            "              examples:\n                bad: {value: {id: 'one'}}\n",
        );
        let found = problems(&spec);
        assert!(found.iter().any(|p| p.starts_with("example of GET /things/{id} response 200 application/json example bad at /id")), "{found:?}");
    }

    #[test]
    fn a_schema_without_example_is_found() {
        let found = problems(&GOOD.replace("      example: {id: 2, day: '2021-12-01'}\n", ""));
        assert!(found.iter().any(|p| p == "schema Thing: no example"), "{found:?}");
    }
}
