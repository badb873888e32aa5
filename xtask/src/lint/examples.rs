//! Rule `examples`: every component schema and every request body has an example, and every
//! example (schemas, parameters, request and response bodies, named media examples) validates
//! against its schema with formats (`date`, `date-time`, `uuid`) checked, under the same strict
//! semantics as openapi-schema-validator's `OAS30Validator`: `null` is accepted only by a schema
//! object whose `type` has `nullable: true` beside it (and, for an `enum`, only if `null` is one
//! of its values), or through an `anyOf`/`oneOf` branch that accepts it.

use serde_json::{json, Map, Value};

use super::{shorten, Findings, Seg, Spec};

pub(super) struct Counts {
    pub schemas: usize,
    pub examples: usize,
}

pub(super) fn check(spec: &Spec, out: &mut Findings) -> Counts {
    let schemas = spec.doc["components"]["schemas"].as_object().cloned().unwrap_or_default();
    let defs: Map<String, Value> = schemas.iter().map(|(name, s)| (name.clone(), to_json_schema(s))).collect();
    let mut examples = 0;
    let mut check = |at: String, line: Option<usize>, schema: &Value, example: &Value, out: &mut Findings| {
        examples += 1;
        let mut root = to_json_schema(schema);
        if let Some(obj) = root.as_object_mut() {
            obj.insert("$defs".into(), Value::Object(defs.clone()));
        } else {
            root = json!({ "allOf": [root], "$defs": defs });
        }
        let validator = match jsonschema::options().with_draft(jsonschema::Draft::Draft202012).should_validate_formats(true).build(&root) {
            Ok(v) => v,
            Err(e) => {
                out.add("examples", at, line, format!("schema does not compile: {e}"));
                return;
            }
        };
        for error in validator.iter_errors(example).take(5) {
            out.add("examples", format!("example of {at}"), line, format!("at {}: {}", error.instance_path(), shorten(&error.to_string())));
        }
    };
    for (name, schema) in &schemas {
        match schema.get("example") {
            Some(example) => check(format!("schema {name}"), spec.component_line("schemas", name, &["example"]), schema, example, out),
            None => out.add("examples", format!("schema {name}"), spec.component_line("schemas", name, &[]), "no example"),
        }
    }
    for (name, param) in spec.doc["components"]["parameters"].as_object().into_iter().flatten() {
        if let (Some(example), Some(schema)) = (param.get("example"), param.get("schema")) {
            check(format!("parameter {name}"), spec.component_line("parameters", name, &["example"]), schema, example, out);
        }
    }
    for (path, item) in spec.doc["paths"].as_object().into_iter().flatten() {
        for param in item["parameters"].as_array().into_iter().flatten() {
            if let (Some(example), Some(schema)) = (param.get("example"), param.get("schema")) {
                let name = param["name"].as_str().unwrap_or("?");
                let line = spec.line(&[
                    Seg::Key("paths".into()),
                    Seg::Key(path.clone()),
                    Seg::Key("parameters".into()),
                    Seg::Item("name".into(), name.into()),
                ]);
                check(format!("{path} parameter {name}"), line, schema, example, out);
            }
        }
    }
    for op in &spec.operations {
        let at = op.name();
        for param in op.op["parameters"].as_array().into_iter().flatten() {
            if let (Some(example), Some(schema)) = (param.get("example"), param.get("schema")) {
                let name = param["name"].as_str().unwrap_or("?");
                let mut path = op.segs();
                path.extend([Seg::Key("parameters".into()), Seg::Item("name".into(), name.into())]);
                check(format!("{at} parameter {name}"), spec.line(&path), schema, example, out);
            }
        }
        let body = spec.resolve(&op.op["requestBody"]);
        for (media, content) in body["content"].as_object().into_iter().flatten() {
            let line = spec.op_line(op, &["requestBody", "content", media]);
            let Some(schema) = content.get("schema") else { continue };
            let found = media_examples(spec, content);
            if found.is_empty() && spec.resolve(schema).get("example").is_none() {
                out.add(
                    "examples",
                    format!("{at} request {media}"),
                    line,
                    "no example (give the media type an `example`, or its schema one)",
                );
            }
            for (name, example) in found {
                check(format!("{at} request {media}{name}"), line, schema, example, out);
            }
        }
        for (code, response) in op.op["responses"].as_object().into_iter().flatten() {
            let response = spec.resolve(response);
            for (media, content) in response["content"].as_object().into_iter().flatten() {
                let Some(schema) = content.get("schema") else { continue };
                let line = spec.op_line(op, &["responses", code, "content", media]);
                for (name, example) in media_examples(spec, content) {
                    check(format!("{at} response {code} {media}{name}"), line, schema, example, out);
                }
            }
        }
    }
    Counts { schemas: schemas.len(), examples }
}

/// A media type's `example` and the values of its named `examples` (which may be references to
/// `components/examples`), with a label for each named one.
fn media_examples<'a>(spec: &Spec<'a>, content: &'a Value) -> Vec<(String, &'a Value)> {
    let mut found: Vec<(String, &Value)> = content.get("example").map(|e| (String::new(), e)).into_iter().collect();
    for (name, example) in content["examples"].as_object().into_iter().flatten() {
        if let Some(value) = spec.resolve(example).get("value") {
            found.push((format!(" example {name}"), value));
        }
    }
    found
}

/// OpenAPI 3.0 schema object → JSON Schema 2020-12 with OpenAPI 3.0.3's strict `nullable`:
/// `type: X` + `nullable: true` becomes `type: [X, "null"]` (an `enum` beside it is kept as it is,
/// so it only admits `null` if it lists it); `nullable` without `type` is ignored, as the standard
/// says (and reported by the `nullable` rule). Component references point into `$defs`,
/// OpenAPI-only keywords are dropped.
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
                    "example" | "examples" | "nullable" | "discriminator" | "xml" | "externalDocs" | "readOnly" | "writeOnly"
                    | "deprecated" => {}
                    k if k.starts_with("x-") => {}
                    // Maps keyed by names: convert the values, not the keys.
                    "properties" => {
                        let props =
                            value.as_object().map(|p| p.iter().map(|(name, s)| (name.clone(), to_json_schema(s))).collect::<Map<_, _>>());
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

#[cfg(test)]
mod tests {
    use crate::lint::fixture::*;

    const THING_EXAMPLE: &str = "example: {id: 2, day: '2021-12-01'}";
    const NOTE: &str = "        note: {type: string, nullable: true}\n      example: {id: 2";

    /// GOOD with `note` declared as `schema` and the response example's `note` set to `value`.
    fn with_note(schema: &str, value: &str) -> String {
        good_with(NOTE, &format!("        note: {schema}\n      example: {{id: 2"))
            .replace("example: {id: 1, day: '2020-01-31', note: null}", &format!("example: {{id: 1, day: '2020-01-31', note: {value}}}"))
    }

    #[test]
    fn examples_are_counted() {
        // Three schemas, one request body, one response body.
        assert_eq!(crate::lint::lint(GOOD).examples, 5);
    }

    #[test]
    fn examples_that_do_not_fit_their_schema_are_found() {
        let found = findings(&good_with(THING_EXAMPLE, "example: {id: 'two', day: '2021-12-01'}"), "examples");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("example of schema Thing: at /id: "), "{found:?}");
        assert!(found[0].ends_with("[examples, line 118]"), "{found:?}");
        let found = findings(&good_with("day: '2020-01-31', note", "day: '31.01.2020', note"), "examples");
        assert!(found[0].starts_with("example of GET /things/{id} (get_thing) response 200 application/json: at /day"), "{found:?}");
        let found = findings(&with_note("{type: string, nullable: true}", "5"), "examples");
        assert!(found[0].contains("at /note"), "{found:?}");
    }

    #[test]
    fn the_strict_nullable_reference_passes() {
        let nullable_ref = "{anyOf: [{$ref: '#/components/schemas/Thing'}, {type: object, nullable: true, enum: [null]}]}";
        assert_eq!(findings(&with_note(nullable_ref, "null"), "examples"), Vec::<String>::new());
        assert_eq!(findings(&with_note(nullable_ref, "{id: 7}"), "examples"), Vec::<String>::new());
        let found = findings(&with_note(nullable_ref, "{id: 'seven'}"), "examples");
        assert!(found.iter().any(|p| p.contains("at /note")), "{found:?}");
        // A loose nullable reference does not admit null.
        let found = findings(&with_note("{allOf: [{$ref: '#/components/schemas/Thing'}], nullable: true}", "null"), "examples");
        assert!(found.iter().any(|p| p.contains("at /note")), "{found:?}");
    }

    #[test]
    fn null_is_accepted_only_where_a_typed_schema_is_nullable() {
        // Not nullable: null is refused.
        let found = findings(&with_note("{type: string}", "null"), "examples");
        assert!(found.iter().any(|p| p.contains("response 200 application/json: at /note")), "{found:?}");
        // A nullable enum admits null only if it lists it (OpenAPI 3.0.3's clarification).
        let found = findings(&with_note("{type: string, nullable: true, enum: [a, b]}", "null"), "examples");
        assert!(found.iter().any(|p| p.contains("at /note")), "{found:?}");
        assert_eq!(findings(&with_note("{type: string, nullable: true, enum: [a, b, null]}", "null"), "examples"), Vec::<String>::new());
        // An open enum: an anyOf branch with a nullable type admits null and unknown values.
        let open = "{anyOf: [{type: string, enum: [a, b]}, {type: string, nullable: true}]}";
        assert_eq!(findings(&with_note(open, "null"), "examples"), Vec::<String>::new());
        assert_eq!(findings(&with_note(open, "c"), "examples"), Vec::<String>::new());
        // A nullable branch inside allOf does not make the whole schema nullable.
        let found = findings(&with_note("{allOf: [{type: string, nullable: true}, {type: string, minLength: 1}]}", "null"), "examples");
        assert!(found.iter().any(|p| p.contains("at /note")), "{found:?}");
    }

    #[test]
    fn named_media_examples_are_checked() {
        let spec = good_with(
            "              example: {id: 1, day: '2020-01-31', note: null}\n",
            "              examples:\n                bad: {value: {id: 'one'}}\n",
        );
        let found = findings(&spec, "examples");
        assert!(
            found[0].starts_with("example of GET /things/{id} (get_thing) response 200 application/json example bad: at /id"),
            "{found:?}"
        );
    }

    #[test]
    fn a_schema_or_request_body_without_example_is_found() {
        let found = findings(&good_with(&format!("      {THING_EXAMPLE}\n"), ""), "examples");
        assert_eq!(found, ["schema Thing: no example [examples, line 111]"]);
        // A request body: its own example, or its schema's, is enough.
        assert_eq!(findings(&good_with("            example: {day: '2020-01-31'}\n", ""), "examples"), Vec::<String>::new());
        let spec = good_with("            example: {day: '2020-01-31'}\n", "").replace("      example: {day: '2021-12-01'}\n", "");
        let found = findings(&spec, "examples");
        assert!(found.contains(&"POST /things (create_thing) request application/json: no example (give the media type an `example`, or its schema one) [examples, line 44]".to_string()), "{found:?}");
    }
}
