//! Rules `dangling-ref` and `unused-components`: every `$ref` points at something in the document,
//! and every component (schema, parameter, header, response, request body, example) is reachable
//! from the paths, directly or through other components. A component kept on purpose says
//! `x-lint-allow: [unused-components]` beside a `description` with the reason.

use std::collections::BTreeSet;

use serde_json::Value;

use super::locate::pointer_segs;
use super::{allows, Findings, Spec};

const KINDS: [&str; 6] = ["schemas", "parameters", "headers", "responses", "requestBodies", "examples"];

pub(super) fn check(spec: &Spec, out: &mut Findings) {
    // Dangling references, anywhere in the document.
    let mut all = Vec::new();
    refs(spec.doc, "", &mut all);
    for (at, target) in &all {
        let resolves = target.strip_prefix('#').is_some_and(|pointer| spec.doc.pointer(pointer).is_some());
        if !resolves {
            out.add("dangling-ref", format!("$ref at {at}"), spec.line(&pointer_segs(at)), format!("{target} does not resolve"));
        }
    }
    // Reachability from everything outside `components`.
    let mut todo: Vec<String> = Vec::new();
    for (key, value) in spec.doc.as_object().into_iter().flatten().filter(|(k, _)| *k != "components") {
        let mut found = Vec::new();
        refs(value, &format!("/{key}"), &mut found);
        todo.extend(found.into_iter().map(|(_, target)| target));
    }
    // A component kept on purpose keeps what it uses.
    for kind in KINDS {
        for component in spec.doc["components"][kind].as_object().into_iter().flatten().map(|(_, c)| c) {
            if allows(component, "unused-components") {
                let mut found = Vec::new();
                refs(component, "", &mut found);
                todo.extend(found.into_iter().map(|(_, target)| target));
            }
        }
    }
    let mut reached = BTreeSet::new();
    while let Some(target) = todo.pop() {
        if !reached.insert(target.clone()) {
            continue;
        }
        if let Some(node) = target.strip_prefix('#').and_then(|p| spec.doc.pointer(p)) {
            let mut found = Vec::new();
            refs(node, "", &mut found);
            todo.extend(found.into_iter().map(|(_, t)| t));
        }
    }
    for kind in KINDS {
        for (name, component) in spec.doc["components"][kind].as_object().into_iter().flatten() {
            let target = format!("#/components/{kind}/{}", name.replace('~', "~0").replace('/', "~1"));
            if !reached.contains(&target) && !allows(component, "unused-components") {
                out.add(
                    "unused-components",
                    format!("{} {name}", singular(kind)),
                    spec.component_line(kind, name, &[]),
                    "not used by any operation; remove it, or keep it with `x-lint-allow: [unused-components]` and a description",
                );
            }
        }
    }
}

fn singular(kind: &str) -> &str {
    match kind {
        "schemas" => "schema",
        "parameters" => "parameter",
        "headers" => "header",
        "responses" => "response",
        "requestBodies" => "request body",
        _ => "example",
    }
}

/// Every `$ref` below `value`, with the JSON pointer of the object holding it.
fn refs(value: &Value, at: &str, found: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            if let Some(target) = map.get("$ref").and_then(Value::as_str) {
                found.push((at.to_string(), target.to_string()));
            }
            for (key, child) in map {
                refs(child, &format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")), found);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                refs(child, &format!("{at}/{i}"), found);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::fixture::*;

    #[test]
    fn unused_components_are_found() {
        let spec = good_with("  schemas:\n", "  schemas:\n    Spare:\n      type: object\n      properties:\n        part: {$ref: '#/components/schemas/Part'}\n      example: {}\n    Part: {type: string, example: a}\n");
        let found = findings(&spec, "unused-components");
        assert_eq!(
            found,
            ["schema Spare: not used by any operation; remove it, or keep it with `x-lint-allow: [unused-components]` and a description [unused-components, line 106]",
             "schema Part: not used by any operation; remove it, or keep it with `x-lint-allow: [unused-components]` and a description [unused-components, line 111]"]
        );
        let kept = spec.replace(
            "    Spare:\n      type: object\n",
            "    Spare:\n      type: object\n      description: For the web hook receiver.\n      x-lint-allow: [unused-components]\n",
        );
        assert_eq!(findings(&kept, "unused-components"), Vec::<String>::new());
        let found = findings(&good_with("\n  headers:\n", "\n  headers:\n    Spare: {schema: {type: string}}\n"), "unused-components");
        assert!(found[0].starts_with("header Spare: not used"), "{found:?}");
    }

    #[test]
    fn a_dangling_reference_is_found() {
        let found = findings(
            &good_with("schema: {$ref: '#/components/schemas/ThingCreate'}", "schema: {$ref: '#/components/schemas/ThingNew'}"),
            "dangling-ref",
        );
        assert!(
            found[0].starts_with(
                "$ref at /paths/~1things/post/requestBody/content/application~1json/schema: #/components/schemas/ThingNew does not resolve"
            ),
            "{found:?}"
        );
    }
}
