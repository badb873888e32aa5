//! Answers like MOCO's servers send them ([`AnswerStyle::RealWorld`]): a JSON success answer is
//! walked together with its operation's response schema and given the serialization habits of
//! MOCO's servers (Rails) that `openapi/CONVENTIONS.md` ("Real answers") describes:
//!
//! - a decimal field (`anyOf` of `{type: number, format: decimal}` and `{type: string, format:
//!   decimal}`) is sent as a string (`"17999.00"`) or as a number, whichever its field's choice
//!   is, whatever form the docs show;
//! - some integer fields are sent as integral floats (`10.0`), some others as numeric strings
//!   (`"10"`), as the spec's introduction says any integer may arrive;
//! - a null date or timestamp whose schema admits `""` (a `{type: string, maxLength: 0}` branch)
//!   is sent as `""`;
//! - a null nested object whose schema admits `{}` (a `{type: object, maxProperties: 0}` branch)
//!   is sent as `{}`.
//!
//! Every choice is made per (schema, field): a stable hash of the name of the component schema
//! that declares the field (the operation id for inline response schemas) and the field's name,
//! so the same field is sent the same way in every answer (lists and single objects alike), the
//! same request gets the same answer, and across the spec every habit occurs. Values keep their
//! meaning (`"17999.00"` for 17999, `10.0` for 10), and every answer still matches its response
//! schema: a form is only used where the schema admits it.
//!
//! Not touched: fields named `id` (an entity's or a reference's id stays a plain integer, for
//! users who read ids from raw JSON), integers in lists (`user_ids: [1, 2]`) and in maps, the
//! integer codes of open enums, and error answers. The fake keeps its state in the docs' clean
//! form; this runs on the way out only.

use serde_json::{Map, Number, Value};

use crate::{
    spec::{ref_name, spec, Operation, Response},
    AnswerStyle,
};

/// Gives a JSON success answer of `op` the habits of `style`.
pub(crate) fn dress(style: AnswerStyle, op: &'static Operation, body: &mut Value) {
    if style == AnswerStyle::Docs {
        return;
    }
    if let Response::Json { schema, .. } = &op.response {
        walk(body, schema, &op.id, None);
    }
}

/// Gives an entity of the component schema `schema_name` the habits of `style` (web hook
/// payloads).
pub(crate) fn dress_entity(style: AnswerStyle, schema_name: &'static str, body: &mut Value) {
    if style == AnswerStyle::Docs {
        return;
    }
    walk(body, spec().schema(schema_name), schema_name, None);
}

/// The four habits, each with its own share of the fields where it can apply.
#[derive(Clone, Copy)]
enum Habit {
    /// A decimal as a string (else as a number): half of the decimal fields.
    DecimalText,
    /// An integer as an integral float: a third of the integer fields.
    IntegralFloat,
    /// An integer as a numeric string: a sixth of the integer fields that are no integral floats.
    IntegerText,
    /// A null date or timestamp as `""`: two thirds of the fields that admit it.
    EmptyDate,
    /// A null nested object as `{}`: two thirds of the fields that admit it.
    EmptyObject,
}

impl Habit {
    fn salt(self) -> &'static str {
        match self {
            Habit::DecimalText => "decimal-text",
            Habit::IntegralFloat => "integral-float",
            Habit::IntegerText => "integer-text",
            Habit::EmptyDate => "empty-date",
            Habit::EmptyObject => "empty-object",
        }
    }

    /// (n, k): the habit applies where the hash modulo n is below k.
    fn share(self) -> (u64, u64) {
        match self {
            Habit::DecimalText => (2, 1),
            Habit::IntegralFloat => (3, 1),
            Habit::IntegerText => (6, 1),
            Habit::EmptyDate | Habit::EmptyObject => (3, 2),
        }
    }
}

/// Whether `habit` applies to `field` of the schema `owner`: a stable hash (FNV-1a, then
/// splitmix64's finalizer), the same on every machine and in every build.
fn applies(habit: Habit, owner: &str, field: &str) -> bool {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in habit.salt().bytes().chain([0]).chain(owner.bytes()).chain([0]).chain(field.bytes()) {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    h ^= h >> 31;
    let (n, k) = habit.share();
    h % n < k
}

/// Walks `value` with `schema`. `owner` names the component schema (or operation) the current
/// object is declared in; `field` is the property `value` is the value of (`None` for the whole
/// answer and for items of lists).
fn walk(value: &mut Value, schema: &'static Value, owner: &'static str, field: Option<&str>) {
    let spec = spec();
    let (mut schema, mut owner) = (schema, owner);
    for _ in 0..16 {
        let Some(name) = ref_name(schema) else { break };
        owner = name;
        schema = spec.schema(name);
    }
    if let Some(branches) = schema.get("anyOf").or_else(|| schema.get("oneOf")).and_then(Value::as_array) {
        if let Some(field) = field {
            if union_scalar(value, branches, owner, field) {
                return;
            }
        }
        // An object or a list: into the branch that describes it.
        let branch = branches.iter().find(|b| {
            let resolved = spec.resolve(b);
            match value {
                Value::Object(_) => resolved["properties"].is_object() || resolved.get("anyOf").is_some(),
                Value::Array(_) => resolved["type"] == "array",
                _ => false,
            }
        });
        if let Some(branch) = branch {
            walk(value, branch, owner, field);
        }
        return;
    }
    match value {
        Value::Object(fields) => {
            let Some(props) = schema["properties"].as_object() else { return };
            for (name, v) in fields.iter_mut() {
                if let Some(prop) = props.get(name) {
                    walk(v, prop, owner, Some(name));
                }
            }
        }
        Value::Array(items) => {
            let item_schema = &schema["items"];
            if item_schema.is_object() {
                for item in items {
                    walk(item, item_schema, owner, None);
                }
            }
        }
        Value::Number(n) => {
            let Some(field) = field else { return };
            if field == "id" || schema["type"] != "integer" || schema.get("enum").is_some() {
                return;
            }
            if let Some(float) = integral_float(n) {
                if applies(Habit::IntegralFloat, owner, field) {
                    *value = Value::Number(float);
                } else if applies(Habit::IntegerText, owner, field) {
                    *value = Value::String(n.to_string());
                }
            }
        }
        _ => {}
    }
}

/// The habits of a scalar field whose schema is a union: decimals, `""` dates, `{}` objects.
/// True if the field was one of those (whether or not its value changed).
fn union_scalar(value: &mut Value, branches: &'static [Value], owner: &str, field: &str) -> bool {
    let spec = spec();
    let branches: Vec<&Value> = branches.iter().map(|b| spec.resolve(b)).collect();
    let decimal = |kind: &str| branches.iter().any(|b| b["type"] == kind && b["format"] == "decimal");
    if decimal("number") && decimal("string") {
        let as_text = applies(Habit::DecimalText, owner, field);
        match value {
            Value::Number(n) if as_text => {
                if let Some(text) = decimal_text(n) {
                    *value = Value::String(text);
                }
            }
            Value::String(text) if !as_text => {
                if let Some(n) = decimal_number(text) {
                    *value = Value::Number(n);
                }
            }
            _ => {}
        }
        return true;
    }
    if !value.is_null() {
        return false;
    }
    let empty_string = branches.iter().any(|b| b["type"] == "string" && b["maxLength"] == 0);
    let empty_object = branches.iter().any(|b| b["type"] == "object" && b["maxProperties"] == 0);
    if empty_string && applies(Habit::EmptyDate, owner, field) {
        *value = Value::String(String::new());
    } else if empty_object && applies(Habit::EmptyObject, owner, field) {
        *value = Value::Object(Map::new());
    }
    true
}

/// `10` as `10.0` (integers that an `f64` holds exactly).
fn integral_float(n: &Number) -> Option<Number> {
    let i = n.as_i64()?;
    if i.unsigned_abs() > 1 << 53 {
        return None;
    }
    Number::from_f64(i as f64)
}

/// A decimal number as MOCO's text: two places where it has at most two (`"17999.00"`,
/// `"1.50"`), else all of its own (`"0.125"`).
fn decimal_text(n: &Number) -> Option<String> {
    if let Some(i) = n.as_i64() {
        return Some(format!("{i}.00"));
    }
    if let Some(u) = n.as_u64() {
        return Some(format!("{u}.00"));
    }
    let f = n.as_f64().filter(|f| f.is_finite())?;
    let shortest = format!("{f}");
    let places = shortest.split_once('.').map_or(0, |(_, decimals)| decimals.len());
    Some(if places <= 2 { format!("{f:.2}") } else { shortest })
}

/// A decimal string as a JSON number, if an `f64` holds it exactly as written (`"17999.00"` →
/// `17999.0`; not `"0.1000000000000000055"`).
fn decimal_number(text: &str) -> Option<Number> {
    let f: f64 = text.trim().parse().ok().filter(|f: &f64| f.is_finite())?;
    (canonical(text.trim()) == canonical(&format!("{f}"))).then(|| Number::from_f64(f)).flatten()
}

/// A decimal's text without a plus sign, leading zeros, trailing zeros or a trailing point.
fn canonical(text: &str) -> String {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let whole = whole.trim_start_matches('0');
    let fraction = fraction.trim_end_matches('0');
    let mut out = String::new();
    if negative && !(whole.is_empty() && fraction.is_empty()) {
        out.push('-');
    }
    out.push_str(if whole.is_empty() { "0" } else { whole });
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn number(value: Value) -> Number {
        match value {
            Value::Number(n) => n,
            other => panic!("{other} is not a number"),
        }
    }

    #[test]
    fn decimals_become_text_with_the_same_value() {
        assert_eq!(decimal_text(&number(json!(17999))).unwrap(), "17999.00");
        assert_eq!(decimal_text(&number(json!(17999.0))).unwrap(), "17999.00");
        assert_eq!(decimal_text(&number(json!(1.5))).unwrap(), "1.50");
        assert_eq!(decimal_text(&number(json!(0.29))).unwrap(), "0.29");
        assert_eq!(decimal_text(&number(json!(0.125))).unwrap(), "0.125");
        assert_eq!(decimal_text(&number(json!(-3.1))).unwrap(), "-3.10");
    }

    #[test]
    fn decimal_text_becomes_a_number_only_when_exact() {
        assert_eq!(serde_json::to_string(&decimal_number("17999.00").unwrap()).unwrap(), "17999.0");
        assert_eq!(serde_json::to_string(&decimal_number("0.10").unwrap()).unwrap(), "0.1");
        assert_eq!(serde_json::to_string(&decimal_number("-2.5").unwrap()).unwrap(), "-2.5");
        assert!(decimal_number("0.1000000000000000055").is_none());
        assert!(decimal_number("12345678901234567890.5").is_none());
        assert!(decimal_number("lots").is_none());
    }

    #[test]
    fn integers_become_integral_floats() {
        assert_eq!(serde_json::to_string(&integral_float(&number(json!(10))).unwrap()).unwrap(), "10.0");
        assert!(integral_float(&number(json!(1.5))).is_none());
        assert!(integral_float(&number(json!(i64::MAX))).is_none());
    }

    #[test]
    fn choices_are_stable_and_split_the_fields() {
        let fields: Vec<String> = (0..300).map(|i| format!("field_{i}")).collect();
        for habit in [Habit::DecimalText, Habit::IntegralFloat, Habit::IntegerText, Habit::EmptyDate, Habit::EmptyObject] {
            let chosen = fields.iter().filter(|f| applies(habit, "Project", f)).count();
            let (n, k) = habit.share();
            let expected = 300 * k as usize / n as usize;
            assert!(chosen.abs_diff(expected) < 40, "{} of 300 instead of about {expected}", chosen);
            assert!(fields.iter().all(|f| applies(habit, "Project", f) == applies(habit, "Project", f)));
        }
    }
}
