//! Types as `drift --openapi` compares them. Both documents go through the same reduction, so the
//! spec's conventions (openapi/CONVENTIONS.md, "Real answers" and "Known values") read as the
//! plain forms another description writes:
//!
//! - `anyOf [{type: number, format: decimal}, {type: string, format: decimal}]` is a decimal,
//!   equal to a `number` or to a `string` whose example is a number (a decimal sent as text);
//! - the null branches (`{type: object, nullable: true, enum: [null]}`, the `{}` branch
//!   `{type: object, maxProperties: 0}` and the `""` branch `{type: string, maxLength: 0}`) only
//!   make the type nullable, so a nullable reference or date equals a nullable object or date;
//! - an open enum (an `enum` branch beside plain branches) is its known values, open; it equals
//!   an enum whose values it knows (the comparison of values is in `compare.rs`);
//! - `integer` with any format is `integer`, `number` with `float` or `double` is `number`;
//!   formats that only annotate a string (`email`, `uuid`, `uri`, ...) are ignored.
//!
//! `nullable` is kept beside the kind: the comparison decides where it matters.

use std::{collections::BTreeSet, fmt};

use serde_json::Value;

use crate::drift::spec::resolve;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Integer,
    /// A binary `number` (no format, `float` or `double`).
    Number,
    /// An exact decimal: `format: decimal` on a number or a string, or the anyOf of both.
    Decimal,
    String,
    Date,
    DateTime,
    /// A file: `format: binary` or `byte`.
    Binary,
    Boolean,
    Array(Box<Kind>),
    Object,
    /// No type at all: anything.
    Any,
    /// Only null: a null branch on its own.
    Null,
    /// Alternatives that are none of the forms above (an answer that is ids or entities).
    Union(Vec<Kind>),
}

impl Kind {
    fn scalar(&self) -> bool {
        matches!(self, Kind::Integer | Kind::Number | Kind::Decimal | Kind::String | Kind::Date | Kind::DateTime | Kind::Boolean)
    }

    fn numeric(&self) -> bool {
        matches!(self, Kind::Number | Kind::Decimal)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Kind::Integer => write!(f, "integer"),
            Kind::Number => write!(f, "number"),
            Kind::Decimal => write!(f, "decimal"),
            Kind::String => write!(f, "string"),
            Kind::Date => write!(f, "date"),
            Kind::DateTime => write!(f, "date-time"),
            Kind::Binary => write!(f, "binary"),
            Kind::Boolean => write!(f, "boolean"),
            Kind::Array(item) => write!(f, "array of {item}"),
            Kind::Object => write!(f, "object"),
            Kind::Any => write!(f, "any"),
            Kind::Null => write!(f, "null"),
            Kind::Union(kinds) => {
                let names: Vec<String> = kinds.iter().map(Kind::to_string).collect();
                write!(f, "{}", names.join(" | "))
            }
        }
    }
}

/// The reduced type of a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ty {
    pub kind: Kind,
    pub nullable: bool,
    /// The known values (an `enum`), as JSON text (`"sent"`, `1`); `null` is left out.
    pub values: Option<BTreeSet<String>>,
    /// Values beyond the known ones are accepted (an open enum).
    pub open: bool,
}

impl Ty {
    fn of(kind: Kind) -> Ty {
        Ty { kind, nullable: false, values: None, open: false }
    }

    fn null() -> Ty {
        Ty { kind: Kind::Null, nullable: true, values: None, open: false }
    }

    /// `nullable decimal`, `open enum of string`: for messages.
    pub fn describe(&self) -> String {
        let mut out = self.kind.to_string();
        if self.values.is_some() {
            out = format!("{} enum of {out}", if self.open { "open" } else { "closed" });
        }
        if self.nullable && self.kind != Kind::Null {
            out = format!("nullable {out}");
        }
        out
    }
}

/// The JSON text of an enum value (`"sent"`, `1`): a string and a number stay apart, and an
/// empty string is visible.
pub fn value_text(value: &Value) -> String {
    value.to_string()
}

/// The reduced type of `schema`, through `$ref`, `allOf`, `anyOf` and `oneOf`.
pub fn ty(doc: &Value, schema: &Value) -> Ty {
    reduce(doc, schema, 0)
}

fn reduce(doc: &Value, schema: &Value, depth: usize) -> Ty {
    let s = resolve(doc, schema);
    if depth > 16 {
        return Ty::of(Kind::Any);
    }
    let nullable = s["nullable"] == true;
    if is_null_branch(s) {
        return Ty::null();
    }
    let mut out = if let Some(parts) = s["allOf"].as_array() {
        all_of(doc, s, parts, depth)
    } else if let Some(branches) = s["anyOf"].as_array().or_else(|| s["oneOf"].as_array()) {
        let alternatives: Vec<Ty> = branches.iter().map(|b| reduce(doc, b, depth + 1)).collect();
        combine(alternatives)
    } else {
        plain(doc, s, depth)
    };
    out.nullable |= nullable;
    out
}

/// `enum: [null]`, `{type: object, maxProperties: 0}` or `{type: string, maxLength: 0}`: a branch
/// that only adds null (or its stand-ins `{}` and `""`) to the others.
fn is_null_branch(s: &Value) -> bool {
    if s["enum"].as_array().is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_null)) {
        return true;
    }
    let no_properties = s.get("properties").is_none_or(|p| p.as_object().is_some_and(|p| p.is_empty()));
    (s["type"] == "object" && s["maxProperties"] == 0 && no_properties)
        || (s["type"] == "string" && s["maxLength"] == 0 && s.get("format").is_none() && s.get("enum").is_none())
}

/// A schema with a `type` (or none) and no combinator.
fn plain(doc: &Value, s: &Value, depth: usize) -> Ty {
    let format = s["format"].as_str().unwrap_or_default();
    let kind = match s["type"].as_str() {
        Some("integer") => Kind::Integer,
        Some("number") if format == "decimal" => Kind::Decimal,
        Some("number") => Kind::Number,
        Some("string") => match format {
            "decimal" => Kind::Decimal,
            "date" => Kind::Date,
            "date-time" => Kind::DateTime,
            "binary" | "byte" => Kind::Binary,
            _ => Kind::String,
        },
        Some("boolean") => Kind::Boolean,
        Some("array") => Kind::Array(Box::new(items_kind(doc, s, depth))),
        Some("object") => Kind::Object,
        _ if s.get("properties").is_some() || s.get("additionalProperties").is_some() => Kind::Object,
        _ if s.get("items").is_some() => Kind::Array(Box::new(items_kind(doc, s, depth))),
        _ => Kind::Any,
    };
    let values = s["enum"].as_array().map(|values| values.iter().filter(|v| !v.is_null()).map(value_text).collect());
    Ty { kind, nullable: false, values, open: false }
}

fn items_kind(doc: &Value, s: &Value, depth: usize) -> Kind {
    match s.get("items") {
        Some(items) => reduce(doc, items, depth + 1).kind,
        None => Kind::Any,
    }
}

/// The parts of an `allOf` describe one value: an object if any part is one, else the first
/// part with a type. The schema's own `type` (beside the `allOf`) counts as a part.
fn all_of(doc: &Value, s: &Value, parts: &[Value], depth: usize) -> Ty {
    let mut reduced: Vec<Ty> = parts.iter().map(|p| reduce(doc, p, depth + 1)).collect();
    if s.get("type").is_some() || s.get("properties").is_some() {
        reduced.insert(0, plain(doc, s, depth));
    }
    let nullable = reduced.iter().any(|t| t.nullable);
    let mut out = if reduced.iter().any(|t| t.kind == Kind::Object) {
        Ty::of(Kind::Object)
    } else {
        reduced.into_iter().find(|t| t.kind != Kind::Any).unwrap_or(Ty::of(Kind::Any))
    };
    out.nullable |= nullable;
    out
}

/// The alternatives of an `anyOf` or `oneOf`, reduced to one type where they are a convention.
fn combine(alternatives: Vec<Ty>) -> Ty {
    let nullable = alternatives.iter().any(|t| t.nullable);
    let real: Vec<Ty> = alternatives.into_iter().filter(|t| t.kind != Kind::Null).collect();
    if real.is_empty() {
        return Ty::null();
    }
    let with = |mut ty: Ty| {
        ty.nullable |= nullable;
        ty
    };
    // The decimal: a number branch and a string branch, one of them (or both) `format: decimal`.
    if real.iter().any(|t| t.kind == Kind::Decimal)
        && real.iter().all(|t| matches!(t.kind, Kind::Decimal | Kind::Number | Kind::String) && t.values.is_none())
    {
        return with(Ty::of(Kind::Decimal));
    }
    // The open enum: enum branches beside plain scalar branches.
    let enums: Vec<&Ty> = real.iter().filter(|t| t.values.is_some()).collect();
    if !enums.is_empty() && real.iter().all(|t| t.kind.scalar()) {
        let values = enums.iter().flat_map(|t| t.values.iter().flatten().cloned()).collect();
        let open = real.len() > enums.len() || enums.iter().any(|t| t.open);
        // Numeric codes also accept a string (MOCO sends them either way): a union of both.
        let mut kinds: Vec<Kind> = Vec::new();
        for ty in &real {
            if !kinds.contains(&ty.kind) {
                kinds.push(ty.kind.clone());
            }
        }
        let kind = if kinds.len() == 1 { kinds.remove(0) } else { Kind::Union(kinds) };
        return with(Ty { kind, nullable: false, values: Some(values), open });
    }
    if real.iter().all(|t| t.kind == Kind::Object) {
        return with(Ty::of(Kind::Object));
    }
    let mut kinds: Vec<Kind> = Vec::new();
    for ty in &real {
        if !kinds.contains(&ty.kind) {
            kinds.push(ty.kind.clone());
        }
    }
    if kinds.len() == 1 {
        return with(Ty::of(kinds.remove(0)));
    }
    with(Ty::of(Kind::Union(kinds)))
}

/// Whether the spec's kind and the other description's kind mean the same values.
/// `numeric_text`: the other side's string has a number as its example (a decimal as text).
pub fn same_kind(ours: &Kind, theirs: &Kind, numeric_text: bool) -> bool {
    match (ours, theirs) {
        (Kind::Any, _) | (_, Kind::Any) => true,
        (a, b) if a == b => true,
        (a, b) if a.numeric() && b.numeric() => true,
        (a, Kind::String) if a.numeric() => numeric_text,
        (Kind::Array(a), Kind::Array(b)) => same_kind(a, b, false),
        // The spec accepts more forms than the other side names: fine if each of theirs is one.
        (Kind::Union(a), Kind::Union(b)) => b.iter().all(|b| a.iter().any(|a| same_kind(a, b, numeric_text))),
        (Kind::Union(a), b) => a.iter().any(|a| same_kind(a, b, numeric_text)),
        (a, Kind::Union(b)) => b.iter().all(|b| same_kind(a, b, numeric_text)),
        _ => false,
    }
}

/// Whether values of the kind can be objects with fields (directly, as items or as an
/// alternative): where one side's kind cannot, the other side's fields below it compare with
/// nothing.
pub fn has_fields(kind: &Kind) -> bool {
    match kind {
        Kind::Object | Kind::Any => true,
        Kind::Array(item) => has_fields(item),
        Kind::Union(kinds) => kinds.iter().any(has_fields),
        _ => false,
    }
}

/// Whether a JSON example value is a number written as a number or as numeric text.
pub fn is_numeric(example: &Value) -> bool {
    match example {
        Value::Number(_) => true,
        Value::String(s) => !s.trim().is_empty() && s.trim().parse::<f64>().is_ok(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn of(schema: Value) -> Ty {
        let doc = json!({"components": {"schemas": {
            "UserRef": {"type": "object", "properties": {"id": {"type": "integer"}}},
        }}});
        ty(&doc, &schema)
    }

    #[test]
    fn the_spec_conventions_reduce_to_the_plain_forms() {
        let decimal =
            of(json!({"anyOf": [{"type": "number", "format": "decimal"}, {"type": "string", "format": "decimal", "nullable": true}]}));
        assert_eq!((decimal.kind.clone(), decimal.nullable), (Kind::Decimal, true));
        assert!(same_kind(&decimal.kind, &of(json!({"type": "number"})).kind, false));
        assert!(same_kind(&decimal.kind, &Kind::String, true));
        assert!(!same_kind(&decimal.kind, &Kind::String, false));

        let date = of(json!({"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "maxLength": 0, "nullable": true}]}));
        assert_eq!(date, of(json!({"type": "string", "format": "date", "nullable": true})));

        let reference =
            of(json!({"anyOf": [{"$ref": "#/components/schemas/UserRef"}, {"type": "object", "nullable": true, "maxProperties": 0}]}));
        assert_eq!(reference, of(json!({"type": "object", "nullable": true, "properties": {"id": {"type": "integer"}}})));
        let old_null =
            of(json!({"anyOf": [{"$ref": "#/components/schemas/UserRef"}, {"type": "object", "nullable": true, "enum": [null]}]}));
        assert_eq!(old_null, reference);
        let all_of = of(json!({"allOf": [{"type": "object", "nullable": true, "properties": {}}], "description": "x"}));
        assert_eq!(all_of, reference);

        assert_eq!(of(json!({"type": "integer", "format": "int64"})), of(json!({"type": "integer"})));
        assert_eq!(of(json!({"type": "string", "format": "email"})), of(json!({"type": "string"})));
    }

    #[test]
    fn open_enums_keep_their_values() {
        let open = of(json!({"anyOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "string", "nullable": true}]}));
        assert_eq!(open.kind, Kind::String);
        assert!(open.open && open.nullable);
        assert_eq!(open.values, Some(["\"a\"".to_string(), "\"b\"".to_string()].into()));
        let codes = of(json!({"anyOf": [{"type": "integer", "enum": [1, 2]}, {"type": "integer"}, {"type": "string", "nullable": true}]}));
        assert_eq!((codes.kind.clone(), codes.open), (Kind::Union(vec![Kind::Integer, Kind::String]), true));
        assert!(same_kind(&codes.kind, &Kind::String, false) && same_kind(&codes.kind, &Kind::Integer, false));
        let closed = of(json!({"type": "string", "enum": ["a", null], "nullable": true}));
        assert_eq!((closed.open, closed.values.clone()), (false, Some(["\"a\"".to_string()].into())));
        assert_eq!(closed.describe(), "nullable closed enum of string");
    }

    #[test]
    fn other_alternatives_stay_a_union() {
        let answer = of(
            json!({"anyOf": [{"type": "array", "items": {"type": "integer"}}, {"type": "array", "items": {"$ref": "#/components/schemas/UserRef"}}]}),
        );
        assert_eq!(answer.kind, Kind::Union(vec![Kind::Array(Box::new(Kind::Integer)), Kind::Array(Box::new(Kind::Object))]));
        assert!(same_kind(&answer.kind, &Kind::Array(Box::new(Kind::Object)), false));
        assert!(!same_kind(&Kind::Array(Box::new(Kind::Object)), &answer.kind, false));
        assert!(!same_kind(&Kind::Integer, &Kind::String, false));
        assert!(!same_kind(&Kind::Date, &Kind::DateTime, false));
    }
}
