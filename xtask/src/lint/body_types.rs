//! Rule `body-types`: progenitor generates one success type and one error type per operation, and
//! panics on more (PROGENITOR.md: `200: A` + `201: B`, or `400: A` + `422: B`, or a JSON `400`
//! beside a body-less `429`). So the 2xx responses of an operation share one body type (or have
//! none), and so do its 4xx/5xx/default responses, which also do not mix a body with no body.
//! Creates declare `200` and `201` with the same schema; errors are
//! `'4XX': $ref: '#/components/responses/Error'`.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Findings, Spec};

pub(super) fn check(spec: &Spec, out: &mut Findings) {
    for op in &spec.operations {
        let mut success: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut error: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut error_without_body = vec![];
        for (code, response) in op.op["responses"].as_object().into_iter().flatten() {
            let response = spec.resolve(response);
            let bodies: Vec<String> = response["content"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(media, content)| format!("{} ({media})", describe(&content["schema"])))
                .collect();
            let is_success = code.starts_with('2');
            let is_error = code.starts_with('4') || code.starts_with('5') || code == "default";
            for body in &bodies {
                let group = if is_success {
                    &mut success
                } else if is_error {
                    &mut error
                } else {
                    continue;
                };
                group.entry(body.clone()).or_default().push(code.clone());
            }
            if is_error && bodies.is_empty() {
                error_without_body.push(code.clone());
            }
        }
        let line = spec.op_line(op, &["responses"]);
        for (kind, group) in [("success", &success), ("error", &error)] {
            if group.len() > 1 {
                let listed: Vec<String> = group.iter().map(|(body, codes)| format!("{} {body}", codes.join("/"))).collect();
                out.add(
                    "body-types",
                    op.name(),
                    line,
                    format!("{} {kind} body types ({}); progenitor takes one per operation", group.len(), listed.join("; ")),
                );
            }
        }
        if !error.is_empty() && !error_without_body.is_empty() {
            let with: Vec<&String> = error.values().flatten().collect();
            out.add(
                "body-types",
                op.name(),
                line,
                format!(
                    "error responses {} have a body and {} none; progenitor needs one error type (use the Error response)",
                    with.iter().map(|c| c.as_str()).collect::<Vec<_>>().join("/"),
                    error_without_body.join("/")
                ),
            );
        }
    }
}

/// A short name for a body schema: the component it references, or its inline shape.
fn describe(schema: &Value) -> String {
    if let Some(name) = schema["$ref"].as_str() {
        return name.rsplit('/').next().unwrap_or(name).to_string();
    }
    if schema["type"] == "array" {
        return format!("array of {}", describe(&schema["items"]));
    }
    match schema["type"].as_str() {
        Some(ty) if schema.as_object().is_some_and(|o| o.len() <= 2) => {
            schema["format"].as_str().map(|f| format!("{ty}/{f}")).unwrap_or_else(|| ty.to_string())
        }
        _ => format!("inline schema {}", serde_json::to_string(schema).unwrap_or_default().chars().take(60).collect::<String>()),
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::fixture::*;

    #[test]
    fn two_success_types_are_found() {
        let spec = good_with(
            "        '201':\n          description: created\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Thing'}\n",
            "        '201':\n          description: created\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/ThingCreate'}\n",
        );
        let found = findings(&spec, "body-types");
        assert_eq!(found, ["POST /things (create_thing): 2 success body types (200 Thing (application/json); 201 ThingCreate (application/json)); progenitor takes one per operation [body-types, line 47]"]);
    }

    #[test]
    fn two_error_types_or_a_mix_with_no_body_are_found() {
        let spec = good_with(
            "        '204': {description: deleted}\n",
            "        '204': {description: deleted}\n        '409': {description: conflict, content: {application/json: {schema: {type: string}}}}\n",
        );
        let found = findings(&spec, "body-types");
        assert!(
            found[0].starts_with(
                "DELETE /things/{id} (delete_thing): 2 error body types (4XX Error (application/json); 409 string (application/json))"
            ),
            "{found:?}"
        );
        let spec = good_with(
            "        '204': {description: deleted}\n",
            "        '204': {description: deleted}\n        '429': {description: slow down}\n",
        );
        let found = findings(&spec, "body-types");
        assert!(found[0].contains("error responses 4XX have a body and 429 none"), "{found:?}");
    }
}
