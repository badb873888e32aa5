//! Schemas as a reader sees them: a one-line type ("string (date), nullable", "one of `a`, `b`
//! (open: other values possible)", "array of [`UserRef`](#type-userref)") and field tables with
//! nested inline objects flattened (`customer.id`, `items[].title`).
//!
//! Component schemas are never expanded in place: their name links to their table on the same
//! page, and every name used is collected (`Types::referenced`) so the page can render them all.

use std::collections::BTreeSet;

use serde_norway::Value;

use super::rust;
use super::spec::{schema_ref_name, text, Spec};

/// One row of a field table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// The wire name, dotted for nested fields (`customer.id`, `items[].title`).
    pub name: String,
    /// The Rust field name where it differs from the wire name (`type` → `kind`).
    pub rust: Option<String>,
    pub ty: String,
    pub required: bool,
    pub description: String,
}

/// The type of one schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeInfo {
    pub text: String,
    pub nullable: bool,
}

impl TypeInfo {
    /// The type with ", nullable" where `null` is allowed.
    pub fn full(&self) -> String {
        if self.nullable {
            format!("{}, nullable", self.text)
        } else {
            self.text.clone()
        }
    }
}

/// Reads schemas of one spec and remembers which component schemas were named.
pub struct Types<'s> {
    spec: &'s Spec,
    pub referenced: BTreeSet<String>,
}

/// Nested inline objects deeper than this are shown as "object".
const MAX_DEPTH: usize = 8;

impl<'s> Types<'s> {
    pub fn new(spec: &'s Spec) -> Self {
        Types { spec, referenced: BTreeSet::new() }
    }

    pub fn spec(&self) -> &'s Spec {
        self.spec
    }

    /// `[`Project`](#type-project)`, remembering the name.
    pub fn link(&mut self, name: &str) -> String {
        self.referenced.insert(name.to_string());
        format!("[`{name}`](#{})", type_anchor(name))
    }

    pub fn type_of(&mut self, schema: &Value) -> TypeInfo {
        if let Some(name) = schema_ref_name(schema) {
            return TypeInfo { text: self.link(name), nullable: false };
        }
        if let Some(reference) = text(schema, "$ref") {
            let target = self.spec.resolve(schema);
            if target.get("$ref").is_some() {
                return TypeInfo { text: format!("`{reference}` (unresolved)"), nullable: false };
            }
            return self.type_of(target);
        }
        let own_nullable = schema.get("nullable").and_then(Value::as_bool) == Some(true);
        if let Some(branches) = schema.get("anyOf").and_then(Value::as_sequence) {
            let mut info = self.any_of(branches);
            info.nullable |= own_nullable;
            return info;
        }
        if let Some(branches) = schema.get("oneOf").and_then(Value::as_sequence) {
            let (texts, nullable) = self.branches(branches);
            return TypeInfo { text: format!("one of: {}", texts.join(" or ")), nullable: nullable || own_nullable };
        }
        if let Some(branches) = schema.get("allOf").and_then(Value::as_sequence) {
            let (texts, nullable) = self.branches(branches);
            let text = if texts.len() == 1 { texts[0].clone() } else { format!("all of: {}", texts.join(" and ")) };
            return TypeInfo { text, nullable: nullable || own_nullable };
        }
        let ty = text(schema, "type");
        let mut out = match ty {
            Some("array") => {
                let items = schema.get("items").map(|i| self.type_of(i));
                let mut text = match items {
                    Some(items) => format!("array of {}", grouped(&items.full())),
                    None => "array".to_string(),
                };
                if let Some(min) = schema.get("minItems").and_then(Value::as_u64) {
                    text.push_str(&format!(" (at least {min})"));
                }
                text
            }
            Some("object") | None if schema.get("properties").is_some() => "object".to_string(),
            Some("object") => match schema.get("additionalProperties") {
                Some(Value::Bool(true)) | None => "object".to_string(),
                Some(Value::Bool(false)) => "object (no fields)".to_string(),
                Some(values) => format!("map of string to {}", grouped(&self.type_of(values).full())),
            },
            Some(scalar) => match text(schema, "format") {
                Some(format) => format!("{scalar} ({format})"),
                None => scalar.to_string(),
            },
            None => "any".to_string(),
        };
        let mut nullable = own_nullable;
        if let Some(values) = schema.get("enum").and_then(Value::as_sequence) {
            nullable |= values.iter().any(Value::is_null);
            let known = enum_values(schema);
            if !known.is_empty() {
                out.push_str(&format!(", one of {known}"));
            } else if ty == Some("object") && nullable {
                // `{type: object, nullable: true, enum: [null]}`: only null.
                out = "null".to_string();
                nullable = false;
            }
        }
        if let Some(pattern) = text(schema, "pattern") {
            out.push_str(&format!(", pattern `{pattern}`"));
        }
        TypeInfo { text: out, nullable }
    }

    /// The texts of the non-null branches, and whether a branch admits null.
    fn branches(&mut self, branches: &[Value]) -> (Vec<String>, bool) {
        let mut texts = Vec::new();
        let mut nullable = false;
        for branch in branches {
            if is_null_branch(branch) {
                nullable = true;
                continue;
            }
            let info = self.type_of(branch);
            nullable |= info.nullable;
            texts.push(info.text);
        }
        (texts, nullable)
    }

    fn any_of(&mut self, branches: &[Value]) -> TypeInfo {
        if let Some(open) = open_enum(branches) {
            let nullable = branches.iter().any(|b| b.get("nullable").and_then(Value::as_bool) == Some(true) || is_null_branch(b));
            let mut text = format!("one of {}", enum_values(open.known));
            if open.plain.is_empty() {
                return TypeInfo { text, nullable };
            }
            text.push_str(" (open: other values possible");
            let known_type = text_or(open.known, "type", "string");
            let mut wire: Vec<&str> = vec![known_type];
            for plain in &open.plain {
                let t = text_or(plain, "type", "any");
                if !wire.contains(&t) {
                    wire.push(t);
                }
            }
            if wire.len() > 1 {
                text.push_str(&format!("; sent as {}", wire.join(" or ")));
            }
            text.push(')');
            return TypeInfo { text, nullable };
        }
        // The real-world forms (openapi/CONVENTIONS.md): a decimal sent as a number or a string,
        // `""` for an absent date, `{}` for an absent object.
        let empty = |key: &str| branches.iter().any(|b| b.get(key).and_then(Value::as_u64) == Some(0));
        let absent = if empty("maxLength") {
            " (`\"\"` when absent)"
        } else if empty("maxProperties") {
            " (`{}` when absent)"
        } else {
            ""
        };
        let present: Vec<&Value> = branches.iter().filter(|b| !is_null_branch(b)).collect();
        if !present.is_empty() && present.iter().all(|b| text(b, "format") == Some("decimal")) {
            let nullable = branches.iter().any(|b| b.get("nullable").and_then(Value::as_bool) == Some(true));
            return TypeInfo { text: "decimal (a number or a numeric string)".into(), nullable };
        }
        let (texts, nullable) = self.branches(branches);
        let text = if texts.len() == 1 { texts[0].clone() } else { format!("any of: {}", texts.join(" or ")) };
        TypeInfo { text: format!("{text}{absent}"), nullable }
    }

    /// The field rows of an object schema (none for other schemas). `context` is the Rust type
    /// name the codegen builds open enum names from (`Project` → `ProjectBillingVariant`); `None`
    /// outside `components/schemas`, where the codegen makes no open enums.
    pub fn fields(&mut self, schema: &Value, context: Option<&str>) -> Vec<Field> {
        let mut out = Vec::new();
        self.fields_into(schema, "", context, 0, &mut out);
        out
    }

    fn fields_into(&mut self, schema: &Value, prefix: &str, context: Option<&str>, depth: usize, out: &mut Vec<Field>) {
        let schema = self.spec.resolve(schema);
        let Some(properties) = schema.get("properties").and_then(Value::as_mapping) else { return };
        let required: Vec<&str> =
            schema.get("required").and_then(Value::as_sequence).into_iter().flatten().filter_map(Value::as_str).collect();
        for (name, property) in properties {
            let Some(name) = name.as_str() else { continue };
            let property_context = context.map(|c| format!("{c}{}", rust::pascal_case(name)));
            let info = self.type_of(property);
            let mut description = clean(text(property, "description").unwrap_or_default());
            if property.get("deprecated").and_then(Value::as_bool) == Some(true) {
                push_sentence(&mut description, "Deprecated.");
            }
            if let Some(default) = property.get("default") {
                push_sentence(&mut description, &format!("Default: `{}`.", inline_json(default)));
            }
            if let Some(enum_name) = property_context.as_deref().and_then(|c| open_enum_name(property, c)) {
                push_sentence(&mut description, &format!("Rust: `types::{enum_name}`."));
            }
            let rust_name = rust::ident(name);
            let full = format!("{prefix}{name}");
            out.push(Field {
                name: full.clone(),
                rust: (rust_name != name).then_some(rust_name),
                ty: info.full(),
                required: required.contains(&name),
                description,
            });
            if depth >= MAX_DEPTH {
                continue;
            }
            if let Some((object, suffix)) = inline_object(property) {
                self.fields_into(object, &format!("{full}{suffix}."), property_context.as_deref(), depth + 1, out);
            }
        }
    }
}

/// A compound type inside another one, in parentheses: "array of (string, nullable)".
fn grouped(text: &str) -> String {
    // Compound at the top level: a separator outside parentheses and code spans.
    let mut depth = 0i32;
    let mut code = false;
    let mut compound = false;
    for (i, c) in text.char_indices() {
        match c {
            '`' => code = !code,
            '(' if !code => depth += 1,
            ')' if !code => depth -= 1,
            _ if depth == 0 && !code => {
                let rest = &text[i..];
                compound |= rest.starts_with(", ") || rest.starts_with(" or ") || rest.starts_with(" and ");
            }
            _ => {}
        }
    }
    if compound {
        format!("({text})")
    } else {
        text.to_string()
    }
}

/// `#type-project`.
pub fn type_anchor(name: &str) -> String {
    format!("type-{}", name.to_ascii_lowercase())
}

/// An inline (not `$ref`) object with properties, directly, as array items (`[]`), or as the
/// non-null branch of a nullable `anyOf`.
fn inline_object(schema: &Value) -> Option<(&Value, &'static str)> {
    if schema.get("$ref").is_some() {
        return None;
    }
    if schema.get("properties").is_some() {
        return Some((schema, ""));
    }
    if let Some(items) = schema.get("items") {
        return inline_object(items).map(|(object, suffix)| (object, if suffix.is_empty() { "[]" } else { suffix }));
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(branches) = schema.get(key).and_then(Value::as_sequence) {
            let real: Vec<&Value> = branches.iter().filter(|b| !is_null_branch(b)).collect();
            if real.len() == 1 {
                return inline_object(real[0]);
            }
        }
    }
    None
}

/// `{type: object, nullable: true, enum: [null]}` (or any schema that only allows null).
/// A branch that only says "absent": `enum: [null]`, or the `""` and `{}` branches of the
/// real-world forms.
pub fn is_null_branch(schema: &Value) -> bool {
    schema.get("enum").and_then(Value::as_sequence).is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_null))
        || ["maxLength", "maxProperties"].iter().any(|key| schema.get(*key).and_then(Value::as_u64) == Some(0))
}

struct OpenEnum<'a> {
    known: &'a Value,
    plain: Vec<&'a Value>,
}

/// An `anyOf` of one enum and plain scalar branches (besides a possible null branch): the spec's
/// open enum (openapi/CONVENTIONS.md). With no plain branch it is a nullable closed enum.
fn open_enum(branches: &[Value]) -> Option<OpenEnum<'_>> {
    let with_values: Vec<&Value> =
        branches.iter().filter(|b| b.get("enum").and_then(Value::as_sequence).is_some_and(|e| e.iter().any(|v| !v.is_null()))).collect();
    if with_values.len() != 1 || branches.len() < 2 {
        return None;
    }
    let mut plain = Vec::new();
    for branch in branches.iter().filter(|b| b.get("enum").is_none()) {
        let scalar = branch.get("$ref").is_none() && matches!(text(branch, "type"), Some("string" | "integer" | "number"));
        if !scalar {
            return None;
        }
        plain.push(branch);
    }
    if branches.iter().any(|b| b.get("enum").is_some() && !std::ptr::eq(b, with_values[0]) && !is_null_branch(b)) {
        return None;
    }
    Some(OpenEnum { known: with_values[0], plain })
}

/// The Rust type the codegen gives an open enum found at this property (or in its items):
/// its `title`, else the context.
fn open_enum_name(property: &Value, context: &str) -> Option<String> {
    let mut at = property;
    for _ in 0..4 {
        if let Some(branches) = at.get("anyOf").and_then(Value::as_sequence) {
            if open_enum(branches).is_some_and(|o| !o.plain.is_empty()) {
                return Some(text(at, "title").map(str::to_string).unwrap_or_else(|| context.to_string()));
            }
        }
        match at.get("items").or_else(|| at.get("additionalProperties")) {
            Some(next) if next.is_mapping() => at = next,
            _ => return None,
        }
    }
    None
}

/// "`a`, `b`" for string values; "`1` (unplanned), `2` (public_holiday)" for codes with
/// `x-enum-varnames`. Null is left out (it shows as "nullable").
fn enum_values(schema: &Value) -> String {
    let values: Vec<&Value> = schema.get("enum").and_then(Value::as_sequence).into_iter().flatten().filter(|v| !v.is_null()).collect();
    let names: Vec<&str> =
        schema.get("x-enum-varnames").and_then(Value::as_sequence).into_iter().flatten().filter_map(Value::as_str).collect();
    values
        .iter()
        .enumerate()
        .map(|(i, value)| {
            let shown = format!("`{}`", scalar_text(value));
            match names.get(i) {
                Some(name) if names.len() == values.len() => format!("{shown} ({name})"),
                _ => shown,
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn text_or<'a>(schema: &'a Value, key: &str, default: &'a str) -> &'a str {
    text(schema, key).unwrap_or(default)
}

/// A scalar as it is written (strings without quotes).
pub fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => inline_json(other),
    }
}

/// Compact JSON of a value.
pub fn inline_json(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// A description for a table cell: trimmed, paragraphs kept apart with `<br>`, lines joined.
pub fn clean(description: &str) -> String {
    description
        .trim()
        .split("\n\n")
        .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("<br>")
}

fn push_sentence(description: &mut String, sentence: &str) {
    if !description.is_empty() {
        description.push(' ');
    }
    description.push_str(sentence);
}
