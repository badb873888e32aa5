//! Rule `real-world-forms` (openapi/CONVENTIONS.md, "Real answers"): response schemas admit the
//! forms MOCO's servers send, requests mark their decimals. Checked on every schema reachable
//! from a response (and from no request body: a schema both use keeps the request form), and on
//! every schema reachable from a request body:
//! - responses: a decimal is `anyOf: [{type: number, format: decimal}, {type: string, format:
//!   decimal}]` (either order), never a bare `type: number`; a nullable date or timestamp has the
//!   `{type: string, maxLength: 0, nullable: true}` branch; a nullable object (a reference or an
//!   inline object) has the `{type: object, nullable: true, maxProperties: 0}` branch instead of
//!   `enum: [null]`;
//! - requests: every `type: number` is `format: decimal`.
//!
//! Maps (`additionalProperties`, such as custom field values) are left alone: their values are
//! not fields the docs describe.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{locate::segs, nullable::schema_roots, Findings, Seg, Spec};

const RULE: &str = "real-world-forms";

pub(super) fn check(spec: &Spec, out: &mut Findings) {
    let (mut responses, mut requests) = (Vec::new(), Vec::new());
    for root in schema_roots(spec) {
        // `GET /x response 200 application/json`, `POST /x request application/json`.
        if root.name.contains(" response ") || root.name.starts_with("response ") {
            responses.push(root);
        } else if root.name.contains(" request") {
            requests.push(root);
        }
    }
    let used_by = |roots: &[super::nullable::Root]| {
        let mut names = BTreeSet::new();
        for root in roots {
            references(spec, root.schema, &mut names);
        }
        names
    };
    let (response_names, request_names) = (used_by(&responses), used_by(&requests));
    for root in &responses {
        walk(spec, root.schema, &root.name, root.segs.clone(), Side::Response, out);
    }
    for root in &requests {
        walk(spec, root.schema, &root.name, root.segs.clone(), Side::Request, out);
    }
    for (name, schema) in spec.schemas() {
        let at = format!("schema {name}");
        let path = segs(["components", "schemas", name]);
        if request_names.contains(name) {
            walk(spec, schema, &at, path, Side::Request, out);
        } else if response_names.contains(name) {
            walk(spec, schema, &at, path, Side::Response, out);
        }
    }
}

/// The component schemas `schema` uses, directly or through others.
fn references(spec: &Spec, schema: &Value, names: &mut BTreeSet<String>) {
    match schema {
        Value::Object(map) => {
            if let Some(name) = map.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/components/schemas/")) {
                if names.insert(name.to_string()) {
                    references(spec, &spec.doc["components"]["schemas"][name], names);
                }
            }
            map.values().for_each(|v| references(spec, v, names));
        }
        Value::Array(items) => items.iter().for_each(|v| references(spec, v, names)),
        _ => {}
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Response,
    Request,
}

fn walk(spec: &Spec, schema: &Value, at: &str, path: Vec<Seg>, side: Side, out: &mut Findings) {
    let Some(obj) = schema.as_object() else { return };
    let child = |keys: &[&str]| -> Vec<Seg> { path.iter().cloned().chain(segs(keys.iter().copied())).collect() };
    let line = spec.line(&path);
    let branches: Vec<&Value> = obj.get("anyOf").and_then(Value::as_array).into_iter().flatten().collect();
    let decimal = |b: &Value| b["format"] == "decimal";
    match side {
        Side::Request => {
            if obj.get("type") == Some(&Value::from("number")) && !decimal(schema) {
                out.add(RULE, at, line, "a number in a request is a decimal: add `format: decimal`");
            }
        }
        Side::Response => {
            if branches.iter().any(|b| decimal(b)) {
                let types: BTreeSet<&str> = branches.iter().filter_map(|b| b["type"].as_str()).collect();
                if branches.len() != 2 || !branches.iter().all(|b| decimal(b)) || types != BTreeSet::from(["number", "string"]) {
                    out.add(
                        RULE,
                        at,
                        line,
                        "a decimal in an answer is exactly `anyOf: [{type: number, format: decimal}, {type: string, format: decimal}]`",
                    );
                }
                return;
            }
            if obj.get("type") == Some(&Value::from("number")) {
                out.add(
                    RULE,
                    at,
                    line,
                    "MOCO sends decimals as numbers or numeric strings: write `anyOf: [{type: number, format: decimal}, {type: string, format: decimal}]`",
                );
            }
            let nullable = obj.get("nullable") == Some(&Value::Bool(true));
            let date = matches!(obj.get("format").and_then(Value::as_str), Some("date" | "date-time"));
            if nullable && date {
                out.add(RULE, at, line, "an absent date or timestamp may arrive as \"\": write `anyOf: [{type: string, format: ...}, {type: string, maxLength: 0, nullable: true}]`");
            }
            if nullable && obj.get("type") == Some(&Value::from("object")) && obj.contains_key("properties") {
                out.add(
                    RULE,
                    at,
                    line,
                    "an absent object may arrive as {}: write `anyOf: [{...}, {type: object, nullable: true, maxProperties: 0}]`",
                );
            }
            if branches.iter().any(|b| b["type"] == "object" && b["enum"] == serde_json::json!([null])) {
                out.add(
                    RULE,
                    at,
                    line,
                    "an absent object may arrive as {}: the null branch is `{type: object, nullable: true, maxProperties: 0}`",
                );
            }
        }
    }
    for (name, property) in obj.get("properties").and_then(Value::as_object).into_iter().flatten() {
        walk(spec, property, &format!("{at}.{name}"), child(&["properties", name]), side, out);
    }
    if let Some(items) = obj.get("items") {
        walk(spec, items, &format!("{at}[]"), child(&["items"]), side, out);
    }
    for keyword in ["allOf", "anyOf", "oneOf"] {
        for (i, branch) in obj.get(keyword).and_then(Value::as_array).into_iter().flatten().enumerate() {
            let mut path = child(&[keyword]);
            path.push(Seg::Index(i));
            walk(spec, branch, &format!("{at}.{keyword}[{i}]"), path, side, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::fixture::*;

    /// GOOD with more properties on `Thing` (a response schema) and on `ThingCreate` (a request).
    fn with(thing: &str, create: &str) -> String {
        good_with("        note: {type: string, nullable: true}\n", &format!("        note: {{type: string, nullable: true}}\n{thing}"))
            .replacen(
                "        day: {type: string, format: date}\n      example: {day: '2021-12-01'}",
                &format!("        day: {{type: string, format: date}}\n{create}      example: {{day: '2021-12-01'}}"),
                1,
            )
    }

    #[test]
    fn the_real_world_forms_pass() {
        let spec = with(
            "        total:\n          anyOf:\n            - {type: number, format: decimal}\n            - {type: string, format: decimal, nullable: true}\n        \
             paid_on:\n          anyOf:\n            - {type: string, format: date}\n            - {type: string, maxLength: 0, nullable: true}\n        \
             other:\n          anyOf:\n            - $ref: '#/components/schemas/Error'\n            - {type: object, nullable: true, maxProperties: 0}\n",
            "        total: {type: number, format: decimal}\n",
        );
        assert_eq!(findings(&spec, "real-world-forms"), Vec::<String>::new());
    }

    #[test]
    fn the_docs_forms_in_answers_and_unmarked_request_numbers_are_findings() {
        let spec = with(
            "        total: {type: number, nullable: true}\n        paid_on: {type: string, format: date, nullable: true}\n        \
             other:\n          anyOf:\n            - $ref: '#/components/schemas/Error'\n            - {type: object, nullable: true, enum: [null]}\n        \
             half:\n          anyOf:\n            - {type: number, format: decimal}\n            - {type: integer}\n",
            "        total: {type: number}\n",
        );
        let found = findings(&spec, "real-world-forms");
        assert_eq!(found.len(), 5, "{found:?}");
        assert!(found.iter().any(|f| f.starts_with("schema Thing.total: MOCO sends decimals as numbers or numeric strings")), "{found:?}");
        assert!(found.iter().any(|f| f.starts_with("schema Thing.paid_on: an absent date or timestamp may arrive as \"\"")), "{found:?}");
        assert!(found.iter().any(|f| f.starts_with("schema Thing.other: an absent object may arrive as {}")), "{found:?}");
        assert!(found.iter().any(|f| f.starts_with("schema Thing.half: a decimal in an answer is exactly")), "{found:?}");
        assert!(found.iter().any(|f| f.starts_with("schema ThingCreate.total: a number in a request is a decimal")), "{found:?}");
    }
}
