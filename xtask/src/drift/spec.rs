//! What the drift check needs from `openapi/moco.yaml`: the operations with their docs file, query
//! parameters and JSON request and response schemas, and a reader for object schemas that sees
//! through `$ref`, `allOf`, `anyOf` and `oneOf`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

const HTTP_METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

pub struct Spec {
    pub doc: Value,
    pub ops: Vec<Op>,
}

#[derive(Debug)]
pub struct Op {
    /// Upper case (`GET`).
    pub method: String,
    pub path: String,
    pub id: String,
    /// The `x-docs-file` of the operation's first tag.
    pub docs_file: Option<String>,
    /// `x-docs-heading`: the docs heading this operation comes from, where it differs from the
    /// operation's method and path (`PUT invoices/payments/{id}`).
    pub docs_heading: Option<(String, String)>,
    /// Names of the query parameters (path-level and operation-level).
    pub query: Vec<String>,
    /// Names of the path parameters.
    pub path_params: Vec<String>,
    /// The request body schema (`application/json`, else a form).
    pub request: Option<Value>,
    /// The schema of the first 2xx `application/json` response.
    pub response: Option<Value>,
    /// 1-based line of the operation in the spec text (0 when not found).
    pub line: usize,
    /// `x-source`: `openapi` marks an operation only MOCO's OpenAPI description has, which the
    /// docs drift leaves alone.
    pub source: Option<String>,
    /// `x-alias-of`: the documented update this PUT or PATCH is another method of.
    pub alias_of: Option<String>,
}

impl Op {
    pub fn label(&self) -> String {
        format!("{} {} ({})", self.method, self.path, self.id)
    }
}

impl Spec {
    pub fn parse(text: &str) -> Result<Spec, String> {
        let doc: Value = serde_norway::from_str(text).map_err(|e| format!("the spec is not valid YAML: {e}"))?;
        let mut tag_files = BTreeMap::new();
        for tag in doc["tags"].as_array().into_iter().flatten() {
            if let (Some(name), Some(file)) = (tag["name"].as_str(), tag["x-docs-file"].as_str()) {
                tag_files.insert(name.to_string(), file.to_string());
            }
        }
        let lines: Vec<&str> = text.lines().collect();
        let mut ops = Vec::new();
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for method in HTTP_METHODS {
                let Some(op) = item.get(method) else { continue };
                let mut query = Vec::new();
                let mut path_params = Vec::new();
                let params = item["parameters"].as_array().into_iter().flatten().chain(op["parameters"].as_array().into_iter().flatten());
                for param in params {
                    let param = resolve(&doc, param);
                    let name = param["name"].as_str().unwrap_or_default().to_string();
                    match param["in"].as_str() {
                        // A query parameter marked `x-source: openapi` comes from MOCO's OpenAPI
                        // description, not from the docs; `drift --openapi` covers it.
                        Some("query") if !query.contains(&name) && param["x-source"].as_str() != Some("openapi") => query.push(name),
                        Some("path") if !path_params.contains(&name) => path_params.push(name),
                        _ => {}
                    }
                }
                // The JSON body, else a form (multipart uploads).
                let content = &resolve(&doc, &op["requestBody"])["content"];
                let request = ["application/json", "multipart/form-data", "application/x-www-form-urlencoded"]
                    .iter()
                    .map(|media| content[*media]["schema"].clone())
                    .find(|schema| !schema.is_null())
                    .unwrap_or(Value::Null);
                let response = op["responses"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(code, _)| code.starts_with('2'))
                    .map(|(_, response)| resolve(&doc, response)["content"]["application/json"]["schema"].clone())
                    .find(|schema| !schema.is_null());
                let docs_file = op["tags"][0].as_str().and_then(|tag| tag_files.get(tag)).cloned();
                let docs_heading = op["x-docs-heading"].as_str().and_then(|heading| {
                    let (method, path) = heading.trim().split_once(' ')?;
                    Some((method.trim().to_ascii_uppercase(), path.trim().to_string()))
                });
                ops.push(Op {
                    method: method.to_ascii_uppercase(),
                    path: path.clone(),
                    id: op["operationId"].as_str().unwrap_or("?").to_string(),
                    docs_file,
                    docs_heading,
                    query,
                    path_params,
                    request: (!request.is_null()).then_some(request),
                    response,
                    line: locate(&lines, path, method),
                    source: op["x-source"].as_str().map(str::to_string),
                    alias_of: op["x-alias-of"].as_str().map(str::to_string),
                });
            }
        }
        // An alias is documented where the operation it is an alias of is: its docs heading.
        let headings: BTreeMap<String, (String, String)> =
            ops.iter().map(|op| (op.id.clone(), op.docs_heading.clone().unwrap_or_else(|| (op.method.clone(), op.path.clone())))).collect();
        for op in &mut ops {
            if op.docs_heading.is_none() {
                op.docs_heading = op.alias_of.as_ref().and_then(|of| headings.get(of)).cloned();
            }
        }
        Ok(Spec { doc, ops })
    }
}

/// The line of `  /path:` followed by `    method:` in block-style YAML.
pub fn locate(lines: &[&str], path: &str, method: &str) -> usize {
    let heads = [format!("  {path}:"), format!("  '{path}':"), format!("  \"{path}\":")];
    let Some(start) = lines.iter().position(|l| heads.iter().any(|h| l.trim_end() == h)) else { return 0 };
    let key = format!("    {method}:");
    for (offset, line) in lines[start + 1..].iter().enumerate() {
        if line.starts_with("  ") && !line.starts_with("   ") && !line.trim().is_empty() {
            break;
        }
        if line.trim_end() == key {
            return start + offset + 2;
        }
    }
    start + 1
}

/// Follows `$ref` (local references only) until a schema without one.
pub fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    let mut current = value;
    for _ in 0..32 {
        match current["$ref"].as_str().and_then(|r| r.strip_prefix('#')) {
            Some(pointer) => match doc.pointer(pointer) {
                Some(target) => current = target,
                None => return current,
            },
            None => return current,
        }
    }
    current
}

/// The component name a schema refers to (`#/components/schemas/Project` gives `Project`).
pub fn ref_name(value: &Value) -> Option<&str> {
    value["$ref"].as_str().and_then(|r| r.rsplit('/').next())
}

/// What an object schema allows.
#[derive(Debug, Default)]
pub struct Shape<'a> {
    /// The declared properties and their schemas (first declaration wins).
    pub properties: BTreeMap<String, &'a Value>,
    /// Takes keys it does not declare (`additionalProperties` other than `false`, or no
    /// `properties` at all): its keys are data (`custom_properties`), not fields.
    pub open: bool,
    /// The schema (or one of its branches) describes an object.
    pub object: bool,
    /// Built from more than one object branch of an `anyOf`/`oneOf`: an example shows one of
    /// them, so the properties it lacks say nothing about the docs.
    pub variants: bool,
    /// The name of the component, when the object branch comes from exactly one.
    pub name: Option<String>,
    /// Other names the docs use for properties (`x-docs-names` on the object schema): docs name
    /// → property.
    pub aliases: BTreeMap<String, String>,
    /// Properties the spec has on purpose although the docs do not show them (`x-not-in-docs`
    /// on the object schema: property → reason).
    pub not_in_docs: BTreeSet<String>,
}

impl Shape<'_> {
    /// The property a docs key names: itself, or the property `x-docs-names` maps it to.
    pub fn property(&self, key: &str) -> Option<(&str, &Value)> {
        if let Some((name, schema)) = self.properties.get_key_value(key) {
            return Some((name.as_str(), *schema));
        }
        let name = self.aliases.get(key)?;
        self.properties.get_key_value(name).map(|(name, schema)| (name.as_str(), *schema))
    }
}

/// The object shape of a schema: its properties through `$ref`, `allOf`, `anyOf` and `oneOf`.
pub fn shape<'a>(doc: &'a Value, schema: &'a Value) -> Shape<'a> {
    let mut out = Shape::default();
    let mut branches = 0;
    collect(doc, schema, &mut out, &mut branches, 0);
    out.variants = branches > 1;
    if out.variants {
        out.name = None;
    }
    out
}

fn collect<'a>(doc: &'a Value, schema: &'a Value, out: &mut Shape<'a>, branches: &mut usize, depth: usize) {
    if depth > 16 {
        return;
    }
    let name = ref_name(schema).map(str::to_string);
    let schema = resolve(doc, schema);
    // `{type: object, nullable: true, enum: [null]}` is the null of a nullable reference, and in
    // answers `{type: object, nullable: true, maxProperties: 0}` its null or `{}`
    // (openapi/CONVENTIONS.md, "Real answers"); `{type: string, maxLength: 0}` an absent date.
    if schema["enum"].as_array().is_some_and(|e| e.iter().all(Value::is_null)) || schema["maxProperties"] == 0 || schema["maxLength"] == 0 {
        return;
    }
    let mut own = false;
    if let Some(properties) = schema["properties"].as_object() {
        own = true;
        for (key, value) in properties {
            out.properties.entry(key.clone()).or_insert(value);
        }
        // `x-docs-names: {title: name}`: the docs call the property `name` `title`.
        for (alias, property) in schema["x-docs-names"].as_object().into_iter().flatten() {
            if let Some(property) = property.as_str() {
                out.aliases.insert(alias.clone(), property.to_string());
            }
        }
        // `x-not-in-docs: {custom_properties: reason}`: the spec has it though the docs do not.
        for property in schema["x-not-in-docs"].as_object().into_iter().flatten().map(|(k, _)| k) {
            out.not_in_docs.insert(property.clone());
        }
    }
    let is_object = schema["type"] == "object" || own;
    if is_object {
        out.object = true;
        match &schema["additionalProperties"] {
            Value::Bool(false) => {}
            Value::Null if own => {}
            _ => out.open = true,
        }
        if out.name.is_none() {
            out.name = name.clone();
        }
        *branches += 1;
    }
    if let Some(all) = schema["allOf"].as_array() {
        // The parts of an allOf describe one object together.
        if !is_object && out.name.is_none() {
            out.name = name.clone();
        }
        let mut parts = 0;
        for part in all {
            collect(doc, part, out, &mut parts, depth + 1);
        }
        if parts > 0 && !is_object {
            *branches += 1;
        }
    }
    for key in ["anyOf", "oneOf"] {
        for branch in schema[key].as_array().into_iter().flatten() {
            collect(doc, branch, out, branches, depth + 1);
        }
    }
}

/// The item schema of an array schema (also inside `anyOf`/`oneOf` branches).
pub fn items<'a>(doc: &'a Value, schema: &'a Value) -> Option<&'a Value> {
    let schema = resolve(doc, schema);
    if schema["type"] == "array" {
        return schema.get("items");
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        for branch in schema[key].as_array().into_iter().flatten() {
            if let Some(items) = items(doc, branch) {
                return Some(items);
            }
        }
    }
    None
}

/// The schema itself, or its item schema if it is an array (a list's entity).
pub fn entity<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    items(doc, schema).unwrap_or(schema)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: t, version: v}
tags:
  - name: Things
    x-docs-file: sections/things.md
paths:
  /things/{id}:
    parameters:
      - $ref: '#/components/parameters/Id'
    put:
      operationId: update_thing
      tags: [Things]
      x-docs-heading: PUT things/{id}
      parameters:
        - {name: q, in: query, schema: {type: string}}
        - {name: official, in: query, x-source: openapi, schema: {type: string}}
        - {name: X-Header, in: header, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/ThingUpdate'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  parameters:
    Id: {name: id, in: path, required: true, schema: {type: integer}}
  schemas:
    Thing:
      type: object
      properties:
        id: {type: integer}
        owner:
          anyOf:
            - $ref: '#/components/schemas/Owner'
            - {type: object, nullable: true, enum: [null]}
        custom_properties: {type: object, additionalProperties: {type: string}}
    Owner:
      allOf:
        - type: object
          properties: {id: {type: integer}}
        - type: object
          properties: {name: {type: string}}
    ThingUpdate:
      type: object
      properties: {name: {type: string}}
"##;

    #[test]
    fn reads_operations() {
        let spec = Spec::parse(SPEC).unwrap();
        assert_eq!(spec.ops.len(), 1);
        let op = &spec.ops[0];
        assert_eq!(op.label(), "PUT /things/{id} (update_thing)");
        assert_eq!(op.docs_file.as_deref(), Some("sections/things.md"));
        assert_eq!(op.docs_heading, Some(("PUT".into(), "things/{id}".into())));
        assert_eq!(op.query, ["q"]);
        assert_eq!(op.path_params, ["id"]);
        assert_eq!(ref_name(op.request.as_ref().unwrap()), Some("ThingUpdate"));
        assert_eq!(op.line, 11);
    }

    #[test]
    fn shapes_see_through_refs_and_combinators() {
        let spec = Spec::parse(SPEC).unwrap();
        let thing = shape(&spec.doc, spec.ops[0].response.as_ref().unwrap());
        assert_eq!(thing.name.as_deref(), Some("Thing"));
        assert!(!thing.open && !thing.variants);
        let owner = shape(&spec.doc, thing.properties["owner"]);
        assert_eq!(owner.properties.keys().collect::<Vec<_>>(), ["id", "name"]);
        assert_eq!(owner.name.as_deref(), Some("Owner"));
        assert!(!owner.variants);
        assert!(shape(&spec.doc, thing.properties["custom_properties"]).open);
    }
}
