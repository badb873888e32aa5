//! Rule `nullable`. OpenAPI 3.0.3: "`nullable: true` … has no effect unless `type` is present in
//! the same Schema Object". Next to a `$ref`, an `allOf` or nothing, strict tools ignore it (and
//! Redocly and Spectral stop checking examples), so such a schema is a finding, named by its path.

use serde_json::Value;

use super::{Findings, Seg, Spec};
use crate::lint::locate::segs;

pub(super) fn check(spec: &Spec, out: &mut Findings) {
    for root in schema_roots(spec) {
        walk(spec, root.schema, &root.name, root.segs, out);
    }
}

fn walk(spec: &Spec, schema: &Value, at: &str, path: Vec<Seg>, out: &mut Findings) {
    let Some(obj) = schema.as_object() else { return };
    if obj.contains_key("nullable") && !obj.contains_key("type") {
        out.add(
            "nullable",
            at,
            spec.line(&path),
            "`nullable` without `type` beside it has no effect in OpenAPI 3.0.3; write `type: X` + `nullable: true`, or \
             `anyOf: [{$ref: ...}, {type: object, nullable: true, enum: [null]}]`",
        );
    }
    let child = |keys: &[&str]| -> Vec<Seg> { path.iter().cloned().chain(segs(keys.iter().copied())).collect() };
    for (name, property) in obj.get("properties").and_then(Value::as_object).into_iter().flatten() {
        walk(spec, property, &format!("{at}.{name}"), child(&["properties", name]), out);
    }
    if let Some(items) = obj.get("items") {
        walk(spec, items, &format!("{at}[]"), child(&["items"]), out);
    }
    if let Some(additional) = obj.get("additionalProperties") {
        walk(spec, additional, &format!("{at}.*"), child(&["additionalProperties"]), out);
    }
    if let Some(not) = obj.get("not") {
        walk(spec, not, &format!("{at}.not"), child(&["not"]), out);
    }
    for keyword in ["allOf", "anyOf", "oneOf"] {
        for (i, branch) in obj.get(keyword).and_then(Value::as_array).into_iter().flatten().enumerate() {
            let mut path = child(&[keyword]);
            path.push(Seg::Index(i));
            walk(spec, branch, &format!("{at}.{keyword}[{i}]"), path, out);
        }
    }
}

/// A schema of the document, named by where it sits (`schema Project`, `parameter PerPage`,
/// `GET /projects response 200 application/json`, ...).
pub(crate) struct Root<'a> {
    pub name: String,
    pub segs: Vec<Seg>,
    pub schema: &'a Value,
}

/// Every schema of the document that is not inside another one.
pub(crate) fn schema_roots<'a>(spec: &Spec<'a>) -> Vec<Root<'a>> {
    fn push<'a>(roots: &mut Vec<Root<'a>>, name: String, segs: Vec<Seg>, schema: &'a Value) {
        roots.push(Root { name, segs, schema });
    }
    fn with(base: &[Seg], keys: &[&str]) -> Vec<Seg> {
        base.iter().cloned().chain(segs(keys.iter().copied())).collect()
    }
    fn media<'a>(at: &str, base: &[Seg], holder: &'a Value, roots: &mut Vec<Root<'a>>) {
        for (media, content) in holder["content"].as_object().into_iter().flatten() {
            if let Some(schema) = content.get("schema") {
                push(roots, format!("{at} {media}"), with(base, &["content", media, "schema"]), schema);
            }
        }
    }
    fn headers<'a>(at: &str, base: &[Seg], holder: &'a Value, roots: &mut Vec<Root<'a>>) {
        for (name, header) in holder["headers"].as_object().into_iter().flatten() {
            if let Some(schema) = header.get("schema") {
                push(roots, format!("{at} header {name}"), with(base, &["headers", name, "schema"]), schema);
            }
        }
    }
    fn parameters<'a>(at: &str, base: &[Seg], holder: &'a Value, roots: &mut Vec<Root<'a>>) {
        for param in holder["parameters"].as_array().into_iter().flatten() {
            if let Some(schema) = param.get("schema") {
                let name = param["name"].as_str().unwrap_or("?");
                let mut path = with(base, &["parameters"]);
                path.extend([Seg::Item("name".into(), name.into()), Seg::Key("schema".into())]);
                push(roots, format!("{at} parameter {name}"), path, schema);
            }
        }
    }
    let mut roots = Vec::new();
    let components = &spec.doc["components"];
    for (name, schema) in components["schemas"].as_object().into_iter().flatten() {
        push(&mut roots, format!("schema {name}"), segs(["components", "schemas", name]), schema);
    }
    for (name, param) in components["parameters"].as_object().into_iter().flatten() {
        if let Some(schema) = param.get("schema") {
            push(&mut roots, format!("parameter {name}"), segs(["components", "parameters", name, "schema"]), schema);
        }
    }
    for (name, header) in components["headers"].as_object().into_iter().flatten() {
        if let Some(schema) = header.get("schema") {
            push(&mut roots, format!("header {name}"), segs(["components", "headers", name, "schema"]), schema);
        }
    }
    for (name, response) in components["responses"].as_object().into_iter().flatten() {
        let base = segs(["components", "responses", name]);
        media(&format!("response {name}"), &base, response, &mut roots);
        headers(&format!("response {name}"), &base, response, &mut roots);
    }
    for (name, body) in components["requestBodies"].as_object().into_iter().flatten() {
        media(&format!("request body {name}"), &segs(["components", "requestBodies", name]), body, &mut roots);
    }
    for (path, item) in spec.doc["paths"].as_object().into_iter().flatten() {
        parameters(path, &segs(["paths", path]), item, &mut roots);
    }
    for op in &spec.operations {
        let at = op.name();
        let base = op.segs();
        parameters(&at, &base, op.op, &mut roots);
        media(&format!("{at} request"), &with(&base, &["requestBody"]), &op.op["requestBody"], &mut roots);
        for (code, response) in op.op["responses"].as_object().into_iter().flatten() {
            let base = with(&base, &["responses", code]);
            media(&format!("{at} response {code}"), &base, response, &mut roots);
            headers(&format!("{at} response {code}"), &base, response, &mut roots);
        }
    }
    roots
}

#[cfg(test)]
mod tests {
    use crate::lint::fixture::*;

    #[test]
    fn a_loose_nullable_reference_is_found_with_the_schema_name() {
        // `allOf: [$ref]` + `nullable`: no `type` beside it, so OpenAPI 3.0.3 ignores the `nullable`.
        let spec = good_with(
            "        note: {type: string, nullable: true}\n      example: {id: 2",
            "        note: {type: string, nullable: true}\n        parent: {allOf: [{$ref: '#/components/schemas/Thing'}], nullable: true}\n      example: {id: 2",
        );
        let found = findings(&spec, "nullable");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("schema Thing.parent: `nullable` without `type`"), "{found:?}");
        assert!(found[0].ends_with("[nullable, line 118]"), "{found:?}");
    }

    #[test]
    fn nullable_without_type_is_found_wherever_a_schema_is() {
        let spec = good_with(
            "        note: {type: string, nullable: true}\n      example: {id: 2",
            "        note: {description: anything, nullable: true}\n      example: {id: 2",
        )
        .replace(
            "              schema: {$ref: '#/components/schemas/Thing'}\n              example:",
            "              schema: {$ref: '#/components/schemas/Thing', nullable: true}\n              example:",
        )
        .replace(
            "{name: id, in: path, required: true, schema: {type: integer, format: int64}}",
            "{name: id, in: path, required: true, schema: {oneOf: [{type: integer}, {nullable: true}]}}",
        );
        let found = findings(&spec, "nullable");
        let places: Vec<&str> = found.iter().filter_map(|p| p.split(": `nullable`").next()).collect();
        assert_eq!(
            places,
            ["/things/{id} parameter id.oneOf[1]", "GET /things/{id} (get_thing) response 200 application/json", "schema Thing.note"],
            "{found:?}"
        );
    }
}
