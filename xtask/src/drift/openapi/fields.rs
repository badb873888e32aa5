//! A body schema as a flat list of fields, so that two descriptions whose schemas are built
//! differently (ours from shared components, the other one inlined) compare field by field.
//!
//! A field's path joins property names with `.` and marks array items with `[]`:
//! `customer.id`, `items[].title`, `[].id` (a list answer). Objects are read through `$ref`,
//! `allOf`, `anyOf` and `oneOf` (the properties of all branches; a property is required when
//! every alternative that is an object requires it). Maps (`custom_properties`: an object with
//! `additionalProperties` and no properties) are one field: their keys are data.
//!
//! On the way, the walk notes each `x-openapi-drift` of an object schema or a property with the
//! path it covers (see `declared.rs`), and the named schema each field belongs to, so that a
//! finding can say "CompanyRef.id" and be reported once for all the operations sharing it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{
    declared::EXTENSION,
    document::{escape, resolve_at},
    types::{is_numeric, ty, Kind, Ty},
};
use crate::drift::spec::ref_name;

#[derive(Debug, Clone)]
pub struct Field {
    pub ty: Ty,
    pub required: bool,
    /// The field's object has a `required` list: its fields not in it are optional by
    /// statement, not by silence (a description that lists no required fields says nothing).
    pub stated: bool,
    /// A map or free-form object: what is below it is data, not fields.
    pub map: bool,
    /// Only some forms of its object have it (an `anyOf`/`oneOf` of objects).
    pub variant: bool,
    /// A string whose example is a number (a decimal sent as text).
    pub numeric_text: bool,
    /// The nearest named schema above the field, and the field's path from it (`CompanyRef`,
    /// `id`).
    pub owner: Option<(String, String)>,
}

#[derive(Debug, Default)]
pub struct Flat {
    pub root: Option<Ty>,
    /// The name of the root schema, when it (or its list's item) is a component.
    pub root_name: Option<String>,
    pub fields: BTreeMap<String, Field>,
    /// The declarations met: (path covered, site pointer, key as written).
    pub declared: Vec<(String, String, String)>,
    /// Object paths (`""` the root, `customer`) → the named schema they are.
    pub objects: BTreeMap<String, Option<String>>,
    /// Object paths whose schema lists no properties (free-form): it says nothing about the
    /// fields below it.
    pub free: BTreeSet<String>,
}

impl Flat {
    /// Whether a field lies below a free-form object (or a map) of this description.
    pub fn free_above(&self, path: &str) -> bool {
        self.free.iter().any(|free| {
            (free.is_empty() && !path.is_empty())
                || (!free.is_empty()
                    && path.len() > free.len()
                    && path.starts_with(free.as_str())
                    && matches!(path.as_bytes()[free.len()], b'.' | b'['))
        })
    }
}

/// The fields of a body schema at `pointer`, with the media type's example (if any).
pub fn flatten(doc: &Value, schema: &Value, pointer: &str, example: Option<&Value>) -> Flat {
    let mut out = Flat { root: Some(ty(doc, schema)), ..Flat::default() };
    walk(doc, schema, pointer, "", None, example, 0, &mut out);
    out.root_name = out.objects.get("").or_else(|| out.objects.get("[]")).cloned().flatten();
    out
}

/// `path` + `.name` (or `name` at the root).
fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// What an object schema declares, through `$ref` and the combinators.
#[derive(Default)]
struct Shape<'a> {
    /// Property → (schema, pointer); the first declaration wins.
    properties: BTreeMap<String, (&'a Value, String)>,
    required: BTreeSet<String>,
    /// Has a `required` list.
    stated: bool,
    /// Properties only some alternatives (`anyOf`/`oneOf`) have: another form of the object.
    variant: BTreeSet<String>,
    /// (key, site) of the `x-openapi-drift` maps on the object schemas.
    declared: Vec<(String, String)>,
    name: Option<String>,
    example: Option<&'a Value>,
    object: bool,
}

fn shape<'a>(doc: &'a Value, schema: &'a Value, pointer: &str, depth: usize) -> Option<Shape<'a>> {
    if depth > 16 {
        return None;
    }
    let name = ref_name(schema).map(str::to_string);
    let (s, at) = resolve_at(doc, schema, pointer);
    if s["enum"].as_array().is_some_and(|e| !e.is_empty() && e.iter().all(Value::is_null))
        || (s["type"] == "object" && s["maxProperties"] == 0)
    {
        return None;
    }
    let mut out = Shape { name, example: s.get("example"), ..Shape::default() };
    if let Some(properties) = s["properties"].as_object() {
        out.object = true;
        for (key, value) in properties {
            out.properties.entry(key.clone()).or_insert((value, format!("{at}/properties/{}", escape(key))));
        }
    }
    if s["type"] == "object" || s.get("additionalProperties").is_some() {
        out.object = true;
    }
    out.required.extend(s["required"].as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_string));
    out.stated = s["required"].as_array().is_some_and(|r| !r.is_empty());
    if let Some(declared) = s[EXTENSION].as_object() {
        out.declared.extend(declared.keys().map(|key| (key.trim().to_string(), at.clone())));
    }
    for (index, part) in s["allOf"].as_array().into_iter().flatten().enumerate() {
        if let Some(part) = shape(doc, part, &format!("{at}/allOf/{index}"), depth + 1) {
            out.merge(part, true);
        }
    }
    for key in ["anyOf", "oneOf"] {
        let alternatives: Vec<Shape> = s[key]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
            .filter_map(|(index, branch)| shape(doc, branch, &format!("{at}/{key}/{index}"), depth + 1))
            .filter(|b| b.object)
            .collect();
        let several = alternatives.len() > 1;
        let named = out.name.is_some();
        let mut required: Option<BTreeSet<String>> = None;
        let mut common: Option<BTreeSet<String>> = None;
        let mut all = BTreeSet::new();
        for alternative in alternatives {
            required = Some(match required {
                None => alternative.required.clone(),
                Some(r) => r.intersection(&alternative.required).cloned().collect(),
            });
            let names: BTreeSet<String> = alternative.properties.keys().cloned().collect();
            common = Some(match common {
                None => names.clone(),
                Some(c) => c.intersection(&names).cloned().collect(),
            });
            all.extend(names);
            out.merge(alternative, false);
        }
        out.required.extend(required.into_iter().flatten());
        out.variant.extend(all.difference(&common.unwrap_or_default()).cloned());
        // Several objects are none of them: the fields belong to no one schema.
        if several && !named {
            out.name = None;
        }
    }
    out.object.then_some(out)
}

impl<'a> Shape<'a> {
    fn merge(&mut self, part: Shape<'a>, with_required: bool) {
        for (key, value) in part.properties {
            self.properties.entry(key).or_insert(value);
        }
        if with_required {
            self.required.extend(part.required);
        }
        self.declared.extend(part.declared);
        self.stated |= part.stated;
        self.variant.extend(part.variant);
        if self.name.is_none() {
            self.name = part.name;
        }
        if self.example.is_none() {
            self.example = part.example;
        }
        self.object |= part.object;
    }
}

/// The item schema of an array (also in a branch of a combinator; an object item first).
fn items<'a>(doc: &'a Value, schema: &'a Value, pointer: &str, depth: usize) -> Option<(&'a Value, String)> {
    if depth > 16 {
        return None;
    }
    let (s, at) = resolve_at(doc, schema, pointer);
    if let Some(item) = s.get("items") {
        return Some((item, format!("{at}/items")));
    }
    let mut found: Vec<(&Value, String)> = Vec::new();
    for key in ["anyOf", "oneOf", "allOf"] {
        for (index, branch) in s[key].as_array().into_iter().flatten().enumerate() {
            found.extend(items(doc, branch, &format!("{at}/{key}/{index}"), depth + 1));
        }
    }
    let object = found.iter().position(|(item, at)| shape(doc, item, at, 0).is_some());
    match object {
        Some(index) => Some(found.swap_remove(index)),
        None => found.into_iter().next(),
    }
}

fn has(kind: &Kind, wanted: fn(&Kind) -> bool) -> bool {
    match kind {
        Kind::Union(kinds) => kinds.iter().any(wanted),
        other => wanted(other),
    }
}

#[allow(clippy::too_many_arguments)]
fn walk(
    doc: &Value,
    schema: &Value,
    pointer: &str,
    path: &str,
    owner: Option<(String, String)>,
    example: Option<&Value>,
    depth: usize,
    out: &mut Flat,
) {
    if depth > 10 {
        return;
    }
    let kind = ty(doc, schema).kind;
    if has(&kind, |k| matches!(k, Kind::Object)) {
        if let Some(object) = shape(doc, schema, pointer, 0) {
            out.objects.insert(path.to_string(), object.name.clone());
            if object.properties.is_empty() {
                out.free.insert(path.to_string());
            }
            for (key, site) in &object.declared {
                out.declared.push((join(path, key), site.clone(), key.clone()));
            }
            let owner = match &object.name {
                Some(name) => Some((name.clone(), String::new())),
                None => owner.clone(),
            };
            let example = object.example.or(example);
            for (key, (property, at)) in &object.properties {
                let field_path = join(path, key);
                // A plain reason on the property itself (beside its `anyOf` or `$ref`).
                if property[EXTENSION].is_string() {
                    out.declared.push((field_path.clone(), at.clone(), String::new()));
                }
                let field_ty = ty(doc, property);
                let inner = example.and_then(|e| e.get(key));
                let map = field_ty.kind == Kind::Object && shape(doc, property, at, 0).is_none_or(|s| s.properties.is_empty());
                let field_owner = owner.as_ref().map(|(name, rel)| (name.clone(), join(rel, key)));
                out.fields.insert(
                    field_path.clone(),
                    Field {
                        numeric_text: field_ty.kind == Kind::String && inner.is_some_and(is_numeric),
                        ty: field_ty,
                        required: object.required.contains(key),
                        stated: object.stated,
                        map,
                        variant: object.variant.contains(key),
                        owner: field_owner.clone(),
                    },
                );
                if !map {
                    walk(doc, property, at, &field_path, field_owner, inner, depth + 1, out);
                }
            }
        }
    }
    if has(&kind, |k| matches!(k, Kind::Array(_))) {
        if let Some((item, at)) = items(doc, schema, pointer, 0) {
            let item_path = format!("{path}[]");
            let owner = owner.map(|(name, rel)| (name, format!("{rel}[]")));
            let first = example.and_then(Value::as_array).and_then(|a| a.first());
            walk(doc, item, &at, &item_path, owner, first, depth + 1, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flattens_through_references_and_combinators() {
        let doc = json!({"components": {"schemas": {
            "Thing": {
                "type": "object",
                "required": ["id"],
                "x-openapi-drift": {"colour": "The docs' spelling."},
                "properties": {
                    "id": {"type": "integer", "format": "int64"},
                    "owner": {"anyOf": [{"$ref": "#/components/schemas/UserRef"}, {"type": "object", "nullable": true, "maxProperties": 0}]},
                    "items": {"type": "array", "items": {"type": "object", "properties": {"title": {"type": "string", "x-openapi-drift": "Why."}}}},
                    "custom_properties": {"type": "object", "additionalProperties": {"type": "string"}},
                    "total": {"type": "string"},
                },
                "example": {"id": 1, "total": "12.50"},
            },
            "UserRef": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
        }}});
        let flat = flatten(&doc, &json!({"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}), "/x", None);
        assert_eq!(flat.root.as_ref().unwrap().kind, Kind::Array(Box::new(Kind::Object)));
        assert_eq!(flat.root_name.as_deref(), Some("Thing"));
        let paths: Vec<&str> = flat.fields.keys().map(String::as_str).collect();
        assert_eq!(paths, ["[].custom_properties", "[].id", "[].items", "[].items[].title", "[].owner", "[].owner.id", "[].total"]);
        let id = &flat.fields["[].owner.id"];
        assert_eq!((id.required, id.owner.clone()), (true, Some(("UserRef".to_string(), "id".to_string()))));
        assert!(flat.fields["[].owner"].ty.nullable);
        assert!(flat.fields["[].custom_properties"].map);
        assert!(flat.fields["[].total"].numeric_text);
        assert_eq!(flat.fields["[].items[].title"].owner, Some(("Thing".to_string(), "items[].title".to_string())));
        assert_eq!(
            flat.declared,
            [
                ("[].colour".to_string(), "/components/schemas/Thing".to_string(), "colour".to_string()),
                (
                    "[].items[].title".to_string(),
                    "/components/schemas/Thing/properties/items/items/properties/title".to_string(),
                    String::new()
                ),
            ]
        );
    }

    #[test]
    fn alternatives_require_what_all_of_them_require() {
        let doc = json!({});
        let schema = json!({"oneOf": [
            {"type": "object", "required": ["id", "name"], "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
            {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}, "type": {"type": "string"}}},
        ]});
        let flat = flatten(&doc, &schema, "", None);
        let required: Vec<(&str, bool)> = flat.fields.iter().map(|(k, f)| (k.as_str(), f.required)).collect();
        assert_eq!(required, [("id", true), ("name", false), ("type", false)]);
    }
}
