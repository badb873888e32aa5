//! Rule `field-consistency`: one name, one meaning. Checked on every property of the component
//! schemas (inline objects included) and on the parameters:
//! - naming conventions: `id` and `*_id` are integer/int64 and `*_ids` arrays of them, `date`,
//!   `*_on` and `*_date` are strings of format date, `*_at` strings of format date-time (a query
//!   parameter may also be an array of these, a comma list);
//! - a field name has one type and format across all schemas (`total` is a number everywhere);
//! - the schemas of one entity (`Invoice`, `InvoiceSummary`, `InvoiceCreate`, `InvoiceStatusUpdate`:
//!   the same name up to a suffix in `SUFFIXES`) agree on a field's enum: one of its value sets holds all the others (a request may accept fewer
//!   values than the response shows).
//!
//! Nullability is not compared (requests and responses differ there on purpose), nor are the
//! real-world forms of responses (a decimal as a number or a string is one `decimal`; the `""` and
//! `{}` branches of absent dates and objects are left out), and an open enum counts as its known
//! values. A deliberate difference is declared on the property with
//! `x-lint-allow: [field-consistency]` beside a `description` that explains it; such a property
//! is left out of the comparisons.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::locate::segs;
use super::{allows, Findings, Seg, Spec};

const RULE: &str = "field-consistency";

/// Suffixes of request and summary variants of an entity schema.
const SUFFIXES: [&str; 7] = ["BulkCreate", "BulkItem", "StatusUpdate", "Create", "Update", "Summary", "Ref"];

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Shape {
    /// `integer/int64`, `string/date`, `array of integer/int64`, `object`, `number|string`, `any`.
    kind: String,
    values: Option<BTreeSet<String>>,
}

impl Shape {
    fn of(kind: impl Into<String>) -> Self {
        Shape { kind: kind.into(), values: None }
    }
}

/// The fields of one entity and name, grouped by the enum values they declare.
type FieldsByValues<'a> = BTreeMap<&'a BTreeSet<String>, Vec<&'a Field<'a>>>;

struct Field<'a> {
    name: &'a str,
    /// `Invoice.items[].status`.
    at: String,
    family: &'a str,
    segs: Vec<Seg>,
    shape: Shape,
}

/// The type a field name promises, with the pattern that promises it.
fn expected(name: &str) -> Option<(&'static str, &'static str)> {
    if name == "id" || name.ends_with("_id") {
        Some(("integer/int64", "`id`/`*_id`"))
    } else if name.ends_with("_ids") {
        Some(("array of integer/int64", "`*_ids`"))
    } else if name == "date" || name.ends_with("_on") || name.ends_with("_date") {
        Some(("string/date", "`date`/`*_on`/`*_date`"))
    } else if name.ends_with("_at") {
        Some(("string/date-time", "`*_at`"))
    } else {
        None
    }
}

const DECLARE: &str = "or declare the difference with `x-lint-allow: [field-consistency]` and a description";

pub(super) fn check(spec: &Spec, out: &mut Findings) {
    let mut fields = Vec::new();
    for (name, schema) in spec.schemas() {
        collect(spec, family(name), schema, name.clone(), segs(["components", "schemas", name]), &mut fields);
    }
    for field in &fields {
        if let Some((kind, pattern)) = expected(field.name) {
            if field.shape.kind != kind {
                out.add(
                    RULE,
                    format!("schema {}", field.at),
                    spec.line(&field.segs),
                    format!("is {}; a field named {pattern} is {kind} ({DECLARE})", field.shape.kind),
                );
            }
        }
    }
    check_parameters(spec, out);

    // One type and format per name.
    let mut by_name: BTreeMap<&str, BTreeMap<&str, Vec<&Field>>> = BTreeMap::new();
    for field in fields.iter().filter(|f| expected(f.name).is_none()) {
        by_name.entry(field.name).or_default().entry(field.shape.kind.as_str()).or_default().push(field);
    }
    for (name, kinds) in &by_name {
        if kinds.len() > 1 {
            let odd = kinds.values().min_by_key(|f| f.len()).and_then(|f| f.first());
            out.add(
                RULE,
                format!("field {name}"),
                odd.and_then(|f| spec.line(&f.segs)),
                format!(
                    "has different types: {}; make them agree, {DECLARE} on the odd ones",
                    list(kinds.iter().map(|(k, f)| (k.to_string(), f)))
                ),
            );
        }
    }

    // One entity's schemas agree on a field's enum.
    let mut enums: BTreeMap<(&str, &str), FieldsByValues> = BTreeMap::new();
    for field in &fields {
        if let Some(values) = &field.shape.values {
            enums.entry((field.family, field.name)).or_default().entry(values).or_default().push(field);
        }
    }
    for ((family, name), sets) in &enums {
        // Fine if one set holds all the others (the response's known values; requests take subsets).
        let agree = sets.keys().any(|all| sets.keys().all(|set| set.is_subset(all)));
        if !agree {
            let odd = sets.values().min_by_key(|f| f.len()).and_then(|f| f.first());
            let listed = sets.iter().map(|(values, f)| (format!("[{}]", values.iter().cloned().collect::<Vec<_>>().join(", ")), f));
            out.add(
                RULE,
                format!("field {name}"),
                odd.and_then(|f| spec.line(&f.segs)),
                format!("the {family} schemas disagree on its values: {}; one set must hold all the others, {DECLARE}", list(listed)),
            );
        }
    }
}

fn list<'a, 'b: 'a>(groups: impl Iterator<Item = (String, &'a Vec<&'a Field<'b>>)>) -> String {
    groups
        .map(|(what, fields)| format!("{what} in {}", fields.iter().map(|f| f.at.as_str()).collect::<Vec<_>>().join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// `InvoiceStatusUpdate` → `Invoice`.
fn family(name: &str) -> &str {
    SUFFIXES.iter().find_map(|s| name.strip_suffix(s).filter(|rest| !rest.is_empty())).unwrap_or(name)
}

fn collect<'a>(spec: &Spec<'a>, family: &'a str, schema: &'a Value, at: String, path: Vec<Seg>, fields: &mut Vec<Field<'a>>) {
    for (name, property) in schema["properties"].as_object().into_iter().flatten() {
        let mut here = path.clone();
        here.extend(segs(["properties", name]));
        if !allows(property, RULE) {
            fields.push(Field { name, at: format!("{at}.{name}"), family, segs: here.clone(), shape: shape(spec, property, 0) });
        }
        if property.get("properties").is_some() {
            collect(spec, family, property, format!("{at}.{name}"), here.clone(), fields);
        }
        if property["items"].get("properties").is_some() {
            let mut items = here;
            items.push(Seg::Key("items".into()));
            collect(spec, family, &property["items"], format!("{at}.{name}[]"), items, fields);
        }
    }
}

/// The parameters declared in place (not references to components, which are checked once).
fn inline(holder: &Value) -> Vec<&Value> {
    holder["parameters"].as_array().into_iter().flatten().filter(|p| p.get("$ref").is_none()).collect()
}

fn check_parameters(spec: &Spec, out: &mut Findings) {
    let mut check = |param: &Value, subject: String, line: Option<usize>| {
        let Some(name) = param["name"].as_str() else { return };
        let Some((kind, pattern)) = expected(name) else { return };
        if allows(param, RULE) {
            return;
        }
        let shape = shape(spec, &param["schema"], 0);
        let list = param["in"] == "query" && shape.kind == format!("array of {kind}");
        if shape.kind != kind && !list {
            out.add(RULE, subject, line, format!("parameter {name} is {}; a parameter named {pattern} is {kind} ({DECLARE})", shape.kind));
        }
    };
    for (name, param) in spec.doc["components"]["parameters"].as_object().into_iter().flatten() {
        check(param, format!("parameter {name}"), spec.component_line("parameters", name, &[]));
    }
    for (path, item) in spec.doc["paths"].as_object().into_iter().flatten() {
        for param in inline(item) {
            let line = spec.line(&[Seg::Key("paths".into()), Seg::Key(path.clone()), Seg::Key("parameters".into())]);
            check(param, format!("path {path}"), line);
        }
    }
    for op in &spec.operations {
        for param in inline(op.op) {
            let mut at = op.segs();
            at.extend([Seg::Key("parameters".into()), Seg::Item("name".into(), param["name"].as_str().unwrap_or("").into())]);
            check(param, op.name(), spec.line(&at));
        }
    }
}

/// The type of a schema as the comparisons see it: references to objects are `object`, other
/// references are followed; `anyOf`/`oneOf` without their null branch; an open enum is its known
/// values.
fn shape(spec: &Spec, schema: &Value, depth: u8) -> Shape {
    if depth > 8 {
        return Shape::of("any");
    }
    if schema.get("$ref").is_some() {
        let target = spec.resolve(schema);
        return if target["type"] == "object" || target.get("properties").is_some() || target.get("allOf").is_some() {
            Shape::of("object")
        } else {
            shape(spec, target, depth + 1)
        };
    }
    for keyword in ["anyOf", "oneOf"] {
        let Some(branches) = schema[keyword].as_array() else { continue };
        // The branches that only admit "absent" (null, `""`, `{}`: openapi/CONVENTIONS.md) do
        // not count; a decimal's number and string branches are one `decimal`.
        let absent = |b: &Value| {
            b["enum"].as_array().is_some_and(|values| values.iter().all(Value::is_null)) || b["maxLength"] == 0 || b["maxProperties"] == 0
        };
        let shapes: Vec<Shape> = branches.iter().filter(|b| !absent(b)).map(|b| shape(spec, b, depth + 1)).collect();
        if !shapes.is_empty() && shapes.iter().all(|s| s.kind == "decimal") {
            return Shape::of("decimal");
        }
        let enums: Vec<&Shape> = shapes.iter().filter(|s| s.values.is_some()).collect();
        if let Some(first) = enums.first() {
            let values = enums.iter().flat_map(|s| s.values.iter().flatten().cloned()).collect();
            return Shape { kind: first.kind.clone(), values: Some(values) };
        }
        let kinds: BTreeSet<String> = shapes.into_iter().map(|s| s.kind).collect();
        return Shape::of(kinds.into_iter().collect::<Vec<_>>().join("|"));
    }
    if let Some(parts) = schema["allOf"].as_array() {
        return if parts.len() == 1 { shape(spec, &parts[0], depth + 1) } else { Shape::of("object") };
    }
    match schema["type"].as_str() {
        Some("array") => {
            let items = shape(spec, &schema["items"], depth + 1);
            Shape { kind: format!("array of {}", items.kind), values: items.values }
        }
        Some("object") => Shape::of("object"),
        Some("number" | "string") if schema["format"] == "decimal" => Shape::of("decimal"),
        Some(ty) => {
            let kind = match schema["format"].as_str() {
                Some(format) => format!("{ty}/{format}"),
                None => ty.to_string(),
            };
            let values = schema["enum"].as_array().map(|values| {
                values.iter().filter(|v| !v.is_null()).map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())).collect()
            });
            Shape { kind, values }
        }
        None if schema.get("properties").is_some() => Shape::of("object"),
        None => Shape::of("any"),
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::fixture::*;

    /// GOOD with more properties on `ThingCreate` (after `day`) and on `Thing` (after `note`).
    fn with_fields(create: &str, thing: &str) -> String {
        good_with(
            "        day: {type: string, format: date}\n      example: {day: '2021-12-01'}",
            &format!("        day: {{type: string, format: date}}\n{create}      example: {{day: '2021-12-01'}}"),
        )
        .replacen(
            "        note: {type: string, nullable: true}\n",
            &format!("        note: {{type: string, nullable: true}}\n{thing}"),
            1,
        )
    }

    #[test]
    fn naming_conventions_are_checked() {
        let found = findings(
            &with_fields(
                "        owner_id: {type: integer}\n        paid_on: {type: string}\n        seen_at: {type: string, format: date}\n",
                "",
            ),
            "field-consistency",
        );
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[0].starts_with("schema ThingCreate.owner_id: is integer; a field named `id`/`*_id` is integer/int64"), "{found:?}");
        assert!(found[0].ends_with("[field-consistency, line 124]"), "{found:?}");
        assert!(
            found[1].starts_with("schema ThingCreate.paid_on: is string; a field named `date`/`*_on`/`*_date` is string/date"),
            "{found:?}"
        );
        assert!(found[2].starts_with("schema ThingCreate.seen_at: is string/date; a field named `*_at` is string/date-time"), "{found:?}");
        // Nullable and open forms count as their type; inline objects are walked.
        let ok = with_fields(
            "        owner_id: {type: integer, format: int64, nullable: true}\n        part: {type: object, properties: {part_ids: {type: array, items: {type: integer, format: int64}}}}\n",
            "",
        );
        assert_eq!(findings(&ok, "field-consistency"), Vec::<String>::new());
        let found = findings(
            &with_fields("        part: {type: object, properties: {part_ids: {type: array, items: {type: integer}}}}\n", ""),
            "field-consistency",
        );
        assert!(found[0].starts_with("schema ThingCreate.part.part_ids: is array of integer"), "{found:?}");
    }

    #[test]
    fn parameters_follow_the_conventions_too() {
        let found = findings(
            &good_with(
                "{name: id, in: path, required: true, schema: {type: integer, format: int64}}",
                "{name: id, in: path, required: true, schema: {type: string}}",
            ),
            "field-consistency",
        );
        assert_eq!(found, ["path /things/{id}: parameter id is string; a parameter named `id`/`*_id` is integer/int64 (or declare the difference with `x-lint-allow: [field-consistency]` and a description) [field-consistency, line 60]"]);
        // A comma list of ids is fine for a query parameter.
        let spec = good_with("        - $ref: '#/components/parameters/Ids'\n", "        - $ref: '#/components/parameters/Ids'\n        - {name: owner_id, in: query, style: form, explode: false, schema: {type: array, items: {type: integer, format: int64}}}\n");
        assert_eq!(findings(&spec, "field-consistency"), Vec::<String>::new());
    }

    #[test]
    fn one_name_has_one_type() {
        let spec = with_fields("        total: {type: number}\n", "        total: {type: string, nullable: true}\n");
        let found = findings(&spec, "field-consistency");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("field total: has different types: number in ThingCreate.total; string in Thing.total; make them agree"),
            "{found:?}"
        );
        // Declared on one side with a description: accepted.
        let declared = with_fields(
            "        total: {type: number}\n",
            "        total: {type: string, nullable: true, description: Sent as a decimal string., x-lint-allow: [field-consistency]}\n",
        );
        assert_eq!(findings(&declared, "field-consistency"), Vec::<String>::new());
        // References to objects are all `object`; references to scalars are followed.
        let spec = with_fields(
            "        total: {$ref: '#/components/schemas/Error'}\n        kind: {$ref: '#/components/schemas/Kind'}\n",
            "        total: {type: object}\n        kind: {type: integer}\n",
        )
        .replace("  schemas:\n", "  schemas:\n    Kind: {type: string, enum: [a, b], example: a}\n");
        let found = findings(&spec, "field-consistency");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("field kind: has different types: integer in Thing.kind; string in ThingCreate.kind"), "{found:?}");
    }

    #[test]
    fn one_entity_agrees_on_its_enums() {
        let open = "        status: {anyOf: [{type: string, enum: [open, closed]}, {type: string, nullable: true}]}\n";
        // A request that accepts fewer values is fine.
        let spec = with_fields("        status: {type: string, enum: [open]}\n", open);
        assert_eq!(findings(&spec, "field-consistency"), Vec::<String>::new());
        // Two requests taking different parts of the response's values are fine too.
        let update = "    ThingUpdate: {type: object, properties: {status: {type: string, enum: [closed]}}, example: {}}\n";
        let spec = spec.replace("  schemas:\n", &format!("  schemas:\n{update}"));
        assert_eq!(findings(&spec, "field-consistency"), Vec::<String>::new());
        let spec = with_fields("        status: {type: string, enum: [opened]}\n", open);
        let found = findings(&spec, "field-consistency");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with(
                "field status: the Thing schemas disagree on its values: [closed, open] in Thing.status; [opened] in ThingCreate.status"
            ),
            "{found:?}"
        );
        // Different entities may have different values.
        let spec = spec.replace("ThingCreate", "Other");
        assert_eq!(findings(&spec, "field-consistency"), Vec::<String>::new());
    }
}
